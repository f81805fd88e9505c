"""Lesson 09 maths: the handwritten digits, read with numpy alone, their fixed split, and the dashboard's trainer.

``load_digits`` and ``split_digits`` only read and cut data (no exercise's answer), so they are
building blocks (course.checks.BUILDING_BLOCKS): the grading sandbox's view keeps them as they are.

``training`` is the dashboard's engine. Writing a mini-batch training loop is the lesson's exercise,
so this one is locked to the lesson's digits (it takes no data: it cannot train on anything else),
draws its own start and shuffles with one random stream for the whole run, so it never retraces the
exercise's run; the grading view replaces it with a stub that answers nothing.
"""
import gzip
from pathlib import Path
from typing import NamedTuple

import numpy as np

DATA = Path(__file__).resolve().parent / "data" / "digits.csv.gz"  # its source and licence: data/README.md
N_VALIDATION = 360  # a fifth of the 1,797 images, kept aside to measure what the network has not seen
SPLIT_SEED = 2024
N_TRAIN = 1797 - N_VALIDATION
PIXELS, CLASSES = 64, 10


def load_digits():
    """``(X, labels)``: X is (1797, 64), each row an 8x8 image read row by row, scaled from 0-16 to 0-1;
    labels is (1797,), the digit each shows (ints 0-9)."""
    with gzip.open(DATA, "rt") as handle:
        table = np.loadtxt(handle, delimiter=",", dtype=np.int64)
    return table[:, :64] / 16.0, table[:, 64].copy()


def split_digits():
    """``(X_train, y_train, X_val, y_val)``: the same shuffled split every time (1,437 to train, 360 to validate)."""
    X, labels = load_digits()
    order = np.random.default_rng(SPLIT_SEED).permutation(len(labels))
    train, val = order[N_VALIDATION:], order[:N_VALIDATION]
    return X[train], labels[train], X[val], labels[val]


_SPLIT = []  # split_digits(), read once for every run of the dashboard


def _split():
    if not _SPLIT:
        _SPLIT.append(tuple(np.ascontiguousarray(part) for part in split_digits()))
    return _SPLIT[0]


# ------------------------------------------------------------------ the dashboard's trainer
class Epoch(NamedTuple):
    """The network after ``epoch`` epochs (0: the untrained start), measured on its training images and
    on the validation images."""
    epoch: int
    train_loss: float
    train_accuracy: float
    val_loss: float
    val_accuracy: float
    val_answers: np.ndarray  # the digit the network reads in each validation image, in split_digits' order


def _measure(X, labels, W1, b1, W2, b2):
    """(mean cross-entropy, accuracy, answers) of the network on X: log-softmax, so no probability is ever 0."""
    Z = np.tanh(X @ W1 + b1) @ W2 + b2
    Z = Z - Z.max(axis=1, keepdims=True)
    log_p = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
    answers = Z.argmax(axis=1)
    return float(-log_p[np.arange(len(labels)), labels].mean()), float((answers == labels).mean()), answers


def updates_per_epoch(batch_size, train_size=N_TRAIN):
    """Mini-batches in one epoch: the training images divided by the batch size, rounded up (the last batch
    may be smaller)."""
    return -(-int(train_size) // max(1, int(batch_size)))


def training(lr, batch_size=32, hidden=32, train_size=N_TRAIN, weight_decay=0.0, seed=0):
    """Train a 64-``hidden``-10 network (tanh hidden layer, softmax output, cross-entropy) on the first
    ``train_size`` training digits by mini-batch SGD. Yields an ``Epoch`` for the start, then one after every
    epoch, forever (a generator, so the dashboard can resume a run for more epochs).

    ``weight_decay`` adds ``weight_decay * W`` to each weight matrix's gradient (the biases are not
    decayed), pulling every weight a little towards 0 at each step.
    """
    X_train, y_train, X_val, y_val = _split()
    n = min(max(1, int(train_size)), N_TRAIN)
    X, labels = X_train[:n], y_train[:n]
    size, hidden = max(1, int(batch_size)), max(1, int(hidden))
    lr, decay = float(lr), float(weight_decay)
    rng = np.random.default_rng([SPLIT_SEED, seed, hidden])  # one stream: the start, then every epoch's order
    W1 = rng.normal(0.0, 1.0 / np.sqrt(PIXELS), (PIXELS, hidden))
    W2 = rng.normal(0.0, 1.0 / np.sqrt(hidden), (hidden, CLASSES))
    b1, b2 = np.zeros(hidden), np.zeros(CLASSES)
    rows = np.arange(size)
    epoch = 0
    while True:
        with np.errstate(all="ignore"):
            train_loss, train_accuracy, _ = _measure(X, labels, W1, b1, W2, b2)
            val_loss, val_accuracy, answers = _measure(X_val, y_val, W1, b1, W2, b2)
        yield Epoch(epoch, train_loss, train_accuracy, val_loss, val_accuracy, answers.astype(np.int8))
        order = rng.permutation(n)
        with np.errstate(all="ignore"):
            for start in range(0, n, size):
                batch = order[start:start + size]
                H = np.tanh(X[batch] @ W1 + b1)
                Z = H @ W2 + b2
                P = np.exp(Z - Z.max(axis=1, keepdims=True))
                P /= P.sum(axis=1, keepdims=True)
                P[rows[:len(batch)], labels[batch]] -= 1.0  # P - Y, without building Y
                P /= len(batch)
                blame = (P @ W2.T) * (1.0 - H * H)
                W2 -= lr * (H.T @ P + decay * W2)
                b2 -= lr * P.sum(axis=0)
                W1 -= lr * (X[batch].T @ blame + decay * W1)
                b1 -= lr * blame.sum(axis=0)
        epoch += 1


def confusion_matrix(answers, labels, classes=CLASSES):
    """``counts[t, a]``: how many images of digit ``t`` the network read as ``a`` (the diagonal is right)."""
    answers, labels = np.asarray(answers, dtype=np.int64), np.asarray(labels, dtype=np.int64)
    return np.bincount(labels * classes + answers, minlength=classes * classes).reshape(classes, classes)


def misread(answers, labels, limit=None):
    """The positions of the images the network reads wrong, in order (the first ``limit`` of them)."""
    wrong = np.flatnonzero(np.asarray(answers) != np.asarray(labels))
    return wrong if limit is None else wrong[:limit]


def best_epoch(val_losses):
    """The epoch whose validation loss is lowest (the first, on a tie): where early stopping keeps the network."""
    return int(np.argmin(np.asarray(val_losses, dtype=float)))
