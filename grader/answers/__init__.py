"""Reference answers and answer keys: what the grader confirms every mark against.

They live here, in ``grader/``, which is never mounted where student code runs. One module a
notebook (``NOTEBOOKS`` maps a notebook id to it); each module's ``confirmations(rng)`` lists,
for every test cell of the notebook, the calls to make in the student's kernel after the
notebook has run (inputs drawn from ``rng`` at grading time) and how to judge what comes back,
in the grader's own process, against the reference (``grader.confirm`` does both halves).
"""
from . import backpropagation, forward_pass, gradient_descent, loss, training_loop
from .questions import Confirmation, Question

NOTEBOOKS = {
    "01_forward_pass": forward_pass,
    "02_loss": loss,
    "03_backpropagation": backpropagation,
    "04_gradient_descent": gradient_descent,
    "05_training_loop": training_loop,
}


def confirmations_for(notebook_id, rng):
    """The notebook's confirmations, or None when the grader has no references for it."""
    module = NOTEBOOKS.get(notebook_id)
    return None if module is None else module.confirmations(rng)


__all__ = ["NOTEBOOKS", "Confirmation", "Question", "confirmations_for"]
