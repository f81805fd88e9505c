"""Before answering, a student sees no answer: not in Validate's report on an untouched notebook.

Runs nbgrader's own Validate (what the toolbar button runs) on each untouched release notebook,
outside the course folder as a student would, and reads everything it prints.
"""
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from grader.feedback import hidden_lines
from grader.hints import LESSONS
from tests.support.course_files import notebooks, release, source

STEMS = [p.stem for p in notebooks()]
SECRETS = sorted({text for lesson in LESSONS for entries in lesson.HINTS.values() for _, _, text in entries
                  if len(text) >= 12}
                 | {value for lesson in LESSONS for entries in lesson.HINTS.values() for value, verdict, _ in entries
                    if verdict == "right" and isinstance(value, str) and len(value) >= 5})


def solution_lines(stem):
    """Distinctive lines of the source's solution regions that the release does not have."""
    released = {line.strip() for c in nbformat.read(release(stem), as_version=4).cells
                for line in c.source.splitlines()}
    lines, inside = set(), False
    for cell in nbformat.read(source(stem), as_version=4).cells:
        for line in cell.source.splitlines():
            if "BEGIN SOLUTION" in line:
                inside = True
            elif "END SOLUTION" in line:
                inside = False
            elif inside and len(line.strip()) >= 16 and line.strip() not in released:
                lines.add(line.strip())
    return lines


@pytest.mark.parametrize("stem", STEMS)
def test_validate_on_an_untouched_notebook_gives_nothing_away(stem, tmp_path):
    shutil.copy(release(stem), tmp_path / f"{stem}.ipynb")
    bin_dir = Path(sys.executable).parent
    done = subprocess.run([sys.executable, "-m", "nbgrader", "validate", f"{stem}.ipynb"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300,
                          env={"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path)})
    report = done.stdout + done.stderr
    assert "not yet" in report, report[-2000:]  # the checks spoke to the student
    secrets = SECRETS + sorted(solution_lines(stem)) + hidden_lines(source(stem))
    assert [s for s in secrets if s in report] == []
