"""Visible checks of lesson 05: the order of the steps, ``train_neuron`` and the updates-per-epoch quiz.

The checks of ``train_neuron`` run it on the exercise data of the "try it" cell and compare with
what that cell should print: the numbers below are those expected values, written down, not a
way to compute them for other data.
"""
import io
import re
from contextlib import redirect_stdout

from ..checks import (
    answer,
    apart,
    as_number,
    check_close,
    check_own_work,
    check_sealed,
    close,
    fail,
    last_source_defining,
    number_answer,
    passed,
    pinned,
    reveal,
    shown,
    user_namespace,
)

EXERCISE = "implement_loop"
EXERCISE_DATA = [([0.2, 0.8], 1.0), ([0.9, 0.1], 0.0), ([0.5, 0.5], 1.0), ([0.1, 0.3], 0.0)]

# train_neuron(EXERCISE_DATA) with its defaults (3000 epochs): the "try it" cell's expected output.
EXPECTED_W0, EXPECTED_W1, EXPECTED_BIAS = 1.9867452771291487, 10.018456877954147, -4.708282796458294
EXPECTED_LOSSES = {  # losses[epoch] at the reported epochs, and the last one
    0: 0.2803206894187156, 500: 0.102301633654728, 1000: 0.0650468242186521, 1500: 0.04663464187504754,
    2000: 0.035893682136631515, 2500: 0.02892709613761645, 2999: 0.024085460922806293,
}
EXPECTED_REPORT = ["Epoch    0 | loss=0.2803", "Epoch  500 | loss=0.1023", "Epoch 1000 | loss=0.0650",
                   "Epoch 1500 | loss=0.0466", "Epoch 2000 | loss=0.0359", "Epoch 2500 | loss=0.0289"]
REPORT_FORMAT = 'f"Epoch {epoch:4d} | loss={loss:.4f}"'
TRAJECTORY_CHECK = "the trajectory check above (test_implement_loop_trajectory)"
SHAPE_FIRST = ("Hint: make the shape check above (test_implement_loop_shape) pass first: "
               "train_neuron should return (w0, w1, bias, losses) with one loss per epoch.")


# ------------------------------------------------------------------ order_steps
def _bare_letters(namespace):
    """Letters typed without quotes on the line that sets step_order (Python took them for names)."""
    source = last_source_defining("step_order", namespace) or ""
    line = re.search(r"^\s*step_order\s*=(.*)$", source, re.M)
    if not line:
        return []
    code = re.sub(r"#.*$", "", re.sub(r"(['\"]).*?\1", "''", line.group(1)))
    return [word for word in re.findall(r"\b[A-Da-d]{1,4}\b", code) if word not in namespace]


def _order_of(value):
    """The letters of ``value`` in order, upper case (None when it is not text or a sequence)."""
    if isinstance(value, (list, tuple)):
        return [str.upper(" ".join(str(item).split())) for item in value]
    return re.findall(r"[A-Z?]", str.upper(value)) if isinstance(value, str) else None


def check_order_steps(namespace=None):
    """Check the order of the four steps of one training iteration."""
    namespace = user_namespace() if namespace is None else namespace
    check_own_work("step_order", exercise="order_steps", namespace=namespace)
    bare = _bare_letters(namespace)
    if bare:
        fail([f"The letters in `step_order` have no quotes ({', '.join(bare)}), so Python looks for variables "
              "with those names instead of taking the letters.",
              'Hint: put each letter between quotes, as in ["B", "A", "D", "C"].'], "order_steps")
    value = answer("step_order", exercise="order_steps", namespace=namespace)
    order = _order_of(value)
    if order is not None and "?" in order:
        fail([f"`step_order` = {shown(value, 80)} still holds the placeholder \"?\".",
              "Hint: replace each ? with one of the letters A, B, C and D."], "order_steps")
    if order is None or sorted(order) != ["A", "B", "C", "D"]:
        fail([f"`step_order` should hold each of the letters A, B, C and D exactly once; it is {shown(value, 80)}.",
              'Hint: write a list of four letters, such as ["B", "A", "D", "C"].'], "order_steps")
    check_sealed("".join(order), exercise="order_steps", name="step_order",
                 problem=f"`step_order` = {order} is not the order of one training iteration yet.",
                 hint="match each line to one of the four steps of training listed at the top of this notebook; "
                      "a line can only run once the names it uses have been computed in this iteration.")


