"""07 layers as matrices: references for ``dense_forward``, ``mse_grad`` and ``dense_backward``, and the
keys of ``quiz_shapes`` and ``quiz_zero_init``.

Every question draws its own arrays, shapes included, from the grader's ``rng``, so no answer can be
aimed at it; the judges compare with the references below, written from the formulas of the lesson,
in the grader's process. The shapes are chosen per test cell so that a mistake in one part of
``dense_backward`` costs that part's cell: the grad_W / grad_b cell uses square weights (a grad_X
without its transpose still runs), the grad_X cell as many examples as inputs (a grad_W without its
transpose still runs), and the any-shape cell anything.
"""
import numpy as np

from .questions import Confirmation, all_close, array, array_close, as_array, choice, failure, seen

TOL = 1e-6


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # never overflows


def dense_forward(X, W, b):
    return _sigmoid(X @ W + b)


def mse_grad(outputs, targets):
    return 2.0 * (outputs - targets) / outputs.size


def dense_backward(X, W, b, grad_out):
    out = _sigmoid(X @ W + b)
    grad_z = grad_out * out * (1.0 - out)
    return grad_z @ W.T, X.T @ grad_z, grad_z.sum(axis=0)


# ------------------------------------------------------------------ drawing questions
def _draw(rng, *shape, spread=1.5):
    """An array of ``shape`` with entries uniform in [-spread, spread], rounded to 4 decimals."""
    size = int(np.prod(shape))
    values = np.array([round(rng.uniform(-spread, spread), 4) for _ in range(size)], dtype=float)
    return values.reshape(shape)


def _call(name, *arrays):
    return f"{name}({', '.join(array(a.tolist()) for a in arrays)})"


def _shown(name, *arrays):
    """The call as the feedback shows it: the shapes of its arrays, not their hundreds of digits."""
    return f"{name}({', '.join('an array of shape ' + str(a.shape) for a in arrays)})"


def _forward_question(confirmation, rng, n, d_in, d_out):
    X, W, b = _draw(rng, n, d_in), _draw(rng, d_in, d_out), _draw(rng, d_out, spread=1.0)
    confirmation.ask(_call("dense_forward", X, W, b),
                     array_close(dense_forward(X, W, b), _shown("dense_forward", X, W, b), TOL))


def _mse_question(confirmation, rng, n, k):
    outputs = np.array([[round(rng.uniform(0.0, 1.0), 4) for _ in range(k)] for _ in range(n)])
    targets = np.array([[float(rng.random() < 0.5) for _ in range(k)] for _ in range(n)])
    confirmation.ask(_call("mse_grad", outputs, targets),
                     array_close(mse_grad(outputs, targets), _shown("mse_grad", outputs, targets), TOL))


def _backward_question(confirmation, rng, n, d_in, d_out, parts):
    """dense_backward on drawn arrays of these sizes, judged on ``parts`` (indices into (grad_X, grad_W, grad_b))."""
    X, W, b = _draw(rng, n, d_in), _draw(rng, d_in, d_out), _draw(rng, d_out, spread=1.0)
    grad_out = _draw(rng, n, d_out, spread=0.5)
    expected, shown = dense_backward(X, W, b, grad_out), _shown("dense_backward", X, W, b, grad_out)
    names = ("grad_X", "grad_W", "grad_b")

    def judge(reply):
        problem = failure(reply)
        if problem:
            return f"{shown}: {problem}"
        value = reply.get("value")
        if not isinstance(value, list) or len(value) != 3:
            return f"{shown} returned {seen(value)}, not three gradients"
        for index in parts:
            if not all_close(as_array(value[index], expected[index].shape), expected[index], TOL):
                return f"{shown}: its {names[index]} {seen(value[index])} is not right"
        return None
    confirmation.ask(_call("dense_backward", X, W, b, grad_out), judge)


def _other(rng, low, high, avoid):
    """A size in [low, high] other than ``avoid``."""
    return rng.choice([k for k in range(low, high + 1) if k != avoid])


def confirmations(rng):
    shapes = Confirmation("test_quiz_shapes", "quiz_shapes").ask("shapes_answer", choice("C", "shapes_answer"))

    forward = Confirmation("test_dense_forward", "dense_forward")
    _forward_question(forward, rng, 4, 2, 2)            # the lesson's hidden layer, on other numbers
    _forward_question(forward, rng, rng.randint(2, 6), 2, 1)
    _forward_question(forward, rng, rng.randint(2, 8), rng.randint(2, 5), rng.randint(2, 5))
    forward_any = Confirmation("test_dense_forward_any_shape", "dense_forward")
    _forward_question(forward_any, rng, 1, rng.randint(2, 6), rng.randint(2, 6))
    _forward_question(forward_any, rng, rng.randint(3, 9), 1, rng.randint(2, 5))
    _forward_question(forward_any, rng, rng.randint(10, 30), rng.randint(6, 12), rng.randint(6, 12))

    grad = Confirmation("test_mse_grad", "mse_grad")
    _mse_question(grad, rng, rng.randint(2, 6), 1)
    for _ in range(3):                                  # several columns: the divisor counts every entry
        _mse_question(grad, rng, rng.randint(2, 6), rng.randint(2, 5))

    params = Confirmation("test_dense_backward_params", "dense_backward")
    for d in (2, rng.randint(3, 5)):                    # square W, as many examples as anything but d
        _backward_question(params, rng, _other(rng, 2, 8, d), d, d, (1, 2))
    inputs = Confirmation("test_dense_backward_inputs", "dense_backward")
    for d in (2, rng.randint(3, 5)):                    # as many examples as inputs as neurons
        _backward_question(inputs, rng, d, d, d, (0,))
    any_shape = Confirmation("test_dense_backward_any_shape", "dense_backward")
    _backward_question(any_shape, rng, 1, rng.randint(2, 5), rng.randint(2, 5), (0, 1, 2))
    _backward_question(any_shape, rng, rng.randint(3, 8), rng.randint(2, 4), 1, (0, 1, 2))
    n, d_in = rng.randint(5, 12), rng.randint(2, 6)
    _backward_question(any_shape, rng, n, d_in, _other(rng, 2, 6, d_in), (0, 1, 2))

    zero = Confirmation("test_quiz_zero_init", "quiz_zero_init").ask("zero_init_answer",
                                                                      choice("B", "zero_init_answer"))
    return [shapes, forward, forward_any, grad, params, inputs, any_shape, zero]
