"""Lesson 06's sealed hints: the quiz's key and texts, and the values the named mistakes of
``network_output``, ``network_gradients`` and ``train_network`` give on the visible checks' examples.

Each mistake is one knob of a small reference below, turned away from the right answer, so the
value a mistake produces is computed from the mistake itself (see grader/hints/__init__.py).
"""
import math

# The examples of the visible checks: the hints are about the values these give.
from course.exercises.hidden_layer import GRADIENT_NET, LESSON_NET, SECOND_NET, WIDE_NET, XOR_DATA

from . import named_mistakes

TRAIN_LR, TRAIN_EPOCHS = 2.0, 1000


def _sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


# ------------------------------------------------------------------ network_output
def output(hw, hb, ow, ob, xs, *, hidden_sigmoid=True, output_sigmoid=True, transposed=False, hidden_bias=True,
           output_bias=True, first_hidden_only=False, exp_sign=-1.0, bias_per_input=False, max_inputs=None,
           max_hidden=None):
    """network_output with one knob turned to a mistake (all knobs at their defaults: the right answer)."""
    def squash(z):
        return 1.0 / (1.0 + math.exp(exp_sign * z))

    n_in = len(xs) if max_inputs is None else min(max_inputs, len(xs))
    n_hid = len(hb) if max_hidden is None else min(max_hidden, len(hb))
    h = []
    for j in range(n_hid):
        weights = [hw[i][j] for i in range(n_in)] if transposed else hw[j]
        z = math.fsum(weights[i] * xs[i] for i in range(n_in))
        z += (hb[j] * (n_in if bias_per_input else 1)) if hidden_bias else 0.0
        h.append(squash(z) if hidden_sigmoid else z)
    if first_hidden_only:
        h = h[:1]
    z = math.fsum(ow[j] * h[j] for j in range(len(h))) + (ob if output_bias else 0.0)
    return squash(z) if output_sigmoid else z


OUTPUT_MISTAKES = [
    ({"hidden_sigmoid": False}, "leave out the sigmoid of the hidden neurons (h[j] is the sigmoid of its sum)"),
    ({"output_sigmoid": False}, "leave out the sigmoid of the output neuron"),
    ({"transposed": True}, "read the weights as hidden_weights[i][j] (transposed): row j of hidden_weights "
                           "holds the weights INTO hidden neuron j"),
    ({"hidden_bias": False}, "leave out the hidden biases"),
    ({"output_bias": False}, "leave out the output bias"),
    ({"first_hidden_only": True}, "use only the first hidden neuron in the output neuron"),
    ({"exp_sign": 1.0}, "use e^(+z) instead of e^(-z) in the sigmoid"),
    ({"bias_per_input": True}, "add a hidden bias once per input, inside the loop over the inputs"),
    ({"max_inputs": 2}, "use only the first two inputs"),
    ({"max_hidden": 2}, "use only the first two hidden neurons"),
]


def _output_hints(net, xs):
    def attempt(knobs):
        try:
            return output(*net, xs, **knobs)
        except IndexError:  # a transposed read of a matrix that is not square
            return None
    return named_mistakes(output(*net, xs), [(attempt(knobs), text) for knobs, text in OUTPUT_MISTAKES])


# ------------------------------------------------------------------ network_gradients
def gradients(hw, hb, ow, ob, xs, target, *, two=2.0, sign=1.0, out_slope=True, hidden_slope=True,
              out_weight=True, ow_uses_x=False, hw_uses_h=False, transposed=False):
    """network_gradients with one knob turned to a mistake: (d_hw, d_hb, d_ow, d_ob)."""
    h = [_sigmoid(b + math.fsum(w * x for w, x in zip(row, xs))) for row, b in zip(hw, hb)]
    out = _sigmoid(ob + math.fsum(v * hj for v, hj in zip(ow, h)))
    blame = sign * two * (out - target) * (out * (1.0 - out) if out_slope else 1.0)
    d_ow = [blame * (xs[j] if ow_uses_x else h[j]) for j in range(len(h))]
    d_hb = [blame * (ow[j] if out_weight else 1.0) * (h[j] * (1.0 - h[j]) if hidden_slope else 1.0)
            for j in range(len(h))]
    d_hw = [[d * (h[i] if hw_uses_h else x) for i, x in enumerate(xs)] for d in d_hb]
    if transposed:
        d_hw = [list(col) for col in zip(*d_hw)]
    return d_hw, d_hb, d_ow, blame


_LOST_TWO = "leave out the factor 2 that comes from the square"
_FLIPPED = "flip the sign, for example by using (target - output)"
_NO_OUT_SLOPE = "leave out the output neuron's sigmoid slope, output * (1 - output)"
GRADIENT_MISTAKES = [
    ({"two": 1.0}, _LOST_TWO),
    ({"sign": -1.0}, _FLIPPED),
    ({"out_slope": False}, _NO_OUT_SLOPE),
    ({"hidden_slope": False}, "leave out the hidden neuron's sigmoid slope, h[j] * (1 - h[j])"),
    ({"out_weight": False}, "leave out output_weights[j], the link from hidden neuron j to the output's sum"),
    ({"ow_uses_x": True}, "multiply the output's blame by the inputs instead of the hidden outputs h[j]"),
    ({"hw_uses_h": True}, "multiply hidden neuron j's blame by the hidden outputs instead of the inputs x[i]"),
    ({"transposed": True}, "return d_hidden_weights transposed: its row j should hold the gradients of the "
                           "weights INTO hidden neuron j"),
]
PARTS = {"d_hidden_weights": 0, "d_hidden_biases": 1, "d_output_weights": 2, "d_output_bias": 3}


