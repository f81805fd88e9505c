"""The students of the exchange load test: each Fetches, then Submits, as their server's Assignments panel does.

Each student runs what their server runs, as their own Unix user, from their home, with their server's
environment. It configures nbgrader's exchange classes exactly as nbgrader's assignment_list server
extension does (its handlers.py), so it runs the code a real student's server runs. Between the two it
marks every notebook with the student's mark (in its metadata), so the test can tell whose work reached
the instructor.

    python exchange_student.py <course_id> <assignment_id> <students.json> <log folder>

Started as root in the class's environment: it imports nbgrader once, then forks one process per student,
all at once, each of which becomes that student (groups, gid, uid), takes their environment and home, and
runs the exchange. (A fresh interpreter per student spent a second of CPU each on importing nbgrader,
which is not what the test measures.) ``students.json`` is ``[{"user", "mark", "env"}]``; each student's
output goes to ``<log folder>/<user>.log``. Prints ``{user: exit status}`` as JSON.
"""
import json
import os
import pwd
import sys
import traceback

import nbformat
from jupyter_core.paths import jupyter_config_path
from nbgrader.apps import NbGrader
from nbgrader.auth import Authenticator
from nbgrader.coursedir import CourseDirectory
from nbgrader.exchange import ExchangeFactory


def server_config(course_id, assignment_id):
    paths = jupyter_config_path()
    paths.insert(0, os.getcwd())
    app = NbGrader()
    app.config_file_paths.append(paths)
    app.load_config_file()
    app.config.CourseDirectory.course_id = course_id
    app.config.CourseDirectory.assignment_id = assignment_id
    return app.config


def exchange(action, config):
    """FetchAssignment or Submit, built as the server extension builds it."""
    made = getattr(ExchangeFactory(config=config), action)
    made(coursedir=CourseDirectory(config=config), authenticator=Authenticator(config=config), config=config).start()


def fetch_and_submit(course_id, assignment_id, mark):
    config = server_config(course_id, assignment_id)
    exchange("FetchAssignment", config)
    folder = os.path.join(course_id, assignment_id)
    for name in sorted(os.listdir(folder)):
        if name.endswith(".ipynb"):
            path = os.path.join(folder, name)
            notebook = nbformat.read(path, as_version=4)
            notebook.metadata["load_test_mark"] = f"{mark} {name}"
            nbformat.write(notebook, path)
    exchange("Submit", config)


def become(user, env):
    """This process as ``user`` logs in: their groups, gid and uid (for good), environment and home."""
    account = pwd.getpwnam(user)
    os.initgroups(user, account.pw_gid)
    os.setgid(account.pw_gid)
    os.setuid(account.pw_uid)
    os.environ.clear()
    os.environ.update(env)
    os.chdir(account.pw_dir)


def student(course_id, assignment_id, entry, log):
    """The child process for one student: never returns."""
    code = 1
    try:
        descriptor = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(descriptor, 1)
        os.dup2(descriptor, 2)
        sys.stdout = os.fdopen(1, "w", buffering=1)
        sys.stderr = os.fdopen(2, "w", buffering=1)
        become(entry["user"], entry["env"])
        fetch_and_submit(course_id, assignment_id, entry["mark"])
        code = 0
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def main(course_id, assignment_id, students_file, logs):
    with open(students_file) as handle:
        students = json.load(handle)
    children = {}
    for entry in students:
        pid = os.fork()
        if pid == 0:
            student(course_id, assignment_id, entry, os.path.join(logs, f"{entry['user']}.log"))
        children[pid] = entry["user"]
    status = {}
    while children:
        pid, wait_status = os.wait()
        status[children.pop(pid)] = os.waitstatus_to_exitcode(wait_status)
    print(json.dumps(status))


if __name__ == "__main__":
    main(*sys.argv[1:5])
