"""Tests for course.gradient_descent (lesson 04 maths) and its widgets.

References are independent of the code under test: the closed form of gradient descent on
a one-dimensional quadratic, finite differences, hand-computed numbers, numpy's eigvalsh.
"""
import math
import re
import warnings

import numpy as np
import pytest

from course import gradient_descent


def closed_form_weight(w0, lr, k, x, target):
    """After k steps on (w*x - t)^2: w_k = t/x + (w0 - t/x) * (1 - 2*lr*x^2)^k."""
    return target / x + (w0 - target / x) * (1 - 2 * lr * x * x) ** k


def test_loss_matches_the_lesson_03_numbers():
    # w = 0.3, x = 1.5, target 1: output 0.45, loss 0.3025 (lesson 03).
    assert gradient_descent.loss(0.3) == pytest.approx(0.3025)


def direct_loss(w, x, target=1.0):
    return (w * x - target) ** 2


@pytest.mark.parametrize("x", [1.5, 2.0])
@pytest.mark.parametrize("w", [-2.0, 0.3, 1.7])
def test_one_step_is_lr_times_the_finite_difference_slope_downhill(w, x):
    h, lr = 1e-6, 0.05
    assert gradient_descent.loss(w, x) == pytest.approx(direct_loss(w, x))
    slope = (direct_loss(w + h, x) - direct_loss(w - h, x)) / (2 * h)
    assert gradient_descent.descend(w, lr, 1, x).weights[1] == pytest.approx(w - lr * slope, rel=1e-6)


@pytest.mark.parametrize("x", [0.8, 1.0, 3.0])
def test_only_the_lessons_inputs(x):
    """A step for any (w, x, target) is an exercise's answer: only x = 1.5 and the exploration's 2.0 are taken."""
    for call in (lambda: gradient_descent.loss(0.3, x), lambda: gradient_descent.descend(0.3, 0.1, 1, x),
                 lambda: gradient_descent.step_factor(0.1, x), lambda: gradient_descent.regime(0.1, x),
                 lambda: gradient_descent.best_weight(x)):
        with pytest.raises(ValueError):
            call()
    with pytest.raises(TypeError):
        gradient_descent.descend(0.3, 0.1, 1, 1.5, target=1.0)  # no target
    with pytest.raises(TypeError):
        gradient_descent.surface_gradient(0.3, 0.0, [1.5], [1.0])  # no data


def test_descend_reproduces_the_worked_run():
    # The lesson's run: x = 1.5, target 1, lr 0.1, from 0.3. After one step w = 0.465, after 20 ~ 2/3.
    path = gradient_descent.descend(0.3, 0.1, 20)
    assert path.weights[1] == pytest.approx(0.465)
    assert path.weights[-1] == pytest.approx(0.6666, abs=1e-4)
    assert len(path.weights) == 21 and not path.left_plot


@pytest.mark.parametrize("lr", [0.01, 0.1, 0.3, 0.44])
def test_descend_follows_the_closed_form(lr):
    path = gradient_descent.descend(0.3, lr, 30)
    for k, w in enumerate(path.weights):
        assert w == pytest.approx(closed_form_weight(0.3, lr, k, 1.5, 1.0), abs=1e-12)


def test_limits_are_the_closed_forms():
    assert gradient_descent.no_bounce_limit() == pytest.approx(1 / (2 * 1.5 * 1.5))
    assert gradient_descent.stable_limit() == pytest.approx(1 / (1.5 * 1.5))
    assert gradient_descent.stable_limit() == pytest.approx(0.4444, abs=1e-4)


def test_no_function_gives_the_exploration_limit():
    """The exploration exercise (x = 2) asks for its limit: the limits are the lesson's x only."""
    with pytest.raises(TypeError):
        gradient_descent.stable_limit(2.0)
    with pytest.raises(TypeError):
        gradient_descent.no_bounce_limit(2.0)
    assert "0.25" not in gradient_descent.describe(0.1, 0.3, 20, x=2.0)  # limits are not named for x = 2


@pytest.mark.parametrize("x", [1.5, 2.0])
def test_regime_matches_the_closed_form_limits_on_a_fine_grid(x):
    def by_hand(lr):
        if lr > 1 / (x * x):
            return "explode"
        if lr > 1 / (2 * x * x):
            return "bounce"
        return "crawl" if lr < 0.1 / (x * x) else "smooth"
    for k in range(0, 4001):
        lr = k * 0.00025
        if min(abs(lr - b) for b in (1 / (x * x), 1 / (2 * x * x), 0.1 / (x * x))) > 1e-12:
            assert gradient_descent.regime(lr, x) == by_hand(lr), lr


