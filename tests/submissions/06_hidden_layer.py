"""Submission variants for 06_hidden_layer: right answers written differently, each named mistake,
and answers hard-coded to the visible tests' expected values. Test cells not listed score full points.

``output``, ``gradients`` and ``train`` build plain-loop answers with one knob turned to a mistake;
tests/course/exercises/test_hidden_layer.py uses the same builders.
"""

SIGMOID = "1 / (1 + math.exp(-z))"


def output(*, n_hidden="len(hidden_biases)", n_inputs="len(inputs)", hidden_bias="hidden_biases[j]",
           weight="hidden_weights[j][i]", hidden=SIGMOID, out_bias="output_bias", n_used="len(hidden)",
           out=SIGMOID):
    """A loop-by-loop network_output with one knob turned to a named mistake."""
    return f'''import math


def network_output(hidden_weights, hidden_biases, output_weights, output_bias, inputs):
    hidden = []
    for j in range({n_hidden}):
        z = {hidden_bias}
        for i in range({n_inputs}):
            z += {weight} * inputs[i]
        hidden.append({hidden})
    z = {out_bias}
    for j in range({n_used}):
        z += output_weights[j] * hidden[j]
    return {out}
'''


def gradients(*, error="(out - target)", two="2 * ", out_slope=" * out * (1 - out)", ow_factor="h",
              out_weight=" * output_weights[j]", hidden_slope=" * h * (1 - h)", hw_factor="x",
              d_hw="d_hidden_weights"):
    """A network_gradients with one knob turned to a named mistake."""
    return f'''import math


def network_gradients(hidden_weights, hidden_biases, output_weights, output_bias, inputs, target):
    hidden = []
    for row, bias in zip(hidden_weights, hidden_biases):
        hidden.append(1 / (1 + math.exp(-(bias + sum(w * x for w, x in zip(row, inputs))))))
    out = 1 / (1 + math.exp(-(output_bias + sum(v * h for v, h in zip(output_weights, hidden)))))
    blame = {two}{error}{out_slope}
    d_output_weights = [blame * {ow_factor} for j, h in enumerate(hidden)]
    d_hidden_biases = [blame{out_weight}{hidden_slope} for j, h in enumerate(hidden)]
    d_hidden_weights = [[d * {hw_factor} for i, x in enumerate(inputs)] for d in d_hidden_biases]
    return {d_hw}, d_hidden_biases, d_output_weights, blame
'''


COPIES = "[list(row) for row in hidden_weights], list(hidden_biases), list(output_weights), output_bias"
IN_PLACE = "hidden_weights, hidden_biases, output_weights, output_bias"
RESET = ("g_hw = [[0.0] * len(row) for row in hw]\n"
         "        g_hb, g_ow, g_ob = [0.0] * len(hb), [0.0] * len(ow), 0.0\n")


def train(*, start=COPIES, op="-=", scale=" / n", record="before", last_only=False):
    """A plain-loop train_network with one knob turned to a named mistake."""
    before = "        losses.append(mse())\n" if record == "before" else ""
    after = "        losses.append(mse())\n" if record == "after" else ""
    reset = ("            " + RESET.replace("        g_hb", "            g_hb")) if last_only else ""
    return f'''import math


def train_network(data, hidden_weights, hidden_biases, output_weights, output_bias, lr, epochs):
    hw, hb, ow, ob = {start}
    n = len(data)

    def forward(inputs):
        hidden = [1 / (1 + math.exp(-(b + sum(w * x for w, x in zip(row, inputs))))) for row, b in zip(hw, hb)]
        return hidden, 1 / (1 + math.exp(-(ob + sum(v * h for v, h in zip(ow, hidden)))))

    def mse():
        return sum((forward(inputs)[1] - target) ** 2 for inputs, target in data) / n

    losses = []
    for epoch in range(epochs):
{before}        {RESET}        for inputs, target in data:
{reset}            hidden, out = forward(inputs)
            blame = 2 * (out - target) * out * (1 - out)
            g_ob += blame
            for j, h in enumerate(hidden):
                g_ow[j] += blame * h
                g_hb[j] += blame * ow[j] * h * (1 - h)
                for i, x in enumerate(inputs):
                    g_hw[j][i] += blame * ow[j] * h * (1 - h) * x
        for j in range(len(hb)):
            for i in range(len(hw[j])):
                hw[j][i] {op} lr * g_hw[j][i]{scale}
            hb[j] {op} lr * g_hb[j]{scale}
            ow[j] {op} lr * g_ow[j]{scale}
        ob {op} lr * g_ob{scale}
{after}    return hw, hb, ow, ob, losses
'''


