"""Submission variants for 07_layers_as_matrices: right answers written differently, each named mistake,
and answers hard-coded to the visible tests' expected values. Test cells not listed score full points.

``forward``, ``gradient`` and ``backward`` build answers with one knob turned to a mistake;
tests/course/exercises/test_layers_as_matrices.py uses the same builders.
"""
from course.exercises.layers_as_matrices import (
    ANY_CASES,
    FORWARD_ANY_CASES,
    FORWARD_CASES,
    INPUTS_CASES,
    MSE_CASES,
    PARAMS_CASES,
)


def forward(*, z="X @ W + b", out="1 / (1 + np.exp(-z))"):
    """A dense_forward with one knob turned to a named mistake."""
    return f'''import numpy as np


def dense_forward(X, W, b):
    z = {z}
    return {out}
'''


def gradient(line="2 * (outputs - targets) / outputs.size"):
    """mse_grad as the student completes the released line."""
    return f'''def mse_grad(outputs, targets):
    """d/d outputs of np.mean((outputs - targets) ** 2): an array shaped like outputs."""
    return {line}
'''


def backward(*, z="X @ W + b", grad_z="grad_out * out * (1 - out)", grad_X="grad_z @ W.T", grad_W="X.T @ grad_z",
             grad_b="grad_z.sum(axis=0)"):
    """A dense_backward with one knob turned to a named mistake."""
    return f'''import numpy as np


def dense_backward(X, W, b, grad_out):
    out = 1 / (1 + np.exp(-({z})))
    grad_z = {grad_z}
    grad_X = {grad_X}
    grad_W = {grad_W}
    grad_b = {grad_b}
    return grad_X, grad_W, grad_b
'''


# Right answers written differently: einsum, np.dot, .transpose(), np.sum, the student's own dense_forward.
NUMPY_FORWARD = '''import numpy as np


def dense_forward(X, W, b):
    sums = np.einsum("ni,ij->nj", X, W) + b[np.newaxis, :]
    return np.reciprocal(1.0 + np.exp(-sums))
'''

NUMPY_GRADIENT = gradient("2.0 * np.subtract(outputs, targets) / np.size(outputs)")

NUMPY_BACKWARD = '''import numpy as np


def dense_backward(X, W, b, grad_out):
    activation = dense_forward(X, W, b)
    delta = grad_out * activation * (1.0 - activation)
    return np.dot(delta, W.transpose()), np.dot(X.transpose(), delta), np.sum(delta, axis=0)
'''

# Loops instead of matrix products: example by example, neuron by neuron, input by input.
LOOP_FORWARD = '''import math

import numpy as np


def dense_forward(X, W, b):
    n, d_in, d_out = len(X), len(W), len(b)
    out = np.zeros((n, d_out))
    for row in range(n):
        for j in range(d_out):
            z = b[j]
            for i in range(d_in):
                z += X[row][i] * W[i][j]
            out[row][j] = 1 / (1 + math.exp(-z))
    return out
'''

LOOP_BACKWARD = '''import math

import numpy as np


def dense_backward(X, W, b, grad_out):
    n, d_in, d_out = len(X), len(W), len(b)
    grad_X, grad_W, grad_b = np.zeros((n, d_in)), np.zeros((d_in, d_out)), np.zeros(d_out)
    for row in range(n):
        for j in range(d_out):
            z = b[j] + sum(X[row][i] * W[i][j] for i in range(d_in))
            out = 1 / (1 + math.exp(-z))
            blame = grad_out[row][j] * out * (1 - out)
            grad_b[j] += blame
            for i in range(d_in):
                grad_W[i][j] += X[row][i] * blame
                grad_X[row][i] += blame * W[i][j]
    return grad_X, grad_W, grad_b
'''


def _by_shape(name, params, cases, result):
    """A function that returns the visible checks' expected value for each of their shapes."""
    table = {key: value for key, value in ((shape, result(case)) for shape, case in cases)}
    return f'''import numpy as np

KNOWN = {table!r}


def {name}({params}):
    return KNOWN[SHAPE]
'''


def _forward_shape(case):
    return (len(case[1]), len(case[2]), len(case[3]))


