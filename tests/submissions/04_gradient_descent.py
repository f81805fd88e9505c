"""Submission variants for 04_gradient_descent: right answers written differently, each named mistake,
and answers hard-coded to the visible tests' expected values. Test cells not listed score full points."""

UPDATE_OK_SWAPPED = '''def update(weight, gradient, lr):
    return weight - gradient * lr
'''
UPDATE_NUMPY = '''import numpy as np


def update(weight, gradient, lr):
    return np.subtract(weight, np.multiply(lr, gradient))
'''
UPDATE_PLUS = '''def update(weight, gradient, lr):
    return weight + lr * gradient
'''
UPDATE_NO_LR = '''def update(weight, gradient, lr):
    return weight - gradient
'''
UPDATE_LR_TIMES_WEIGHT = '''def update(weight, gradient, lr):
    return weight - lr * weight
'''
UPDATE_HARD_CODED = '''def update(weight, gradient, lr):
    return {(0.3, -1.65, 0.1): 0.465, (2.0, 4.0, 0.25): 1.0}.get((weight, gradient, lr), weight)
'''

STEP_TARGET_MINUS_OUTPUT = '''def train_step(w, x, target, lr):
    grad_uphill_negated = 2 * (target - w * x) * x
    return w + lr * grad_uphill_negated
'''
STEP_USES_UPDATE = '''def train_step(w, x, target, lr):
    return update(w, 2.0 * (w * x - target) * x, lr)
'''
STEP_BUGGY = '''def train_step(w, x, target, lr):
    output = w * x
    grad = 2 * (output - target) * x
    # apply the gradient descent update
    w = w + lr * grad
    return w
'''
STEP_NO_X = '''def train_step(w, x, target, lr):
    output = w * x
    grad = 2 * (output - target)
    w = w - lr * grad
    return w
'''
STEP_NO_LR = '''def train_step(w, x, target, lr):
    output = w * x
    grad = 2 * (output - target) * x
    return w - grad
'''
STEP_HARD_CODED = '''def train_step(w, x, target, lr):
    known = {(0.3, 1.5, 1.0, 0.1): 0.465, (1.0, 2.0, 1.0, 0.1): 0.6, (0.9, 0.8, 2.0, 0.05): 1.0}
    return known.get((w, x, target, lr), w)
'''

VARIANTS = {
    "written_differently": {
        "answers": {"update_rule": UPDATE_OK_SWAPPED, "fix_train_step": STEP_TARGET_MINUS_OUTPUT,
                    "quiz_diverging_lr": 'diverging_lr_answer = " d "\n', "explore_max_lr": "max_stable_lr = 0.25\n"},
        "scores": {},
    },
    "numpy_and_reuse": {
        "answers": {"update_rule": UPDATE_NUMPY, "fix_train_step": STEP_USES_UPDATE,
                    "quiz_diverging_lr": "diverging_lr_answer = 'D'\n",
                    "explore_max_lr": "max_stable_lr = 1 / 2.0 ** 2\n"},
        "scores": {},
    },
    "update_sign_flipped": {"answers": {"update_rule": UPDATE_PLUS}, "scores": {"test_update_rule": 0}},
    "update_no_lr": {"answers": {"update_rule": UPDATE_NO_LR}, "scores": {"test_update_rule": 0}},
    "update_lr_times_weight": {"answers": {"update_rule": UPDATE_LR_TIMES_WEIGHT}, "scores": {"test_update_rule": 0}},
    "bug_not_fixed": {"answers": {"fix_train_step": STEP_BUGGY}, "scores": {"test_fix_train_step": 0}},
    "step_gradient_without_x": {"answers": {"fix_train_step": STEP_NO_X}, "scores": {"test_fix_train_step": 0}},
    "step_no_lr": {"answers": {"fix_train_step": STEP_NO_LR}, "scores": {"test_fix_train_step": 0}},
    "quiz_bounce_not_explode": {"answers": {"quiz_diverging_lr": 'diverging_lr_answer = "C"\n'},
                                "scores": {"test_quiz_diverging_lr": 0}},
    "quiz_placeholder": {"answers": {"quiz_diverging_lr": 'diverging_lr_answer = "?"\n'},
                         "scores": {"test_quiz_diverging_lr": 0}},
    "explore_no_bounce_limit": {"answers": {"explore_max_lr": "max_stable_lr = 0.125\n"},
                                "scores": {"test_explore_max_lr": 0}},
    "explore_limit_of_x_1_5": {"answers": {"explore_max_lr": "max_stable_lr = 0.444\n"},
                               "scores": {"test_explore_max_lr": 0}},
    "explore_too_far": {"answers": {"explore_max_lr": "max_stable_lr = 0.3\n"},
                        "scores": {"test_explore_max_lr": 0}},
    # The boundary is 0.25, accepted within one slider step (0.005) on either side.
    "explore_low_edge": {"answers": {"explore_max_lr": "max_stable_lr = 0.245\n"}, "scores": {}},
    "explore_high_edge": {"answers": {"explore_max_lr": "max_stable_lr = 0.255\n"}, "scores": {}},
    "explore_still_converges": {"answers": {"explore_max_lr": "max_stable_lr = 0.24\n"},
                                "scores": {"test_explore_max_lr": 0}},
    "explore_diverges": {"answers": {"explore_max_lr": "max_stable_lr = 0.26\n"},
                         "scores": {"test_explore_max_lr": 0}},
    "explore_string": {"answers": {"explore_max_lr": 'max_stable_lr = "0.25"\n'},
                       "scores": {"test_explore_max_lr": 0}},
    "hard_coded": {
        "answers": {"update_rule": UPDATE_HARD_CODED, "fix_train_step": STEP_HARD_CODED},
        "scores": {"test_update_rule": 0, "test_fix_train_step": 0},
    },
}

# Every answer cell's code at once, each answer wrong: the grader must confirm none
# (tests/grader/test_confirm.py).
ALL_WRONG = ("def update(weight, gradient, lr):\n"
             "    return weight + lr * gradient\n"
             "def train_step(w, x, target, lr):\n"
             "    return w + lr * 2 * (w * x - target) * x\n"
             "diverging_lr_answer = 'A'\n"
             "max_stable_lr = 0.5")
