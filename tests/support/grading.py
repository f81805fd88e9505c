"""Run the real nbgrader on a copy of the course: submissions built from tests/submissions/, graded, read back."""
import copy
import importlib.util
import subprocess
import sys
import time

import nbformat
import pytest
from nbgrader.api import Gradebook

from tests.support.course_files import ROOT, answer_cells, assignment_of, env


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


def autograde_in_parallel(jobs):
    """Run ``[(course, [assignments])]`` as concurrent real `nbgrader autograde` runs (one per course
    folder, its assignments in turn); returns each course's combined log."""
    def start(course, assignment):
        return subprocess.Popen([sys.executable, "-m", "nbgrader", "autograde", assignment], cwd=course, env=env(),
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    logs = {course: "" for course, _ in jobs}
    queues = {course: list(assignments) for course, assignments in jobs}
    running = {course: start(course, queues[course].pop(0)) for course in queues if queues[course]}
    deadline = time.monotonic() + 1800
    while running:
        if time.monotonic() > deadline:
            for proc in running.values():
                proc.kill()
            pytest.fail(f"nbgrader autograde still running after 30 min in {', '.join(map(str, running))}")
        for course, proc in list(running.items()):
            try:
                out, _ = proc.communicate(timeout=1)
            except subprocess.TimeoutExpired:
                continue
            logs[course] += out
            assert proc.returncode == 0, f"nbgrader autograde failed in {course}:\n{out[-4000:]}"
            if queues[course]:
                running[course] = start(course, queues[course].pop(0))
            else:
                del running[course]
    return logs


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
