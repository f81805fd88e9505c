"""Build what a student receives: the release notebooks, the course package and a `start.py` that opens them.

Usage: python tools/build_student.py DEST [--zip]      (`make student` runs it with DEST=dist --zip)

Writes DEST/how-networks-learn-student/ (and DEST/how-networks-learn-student.zip with --zip):

    release/<assignment>/*.ipynb   the committed student notebooks (outputs cleared)
    release/START_HERE.md          the order of the folders (the file browser lists them A-Z), with links
    course/                        the package the notebooks import (no answers, no grading code)
    requirements.txt               the pinned runtime set
    pyproject.toml                 installs only the course package
    start.py, README.md            `python start.py`: set up .venv (once) and start JupyterLab on release/
                                   (tools/student_start.py; standard library only, Python 3.11-3.13)
    Makefile                       `make lab` for those who have make: runs start.py
    jupyter_config/                the student view of nbgrader's JupyterLab extension: Assignments
                                   list and Validate, no Formgrader, Course List or Create Assignment;
                                   jupyter_config/nbgrader_config.py: course id and a local exchange only;
                                   jupyter_config/lab/user-settings/: JupyterLab's settings for the course
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
# The plugin whose defaultViewers setting says how JupyterLab opens a file type.
MARKDOWN_PLUGIN = "@jupyterlab/docmanager-extension:plugin"
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
# How Networks Learn, student copy: `make lab` is `python3 start.py` for those used to make.
# start.py sets up .venv here (once) and opens the notebooks; see README.md.

PYTHON ?= python3
PORT ?= 8888

.PHONY: help setup lab
help:
\t@echo "make lab    set up .venv here (once) and start JupyterLab on the notebooks (PORT=9000 picks another port)"

setup:
\t$(PYTHON) start.py --setup-only

lab:
\t$(PYTHON) start.py --port $(PORT)
"""

NBGRADER_CONFIG = '''\
"""nbgrader settings for the student copy: the course id and a local exchange, nothing for grading.

They let the Assignments panel list the assignment (its notebooks are in release/) and keep what
its Submit button makes inside this folder. The file sits in jupyter_config/ (JUPYTER_CONFIG_DIR of
start.py's JupyterLab) because nbgrader's Assignments panel reads its settings from there, whatever folder it is in.
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
gradient descent and the training loop, then a hidden layer, layers as matrices, classification, and a
network that reads handwritten digits, with sliders to play with and exercises that check your answers.
This folder is everything you need; it holds no answers.

## Start

You need Python 3.11, 3.12 or 3.13 (from https://www.python.org/downloads/ if you have none: take 3.13).
Unzip this folder first, open a terminal in it, and run the command for your computer:

| computer | open a terminal in this folder | then run |
| --- | --- | --- |
| Windows | open the folder in File Explorer, type `cmd` in its address bar, Enter | `py start.py` |
| macOS | Terminal, type `cd ` and drag the folder onto the window, Return | `python3 start.py` |
| Linux | your terminal, `cd` to the folder | `python3 start.py` |

The first start sets up `.venv/` in this folder: it downloads and installs about {packages} packages
(JupyterLab, nbgrader, numpy, matplotlib and what they need), usually in 1-5 minutes, and says how far
it has got. Later starts skip that and open JupyterLab in a few seconds.

Open the `http://127.0.0.1:8888/lab/tree/...?token=...` address it prints (only your own computer can
reach it). Stop it with Ctrl+C. Add `--port 9000` to the command for another port, or `--setup-only` to
set up and stop (do that where the internet is good). If you have `make`, `make lab` runs `start.py`.

If it says your Python is too old or too new, install Python 3.13 and run `py -3.13 start.py` (Windows)
or `python3.13 start.py` (macOS, Linux). On Debian or Ubuntu, `sudo apt install python3-venv` if it asks.

## Working through the notebooks

1. JupyterLab opens on `release/START_HERE.md`: the order of the folders ({folders}), which the file
   browser lists A to Z, with a link to each notebook. Start with `01_forward_pass.ipynb` in `{first}/`
   and go in order.
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

START_HERE = """\
# Start here

The file browser lists the folders A to Z; the course goes in this order. Click a notebook to open it.

{contents}
Run each notebook's cells from top to bottom with **Shift+Enter**, and press **Validate** in its toolbar
before you hand it in.
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
    shutil.copyfile(ROOT / "tools" / "student_start.py", out / "start.py")
    (out / "Makefile").write_text(MAKEFILE)
    (out / "README.md").write_text(README.format(first=names[0], folders=", ".join(f"`{n}/`" for n in names),
                                                 packages=pinned_count()))
    (out / "release" / "START_HERE.md").write_text(START_HERE.format(contents=contents(out, names)))
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
    # JupyterLab's settings for the course, in the user-settings folder JupyterLab finds under
    # JUPYTER_CONFIG_DIR: the environment's overrides (tools/lab_overrides.json) and the student's own.
    for plugin, settings in lab_settings().items():
        package, name = plugin.split(":")
        write_json(config / "lab" / "user-settings" / package / f"{name}.jupyterlab-settings", settings)
    (out / MARKER).write_text("Built by tools/build_student.py; a rebuild replaces this folder.\n")
    return out


def pinned_count():
    return sum(1 for line in (ROOT / "requirements.txt").read_text().splitlines()
               if "==" in line and not line.lstrip().startswith("#"))


def contents(out, names):
    """START_HERE's list: each folder in course order, with a link to each notebook under its title."""
    lines = []
    for number, name in enumerate(names, 1):
        lines.append(f"{number}. `{name}/`")
        for nb in sorted((out / "release" / name).glob("*.ipynb")):
            title = nbformat.read(nb, as_version=4).cells[0].source.splitlines()[0].lstrip("# ").strip()
            lines.append(f"   - [{title}]({name}/{nb.name})")
    return "\n".join(lines) + "\n"


def lab_settings():
    """{plugin id: settings} for the student's JupyterLab: the repository's overrides, and START_HERE.md
    (the page start.py opens) shown as a page rather than as Markdown source."""
    settings = json.loads((ROOT / "tools" / "lab_overrides.json").read_text())
    settings.setdefault(MARKDOWN_PLUGIN, {})["defaultViewers"] = {"markdown": "Markdown Preview"}
    return settings


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
