"""Visible checks of lesson 09: the order of a mini-batch epoch, ``train_classifier`` and the overfitting quiz.

The checks of ``train_classifier`` run it on the notebook's tiny example (7 examples, 5 inputs, 3 classes,
drawn from seed 13 exactly as the "try it" cell draws them) and compare with the values below: the
expected values, written down, not a way to compute them for other data. The "learns" check trains on the
first 150 training digits and measures the network it gets back. A wrong value that a known mistake
produces is named (the descriptions are sealed, course/exercises/sealed.py).
"""
import re

import numpy as np

from ..checks import (
    answer,
    apart,
    check_choice_answer,
    check_own_work,
    check_sealed,
    close,
    fail,
    last_source_defining,
    passed,
    pinned,
    reveal,
    shown,
    user_namespace,
)
from ..reading_digits import split_digits

# ------------------------------------------------------------------ order_minibatch
ORDER = "order_minibatch"
LETTERS = "ABCDEF"


def _order_of(value):
    """The letters of ``value`` in order, upper case (None when it is not text or a sequence)."""
    if isinstance(value, (list, tuple)):
        return [str.upper(" ".join(str(item).split())) for item in value]
    return re.findall(r"[A-Z?]", str.upper(value)) if isinstance(value, str) else None


def _bare_letters(namespace):
    """Letters typed without quotes on the line that sets minibatch_order (Python took them for names)."""
    source = last_source_defining("minibatch_order", namespace) or ""
    line = re.search(r"^\s*minibatch_order\s*=(.*)$", source, re.M)
    if not line:
        return []
    code = re.sub(r"#.*$", "", re.sub(r"(['\"]).*?\1", "''", line.group(1)))
    return [word for word in re.findall(r"\b[A-Fa-f]{1,6}\b", code) if word not in namespace]


def check_order_minibatch(namespace=None):
    """Check the order of the six lines of one mini-batch epoch."""
    namespace = user_namespace() if namespace is None else namespace
    check_own_work("minibatch_order", exercise=ORDER, namespace=namespace)
    bare = _bare_letters(namespace)
    if bare:
        fail([f"The letters in `minibatch_order` have no quotes ({', '.join(bare)}), so Python looks for "
              "variables with those names instead of taking the letters.",
              'Hint: put each letter between quotes, as in ["F", "A", "C", "B", "E", "D"].'], ORDER)
    value = answer("minibatch_order", exercise=ORDER, namespace=namespace)
    order = _order_of(value)
    if order is not None and "?" in order:
        fail([f"`minibatch_order` = {shown(value, 80)} still holds the placeholder \"?\".",
              "Hint: replace each ? with one of the letters A to F."], ORDER)
    if order is None or sorted(order) != list(LETTERS):
        fail([f"`minibatch_order` should hold each of the letters A, B, C, D, E and F exactly once; it is "
              f"{shown(value, 80)}.", 'Hint: write a list of six letters, such as ["F", "A", "C", "B", "E", "D"].'],
             ORDER)
    check_sealed("".join(order), exercise=ORDER, name="minibatch_order",
                 problem=f"`minibatch_order` = {order} is not the order of the lines yet.",
                 hint="a line can only run once every name it uses has been computed, and a gradient must be "
                      "computed with the weights the forward pass used.")


# ------------------------------------------------------------------ train_classifier
EXERCISE = "train_classifier"
TINY_SEED, TINY_LABELS = 13, (2, 0, 1, 1, 0, 2, 1)
TINY_LR, TINY_EPOCHS, TINY_BATCH = 0.5, 3, 3
TINY_CALL = "train_classifier(X_tiny, labels_tiny, start_tiny, lr=0.5, epochs=3, batch_size=3)"

