"""Lesson 09's sealed hints: success texts, values of named mistakes."""

HINTS = {
    "quiz_reading_digits": [("A", "right", "Right: TODO say why, in one sentence.")],
}
