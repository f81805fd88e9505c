"""Visible checks of lesson 06: the XOR quiz, ``network_output``, ``network_gradients`` and ``train_network``.

Each check calls the student's function on a few fixed examples (the lesson's network and
some others) and compares with the values below: those expected values, written down, not a
way to compute them for other inputs. A wrong value that a known mistake produces is named
(the descriptions are sealed, course/exercises/sealed.py).
"""
from ..checks import (
    answer,
    apart,
    as_number,
    check_choice_answer,
    check_close,
    close,
    fail,
    not_implemented,
    passed,
    pinned,
    reveal,
    shown,
    user_namespace,
)

# The lesson's starting network (seed 0) and the other networks the checks use.
LESSON_NET = ([[0.69, 0.52], [-0.16, -0.48]], [0.02, -0.19], [0.57, -0.39], -0.05)
SECOND_NET = ([[2.0, -1.0], [0.5, 1.5]], [0.5, -1.0], [1.5, -2.0], 0.25)
WIDE_NET = ([[0.2, -0.4, 0.6], [-0.8, 0.1, 0.3], [0.5, 0.5, -0.5], [0.0, -0.3, 0.9]], [0.1, -0.2, 0.3, 0.0],
            [1.0, -1.5, 0.5, 2.0], -0.4)
GRADIENT_NET = ([[0.4, -0.6, 0.2], [-0.3, 0.8, 0.5]], [0.1, -0.2], [1.2, -0.7], 0.3)
XOR_DATA = [([0.0, 0.0], 0.0), ([0.0, 1.0], 1.0), ([1.0, 0.0], 1.0), ([1.0, 1.0], 0.0)]


def _copy(net):
    hw, hb, ow, ob = net
    return [list(row) for row in hw], list(hb), list(ow), ob


def _literal(net, *more):
    return ", ".join(repr(part) for part in (*net, *more))


# ------------------------------------------------------------------ quiz_xor
def check_quiz_xor(namespace=None):
    """Check the answer to the quiz: why one sigmoid neuron cannot output XOR."""
    check_choice_answer("xor_answer", exercise="quiz_xor", options="ABCD", namespace=namespace,
                        hint="where does a single neuron switch from saying less than 0.5 to more than 0.5, "
                             "and what shape does that boundary have?")


# ------------------------------------------------------------------ network_output
OUTPUT = "network_output"
# (seal id, network, inputs, expected output, hint)
OUTPUT_CASES = [
    ("network_output:lesson", LESSON_NET, [1.0, 0.0], 0.5426236763370313,
     "this is the forward pass by hand above: h0 = 0.6704, h1 = 0.4134, output = 0.5426."),
    ("network_output:second", SECOND_NET, [1.0, 2.0], 0.3397082452089279,
     "hidden neuron j: the sigmoid of hidden_biases[j] + the sum over i of hidden_weights[j][i] * inputs[i]; "
     "then the output neuron does the same with the hidden outputs, output_weights and output_bias."),
]
WIDE_CASE = ("network_output:wide", WIDE_NET, [1.0, -2.0, 0.5], 0.8441684466951015)
SHAPE_HINT = ("hidden_weights has one row per hidden neuron (len(hidden_biases) rows), and each row has one "
              "weight per input (len(inputs)): loop over the rows and over the inputs, however many there are.")


def _call_on(function, name, call, exercise, net, inputs, *rest):
    """``function(*net, inputs, *rest)`` on fresh copies of the network; an unwritten function or one that
    trips over the network's shape fails with a sentence (and the shape hint) instead of a traceback."""
    try:
        return function(*_copy(net), list(inputs), *rest)
    except NotImplementedError:
        not_implemented(name, exercise)
    except (IndexError, TypeError, ValueError) as error:
        fail([f"{call} raised {type(error).__name__}: {error}",
              f"This network has {pinned.len(net[1])} hidden neurons and {pinned.len(inputs)} inputs.",
              f"Hint: {SHAPE_HINT}"], exercise)


