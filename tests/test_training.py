"""Tests for course.training (lesson 05 maths) and its dashboard.

References: finite differences of the loss, a numpy re-implementation written here,
hand-computed numbers and the geometry of the boundary line.
"""
import math
import warnings

import numpy as np
import pytest

from course import training

EX = training.EXERCISE_DATA


def numpy_loss(w, b, data):
    X = np.array([xs for xs, _ in data], dtype=float)
    t = np.array([t for _, t in data], dtype=float)
    s = 1 / (1 + np.exp(-(X @ np.asarray(w, dtype=float) + b)))
    return float(np.mean((s - t) ** 2))


def test_predict_and_loss_by_hand():
    # sigmoid(0.5*0.2 - 0.3*0.8 + 0.1) = sigmoid(-0.04)
    assert training.predict((0.5, -0.3), 0.1, (0.2, 0.8)) == pytest.approx(1 / (1 + math.exp(0.04)))
    assert training.mse((0.5, -0.3), 0.1, EX) == pytest.approx(numpy_loss((0.5, -0.3), 0.1, EX))
    assert training.mse((0.0, 0.0), 0.0, training.AND_DATA) == pytest.approx(0.25)  # every guess 0.5


@pytest.mark.parametrize("w,b", [((0.5, -0.3), 0.1), ((2.0, 1.0), -1.5)])
def test_batch_gradient_matches_finite_differences(w, b):
    h = 1e-6
    grads, grad_b = training.batch_gradient(w, b, EX)
    numeric = []
    for i in range(2):
        up, down = list(w), list(w)
        up[i] += h
        down[i] -= h
        numeric.append((numpy_loss(up, b, EX) - numpy_loss(down, b, EX)) / (2 * h))
    numeric_b = (numpy_loss(w, b + h, EX) - numpy_loss(w, b - h, EX)) / (2 * h)
    assert grads == pytest.approx(numeric, rel=1e-6)
    assert grad_b == pytest.approx(numeric_b, rel=1e-6)


def numpy_run(data, lr, epochs, size, w, b):
    """Independent mini-batch gradient descent in numpy."""
    X = np.array([xs for xs, _ in data], dtype=float)
    t = np.array([t for _, t in data], dtype=float)
    w = np.array(w, dtype=float)
    for _ in range(epochs):
        for i in range(0, len(X), size):
            xb, tb = X[i:i + size], t[i:i + size]
            s = 1 / (1 + np.exp(-(xb @ w + b)))
            blame = 2 * (s - tb) * s * (1 - s)
            w = w - lr * (xb.T @ blame) / len(xb)
            b = b - lr * blame.mean()
    return w, b


@pytest.mark.parametrize("size", [1, 2, 3, 4])
def test_run_matches_a_numpy_reference(size):
    result = training.run(EX, 0.3, 200, size, (0.5, -0.3), 0.1)
    w, b = numpy_run(EX, 0.3, 200, size, (0.5, -0.3), 0.1)
    assert result.weights == pytest.approx(tuple(w), abs=1e-9)
    assert result.bias == pytest.approx(b, abs=1e-9)
    assert len(result.losses) == 201
    assert result.losses[-1] == pytest.approx(numpy_loss(w, b, EX), abs=1e-9)
    assert result.updates == 200 * training.updates_in_one_epoch(4, size)


def test_loss_falls_on_both_datasets():
    for data, (w, b) in training.DATASETS.values():
        result = training.run(data, 0.5, 2000, 1, w, b)
        assert result.losses[-1] < 0.1 * result.losses[0]


def test_and_gate_is_learned():
    data, (w, b) = training.DATASETS["AND gate"]
    result = training.run(data, 1.0, 5000, 1, w, b)
    preds = [training.predict(result.weights, result.bias, xs) for xs, _ in data]
    assert [round(p) for p in preds] == [0, 0, 0, 1]


@pytest.mark.parametrize("n,size,expected", [(1000, 50, 20), (4, 1, 4), (4, 3, 2), (4, 4, 1), (10, 32, 1)])
def test_updates_in_one_epoch(n, size, expected):
    assert training.updates_in_one_epoch(n, size) == expected


@pytest.mark.parametrize("w0,w1,b", [(1.0, 1.0, -1.0), (0.0, 2.0, -1.0), (3.0, 0.0, -1.5), (2.0, -1.0, 0.2)])
def test_boundary_segment_lies_on_the_line_and_the_square(w0, w1, b):
    seg = training.boundary_segment(w0, w1, b, -0.25, 1.25)
    assert seg is not None
    (a0, a1), (c0, c1) = seg
    for x0, x1 in seg:
        assert w0 * x0 + w1 * x1 + b == pytest.approx(0, abs=1e-9)
        assert -0.25 - 1e-9 <= x0 <= 1.25 + 1e-9 and -0.25 - 1e-9 <= x1 <= 1.25 + 1e-9
        assert min(abs(x0 + 0.25), abs(x0 - 1.25), abs(x1 + 0.25), abs(x1 - 1.25)) < 1e-9
    assert (a0, a1) != (c0, c1)


def test_boundary_segment_none_when_no_line_crosses():
    assert training.boundary_segment(0.0, 0.0, 1.0) is None
    assert training.boundary_segment(1.0, 1.0, 10.0) is None


def test_dashboard_runs_every_setting_without_warnings(capsys):
    from course.widgets.training import training_dashboard

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        box = training_dashboard(epochs=50)
        menu, lr, epochs, size, summary = box.children[:5]
        for name in menu.options:
            menu.value = name
            for value in (lr.min, lr.max):
                lr.value = 10 ** value
                size.value = size.max
            assert "loss" in summary.value and name in summary.value
        assert lr.description == "learning rate"
    assert capsys.readouterr().err == ""
