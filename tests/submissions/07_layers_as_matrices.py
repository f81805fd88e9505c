"""Submissions of 07_layers_as_matrices: how each answer, right or wrong, must score."""

VARIANTS = {
    "lower_case": {
        "answers": {"quiz_layers_as_matrices": 'layers_as_matrices_answer = " a "'},
        "scores": {},
    },
    "wrong_letter": {
        "answers": {"quiz_layers_as_matrices": 'layers_as_matrices_answer = "B"'},
        "scores": {"test_quiz_layers_as_matrices": 0},
    },
}
