"""Tests for course.training_loop (lesson 05 maths) and its dashboard.

References: finite differences of the loss, a numpy re-implementation written here,
hand-computed numbers and the geometry of the boundary line.
"""
import math
import warnings

import numpy as np
import pytest

from course import training_loop

EX = training_loop.EXERCISE_DATA


def numpy_loss(w, b, data):
    X = np.array([xs for xs, _ in data], dtype=float)
    t = np.array([t for _, t in data], dtype=float)
    s = 1 / (1 + np.exp(-(X @ np.asarray(w, dtype=float) + b)))
    return float(np.mean((s - t) ** 2))


def test_predictions_and_loss_by_hand():
    # sigmoid(0.5*0.2 - 0.3*0.8 + 0.1) = sigmoid(-0.04)
    assert training_loop.predictions("exercise data", (0.5, -0.3), 0.1)[0] == pytest.approx(1 / (1 + math.exp(0.04)))
    for w, b in [((0.5, -0.3), 0.1), ((2.0, 1.0), -1.5)]:
        assert training_loop.losses_along("exercise data", [(w, b)]) == pytest.approx([numpy_loss(w, b, EX)])
    assert training_loop.losses_along("AND gate", [((0.0, 0.0), 0.0)]) == pytest.approx([0.25])  # every guess 0.5


@pytest.mark.parametrize("name", ["exercise data", "AND gate"])
@pytest.mark.parametrize("lr", [0.1, 0.7])
def test_one_full_batch_epoch_is_a_finite_difference_step(name, lr):
    """From the dataset's start, one full-batch epoch moves (w, b) by -lr times the numerical gradient."""
    data, (w, b) = training_loop.DATASETS[name]
    h = 1e-6
    numeric = []
    for i in range(2):
        up, down = list(w), list(w)
        up[i] += h
        down[i] -= h
        numeric.append((numpy_loss(up, b, data) - numpy_loss(down, b, data)) / (2 * h))
    numeric_b = (numpy_loss(w, b + h, data) - numpy_loss(w, b - h, data)) / (2 * h)
    result = training_loop.run(name, lr, 1)
    assert result.weights == pytest.approx([wi - lr * g for wi, g in zip(w, numeric)], rel=1e-7, abs=1e-9)
    assert result.bias == pytest.approx(b - lr * numeric_b, rel=1e-7, abs=1e-9)
    assert result.updates == 1


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
    result = training_loop.run("exercise data", 0.3, 200, size)
    w, b = numpy_run(EX, 0.3, 200, size, (0.5, -0.3), 0.1)
    assert result.weights == pytest.approx(tuple(w), abs=1e-9)
    assert result.bias == pytest.approx(b, abs=1e-9)
    assert len(result.losses) == 201
    assert result.losses[-1] == pytest.approx(numpy_loss(w, b, EX), abs=1e-9)
    assert result.updates == 200 * math.ceil(4 / size)


def test_training_resumes_where_it_stopped():
    steps = training_loop.epochs_of_training("AND gate", 0.5, 2)
    first = [next(steps) for _ in range(30)]
    w, b = numpy_run(training_loop.AND_DATA, 0.5, 30, 2, (0.1, -0.2), 0.0)
    assert first[-1][0] == pytest.approx(tuple(w), abs=1e-12) and first[-1][1] == pytest.approx(b, abs=1e-12)
    more = [next(steps) for _ in range(20)]
    assert more[-1] == training_loop.run("AND gate", 0.5, 50, 2)[:2]


def test_loss_falls_on_both_datasets():
    for name in training_loop.DATASETS:
        result = training_loop.run(name, 0.5, 2000, 1)
        assert result.losses[-1] < 0.1 * result.losses[0]


def test_and_gate_is_learned():
    result = training_loop.run("AND gate", 1.0, 5000, 1)
    preds = training_loop.predictions("AND gate", result.weights, result.bias)
    w0, w1, b = *result.weights, result.bias
    assert preds == pytest.approx([1 / (1 + math.exp(-(w0 * x0 + w1 * x1 + b)))
                                   for (x0, x1), _ in training_loop.AND_DATA])
    assert [round(p) for p in preds] == [0, 0, 0, 1]


