"""04 gradient descent: references for ``update`` and ``train_step``, keys of the quiz and the exploration."""
from .questions import Confirmation, as_float, choice, lit, number, seen


def update(weight, gradient, lr):
    return weight - lr * gradient


def train_step(w, x, target, lr):
    return w - lr * 2.0 * (w * x - target) * x


def _max_stable_lr(reply):
    # For x = 2.0 the step factor 1 - 2 * lr * x**2 is above -1 (the bounces shrink) below lr = 1 / x**2
    # = 0.25, exactly -1 there (they keep their size) and below -1 above it (they grow). The boundary
    # is accepted within 0.005, one slider step, after rounding to three decimals as the notebook does.
    value = as_float((reply or {}).get("value"))
    try:
        if value is not None and 245 <= round(value * 1000) <= 255:
            return None
    except (OverflowError, ValueError):  # inf or nan
        pass
    return f"`max_stable_lr` is {seen((reply or {}).get('value'), 40)}, not within 0.005 of the boundary"


def confirmations(rng):
    rule = Confirmation("test_update_rule", "update_rule")
    for _ in range(6):
        w, g, lr = rng.uniform(-3, 3), rng.uniform(-5, 5), rng.uniform(0.001, 1.0)
        call = f"update({lit(w)}, {lit(g)}, {lit(lr)})"
        rule.ask(call, number(update(w, g, lr), call))
    step = Confirmation("test_fix_train_step", "fix_train_step")
    for _ in range(6):
        w, x, target, lr = rng.uniform(-2, 2), rng.uniform(-2, 2), rng.uniform(-2, 2), rng.uniform(0.001, 0.2)
        call = f"train_step({lit(w)}, {lit(x)}, {lit(target)}, {lit(lr)})"
        step.ask(call, number(train_step(w, x, target, lr), call))
    quiz = Confirmation("test_quiz_diverging_lr", "quiz_diverging_lr").ask(
        "diverging_lr_answer", choice("D", "diverging_lr_answer"))
    explore = Confirmation("test_explore_max_lr", "explore_max_lr").ask("max_stable_lr", _max_stable_lr)
    return [rule, step, quiz, explore]
