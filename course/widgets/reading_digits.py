"""Lesson 09 pictures and dashboard: real handwritten digits, a network learning to read them live, and
what overfitting looks like.

``digits_dashboard`` trains the lesson's network on the digits with course.reading_digits.training (the
course's own loop, locked to the digits). Every setting of the learning rate, batch size, hidden neurons,
training images and weight decay is one run, trained once and kept: the epochs slider only looks a run up
or resumes it. A change draws its first frame at once with the epochs that fit in a few milliseconds; a
long run then streams its remaining frames from the kernel's event loop, between messages, so the
sliders stay live, and a newer change stops an older stream.
"""
import asyncio
import html
import math
import time

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import NullLocator, PercentFormatter

from .. import reading_digits
from ..plots import COLORS, ROUND, LiveFigure, as_image, legend_outside, not_drawn, unseen
from .controls import live_widget, slider
from .words import count

FIRST_FRAME_S = 0.008  # seconds a change may spend on training before its first frame is drawn
CHUNK_S = 0.060  # seconds of training per streamed frame after that
RUNS_KEPT = 40
MAX_EPOCHS = 300
LOSS_FLOOR, LOSS_CEILING = 1e-3, 30.0  # the loss axis (log scale); values outside are drawn at its edge
MISREAD_SHOWN = 10  # 2 rows of 5
GAP, ROW_GAP = 2, 5  # pixels between the misread digits, side by side and above one another (room for a label)


# ------------------------------------------------------------------ a few digits
def _tiles(images, rows, cols):
    """``images`` (each 64 pixels) laid out as one picture of ``rows`` x ``cols`` 8x8 tiles; empty tiles
    and the gaps between tiles are NaN (drawn blank)."""
    picture = np.full((rows * (8 + ROW_GAP), cols * (8 + GAP) - GAP), np.nan)
    for i, image in enumerate(images[:rows * cols]):
        r, c = divmod(i, cols)
        picture[r * (8 + ROW_GAP):r * (8 + ROW_GAP) + 8, c * (8 + GAP):c * (8 + GAP) + 8] = np.reshape(image, (8, 8))
    return picture


