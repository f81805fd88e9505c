"""Submissions of 03_backpropagation: how each answer, right or wrong, must score."""

CHAIN_BOTH = {"test_chain_gradients_w1": 0, "test_chain_gradients_w2": 0}


def _chain(grad_w1, grad_w2):
    """A chain_gradients returning the given expressions (in terms of e = output - target, h, w1, w2, x)."""
    return ("def chain_gradients(w1, w2, x, target):\n"
            "    h = w1 * x\n"
            "    e = w2 * h - target\n"
            f"    return {grad_w1}, {grad_w2}\n")


def _weight(expression):
    return f"def weight_gradient(w, x, target):\n    return {expression}\n"


def _numerical(signature, expression):
    return f"def numerical_gradient({signature}):\n    return {expression}\n"


VARIANTS = {
    "numpy_style": {
        "answers": {
            "weight_gradient": (
                "import numpy as np\n\n"
                "def weight_gradient(w, x, target):\n"
                "    return np.float64(2.0) * x * x * w - 2.0 * x * target   # expanded, same slope\n"),
            "numerical_gradient": (
                "import numpy as np\n\n"
                "def numerical_gradient(func, point, eps=0.000001):\n"
                "    above, below = func(point + eps), func(point - eps)\n"
                "    return np.divide(above - below, 2 * eps)\n"),
            "chain_gradients": (
                "import numpy as np\n\n"
                "def chain_gradients(w1, w2, x, target):\n"
                "    hidden = w1 * x\n"
                "    blame_out = 2 * (w2 * hidden - target)\n"
                "    return np.array([blame_out * w2 * x, blame_out * hidden])\n"),
            "quiz_negative_gradient": 'negative_gradient_answer = "  d "',
        },
        "scores": {},
    },
    "other_names_and_forms": {
        "answers": {
            "weight_gradient": (
                "def weight_gradient(weight, inp, goal):\n"
                "    miss = weight * inp - goal\n"
                "    return -2 * inp * (goal - weight * inp) if miss else 0.0\n"),
            "numerical_gradient": (
                "def numerical_gradient(f, w, eps=1e-6):\n"
                "    return (f(w + eps) - f(w - eps)) / eps / 2\n"),
            "chain_gradients": (
                "def chain_gradients(a, b, x, t):\n"
                "    out = a * b * x\n"
                "    return [2 * (out - t) * b * x, 2 * (out - t) * a * x]\n"),
            "quiz_negative_gradient": "negative_gradient_answer = 'd'",
        },
        "scores": {},
    },
    "weight_lost_factor_two": {
        "answers": {"weight_gradient": _weight("(w * x - target) * x")},
        "scores": {"test_weight_gradient": 0},
    },
    "weight_lost_factor_x": {
        "answers": {"weight_gradient": _weight("2 * (w * x - target)")},
        "scores": {"test_weight_gradient": 0},
    },
    "weight_flipped_sign": {
        "answers": {"weight_gradient": _weight("2 * (target - w * x) * x")},
        "scores": {"test_weight_gradient": 0},
    },
    "weight_hard_coded": {
        "answers": {"weight_gradient": (
            "def weight_gradient(w, x, target):\n"
            "    return {(2.0, 3.0, 5.0): 6.0, (0.3, 1.5, 1.0): -1.65}.get((w, x, target), 0.0)\n")},
        "scores": {"test_weight_gradient": 0},
    },
    "forward_difference": {
        "answers": {"numerical_gradient": _numerical("f, w, eps=1e-6", "(f(w + eps) - f(w)) / eps")},
        "scores": {"test_numerical_gradient": 0},
    },
    "divides_by_eps": {
        "answers": {"numerical_gradient": _numerical("f, w, eps=1e-6", "(f(w + eps) - f(w - eps)) / eps")},
        "scores": {"test_numerical_gradient": 0},
    },
    "ignores_eps": {
        "answers": {"numerical_gradient": _numerical("f, w, eps=1e-6", "(f(w + 1e-6) - f(w - 1e-6)) / 2e-6")},
        "scores": {"test_numerical_gradient": 0},
    },
    "wrong_default_eps": {
        "answers": {"numerical_gradient": _numerical("f, w, eps=1e-4", "(f(w + eps) - f(w - eps)) / (2 * eps)")},
        "scores": {"test_numerical_gradient": 0},
    },
    "numerical_hard_coded": {
        "answers": {"numerical_gradient": (
            "def numerical_gradient(f, w, eps=1e-6):\n"
            "    return 12.01 if w == 2.0 else -1.65\n")},
        "scores": {"test_numerical_gradient": 0},
    },
    "chain_lost_factor_two": {
        "answers": {"chain_gradients": _chain("e * w2 * x", "e * h")},
        "scores": CHAIN_BOTH,
    },
    "chain_lost_factor_x": {
        "answers": {"chain_gradients": _chain("2 * e * w2", "2 * e * w1")},
        "scores": CHAIN_BOTH,
    },
    "chain_lost_w2_on_w1": {
        # dL/dw2 is right; dL/dw1 skips the middle link.
        "answers": {"chain_gradients": _chain("2 * e * x", "2 * e * h")},
        "scores": {"test_chain_gradients_w1": 0},
    },
    "chain_flipped_sign": {
        "answers": {"chain_gradients": _chain("-2 * e * w2 * x", "-2 * e * h")},
        "scores": CHAIN_BOTH,
    },
    "chain_swapped_order": {
        "answers": {"chain_gradients": _chain("2 * e * h", "2 * e * w2 * x")},
        "scores": CHAIN_BOTH,
    },
    "chain_hard_coded": {
        "answers": {"chain_gradients": (
            "def chain_gradients(w1, w2, x, target):\n"
            "    return (48.0, -12.0) if (w1, w2, x, target) == (0.5, -2.0, 3.0, 1.0) else (8.0, 4.0)\n")},
        "scores": CHAIN_BOTH,
    },
    "wrong_quiz_letter": {
        "answers": {"quiz_negative_gradient": 'negative_gradient_answer = "A"'},
        "scores": {"test_quiz_negative_gradient": 0},
    },
}

# Every answer cell's code at once, each answer wrong: the grader must confirm none
# (tests/grader/test_confirm.py).
ALL_WRONG = ("def weight_gradient(w, x, target):\n"
             "    return (w * x - target) * x\n"
             "def numerical_gradient(f, w, eps=1e-5):\n"
             "    return (f(w + eps) - f(w)) / eps\n"
             "def chain_gradients(w1, w2, x, target):\n"
             "    return (1.0, 2.0)\n"
             "negative_gradient_answer = 'A'")
