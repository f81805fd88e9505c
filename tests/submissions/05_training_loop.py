"""Submission variants for 05_training_loop: right answers written differently, each named mistake,
and answers hard-coded to the visible tests' expected values. Test cells not listed score full points."""

NUMPY_LOOP = '''import numpy as np


def train_neuron(data, w0=0.5, w1=-0.3, bias=0.1, lr=0.3, epochs=3000, report_every=500):
    X = np.array([inputs for inputs, _ in data], dtype=float)
    y = np.array([target for _, target in data], dtype=float)
    w = np.array([w0, w1], dtype=float)
    b = float(bias)
    history = []
    for epoch in range(epochs):
        s = 1.0 / (1.0 + np.exp(-(X @ w + b)))
        loss = np.mean((s - y) ** 2)
        history.append(loss)
        if epoch % report_every == 0:
            print(f"Epoch {epoch:4d} | loss={loss:.4f}")
        delta = 2.0 * (s - y) * s * (1.0 - s)
        w = w - lr * (X.T @ delta) / len(y)
        b = b - lr * delta.mean()
    return w[0], w[1], b, history
'''

FSUM_LOOP = '''import math


def train_neuron(data, w0=0.5, w1=-0.3, bias=0.1, lr=0.3, epochs=3000, report_every=500):
    params = [w0, w1, bias]
    losses = []
    for epoch in range(epochs):
        rows = [(x0, x1, t, sigmoid(params[0] * x0 + params[1] * x1 + params[2])) for (x0, x1), t in data]
        loss = math.fsum((s - t) ** 2 for _, _, t, s in rows) / len(rows)
        losses.append(loss)
        if epoch % report_every == 0:
            print("Epoch %4d | loss=%.4f" % (epoch, loss))
        grads = [0.0, 0.0, 0.0]
        for x0, x1, t, s in rows:
            blame = 2 * (s - t) * s * (1 - s)
            for i, feature in enumerate((x0, x1, 1.0)):
                grads[i] += blame * feature / len(rows)
        params = [p - lr * g for p, g in zip(params, grads)]
    return params[0], params[1], params[2], losses
'''


def loop(*, sign="-", lr="lr", deriv="* s * (1 - s)", two="2 *", mean="/ n", record="before", fmt=".4f",
         every="epoch % report_every == 0", report=None, ret="losses"):
    """A plain-loop train_neuron with one knob turned to a named mistake (tests/course/exercises/test_training_loop.py
    uses it too)."""
    report = report or f'print(f"Epoch {{epoch:4d}} | loss={{loss:{fmt}}}")'
    before = "        losses.append(loss)\n" if record == "before" else ""
    after = ("        outs2 = [1 / (1 + math.exp(-(w0 * x[0] + w1 * x[1] + bias))) for x, _ in data]\n"
             "        losses.append(sum((s - t) ** 2 for s, (_, t) in zip(outs2, data)) / n)\n"
             ) if record == "after" else ""
    return f'''import math


def train_neuron(data, w0=0.5, w1=-0.3, bias=0.1, lr=0.3, epochs=3000, report_every=500):
    n = len(data)
    losses = []
    for epoch in range(epochs):
        outs = [1 / (1 + math.exp(-(w0 * x[0] + w1 * x[1] + bias))) for x, _ in data]
        loss = sum((s - t) ** 2 for s, (_, t) in zip(outs, data)) / n
{before}        if {every}:
            {report}
        a = c = d = 0.0
        for s, (x, t) in zip(outs, data):
            k = {two} (s - t) {deriv} {mean}
            a += k * x[0]
            c += k * x[1]
            d += k
        w0 = w0 {sign} {lr} * a
        w1 = w1 {sign} {lr} * c
        bias = bias {sign} {lr} * d
{after}    return w0, w1, bias, {ret}
'''


PER_EXAMPLE = '''import math


def train_neuron(data, w0=0.5, w1=-0.3, bias=0.1, lr=0.3, epochs=3000, report_every=500):
    losses = []
    for epoch in range(epochs):
        total = 0.0
        for (x0, x1), t in data:
            s = 1 / (1 + math.exp(-(w0 * x0 + w1 * x1 + bias)))
            total += (s - t) ** 2
            k = 2 * (s - t) * s * (1 - s)
            w0 -= lr * k * x0
            w1 -= lr * k * x1
            bias -= lr * k
        losses.append(total / len(data))
        if epoch % report_every == 0:
            print(f"Epoch {epoch:4d} | loss={total / len(data):.4f}")
    return w0, w1, bias, losses
'''

NO_LOSSES = '''import math


def train_neuron(data, w0=0.5, w1=-0.3, bias=0.1, lr=0.3, epochs=3000, report_every=500):
    n = len(data)
    for epoch in range(epochs):
        outs = [1 / (1 + math.exp(-(w0 * x[0] + w1 * x[1] + bias))) for x, _ in data]
        loss = sum((s - t) ** 2 for s, (_, t) in zip(outs, data)) / n
        if epoch % report_every == 0:
            print(f"Epoch {epoch:4d} | loss={loss:.4f}")
        ks = [2 * (s - t) * s * (1 - s) / n for s, (_, t) in zip(outs, data)]
        w0 -= lr * sum(k * x[0] for k, (x, _) in zip(ks, data))
        w1 -= lr * sum(k * x[1] for k, (x, _) in zip(ks, data))
        bias -= lr * sum(ks)
    return w0, w1, bias
'''