@pytest.mark.parametrize("size,expected", [(1, 4), (2, 2), (3, 2), (4, 1), (32, 1)])
def test_batches_split_the_dataset_in_order(size, expected):
    groups = training_loop.batches("exercise data", size)
    assert len(groups) == expected
    assert [ex for group in groups for ex in group] == list(EX)


def test_only_the_lessons_datasets():
    """Training on any data from any start is exercise 2's answer: only the menu's datasets, from their starts."""
    for bad in (EX, list(EX), "xor", None):
        with pytest.raises(ValueError):
            training_loop.run(bad, 0.3, 10, 4)
    with pytest.raises(TypeError):
        training_loop.DATASETS["mine"] = (EX, ((0.0, 0.0), 0.0))
    with pytest.raises(TypeError):
        training_loop.run("exercise data", 0.3, 10, 4, (0.5, -0.3), 0.1)  # no start of one's own
    assert not any(hasattr(training_loop, n) for n in ("predict", "mse", "batch_gradient", "updates_in_one_epoch"))


@pytest.mark.parametrize("w0,w1,b", [(1.0, 1.0, -1.0), (0.0, 2.0, -1.0), (3.0, 0.0, -1.5), (2.0, -1.0, 0.2)])
def test_boundary_segment_lies_on_the_line_and_the_square(w0, w1, b):
    seg = training_loop.boundary_segment(w0, w1, b, -0.25, 1.25)
    assert seg is not None
    (a0, a1), (c0, c1) = seg
    for x0, x1 in seg:
        assert w0 * x0 + w1 * x1 + b == pytest.approx(0, abs=1e-9)
        assert -0.25 - 1e-9 <= x0 <= 1.25 + 1e-9 and -0.25 - 1e-9 <= x1 <= 1.25 + 1e-9
        assert min(abs(x0 + 0.25), abs(x0 - 1.25), abs(x1 + 0.25), abs(x1 - 1.25)) < 1e-9
    assert (a0, a1) != (c0, c1)


def test_boundary_segment_none_when_no_line_crosses():
    assert training_loop.boundary_segment(0.0, 0.0, 1.0) is None
    assert training_loop.boundary_segment(1.0, 1.0, 10.0) is None


def test_dashboard_runs_every_setting_without_warnings(capsys):
    from course.widgets.training_loop import training_dashboard

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


def test_dashboard_resumed_runs_match_fresh_ones():
    """Going to more epochs resumes a run, to fewer reuses it: the numbers must be those of a fresh run."""
    from course.widgets.training_loop import run_summary, training_dashboard

    box = training_dashboard(epochs=50)
    menu, lr, epochs, size, summary = box.children[:5]
    for name, value, count in [("AND gate", 0.5, 120), ("AND gate", 0.5, 30), ("exercise data", 3.0, 80),
                               ("AND gate", 0.5, 200), ("exercise data", 3.0, 10)]:
        menu.value, lr.value, size.value, epochs.value = name, value, 2, count
        fresh = training_loop.run(name, lr.value, count, 2)
        assert summary.value == run_summary(name, lr.value, count, 2, fresh)
        assert "2 updates per epoch" in summary.value


def test_summary_says_1_epoch_and_1_update():
    """Grammatical number: one epoch of one full batch is "1 epoch" and "1 update per epoch"."""
    from course.widgets.training_loop import run_summary

    text = run_summary("AND gate", 0.5, 1, 4, training_loop.run("AND gate", 0.5, 1, 4))
    assert "1 epoch," in text and "(1 update per epoch, 1 in all)" in text
    assert "1 epochs" not in text and "1 updates" not in text
    text = run_summary("AND gate", 0.5, 2, 1, training_loop.run("AND gate", 0.5, 2, 1))
    assert "2 epochs," in text and "(4 updates per epoch, 8 in all)" in text
