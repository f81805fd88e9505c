"""Lesson 06 pictures and widget: lines that fail on XOR, the 2-2-1 network, and its decision
boundary bending while it trains.

``xor_training_explorer`` trains the lesson's network on XOR (course.hidden_layer.run) from a
start of the seed menu; learning rate, seed and epochs are the student's. Each (seed, learning
rate) is trained once, as far as the epochs slider has gone, and kept: moving the epochs slider
back only looks a run up, so most changes redraw in a few hundredths of a second.
"""
import html

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import NullLocator

from .. import hidden_layer
from ..plots import (
    COLORS,
    ROUND,
    SHADE_MAP,
    LiveFigure,
    as_image,
    legend_outside,
    new_figure,
    round_up,
    shade_colors,
    shading,
)
from ..training_loop import boundary_segment
from .controls import live_widget, slider
from .words import count

LO, HI = -0.25, 1.25
GRID = np.linspace(LO, HI, 81)
# Far enough for seed 2's plateau to end (at learning rate 2 it learns XOR a little after epoch 10,000),
# so the widget shows a plateau as one and seed 7's trap as one.
MAX_EPOCHS = 12000
# The runs kept, at most: as many, and as many epochs in all (about 200 bytes an epoch), as 60 runs of
# 3000 epochs, so that long runs do not pile up.
KEPT_RUNS, KEPT_EPOCHS = 60, 180_000
POINT_NAMES = ("(0, 0)", "(0, 1)", "(1, 0)", "(1, 1)")
SHADE_ALPHA = 0.4
HIDDEN_COLORS = (COLORS["green"], COLORS["purple"])


def _square(ax):
    ax.set_xlim(LO, HI)
    ax.set_ylim(LO, HI)
    ax.set_aspect("equal")
    ax.set_xlabel("x0")
    ax.set_ylabel("x1")


def _xor_points(ax):
    """XOR's four points: circles for target 0, squares for target 1."""
    zeros = [xs for xs, t in hidden_layer.XOR_DATA if t == 0.0]
    ones = [xs for xs, t in hidden_layer.XOR_DATA if t == 1.0]
    pts0 = ax.scatter(*zip(*zeros), marker=ROUND, s=80, color=COLORS["orange"], edgecolor="black", zorder=3,
                      label="target 0")
    pts1 = ax.scatter(*zip(*ones), marker="s", s=80, color=COLORS["blue"], edgecolor="black", zorder=3,
                      label="target 1")
    return pts0, pts1


# (w0, w1, bias) of the lines in the first picture, their equation and how each is drawn
FAILED_LINES = (
    ((1.0, 1.0, -0.5), "x0 + x1 = 0.5", "solid"),
    ((1.0, 1.0, -1.5), "x0 + x1 = 1.5", "dashed"),
    ((1.0, 0.0, -0.5), "x0 = 0.5", "dotted"),
    ((-1.0, 1.0, -0.5), "x1 − x0 = 0.5", "dashdot"),
)


def xor_lines_picture():
    """XOR's four points and a few straight lines: each line gets at most 3 of the 4 points right."""
    fig, ax = new_figure(6.6, 3.7)
    _square(ax)
    _xor_points(ax)
    for (w0, w1, bias), equation, style in FAILED_LINES:
        seg = boundary_segment(w0, w1, bias, LO, HI)
        right = hidden_layer.points_right(w0, w1, bias)
        ax.plot(*zip(*seg), color=COLORS["black"], linestyle=style, linewidth=1.6,
                label=f"{equation}: {right} of 4 right")
    ax.set_title("No straight line splits XOR's circles from its squares", fontsize=10)
    legend_outside(fig, loc="outside right center", ncols=1)
    return as_image(fig)


def _node(ax, x, y, text, color):
    ax.text(x, y, text, ha="center", va="center", fontsize=9, zorder=3,
            bbox={"boxstyle": "circle,pad=0.45", "facecolor": "white", "edgecolor": color, "linewidth": 2})


def _edge(ax, start, end, color):
    """An arrow from one neuron to the next, stopping short of both circles."""
    ax.annotate("", xy=end, xytext=start, arrowprops={"arrowstyle": "-|>", "color": color, "linewidth": 1.5,
                                                      "shrinkA": 16, "shrinkB": 16})


