"""Students who look for answers in their own kernel while it is graded, and one who sets a trap for the next.

Written from the description of the attacks (issue: "While grading, the student's kernel holds no answer
and no oracle"), against what a determined student can reach from a notebook cell:

* ``thief``: reads the running test cell -- through a stand-in for IPython's ``In`` and through
  IPython's ``pre_run_cell`` event, which hands over each cell's source, hidden tests restored -- and
  takes every key it finds (``== "A"``, ``"loss:0.1250"``, ``== 20.0``, a range for ``max_stable_lr``,
  a step order) and any reference function the test cell defines, for its own ``train_neuron``.
* ``frame_thief``: a ``train_neuron`` that reads the frames of whoever calls it, for a reference
  implementation or the expected values of the check calling it.
* ``reaimed``: answers that let the course's own lesson code compute the exercise, re-aimed at the
  exercise's inputs through a module alias, through ``vars()``, through a function's ``__globals__``
  and ``__defaults__``, and through the ``__closure__`` of a widget's callback; and, for the other
  exercises, calls straight into the helper that comes closest (tests/e2e/adversarial/shortcuts.py).
* ``seal_breaker``: answer cells that try every letter, order or number on the sealed hints
  (``course.checks.reveal``) and keep the one that opens as right.
* ``a_trap`` / ``b_victim``: the trap, in the last notebook of a student graded just before another,
  renames, replaces and links the warm sandbox's own folders; the victim's perfect notebook follows.

Each attacker answers every exercise it does not attack with the instructor's solution, so its
honest marks show that one exercise's attack costs that exercise only. ``LOST`` lists, per student and
notebook, the test cells its attacks must earn nothing on (each attack carries a wrong answer to
fall back on when there is nothing to steal).
"""
import nbformat

from tests.e2e.adversarial.cases import perfect_notebook, set_answer, write
from tests.support.course_files import assignment_of, release, source

# ------------------------------------------------------------------ the thief
THIEF = r'''
import re as _re
from IPython import get_ipython as _ipython

_history = _ipython().history_manager.input_hist_parsed


def _steal(source):
    """Every key and reference a test cell's source spells out, written into the notebook."""
    ns = _ipython().user_ns
    for name, key in _re.findall(r'(\w+)\.strip\(\)\.upper\(\) == "(\w)"', source):
        ns[name] = key
    for name, key in _re.findall(r'"".join\((\w+)\.split\(\)\)\.lower\(\) == "([^"]+)"', source):
        ns[name] = key
    for name, value in _re.findall(r'float\((\w+)\) == ([0-9.]+)', source):
        ns[name] = float(value)
    for low, name, high in _re.findall(r'(\d+) <= round\(float\((\w+)\) \* 1000\) <= (\d+)', source):
        ns[name] = (int(low) + int(high)) / 2000
    for key in _re.findall(r'== (\[(?:"[A-D]", ){3}"[A-D]"\])', source):
        ns["step_order"] = eval(key)
    hidden = source.partition("### BEGIN HIDDEN TESTS")[2].partition("### END HIDDEN TESTS")[0]
    if "def _reference" in hidden:  # its definitions and imports, not the checks that follow them
        import ast as _ast
        tree = _ast.parse(hidden)
        tree.body = [n for n in tree.body if isinstance(n, (_ast.FunctionDef, _ast.Import, _ast.ImportFrom))]
        stolen = {}
        exec(compile(tree, "<stolen>", "exec"), stolen)
        ns["_stolen_reference"] = stolen["_reference"]


class _In(list):
    """Stands in for IPython's In: whoever reads it gets the real history, and the thief the running cell."""

    def __iter__(self):
        _steal(_history[-1] if _history else "")
        return list.__iter__(_history)

    def __reversed__(self):
        _steal(_history[-1] if _history else "")
        return list.__reversed__(_history)


In = _In()
_ipython().events.register("pre_run_cell", lambda info: _steal(info.raw_cell or ""))
'''