def _gradient_hints(case, net, xs, target):
    right = gradients(*net, xs, target)
    hints = {}
    for part, index in PARTS.items():
        attempts = []
        for knobs, text in GRADIENT_MISTAKES:
            try:
                attempts.append((gradients(*net, xs, target, **knobs)[index], text))
            except IndexError:  # hidden outputs in place of inputs: the sizes differ
                pass
        hints[f"network_gradients:{case}:{part}"] = named_mistakes(right[index], attempts)
    return hints


# ------------------------------------------------------------------ train_network
def train(data, hw, hb, ow, ob, lr, epochs, *, record_after=False, mean=True, per_example=False,
          last_example=False, two=2.0, sign=1.0, out_slope=True, hidden_slope=True):
    """train_network with one knob turned to a mistake: (hw, hb, ow, ob, losses)."""
    hw, hb, ow = [list(r) for r in hw], list(hb), list(ow)
    knobs = {"two": two, "sign": sign, "out_slope": out_slope, "hidden_slope": hidden_slope}
    n = len(data)

    def mse():
        return math.fsum((output(hw, hb, ow, ob, xs) - t) ** 2 for xs, t in data) / n

    def step(grads, scale):
        nonlocal ob
        d_hw, d_hb, d_ow, d_ob = grads
        for j in range(len(hb)):
            hw[j] = [w - lr * scale * g for w, g in zip(hw[j], d_hw[j])]
            hb[j] -= lr * scale * d_hb[j]
            ow[j] -= lr * scale * d_ow[j]
        ob -= lr * scale * d_ob

    losses = []
    for _ in range(epochs):
        if per_example:  # batch size 1: the loss is the mean of the losses met along the way
            total = 0.0
            for xs, t in data:
                total += (output(hw, hb, ow, ob, xs) - t) ** 2
                step(gradients(hw, hb, ow, ob, xs, t, **knobs), 1.0)
            losses.append(total / n)
            continue
        if not record_after:
            losses.append(mse())
        each = [gradients(hw, hb, ow, ob, xs, t, **knobs) for xs, t in data]
        if last_example:
            step(each[-1], 1.0 / n if mean else 1.0)
        else:
            total = ([[math.fsum(g[0][j][i] for g in each) for i in range(len(hw[j]))] for j in range(len(hb))],
                     [math.fsum(g[1][j] for g in each) for j in range(len(hb))],
                     [math.fsum(g[2][j] for g in each) for j in range(len(ow))],
                     math.fsum(g[3] for g in each))
            step(total, 1.0 / n if mean else 1.0)
        if record_after:
            losses.append(mse())
    return hw, hb, ow, ob, losses


_LAST_ONLY = ("update with the gradients of the last example only (each example's gradients should be added up, "
              "then averaged)")
TRAIN_MISTAKES = [
    ({"sign": -1.0}, "flip the sign of the update or of the gradient (adding lr * gradient climbs uphill)"),
    ({"record_after": True}, "record the loss after the update instead of before it"),
    ({"mean": False}, "add up the gradients of the four examples instead of averaging them"),
    ({"per_example": True}, "update after every single example instead of once per epoch on the whole batch"),
    ({"last_example": True}, _LAST_ONLY),
    ({"last_example": True, "mean": False}, _LAST_ONLY),
    ({"two": 1.0}, "drop the factor 2 that comes from the square (check network_gradients first)"),
    ({"out_slope": False}, "leave out the output neuron's sigmoid slope (check network_gradients first)"),
    ({"hidden_slope": False}, "leave out the hidden neurons' sigmoid slope (check network_gradients first)"),
]

# which number of the result each seal id is about
TRAIN_PICK = {
    "train_network:losses_first": lambda result: result[4][0],
    "train_network:losses_last": lambda result: result[4][-1],
    "train_network:output_bias": lambda result: result[3],
    "train_network:output_weights": lambda result: result[2],
    "train_network:hidden_biases": lambda result: result[1],
    "train_network:hidden_weights": lambda result: result[0],
}


def _train_hints():
    runs = [(train(XOR_DATA, *LESSON_NET, TRAIN_LR, TRAIN_EPOCHS, **knobs), text) for knobs, text in TRAIN_MISTAKES]
    right = train(XOR_DATA, *LESSON_NET, TRAIN_LR, TRAIN_EPOCHS)
    return {seal_id: named_mistakes(pick(right), [(pick(result), text) for result, text in runs])
            for seal_id, pick in TRAIN_PICK.items()}


QUIZ_XOR = [
    ("A", "right", "Right: one neuron has one straight boundary, and XOR needs the band between two lines, "
                   "which is what a hidden layer adds."),
    ("B", "wrong", "The one-neuron run above had 5000 epochs, and its loss stopped at 0.25 long before the end: "
                   "more epochs cannot help when no weights at all give the right answers."),
    ("C", "wrong", "A learning rate only changes how fast the neuron moves; no learning rate helps when no weights "
                   "at all give the right answers."),
    ("D", "wrong", "That is true, but it did not stop the neuron of lesson 5 from learning AND: the outputs only "
                   "have to come close to their targets."),
]

HINTS = {
    "quiz_xor": QUIZ_XOR,
    "network_output:lesson": _output_hints(LESSON_NET, [1.0, 0.0]),
    "network_output:second": _output_hints(SECOND_NET, [1.0, 2.0]),
    "network_output:wide": _output_hints(WIDE_NET, [1.0, -2.0, 0.5]),
    **_gradient_hints("lesson", LESSON_NET, [1.0, 0.0], 1.0),
    **_gradient_hints("wide", GRADIENT_NET, [0.5, -1.0, 2.0], 0.0),
    **_train_hints(),
}
