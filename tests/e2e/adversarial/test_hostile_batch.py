"""Hostile and broken submissions graded in ONE batch with honest students (tests/e2e/adversarial/cases.py).

One `python -m grader grade --skip-invalid` run over a course copy (Execute.timeout lowered to
15 s for speed). For every case: the batch finishes, the honest students get exactly their
scores, the hostile submission earns nothing beyond what its answers earn, the gradebook and the
course files are intact, and the class report names it. The cases that fake a pass from inside
the kernel are graded a second time by plain `nbgrader autograde` (the course's nbgrader_config.py
alone): the same outcome must hold there. Students who look for answers in the kernel, or lean on the
course's own code, are tests/e2e/adversarial/test_kernel_holds_no_answer.py's.
"""
import hashlib
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook, MissingEntry

from grader.preprocessors.confirm_answers import HIDDEN_CHECK, NOT_CONFIRMED
from tests.e2e.adversarial.cases import ASSIGNMENT, CASES, FAKES, HONEST, LEGIT, NOTEBOOK, build_corpus
from tests.support.compare import make_course_copy, nbgrader_env
from tests.support.course_files import ROOT

COURSE_ID = "how-networks-learn"
# The fakes whose wrong answers pass the (faked) checks inside the kernel: only the grader's
# confirmation outside it stands between them and 4/4.
FAKED_PASSES = sorted(set(FAKES) - {"shadowed_builtins"})

pytestmark = pytest.mark.skipif(not shutil.which("bwrap"), reason="bubblewrap not installed")


def _tree_hash(folder):
    digest = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()


class Listener(threading.Thread):
    """A TCP server on the grader's loopback: the network case must not reach it."""

    def __init__(self):
        super().__init__(daemon=True)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.5)
        self.port = self.sock.getsockname()[1]
        self.received, self.stop = [], False

    def run(self):
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.received.append(conn.recv(100) or b"<connected>")
            conn.close()


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("adversarial")
    course = make_course_copy(ROOT, tmp / "course", ASSIGNMENT)
    with open(course / "nbgrader_config.py", "a") as handle:
        # Test course copy only: the infinite loop ends sooner. Not lower: the memory bomb must fill
        # 1 GiB before it meets the limit (0.9 s alone, over 5 s once under a parallel suite's load).
        handle.write("\nc.Execute.timeout = 15\n")
    (course / "SECRET_canary.txt").write_text("instructor only")
    listener = Listener()
    listener.start()
    incoming = build_corpus(tmp / "incoming", ROOT, listener.port)
    before = {"source": _tree_hash(course / "source"), "config": _tree_hash(course)}
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "grader", "grade", "--course-dir", str(course),
                          "--submissions", str(incoming), "--jobs", "2", "--skip-invalid"],
                         capture_output=True, text=True, env=nbgrader_env(), cwd=ROOT, timeout=600)
    seconds = time.perf_counter() - started
    listener.stop = True
    return {"course": course, "run": run, "scores": _scores(course, [*HONEST, *CASES]), "listener": listener,
            "before": before, "seconds": seconds, "incoming": incoming}


def _scores(course, students):
    scores = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gb:
        for sid in students:
            try:
                scores[sid] = gb.find_submission_notebook(NOTEBOOK, ASSIGNMENT, sid).score
            except MissingEntry:
                scores[sid] = None
    return scores


def _grades(course, sid, notebook=NOTEBOOK):
    """{test cell: (auto_score, needs_manual_grade)} and the answer comments of one notebook."""
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gb:
        nb = gb.find_submission_notebook(notebook, ASSIGNMENT, sid)
        return ({g.name: (g.auto_score, g.needs_manual_grade) for g in nb.grades},
                {c.name: c.auto_comment for c in nb.comments}, (nb.score, nb.max_score))


@pytest.fixture(scope="module")
def stock(tmp_path_factory):
    """The fakes and the honest students, graded by plain `nbgrader autograde`."""
    tmp = tmp_path_factory.mktemp("adversarial-stock")
    course = make_course_copy(ROOT, tmp / "course", ASSIGNMENT)
    build_corpus(course / "submitted", ROOT, 9, names={*FAKES, "aimed_at_tests"})
    env = nbgrader_env()
    for args in (["generate_assignment", ASSIGNMENT, "--force", f"--CourseDirectory.release_directory={tmp}/rel"],
                 ["autograde", ASSIGNMENT]):
        run = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                             capture_output=True, text=True, timeout=900)
    return {"course": course, "run": run}


def _outputs(course, sid):
    path = course / "autograded" / sid / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    nb = nbformat.read(path, as_version=4)
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))


