"""Maths of lesson 08: a softmax classifier on the lesson's three-class point cloud.

Plain functions, unit-tested without a display; the lesson's widget calls them. Turning any
scores into probabilities, a loss or a gradient is what the lesson's exercises ask for, so
nothing here does that for the student's arrays: the trainer works on the lesson's own points
only, from the starting points of a fixed menu (``STARTS``).

The classifier is one linear layer and a softmax (lesson 07's ``X @ W + b``, with ``W`` of
shape (2, 3) and ``b`` of shape (3,)), trained by full-batch gradient descent on either loss.
"""
from typing import NamedTuple

import numpy as np

CLASSES = 3
PER_CLASS = 30
# The three clusters' centres: radius 2, at 90, 210 and 330 degrees.
CENTRES = ((0.0, 2.0), (-1.7320508075688772, -1.0), (1.7320508075688772, -1.0))
SPREAD = 0.7
DATA_SEED = 8

# The widget's menu of starting points (W, b), the same for both losses.
STARTS = {
    # small random numbers: the network starts out unsure about every point
    "small random": (((-0.10, -0.02, -0.02), (0.05, 0.02, 0.04)), (0.0, 0.0, 0.0)),
    # each cluster's scores point at the NEXT class: sure of itself, and wrong about almost every point
    "confidently wrong": (((1.7, 0.0, -1.7), (-1.0, 2.0, -1.0)), (0.0, 0.0, 0.0)),
}
LOSSES = ("cross-entropy", "MSE")


def point_cloud():
    """The lesson's points: ``(X, labels)``, X of shape (90, 2) and labels (90,) ints 0, 1, 2.

    Thirty points around each centre of ``CENTRES``, drawn once from a fixed seed and rounded to
    two decimals, so every run of the lesson sees the same cloud. (A data loader: the grading
    view keeps it, course/checks.py BUILDING_BLOCKS.)
    """
    rng = np.random.default_rng(DATA_SEED)
    X = np.concatenate([np.asarray(c) + SPREAD * rng.standard_normal((PER_CLASS, 2)) for c in CENTRES])
    return np.round(X, 2), np.repeat(np.arange(CLASSES), PER_CLASS)


class Run(NamedTuple):
    losses: np.ndarray      # the loss before each update, and after the last: epochs + 1 values
    accuracies: np.ndarray  # the fraction of points classified right, at the same moments
    weights: np.ndarray     # W at the same moments: (epochs + 1, 2, 3)
    biases: np.ndarray      # b at the same moments: (epochs + 1, 3)


def _start(start):
    if start not in STARTS:
        raise ValueError(f"unknown start {start!r}; the lesson's starts are {', '.join(STARTS)}")
    W, b = STARTS[start]
    return np.array(W, dtype=float), np.array(b, dtype=float)


def run(lr, epochs, loss="cross-entropy", start="confidently wrong"):
    """Train the lesson's classifier on ``point_cloud()`` from ``STARTS[start]``: full-batch gradient
    descent on the mean cross-entropy or on the MSE of the probabilities (``np.mean((P - Y) ** 2)``).

    Written with in-place numpy on the lesson's small arrays, because the widget trains a new run
    whenever the learning rate moves (a few milliseconds for a few hundred epochs).
    """
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}; the lesson compares {' and '.join(LOSSES)}")
    X, labels = point_cloud()
    W, b = _start(start)
    lr, epochs, n = float(lr), int(epochs), len(labels)
    rows = np.arange(n)
    targets = np.zeros((n, CLASSES))
    targets[rows, labels] = 1.0
    XT = X.T.copy()
    losses, accuracies = np.empty(epochs + 1), np.empty(epochs + 1)
    weights, biases = np.empty((epochs + 1, 2, CLASSES)), np.empty((epochs + 1, CLASSES))
    with np.errstate(all="ignore"):  # a learning rate far too big overflows; the curves then say so
        for epoch in range(epochs + 1):
            weights[epoch], biases[epoch] = W, b
            scores = X @ W + b
            scores -= scores.max(axis=1)[:, None]
            probs = np.exp(scores)
            probs /= probs.sum(axis=1)[:, None]
            accuracies[epoch] = np.count_nonzero(probs.argmax(axis=1) == labels) / n
            diff = probs - targets
            if loss == "cross-entropy":
                losses[epoch] = -np.log(probs[rows, labels]).sum() / n
                blame = diff / n                                   # dL/dscores
            else:
                losses[epoch] = np.square(diff).sum() / diff.size
                g = diff * (2.0 / diff.size)                       # dL/dprobs
                blame = probs * (g - (g * probs).sum(axis=1)[:, None])  # through the softmax
            if epoch == epochs:
                break
            W = W - lr * (XT @ blame)
            b = b - lr * blame.sum(axis=0)
    return Run(losses, accuracies, weights, biases)


def regions(W, b, grid):
    """For every point of the square grid ``grid`` x ``grid`` (rows along the second input): the class
    the classifier picks there and how sure it is (its largest probability), as two (len, len) arrays."""
    x0, x1 = np.meshgrid(grid, grid)
    scores = x0[..., None] * W[0] + x1[..., None] * W[1] + b
    with np.errstate(all="ignore"):
        scores -= scores.max(axis=-1, keepdims=True)
        e = np.exp(scores)
        sure = 1.0 / e.sum(axis=-1)       # the winner's exp is exp(0) = 1
    return scores.argmax(axis=-1), sure
