"""Answers that try to let a ``course/`` helper do the work: one per implemented exercise, and the epoch quiz.

``SHORTCUTS`` maps an answer cell's grade_id to a complete replacement for that cell: the most
natural way a student could answer through the helpers ``course/`` used to offer
(``forward.guess``, ``backprop.parabola_slope``, ``autodiff.Value``, ``descent.descend``,
``training.run``, ``training.updates_in_one_epoch`` ...), written against what ``course/`` holds now.
Where a helper survives under its old name it is called the way its docstring invites; where it
is gone, the attempt imports its specialised replacement and uses it as far as it goes, or (for
the autodiff engine, now built inside lesson 05 itself) fails on the import.

``course/`` must not compute an exercise's answer for the student (COURSE_SPEC, "Grading
guarantees"), so every one of these must lose all the points of its exercise's test cells
(``tests/adversarial/cases.py: build_shortcuts``). Some pass a visible check on the lesson's own
numbers, as a hard-coded answer would; the hidden checks use other inputs.
"""

SHORTCUTS = {
    # 01: forward.guess(weights, features, bias) is gone; the spam email's guess is all that is left.
    "neuron_output": '''from course.forward import _spam_guess


def neuron_output(weights, bias, inputs):
    """The course's neuron: its guess for our weights and bias."""
    return _spam_guess(weights, bias)
''',
    # 02: descent.surface_loss(1, 0, predictions, targets) was the mean squared error of any lists.
    "mse_loss": '''from course.descent import surface_loss


def mse_loss(predictions, targets):
    """The surface loss with w = 1 and b = 0 is the mean of (prediction - target) ** 2."""
    return surface_loss(1.0, 0.0, predictions, targets)
''',
    # 03: backprop.parabola_slope(parabola(x, target), w) was the gradient for any x and target.
    "weight_gradient": '''from course.backprop import parabola_slope


def weight_gradient(w, x, target):
    """The slope of the loss parabola at w."""
    return parabola_slope(w)
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
    # 04: backprop.tangent_step(lr, w, x, target).new_w was w - lr * slope for any w and slope.
    "update_rule": '''from course.backprop import tangent_step


def update(weight, gradient, lr):
    """Move the weight one step downhill: return the new weight."""
    return tangent_step(lr).new_w
''',
    # 04: descent.descend(w, lr, 1, x, target) was one gradient-descent step for any problem.
    "fix_train_step": '''from course.descent import descend


def train_step(w, x, target, lr):
    """One gradient-descent step on the loss (w*x - target)**2; returns the new weight."""
    return descend(w, lr, 1, x).weights[-1]
''',
    # 05: training.run(data, lr, epochs, batch_size, weights, bias) trained on any data from any start.
    "implement_loop": '''from course.training import DATASETS, run


def train_neuron(data, w0=0.5, w1=-0.3, bias=0.1, lr=0.3, epochs=3000, report_every=500):
    """Full-batch training by the dashboard's trainer, on whichever of its datasets is ours."""
    ours = [(tuple(x), t) for x, t in data]
    name = next(n for n, (examples, _) in DATASETS.items() if [(tuple(x), t) for x, t in examples] == ours)
    result = run(name, lr, epochs, len(data))
    losses = result.losses[:epochs]  # the loss before each epoch's update
    for epoch in range(0, epochs, report_every):
        print(f"Epoch {epoch:4d} | loss={losses[epoch]:.4f}")
    return result.weights[0], result.weights[1], result.bias, losses
''',
    # 05: training.updates_in_one_epoch(1000, 50) answered the quiz; batches() counts an epoch's updates now.
    "quiz_updates_per_epoch": '''from course.training import batches

updates_per_epoch = len(batches("exercise data", 50))
''',
}