def network_diagram():
    """The 2-2-1 network: which weight joins which neurons, named as in the exercises."""
    fig, ax = new_figure(7.4, 3.8)
    ax.set_axis_off()
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 5)
    inputs, hidden, out = [(1.0, 3.7), (1.0, 1.3)], [(5.0, 3.7), (5.0, 1.3)], (9.0, 2.5)
    for j, (hx, hy) in enumerate(hidden):
        for i, (ix, iy) in enumerate(inputs):
            _edge(ax, (ix, iy), (hx, hy), HIDDEN_COLORS[j])
            # the label a fifth of the way along its edge, above it, so crossing edges keep theirs apart
            lx, ly = ix + (hx - ix) * 0.2, iy + (hy - iy) * 0.2
            ax.text(lx + 0.15, ly + 0.2, f"hidden_weights[{j}][{i}]", ha="left", va="bottom", fontsize=7,
                    color=HIDDEN_COLORS[j])
        _edge(ax, (hx, hy), out, COLORS["blue"])
        ax.text((hx + out[0]) / 2, (hy + out[1]) / 2 + (0.25 if j == 0 else -0.25), f"output_weights[{j}]",
                ha="center", va="bottom" if j == 0 else "top", fontsize=7, color=COLORS["blue"])
    for i, (ix, iy) in enumerate(inputs):
        _node(ax, ix, iy, f"x{i}", COLORS["black"])
    for j, (hx, hy) in enumerate(hidden):
        _node(ax, hx, hy, f"h{j}", HIDDEN_COLORS[j])
        ax.text(hx, hy - 0.55, f"+ hidden_biases[{j}]", ha="center", va="top", fontsize=7, color=HIDDEN_COLORS[j])
    _node(ax, *out, "out", COLORS["blue"])
    ax.text(out[0], out[1] - 0.55, "+ output_bias", ha="center", va="top", fontsize=7, color=COLORS["blue"])
    ax.text(1.0, 4.75, "inputs", ha="center", fontsize=9)
    ax.text(5.0, 4.75, "hidden layer (sigmoid)", ha="center", fontsize=9)
    ax.text(9.0, 4.75, "output (sigmoid)", ha="center", fontsize=9)
    return as_image(fig)


def _boundary_lines(values):
    """The 0.5 contour of ``values`` (on GRID x GRID, rows along x1) as one polyline with NaN breaks."""
    from contourpy import contour_generator

    pieces = contour_generator(x=GRID, y=GRID, z=values).lines(0.5)
    if not pieces:
        return [], []
    joined = np.concatenate([np.vstack([p, [np.nan, np.nan]]) for p in pieces])
    return joined[:, 0], joined[:, 1]


def decision_picture(predict, title="The network's decision boundary"):
    """What a network with two inputs says over the square around XOR's points.

    ``predict`` is a function of one point ``[x0, x1]`` returning the network's output (your own
    network, for example ``lambda x: network_output(hw, hb, ow, ob, x)``). The shading is the
    output; the black line is where it equals 0.5, the boundary between "says 0" and "says 1".
    """
    values = np.array([[float(predict([float(x0), float(x1)])) for x0 in GRID] for x1 in GRID])
    fig, ax = new_figure(5.6, 4.6)
    _square(ax)
    shade = ax.imshow(values, origin="lower", extent=(LO, HI, LO, HI), vmin=0, vmax=1, cmap=SHADE_MAP,
                      alpha=SHADE_ALPHA)
    fig.colorbar(shade, ax=ax, label="network output")
    ax.plot(*_boundary_lines(values), color=COLORS["black"], linewidth=2, label="output = 0.5")
    _xor_points(ax)
    ax.set_title(title, fontsize=10)
    legend_outside(fig, ncols=3)
    return as_image(fig)


# ------------------------------------------------------------------ the widget
def _describe_outputs(outputs):
    return ", ".join(f"{name} → {o:.2f}" for name, o in zip(POINT_NAMES, outputs))


def explorer_summary(seed, lr, epochs, run):
    """One paragraph a screen reader can announce, saying in words what the two panels show."""
    first, last = run.losses[0], run.losses[epochs]
    outputs = run.outputs[epochs]
    wrong = [name for name, o, (_, t) in zip(POINT_NAMES, outputs, hidden_layer.XOR_DATA) if abs(o - t) >= 0.5]
    if epochs == 0:
        trend = f"before training the loss is {first:.4f}"
    else:
        trend = f"the loss {'fell' if last < first else 'rose'} from {first:.4f} to {last:.4f}"
    if not wrong:
        verdict = "all four round to the right answer: the network has learned XOR."
    else:
        names = wrong[0] if len(wrong) == 1 else f"{', '.join(wrong[:-1])} and {wrong[-1]}"
        verdict = f"{names} {'rounds' if len(wrong) == 1 else 'round'} to the wrong answer."
    return (f"Seed {seed}, learning rate {lr:.3g}, {count(epochs, 'epoch')}: {trend}. "
            f"The outputs are {_describe_outputs(outputs)}; {verdict}")


