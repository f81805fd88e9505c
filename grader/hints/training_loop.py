"""Lesson 05's sealed hints: the success texts, the keys of the ordering exercise and the quiz,
and the values the named mistakes of ``train_neuron`` produce on the exercise data."""
import math

from . import named_mistakes

EXERCISE_DATA = [([0.2, 0.8], 1.0), ([0.9, 0.1], 0.0), ([0.5, 0.5], 1.0), ([0.1, 0.3], 0.0)]


def _sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def _train(data=EXERCISE_DATA, w0=0.5, w1=-0.3, bias=0.1, lr=0.3, epochs=3000, *, sign=-1.0, use_lr=True,
           derivative=True, two=2.0, mean=True, per_example=False, record_after=False):
    """train_neuron with one knob turned to a mistake: (w0, w1, bias, losses)."""
    n, losses = len(data), []
    step = lr if use_lr else 1.0

    def mse():
        return math.fsum((_sigmoid(w0 * x[0] + w1 * x[1] + bias) - t) ** 2 for x, t in data) / n

    for _ in range(epochs):
        if per_example:  # batch size 1: the loss is the mean of the losses met along the way
            total = 0.0
            for x, t in data:
                s = _sigmoid(w0 * x[0] + w1 * x[1] + bias)
                total += (s - t) ** 2
                k = two * (s - t) * (s * (1 - s) if derivative else 1.0)
                w0, w1, bias = w0 + sign * step * k * x[0], w1 + sign * step * k * x[1], bias + sign * step * k
            losses.append(total / n)
            continue
        if not record_after:
            losses.append(mse())
        ks = []
        for x, t in data:
            s = _sigmoid(w0 * x[0] + w1 * x[1] + bias)
            ks.append(two * (s - t) * (s * (1 - s) if derivative else 1.0) / (n if mean else 1))
        g0 = math.fsum(k * x[0] for k, (x, _) in zip(ks, data))
        g1 = math.fsum(k * x[1] for k, (x, _) in zip(ks, data))
        gb = math.fsum(ks)
        w0, w1, bias = w0 + sign * step * g0, w1 + sign * step * g1, bias + sign * step * gb
        if record_after:
            losses.append(mse())
    return w0, w1, bias, losses


MISTAKES = [  # (knobs, what the student did: completes "That is the value you get if you ...")
    ({"sign": 1.0}, "flip the sign of the update or of the gradient (adding lr * gradient climbs uphill)"),
    ({"use_lr": False}, "leave out the learning rate"),
    ({"derivative": False}, "leave out the sigmoid's derivative s * (1 - s) from the chain rule"),
    ({"two": 1.0}, "drop the factor 2 that comes from the square"),
    ({"mean": False}, "add up the gradients of the four examples instead of averaging them"),
    ({"per_example": True}, "update after every single example instead of once per epoch on the whole batch"),
    ({"record_after": True}, "record the loss after the update instead of before it"),
]

# which value of the result each seal id is about
PICK = {
    "implement_loop:losses_first": lambda result: result[3][0],
    "implement_loop:w0": lambda result: result[0],
    "implement_loop:w1": lambda result: result[1],
    "implement_loop:bias": lambda result: result[2],
    "implement_loop:losses_last": lambda result: result[3][-1],
}


def _named(pick):
    """Each distinct wrong value of one returned number once (a mistake that leaves it right is not named)."""
    return named_mistakes(pick(_train()), [(pick(_train(**knobs)), text) for knobs, text in MISTAKES])


ORDER_STEPS = [
    ("CDAB", "right", "Right: forward pass (C), loss (D), backpropagation (A), update (B), "
                      "and then the next iteration starts again from C."),
    ("CADB", "wrong", "That code would even run, since the gradient line does not use `loss`; but a training "
                      "iteration measures how wrong the guess is before it assigns the blame for it."),
    ("ACDB", "wrong", "Here the gradient line comes first, but it needs the `output` of this iteration, "
                      "which has not been computed yet."),
    ("DCAB", "wrong", "Here the loss is measured before there is an `output` to measure."),
    ("CDBA", "wrong", "Here the update uses `grad` before the line that computes it."),
    ("BCDA", "wrong", "Here the weight is updated with a `grad` that no line has computed yet."),
    ("ABCD", "wrong", "That is the order the lines are listed in, and they were shuffled."),
]

QUIZ_UPDATES = [
    (20, "right", "Right: 1,000 examples / 50 per batch = 20 batches, one update each, so 20 updates per epoch."),
    (50, "wrong", "50 is the batch size: the number of examples in each update, not the number of updates."),
    (1000, "wrong", "1,000 would be one update per example (a batch size of 1)."),
    (1, "wrong", "1 would be one update per epoch (the whole dataset as one batch)."),
    (50000, "wrong", "That multiplies the two numbers; think about how many batches fit into the dataset."),
]

HINTS = {
    "order_steps": ORDER_STEPS,
    "quiz_updates_per_epoch": QUIZ_UPDATES,
    **{seal_id: _named(pick) for seal_id, pick in PICK.items()},
}
