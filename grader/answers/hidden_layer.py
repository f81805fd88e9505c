"""06 hidden layer: references for ``network_output``, ``network_gradients`` and ``train_network``,
and the key of ``quiz_xor``.

Every question draws its own network (sizes included) from the grader's ``rng``, so no answer can
be aimed at it; the judges compare with the references below, written from the formulas of the
lesson, in the grader's process.
"""
import math

from .questions import MORE, Confirmation, as_float, choice, close, failure, lit, loop_ran, seen, short, wrong

XOR_DATA = [([0.0, 0.0], 0.0), ([0.0, 1.0], 1.0), ([1.0, 0.0], 1.0), ([1.0, 1.0], 0.0)]
TOL = 1e-6


def _sigmoid(z):
    return 0.5 * (1.0 + math.tanh(0.5 * z))  # never overflows, whatever a student's parameters became


def network_output(hw, hb, ow, ob, xs):
    h = [_sigmoid(b + math.fsum(w * x for w, x in zip(row, xs, strict=True))) for row, b in zip(hw, hb, strict=True)]
    return _sigmoid(ob + math.fsum(v * hj for v, hj in zip(ow, h, strict=True)))


def network_gradients(hw, hb, ow, ob, xs, target):
    h = [_sigmoid(b + math.fsum(w * x for w, x in zip(row, xs))) for row, b in zip(hw, hb)]
    out = _sigmoid(ob + math.fsum(v * hj for v, hj in zip(ow, h)))
    blame = 2.0 * (out - target) * out * (1.0 - out)
    d_hb = [blame * v * hj * (1.0 - hj) for v, hj in zip(ow, h)]
    return [[d * x for x in xs] for d in d_hb], d_hb, [blame * hj for hj in h], blame


def train_network(data, hw, hb, ow, ob, lr, epochs, per_example=False):
    """Full-batch gradient descent on the MSE (``per_example``: an update after every example instead)."""
    hw, hb, ow, n = [list(r) for r in hw], list(hb), list(ow), len(data)
    losses = []

    def step(parts, scale):
        nonlocal hw, hb, ow, ob
        d_hw, d_hb, d_ow, d_ob = parts
        hw = [[w - lr * scale * g for w, g in zip(r, gr)] for r, gr in zip(hw, d_hw)]
        hb = [b - lr * scale * g for b, g in zip(hb, d_hb)]
        ow = [v - lr * scale * g for v, g in zip(ow, d_ow)]
        ob = ob - lr * scale * d_ob

    for _ in range(epochs):
        losses.append(math.fsum((network_output(hw, hb, ow, ob, xs) - t) ** 2 for xs, t in data) / n)
        if per_example:
            for xs, t in data:
                step(network_gradients(hw, hb, ow, ob, xs, t), 1.0)
            continue
        each = [network_gradients(hw, hb, ow, ob, xs, t) for xs, t in data]
        step(([[math.fsum(g[0][j][i] for g in each) for i in range(len(hw[j]))] for j in range(len(hw))],
              [math.fsum(g[1][j] for g in each) for j in range(len(hb))],
              [math.fsum(g[2][j] for g in each) for j in range(len(ow))],
              math.fsum(g[3] for g in each)), 1.0 / n)
    return hw, hb, ow, ob, losses


# ------------------------------------------------------------------ drawing questions
def _network(rng, n_in, n_hid, scale=2.0):
    hw = [[round(rng.uniform(-scale, scale), 4) for _ in range(n_in)] for _ in range(n_hid)]
    hb = [round(rng.uniform(-1, 1), 4) for _ in range(n_hid)]
    ow = [round(rng.uniform(-scale, scale), 4) for _ in range(n_hid)]
    return hw, hb, ow, round(rng.uniform(-1, 1), 4)


def _inputs(rng, n_in):
    return [round(rng.uniform(-2, 2), 4) for _ in range(n_in)]


def _numbers(value, size):
    """``value`` as a list of ``size`` floats, or None."""
    if not isinstance(value, list) or len(value) != size:
        return None
    numbers = [as_float(v) for v in value]
    return None if None in numbers else numbers


def _matrix(value, rows, cols):
    if not isinstance(value, list) or len(value) != rows:
        return None
    found = [_numbers(row, cols) for row in value]
    return None if None in found else found


def _all_close(got, want):
    return all(close(g, w, TOL) for g, w in zip(got, want, strict=True))


def _output_question(confirmation, rng, n_in, n_hid, as_tuples=False):
    hw, hb, ow, ob = _network(rng, n_in, n_hid)
    xs = _inputs(rng, n_in)
    wrap = tuple if as_tuples else list
    args = [wrap(wrap(r) for r in hw), wrap(hb), wrap(ow), ob, wrap(xs)]
    call = f"network_output({', '.join(lit(a) for a in args)})"
    expected = network_output(hw, hb, ow, ob, xs)

    def judge(reply, call=call, expected=expected):
        problem = failure(reply)
        if problem:
            return f"{short(call)}: {problem}"
        got = as_float(reply.get("value"))
        if close(got, expected, TOL):
            return None
        return wrong(call, reply.get("value"))
    confirmation.ask(call, judge)


