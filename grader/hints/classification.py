"""Lesson 08's sealed hints: the quiz's key and texts, the predicted line's near misses, and the values the
named mistakes of ``softmax``, ``cross_entropy``, ``softmax_ce_gradient`` and ``accuracy`` give on the visible
checks' examples.

Each mistake is one knob of a small reference below, turned away from the right answer, so the value a
mistake produces is computed from the mistake itself (see grader/hints/__init__.py).
"""
import numpy as np

# The examples of the visible checks: the hints are about the values these give.
from course.exercises.classification import (
    ACCURACY_CASES,
    BATCH_CASES,
    CROSS_ENTROPY_CASES,
    LARGE_Z,
    ONE_ROW_CASES,
    SOFTMAX_CASES,
)

from . import named_mistakes


# ------------------------------------------------------------------ softmax
def softmax(Z, *, axis=1, shift="row", keepdims=True, divide_by="row", exp=True):
    """softmax with one knob turned to a mistake (all knobs at their defaults: the right answer).
    Returns None when the mistake raises (numpy cannot line the shapes up)."""
    Z = np.asarray(Z, dtype=float)
    with np.errstate(all="ignore"):
        try:
            if shift == "row":
                Z = Z - Z.max(axis=axis, keepdims=keepdims)
            elif shift == "all":
                Z = Z - Z.max()
            e = np.exp(Z) if exp else Z
            if divide_by == "all":
                return e / e.sum()
            return e / e.sum(axis=axis, keepdims=keepdims)
        except ValueError:
            return None


_NO_EXP = "leave out np.exp: softmax exponentiates the scores before dividing"
SOFTMAX_MISTAKES = [
    ({"axis": 0}, "take the max and the sum over axis 0, down each column, instead of along each row (axis=1): "
                  "then every column sums to 1, not every row"),
    ({"keepdims": False}, "leave out keepdims=True: the per-row numbers (shape (n,)) then line up with the "
                          "columns, so row i is shifted and divided by row j's numbers"),
    ({"divide_by": "all"}, "divide by the sum of the whole matrix instead of each row's own sum"),
    ({"exp": False}, _NO_EXP),
    ({"exp": False, "shift": "none"}, _NO_EXP),
    ({"shift": "none"}, "leave out the shift by each row's largest score, so np.exp(1000) overflows to inf "
                        "and inf / inf is nan"),
    ({"shift": "all"}, "shift by the largest score of the whole matrix instead of each row's own largest: a row "
                       "far below it turns into np.exp(-1000) = 0 everywhere, and 0 / 0 is nan"),
]


def _softmax_hints(Z):
    return named_mistakes(softmax(Z).tolist(), [(softmax(Z, **knobs), text) for knobs, text in SOFTMAX_MISTAKES])


# ------------------------------------------------------------------ cross_entropy
def cross_entropy(P, labels, *, pick="label", reduce="mean", sign=-1.0, log=np.log):
    P, labels = np.asarray(P, dtype=float), np.asarray(labels)
    n, k = P.shape
    if pick == "label":
        terms = log(P[np.arange(n), labels])
    elif pick == "columns":
        terms = log(P[:, labels])           # an (n, n) matrix
    elif pick == "largest":
        terms = log(P.max(axis=1))
    elif pick == "all":
        terms = log(P)
    else:  # "one_hot": the n * k terms of Y * log(P)
        terms = np.eye(k)[labels] * log(P)
    total = sign * terms
    return float(total.sum() if reduce == "sum" else total.mean())


CE_MISTAKES = [
    ({"reduce": "sum"}, "add the rows' losses up instead of taking their mean"),
    ({"pick": "columns"}, "write P[:, labels], which takes EVERY row at every label's column (an n x n matrix), "
                          "instead of one entry per row, P[i, labels[i]]"),
    ({"pick": "largest"}, "take -log of each row's largest probability instead of the probability at its label"),
    ({"pick": "all"}, "average -log over every entry of P instead of only each row's entry at its label"),
    ({"pick": "one_hot"}, "average -Y * log(P) over all n * k entries instead of summing each row and averaging "
                          "over the n rows"),
    ({"sign": 1.0}, "leave out the minus sign: log of a probability is negative, -log makes the loss positive"),
    ({"log": np.log10}, "use np.log10; cross-entropy uses the natural logarithm, np.log"),
    ({"log": np.log2}, "use np.log2; cross-entropy here uses the natural logarithm, np.log"),
]


