"""Tests for course.hidden_layer (lesson 06 maths), its pictures and its widget.

References: a numpy re-implementation of the 2-2-1 network written here, central finite
differences of its loss, brute force over straight lines, and the numbers the lesson quotes.
"""
import ast
import math
import warnings

import matplotlib

matplotlib.use("Agg")

import nbformat  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course import hidden_layer, plots  # noqa: E402
from tests.support.course_files import source  # noqa: E402
from tests.support.pictures import check_static, widget_problems  # noqa: E402
from tests.support.widget_driver import controls, summary  # noqa: E402

XOR = np.array([xs for xs, _ in hidden_layer.XOR_DATA])
T = np.array([t for _, t in hidden_layer.XOR_DATA])


def np_forward(params, X=XOR):
    """(hidden outputs, outputs) of a 2-2-1 network for every row of X, in numpy."""
    hw, hb, ow, ob = (np.asarray(p, dtype=float) for p in params)
    H = 1 / (1 + np.exp(-(X @ hw.T + hb)))
    return H, 1 / (1 + np.exp(-(H @ ow + ob)))


def np_loss(flat):
    params = (np.reshape(flat[:4], (2, 2)), flat[4:6], flat[6:8], flat[8])
    return float(np.mean((np_forward(params)[1] - T) ** 2))


def flatten(params):
    hw, hb, ow, ob = params
    return np.array([*np.ravel(hw), *hb, *ow, ob], dtype=float)


def numeric_gradient(flat, h=1e-6):
    grad = np.zeros_like(flat)
    for k in range(len(flat)):
        up, down = flat.copy(), flat.copy()
        up[k] += h
        down[k] -= h
        grad[k] = (np_loss(up) - np_loss(down)) / (2 * h)
    return grad


# ------------------------------------------------------------------ one neuron on XOR
def test_no_straight_line_gets_all_four_xor_points_right():
    rng = np.random.default_rng(6)
    best = max(hidden_layer.points_right(*rng.uniform(-3, 3, size=3)) for _ in range(20000))
    assert best == 3
    assert hidden_layer.points_right(1.0, 1.0, -0.5) == 3     # x0 + x1 = 0.5: only (1, 1) is wrong
    assert hidden_layer.points_right(1.0, 0.0, -0.5) == 2     # x0 = 0.5
    assert hidden_layer.points_right(-1.0, -1.0, 0.5) == 3    # the same line, sides swapped


def test_one_neuron_settles_at_a_quarter():
    losses = hidden_layer.one_neuron_losses(0.5, 5000)
    (w0, w1), b = hidden_layer.ONE_NEURON_START
    s = 1 / (1 + np.exp(-(XOR @ np.array([w0, w1]) + b)))
    assert losses[0] == pytest.approx(np.mean((s - T) ** 2))
    assert losses[-1] == pytest.approx(0.25, abs=1e-6) and f"{losses[100]:.4f}" == "0.2500"
    assert f"{losses[0]:.4f}" == "0.2509"


def test_one_neuron_step_is_a_finite_difference_step():
    def loss(w0, w1, b):
        s = 1 / (1 + np.exp(-(XOR @ np.array([w0, w1]) + b)))
        return float(np.mean((s - T) ** 2))
    (w0, w1), b = hidden_layer.ONE_NEURON_START
    h, lr = 1e-6, 0.5
    g = [(loss(w0 + h, w1, b) - loss(w0 - h, w1, b)) / (2 * h), (loss(w0, w1 + h, b) - loss(w0, w1 - h, b)) / (2 * h),
         (loss(w0, w1, b + h) - loss(w0, w1, b - h)) / (2 * h)]
    after_one_step = loss(w0 - lr * g[0], w1 - lr * g[1], b - lr * g[2])
    assert hidden_layer.one_neuron_losses(lr, 2)[1] == pytest.approx(after_one_step)


# ------------------------------------------------------------------ the 2-2-1 network
def test_starting_points_are_drawn_from_their_seed():
    for seed in hidden_layer.SEEDS:
        flat = flatten(hidden_layer.starting_point(seed))
        assert len(flat) == 9 and np.all(np.abs(flat) <= 1) and np.all(np.round(flat, 2) == flat)
    assert hidden_layer.starting_point(0) == hidden_layer.starting_point(0)
    assert hidden_layer.starting_point(0) != hidden_layer.starting_point(1)


