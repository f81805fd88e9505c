"""The ``course`` package as the grading sandbox sees it: no lesson engine, no sealed hint.

Everything in the student's kernel can be read and re-aimed by student code while it runs: a
lesson module's constants through an alias or ``vars()``, a function's defaults or closure, its
code object. So while grading, the sandbox does not mount ``course/`` itself but this view of it,
built here (in the grader's process) and bound read-only at the same path:

* ``course/exercises/sealed.py`` holds ``SEALED = None``: no text that opens only for the right
  answer. The visible checks then check an answer's form and leave its verdict to the grader,
  which judges every answer outside the kernel (grader.confirm).
* ``course/widgets/``: every public function shows the line that says its picture appears when
  the student runs the notebook (nothing is drawn while grading anyway, course.plots.unseen).
* Every other lesson module keeps its constants and classes, but each function's body is
  replaced: it answers only the calls a notebook's own "try it" cells make (``LESSON_CALLS``,
  worked out here when the view is built, from the real module) and otherwise raises
  ``LessonCodeOff``. ``BUILDING_BLOCKS`` (a sigmoid the lessons hand out) are kept as they are.
  There is no engine left to re-aim: a table of the lessons' own results answers nothing else.
* ``checks.py``, ``plots.py``, ``exercises/``, ``data/`` and the packages' ``__init__`` are copied unchanged.

The view is built once per grading process (a fraction of a second) into a private folder and
named to child processes (the cold kernel's launcher) through ``HNL_COURSE_VIEW``.
"""
import ast
import atexit
import compileall
import copy
import hashlib
import importlib
import importlib.util
import os
import shutil
import stat
import tempfile

from course.checks import BUILDING_BLOCKS  # kept as they are while grading: what the lessons hand out (a sigmoid)

from .limits import socket_base

VIEW_ENV = "HNL_COURSE_VIEW"
STAMP = ".hnl-course-view"


# What the notebooks' own cells call while they are graded (widgets draw nothing then), as keyword
# arguments: the view answers exactly these from results worked out when it is built.
# tests/e2e/test_round_trip.py grades every source notebook in the view and finds no error output.
LESSON_CALLS = {
    "course.forward_pass.first_spam_guess": [{}],
    "course.backpropagation.chain_blame": [{"local_slopes": [2.0, 0.5, 3.0]}],
    "course.training_loop.run": [{"name": "AND gate", "lr": 0.25, "epochs": 1000, "batch_size": size}
                            for size in (1, 2, 4)],
    "course.hidden_layer.one_neuron_losses": [{"lr": 0.5, "epochs": 5000}],
}

UNCHANGED = {"__init__.py", "checks.py", "plots.py"}

WHILE_GRADING = '''"""Only in the grading sandbox's view of the course (grader/sandbox/course_view.py)."""
import copy


class LessonCodeOff(RuntimeError):
    """A lesson's own code was called while the notebook is graded, on something other than the lesson's examples."""


def lesson_result(name, arguments, table):
    """What ``name`` returned for ``arguments`` when the view was built, if the lesson itself makes that call."""
    for known, result in table.get(name, ()):
        if known == arguments:
            return copy.deepcopy(result)
    raise LessonCodeOff(
        f"{name}() is the lesson's own code: while your notebook is graded it only repeats the lesson's "
        "own examples. If one of your answers calls it, write that code yourself.")
'''

SEALED = '''"""While grading, no hint is sealed here: the grader judges every answer outside the notebook."""

SEALED = None
'''


def package_dir():
    """The real ``course`` package folder (the one student kernels import)."""
    spec = importlib.util.find_spec("course")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the course package is not installed (pip install -e .)")
    return os.path.realpath(list(spec.submodule_search_locations)[0])


def _sources(root):
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                yield os.path.relpath(os.path.join(folder, name), root)


def _data_files(root):
    """The files of ``course/data/`` (no code: copied into the view unchanged)."""
    data = os.path.join(root, "data")
    return [os.path.join("data", name) for name in sorted(os.listdir(data))] if os.path.isdir(data) else []


def fingerprint(root):
    """A digest of the course's sources and of this builder: a view is reused only while both are unchanged."""
    digest = hashlib.sha256(open(__file__, "rb").read())
    for rel in [*_sources(root), *_data_files(root)]:
        digest.update(rel.encode() + b"\0" + open(os.path.join(root, rel), "rb").read())
    return digest.hexdigest()


def _module_name(rel):
    parts = rel[:-3].split(os.sep)
    return ".".join(["course", *(parts[:-1] if parts[-1] == "__init__" else parts)])


def _docstring_only(node):
    doc = ast.get_docstring(node, clean=False)
    return [ast.Expr(ast.Constant(doc))] if doc is not None else []


def _stub_functions(tree, module, replacement):
    """Replace the body of every function of ``tree`` (methods too) not in BUILDING_BLOCKS."""
    class Stubber(ast.NodeTransformer):
        def __init__(self):
            self.prefix = [module]

        def visit_ClassDef(self, node):
            self.prefix.append(node.name)
            self.generic_visit(node)
            self.prefix.pop()
            return node

        def _function(self, node):
            name = ".".join([*self.prefix, node.name])
            if name in BUILDING_BLOCKS:
                return node
            node.body = _docstring_only(node) + replacement(name)
            node.decorator_list = [d for d in node.decorator_list if _is_plain_decorator(d)]
            return node

        visit_FunctionDef = visit_AsyncFunctionDef = _function

    return Stubber().visit(tree)


