"""Lesson 09: what the grader confirms each test cell against."""
from .questions import Confirmation, choice


def confirmations(rng):
    quiz = Confirmation("test_quiz_reading_digits", "quiz_reading_digits")
    quiz.ask("reading_digits_answer", choice("A", "reading_digits_answer"))
    return [quiz]
