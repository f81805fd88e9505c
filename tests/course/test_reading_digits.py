"""Lesson 09: the digits data, the dashboard's trainer, the grader's reference and the numbers the notebook states."""
import gzip
import hashlib
import itertools
import math
import re

import matplotlib

matplotlib.use("Agg")

import nbformat  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course import reading_digits  # noqa: E402
from course.exercises import reading_digits as checks  # noqa: E402
from grader.answers import reading_digits as answers  # noqa: E402
from grader.hints import reading_digits as hints  # noqa: E402
from tests.support.course_files import source  # noqa: E402

README = reading_digits.DATA.parent / "README.md"


# ------------------------------------------------------------------ the data file
def test_the_data_file_is_the_one_its_readme_names():
    """Is course/data/digits.csv.gz byte for byte the file whose sha256 course/data/README.md gives?"""
    named = re.search(r"sha256\s*`([0-9a-f]{64})`", README.read_text())
    assert named, "course/data/README.md names no sha256"
    assert hashlib.sha256(reading_digits.DATA.read_bytes()).hexdigest() == named.group(1)


def test_the_data_file_holds_1797_images_of_64_counts_and_a_digit():
    """Read with the standard library alone (an independent reader): 1,797 lines of 65 whole numbers,
    pixels 0-16, labels 0-9 in the counts scikit-learn documents."""
    with gzip.open(reading_digits.DATA, "rt") as handle:
        rows = [[int(v) for v in line.split(",")] for line in handle if line.strip()]
    assert len(rows) == 1797 and {len(r) for r in rows} == {65}
    assert {v for r in rows for v in r[:64]} <= set(range(17)) and max(v for r in rows for v in r[:64]) == 16
    counts = [sum(r[64] == d for r in rows) for d in range(10)]
    assert counts == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


def test_load_digits_scales_every_pixel_to_0_1():
    X, labels = reading_digits.load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64 and labels.shape == (1797,)
    assert X.min() == 0.0 and X.max() == 1.0 and set(labels.tolist()) == set(range(10))
    assert np.array_equal((X[0] * 16).astype(int).reshape(8, 8)[1], [0, 0, 13, 15, 10, 15, 5, 0])


def test_the_split_is_fixed_and_cuts_every_image_into_exactly_one_side():
    X, labels = reading_digits.load_digits()
    X_train, y_train, X_val, y_val = reading_digits.split_digits()
    assert X_train.shape == (1437, 64) and X_val.shape == (360, 64)
    rows = {tuple(r) + (int(t),) for r, t in zip(np.vstack([X_train, X_val]), np.concatenate([y_train, y_val]))}
    assert rows == {tuple(r) + (int(t),) for r, t in zip(X, labels)}
    again = reading_digits.split_digits()
    assert all(np.array_equal(a, b) for a, b in zip(again, (X_train, y_train, X_val, y_val)))
    assert np.bincount(y_val).tolist() == [37, 34, 35, 33, 33, 45, 31, 36, 35, 41]


# ------------------------------------------------------------------ the dashboard's trainer
def test_the_trainer_takes_no_data_and_never_retraces_the_exercise():
    """The dashboard's engine is locked to the digits, and its shuffles are not the exercise's."""
    import inspect
    assert not {"X", "data", "labels", "params"} & set(inspect.signature(reading_digits.training).parameters)
    assert "default_rng(seed + e)" not in inspect.getsource(reading_digits.training)


def test_the_trainer_reads_95_percent_of_the_validation_digits_in_15_epochs():
    run = list(itertools.islice(reading_digits.training(0.5), 16))
    assert [e.epoch for e in run] == list(range(16))
    assert run[0].val_accuracy < 0.2 and run[0].train_loss == pytest.approx(math.log(10), abs=0.3)
    assert run[-1].val_accuracy >= 0.95 and run[-1].train_loss < 0.1
    assert run[-1].val_answers.shape == (360,)


