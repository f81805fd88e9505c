"""Hostile and broken submissions graded in ONE batch with honest students (tests/adversarial/cases.py).

One `python -m course.grading grade --skip-invalid` run over a course copy holding only
01_forward_pass (Execute.timeout lowered to 5 s for speed). For every case: the batch finishes,
the honest students get exactly their scores, the hostile submission earns nothing beyond what
its answers earn, the gradebook and the course files are intact, and the class report names it.
"""
import hashlib
import socket
import sqlite3
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook, MissingEntry

from course.grading.compare import make_course_copy, nbgrader_env

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "adversarial"))
from cases import ASSIGNMENT, CASES, HONEST, LEGIT, NOTEBOOK, build_corpus  # noqa: E402

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
    course = make_course_copy(ROOT, tmp / "course", ASSIGNMENT, [NOTEBOOK])
    with open(course / "nbgrader_config.py", "a") as handle:
        handle.write("\nc.Execute.timeout = 5  # test course copy only: the infinite loop ends sooner\n")
    (course / "SECRET_canary.txt").write_text("instructor only")
    listener = Listener()
    listener.start()
    incoming = build_corpus(tmp / "incoming", ROOT, listener.port)
    before = {"source": _tree_hash(course / "source"), "config": _tree_hash(course)}
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "course.grading", "grade", "--course-dir", str(course),
                          "--submissions", str(incoming), "--jobs", "2", "--skip-invalid"],
                         capture_output=True, text=True, env=nbgrader_env(), cwd=ROOT, timeout=600)
    seconds = time.perf_counter() - started
    listener.stop = True
    scores = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "how-networks-learn") as gb:
        for sid in [*HONEST, *CASES]:
            try:
                scores[sid] = gb.find_submission_notebook(NOTEBOOK, ASSIGNMENT, sid).score
            except MissingEntry:
                scores[sid] = None
    return {"course": course, "run": run, "scores": scores, "listener": listener, "before": before,
            "seconds": seconds, "incoming": incoming}


def _outputs(course, sid):
    path = course / "autograded" / sid / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    nb = nbformat.read(path, as_version=4)
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))


def test_batch_finishes(batch):
    run = batch["run"]
    assert run.returncode == 1, run.stderr[-3000:]  # some hostile ones are not graded / skipped
    assert "Traceback" not in run.stderr
    assert "sandbox: bwrap ok" in run.stderr
    assert batch["seconds"] < 240, batch["seconds"]


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


@pytest.mark.parametrize("case", sorted(CASES))
def test_report_names_the_problem(batch, case):
    report = (batch["course"] / "reports" / "class_report.html").read_text()
    rows = [r for r in report.split("<tr>") if f"<td>{case}</td>" in r]
    assert rows, f"{case} is not listed in the report"
    keyword = CASES[case][2]
    assert any(keyword in r for r in rows), (case, keyword, rows)
