"""Maths of lesson 04: gradient descent, the downhill step.

Two small problems, both pure functions the widgets call and the tests check:

* the one-weight problem from lesson 03 (course.one_weight): prediction ``w * x``, loss
  ``L(w) = (w*x - TARGET)**2``, for the lesson's ``x = X`` and the exploration exercise's
  ``x = EXPLORE_X`` only;
* a two-parameter surface: prediction ``w * x + b`` on a tiny fixed dataset, loss = mean squared error.

On the one-weight problem one step of size ``lr`` multiplies the distance to the best
weight ``TARGET / x`` by ``r = 1 - 2*lr*x**2``. Everything about the learning rate follows:

    0 < r < 1        lr < 1/(2x^2)      the ball slides down without passing the bottom
    r = 0            lr = 1/(2x^2)      one step lands exactly on the bottom
    -1 < r < 0       lr < 1/x^2         the ball jumps across the valley each step, but settles
    r = -1           lr = 1/x^2         the ball jumps between the same two points forever
    r < -1           lr > 1/x^2         every jump lands higher than the last: it flies off

Paths stop as soon as they leave the plotted window, so a diverging run never reaches
inf or nan and never raises a floating-point warning, whatever the learning rate.

A step for any (w, x, target), a gradient for any data and the exploration exercise's limit
are what students work out, so the functions here take no target and no data, accept only
the two lessons' inputs x, and give the limits for the lesson's x alone.
"""
import math
from typing import NamedTuple

from .one_weight import TARGET, X

EXPLORE_X = 2.0  # the input of lesson 04's exploration exercise (same target)

# "crawl": a step closes less than a fifth of the gap to the bottom (r > 0.8),
# which is the case for lr below CRAWL_FRACTION / x^2.
CRAWL_FRACTION = 0.1

REGIMES = ("crawl", "smooth", "bounce", "explode")

# How close r must be to -1 to count as the limit itself. A slider's 0.25 may arrive as
# 0.25000000000000006, whose r differs from -1 in the 16th decimal; 1e-12 is far below any
# step a slider can make (test_regime_boundaries moves lr by 1e-9).
ON_LIMIT = 1e-12


# ---------------------------------------------------------------- one weight
def _lesson_x(x):
    if x not in (X, EXPLORE_X):
        raise ValueError(f"x must be one of the lesson's inputs, {X} or {EXPLORE_X}; got {x!r}")
    return x


def loss(w, x=X):
    """L(w) = (w*x - TARGET)^2, written as a product so a huge w gives inf, not OverflowError."""
    err = w * _lesson_x(x) - TARGET
    return err * err


def best_weight(x=X):
    """The bottom of the valley: w*x = TARGET."""
    return TARGET / _lesson_x(x)


def step_factor(lr, x=X):
    """How one step scales the distance to the best weight: r = 1 - 2*lr*x^2."""
    x = _lesson_x(x)
    return 1.0 - 2.0 * lr * x * x


def no_bounce_limit():
    """Largest learning rate whose steps never jump past the bottom, for the lesson's x: 1 / (2 x^2)."""
    return 1.0 / (2.0 * X * X)


def stable_limit():
    """For the lesson's x, learning rates below 1 / x^2 converge; at or above it the ball never settles."""
    return 1.0 / (X * X)


def on_the_limit(lr, x=X):
    """True when ``lr`` is the limit 1/x^2 itself (r = -1): every jump is as long as the one before."""
    return abs(step_factor(lr, x) + 1.0) <= ON_LIMIT


def regime(lr, x=X):
    """Name what a learning rate does on this problem: 'crawl', 'smooth', 'bounce' or 'explode'.

    Read off the step factor r (see the table above): explode for r < -1 (lr > 1/x^2),
    bounce for -1 <= r < 0 (at r = -1 exactly, on the limit, the bounces keep their size
    forever: the ball never settles, but it does not fly off either), crawl for
    r > 1 - 2*CRAWL_FRACTION (lr below CRAWL_FRACTION/x^2, including lr = 0: no movement
    at all), smooth in between (r = 0 included).
    """
    if lr < 0 or math.isnan(lr):
        raise ValueError(f"a learning rate must be a number >= 0, got {lr!r}")
    r = step_factor(lr, x)
    if on_the_limit(lr, x):
        return "bounce"
    if r < -1.0:
        return "explode"
    if r < 0.0:
        return "bounce"
    if r > 1.0 - 2.0 * CRAWL_FRACTION:
        return "crawl"
    return "smooth"


class Path(NamedTuple):
    """Where the ball went: the weights visited (start included) and their losses."""

    weights: list
    losses: list
    left_plot: bool  # True when the run was stopped because the ball flew out of the window


def descend(w, lr, steps, x=X, bound=10.0):
    """Run ``steps`` gradient-descent steps from weight ``w`` on the problem with input ``x``.

    The path stops early (``left_plot=True``) once the ball is more than ``bound`` away from
    the best weight; the values kept are always finite.
    """
    best = best_weight(x)
    # A step w - lr * dL/dw is, on this parabola, a scaling of the distance to the bottom
    # by step_factor(lr): that one number is what makes a run crawl, slide, bounce or explode.
    r = step_factor(lr, x)
    weights, losses = [float(w)], [loss(w, x)]
    for _ in range(int(steps)):
        w = best + r * (w - best)
        if not (abs(w - best) <= bound):  # also catches inf and nan
            return Path(weights, losses, True)
        weights.append(w)
        losses.append(loss(w, x))
    return Path(weights, losses, False)