def _ce_hints(P, labels):
    attempts = [(cross_entropy(P, labels, **knobs), text) for knobs, text in CE_MISTAKES]
    return named_mistakes(cross_entropy(P, labels), attempts)


# ------------------------------------------------------------------ softmax_ce_gradient
def gradient(Z, labels, *, targets="one_hot", sign=1.0, divide_by="n", softmax_axis=1):
    Z, labels = np.asarray(Z, dtype=float), np.asarray(labels)
    n, k = Z.shape
    P = softmax(Z, axis=softmax_axis)
    try:
        if targets == "one_hot":
            Y = np.eye(k)[labels]
        elif targets == "column":
            Y = labels[:, None]
        elif targets == "row":
            Y = labels[None, :]
        elif targets == "transposed":
            Y = np.eye(k)[:, labels]
        else:  # "none"
            Y = 0.0
        D = sign * (P - Y)
    except ValueError:
        return None
    if D.shape != (n, k):
        return None
    return D / {"n": n, "none": 1, "k": k, "nk": n * k}[divide_by]


GRADIENT_MISTAKES = [
    ({"divide_by": "none"}, "leave out the division by n: the loss is the MEAN over the rows, so each row's "
                            "p - y counts 1/n"),
    ({"divide_by": "k"}, "divide by k, the number of classes (or by n * k, the number of entries), instead of n, "
                         "the number of examples"),
    ({"divide_by": "nk"}, "divide by n * k, the number of entries, instead of n, the number of examples"),
    ({"sign": -1.0}, "flip the sign, writing Y - P: the right class's score should get p - 1, a negative number"),
    ({"targets": "column"}, "subtract the label numbers themselves from P (labels[:, None]) instead of one-hot "
                            "rows: label 2 takes 2 away from every entry of its row"),
    ({"targets": "row"}, "subtract the label numbers themselves from P instead of one-hot rows: numpy lines "
                         "labels up with the columns, so every row loses the same numbers"),
    ({"targets": "transposed"}, "build the one-hot matrix the wrong way round (np.eye(k)[:, labels] is its "
                                "transpose): row i of Y needs its 1 in column labels[i]"),
    ({"targets": "none"}, "leave out Y: the gradient is P minus the one-hot rows of the labels"),
    ({"softmax_axis": 0}, "compute the softmax down the columns (axis 0) instead of along each row"),
]


def _gradient_hints(Z, labels):
    attempts = [(gradient(Z, labels, **knobs), text) for knobs, text in GRADIENT_MISTAKES]
    return named_mistakes(gradient(Z, labels).tolist(), attempts)


# ------------------------------------------------------------------ accuracy
def accuracy(P, labels, *, axis=1, reduce="mean", pick="argmax"):
    P, labels = np.asarray(P, dtype=float), np.asarray(labels)
    try:
        if pick == "argmax":
            predicted = np.argmax(P, axis=axis)
        elif pick == "flat":
            predicted = np.argmax(P)
        else:  # "max": the largest probability itself
            predicted = np.max(P, axis=1)
        right = predicted == labels
    except ValueError:
        return None
    return float(right.sum() if reduce == "sum" else right.mean())


_NOT_A_CLASS = ("compare the labels with something other than one class per row: np.argmax of the whole matrix "
                "(no axis) is one position in the flattened array, and np.max gives the largest probability itself, "
                "not its column")
ACCURACY_MISTAKES = [
    ({"axis": 0}, "take the argmax over axis 0, down each column: that gives one row number per class, not one "
                  "class per example"),
    ({"pick": "flat"}, _NOT_A_CLASS),
    ({"pick": "max"}, _NOT_A_CLASS),
    ({"reduce": "sum"}, "count the rows that are right instead of taking the fraction (the mean)"),
]


def _accuracy_hints(P, labels):
    attempts = [(accuracy(P, labels, **knobs), text) for knobs, text in ACCURACY_MISTAKES]
    return named_mistakes(accuracy(P, labels), attempts)


