"""Reference answers and answer keys: what the grader confirms every mark against.

They live here, in ``grader/``, which is never mounted where student code runs. One module a
notebook, named by its topic (``06_hidden_layer`` -> ``hidden_layer.py``, see grader.lessons);
each module's ``confirmations(rng)`` lists, for every test cell of the notebook, the calls to
make in the student's kernel after the notebook has run (inputs drawn from ``rng`` at grading
time) and how to judge what comes back, in the grader's own process, against the reference
(``grader.confirm`` does both halves).
"""
from ..lessons import lesson_module
from .questions import Confirmation, Question


def confirmations_for(notebook_id, rng):
    """The notebook's confirmations, or None when the grader has no references for it."""
    module = lesson_module(__name__, notebook_id)
    return None if module is None else module.confirmations(rng)


__all__ = ["Confirmation", "Question", "confirmations_for"]
