"""Build what a student receives: the release notebooks, the course package and a `make lab` that opens them.

Usage: python tools/build_student.py DEST [--zip]      (`make student` runs it with DEST=dist --zip)

Writes DEST/how-networks-learn-student/ (and DEST/how-networks-learn-student.zip with --zip):

    release/<assignment>/*.ipynb   the committed student notebooks (outputs cleared)
    course/                        the package the notebooks import (no answers, no grading code)
    requirements.txt               the pinned runtime set
    pyproject.toml                 installs only the course package
    Makefile, README.md            `make lab`: set up .venv and start JupyterLab on release/
    jupyter_config/                the student view of nbgrader's JupyterLab extension: Assignments
                                   list and Validate, no Formgrader, Course List or Create Assignment
                                   and jupyter_config/nbgrader_config.py: course id and a local exchange only
    exchange/                      that local exchange: the released assignment, an inbound folder

Nothing of source/, grader/, tests/, the gradebook or the instructor's nbgrader_config.py is copied.
"""
import argparse
import json
import os
import shutil
import sys
import zipfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader.lessons import assignments as source_assignments  # noqa: E402 (the repository root first on sys.path)

NAME = "how-networks-learn-student"
COURSE_ID = "how-networks-learn"
# A file only this builder writes: a folder holding it may be replaced by a rebuild.
MARKER = ".how-networks-learn-student"

# nbgrader's JupyterLab plugins and server extensions that are instructor tools.
DISABLED_LAB_PLUGINS = ["@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
                        "@jupyter/nbgrader:course-list"]
# Not an instructor tool, just noise: the "get notified about Jupyter news?" toast over the first notebook.
QUIET_LAB_PLUGINS = ["@jupyterlab/apputils-extension:announcements"]
DISABLED_SERVER_EXTENSIONS = ["nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.course_list"]
# What the student uses: the Assignments panel and the Validate button (each a plugin plus a server extension).
STUDENT_LAB_PLUGINS = ["@jupyter/nbgrader:assignment-list", "@jupyter/nbgrader:validate-assignment"]
STUDENT_SERVER_EXTENSIONS = ["nbgrader.server_extensions.assignment_list",
                             "nbgrader.server_extensions.validate_assignment"]

PYPROJECT = """\
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "how-networks-learn-student"
version = "{version}"
description = "How Networks Learn: the helpers the student notebooks import."
requires-python = ">=3.11"
# Runtime dependencies are pinned in requirements.txt; this package is installed with --no-deps.
dependencies = ["numpy", "matplotlib", "ipywidgets"]

[tool.setuptools.packages.find]
include = ["course*"]

[tool.setuptools.package-data]
course = ["data/*"]  # lesson 09's digits
"""

MAKEFILE = """\
# How Networks Learn, student copy: `make lab` sets up .venv in this folder and opens the notebooks.
# Set-up is stamp-based: re-running skips installs that are already done.

PYTHON ?= python3
VENV   := $(CURDIR)/.venv
BIN    := $(VENV)/bin
# nbgrader shells out to tools in the venv's bin/, so it must be on PATH.
export PATH := $(BIN):$(PATH)

PORT ?= 8888
# Jupyter refuses to start as root (containers) unless told it is deliberate.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
# The student view of nbgrader (Assignments list and Validate; no Formgrader, Course List or Create
# Assignment) lives in jupyter_config/ here, so your own Jupyter settings elsewhere are left alone.
JUPYTER_ENV := JUPYTER_CONFIG_DIR="$(CURDIR)/jupyter_config"

.PHONY: help setup lab
help:
\t@echo "make lab    set up .venv here and start JupyterLab on the notebooks (PORT=9000 picks another port)"

$(BIN)/python:
\t$(PYTHON) -m venv $(VENV)
\t$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: $(BIN)/python requirements.txt pyproject.toml
\t$(BIN)/python -m pip install --quiet -r requirements.txt
\t$(BIN)/python -m pip install --quiet --no-deps -e .
\ttouch $@

setup: $(VENV)/.runtime

lab: setup
\t@echo "Starting JupyterLab on release/ -- open the http://127.0.0.1:$(PORT)/lab/tree/...?token=... URL printed below."
\t$(JUPYTER_ENV) $(BIN)/jupyter lab --no-browser $(ALLOW_ROOT) --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) \\
\t\t--ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=/lab/tree/release
"""

NBGRADER_CONFIG = '''\
"""nbgrader settings for the student copy: the course id and a local exchange, nothing for grading.

They let the Assignments panel list the assignment (its notebooks are in release/) and keep what
its Submit button makes inside this folder. The file sits in jupyter_config/ (JUPYTER_CONFIG_DIR of
`make lab`) because nbgrader's Assignments panel reads its settings from there, whatever folder it is in.
"""
import os

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
c.CourseDirectory.course_id = "{course_id}"
c.Exchange.root = os.path.join(here, "exchange")
c.Exchange.cache = os.path.join(here, "exchange", "cache")
c.Exchange.assignment_dir = os.path.join(here, "release")
'''

