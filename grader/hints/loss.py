"""Lesson 02's sealed hints: the values of named mse_loss mistakes, the predicted line's near misses,
and the quiz's key and success text (see grader/hints/__init__.py)."""
import math

from . import named_mistakes


def _mse_mistakes(predictions, targets):
    """(value, description) of the common mistakes for one call of mse_loss."""
    errors = [p - t for p, t in zip(predictions, targets)]
    squares = [e * e for e in errors]
    n, total = len(errors), math.fsum(squares)
    non_zero = sum(1 for e in errors if e != 0)
    return [
        (total, "add up the squared errors without dividing by the number of examples (a sum, not a mean)"),
        (math.fsum(abs(e) for e in errors) / n, "average the absolute errors |p - t| instead of the squared errors"),
        (math.fsum(errors) / n, "average the raw errors without squaring them, so misses cancel out"),
        (math.sqrt(total / n), "take a square root at the end (that is RMSE, a different loss)"),
        (total / (n - 1) if n > 1 else math.inf, "divide by one less than the number of examples"),
        (total / non_zero if non_zero else math.inf,
         "divide by the number of examples with a non-zero error (every example counts, even a perfect one)"),
    ]


def _named(predictions, targets):
    """Each distinct wrong value once (a mistake that gives the right answer here is not named)."""
    right = math.fsum((p - t) ** 2 for p, t in zip(predictions, targets)) / len(predictions)
    return named_mistakes(right, [(value if math.isfinite(value) else None, text)
                                  for value, text in _mse_mistakes(predictions, targets)])


# The predicted line: keys are what the student types (case and spaces do not matter).
# Each text is shown as it is (check_sealed), between the "not right yet" line and the general hint.
_TOTAL = ("That is the total of the squared errors (or the average of the plain distances): "
          "look again at what the function divides by, and what it squares.")
_FORMAT = "Right number, wrong printing: the format :.4f always shows exactly four digits after the point."
_PREFIX = "The f-string prints some text before the number: type the whole line."
PREDICTED_LINE = [
    ("Loss: 0.1250", "right", "Right: that is exactly the line the code prints."),
    ("Loss: 0.2500", "wrong", _TOTAL),
    ("Loss: 0.25", "wrong", _TOTAL + " Then print it the way :.4f does, with four digits after the point."),
    ("0.2500", "wrong", _TOTAL + " And type the whole line: the f-string prints some text before the number."),
    ("0.25", "wrong", _TOTAL + " And type the whole line: the f-string prints some text before the number, "
                               "and :.4f shows four digits after the point."),
    ("Loss: 0.5000", "wrong", "That is the total of the plain distances: look again at what the function "
                              "squares and what it divides by."),
    ("Loss: 0.125", "wrong", _FORMAT),
    ("Loss: 0.13", "wrong", _FORMAT),
    ("Loss: 0.12", "wrong", _FORMAT),
    ("Loss 0.1250", "wrong", "Almost: the f-string prints a colon after the word Loss."),
    ("0.1250", "wrong", _PREFIX),
    ("0.125", "wrong", "The f-string prints some text before the number, and :.4f shows four decimals: "
                       "type the whole line."),
    ("Loss: 0.0625", "wrong", "That is the average error squared; the function squares each error first, "
                              "then averages."),
    ("0.0625", "wrong", "That is the average error squared; the function squares each error first, "
                        "then averages. And type the whole line: the f-string prints some text before the number."),
    ("Loss: -0.2500", "wrong", "A squared error is never negative, so neither is their average."),
    ("Loss: -0.25", "wrong", "A squared error is never negative, so neither is their average."),
]

HINTS = {
    "mse_loss:three_emails": _named([0.43, 0.91, 0.12], [1.0, 1.0, 0.0]),
    "mse_loss:four_examples": _named([2.0, -1.0, 0.0, 1.0], [0.5, 1.0, 0.0, 1.0]),
    "predict_mse_output": PREDICTED_LINE,
    "quiz_why_square": [
        ("C", "right", "Right. Keep the square in mind: lesson 3 finds a factor 2 in every gradient, "
                       "and this is where it comes from."),
        ("A", "wrong", "Squaring an error of 2 gives 4: it makes big misses bigger, not smaller, "
                       "and the size of the loss does not decide how soon training ends."),
        ("B", "wrong", "Squaring changes the units (an error in metres becomes square metres); "
                       "that is why RMSE takes a square root afterwards."),
        ("D", "wrong", "A square is never negative, so a sum of squares cannot go below 0 either."),
    ],
}