def digits_gallery(count_shown=20):
    """The first ``count_shown`` training images (in rows of 10), each under the digit it shows."""
    if unseen():
        return not_drawn()
    X_train, y_train, _, _ = reading_digits.split_digits()
    cols = 10
    rows = -(-count_shown // cols)
    fig = Figure(figsize=(7.0, 0.4 + 0.85 * rows), dpi=90, layout="constrained")
    ax = fig.add_subplot()
    ax.imshow(_tiles(X_train[:count_shown], rows, cols), cmap="gray_r", vmin=0.0, vmax=1.0,
              interpolation="nearest")
    for i in range(count_shown):
        r, c = divmod(i, cols)
        ax.text(c * (8 + GAP) + 3.5, r * (8 + ROW_GAP) - 0.7, str(y_train[i]), ha="center", va="bottom", fontsize=10)
    ax.set_ylim(rows * (8 + ROW_GAP) - ROW_GAP + 0.5, -ROW_GAP)
    ax.set_axis_off()
    ax.set_title(f"the first {count_shown} training images, 8 x 8 pixels each, under the digit they show", fontsize=10)
    return as_image(fig)


# ------------------------------------------------------------------ the dashboard
def _axis_end(epochs):
    """The smallest of 10, 20, 30, 50, 100, 200, 300, ... that is at least ``epochs``: the axis keeps
    its ticks (and its cached drawing) over a range of the slider, and is never more than half empty."""
    step = 10
    while True:
        for k in (1, 2, 3, 5):
            if k * step >= epochs:
                return k * step
        step *= 10


def _percent(value):
    return f"{100.0 * value:.1f} %"


def _loss_text(value):
    return f"{value:.3g}" if np.isfinite(value) else "not a number"


def confusion_table(answers, labels):
    """The confusion matrix as an HTML table: one row per true digit, one column per digit read."""
    counts = reading_digits.confusion_matrix(answers, labels)
    top = max(1, int(counts.max()))
    head = "".join(f"<th style='padding:0 5px'>{d}</th>" for d in range(reading_digits.CLASSES))
    rows = []
    for true in range(reading_digits.CLASSES):
        cells = []
        for read in range(reading_digits.CLASSES):
            n = int(counts[true, read])
            if n == 0:
                style = "color:#bbb"
            elif true == read:
                style = f"background:rgba(0,114,178,{0.15 + 0.6 * n / top:.2f})"
            else:
                style = f"background:rgba(213,94,0,{min(1.0, 0.3 + 0.15 * n):.2f});font-weight:bold"
            cells.append(f"<td style='text-align:right;padding:0 5px;{style}'>{n}</td>")
        rows.append(f"<tr><th style='padding:0 5px'>{true}</th>{''.join(cells)}</tr>")
    return ("<table style='border-collapse:collapse;font-size:12px'>"
            "<caption style='caption-side:top;text-align:left'>confusion matrix of the validation images "
            "(row: the true digit, column: what the network read; off the diagonal: mistakes)</caption>"
            f"<tr><th></th>{head}</tr>{''.join(rows)}</table>")


SETTING_NAMES = ("learning rate", "batch size", "hidden neurons", "training images", "weight decay")


def _settings_text(settings):
    lr, size, hidden, images, decay = settings
    return (f"learning rate {lr:.3g}, batch size {size} "
            f"({count(reading_digits.updates_per_epoch(size, images), 'update')} per epoch), "
            f"{count(hidden, 'hidden neuron')}, {images:,} training images, "
            + (f"weight decay {decay:g}" if decay else "no weight decay"))


def run_summary(settings, history, epochs, previous=None):
    """What the pictures show, in words: the run so far, early stopping, and what the last change did.

    ``history`` holds the run's ``Epoch`` records from the start (epoch 0) on; ``epochs`` is the slider's.
    ``previous``: ``(settings, epochs, final Epoch)`` of the last finished picture, to say what changed.
    """
    last = history[min(epochs, len(history) - 1)]
    lines = [f"<b>{html.escape(_settings_text(settings))}.</b>"]
    if last.epoch < epochs:
        lines.append(f"Training... epoch {last.epoch} of {epochs}.")
    head = f"After {count(last.epoch, 'epoch')}" if last.epoch else "Before training"
    lines.append(f"{head}: training accuracy {_percent(last.train_accuracy)}, validation accuracy "
                 f"<b>{_percent(last.val_accuracy)}</b> (loss {_loss_text(last.train_loss)} on the training images, "
                 f"{_loss_text(last.val_loss)} on the validation images).")
    if not np.isfinite(last.train_loss) or last.train_loss > 2.0 * history[0].train_loss:
        lines.append("The loss has grown instead of falling: the steps are too big. Lower the learning rate.")
    shown = history[:last.epoch + 1]
    if last.epoch >= 2:
        best = reading_digits.best_epoch([e.val_loss for e in shown])
        if best < last.epoch:
            lines.append(f"The validation loss was lowest at epoch {best} ({_loss_text(shown[best].val_loss)}, "
                         f"accuracy {_percent(shown[best].val_accuracy)}): early stopping would keep that network.")
    if previous is not None and last.epoch == epochs:
        before_settings, before_epochs, before = previous
        changed = [(name, a, b) for name, a, b in zip(SETTING_NAMES, before_settings, settings) if a != b]
        if before_epochs != epochs:
            changed.append(("epochs", before_epochs, epochs))
        if changed:
            what = "; ".join(f"{name} {a:.3g} \u2192 {b:.3g}" if isinstance(a, float) else f"{name} {a:,} \u2192 {b:,}"
                             for name, a, b in changed)
            lines.append(f"<i>You changed {html.escape(what)}: validation accuracy "
                         f"{_percent(before.val_accuracy)} \u2192 {_percent(last.val_accuracy)}.</i>")
    return "<br>".join(lines)


def _schedule(callback, *args):
    """Run ``callback(*args)`` soon from the kernel's event loop; False when there is none (plain Python)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return False
    loop.call_later(0.005, callback, *args)
    return True


def digits_dashboard(lr=0.5, batch_size=32, hidden=32, epochs=30, train_size=reading_digits.N_TRAIN,
                     weight_decay=0.0):
    """Train the 64-hidden-10 network on the digits, live: learning rate, batch size, hidden neurons, epochs,
    training images and weight decay; the loss and accuracy curves, the digits it misreads and its
    confusion matrix."""
    if unseen():
        return not_drawn()
    lr_slider = slider(widgets.FloatLogSlider, "learning rate", "Learning rate (log scale, 0.01 to 10)",
                       continuous_update=False, value=lr, base=10, min=-2, max=1, step=0.05, readout_format=".3g")
    batch_slider = slider(widgets.IntSlider, "batch size", "Images per weight update",
                          continuous_update=False, value=batch_size, min=1, max=256)
    hidden_slider = slider(widgets.IntSlider, "hidden neurons", "Neurons in the hidden layer",
                           continuous_update=False, value=hidden, min=1, max=128)
    epochs_slider = slider(widgets.IntSlider, "epochs", "Full passes over the training images",
                           continuous_update=False, value=epochs, min=1, max=MAX_EPOCHS)
    size_slider = slider(widgets.IntSlider, "training images", "How many of the 1,437 training images to learn from",
                         continuous_update=False, value=train_size, min=10, max=reading_digits.N_TRAIN)
    decay_slider = slider(widgets.FloatSlider, "weight decay", "Pull on every weight towards 0 at each step",
                          continuous_update=False, value=weight_decay, min=0.0, max=0.02, step=0.001,
                          readout_format=".3f")
    table = widgets.HTML()
    _, _, X_val, y_val = reading_digits.split_digits()

    fig = Figure(figsize=(9.6, 3.3), dpi=90, layout="constrained")
    ax_loss, ax_acc, ax_mis = fig.subplots(1, 3, width_ratios=[1.0, 1.0, 0.9])
    style = {"train": {"color": COLORS["blue"], "label": "training images"},
             "val": {"color": COLORS["orange"], "label": "validation images"}}
    (loss_train,) = ax_loss.plot([], [], **style["train"])
    (loss_val,) = ax_loss.plot([], [], **style["val"])
    (acc_train,) = ax_acc.plot([], [], **style["train"])
    (acc_val,) = ax_acc.plot([], [], **style["val"])
    marker = {"marker": ROUND, "markersize": 8, "linestyle": "none", "color": COLORS["vermillion"],
              "markeredgecolor": "black", "zorder": 3}
    (best_loss,) = ax_loss.plot([], [], label="lowest validation loss (early stopping)", **marker)
    (best_acc,) = ax_acc.plot([], [], **marker)
    ax_loss.set_yscale("log")
    ax_loss.set_ylim(LOSS_FLOOR * 0.8, LOSS_CEILING)
    ax_loss.yaxis.set_minor_locator(NullLocator())
    ax_loss.set_xlabel("epoch")
    ax_loss.set_ylabel("loss (cross-entropy)")
    ax_acc.set_ylim(0.0, 1.02)
    ax_acc.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax_acc.set_xlabel("epoch")
    ax_acc.set_ylabel("accuracy")
    picture = ax_mis.imshow(_tiles([], 2, MISREAD_SHOWN // 2), cmap="gray_r", vmin=0.0, vmax=1.0,
                            interpolation="nearest")
    ax_mis.set_axis_off()
    labels = [ax_mis.text(c * (8 + GAP) + 3.5, r * (8 + ROW_GAP) + 7.8, "", ha="center", va="top", fontsize=8)
              for r in range(2) for c in range(MISREAD_SHOWN // 2)]
    legend_outside(fig, [ax_loss], loc="outside lower center", fontsize=8)
    live = LiveFigure(fig, [ax_loss, ax_acc, loss_train, loss_val, best_loss, acc_train, acc_val, best_acc,
                            picture, *labels, ax_loss.title, ax_acc.title, ax_mis.title])
    for ax, title in ((ax_loss, "loss"), (ax_acc, "accuracy"), (ax_mis, "misread at epoch 300: 8 \u2192 1")):
        ax.set_title(title, fontsize=10)
    live.freeze_layout()

    runs = {}  # settings -> [its generator, its Epoch records so far, seconds an epoch takes]
    # "budget": seconds of training before a change's first frame (the first picture shows the whole default run)
    state = {"generation": 0, "finished": None, "budget": 1.0, "streaming": False}

    def run_for(settings):
        if settings not in runs:
            if len(runs) >= RUNS_KEPT:
                del runs[next(iter(runs))]  # forget the oldest
            lr, size, hidden, images, decay = settings
            steps = reading_digits.training(lr, size, hidden, images, decay)
            guess = 3e-5 * reading_digits.updates_per_epoch(size, images) * max(1.0, hidden / 32) + 5e-4
            runs[settings] = [steps, [next(steps)], guess]  # the seconds an epoch takes: guessed, then measured
        return runs[settings]

    def advance(run, epochs, deadline, at_least=0):
        """Train ``run`` towards ``epochs`` epochs: ``at_least`` epochs, then more while the next one (about as
        long as the last) ends before ``deadline`` (a time.perf_counter() value)."""
        steps, history, _ = run
        done = 0
        while len(history) <= epochs:
            before = time.perf_counter()
            if done >= at_least and before + run[2] > deadline:
                break
            history.append(next(steps))
            run[2] = time.perf_counter() - before
            done += 1

    def draw(settings, history, epochs):
        """Put the run up to ``epochs`` in the picture and the table; its summary."""
        shown = history[:epochs + 1]
        last = shown[-1]
        xs = np.arange(len(shown))
        losses = np.array([[e.train_loss, e.val_loss] for e in shown])
        losses = np.clip(np.nan_to_num(losses, nan=LOSS_CEILING, posinf=LOSS_CEILING), LOSS_FLOOR, LOSS_CEILING)
        loss_train.set_data(xs, losses[:, 0])
        loss_val.set_data(xs, losses[:, 1])
        acc_train.set_data(xs, [e.train_accuracy for e in shown])
        acc_val.set_data(xs, [e.val_accuracy for e in shown])
        best = reading_digits.best_epoch([e.val_loss for e in shown])
        best_loss.set_data([best], [losses[best, 1]])
        best_acc.set_data([best], [shown[best].val_accuracy])
        for ax in (ax_loss, ax_acc):
            ax.set_xlim(0, _axis_end(epochs))
        ax_loss.set_title(f"loss: {_loss_text(last.train_loss)} training, {_loss_text(last.val_loss)} validation",
                          fontsize=10)
        ax_acc.set_title(f"accuracy: validation {_percent(last.val_accuracy)}", fontsize=10)
        wrong = reading_digits.misread(last.val_answers, y_val, MISREAD_SHOWN)
        picture.set_data(_tiles(X_val[wrong], 2, MISREAD_SHOWN // 2))
        for i, text in enumerate(labels):
            text.set_text(f"{y_val[wrong[i]]} \u2192 {last.val_answers[wrong[i]]}" if i < len(wrong) else "")
        total = int(np.count_nonzero(last.val_answers != y_val))
        ax_mis.set_title(f"misread at epoch {last.epoch}: {total} of {len(y_val)}"
                         + ("" if total else " (none)"), fontsize=10)
        finished = last.epoch == epochs
        text = run_summary(settings, history, epochs, state["finished"] if finished else None)
        if finished:
            state["finished"] = (settings, epochs, last)
        table.value = confusion_table(last.val_answers, y_val)
        return text

    def update(lr, batch_size, hidden, epochs, train_size, decay):
        """A frame: after a change, a new run's first (a newer change stops an older stream); while streaming,
        the next one of the run the last change started."""
        if state["streaming"]:
            deadline = time.perf_counter() + CHUNK_S
            at_least = 1  # a stream always moves on, however long an epoch took
        else:
            deadline, state["budget"] = time.perf_counter() + state["budget"], FIRST_FRAME_S
            state["generation"] += 1
            at_least = 0
        settings, epochs = (float(lr), int(batch_size), int(hidden), int(train_size), float(decay)), int(epochs)
        run = run_for(settings)
        advance(run, epochs, deadline, at_least)
        if len(run[1]) <= epochs and not _schedule(stream, state["generation"]):
            advance(run, epochs, math.inf)  # no event loop (plain Python): finish now
        return draw(settings, run[1], epochs)

    def stream(generation):
        if generation != state["generation"]:
            return  # a newer change took over
        state["streaming"] = True
        try:
            box.redraw()
        finally:
            state["streaming"] = False

    box = live_widget([lr_slider, batch_slider, hidden_slider, epochs_slider, size_slider, decay_slider], live,
                      update, extra=[table])
    return box


# ------------------------------------------------------------------ overfitting
OVERFIT_IMAGES, OVERFIT_EPOCHS, OVERFIT_DECAY = 100, 150, 0.002


def _curves(**settings):
    steps = reading_digits.training(0.5, 32, 32, **settings)
    return [next(steps) for _ in range(OVERFIT_EPOCHS + 1)]


def overfitting_picture():
    """100 training images: the training loss falls towards 0 while the validation loss stops and turns (with
    weight decay, the training loss stops higher); and the validation loss with weight decay and with more images."""
    if unseen():
        return not_drawn()
    small = _curves(train_size=OVERFIT_IMAGES)
    decayed = _curves(train_size=OVERFIT_IMAGES, weight_decay=OVERFIT_DECAY)
    more = _curves(train_size=4 * OVERFIT_IMAGES)
    xs = np.arange(OVERFIT_EPOCHS + 1)
    fig = Figure(figsize=(9.0, 3.4), dpi=90, layout="constrained")
    left, right = fig.subplots(1, 2, sharey=True)
    left.plot(xs, [e.train_loss for e in small], color=COLORS["blue"], label="training loss")
    left.plot(xs, [e.val_loss for e in small], color=COLORS["orange"], label="validation loss")
    best = reading_digits.best_epoch([e.val_loss for e in small])
    left.plot(xs, [e.train_loss for e in decayed], color=COLORS["purple"], linestyle=":",
              label=f"training, weight decay {OVERFIT_DECAY:g}")
    left.plot([best], [small[best].val_loss], marker=ROUND, markersize=8, color=COLORS["vermillion"],
              markeredgecolor="black", linestyle="none", label="lowest validation loss")
    left.set_title(f"{OVERFIT_IMAGES} training images", fontsize=10)
    right.plot(xs, [e.val_loss for e in small], color=COLORS["orange"], label="_")
    right.plot(xs, [e.val_loss for e in decayed], color=COLORS["purple"], linestyle="--",
               label=f"validation, weight decay {OVERFIT_DECAY:g}")
    right.plot(xs, [e.val_loss for e in more], color=COLORS["green"], linestyle="-.",
               label=f"validation, {4 * OVERFIT_IMAGES} training images")
    right.set_title("validation loss: what helps", fontsize=10)
    for ax in (left, right):
        ax.set_yscale("log")
        ax.set_xlabel("epoch")
        ax.set_xlim(0, OVERFIT_EPOCHS)
    left.set_ylabel("loss (cross-entropy)")
    legend_outside(fig, ncols=3, fontsize=8)
    return as_image(fig)


# The four pairs of the quiz: made-up curves (training, validation) over 60 epochs, one pattern each.
_EPOCHS = np.arange(61)
_WIGGLE = 0.04 * np.sin(1.7 * _EPOCHS) + 0.03 * np.sin(0.6 * _EPOCHS + 1.0)


def quiz_pairs():
    """The overfitting quiz's curves: {letter: (training loss, validation loss)}, one value per epoch."""
    fall = np.exp(-_EPOCHS / 8.0)
    jumpy = 1.6 + 0.5 * np.abs(np.sin(0.9 * _EPOCHS)) + 0.012 * _EPOCHS
    return {
        "A": (jumpy, jumpy + 0.1 + 0.2 * np.abs(np.cos(1.3 * _EPOCHS))),
        "B": (2.2 * fall + 0.02, 2.2 * fall + 0.35 + 0.3 * (1.0 - fall) ** 3 + 0.012 * _EPOCHS + 0.02 * _WIGGLE),
        "C": (2.2 * fall + 0.08 + 0.01 * _WIGGLE, 2.2 * fall + 0.14 + 0.02 * _WIGGLE),
        "D": (1.0 * np.exp(-_EPOCHS / 30.0) + 1.25, 1.0 * np.exp(-_EPOCHS / 30.0) + 1.32 + 0.02 * _WIGGLE),
    }


def overfitting_quiz_curves():
    """The quiz's four panels, A to D: a training and a validation loss curve in each."""
    if unseen():
        return not_drawn()
    fig = Figure(figsize=(9.0, 2.9), dpi=90, layout="constrained")
    axes = fig.subplots(1, 4, sharey=True)
    for ax, (letter, (train, val)) in zip(axes, quiz_pairs().items()):
        ax.plot(_EPOCHS, train, color=COLORS["blue"], label="training loss" if letter == "A" else "_")
        ax.plot(_EPOCHS, val, color=COLORS["orange"], linestyle="--", label="validation loss" if letter == "A" else "_")
        ax.set_title(letter, fontsize=12, fontweight="bold")
        ax.set_xlabel("epoch")
        ax.set_ylim(0.0, 3.0)
    axes[0].set_ylabel("loss")
    legend_outside(fig, ncols=2, fontsize=8)
    return as_image(fig)
