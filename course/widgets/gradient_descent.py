"""Lesson 04 widgets: a ball rolling down the loss curve, and a path across a loss surface.

The maths is in course.gradient_descent; these functions only draw it. Paths stop at the edge of
the plot, so even an exploding learning rate draws a clean picture and a message.
"""
import ipywidgets as widgets
import numpy as np

from .. import gradient_descent
from ..one_weight import START_W
from ..plots import COLORS, LiveFigure, legend_outside, new_figure
from .controls import live_widget, slider
from .words import count

_FLEW_OFF = "the ball flew off the plot: the loss is heading for inf"
_OFF_MAP = "the path flew off the map"
_REGIME_COLORS = {"crawl": COLORS["sky"], "smooth": COLORS["green"],
                  "bounce": COLORS["orange"], "explode": COLORS["vermillion"]}


def descent_explorer(x=gradient_descent.X, lr=0.1, w=START_W, steps=20, show_limits=False):
    """Sliders for learning rate, starting weight and steps over the loss curve L(w) = (w*x - target)^2.

    ``x`` is the lesson's input or the exploration exercise's (course.gradient_descent.EXPLORE_X).
    ``show_limits=True`` names the two limits in the title and the summary, for the lesson's x
    only. Notebook 04 asks for them only after its exercises: until a student has found where
    convergence stops with the slider, no limit and no formula for one is shown.
    """
    target = gradient_descent.TARGET
    best = gradient_descent.best_weight(x)
    show_limits = show_limits and x == gradient_descent.X
    span = 2.0
    lo, hi = best - span, best + span
    lr_max = max(1.0, round(2.5 / (x * x), 2))  # 2.5 times the limit 1/x^2: room to see it explode
    lr_slider = slider(widgets.FloatSlider, "learning rate", "Learning rate: the size of each downhill step",
                        value=lr, min=0.0, max=lr_max, step=0.005, readout_format=".3f")
    w_slider = slider(widgets.FloatSlider, "starting weight", "The weight the ball starts from",
                       value=w, min=round(lo + 0.2, 1), max=round(hi - 0.2, 1), step=0.05, readout_format=".2f")
    steps_slider = slider(widgets.IntSlider, "steps", "How many gradient-descent steps to take",
                           value=steps, min=1, max=60)

    fig, ax = new_figure(6.2, 3.7)
    grid = np.linspace(lo, hi, 301)
    ax.plot(grid, gradient_descent.loss(grid, x), color=COLORS["black"], linewidth=1.2, label="loss L(w)")
    top = gradient_descent.loss(hi, x)
    ax.set_xlim(lo, hi)
    ax.set_ylim(-0.04 * top, 1.05 * top)
    ax.axvline(best, color=COLORS["green"], linestyle="--", linewidth=1, label=f"best w = {best:.3f}")
    (trail,) = ax.plot([], [], "-o", color=COLORS["blue"], markersize=3, linewidth=0.8, alpha=0.7, label="path")
    (start,) = ax.plot([], [], "s", color=COLORS["purple"], markersize=7, label="start")
    (ball,) = ax.plot([], [], "o", color=COLORS["orange"], markersize=11, markeredgecolor="black", label="ball")
    ax.set_xlabel("weight w")
    ax.set_ylabel(f"loss (w \u00b7 {x:g} \u2212 {target:g})\u00b2")
    legend_outside(fig, fontsize=7)  # under the axes: inside, it sat on the curve's arms, where the ball bounces
    # The warning has a line of its own above the plot (inside the axes it sat on the path and the curve).
    off = fig.suptitle(_FLEW_OFF, color=COLORS["vermillion"], fontsize=10, fontweight="bold")

    def title(rate):
        name = gradient_descent.regime(rate, x)
        # on the limit the bounces keep their size: it is a bounce that never settles
        text = f"learning rate {rate:.3f}: {name}{' forever' if gradient_descent.on_the_limit(rate, x) else ''}"
        if show_limits:
            text += (f"   (no bounce \u2264 {gradient_descent.no_bounce_limit():.3f}, "
                     f"converges < {gradient_descent.stable_limit():.3f})")
        return text, _REGIME_COLORS[name]

    # redrawn per change: the path, start and ball, the message and the title
    live = LiveFigure(fig, [trail, *ax.spines.values(), start, ball, off, ax.title])
    ax.set_title(title(lr_max)[0], fontsize=10)
    live.freeze_layout()  # with the title and the warning in place: their lines stay kept for them

    def update(rate, w0, n):
        path = gradient_descent.descend(w0, rate, n, x, bound=span)
        trail.set_data(path.weights, path.losses)
        start.set_data([path.weights[0]], [path.losses[0]])
        ball.set_data([path.weights[-1]], [path.losses[-1]])
        off.set_text(_FLEW_OFF if path.left_plot else "")
        text, color = title(rate)
        ax.set_title(text, color=color, fontsize=10)
        return gradient_descent.describe(rate, w0, n, x, bound=span, show_limits=show_limits)

    return live_widget([lr_slider, w_slider, steps_slider], live, update)