def test_the_trainers_losses_are_the_cross_entropy_of_its_answers():
    """Epoch 0's numbers against the grader's own cross-entropy and accuracy, for the same start."""
    first = next(reading_digits.training(0.5, hidden=8, train_size=50))
    rng = np.random.default_rng([reading_digits.SPLIT_SEED, 0, 8])
    start = (rng.normal(0, 1 / 8, (64, 8)), np.zeros(8), rng.normal(0, 1 / math.sqrt(8), (8, 10)), np.zeros(10))
    X_train, y_train, X_val, y_val = reading_digits.split_digits()
    assert first.train_loss == pytest.approx(answers.cross_entropy(start, X_train[:50], y_train[:50]))
    assert first.val_loss == pytest.approx(answers.cross_entropy(start, X_val, y_val))
    assert first.val_accuracy == pytest.approx(answers.accuracy(start, X_val, y_val))


def test_weight_decay_keeps_the_training_loss_off_zero():
    def last(decay):
        return list(itertools.islice(reading_digits.training(0.5, train_size=100, weight_decay=decay), 101))[-1]
    assert last(0.0).train_loss < 0.02 < last(0.002).train_loss


def test_confusion_matrix_counts_each_pair_once():
    answers_, labels = [1, 1, 2, 0, 2], [1, 2, 2, 0, 0]
    counts = reading_digits.confusion_matrix(answers_, labels, classes=3)
    by_hand = np.zeros((3, 3), int)
    for a, t in zip(answers_, labels):
        by_hand[t, a] += 1
    assert np.array_equal(counts, by_hand) and counts.sum() == 5
    assert reading_digits.misread(answers_, labels).tolist() == [1, 4]
    assert reading_digits.misread(answers_, labels, limit=1).tolist() == [1]


def test_best_epoch_and_updates_per_epoch():
    assert reading_digits.best_epoch([2.0, 0.5, 0.4, 0.4, 0.9]) == 2
    assert [reading_digits.updates_per_epoch(b) for b in (1, 32, 256, 1437)] == [1437, 45, 6, 1]
    assert reading_digits.updates_per_epoch(4, 10) == math.ceil(10 / 4)


# ------------------------------------------------------------------ the grader's reference
def _cross_entropy(params, X, labels):
    return answers.cross_entropy(params, X, labels)


def test_the_reference_step_is_minus_lr_times_the_numerical_gradient():
    """One epoch with one batch (the whole data: its order does not change the mean) moves every parameter by
    -lr times the central-difference gradient of the cross-entropy: an independent check of the formulas."""
    rng = np.random.default_rng(3)
    X, labels = rng.normal(size=(6, 3)), np.array([0, 1, 2, 1, 0, 2])
    start = (rng.normal(size=(3, 4)), rng.normal(size=4), rng.normal(size=(4, 3)), rng.normal(size=3))
    lr, eps = 0.1, 1e-6
    (got, _) = answers.train_classifier(X, labels, start, lr, 1, 6, seed=5)
    for which, param in enumerate(start):
        grad = np.zeros_like(param)
        for index in np.ndindex(param.shape):
            up = [p.copy() for p in start]
            down = [p.copy() for p in start]
            up[which][index] += eps
            down[which][index] -= eps
            grad[index] = (_cross_entropy(up, X, labels) - _cross_entropy(down, X, labels)) / (2 * eps)
        assert np.allclose(got[which], param - lr * grad, atol=1e-8)


def test_the_reference_follows_the_spec_order_and_keeps_its_arguments():
    X, labels, start = checks.tiny_example()
    kept = [p.copy() for p in start]
    params, history = answers.train_classifier(X, labels, start, 0.5, 3, 3, seed=0)
    assert all(np.array_equal(a, b) for a, b in zip(start, kept))
    assert history == pytest.approx(checks.EXPECTED_HISTORY, rel=1e-12)
    for got, want in zip(params, checks.EXPECTED_PARAMS):
        assert np.allclose(got, want, rtol=1e-12, atol=1e-14)
    one_epoch, _ = answers.train_classifier(X, labels, start, 0.5, 1, 3, seed=1)
    order = np.random.default_rng(1).permutation(7)  # epoch 0 of seed 1: its own shuffle, batches 3, 3, 1
    manual = [p.copy() for p in start]
    for idx in (order[0:3], order[3:6], order[6:7]):
        W1, b1, W2, b2 = manual
        H = np.tanh(X[idx] @ W1 + b1)
        P = answers.softmax(H @ W2 + b2)
        dZ = (P - np.eye(3)[labels[idx]]) / len(idx)
        dA = dZ @ W2.T * (1 - H * H)
        manual = [W1 - 0.5 * X[idx].T @ dA, b1 - 0.5 * dA.sum(0), W2 - 0.5 * H.T @ dZ, b2 - 0.5 * dZ.sum(0)]
    assert all(np.allclose(a, b) for a, b in zip(one_epoch, manual))


