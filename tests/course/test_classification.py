"""Tests for course.classification (lesson 08 maths) and its widget.

References: the loss of either kind written out with plain Python floats, central finite differences of
it (for the training step), a softmax written here, and the numbers the lesson quotes.
"""
import ast
import math
import warnings

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course import classification, plots  # noqa: E402
from tests.support.course_files import read, source  # noqa: E402
from tests.support.pictures import widget_problems  # noqa: E402
from tests.support.widget_driver import controls, run_widget, summary  # noqa: E402

X, LABELS = classification.point_cloud()


def loss_of(W, b, kind):
    """The loss on the lesson's points, one plain-float row at a time."""
    total = 0.0
    for x, label in zip(X.tolist(), LABELS.tolist()):
        scores = [b[j] + x[0] * W[0][j] + x[1] * W[1][j] for j in range(3)]
        top = max(scores)
        powers = [math.exp(s - top) for s in scores]
        probs = [p / sum(powers) for p in powers]
        if kind == "cross-entropy":
            total += -math.log(probs[label])
        else:
            total += sum((p - (j == label)) ** 2 for j, p in enumerate(probs)) / 3
    return total / len(LABELS)


def numeric_step(W, b, kind, lr, h=1e-6):
    """One gradient-descent step with the gradient found by nudging each parameter."""
    params = np.concatenate([np.ravel(W), b])

    def loss(flat):
        return loss_of(flat[:6].reshape(2, 3).tolist(), flat[6:].tolist(), kind)

    grad = np.zeros_like(params)
    for i in range(len(params)):
        up, down = params.copy(), params.copy()
        up[i] += h
        down[i] -= h
        grad[i] = (loss(up) - loss(down)) / (2 * h)
    moved = params - lr * grad
    return moved[:6].reshape(2, 3), moved[6:]


# ------------------------------------------------------------------ the points
def test_the_point_cloud_is_thirty_points_around_each_centre():
    assert X.shape == (90, 2) and X.dtype == np.float64
    assert LABELS.tolist() == [0] * 30 + [1] * 30 + [2] * 30
    assert np.array_equal(X, np.round(X, 2))
    for k, centre in enumerate(classification.CENTRES):
        assert np.linalg.norm(X[LABELS == k].mean(axis=0) - centre) < 0.4  # 3 standard errors
    again = classification.point_cloud()
    assert np.array_equal(again[0], X) and np.array_equal(again[1], LABELS)


# ------------------------------------------------------------------ training
@pytest.mark.parametrize("kind", classification.LOSSES)
@pytest.mark.parametrize("start", list(classification.STARTS))
def test_each_recorded_loss_is_the_loss_of_the_recorded_weights(kind, start):
    run = classification.run(0.5, 5, loss=kind, start=start)
    for epoch in range(6):
        W, b = run.weights[epoch].tolist(), run.biases[epoch].tolist()
        assert run.losses[epoch] == pytest.approx(loss_of(W, b, kind), rel=1e-10)
        picked = np.argmax(X @ run.weights[epoch] + run.biases[epoch], axis=1)
        assert run.accuracies[epoch] == np.mean(picked == LABELS)
    assert np.array_equal(run.weights[0], np.array(classification.STARTS[start][0]))


@pytest.mark.parametrize("kind", classification.LOSSES)
def test_each_step_goes_against_the_gradient_found_by_nudging(kind):
    run = classification.run(0.7, 2, loss=kind, start="confidently wrong")
    for epoch in range(2):
        W, b = numeric_step(run.weights[epoch], run.biases[epoch], kind, 0.7)
        assert np.allclose(run.weights[epoch + 1], W, atol=1e-7)
        assert np.allclose(run.biases[epoch + 1], b, atol=1e-7)


def test_a_wrong_loss_or_start_is_refused():
    with pytest.raises(ValueError, match="unknown loss"):
        classification.run(0.1, 3, loss="hinge")
    with pytest.raises(ValueError, match="unknown start"):
        classification.run(0.1, 3, start="zeros")


def test_a_learning_rate_far_too_big_gives_numbers_not_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = classification.run(1e6, 20, loss="cross-entropy")
    assert len(run.losses) == 21


