"""Submissions of 08_classification: how each answer, right or wrong, must score."""

VARIANTS = {
    "lower_case": {
        "answers": {"quiz_classification": 'classification_answer = " a "'},
        "scores": {},
    },
    "wrong_letter": {
        "answers": {"quiz_classification": 'classification_answer = "B"'},
        "scores": {"test_quiz_classification": 0},
    },
}
