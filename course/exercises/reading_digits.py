"""Visible checks of lesson 09, one a test cell."""
from ..checks import check_choice_answer


def check_quiz_reading_digits(namespace=None):
    """Check the answer to the quiz."""
    check_choice_answer("reading_digits_answer", exercise="quiz_reading_digits", options="ABCD", namespace=namespace,
                        hint="TODO: a question that points at the idea, not at the letter.")
