"""Lesson 03's sealed hints: the values of named gradient mistakes, and the quiz's key and texts
(see grader/hints/__init__.py). Each mistake's value is computed from its own formula."""
from . import named_mistakes


def _weight_gradient(w, x, target):
    error = w * x - target
    return named_mistakes(2 * error * x, [
        (error * x, "leave out the factor 2 that comes from the square"),
        (2 * error, "leave out the factor x, the second link of the chain"),
        (-2 * error * x, "flip the sign, for example by using (target - output)"),
        (error ** 2, "return the loss itself instead of its gradient"),
        (2 * error * w, "multiply by w instead of x: the link output <- w is how much w * x rises, x"),
    ])


def _numerical_gradient(f, w, eps, default_eps=1e-6):
    return named_mistakes((f(w + eps) - f(w - eps)) / (2 * eps), [
        ((f(w + eps) - f(w)) / eps,
         "nudge only upwards, (f(w + eps) - f(w)) / eps: a forward difference, not a central one"),
        ((f(w) - f(w - eps)) / eps,
         "nudge only downwards, (f(w) - f(w - eps)) / eps: a backward difference, not a central one"),
        ((f(w + eps) - f(w - eps)) / eps, "divide by eps instead of by the distance between the two points, 2 * eps"),
        ((f(w + default_eps) - f(w - default_eps)) / (2 * default_eps),
         "ignore the eps you are given and always use a fixed tiny nudge"),
        ((f(w - eps) - f(w + eps)) / (2 * eps), "flip the sign, f(w - eps) - f(w + eps)"),
        (f(w + eps) - f(w - eps), "forget to divide by the distance between the two points"),
    ])


# Mistakes shared by both gradients have the same words, so the dL/dw1 check can tell that the
# dL/dw2 check above already named the same mistake.
_LOST_TWO = "leave out the factor 2 that comes from the square"
_FLIPPED = "flip the sign, for example by using (target - output)"
_SWAPPED = "return the pair in the wrong order (dL/dw1 is the first number, dL/dw2 the second)"
_LOST_X = "leave out the factor x, a link of the chain (h = w1 * x)"
_STOPPED = "stop at 2 * (output - target) and leave out the links between the weight and the output"


def _chain(w1, w2, x, target):
    """The seal ids' hints for dL/dw2 and dL/dw1 of chain_gradients(w1, w2, x, target)."""
    h = w1 * x
    blame = 2 * (w2 * h - target)
    d_w1, d_w2 = blame * w2 * x, blame * h
    second = named_mistakes(d_w2, [
        (d_w2 / 2, _LOST_TWO), (-d_w2, _FLIPPED), (d_w1, _SWAPPED), (blame * w1, _LOST_X),
        (blame * x, "leave out the factor w1: the link output <- w2 is h = w1 * x, not x alone"),
        (blame, _STOPPED),
    ])
    first = named_mistakes(d_w1, [
        (d_w1 / 2, _LOST_TWO), (-d_w1, _FLIPPED), (d_w2, _SWAPPED), (blame * w2, _LOST_X),
        (blame * x, "leave out the middle link, output <- h (a lost chain factor w2)"),
        (blame, _STOPPED),
    ])
    return second, first


_CHAIN_W2, _CHAIN_W1 = _chain(0.5, -2.0, 3.0, 1.0)

HINTS = {
    "weight_gradient:first": _weight_gradient(2.0, 3.0, 5.0),
    "weight_gradient:lesson_neuron": _weight_gradient(0.3, 1.5, 1.0),
    "numerical_gradient:cubic": _numerical_gradient(lambda v: v ** 3, 2.0, 0.1),
    "numerical_gradient:lesson_loss": _numerical_gradient(lambda v: (v * 1.5 - 1.0) ** 2, 0.3, 1e-6),
    "chain_gradients:w2": _CHAIN_W2,
    "chain_gradients:w1": _CHAIN_W1,
    "quiz_negative_gradient": [
        ("D", "right", "Right. That one line, repeated for every weight, is the whole of the next lesson."),
        ("A", "wrong", "Check the signs: the gradient is negative, so what does subtracting lr * grad do to w?"),
        ("B", "wrong", "Check the size: the update moves the weight by lr * grad, and lr is 0.1."),
        ("C", "wrong", "Check both the signs and the size of lr * grad: the gradient is negative, and lr is 0.1."),
    ],
}