def test_the_hints_trainer_with_no_mistake_is_the_reference():
    rng = np.random.default_rng(11)
    X, labels = rng.uniform(size=(9, 4)), rng.integers(0, 3, 9)
    start = (rng.normal(size=(4, 5)), np.zeros(5), rng.normal(size=(5, 3)), np.zeros(3))
    want = answers.train_classifier(X, labels, start, 0.3, 4, 4, seed=2)
    got = hints.train(X, labels, start, 0.3, 4, 4, seed=2)
    assert got[1] == pytest.approx(want[1], rel=1e-12)
    assert all(np.allclose(a, b) for a, b in zip(got[0], want[0]))


def test_every_named_mistake_changes_the_tiny_examples_history():
    named = hints.HINTS["train_classifier:history"]
    assert len(named) == len(hints.MISTAKES)
    assert all(f"{value:.5g}" != f"{checks.EXPECTED_HISTORY[-1]:.5g}" for value, _, _ in named)


def _solution(name):
    """The notebook's solution of ``name``, run as its own module."""
    nb = nbformat.read(source("09_reading_digits"), as_version=4)
    (cell,) = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == name]
    namespace = {}
    exec(cell.source, namespace)  # noqa: S102 (the instructor's own notebook)
    return namespace


def test_the_notebooks_solution_is_the_reference_on_random_problems():
    train_classifier = _solution("train_classifier")["train_classifier"]
    rng = np.random.default_rng(21)
    for n, d, h, k, size in [(7, 5, 4, 3, 3), (11, 2, 6, 4, 4), (5, 3, 2, 2, 5)]:
        X, labels = rng.uniform(-1, 1, (n, d)), rng.integers(0, k, n)
        start = (rng.normal(size=(d, h)), rng.normal(size=h), rng.normal(size=(h, k)), rng.normal(size=k))
        got, want = train_classifier(X, labels, start, 0.7, 3, size, 4), answers.train_classifier(
            X, labels, start, 0.7, 3, size, 4)
        assert got[1] == pytest.approx(want[1], rel=1e-9)
        assert all(np.allclose(a, b, rtol=1e-9) for a, b in zip(got[0], want[0]))


def test_the_keys_are_the_notebooks_solutions():
    assert "".join(_solution("order_minibatch")["minibatch_order"]) == answers.ORDER_KEY
    assert _solution("quiz_overfitting")["overfitting_answer"] == answers.QUIZ_KEY
    assert [v for v, verdict, _ in hints.ORDER_MINIBATCH if verdict == "right"] == [answers.ORDER_KEY]
    assert [v for v, verdict, _ in hints.QUIZ_OVERFITTING if verdict == "right"] == [answers.QUIZ_KEY]


def test_the_quiz_picture_shows_overfitting_in_the_keys_panel_only():
    """Overfitting as the lesson defines it: the training loss ends lowest while the validation loss has
    turned around and risen well above its own minimum."""
    from course.widgets.reading_digits import quiz_pairs

    def overfits(train, val):
        return train[-1] < 0.1 and val[-1] > val.min() + 0.2 and val.argmin() < len(val) - 10
    found = [letter for letter, (train, val) in quiz_pairs().items() if overfits(train, val)]
    assert found == [answers.QUIZ_KEY]


def test_the_confirmations_ask_small_problems():
    """The grader's questions stay small (judging costs a few ms) and draw new inputs from each seed."""
    import random
    plans = [answers.confirmations(random.Random(seed)) for seed in (1, 2)]
    for plan in plans:
        assert [c.test for c in plan] == ["test_order_minibatch", "test_train_classifier_shape",
                                          "test_train_classifier_learns", "test_train_classifier_trajectory",
                                          "test_quiz_overfitting"]
        assert sum(len(q.code) for c in plan for q in c.questions) < 12000
    assert plans[0][3].questions[0].code != plans[1][3].questions[0].code