def surface_explorer(lr=0.3, steps=40):
    """Gradient descent on L(w, b) = mean((w*x + b - t)^2): contour map, path, learning-rate and steps sliders."""
    best_w, best_b = gradient_descent.surface_best()
    limit = gradient_descent.surface_stable_limit()
    span = 3.0
    lr_slider = slider(widgets.FloatSlider, "learning rate", "Learning rate: the size of each downhill step",
                        value=lr, min=0.0, max=0.6, step=0.005, readout_format=".3f")
    steps_slider = slider(widgets.IntSlider, "steps", "How many gradient-descent steps to take",
                           value=steps, min=1, max=150)

    fig, ax = new_figure(5.6, 4.5)
    ws = np.linspace(best_w - span, best_w + span, 161)
    bs = np.linspace(best_b - span, best_b + span, 161)
    W, B = np.meshgrid(ws, bs)
    L = gradient_descent.surface_loss(W, B)
    levels = np.geomspace(0.02, float(L.max()), 14)
    ax.contour(W, B, L, levels=levels, cmap="viridis", linewidths=0.8)
    ax.plot([best_w], [best_b], "*", color=COLORS["green"], markersize=14, markeredgecolor="black",
            label=f"lowest loss (w={best_w:g}, b={best_b:g})")
    (trail,) = ax.plot([], [], "-o", color=COLORS["vermillion"], markersize=3, linewidth=1, label="path")
    (start,) = ax.plot([], [], "s", color=COLORS["purple"], markersize=7, label="start")
    ax.set_xlim(ws[0], ws[-1])
    ax.set_ylim(bs[0], bs[-1])
    ax.set_xlabel("weight w")
    ax.set_ylabel("bias b")
    legend_outside(fig, fontsize=7)  # under the axes: inside, it sat on the contours
    # The warning has a line of its own above the plot (inside the axes it sat on the contours).
    off = fig.suptitle(_OFF_MAP, color=COLORS["vermillion"], fontsize=10, fontweight="bold")
    # redrawn per change: the path and its start, the message and the title; the contours never
    live = LiveFigure(fig, [trail, *ax.spines.values(), start, off, ax.title])
    ax.set_title(f"learning rate {lr_slider.max:.3f} (converges below {limit:.3f})", fontsize=10)
    live.freeze_layout()  # with the title and the warning in place: their lines stay kept for them

    def update(rate, n):
        path, left = gradient_descent.surface_descend(*gradient_descent.SURFACE_START, rate, n, bound=span)
        trail.set_data([p[0] for p in path], [p[1] for p in path])
        start.set_data([path[0][0]], [path[0][1]])
        off.set_text(_OFF_MAP if left else "")
        w, b = path[-1]
        ax.set_title(f"learning rate {rate:.3f} (converges below {limit:.3f})", fontsize=10)
        if left:
            return (f"Learning rate {rate:.3f} is above the limit {limit:.3f}: the path zigzags outwards "
                    f"and leaves the map after {count(len(path), 'step')}. Cut the learning rate by 10x.")
        return (f"Learning rate {rate:.3f}: after {count(len(path) - 1, 'step')} w = {w:.3f}, b = {b:.3f}, "
                f"loss = {gradient_descent.surface_loss(w, b):.4f} (the lowest loss is 0 at w = {best_w:g}, "
                f"b = {best_b:g}). The valley is steep across and shallow along, so a big step "
                f"zigzags across it while a small one creeps along it.")

    return live_widget([lr_slider, steps_slider], live, update)
