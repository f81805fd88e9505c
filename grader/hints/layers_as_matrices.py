"""Lesson 07's sealed hints: success texts, values of named mistakes."""

HINTS = {
    "quiz_layers_as_matrices": [("A", "right", "Right: TODO say why, in one sentence.")],
}
