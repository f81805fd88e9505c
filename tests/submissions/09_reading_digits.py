"""Submissions of 09_reading_digits: how each answer, right or wrong, must score."""

VARIANTS = {
    "lower_case": {
        "answers": {"quiz_reading_digits": 'reading_digits_answer = " a "'},
        "scores": {},
    },
    "wrong_letter": {
        "answers": {"quiz_reading_digits": 'reading_digits_answer = "B"'},
        "scores": {"test_quiz_reading_digits": 0},
    },
}
