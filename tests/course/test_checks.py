"""What every lesson's checks show a student, and what the grader's judges tell one, read as a person reads it.

Numbers are rounded as the lessons print them (4 significant digits: 0.135, not 0.13499999999999995),
and no line is wider than nbgrader shows whole (course.checks.WIDTH: its Validate dialog, and
`nbgrader validate` in a terminal, which cuts longer lines). Every check of every lesson runs on the
instructor's solutions (each passes) and on answers that are wrong in ways that return long floats,
lists and arrays of them.
"""
import contextlib
import io
import random
import re
import warnings

import nbformat
import pytest

from course.checks import WIDTH, CheckFailed, apart, shown, wrap
from grader.answers import confirmations_for
from grader.confirm import judge, probe_cell, read_replies
from grader.lessons import lesson_module
from tests.support.course_files import notebooks, source
from tests.support.messages import fails_with, paragraph, run_answer, shown_lines

STEMS = [p.stem for p in notebooks()]
# A float as a message writes it, and its significant digits (leading zeros and trailing zeros after
# the point do not count: 0.0250 has three, 24.0200 four).
FLOAT = re.compile(r"(?<![\w.])-?(\d+\.\d+)(?:e[+-]?\d+)?(?![\w.])")


def digits(number):
    whole, _, fraction = number.partition(".")
    return len((whole + fraction.rstrip("0")).lstrip("0"))


QUOTED = re.compile(r"""(?<!\w)'[^'\n]*'(?!\w)|(?<!\w)"[^"\n]*"(?!\w)""")


def unrounded(line):
    """The floats in ``line`` written with more than 4 significant digits, outside quoted text (what a
    student typed is shown as typed)."""
    return [m.group() for m in FLOAT.finditer(QUOTED.sub("''", line)) if digits(m.group(1)) > 4]


