"""Maths of lesson 05: a two-input sigmoid neuron trained by (mini-)batch gradient descent.

The dashboard calls ``run``; the tests check it against finite differences and by hand.
A run records the loss over the *whole* dataset at the start and after every epoch, so
``losses`` has ``epochs + 1`` entries whatever the batch size.

Training on any data from any start is the lesson's exercise, so every function here takes
a dataset *name* from the dashboard's menu (``DATASETS``) and starts from that dataset's own
starting point: only the learning rate, the epochs and the batch size are the caller's.
"""
import itertools
import math
from types import MappingProxyType
from typing import NamedTuple

from .forward_pass import logistic

# The AND gate: 1 only when both inputs are 1 (the lesson's worked run).
AND_DATA = (((0.0, 0.0), 0.0), ((0.0, 1.0), 0.0), ((1.0, 0.0), 0.0), ((1.0, 1.0), 1.0))
AND_START = ((0.1, -0.2), 0.0)

# The exercise data of lesson 05 and its starting point.
EXERCISE_DATA = (((0.2, 0.8), 1.0), ((0.9, 0.1), 0.0), ((0.5, 0.5), 1.0), ((0.1, 0.3), 0.0))
EXERCISE_START = ((0.5, -0.3), 0.1)

# The dashboard's menu, read-only: a dataset a student adds here could be trained on from any start.
DATASETS = MappingProxyType({
    "AND gate": (AND_DATA, AND_START),
    "exercise data": (EXERCISE_DATA, EXERCISE_START),
})


def dataset(name):
    """``(examples, (start weights, start bias))`` of the dataset called ``name`` in ``DATASETS``."""
    if not isinstance(name, str) or name not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}; the lesson's datasets are {', '.join(DATASETS)}")
    return DATASETS[name]


def predictions(name, weights, bias):
    """The neuron's output, sigmoid(w . x + b), for every example of dataset ``name``."""
    return [logistic(bias + math.fsum(w * x for w, x in zip(weights, xs))) for xs, _ in dataset(name)[0]]


def batches(name, batch_size):
    """Dataset ``name`` split in order into batches of ``batch_size`` (the last may be smaller)."""
    data, size = dataset(name)[0], max(1, int(batch_size))
    return [data[i:i + size] for i in range(0, len(data), size)]


def epochs_of_training(name, lr, batch_size=None):
    """Train on dataset ``name`` from its starting point; yield ``(weights, bias)`` after every epoch, forever.

    Mini-batch gradient descent on the MSE (``batch_size=None``: the whole dataset). Each update
    is the mean over the batch of 2*(s - t)*s*(1 - s) times (x, 1), written out inline with plain
    floats, one name per weight: the dashboard re-trains on every slider change, so this loop has
    to be quick (30 frames a second). A generator, so that the dashboard can resume a run for more
    epochs instead of starting over.
    """
    data, ((w0, w1), bias) = dataset(name)  # every dataset of the lesson has two inputs
    w0, w1, bias = float(w0), float(w1), float(bias)
    groups = batches(name, batch_size or len(data))
    tanh = math.tanh
    while True:
        for batch in groups:
            g0 = g1 = grad_b = 0.0
            for (x0, x1), t in batch:
                s = 0.5 * (1.0 + tanh(0.5 * (bias + (w0 * x0 + w1 * x1))))  # predict
                blame = 2.0 * (s - t) * s * (1.0 - s)  # dLoss/dz for this example, chain rule through sigmoid
                g0 += blame * x0
                g1 += blame * x1
                grad_b += blame
            n = len(batch)
            w0 -= lr * (g0 / n)
            w1 -= lr * (g1 / n)
            bias -= lr * (grad_b / n)
        yield (w0, w1), bias


def losses_along(name, history):
    """The MSE over dataset ``name`` of every ``(weights, bias)`` in ``history``, computed together with numpy."""
    import numpy as np

    data = dataset(name)[0]
    ws = np.array([w for w, _ in history], dtype=float)
    bs = np.array([b for _, b in history], dtype=float)
    xs = np.array([x for x, _ in data], dtype=float)
    ts = np.array([t for _, t in data], dtype=float)
    with np.errstate(all="ignore"):
        s = 0.5 * (1.0 + np.tanh(0.5 * (ws @ xs.T + bs[:, None])))
        return ((s - ts) ** 2).mean(axis=1).tolist()


class Run(NamedTuple):
    weights: tuple
    bias: float
    losses: list  # whole-dataset loss at the start and after each epoch: epochs + 1 values
    updates: int  # weight updates made in total


def run(name, lr, epochs, batch_size=None):
    """Train on dataset ``name`` for ``epochs`` epochs from its starting point; ``batch_size=None``: full batch."""
    data, (weights, bias) = dataset(name)
    history = [(tuple(float(w) for w in weights), float(bias))]
    history += itertools.islice(epochs_of_training(name, lr, batch_size), int(epochs))
    updates = int(epochs) * len(batches(name, batch_size or len(data)))
    return Run(*history[-1], losses_along(name, history), updates)


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
