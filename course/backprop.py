"""Maths of lesson 03: assigning blame.

Pure functions, unit-tested without a display; the widgets and pictures call them.

The one-weight problem: prediction ``w * x``, loss ``L(w) = (w*x - target)**2``.
Written out, ``L`` is a parabola in ``w``: ``L(w) = a*w**2 + b*w + c`` with
``a = x**2``, ``b = -2*x*target``, ``c = target**2``, whose slope at ``w`` is ``2*a*w + b``.
The widgets draw that parabola, its tangent, and where one downhill step lands.
"""
from typing import NamedTuple

# The one-weight problem of lessons 03 and 04.
X = 1.5
TARGET = 1.0
START_W = 0.3


def parabola(x=X, target=TARGET):
    """Coefficients ``(a, b, c)`` of ``L(w) = (w*x - target)**2 = a*w**2 + b*w + c``."""
    return x * x, -2.0 * x * target, target * target


def parabola_value(coeffs, w):
    """``a*w**2 + b*w + c``."""
    a, b, c = coeffs
    return (a * w + b) * w + c


def parabola_slope(coeffs, w):
    """The slope of the parabola at ``w``: ``2*a*w + b``."""
    a, b, _ = coeffs
    return 2.0 * a * w + b


class Step(NamedTuple):
    """One gradient-descent step on the parabola, seen against its tangent."""
    w: float             # where we stand
    loss: float          # the loss there
    slope: float         # the gradient there (the tangent's slope)
    new_w: float         # w - lr * slope
    tangent_loss: float  # the loss the tangent line predicts at new_w
    new_loss: float      # the loss the parabola really has at new_w


def tangent_step(lr, w=START_W, x=X, target=TARGET):
    """Take one step ``new_w = w - lr * slope`` and compare the tangent's promise with the real loss."""
    slope = parabola_slope(parabola(x, target), w)
    new_w = w - lr * slope
    loss, new_loss = (w * x - target) ** 2, (new_w * x - target) ** 2
    return Step(w, loss, slope, new_w, loss + slope * (new_w - w), new_loss)


def chain_blame(local_slopes):
    """Blame carried backwards along a chain of steps, starting at the loss.

    ``local_slopes`` lists, from the loss backwards, how much each link's output moves
    when its input moves by one. Returns the blame of every node from the loss (1.0)
    back to the first input: each is the one after it times the link between them.
    """
    blame = [1.0]
    for slope in local_slopes:
        blame.append(blame[-1] * slope)
    return blame
