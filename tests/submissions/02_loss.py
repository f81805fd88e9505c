"""Submissions of 02_loss: how each answer, right or wrong, must score."""


def _mse(body, checks=True):
    """An mse_loss whose arithmetic is ``body`` (using p, t), with or without the input checks."""
    guard = (
        "    if len(predictions) == 0 or len(targets) == 0:\n"
        "        raise ValueError('mse_loss needs at least one example')\n"
        "    if len(predictions) != len(targets):\n"
        "        raise ValueError('mse_loss needs one target per prediction')\n") if checks else ""
    return "import math\n\ndef mse_loss(predictions, targets):\n" + guard + body


VARIANTS = {
    "numpy_style": {
        "answers": {
            "mse_loss": (
                "import numpy as np\n\n"
                "def mse_loss(predictions, targets):\n"
                "    p = np.asarray(predictions, dtype=float)\n"
                "    t = np.asarray(targets, dtype=float)\n"
                "    if p.size == 0 or t.size == 0:\n"
                "        raise ValueError('cannot average over zero examples')\n"
                "    if p.shape != t.shape:\n"
                "        raise ValueError(f'shapes differ: {p.shape} predictions vs {t.shape} targets')\n"
                "    return np.mean((p - t) ** 2)\n"),
            "predict_mse_output": 'predicted_output = "  loss:   0.1250 "',
            "quiz_why_square": 'why_square_answer = " c "',
        },
        "scores": {},
    },
    "fsum_other_names": {
        "answers": {
            "mse_loss": (
                "import math\n\n"
                "def mse_loss(guesses, answers):\n"
                "    guesses, answers = list(guesses), list(answers)\n"
                "    if not guesses or not answers:\n"
                "        raise ValueError('empty input: there is nothing to average')\n"
                "    if len(guesses) != len(answers):\n"
                "        raise ValueError('predictions and targets must have the same length')\n"
                "    return math.fsum((g - a) * (g - a) for g, a in zip(guesses, answers)) / len(guesses)\n"),
            "predict_mse_output": "predicted_output = 'LOSS:0.1250\\n'",
            "quiz_why_square": "why_square_answer = 'c'",
        },
        "scores": {},
    },
    "warns_on_stderr": {
        # A correct answer that emits a warning must not be zeroed by it.
        "answers": {
            "mse_loss": _mse(
                "    import warnings\n"
                "    warnings.warn('this loop is slow', RuntimeWarning)\n"
                "    return sum((p - t) ** 2 for p, t in zip(predictions, targets)) / len(predictions)\n"),
        },
        "scores": {},
    },
    "sum_not_mean": {
        "answers": {"mse_loss": _mse("    return sum((p - t) ** 2 for p, t in zip(predictions, targets))\n")},
        "scores": {"test_mse_loss": 0},
    },
    "absolute_not_squared": {
        "answers": {"mse_loss": _mse(
            "    return sum(abs(p - t) for p, t in zip(predictions, targets)) / len(predictions)\n")},
        "scores": {"test_mse_loss": 0},
    },
    "root_mean_square": {
        "answers": {"mse_loss": _mse(
            "    return math.sqrt(sum((p - t) ** 2 for p, t in zip(predictions, targets)) / len(predictions))\n")},
        "scores": {"test_mse_loss": 0},
    },
    "zip_truncates": {
        # Checks for empty input only: zip silently drops the extra predictions.
        "answers": {"mse_loss": (
            "def mse_loss(predictions, targets):\n"
            "    if not predictions:\n"
            "        raise ValueError('no predictions given')\n"
            "    pairs = list(zip(predictions, targets))\n"
            "    return sum((p - t) ** 2 for p, t in pairs) / len(pairs)\n")},
        "scores": {"test_mse_loss_errors": 0},
    },
    "no_checks": {
        # Empty input raises ZeroDivisionError, unequal lengths are silently truncated.
        "answers": {"mse_loss": _mse(
            "    return sum((p - t) ** 2 for p, t in zip(predictions, targets)) / len(predictions)\n",
            checks=False)},
        "scores": {"test_mse_loss_errors": 0},
    },
    "numpy_no_checks": {
        # numpy refuses 3-vs-2 by itself, but broadcasts 1-vs-3 and averages [] to nan (with a warning).
        "answers": {"mse_loss": (
            "import numpy as np\n\n"
            "def mse_loss(predictions, targets):\n"
            "    return float(np.mean((np.array(predictions) - np.array(targets)) ** 2))\n")},
        "scores": {"test_mse_loss_errors": 0},
    },
    "error_without_message": {
        "answers": {"mse_loss": (
            "def mse_loss(predictions, targets):\n"
            "    if len(predictions) == 0 or len(predictions) != len(targets):\n"
            "        raise ValueError()\n"
            "    return sum((p - t) ** 2 for p, t in zip(predictions, targets)) / len(predictions)\n")},
        "scores": {"test_mse_loss_errors": 0},
    },
    "hard_coded": {
        "answers": {"mse_loss": _mse(
            "    known = {3: 0.1158, 4: 1.5625}\n"
            "    return known.get(len(predictions), 0.0)\n")},
        "scores": {"test_mse_loss": 0},
    },
    "predicted_sum": {
        "answers": {"predict_mse_output": 'predicted_output = "Loss: 0.2500"'},
        "scores": {"test_predict_mse_output": 0},
    },
    "predicted_short_format": {
        "answers": {"predict_mse_output": 'predicted_output = "Loss: 0.125"'},
        "scores": {"test_predict_mse_output": 0},
    },
    "predicted_number_only": {
        "answers": {"predict_mse_output": 'predicted_output = "0.1250"'},
        "scores": {"test_predict_mse_output": 0},
    },
    "predicted_not_a_string": {
        "answers": {"predict_mse_output": "predicted_output = 0.125"},
        "scores": {"test_predict_mse_output": 0},
    },
    "wrong_quiz_letter": {
        "answers": {"quiz_why_square": 'why_square_answer = "B"'},
        "scores": {"test_quiz_why_square": 0},
    },
    "quiz_not_a_string": {
        "answers": {"quiz_why_square": "why_square_answer = 3"},
        "scores": {"test_quiz_why_square": 0},
    },
}

# Every answer cell's code at once, each answer wrong: the grader must confirm none
# (tests/grader/test_confirm.py).
ALL_WRONG = ("def mse_loss(p, t):\n"
             "    return sum((a - b) ** 2 for a, b in zip(p, t))\n"
             "predicted_output = 'Loss: 0.25'\n"
             "why_square_answer = 'A'")
