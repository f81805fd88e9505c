"""Lesson 07 maths: plain functions its notebook and widget call."""


def losses(lr, steps, w=0.3, x=1.5, target=1.0):
    """The loss (w*x - target)**2 before each of ``steps`` gradient-descent steps. TODO: this lesson's maths."""
    out = []
    for _ in range(steps):
        out.append((w * x - target) ** 2)
        w -= lr * 2 * (w * x - target) * x
    return out
