"""Lesson 01 widget: how far one nudge moves a guess, for a chosen learning rate.

The neuron is the smallest there is (course.forward_pass: one input, one weight, no squash), so a
nudge that is too big carries the guess past the right answer, and further still makes it
worse than before: the slider shows too small, about right and too big.
"""
import ipywidgets as widgets

from .. import forward_pass
from ..plots import COLORS, LiveFigure, legend_outside, new_figure
from .controls import live_widget, slider

_OUTCOMES = {  # what forward_pass.nudge_outcome says, in words
    "none": "nothing moves",
    "short": "the guess is still short of the answer",
    "on target": "the guess lands right on the answer",
    "past, closer": "the guess has gone past the answer, though it is closer to it than before",
    "past, further": "the guess has gone so far past the answer that it is further from it than before",
}


def nudge_summary(lr):
    """One sentence a screen reader can announce, describing what the plot shows."""
    nudge = forward_pass.guess_after_nudge(lr)
    return (f"With learning rate {lr:.2f}, one nudge moves the guess from {nudge.before:.2f} to "
            f"{nudge.after:.2f} (the right answer is {forward_pass.TARGET:g}): "
            f"{_OUTCOMES[forward_pass.nudge_outcome(lr)]}. "
            f"The squared error goes from {nudge.error_before:.4f} to {nudge.error_after:.4f}.")


def nudge_explorer(lr=0.1):
    """A learning-rate slider and a bar chart of the guess before and after one nudge."""
    lr_slider = slider(widgets.FloatSlider, "learning rate", "Learning rate: how big a nudge the weight gets",
                       value=lr, min=0.0, max=0.6, step=0.01, readout_format=".2f")

    fig, ax = new_figure(5.5, 3.0)
    nudge = forward_pass.guess_after_nudge(lr)
    bars = ax.bar(["first guess", "after one nudge"], [nudge.before, nudge.after],
                  color=[COLORS["orange"], COLORS["blue"]])
    right = ax.axhline(forward_pass.TARGET, color=COLORS["green"], linestyle="--",
                       label=f"right answer ({forward_pass.TARGET:g})")
    ax.set_axisbelow(True)  # grid behind the bars
    ax.set_ylim(0, 1.05 * forward_pass.guess_after_nudge(lr_slider.max).after)  # room for the biggest overshoot
    ax.set_ylabel("guess  w \u00b7 x")
    legend_outside(fig)  # under the axes: inside, it sat on a bar
    # redrawn per change: the second bar, then what is drawn over it (the line, the frame), and the title
    live = LiveFigure(fig, [bars[1], right, *ax.spines.values(), ax.title])

    def update(lr):
        nudge = forward_pass.guess_after_nudge(lr)
        bars[1].set_height(nudge.after)
        ax.set_title(f"learning rate {lr:.2f}: guess {nudge.after:.2f}, squared error {nudge.error_after:.4f}")
        return nudge_summary(lr)

    return live_widget([lr_slider], live, update)