def test_only_the_lessons_seeds_and_data():
    """Training on any data from any start is the lesson's exercise: only the menu's seeds, on XOR."""
    for bad in (3, 99, "0", 0.0, True, None):
        with pytest.raises(ValueError):
            hidden_layer.run(bad, 2.0, 10)
    with pytest.raises(TypeError):
        hidden_layer.run(0, 2.0, 10, [([0.0, 0.0], 1.0)])  # no data of one's own
    names = ("network_output", "network_gradients", "train_network", "forward", "predict", "gradients", "mse")
    assert not any(hasattr(hidden_layer, n) for n in names)


def test_one_epoch_is_a_finite_difference_step():
    for seed in (0, 7):
        start = flatten(hidden_layer.starting_point(seed))
        after = flatten(hidden_layer.run(seed, 2.0, 1).history[1])
        assert after == pytest.approx(start - 2.0 * numeric_gradient(start), abs=1e-8)


def numpy_run(params, lr, epochs):
    """Independent full-batch gradient descent in numpy, from the chain rule."""
    hw, hb, ow, ob = (np.array(p, dtype=float) for p in params)
    for _ in range(epochs):
        H, out = np_forward((hw, hb, ow, ob))
        delta = 2 * (out - T) * out * (1 - out) / len(T)
        delta_h = np.outer(delta, ow) * H * (1 - H)
        hw, hb = hw - lr * delta_h.T @ XOR, hb - lr * delta_h.sum(axis=0)
        ow, ob = ow - lr * H.T @ delta, ob - lr * delta.sum()
    return hw, hb, ow, ob


@pytest.mark.parametrize("seed,lr", [(0, 2.0), (7, 2.0), (2, 10.0), (4, 0.3)])
def test_run_matches_a_numpy_reference(seed, lr):
    run = hidden_layer.run(seed, lr, 300)
    assert len(run.history) == len(run.losses) == len(run.outputs) == len(run.hidden) == 301
    want = numpy_run(hidden_layer.starting_point(seed), lr, 300)
    assert flatten(run.history[-1]) == pytest.approx(flatten(want), abs=1e-9)
    for k in (0, 150, 300):
        H, out = np_forward(run.history[k])
        assert run.losses[k] == pytest.approx(np.mean((out - T) ** 2), abs=1e-12)
        assert run.outputs[k] == pytest.approx(out, abs=1e-12)
        assert np.array(run.hidden[k]) == pytest.approx(H, abs=1e-12)


def test_rounds_right():
    assert hidden_layer.rounds_right([0.1, 0.9, 0.6, 0.4])
    assert not hidden_layer.rounds_right([0.1, 0.9, 0.6, 0.5])


# ------------------------------------------------------------------ what the lesson says about runs
def test_the_lessons_start_learns_xor_and_its_numbers():
    run = hidden_layer.run(hidden_layer.LESSON_SEED, 2.0, 1000)
    assert [f"{run.losses[e]:.4f}" for e in (0, 250, 500, 750, 999)] == ["0.2512", "0.2071", "0.0350", "0.0062",
                                                                         "0.0031"]
    assert hidden_layer.rounds_right(run.outputs[1000])
    assert hidden_layer.rounds_right(run.outputs[450])      # the band forms around epoch 400 ...
    assert not hidden_layer.rounds_right(run.outputs[300])  # ... after a nearly straight boundary
    (h0, h1), (_, _), (v0, v1), _ = run.history[1000]
    assert min(h0) > 0 and min(h1) > 0 and v0 > 0 > v1    # an OR-like, an AND-like neuron, "h0 but not h1"


def test_seed_7_is_stuck_with_both_hidden_neurons_off_when_x1_is_1():
    run = hidden_layer.run(hidden_layer.STUCK_SEED, 2.0, 3000)
    assert f"{run.losses[0]:.4f} {run.losses[1000]:.4f}" == "0.3287 0.1279"
    assert 0.12 < run.losses[-1] < 0.13
    assert abs(run.outputs[-1][1] - 0.5) < 0.02 and abs(run.outputs[-1][3] - 0.5) < 0.02
    for point in (1, 3):  # (0, 1) and (1, 1)
        assert max(run.hidden[1000][point]) < 0.01


