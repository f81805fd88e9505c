"""Maths of lesson 06: why one neuron cannot learn XOR, and a 2-2-1 network that can.

Plain functions, unit-tested without a display; the lesson's pictures and widget call them.
Computing a network's output, its gradients or a training run for any data and any start is
what the lesson's exercises ask for, so nothing here does that: the trainer works on the
lesson's own XOR data only, from the starting points of a fixed menu of seeds (``SEEDS``).

A network's parameters are ``(hidden_weights, hidden_biases, output_weights, output_bias)``
with ``hidden_weights[j][i]`` the weight from input ``i`` to hidden neuron ``j``, as in the lesson.
"""
import math
import random
from array import array
from collections.abc import Sequence
from typing import NamedTuple

from .forward_pass import logistic

# XOR: 1 when exactly one input is 1.
XOR_DATA = (((0.0, 0.0), 0.0), ((0.0, 1.0), 1.0), ((1.0, 0.0), 1.0), ((1.0, 1.0), 0.0))

# One neuron on XOR (section 1): lesson 05's AND-gate start, trained full batch.
ONE_NEURON_START = ((0.1, -0.2), 0.0)

# The widget's menu of starting points, each drawn from its seed by ``starting_point``.
# Seed 0 is the lesson's start; with seed 7 the network gets stuck (the lesson says why).
SEEDS = (0, 1, 2, 4, 5, 7)
LESSON_SEED = 0
STUCK_SEED = 7


def points_right(w0, w1, bias):
    """How many of XOR's four points one straight line w0*x0 + w1*x1 + bias = 0 gets right.

    A single neuron says "1" on one side of its line and "0" on the other; the better of the
    two ways of labelling the sides is counted. No line gets more than 3.
    """
    above = [w0 * x0 + w1 * x1 + bias > 0 for (x0, x1), _ in XOR_DATA]
    agree = sum(side == (target == 1.0) for side, (_, target) in zip(above, XOR_DATA))
    return max(agree, len(XOR_DATA) - agree)


def one_neuron_losses(lr, epochs):
    """The MSE on XOR of one sigmoid neuron before each of ``epochs`` full-batch steps from ONE_NEURON_START."""
    (w0, w1), b = ONE_NEURON_START
    losses = []
    for _ in range(int(epochs)):
        g0 = g1 = gb = 0.0
        total = 0.0
        for (x0, x1), t in XOR_DATA:
            s = logistic(w0 * x0 + w1 * x1 + b)
            total += (s - t) ** 2
            blame = 2.0 * (s - t) * s * (1.0 - s) / len(XOR_DATA)
            g0, g1, gb = g0 + blame * x0, g1 + blame * x1, gb + blame
        losses.append(total / len(XOR_DATA))
        w0, w1, b = w0 - lr * g0, w1 - lr * g1, b - lr * gb
    return losses


def _menu_seed(seed):
    if isinstance(seed, bool) or not isinstance(seed, int) or seed not in SEEDS:
        raise ValueError(f"unknown seed {seed!r}; the lesson's seeds are {', '.join(map(str, SEEDS))}")
    return seed


def starting_point(seed):
    """The 2-2-1 network's starting parameters for one of ``SEEDS``: every number drawn
    uniformly from [-1, 1] and rounded to two decimals, in the order hidden weights (row by
    row), hidden biases, output weights, output bias."""
    rng = random.Random(_menu_seed(seed))

    def draw():
        return round(rng.uniform(-1.0, 1.0), 2)

    hidden_weights = tuple(tuple(draw() for _ in range(2)) for _ in range(2))
    hidden_biases = tuple(draw() for _ in range(2))
    output_weights = tuple(draw() for _ in range(2))
    return hidden_weights, hidden_biases, output_weights, draw()


class Run(NamedTuple):
    history: Sequence  # the parameters at the start and after every epoch: epochs + 1 entries
    losses: list       # the MSE on XOR of each entry of ``history``
    outputs: Sequence  # for each entry of ``history``: the network's output for XOR's four points
    hidden: Sequence   # for each entry of ``history``: (h0, h1) for each of XOR's four points


