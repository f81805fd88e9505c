"""The code's layout holds: no module takes another module's private names, and tests/ is laid out like
the code with no test editing ``sys.path`` or importing another test module (tests/__init__.py).

An underscore name is its own module's business.

The lessons' checks (course/exercises/*), the widgets, the grader, the tools and the tests use what
other modules offer under public names (course.checks' toolkit for lesson checks, for one), so a
module can rename or rework its private helpers without breaking a reader it does not know about.

Found with ``ast`` in every .py file of the repository: ``from X import _name`` (dunders such as
``__version__`` are fine), and a read of ``module._name`` (or ``package.module._name``) where
``module`` was imported in that file. Only the repository's own modules count: Python's
(``os._exit``, ``sys._getframe`` are how the standard library offers those) and installed packages'
(tests/course/widgets/test_controls.py names ipywidgets' control base classes) are theirs to decide.
"""
import ast
import os
import pathlib
import sys

import pytest

from course import checks

TOP_SKIPPED = {".venv", "release", "source", ".git"}  # the virtualenv, the notebooks nbgrader reads and writes


def _root():
    here = pathlib.Path(__file__).resolve().parent
    return next(folder for folder in (here, *here.parents) if (folder / "pyproject.toml").is_file())


def _private(name):
    return name.startswith("_") and not name.startswith("__")


def _own_modules(root):
    """The top-level names under which the repository's modules are imported (course, grader, cases, ...)."""
    return {name for path, relative in _python_files(root)
            for name in (relative.parts[0].removesuffix(".py"), path.stem) if name not in sys.stdlib_module_names}


def private_names_taken(source, filename="<source>", own=None):
    """``[(line, what)]``: every private name ``source`` takes from another module; ``own``: the top-level
    names of the modules that count (None: all but Python's own)."""
    tree = ast.parse(source, filename)
    imported = {}  # name bound in this file -> the module it came from (None: a relative import)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = None if node.level else node.module
            for alias in node.names:
                if _private(alias.name):
                    found.append((node.lineno, f"from {'.' * node.level}{node.module or ''} import {alias.name}"))
                else:
                    imported[alias.asname or alias.name] = f"{module}.{alias.name}" if module else None
        elif isinstance(node, ast.Import):
            for alias in node.names:
                imported[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else \
                    alias.name.split(".")[0]
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and _private(node.attr)):
            continue
        parts, base = [], node.value
        while isinstance(base, ast.Attribute):  # course.checks._x: the chain down to its first name
            parts.insert(0, base.attr)
            base = base.value
        if not isinstance(base, ast.Name) or base.id not in imported or base.id in ("self", "cls"):
            continue
        origin = imported[base.id]
        top = origin.split(".")[0] if origin is not None else None
        if top is not None and (top in sys.stdlib_module_names or (own is not None and top not in own)):
            continue
        found.append((node.lineno, ".".join([base.id, *parts, node.attr])))
    return sorted(set(found))


def _python_files(root):
    """The repository's own .py files (os.walk, so the skipped folders are never entered)."""
    for folder, dirs, files in os.walk(root):
        here = pathlib.Path(folder)
        dirs[:] = sorted(d for d in dirs if d != "node_modules" and not (here == root and d in TOP_SKIPPED))
        for name in sorted(files):
            if name.endswith(".py"):
                yield here / name, (here / name).relative_to(root)


def test_the_detector_finds_what_it_should_and_only_that():
    source = "\n".join([
        "import os, sys, json as _json, numpy as np",
        "import course.checks",
        "from course import plots",
        "from .loss import _helper, public",
        "from grader import __version__",
        "os._exit(0); sys._getframe(); _json.dumps",  # Python's own: fine
        "plots._not_drawn(); np._private",  # another module's private names
        "course.checks._fail([])",
        "self._state; plots.__name__; public.value",  # own attributes, dunders, public names
    ])
    assert private_names_taken(source) == [
        (4, "from .loss import _helper"), (7, "np._private"), (7, "plots._not_drawn"), (8, "course.checks._fail")]
    assert private_names_taken(source, own={"course", "grader"}) == [
        (4, "from .loss import _helper"), (7, "plots._not_drawn"), (8, "course.checks._fail")]


def test_no_module_takes_another_modules_private_names():
    root = _root()
    own = _own_modules(root)
    assert {"course", "grader", "tests"} <= own
    taken = [f"{relative}:{line}: {what}" for path, relative in _python_files(root)
             for line, what in private_names_taken(path.read_text(encoding="utf-8"), str(relative), own)]
    assert not taken, (
        f"{len(taken)} private name(s) taken from another module. Use (or add) a public name in the module "
        "that owns it: course.checks offers the toolkit for lesson checks (fail, close, pinned.isinstance, ...).\n"
        + "\n".join(taken))


def test_the_toolkit_for_lesson_checks_stays_pinned(monkeypatch):
    """The public names the lessons' checks use in place of the private ones are pinned as those were: a
    notebook that replaces one (or a field of ``pinned``) is named by ``tampering()``."""
    assert checks.tampering() == []
    with pytest.raises(AttributeError):
        checks.pinned.isinstance = lambda *args: True
    for name in checks.TOOLKIT:
        with monkeypatch.context() as patch:
            patch.setattr(checks, name, lambda *args, **kwargs: None)
            assert checks.tampering() == [f"course.checks.{name}"]
    monkeypatch.setattr(type(checks.pinned), "len", property(lambda self: lambda value: 0))
    monkeypatch.setattr(checks, "_isfinite", lambda value: True)
    assert checks.tampering() == ["course.checks.pinned.len", "course.checks._isfinite"]


def test_tests_import_helpers_from_the_support_package_only():
    """Tests find their helpers as ``tests.support.<module>`` (every folder of tests/ is a package): none edits
    ``sys.path``, none imports a helper by its bare name or imports another test module."""
    root = _root()
    found = []
    for path, relative in _python_files(root):
        if relative.parts[0] != "tests":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(relative))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "path" and getattr(node.value, "id", None) == "sys":
                found.append(f"{relative}:{node.lineno}: sys.path")
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                top, last = node.module.split(".")[0], node.module.split(".")[-1]
                ours = top == "tests" or "." not in node.module  # not nbgrader's shipped tests, for one
                if ours and (last.startswith("test_") or last == "conftest"):
                    found.append(f"{relative}:{node.lineno}: from {node.module} import ...")
                elif (root / "tests" / "support" / f"{top}.py").is_file():
                    found.append(f"{relative}:{node.lineno}: from {node.module} (tests.support.{top})")
    assert not found, "\n".join(found)
    packages = {p.parent for p in (root / "tests").rglob("*.py") if "submissions" not in p.parts}
    assert [str(p.relative_to(root)) for p in sorted(packages) if not (p / "__init__.py").is_file()] == []