@pytest.mark.parametrize("x", [1.5, 2.0])
def test_regime_boundaries(x):
    bounce_from, explode_from = 1 / (2 * x * x), 1 / (x * x)
    eps = 1e-9
    assert gradient_descent.regime(0.0, x) == "crawl"
    assert gradient_descent.regime(0.05 * explode_from, x) == "crawl"
    assert gradient_descent.regime(0.2 * explode_from, x) == "smooth"
    assert gradient_descent.regime(bounce_from - eps, x) == "smooth"
    assert gradient_descent.regime(bounce_from, x) == "smooth"  # one step lands on the bottom
    assert gradient_descent.regime(bounce_from + eps, x) == "bounce"
    assert gradient_descent.regime(explode_from - eps, x) == "bounce"
    assert gradient_descent.regime(explode_from, x) == "bounce"  # on the limit: bounces forever, never grows
    assert gradient_descent.regime(explode_from + eps, x) == "explode"
    assert gradient_descent.regime(1e6, x) == "explode"


@pytest.mark.parametrize("lr", [0.25, 0.25000000000000006, 0.24999999999999997])
def test_the_exact_limit_for_x_2_bounces_forever_and_is_not_called_explode(lr):
    """At lr = 1/x^2 = 0.25 (x = 2, the exploration) r = -1: the ball swaps between two points for ever.

    The slider may hand over 0.25 give or take one rounding unit; that is still the limit.
    """
    x = 2.0
    assert gradient_descent.regime(lr, x) == "bounce" and gradient_descent.on_the_limit(lr, x)
    path = gradient_descent.descend(0.3, lr, 60, x=x, bound=2.0)
    assert not path.left_plot and len(path.weights) == 61
    # the closed form: the gap to the bottom 0.5 flips sign every step and keeps its size 0.2
    assert path.weights[1::2] == pytest.approx([0.7] * 30) and path.weights[::2] == pytest.approx([0.3] * 31)
    text = gradient_descent.describe(lr, 0.3, 30, x=x, bound=2.0, show_limits=False)
    assert "BOUNCE" in text and "forever" in text and "EXPLODE" not in text and "flew off" not in text


def test_either_side_of_the_limit_for_x_2():
    """Just below 0.25 the bounces shrink (bounce), just above they grow (explode); neither is 'forever'."""
    below, above = gradient_descent.describe(0.245, 0.3, 30, x=2.0), gradient_descent.describe(0.255, 0.3, 30, x=2.0)
    assert gradient_descent.regime(0.245, 2.0) == "bounce" and "BOUNCE" in below and "96% as far out" in below
    assert gradient_descent.regime(0.255, 2.0) == "explode" and "EXPLODE" in above and "1.04 times as far out" in above
    assert not gradient_descent.on_the_limit(0.245, 2.0) and not gradient_descent.on_the_limit(0.255, 2.0)
    assert "forever" not in below + above