STOLEN_LOOP = '''
def train_neuron(data, w0=0.5, w1=-0.3, bias=0.1, lr=0.3, epochs=3000, report_every=500):
    """No loop of its own: the reference a test cell brought, if one did."""
    reference = globals().get("_stolen_reference")
    if reference is None:
        return w0, w1, bias, [0.25] * epochs
    w0, w1, bias, losses = reference(data, w0, w1, bias, lr, epochs)
    for epoch in range(0, epochs, report_every):
        print(f"Epoch {epoch:4d} | loss={losses[epoch]:.4f}")
    return w0, w1, bias, losses
'''

# The thief's cell goes first, then the wrong answers it hopes to overwrite.
THIEF_ANSWERS = {
    "01_forward_pass": {"quiz_first_guess": THIEF + 'first_guess_answer = "C"\n'},
    "02_loss": {"predict_mse_output": THIEF + 'predicted_output = "Loss: 0.5"\n',
                "quiz_why_square": 'why_square_answer = "A"\n'},
    "04_gradient_descent": {"quiz_diverging_lr": THIEF + 'diverging_lr_answer = "A"\n',
                            "explore_max_lr": "max_stable_lr = 0.5\n"},
    "05_training_loop": {"order_steps": THIEF + 'step_order = ["A", "B", "C", "D"]\n',
                         "implement_loop": STOLEN_LOOP, "quiz_updates_per_epoch": "updates_per_epoch = 50\n"},
}

# ------------------------------------------------------------------ the frame thief
FRAME_THIEF = '''import sys


def train_neuron(data, w0=0.5, w1=-0.3, bias=0.1, lr=0.3, epochs=3000, report_every=500):
    """No loop of its own: whatever the callers' frames hold (a reference, or the values they expect)."""
    frame = sys._getframe(1)
    while frame is not None:
        for scope in (frame.f_locals, frame.f_globals):
            reference = scope.get("_reference")
            if callable(reference):
                w0, w1, bias, losses = reference(data, w0, w1, bias, lr, epochs)
                for epoch in range(0, epochs, report_every):
                    print(f"Epoch {epoch:4d} | loss={losses[epoch]:.4f}")
                return w0, w1, bias, losses
            if "EXPECTED_W0" in scope and epochs == 3000:
                for line in scope["EXPECTED_REPORT"]:
                    print(line)
                known = scope["EXPECTED_LOSSES"]
                losses = [known.get(e, known[max(k for k in known if k <= e)]) for e in range(epochs)]
                return scope["EXPECTED_W0"], scope["EXPECTED_W1"], scope["EXPECTED_BIAS"], losses
        frame = frame.f_back
    return w0, w1, bias, [0.25] * epochs
'''

# ------------------------------------------------------------------ re-aimed lesson code
THROUGH_ALIAS = '''import course.forward_pass as lesson


def neuron_output(weights, bias, inputs):
    """The spam email's neuron, pointed at these inputs."""
    lesson.SPAM_FEATURES = tuple(inputs)
    return lesson._spam_guess(weights, bias)
'''

THROUGH_VARS = '''import course.backpropagation as lesson


def weight_gradient(w, x, target):
    """The slope of the lesson's loss parabola, re-shaped for this x and target."""
    vars(lesson).update(A=x * x, B=-2.0 * x * target)
    return lesson.parabola_slope(w)
'''

THROUGH_GLOBALS_AND_DEFAULTS = '''from course.gradient_descent import descend


def train_step(w, x, target, lr):
    """One step of the lesson's ball, with its input and target swapped through the function itself."""
    descend.__globals__.update(X=x, EXPLORE_X=x, TARGET=target)
    descend.__defaults__ = (x, 1e12)
    return descend(w, lr, 1).weights[-1]
'''

