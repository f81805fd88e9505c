"""09 reading digits: the reference ``train_classifier`` and the keys of ``order_minibatch`` and ``quiz_overfitting``.

Every question draws its own problem (sizes included) from the grader's ``rng``, so no answer can be
aimed at it; the judges compare with the reference below, written from COURSE_SPEC's "07-09 precisely",
in the grader's process.
"""
import numpy as np

from .questions import (
    MORE,
    Confirmation,
    all_close,
    array,
    as_array,
    as_float,
    choice,
    failure,
    in_order,
    loop_ran,
    seen,
    short,
)

ORDER_KEY = "EBDFAC"
QUIZ_KEY = "B"
TOL = 1e-6


def softmax(Z):
    """Each row of Z as probabilities (shifted by its largest entry first, so exp never overflows)."""
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def _one_hot(labels, k):
    Y = np.zeros((len(labels), k))
    Y[np.arange(len(labels)), labels] = 1.0
    return Y


def cross_entropy(params, X, labels):
    """Mean over the rows of -log P[i, labels[i]] for the network ``params`` on X (log-softmax: never inf)."""
    W1, b1, W2, b2 = params
    Z = np.tanh(X @ W1 + b1) @ W2 + b2
    Z = Z - Z.max(axis=1, keepdims=True)
    log_p = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
    return float(-log_p[np.arange(len(labels)), labels].mean())


def accuracy(params, X, labels):
    W1, b1, W2, b2 = params
    return float(np.mean(np.argmax(np.tanh(X @ W1 + b1) @ W2 + b2, axis=1) == labels))


def train_classifier(X, labels, params, lr, epochs, batch_size, seed=0):
    """Mini-batch SGD exactly as COURSE_SPEC says: ``((W1, b1, W2, b2), history)``."""
    X, labels = np.asarray(X, dtype=float), np.asarray(labels, dtype=int)
    W1, b1, W2, b2 = (np.array(p, dtype=float) for p in params)
    n, k = len(X), W2.shape[1]
    history = []
    for e in range(epochs):
        order = np.random.default_rng(seed + e).permutation(n)
        for i in range(0, n, batch_size):
            idx = order[i:i + batch_size]
            H = np.tanh(X[idx] @ W1 + b1)
            P = softmax(H @ W2 + b2)
            dZ = (P - _one_hot(labels[idx], k)) / len(idx)
            dW2, db2 = H.T @ dZ, dZ.sum(axis=0)
            dA = (dZ @ W2.T) * (1.0 - H ** 2)
            dW1, db1 = X[idx].T @ dA, dA.sum(axis=0)
            W1, b1, W2, b2 = W1 - lr * dW1, b1 - lr * db1, W2 - lr * dW2, b2 - lr * db2
        history.append(cross_entropy((W1, b1, W2, b2), X, labels))
    return (W1, b1, W2, b2), history


# ------------------------------------------------------------------ drawing problems
def _problem(rng, n, d, h, k, scale=1.0):
    """Inputs, labels (every class present when n allows) and a random start, rounded to 4 decimals."""
    X = [[round(rng.uniform(-scale, scale), 4) for _ in range(d)] for _ in range(n)]
    labels = [i % k for i in range(n)]
    rng.shuffle(labels)
    start = ([[round(rng.gauss(0.0, 1.0 / d ** 0.5), 4) for _ in range(h)] for _ in range(d)],
             [round(rng.uniform(-0.1, 0.1), 4) for _ in range(h)],
             [[round(rng.gauss(0.0, 1.0 / h ** 0.5), 4) for _ in range(k)] for _ in range(h)],
             [round(rng.uniform(-0.1, 0.1), 4) for _ in range(k)])
    return X, labels, start


def _arguments(X, labels, start):
    """The question's text for ``X, labels, (W1, b1, W2, b2)``: numpy arrays, as the lesson passes them."""
    params = ", ".join(array(p) for p in start)
    return f"{array(X)}, {array(labels, dtype='int')}, ({params})"


