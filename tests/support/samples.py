"""Synthetic submissions built from release/ and source/ (benchmarks, tests, the course self-check).

Kinds: ``perfect`` (every answer cell filled with the source solution), ``blank`` (the
release notebook untouched), ``partial`` (a seeded subset of answer cells filled),
``tampered`` (perfect, but every test cell replaced by ``pass`` and the quiz answers
changed: nbgrader must restore the tests and mark the quizzes wrong).
"""
import random
from pathlib import Path

import nbformat

KINDS = ("perfect", "partial", "blank", "tampered")


def _by_id(nb):
    return {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("grade_id")}


def build_notebook(kind, release_nb, source_nb, seed=0):
    """The student notebook of ``kind`` for one release/source pair (nbformat objects, not modified)."""
    nb = nbformat.from_dict(release_nb)
    if kind == "blank":
        return nb
    solutions = _by_id(source_nb)
    answer_cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]
    rng = random.Random(seed)
    for cell in answer_cells:
        gid = cell.metadata.nbgrader["grade_id"]
        if kind == "partial" and rng.random() < 0.5:
            continue
        if gid in solutions:
            cell.source = solutions[gid].source
    if kind == "tampered":
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade") and meta.get("locked"):
                cell.source = "pass  # the student rewrote the test"
            elif meta.get("solution") and "_answer" in cell.source:
                cell.source += "\n" + "\n".join(
                    f'{line.split("=")[0].strip()} = "Z"' for line in cell.source.splitlines()
                    if line.strip().endswith('"') and "_answer" in line.split("=")[0])
    return nb


def build_class(dest, release_dir, source_dir, students, assignment=None):
    """Write ``dest/<student>/<assignment>/*.ipynb`` for ``students`` = {student id: kind}.

    ``assignment`` defaults to the name of ``release_dir`` (release/<assignment>)."""
    dest = Path(dest)
    assignment = assignment or Path(release_dir).name
    for nb_path in sorted(Path(release_dir).glob("*.ipynb")):
        release_nb = nbformat.read(nb_path, as_version=4)
        source_path = Path(source_dir) / nb_path.name
        source_nb = nbformat.read(source_path, as_version=4) if source_path.exists() else release_nb
        for number, (sid, kind) in enumerate(sorted(students.items())):
            out = dest / sid / assignment / nb_path.name
            out.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(build_notebook(kind, release_nb, source_nb, seed=number), out)
    return dest


def mixed_class(n):
    """{student id: kind} for ``n`` students: 40% perfect, 30% partial, 20% blank, 10% tampered."""
    pattern = ["perfect", "partial", "perfect", "blank", "partial", "perfect", "tampered", "partial",
               "perfect", "blank"]
    return {f"student{i + 1:03d}": pattern[i % len(pattern)] for i in range(n)}
