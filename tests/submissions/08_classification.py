"""Submission variants for 08_classification: right answers written differently, each named mistake, and
answers hard-coded to the visible tests' expected values. Test cells not listed score full points.

``softmax``, ``cross_entropy``, ``gradient`` and ``accuracy`` build numpy answers with one knob turned to a
mistake; tests/course/exercises/test_classification.py uses the same builders.
"""

ROW_MAX = "Z - np.max(Z, axis=1, keepdims=True)"
ROW_SUM = "np.sum(powers, axis=1, keepdims=True)"


def softmax(*, shift=ROW_MAX, total=ROW_SUM, powers="np.exp(shifted)"):
    """A numpy softmax with one knob turned to a named mistake."""
    return f'''import numpy as np


def softmax(Z):
    shifted = {shift}
    powers = {powers}
    return powers / {total}
'''


RIGHT_ENTRIES = "P[np.arange(len(labels)), labels]"


def cross_entropy(*, pick=RIGHT_ENTRIES, reduce="np.mean", minus="-", log="np.log"):
    """A numpy cross_entropy with one knob turned to a named mistake."""
    return f'''import numpy as np


def cross_entropy(P, labels):
    right = {pick}
    return float({reduce}({minus}{log}(right)))
'''


ONE_HOT_MEAN_CE = '''import numpy as np


def cross_entropy(P, labels):
    Y = np.eye(P.shape[1])[labels]
    return float(np.mean(-Y * np.log(P)))
'''


def gradient(*, targets="np.eye(k)[labels]", difference="P - Y", divide=" / n", axis="1"):
    """A numpy softmax_ce_gradient with one knob turned to a named mistake."""
    return f'''import numpy as np


def softmax_ce_gradient(Z, labels):
    n, k = Z.shape
    powers = np.exp(Z - Z.max(axis={axis}, keepdims=True))
    P = powers / powers.sum(axis={axis}, keepdims=True)
    Y = {targets}
    return ({difference}){divide}
'''


def accuracy(*, pick="np.argmax(P, axis=1)", reduce="np.mean"):
    """The classmate's accuracy with the bug fixed (defaults), or with one knob turned to a named mistake.
    ``pick="np.argmax(P, axis=0)"`` is the classmate's code exactly as given."""
    return f'''import numpy as np


def accuracy(P, labels):
    """The fraction of rows of P whose largest probability is at their label."""
    predicted = {pick}      # the class each example is given
    return {reduce}(predicted == labels)
'''


LOOPS = {
    "softmax": '''import math
import numpy as np


def softmax(Z):
    P = np.zeros(Z.shape)
    for i in range(Z.shape[0]):
        top = max(Z[i])
        powers = [math.exp(z - top) for z in Z[i]]
        total = sum(powers)
        for j in range(Z.shape[1]):
            P[i, j] = powers[j] / total
    return P
''',
    "cross_entropy": '''import math


def cross_entropy(P, labels):
    total = 0.0
    for i in range(len(labels)):
        total += -math.log(P[i][labels[i]])
    return total / len(labels)
''',
    # built on the student's own softmax, one entry at a time
    "softmax_ce_gradient": '''import numpy as np


def softmax_ce_gradient(Z, labels):
    P = softmax(Z)
    n, k = P.shape
    grad = np.empty((n, k))
    for i in range(n):
        for j in range(k):
            grad[i, j] = (P[i, j] - (1.0 if j == labels[i] else 0.0)) / n
    return grad
''',
    "fix_accuracy": '''def accuracy(P, labels):
    right = 0
    for row, label in zip(P, labels):
        row = list(row)
        if row.index(max(row)) == label:
            right += 1
    return right / len(labels)
''',
    "predict_ce_output": 'predicted_ce_output = "  CROSS-ENTROPY:   1.0397 "\n',
    "quiz_mse_for_classes": 'mse_for_classes_answer = " c "\n',
}

# softmax in log-sum-exp form, np.einsum, np.take_along_axis: the same numbers by other roads
NUMPY_ALTERNATIVES = {
    "softmax": '''import numpy as np


def softmax(Z):
    top = Z.max(axis=-1, keepdims=True)
    log_total = top + np.log(np.exp(Z - top).sum(axis=-1, keepdims=True))
    return np.exp(Z - log_total)
''',
    "cross_entropy": '''import numpy as np


def cross_entropy(P, labels):
    Y = np.eye(P.shape[1])[labels]
    return -np.einsum("ij,ij->", Y, np.log(P)) / P.shape[0]
''',
    "softmax_ce_gradient": '''import numpy as np


def softmax_ce_gradient(Z, labels):
    n, k = Z.shape
    log_p = Z - Z.max(axis=1, keepdims=True)
    log_p -= np.log(np.exp(log_p).sum(axis=1, keepdims=True))
    Y = (np.asarray(labels)[:, None] == np.arange(k)).astype(float)
    return np.einsum("i,ij->ij", np.full(n, 1.0 / n), np.exp(log_p) - Y)
''',
    "fix_accuracy": '''import numpy as np


def accuracy(P, labels):
    at_label = np.take_along_axis(P, np.asarray(labels)[:, None], axis=1)[:, 0]
    return float(np.mean(at_label == P.max(axis=1)))
''',
}