HARD_CODED = '''def train_neuron(data, w0=0.5, w1=-0.3, bias=0.1, lr=0.3, epochs=3000, report_every=500):
    for line in ["Epoch    0 | loss=0.2803", "Epoch  500 | loss=0.1023", "Epoch 1000 | loss=0.0650",
                 "Epoch 1500 | loss=0.0466", "Epoch 2000 | loss=0.0359", "Epoch 2500 | loss=0.0289"]:
        print(line)
    losses = [0.2803206894187156] + [0.024085460922806293] * (epochs - 1)
    return 1.9867452771291487, 10.018456877954147, -4.708282796458294, losses
'''

WRONG_LOOP = {"test_implement_loop_trajectory": 0, "test_implement_loop_report": 0}

VARIANTS = {
    "numpy_style": {
        "answers": {"implement_loop": NUMPY_LOOP, "order_steps": 'step_order = [" c", "d ", "a", "B"]\n',
                    "quiz_updates_per_epoch": "updates_per_epoch = 1000 // 50\n"},
        "scores": {},
    },
    "fsum_and_other_names": {
        "answers": {"implement_loop": FSUM_LOOP, "order_steps": 'step_order = ("C", "D", "A", "B")\n',
                    "quiz_updates_per_epoch": "updates_per_epoch = 20.0\n"},
        "scores": {},
    },
    "order_as_string": {"answers": {"order_steps": 'step_order = "C, D, A, B"\n'}, "scores": {}},
    "order_lower_case_letters": {"answers": {"order_steps": 'step_order = "cdab"\n'}, "scores": {}},
    # The visible and hidden report checks compare lines with their spaces squeezed: padding is not marked.
    "report_without_padding": {"answers": {"implement_loop": loop().replace("{epoch:4d}", "{epoch}")},
                               "scores": {}},
    "update_sign_flipped": {"answers": {"implement_loop": loop(sign="+")},
                            "scores": {"test_implement_loop_loss_falls": 0, **WRONG_LOOP}},
    "no_learning_rate": {"answers": {"implement_loop": loop(lr="1.0")}, "scores": WRONG_LOOP},
    "no_sigmoid_derivative": {"answers": {"implement_loop": loop(deriv="")}, "scores": WRONG_LOOP},
    "no_factor_two": {"answers": {"implement_loop": loop(two="")}, "scores": WRONG_LOOP},
    "sum_not_mean": {"answers": {"implement_loop": loop(mean="")}, "scores": WRONG_LOOP},
    "per_example_updates": {"answers": {"implement_loop": PER_EXAMPLE}, "scores": WRONG_LOOP},
    "loss_after_update": {"answers": {"implement_loop": loop(record="after")},
                          "scores": {"test_implement_loop_trajectory": 0}},
    "report_three_decimals": {"answers": {"implement_loop": loop(fmt=".3f")},
                              "scores": {"test_implement_loop_report": 0}},
    "no_losses_returned": {"answers": {"implement_loop": NO_LOSSES},
                           "scores": {"test_implement_loop_shape": 0, "test_implement_loop_loss_falls": 0,
                                      "test_implement_loop_trajectory": 0}},
    "order_gradient_first": {"answers": {"order_steps": 'step_order = ["A", "C", "D", "B"]\n'},
                             "scores": {"test_order_steps": 0}},
    "order_blame_before_loss": {"answers": {"order_steps": 'step_order = ["C", "A", "D", "B"]\n'},
                                "scores": {"test_order_steps": 0}},
    "quiz_batch_size": {"answers": {"quiz_updates_per_epoch": "updates_per_epoch = 50\n"},
                        "scores": {"test_quiz_updates_per_epoch": 0}},
    "quiz_string": {"answers": {"quiz_updates_per_epoch": 'updates_per_epoch = "20"\n'},
                    "scores": {"test_quiz_updates_per_epoch": 0}},
    "hard_coded": {  # right shape, no loop: the shape check pays only for epochs that move the parameters
        "answers": {"implement_loop": HARD_CODED},
        "scores": {"test_implement_loop_shape": 0, "test_implement_loop_loss_falls": 0,
                   "test_implement_loop_trajectory": 0, "test_implement_loop_report": 0},
    },
}

# Every answer cell's code at once, each answer wrong: the grader must confirm none
# (tests/grader/test_confirm.py).
ALL_WRONG = ("def train_neuron(data, w0=0.5, w1=-0.3, bias=0.1, lr=0.3, epochs=3000, report_every=500):\n"
             "    print('Epoch    0 | loss=0.2803')\n"
             "    return w0, w1, bias, [0.3] * (epochs - 1)\n"
             "step_order = ['A', 'B', 'C', 'D']\n"
             "updates_per_epoch = 50")
