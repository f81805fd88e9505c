"""Lesson 03 pictures and widget: the tangent whose slope is the gradient, blame along a chain,
and where one step along the tangent lands on the loss parabola."""
import ipywidgets as widgets

from .. import backpropagation
from ..one_weight import START_W, TARGET, X
from ..plots import COLORS, ROUND, LiveFigure, as_image, legend_outside, new_figure
from .controls import live_widget, slider

W_RANGE = (-0.2, 1.4)


def _grid(n=161):
    lo, hi = W_RANGE
    return [lo + (hi - lo) * i / (n - 1) for i in range(n)]


def _draw_parabola(ax):
    ws = _grid()
    ax.plot(ws, [backpropagation.parabola_value(w) for w in ws], color=COLORS["blue"], linewidth=2.5,
            label="loss L(w) = (w·1.5 − 1)²")
    ax.set_xlim(*W_RANGE)
    ax.set_xlabel("weight w")
    ax.set_ylabel("loss")


def tangent_picture(half_width=0.35):
    """The loss parabola and its tangent at the lesson's starting weight: the tangent's slope is the gradient."""
    step = backpropagation.tangent_step(0.0)
    w = step.w
    fig, ax = new_figure(6.0, 3.4)
    _draw_parabola(ax)
    ts = [w - half_width, w + half_width]
    ax.plot(ts, [step.loss + step.slope * (t - w) for t in ts], color=COLORS["vermillion"], linewidth=2, linestyle="--",
            label=f"tangent at w = {w:.1f}: slope {step.slope:.3f}")
    ax.scatter([w], [step.loss], color=COLORS["vermillion"], zorder=3)
    best = TARGET / X
    # the label right of the lowest-loss line, above the parabola (where it crossed that line before)
    ax.annotate("raise w a little:\nthe loss goes down", (w + 0.1, step.loss + step.slope * 0.1),
                xytext=(best + 0.04, step.loss + 0.25), fontsize=8,
                arrowprops={"arrowstyle": "->", "color": COLORS["black"]})
    ax.axvline(best, color=COLORS["green"], linestyle=":", label=f"lowest loss at w = {best:.3f}")
    ax.set_ylim(-0.05, 1.0)
    ax.set_title("The gradient is the slope of the loss where you stand")
    legend_outside(fig, ncols=2)  # under the axes: inside, it sat on the parabola's right arm
    return as_image(fig)


def _box(ax, x, y, text, color):
    ax.text(x, y, text, ha="center", va="center", fontsize=9,
            bbox={"boxstyle": "round,pad=0.5", "facecolor": "white", "edgecolor": color, "linewidth": 2})


def _arrow(ax, start, end, color, text, text_y):
    ax.annotate("", xy=end, xytext=start, arrowprops={"arrowstyle": "-|>", "color": color, "linewidth": 1.8})
    ax.text((start[0] + end[0]) / 2, text_y, text, ha="center", va="center", fontsize=8, color=color)