HARD_CODED_FORWARD = _by_shape("dense_forward", "X, W, b",
                               [(_forward_shape(c), c) for c in [*FORWARD_CASES, *FORWARD_ANY_CASES]],
                               lambda c: c[4]).replace("SHAPE", "(X.shape[0], W.shape[0], W.shape[1])")
HARD_CODED_GRADIENT = _by_shape("mse_grad", "outputs, targets", [(tuple(map(len, (c[1], c[1][0]))), c)
                                                                 for c in MSE_CASES],
                                lambda c: c[3]).replace("SHAPE", "outputs.shape")
HARD_CODED_BACKWARD = _by_shape("dense_backward", "X, W, b, grad_out",
                                [(_forward_shape(c), c) for c in [*PARAMS_CASES, *INPUTS_CASES, *ANY_CASES]],
                                lambda c: c[5]).replace("SHAPE", "(X.shape[0], W.shape[0], W.shape[1])")

FORWARD_CELLS = {"test_dense_forward": 0, "test_dense_forward_any_shape": 0}
BACKWARD_CELLS = {"test_dense_backward_params": 0, "test_dense_backward_inputs": 0, "test_dense_backward_any_shape": 0}

VARIANTS = {
    "numpy_written_differently": {
        "answers": {"dense_forward": NUMPY_FORWARD, "mse_grad": NUMPY_GRADIENT, "dense_backward": NUMPY_BACKWARD,
                    "quiz_shapes": 'shapes_answer = " c "\n', "quiz_zero_init": "zero_init_answer = 'b'\n"},
        "scores": {},
    },
    "loops": {"answers": {"dense_forward": LOOP_FORWARD, "dense_backward": LOOP_BACKWARD}, "scores": {}},
    # dense_forward
    "shapes_swapped": {"answers": {"dense_forward": forward(z="W @ X + b")}, "scores": FORWARD_CELLS},
    # mse_grad
    "divides_by_rows": {"answers": {"mse_grad": gradient("2 * (outputs - targets) / len(outputs)")},
                        "scores": {"test_mse_grad": 0}},
    # dense_backward: each part's own cells
    "no_sigmoid_slope": {"answers": {"dense_backward": backward(grad_z="grad_out")}, "scores": BACKWARD_CELLS},
    "grad_x_without_transpose": {"answers": {"dense_backward": backward(grad_X="grad_z @ W")},
                                 "scores": {"test_dense_backward_inputs": 0, "test_dense_backward_any_shape": 0}},
    "grad_w_without_transpose": {"answers": {"dense_backward": backward(grad_W="X @ grad_z")},
                                 "scores": {"test_dense_backward_params": 0, "test_dense_backward_any_shape": 0}},
    "mean_not_sum": {"answers": {"dense_backward": backward(grad_W="X.T @ grad_z / len(X)",
                                                            grad_b="grad_z.mean(axis=0)")},
                     "scores": {"test_dense_backward_params": 0, "test_dense_backward_any_shape": 0}},
    "forgotten_bias": {"answers": {"dense_forward": forward(z="X @ W"), "dense_backward": backward(z="X @ W")},
                       "scores": {**FORWARD_CELLS, **BACKWARD_CELLS}},
    # quizzes
    "wrong_letters": {"answers": {"quiz_shapes": 'shapes_answer = "A"\n', "quiz_zero_init": 'zero_init_answer = "C"\n'},
                      "scores": {"test_quiz_shapes": 0, "test_quiz_zero_init": 0}},
    "hard_coded": {
        "answers": {"dense_forward": HARD_CODED_FORWARD, "mse_grad": HARD_CODED_GRADIENT,
                    "dense_backward": HARD_CODED_BACKWARD},
        "scores": {**FORWARD_CELLS, "test_mse_grad": 0, **BACKWARD_CELLS},
    },
}

# Every answer cell's code at once, each answer wrong: the grader must confirm none
# (tests/grader/test_confirm.py).
ALL_WRONG = ("import numpy as np\n"
             "def dense_forward(X, W, b):\n"
             "    return X @ W + b\n"
             "def mse_grad(outputs, targets):\n"
             "    return 2 * (outputs - targets) / len(outputs)\n"
             "def dense_backward(X, W, b, grad_out):\n"
             "    return X, W, b\n"
             "shapes_answer = 'A'\n"
             "zero_init_answer = 'C'")
