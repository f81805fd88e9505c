"""Hidden-test lines of the source notebooks, and a scan of feedback HTML for them (nbgrader #1363).

Feedback is made safe by ``grader.preprocessors.HideHiddenTests`` (registered for
``generate_feedback`` in nbgrader_config.py); ``find_leaks`` is the proof that it was: it lists
every hidden-test line found in feedback HTML.
"""
import html
import re
from pathlib import Path

import nbformat

from .preprocessors.hide_hidden_tests import hidden_line_numbers


def _html_text(path):
    text = re.sub(r"<[^>]+>", "", Path(path).read_text(encoding="utf-8", errors="replace"))
    return html.unescape(text)


def hidden_lines(source_notebook, begin="BEGIN HIDDEN TESTS", end="END HIDDEN TESTS", min_length=16):
    """Distinctive hidden-test lines of a source notebook: in a hidden region and nowhere visible."""
    nb = nbformat.read(source_notebook, as_version=4)
    hidden, visible = set(), set()
    for cell in nb.cells:
        numbers = hidden_line_numbers(cell.source, begin, end)
        for number, line in enumerate(cell.source.split("\n"), start=1):
            (hidden if number in numbers else visible).add(line.strip())
    return sorted(line for line in hidden - visible
                  if len(line) >= min_length and begin not in line and end not in line) + [begin, end]


def find_leaks(source_dir, feedback_dir):
    """[(html file, hidden line)] for every hidden-test line that shows in any feedback HTML."""
    secrets = {}
    for nb in sorted(Path(source_dir).glob("*.ipynb")):
        secrets[nb.stem] = hidden_lines(nb)
    leaks, checked = [], 0
    for page in sorted(Path(feedback_dir).glob("*/*/*.html")):
        if page.parent.name != Path(source_dir).name:
            continue
        checked += 1
        text = _html_text(page)
        leaks += [(page, line) for line in secrets.get(page.stem, []) if line in text]
    return leaks, checked
