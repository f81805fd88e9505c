"""Visible checks of lesson 08, one a test cell."""
from ..checks import check_choice_answer


def check_quiz_classification(namespace=None):
    """Check the answer to the quiz."""
    check_choice_answer("classification_answer", exercise="quiz_classification", options="ABCD", namespace=namespace,
                        hint="TODO: a question that points at the idea, not at the letter.")
