"""Fixtures that run the real nbgrader pipeline on a temporary copy of the course."""
import copy
import importlib.util
import re
import shutil
import subprocess
import sys

import nbformat
import pytest
from course_files import ASSIGNMENTS, ROOT, answer_cells, assignment_of, env, notebooks, read
from nbgrader.api import Gradebook


def nbgrader(course, *args):
    """Run a real nbgrader command in ``course``; return its combined log."""
    proc = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env(),
                          capture_output=True, text=True, timeout=1800)
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{log[-4000:]}"
    return log


def load_submissions(stem):
    """The module tests/submissions/<stem>.py (its file name starts with a digit), or None."""
    path = ROOT / "tests" / "submissions" / f"{stem}.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location(f"submissions_{stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_variants(stem):
    """VARIANTS from tests/submissions/<stem>.py, or none."""
    module = load_submissions(stem)
    return module.VARIANTS if module else {}


def student_id(stem, variant):
    return f"nb{stem[:2]}-{variant}"


def write_submission(course, sid, stem, nb):
    folder = course / "submitted" / sid / assignment_of(stem)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{stem}.ipynb").write_text(nbformat.writes(nb))


def fill(release_nb, answers):
    """A copy of the release notebook with the given answer cells' sources replaced."""
    nb = copy.deepcopy(release_nb)
    for cell in answer_cells(nb):
        grade_id = cell.metadata.nbgrader["grade_id"]
        if grade_id in answers:
            cell.source = answers[grade_id]
    return nb


@pytest.fixture(scope="session")
def course(tmp_path_factory):
    """A temporary copy of the course after a real `nbgrader generate_assignment` of every assignment."""
    course = tmp_path_factory.mktemp("course")
    shutil.copytree(ROOT / "source", course / "source")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    log = "".join(nbgrader(course, "generate_assignment", assignment) for assignment in ASSIGNMENTS)
    return {"path": course, "generate_log": log}


@pytest.fixture(scope="session")
def graded(course):
    """Every notebook submitted as: perfect, untouched, and each variant from tests/submissions/.

    All are autograded by one real `nbgrader autograde` run per assignment (as an instructor would).
    Returns {"scores": {sid: {stem: {test grade_id: (score, max)}}}, "expected": {...}, "log": str}.
    """
    path = course["path"]
    expected = {}
    for source_path in notebooks():
        stem = source_path.stem
        release_nb = read(path / "release" / assignment_of(stem) / source_path.name)
        solutions = {c.metadata.nbgrader["grade_id"]: c.source for c in answer_cells(read(source_path))}
        cases = {"perfect": ({}, {}), "untouched": (None, None)}
        cases.update({name: (v["answers"], v["scores"]) for name, v in load_variants(stem).items()})
        for name, (answers, scores) in cases.items():
            assert re.fullmatch(r"[a-z0-9_]+", name), f"variant name {name!r} in {stem}"
            sid = student_id(stem, name)
            nb = release_nb if answers is None else fill(release_nb, {**solutions, **answers})
            write_submission(path, sid, stem, nb)
            expected[sid] = (stem, scores)
    graded_assignments = sorted({assignment_of(stem) for stem, _ in expected.values()})
    log = "".join(nbgrader(path, "autograde", assignment) for assignment in graded_assignments)
    return {"scores": read_scores(path, expected), "flagged": read_flags(path, expected), "expected": expected,
            "log": log, "path": path}


def read_flags(path, expected):
    """{sid: [test cells flagged for manual grading]} (the grader withheld or could not confirm them)."""
    with Gradebook(f"sqlite:///{path / 'gradebook.db'}") as gb:
        return {sid: sorted(g.name for g in gb.find_submission_notebook(stem, assignment_of(stem), sid).grades
                            if g.needs_manual_grade)
                for sid, (stem, _) in expected.items()}


def read_scores(path, expected):
    scores = {}
    with Gradebook(f"sqlite:///{path / 'gradebook.db'}") as gb:
        for sid, (stem, _) in expected.items():
            nb = gb.find_submission_notebook(stem, assignment_of(stem), sid)
            scores[sid] = {g.name: (g.score, g.max_score) for g in nb.grades}
    return scores
