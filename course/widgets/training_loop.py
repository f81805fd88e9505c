"""Lesson 05 widget: a live training run of one two-input neuron.

Sliders for learning rate, epochs and batch size and a dataset menu drive course.training_loop;
the dashboard shows the loss curve, the decision boundary over the points and the final
predictions. Each setting trains from the dataset's own start, so a run is reproducible.
"""
import html

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import NullLocator

from .. import training_loop
from ..plots import COLORS, ROUND, LiveFigure, legend_outside, round_up, shade_colors, shading
from .controls import live_widget, slider
from .words import count

LO, HI = -0.25, 1.25
SHADE_ALPHA = 0.35


def _prediction_table(name, result):
    data = training_loop.dataset(name)[0]
    outputs = training_loop.predictions(name, result.weights, result.bias)
    rows = "".join(f"<tr><td>{list(xs)}</td><td>{t:g}</td><td>{s:.3f}</td></tr>" for (xs, t), s in zip(data, outputs))
    return ("<table><caption>final predictions</caption>"
            "<tr><th>inputs</th><th>target</th><th>prediction</th></tr>" + rows + "</table>")


def run_summary(name, lr, epochs, batch_size, result):
    """One paragraph that says in words what the plots show."""
    per_epoch = len(training_loop.batches(name, batch_size))
    w0, w1 = result.weights
    first, last = result.losses[0], result.losses[-1]
    trend = "falls" if last < first else "does not fall"
    return (f"{html.escape(name)}: learning rate {lr:.3g}, {count(epochs, 'epoch')}, batch size {batch_size} "
            f"({count(per_epoch, 'update')} per epoch, {result.updates} in all). "
            f"The loss {trend} from {first:.4f} to {last:.4f}. "
            f"Final w0 = {w0:.3f}, w1 = {w1:.3f}, bias = {result.bias:.3f}; the boundary is the line "
            f"{w0:.2f}\u00b7x0 {_signed(w1)}\u00b7x1 {_signed(result.bias)} = 0, where the neuron says 0.5.")


def _signed(value):
    sign = "+" if value >= 0 else "\u2212"
    return f"{sign} {abs(value):.2f}"