README = """\
# How Networks Learn: student copy

A notebook course on how a neural network learns: the forward pass, the loss, backpropagation,
gradient descent and the training loop, then a hidden layer, with sliders to play with and exercises
that check your answers.
This folder is everything you need; it holds no answers.

## Start

You need Python 3.11, `pip` and `make`. Everything else installs into `.venv/` in this folder.

```bash
make lab    # set up .venv (first time only) and start JupyterLab on the notebooks
```

Open the `http://127.0.0.1:8888/lab/tree/...?token=...` address it prints (the server only listens on your
own machine). `make lab PORT=9000` picks another port. Stop it with Ctrl+C.

## Working through the notebooks

1. JupyterLab opens in `release/`; the notebooks are in {folders}. Start with `01_forward_pass.ipynb` in
   `{first}/` and go in order.
2. Run cells from top to bottom with **Shift+Enter**. Drag the sliders: they redraw as you move them.
3. Exercises are marked **Exercise** with their points. Write your answer in the cell that says
   `raise NotImplementedError()` (or that has `___` blanks / a `"?"` placeholder) and run it.
4. Run the **test cell** under it. A line starting with ✔ means that check passed; otherwise the message
   says what was expected, what your code returned, and gives a hint. Some checks are hidden and only run
   when your work is graded, so make your code correct in general, not just for the examples shown.
5. Before you hand in, press **Validate** in the notebook toolbar: it runs the whole notebook and tells you
   if anything fails. **Nbgrader → Assignment List** shows the assignment and its notebooks too.
6. Save, then hand in the `.ipynb` files from `release/<assignment>/` as your instructor says. (The
   Assignment List's **Submit** button only keeps a dated copy in `exchange/` inside this folder.)
"""


def fail(message):
    print(f"build_student: {message}", file=sys.stderr)
    sys.exit(2)


def check_dest(dest):
    """Refuse a destination inside source/ or release/ (or the repository's .git)."""
    for forbidden in ("source", "release", ".git"):
        if dest == ROOT / forbidden or (ROOT / forbidden) in dest.parents:
            fail(f"refusing to write into {dest}: it is inside the repository's {forbidden}/ "
                 "(choose a folder such as dist/)")


def assignments():
    """The course's assignments (folders of source/), each with its notebooks in release/."""
    found = source_assignments(ROOT)
    missing = [name for name in found if not any((ROOT / "release" / name).glob("*.ipynb"))]
    if not found or missing:
        fail(f"release/{(missing or ['<assignment>'])[0]}/ has no notebooks: run `make release` first")
    return found


def copy_notebook(src, dst):
    """Copy a release notebook; clear any output that slipped in (committed ones have none)."""
    nb = nbformat.read(src, as_version=4)
    dirty = False
    for cell in nb.cells:
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None):
            cell.outputs, cell.execution_count, dirty = [], None, True
    if dirty:
        nbformat.write(nb, dst)
    else:
        shutil.copyfile(src, dst)


def write_json(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n")


def build(dest):
    out = dest / NAME
    if out.exists():
        if not (out / MARKER).exists():
            fail(f"{out} exists and was not made by this script: move it away first")
        shutil.rmtree(out)
    out.mkdir(parents=True)

    names = assignments()
    for name in names:
        (out / "release" / name).mkdir(parents=True)
        for nb in sorted((ROOT / "release" / name).glob("*.ipynb")):
            copy_notebook(nb, out / "release" / name / nb.name)
        # The local exchange: the assignment "released" so the Assignments panel lists it.
        shutil.copytree(out / "release" / name, out / "exchange" / COURSE_ID / "outbound" / name)
    (out / "exchange" / COURSE_ID / "inbound").mkdir(parents=True)

    shutil.copytree(ROOT / "course", out / "course",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints"))
    shutil.copyfile(ROOT / "requirements.txt", out / "requirements.txt")
    from course import __version__
    (out / "pyproject.toml").write_text(PYPROJECT.format(version=__version__))
    (out / "Makefile").write_text(MAKEFILE)
    (out / "README.md").write_text(README.format(first=names[0], folders=", ".join(f"`{n}/`" for n in names)))
    # The student view, read by `make lab` through JUPYTER_CONFIG_DIR=jupyter_config: the same settings
    # `jupyter labextension disable` and `jupyter server extension disable` would write, kept in this folder.
    config = out / "jupyter_config"
    write_json(config / "labconfig" / "page_config.json",
               {"disabledExtensions": {plugin: True for plugin in DISABLED_LAB_PLUGINS + QUIET_LAB_PLUGINS}})
    (config / "nbgrader_config.py").write_text(NBGRADER_CONFIG.format(course_id=COURSE_ID))
    write_json(config / "jupyter_server_config.json",
               {"ServerApp": {"jpserver_extensions": {
                   **{ext: False for ext in DISABLED_SERVER_EXTENSIONS},
                   **{ext: True for ext in STUDENT_SERVER_EXTENSIONS}}}})
    (out / MARKER).write_text("Built by tools/build_student.py; a rebuild replaces this folder.\n")
    return out


def make_zip(out):
    archive = out.with_suffix(".zip")
    archive.unlink(missing_ok=True)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for dirpath, dirnames, filenames in os.walk(out):
            dirnames.sort()
            here = Path(dirpath)
            rel = here.relative_to(out.parent)
            if not filenames and not dirnames:  # keep empty folders (exchange/.../inbound)
                zf.writestr(f"{rel.as_posix()}/", "")
            for filename in sorted(filenames):
                zf.write(here / filename, (rel / filename).as_posix())
    return archive


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dest", type=Path, help="folder to write how-networks-learn-student/ into")
    parser.add_argument("--zip", action="store_true", help="also write how-networks-learn-student.zip next to it")
    args = parser.parse_args(argv)
    dest = args.dest.resolve()
    check_dest(dest)
    out = build(dest)
    print(f"student distribution: {out}")
    if args.zip:
        print(f"student archive:      {make_zip(out)}")


if __name__ == "__main__":
    main()