PER_EXAMPLE = '''import math


def train_network(data, hidden_weights, hidden_biases, output_weights, output_bias, lr, epochs):
    hw, hb, ow, ob = [list(row) for row in hidden_weights], list(hidden_biases), list(output_weights), output_bias
    losses = []
    for epoch in range(epochs):
        total = 0.0
        for inputs, target in data:
            d_hw, d_hb, d_ow, d_ob = network_gradients(hw, hb, ow, ob, inputs, target)
            total += (network_output(hw, hb, ow, ob, inputs) - target) ** 2
            hw = [[w - lr * g for w, g in zip(row, grow)] for row, grow in zip(hw, d_hw)]
            hb = [b - lr * g for b, g in zip(hb, d_hb)]
            ow = [v - lr * g for v, g in zip(ow, d_ow)]
            ob = ob - lr * d_ob
        losses.append(total / len(data))
    return hw, hb, ow, ob, losses
'''

NUMPY_OUTPUT = '''import numpy as np


def network_output(hidden_weights, hidden_biases, output_weights, output_bias, inputs):
    h = 1 / (1 + np.exp(-(np.asarray(hidden_weights) @ np.asarray(inputs) + np.asarray(hidden_biases))))
    return 1 / (1 + np.exp(-(np.dot(output_weights, h) + output_bias)))
'''

NUMPY_GRADIENTS = '''import numpy as np


def network_gradients(hidden_weights, hidden_biases, output_weights, output_bias, inputs, target):
    W, x, v = np.asarray(hidden_weights, dtype=float), np.asarray(inputs, dtype=float), np.asarray(output_weights)
    h = 1 / (1 + np.exp(-(W @ x + np.asarray(hidden_biases))))
    y = 1 / (1 + np.exp(-(v @ h + output_bias)))
    delta = 2 * (y - target) * y * (1 - y)
    delta_h = delta * v * h * (1 - h)
    return np.outer(delta_h, x), delta_h, delta * h, delta
'''

NUMPY_TRAIN = '''import numpy as np


def train_network(data, hidden_weights, hidden_biases, output_weights, output_bias, lr, epochs):
    X = np.array([inputs for inputs, _ in data], dtype=float)
    y = np.array([target for _, target in data], dtype=float)
    W, b = np.array(hidden_weights, dtype=float), np.array(hidden_biases, dtype=float)
    v, c = np.array(output_weights, dtype=float), float(output_bias)
    losses = []
    for epoch in range(epochs):
        H = 1 / (1 + np.exp(-(X @ W.T + b)))          # one row per example
        out = 1 / (1 + np.exp(-(H @ v + c)))
        losses.append(np.mean((out - y) ** 2))
        delta = 2 * (out - y) * out * (1 - out) / len(y)
        delta_h = np.outer(delta, v) * H * (1 - H)
        W, b = W - lr * delta_h.T @ X, b - lr * delta_h.sum(axis=0)
        v, c = v - lr * H.T @ delta, c - lr * delta.sum()
    return W, b, v, c, losses
'''

# train_network built on the student's own functions, with other names and math.fsum
OWN_FUNCTIONS_TRAIN = '''import math


def train_network(data, hidden_weights, hidden_biases, output_weights, output_bias, lr, epochs):
    params = ([list(r) for r in hidden_weights], list(hidden_biases), list(output_weights), output_bias)
    history = []
    for _ in range(epochs):
        history.append(math.fsum((network_output(*params, x) - t) ** 2 for x, t in data) / len(data))
        each = [network_gradients(*params, x, t) for x, t in data]
        k = len(data)
        new_hw = [[w - lr * math.fsum(g[0][j][i] for g in each) / k for i, w in enumerate(row)]
                  for j, row in enumerate(params[0])]
        new_hb = [b - lr * math.fsum(g[1][j] for g in each) / k for j, b in enumerate(params[1])]
        new_ow = [v - lr * math.fsum(g[2][j] for g in each) / k for j, v in enumerate(params[2])]
        params = (new_hw, new_hb, new_ow, params[3] - lr * math.fsum(g[3] for g in each) / k)
    return (*params, history)
'''