# ------------------------------------------------------------------ what the lesson says
def _lesson_cell(containing):
    nb = read(source("08_classification"))
    return next(cell.source for cell in nb.cells if cell.cell_type == "code" and containing in cell.source)


def test_the_notebooks_bad_start_is_the_widgets():
    """The training cell of "Accuracy against loss" starts where the widget's "confidently wrong" does."""
    cell = _lesson_cell("point_cloud()")
    tree = ast.parse(cell)
    value = next(node.value for node in ast.walk(tree) if isinstance(node, ast.Assign)
                 and getattr(node.targets[0], "id", None) == "W")
    assert ast.literal_eval(value.args[0]) == [list(row) for row in classification.STARTS["confidently wrong"][0]]
    assert "W - 0.1 * X.T @ dZ" in cell


def test_the_numbers_of_accuracy_against_loss():
    """The lesson's training cell (learning rate 0.1, 100 epochs) and what its text says."""
    run = classification.run(0.1, 100)
    assert [round(run.losses[e], 4) for e in (0, 10, 70, 90, 100)] == [6.1654, 2.6085, 0.1639, 0.1396, 0.1314]
    assert [round(run.accuracies[e], 3) for e in (0, 10, 60, 70, 80, 90, 100)] == [
        0.011, 0.056, 0.967, 0.978, 0.978, 0.978, 0.989]


def test_what_the_widget_text_says_to_try():
    ce, mse = classification.run(0.3, 300), classification.run(0.3, 300, loss="MSE")
    first = int(np.argmax(ce.accuracies >= 0.98))
    assert 25 <= first <= 35 and ce.accuracies[first] >= 0.98              # "in about thirty epochs ... 99%"
    assert ce.losses[300] < ce.losses[first] and ce.accuracies[300] == pytest.approx(ce.accuracies[first], abs=0.012)
    assert mse.accuracies[100] == pytest.approx(1 / 90)                     # "after 100 epochs ... still 1%"
    assert mse.losses[100] > 0.95 * mse.losses[0]                           # "the loss has hardly moved"
    assert classification.run(3.0, 30, loss="MSE").accuracies[30] >= 0.98  # "about ten times the step (3)"
    for kind in classification.LOSSES:                                      # "here both losses learn"
        assert classification.run(0.3, 100, loss=kind, start="small random").accuracies[100] >= 0.97
    assert classification.run(0.001, 300).accuracies[300] < 0.5             # "far too slow"
    assert classification.run(10.0, 300).accuracies[300] >= 0.97            # "the loss still settles"


# ------------------------------------------------------------------ regions
def test_regions_pick_the_class_with_the_largest_probability():
    W, b = np.array([[1.0, -0.5, 0.2], [0.3, 0.8, -1.0]]), np.array([0.1, 0.0, -0.2])
    grid = np.linspace(-2.0, 2.0, 5)
    picked, sure = classification.regions(W, b, grid)
    for row, x1 in enumerate(grid):
        for col, x0 in enumerate(grid):
            scores = np.array([x0, x1]) @ W + b
            probs = np.exp(scores) / np.exp(scores).sum()
            assert picked[row, col] == np.argmax(probs) and sure[row, col] == pytest.approx(probs.max())


# ------------------------------------------------------------------ widget
@pytest.fixture
def lives(monkeypatch):
    """Every LiveFigure made while the fixture is active."""
    found = []
    init = plots.LiveFigure.__init__

    def recording_init(self, *args, **kwargs):
        init(self, *args, **kwargs)
        found.append(self)

    monkeypatch.setattr(plots.LiveFigure, "__init__", recording_init)
    return found


SETTINGS = [{"learning rate": 10.0}, {"learning rate": 0.001, "epochs": 0}, {"loss function": "MSE", "epochs": 300},
            {"starting weights": "small random", "learning rate": 1.0},
            {"learning rate": 10.0, "loss function": "cross-entropy"}]


