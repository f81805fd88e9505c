"""Lesson 08: what the grader confirms each test cell against."""
from .questions import Confirmation, choice


def confirmations(rng):
    quiz = Confirmation("test_quiz_classification", "quiz_classification")
    quiz.ask("classification_answer", choice("A", "classification_answer"))
    return [quiz]
