"""Lesson 08 widget: a learning-rate slider and what it changes."""
import ipywidgets as widgets

from .. import classification
from ..plots import COLORS, LiveFigure, new_figure
from .controls import slider

STEPS = 20


def classification_explorer(lr=0.1, steps=STEPS):
    """A learning-rate slider and the loss of each step. TODO: draw this lesson's picture."""
    lr_slider = slider(widgets.FloatSlider, "learning rate", "Learning rate: how big each step is",
                       value=lr, min=0.0, max=0.5, step=0.01, readout_format=".2f")
    summary = widgets.HTML()
    out = widgets.Output()
    fig, ax = new_figure(6.0, 3.2)
    (line,) = ax.plot(range(steps), classification.losses(lr, steps), color=COLORS["blue"], marker="o", markersize=3)
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    live = LiveFigure(fig, [line, *ax.spines.values(), ax.title])

    def redraw(lr):
        losses = classification.losses(lr, steps)
        line.set_data(range(steps), [min(v, 10.0) for v in losses])
        ax.set_ylim(0, max(0.35, min(max(losses), 10.0)))
        summary.value = f"With learning rate {lr:.2f} the loss goes from {losses[0]:.3f} to {losses[-1]:.3g}."
        live.show(out)

    lr_slider.observe(lambda change: redraw(change["new"]), names="value")
    redraw(lr)
    return widgets.VBox([lr_slider, summary, out])