# ------------------------------------------------------------------ "Things to try" under the widget
# Each item, held against the lesson's code at every epoch the widget's slider shows (steps of 50, up
# to its MAX_EPOCHS), for the seeds it names; the numbers it states must be the notebook's words.
def _things_to_try():
    cells = nbformat.read(source("06_hidden_layer"), as_version=4).cells
    text = next(c.source for c in cells if c.cell_type == "markdown" and "Things to try" in c.source)
    items = text[text.index("Things to try"):].split("\n")
    return {int(line[0]): line for line in items if line[:1].isdigit()}


def _shown_epochs(start=0):
    from course.widgets.hidden_layer import MAX_EPOCHS
    return range(start, MAX_EPOCHS + 1, 50)


def test_the_epochs_slider_reaches_the_end_of_seed_2s_plateau():
    from course.widgets.hidden_layer import MAX_EPOCHS
    assert "(up to 12,000)" in next(c.source for c in nbformat.read(source("06_hidden_layer"), as_version=4).cells
                                    if "Things to try" in c.source)
    assert MAX_EPOCHS == 12000


def test_item_1_seed_0_cuts_off_one_corner_then_bends_into_a_band():
    assert "Seed 0, learning rate 2" in _things_to_try()[1]
    run = hidden_layer.run(0, 2.0, 1000)
    for epoch in range(50, 401, 50):  # one line: only (0, 0) below 0.5
        assert [o < 0.5 for o in run.outputs[epoch]] == [True, False, False, False], epoch
    assert hidden_layer.rounds_right(run.outputs[450])
    assert f"{run.losses[0]:.2f}" == "0.25" and run.losses[400] > 0.13 and run.losses[500] < 0.04


def test_item_2_seed_7_is_stuck_at_an_eighth_for_all_12000_epochs_at_rate_2_and_10():
    item = _things_to_try()[2]
    assert "Seed 7" in item and "0.125" in item and "12,000" in item and "learning rate 10" in item
    for lr in (2.0, 10.0):
        run = hidden_layer.run(7, lr, 12000)
        assert not any(hidden_layer.rounds_right(o) for o in run.outputs)
        assert all(abs(run.losses[e] - 0.125) < 0.003 for e in _shown_epochs(1000)), lr


def test_item_3_seed_2_is_a_plateau_that_ends_after_epoch_10000_or_sooner_with_bigger_steps():
    item = _things_to_try()[3]
    assert all(words in item for words in ("Seed 2, learning rate 2", "0.167", "0.67", "10,000", "plateau",
                                           "learning rate 10", "epoch 450"))
    run = hidden_layer.run(2, 2.0, 12000)
    for epoch in _shown_epochs(1000):
        if epoch <= 10000:
            assert abs(run.losses[epoch] - 0.167) < 0.004 and not hidden_layer.rounds_right(run.outputs[epoch])
            assert all(abs(o - 0.67) < 0.02 for o in run.outputs[epoch][1:]), epoch
        if epoch >= 10200:
            assert hidden_layer.rounds_right(run.outputs[epoch]) and run.losses[epoch] < 0.03, epoch
    first = next(e for e, o in enumerate(run.outputs) if hidden_layer.rounds_right(o))
    assert 10000 < first < 10200 and run.losses[10500] < 0.004  # plunged, from 0.163 at epoch 10,000
    fast = hidden_layer.run(2, 10.0, 12000)
    assert not hidden_layer.rounds_right(fast.outputs[400])
    assert all(hidden_layer.rounds_right(fast.outputs[e]) for e in _shown_epochs(450))


@pytest.mark.parametrize("seed", hidden_layer.SEEDS)
def test_item_4_rates_too_small_and_too_big_for_every_seed(seed):
    item = _things_to_try()[4]
    assert all(words in item for words in ("Any seed", "0.01", "12,000", "0.25", "about 0.5", "100",
                                           "0.00 or 1.00", "flip", "never learns XOR"))
    slow = hidden_layer.run(seed, 0.01, 12000)
    assert abs(slow.losses[-1] - 0.25) < 0.01 and all(abs(o - 0.5) < 0.1 for o in slow.outputs[-1])
    wild = hidden_layer.run(seed, 100.0, 12000)
    assert not any(hidden_layer.rounds_right(o) for o in wild.outputs)
    shown = [wild.outputs[e] for e in _shown_epochs(250)]
    assert all(max(o) - min(o) < 0.05 for o in shown)  # the same to all four points
    all_0_or_1 = [o for o in shown if {f"{v:.2f}" for v in o} in ({"0.00"}, {"1.00"})]
    assert len(all_0_or_1) > 0.75 * len(shown)
    assert all(abs(wild.losses[e] - 0.5) < 0.01 for e in _shown_epochs(250)
               if {f"{v:.2f}" for v in wild.outputs[e]} in ({"0.00"}, {"1.00"}))


