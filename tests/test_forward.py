"""Unit tests of lesson 01's maths and widget, against hand computations and finite differences."""
import math

import pytest

from course import forward
from course.widgets.forward import nudge_explorer, nudge_summary


def test_logistic_matches_the_textbook_formula_and_never_overflows():
    for z in (-30.0, -2.0, 0.0, 0.7, 5.0):
        assert forward.logistic(z) == pytest.approx(1 / (1 + math.exp(-z)), rel=1e-12)
    assert forward.logistic(-1e6) == 0.0 and forward.logistic(1e6) == 1.0


def test_spam_example_first_guess_is_043():
    """Is the untrained spam guess the 0.43 the lesson talks about?"""
    z = sum(w * x for w, x in zip(forward.SPAM_START_WEIGHTS, forward.SPAM_FEATURES)) + forward.SPAM_START_BIAS
    assert round(forward.guess(forward.SPAM_START_WEIGHTS, forward.SPAM_FEATURES, forward.SPAM_START_BIAS), 2) == 0.43
    assert forward.weighted_sum(forward.SPAM_START_WEIGHTS, forward.SPAM_FEATURES, 0.0) == pytest.approx(z)


def test_nudge_moves_every_parameter_against_the_finite_difference_slope():
    """Is one nudge exactly lr times the numerical gradient of the squared error, downhill?"""
    w, x, b, t, lr, h = (0.2, -0.5), (1.0, 2.0), 0.1, 1.0, 0.7, 1e-6

    def loss(weights, bias):
        return (forward.guess(weights, x, bias) - t) ** 2

    new_w, new_b = forward.nudge(w, x, b, t, lr)
    for i in range(2):
        up = list(w); up[i] += h
        down = list(w); down[i] -= h
        slope = (loss(up, b) - loss(down, b)) / (2 * h)
        assert new_w[i] == pytest.approx(w[i] - lr * slope, abs=1e-8)
    assert new_b == pytest.approx(b - lr * (loss(w, b + h) - loss(w, b - h)) / (2 * h), abs=1e-8)


def test_bigger_learning_rate_moves_the_guess_further_towards_spam():
    afters = [forward.guess_after_nudge(lr)[1] for lr in (0.0, 0.5, 2.0, 10.0)]
    assert afters[0] == pytest.approx(forward.guess_after_nudge(0.0)[0])
    assert afters == sorted(afters) and afters[-1] < 1.0


def test_widget_builds_headless_and_its_summary_follows_the_slider():
    box = nudge_explorer(lr=1.0)
    slider, summary = box.children[0], box.children[1]
    assert slider.description == "learning rate"
    slider.value = 5.0
    assert summary.value == nudge_summary(5.0)
    assert "0.43 to 0.96" in summary.value
