"""Lesson 07 maths: the activations' picture and the widget's 2-3-1 network on XOR.

The trainer (plain floats, one example at a time) is compared with an independent reference written
here with numpy matrices, the lesson's own formulas; the slopes with finite differences.
"""
import numpy as np
import pytest

from course import layers_as_matrices as lesson
from course.widgets.layers_as_matrices import explorer_summary

X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y = np.array([[0.0], [1.0], [1.0], [0.0]])


def reference_run(lr, scale, epochs):
    """Full-batch gradient descent on the MSE, written with matrices: the losses and the last outputs."""
    (row0, row1), b1, w2, b2 = lesson.starting_point(scale)
    W1, b1 = np.array([row0, row1]), np.array(b1)
    W2, b2 = np.array(w2).reshape(-1, 1), np.array([b2])
    losses = []
    for _ in range(epochs + 1):
        H = 1 / (1 + np.exp(-(X @ W1 + b1)))
        out = 1 / (1 + np.exp(-(H @ W2 + b2)))
        losses.append(float(np.mean((out - Y) ** 2)))
        grad_z2 = 2 * (out - Y) / out.size * out * (1 - out)
        grad_z1 = (grad_z2 @ W2.T) * H * (1 - H)
        W2, b2 = W2 - lr * H.T @ grad_z2, b2 - lr * grad_z2.sum(axis=0)
        W1, b1 = W1 - lr * X.T @ grad_z1, b1 - lr * grad_z1.sum(axis=0)
    return losses, out.ravel()


@pytest.mark.parametrize("lr,scale", [(2.0, 0.7), (0.5, 3.0), (20.0, 0.01), (2.0, 0.0)])
def test_the_widgets_trainer_matches_matrix_gradient_descent(lr, scale):
    run = lesson.run(lr, scale, epochs=60)
    losses, outputs = reference_run(lr, scale, 60)
    assert run.losses == pytest.approx(losses, rel=1e-9, abs=1e-12)
    assert run.outputs == pytest.approx(outputs.tolist(), rel=1e-9)


def test_the_lessons_start_learns_xor_in_the_widgets_epochs():
    run = lesson.run(2.0, 0.7)
    assert len(run.losses) == lesson.EPOCHS + 1 and lesson.rounds_right(run.outputs)
    assert run.losses[-1] == pytest.approx(0.0020, abs=5e-5)  # the notebook's "things to try" says so


def test_all_zeros_keep_every_hidden_neuron_identical_and_xor_unlearned():
    run = lesson.run(2.0, 0.0)
    assert lesson.hidden_neurons_identical(run.W1)
    assert run.losses[0] == run.losses[-1] == 0.25 and not lesson.rounds_right(run.outputs)


def test_random_starts_are_not_identical():
    assert not lesson.hidden_neurons_identical(lesson.run(2.0, 0.7, epochs=5).W1)


def test_the_scales_the_notebook_names_behave_as_it_says():
    tiny, big = lesson.run(2.0, 0.01), lesson.run(2.0, 10.0)
    assert abs(tiny.losses[0] - tiny.losses[-1]) < 1e-3 and tiny.saturated == 0
    assert big.saturated > 0 and not lesson.rounds_right(big.outputs)
    assert lesson.run(20.0, 0.01).losses[-1] == pytest.approx(1 / 6, abs=1e-3)   # one neuron's worth
    assert lesson.run(100.0, 0.7).losses[-1] == pytest.approx(0.5, abs=1e-3)


def test_starting_point_scales_one_fixed_draw():
    (row0, row1), b1, w2, b2 = lesson.starting_point(2.0)
    (d0, d1), dw2 = lesson.DIRECTIONS
    assert row0 == tuple(2.0 * w for w in d0) and row1 == tuple(2.0 * w for w in d1)
    assert w2 == tuple(2.0 * w for w in dw2) and set(b1) == {0.0} and b2 == 0.0
    assert set(np.ravel(lesson.starting_point(0.0)[0])) == {0.0}


def test_the_run_is_quick_enough_for_a_slider():
    import time
    start = time.perf_counter()
    lesson.run(3.1, 0.45)
    assert time.perf_counter() - start < 0.1  # about 5 ms; the widget's frame budget is 33 ms


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "ReLU"])
def test_activation_slopes_are_the_derivatives(name):
    z = np.array([-4.0, -1.3, -0.2, 0.3, 1.0, 4.5])
    eps = 1e-6
    slopes = lesson.activation_curves(z)[name][1]
    numeric = (lesson.activation_curves(z + eps)[name][0] - lesson.activation_curves(z - eps)[name][0]) / (2 * eps)
    assert slopes == pytest.approx(numeric, abs=1e-8)


def test_activation_values_are_the_usual_functions():
    z = np.linspace(-6, 6, 13)
    curves = lesson.activation_curves(z)
    assert curves["sigmoid"][0] == pytest.approx(1 / (1 + np.exp(-z)), rel=1e-12)
    assert curves["tanh"][0] == pytest.approx(np.tanh(z)) and curves["ReLU"][0] == pytest.approx(np.maximum(z, 0))
    assert curves["sigmoid"][1].max() == pytest.approx(0.25) and curves["tanh"][1].max() == pytest.approx(1.0)


def test_the_summary_says_what_the_panels_show():
    learned = explorer_summary(2.0, 0.7, False, lesson.run(2.0, 0.7))
    assert "learning rate 2, starting scale 0.7, 1000 epochs" in learned.lower() and "learned XOR" in learned
    zeros = explorer_summary(2.0, 0.7, True, lesson.run(2.0, 0.0))
    assert "all weights 0" in zeros and "columns of W1 are equal" in zeros and "did not learn" in zeros
    flat = explorer_summary(2.0, 10.0, False, lesson.run(2.0, 10.0))
    assert "beyond ±4" in flat
    tiny = explorer_summary(2.0, 0.001, False, lesson.run(2.0, 0.001))
    assert "every gradient is tiny" in tiny