def _shown(X, labels, start, lr, epochs, batch_size, seed):
    n, d = len(X), len(X[0])
    h, k = len(start[1]), len(start[3])
    return (f"train_classifier(X of shape ({n}, {d}), labels {labels}, params for a {d}-{h}-{k} network, "
            f"lr={lr}, epochs={epochs}, batch_size={batch_size}, seed={seed})")


def _trained(value, shapes, epochs):
    """``(params as arrays, history as floats)`` from what train_classifier returned, or None if not shaped so."""
    if not isinstance(value, list) or len(value) != 2 or not isinstance(value[0], list) or len(value[0]) != 4:
        return None
    params = [as_array(p, shape) for p, shape in zip(value[0], shapes)]
    history = value[1] if isinstance(value[1], list) and len(value[1]) == epochs else None
    history = None if history is None else [as_float(v) for v in history]
    if any(p is None for p in params) or history is None or None in history:
        return None
    return params, history


def _shapes(start):
    d, h, k = len(start[0]), len(start[1]), len(start[3])
    return [(d, h), (h,), (h, k), (k,)]


def _shape_question(confirmation, rng):
    n, d, h, k = rng.randint(4, 9), rng.randint(2, 5), rng.randint(2, 5), rng.randint(2, 4)
    X, labels, start = _problem(rng, n, d, h, k)
    epochs, batch_size, seed = rng.randint(2, 4), rng.randint(2, 3), rng.randint(0, 99)
    lr = round(rng.uniform(0.2, 1.0), 3)
    # The same run twice, the second MORE epochs longer; then the arguments, so the grader sees whether
    # train_classifier changed them.
    call = (f"(lambda X, labels, a: [[*train_classifier(X, labels, a, {lr}, {epochs}, {batch_size}, {seed})], "
            f"[*train_classifier(X, labels, a, {lr}, {epochs + MORE}, {batch_size}, {seed})], [*a]])"
            f"({_arguments(X, labels, start)})")
    shown = short(_shown(X, labels, start, lr, epochs, batch_size, seed))
    shapes = _shapes(start)

    def judge(reply):
        problem = failure(reply)
        if problem:
            return f"{shown}: {problem}"
        value = reply.get("value")
        runs = [_trained(v, shapes, n) for v, n in zip(value[:2], (epochs, epochs + MORE))] \
            if isinstance(value, list) and len(value) == 3 else [None]
        if None in runs:
            return (f"{shown} did not return ((W1, b1, W2, b2), history) with each parameter shaped like the one "
                    "passed in and one history entry per epoch")
        after = [as_array(p, shape) for p, shape in zip(value[2], shapes)] if isinstance(value[2], list) else [None]
        if len(after) != 4 or not all(a is not None and np.array_equal(a, np.array(p)) for a, p in zip(after, start)):
            return f"{shown} changed the arrays it was given"
        return loop_ran("train_classifier", *(([p.tolist() for p in run[0]], run[1]) for run in runs))
    confirmation.ask(call, judge)


def _blobs(rng, k, d, per_class):
    """``k`` clusters of ``per_class`` points in ``d`` dimensions, centres far apart: a problem any honest loop
    learns."""
    centres = []
    while len(centres) < k:
        c = [rng.choice((-1.0, 1.0)) * rng.uniform(0.6, 1.0) for _ in range(d)]
        if all(sum((a - b) ** 2 for a, b in zip(c, other)) > 1.0 for other in centres):
            centres.append(c)
    points = [([round(x + rng.gauss(0.0, 0.15), 3) for x in centres[label]], label)
              for label in range(k) for _ in range(per_class)]
    rng.shuffle(points)
    return [p for p, _ in points], [label for _, label in points]


