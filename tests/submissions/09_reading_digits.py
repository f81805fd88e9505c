"""Submissions of 09_reading_digits: right answers written differently, the named mistakes of the mini-batch loop,
a hard-coded loop and wrong letters, and how each must score. Test cells not listed score full points.

``train`` builds a plain numpy train_classifier with one knob turned to a named mistake;
tests/course/exercises/test_reading_digits.py uses the same builder.
"""

COPIES = "(np.array(p, dtype=float) for p in params)"
SHUFFLE = "np.random.default_rng(seed + e).permutation(n)"


def train(*, start=COPIES, order=SHUFFLE, stop="n", target="Y[idx]", divide="len(idx)", dW2="H.T @ dZ",
          slope="(1 - H ** 2)", record="after", w2_first=False, op="-="):
    """A train_classifier with one knob turned to a named mistake (all knobs at their defaults: right)."""
    before = "        history.append(loss())\n" if record == "before" else ""
    after = "        history.append(loss())\n" if record == "after" else ""
    update_w2 = "            W2 {op} lr * dW2\n            b2 {op} lr * db2\n".format(op=op)
    return f'''import numpy as np


def train_classifier(X, labels, params, lr, epochs, batch_size, seed=0):
    W1, b1, W2, b2 = {start}
    n, k = len(X), W2.shape[1]
    Y = np.zeros((n, k))
    Y[np.arange(n), labels] = 1

    def loss():
        Z = np.tanh(X @ W1 + b1) @ W2 + b2
        E = np.exp(Z - Z.max(axis=1, keepdims=True))
        P = E / E.sum(axis=1, keepdims=True)
        return float(np.mean(-np.log(P[np.arange(n), labels])))

    history = []
    for e in range(epochs):
{before}        order = {order}
        for i in range(0, {stop}, batch_size):
            idx = order[i:i + batch_size]
            H = np.tanh(X[idx] @ W1 + b1)
            Z = H @ W2 + b2
            E = np.exp(Z - Z.max(axis=1, keepdims=True))
            P = E / E.sum(axis=1, keepdims=True)
            dZ = (P - {target}) / {divide}
            dW2 = {dW2}
            db2 = dZ.sum(axis=0)
{update_w2 if w2_first else ""}            dA = (dZ @ W2.T) * {slope}
            dW1 = X[idx].T @ dA
            db1 = dA.sum(axis=0)
            W1 {op} lr * dW1
            b1 {op} lr * db1
{"" if w2_first else update_w2}{after}    return (W1, b1, W2, b2), history
'''


# np.einsum for every product, labels turned one-hot with np.eye, the loss with log-softmax, other names
EINSUM = '''import numpy as np


def train_classifier(X, labels, params, lr, epochs, batch_size, seed=0):
    w_in, b_in, w_out, b_out = [np.copy(p) for p in params]
    count, classes = X.shape[0], w_out.shape[1]
    targets = np.eye(classes)[labels]
    losses = []
    for epoch in range(epochs):
        shuffled = np.random.default_rng(seed + epoch).permutation(count)
        for first in range(0, count, batch_size):
            batch = shuffled[first:first + batch_size]
            xb = X[batch]
            h = np.tanh(np.einsum("bi,ih->bh", xb, w_in) + b_in)
            z = np.einsum("bh,hk->bk", h, w_out) + b_out
            p = np.exp(z - z.max(axis=1, keepdims=True))
            p = p / p.sum(axis=1, keepdims=True)
            g_z = (p - targets[batch]) / len(batch)
            g_h = np.einsum("bk,hk->bh", g_z, w_out) * (1 - np.tanh(np.einsum("bi,ih->bh", xb, w_in) + b_in) ** 2)
            w_out = w_out - lr * np.einsum("bh,bk->hk", h, g_z)
            b_out = b_out - lr * g_z.sum(axis=0)
            w_in = w_in - lr * np.einsum("bi,bh->ih", xb, g_h)
            b_in = b_in - lr * g_h.sum(axis=0)
        z = np.tanh(X @ w_in + b_in) @ w_out + b_out
        z = z - z.max(axis=1, keepdims=True)
        log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        losses.append(-log_p[np.arange(count), labels].mean())
    return (w_in, b_in, w_out, b_out), losses
'''

# every example of a batch on its own (outer products, a loop for the softmax), its gradients averaged by hand
PER_EXAMPLE = '''import math

import numpy as np


def softmax_row(z):
    top = max(z)
    exps = [math.exp(v - top) for v in z]
    return np.array([v / sum(exps) for v in exps])


def train_classifier(X, labels, params, lr, epochs, batch_size, seed=0):
    W1, b1, W2, b2 = (p.copy() for p in params)
    n = len(X)
    history = []
    for e in range(epochs):
        order = np.random.default_rng(seed + e).permutation(n)
        batches = [order[i:i + batch_size] for i in range(0, n, batch_size)]
        for batch in batches:
            grads = [np.zeros_like(W1), np.zeros_like(b1), np.zeros_like(W2), np.zeros_like(b2)]
            for j in batch:
                h = np.tanh(X[j] @ W1 + b1)
                d_out = softmax_row(h @ W2 + b2)
                d_out[labels[j]] -= 1.0
                d_hidden = (W2 @ d_out) * (1 - h * h)
                for g, part in zip(grads, (np.outer(X[j], d_hidden), d_hidden, np.outer(h, d_out), d_out)):
                    g += part / len(batch)
            W1, b1, W2, b2 = (p - lr * g for p, g in zip((W1, b1, W2, b2), grads))
        total = 0.0
        for x, label in zip(X, labels):
            total -= math.log(softmax_row(np.tanh(x @ W1 + b1) @ W2 + b2)[label])
        history.append(total / n)
    return (W1, b1, W2, b2), history
'''