# train_classifier on the tiny example: the "try it" cell's expected result.
EXPECTED_HISTORY = [0.980860055305174, 0.9345712784689034, 0.8415084690690176]
EXPECTED_PARAMS = (
    [[-0.44777205309095014, -0.4257740201025828, 0.6245986391697551, 0.6863065653946709],
     [-0.09573674930382108, -0.48220986723904347, 0.20963829466821282, -0.8301404207605947],
     [-0.3234362542960341, -0.43688705259402094, 0.41854206099728547, 0.2895386467189592],
     [0.24205090662313145, 0.1551859538375486, -0.4026679856357953, 0.21154318606338424],
     [0.8383837325469674, 0.13368688348512542, 0.14526758919946534, -0.3595266812056522]],
    [-0.022114601695690794, 0.12064189255456706, -0.1248746868306537, -0.03509527992593821],
    [[0.7719233278493344, 0.5889614773583796, -0.07537903005933073],
     [0.2567738080633824, 0.6845687973150747, -0.12770445585768814],
     [0.003936271458792365, -0.40463090457464623, 0.24316295372066538],
     [-0.2860355249451888, -0.5738839794568104, 0.5901904656087794]],
    [0.18411707949297582, 0.05817545066734858, -0.24229253016032443],
)
NAMES = ("W1", "b1", "W2", "b2")
SHAPE_FIRST = ("Hint: make the shape check above (test_train_classifier_shape) pass first: train_classifier "
               "should return ((W1, b1, W2, b2), history), with one history entry per epoch.")
GRADIENTS = ("the gradients of one batch: dZ = (P - one_hot) / len(idx), dW2 = H.T @ dZ, db2 = dZ.sum(0), "
             "dA = (dZ @ W2.T) * (1 - H ** 2), dW1 = X[idx].T @ dA, db1 = dA.sum(0)")


def tiny_example():
    """``(X_tiny, labels_tiny, start_tiny)``, drawn as the notebook's "try it" cell draws them (new arrays
    every call)."""
    rng = np.random.default_rng(TINY_SEED)
    X = rng.uniform(0.0, 1.0, (7, 5))
    start = (rng.normal(0.0, 0.5, (5, 4)), np.zeros(4), rng.normal(0.0, 0.5, (4, 3)), np.zeros(3))
    return X, np.array(TINY_LABELS), start


def _run(train_classifier, call, *args):
    """``train_classifier(*args)``; a placeholder or a crash fails with a sentence instead of a traceback."""
    try:
        return train_classifier(*args)
    except NotImplementedError:
        fail(["train_classifier still raises NotImplementedError: the loop has not been written yet.",
              "Hint: replace the `raise NotImplementedError(...)` line with the epochs and their mini-batches."],
             EXERCISE)
    except ValueError as error:
        text = str(error)
        if "broadcast" in text:
            fail([f"{call} raised ValueError: {text}",
                  "Two arrays whose shapes do not fit were added or subtracted.",
                  "Hint: P has one row per example of the batch and one column per class; the labels are "
                  "numbers, so turn them into one-hot rows of the same shape before P - Y."], EXERCISE)
        if "matmul" in text or "shapes" in text or "aligned" in text:
            fail([f"{call} raised ValueError: {text}",
                  "Two matrices whose shapes do not fit were multiplied: is a transpose missing?",
                  "Hint: write the shape next to each product: H.T @ dZ is (h, b) @ (b, k) = (h, k), the shape "
                  "of W2; dZ @ W2.T is (b, k) @ (k, h); X[idx].T @ dA is (d, b) @ (b, h), the shape of W1."],
                 EXERCISE)
        raise
    except IndexError as error:
        fail([f"{call} raised IndexError: {error}",
              "Hint: each mini-batch is idx = order[i:i + batch_size]; index the examples with X[idx] and "
              "labels[idx], and build one-hot rows of k = W2.shape[1] columns."], EXERCISE)


def _arrays(result, shapes, epochs):
    """``(params, history)`` as float arrays and floats if ``result`` is shaped so, else None."""
    if not isinstance(result, (tuple, list)) or pinned.len(result) != 2:
        return None
    params, history = result
    if not isinstance(params, (tuple, list)) or pinned.len(params) != 4:
        return None
    try:
        arrays = [np.array(p, dtype=float) for p in params]
        history = [float(v) for v in history]
    except (TypeError, ValueError):
        return None
    if any(a.shape != shape for a, shape in zip(arrays, shapes)) or pinned.len(history) != epochs:
        return None
    return arrays, history


def _tiny_shapes():
    return [(5, 4), (4,), (4, 3), (3,)]