def test_batch_finishes(batch):
    run = batch["run"]
    assert run.returncode == 1, run.stderr[-3000:]  # some hostile ones are not graded / skipped
    assert "Traceback" not in run.stderr
    assert "sandbox: bwrap ok" in run.stderr
    # a guard against a hang, not a speed test: every hostile notebook is cut off by its timeouts
    # (about two minutes alone; `make test` runs other modules beside it)
    assert batch["seconds"] < 420, batch["seconds"]


def test_honest_students_unaffected(batch):
    for sid, want in HONEST.items():
        assert batch["scores"][sid] == want, (sid, batch["scores"][sid])


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_earns_nothing_extra(batch, case):
    score = batch["scores"][case] or 0.0
    assert score <= LEGIT[case], (case, score)


def test_gradebook_and_course_intact(batch):
    course = batch["course"]
    with sqlite3.connect(course / "gradebook.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        students = {r[0] for r in db.execute("SELECT id FROM student")}
    assert set(HONEST) <= students
    assert _tree_hash(course / "source") == batch["before"]["source"]
    assert (course / "SECRET_canary.txt").read_text() == "instructor only"
    for sid in HONEST:
        assert (course / "submitted" / sid / ASSIGNMENT / f"{NOTEBOOK}.ipynb").is_file()
        assert (course / "feedback" / sid / ASSIGNMENT / f"{NOTEBOOK}.html").is_file()


def test_sandbox_hid_the_course_and_the_network(batch):
    course = batch["course"]
    assert "FOUND []" in _outputs(course, "read_source")
    wreck = _outputs(course, "wreck_files")
    assert "FOUND []" in wreck and "DELETED" not in wreck and "WROTE ../../../gradebook.db" not in wreck
    assert "NO NETWORK" in _outputs(course, "network")
    assert batch["listener"].received == []
    big = course / "autograded" / "big_print" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    assert big.stat().st_size < 3_000_000


@pytest.mark.parametrize("case", sorted(c for c in CASES if CASES[c][2]))
def test_report_names_the_problem(batch, case):
    report = (batch["course"] / "reports" / ASSIGNMENT / "class_report.html").read_text()
    rows = [r for r in report.split("<tr>") if f"<td>{case}</td>" in r]
    assert rows, f"{case} is not listed in the report"
    keyword = CASES[case][2]
    assert any(keyword in r for r in rows), (case, keyword, rows)


def _judged(course, sid, ename, notebook=NOTEBOOK):
    """The test cells of a graded notebook whose outputs carry the grader's verdict ``ename``."""
    path = course / "autograded" / sid / ASSIGNMENT / f"{notebook}.ipynb"
    nb = nbformat.read(path, as_version=4)
    return [c.metadata.nbgrader["grade_id"] for c in nb.cells if c.cell_type == "code"
            and any(o.get("ename") == ename for o in c.get("outputs", []))]


def _check_fake(course, case):
    grades, comments, (score, _) = _grades(course, case)
    assert score == 0.0, (case, grades)
    if case in FAKED_PASSES:
        # Every test cell passed inside the kernel; the grader's judge, outside it, failed each one as a
        # wrong answer (a failed hidden check, named in the comment), without withholding anything.
        assert sorted(_judged(course, case, HIDDEN_CHECK)) == sorted(grades), case
        assert _judged(course, case, NOT_CONFIRMED) == []
        assert all((comments.get(answer) or "").startswith("A hidden check failed:")
                   for answer in ("neuron_output", "quiz_first_guess")), comments


@pytest.mark.parametrize("case", sorted(FAKES))
def test_fake_passes_fail_the_hidden_checks_under_make_grade(batch, case):
    _check_fake(batch["course"], case)


@pytest.mark.parametrize("case", sorted(FAKES))
def test_fake_passes_fail_the_hidden_checks_under_plain_autograde(stock, case):
    assert "Traceback" not in stock["run"].stdout
    _check_fake(stock["course"], case)


def _check_aimed(course):
    grades, comments, _ = _grades(course, "aimed_at_tests")
    # Right on up to 6 inputs (test_neuron_output's questions), wrong on more: only the any-length check fails.
    assert grades["test_neuron_output"] == (2.0, False) and grades["test_neuron_output_any_length"] == (0.0, False)
    assert _judged(course, "aimed_at_tests", HIDDEN_CHECK) == ["test_neuron_output_any_length"]
    assert "test_neuron_output_any_length: neuron_output(" in comments["neuron_output"]


def test_answer_aimed_at_the_tests_fails_where_it_is_wrong_under_make_grade(batch):
    _check_aimed(batch["course"])


def test_answer_aimed_at_the_tests_fails_where_it_is_wrong_under_plain_autograde(stock):
    _check_aimed(stock["course"])


def test_honest_students_unaffected_under_plain_autograde(stock):
    scores = _scores(stock["course"], HONEST)
    assert scores == HONEST
    for sid in HONEST:
        assert _judged(stock["course"], sid, NOT_CONFIRMED) == []
        assert not any(flag for _, flag in _grades(stock["course"], sid)[0].values())
