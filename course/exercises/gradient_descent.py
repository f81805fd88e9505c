"""Visible checks of lesson 04: the update rule, the find-the-bug step, the quiz and the exploration."""
from ..checks import (
    answer,
    apart,
    as_number,
    check_choice_answer,
    check_close,
    check_sealed,
    check_true,
    close,
    fail,
    last_source_defining,
    number_answer,
    passed,
    pinned,
    reveal,
    shown,
    statements,
    user_namespace,
)

# (seal id, call as the student reads it, arguments, expected value, hint). The first call is the
# lesson's step, where + instead of -, a missing lr and lr * weight each give a value of their own.
UPDATE_CASES = [
    ("update_rule:lesson_step", "update(0.3, -1.65, 0.1)", (0.3, -1.65, 0.1), 0.465,
     "the new weight is the old weight minus the learning rate times the gradient; "
     "a negative gradient should raise the weight."),
    ("update_rule:downhill", "update(2.0, 4.0, 0.25)", (2.0, 4.0, 0.25), 1.0,
     "the step is the learning rate times the gradient, taken away from the weight."),
]


def check_update_rule(namespace=None):
    """Check that update steps the weight against the gradient, scaled by the learning rate."""
    update = answer("update", exercise="update_rule", kind="function", namespace=namespace)
    for seal_id, call, args, expected, hint in UPDATE_CASES:
        check_close(as_number(update(*args), call, "update_rule"), expected, call=call, hint=hint,
                    exercise="update_rule", sealed=seal_id)


# The classmate's code exactly as the student notebook gives it (it is on screen there). A student who
# has not changed it yet is told that the result is not right and that the loss rises, but not where.
GIVEN_TRAIN_STEP = '''
def train_step(w, x, target, lr):
    """One gradient-descent step on the loss (w*x - target)**2; returns the new weight."""
    output = w * x
    grad = 2 * (output - target) * x
    w = w + lr * grad
    return w
'''

STEP_CASES = [
    ("fix_train_step:lesson_step", "train_step(0.3, 1.5, 1.0, 0.1)", (0.3, 1.5, 1.0, 0.1), 0.465,
     "here the gradient is 2 * (0.45 - 1) * 1.5 = -1.65, so one step downhill raises the weight by "
     "0.1 * 1.65 = 0.165."),
    ("fix_train_step:steep_input", "train_step(1.0, 2.0, 1.0, 0.1)", (1.0, 2.0, 1.0, 0.1), 0.6,
     "output 2.0, gradient 2 * (2 - 1) * 2 = 4, so the step is 0.1 * 4 = 0.4 downwards."),
]
LOSS_CASE = (0.9, 0.8, 2.0, 0.05)


def _is_as_given(namespace):
    return statements(last_source_defining("train_step", namespace)) == statements(GIVEN_TRAIN_STEP)


def _loss(w, x, target):
    return (w * x - target) ** 2


def check_fix_train_step(namespace=None):
    """Check that train_step moves the weight downhill, so the loss falls."""
    exercise = "fix_train_step"
    train_step = answer("train_step", exercise=exercise, kind="function", namespace=namespace)
    as_given = _is_as_given(user_namespace() if namespace is None else namespace)
    for seal_id, call, args, expected, hint in STEP_CASES:
        value = as_number(train_step(*args), call, exercise)
        if pinned.isfinite(value) and close(value, expected, 1e-6):
            passed(f"{call} = {shown(value)}")
            continue
        w, x, target, lr = args
        lines = ["{} should be about {}, but it returned {}.".format(call, *apart(expected, value))]
        found = reveal(seal_id, value) if pinned.isfinite(value) else None
        if as_given or (found and found[0] == "as given"):
            before, after = _loss(w, x, target), _loss(value, x, target)
            lines += ["train_step is still your classmate's code as given, so its result is not right yet."
                      if as_given else found[1],
                      f"After its step the loss has risen from {shown(before)} to {shown(after)}."
                      if after > before else f"After its step the loss is {shown(after)} (it was {shown(before)}).",
                      "Hint: read train_step one line at a time and compare each line with how this lesson "
                      "computes the prediction, the gradient and the step."]
            fail(lines, exercise)
        if found and found[0] == "wrong":
            lines.append(f"That is the value you get if you {found[1]}.")
        lines.append(f"Hint: {hint}")
        fail(lines, exercise)
    before = _loss(LOSS_CASE[0], LOSS_CASE[1], LOSS_CASE[2])
    after = _loss(as_number(train_step(*LOSS_CASE), f"train_step{LOSS_CASE}", exercise), LOSS_CASE[1], LOSS_CASE[2])
    check_true(after < before, problem=f"One step made the loss go from {shown(before)} up to {shown(after)}.",
               hint="gradient descent steps against the gradient.", exercise=exercise,
               success=f"one step lowers the loss from {shown(before)} to {shown(after)}")


def check_quiz_diverging_lr(namespace=None):
    """Check the answer to the diverging-learning-rate quiz."""
    check_choice_answer("diverging_lr_answer", exercise="quiz_diverging_lr", options="ABCD", namespace=namespace,
                        hint="try each rate in the visualizer above, with 20 steps or more: the loss grows without "
                             "bound when every bounce is longer than the one before.")


def _explore_key(value):
    """The form of ``max_stable_lr`` that opens its sealed hints.

    To three decimals, as the hidden test rounds it, when that opens a text (the answers close to
    the boundary are sealed that finely); otherwise to two decimals, which opens a text saying
    which side of the boundary the value is on, or naming a mistake.
    """
    if not pinned.isfinite(value) or value < 0.0 or value >= 1e6:  # no learning rate the explorer offers
        return value
    fine = float.__round__(value * 1000) / 1000
    return fine if reveal("explore_max_lr", fine) else float.__round__(value * 100) / 100


def check_explore_max_lr(namespace=None):
    """Check the learning rate where convergence stops for x = 2.0 (within 0.005)."""
    exercise = "explore_max_lr"
    value = number_answer("max_stable_lr", exercise=exercise, namespace=namespace)
    check_sealed(_explore_key(value), exercise=exercise, name="max_stable_lr",
                 problem=f"`max_stable_lr` = {shown(value)} is not within 0.005 of the learning rate where "
                         f"convergence stops.",
                 hint="in the explorer above, give the ball 20 or more steps and raise the learning rate one "
                      "slider step at a time: look for the rate where the bounces stop shrinking but do not "
                      "grow yet.")
