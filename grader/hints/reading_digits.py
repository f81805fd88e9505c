"""Lesson 09's sealed hints: the keys and texts of the ordering exercise and the quiz, and the values the
named mistakes of ``train_classifier`` give on the visible checks' tiny example.

Each mistake is one knob of the small trainer below, turned away from the right answer, so the value a
mistake produces is computed from the mistake itself (see grader/hints/__init__.py).
"""
import numpy as np

# The example of the visible checks: the hints are about the history it gives.
from course.exercises.reading_digits import TINY_BATCH, TINY_EPOCHS, TINY_LR, tiny_example

from . import named_mistakes


def train(X, labels, params, lr, epochs, batch_size, seed=0, *, shuffle="each epoch", mean="len(idx)",
          one_hot=True, slope="tanh", record="after", last_batch=True, w2_first=False, sign=-1.0):
    """train_classifier with one knob turned to a mistake (every knob at its default: the right answer)."""
    X, labels = np.asarray(X, dtype=float), np.asarray(labels)
    W1, b1, W2, b2 = (np.array(p, dtype=float) for p in params)
    n = len(X)
    stream = np.random.default_rng(seed)

    def loss():
        Z = np.tanh(X @ W1 + b1) @ W2 + b2
        Z = Z - Z.max(axis=1, keepdims=True)
        log_p = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
        return float(-log_p[np.arange(n), labels].mean())

    history = []
    for e in range(epochs):
        if record == "before":
            history.append(loss())
        if shuffle == "each epoch":
            order = np.random.default_rng(seed + e).permutation(n)
        elif shuffle == "one stream":
            order = stream.permutation(n)
        elif shuffle == "same every epoch":
            order = np.random.default_rng(seed).permutation(n)
        elif shuffle == "legacy":
            order = np.random.RandomState(seed + e).permutation(n)
        else:
            order = np.arange(n)
        stop = n if last_batch else n - batch_size + 1
        for i in range(0, stop, batch_size):
            idx = order[i:i + batch_size]
            H = np.tanh(X[idx] @ W1 + b1)
            Z = H @ W2 + b2
            P = np.exp(Z - Z.max(axis=1, keepdims=True))
            P /= P.sum(axis=1, keepdims=True)
            if one_hot is True:
                Y = np.zeros_like(P)
                Y[np.arange(len(idx)), labels[idx]] = 1.0
            elif one_hot == "column":
                Y = labels[idx][:, None]
            else:
                Y = labels[idx]
            dZ = (P - Y) / {"len(idx)": len(idx), "none": 1, "batch_size": batch_size, "n": n}[mean]
            dW2, db2 = H.T @ dZ, dZ.sum(axis=0)
            if w2_first:
                W2, b2 = W2 + sign * lr * dW2, b2 + sign * lr * db2
            dA = dZ @ W2.T * {"tanh": 1.0 - H ** 2, "none": 1.0, "sigmoid": H * (1.0 - H)}[slope]
            dW1, db1 = X[idx].T @ dA, dA.sum(axis=0)
            W1, b1 = W1 + sign * lr * dW1, b1 + sign * lr * db1
            if not w2_first:
                W2, b2 = W2 + sign * lr * dW2, b2 + sign * lr * db2
        if record == "after":
            history.append(loss())
    return (W1, b1, W2, b2), history