def check_train_classifier_shape(namespace=None):
    """Check that train_classifier returns new parameters shaped like the old ones and one history entry per
    epoch, leaves its arguments as they were, and moves the parameters."""
    train_classifier = answer("train_classifier", exercise=EXERCISE, kind="function", namespace=namespace)
    X, labels, start = tiny_example()
    kept = [p.copy() for p in start]
    call = "train_classifier(X_tiny, labels_tiny, start_tiny, lr=0.5, epochs=2, batch_size=3)"
    result = _run(train_classifier, call, X, labels, start, TINY_LR, 2, TINY_BATCH)
    if not isinstance(result, (tuple, list)) or pinned.len(result) != 2:
        fail([f"{call} should return two things, ((W1, b1, W2, b2), history); it returned {shown(result, 200)}.",
              "Hint: end the function with `return (W1, b1, W2, b2), history`."], EXERCISE)
    params, history = result
    if not isinstance(params, (tuple, list)) or pinned.len(params) != 4:
        fail([f"The first thing {call} returns should be the four parameters (W1, b1, W2, b2); it is "
              f"{shown(params, 200)}.", "Hint: return the trained parameters as a tuple: (W1, b1, W2, b2)."], EXERCISE)
    for name, value, shape in zip(NAMES, params, _tiny_shapes()):
        found = np.shape(value)
        if found != shape:
            fail([f"The returned {name} should have the shape {shape}, like the {name} passed in; it has "
                  f"{found}.", f"Hint: each update keeps the shape: {name} = {name} - lr * d{name}, and d{name} "
                  f"has the shape of {name}."], EXERCISE)
    passed("returns ((W1, b1, W2, b2), history), each parameter shaped like the one passed in")
    if not isinstance(history, (list, tuple)) or pinned.len(history) != 2:
        fail([f"With epochs=2, history should be a list of 2 numbers; it is {shown(history, 200)}.",
              "Hint: append one cross-entropy per epoch, after that epoch's last mini-batch."], EXERCISE)
    try:
        [float(v) for v in history]
    except (TypeError, ValueError):
        fail([f"Each entry of history should be a number (the cross-entropy over all of X); history is "
              f"{shown(history, 200)}.", "Hint: append a float, such as float(np.mean(...))."], EXERCISE)
    passed("one history entry per epoch")
    changed = [name for name, now, before in zip(NAMES, start, kept) if not np.array_equal(now, before)]
    if changed:
        names = ", ".join(changed)
        fail([f"After {call}, the {names} passed in had changed: train_classifier modified its arguments.",
              "Hint: start from copies, for example `W1, b1, W2, b2 = (p.copy() for p in params)`, and update "
              "with W1 = W1 - lr * dW1 (a new array) or update the copies in place."], EXERCISE)
    passed("the arrays passed in are left as they were")
    moved = [name for name, now, before in zip(NAMES, params, kept) if not np.array_equal(np.asarray(now), before)]
    if not moved:
        fail([f"{call} returned the starting parameters unchanged: nothing was trained.",
              "Hint: after each mini-batch, move every parameter: W1 = W1 - lr * dW1, and so on."], EXERCISE)
    passed(f"the parameters moved ({', '.join(moved)})")


# The first 150 training digits, a 64-16-10 network from seed 7: enough to see a loop learn, and quick.
LEARN_IMAGES, LEARN_HIDDEN, LEARN_SEED, LEARN_LR, LEARN_EPOCHS, LEARN_BATCH = 150, 16, 7, 0.5, 20, 10
LEARN_CALL = "train_classifier(the first 150 training digits, their labels, a 64-16-10 start, lr=0.5, epochs=20, " \
             "batch_size=10)"


def _measure(params, X, labels):
    """(cross-entropy, accuracy) of the network ``params`` on X: the check's own forward pass."""
    W1, b1, W2, b2 = params
    with np.errstate(all="ignore"):
        Z = np.tanh(X @ W1 + b1) @ W2 + b2
        Z = Z - Z.max(axis=1, keepdims=True)
        log_p = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
    return float(-log_p[np.arange(len(labels)), labels].mean()), float(np.mean(Z.argmax(axis=1) == labels))