# ------------------------------------------------------------------ implement_loop
def _run(namespace, *args, **kwargs):
    """(what train_neuron returned, what it printed) for one call on a copy of the exercise data."""
    train_neuron = answer("train_neuron", exercise=EXERCISE, kind="function", namespace=namespace)
    data = [(list(inputs), target) for inputs, target in EXERCISE_DATA]
    printed = io.StringIO()
    try:
        with redirect_stdout(printed):
            result = train_neuron(data, *args, **kwargs)
    except NotImplementedError:
        fail(["train_neuron still raises NotImplementedError: the loop has not been written yet.",
              "Hint: replace the `raise NotImplementedError(...)` line with the four steps of an epoch."], EXERCISE)
    return result, printed.getvalue()


def _shaped(result, epochs):
    """(w0, w1, bias, losses) as floats if ``result`` has the shape the shape check asks for, else None."""
    if not isinstance(result, (tuple, list)) or len(result) != 4:
        return None
    losses = result[3]
    if not isinstance(losses, (list, tuple)) or len(losses) != epochs:
        return None
    names = ("the returned w0", "the returned w1", "the returned bias", *["each entry of losses"] * epochs)
    numbers = [as_number(v, name, EXERCISE) for v, name in zip([*result[:3], *losses], names)]
    return (*numbers[:3], numbers[3:])


def _trained(namespace, check):
    """train_neuron(exercise_data) with its defaults, for the checks after the shape check."""
    result, printed = _run(namespace)
    shaped = _shaped(result, 3000)
    if shaped is None:
        fail([f"The {check} needs train_neuron(exercise_data) to return (w0, w1, bias, losses) with 3000 losses; "
              f"it returned {shown(result, 120)}.", SHAPE_FIRST], EXERCISE)
    return shaped, printed


def check_implement_loop_shape(namespace=None):
    """Check that train_neuron returns (w0, w1, bias, losses) with one loss per epoch."""
    result, _ = _run(namespace, epochs=10, report_every=5)
    call = "train_neuron(exercise_data, epochs=10, report_every=5)"
    if not isinstance(result, (tuple, list)) or len(result) != 4:
        fail([f"{call} should return four things, (w0, w1, bias, losses); it returned {shown(result, 200)}.",
              "Hint: end the function with `return w0, w1, bias, losses`."], EXERCISE)
    passed("returns (w0, w1, bias, losses)")
    for name, value in zip(("w0", "w1", "bias"), result):
        as_number(value, f"the returned {name}", EXERCISE)
    losses = result[3]
    if not isinstance(losses, (list, tuple)) or len(losses) != 10:
        fail([f"With epochs=10, losses should be a list of 10 numbers; it is {shown(losses, 200)}.",
              "Hint: append the loss once per epoch, inside the epoch loop."], EXERCISE)
    for value in losses:
        as_number(value, "each entry of losses", EXERCISE)
    passed("one loss per epoch")


def check_implement_loop_loss_falls(namespace=None):
    """Check that the loss falls during training on the exercise data."""
    (_, _, _, losses), _ = _trained(namespace, "loss check")
    first, last = losses[0], losses[-1]
    if pinned.isfinite(first) and pinned.isfinite(last) and last < 0.5 * first:
        passed(f"the loss falls from {shown(first)} to {shown(last)}")
        return
    if last > first or not pinned.isfinite(last):
        lines = [f"The loss rose from {shown(first)} to {shown(last)}: the weights are moving uphill."]
        hint = "gradient descent moves each parameter against its gradient: parameter - lr * gradient."
    else:
        lines = [f"The loss only went from {shown(first)} to {shown(last)}; 3000 epochs should cut it by far more "
                 "than half."]
        hint = "every epoch should move w0, w1 and bias a step against their gradients."
    found = reveal("implement_loop:losses_last", last)
    if found and found[0] == "wrong":
        lines.append(f"That is the value you get if you {found[1]}.")
    fail([*lines, f"Hint: {hint}"], EXERCISE)


