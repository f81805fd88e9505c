"""Maths of lesson 03: assigning blame.

Pure functions, unit-tested without a display; the widgets and pictures call them.

Everything is about the lesson's own one-weight problem (course.one_weight): prediction
``w * X``, loss ``L(w) = (w*X - TARGET)**2``. Written out, ``L`` is a parabola in ``w``:
``L(w) = A*w**2 + B*w + C`` with ``A = X**2``, ``B = -2*X*TARGET``, ``C = TARGET**2``,
whose slope at ``w`` is ``2*A*w + B``. The widgets draw that parabola, its tangent, and
where one downhill step lands. The gradient for any x and target is the lesson's exercise,
so nothing here takes x or target as an argument.
"""
from typing import NamedTuple

from .one_weight import START_W, TARGET, X

# L(w) = A*w**2 + B*w + C for the lesson's x and target.
A, B, C = X * X, -2.0 * X * TARGET, TARGET * TARGET


def parabola_value(w):
    """The lesson's loss at ``w``: ``A*w**2 + B*w + C``."""
    return (A * w + B) * w + C


def parabola_slope(w):
    """The slope of the lesson's loss parabola at ``w``: ``2*A*w + B``."""
    return 2.0 * A * w + B


class Step(NamedTuple):
    """One gradient-descent step on the parabola, seen against its tangent."""
    w: float             # where we stand
    loss: float          # the loss there
    slope: float         # the gradient there (the tangent's slope)
    new_w: float         # w - lr * slope
    tangent_loss: float  # the loss the tangent line predicts at new_w
    new_loss: float      # the loss the parabola really has at new_w


def tangent_step(lr):
    """One step ``new_w = w - lr * slope`` from the lesson's start, and the tangent's promise against the real loss."""
    w = START_W
    slope = parabola_slope(w)
    new_w = w - lr * slope
    loss, new_loss = (w * X - TARGET) ** 2, (new_w * X - TARGET) ** 2
    return Step(w, loss, slope, new_w, loss + slope * (new_w - w), new_loss)


def chain_blame(local_slopes):
    """Blame carried backwards along a chain of steps, starting at the loss.

    ``local_slopes`` lists, from the loss backwards, how much each link's output moves
    when its input moves by one. Returns the blame of every node from the loss (1.0)
    back to the first input: each is the one after it times the link between them.
    (It only multiplies slopes it is given: finding each link's slope is the lesson's work.)
    """
    blame = [1.0]
    for slope in local_slopes:
        blame.append(blame[-1] * slope)
    return blame
