"""Fixtures that run the real nbgrader pipeline on a temporary copy of the course, and the order
pytest-xdist's workers take the test modules in. The layout of tests/ is in tests/__init__.py."""
import re
import shutil

import pytest

from tests.support.course_files import ASSIGNMENTS, ROOT, answer_cells, assignment_of, notebooks, read
from tests.support.grading import (
    autograde_in_parallel,
    fill,
    load_variants,
    nbgrader,
    read_flags,
    read_scores,
    student_id,
    write_submission,
)
from tests.support.lab_server import browser, chromium_path  # noqa: F401 (one Chromium per process, for every test)

# Test modules that take minutes (tests/browser/ counts as one), longest first as timed in a run of the
# whole suite, so that no worker is left with one of them at the end; the round trip's graded class
# (121 notebooks) is the longest. Paths are relative to tests/.
SLOW_FIRST = ("e2e/test_round_trip.py", "browser", "grader/test_pipeline.py", "e2e/adversarial/test_hostile_batch.py",
              "grader/test_shards.py", "grader/test_recorder.py", "hub/test_hub_cycle.py",
              "e2e/adversarial/test_kernel_holds_no_answer.py", "e2e/test_student_start.py", "grader/test_lms.py",
              "e2e/test_student_leaks.py", "hub/test_exchange_load.py", "e2e/test_new_lesson.py",
              "e2e/test_student_distribution.py", "grader/sandbox/test_warm.py")


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
        name = _unit(item.nodeid).removeprefix("tests/")  # e2e/test_round_trip.py, ..., or browser
        return SLOW_FIRST.index(name) if name in SLOW_FIRST else len(SLOW_FIRST)

    items.sort(key=rank)  # stable: the order within a module is kept


@pytest.fixture(scope="session")
def course(tmp_path_factory):
    """A temporary copy of the course after a real `nbgrader generate_assignment` of every assignment."""
    course = tmp_path_factory.mktemp("course")
    shutil.copytree(ROOT / "source", course / "source")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    log = "".join(nbgrader(course, "generate_assignment", assignment) for assignment in ASSIGNMENTS)
    return {"path": course, "generate_log": log}


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
    logs = autograde_in_parallel(
        [(folder, sorted({assignment_of(stem) for sid, (stem, _) in expected.items() if where[sid] == folder}))
         for folder in (path, twin)])
    halves = [{sid: e for sid, e in expected.items() if where[sid] == folder} for folder in (path, twin)]
    return {"scores": {**read_scores(path, halves[0]), **read_scores(twin, halves[1])},
            "flagged": {**read_flags(path, halves[0]), **read_flags(twin, halves[1])}, "expected": expected,
            "log": logs[path] + logs[twin], "path": path}


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL server (tests/support/postgres.py) for this test process; stopped and removed after.
    Without one (tools/install_postgres.sh) the tests that use it SKIP with the reason, and FAIL on CI."""
    from tests.support.lab_server import not_run
    from tests.support.postgres import PostgresServer, available

    ok, reason = available()
    if not ok:
        not_run("POSTGRESQL", reason)
    with PostgresServer() as server:
        yield server