def xor_training_explorer(lr=2.0, seed=hidden_layer.LESSON_SEED, epochs=1000):
    """The 2-2-1 network training on XOR: learning-rate and epochs sliders, a starting seed menu, the loss and
    the boundary."""
    lr_slider = slider(widgets.FloatLogSlider, "learning rate", "Learning rate (log scale, 0.01 to 100)",
                       continuous_update=False, value=lr, base=10, min=-2, max=2, step=0.05, readout_format=".3g")
    seed_menu = widgets.Dropdown(options=list(hidden_layer.SEEDS), value=seed, description="starting seed",
                                 style={"description_width": "initial"})
    epochs_slider = slider(widgets.IntSlider, "epochs", "Full passes over the four XOR examples (0 to 12,000)",
                           continuous_update=False, value=epochs, min=0, max=MAX_EPOCHS, step=50)

    fig = Figure(figsize=(8.8, 3.9), dpi=90, layout="constrained")
    ax_loss, ax_pts = fig.subplots(1, 2)
    (curve,) = ax_loss.plot([], [], color=COLORS["blue"])
    ax_loss.set_yscale("log")
    ax_loss.yaxis.set_minor_locator(NullLocator())
    ax_loss.set_xlabel("epoch")
    ax_loss.set_ylabel("loss (MSE, log scale)")

    G0, G1 = np.meshgrid(GRID, GRID)
    _square(ax_pts)
    shade = shading(fig, ax_pts, len(GRID), (LO, HI, LO, HI), SHADE_ALPHA, "network output")
    hidden_lines = [ax_pts.plot([], [], color=color, linestyle="--", linewidth=1.4,
                                label=f"h{j} = 0.5")[0] for j, color in enumerate(HIDDEN_COLORS)]
    (boundary,) = ax_pts.plot([], [], color=COLORS["black"], linewidth=2, label="output = 0.5")
    pts0, pts1 = _xor_points(ax_pts)
    legend_outside(fig, [ax_pts], loc="outside lower right", fontsize=7)
    live = LiveFigure(fig, [ax_loss, curve, ax_loss.title, shade, boundary, *hidden_lines, pts0, pts1,
                            *ax_pts.spines.values(), ax_pts.title])
    ax_loss.set_ylim(1e-5, 2.0)  # lay out for the widest tick labels and with the titles in place
    ax_loss.set_title("loss 0.0000 → 0.0000", fontsize=10)
    ax_pts.set_title("seed 0, epoch 00000", fontsize=10)
    live.freeze_layout()

    runs = {}  # (seed, lr) -> a run at least as long as any epochs asked of it so far, the newest last

    def train(seed, lr, epochs):
        """A run to ``epochs`` or more. Training is deterministic, so a longer run begins with every
        shorter one: a new learning rate trains only as far as the slider shows (rounded up, so
        the epochs slider rarely trains again), up to MAX_EPOCHS."""
        key = (seed, lr)
        if key not in runs or len(runs[key].history) <= epochs:
            runs.pop(key, None)
            runs[key] = hidden_layer.run(seed, lr, min(MAX_EPOCHS, round_up(max(1, epochs))))
            while len(runs) > 1 and (len(runs) > KEPT_RUNS
                                     or sum(len(run.losses) for run in runs.values()) > KEPT_EPOCHS):
                del runs[next(iter(runs))]  # forget the oldest
        return runs[key]

    def update(lr, seed, epochs):
        run = train(seed, lr, epochs)
        (w_h, b_h, w_o, b_o) = run.history[epochs]
        with np.errstate(all="ignore"):
            hs = [0.5 * (1.0 + np.tanh(0.5 * (w[0] * G0 + w[1] * G1 + b))) for w, b in zip(w_h, b_h)]
            values = 0.5 * (1.0 + np.tanh(0.5 * (w_o[0] * hs[0] + w_o[1] * hs[1] + b_o)))
        shade.set_data(shade_colors(values, SHADE_ALPHA))
        boundary.set_data(*_boundary_lines(values))
        for line, w, b in zip(hidden_lines, w_h, b_h):
            seg = boundary_segment(w[0], w[1], b, LO, HI)
            line.set_data(*(zip(*seg) if seg else ([], [])))
        losses = np.maximum(np.asarray(run.losses[:epochs + 1]), 1e-12)
        curve.set_data(np.arange(len(losses)), losses)
        ax_loss.set_xlim(0, min(MAX_EPOCHS, round_up(max(1, epochs))))
        ax_loss.set_ylim(10.0 ** np.floor(np.log10(losses.min() / 1.25)),
                         10.0 ** np.ceil(np.log10(max(losses.max() * 1.25, 1e-3))))
        ax_loss.set_title(f"loss {losses[0]:.4f} \u2192 {losses[-1]:.4f}", fontsize=10)
        ax_pts.set_title(f"seed {seed}, epoch {epochs}", fontsize=10)
        return html.escape(explorer_summary(seed, lr, epochs, run))

    return live_widget([lr_slider, seed_menu, epochs_slider], live, update)