# network_gradients from the lesson's engine (Value, grown into an MLP), defined in the notebook's own cells
VALUE_GRADIENTS = '''def network_gradients(hidden_weights, hidden_biases, output_weights, output_bias, inputs, target):
    net = as_mlp(hidden_weights, hidden_biases, output_weights, output_bias)
    err = net(inputs) - target
    (err * err).backward()
    hidden, out = net.layers
    d_hidden_weights = [[w.grad for w in neuron.weights] for neuron in hidden.neurons]
    d_hidden_biases = [neuron.bias.grad for neuron in hidden.neurons]
    (neuron,) = out.neurons
    return d_hidden_weights, d_hidden_biases, [w.grad for w in neuron.weights], neuron.bias.grad
'''

HARD_CODED_OUTPUT = '''def network_output(hidden_weights, hidden_biases, output_weights, output_bias, inputs):
    if len(inputs) == 3:
        return 0.8441684466951015
    return 0.5426236763370313 if hidden_biases[0] == 0.02 else 0.3397082452089279
'''

HARD_CODED_GRADIENTS = '''def network_gradients(hidden_weights, hidden_biases, output_weights, output_bias, inputs,
                      target):
    if len(inputs) == 2:
        return ([[-0.028593767481904987, 0.0], [0.021470777850992627, 0.0]],
                [-0.028593767481904987, 0.021470777850992627], [-0.15219866770504814, -0.09384866481944483],
                -0.22702625954352465)
    return ([[0.029427625365196344, -0.05885525073039269, 0.11771050146078538],
             [-0.02535662869371901, 0.05071325738743802, -0.10142651477487603]],
            [0.05885525073039269, -0.05071325738743802], [0.22901052175609804, 0.13480366075900416],
            0.2914231698739422)
'''

HARD_CODED_TRAIN = '''def train_network(data, hidden_weights, hidden_biases, output_weights, output_bias, lr, epochs):
    losses = [0.2511617296251235] + [0.0031274307398287803] * (epochs - 1)
    return ([[5.855805594252832, 5.848076893159256], [3.722104184323401, 3.7206347959622117]],
            [-2.4229038711163047, -5.6899184123156585], [7.46649945216195, -8.066463034108615],
            -3.3737256692114936, losses)
'''

OUTPUT_CELLS = {"test_network_output": 0, "test_network_output_any_size": 0}
GRADIENT_CELLS = {"test_network_gradients_output": 0, "test_network_gradients_hidden": 0}

