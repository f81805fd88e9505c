"""While grading, the student's kernel holds no answer and no oracle; no student can stop another's grading.

The students of tests/e2e/adversarial/attacks.py are graded twice, side by side: by `python -m grader grade
--jobs 1` (one worker, so the trap's student is graded right before its victim, by the same warm sandbox)
and by plain `nbgrader autograde` with the course's nbgrader_config.py. Under both, every attack earns
nothing beyond the wrong answer it falls back on, every exercise it does not attack keeps its marks,
the trap changes none of the sandbox's folders, and the student graded after it gets full marks.
"""
import shutil
import subprocess
import sys
import time

import nbformat
import pytest
from nbgrader.api import Gradebook, MissingEntry

from tests.e2e.adversarial.attacks import HNL, build
from tests.support.compare import make_course_copy, nbgrader_env
from tests.support.course_files import ROOT

MODES = ("make grade", "nbgrader autograde")

pytestmark = pytest.mark.skipif(not shutil.which("bwrap"), reason="bubblewrap not installed")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """{mode: {"course": folder, "log": output, "lost": what each student must score 0 on}}, both graded at once."""
    runs = {}
    for mode in MODES:
        tmp = tmp_path_factory.mktemp(mode.split()[0])
        course = make_course_copy(ROOT, tmp / "course", HNL)
        if mode == "make grade":
            incoming = tmp / "incoming"
            lost = build(incoming)
            command = [sys.executable, "-m", "grader", "grade", "--course-dir", str(course), "--submissions",
                       str(incoming), "--jobs", "1"]
        else:
            lost = build(course / "submitted")
            generate = subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", HNL, "--force",
                                       f"--CourseDirectory.release_directory={tmp}/release"],
                                      cwd=course, env=nbgrader_env(), capture_output=True, text=True, timeout=600)
            assert generate.returncode == 0, generate.stderr[-3000:]
            command = [sys.executable, "-m", "nbgrader", "autograde", HNL]
        runs[mode] = {"course": course, "lost": lost,
                      "proc": subprocess.Popen(command, cwd=course if mode != "make grade" else ROOT,
                                               env=nbgrader_env(), stdout=subprocess.PIPE,
                                               stderr=subprocess.STDOUT, text=True)}
    deadline = time.monotonic() + 900
    for run in runs.values():
        run["log"], _ = run.pop("proc").communicate(timeout=max(1, deadline - time.monotonic()))
    return runs


def _grades(course, sid, stem):
    """{test cell: (score, max score, needs manual grade)} of one graded notebook (None: not graded)."""
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        try:
            nb = gb.find_submission_notebook(stem, HNL, sid)
        except MissingEntry:
            return None
        return {g.name: (g.score, g.max_score, g.needs_manual_grade) for g in nb.grades}


def _outputs(course, sid, stem):
    nb = nbformat.read(course / "autograded" / sid / HNL / f"{stem}.ipynb", as_version=4)
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))


@pytest.mark.parametrize("mode", MODES)
def test_every_run_finishes(graded, mode):
    run = graded[mode]
    assert "Traceback" not in run["log"], run["log"][-3000:]
    assert "NOT GRADED" not in run["log"], run["log"][-3000:]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("sid", ["thief", "frame_thief", "reaimed", "seal_breaker"])
def test_an_attack_earns_nothing_and_costs_only_its_exercise(graded, mode, sid):
    """Does each attacked exercise score 0, and every other exercise of that student full marks?"""
    course, lost = graded[mode]["course"], graded[mode]["lost"][sid]
    for stem, zeroed in lost.items():
        grades = _grades(course, sid, stem)
        assert grades is not None, f"{sid} {stem} was not graded"
        assert zeroed, f"{sid} {stem}: the attack hit no test cell"
        got = {cell: score for cell, (score, _, _) in grades.items()}
        want = {cell: (0.0 if cell in zeroed else top) for cell, (_, top, _) in grades.items()}
        assert got == want, f"{sid} {stem}"


@pytest.mark.parametrize("mode", MODES)
def test_nothing_was_there_to_steal(graded, mode):
    """The thieves ran (their hooks were called on every test cell) and found neither key nor reference."""
    course = graded[mode]["course"]
    for stem in graded[mode]["lost"]["thief"]:
        autograded = nbformat.read(course / "autograded" / "thief" / HNL / f"{stem}.ipynb", as_version=4)
        tests = [c for c in autograded.cells if c.metadata.get("nbgrader", {}).get("grade")
                 and not c.metadata.nbgrader.get("solution")]
        hidden = [c.source.partition("### BEGIN HIDDEN TESTS")[2].partition("### END HIDDEN TESTS")[0]
                  for c in tests]
        code = [line for region in hidden for line in region.splitlines() if line.strip() and
                not line.strip().startswith("#")]
        assert code == [], f"the kernel was handed hidden test code in {stem}: {code[:3]}"


@pytest.mark.parametrize("mode", MODES)
def test_the_trap_moved_none_of_the_sandbox_folders(graded, mode):
    """The trap ran at the end of its student's last notebook, and every rename, replacement and link failed."""
    course = graded[mode]["course"]
    printed = _outputs(course, "a_trap", "05_training_loop")
    tried = dict(item.split(": ") for item in printed.split("TRAP ", 1)[1].splitlines()[0].split(" | "))
    for what in ("rename sockets", "replace sockets", "link beside sockets", "rename work", "replace work"):
        assert tried[what] != "done", (what, tried)
    assert _grades(course, "a_trap", "05_training_loop") is not None


@pytest.mark.parametrize("mode", MODES)
def test_the_student_after_the_trap_gets_full_marks(graded, mode):
    course = graded[mode]["course"]
    for stem in graded[mode]["lost"]["b_victim"]:
        grades = _grades(course, "b_victim", stem)
        assert grades is not None, f"b_victim {stem} was not graded"
        assert all(score == top and not flagged for score, top, flagged in grades.values()), (stem, grades)