def test_widget_runs_every_setting_headless_without_warnings_and_hides_no_data(lives, capsys):
    from course.widgets.classification import classifier_explorer

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        box = classifier_explorer()
        assert set(controls(box)) == {"learning rate", "epochs", "loss function", "starting weights"}
        (live,) = lives
        found = widget_problems(box, live, SETTINGS)
    assert found == []
    assert capsys.readouterr().err == ""


def test_widget_summary_says_in_words_what_the_panels_show():
    from course.widgets.classification import classifier_explorer

    box = classifier_explorer()
    said = summary(box)
    assert said.value == ("Trained with cross-entropy from the confidently wrong start, learning rate 0.3, "
                          "100 epochs: the loss fell from 6.1654 to 0.0822; the accuracy went from 1% to 99% "
                          "(89 of 90 points right).")
    named = controls(box)
    named["loss function"].value = "MSE"
    assert "accuracy went from 1% to 1% (1 of 90 points right)" in said.value
    named["epochs"].value = 0
    assert "before training the loss is 0.6224; 1 of 90 points are classified right" in said.value
    named["epochs"].value = 5
    named["learning rate"].value = 10.0 ** 6  # beyond the slider: clipped to its largest value
    assert "learning rate 10," in said.value


def test_widget_trains_each_setting_once(monkeypatch):
    """Moving the epochs slider only looks a run up; each (loss, start, learning rate) trains once."""
    from course.widgets import classification as widget

    trained = []
    real_run = classification.run

    def counting_run(lr, epochs, loss, start):
        trained.append((loss, start, lr))
        return real_run(lr, epochs, loss=loss, start=start)

    monkeypatch.setattr(widget.classification, "run", counting_run)
    list(run_widget(widget.classifier_explorer, [{"epochs": 50}, {"epochs": 300}, {"loss function": "MSE"},
                                                 {"loss function": "cross-entropy"}, {"learning rate": 1.0},
                                                 {"learning rate": 0.3}]))
    assert trained == [("cross-entropy", "confidently wrong", 0.3), ("MSE", "confidently wrong", 0.3),
                       ("cross-entropy", "confidently wrong", 1.0)]


def test_the_region_picture_is_white_where_the_classifier_is_unsure():
    from course.widgets.classification import GRID, region_pixels

    pixels = region_pixels(np.zeros((2, 3)), np.zeros(3))
    assert pixels.shape == (len(GRID), len(GRID), 3) and (pixels == 255).all()
    sure = region_pixels(np.zeros((2, 3)), np.array([20.0, 0.0, 0.0]))
    assert (sure != 255).any() and len({tuple(p) for p in sure.reshape(-1, 3)}) == 1


# ------------------------------------------------------------------ while grading
def test_in_the_grading_view_only_the_points_are_left(tmp_path):
    """The view of course/ the graded kernel imports (grader/sandbox/course_view.py): every function of this
    lesson is a table lookup but the data loader, which the notebook's training cell uses, and the widget
    draws nothing."""
    import json
    import os
    import subprocess
    import sys

    from grader.sandbox import course_view

    view = course_view.build(tmp_path)
    tree = ast.parse(open(os.path.join(view, "classification.py")).read())
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name != "point_cloud":
            body = node.body[1:] if ast.get_docstring(node) is not None else node.body
            assert len(body) == 1 and "_hnl_lesson_result(" in ast.unparse(body[0]), node.name
    code = ("import json\nfrom course.classification import point_cloud, run\n"
            "from course.widgets.classification import classifier_explorer\n"
            "X, labels = point_cloud()\n"
            "try:\n    run(0.3, 10)\n    said = 'ran'\nexcept Exception as error:\n    said = type(error).__name__\n"
            "print(json.dumps([X.tolist(), labels.tolist(), said, classifier_explorer().data]))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          cwd=os.path.dirname(view), env={**os.environ, "PYTHONPATH": os.path.dirname(view)})
    assert done.returncode == 0, done.stderr[-2000:]
    points, labels, said, drawn = json.loads(done.stdout.strip().splitlines()[-1])
    assert points == X.tolist() and labels == LABELS.tolist()
    assert said == "LessonCodeOff" and "drawn when you run" in drawn


# ------------------------------------------------------------------ the grader's questions
