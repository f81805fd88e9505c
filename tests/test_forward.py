"""Unit tests of lesson 01's maths and widget, against hand computations and finite differences."""
import math

import pytest

from course import forward
from course.widgets.forward import nudge_explorer, nudge_summary


def test_logistic_matches_the_textbook_formula_and_never_overflows():
    for z in (-30.0, -2.0, 0.0, 0.7, 5.0):
        assert forward.logistic(z) == pytest.approx(1 / (1 + math.exp(-z)), rel=1e-12)
    assert forward.logistic(-1e6) == 0.0 and forward.logistic(1e6) == 1.0


def plain_guess(weights, bias):
    """The spam email's guess written out here: 1 / (1 + e^-z), z = bias + sum of weight times feature."""
    z = bias + sum(w * x for w, x in zip(weights, forward.SPAM_FEATURES))
    return 1 / (1 + math.exp(-z))


def test_spam_example_first_guess_is_043():
    """Is the untrained spam guess the 0.43 the lesson talks about?"""
    first = forward.first_spam_guess()
    assert first == pytest.approx(plain_guess(forward.SPAM_START_WEIGHTS, forward.SPAM_START_BIAS), rel=1e-12)
    assert round(first, 2) == 0.43
    assert forward.guess_after_nudge(0.7)[0] == first


@pytest.mark.parametrize("lr", [0.0, 0.3, 1.0, 5.0])
def test_nudge_moves_every_parameter_against_the_finite_difference_slope(lr):
    """Is the guess after one nudge the guess after a step of lr times the numerical gradient, downhill?"""
    w, b, t, h = list(forward.SPAM_START_WEIGHTS), forward.SPAM_START_BIAS, forward.SPAM_TARGET, 1e-6

    def loss(weights, bias):
        return (plain_guess(weights, bias) - t) ** 2

    new_w = []
    for i in range(3):
        up, down = list(w), list(w)
        up[i] += h
        down[i] -= h
        new_w.append(w[i] - lr * (loss(up, b) - loss(down, b)) / (2 * h))
    new_b = b - lr * (loss(w, b + h) - loss(w, b - h)) / (2 * h)
    assert forward.guess_after_nudge(lr)[1] == pytest.approx(plain_guess(new_w, new_b), abs=1e-8)


def test_no_general_neuron_to_call():
    """A neuron for any weights and inputs is exercise 1's answer: the module must not offer one."""
    assert not any(hasattr(forward, name) for name in ("guess", "weighted_sum", "nudge", "predict"))


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
