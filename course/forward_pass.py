"""Maths of lesson 01: one neuron making a guess.

Pure functions, unit-tested without a display; the widgets call them. Everything here is
about the lesson's own examples (the spam email, and the one-weight neuron of the "one nudge"
preview): computing a neuron's output for any weights and inputs is the lesson's exercise,
so no function here does that.
"""
import math
from typing import NamedTuple

from .one_weight import START_W, TARGET, X

# The spam example: three features of an email, weights drawn at random before training.
# Features: share of words in capitals, number of links (in tens), "free" appears (0/1).
SPAM_FEATURES = (0.6, 0.3, 1.0)
SPAM_START_WEIGHTS = (-0.42, 0.31, -0.12)
SPAM_START_BIAS = 0.0
SPAM_TARGET = 1.0  # this email really is spam


def logistic(z):
    """Squash any real number into (0, 1). The tanh form never overflows, however large |z| is."""
    return 0.5 * (1.0 + math.tanh(0.5 * z))


def _spam_guess(weights, bias):
    # the spam email's features only: a general neuron is the student's to write
    return logistic(bias + math.fsum(w * x for w, x in zip(weights, SPAM_FEATURES, strict=True)))


def first_spam_guess():
    """The untrained neuron's guess for the spam email (about 0.43)."""
    return _spam_guess(SPAM_START_WEIGHTS, SPAM_START_BIAS)


# ---------------------------------------------------------------- the preview: one nudge
# The smallest neuron there is, the one lessons 02 to 04 train (course.one_weight): one input X,
# one weight, no squash, so its guess is w * X. Nothing caps that guess, so a nudge that is too
# big carries it past the right answer: the preview shows that bigger is not always better.
class Nudge(NamedTuple):
    """The one-weight neuron's guess and its squared error, before and after one nudge."""

    before: float        # the guess START_W * X
    after: float         # the guess after the nudge
    error_before: float  # (guess - TARGET)^2 before
    error_after: float   # and after


def guess_after_nudge(lr):
    """One nudge of size ``lr`` on the one-weight neuron: a downhill step on its squared error.

    ``w_new = w - lr * 2 * (w*X - TARGET) * X``. The guess moves by ``lr * 2 * X**2`` times its
    error: for lr below 1/(2 X^2) it falls short of the target, at 1/(2 X^2) it lands on it,
    above that it overshoots, and above 1/X^2 it ends further from the target than it started.
    """
    before = START_W * X
    w = START_W - lr * 2.0 * (before - TARGET) * X
    after = w * X
    return Nudge(before, after, (before - TARGET) ** 2, (after - TARGET) ** 2)


def nudge_outcome(lr):
    """What one nudge of size ``lr`` does: 'none', 'short', 'on target', 'past, closer' or 'past, further'.

    Read off where the guess lands: still below the target, on it (within 1e-9), above it but
    with a smaller error than before, or above it with an error as big as before or bigger.
    """
    if lr < 0 or math.isnan(lr):
        raise ValueError(f"a learning rate must be a number >= 0, got {lr!r}")
    nudge = guess_after_nudge(lr)
    if lr == 0:
        return "none"
    if abs(nudge.after - TARGET) <= 1e-9:
        return "on target"
    if nudge.after < TARGET:
        return "short"
    return "past, closer" if nudge.error_after < nudge.error_before - 1e-12 else "past, further"