def describe(lr, w, steps, x=X, bound=10.0, show_limits=False):
    """One or two sentences, for a screen reader and for everyone, saying what the run does.

    ``show_limits=True`` adds the limits and their formulas, for the lesson's x only: on the
    exploration exercise's they are the answer, so ``show_limits`` does nothing there.
    """
    name = regime(lr, x)
    path = descend(w, lr, steps, x, bound)
    r = step_factor(lr, x)
    if name == "crawl":
        how = f"each step closes only {100 * (1 - r):.0f}% of the gap, so the ball creeps"
    elif name == "smooth" and abs(r) < 1e-9:
        how = "one step lands exactly on the bottom"
    elif name == "smooth":
        how = f"each step closes {100 * (1 - r):.0f}% of the gap without passing the bottom"
    elif on_the_limit(lr, x):
        how = ("every jump is exactly as long as the one before: the ball jumps between the same two points "
               "forever, neither settling nor flying off")
    elif name == "bounce":
        how = f"each step jumps across the valley, landing {100 * abs(r):.0f}% as far out on the other side"
    else:
        how = f"each jump lands {abs(r):.3g} times as far out as the one before"
    text = f"Learning rate {lr:.4g}: {name.upper()}, {how}."
    if path.left_plot:
        flown = len(path.weights)
        text += (f" The ball flew off the plot at step {flown}; left running, w would reach inf and then nan."
                 f" Cut the learning rate by 10x and try again.")
    else:
        steps = len(path.weights) - 1
        text += (f" After {steps} step{'' if steps == 1 else 's'} w = {path.weights[-1]:.4f}"
                 f" (best {best_weight(x):.4f}), loss = {path.losses[-1]:.4f}.")
    if show_limits and x == X:
        text += (f" Limits for x = {x:g}: no bouncing up to 1/(2x\u00b2) = {no_bounce_limit():.4f},"
                 f" converges below 1/x\u00b2 = {stable_limit():.4f}.")
    return text


# ---------------------------------------------------------------- weight and bias
# A tiny dataset on the line t = x + 0.5, so the bottom of the surface is w = 1, b = 0.5, loss 0.
# The functions below work on this dataset only (a loss or gradient for any data is an exercise).
SURFACE_XS = (0.5, 1.0, 1.5, 2.0)
SURFACE_TS = (1.0, 1.5, 2.0, 2.5)
SURFACE_START = (-0.5, -1.0)


def surface_loss(w, b):
    """L(w, b) = mean((w*x + b - t)^2) over the dataset; ``w`` and ``b`` may be numpy grids of the same shape."""
    total = 0.0
    for x, t in zip(SURFACE_XS, SURFACE_TS):
        err = w * x + b - t
        total = total + err * err
    return total / len(SURFACE_XS)


def surface_gradient(w, b):
    """(dL/dw, dL/db) = (mean 2*err*x, mean 2*err) over the dataset."""
    xs, n = SURFACE_XS, len(SURFACE_XS)
    errs = [w * x + b - t for x, t in zip(xs, SURFACE_TS)]
    return (math.fsum(2.0 * e * x for e, x in zip(errs, xs)) / n, math.fsum(2.0 * e for e in errs) / n)


def surface_best():
    """The least-squares line through the dataset: (w, b)."""
    xs, ts, n = SURFACE_XS, SURFACE_TS, len(SURFACE_XS)
    mx, mt = sum(xs) / n, sum(ts) / n
    sxx = math.fsum((x - mx) ** 2 for x in xs)
    w = math.fsum((x - mx) * (t - mt) for x, t in zip(xs, ts)) / sxx
    return w, mt - w * mx


def surface_stable_limit():
    """Gradient descent on the surface converges for lr below 2 / (largest curvature).

    The curvature matrix (Hessian) of the MSE is 2 * [[mean x^2, mean x], [mean x, 1]];
    the steepest direction of the valley sets the limit, exactly as x^2 does for one weight.
    """
    xs, n = SURFACE_XS, len(SURFACE_XS)
    a, c, d = sum(x * x for x in xs) / n, sum(xs) / n, 1.0
    largest = (a + d) / 2 + math.sqrt(((a - d) / 2) ** 2 + c * c)
    return 2.0 / (2.0 * largest)


def surface_descend(w, b, lr, steps, bound=4.0):
    """Gradient descent on (w, b); stops (second value True) once the path leaves the window."""
    best_w, best_b = surface_best()
    path = [(float(w), float(b))]
    for _ in range(int(steps)):
        gw, gb = surface_gradient(w, b)
        w, b = w - lr * gw, b - lr * gb
        if not (abs(w - best_w) <= bound and abs(b - best_b) <= bound):
            return path, True
        path.append((w, b))
    return path, False