def test_item_4_the_answer_flips_for_some_seeds():
    flips = set()
    for seed in hidden_layer.SEEDS:
        wild = hidden_layer.run(seed, 100.0, 12000)
        said = {f"{wild.outputs[e][0]:.2f}" for e in _shown_epochs(250)}
        if {"0.00", "1.00"} <= said:
            flips.add(seed)
    assert flips and flips != set(hidden_layer.SEEDS)


# ------------------------------------------------------------------ the notebook uses the same numbers
def _literals(cell_id, name):
    cell = next(c for c in nbformat.read(source("06_hidden_layer"), as_version=4).cells if c.get("id") == cell_id)
    tree = ast.parse(cell.source)
    found = {t.id: ast.literal_eval(node.value) for node in tree.body if isinstance(node, ast.Assign)
             for t in node.targets if isinstance(t, ast.Name)}
    return found[name] if isinstance(name, str) else tuple(found[n] for n in name)


def as_tuples(value):
    return tuple(as_tuples(v) for v in value) if isinstance(value, (list, tuple)) else value


def test_the_notebooks_starts_are_the_widgets_seeds():
    lesson = _literals("code-010", ("hidden_weights", "hidden_biases", "output_weights", "output_bias"))
    assert as_tuples(lesson) == hidden_layer.starting_point(hidden_layer.LESSON_SEED)
    assert as_tuples(_literals("code-049", "stuck_start")) == hidden_layer.starting_point(hidden_layer.STUCK_SEED)


# ------------------------------------------------------------------ pictures and widget
@pytest.fixture
def figures(monkeypatch):
    """Every static figure and LiveFigure made while the fixture is active."""
    import course.widgets.hidden_layer as module

    found = {"live": [], "static": []}
    init = plots.LiveFigure.__init__

    def recording_init(self, *args, **kwargs):
        init(self, *args, **kwargs)
        found["live"].append(self)

    def recording_as_image(fig):
        found["static"].append(fig)
        return plots.as_image(fig)

    monkeypatch.setattr(plots.LiveFigure, "__init__", recording_init)
    monkeypatch.setattr(module, "as_image", recording_as_image)
    return found


def test_static_pictures_hide_no_data(figures):
    from course.widgets.hidden_layer import decision_picture, network_diagram, xor_lines_picture

    xor_lines_picture()
    network_diagram()
    decision_picture(lambda x: 1 / (1 + math.exp(-(8 * x[0] - 8 * x[1] - 4))))
    found = [p for fig, name in zip(figures["static"], ("lines", "diagram", "decision"))
             for p in check_static(fig, name)]
    assert len(figures["static"]) == 3 and found == []


def test_the_lines_picture_says_how_many_points_each_line_gets_right(figures):
    from course.widgets.hidden_layer import xor_lines_picture

    xor_lines_picture()
    labels = figures["static"][0].axes[0].get_legend_handles_labels()[1]
    assert [label for label in labels if "right" in label] == [
        "x0 + x1 = 0.5: 3 of 4 right", "x0 + x1 = 1.5: 3 of 4 right", "x0 = 0.5: 2 of 4 right",
        "x1 − x0 = 0.5: 3 of 4 right"]


def test_decision_picture_calls_the_students_function_on_single_points():
    from course.widgets.hidden_layer import GRID, decision_picture

    seen = []
    decision_picture(lambda x: seen.append(list(x)) or 0.5)
    assert len(seen) == len(GRID) ** 2 and all(len(x) == 2 and isinstance(x[0], float) for x in seen)


SETTINGS = [{"learning rate": 100.0}, {"learning rate": 0.01, "epochs": 0}, {"starting seed": 7, "epochs": 3000},
            {"starting seed": 2, "learning rate": 10.0}, {"starting seed": 4, "epochs": 50},
            {"starting seed": 2, "learning rate": 2.0, "epochs": 12000}]  # the end of seed 2's plateau


