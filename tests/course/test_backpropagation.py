"""Unit tests for course.backpropagation, against direct evaluation, finite differences and hand numbers."""
import random

import pytest

from course import backpropagation, one_weight


def direct_loss(w, x, target):
    return (w * x - target) ** 2


def test_one_weight_problem_is_the_lessons():
    """Are the shared constants the numbers lessons 02-04 print (x 1.5, target 1, start 0.3)?"""
    assert (one_weight.X, one_weight.TARGET, one_weight.START_W) == (1.5, 1.0, 0.3)


def test_parabola_is_the_squared_error():
    """Does A*w^2 + B*w + C equal (w*1.5 - 1)^2 for random w?"""
    rng = random.Random(3)
    for _ in range(50):
        w = rng.uniform(-3, 3)
        assert backpropagation.parabola_value(w) == pytest.approx(direct_loss(w, 1.5, 1.0), rel=1e-9, abs=1e-12)


def test_slope_matches_a_finite_difference():
    """Is the parabola's slope what a central finite difference of the loss measures?"""
    rng = random.Random(4)
    h = 1e-5
    for _ in range(50):
        w = rng.uniform(-3, 3)
        estimate = (direct_loss(w + h, 1.5, 1.0) - direct_loss(w - h, 1.5, 1.0)) / (2 * h)
        assert backpropagation.parabola_slope(w) == pytest.approx(estimate, rel=1e-6, abs=1e-7)


def test_lesson_numbers():
    """Does the lesson's neuron (w=0.3, x=1.5, target=1) give output 0.450, loss 0.303, gradient -1.650?"""
    step = backpropagation.tangent_step(0.1)
    assert step.w * 1.5 == pytest.approx(0.45)
    assert f"{step.loss:.3f}" == "0.303"
    assert f"{step.slope:.3f}" == "-1.650"


def test_tangent_step_by_hand():
    """With lr 0.1: w 0.3 -> 0.465, the tangent promises 0.3025 - 0.1*1.65^2, the real loss is 0.3025*0.55^2."""
    step = backpropagation.tangent_step(0.1)
    assert step.new_w == pytest.approx(0.465)
    assert step.tangent_loss == pytest.approx(0.3025 - 0.1 * 1.65 ** 2)
    assert step.new_loss == pytest.approx(direct_loss(0.465, 1.5, 1.0))
    assert step.new_loss == pytest.approx(0.3025 * 0.55 ** 2)


@pytest.mark.parametrize("lr", [0.05, 0.22, 0.3, 0.6])
def test_tangent_step_is_lr_times_the_finite_difference_slope(lr):
    h = 1e-6
    slope = (direct_loss(0.3 + h, 1.5, 1.0) - direct_loss(0.3 - h, 1.5, 1.0)) / (2 * h)
    step = backpropagation.tangent_step(lr)
    assert step.new_w == pytest.approx(0.3 - lr * slope, rel=1e-7)
    assert step.new_loss == pytest.approx(direct_loss(0.3 - lr * slope, 1.5, 1.0), rel=1e-6)


def test_zero_step_stays_put():
    step = backpropagation.tangent_step(0.0)
    assert step.new_w == step.w
    assert step.new_loss == pytest.approx(step.loss) == pytest.approx(step.tangent_loss)


def test_gradient_only_for_the_lessons_problem():
    """A gradient for any (w, x, target) is exercise 1's answer: only w may vary here."""
    with pytest.raises(TypeError):
        backpropagation.parabola_slope(0.3, 1.5)
    with pytest.raises(TypeError):
        backpropagation.tangent_step(0.1, w=0.3)


def test_chain_blame_multiplies_backwards():
    """Does blame multiply link by link from the loss backwards?"""
    assert backpropagation.chain_blame([]) == [1.0]
    assert backpropagation.chain_blame([2.0, 0.5, 3.0]) == pytest.approx([1.0, 2.0, 1.0, 3.0])
    # the lesson's neuron: dL/doutput = 2*(0.45 - 1) = -1.1, doutput/dw = x = 1.5
    assert backpropagation.chain_blame([-1.1, 1.5]) == pytest.approx([1.0, -1.1, -1.65])


def test_chain_blame_agrees_with_a_finite_difference_through_two_weights():
    """For output = w2*(w1*x), is the product of local slopes the finite-difference dL/dw1?"""
    w1, w2, x, t, h = 0.7, -1.3, 0.9, 0.4, 1e-6
    def loss(v):
        return (w2 * (v * x) - t) ** 2
    estimate = (loss(w1 + h) - loss(w1 - h)) / (2 * h)
    output = w2 * w1 * x
    blame = backpropagation.chain_blame([2 * (output - t), w2, x])  # loss <- output <- hidden <- w1
    assert blame[-1] == pytest.approx(estimate, rel=1e-6)
