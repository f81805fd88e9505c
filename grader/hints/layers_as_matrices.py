"""Lesson 07's sealed hints: the quizzes' keys and texts, and the values the named mistakes of
``dense_forward``, ``mse_grad`` and ``dense_backward`` give on the visible checks' examples.

Each mistake is one knob of a small reference below, turned away from the right answer, so the
value a mistake produces is computed from the mistake itself (see grader/hints/__init__.py).
"""
import numpy as np

# The examples of the visible checks: the hints are about the values these give.
from course.exercises.layers_as_matrices import (
    ANY_CASES,
    FORWARD_ANY_CASES,
    FORWARD_CASES,
    INPUTS_CASES,
    MSE_CASES,
    PARAMS_CASES,
)

from . import named_mistakes


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _named(right, mistakes):
    """Each distinct wrong value once, as nested lists (a mistake that gives the right answer here, or an
    array of another shape, is not named: the check says what is wrong with the shape itself)."""
    return named_mistakes(right, [(None if value is None or np.shape(value) != np.shape(right)
                                   else np.asarray(value, dtype=float), text) for value, text in mistakes])


def _attempt(function, *args, **knobs):
    try:
        return function(*(np.array(a, dtype=float) for a in args), **knobs)
    except ValueError:  # a product whose shapes do not fit: the check names the shapes instead
        return None


# ------------------------------------------------------------------ dense_forward
def forward(X, W, b, *, squash=True, bias=True, exp_sign=-1.0, transposed=False, bias_after=False):
    """dense_forward with one knob turned to a mistake (all knobs at their defaults: the right answer)."""
    z = X @ (W.T if transposed else W)
    if bias and not bias_after:
        z = z + b
    out = 1.0 / (1.0 + np.exp(exp_sign * z)) if squash else z
    return out + b if bias_after else out


FORWARD_MISTAKES = [
    ({"squash": False}, "leave out the sigmoid: X @ W + b is only the weighted sums"),
    ({"bias": False}, "leave out the bias b"),
    ({"exp_sign": 1.0}, "use e^(+z) instead of e^(-z) in the sigmoid"),
    ({"transposed": True}, "use W transposed, W.T, as lesson 6's hidden_weights[j][i] was: here W[i, j] already is "
                           "the weight from input i to neuron j"),
    ({"bias_after": True}, "add the bias after the sigmoid instead of to the sum inside it"),
]


def _forward_hints(case):
    name, X, W, b = case[:4]
    right = forward(*(np.array(a, dtype=float) for a in (X, W, b)))
    return {f"dense_forward:{name}": _named(right, [(_attempt(forward, X, W, b, **knobs), text)
                                                    for knobs, text in FORWARD_MISTAKES])}


# ------------------------------------------------------------------ mse_grad
def gradient(outputs, targets, *, two=2.0, sign=1.0, divisor="size"):
    """mse_grad with one knob turned to a mistake."""
    count = {"size": outputs.size, "rows": len(outputs), "columns": outputs.shape[-1], "none": 1}[divisor]
    return two * sign * (outputs - targets) / count


MSE_MISTAKES = [
    ({"divisor": "rows"}, "divide by len(outputs), the number of rows, instead of outputs.size, the number of "
                          "entries (rows times columns) that np.mean divides by"),
    ({"two": 1.0}, "leave out the factor 2 that comes from the square"),
    ({"sign": -1.0}, "flip the sign: the gradient of (outputs - targets) ** 2 has (outputs - targets), not "
                     "(targets - outputs)"),
    ({"divisor": "none"}, "leave out the division: that is the gradient of the sum of the squares, not of their mean"),
    ({"divisor": "columns"}, "divide by the number of columns instead of the number of entries"),
]


def _mse_hints(case):
    name, outputs, targets = case[:3]
    right = gradient(np.array(outputs), np.array(targets))
    return {f"mse_grad:{name}": _named(right, [(_attempt(gradient, outputs, targets, **knobs), text)
                                               for knobs, text in MSE_MISTAKES])}