def test_widget_runs_every_setting_headless_without_warnings_and_hides_no_data(figures, capsys):
    from course.widgets.hidden_layer import xor_training_explorer

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        box = xor_training_explorer()
        named = controls(box)
        assert set(named) == {"learning rate", "starting seed", "epochs"}
        assert list(named["starting seed"].options) == list(hidden_layer.SEEDS)
        (live,) = figures["live"]
        found = widget_problems(box, live, SETTINGS)
    assert found == []
    assert capsys.readouterr().err == ""


def test_widget_summary_says_in_words_what_the_panels_show():
    from course.widgets.hidden_layer import explorer_summary, xor_training_explorer

    box = xor_training_explorer()
    said = summary(box)
    assert said.value == ("Seed 0, learning rate 2, 1000 epochs: the loss fell from 0.2512 to 0.0031. The outputs "
                          "are (0, 0) → 0.06, (0, 1) → 0.95, (1, 0) → 0.95, (1, 1) → 0.06; all four round to the "
                          "right answer: the network has learned XOR.")
    named = controls(box)
    named["starting seed"].value = 7
    assert "(0, 1) and (1, 1) round to the wrong answer" in said.value
    named["epochs"].value = 0
    assert "before training the loss is 0.3287" in said.value
    run = hidden_layer.run(2, 2.0, 1)
    assert "1 epoch:" in explorer_summary(2, 2.0, 1, run) and "1 epochs" not in explorer_summary(2, 2.0, 1, run)


def test_widget_trains_each_setting_once(monkeypatch):
    """Moving the epochs slider only looks a run up; a new (seed, learning rate) trains once, as far as
    the slider shows (rounded up), and coming back to one trains nothing. (How fast a change redraws
    is measured by benchmarks/widget_latency.py, not asserted here: machines are noisy.)"""
    from course.widgets import hidden_layer as widget

    trained = []
    real_run = hidden_layer.run

    def counting_run(seed, lr, epochs):
        trained.append((seed, lr, epochs))
        return real_run(seed, lr, epochs)

    monkeypatch.setattr(widget.hidden_layer, "run", counting_run)
    named = controls(widget.xor_training_explorer())
    assert trained == [(hidden_layer.LESSON_SEED, 2.0, 1000)]
    for name, value in [("epochs", 500), ("epochs", 1000), ("epochs", 0)]:
        named[name].value = value
    assert len(trained) == 1  # looked up
    named["epochs"].value = 1500
    assert trained[1:] == [(hidden_layer.LESSON_SEED, 2.0, 2000)]  # rounded up: 1600..2000 are free
    named["epochs"].value = 2000
    named["starting seed"].value = 1
    named["learning rate"].value = 0.5
    named["starting seed"].value = hidden_layer.LESSON_SEED
    assert trained[2:] == [(1, 2.0, 2000), (1, 0.5, 2000), (hidden_layer.LESSON_SEED, 0.5, 2000)]
    named["learning rate"].value = 2.0
    assert len(trained) == 5  # (seed 0, rate 2) was kept


def test_widget_forgets_the_oldest_runs_past_its_budget_of_epochs(monkeypatch):
    """Runs of 12,000 epochs are kept only as far as KEPT_EPOCHS allows: the oldest is trained again."""
    from course.widgets import hidden_layer as widget

    trained = []
    real_run = hidden_layer.run
    monkeypatch.setattr(widget.hidden_layer, "run", lambda *a: trained.append(a) or real_run(*a))
    named = controls(widget.xor_training_explorer())
    named["epochs"].value = widget.MAX_EPOCHS
    rates = [10 ** (k / 20) for k in range(widget.KEPT_EPOCHS // widget.MAX_EPOCHS + 1)]  # more than fit
    for lr in rates:
        named["learning rate"].value = lr
    before = len(trained)
    assert [epochs for *_, epochs in trained[-len(rates):]] == [widget.MAX_EPOCHS] * len(rates)
    named["learning rate"].value = rates[-1]
    assert len(trained) == before  # the newest is kept
    named["learning rate"].value = rates[0]
    assert len(trained) == before + 1  # the oldest was forgotten
