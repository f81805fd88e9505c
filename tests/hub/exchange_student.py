"""One student of the exchange load test: Fetch, then Submit, as their server's Assignments panel does.

Runs as the student, in the class's environment, from their home. It configures nbgrader's exchange
classes exactly as nbgrader's assignment_list server extension does (its handlers.py), so it runs the
code a real student's server runs. Between the two it marks every notebook with ``mark`` (in its
metadata), so the test can tell whose work reached the instructor.

    python exchange_student.py <course_id> <assignment_id> <mark>
"""
import os
import sys

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


def main(course_id, assignment_id, mark):
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


if __name__ == "__main__":
    main(*sys.argv[1:4])
