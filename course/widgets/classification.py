"""Lesson 08 widget: a softmax classifier learning the three-class point cloud, with either loss.

``classifier_explorer`` trains the lesson's classifier (course.classification.run) on the lesson's
points from a start of the menu, with cross-entropy or with MSE; learning rate, epochs, loss and
start are the student's. Each (loss, start, learning rate) is trained once for MAX_EPOCHS and kept:
moving the epochs slider only looks a run up.
"""
import html

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import NullLocator, PercentFormatter

from .. import classification
from ..plots import COLORS, ROUND, LiveFigure, legend_outside
from .controls import live_widget, slider
from .words import count

MAX_EPOCHS = 300
LO, HI = -4.0, 4.0
GRID = np.linspace(LO, HI, 81)
CLASS_COLORS = (COLORS["blue"], COLORS["orange"], COLORS["green"])
CLASS_MARKERS = (ROUND, "s", "^")
SHADE = 0.55  # how strongly a region is tinted where the classifier is completely sure


def _rgb(hex_color):
    return np.array([int(hex_color[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)


CLASS_RGB = np.stack([_rgb(c) for c in CLASS_COLORS])


def region_pixels(W, b):
    """The picture of the regions: each grid point tinted with the colour of the class the classifier
    picks there, the more strongly the surer it is (white where it is a three-way coin flip)."""
    picked, sure = classification.regions(W, b, GRID)
    tint = np.clip((np.nan_to_num(sure, nan=1.0 / 3) - 1.0 / 3) * 1.5, 0.0, 1.0)[..., None] * SHADE
    return (255.0 * (1.0 - tint) + CLASS_RGB[picked] * tint).astype(np.uint8)


def explorer_summary(loss, start, lr, epochs, run):
    """One paragraph a screen reader can announce, saying in words what the three panels show."""
    first, last = run.losses[0], run.losses[epochs]
    n = classification.CLASSES * classification.PER_CLASS
    right0, right = round(run.accuracies[0] * n), round(run.accuracies[epochs] * n)
    if not np.isfinite(last):
        trend = "the loss overflowed: this learning rate is far too big"
    elif epochs == 0:
        trend = f"before training the loss is {first:.4f}"
    else:
        trend = f"the loss {'fell' if last < first else 'rose'} from {first:.4f} to {last:.4f}"
    if epochs == 0:
        accuracy = f"{right0} of {count(n, 'point')} are classified right ({run.accuracies[0]:.0%})"
    else:
        accuracy = (f"the accuracy went from {run.accuracies[0]:.0%} to {run.accuracies[epochs]:.0%} "
                    f"({right} of {count(n, 'point')} right)")
    return (f"Trained with {loss} from the {start} start, learning rate {lr:.3g}, {count(epochs, 'epoch')}: "
            f"{trend}; {accuracy}.")


def classifier_explorer(lr=0.3, epochs=100, loss="cross-entropy", start="confidently wrong"):
    """A softmax classifier (one linear layer) training on the lesson's points: the loss, the accuracy and
    the regions where it picks each class, with learning-rate and epochs sliders, the loss function and the
    starting weights."""
    lr_slider = slider(widgets.FloatLogSlider, "learning rate", "Learning rate (log scale, 0.001 to 10)",
                       continuous_update=False, value=lr, base=10, min=-3, max=1, step=0.05, readout_format=".3g")
    epochs_slider = slider(widgets.IntSlider, "epochs", "Full-batch steps on all 90 points",
                           continuous_update=False, value=epochs, min=0, max=MAX_EPOCHS, step=5)
    loss_buttons = widgets.ToggleButtons(options=list(classification.LOSSES), value=loss, description="loss function",
                                         style={"description_width": "initial"})
    start_menu = widgets.Dropdown(options=list(classification.STARTS), value=start, description="starting weights",
                                  style={"description_width": "initial"})

    X, labels = classification.point_cloud()
    fig = Figure(figsize=(9.0, 4.2), dpi=90, layout="constrained")
    axes = fig.subplot_mosaic([["loss", "regions"], ["accuracy", "regions"]], width_ratios=[1.15, 1.0])
    ax_loss, ax_acc, ax_reg = axes["loss"], axes["accuracy"], axes["regions"]
    (loss_curve,) = ax_loss.plot([], [], color=COLORS["vermillion"])
    ax_loss.set_yscale("log")
    ax_loss.yaxis.set_minor_locator(NullLocator())
    ax_loss.set_ylabel("loss (log scale)")
    (acc_curve,) = ax_acc.plot([], [], color=COLORS["black"])
    ax_acc.set_ylim(-0.03, 1.03)
    ax_acc.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax_acc.set_ylabel("accuracy")
    ax_acc.set_xlabel("epoch")
    for ax in (ax_loss, ax_acc):
        ax.set_xlim(0, MAX_EPOCHS)

    image = ax_reg.imshow(np.full((len(GRID), len(GRID), 3), 255, np.uint8), origin="lower",
                          extent=(LO, HI, LO, HI), interpolation="nearest")
    points = [ax_reg.scatter(*X[labels == k].T, marker=CLASS_MARKERS[k], s=22, color=CLASS_COLORS[k],
                             edgecolor="black", linewidth=0.5, zorder=3, label=f"class {k}")
              for k in range(classification.CLASSES)]
    (wrong,) = ax_reg.plot([], [], linestyle="none", marker=ROUND, markersize=11, markerfacecolor="none",
                           markeredgecolor=COLORS["vermillion"], markeredgewidth=1.5, zorder=4,
                           label="classified wrong")
    ax_reg.set_xlim(LO, HI)
    ax_reg.set_ylim(LO, HI)
    ax_reg.set_aspect("equal")
    ax_reg.set_xlabel("x0")
    ax_reg.set_ylabel("x1")
    legend_outside(fig, [ax_reg], loc="outside lower right", fontsize=7)
    live = LiveFigure(fig, [ax_loss, loss_curve, ax_loss.title, acc_curve, ax_acc.title, image, *points,
                            wrong, ax_reg.title])
    ax_loss.set_ylim(1e-3, 10.0)  # lay out for the widest tick labels, with the titles in place
    ax_loss.set_title("cross-entropy 0.0000 → 0.0000", fontsize=10)
    ax_acc.set_title("accuracy 100% → 100%", fontsize=10)
    ax_reg.set_title("what it picks after 300 epochs", fontsize=10)
    live.freeze_layout()

    runs = {}  # (loss, start, lr) -> a run of MAX_EPOCHS epochs

    def train(loss, start, lr):
        key = (loss, start, lr)
        if key not in runs:
            if len(runs) >= 60:
                del runs[next(iter(runs))]  # forget the oldest
            runs[key] = classification.run(lr, MAX_EPOCHS, loss=loss, start=start)
        return runs[key]

    def update(lr, epochs, loss, start):
        run = train(loss, start, lr)
        steps = np.arange(epochs + 1)
        losses = np.nan_to_num(run.losses[:epochs + 1], nan=1e6, posinf=1e6)
        loss_curve.set_data(steps, np.maximum(losses, 1e-12))
        low, high = max(losses.min(), 1e-12), losses.max()
        ax_loss.set_ylim(10.0 ** np.floor(np.log10(low / 1.25)), 10.0 ** np.ceil(np.log10(max(high * 1.25, 1e-3))))
        ax_loss.set_title(f"{loss} {run.losses[0]:.4f} \u2192 {run.losses[epochs]:.4f}", fontsize=10)
        acc_curve.set_data(steps, run.accuracies[:epochs + 1])
        ax_acc.set_title(f"accuracy {run.accuracies[0]:.0%} \u2192 {run.accuracies[epochs]:.0%}", fontsize=10)
        W, b = run.weights[epochs], run.biases[epochs]
        image.set_data(region_pixels(W, b))
        with np.errstate(all="ignore"):
            picked = (X @ W + b).argmax(axis=1)
        wrong.set_data(*X[picked != labels].T)
        ax_reg.set_title(f"what it picks after {count(epochs, 'epoch')}", fontsize=10)
        return html.escape(explorer_summary(loss, start, lr, epochs, run))

    return live_widget([lr_slider, epochs_slider, loss_buttons, start_menu], live, update)