def _learning_question(confirmation, rng):
    """Clusters drawn now, from a small random start: after 40 epochs the loss must be below half of the start's
    and at least 90 % of the points read right, judged from the parameters returned (the grader measures both).
    The reference clears both by far, so an honest loop is judged on learning, not on luck."""
    for _ in range(40):
        k, d = rng.randint(3, 4), rng.randint(3, 5)
        X, labels = _blobs(rng, k, d, rng.randint(7, 10))
        _, _, start = _problem(rng, 1, d, rng.randint(4, 8), k)
        batch_size, seed = rng.randint(4, 8), rng.randint(0, 99)
        Xa, ya = np.array(X), np.array(labels)
        begin = cross_entropy([np.array(p) for p in start], Xa, ya)
        params, _ = train_classifier(Xa, ya, start, 0.5, 40, batch_size, seed)
        if cross_entropy(params, Xa, ya) < 0.2 * begin and accuracy(params, Xa, ya) == 1.0:
            break
    call = f"train_classifier({_arguments(X, labels, start)}, 0.5, 40, {batch_size}, {seed})"
    shown = short(_shown(X, labels, start, 0.5, 40, batch_size, seed))
    shapes = _shapes(start)

    def judge(reply):
        problem = failure(reply)
        if problem:
            return f"{shown}: {problem}"
        trained = _trained(reply.get("value"), shapes, 40)
        if trained is None:
            return f"{shown} did not return ((W1, b1, W2, b2), history) with 40 history entries"
        params, history = trained
        with np.errstate(all="ignore"):
            end, read = cross_entropy(params, Xa, ya), accuracy(params, Xa, ya)
        if np.isfinite(end) and end < 0.5 * begin and read >= 0.9 and history[-1] < history[0]:
            return None
        return (f"after {shown} the loss went from {seen(begin)} to {seen(end)} and {read:.0%} of the points were "
                "read right: it did not learn")
    confirmation.ask(call, judge)


def _trajectory_question(confirmation, rng):
    n, d, h, k = rng.randint(5, 13), rng.randint(2, 6), rng.randint(2, 6), rng.randint(2, 5)
    X, labels, start = _problem(rng, n, d, h, k)
    batch_size = rng.choice([b for b in range(2, n) if n % b])  # the last batch is smaller
    epochs, seed, lr = rng.randint(3, 6), rng.randint(0, 999), round(rng.uniform(0.1, 1.5), 3)
    want_params, want_history = train_classifier(np.array(X), np.array(labels), start, lr, epochs, batch_size, seed)
    call = f"train_classifier({_arguments(X, labels, start)}, {lr}, {epochs}, {batch_size}, {seed})"
    shown = short(_shown(X, labels, start, lr, epochs, batch_size, seed))
    shapes = _shapes(start)

    def judge(reply):
        problem = failure(reply)
        if problem:
            return f"{shown}: {problem}"
        trained = _trained(reply.get("value"), shapes, epochs)
        if trained is None:
            return f"{shown} did not return ((W1, b1, W2, b2), history) with {epochs} history entries"
        params, history = trained
        if all(all_close(got, want, TOL) for got, want in zip(params, want_params)) and \
                all_close(np.array(history), np.array(want_history), TOL):
            return None
        return f"{shown} ended with history {seen(history)}, which is not where this run ends"
    confirmation.ask(call, judge)


def confirmations(rng):
    order = Confirmation("test_order_minibatch", "order_minibatch").ask(
        "minibatch_order", in_order(ORDER_KEY, "minibatch_order", "lines"))
    shape = Confirmation("test_train_classifier_shape", "train_classifier")
    _shape_question(shape, rng)
    learns = Confirmation("test_train_classifier_learns", "train_classifier")
    _learning_question(learns, rng)
    trajectory = Confirmation("test_train_classifier_trajectory", "train_classifier")
    for _ in range(3):
        _trajectory_question(trajectory, rng)
    quiz = Confirmation("test_quiz_overfitting", "quiz_overfitting").ask(
        "overfitting_answer", choice(QUIZ_KEY, "overfitting_answer"))
    return [order, shape, learns, trajectory, quiz]