MISTAKES = [  # (knobs, what the student did: completes "That is what you get if you ...")
    ({"shuffle": "none"}, "skip the shuffle: every epoch then takes the examples in the order they come"),
    ({"shuffle": "one stream"}, "draw every epoch's order from one generator made once, "
                                "np.random.default_rng(seed), instead of a new np.random.default_rng(seed + e) "
                                "for epoch e"),
    ({"shuffle": "same every epoch"}, "shuffle with np.random.default_rng(seed) in every epoch (the same order "
                                      "each time) instead of np.random.default_rng(seed + e)"),
    ({"shuffle": "legacy"}, "shuffle with the old np.random.RandomState or np.random.permutation instead of "
                            "np.random.default_rng(seed + e).permutation(n)"),
    ({"mean": "none"}, "leave out the division by len(idx): the gradient of the batch's MEAN loss is "
                       "(P - one_hot) / len(idx)"),
    ({"mean": "batch_size"}, "divide by batch_size instead of len(idx): the last batch is smaller"),
    ({"mean": "n"}, "divide by n, the number of all examples, instead of len(idx), the size of the batch"),
    ({"one_hot": "column"}, "subtract the labels themselves, P - labels[idx][:, None], instead of their one-hot "
                            "rows"),
    ({"one_hot": "row"}, "subtract the labels themselves, P - labels[idx], instead of their one-hot rows"),
    ({"slope": "none"}, "leave out tanh's slope (1 - H ** 2) from dA"),
    ({"slope": "sigmoid"}, "use the sigmoid's slope H * (1 - H) instead of tanh's, 1 - H ** 2"),
    ({"record": "before"}, "append the loss to history at the start of each epoch instead of after its last "
                           "batch"),
    ({"last_batch": False}, "drop the last, smaller batch of each epoch"),
    ({"w2_first": True}, "update W2 before computing dA, which must use the W2 of the forward pass"),
    ({"sign": 1.0}, "add lr times the gradient instead of subtracting it (that climbs uphill)"),
]


def _history_hints():
    """Each distinct wrong history[-1] on the tiny example once (a mistake that leaves it right, or that blows it
    up to nan or inf, is not named)."""
    def last(**knobs):
        X, labels, start = tiny_example()
        with np.errstate(all="ignore"):
            value = train(X, labels, start, TINY_LR, TINY_EPOCHS, TINY_BATCH, **knobs)[1][-1]
        return value if np.isfinite(value) else None

    return named_mistakes(last(), [(last(**knobs), text) for knobs, text in MISTAKES])


ORDER_MINIBATCH = [
    ("EBDFAC", "right", "Right: shuffle once per epoch (E), take a batch of that order (B), the forward pass "
                        "(D, then the softmax inside F), the blame at the output (F), the blame at the hidden layer "
                        "(A), and only then the update (C), since A needs the W2 that made the prediction."),
    ("EBDFCA", "wrong", "Python would run it, but the update C changes W2 before A uses it: the hidden layer's "
                        "blame must travel back through the W2 that made this prediction, not the updated one."),
    ("BEDFAC", "wrong", "The batch B takes its examples from `order`, which line E has not made yet in this epoch."),
    ("EBFDAC", "wrong", "Line F needs H, the hidden layer's output, which line D computes."),
    ("EDBFAC", "wrong", "Line D uses idx, the batch, before line B has chosen it."),
    ("ABCDEF", "wrong", "That is the order the lines are listed in, and they were shuffled."),
]

QUIZ_OVERFITTING = [
    ("B", "right", "Right: in B the training loss keeps falling towards 0 while the validation loss turns around "
                   "and rises: the network is learning its training images by heart, and that no longer helps on "
                   "images it has not seen. Early stopping would keep the network from the bottom of the "
                   "validation curve."),
    ("A", "wrong", "In A both losses jump about and climb together: that is a learning rate that is too big, "
                   "not overfitting. Overfitting needs a training loss that keeps getting better."),
    ("C", "wrong", "In C both losses fall together and level off close to each other: that is a network that "
                   "learned something that holds on new images too, the run you want."),
    ("D", "wrong", "In D both losses stay high, side by side: the network has not even learned its training "
                   "images (too small a learning rate, too few epochs or too few neurons). That is underfitting."),
]

HINTS = {
    "order_minibatch": ORDER_MINIBATCH,
    "quiz_overfitting": QUIZ_OVERFITTING,
    "train_classifier:history": _history_hints(),
}
