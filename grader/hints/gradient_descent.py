"""Lesson 04's sealed hints: the values of named mistakes, the quiz's key, the exploration's window and sides.

Every mistake value is computed from the maths of the mistake, for the visible call it is about
(course/exercises/gradient_descent.py); a mistake that gives the right answer, or the value of a
mistake named before it, is dropped, so each value opens one text.
"""
from itertools import product

from . import named_mistakes

# ------------------------------------------------------------ Exercise 1: return weight ___ lr * ___
_OPERATORS = {  # what each operator in the first blank does, as Python reads `weight <op> lr * <name>`
    "-": (lambda w, step: w - step, None),
    "+": (lambda w, step: w + step, "add the step instead of subtracting it"),
    "*": (lambda w, step: w * step, "multiply the weight by the step instead of subtracting the step"),
}
_NAMES = {  # what each name in the second blank does
    "gradient": None,
    "weight": "multiply the learning rate by the weight instead of by the gradient",
    "lr": "multiply the learning rate by itself instead of by the gradient",
}


def _update_mistakes(weight, gradient, lr):
    values = {"gradient": gradient, "weight": weight, "lr": lr}
    blanks = []  # every way to fill the two blanks, one wrong blank before two
    for (op, (apply, op_text)), (name, name_text) in product(_OPERATORS.items(), _NAMES.items()):
        texts = [t for t in (op_text, name_text) if t]
        if texts:
            text = " and ".join(texts) + (" (that walks uphill)" if texts == [op_text] and op == "+" else "")
            blanks.append((len(texts), apply(weight, lr * values[name]), text))
    blanks = [(value, text) for _, value, text in sorted(blanks, key=lambda b: b[0])]
    return [
        *blanks,
        (weight - gradient, "leave out the learning rate (a full-gradient step)"),
        (weight + gradient, "leave out the learning rate and add the gradient instead of subtracting it"),
        (-lr * gradient, "return only the step, -lr * gradient, without the weight it should move"),
        (lr * gradient, "return only lr * gradient, without the weight it should move"),
        (weight / lr * gradient, "put / where the minus sign goes"),
        (weight, "return the weight unchanged"),
    ]


def _update(weight, gradient, lr):
    return named_mistakes(weight - lr * gradient, _update_mistakes(weight, gradient, lr))


# ------------------------------------------------------------ Exercise 2: find the bug in train_step
def _step(w, x, target, lr, sign=-1, with_lr=True, with_x=True, with_2=True):
    grad = (2 if with_2 else 1) * (w * x - target) * (x if with_x else 1)
    return w + sign * (lr if with_lr else 1) * grad


_EDITS = [  # (keyword arguments of _step, what that edit does), one edit each
    ({"with_lr": False}, "leave out the learning rate"),
    ({"with_x": False}, "leave the factor x out of the gradient"),
    ({"with_2": False}, "leave the factor 2 out of the gradient"),
]


def _train_step(w, x, target, lr):
    """The classmate's code (verdict "as given": it must not name the bug), then the wrong edits."""
    right = _step(w, x, target, lr)
    as_given = named_mistakes(right, [(_step(w, x, target, lr, sign=1), "That is what your classmate's code returns.")],
                         verdict="as given")
    edits = [(_step(w, x, target, lr, **kw), text) for kw, text in _EDITS]
    edits.append((w, "compute the step but return the weight unchanged (the new weight is never stored in w)"))
    for (kw1, text1), (kw2, text2) in [(a, b) for i, a in enumerate(_EDITS) for b in _EDITS[i + 1:]]:
        edits.append((_step(w, x, target, lr, **kw1, **kw2), f"{text1}, and {text2}"))
    # An edit made while the classmate's bug is still in place: name the edit, not the bug.
    edits += [(_step(w, x, target, lr, sign=1, **kw), f"{text}, while the bug your classmate left is still there")
              for kw, text in _EDITS]
    seen = {f"{v:.5g}" for v, *_ in as_given}
    return as_given + [e for e in named_mistakes(right, edits) if f"{e[0]:.5g}" not in seen]


