"""Compare two gradebooks cell by cell (the parallel pipeline against stock nbgrader autograde)."""
import os
import shutil
import subprocess
import sys
from pathlib import Path


def gradebook_rows(db_url, course_id, assignment):
    """{(student, notebook, cell): (auto_score, needs_manual_grade, auto_comment or None)} + totals."""
    from nbgrader.api import Gradebook, MissingEntry
    rows, totals = {}, {}
    with Gradebook(db_url, course_id) as gb:
        for student in gb.students:
            try:
                sub = gb.find_submission(assignment, student.id)
            except MissingEntry:
                continue
            totals[student.id] = (sub.score, sub.max_score)
            for nb in sub.notebooks:
                rows[(student.id, nb.name, "late_penalty")] = nb.late_submission_penalty
                for g in nb.grades:
                    rows[(student.id, nb.name, g.name)] = (g.auto_score, g.needs_manual_grade)
                for c in nb.comments:
                    rows[(student.id, nb.name, "comment:" + c.name)] = c.auto_comment
    return rows, totals


def differences(rows_a, rows_b):
    keys = sorted(set(rows_a) | set(rows_b), key=str)
    return [(k, rows_a.get(k, "<missing>"), rows_b.get(k, "<missing>")) for k in keys
            if rows_a.get(k, "<missing>") != rows_b.get(k, "<missing>")]


def make_course_copy(root, dest, assignment, notebooks=None):
    """A fresh course folder: source/ (optionally only ``notebooks``), release/, nbgrader_config.py."""
    root, dest = Path(root), Path(dest)
    for part in ("source", "release"):
        src = root / part / assignment
        if src.is_dir():
            (dest / part / assignment).mkdir(parents=True, exist_ok=True)
            for nb in sorted(src.glob("*.ipynb")):
                if notebooks is None or nb.stem in notebooks:
                    shutil.copy(nb, dest / part / assignment / nb.name)
    shutil.copy(root / "nbgrader_config.py", dest / "nbgrader_config.py")
    return dest


def nbgrader_env():
    bin_dir = str(Path(sys.executable).parent)
    return dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")


def run_stock(course_root, *args):
    """``nbgrader <args>`` in ``course_root`` (the stock command line); returns CompletedProcess."""
    return subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course_root, env=nbgrader_env(),
                          capture_output=True, text=True)