def check_train_classifier_learns(namespace=None):
    """Check that train_classifier learns the first 150 training digits: the loss falls below a third and at
    least 90 % of the images are read right."""
    train_classifier = answer("train_classifier", exercise=EXERCISE, kind="function", namespace=namespace)
    X_train, y_train, _, _ = split_digits()
    X, labels = X_train[:LEARN_IMAGES], y_train[:LEARN_IMAGES]
    rng = np.random.default_rng(LEARN_SEED)
    start = (rng.normal(0.0, 1.0 / 8.0, (64, LEARN_HIDDEN)), np.zeros(LEARN_HIDDEN),
             rng.normal(0.0, 1.0 / 4.0, (LEARN_HIDDEN, 10)), np.zeros(10))
    begin, _ = _measure(start, X, labels)
    result = _run(train_classifier, LEARN_CALL, X, labels, start, LEARN_LR, LEARN_EPOCHS, LEARN_BATCH)
    shaped = _arrays(result, [(64, LEARN_HIDDEN), (LEARN_HIDDEN,), (LEARN_HIDDEN, 10), (10,)], LEARN_EPOCHS)
    if shaped is None:
        fail([f"The learning check needs {LEARN_CALL} to return ((W1, b1, W2, b2), history) with 20 history "
              f"entries; it returned {shown(result, 120)}.", SHAPE_FIRST], EXERCISE)
    params, _ = shaped
    end, read = _measure(params, X, labels)
    if pinned.isfinite(end) and end < begin / 3.0 and read >= 0.9:
        passed(f"on 150 digits the loss falls from {shown(begin)} to {shown(end)} and {read:.1%} of them are read "
               "right")
        return
    if not pinned.isfinite(end) or end > begin:
        lines = [f"On 150 digits the loss rose from {shown(begin)} to {shown(end)}: the parameters are moving uphill, "
                 "or the steps are far too big."]
        hint = "each parameter moves against its gradient (parameter - lr * gradient), and dZ is divided by len(idx)."
    else:
        lines = [f"On 150 digits the loss went from {shown(begin)} to {shown(end)} and {read:.1%} of the images are "
                 "read right; 20 epochs should bring it below a third of the start and read at least 90 %."]
        hint = f"every mini-batch should move all four parameters one step, with {GRADIENTS}."
    fail([*lines, f"Hint: {hint}"], EXERCISE)


def _show(values):
    return shown([float(v) for v in values])


def check_train_classifier_trajectory(namespace=None):
    """Check the exact result of train_classifier on the tiny example."""
    train_classifier = answer("train_classifier", exercise=EXERCISE, kind="function", namespace=namespace)
    X, labels, start = tiny_example()
    result = _run(train_classifier, TINY_CALL, X, labels, start, TINY_LR, TINY_EPOCHS, TINY_BATCH)
    shaped = _arrays(result, _tiny_shapes(), TINY_EPOCHS)
    if shaped is None:
        fail([f"The trajectory check needs {TINY_CALL} to return ((W1, b1, W2, b2), history) with 3 history "
              f"entries; it returned {shown(result, 120)}.", SHAPE_FIRST], EXERCISE)
    params, history = shaped
    if not all(pinned.isfinite(v) and close(v, w, 1e-6) for v, w in zip(history, EXPECTED_HISTORY)):
        lines = ["history of {} should be about {}, but it is {}.".format(TINY_CALL, *apart(EXPECTED_HISTORY, history))]
        found = reveal("train_classifier:history", history[-1]) if pinned.isfinite(history[-1]) else None
        if found and found[0] == "wrong":
            lines.append(f"That is what you get if you {found[1]}.")
        lines.append("Hint: follow the recipe above to the letter: epoch e shuffles with "
                     "np.random.default_rng(seed + e).permutation(n), every batch (the last, smaller one too) takes "
                     "one step, dZ is divided by len(idx), and history gets the cross-entropy over all of X after "
                     "the epoch's last batch.")
        fail(lines, EXERCISE)
    passed(f"history = {_show(history)}")
    for name, got, want in zip(NAMES, params, EXPECTED_PARAMS):
        want = np.array(want, dtype=float)
        if not all(pinned.isfinite(v) and close(v, w, 1e-6) for v, w in zip(got.ravel(), want.ravel())):
            fail(["The history is right, but the returned {} is not: its first entries should be about {}, and "
                  "they are {}.".format(name, *apart(want.ravel()[:3].tolist(), got.ravel()[:3].tolist())),
                  "Hint: return the parameters as they are after the last mini-batch of the last epoch, in the "
                  "order (W1, b1, W2, b2)."], EXERCISE)
    passed("W1, b1, W2 and b2 are where this run ends")


# ------------------------------------------------------------------ quiz_overfitting
def check_quiz_overfitting(namespace=None):
    """Check the answer to the quiz: which pair of curves shows overfitting."""
    check_choice_answer("overfitting_answer", exercise="quiz_overfitting", options="ABCD", namespace=namespace,
                        hint="overfitting is learning the training images by heart: which curve keeps improving, "
                             "and what does the other do meanwhile?")
