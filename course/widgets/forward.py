"""Lesson 01 widget: how far one nudge moves the spam guess, for a chosen learning rate."""
import ipywidgets as widgets

from .. import forward
from ..plots import COLORS, LiveFigure, legend_outside, new_figure
from .controls import slider


def nudge_summary(lr):
    """One sentence a screen reader can announce, describing what the plot shows."""
    before, after = forward.guess_after_nudge(lr)
    return (f"With learning rate {lr:.2f}, one nudge moves the spam guess from "
            f"{before:.2f} to {after:.2f}; the right answer is {forward.SPAM_TARGET:.2f}.")


def nudge_explorer(lr=1.0):
    """A learning-rate slider and a bar chart of the spam guess before and after one nudge."""
    lr_slider = slider(widgets.FloatSlider, "learning rate", "Learning rate: how big a nudge the weights get",
                       value=lr, min=0.0, max=10.0, step=0.1, readout_format=".1f")
    summary = widgets.HTML()
    out = widgets.Output()

    fig, ax = new_figure(5.5, 3.0)
    before, after = forward.guess_after_nudge(lr)
    bars = ax.bar(["first guess", "after one nudge"], [before, after],
                  color=[COLORS["orange"], COLORS["blue"]])
    right = ax.axhline(forward.SPAM_TARGET, color=COLORS["green"], linestyle="--",
                       label="right answer (spam = 1)")
    coin = ax.axhline(0.5, color=COLORS["black"], linestyle=":", label="coin flip (0.5)")
    ax.set_axisbelow(True)  # grid behind the bars
    ax.set_ylim(0, 1.1)
    ax.set_ylabel("guess: probability of spam")
    legend_outside(fig)  # under the axes: inside, it sat on a bar
    # redrawn per change: the second bar, then what is drawn over it (lines, frame), and the title
    live = LiveFigure(fig, [bars[1], right, coin, *ax.spines.values(), ax.title])

    def redraw(lr):
        _, after = forward.guess_after_nudge(lr)
        bars[1].set_height(after)
        ax.set_title(f"learning rate {lr:.1f}: guess {after:.2f}")
        summary.value = nudge_summary(lr)
        live.show(out)

    lr_slider.observe(lambda change: redraw(change["new"]), names="value")
    redraw(lr)
    return widgets.VBox([lr_slider, summary, out])
