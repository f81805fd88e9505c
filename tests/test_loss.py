"""Unit tests for course.loss, against hand-computed numbers and an independent step-by-step loop."""
import math

import pytest

from course import loss


def test_lesson_batch_numbers_match_the_syllabus():
    """Do the lesson's batches give the losses the lesson quotes (0.1158 and 0.0133)?"""
    def mean_square(ps, ts):  # written out by hand, independent of course.loss
        return ((ps[0] - ts[0]) ** 2 + (ps[1] - ts[1]) ** 2 + (ps[2] - ts[2]) ** 2) / 3
    assert f"{mean_square(loss.FIRST_PREDICTIONS, loss.BATCH_TARGETS):.4f}" == "0.1158"
    assert f"{mean_square(loss.TRAINED_PREDICTIONS, loss.BATCH_TARGETS):.4f}" == "0.0133"


def test_penalty_curves_are_the_v_and_the_parabola():
    """Are the curves |e| and e**2 on an even grid that includes both ends?"""
    errors, absolute, squared = loss.penalty_curves(-1.0, 1.0, 5)
    assert errors == pytest.approx([-1.0, -0.5, 0.0, 0.5, 1.0])
    assert absolute == pytest.approx([1.0, 0.5, 0.0, 0.5, 1.0])
    assert squared == pytest.approx([1.0, 0.25, 0.0, 0.25, 1.0])
    with pytest.raises(ValueError):
        loss.penalty_curves(n=1)


def _loop_losses(lr, steps, w=0.3, x=1.5, target=1.0):
    """Reference: plain gradient descent with the gradient written out, dL/dw = 2*(w*x - target)*x."""
    losses = [(w * x - target) ** 2]
    for _ in range(steps):
        w = w - lr * 2 * (w * x - target) * x
        losses.append((w * x - target) ** 2)
    return losses


@pytest.mark.parametrize("lr", [0.0, 0.01, 0.1, 0.2, 0.3, 0.4])
def test_descent_losses_match_a_step_by_step_run(lr):
    """Does the closed-form run agree with gradient descent done one step at a time?"""
    assert loss.descent_losses(lr, 25) == pytest.approx(_loop_losses(lr, 25), rel=1e-9, abs=1e-15)


def test_descent_losses_hand_numbers():
    """Do a few cases worked by hand come out right?"""
    assert loss.descent_losses(0.1, 1) == pytest.approx([0.3025, 0.3025 * 0.55 ** 2])
    assert loss.descent_losses(0.0, 3) == pytest.approx([0.3025] * 4)          # no step, no change
    assert loss.descent_losses(1 / 4.5, 2) == pytest.approx([0.3025, 0.0, 0.0])  # lr = 1/(2x^2): one step to the bottom
    assert loss.descent_losses(1 / 2.25, 4) == pytest.approx([0.3025] * 5)     # lr = 1/x^2: bounces forever


def test_descent_losses_blow_up_quietly():
    """Does a huge learning rate reach inf without raising or warning?"""
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        losses = loss.descent_losses(50.0, 400)
    assert losses[-1] == math.inf
    assert not any(math.isnan(v) for v in losses)
    with pytest.raises(ValueError):
        loss.descent_losses(0.1, -1)


def test_steps_to_reach():
    """Is the first step at or below a level found, and None when it never gets there?"""
    assert loss.steps_to_reach([0.3, 0.2, 0.1, 0.05], 0.1) == 2
    assert loss.steps_to_reach([0.3, 0.3], 0.1) is None


def test_descent_losses_only_for_the_lessons_run():
    """The run is always the lesson's own: no other start, input or target can be passed."""
    for extra in ({"w": 0.5}, {"x": 2.0}, {"target": 0.0}):
        with pytest.raises(TypeError):
            loss.descent_losses(0.1, 3, **extra)