def test_exploration_widget_title_on_the_limit_says_bounce_forever(monkeypatch):
    from course import plots
    from course.widgets import gradient_descent as widget

    made = []
    init = plots.LiveFigure.__init__

    def recording_init(self, *args, **kwargs):
        init(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(plots.LiveFigure, "__init__", recording_init)
    box = widget.descent_explorer(x=2.0, lr=0.05, steps=30, show_limits=False)
    (live,) = made
    lr_slider, summary = box.children[0], box.children[3]
    seen = {}
    for value in (0.245, 0.25, 0.255):
        lr_slider.value = value
        seen[value] = (live.fig.axes[0].get_title(), summary.value)
    assert seen[0.25][0].endswith(": bounce forever") and "BOUNCE" in seen[0.25][1]
    assert seen[0.245][0].endswith(": bounce") and seen[0.255][0].endswith(": explode")


def test_quiz_options_for_x_1_5():
    # A 0.01, B 0.1, C 0.4, D 0.5: only D explodes.
    regimes = [gradient_descent.regime(lr, 1.5) for lr in (0.01, 0.1, 0.4, 0.5)]
    assert regimes == ["crawl", "smooth", "bounce", "explode"]


@pytest.mark.parametrize("lr,converges", [(0.2, True), (0.249, True), (0.25, False), (0.26, False)])
def test_convergence_below_the_limit_only(lr, converges):
    # x = 2 (the exploration exercise): the distance to the bottom after many steps.
    path = gradient_descent.descend(0.3, lr, 2000, x=2.0, bound=10.0)
    gap = abs(path.weights[-1] - 0.5)
    assert (gap < 1e-3) == converges


def test_negative_learning_rate_is_refused():
    with pytest.raises(ValueError):
        gradient_descent.regime(-0.1)


@pytest.mark.parametrize("lr", [0.0, 0.005, 0.2222, 0.4444444444444444, 0.5, 0.995, 1.0, 7.0, 1e6, 1e300])
@pytest.mark.parametrize("w", [-1.3, 0.3, 2.6])
def test_no_warning_and_finite_values_for_any_learning_rate(lr, w):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            path = gradient_descent.descend(w, lr, 60, bound=2.0)
            text = gradient_descent.describe(lr, w, 60, bound=2.0)
            surface, _ = gradient_descent.surface_descend(-0.5, -1.0, lr, 150, bound=3.0)
    assert all(math.isfinite(v) for v in path.weights + path.losses)
    assert all(abs(v - 1 / 1.5) <= 2.0 for v in path.weights)
    assert all(math.isfinite(v) for p in surface for v in p)
    assert not re.search(r"[=:]\s*-?(nan|inf)", text)  # no value printed as nan or inf
    if lr >= 0.5:
        assert path.left_plot and "Cut the learning rate by 10x" in text


def test_surface_gradient_matches_finite_differences():
    h = 1e-6
    for w, b in [(-0.5, -1.0), (2.0, 0.3), (1.0, 0.5)]:
        gw, gb = gradient_descent.surface_gradient(w, b)
        nw = (gradient_descent.surface_loss(w + h, b) - gradient_descent.surface_loss(w - h, b)) / (2 * h)
        nb = (gradient_descent.surface_loss(w, b + h) - gradient_descent.surface_loss(w, b - h)) / (2 * h)
        assert (gw, gb) == pytest.approx((nw, nb), rel=1e-6, abs=1e-8)


def test_surface_minimum_and_limit():
    xs, ts = np.array(gradient_descent.SURFACE_XS), np.array(gradient_descent.SURFACE_TS)
    w, b = np.polyfit(xs, ts, 1)
    assert gradient_descent.surface_best() == pytest.approx((w, b))
    assert gradient_descent.surface_loss(*gradient_descent.surface_best()) == pytest.approx(0.0, abs=1e-20)
    hessian = 2 * np.array([[np.mean(xs ** 2), np.mean(xs)], [np.mean(xs), 1.0]])
    assert gradient_descent.surface_stable_limit() == pytest.approx(2 / np.linalg.eigvalsh(hessian).max())
    limit = gradient_descent.surface_stable_limit()
    _, left = gradient_descent.surface_descend(-0.5, -1.0, 0.98 * limit, 3000, bound=3.0)
    assert not left
    _, left = gradient_descent.surface_descend(-0.5, -1.0, 1.02 * limit, 3000, bound=3.0)
    assert left


@pytest.mark.parametrize("lr", [0.0, 0.3, 0.5, 1.0])
def test_widgets_build_and_redraw_without_warnings(lr, capsys):
    from course.widgets.gradient_descent import descent_explorer, surface_explorer

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        box = descent_explorer(lr=lr)
        lr_slider, w_slider, steps_slider, summary, _ = box.children
        for value in (lr_slider.min, lr_slider.max):
            lr_slider.value = value
        w_slider.value, steps_slider.value = w_slider.min, steps_slider.max
        assert "learning rate" in lr_slider.description
        surface = surface_explorer(lr=min(lr, 0.6))
        surface.children[0].value = surface.children[0].max
        assert "flew off" in surface.children[2].value or "above the limit" in surface.children[2].value
    assert capsys.readouterr().err == ""


def test_explorer_names_the_limits_only_when_asked_and_never_for_the_exploration():
    """The limits answer lesson 04's exploration exercise, so the visualizer names them only when asked
    (the lesson asks after its exercises), and for x = 2.0 never."""
    from course.widgets.gradient_descent import descent_explorer

    for box in (descent_explorer(x=2.0), descent_explorer(x=2.0, show_limits=True)):
        assert "0.25" not in box.children[3].value and "1/x" not in box.children[3].value
        box.children[0].value = 0.3
        assert "EXPLODE" in box.children[3].value and "0.25" not in box.children[3].value
    assert "1/x" not in descent_explorer().children[3].value
    assert "1/x" in descent_explorer(show_limits=True).children[3].value


def test_surface_summary_says_1_step_not_1_steps():
    """Grammatical number in the surface explorer's summary (it said "after 1 steps")."""
    from course.widgets.gradient_descent import surface_explorer

    box = surface_explorer(lr=0.1, steps=1)
    summary = box.children[2]
    assert "after 1 step w =" in summary.value and "1 steps" not in summary.value
    box.children[1].value = 2
    assert "after 2 steps w =" in summary.value
    box.children[0].value = 0.6  # above the limit: the first step already leaves the map
    box.children[1].value = 1
    assert "leaves the map after 1 step." in summary.value, summary.value


def test_widget_sources_put_no_hard_coded_plural_after_a_number():
    """No f-string in course/widgets writes a count followed by a plural noun ("{n} steps"): use words.count."""
    from pathlib import Path

    import course.widgets

    folder = Path(course.widgets.__file__).parent
    found = [f"{path.name}:{i}: {line.strip()}" for path in sorted(folder.glob("*.py"))
             for i, line in enumerate(path.read_text().splitlines(), 1)
             if re.search(r"\{[^{}]*\} (steps|epochs|updates|points|examples|batches)\b", line)]
    assert not found, "\n".join(found)


def test_descent_summary_says_1_step_not_1_steps():
    assert "After 1 step w =" in gradient_descent.describe(0.1, 0.3, 1)
    assert "After 2 steps w =" in gradient_descent.describe(0.1, 0.3, 2)