def _output_of(network_output, case, exercise=OUTPUT):
    seal_id, net, inputs, expected = case[:4]
    call = f"network_output({_literal(net, inputs)})"
    value = _call_on(network_output, "network_output", call, exercise, net, inputs)
    return as_number(value, call, exercise), call


def check_network_output(namespace=None):
    """Check network_output on two 2-2-1 networks: the lesson's, then one more."""
    network_output = answer("network_output", exercise=OUTPUT, kind="function", namespace=namespace)
    for case in OUTPUT_CASES:
        seal_id, _, _, expected, hint = case
        value, call = _output_of(network_output, case)
        check_close(value, expected, call=call, hint=hint, exercise=OUTPUT, sealed=seal_id)


def check_network_output_any_size(namespace=None):
    """Check network_output on a network with 3 inputs and 4 hidden neurons, once it is right for 2-2-1."""
    network_output = answer("network_output", exercise=OUTPUT, kind="function", namespace=namespace)
    seal_id, _, _, expected = WIDE_CASE
    value, call = _output_of(network_output, WIDE_CASE)
    if pinned.isfinite(value) and close(value, expected, 1e-6):
        passed(f"3 inputs and 4 hidden neurons: {call} = {shown(value)}")
        return
    lines = ["{} should be about {}, but it returned {}.".format(call, *apart(expected, value))]
    found = reveal(seal_id, value) if pinned.isfinite(value) else None
    if found:
        lines.append(f"That is the value you get if you {found[1]}.")
    small_ok = True
    for case in OUTPUT_CASES:
        try:
            small_ok = small_ok and close(_output_of(network_output, case)[0], case[3], 1e-6)
        except AssertionError:
            small_ok = False
    lines.append(f"Hint: {SHAPE_HINT}" if small_ok else
                 "Hint: the check above fails too: make network_output right for the 2-2-1 networks first.")
    fail(lines, OUTPUT)


# ------------------------------------------------------------------ network_gradients
GRADIENTS = "network_gradients"
# (case, network, inputs, target, expected (d_hidden_weights, d_hidden_biases, d_output_weights, d_output_bias))
GRADIENT_CASES = [
    ("lesson", LESSON_NET, [1.0, 0.0], 1.0,
     ([[-0.028593767481904987, 0.0], [0.021470777850992627, 0.0]], [-0.028593767481904987, 0.021470777850992627],
      [-0.15219866770504814, -0.09384866481944483], -0.22702625954352465)),
    ("wide", GRADIENT_NET, [0.5, -1.0, 2.0], 0.0,
     ([[0.029427625365196344, -0.05885525073039269, 0.11771050146078538],
       [-0.02535662869371901, 0.05071325738743802, -0.10142651477487603]],
      [0.05885525073039269, -0.05071325738743802], [0.22901052175609804, 0.13480366075900416],
      0.2914231698739422)),
]
GRADIENT_HINTS = {
    "d_output_bias": "the blame at the output neuron's sum: 2 * (output - target) times the sigmoid's slope "
                     "output * (1 - output). The output bias gets exactly that.",
    "d_output_weights": "output_weights[j] gets the output's blame times what it multiplies: h[j].",
    "d_hidden_biases": "hidden neuron j's blame: the output's blame, times output_weights[j] (the link to the "
                       "output's sum), times its own sigmoid slope h[j] * (1 - h[j]).",
    "d_hidden_weights": "hidden_weights[j][i] gets hidden neuron j's blame times what it multiplies: inputs[i].",
}
OUTPUT_FIRST = ("Hint: the output check above (test_network_gradients_output) fails too: make it pass first; "
                "the hidden layer's blame is built from the output's.")


def _sequence(value):
    """``value`` as a list, or None when it is not a sequence (a number, None, a string)."""
    if value is None or pinned.isinstance(value, (str, bytes, int, float)):
        return None
    try:
        return list(value)
    except (TypeError, ValueError):  # not a sequence
        return None


def _numbers(value, name, size, call, exercise):
    """A list of ``size`` floats, or a failure saying what ``name`` is instead."""
    items = _sequence(value)
    if items is None or pinned.len(items) != size:
        fail([f"{name} of {call} should be a list of {size} numbers, but it is {shown(value, 120)}.",
              "Hint: give it the shape of its parameter: one number per entry."], exercise)
    return [as_number(v, f"each entry of {name}", exercise) for v in items]