def blame_diagram():
    """The lesson's one-neuron chain w -> output -> loss: values flow forward, blame flows back and multiplies."""
    w, x, target = START_W, X, TARGET
    output = w * x
    loss = (output - target) ** 2
    local = [2 * (output - target), x]  # d loss/d output, d output/d w (from the loss backwards)
    blame = backpropagation.chain_blame(local)  # [loss, output, w]

    fig, ax = new_figure(7.2, 3.0)
    ax.set_axis_off()
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 4.2)
    xs = [1.3, 5.0, 8.7]
    names = [f"weight\nw = {w:g}", f"output\nw·x = {output:.2f}", f"loss\n(output − target)² = {loss:.4f}"]
    for cx, name in zip(xs, names):
        _box(ax, cx, 2.3, name, COLORS["blue"])
    # forward: values, left to right, above the boxes
    _arrow(ax, (xs[0] + 0.9, 3.3), (xs[1] - 0.9, 3.3), COLORS["black"], f"× x  (x = {x:g})", 3.6)
    _arrow(ax, (xs[1] + 1.1, 3.3), (xs[2] - 1.5, 3.3), COLORS["black"], "− target, squared", 3.6)
    # backward: blame, right to left, below the boxes, each link multiplies by its local slope
    _arrow(ax, (xs[2] - 1.5, 1.2), (xs[1] + 1.1, 1.2), COLORS["vermillion"],
           f"× 2(output − target), which is × ({local[0]:.2f})", 0.9)
    _arrow(ax, (xs[1] - 0.9, 1.2), (xs[0] + 0.9, 1.2), COLORS["vermillion"], f"× x, which is × {local[1]:g}", 0.9)
    for cx, value in zip(xs, reversed(blame)):
        ax.text(cx, 0.3, f"blame {value:.2f}", ha="center", fontsize=9, color=COLORS["vermillion"],
                fontweight="bold")
    ax.text(0.1, 4.05, "forward: values →", fontsize=8, color=COLORS["black"])
    ax.text(0.1, 1.55, "← backward: blame", fontsize=8, color=COLORS["vermillion"])
    ax.set_title(f"Blame multiplies along the path: 1 × ({local[0]:.2f}) × {local[1]:g} = {blame[-1]:.2f}")
    return as_image(fig)


def tangent_step_summary(lr):
    """One sentence a screen reader can announce, describing what the plot shows."""
    s = backpropagation.tangent_step(lr)
    if lr == 0:
        return f"With learning rate 0 the weight stays at {s.w:.3f} and the loss stays at {s.loss:.3f}."
    verdict = "lower" if s.new_loss < s.loss else "higher"
    return (f"With learning rate {lr:.2f} one step moves w from {s.w:.3f} to {s.new_w:.3f}. "
            f"The tangent promised a loss of {s.tangent_loss:.3f}; the real loss there is {s.new_loss:.3f}, "
            f"{verdict} than the {s.loss:.3f} we started from.")


def tangent_step_explorer(lr=0.1):
    """A learning-rate slider: one step downhill along the tangent, and where it really lands."""
    lr_slider = slider(widgets.FloatSlider, "learning rate", "Learning rate: how far along the tangent one step goes",
                       value=lr, min=0.0, max=0.6, step=0.01, readout_format=".2f")

    fig, ax = new_figure(6.0, 3.6)
    _draw_parabola(ax)
    ax.axhspan(-2.0, 0.0, color=COLORS["black"], alpha=0.06, label="below 0: no loss can be there")
    start = backpropagation.tangent_step(0.0)
    ws = _grid(2)
    ax.plot(ws, [start.loss + start.slope * (t - start.w) for t in ws], color=COLORS["vermillion"],
            linewidth=1.5, linestyle="--", label=f"tangent at w = {start.w:.1f} (slope {start.slope:.2f})")
    ax.scatter([start.w], [start.loss], color=COLORS["black"], zorder=4, label="start")
    promise = ax.scatter([0], [0], color=COLORS["vermillion"], marker="x", s=60, zorder=4,
                         label="where the tangent says we land")
    landing = ax.scatter([0], [0], color=COLORS["green"], marker=ROUND, s=50, zorder=4,
                         label="where we really land")
    (gap,) = ax.plot([], [], color=COLORS["green"], linestyle=":")
    ax.set_ylim(-1.5, 1.2)
    legend_outside(fig, ncols=2, fontsize=7)  # under the axes: inside, it sat on the grey band below 0
    # redrawn per change: where the step lands (over the frame), and the title
    live = LiveFigure(fig, [gap, *ax.spines.values(), promise, landing, ax.title])

    def update(lr):
        s = backpropagation.tangent_step(lr)
        promise.set_offsets([[s.new_w, s.tangent_loss]])
        landing.set_offsets([[s.new_w, s.new_loss]])
        gap.set_data([s.new_w, s.new_w], [s.tangent_loss, s.new_loss])
        ax.set_title(f"learning rate {lr:.2f}: w {s.w:.3f} → {s.new_w:.3f}, loss {s.loss:.3f} → {s.new_loss:.3f}")
        return tangent_step_summary(lr)

    return live_widget([lr_slider], live, update)
