"""Maths of lesson 05: a two-input sigmoid neuron trained by (mini-)batch gradient descent.

The dashboard calls ``run``; the tests check it against finite differences and by hand.
A run records the loss over the *whole* dataset at the start and after every epoch, so
``losses`` has ``epochs + 1`` entries whatever the batch size.
"""
import math
import operator
from typing import NamedTuple

from .forward import logistic

# The AND gate: 1 only when both inputs are 1 (the lesson's worked run).
AND_DATA = (((0.0, 0.0), 0.0), ((0.0, 1.0), 0.0), ((1.0, 0.0), 0.0), ((1.0, 1.0), 1.0))
AND_START = ((0.1, -0.2), 0.0)

# The exercise data of lesson 05 and its starting point.
EXERCISE_DATA = (((0.2, 0.8), 1.0), ((0.9, 0.1), 0.0), ((0.5, 0.5), 1.0), ((0.1, 0.3), 0.0))
EXERCISE_START = ((0.5, -0.3), 0.1)

DATASETS = {
    "AND gate": (AND_DATA, AND_START),
    "exercise data": (EXERCISE_DATA, EXERCISE_START),
}


def predict(weights, bias, inputs):
    """sigmoid(w . x + b) for one example."""
    return logistic(bias + math.fsum(w * x for w, x in zip(weights, inputs)))


def mse(weights, bias, data):
    """Mean squared error of the neuron over ``data`` (a sequence of (inputs, target))."""
    return math.fsum((predict(weights, bias, xs) - t) ** 2 for xs, t in data) / len(data)


def batch_gradient(weights, bias, batch):
    """Gradient of the batch's MSE: mean over the batch of 2*(s - t)*s*(1 - s) times (x, 1)."""
    grads = [0.0] * len(weights)
    grad_b = 0.0
    for xs, t in batch:
        s = predict(weights, bias, xs)
        blame = 2.0 * (s - t) * s * (1.0 - s)  # dLoss/dz for this example, chain rule through sigmoid
        for i, x in enumerate(xs):
            grads[i] += blame * x
        grad_b += blame
    n = len(batch)
    return [g / n for g in grads], grad_b / n


def batches(data, batch_size):
    """Split ``data`` in order into batches of ``batch_size`` (the last may be smaller)."""
    size = max(1, int(batch_size))
    return [data[i:i + size] for i in range(0, len(data), size)]


def updates_in_one_epoch(n_examples, batch_size):
    """How many weight updates one pass over the data makes: ceil(n / batch size)."""
    return -(-int(n_examples) // max(1, int(batch_size)))


class Run(NamedTuple):
    weights: tuple
    bias: float
    losses: list  # whole-dataset loss at the start and after each epoch: epochs + 1 values
    updates: int  # weight updates made in total


def run(data, lr, epochs, batch_size=None, weights=(0.1, -0.2), bias=0.0):
    """Train with mini-batch gradient descent; ``batch_size=None`` means the whole dataset.

    Each update is ``batch_gradient``'s, written out inline with plain floats: the dashboard
    re-trains on every slider change, so this loop has to be quick. The whole-dataset loss
    after each epoch is computed at the end, for all epochs at once (``losses_along``).
    """
    data = [(tuple(float(x) for x in xs), float(t)) for xs, t in data]
    weights = [float(w) for w in weights]
    bias = float(bias)
    groups = batches(data, batch_size or len(data))
    tanh, inputs = math.tanh, range(len(weights))
    history = [(tuple(weights), bias)]
    updates = 0
    for _ in range(int(epochs)):
        for batch in groups:
            grads, grad_b = [0.0] * len(weights), 0.0
            for xs, t in batch:
                s = 0.5 * (1.0 + tanh(0.5 * (bias + sum(map(operator.mul, weights, xs)))))  # predict
                blame = 2.0 * (s - t) * s * (1.0 - s)  # dLoss/dz, as in batch_gradient
                for i in inputs:
                    grads[i] += blame * xs[i]
                grad_b += blame
            n = len(batch)
            for i in inputs:
                weights[i] -= lr * (grads[i] / n)
            bias -= lr * (grad_b / n)
            updates += 1
        history.append((tuple(weights), bias))
    return Run(tuple(weights), bias, losses_along(history, data), updates)


def losses_along(history, data):
    """``mse`` of every ``(weights, bias)`` in ``history`` over ``data``, computed together with numpy."""
    import numpy as np

    ws = np.array([w for w, _ in history], dtype=float)
    bs = np.array([b for _, b in history], dtype=float)
    xs = np.array([x for x, _ in data], dtype=float)
    ts = np.array([t for _, t in data], dtype=float)
    with np.errstate(all="ignore"):
        s = 0.5 * (1.0 + np.tanh(0.5 * (ws @ xs.T + bs[:, None])))
        return ((s - ts) ** 2).mean(axis=1).tolist()


def boundary_segment(w0, w1, bias, lo=-0.25, hi=1.25):
    """The part of the line w0*x0 + w1*x1 + bias = 0 inside the square [lo, hi]^2.

    That line is where the neuron outputs exactly 0.5: its decision boundary. Returns
    ((x0, x1), (x0, x1)) for the two ends, or None when the line misses the square
    (or the weights are both zero, so there is no line at all).
    """
    points = []
    if abs(w1) > 1e-12:
        for x0 in (lo, hi):
            x1 = -(w0 * x0 + bias) / w1
            if lo - 1e-12 <= x1 <= hi + 1e-12:
                points.append((x0, x1))
    if abs(w0) > 1e-12:
        for x1 in (lo, hi):
            x0 = -(w1 * x1 + bias) / w0
            if lo - 1e-12 <= x0 <= hi + 1e-12:
                points.append((x0, x1))
    if len(points) < 2:
        return None
    # the two points farthest apart (corners can appear twice)
    a, b = max(((p, q) for p in points for q in points),
               key=lambda pq: (pq[0][0] - pq[1][0]) ** 2 + (pq[0][1] - pq[1][1]) ** 2)
    return (a, b) if a != b else None