# the tiny example's expected values, whatever the call
HARD_CODED = '''import numpy as np


def train_classifier(X, labels, params, lr, epochs, batch_size, seed=0):
    W1 = np.array([[-0.44777205309095014, -0.4257740201025828, 0.6245986391697551, 0.6863065653946709],
                   [-0.09573674930382108, -0.48220986723904347, 0.20963829466821282, -0.8301404207605947],
                   [-0.3234362542960341, -0.43688705259402094, 0.41854206099728547, 0.2895386467189592],
                   [0.24205090662313145, 0.1551859538375486, -0.4026679856357953, 0.21154318606338424],
                   [0.8383837325469674, 0.13368688348512542, 0.14526758919946534, -0.3595266812056522]])
    b1 = np.array([-0.022114601695690794, 0.12064189255456706, -0.1248746868306537, -0.03509527992593821])
    W2 = np.array([[0.7719233278493344, 0.5889614773583796, -0.07537903005933073],
                   [0.2567738080633824, 0.6845687973150747, -0.12770445585768814],
                   [0.003936271458792365, -0.40463090457464623, 0.24316295372066538],
                   [-0.2860355249451888, -0.5738839794568104, 0.5901904656087794]])
    b2 = np.array([0.18411707949297582, 0.05817545066734858, -0.24229253016032443])
    history = [0.980860055305174, 0.9345712784689034, 0.8415084690690176]
    return (W1, b1, W2, b2), history[:epochs]
'''

TRAJECTORY = {"test_train_classifier_trajectory": 0}
ALL_TRAIN = {"test_train_classifier_shape": 0, "test_train_classifier_learns": 0, "test_train_classifier_trajectory": 0}

VARIANTS = {
    "einsum_and_lower_case": {
        "answers": {"train_classifier": EINSUM, "order_minibatch": 'minibatch_order = "e b d f a c"\n',
                    "quiz_overfitting": 'overfitting_answer = " b "\n'},
        "scores": {},
    },
    "per_example_loops": {"answers": {"train_classifier": PER_EXAMPLE}, "scores": {}},
    "no_shuffle": {"answers": {"train_classifier": train(order="np.arange(n)")}, "scores": TRAJECTORY},
    "one_shuffle_stream": {
        "answers": {"train_classifier": train(order="rng.permutation(n)").replace(
            "    history = []\n", "    history = []\n    rng = np.random.default_rng(seed)\n")},
        "scores": TRAJECTORY},
    # without the mean, lr 0.5 on batches of 10 takes steps ten times too big: the digits are not learned
    "sum_not_mean": {"answers": {"train_classifier": train(divide="1")},
                     "scores": {"test_train_classifier_learns": 0, "test_train_classifier_trajectory": 0}},
    "labels_not_one_hot": {"answers": {"train_classifier": train(target="labels[idx][:, None]")},
                           "scores": {"test_train_classifier_learns": 0, "test_train_classifier_trajectory": 0}},
    "sigmoid_slope": {"answers": {"train_classifier": train(slope="H * (1 - H)")},
                      "scores": {"test_train_classifier_learns": 0, "test_train_classifier_trajectory": 0}},
    "missing_transpose": {"answers": {"train_classifier": train(dW2="H @ dZ")}, "scores": ALL_TRAIN},
    "history_before_epoch": {"answers": {"train_classifier": train(record="before")}, "scores": TRAJECTORY},
    "modifies_arguments": {"answers": {"train_classifier": train(start="params")},
                           "scores": {"test_train_classifier_shape": 0}},
    "last_batch_dropped": {"answers": {"train_classifier": train(stop="n - batch_size + 1")}, "scores": TRAJECTORY},
    "hard_coded": {"answers": {"train_classifier": HARD_CODED}, "scores": ALL_TRAIN},
    "wrong_letters": {
        "answers": {"order_minibatch": 'minibatch_order = ["E", "B", "D", "F", "C", "A"]\n',
                    "quiz_overfitting": 'overfitting_answer = "C"\n'},
        "scores": {"test_order_minibatch": 0, "test_quiz_overfitting": 0},
    },
}

# Every answer cell's code at once, each answer wrong: the grader must confirm none
# (tests/grader/test_confirm.py).
ALL_WRONG = ("def train_classifier(X, labels, params, lr, epochs, batch_size, seed=0):\n"
             "    return params, [2.3] * epochs\n"
             "minibatch_order = ['A', 'B', 'C', 'D', 'E', 'F']\n"
             "overfitting_answer = 'Z'")
