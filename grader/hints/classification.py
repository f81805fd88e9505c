"""Lesson 08's sealed hints: success texts, values of named mistakes."""

HINTS = {
    "quiz_classification": [("A", "right", "Right: TODO say why, in one sentence.")],
}