def training_dashboard(dataset="AND gate", lr=0.5, epochs=2000, batch_size=1):
    """A live training run: dataset menu, learning-rate / epochs / batch-size sliders, three views."""
    menu = widgets.Dropdown(options=list(training_loop.DATASETS), value=dataset, description="dataset",
                            style={"description_width": "initial"})
    lr_slider = slider(widgets.FloatLogSlider, "learning rate", "Learning rate (log scale, 0.01 to 100)",
                       continuous_update=False, value=lr, base=10, min=-2, max=2, step=0.05, readout_format=".3g")
    epochs_slider = slider(widgets.IntSlider, "epochs", "Full passes over the data",
                           continuous_update=False, value=epochs, min=10, max=5000, step=10)
    batch_slider = slider(widgets.IntSlider, "batch size", "Examples per weight update (4 = the whole dataset)",
                          continuous_update=False, value=batch_size, min=1, max=4)
    table = widgets.HTML()

    fig = Figure(figsize=(8.6, 3.4), dpi=90, layout="constrained")
    ax_loss, ax_pts = fig.subplots(1, 2)
    (curve,) = ax_loss.plot([], [], color=COLORS["blue"])
    ax_loss.set_yscale("log")
    ax_loss.yaxis.set_minor_locator(NullLocator())  # decades only: cheaper to redraw, still readable
    ax_loss.set_xlabel("epoch")
    ax_loss.set_ylabel("loss (MSE, log scale)")

    grid = np.linspace(LO, HI, 61)
    G0, G1 = np.meshgrid(grid, grid)
    shade = shading(fig, ax_pts, len(grid), (LO, HI, LO, HI), SHADE_ALPHA, "prediction", aspect="auto")
    (line,) = ax_pts.plot([], [], color=COLORS["black"], linewidth=2, label="boundary (prediction 0.5)")
    pts0 = ax_pts.scatter([], [], marker=ROUND, s=70, color=COLORS["orange"], edgecolor="black", label="target 0")
    pts1 = ax_pts.scatter([], [], marker="s", s=70, color=COLORS["blue"], edgecolor="black", label="target 1")
    ax_pts.set_xlim(LO, HI)
    ax_pts.set_ylim(LO, HI)
    ax_pts.set_xlabel("x0")
    ax_pts.set_ylabel("x1")
    # under the boundary panel: inside, it sat on the point [0, 1] and on the shading
    legend_outside(fig, [ax_pts], loc="outside lower right", fontsize=7)
    # The loss panel rescales with the run: its ticks are redrawn when its limits change, its
    # curve and title every time. Of the boundary panel the shading, the line, the points and
    # the frame over them are redrawn; the legend, outside both panels, is painted once. Its
    # title changes only with the dataset, which repaints everything.
    live = LiveFigure(fig, [ax_loss, curve, ax_loss.title, shade, line, pts0, pts1, *ax_pts.spines.values()])
    # lay out for the widest loss tick labels (10^-13) and with the titles in place
    ax_loss.set_ylim(1e-13, 2.0)
    ax_loss.set_title("loss", fontsize=10)
    ax_pts.set_title("decision boundary", fontsize=10)
    live.freeze_layout()

    runs = {}  # (dataset, lr, batch size) -> its training, and the (weights, bias) and loss of every epoch so far

    def train(name, lr, epochs, size):
        """The run for these settings; more epochs of settings seen before resume where they stopped."""
        if (name, lr, size) not in runs:
            if len(runs) >= 100:
                del runs[next(iter(runs))]  # forget the oldest
            start = training_loop.run(name, lr, 0, size)
            runs[name, lr, size] = (training_loop.epochs_of_training(name, lr, size),
                                    [(start.weights, start.bias)], start.losses)
        steps, history, losses = runs[name, lr, size]
        if len(history) <= epochs:  # train only the epochs that are missing
            more = [next(steps) for _ in range(epochs + 1 - len(history))]
            history += more
            losses += training_loop.losses_along(name, more)
        return training_loop.Run(*history[epochs], losses[:epochs + 1], epochs * len(training_loop.batches(name, size)))

    def update(name, lr, epochs, size):
        data = training_loop.dataset(name)[0]
        with np.errstate(all="ignore"):
            result = train(name, lr, epochs, size)
            w0, w1 = result.weights
            z = w0 * G0 + w1 * G1 + result.bias
            shade.set_data(shade_colors(0.5 * (1.0 + np.tanh(0.5 * z)), SHADE_ALPHA))
        losses = np.maximum(np.asarray(result.losses), 1e-12)
        curve.set_data(np.arange(len(losses)), losses)
        ax_loss.set_xlim(0, round_up(max(1, epochs)))
        # whole decades, so the log axis always has labelled ticks at both ends
        ax_loss.set_ylim(10.0 ** np.floor(np.log10(losses.min() / 1.25)),
                         10.0 ** np.ceil(np.log10(max(losses.max() * 1.25, 1e-3))))
        ax_loss.set_title(f"loss {losses[0]:.4f} \u2192 {losses[-1]:.4f}", fontsize=10)
        seg = training_loop.boundary_segment(w0, w1, result.bias, LO, HI)
        line.set_data(*(zip(*seg) if seg else ([], [])))
        pts0.set_offsets([xs for xs, t in data if t < 0.5])
        pts1.set_offsets([xs for xs, t in data if t >= 0.5])
        if ax_pts.get_title() != f"{name}: decision boundary":
            ax_pts.set_title(f"{name}: decision boundary", fontsize=10)
            live.invalidate()
        table.value = _prediction_table(name, result)
        return run_summary(name, lr, epochs, size, result)

    return live_widget([menu, lr_slider, epochs_slider, batch_slider], live, update, extra=[table])
