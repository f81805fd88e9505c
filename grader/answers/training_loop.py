"""05 training loop: the reference ``train_neuron`` and the keys of ``order_steps`` and ``updates_per_epoch``."""
import math

from .questions import MORE, Confirmation, as_float, failure, in_order, lit, loop_ran, seen, short

EXERCISE_DATA = [([0.2, 0.8], 1.0), ([0.9, 0.1], 0.0), ([0.5, 0.5], 1.0), ([0.1, 0.3], 0.0)]


def _sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def mse(w0, w1, bias, data):
    return math.fsum((_sigmoid(w0 * x[0] + w1 * x[1] + bias) - t) ** 2 for x, t in data) / len(data)


def train_neuron(data, w0=0.5, w1=-0.3, bias=0.1, lr=0.3, epochs=3000, report_every=500):
    """Full-batch gradient descent on the MSE; returns (w0, w1, bias, losses, report lines)."""
    n, losses, lines = len(data), [], []
    for epoch in range(epochs):
        outputs = [_sigmoid(w0 * x[0] + w1 * x[1] + bias) for x, _ in data]
        loss = math.fsum((s - t) ** 2 for s, (_, t) in zip(outputs, data)) / n
        losses.append(loss)
        if epoch % report_every == 0:
            lines.append(f"Epoch {epoch:4d} | loss={loss:.4f}")
        blames = [2.0 * (s - t) * s * (1.0 - s) / n for s, (_, t) in zip(outputs, data)]
        w0 -= lr * math.fsum(b * x[0] for b, (x, _) in zip(blames, data))
        w1 -= lr * math.fsum(b * x[1] for b, (x, _) in zip(blames, data))
        bias -= lr * math.fsum(blames)
    return w0, w1, bias, losses, lines


def _result(reply, epochs):
    """(w0, w1, bias, losses) as floats, or the reason the reply is not shaped like that."""
    problem = failure(reply)
    if problem:
        return None, f"train_neuron: {problem}"
    value = reply["value"]
    if not isinstance(value, list) or len(value) != 4:
        return None, f"train_neuron should return (w0, w1, bias, losses); it returned {seen(value, 120)}"
    numbers = [as_float(v) for v in value[:3]]
    losses = value[3] if isinstance(value[3], list) else None
    losses = None if losses is None else [as_float(v) for v in losses]
    if None in numbers or losses is None or None in losses or len(losses) != epochs:
        return None, f"train_neuron returned {seen(value, 120)}, not three numbers and {epochs} losses"
    return (*numbers, losses), None


def _close(a, b):
    return math.isfinite(a) and abs(a - b) <= 1e-6 * max(1.0, abs(b))


def _random_data(rng):
    return [([round(rng.uniform(-1, 1), 3), round(rng.uniform(-1, 1), 3)], float(rng.random() < 0.5))
            for _ in range(rng.randint(2, 6))]


def _random_start(rng):
    return [round(rng.uniform(-1, 1), 3) for _ in range(3)] + [round(rng.uniform(0.1, 1.0), 3)]


def _call(data, start, epochs, report_every):
    return f"train_neuron({lit(data)}, {', '.join(lit(v) for v in start)}, {epochs}, {report_every})"


def confirmations(rng):
    shape = Confirmation("test_implement_loop_shape", "implement_loop")
    data, start, epochs = _random_data(rng), _random_start(rng), rng.randint(5, 15)

    def shaped_run(reply, data=data, start=start, epochs=epochs):
        problem = failure(reply)
        if problem:
            return f"train_neuron: {problem}"
        value = reply["value"]
        if not isinstance(value, list) or len(value) != 2:
            return "train_neuron did not answer"
        (shorter, problem), (longer, more) = (_result({"value": v}, n) for v, n in zip(value, (epochs, epochs + MORE)))
        return problem or more or loop_ran("train_neuron", (shorter[:3], shorter[3]), (longer[:3], longer[3]))
    shape.ask(f"[{_call(data, start, epochs, 1000)}, {_call(data, start, epochs + MORE, 1000)}]", shaped_run)

    # The exercise data mirrored (every target flipped, so the exercise's own trained weights are no
    # answer), each input moved a little and the order shuffled, trained from another start: the
    # loss must fall by far, judged from the weights the loop returns (the grader computes both losses).
    falls = Confirmation("test_implement_loop_loss_falls", "implement_loop")
    mirrored = [([round(x + rng.uniform(-0.05, 0.05), 3) for x in xs], 1.0 - t) for xs, t in EXERCISE_DATA]
    rng.shuffle(mirrored)
    begin, epochs = (0.2, 0.4, -0.3), 400

    def loss_falls(reply, data=mirrored, begin=begin, epochs=epochs):
        result, problem = _result(reply, epochs)
        if problem:
            return problem
        start, end = mse(*begin, data), mse(*result[:3], data)
        if end < 0.8 * start and result[3][-1] < result[3][0]:
            return None
        return (f"train_neuron on {short(lit(data), 100)} moved the loss from {seen(start)} to {seen(end)}: "
                "it did not fall")
    falls.ask(f"train_neuron({lit(mirrored)}, {', '.join(map(repr, begin))}, 0.5, {epochs}, 10000)", loss_falls)

    trajectory = Confirmation("test_implement_loop_trajectory", "implement_loop")
    for _ in range(3):
        data, start, epochs = _random_data(rng), _random_start(rng), rng.randint(20, 60)
        w0, w1, bias, losses, _ = train_neuron(data, *start, epochs, 1000)

        def same_run(reply, want=(w0, w1, bias, losses), epochs=epochs, data=data):
            result, problem = _result(reply, epochs)
            if problem:
                return problem
            if all(_close(a, b) for a, b in zip([*result[:3], *result[3]], [*want[:3], *want[3]])):
                return None
            return (f"train_neuron on {short(lit(data), 100)} ended at w0={seen(result[0])}, w1={seen(result[1])}, "
                    f"bias={seen(result[2])}, which is not where this run ends")
        trajectory.ask(_call(data, start, epochs, 1000), same_run)

    report = Confirmation("test_implement_loop_report", "implement_loop")
    data, start, epochs, every = _random_data(rng), _random_start(rng), rng.randint(20, 40), rng.randint(4, 9)
    want = [" ".join(line.split()) for line in train_neuron(data, *start, epochs, every)[4]]

    def same_report(reply, want=want):
        problem = failure(reply)
        if problem:
            return f"train_neuron: {problem}"
        printed = [" ".join(line.split()) for line in reply.get("stdout", "").splitlines()
                   if line.strip().startswith("Epoch")]
        if printed == want:
            return None
        return f"train_neuron printed {printed[:3]!r:.160}..., which is not this run's report"
    report.ask(_call(data, start, epochs, every), same_report)

    order = Confirmation("test_order_steps", "order_steps").ask("step_order", in_order("CDAB", "step_order", "steps"))
    updates = Confirmation("test_quiz_updates_per_epoch", "quiz_updates_per_epoch").ask("updates_per_epoch", _updates)
    return [order, shape, falls, trajectory, report, updates]


def _updates(reply):
    value = as_float((reply or {}).get("value"))
    return None if value == 20.0 else f"`updates_per_epoch` is {seen((reply or {}).get('value'), 40)}, not right"
