"""Fixtures that run the real nbgrader pipeline on a temporary copy of the course."""
import copy
import importlib.util
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from course_files import ASSIGNMENTS, ROOT, answer_cells, assignment_of, env, notebooks, read
from lab_server import browser, chromium_path  # noqa: F401 (one Chromium per process, for every test)
from nbgrader.api import Gradebook

# Test modules that take minutes (tests/browser/ counts as one), longest first as timed in a run of the
# whole suite, so that no worker is left with one of them at the end; the round trip's graded class
# (121 notebooks) is the longest.
SLOW_FIRST = ("test_round_trip", "browser", "test_grading_pipeline", "test_sandbox_adversarial", "test_grading_shards",
              "test_grading_resume", "test_hub_cycle", "test_kernel_holds_no_answer", "test_student_start", "test_lms",
              "test_student_leaks",
              "test_exchange_load", "test_new_lesson", "test_student_distribution", "test_warm_kernels")


def _unit(nodeid):
    """What one pytest-xdist worker runs whole: a test module, or all of tests/browser/."""
    path = nodeid.split("::", 1)[0]
    return "tests/browser" if path.startswith("tests/browser/") else path


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`make test` runs the suite in pytest-xdist workers: each module goes to one worker, so its
    module- and session-scoped fixtures (a graded class, a course copy) are built once, not once
    per worker; the browser tests all go to one worker, so they share one JupyterLab and one
    Chromium. (xdist's own ``--dist loadgroup`` cannot do the latter under pytest 9.2: it renames
    items through ``item._nodeid``, which pytest 9.2 no longer reads.)"""
    from xdist.scheduler import LoadScopeScheduling

    class ModuleScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            return _unit(nodeid)

    # Hand the units out in the order of the items (SLOW_FIRST above). xdist's default re-sorts them
    # by their number of tests, which started the one-test hub cycle last and left a worker on it alone.
    config.option.loadscopereorder = False
    return ModuleScheduling(config, log)


def pytest_collection_modifyitems(items):
    """Put the slowest units first: the workers are handed them in the order of the items."""
    def rank(item):
        name = Path(_unit(item.nodeid)).stem  # test_round_trip, ..., or browser
        return SLOW_FIRST.index(name) if name in SLOW_FIRST else len(SLOW_FIRST)

    items.sort(key=rank)  # stable: the order within a module is kept


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


def _autograde_in_parallel(jobs):
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


@pytest.fixture(scope="session")
def graded(course, tmp_path_factory):
    """Every notebook submitted as: perfect, untouched, and each variant from tests/submissions/.

    All are autograded by real `nbgrader autograde` runs, one per assignment, as an instructor would;
    to use both cores the class is split over two copies of the course graded side by side: the
    perfect and untouched students (which later tests re-grade) in ``path``, the variants shared out.
    Returns {"scores": {sid: {stem: {test grade_id: (score, max)}}}, "expected": {...}, "log": str}.
    """
    path = course["path"]
    twin = tmp_path_factory.mktemp("course-twin")
    shutil.copytree(path, twin, dirs_exist_ok=True)
    expected, where = {}, {}
    for source_path in notebooks():
        stem = source_path.stem
        release_nb = read(path / "release" / assignment_of(stem) / source_path.name)
        solutions = {c.metadata.nbgrader["grade_id"]: c.source for c in answer_cells(read(source_path))}
        cases = {"perfect": ({}, {}), "untouched": (None, None)}
        cases.update({name: (v["answers"], v["scores"]) for name, v in load_variants(stem).items()})
        for number, (name, (answers, scores)) in enumerate(cases.items()):
            assert re.fullmatch(r"[a-z0-9_]+", name), f"variant name {name!r} in {stem}"
            sid = student_id(stem, name)
            nb = release_nb if answers is None else fill(release_nb, {**solutions, **answers})
            where[sid] = path if name in ("perfect", "untouched") or number % 2 else twin
            write_submission(where[sid], sid, stem, nb)
            expected[sid] = (stem, scores)
    logs = _autograde_in_parallel(
        [(folder, sorted({assignment_of(stem) for sid, (stem, _) in expected.items() if where[sid] == folder}))
         for folder in (path, twin)])
    halves = [{sid: e for sid, e in expected.items() if where[sid] == folder} for folder in (path, twin)]
    return {"scores": {**read_scores(path, halves[0]), **read_scores(twin, halves[1])},
            "flagged": {**read_flags(path, halves[0]), **read_flags(twin, halves[1])}, "expected": expected,
            "log": logs[path] + logs[twin], "path": path}


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


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL server (tests/postgres.py) for this test process; stopped and removed after.
    Without one (tools/install_postgres.sh) the tests that use it SKIP with the reason, and FAIL on CI."""
    # Imported here: tests/test_new_lesson.py runs this conftest in a course copy without tests/postgres.py.
    from lab_server import not_run
    from postgres import PostgresServer, available

    ok, reason = available()
    if not ok:
        not_run("POSTGRESQL", reason)
    with PostgresServer() as server:
        yield server
