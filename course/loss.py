"""Maths of lesson 02: putting a number on "how wrong".

Pure functions, unit-tested without a display; the widgets and pictures call them.

The loss curve of lesson 02 comes from the one-weight problem that lessons 03 and 04
take apart: prediction ``w * x``, loss ``(w*x - target)**2``. One gradient-descent step
of size ``lr`` multiplies the error ``w*x - target`` by ``r = 1 - 2*lr*x**2`` (lesson 04
derives this), so the loss after ``k`` steps is the starting loss times ``r**(2k)``.
The run is always the lesson's own (course.one_weight): only the learning rate and the
number of steps are the widget's to choose.
"""
from .one_weight import START_W, TARGET, X

# The lesson's batch of three emails, before and after some training.
BATCH_TARGETS = (1.0, 1.0, 0.0)
FIRST_PREDICTIONS = (0.43, 0.91, 0.12)
TRAINED_PREDICTIONS = (0.82, 0.95, 0.07)


def penalty_curves(lo=-1.5, hi=1.5, n=301):
    """Errors from ``lo`` to ``hi`` and the two ways to score them: (errors, absolute, squared).

    Used to draw the squared-error parabola next to the V of the absolute error.
    """
    if n < 2:
        raise ValueError("penalty_curves needs at least two points")
    step = (hi - lo) / (n - 1)
    errors = [lo + i * step for i in range(n)]
    return errors, [abs(e) for e in errors], [e * e for e in errors]


def descent_losses(lr, steps):
    """The loss of the one-weight problem before the first step and after each of ``steps`` steps.

    Returns ``steps + 1`` floats. A run that blows up reaches ``inf`` quietly (no warning,
    no exception): the error is multiplied step by step, never raised to a large power.
    """
    if steps < 0:
        raise ValueError("steps must be 0 or more")
    shrink = 1.0 - 2.0 * lr * X * X  # what one step does to the error
    error = START_W * X - TARGET
    losses = [error * error]
    for _ in range(steps):
        error = error * shrink
        losses.append(error * error)
    return losses


def steps_to_reach(losses, level):
    """Index of the first loss at or below ``level``, or None if the run never gets there."""
    for step, value in enumerate(losses):
        if value <= level:
            return step
    return None
