"""Unit tests of lesson 01's maths and widget, against hand computations and finite differences."""
import math

import pytest

from course import forward_pass
from course.widgets.forward_pass import nudge_explorer, nudge_summary


def test_logistic_matches_the_textbook_formula_and_never_overflows():
    for z in (-30.0, -2.0, 0.0, 0.7, 5.0):
        assert forward_pass.logistic(z) == pytest.approx(1 / (1 + math.exp(-z)), rel=1e-12)
    assert forward_pass.logistic(-1e6) == 0.0 and forward_pass.logistic(1e6) == 1.0


def plain_guess(weights, bias):
    """The spam email's guess written out here: 1 / (1 + e^-z), z = bias + sum of weight times feature."""
    z = bias + sum(w * x for w, x in zip(weights, forward_pass.SPAM_FEATURES))
    return 1 / (1 + math.exp(-z))


def test_spam_example_first_guess_is_043():
    """Is the untrained spam guess the 0.43 the lesson talks about?"""
    first = forward_pass.first_spam_guess()
    assert first == pytest.approx(plain_guess(forward_pass.SPAM_START_WEIGHTS, forward_pass.SPAM_START_BIAS), rel=1e-12)
    assert round(first, 2) == 0.43


# ---------------------------------------------------------------- the "one nudge" preview
# Its neuron: one input x = 1.5, one weight starting at 0.3, no squash, right answer 1.
def preview_loss(w):
    return (w * 1.5 - 1.0) ** 2


@pytest.mark.parametrize("lr", [0.0, 0.05, 0.1, 0.3, 0.6])
def test_nudge_is_one_step_against_the_finite_difference_slope(lr):
    """Is the guess after one nudge w * x after a step of lr times the numerical slope of the squared error?"""
    h, w = 1e-6, 0.3
    slope = (preview_loss(w + h) - preview_loss(w - h)) / (2 * h)
    nudge = forward_pass.guess_after_nudge(lr)
    assert nudge.before == pytest.approx(0.45)
    assert nudge.after == pytest.approx((w - lr * slope) * 1.5, abs=1e-8)
    assert nudge.error_before == pytest.approx(0.3025)
    assert nudge.error_after == pytest.approx(preview_loss(w - lr * slope), abs=1e-8)


def test_bigger_is_not_always_better():
    """Small rates fall short, 1/(2 x^2) lands on 1, bigger ones overshoot, and past 1/x^2 the error is worse."""
    # by hand: the guess moves by lr * 2 * 1.5**2 * (1 - 0.45) = 2.475 * lr
    for lr, guess, outcome in [(0.0, 0.45, "none"), (0.05, 0.57375, "short"), (1 / 4.5, 1.0, "on target"),
                               (0.3, 1.1925, "past, closer"), (0.5, 1.6875, "past, further")]:
        assert forward_pass.guess_after_nudge(lr).after == pytest.approx(guess)
        assert forward_pass.nudge_outcome(lr) == outcome
    errors = [forward_pass.guess_after_nudge(k / 100).error_after for k in range(61)]
    lowest = errors.index(min(errors))
    assert lowest == 22 and errors[:lowest + 1] == sorted(errors[:lowest + 1], reverse=True)
    assert errors[lowest:] == sorted(errors[lowest:])  # past the best rate, the error only grows again
    assert errors[44] < errors[0] < errors[45]  # the limit 1 / 1.5**2 = 0.444: worse than no nudge at all
    with pytest.raises(ValueError):
        forward_pass.nudge_outcome(-0.1)


def test_no_general_neuron_to_call():
    """A neuron for any weights and inputs is exercise 1's answer: the module must not offer one."""
    assert not any(hasattr(forward_pass, name) for name in ("guess", "weighted_sum", "nudge", "predict"))


def test_widget_builds_headless_and_its_summary_follows_the_slider():
    box = nudge_explorer()
    slider, summary = box.children[0], box.children[1]
    assert slider.description == "learning rate"
    # the slider reaches all three: too small, about right, too big
    steps = [round(slider.min + k * slider.step, 2) for k in range(round((slider.max - slider.min) / slider.step) + 1)]
    assert {"short", "past, closer", "past, further"} <= {forward_pass.nudge_outcome(lr) for lr in steps}
    slider.value = 0.5
    assert summary.value == nudge_summary(0.5)
    assert "0.45 to 1.69" in summary.value and "further from it than before" in summary.value
    assert "0.3025 to 0.4727" in summary.value
    slider.value = 0.05
    assert "0.45 to 0.57" in summary.value and "still short" in summary.value


def test_the_notebook_text_quotes_what_the_widget_shows():
    """Lesson 01's text next to the slider names guesses at three slider positions: the widget's own numbers."""
    import nbformat

    from tests.support.course_files import ROOT

    cells = nbformat.read(ROOT / "source" / "how_networks_learn" / "01_forward_pass.ipynb", as_version=4).cells
    text = next(c.source for c in cells if c.source.startswith("## Peek ahead: one nudge"))
    for lr, words in [(0.05, "at 0.05 the guess only gets to {}"), (0.22, "at 0.22 it lands at {}"),
                      (0.5, "at 0.5 it lands at {}")]:
        assert words.format(f"{forward_pass.guess_after_nudge(lr).after:.2f}") in text
        assert f"{lr:.2f}" in nudge_summary(lr)
    assert forward_pass.nudge_outcome(0.22) == "short" and forward_pass.nudge_outcome(0.5) == "past, further"
    assert "overshoots" in text