def _is_plain_decorator(node):
    return isinstance(node, ast.Name) and node.id in ("staticmethod", "classmethod", "property")


def _results_table(module):
    """``{function: [(arguments, result), ...]}`` for the lesson's own calls into ``module``, as source."""
    real = importlib.import_module(module)
    entries = []
    for name, calls in sorted(LESSON_CALLS.items()):
        if name.rsplit(".", 1)[0] != module:
            continue
        function = getattr(real, name.rsplit(".", 1)[1])
        pairs = []
        for arguments in calls:
            result = function(**copy.deepcopy(arguments))
            text = repr(result)
            pairs.append(f"({arguments!r}, {text})")
            # Results go into the view as source: each must read back as the value it is.
            if eval(text, vars(real)) != result:  # noqa: S307 (our own repr of our own values)
                raise RuntimeError(f"{name}{arguments} returned a value whose repr does not read back: {text[:80]}")
        entries.append(f"    {name!r}: [\n        " + ",\n        ".join(pairs) + ",\n    ],")
    return "_HNL_LESSON_RESULTS = {\n" + "\n".join(entries) + "\n}\n"


def _lesson_module(source, module):
    tree = ast.parse(source)

    def replacement(name):
        call = f"return _hnl_lesson_result({name!r}, locals(), _HNL_LESSON_RESULTS)"
        return ast.parse(call).body

    tree = _stub_functions(tree, module, replacement)
    header = "from course._while_grading import lesson_result as _hnl_lesson_result\n"
    return _with_header(tree, header) + "\n\n" + _results_table(module)


def _widget_module(source, module):
    tree = ast.parse(source)
    kept = [tree.body[0]] if tree.body and ast.get_docstring(tree) is not None else []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            stub = ast.parse(f"def {node.name}(*args, **kwargs):\n    return _hnl_not_drawn()\n").body[0]
            stub.body = _docstring_only(node) + stub.body
            kept.append(stub)
    tree.body = kept
    return _with_header(tree, "from course.plots import not_drawn as _hnl_not_drawn\n")


def _with_header(tree, header):
    """The module's source with ``header`` after its docstring."""
    body = list(tree.body)
    doc = [body.pop(0)] if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
        and isinstance(body[0].value.value, str) else []
    text = ast.unparse(ast.Module(doc, [])) + "\n" if doc else ""
    return text + header + ast.unparse(ast.fix_missing_locations(ast.Module(body, [])))


def view_source(rel, source):
    """The view's text of the course file ``rel`` (a path inside the package), given its real text."""
    parts = rel.split(os.sep)
    if rel == os.path.join("exercises", "sealed.py"):
        return SEALED
    if parts[-1] in UNCHANGED or parts[0] == "exercises":
        return source
    module = _module_name(rel)
    if parts[0] == "widgets":
        return _widget_module(source, module)
    return _lesson_module(source, module)


def build(dest, root=None):
    """Write the view of the package at ``root`` (default: the installed one) to ``dest/course``."""
    root = root or package_dir()
    target = os.path.join(dest, "course")
    for rel in _sources(root):
        path = os.path.join(target, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(os.path.join(root, rel)) as handle:
            text = view_source(rel, handle.read())
        with open(path, "w") as handle:
            handle.write(text)
    for rel in _data_files(root):  # a lesson's data (09's digits), as it is
        os.makedirs(os.path.dirname(os.path.join(target, rel)), exist_ok=True)
        shutil.copyfile(os.path.join(root, rel), os.path.join(target, rel))
    with open(os.path.join(target, "_while_grading.py"), "w") as handle:
        handle.write(WHILE_GRADING)
    # Compiled here, where it can be written: inside the sandbox the view is read-only. The code
    # objects name the real path, where the sandbox mounts the view.
    compileall.compile_dir(target, ddir=root, quiet=1, force=True)
    with open(os.path.join(target, STAMP), "w") as handle:
        handle.write(fingerprint(root))
    for folder, _dirs, files in os.walk(target):
        os.chmod(folder, 0o755)  # the sandbox's uid reads it; nobody but the grader writes it
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644)
    return target


def _trusted(target, root):
    """True when ``target`` is a view of ``root`` as it is now, made by this user and writable by nobody else."""
    try:
        info = os.lstat(target)
        with open(os.path.join(target, STAMP)) as handle:
            stamp = handle.read()
    except OSError:
        return False
    return (stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid() and not info.st_mode & 0o022
            and stamp == fingerprint(root))


def view_dir():
    """The folder the sandbox mounts over ``course/``: this process's view, built on first use."""
    root = package_dir()
    named = os.environ.get(VIEW_ENV)
    if named and _trusted(named, root):
        return named
    dest = tempfile.mkdtemp(prefix="hnl-course-view-", dir=socket_base())
    owner = os.getpid()
    atexit.register(lambda: os.getpid() == owner and shutil.rmtree(dest, ignore_errors=True))
    target = build(dest, root)
    os.environ[VIEW_ENV] = target  # the cold kernel's launcher, and forked workers, reuse it
    return target
