"""30 students fetch and submit at the same moment through the class's exchange, as their servers do.

Each student is a Unix user of their own running what their server's Assignments panel runs on Fetch
and Submit (exchange_student.py, which forks the thirty from one process), with a mark of their own in
every notebook. Every submission in the exchange must be the student's own (their uid). The instructor
then collects: every submission must arrive complete (every notebook), once, and carry its own
student's mark and nobody else's. The wall time is printed and written to artifacts/hub_exchange_load.txt.
Then three of them do the same with every other assignment of the course (networks_at_work, in numpy):
the class's release and collect are not tied to the first one.
"""
import json
import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

from grader.lessons import assignments

from .hubclass import ASSIGNMENT, COURSE_ID, ROOT, deploy, user

pytestmark = pytest.mark.hub

TEACHER = user("l", "teacher")
STUDENTS = [user("l", f"s{number:02d}") for number in range(1, 31)]


def exchange_round(klass, assignment, students):
    """The teacher releases ``assignment``; ``students`` fetch and submit at once (as their servers do); the
    teacher collects. Asserts every submission is the student's own, complete, once. Returns (notebooks, wall s)."""
    klass.run_as(TEACHER, ["python", "-m", "nbgrader", "release_assignment", assignment], cwd=klass.course)
    released = sorted(p.name for p in (klass.exchange / COURSE_ID / "outbound" / assignment).glob("*.ipynb"))
    assert released == sorted(p.name for p in (ROOT / "release" / assignment).glob("*.ipynb")), released
    script = klass.root / "exchange_student.py"
    shutil.copy(Path(__file__).with_name("exchange_student.py"), script)
    marks = {student: secrets.token_hex(8) for student in students}
    listing = klass.root / f"students-{assignment}.json"
    listing.write_text(json.dumps([{"user": s, "mark": f"{s}:{marks[s]}", "env": klass.environment(s)}
                                   for s in students]))
    logs = Path(tempfile.mkdtemp(prefix="exchange-load-"))  # root's: the students cannot read each other's

    # One process as root in the class's Python forks the students, each becoming its own user.
    started = time.perf_counter()
    done = subprocess.run([klass.env / "bin" / "python", script, COURSE_ID, assignment, listing, logs],
                          cwd=klass.root, env={"PATH": deploy.class_path(klass.env), "LANG": "C.UTF-8"},
                          capture_output=True, text=True, timeout=600)
    wall = time.perf_counter() - started
    assert done.returncode == 0, done.stdout + done.stderr
    status = json.loads(done.stdout)
    assert sorted(status) == sorted(students)
    for student in students:
        assert status[student] == 0, f"{student} could not fetch and submit:\n{(logs / f'{student}.log').read_text()}"
    shutil.rmtree(logs)

    inbound = sorted(p.name for p in (klass.exchange / COURSE_ID / "inbound").iterdir() if f"+{assignment}+" in p.name)
    assert sorted(name.split("+")[0] for name in inbound) == sorted(students), inbound  # each once
    for name in inbound:  # written by the student's own process, not by root
        owner = (klass.exchange / COURSE_ID / "inbound" / name).stat().st_uid
        assert owner == pwd.getpwnam(name.split("+")[0]).pw_uid, name
    klass.run_as(TEACHER, ["python", "-m", "nbgrader", "collect", assignment], cwd=klass.course)
    for student in students:
        folder = klass.course / "submitted" / student / assignment
        got = sorted(p.name for p in folder.glob("*.ipynb"))
        assert got == released, (student, got)
        for name in got:
            notebook = nbformat.read(folder / name, as_version=4)  # complete: it parses
            assert notebook.metadata.get("load_test_mark") == f"{student}:{marks[student]} {name}", (student, name)
            released_cells = nbformat.read(ROOT / "release" / assignment / name, as_version=4).cells
            assert len(notebook.cells) == len(released_cells), (student, name)
    return released, wall


def test_thirty_students_fetch_and_submit_at_once(hub_class_factory):
    klass = hub_class_factory([(TEACHER, "instructor"), *((s, "student") for s in STUDENTS)])
    released, wall = exchange_round(klass, ASSIGNMENT, STUDENTS)
    report = (f"{len(STUDENTS)} students fetched and submitted {ASSIGNMENT} ({len(released)} notebooks) at once "
              f"through the exchange: all done in {wall:.1f} s on {os.cpu_count()} cores; "
              "every submission collected complete, once, with its own mark.")
    print(report)
    (ROOT / "artifacts").mkdir(exist_ok=True)
    (ROOT / "artifacts" / "hub_exchange_load.txt").write_text(report + "\n")
    for other in assignments():
        if other != ASSIGNMENT:
            exchange_round(klass, other, STUDENTS[:3])