def test_the_digits_cell_reaches_95_percent_with_the_reference():
    """The notebook's "your loop reads digits" cell, with the reference in place of the student's loop."""
    X_train, y_train, X_val, y_val = reading_digits.split_digits()
    rng = np.random.default_rng(0)
    start = (rng.normal(0, 1 / 8, (64, 32)), np.zeros(32), rng.normal(0, 1 / math.sqrt(32), (32, 10)), np.zeros(10))
    (params, history) = answers.train_classifier(X_train, y_train, start, 0.5, 15, 32)
    assert answers.accuracy(params, X_val, y_val) == pytest.approx(0.975)
    assert round(history[0], 3) == 0.400 and round(history[-1], 3) == 0.041


# ------------------------------------------------------------------ the widgets
def test_the_dashboard_streams_a_run_and_says_what_changed(monkeypatch):
    """Without an event loop (plain Python) a change trains to the end at once; the summary names the change."""
    from course.widgets import reading_digits as dashboard
    from course.widgets.reading_digits import digits_dashboard

    # As in plain Python, whatever this test process holds (a browser test's loop, on the same worker).
    monkeypatch.setattr(dashboard, "_schedule", lambda callback, *args: False)
    widget = digits_dashboard(epochs=5)
    named = {w.description: w for w in widget.children if getattr(w, "description", "")}
    summary = widget.children[6]
    assert "After 5 epochs" in summary.value
    named["learning rate"].value = 0.2
    assert "After 5 epochs" in summary.value and "learning rate 0.5 \u2192 0.2" in summary.value
    named["training images"].value = 100
    assert "training images 1,437 \u2192 100" in summary.value
    assert "<table" in widget.children[8].value


def test_run_summary_warns_of_a_growing_loss():
    from course.widgets.reading_digits import run_summary
    run = list(itertools.islice(reading_digits.training(5.0), 4))
    text = run_summary((5.0, 32, 32, 1437, 0.0), run, 3)
    assert "too big" in text and "After 3 epochs" in text


@pytest.mark.parametrize("name", ["digits_gallery", "overfitting_picture", "overfitting_quiz_curves"])
def test_the_pictures_hide_no_data(name, monkeypatch):
    from course.widgets import reading_digits as pictures
    from tests.support.pictures import check_static

    found = []
    monkeypatch.setattr(pictures, "as_image", lambda fig: found.append(fig))
    getattr(pictures, name)()
    (fig,) = found
    assert check_static(fig, name) == []


def test_the_dashboards_legend_hides_no_data():
    from course import plots
    from course.widgets.reading_digits import digits_dashboard
    from tests.support.pictures import check_live
    from tests.support.widget_driver import run_widget

    made = []
    init = plots.LiveFigure.__init__

    def recording(self, *args, **kwargs):
        init(self, *args, **kwargs)
        made.append(self)

    plots.LiveFigure.__init__ = recording
    try:
        found, first = [], []
        settings = [{"learning rate": 5.0}, {"learning rate": 0.5, "training images": 30, "epochs": 60}]
        for where in run_widget(lambda: digits_dashboard(epochs=10), settings):
            found += check_live(made[0], where, first)
    finally:
        plots.LiveFigure.__init__ = init
    assert first and found == []


def test_a_stream_moves_on_even_when_no_epoch_fits_in_its_time(monkeypatch):
    """A streamed frame trains at least one epoch: a slow epoch once (a busy machine) must not stall the run."""
    from course.widgets import reading_digits as dashboard

    queued = []
    monkeypatch.setattr(dashboard, "_schedule", lambda callback, *args: queued.append((callback, args)) or True)
    monkeypatch.setattr(dashboard, "FIRST_FRAME_S", 0.0)
    monkeypatch.setattr(dashboard, "CHUNK_S", 0.0)
    widget = dashboard.digits_dashboard(epochs=2, train_size=50)
    named = {w.description: w for w in widget.children if getattr(w, "description", "")}
    named["epochs"].value = 6
    assert "Training... epoch" in widget.children[6].value and len(queued) == 1
    frames = 0
    while queued and frames < 20:
        callback, args = queued.pop(0)
        callback(*args)
        frames += 1
    assert frames == 4 and "After 6 epochs" in widget.children[6].value and "Training" not in widget.children[6].value