def _gradients_of(network_gradients, case):
    """The four parts network_gradients returns for ``case``, or a failure saying why they are not four."""
    name, net, inputs, target, _ = case
    call = f"network_gradients({_literal(net, inputs, target)})"
    result = _call_on(network_gradients, "network_gradients", call, GRADIENTS, net, inputs, target)
    parts = _sequence(result)
    if parts is None or pinned.len(parts) != 4:
        fail([f"{call} should return four things, (d_hidden_weights, d_hidden_biases, d_output_weights, "
              f"d_output_bias); it returned {shown(result, 200)}.",
              "Hint: end the function with `return d_hidden_weights, d_hidden_biases, d_output_weights, "
              "d_output_bias`."], GRADIENTS)
    return parts, call


def _compare(got, expected, *, what, call, hint, seal_id, exercise, fallback=None):
    """Pass when ``got`` matches ``expected`` (a number or nested lists); else name the mistake or hint.

    ``fallback``: the line to use instead of ``hint`` when no mistake is named (the output check fails).
    """
    flat_got, flat_want = _flatten(got), _flatten(expected)
    if all(pinned.isfinite(a) and close(a, b, 1e-6) for a, b in zip(flat_got, flat_want)):
        return None
    lines = ["{} of {} should be about {}, but it is {}.".format(what, call, *apart(expected, got))]
    found = reveal(seal_id, got) if all(pinned.isfinite(v) for v in flat_got) else None
    if found and found[0] == "wrong":
        lines.append(f"That is the value you get if you {found[1]}.")
    lines.append(fallback if fallback and not found else f"Hint: {hint}")
    fail(lines, exercise)


def _flatten(value):
    if pinned.isinstance(value, list):
        return [v for item in value for v in _flatten(item)]
    return [value]


def _show(value):
    return shown(value)


def _output_parts(parts, case, call):
    n_hidden = pinned.len(case[1][1])
    d_ob = as_number(parts[3], f"d_output_bias of {call}", GRADIENTS)
    d_ow = _numbers(parts[2], "d_output_weights", n_hidden, call, GRADIENTS)
    return d_ow, d_ob


def _output_right(parts, case, call):
    try:
        d_ow, d_ob = _output_parts(parts, case, call)
    except AssertionError:  # not even shaped right: the output check says so
        return False
    want = case[4]
    return close(d_ob, want[3], 1e-6) and all(close(a, b, 1e-6) for a, b in zip(d_ow, want[2]))


def check_network_gradients_output(namespace=None):
    """Check d_output_weights and d_output_bias: the lesson's example, then a network with 3 inputs."""
    network_gradients = answer("network_gradients", exercise=GRADIENTS, kind="function", namespace=namespace)
    for case in GRADIENT_CASES:
        parts, call = _gradients_of(network_gradients, case)
        d_ow, d_ob = _output_parts(parts, case, call)
        name, want = case[0], case[4]
        _compare(d_ob, want[3], what="d_output_bias", call=call, hint=GRADIENT_HINTS["d_output_bias"],
                 seal_id=f"network_gradients:{name}:d_output_bias", exercise=GRADIENTS)
        _compare(d_ow, want[2], what="d_output_weights", call=call, hint=GRADIENT_HINTS["d_output_weights"],
                 seal_id=f"network_gradients:{name}:d_output_weights", exercise=GRADIENTS)
        passed(f"{name} example: d_output_weights = {_show(d_ow)}, d_output_bias = {shown(d_ob)}")


