"""Answers that try to let a ``course/`` helper do the work, called straight (attacks.py re-aims the others).

``SHORTCUTS`` maps an answer cell's grade_id to a complete replacement for that cell: the most
natural way a student could answer through the helpers ``course/`` used to offer
(``gradient_descent.surface_loss``, ``autodiff.Value``, ``backpropagation.tangent_step``,
``training_loop.updates_in_one_epoch`` ...), written against what ``course/`` holds now.
Where a helper survives under its old name it is called the way its docstring invites; where it
is gone, the attempt imports its specialised replacement and uses it as far as it goes, or (for
the autodiff engine, now built inside lesson 05 itself) fails on the import.

``course/`` must not compute an exercise's answer for the student (COURSE_SPEC, "Grading
guarantees"), so every one of these must lose all the points of its exercise's test cells
(the ``reaimed`` student of ``tests/e2e/adversarial/attacks.py``, which re-aims lesson code for the
other exercises). Some pass a visible check on the lesson's own numbers, as a hard-coded answer
would; the hidden checks use other inputs.
"""

SHORTCUTS = {
    # 02: gradient_descent.surface_loss(1, 0, predictions, targets) was the mean squared error of any lists.
    "mse_loss": '''from course.gradient_descent import surface_loss


def mse_loss(predictions, targets):
    """The surface loss with w = 1 and b = 0 is the mean of (prediction - target) ** 2."""
    return surface_loss(1.0, 0.0, predictions, targets)
''',
    # 03: autodiff.Value gave the exact slope of any function built from + - * / **.
    "numerical_gradient": '''from course.autodiff import Value


def numerical_gradient(f, w, eps=1e-6):
    """Let the autodiff engine find the slope of f at w."""
    v = Value(w)
    f(v).backward()
    return v.grad
''',
    "chain_gradients": '''from course.autodiff import Value


def chain_gradients(w1, w2, x, target):
    """Return (dL/dw1, dL/dw2) for output = w2 * (w1 * x) and L = (output - target)**2."""
    a, b = Value(w1), Value(w2)
    loss = (b * (a * x) - target) ** 2
    loss.backward()
    return a.grad, b.grad
''',
    # 04: backpropagation.tangent_step(lr, w, x, target).new_w was w - lr * slope for any w and slope.
    "update_rule": '''from course.backpropagation import tangent_step


def update(weight, gradient, lr):
    """Move the weight one step downhill: return the new weight."""
    return tangent_step(lr).new_w
''',
    # 05: training_loop.updates_in_one_epoch(1000, 50) answered the quiz; batches() counts an epoch's updates now.
    "quiz_updates_per_epoch": '''from course.training_loop import batches

updates_per_epoch = len(batches("exercise data", 50))
''',
}
