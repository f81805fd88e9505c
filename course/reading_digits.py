"""Lesson 09 maths: the handwritten digits, read with numpy alone, and their fixed split.

``load_digits`` and ``split_digits`` only read and cut data (no exercise's answer), so they are
building blocks (course.checks.BUILDING_BLOCKS): the grading sandbox's view keeps them as they are.
"""
import gzip
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent / "data" / "digits.csv.gz"  # its source and licence: data/README.md
N_VALIDATION = 360  # a fifth of the 1,797 images, kept aside to measure what the network has not seen
SPLIT_SEED = 2024


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