def _hidden_weights(value, n_hidden, n_inputs, call):
    rows = _sequence(value)
    shaped = rows is not None and pinned.len(rows) == n_hidden and all(
        _sequence(row) is not None and pinned.len(_sequence(row)) == n_inputs for row in rows)
    if not shaped:
        transposed = rows is not None and pinned.len(rows) == n_inputs and all(
            _sequence(row) is not None and pinned.len(_sequence(row)) == n_hidden for row in rows)
        fail([f"d_hidden_weights of {call} should have the shape of hidden_weights: {n_hidden} rows "
              f"(one per hidden neuron) of {n_inputs} numbers (one per input), but it is {shown(value, 160)}.",
              "That looks transposed: row j should hold the gradients of the weights INTO hidden neuron j."
              if transposed else "Hint: build it row by row, one row per hidden neuron.",
              *(["Hint: d_hidden_weights[j][i] belongs to hidden_weights[j][i], the weight from input i to "
                 "hidden neuron j."] if transposed else [])], GRADIENTS)
    return [[as_number(v, "each entry of d_hidden_weights", GRADIENTS) for v in _sequence(row)] for row in rows]


def check_network_gradients_hidden(namespace=None):
    """Check d_hidden_weights and d_hidden_biases: the lesson's example, then a network with 3 inputs."""
    network_gradients = answer("network_gradients", exercise=GRADIENTS, kind="function", namespace=namespace)
    for case in GRADIENT_CASES:
        parts, call = _gradients_of(network_gradients, case)
        name, _, inputs, _, want = case
        n_hidden = pinned.len(case[1][1])
        d_hb = _numbers(parts[1], "d_hidden_biases", n_hidden, call, GRADIENTS)
        d_hw = _hidden_weights(parts[0], n_hidden, pinned.len(inputs), call)
        fallback = None if _output_right(parts, case, call) else OUTPUT_FIRST
        _compare(d_hb, want[1], what="d_hidden_biases", call=call, hint=GRADIENT_HINTS["d_hidden_biases"],
                 seal_id=f"network_gradients:{name}:d_hidden_biases", exercise=GRADIENTS, fallback=fallback)
        _compare(d_hw, want[0], what="d_hidden_weights", call=call, hint=GRADIENT_HINTS["d_hidden_weights"],
                 seal_id=f"network_gradients:{name}:d_hidden_weights", exercise=GRADIENTS, fallback=fallback)
        passed(f"{name} example: d_hidden_biases = {_show(d_hb)}, d_hidden_weights = {_show(d_hw)}")


# ------------------------------------------------------------------ train_network
TRAIN = "train_network"
LR, EPOCHS = 2.0, 1000
TRAIN_CALL = "train_network(xor_data, hidden_weights, hidden_biases, output_weights, output_bias, lr=2.0, epochs=1000)"
# train_network(XOR_DATA, *LESSON_NET, lr=2.0, epochs=1000): the "try it" cell's expected result.
EXPECTED_TRAINED = ([[5.855805594252832, 5.848076893159256], [3.722104184323401, 3.7206347959622117]],
                    [-2.4229038711163047, -5.6899184123156585], [7.46649945216195, -8.066463034108615],
                    -3.3737256692114936)
EXPECTED_FIRST_LOSS, EXPECTED_LAST_LOSS = 0.2511617296251235, 0.0031274307398287803
SHAPE_FIRST = ("Hint: make the shape check above (test_train_network_shape) pass first: train_network should "
               "return (hidden_weights, hidden_biases, output_weights, output_bias, losses), with one loss per epoch.")


def _trained(train_network, epochs):
    """train_network on XOR from (fresh copies of) the lesson's start; returns (result, the arguments after)."""
    hw, hb, ow, ob = _copy(LESSON_NET)
    data = [(list(xs), t) for xs, t in XOR_DATA]
    try:
        result = train_network(data, hw, hb, ow, ob, LR, epochs)
    except NotImplementedError:
        fail(["train_network still raises NotImplementedError: the loop has not been written yet.",
              "Hint: replace the `raise NotImplementedError(...)` line with the three steps of an epoch."], TRAIN)
    return result, (hw, hb, ow, ob)


