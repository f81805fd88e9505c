"""08 classification: references for ``softmax``, ``cross_entropy``, ``softmax_ce_gradient`` and ``accuracy``,
and the keys of ``predict_ce_output`` and ``quiz_mse_for_classes``.

Every question draws its own arrays (shapes included) from the grader's ``rng``, so no answer can be
aimed at it; the judges compare with the references below, written from the formulas of the lesson,
in the grader's process.
"""
import math

import numpy as np

from .questions import (
    Confirmation,
    array,
    array_close,
    as_array,
    choice,
    failure,
    normalized,
    number,
    seen,
    short,
)

TOL = 1e-6


def softmax(Z):
    Z = np.asarray(Z, dtype=float)
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def cross_entropy(P, labels):
    return math.fsum(-math.log(P[i][c]) for i, c in enumerate(labels)) / len(labels)


def softmax_ce_gradient(Z, labels):
    P = softmax(Z)
    P[np.arange(len(labels)), labels] -= 1.0
    return P / len(labels)


def accuracy(P, labels):
    return sum(max(range(len(row)), key=row.__getitem__) == c for row, c in zip(P, labels)) / len(labels)


# ------------------------------------------------------------------ drawing questions
def _scores(rng, n, k, scale=4.0, offsets=None):
    """An (n, k) list of scores, rounded to 4 decimals; ``offsets`` moves row i by offsets[i]."""
    offsets = offsets or [0.0] * n
    return [[round(offsets[i] + rng.uniform(-scale, scale), 4) for _ in range(k)] for i in range(n)]


def _labels(rng, n, k):
    return [rng.randrange(k) for _ in range(n)]


def _probabilities(rng, n, k):
    """Rows of probabilities whose largest entry is clear of the second (no ties for an argmax)."""
    rows = []
    while len(rows) < n:
        row = [rng.uniform(0.05, 1.0) ** 2 for _ in range(k)]
        top = sorted(row)
        if top[-1] - top[-2] > 0.05:
            total = sum(row)
            rows.append([round(v / total, 6) for v in row])
    return rows


def _matrix_question(confirmation, call, expected, shown=None):
    shown = shown or call
    close_enough = array_close(expected, shown, TOL)

    def judge(reply):
        if failure(reply) is None and as_array(reply.get("value"), expected.shape) is None:
            return (f"{short(shown)} returned {seen(reply.get('value'))}, "
                    f"not an array of shape {expected.shape}")
        return close_enough(reply)
    confirmation.ask(call, judge)


def _shown(function, *parts):
    """The call as the feedback names it: np.array(...) instead of the grader's __import__ spelling."""
    return f"{function}({', '.join(f'np.array({p!r})' for p in parts)})"


def _softmax_question(confirmation, Z):
    _matrix_question(confirmation, f"softmax({array(Z)})", softmax(Z), _shown("softmax", Z))


def _ce_question(confirmation, P, labels):
    call = f"cross_entropy({array(P)}, {array(labels, dtype='int')})"
    confirmation.ask(call, number(cross_entropy(P, labels), _shown("cross_entropy", P, labels), TOL))


def _gradient_question(confirmation, Z, labels):
    call = f"softmax_ce_gradient({array(Z)}, {array(labels, dtype='int')})"
    _matrix_question(confirmation, call, softmax_ce_gradient(Z, labels), _shown("softmax_ce_gradient", Z, labels))


def _accuracy_question(confirmation, P, labels):
    call = f"accuracy({array(P)}, {array(labels, dtype='int')})"
    # named by its shape: an accuracy is a short fraction (0.2, 0.5) that the digits of P would show by chance
    shown = f"accuracy(P, labels) for a P of {len(P)} rows and {len(P[0])} columns"
    confirmation.ask(call, number(accuracy(P, labels), shown, 1e-9))


def _predicted_line(reply):
    value = (reply or {}).get("value")
    if isinstance(value, str) and normalized(value) == "CROSS-ENTROPY:1.0397":
        return None
    return f"`predicted_ce_output` is {seen(value, 60)}, which is not the line the code prints"


def confirmations(rng):
    rows = Confirmation("test_softmax", "softmax")
    square = rng.randint(2, 5)
    for n, k in [(1, rng.randint(2, 6)), (rng.randint(2, 6), rng.randint(2, 6)), (square, square),
                 (rng.randint(3, 7), 2)]:
        _softmax_question(rows, _scores(rng, n, k))

    large = Confirmation("test_softmax_large", "softmax")
    for _ in range(2):
        n = rng.randint(3, 5)
        offsets = [rng.choice((1000.0, -1000.0, 700.0, 0.0)) for _ in range(n)]
        offsets[:2] = [1000.0, -1000.0]  # always one row near 1000 and one near -1000, 2000 apart
        rng.shuffle(offsets)
        _softmax_question(large, _scores(rng, n, rng.randint(2, 5), scale=5.0, offsets=offsets))

    ce = Confirmation("test_cross_entropy", "cross_entropy")
    square = rng.randint(2, 5)
    for n, k in [(1, rng.randint(2, 5)), (square, square), (rng.randint(5, 9), rng.randint(2, 4)),
                 (rng.randint(2, 4), rng.randint(5, 8))]:
        _ce_question(ce, _probabilities(rng, n, k), _labels(rng, n, k))

    predict = Confirmation("test_predict_ce_output", "predict_ce_output").ask("predicted_ce_output",
                                                                               _predicted_line)

    one = Confirmation("test_softmax_ce_gradient", "softmax_ce_gradient")
    for k in (rng.randint(2, 3), rng.randint(4, 7), rng.randint(2, 7)):
        _gradient_question(one, _scores(rng, 1, k), _labels(rng, 1, k))
    batch = Confirmation("test_softmax_ce_gradient_batch", "softmax_ce_gradient")
    square = rng.randint(2, 5)
    for n, k in [(rng.randint(2, 4), rng.randint(5, 7)), (square, square), (rng.randint(5, 9), rng.randint(2, 4))]:
        _gradient_question(batch, _scores(rng, n, k), _labels(rng, n, k))

    quiz = Confirmation("test_quiz_mse_for_classes", "quiz_mse_for_classes").ask(
        "mse_for_classes_answer", choice("C", "mse_for_classes_answer"))

    acc = Confirmation("test_fix_accuracy", "fix_accuracy")
    square = rng.randint(3, 5)
    for n, k in [(rng.randint(5, 9), rng.randint(2, 4)), (square, square), (rng.randint(2, 4), rng.randint(5, 7)),
                 (rng.randint(8, 12), rng.randint(3, 5))]:
        _accuracy_question(acc, _probabilities(rng, n, k), _labels(rng, n, k))
    return [rows, large, ce, predict, one, batch, quiz, acc]