THROUGH_CLOSURE = '''from course.widgets.training_loop import training_dashboard


def _in_closures(function, depth=4):
    """A function named ``train`` in ``function``'s closure, or in the closures of the functions in it."""
    for cell in getattr(function, "__closure__", None) or ():
        found = cell.cell_contents
        if callable(found) and getattr(found, "__name__", "") == "train":
            return found
        deeper = _in_closures(found, depth - 1) if depth and callable(found) else None
        if deeper is not None:
            return deeper
    return None


def _trainer():
    """The dashboard's own trainer, found in the closures behind its sliders' callback."""
    box = training_dashboard()
    for child in getattr(box, "children", ()):
        for handlers in getattr(child, "_trait_notifiers", {}).get("value", {}).values():
            for handler in handlers:
                found = _in_closures(handler)
                if found is not None:
                    return found
    return None


def train_neuron(data, w0=0.5, w1=-0.3, bias=0.1, lr=0.3, epochs=3000, report_every=500):
    """The dashboard's trainer, re-aimed at this data and start."""
    train = _trainer()
    if train is None:
        return w0, w1, bias, [0.25] * epochs
    ours = tuple((tuple(float(v) for v in x), float(t)) for x, t in data)
    name = f"ours, call {len(train.__globals__['training_loop'].DATASETS)}"  # a new name: the trainer caches runs
    train.__globals__["training_loop"].DATASETS = {**train.__globals__["training_loop"].DATASETS,
                                              name: (ours, ((w0, w1), bias))}
    run = train(name, lr, epochs, len(ours))  # a batch of the whole data: full-batch descent
    losses = list(run.losses[:epochs])
    for epoch in range(0, epochs, report_every):
        print(f"Epoch {epoch:4d} | loss={losses[epoch]:.4f}")
    return run.weights[0], run.weights[1], run.bias, losses
'''

REAIMED_ANSWERS = {
    "01_forward_pass": {"neuron_output": THROUGH_ALIAS},
    "03_backpropagation": {"weight_gradient": THROUGH_VARS},
    "04_gradient_descent": {"fix_train_step": THROUGH_GLOBALS_AND_DEFAULTS},
    "05_training_loop": {"implement_loop": THROUGH_CLOSURE},
}
# The same student also calls lesson code straight, for every other exercise a helper of course/ comes
# close to (tests/e2e/adversarial/shortcuts.py: the most natural way through each helper).
SHORTCUT_ANSWERS = {"02_loss": ["mse_loss"], "03_backpropagation": ["numerical_gradient", "chain_gradients"],
                    "04_gradient_descent": ["update_rule"], "05_training_loop": ["quiz_updates_per_epoch"]}

# ------------------------------------------------------------------ the seal breaker
def _opens(exercise, candidates, fallback, name):
    return (f"from course.checks import reveal\n\n"
            f"{name} = next((c for c in {candidates} if (reveal({exercise!r}, c) or ('',))[0] == 'right'), "
            f"{fallback!r})\n")


ORDERS = "(list(p) for p in __import__('itertools').permutations('ABCD'))"
SEAL_ANSWERS = {
    "01_forward_pass": {"quiz_first_guess": _opens("quiz_first_guess", "'ABCD'", "C", "first_guess_answer")},
    "02_loss": {"predict_mse_output": _opens("predict_mse_output", "(f'Loss: {i / 10000:.4f}' for i in range(10000))",
                                             "Loss: 0.5", "predicted_output"),
                "quiz_why_square": _opens("quiz_why_square", "'ABCD'", "A", "why_square_answer")},
    "04_gradient_descent": {"quiz_diverging_lr": _opens("quiz_diverging_lr", "'ABCD'", "A", "diverging_lr_answer"),
                            "explore_max_lr": _opens("explore_max_lr", "(i / 1000 for i in range(1, 1001))", 0.5,
                                                     "max_stable_lr")},
    "05_training_loop": {
        "order_steps": _opens("order_steps", ORDERS.replace("list(p)", "''.join(p)"), "ABCD", "step_order"),
        "quiz_updates_per_epoch": _opens("quiz_updates_per_epoch", "range(1, 1001)", 50, "updates_per_epoch")},
}

