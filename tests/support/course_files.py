"""Shared facts about the course under test: where things are, how to read notebooks.

The course's assignments are the folders of source/ (grader.lessons); tests never spell one.
"""
import os
import sys
from pathlib import Path

import nbformat

from grader.lessons import ROOT, all_notebooks, assignments

ASSIGNMENTS = assignments()
ASSIGNMENT = ASSIGNMENTS[0]  # the one the course starts with: what tests of the grading pipeline grade
BIN = Path(sys.executable).parent


def notebooks(folder="source", root=ROOT):
    """Every notebook of ``root/folder`` (source or release) in course order, all assignments;
    optionally limited by NOTEBOOKS=01_forward_pass,06_hidden_layer."""
    wanted = [n for n in os.environ.get("NOTEBOOKS", "").split(",") if n]
    found = [p for a in assignments(root) for p in sorted((root / folder / a).glob("*.ipynb"))]
    return [p for p in found if not wanted or p.stem in wanted]


def assignment_of(stem):
    return all_notebooks()[stem]


def source(stem, root=ROOT):
    """The path of notebook ``stem`` in source/<its assignment>/."""
    return root / "source" / assignment_of(stem) / f"{stem}.ipynb"


def release(stem, root=ROOT):
    """The path of notebook ``stem`` in release/<its assignment>/."""
    return root / "release" / assignment_of(stem) / f"{stem}.ipynb"


def nbgrader_meta(cell):
    return cell.metadata.get("nbgrader", {})


def answer_cells(nb):
    return [c for c in nb.cells if nbgrader_meta(c).get("solution") and not nbgrader_meta(c).get("grade")]


def check_cells(nb):
    return [c for c in nb.cells if nbgrader_meta(c).get("grade") and not nbgrader_meta(c).get("solution")]


def read(path):
    return nbformat.read(path, as_version=4)


def env():
    """Environment for nbgrader subprocesses: the venv's bin/ first (nbgrader runs `alembic`)."""
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


STUDENT_COPY = "how-networks-learn-student"  # the student distribution's folder and .zip name


def build_student_copy(dest):
    """Build the student distribution into ``dest`` (`make student`, zipped too); returns its folder."""
    import subprocess

    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "build_student.py"), str(dest), "--zip"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"build_student.py failed:\n{proc.stdout}{proc.stderr}"
    out = Path(dest) / STUDENT_COPY
    assert out.is_dir() and (Path(dest) / f"{STUDENT_COPY}.zip").is_file(), proc.stdout
    return out