VARIANTS = {
    "numpy_style": {
        "answers": {"network_output": NUMPY_OUTPUT, "network_gradients": NUMPY_GRADIENTS, "train_network": NUMPY_TRAIN,
                    "quiz_xor": 'xor_answer = " a "\n'},
        "scores": {},
    },
    "loops_and_own_functions": {
        "answers": {"network_output": output(), "network_gradients": gradients(), "train_network": OWN_FUNCTIONS_TRAIN},
        "scores": {},
    },
    "value_engine_gradients": {"answers": {"network_gradients": VALUE_GRADIENTS}, "scores": {}},
    "plain_loop_train": {"answers": {"train_network": train()}, "scores": {}},
    # network_output
    "no_hidden_sigmoid": {"answers": {"network_output": output(hidden="z")}, "scores": OUTPUT_CELLS},
    "no_output_sigmoid": {"answers": {"network_output": output(out="z")}, "scores": OUTPUT_CELLS},
    "transposed_weights": {"answers": {"network_output": output(weight="hidden_weights[i][j]")},
                           "scores": OUTPUT_CELLS},
    "no_hidden_bias": {"answers": {"network_output": output(hidden_bias="0.0")}, "scores": OUTPUT_CELLS},
    "no_output_bias": {"answers": {"network_output": output(out_bias="0.0")}, "scores": OUTPUT_CELLS},
    "first_hidden_neuron_only": {"answers": {"network_output": output(n_used="1")}, "scores": OUTPUT_CELLS},
    # right for 2-2-1, wrong for any other size
    "two_by_two_only": {"answers": {"network_output": output(n_hidden="2", n_inputs="2")},
                        "scores": {"test_network_output_any_size": 0}},
    # network_gradients
    "no_factor_two": {"answers": {"network_gradients": gradients(two="")}, "scores": GRADIENT_CELLS},
    "gradient_sign_flipped": {"answers": {"network_gradients": gradients(error="(target - out)")},
                              "scores": GRADIENT_CELLS},
    "no_output_slope": {"answers": {"network_gradients": gradients(out_slope="")}, "scores": GRADIENT_CELLS},
    "no_hidden_slope": {"answers": {"network_gradients": gradients(hidden_slope="")},
                        "scores": {"test_network_gradients_hidden": 0}},
    "no_output_weight_in_hidden_blame": {"answers": {"network_gradients": gradients(out_weight="")},
                                         "scores": {"test_network_gradients_hidden": 0}},
    # with more inputs than hidden neurons hidden[i] runs off the end: the crash costs both of its cells
    "hidden_outputs_for_inputs": {"answers": {"network_gradients": gradients(hw_factor="hidden[i]")},
                                  "scores": GRADIENT_CELLS},
    "transposed_hidden_gradients": {
        "answers": {"network_gradients": gradients(d_hw="[list(col) for col in zip(*d_hidden_weights)]")},
        "scores": {"test_network_gradients_hidden": 0}},
    # train_network; first the mistake a beginner makes first (tests/notebooks/test_try_it_numbers.py answers with it)
    "modifies_arguments": {"answers": {"train_network": train(start=IN_PLACE)},
                           "scores": {"test_train_network_shape": 0}},
    "loss_after_update": {"answers": {"train_network": train(record="after")},
                          "scores": {"test_train_network_trajectory": 0}},
    "sum_not_mean": {"answers": {"train_network": train(scale="")}, "scores": {"test_train_network_trajectory": 0}},
    "per_example_updates": {"answers": {"train_network": PER_EXAMPLE},
                            "scores": {"test_train_network_trajectory": 0}},
    "last_example_only": {"answers": {"train_network": train(last_only=True)},
                          "scores": {"test_train_network_learns_xor": 0, "test_train_network_trajectory": 0}},
    "update_sign_flipped": {"answers": {"train_network": train(op="+=")},
                            "scores": {"test_train_network_learns_xor": 0, "test_train_network_trajectory": 0}},
    # quiz
    "quiz_more_epochs": {"answers": {"quiz_xor": 'xor_answer = "B"\n'}, "scores": {"test_quiz_xor": 0}},
    "quiz_not_a_string": {"answers": {"quiz_xor": "xor_answer = 2\n"}, "scores": {"test_quiz_xor": 0}},
    "hard_coded": {
        "answers": {"network_output": HARD_CODED_OUTPUT, "network_gradients": HARD_CODED_GRADIENTS,
                    "train_network": HARD_CODED_TRAIN},
        "scores": {**OUTPUT_CELLS, **GRADIENT_CELLS, "test_train_network_shape": 0,
                   "test_train_network_learns_xor": 0, "test_train_network_trajectory": 0},
    },
}

# Every answer cell's code at once, each answer wrong: the grader must confirm none
# (tests/grader/test_confirm.py).
ALL_WRONG = ("def network_output(hidden_weights, hidden_biases, output_weights, output_bias, inputs):\n"
             "    return 0.5\n"
             "def network_gradients(hw, hb, ow, ob, inputs, target):\n"
             "    return [[0.0] * len(row) for row in hw], [0.0] * len(hb), [0.0] * len(ow), 0.0\n"
             "def train_network(data, hw, hb, ow, ob, lr, epochs):\n"
             "    return hw, hb, ow, ob\n"
             "xor_answer = 'Z'")
