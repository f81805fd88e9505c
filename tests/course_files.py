"""Shared facts about the course under test: where things are, how to read notebooks."""
import os
import pathlib
import sys

import nbformat

from course import ASSIGNMENT

ROOT = pathlib.Path(__file__).resolve().parents[1]

SOURCE = ROOT / "source" / ASSIGNMENT
RELEASE = ROOT / "release" / ASSIGNMENT
BIN = pathlib.Path(sys.executable).parent


def notebooks(folder=SOURCE):
    """The assignment's notebooks in reading order, optionally limited by NOTEBOOKS=01_forward_pass,02_loss."""
    wanted = [n for n in os.environ.get("NOTEBOOKS", "").split(",") if n]
    return [p for p in sorted(folder.glob("*.ipynb")) if not wanted or p.stem in wanted]


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