# ------------------------------------------------------------ Exercise 4: where convergence stops for x = 2.0
# The check keys the student's value to three decimals, as the hidden test rounds it, when that opens a
# text here (the accepted window 0.245 ... 0.255); otherwise to two decimals, which opens a text saying
# which side of the boundary the value is on (or naming a mistake). So the window is listed in
# thousandths and everything else in hundredths (course/exercises/gradient_descent.py, _explore_key).
def _thousandths(*values):
    return [v / 1000 for v in values]


_FOUND = ("Right: for x = 2.0 the boundary is 1 / x**2 = 0.25. Below it the step factor 1 - 2 * lr * x**2 is "
          "above -1 and the bounces shrink; at 0.25 it is exactly -1 and every bounce is as long as the last; "
          "above it the factor is below -1 and the bounces grow.")
_NO_BOUNCE_YET = ("At that learning rate the ball does not bounce at all: it slides into the valley, so the run "
                  "converges. Raise the learning rate until the ball bounces, then on until the bounces stop "
                  "shrinking.")
_NO_BOUNCE = ("That is about where the ball starts to bounce, but a bouncing ball can still settle: keep raising "
              "the learning rate while the bounces shrink.")
_STILL_CONVERGES = ("At that learning rate the bounces still shrink, so the ball still settles: the run converges. "
                    "The boundary is further up, where the bounces stop shrinking.")
_LESSON_NO_BOUNCE = ("That is where the lesson's problem (x = 1.5) starts to bounce; this one has x = 2.0, and "
                     "the question is where the bounces stop shrinking.")
_DIVERGES = ("At that learning rate each bounce is longer than the one before, so the run diverges: the ball "
             "never settles and flies off. The boundary is lower, where the bounces stop growing.")
_LESSON_LIMIT = ("That is the limit of the lesson's problem, where x = 1.5; this one has x = 2.0, and here that "
                 "learning rate diverges.")
_ONE_OVER_X = ("That is 1 / x, a guess rather than the boundary: at that learning rate every bounce is longer than "
               "the one before, so the run diverges. Find the boundary with the slider.")

_NAMED = {**{h: _NO_BOUNCE for h in (12, 13)}, 22: _LESSON_NO_BOUNCE,
          **{h: _LESSON_LIMIT for h in (43, 44, 45)}, **{h: _ONE_OVER_X for h in (49, 50, 51)}}


def _side(hundredth):
    """What a learning rate of ``hundredth`` / 100 does for x = 2.0, or the mistake it names."""
    if hundredth in _NAMED:
        return _NAMED[hundredth]
    return _NO_BOUNCE_YET if hundredth <= 11 else _STILL_CONVERGES if hundredth <= 24 else _DIVERGES


_EXPLORE_WINDOW = range(245, 256)  # thousandths: within 0.005 of 0.25 (the hidden test's window)
_EXPLORE_SIDES = [h for h in range(0, 101) if h != 25]  # 0.00 ... 1.00, the explorer's whole slider

HINTS = {
    "update_rule:lesson_step": _update(0.3, -1.65, 0.1),
    "update_rule:downhill": _update(2.0, 4.0, 0.25),
    "fix_train_step:lesson_step": _train_step(0.3, 1.5, 1.0, 0.1),
    "fix_train_step:steep_input": _train_step(1.0, 2.0, 1.0, 0.1),
    # Exercise 4 asks where convergence stops for x = 2.0, so no text here names the formula of that limit
    # (the lesson derives it after the exercises): each tells what the visualizer shows at that rate.
    "quiz_diverging_lr": [
        ("D", "right", "Right: at 0.5 each jump lands 1.25 times as far out as the one before, so the loss grows "
                       "without bound."),
        ("A", "wrong", "With 0.01 the ball crawls: each step closes only a small part of the gap, but it never "
                       "explodes."),
        ("B", "wrong", "With 0.1 the ball slides smoothly into the valley: each step closes 45% of the gap."),
        ("C", "wrong", "With 0.4 the ball bounces, but each jump lands only 80% as far out as the one before, so "
                       "it settles."),
    ],
    "explore_max_lr": [
        *[(v, "right", _FOUND) for v in _thousandths(*_EXPLORE_WINDOW)],
        *[(h / 100, "wrong", _side(h)) for h in _EXPLORE_SIDES],
    ],
}
