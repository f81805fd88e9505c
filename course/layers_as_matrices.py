"""Maths of lesson 07: the activations side by side, and how the starting weights decide whether a
small network learns XOR at all.

Plain functions, unit-tested without a display; the lesson's picture and widget call them.
Computing a layer's output or its gradients for any input is what the lesson's exercises ask for,
so nothing here does that: the trainer works on the lesson's own XOR data only, with one fixed
2-3-1 network whose starting weights are a fixed draw (``DIRECTIONS``) times a scale.
"""
import math
import random
from typing import NamedTuple

import numpy as np

# XOR as (x0, x1, target): the four rows of lesson 06's batch.
XOR_ROWS = ((0.0, 0.0, 0.0), (0.0, 1.0, 1.0), (1.0, 0.0, 1.0), (1.0, 1.0, 0.0))
HIDDEN = 3      # the widget's network is 2-3-1
EPOCHS = 1000   # full-batch steps the widget shows
SEED = 1        # the draw behind every starting point of the widget
FLAT = 4.0      # a sigmoid whose input is beyond +-4 has a slope below 0.018: it is saturated


# ------------------------------------------------------------------ activations
def activation_curves(z):
    """``{name: (values, slopes)}`` of sigmoid, tanh and ReLU at the points ``z`` (a numpy array).

    The slope of ReLU at exactly 0 is taken as 0 (it has a corner there).
    """
    z = np.asarray(z, dtype=float)
    s = 0.5 * (1.0 + np.tanh(0.5 * z))  # the sigmoid, written so that it never overflows
    t = np.tanh(z)
    return {
        "sigmoid": (s, s * (1.0 - s)),
        "tanh": (t, 1.0 - t ** 2),
        "ReLU": (np.maximum(z, 0.0), (z > 0).astype(float)),
    }


# ------------------------------------------------------------------ the widget's network
def _directions(seed=SEED):
    """The fixed draw every start scales: W1 as two rows (one per input) of HIDDEN numbers, then W2."""
    rng = random.Random(seed)

    def row():
        return tuple(round(rng.gauss(0.0, 1.0), 2) for _ in range(HIDDEN))

    return (row(), row()), row()


DIRECTIONS = _directions()


def starting_point(scale):
    """``(W1, b1, W2, b2)`` of the 2-3-1 network at the start: W1 (2 rows of 3: input i, neuron j) and W2
    (one number per hidden neuron) are ``scale`` times DIRECTIONS, every bias is 0. ``scale`` 0 is all zeros."""
    (row0, row1), w2 = DIRECTIONS
    return ((tuple(scale * w for w in row0), tuple(scale * w for w in row1)), (0.0,) * HIDDEN,
            tuple(scale * w for w in w2), 0.0)


class Run(NamedTuple):
    losses: list       # the MSE before each of the EPOCHS steps, and after the last: EPOCHS + 1 numbers
    outputs: tuple     # the trained network's output for XOR's four points
    W1: tuple          # the trained hidden weights: two rows (one per input) of HIDDEN numbers
    saturated: int     # how many of the 4 x HIDDEN hidden sums are beyond +-FLAT at the start


def run(lr, scale, epochs=EPOCHS):
    """Train the 2-3-1 network on XOR from ``starting_point(scale)``: full-batch gradient descent on the MSE.

    Written with plain floats, one example at a time, because the widget trains a new run whenever a
    slider moves and this has to be quick (a few milliseconds per thousand epochs, where numpy spends
    more time setting up each tiny product than computing it).
    """
    (row0, row1), b, v, k = starting_point(float(scale))
    w0, w1, b, v = list(row0), list(row1), list(b), list(v)
    lr, n, hidden, last = float(lr), len(XOR_ROWS), range(HIDDEN), int(epochs)
    tanh = math.tanh  # the sigmoid as 0.5 + 0.5 * tanh(z / 2): no overflow, one call
    saturated = sum(abs(w0[j] * x0 + w1[j] * x1 + b[j]) > FLAT for x0, x1, _ in XOR_ROWS for j in hidden)
    losses, outputs = [], ()
    for epoch in range(last + 1):
        g0, g1, gb, gv, gk = [0.0] * HIDDEN, [0.0] * HIDDEN, [0.0] * HIDDEN, [0.0] * HIDDEN, 0.0
        total, outs = 0.0, []
        for x0, x1, t in XOR_ROWS:
            h = [0.5 + 0.5 * tanh(0.5 * (w0[j] * x0 + w1[j] * x1 + b[j])) for j in hidden]
            out = 0.5 + 0.5 * tanh(0.5 * (k + sum(v[j] * h[j] for j in hidden)))
            outs.append(out)
            err = out - t
            total += err * err
            blame = 2.0 / n * err * out * (1.0 - out)       # at the output's sum, this example's share of the mean
            gk += blame
            for j in hidden:
                gv[j] += blame * h[j]
                blame_j = blame * v[j] * h[j] * (1.0 - h[j])  # at hidden neuron j's sum
                gb[j] += blame_j
                g0[j] += blame_j * x0
                g1[j] += blame_j * x1
        losses.append(total / n)
        outputs = tuple(outs)
        if epoch == last:
            break
        for j in hidden:
            w0[j] -= lr * g0[j]
            w1[j] -= lr * g1[j]
            b[j] -= lr * gb[j]
            v[j] -= lr * gv[j]
        k -= lr * gk
    return Run(losses, outputs, (tuple(w0), tuple(w1)), saturated)


def rounds_right(outputs):
    """True when every output is within 0.5 of its XOR target."""
    return all(abs(o - t) < 0.5 for o, (_, _, t) in zip(outputs, XOR_ROWS, strict=True))


def hidden_neurons_identical(W1, tol=1e-9):
    """True when every hidden neuron (a column of W1) has the same weights as the first."""
    return all(abs(row[j] - row[0]) <= tol for row in W1 for j in range(len(row)))
