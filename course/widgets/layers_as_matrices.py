"""Lesson 07 picture and widget: the three activations side by side, and a 2-3-1 network learning XOR
(or not) depending on its learning rate and on the size of its starting weights.

``starting_scale_explorer`` trains the lesson's 2-3-1 network on XOR (course.layers_as_matrices.run)
from a fixed draw of starting weights times the chosen scale, or from all zeros. A run takes a few
milliseconds; each (learning rate, start) is trained once and kept.
"""
import html

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import NullLocator

from .. import layers_as_matrices
from ..plots import COLORS, LiveFigure, as_image, legend_outside
from .controls import live_widget, slider
from .words import count

POINT_NAMES = ("(0, 0)", "(0, 1)", "(1, 0)", "(1, 1)")
ACTIVATION_STYLES = {"sigmoid": (COLORS["blue"], "solid"), "tanh": (COLORS["orange"], "dashed"),
                     "ReLU": (COLORS["green"], "dashdot")}
LOSS_FLOOR = 1e-5


def activations_picture():
    """Sigmoid, tanh and ReLU side by side: their values (left) and their slopes (right)."""
    z = np.linspace(-5.0, 5.0, 401)
    curves = layers_as_matrices.activation_curves(z)
    fig = Figure(figsize=(8.8, 3.6), dpi=90, layout="constrained")
    ax_value, ax_slope = fig.subplots(1, 2)
    for name, (values, slopes) in curves.items():
        color, style = ACTIVATION_STYLES[name]
        if name == "ReLU":  # its slope jumps from 0 to 1 at z = 0: no line joins the two
            slopes = np.where(z == 0.0, np.nan, slopes)
        ax_value.plot(z, values, color=color, linestyle=style, linewidth=2, label=name)
        ax_slope.plot(z, slopes, color=color, linestyle=style, linewidth=2)
    ax_value.set_ylim(-1.2, 2.2)
    ax_value.set_title("value: what the neuron passes on", fontsize=10)
    ax_slope.set_ylim(-0.05, 1.1)
    ax_slope.set_title("slope: what backprop multiplies the blame by", fontsize=10)
    for ax in (ax_value, ax_slope):
        ax.axhline(0.0, color=COLORS["black"], linewidth=0.6)
        ax.axvline(0.0, color=COLORS["black"], linewidth=0.6)
        ax.set_xlabel("z, the neuron's weighted sum")
    legend_outside(fig)
    return as_image(fig)


# ------------------------------------------------------------------ the widget
def _start_words(scale, zeros):
    return "all weights 0" if zeros else f"starting scale {scale:.3g}"


def explorer_summary(lr, scale, zeros, run):
    """One paragraph a screen reader can announce, saying in words what the two panels show."""
    first, last = run.losses[0], run.losses[-1]
    epochs = len(run.losses) - 1
    outputs = ", ".join(f"{name} → {o:.2f}" for name, o in zip(POINT_NAMES, run.outputs))
    if not np.isfinite(last):
        trend = f"the loss blew up to {last}"
    else:
        trend = f"the loss went from {first:.4f} to {last:.4f}"
    if layers_as_matrices.rounds_right(run.outputs):
        verdict = "all four round to the right answer: the network learned XOR."
    else:
        verdict = "not all four round to the right answer: the network did not learn XOR."
    why = ""
    if zeros:
        why = (" Every hidden neuron started with the same weights, got the same gradient at every step and still "
               "has the same weights (the columns of W1 are equal): three hidden neurons worth one.")
    elif run.saturated:
        why = (f" At the start {run.saturated} of the 12 hidden sums (4 examples × 3 neurons) were beyond ±4, "
               "where the sigmoid is flat: those neurons pass almost no blame back.")
    elif abs(first - last) < 1e-3:
        why = " The loss hardly moved: the starting weights are so small that every gradient is tiny."
    return (f"Learning rate {lr:.3g}, {_start_words(scale, zeros)}, {count(epochs, 'epoch')}: {trend}. "
            f"The outputs are {outputs}; {verdict}{why}")


def starting_scale_explorer(lr=2.0, scale=0.7):
    """A 2-3-1 network on XOR: learning-rate and starting-scale sliders, a start from all zeros switch, the loss and
    the trained outputs."""
    lr_slider = slider(widgets.FloatLogSlider, "learning rate", "Learning rate (log scale, 0.01 to 100)",
                       value=lr, base=10, min=-2, max=2, step=0.05, readout_format=".3g")
    scale_slider = slider(widgets.FloatLogSlider, "starting scale",
                          "Spread of the random starting weights (log scale, 0.001 to 10)",
                          value=scale, base=10, min=-3, max=1, step=0.05, readout_format=".3g")
    zeros_box = widgets.Checkbox(value=False, description="start from all zeros", indent=False)

    fig = Figure(figsize=(8.8, 3.6), dpi=90, layout="constrained")
    ax_loss, ax_out = fig.subplots(1, 2)
    epochs = np.arange(layers_as_matrices.EPOCHS + 1)
    (curve,) = ax_loss.plot([], [], color=COLORS["blue"])
    ax_loss.set_yscale("log")
    ax_loss.yaxis.set_minor_locator(NullLocator())
    ax_loss.set_xlim(0, layers_as_matrices.EPOCHS)
    ax_loss.set_ylim(LOSS_FLOOR, 1.0)
    ax_loss.set_xlabel("epoch")
    ax_loss.set_ylabel("loss (MSE, log scale)")
    targets = [t for _, _, t in layers_as_matrices.XOR_ROWS]
    bars = ax_out.bar(range(4), [0.0] * 4, color=COLORS["sky"], edgecolor=COLORS["black"], label="output")
    ax_out.hlines(targets, np.arange(4) - 0.4, np.arange(4) + 0.4, colors=COLORS["vermillion"], linewidth=3,
                  zorder=3, label="target")
    ax_out.axhline(0.5, color=COLORS["black"], linewidth=0.8, linestyle=":")
    ax_out.set_xticks(range(4), POINT_NAMES)
    ax_out.set_ylim(-0.05, 1.05)
    ax_out.set_xlabel("XOR point")
    ax_out.set_ylabel(f"output after {count(layers_as_matrices.EPOCHS, 'epoch')}")
    legend_outside(fig, [ax_out], loc="outside lower right", fontsize=8)
    ax_loss.set_title("loss 0.0000 → 0.0000", fontsize=10)  # lay out with the titles in place
    ax_out.set_title("the trained network's outputs", fontsize=10)
    live = LiveFigure(fig, [curve, ax_loss.title, *bars.patches])
    live.freeze_layout()

    runs = {}  # (lr, start scale) -> Run

    def train(lr, scale):
        if (lr, scale) not in runs:
            if len(runs) >= 200:
                del runs[next(iter(runs))]  # forget the oldest
            runs[lr, scale] = layers_as_matrices.run(lr, scale)
        return runs[lr, scale]

    def update(lr, chosen_scale, zeros):
        run = train(lr, 0.0 if zeros else chosen_scale)
        losses = np.asarray(run.losses, dtype=float)
        shown = np.clip(np.nan_to_num(losses, nan=1.0, posinf=1.0), LOSS_FLOOR, 1.0)
        curve.set_data(epochs, shown)
        for bar, value in zip(bars.patches, run.outputs):
            bar.set_height(value)
        ax_loss.set_title(f"loss {losses[0]:.4f} \u2192 {losses[-1]:.4f}", fontsize=10)
        return html.escape(explorer_summary(lr, chosen_scale, zeros, run))

    return live_widget([lr_slider, scale_slider, zeros_box], live, update)