def _shaped(result, epochs):
    """(hw, hb, ow, ob, losses) as floats if ``result`` has the shape of the 2-2-1 network and
    ``epochs`` losses, else None."""
    parts = _sequence(result)
    if parts is None or pinned.len(parts) != 5:
        return None
    hw, hb, ow, losses = (_sequence(parts[i]) for i in (0, 1, 2, 4))
    rows = [_sequence(row) for row in hw or []]
    if (hw is None or pinned.len(hw) != 2 or any(r is None or pinned.len(r) != 2 for r in rows)
            or hb is None or pinned.len(hb) != 2 or ow is None or pinned.len(ow) != 2
            or losses is None or pinned.len(losses) != epochs):
        return None
    number = _number_or_none
    values = ([[number(v) for v in r] for r in rows], [number(v) for v in hb], [number(v) for v in ow],
              number(parts[3]), [number(v) for v in losses])
    return None if None in _flatten([*values[:3], values[3], *values[4]]) else values


def _number_or_none(value):
    if value is None or pinned.isinstance(value, (bool, str, bytes)):
        return None
    try:
        return float.__float__(pinned.float(value))
    except (TypeError, ValueError):
        return None


def _run_shaped(namespace, check):
    train_network = answer("train_network", exercise=TRAIN, kind="function", namespace=namespace)
    result, _ = _trained(train_network, EPOCHS)
    shaped = _shaped(result, EPOCHS)
    if shaped is None:
        fail([f"The {check} needs {TRAIN_CALL} to return the four trained parameters of the 2-2-1 network and "
              f"{EPOCHS} losses; it returned {shown(result, 160)}.", SHAPE_FIRST], TRAIN)
    return shaped


def check_train_network_shape(namespace=None):
    """Check that train_network returns new parameters shaped like the old ones, one loss per epoch,
    and leaves its arguments as they were."""
    train_network = answer("train_network", exercise=TRAIN, kind="function", namespace=namespace)
    call = "train_network(xor_data, hidden_weights, hidden_biases, output_weights, output_bias, lr=2.0, epochs=10)"
    result, after = _trained(train_network, 10)
    parts = _sequence(result)
    if parts is None or pinned.len(parts) != 5:
        fail([f"{call} should return five things, (hidden_weights, hidden_biases, output_weights, output_bias, "
              f"losses); it returned {shown(result, 200)}.",
              "Hint: end the function with `return hidden_weights, hidden_biases, output_weights, output_bias, "
              "losses` (the new ones)."], TRAIN)
    passed("returns five things")
    _hidden_weights_shape(parts[0], call)
    _numbers(parts[1], "the returned hidden_biases", 2, call, TRAIN)
    _numbers(parts[2], "the returned output_weights", 2, call, TRAIN)
    as_number(parts[3], "the returned output_bias", TRAIN)
    losses = _sequence(parts[4])
    if losses is None or pinned.len(losses) != 10:
        fail([f"With epochs=10, losses should be a list of 10 numbers; it is {shown(parts[4], 200)}.",
              "Hint: append the loss once per epoch, inside the epoch loop."], TRAIN)
    for value in losses:
        as_number(value, "each entry of losses", TRAIN)
    passed("parameters shaped like the network's, one loss per epoch")
    changed = [name for name, now, before in zip(
        ("hidden_weights", "hidden_biases", "output_weights"), after, _copy(LESSON_NET)) if _plain(now) != before]
    if changed:
        fail([f"After {call}, the {_joined(changed)} you passed in had changed: train_network modified its arguments.",
              "Hint: work on copies and return them: for example `hidden_weights = [list(row) for row in "
              "hidden_weights]` before the loop (or copy.deepcopy).", _lesson_lists_note(namespace)], TRAIN)
    passed("the arguments are left as they were")


LESSON_LISTS = ("hidden_weights", "hidden_biases", "output_weights")
RERUN = ('run the cell that defines hidden_weights again (under "A forward pass by hand"), then the '
         '"try it" cell of train_network.')


def _joined(names):
    return names[0] if pinned.len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _lesson_lists_note(namespace):
    """What to run again when a run of an in-place train_network on the notebook's own lists changed them."""
    namespace = user_namespace() if namespace is None else namespace
    moved = [name for name, start in zip(LESSON_LISTS, LESSON_NET)
             if name in namespace and _plain(namespace[name]) != start]
    if moved:
        return (f"Your notebook's own {_joined(moved)} are no longer the lesson's start either: a run of "
                f"train_network on them changed them. After the fix, {RERUN}")
    return f"If you ran train_network on the lesson's own lists before, they changed too: after the fix, {RERUN}"


