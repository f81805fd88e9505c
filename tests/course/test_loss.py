"""Unit tests for course.loss, against hand-computed numbers and an independent step-by-step loop."""
import math
import re

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


def _titles_of(build, monkeypatch):
    """The axes titles a widget's figure shows, read from the figure its LiveFigure draws."""
    from course import plots

    lives = []
    init = plots.LiveFigure.__init__

    def recording_init(self, *args, **kwargs):
        init(self, *args, **kwargs)
        lives.append(self)

    monkeypatch.setattr(plots.LiveFigure, "__init__", recording_init)
    build()
    return [ax.get_title() for live in lives for ax in live.fig.axes]


def test_count_says_one_step_and_two_steps():
    from course.widgets.words import count

    assert count(1, "step") == "1 step" and count(2, "step") == "2 steps" and count(0, "epoch") == "0 epochs"
    assert count(1, "batch", "batches") == "1 batch" and count(3, "batch", "batches") == "3 batches"


def test_summaries_and_title_say_1_step_not_1_steps(monkeypatch):
    """Grammatical number: a run of one step is "1 step" in every sentence and in the title."""
    from course.widgets.loss import loss_curve_explorer, loss_curve_summary

    one = {lr: loss_curve_summary(lr, steps=1) for lr in (0.0, 0.1, 0.5, 1 / 4.5)}
    assert "for its 1 step:" in one[0.0]                 # stays put
    assert "in 1 step;" in one[0.1]                      # falls
    assert "in 1 step:" in one[0.5]                      # blows up
    assert "after 1 step." in loss_curve_summary(1 / 4.5)  # reaches 0 in one step (of 30)
    assert "in 30 steps" in loss_curve_summary(0.1) and "for all 30 steps" in loss_curve_summary(0.0)
    for text in [*one.values(), loss_curve_summary(1 / 4.5)]:
        assert not re.search(r"\b1 steps\b", text), text
    (title,) = _titles_of(lambda: loss_curve_explorer(steps=1), monkeypatch)
    assert title.endswith("after 1 step"), title
