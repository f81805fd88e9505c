"""Clear outputs, execution counts and volatile metadata from notebooks, in place.

Usage: python tools/clean_notebooks.py [FOLDER_OR_NOTEBOOK ...]   (default: source)
Run by `make release` so committed notebooks diff cleanly.

A cleaned notebook also opens *unmodified* in JupyterLab. When a notebook's kernel connects,
JupyterLab writes the kernel's ``language_info`` (from its kernel_info reply) and the
kernelspec's ``name``/``display_name``/``language`` into the notebook's metadata; if either
differs from what the file holds, the notebook is marked modified (the dirty dot on its tab)
before the student has done anything. So the cleaner writes exactly what the course's kernel
reports: ipykernel's ``language_info`` for the Python running this script (`make release` runs
it with the course's .venv, the interpreter the ``python3`` kernel uses) and the installed
kernelspec's names. Only ``language_info.version`` depends on the machine: a student whose
Python has another patch release (3.11.x) still sees one metadata change on open.
"""
import pathlib
import sys

import nbformat

VOLATILE_NOTEBOOK_KEYS = ("widgets", "toc", "varInspector", "celltoolbar")
VOLATILE_CELL_KEYS = ("execution", "collapsed", "scrolled", "jupyter", "ExecuteTime")
DEFAULT_KERNEL = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def kernel_language_info():
    """The ``language_info`` the course's Python kernel sends in its kernel_info reply."""
    try:
        from ipykernel.ipkernel import IPythonKernel
    except ImportError:  # no ipykernel: what ipykernel would report for this Python
        return {"name": "python", "version": sys.version.split()[0], "mimetype": "text/x-python",
                "codemirror_mode": {"name": "ipython", "version": sys.version_info[0]},
                "pygments_lexer": f"ipython{sys.version_info[0]}", "nbconvert_exporter": "python",
                "file_extension": ".py"}
    return dict(IPythonKernel.language_info)


def kernelspec_metadata(name):
    """``metadata.kernelspec`` as JupyterLab writes it when the kernel ``name`` connects."""
    fallback = dict(DEFAULT_KERNEL) if name == DEFAULT_KERNEL["name"] else None
    try:
        from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
    except ImportError:
        return fallback
    try:
        spec = KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        return fallback
    return {"name": name, "display_name": spec.display_name, "language": spec.language}


def clean(nb, language_info=None, kernelspec=None):
    """Return True if ``nb`` was changed.

    ``language_info`` and ``kernelspec`` (a function of the kernel's name) default to what the
    course's kernel reports (see the module docstring); tests pass their own.
    """
    before = nbformat.writes(nb)
    for key in VOLATILE_NOTEBOOK_KEYS:
        nb.metadata.pop(key, None)
    name = nb.metadata.get("kernelspec", {}).get("name") or DEFAULT_KERNEL["name"]
    spec = (kernelspec or kernelspec_metadata)(name)
    if spec is not None:
        nb.metadata["kernelspec"] = spec
    if spec is None or spec.get("language") == "python":
        nb.metadata["language_info"] = language_info or kernel_language_info()
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
    language_info, specs = kernel_language_info(), {}

    def kernelspec(name):
        if name not in specs:
            specs[name] = kernelspec_metadata(name)
        return specs[name]

    for path in paths:
        nb = nbformat.read(path, as_version=4)
        if clean(nb, language_info, kernelspec):
            nbformat.write(nb, path)
            print(f"cleaned {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
