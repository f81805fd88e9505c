"""Maths of lesson 01: one neuron making a guess.

Pure functions, unit-tested without a display; the widgets call them.
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


def weighted_sum(weights, features, bias):
    """z = bias + sum of weight times feature."""
    return bias + math.fsum(w * x for w, x in zip(weights, features, strict=True))


def guess(weights, features, bias):
    """The neuron's guess: the logistic squash of the weighted sum."""
    return logistic(weighted_sum(weights, features, bias))


def nudge(weights, features, bias, target, lr):
    """One downhill step on the squared error (target - guess)^2 for every weight and the bias.

    Previews lessons 02-04: returns the new (weights, bias). The blame each weight
    receives is proportional to its feature, so a feature of 0 leaves its weight alone.
    """
    g = guess(weights, features, bias)
    blame = 2.0 * (g - target) * g * (1.0 - g)  # d(loss)/d(z)
    new_weights = tuple(w - lr * blame * x for w, x in zip(weights, features))
    return new_weights, bias - lr * blame


def guess_after_nudge(lr, weights=SPAM_START_WEIGHTS, features=SPAM_FEATURES,
                      bias=SPAM_START_BIAS, target=SPAM_TARGET):
    """The spam guess before and after one nudge with learning rate ``lr``: (before, after)."""
    new_weights, new_bias = nudge(weights, features, bias, target, lr)
    return guess(weights, features, bias), guess(new_weights, features, new_bias)