def check_implement_loop_trajectory(namespace=None):
    """Check the exact result of training on the exercise data."""
    (w0, w1, bias, losses), _ = _trained(namespace, "trajectory check")
    check_close(losses[0], EXPECTED_LOSSES[0], call="losses[0] (the loss of the starting weights)",
                hint="losses[0] is the MSE of the starting weights, measured before the first update.",
                exercise=EXERCISE, sealed="implement_loop:losses_first")
    check_close(w0, EXPECTED_W0, call="The final w0", exercise=EXERCISE, sealed="implement_loop:w0",
                hint="predictions for all four examples first, then the mean gradient 2*(s - t)*s*(1 - s)*x0, "
                     "then one update.")
    check_close(w1, EXPECTED_W1, call="The final w1", exercise=EXERCISE, sealed="implement_loop:w1",
                hint="w1's gradient is like w0's, with x1 in place of x0.")
    check_close(bias, EXPECTED_BIAS, call="The final bias", exercise=EXERCISE, sealed="implement_loop:bias",
                hint="the bias acts like a weight on an input that is always 1.")
    check_close(losses[-1], EXPECTED_LOSSES[2999], call="losses[-1] (the loss before the last update)",
                exercise=EXERCISE, sealed="implement_loop:losses_last",
                hint="append the loss before the update, every epoch.")


def _squeezed(line):
    return " ".join(line.split())


def check_implement_loop_report(namespace=None):
    """Check the printed report: one line every report_every epochs, in the format of the exercise."""
    result, printed = _run(namespace)
    lines = [line for line in printed.splitlines() if line.strip().startswith("Epoch")]
    if [_squeezed(line) for line in lines] == [_squeezed(line) for line in EXPECTED_REPORT]:
        passed(f"six report lines, from {EXPECTED_REPORT[0]!r} to {EXPECTED_REPORT[-1]!r}")
        return
    shaped = _shaped(result, 3000)
    if shaped is None:
        fail(["The report does not match yet, and the losses cannot be checked either: train_neuron(exercise_data) "
              f"should return (w0, w1, bias, losses) with 3000 losses; it returned {shown(result, 120)}.",
              SHAPE_FIRST], EXERCISE)
    losses = shaped[3]
    wrong = [(epoch, want) for epoch, want in EXPECTED_LOSSES.items() if not close(losses[epoch], want, 1e-6)]
    if wrong:
        epoch, want = wrong[0]
        fail(["The report does not match yet, and the printing is not the reason: the losses your loop computes "
              "are not right yet, so the lines cannot show the expected numbers.",
              "losses[{}] should be about {}, but it is {}.".format(epoch, *apart(want, losses[epoch])),
              f"Hint: make {TRAJECTORY_CHECK} pass first; it says what is wrong with the trajectory. "
              "The report prints those same losses."], EXERCISE)
    seen = [f"    {line!r}" for line in lines[:8]] + (["    ..."] if len(lines) > 8 else [])
    if len(lines) != len(EXPECTED_REPORT):
        others = [f"    {line!r}" for line in printed.splitlines()[:3]]
        fail([f"The losses are right. The report should have {len(EXPECTED_REPORT)} lines, at epochs 0, 500, ..., "
              f"2500, but your loop printed {len(lines)} lines that start with 'Epoch'"
              + (":" if lines else (", and these first lines:" if others else ", and nothing else.")),
              *(seen or others),
              "Hint: print once per epoch when epoch % report_every == 0, counting the epochs from 0."], EXERCISE)
    for number, (got, want) in enumerate(zip(lines, EXPECTED_REPORT), 1):
        if _squeezed(got) != _squeezed(want):
            fail([f"The losses are right, but line {number} of the report should read {want!r},",
                  f"and your loop printed {got!r}.",
                  f"Hint: print the loss of that epoch (measured before the update) with {REPORT_FORMAT}, "
                  "when epoch % report_every == 0."], EXERCISE)


# ------------------------------------------------------------------ quiz_updates_per_epoch
def check_quiz_updates_per_epoch(namespace=None):
    """Check the number of weight updates in one epoch of 1,000 examples in batches of 50."""
    value = number_answer("updates_per_epoch", exercise="quiz_updates_per_epoch", namespace=namespace)
    check_sealed(value, exercise="quiz_updates_per_epoch", name="updates_per_epoch",
                 problem=f"`updates_per_epoch` = {shown(value).removesuffix('.0')} is not right yet.",
                 hint="one update per batch: how many batches of 50 make 1,000 examples?")
