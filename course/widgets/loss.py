"""Lesson 02 pictures and widget: the squared-error parabola, and the loss curve of a run."""
import ipywidgets as widgets

from .. import loss
from ..plots import COLORS, LiveFigure, as_image, legend_outside, new_figure
from .controls import live_widget, slider
from .words import count

STEPS = 30


def squared_error_picture():
    """The squared error next to the absolute error, with the lesson's three errors marked."""
    errors, absolute, squared = loss.penalty_curves()
    fig, ax = new_figure(6.0, 3.4)
    ax.plot(errors, squared, color=COLORS["blue"], linewidth=2.5, label="squared error  (error²)")
    ax.plot(errors, absolute, color=COLORS["orange"], linestyle="--", label="absolute error  |error|")
    batch = [p - t for p, t in zip(loss.FIRST_PREDICTIONS, loss.BATCH_TARGETS)]
    ax.scatter(batch, [e * e for e in batch], color=COLORS["vermillion"], zorder=3,
               label="the three emails (first guesses)")
    # each label in a clear spot (below both curves on the left, inside the V near the vertex),
    # with an arrow to its point: next to the points, the labels sat on the curves
    for e, spot in zip(batch, [(-1.12, 0.16), (-0.27, 0.62), (0.27, 0.62)]):
        ax.annotate(f"{e:+.2f} → {e * e:.4f}", (e, e * e), xytext=spot, ha="center", va="center", fontsize=8,
                    arrowprops={"arrowstyle": "->", "color": COLORS["black"], "linewidth": 0.8, "shrinkB": 4})
    ax.set_xlabel("error = prediction − target")
    ax.set_ylabel("penalty for one example")
    ax.set_title("Squared error: never negative, harsh on big misses")
    ax.set_ylim(-0.05, 2.3)
    ax.legend(loc="upper center", fontsize=8)
    return as_image(fig)


def loss_curve_summary(lr, steps=STEPS):
    """One sentence a screen reader can announce, describing what the plot shows."""
    losses = loss.descent_losses(lr, steps)
    start, end = losses[0], losses[-1]
    if end > start:
        return (f"With learning rate {lr:.2f} the loss grows from {start:.3f} to {end:.3g} "
                f"in {count(steps, 'step')}: the steps are too big and training blows up.")
    if end == start:
        return (f"With learning rate {lr:.2f} the loss stays at {start:.3f} "
                f"for {'its' if steps == 1 else 'all'} {count(steps, 'step')}: "
                "the weight never gets any closer to the answer.")
    reached = loss.steps_to_reach(losses, 0.001)
    when = ("it has not yet dropped below 0.001" if reached is None
            else f"it drops below 0.001 after {count(reached, 'step')}")
    final = f"{end:.4f}" if end >= 1e-4 else f"practically 0 ({end:.1e})"
    return (f"With learning rate {lr:.2f} the loss falls from {start:.3f} to {final} "
            f"in {count(steps, 'step')}; {when}.")


def loss_curve_explorer(lr=0.05, steps=STEPS):
    """A learning-rate slider and the loss, step by step, of gradient descent on the one-weight problem."""
    lr_slider = slider(widgets.FloatSlider, "learning rate", "Learning rate: how big a step the weight takes each time",
                       value=lr, min=0.0, max=0.5, step=0.01, readout_format=".2f")

    fig, ax = new_figure(6.0, 3.2)
    step_numbers = list(range(steps + 1))
    (line,) = ax.plot(step_numbers, loss.descent_losses(lr, steps), color=COLORS["blue"],
                      marker="o", markersize=3, label="loss after each step")
    perfect = ax.axhline(0.0, color=COLORS["green"], linestyle="--", label="perfect (loss 0)")
    ax.set_xlim(0, steps)
    ax.set_ylim(-0.01, 0.35)
    ax.set_xlabel("step of training")
    ax.set_ylabel("loss  (w·x − target)²")
    legend_outside(fig)  # under the axes: inside, a run that does not learn drew its curve under it
    # redrawn per change: the loss curve, the lines and frame over it, and the title
    live = LiveFigure(fig, [line, perfect, *ax.spines.values(), ax.title])

    def update(lr):
        losses = loss.descent_losses(lr, steps)
        line.set_data(step_numbers, [min(v, 10.0) for v in losses])  # keep blown-up runs drawable
        end = f"{losses[-1]:.4f}" if losses[-1] < 1000 else f"{losses[-1]:.3g}"
        ax.set_title(f"learning rate {lr:.2f}: loss {losses[0]:.3f} → {end} after {count(steps, 'step')}")
        return loss_curve_summary(lr, steps)

    return live_widget([lr_slider], live, update)
