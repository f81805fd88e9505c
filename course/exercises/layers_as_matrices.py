"""Visible checks of lesson 07, one a test cell."""
from ..checks import check_choice_answer


def check_quiz_layers_as_matrices(namespace=None):
    """Check the answer to the quiz."""
    check_choice_answer("layers_as_matrices_answer", exercise="quiz_layers_as_matrices", options="ABCD", namespace=namespace,
                        hint="TODO: a question that points at the idea, not at the letter.")