# ------------------------------------------------------------------ dense_backward
def backward(X, W, b, grad_out, *, slope=True, bias=True, mean_b=False, mean_W=False, grad_W_transposed=False,
             grad_X_untransposed=False):
    """dense_backward with one knob turned to a mistake: (grad_X, grad_W, grad_b)."""
    out = _sigmoid(X @ W + (b if bias else 0.0))
    grad_z = grad_out * out * (1.0 - out) if slope else grad_out
    grad_X = grad_z @ (W if grad_X_untransposed else W.T)
    grad_W = grad_z.T @ X if grad_W_transposed else X.T @ grad_z
    if mean_W:
        grad_W = grad_W / len(X)
    grad_b = grad_z.mean(axis=0) if mean_b else grad_z.sum(axis=0)
    return grad_X, grad_W, grad_b


_SLOPE = "leave out the sigmoid's slope: grad_z = grad_out * out * (1 - out), not grad_out itself"
_BIAS = "leave out the bias in the forward pass inside dense_backward: out = sigmoid(X @ W + b)"
BACKWARD_MISTAKES = [
    ({"slope": False}, _SLOPE),
    ({"bias": False}, _BIAS),
    ({"mean_b": True}, "average grad_b over the examples (a mean) instead of adding it up: the loss's division "
                       "is already inside grad_out"),
    ({"mean_W": True}, "divide grad_W by the number of examples: the batch is added up, and the loss's division "
                       "is already inside grad_out"),
    ({"grad_W_transposed": True}, "compute grad_W transposed (grad_z.T @ X): grad_W[i, j] belongs to W[i, j], "
                                  "input i and neuron j, so it is X's transpose that multiplies grad_z"),
    ({"grad_X_untransposed": True}, "multiply grad_z by W instead of by its transpose W.T"),
]
PARTS = ("grad_X", "grad_W", "grad_b")


def _backward_hints(case):
    name, X, W, b, grad_out = case[:5]
    right = backward(*(np.array(a, dtype=float) for a in (X, W, b, grad_out)))
    attempts = [(_attempt(backward, X, W, b, grad_out, **knobs), text) for knobs, text in BACKWARD_MISTAKES]
    return {f"dense_backward:{name}:{part}": _named(right[index], [(None if got is None else got[index], text)
                                                                    for got, text in attempts])
            for index, part in enumerate(PARTS)}


QUIZ_SHAPES = [
    ("C", "right", "Right: the inputs are added up in X @ W and disappear; the examples (rows) and the neurons "
                   "(columns) stay, and b is added to every row."),
    ("A", "wrong", "The batch is (32, 4) because each example has 4 inputs, but the layer has 3 neurons: what does "
                   "each neuron give for each example?"),
    ("B", "wrong", "That is the shape of W itself. X @ W + b holds something for every example of the batch."),
    ("D", "wrong", "In X @ W the rows of the result come from the rows of X: what does each row of X stand for?"),
]

QUIZ_ZERO_INIT = [
    ("B", "right", "Right: identical neurons get identical blame and take identical steps, so nothing can ever make "
                   "them differ; random starting weights break that symmetry."),
    ("A", "wrong", "The sigmoid of 0 is 0.5, not 0: with all weights at 0 every hidden neuron outputs 0.5."),
    ("C", "wrong", "In the AND run above the weights did move from zero, a long way: the output layer gets a "
                   "gradient at once. (XOR from zeros is a special case, where the targets balance out.)"),
    ("D", "wrong", "A step is the learning rate times the gradient, not times the weight: the AND run's weights "
                   "moved away from 0."),
]

HINTS = {
    "quiz_shapes": QUIZ_SHAPES,
    "quiz_zero_init": QUIZ_ZERO_INIT,
    **{k: v for case in [*FORWARD_CASES, *FORWARD_ANY_CASES] for k, v in _forward_hints(case).items()},
    **{k: v for case in MSE_CASES for k, v in _mse_hints(case).items()},
    **{k: v for case in [*PARAMS_CASES, *INPUTS_CASES, *ANY_CASES] for k, v in _backward_hints(case).items()},
}
