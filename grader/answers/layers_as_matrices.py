"""Lesson 07: what the grader confirms each test cell against."""
from .questions import Confirmation, choice


def confirmations(rng):
    quiz = Confirmation("test_quiz_layers_as_matrices", "quiz_layers_as_matrices")
    quiz.ask("layers_as_matrices_answer", choice("A", "layers_as_matrices_answer"))
    return [quiz]