def _gradient_question(confirmation, rng, n_in, n_hid, part):
    hw, hb, ow, ob = _network(rng, n_in, n_hid)
    xs, target = _inputs(rng, n_in), float(rng.random() < 0.5)
    call = f"network_gradients({lit(hw)}, {lit(hb)}, {lit(ow)}, {lit(ob)}, {lit(xs)}, {lit(target)})"
    d_hw, d_hb, d_ow, d_ob = network_gradients(hw, hb, ow, ob, xs, target)

    def judge(reply):
        problem = failure(reply)
        if problem:
            return f"{short(call)}: {problem}"
        value = reply.get("value")
        if not isinstance(value, list) or len(value) != 4:
            return f"{short(call)} returned {seen(value)}, not four gradients"
        if part == "output":
            got_ow, got_ob = _numbers(value[2], n_hid), as_float(value[3])
            if got_ow is not None and got_ob is not None and _all_close([*got_ow, got_ob], [*d_ow, d_ob]):
                return None
            return f"{short(call)}: d_output_weights, d_output_bias = {seen(value[2:])}, which is not right"
        got_hw, got_hb = _matrix(value[0], n_hid, n_in), _numbers(value[1], n_hid)
        if got_hw is not None and got_hb is not None and _all_close(
                [*got_hb, *[g for row in got_hw for g in row]], [*d_hb, *[g for row in d_hw for g in row]]):
            return None
        return f"{short(call)}: d_hidden_weights, d_hidden_biases = {seen(value[:2])}, which is not right"
    confirmation.ask(call, judge)


def _trained(value, n_in, n_hid, epochs):
    """(hw, hb, ow, ob, losses) as floats from what train_network returned, or None if not shaped so."""
    if not isinstance(value, list) or len(value) < 5:
        return None
    hw, hb, ow, ob = _matrix(value[0], n_hid, n_in), _numbers(value[1], n_hid), _numbers(value[2], n_hid), \
        as_float(value[3])
    losses = _numbers(value[4], epochs)
    parts = (hw, hb, ow, ob, losses)
    return None if any(p is None for p in parts) else parts


def _train_call(data, net, lr, epochs):
    hw, hb, ow, ob = net
    return f"train_network({lit(data)}, {lit(hw)}, {lit(hb)}, {lit(ow)}, {lit(ob)}, {lit(lr)}, {epochs})"


def _shape_question(confirmation, rng, n_in, n_hid):
    net = _network(rng, n_in, n_hid, scale=1.0)
    data = [(_inputs(rng, n_in), float(rng.random() < 0.5)) for _ in range(rng.randint(2, 5))]
    epochs = rng.randint(2, 6)
    hw, hb, ow, ob = net
    # The same run twice, the second MORE epochs longer; then the arguments, so the grader sees
    # whether train_network changed them.
    call = (f"(lambda a: [[*train_network({lit(data)}, *a, 0.5, {epochs})], "
            f"[*train_network({lit(data)}, *a, 0.5, {epochs + MORE})], *a[:3]])"
            f"(({lit(hw)}, {lit(hb)}, {lit(ow)}, {lit(ob)}))")
    shown = short(_train_call(data, net, 0.5, epochs))

    def judge(reply):
        problem = failure(reply)
        if problem:
            return f"{shown}: {problem}"
        value = reply.get("value")
        runs = [_trained(v, n_in, n_hid, n) for v, n in zip(value[:2], (epochs, epochs + MORE))] \
            if isinstance(value, list) and len(value) == 5 else [None]
        if None in runs:
            return (f"{shown} did not return the trained parameters of a network with {n_in} inputs and "
                    f"{n_hid} hidden neurons and one loss per epoch")
        if value[2:] != [hw, hb, ow]:
            return f"{shown} changed the lists it was given"
        return loop_ran("train_network", *((list(run[:4]), run[4]) for run in runs))
    confirmation.ask(call, judge)


def _learns(data, net, lr=2.0, epochs=1000, per_example=False):
    """Does gradient descent on this 2-2-1 network learn ``data`` with margin (every output within 0.4)?

    The same descent as ``train_network``, written out for two inputs and two hidden neurons with
    plain floats: the grader tries a few starts per submission, and this keeps that cheap.
    """
    ((a, b), (c, d)), (e, f), (v, u), k = net
    for _ in range(epochs):
        for batch in ([[example] for example in data] if per_example else [data]):
            grads = [0.0] * 9
            for (x0, x1), t in batch:
                h0, h1 = _sigmoid(a * x0 + b * x1 + e), _sigmoid(c * x0 + d * x1 + f)
                out = _sigmoid(v * h0 + u * h1 + k)
                g = 2.0 * (out - t) * out * (1.0 - out) / len(batch)
                g0, g1 = g * v * h0 * (1.0 - h0), g * u * h1 * (1.0 - h1)
                for index, value in enumerate((g0 * x0, g0 * x1, g1 * x0, g1 * x1, g0, g1, g * h0, g * h1, g)):
                    grads[index] += value
            a, b, c, d, e, f, v, u, k = (p - lr * g for p, g in zip((a, b, c, d, e, f, v, u, k), grads))
    outputs = [network_output([[a, b], [c, d]], [e, f], [v, u], k, xs) for xs, _ in data]
    return all(abs(o - t) < 0.4 for o, (_, t) in zip(outputs, data))