# ------------------------------------------------------------------ the trap
TRAP = r'''
import os
import shutil

work = os.getcwd()                       # inside the warm sandbox: its working folder
home = os.path.dirname(work)             # the sandbox's own folder, holding work/ and sockets/
sockets = os.path.join(home, "sockets")
tried = []


def attempt(what, action):
    try:
        action()
        tried.append(f"{what}: done")
    except OSError as error:
        tried.append(f"{what}: {type(error).__name__}")


attempt("rename sockets", lambda: os.rename(sockets, os.path.join(home, "moved")))
attempt("replace sockets", lambda: (shutil.rmtree(sockets), os.symlink("/nowhere", sockets)))
attempt("link beside sockets", lambda: os.symlink("/nowhere", os.path.join(home, "sockets-link")))
attempt("rename work", lambda: os.rename(work, os.path.join(home, "work-moved")))
attempt("replace work", lambda: os.symlink("/nowhere", os.path.join(home, "work")))
attempt("fill sockets", lambda: [open(os.path.join(sockets, f"junk-{i}"), "w").close() for i in range(50)])
attempt("lock sockets", lambda: os.chmod(sockets, 0))
attempt("lock work", lambda: os.chmod(work, 0))
print("TRAP", " | ".join(tried))
'''

HNL = "how_networks_learn"
STEMS = ["01_forward_pass", "02_loss", "03_backpropagation", "04_gradient_descent", "05_training_loop"]


def _reaimed():
    from tests.e2e.adversarial.shortcuts import SHORTCUTS
    answers = {stem: dict(found) for stem, found in REAIMED_ANSWERS.items()}
    for stem, ids in SHORTCUT_ANSWERS.items():
        answers.setdefault(stem, {}).update({grade_id: SHORTCUTS[grade_id] for grade_id in ids})
    return answers


STUDENTS = {"thief": THIEF_ANSWERS, "frame_thief": {"05_training_loop": {"implement_loop": FRAME_THIEF}},
            "reaimed": _reaimed(), "seal_breaker": SEAL_ANSWERS}


def _test_ids(nb, answers):
    return sorted(c.metadata.nbgrader["grade_id"] for c in nb.cells
                  if c.metadata.get("nbgrader", {}).get("grade") and not c.metadata.nbgrader.get("solution")
                  and any(c.metadata.nbgrader["grade_id"].startswith(f"test_{a}") for a in answers))


def build(dest):
    """Write every attacker, the trap and its victim to ``dest/<student>/how_networks_learn/``.

    Returns ``{student: {notebook: [test cells that must score 0]}}`` (every other test cell of a
    notebook the student handed in must score full marks).
    """
    lost = {}
    for sid, by_notebook in STUDENTS.items():
        for stem, answers in by_notebook.items():
            nb = perfect_notebook(nbformat.read(release(stem), as_version=4), nbformat.read(source(stem), as_version=4))
            for grade_id, code in answers.items():
                set_answer(nb, grade_id, code)
            write(dest, sid, stem, nb)
            lost.setdefault(sid, {})[stem] = _test_ids(nb, answers)
    last = STEMS[-1]
    trap = perfect_notebook(nbformat.read(release(last), as_version=4), nbformat.read(source(last), as_version=4))
    trap.cells.append(nbformat.v4.new_code_cell(TRAP))
    write(dest, "a_trap", last, trap)
    lost["a_trap"] = {last: []}
    first = STEMS[0]  # the next kernel the same sandbox starts: the victim's first notebook
    write(dest, "b_victim", first,
          perfect_notebook(nbformat.read(release(first), as_version=4), nbformat.read(source(first), as_version=4)))
    lost["b_victim"] = {first: []}
    assert {assignment_of(stem) for stem in STEMS} == {HNL}
    return lost