# ------------------------------------------------------------------ predict_ce_output
# The code: P = [[0.50, 0.25, 0.25], [0.25, 0.50, 0.25]], labels = [0, 2], print(f"cross-entropy: {ce:.4f}").
# Keys are what the student types (case and spaces do not matter).
_PREFIX = "The f-string prints some text before the number: type the whole line."
_FORMAT = "Right number, wrong printing: the format :.4f always shows exactly four digits after the point."
PREDICTED_LINE = [
    ("cross-entropy: 1.0397", "right", "Right: -log 0.5 = 0.6931 for row 0 and -log 0.25 = 1.3863 for row 1, "
                                       "and their mean is 1.0397."),
    ("cross-entropy: 2.0794", "wrong", "That is the total of the two rows' losses: cross_entropy takes their mean."),
    ("2.0794", "wrong", "That is the total of the two rows' losses: cross_entropy takes their mean. " + _PREFIX),
    ("cross-entropy: -1.0397", "wrong", "A probability's log is negative, and the function takes -log: the loss "
                                        "is positive."),
    ("cross-entropy: 0.6931", "wrong", "That is -log 0.5 for both rows, but row 1's label is 2: look at column 2 "
                                       "of row 1."),
    ("cross-entropy: 1.3863", "wrong", "That is one row's loss only (or both at 0.25): row 0's label is 0, and "
                                       "the function averages the two rows."),
    ("cross-entropy: 1.2130", "wrong", "That is the mean over a 2 x 2 block of P[:, labels], but the function "
                                       "takes one entry per row, P[i, labels[i]]."),
    ("cross-entropy: 1.1552", "wrong", "That is the mean -log of all six entries, but the function takes only "
                                       "each row's entry at its label."),
    ("cross-entropy: 0.3466", "wrong", "That is the average over all six entries of -Y * log(P); the function "
                                       "averages over the two rows."),
    ("cross-entropy: 0.4515", "wrong", "That uses log base 10; np.log is the natural logarithm, as in the table."),
    ("cross-entropy: 1.04", "wrong", _FORMAT),
    ("cross-entropy: 1.040", "wrong", _FORMAT),
    ("cross-entropy: 1.0", "wrong", _FORMAT),
    ("1.0397", "wrong", _PREFIX),
    ("cross-entropy 1.0397", "wrong", "Almost: the f-string prints a colon after cross-entropy."),
    ("crossentropy: 1.0397", "wrong", "Almost: the f-string writes cross-entropy with a hyphen."),
    ("cross entropy: 1.0397", "wrong", "Almost: the f-string writes cross-entropy with a hyphen."),
]

QUIZ = [
    ("C", "right", "Right: a sure softmax is flat, and MSE of the probabilities inherits that flatness; the log in "
                   "cross-entropy cancels it, so its gradient P - Y is biggest exactly when the mistake is."),
    ("A", "wrong", "With one-hot rows Y, MSE compares probabilities with 0s and 1s without any trouble (the widget "
                   "trains with it). The question is how well each loss pushes."),
    ("B", "wrong", "It is the other way round: MSE compares every probability with its 0 or 1, while "
                   "cross-entropy reads only the right class's probability."),
    ("D", "wrong", "The table says the opposite: for a sure, wrong answer cross-entropy is far larger than MSE "
                   "(8.0 against 0.67), and so is its slope."),
]

HINTS = {
    **{f"softmax:{case}": _softmax_hints(Z) for case, Z, _, _ in SOFTMAX_CASES},
    "softmax:large": _softmax_hints(LARGE_Z),
    **{f"cross_entropy:{case}": _ce_hints(P, labels) for case, P, labels, _, _ in CROSS_ENTROPY_CASES},
    "predict_ce_output": PREDICTED_LINE,
    **{f"softmax_ce_gradient:{case}": _gradient_hints(Z, labels)
       for case, Z, labels, _, _ in [*ONE_ROW_CASES, *BATCH_CASES]},
    "quiz_mse_for_classes": QUIZ,
    **{f"fix_accuracy:{case}": _accuracy_hints(P, labels) for case, P, labels, _, _ in ACCURACY_CASES},
}
