"""30 students fetch and submit at the same moment through the class's exchange, as their servers do.

Each student is a Unix user of their own running what their server's Assignments panel runs on Fetch
and Submit (exchange_student.py), with a mark of their own in every notebook. The instructor then
collects: every submission must arrive complete (every notebook), once, and carry its own student's
mark and nobody else's. The wall time is printed and written to artifacts/hub_exchange_load.txt.
"""
import os
import secrets
import shutil
import subprocess
import time
from pathlib import Path

import nbformat
import pytest

from .hubclass import ASSIGNMENT, COURSE_ID, ROOT

pytestmark = pytest.mark.hub

TEACHER = "hnll-teacher"
STUDENTS = [f"hnll-s{number:02d}" for number in range(1, 31)]


def test_thirty_students_fetch_and_submit_at_once(hub_class_factory):
    klass = hub_class_factory([(TEACHER, "instructor"), *((s, "student") for s in STUDENTS)])
    klass.run_as(TEACHER, ["python", "-m", "nbgrader", "release_assignment", ASSIGNMENT], cwd=klass.course)
    released = sorted(p.name for p in (klass.exchange / COURSE_ID / "outbound" / ASSIGNMENT).glob("*.ipynb"))
    assert len(released) == 5, released
    script = klass.root / "exchange_student.py"
    shutil.copy(Path(__file__).with_name("exchange_student.py"), script)
    script.chmod(0o644)
    marks = {student: secrets.token_hex(8) for student in STUDENTS}

    started = time.perf_counter()
    running = {student: subprocess.Popen(klass.command_as(student, ["python", script, COURSE_ID, ASSIGNMENT,
                                                                    f"{student}:{marks[student]}"]),
                                         cwd=klass.home(student), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                         text=True)
               for student in STUDENTS}
    finished = {}
    for student, proc in running.items():
        output, _ = proc.communicate(timeout=600)
        finished[student] = time.perf_counter() - started
        assert proc.returncode == 0, f"{student} could not fetch and submit:\n{output[-3000:]}"
    wall = max(finished.values())

    inbound = sorted(p.name for p in (klass.exchange / COURSE_ID / "inbound").iterdir())
    assert sorted(name.split("+")[0] for name in inbound) == STUDENTS, inbound  # each once
    klass.run_as(TEACHER, ["python", "-m", "nbgrader", "collect", ASSIGNMENT], cwd=klass.course)
    for student in STUDENTS:
        folder = klass.course / "submitted" / student / ASSIGNMENT
        got = sorted(p.name for p in folder.glob("*.ipynb"))
        assert got == released, (student, got)
        for name in got:
            notebook = nbformat.read(folder / name, as_version=4)  # complete: it parses
            assert notebook.metadata.get("load_test_mark") == f"{student}:{marks[student]} {name}", (student, name)
            assert len(notebook.cells) > 10, (student, name)

    report = (f"{len(STUDENTS)} students fetched and submitted {ASSIGNMENT} ({len(released)} notebooks) at once "
              f"through the exchange: all done in {wall:.1f} s on {os.cpu_count()} cores; "
              "every submission collected complete, once, with its own mark.")
    print(report)
    (ROOT / "artifacts").mkdir(exist_ok=True)
    (ROOT / "artifacts" / "hub_exchange_load.txt").write_text(report + "\n")
