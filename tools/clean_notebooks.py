"""Clear outputs, execution counts and volatile metadata from notebooks, in place.

Usage: python tools/clean_notebooks.py [FOLDER_OR_NOTEBOOK ...]   (default: source)
Run by `make release` so committed notebooks diff cleanly.
"""
import pathlib
import sys

import nbformat

VOLATILE_NOTEBOOK_KEYS = ("widgets", "toc", "varInspector", "celltoolbar")
VOLATILE_CELL_KEYS = ("execution", "collapsed", "scrolled", "jupyter", "ExecuteTime")


def clean(nb):
    """Return True if ``nb`` was changed."""
    before = nbformat.writes(nb)
    for key in VOLATILE_NOTEBOOK_KEYS:
        nb.metadata.pop(key, None)
    nb.metadata["language_info"] = {"name": "python"}
    for cell in nb.cells:
        for key in VOLATILE_CELL_KEYS:
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nbformat.writes(nb) != before


def main(args):
    paths = []
    for arg in args or ["source"]:
        p = pathlib.Path(arg)
        if not p.exists():
            sys.exit(f"clean_notebooks: {p} does not exist")
        paths += [p] if p.is_file() else sorted(q for q in p.rglob("*.ipynb") if ".ipynb_checkpoints" not in q.parts)
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        if clean(nb):
            nbformat.write(nb, path)
            print(f"cleaned {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
