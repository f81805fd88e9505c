"""Lesson 09's checks: wrong answer in, right message out."""
from messages import fails_with, passes, run_answer

from course.exercises import reading_digits as checks


def test_the_right_letter_passes_in_any_case():
    assert passes(checks.check_quiz_reading_digits, run_answer('reading_digits_answer = " a "'))


def test_a_wrong_letter_gets_a_hint_not_the_answer():
    message = fails_with(checks.check_quiz_reading_digits, run_answer('reading_digits_answer = "B"'))
    assert message.startswith("quiz_reading_digits: not yet.") and "Hint:" in message
