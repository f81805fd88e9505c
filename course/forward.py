"""Maths of lesson 01: one neuron making a guess.

Pure functions, unit-tested without a display; the widgets call them. Everything here is
about the lesson's own spam email: computing a neuron's output for any weights and inputs
is the lesson's exercise, so no function here does that.
"""
import math

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


def guess_after_nudge(lr):
    """The spam guess before and after one nudge with learning rate ``lr``: (before, after).

    A nudge previews lessons 02-04: one downhill step on the squared error (target - guess)^2
    for every weight and the bias. The blame each weight receives is proportional to its
    feature, so a feature of 0 would leave its weight alone.
    """
    g = first_spam_guess()
    blame = 2.0 * (g - SPAM_TARGET) * g * (1.0 - g)  # d(loss)/d(z)
    new_weights = tuple(w - lr * blame * x for w, x in zip(SPAM_START_WEIGHTS, SPAM_FEATURES))
    return g, _spam_guess(new_weights, SPAM_START_BIAS - lr * blame)
