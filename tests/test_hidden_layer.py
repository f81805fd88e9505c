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
from course_files import source  # noqa: E402
from test_pictures import check_live, check_static  # noqa: E402

from course import hidden_layer, plots  # noqa: E402

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
    assert hidden_layer.run(hidden_layer.STUCK_SEED, 10.0, 3000).losses[-1] > 0.12  # stuck at any rate


def test_seed_2_is_stuck_at_two_thirds_until_a_big_learning_rate_throws_it_out():
    stuck = hidden_layer.run(2, 2.0, 3000)
    assert 0.16 < stuck.losses[-1] < 0.17 and all(abs(o - 2 / 3) < 0.01 for o in stuck.outputs[-1][1:])
    assert hidden_layer.rounds_right(hidden_layer.run(2, 10.0, 1000).outputs[-1])


def test_extreme_learning_rates():
    assert hidden_layer.run(0, 0.01, 3000).losses[-1] > 0.24
    flat = hidden_layer.run(0, 100.0, 3000)
    assert max(flat.outputs[-1]) < 0.005 and flat.losses[-1] == pytest.approx(0.5, abs=0.01)


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
            {"starting seed": 2, "learning rate": 10.0}, {"starting seed": 4, "epochs": 50}]


def _controls(box):
    return {w.description: w for w in box.children if getattr(w, "description", "")}


def test_widget_runs_every_setting_headless_without_warnings_and_hides_no_data(figures, capsys):
    from course.widgets.hidden_layer import xor_training_explorer

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        box = xor_training_explorer()
        controls = _controls(box)
        assert set(controls) == {"learning rate", "starting seed", "epochs"}
        assert list(controls["starting seed"].options) == list(hidden_layer.SEEDS)
        (live,) = figures["live"]
        found, legends = check_live(live, "defaults", []), []
        check_live(live, "defaults", legends)
        for setting in SETTINGS:
            for name, value in setting.items():
                controls[name].value = value
            found += check_live(live, str(setting), legends)
    assert found == []
    assert capsys.readouterr().err == ""


def test_widget_summary_says_in_words_what_the_panels_show():
    from course.widgets.hidden_layer import explorer_summary, xor_training_explorer

    box = xor_training_explorer()
    summary = next(w for w in box.children if w.__class__.__name__ == "HTML")
    assert summary.value == ("Seed 0, learning rate 2, 1000 epochs: the loss fell from 0.2512 to 0.0031. The outputs "
                             "are (0, 0) → 0.06, (0, 1) → 0.95, (1, 0) → 0.95, (1, 1) → 0.06; all four round to the "
                             "right answer: the network has learned XOR.")
    controls = _controls(box)
    controls["starting seed"].value = 7
    assert "(0, 1) and (1, 1) round to the wrong answer" in summary.value
    controls["epochs"].value = 0
    assert "before training the loss is 0.3287" in summary.value
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
    controls = _controls(widget.xor_training_explorer())
    assert trained == [(hidden_layer.LESSON_SEED, 2.0, 1000)]
    for name, value in [("epochs", 500), ("epochs", 1000), ("epochs", 0)]:
        controls[name].value = value
    assert len(trained) == 1  # looked up
    controls["epochs"].value = 1500
    assert trained[1:] == [(hidden_layer.LESSON_SEED, 2.0, 2000)]  # rounded up: 1600..2000 are free
    controls["epochs"].value = 2000
    controls["starting seed"].value = 1
    controls["learning rate"].value = 0.5
    controls["starting seed"].value = hidden_layer.LESSON_SEED
    assert trained[2:] == [(1, 2.0, 2000), (1, 0.5, 2000), (hidden_layer.LESSON_SEED, 0.5, 2000)]
    controls["learning rate"].value = 2.0
    assert len(trained) == 5  # (seed 0, rate 2) was kept