def _plain(value):
    items = _sequence(value)
    return [_plain(v) for v in items] if items is not None else _number_or_none(value)


def _hidden_weights_shape(value, call):
    rows = _sequence(value)
    if rows is None or pinned.len(rows) != 2 or any(
            _sequence(r) is None or pinned.len(_sequence(r)) != 2 for r in rows):
        fail([f"The hidden_weights that {call} returns should be 2 rows of 2 numbers, like the ones passed in; "
              f"it is {shown(value, 160)}.", "Hint: return the trained hidden_weights, a list of rows."], TRAIN)
    for row in rows:
        for v in _sequence(row):
            as_number(v, "each entry of the returned hidden_weights", TRAIN)


def check_train_network_learns_xor(namespace=None):
    """Check that 1000 epochs on XOR from the lesson's start bring the loss below 1/16."""
    losses = _run_shaped(namespace, "XOR check")[4]
    first, last = losses[0], losses[-1]
    if pinned.isfinite(first) and pinned.isfinite(last) and last < first and last < 0.0625:
        passed(f"the loss falls from {shown(first)} to {shown(last)}: below 1/16, so every output was within 0.5 "
               "of its target: all four round to the right answer")
        return
    if last > first or not pinned.isfinite(last):
        lines = [f"The loss rose from {shown(first)} to {shown(last)}: the parameters are moving uphill."]
        hint = "gradient descent moves each parameter against its gradient: parameter - lr * gradient."
    else:
        lines = [f"The loss only went from {shown(first)} to {shown(last)}; 1000 epochs from this start should bring "
                 "it below 1/16 = 0.0625, where all four outputs round to the right answer."]
        hint = "every epoch should move all nine parameters one step against the mean of their gradients."
    found = reveal("train_network:losses_last", last) if pinned.isfinite(last) else None
    if found and found[0] == "wrong":
        lines.append(f"That is the value you get if you {found[1]}.")
    fail([*lines, f"Hint: {hint}"], TRAIN)


def check_train_network_trajectory(namespace=None):
    """Check the exact result of 1000 epochs on XOR from the lesson's start."""
    hw, hb, ow, ob, losses = _run_shaped(namespace, "trajectory check")
    want_hw, want_hb, want_ow, want_ob = EXPECTED_TRAINED
    checks = [
        (losses[0], EXPECTED_FIRST_LOSS, "losses[0] (the loss of the starting network)", "losses_first",
         "losses[0] is the MSE over the four examples of the starting network, measured before the first update."),
        (ob, want_ob, "The returned output_bias", "output_bias",
         "every epoch: the gradients of all four examples, their mean, then one step for every parameter."),
        (ow, want_ow, "The returned output_weights", "output_weights",
         "output_weights[j] moves by lr times the mean over the examples of its gradient."),
        (hb, want_hb, "The returned hidden_biases", "hidden_biases",
         "the hidden biases move with the rest, in the same epoch, using the gradients of the same parameters."),
        (hw, want_hw, "The returned hidden_weights", "hidden_weights",
         "hidden_weights[j][i] moves by lr times the mean of its gradients, like every other parameter."),
        (losses[-1], EXPECTED_LAST_LOSS, "losses[-1] (the loss before the last update)", "losses_last",
         "append the loss before the update, every epoch."),
    ]
    for got, want, what, seal, hint in checks:
        if pinned.isinstance(want, list):
            _compare(got, want, what=what, call=TRAIN_CALL, hint=hint, seal_id=f"train_network:{seal}",
                     exercise=TRAIN)
            passed(f"{what} = {_show(got)}")
        else:
            check_close(got, want, call=what, hint=hint, exercise=TRAIN, sealed=f"train_network:{seal}",
                        success=f"{what} = {shown(got)}")
    passed("the trained network is the expected one, to 6 significant digits")