# Answers a student could write, wrong so that what comes back is a long float (or a list, an array,
# a tuple of them): 0.3 + 0.1 * -1.65 is 0.13499999999999995 to Python.
WRONG = {
    "01_forward_pass": ["import math\ndef neuron_output(weights, bias, inputs):\n"
                        "    return math.tanh(bias + sum(w * x for w, x in zip(weights, inputs)))\n"
                        "first_guess_answer = 'A'\n",
                        "def neuron_output(weights, bias, inputs):\n    return [w * 1.1 for w in weights]\n"
                        "first_guess_answer = 0.1 + 0.2\n"],
    "02_loss": ["def mse_loss(predictions, targets):\n"
                "    return sum(abs(p - t) for p, t in zip(predictions, targets)) / (len(predictions) + 0.1)\n"
                "predicted_output = 0.1 + 0.2\nwhy_square_answer = 'A'\n",
                "def mse_loss(predictions, targets):\n    return [p / 3 for p in predictions]\n"
                "predicted_output = 'Loss: 0.13499999999999995'\nwhy_square_answer = 1 / 3\n"],
    "03_backpropagation": ["def weight_gradient(w, x, target):\n    return 2 * (w * x - target) * x / 3\n"
                           "def numerical_gradient(f, w, eps=1 / 3):\n    return (f(w + eps) - f(w)) / eps\n"
                           "def chain_gradients(w1, w2, x, target):\n    return (w1 / 3, w2 / 3)\n"
                           "negative_gradient_answer = 'A'\n",
                           "def weight_gradient(w, x, target):\n    return (w / 3, x)\n"
                           "def numerical_gradient(f, w, eps=1e-6):\n    return [f(w) / 3]\n"
                           "def chain_gradients(w1, w2, x, target):\n    return [w1 / 3, w2 / 3, x / 3]\n"
                           "negative_gradient_answer = 'B'\n"],
    "04_gradient_descent": ["def update(weight, gradient, lr):\n    return weight + lr * gradient\n"
                            "def train_step(w, x, target, lr):\n    return w + lr * 2 * (w * x - target) * x / 3\n"
                            "diverging_lr_answer = 'A'\nmax_stable_lr = 1 / 3\n",
                            "def update(weight, gradient, lr):\n    return (weight / 3,)\n"
                            "def train_step(w, x, target, lr):\n    return w - lr * (w * x - target) * x / 3\n"
                            "diverging_lr_answer = 'B'\nmax_stable_lr = 0.2612345678\n"],
    "05_training_loop": ["def train_neuron(data, w0=0.5, w1=-0.3, bias=0.1, lr=0.3, epochs=3000, report_every=500):\n"
                         "    losses = [0.3 / (epoch + 3) for epoch in range(epochs)]\n"
                         "    for epoch in range(0, epochs, report_every):\n"
                         "        print(f'Epoch {epoch:4d} | loss={losses[epoch]!r}')\n"
                         "    return w0 / 3, w1 / 3, bias / 3, losses\n"
                         "step_order = ['A', 'B', 'C', 'D']\nupdates_per_epoch = 1000 / 3\n",
                         "def train_neuron(data, w0=0.5, w1=-0.3, bias=0.1, lr=0.3, epochs=3000, report_every=500):\n"
                         "    return w0 / 3, w1 / 3, bias / 3, [1 / 3] * (epochs - 1)\n"
                         "step_order = ['A', 'B', 'C']\nupdates_per_epoch = 'twenty'\n",
                         "def train_neuron(data, w0=0.5, w1=-0.3, bias=0.1, lr=0.3, epochs=3000, report_every=500):\n"
                         "    return [w0 / 3, w1 / 3, bias / 3, [1 + epoch / 3 for epoch in range(epochs)]]\n"],
    "06_hidden_layer": ["def network_output(hidden_weights, hidden_biases, output_weights, output_bias, inputs):\n"
                        "    return sum(output_weights) / 3 + output_bias\n"
                        "def network_gradients(hw, hb, ow, ob, inputs, target):\n"
                        "    return ([[w / 3 for w in row] for row in hw], [b / 3 for b in hb],\n"
                        "            [w / 3 for w in ow], ob / 3)\n"
                        "def train_network(data, hw, hb, ow, ob, lr, epochs):\n"
                        "    return ([[w / 3 for w in row] for row in hw], [b / 3 for b in hb], [w / 3 for w in ow],\n"
                        "            ob / 3, [1 + e / 3 for e in range(epochs)])\n"
                        "xor_answer = 'A'\n",
                        "def network_output(hidden_weights, hidden_biases, output_weights, output_bias, inputs):\n"
                        "    return [w / 3 for w in output_weights]\n"
                        "def network_gradients(hw, hb, ow, ob, inputs, target):\n"
                        "    return [b / 3 for b in hb], [b / 3 for b in hb], [w / 3 for w in ow]\n"
                        "def train_network(data, hw, hb, ow, ob, lr, epochs):\n"
                        "    hw[0][0] += 1 / 3\n"
                        "    return hw, hb, ow, ob, [0.3 / (e + 3) for e in range(epochs)]\n"
                        "xor_answer = 1 / 3\n"],
    "07_layers_as_matrices": ["import numpy as np\n"
                              "def dense_forward(X, W, b):\n    return (X @ W + b) / 3\n"
                              "def mse_grad(outputs, targets):\n    return (outputs - targets) / 3\n"
                              "def dense_backward(X, W, b, grad_out):\n"
                              "    return grad_out @ W.T / 3, X.T @ grad_out / 3, grad_out.sum(axis=0) / 3\n"
                              "shapes_answer = 'A'\nzero_init_answer = 1 / 3\n",
                              "import numpy as np\n"
                              "def dense_forward(X, W, b):\n    return ((X @ W + b) / 3).T\n"
                              "def mse_grad(outputs, targets):\n    return float(np.mean(outputs - targets) / 3)\n"
                              "def dense_backward(X, W, b, grad_out):\n    return [X / 3, W / 3]\n"
                              "shapes_answer = 'B'\nzero_init_answer = 'A'\n"],
    "08_classification": ["import numpy as np\n"
                          "def softmax(Z):\n    return np.exp(Z) / np.exp(Z).sum(axis=0) / 1.1\n"
                          "def cross_entropy(P, labels):\n"
                          "    return float(np.sum(-np.log(P[np.arange(len(labels)), labels])))\n"
                          "def softmax_ce_gradient(Z, labels):\n    return softmax(Z) / 3\n"
                          "def accuracy(P, labels):\n    return 1 / 3\n"
                          "predicted_ce_output = 'cross-entropy: 0.13499999999999995'\n"
                          "mse_for_classes_answer = 1 / 3\n",
                          "import numpy as np\n"
                          "def softmax(Z):\n    return (np.exp(Z) / 3).tolist()[0]\n"
                          "def cross_entropy(P, labels):\n    return [1 / 3]\n"
                          "def softmax_ce_gradient(Z, labels):\n    return np.ones(len(Z)) / 3\n"
                          "def accuracy(P, labels):\n    return [1 / 3, 2 / 3]\n"
                          "predicted_ce_output = 1 / 3\nmse_for_classes_answer = 'A'\n"],
    "09_reading_digits": ["def train_classifier(X, labels, params, lr, epochs, batch_size, seed=0):\n"
                          "    W1, b1, W2, b2 = (p / 3 for p in params)\n"
                          "    return (W1, b1, W2, b2), [1 + e / 3 for e in range(epochs)]\n"
                          "minibatch_order = ['A', 'B', 'C', 'D', 'E', 'F']\noverfitting_answer = 1 / 3\n",
                          "def train_classifier(X, labels, params, lr, epochs, batch_size, seed=0):\n"
                          "    return params, [x / 3 for x in range(epochs + 1)]\n"
                          "minibatch_order = ['A', 'B']\noverfitting_answer = 'A'\n"],
}


