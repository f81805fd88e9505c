"""Nothing lost: interrupted runs resume, re-grading gives the same scores, backup/restore round-trips.

A small course copy (01_forward_pass only) and six fixture students, graded with one worker so
an interruption lands between students.
"""
import os
import signal
import sqlite3
import subprocess
import sys

import pytest

from tests.support.compare import differences, gradebook_rows, make_course_copy, nbgrader_env
from tests.support.course_files import ASSIGNMENT, ROOT
from tests.support.samples import build_class

NOTEBOOK = "01_forward_pass"
STUDENTS = {"s1": "perfect", "s2": "partial", "s3": "blank", "s4": "perfect", "s5": "tampered", "s6": "partial"}


def cmd(course, *args):
    return [sys.executable, "-m", "grader", *args, "--course-dir", str(course)]


def run(course, *args):
    return subprocess.run(cmd(course, *args), capture_output=True, text=True, env=nbgrader_env(), cwd=ROOT,
                          timeout=600)


def rows(course):
    return gradebook_rows(f"sqlite:///{course / 'gradebook.db'}", "how-networks-learn", ASSIGNMENT)


def _interrupt_after_first(course, incoming, how):
    """Start grading; after the first student is recorded, interrupt it ``how``; return (returncode, stderr)."""
    env = dict(nbgrader_env(), HNL_GRADING_TRACE="1")
    proc = subprocess.Popen(cmd(course, "grade", "--submissions", str(incoming), "--jobs", "1", "--no-report"),
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env, cwd=ROOT,
                            start_new_session=True)
    lines, worker = [], None
    for line in proc.stderr:
        lines.append(line)
        if line.startswith("trace "):
            worker = int(line.split("pid=")[1].split()[0])
        if line.startswith("grading: 1/"):  # printed once the first student is recorded
            if how == "sigint":
                os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
            else:
                os.kill(worker, signal.SIGKILL)
            break
    _, rest = proc.communicate(timeout=300)
    return proc.returncode, "".join(lines) + rest


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("resume")
    course = make_course_copy(ROOT, tmp / "course", ASSIGNMENT, [NOTEBOOK])
    incoming = build_class(tmp / "incoming", course / "release" / ASSIGNMENT, course / "source" / ASSIGNMENT,
                           STUDENTS)
    return {"course": course, "incoming": incoming, "tmp": tmp}


@pytest.mark.parametrize("how", ["sigint", "kill_worker"])
def test_interrupted_run_resumes_without_losing_grades(setup, how):
    course, incoming = setup["course"], setup["incoming"]
    if (course / "gradebook.db").exists():  # second case: start from nothing graded again
        assert run(course, "grade", "--submissions", str(incoming), "--force", "--no-report").returncode == 0
        for sid in STUDENTS:
            (incoming / sid / ASSIGNMENT / f"{NOTEBOOK}.ipynb").touch()
        state = course / "autograded" / ".grading_state.json"
        state.unlink()
    code, err = _interrupt_after_first(course, incoming, how)
    assert code in (130, 2, 3) or code < 0, err[-2000:]
    if how == "sigint":
        assert code == 130, err[-2000:]
    with sqlite3.connect(course / "gradebook.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    again = run(course, "grade", "--submissions", str(incoming), "--jobs", "2", "--no-report")
    assert again.returncode == 0, again.stderr[-2000:]
    summary = next(line for line in again.stderr.splitlines() if "submissions:" in line)
    graded = int(summary.split(":")[1].split("to grade")[0])
    assert graded < len(STUDENTS) or how == "kill_worker" and graded <= len(STUDENTS), summary
    _, totals = rows(course)
    assert set(totals) == set(STUDENTS)
    assert totals["s1"] == totals["s4"] == (4.0, 4.0) and totals["s3"] == (0.0, 4.0)


def test_grading_twice_gives_the_same_scores(setup):
    """A forced re-grade of every student changes no grade; after the tests above, the grades it compares
    with came from interrupted and resumed runs."""
    course, incoming = setup["course"], setup["incoming"]
    if not (course / "gradebook.db").exists():  # run on its own
        first = run(course, "grade", "--submissions", str(incoming), "--no-report")
        assert first.returncode == 0, first.stderr[-2000:]
    before, totals = rows(course)
    assert set(totals) == set(STUDENTS)
    second = run(course, "grade", "--submissions", str(incoming), "--force", "--no-report")
    assert second.returncode == 0, second.stderr[-2000:]
    after, _ = rows(course)
    assert differences(before, after) == []


def test_backup_and_restore(setup):
    course = setup["course"]
    if not (course / "gradebook.db").exists():
        assert run(course, "grade", "--submissions", str(setup["incoming"]), "--no-report").returncode == 0
    before, totals = rows(course)
    target = setup["tmp"] / "gb-backup.db"
    done = run(course, "backup", "--to", str(target))
    assert done.returncode == 0 and target.is_file(), done.stderr
    with sqlite3.connect(course / "gradebook.db") as db:  # a disaster: every grade wiped
        db.execute("UPDATE grade SET auto_score = NULL")
    assert rows(course)[1] != totals
    back = run(course, "restore", str(target))
    assert back.returncode == 0, back.stderr
    assert "previous one is kept" in back.stderr
    assert differences(rows(course)[0], before) == []
    assert list((course / "backups").glob("gradebook-before-restore-*.db"))
    bad = setup["tmp"] / "not-a-gradebook.db"
    bad.write_text("nope")
    refused = run(course, "restore", str(bad))
    assert refused.returncode == 2 and "not" in refused.stderr
    assert differences(rows(course)[0], before) == []