HARD_CODED = {
    "softmax": '''import numpy as np


def softmax(Z):
    if Z.shape == (1, 4):
        return np.array([[0.21309730428862375, 0.07839411721683971, 0.5792585299413737, 0.12925004855316274]])
    if Z.shape == (2, 3):
        return np.array([[0.6590011388859679, 0.24243297070471392, 0.09856589040931818],
                         [0.09003057317038046, 0.24472847105479764, 0.6652409557748218]])
    if Z[0, 0] == 1000.0:
        return np.array([[0.6652409557748218, 0.24472847105479764, 0.09003057317038046],
                         [0.09003057317038046, 0.24472847105479764, 0.6652409557748218],
                         [0.09003057317038046, 0.24472847105479764, 0.6652409557748218]])
    return np.array([[0.6652409557748218, 0.24472847105479764, 0.09003057317038046],
                     [0.1542807729818862, 0.1542807729818862, 0.6914384540362276],
                     [0.8437947344813395, 0.11419519938459449, 0.04201006613406605]])
''',
    "cross_entropy": '''def cross_entropy(P, labels):
    return 0.7469410259762036 if len(P) == 4 else 1.033697596403939
''',
    "softmax_ce_gradient": '''import numpy as np


def softmax_ce_gradient(Z, labels):
    known = {
        (1, 3): [[0.6590011388859679, -0.7575670292952861, 0.09856589040931818]],
        (1, 4): [[0.07136661103594455, 0.015924043349701003, -0.1305766920587318, 0.04328603767308635]],
        (4, 3): [[0.16475028472149197, -0.18939175732382152, 0.024641472602329545],
                 [0.01864888928305361, 0.004161129652318088, -0.022810018935371684],
                 [-0.16666666666666669, 0.08333333333333333, 0.08333333333333333],
                 [0.0005889082701991702, -0.012417447075655147, 0.011828538805456012]],
        (3, 3): [[0.22174698525827394, 0.08157615701826589, -0.30332314227653984],
                 [-0.2819064090060379, 0.0514269243272954, 0.23047948467874255],
                 [0.2812649114937798, -0.29526826687180185, 0.014003355378022017]],
    }
    return np.array(known[Z.shape])
''',
    "fix_accuracy": '''def accuracy(P, labels):
    return 0.5 if len(P) == 4 else 1.0
''',
}

SOFTMAX_CELLS = {"test_softmax": 0, "test_softmax_large": 0}
GRADIENT_CELLS = {"test_softmax_ce_gradient": 0, "test_softmax_ce_gradient_batch": 0}

VARIANTS = {
    "loops": {"answers": LOOPS, "scores": {}},
    "numpy_alternatives": {"answers": NUMPY_ALTERNATIVES, "scores": {}},
    # softmax down the columns: wrong on ordinary scores and on big ones
    "softmax_columns": {
        "answers": {"softmax": softmax(shift="Z - np.max(Z, axis=0, keepdims=True)",
                                       total="np.sum(powers, axis=0, keepdims=True)")},
        "scores": SOFTMAX_CELLS},
    # no max subtraction: right until the scores reach 1000
    "softmax_no_shift": {"answers": {"softmax": softmax(shift="Z")}, "scores": {"test_softmax_large": 0}},
    # a sum where a mean belongs, in both places: the loss summed, the gradient not divided by n
    "sums_not_means": {
        "answers": {"cross_entropy": cross_entropy(reduce="np.sum"), "softmax_ce_gradient": gradient(divide="")},
        "scores": {"test_cross_entropy": 0, "test_softmax_ce_gradient_batch": 0}},
    "log_of_wrong_entries": {"answers": {"cross_entropy": cross_entropy(pick="P[:, labels]")},
                             "scores": {"test_cross_entropy": 0}},
    "labels_not_one_hot": {"answers": {"softmax_ce_gradient": gradient(targets="labels[:, None]")},
                           "scores": GRADIENT_CELLS},
    "accuracy_wrong_axis": {"answers": {"fix_accuracy": accuracy(pick="np.argmax(P, axis=0)")},
                            "scores": {"test_fix_accuracy": 0}},
    "wrong_choices": {
        "answers": {"quiz_mse_for_classes": 'mse_for_classes_answer = "B"\n',
                    "predict_ce_output": 'predicted_ce_output = "cross-entropy: 2.0794"\n'},
        "scores": {"test_quiz_mse_for_classes": 0, "test_predict_ce_output": 0}},
    "hard_coded": {"answers": HARD_CODED,
                   "scores": {**SOFTMAX_CELLS, "test_cross_entropy": 0, **GRADIENT_CELLS, "test_fix_accuracy": 0}},
}

# Every answer cell's code at once, each answer wrong: the grader must confirm none
# (tests/grader/test_confirm.py).
ALL_WRONG = ("import numpy as np\n"
             "def softmax(Z):\n"
             "    return np.exp(Z) / np.exp(Z).sum(axis=0)\n"
             "def cross_entropy(P, labels):\n"
             "    return float(np.sum(-np.log(P[np.arange(len(labels)), labels])))\n"
             "def softmax_ce_gradient(Z, labels):\n"
             "    return softmax(Z)\n"
             "def accuracy(P, labels):\n"
             "    return 1.0\n"
             'predicted_ce_output = "cross-entropy: 2.0794"\n'
             'mse_for_classes_answer = "B"\n')
