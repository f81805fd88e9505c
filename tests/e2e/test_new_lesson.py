"""`make lesson` (tools/new_lesson.py): a new lesson's files, wired together, grade for real at once.

In a copy of the course: create lesson 10 in a new assignment and follow the README's steps, editing
no other file; then its hints seal, its own unit and message tests pass, and so do the suite's tests of
every notebook (tests/notebooks/test_static.py: its files, its answer ids, no leak) and of the grader's
references (tests/grader/test_confirm.py: solutions confirmed, the lesson's ALL_WRONG rejected); stock
`nbgrader generate_assignment` and `autograde` score the source full marks and the release zero, and
the grader confirms the marks (none flagged). Bad input writes nothing.
"""
import re
import shutil
import subprocess
import sys

import pytest
from nbgrader.api import Gradebook

from tests.support.course_files import ROOT, env

NEW = "10_demo_topic"
ASSIGNMENT = "extra_lesson"


def run(args, cwd, **extra):
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=600, env={**env(), **extra})


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    """A copy of the course as a fresh clone has it: code, tests, source/ and release/."""
    tmp = tmp_path_factory.mktemp("new_lesson")
    for folder in ("course", "grader", "tools", "tests", "source", "release"):
        shutil.copytree(ROOT / folder, tmp / folder, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("nbgrader_config.py", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp / name)
    return tmp


def new_lesson(copy, *args):
    return run([sys.executable, "tools/new_lesson.py", *args], copy)


def test_bad_names_and_taken_numbers_write_nothing(copy):
    before = sorted(p for p in copy.rglob("*") if p.is_file())
    for args, words in [(["7_x", "--assignment", "a", "--title", "T"], "two digits"),
                        (["07_Attention", "--assignment", "a", "--title", "T"], "lower-case topic"),
                        (["07_x", "--assignment", "Bad-Name", "--title", "T"], "lower case"),
                        (["01_again", "--assignment", "a", "--title", "T"], "taken by 01_")]:
        done = new_lesson(copy, *args)
        assert done.returncode == 2 and words in done.stderr, done.stderr
    assert sorted(p for p in copy.rglob("*") if p.is_file()) == before


def test_a_new_lesson_grades_at_once(copy):
    done = new_lesson(copy, NEW, "--assignment", ASSIGNMENT, "--title", "A demo")
    assert done.returncode == 0, done.stderr
    again = new_lesson(copy, NEW, "--assignment", ASSIGNMENT, "--title", "A demo")
    assert again.returncode == 2 and "taken by 10_demo_topic" in again.stderr

    local = {"PYTHONPATH": str(copy), "HNL_ALLOW_UNSANDBOXED": "1"}  # the copy's course/ and grader/
    created = [line.split()[-1] for line in done.stdout.splitlines() if line.startswith("created ")]
    lint = run([str(ROOT / ".venv" / "bin" / "ruff"), "check", "--config", str(ROOT / "pyproject.toml"),
                *[c for c in created if c.endswith(".py")]], copy)
    assert lint.returncode == 0, lint.stdout
    # README's steps: make release (seal the hints, generate the assignment), then NOTEBOOKS=<new> make test.
    steps = [[sys.executable, "-m", "grader.hints"],
             [sys.executable, "-m", "nbgrader", "generate_assignment", ASSIGNMENT],
             [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
              "tests/course/test_demo_topic.py", "tests/course/exercises/test_demo_topic.py",
              "tests/notebooks/test_static.py", "tests/grader/test_confirm.py"]]
    for step in steps:
        result = run(step, copy, NOTEBOOKS=NEW, **local)
        assert result.returncode == 0, f"{step}:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
    ran = {name: int(count) for count, name in re.findall(r"(\d+) (passed|skipped|failed)", result.stdout)}
    assert ran.get("passed", 0) >= 25, result.stdout[-3000:]  # the new lesson's own, its notebook's, its references'
    # skipped only: COURSE_SPEC's ids (for its nine lessons) and the loop check (this lesson has no loop)
    assert ran.get("skipped", 0) <= 2 and not ran.get("failed"), result.stdout[-3000:]

    for sid, folder in (("solution", "source"), ("untouched", "release")):
        dest = copy / "submitted" / sid / ASSIGNMENT
        dest.mkdir(parents=True)
        shutil.copy(copy / folder / ASSIGNMENT / f"{NEW}.ipynb", dest)
    graded = run([sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT], copy, **local)
    assert graded.returncode == 0, graded.stderr[-3000:]
    with Gradebook(f"sqlite:///{copy / 'gradebook.db'}") as gb:
        solution = gb.find_submission_notebook(NEW, ASSIGNMENT, "solution")
        untouched = gb.find_submission_notebook(NEW, ASSIGNMENT, "untouched")
        assert solution.score == solution.max_score > 0
        assert untouched.score == 0
        assert not any(g.needs_manual_grade for g in solution.grades), "the grader did not confirm the marks"
