"""Headings in order (WCAG 1.3.1, 2.4.6): every notebook starts with one top-level title and never skips a level
going down (# then ###), so a screen reader's list of headings is the lesson's outline. The browser audit
(axe's heading-order, tests/browser/accessibility.py) sees the same in JupyterLab; this sees it without a browser.
"""
import re

import nbformat
import pytest

from tests.support.course_files import notebooks

FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
HEADING = re.compile(r"^ {0,3}(#{1,6})\s+\S|<h([1-6])\b", re.M | re.I)


def heading_levels(nb):
    """Every heading's level in the notebook's markdown cells, in order (code blocks in markdown skipped)."""
    levels = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            text = FENCE.sub("", cell.source)
            levels += [len(m.group(1)) if m.group(1) else int(m.group(2)) for m in HEADING.finditer(text)]
    return levels


def skipped_levels(levels):
    """(previous level, level) wherever a heading goes down more than one level, and a first heading not an h1."""
    problems, previous = [], 0
    for level in levels:
        if level > previous + 1:
            problems.append((previous, level))
        previous = level
    return problems


@pytest.mark.parametrize("folder", ["source", "release"])
def test_notebook_headings_skip_no_level(folder):
    problems = {}
    for path in notebooks(folder):
        levels = heading_levels(nbformat.read(path, as_version=4))
        if skipped_levels(levels) or levels.count(1) != 1:
            problems[path.name] = (levels, skipped_levels(levels))
    assert not problems, f"headings out of order (levels, skips) in {folder}/: {problems}"


def test_the_check_sees_a_skip():
    assert skipped_levels([1, 2, 4]) == [(2, 4)]
    assert skipped_levels([2]) == [(0, 2)]
    assert skipped_levels([1, 2, 3, 2, 3, 1]) == []
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# T\n```\n### not a heading\n```\n<h3>x</h3>")])
    assert heading_levels(nb) == [1, 3]