def _learning_question(confirmation, rng, flip):
    """XOR (``flip``: XNOR, its opposite), in a shuffled order, from a random start that the reference
    learns from with margin, as does full batch with four times the step and training one example at
    a time (so an honest loop written either way is judged on learning, not on the start). Asked both
    ways, no one network passes: a network trained on the lesson's XOR, written down, is no answer."""
    for _ in range(40):
        data = [(list(xs), 1.0 - t if flip else t) for xs, t in XOR_DATA]
        rng.shuffle(data)
        net = _network(rng, 2, 2, scale=1.0)
        if _learns(data, net) and _learns(data, net, lr=8.0) and _learns(data, net, per_example=True):
            break
    call = _train_call(data, net, 2.0, 1000)

    def judge(reply):
        problem = failure(reply)
        if problem:
            return f"{short(call)}: {problem}"
        trained = _trained(reply.get("value"), 2, 2, 1000)
        if trained is None:
            return f"{short(call)} did not return the trained 2-2-1 network and 1000 losses"
        hw, hb, ow, ob, losses = trained
        outputs = [network_output(hw, hb, ow, ob, xs) for xs, _ in data]
        if all(abs(o - t) < 0.5 for o, (_, t) in zip(outputs, data)) and losses[-1] < losses[0]:
            return None
        return (f"after {short(call)} the network outputs {[round(o, 3) for o in outputs]} for the targets "
                f"{[t for _, t in data]}")
    confirmation.ask(call, judge)


def _trajectory_question(confirmation, rng):
    n_in, n_hid = rng.randint(1, 3), rng.randint(1, 4)
    net = _network(rng, n_in, n_hid, scale=1.0)
    data = [(_inputs(rng, n_in), float(rng.random() < 0.5)) for _ in range(rng.randint(2, 6))]
    lr, epochs = round(rng.uniform(0.1, 2.0), 3), rng.randint(10, 40)
    want = train_network(data, *net, lr, epochs)
    call = _train_call(data, net, lr, epochs)

    def judge(reply):
        problem = failure(reply)
        if problem:
            return f"{short(call)}: {problem}"
        got = _trained(reply.get("value"), n_in, n_hid, epochs)
        if got is None:
            return f"{short(call)} did not return the trained parameters and {epochs} losses"
        flat = [*[w for r in got[0] for w in r], *got[1], *got[2], got[3], *got[4]]
        ref = [*[w for r in want[0] for w in r], *want[1], *want[2], want[3], *want[4]]
        if _all_close(flat, ref):
            return None
        return (f"{short(call)} ended with output_bias {seen(got[3])} and last loss {seen(got[4][-1])}, "
                "which is not where this run ends")
    confirmation.ask(call, judge)


def confirmations(rng):
    quiz = Confirmation("test_quiz_xor", "quiz_xor").ask("xor_answer", choice("A", "xor_answer"))

    output = Confirmation("test_network_output", "network_output")
    for _ in range(6):
        _output_question(output, rng, 2, 2)
    any_size = Confirmation("test_network_output_any_size", "network_output")
    for n_in, n_hid in [(1, 1), (rng.randint(3, 6), rng.randint(3, 8)), (rng.randint(10, 20), rng.randint(10, 30))]:
        _output_question(any_size, rng, n_in, n_hid, as_tuples=True)

    grads_output = Confirmation("test_network_gradients_output", "network_gradients")
    grads_hidden = Confirmation("test_network_gradients_hidden", "network_gradients")
    # sizes: the lesson's twice, more inputs than hidden neurons, then any
    for n_in, n_hid in [(2, 2), (2, 2), (rng.randint(3, 4), rng.randint(1, 2)), (rng.randint(3, 6), rng.randint(3, 6))]:
        _gradient_question(grads_output, rng, n_in, n_hid, "output")
        _gradient_question(grads_hidden, rng, n_in, n_hid, "hidden")

    shape = Confirmation("test_train_network_shape", "train_network")
    _shape_question(shape, rng, rng.randint(1, 3), rng.randint(1, 4))
    learns = Confirmation("test_train_network_learns_xor", "train_network")
    _learning_question(learns, rng, flip=False)
    _learning_question(learns, rng, flip=True)
    trajectory = Confirmation("test_train_network_trajectory", "train_network")
    for _ in range(3):
        _trajectory_question(trajectory, rng)
    return [quiz, output, any_size, grads_output, grads_hidden, shape, learns, trajectory]