class PerEpoch(Sequence):
    """One value per epoch, each ``width`` floats, kept flat in an array and read back as ``shape(floats)``.

    The widget keeps dozens of runs of thousands of epochs. As nested tuples they were tens of
    thousands of objects the garbage collector walked again and again, pausing a slider change by tens
    of milliseconds; an array of floats is one object it never walks."""

    def __init__(self, values, width, shape):
        self.values, self.width, self.shape = array("d", values), width, shape

    def __len__(self):
        return len(self.values) // self.width

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("epoch out of range")
        return self.shape(self.values[index * self.width:(index + 1) * self.width])


def _parameters(p):
    """Nine floats as the network's parameters, nested as ``starting_point`` gives them."""
    return ((p[0], p[1]), (p[2], p[3])), (p[4], p[5]), (p[6], p[7]), p[8]


def _pairs(p):
    """Eight floats as (h0, h1) for each of XOR's four points."""
    return tuple(zip(p[::2], p[1::2]))


def run(seed, lr, epochs):
    """Train the 2-2-1 network on XOR from ``starting_point(seed)``: full-batch gradient descent on the MSE.

    Written out for two inputs and two hidden neurons with plain floats, because the widget
    trains a new run whenever a slider moves and this has to be quick (a few milliseconds per
    hundred epochs).
    """
    ((a, b), (c, d)), (e, f), (v, u), k = starting_point(seed)  # h0 = s(a x0 + b x1 + e), h1 = s(c x0 + d x1 + f)
    lr, n, last = float(lr), len(XOR_DATA), int(epochs)
    tanh = math.tanh  # logistic(z) written inline as 0.5 + 0.5 * tanh(z / 2): no call per neuron
    data = [(x0, x1, t) for (x0, x1), t in XOR_DATA]
    scale = 2.0 / n  # d(mean squared error)/d(output), without the (output - target)
    history, losses, outputs, hidden = [], [], [], []  # flat: 9, 1, 4 and 8 floats an epoch
    for epoch in range(last + 1):
        history += (a, b, c, d, e, f, v, u, k)
        ga = gb = gc = gd = ge = gf = gv = gu = gk = 0.0
        total = 0.0
        for x0, x1, t in data:
            h0 = 0.5 + 0.5 * tanh(0.5 * (a * x0 + b * x1 + e))
            h1 = 0.5 + 0.5 * tanh(0.5 * (c * x0 + d * x1 + f))
            out = 0.5 + 0.5 * tanh(0.5 * (v * h0 + u * h1 + k))
            outputs.append(out)
            hidden += (h0, h1)
            err = out - t
            total += err * err
            blame = scale * err * out * (1.0 - out)   # mean over the data: dL/d(output's sum)
            blame0 = blame * v * h0 * (1.0 - h0)      # ... at hidden neuron 0's sum
            blame1 = blame * u * h1 * (1.0 - h1)      # ... at hidden neuron 1's sum
            gv += blame * h0
            gu += blame * h1
            gk += blame
            ga += blame0 * x0
            gb += blame0 * x1
            ge += blame0
            gc += blame1 * x0
            gd += blame1 * x1
            gf += blame1
        losses.append(total / n)
        if epoch == last:
            break
        a, b, c, d, e, f = a - lr * ga, b - lr * gb, c - lr * gc, d - lr * gd, e - lr * ge, f - lr * gf
        v, u, k = v - lr * gv, u - lr * gu, k - lr * gk
    return Run(PerEpoch(history, 9, _parameters), losses, PerEpoch(outputs, 4, tuple), PerEpoch(hidden, 8, _pairs))


def rounds_right(outputs):
    """True when every output rounds to its XOR target (is within 0.5 of it)."""
    return all(abs(o - t) < 0.5 for o, (_, t) in zip(outputs, XOR_DATA, strict=True))