def _checks(stem):
    """Every visible check of the notebook's lesson, in the order the module defines them."""
    module = lesson_module("course.exercises", stem)
    return [f for name, f in vars(module).items()
            if name.startswith("check_") and callable(f) and f.__module__ == module.__name__]


def _solutions(stem):
    """A namespace where the source notebook's answer cells (the instructor's solutions) have run."""
    namespace = None
    for cell in nbformat.read(source(stem), as_version=4).cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            namespace = run_answer(cell.source, namespace)
    return namespace


def _everything_shown(stem, namespace):
    """(check name, line) for every line every check of the lesson shows, passing or failing."""
    return [(check.__name__, line) for check in _checks(stem) for line in shown_lines(check, namespace)]


# The checks of a line the student predicts: the texts about it quote that line's digits exactly, as the
# code prints them (f"cross-entropy: {ce:.4f}" prints 1.0397, and the sealed text says so).
EXACT = {"check_predict_mse_output", "check_predict_ce_output"}


def _readable(stem, shown_lines_):
    too_wide = [(name, line) for name, line in shown_lines_ if len(line) > WIDTH]
    assert not too_wide, f"{stem}: lines wider than {WIDTH}: {too_wide}"
    long_floats = [(name, line) for name, line in shown_lines_ if name not in EXACT and unrounded(line)]
    assert not long_floats, f"{stem}: unrounded numbers: {long_floats}"


@pytest.mark.parametrize("stem", STEMS)
def test_every_check_reads_well_on_the_solutions(stem):
    """Does every check pass on the instructor's solutions, saying so in short lines with rounded numbers?"""
    namespace = _solutions(stem)
    for check in _checks(stem):
        assert not any(line.startswith("CheckFailed") for line in shown_lines(check, namespace)), check.__name__
    lines = _everything_shown(stem, namespace)
    assert any(line.startswith("\u2714") for _, line in lines)
    _readable(stem, lines)


@pytest.mark.parametrize("stem", STEMS)
def test_every_check_reads_well_on_wrong_answers(stem):
    """Do the checks fail wrong answers in lines no wider than WIDTH, every number rounded for people?"""
    assert set(WRONG) == set(STEMS) or stem in WRONG
    failed = set()
    for variant in WRONG[stem]:
        namespace = run_answer(variant)
        lines = _everything_shown(stem, namespace)
        failed |= {name for name, line in lines if line.startswith("CheckFailed")}
        _readable(stem, lines)
    assert failed == {check.__name__ for check in _checks(stem)}, "a check no wrong answer fails"


def test_the_wrong_answers_return_what_the_lesson_would_not_print():
    """The test above means something: the wrong answers do return unrounded floats."""
    namespace = run_answer(WRONG["04_gradient_descent"][0])
    assert repr(namespace["update"](0.3, -1.65, 0.1)) == "0.13499999999999998"
    message = fails_with(lesson_module("course.exercises", "04_gradient_descent").check_update_rule, namespace)
    assert "update(0.3, -1.65, 0.1) should be about 0.465, but it returned 0.135." in message


def test_a_line_the_student_typed_is_shown_as_typed():
    """Exactness is the point of a predicted line: its digits are shown as they were typed."""
    namespace = run_answer(WRONG["08_classification"][0])
    message = fails_with(lesson_module("course.exercises", "08_classification").check_predict_ce_output, namespace)
    assert "`predicted_ce_output` = 'cross-entropy: 0.13499999999999995' is not what the code prints" in message


@pytest.mark.parametrize("stem", STEMS)
def test_no_reason_of_the_grader_holds_an_unrounded_number(stem):
    """Does what the grader's judges say about the wrong answers (feedback) round every number too?"""
    for variant in WRONG[stem]:
        namespace = run_answer(variant)
        for confirmation in confirmations_for(stem, random.Random(3)):
            verdict = judge(confirmation, _ask(confirmation, namespace))
            if verdict:
                assert not unrounded(verdict.reason), (confirmation.test, verdict.reason)


def _ask(confirmation, namespace):
    """The replies to the grader's questions, the probe cell run in ``namespace`` as the kernel would."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a wrong softmax overflows, as it would in the kernel
        exec(probe_cell(confirmation).source, namespace)
    cell = nbformat.v4.new_code_cell()
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=printed.getvalue())]
    return read_replies(cell, len(confirmation.questions))


# ------------------------------------------------------------------ the helpers themselves
@pytest.mark.parametrize("value,text", [
    (0.13499999999999995, "0.135"), (24.020000000000017, "24.02"), (0.4999999999999999, "0.5"), (1.0, "1.0"),
    (50000.0, "50000.0"), (-0.0, "0.0"), (1e-07, "1e-07"), (float("nan"), "nan"), (3, "3"), (True, "True"),
    (None, "None"), ("Loss: 0.13499999999999995", "'Loss: 0.13499999999999995'"),
    ([0.1 + 0.2, (1 / 3,)], "[0.3, (0.3333,)]"), ({"a": 2 / 3}, "{'a': 0.6667}"),
])
def test_shown_rounds_floats_and_keeps_everything_else(value, text):
    assert shown(value) == text


def test_shown_writes_a_numpy_array_element_by_element_and_cuts_long_ones():
    np = pytest.importorskip("numpy")
    assert shown(np.array([[0.5049998333399998, 1 / 3]])) == "array([[0.505, 0.3333]])"
    assert shown(np.float64(2 / 3)) == "0.6667" and shown(np.int64(7)) == "7"
    long = shown([1 / 3] * 1000, 60)
    assert len(long) == 60 and long.endswith("...")


def test_apart_shows_a_near_miss_with_the_digits_that_tell_it_apart():
    assert apart(0.465, 0.13499999999999995) == ("0.465", "0.135")
    assert apart(0.8807970779778823, 0.88079) == ("0.8808", "0.88079")
    assert apart(1.0, 1.0) == ("1.0", "1.0")
    assert apart([0.5, 0.25], [0.5, 0.2500001]) == ("[0.5, 0.25]", "[0.5, 0.2500001]")


MESSAGE = ("Hint: `predicted` should hold one class for each example: np.argmax(P, axis=1) picks the column of "
           "each row's largest probability, and f\"Epoch {epoch:4d} | loss={loss:.4f}\" prints it. The call "
           "network_output([[0.69, 0.52], [-0.16, -0.48]], [0.02, -0.19], [0.57, -0.39], -0.05, [1.0, 0.0], "
           "[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]) returned 0.5.")


def test_wrap_breaks_prose_not_code():
    """Long lines break at spaces between words; a call, a list, `code` and a quoted string stay whole
    while they fit on a line, and a call too long for one breaks after a comma of its own brackets."""
    lines = wrap(MESSAGE).split("\n")
    assert max(len(line) for line in lines) <= WIDTH and len(lines) > 2
    assert paragraph("\n".join(lines)) == MESSAGE  # nothing lost, nothing added
    for whole in ("`predicted`", "np.argmax(P, axis=1)", 'f"Epoch {epoch:4d} | loss={loss:.4f}"', "[0.69, 0.52]",
                  "[[0.69, 0.52], [-0.16, -0.48]],"):
        assert any(whole in line for line in lines), (whole, lines)
    assert all(line.rstrip().endswith(",") or "network_output(" not in line or line.endswith("returned 0.5.")
               for line in lines if "[" in line)


def test_wrap_keeps_the_indent_of_a_line_and_leaves_short_lines_alone():
    text = "dense_forward(X, W, b) with\n    X = " + shown([[i / 7, 1 / 3] for i in range(8)])
    lines = wrap(text).split("\n")
    assert lines[0] == "dense_forward(X, W, b) with" and len(lines) > 2
    assert all(line.startswith("    ") and len(line) <= WIDTH for line in lines[1:])
    assert wrap("short\n  lines") == "short\n  lines"


def test_a_failed_check_fits_beside_checkfaileds_name():
    """IPython and Validate show "CheckFailed: " before the first line: the first line leaves room for it."""
    failure = CheckFailed("\n" + MESSAGE, "fix_accuracy")
    first, *rest = failure._render_traceback_()
    assert first.startswith("\x1b[0;31mCheckFailed\x1b[0m: fix_accuracy: not yet.")
    assert len(first.replace("\x1b[0;31m", "").replace("\x1b[0m", "")) <= WIDTH
    assert all(len(line) <= WIDTH for line in rest)
