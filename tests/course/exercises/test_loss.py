"""What a student reads from lesson 02's visible checks: wrong answer in, the right message out."""
import re

import pytest

from course.exercises import loss as checks
from tests.support.course_files import read as read_notebook
from tests.support.course_files import source as source_notebook
from tests.support.messages import fails_with, passes, run_answer

GUARD = ("    if len(predictions) == 0 or len(targets) == 0:\n"
         "        raise ValueError('mse_loss needs at least one example')\n"
         "    if len(predictions) != len(targets):\n"
         "        raise ValueError('mse_loss needs one target per prediction')\n")


def _mse(body, guard=GUARD):
    return "import math\ndef mse_loss(predictions, targets):\n" + guard + body


RIGHT = _mse("    return sum((p - t) ** 2 for p, t in zip(predictions, targets)) / len(predictions)\n")
PAIRS = "zip(predictions, targets)"

MISTAKES = [  # (answer cell, the check that must name it first, words the message must hold)
    (_mse(f"    return sum((p - t) ** 2 for p, t in {PAIRS})\n"), checks.check_mse_loss, "a sum, not a mean"),
    (_mse(f"    return sum(abs(p - t) for p, t in {PAIRS}) / len(predictions)\n"),
     checks.check_mse_loss, "absolute errors"),
    (_mse(f"    return sum(p - t for p, t in {PAIRS}) / len(predictions)\n"), checks.check_mse_loss, "misses cancel"),
    (_mse(f"    return math.sqrt(sum((p - t) ** 2 for p, t in {PAIRS}) / len(predictions))\n"),
     checks.check_mse_loss, "square root"),
    (_mse(f"    return sum((p - t) ** 2 for p, t in {PAIRS}) / (len(predictions) - 1)\n"),
     checks.check_mse_loss, "one less than the number of examples"),
    (_mse(f"    return sum((p - t) ** 2 for p, t in {PAIRS}) / sum(1 for p, t in {PAIRS} if p != t)\n"),
     checks.check_mse_loss, "with a non-zero error"),
]


@pytest.mark.parametrize("source,check,words", MISTAKES, ids=[m[2] for m in MISTAKES])
def test_each_mistake_is_named_by_the_first_check_it_fails(source, check, words):
    namespace = run_answer(source)
    message = fails_with(check, namespace)
    assert message.startswith("mse_loss: not yet.") and words in message
    assert message.count("That is the value you get if you") == 1


def test_the_non_zero_count_passes_the_first_call_and_is_named_by_the_second():
    namespace = run_answer(MISTAKES[-1][0])
    message = fails_with(checks.check_mse_loss, namespace)
    assert "mse_loss([2.0, -1.0, 0.0, 1.0]" in message and "returned 3.125" in message


@pytest.mark.parametrize("source", [m[0] for m in MISTAKES], ids=[m[2] for m in MISTAKES])
def test_the_error_check_does_not_blame_the_arithmetic(source):
    """A wrong average with the input checks in place still passes the ValueError check."""
    passes(checks.check_mse_loss_errors, run_answer(source))


def test_right_answer_passes_both():
    namespace = run_answer(RIGHT)
    assert "0.1158" in passes(checks.check_mse_loss, namespace)
    assert "raises ValueError" in passes(checks.check_mse_loss_errors, namespace)


def test_the_try_it_example_shows_every_arithmetic_mistake():
    """The "try it" cell prints two losses; each named mistake changes at least one of them."""
    calls = [([0.43, 0.91, 0.12], [1.0, 1.0, 0.0]), ([0.43, 0.91, 0.12, 1.0, 0.0], [1.0, 1.0, 0.0, 1.0, 0.0])]

    def printed(source):
        mse_loss = run_answer(source)["mse_loss"]
        return [f"{mse_loss(*call):.4f}" for call in calls]

    assert printed(RIGHT) == ["0.1158", "0.0695"]
    for source, _, words in MISTAKES:
        assert printed(source) != ["0.1158", "0.0695"], words


@pytest.mark.parametrize("source,words", [
    (_mse(f"    return sum((p - t) ** 2 for p, t in {PAIRS}) / len(predictions)\n", guard=""), "ZeroDivisionError"),
    ("def mse_loss(predictions, targets):\n"
     "    if not predictions:\n        raise ValueError('no predictions given')\n"
     f"    return sum((p - t) ** 2 for p, t in {PAIRS}) / len(predictions)\n", "3 predictions but 2 targets"),
    ("def mse_loss(predictions, targets):\n    if len(predictions) != len(targets) or not targets:\n"
     "        raise ValueError()\n    return 0.0\n", "should say what is wrong"),
])
def test_error_messages(source, words):
    assert words in fails_with(checks.check_mse_loss_errors, run_answer(source))


def test_a_value_error_on_good_input_is_named():
    source = "def mse_loss(predictions, targets):\n    raise ValueError('lists must differ')\n"
    message = fails_with(checks.check_mse_loss, run_answer(source))
    assert "raised ValueError (lists must differ), but both lists have 3 items" in message


@pytest.mark.parametrize("source,words", [
    ("", "The function `mse_loss` is not defined yet"),
    ("def mse_loss(predictions, targets):\n    return ___\n", "blanks `___`"),
    ("def mse_loss(predictions, targets):\n    raise NotImplementedError()\n", "still raises NotImplementedError"),
])
def test_missing_or_unfinished_function(source, words):
    for check in (checks.check_mse_loss, checks.check_mse_loss_errors):
        assert words in fails_with(check, run_answer(source))


PREDICTED = [  # (typed line, words of its named near miss)
    ("Loss: 0.2500", "total of the squared errors"),
    ("loss:0.25", "four digits after the point"),
    ("0.25", "prints some text before the number"),
    ("0.2500", "total of the squared errors"),
    ("Loss: 0.125", "Right number, wrong printing"),
    ("0.1250", "prints some text before the number"),
    ("0.125", "shows four decimals"),
    ("Loss: 0.0625", "average error squared"),
    ("Loss: -0.2500", "never negative"),
    ("Loss 0.1250", "a colon after the word Loss"),
]


@pytest.mark.parametrize("typed,words", PREDICTED, ids=[p[0] for p in PREDICTED])
def test_predicted_near_misses_are_named(typed, words):
    message = fails_with(checks.check_predict_mse_output, run_answer(f"predicted_output = {typed!r}"))
    assert message.startswith("predict_mse_output: not yet.") and words in message
    assert "exactly the line" not in message


@pytest.mark.parametrize("typed", ["Loss: 0.1250", "  loss:   0.1250 ", "LOSS:0.1250\n"])
def test_predicted_line_ignores_case_and_spaces(typed):
    printed = passes(checks.check_predict_mse_output, run_answer(f"predicted_output = {typed!r}"))
    assert "exactly the line the code prints" in printed


@pytest.mark.parametrize("source,words", [
    ('# predicted_output = "..."  # replace ... with the exact line the code prints', "still commented out"),
    ('predicted_output = "..."', "still the placeholder '...'"),
    ("predicted_output = ...", "still the placeholder `...`"),
    ("predicted_output = ___", "blanks `___`"),
    ("predicted_output = Loss: 0.2", "has no quotes around the line"),
    ("predicted_output = 0.125", "should be the printed line as text"),
    ('predicted_output = "Loss: 0.3"', "is not what the code prints"),
])
def test_predicted_output_placeholders_and_quotes(source, words):
    message = fails_with(checks.check_predict_mse_output, run_answer(source))
    assert message.startswith("predict_mse_output: not yet.") and words in message


def test_a_long_wrong_line_is_cut_with_a_mark():
    """The typed line is shown as lesson 08's is (checks.shown): at most 60 characters, a cut marked with "..."."""
    typed = "Loss: 0.3 " + "and more " * 10
    message = fails_with(checks.check_predict_mse_output, run_answer(f"predicted_output = {typed!r}"))
    assert f"`predicted_output` = {typed[:56]!r}"[:-1] + "... is not what the code prints." in message


def test_a_number_typed_without_quotes_opens_no_hint_of_the_text():
    """0.125 as a number is not the text "0.125": it is told to use quotes, not given that text's hint."""
    message = fails_with(checks.check_predict_mse_output, run_answer("predicted_output = 0.125"))
    assert "four decimals" not in message


@pytest.mark.parametrize("source,words", [
    ('# why_square_answer = "?"  # replace ? with A, B, C or D', "still commented out"),
    ('why_square_answer = "?"', "replace the placeholder"),
    ("why_square_answer = C", 'write the letter between quotes: why_square_answer = "C"'),
    ("why_square_answer = 3", "should be a string holding one letter"),
    ('why_square_answer = "A"', "makes big misses bigger"),
    ('why_square_answer = "B"', "changes the units"),
    ('why_square_answer = "D"', "never negative"),
])
def test_quiz_messages(source, words):
    message = fails_with(checks.check_quiz_why_square, run_answer(source))
    assert message.startswith("quiz_why_square: not yet.") and words in message


def test_quiz_success_text_only_for_the_right_letter():
    assert "factor 2" in passes(checks.check_quiz_why_square, run_answer('why_square_answer = " c "'))
    for wrong in "ABD":
        assert "factor 2" not in fails_with(checks.check_quiz_why_square, run_answer(f'why_square_answer = "{wrong}"'))


def test_quiz_options_are_of_one_length_and_the_right_one_is_not_the_longest():
    """Would picking the longest option score? The options are of about one length and the right one, C,
    is shorter than another (it was by far the longest, issue 29)."""
    quiz = next(c.source for c in read_notebook(source_notebook("02_loss")).cells if "why_square_answer" in c.source
                and c.cell_type == "markdown")
    lengths = {letter: len(text) for letter, text in re.findall(r"^- \*\*([A-D])\.\*\* (.+)$", quiz, re.M)}
    assert sorted(lengths) == list("ABCD")
    assert lengths["C"] < max(lengths.values()) <= 1.1 * min(lengths.values()), lengths
    passes(checks.check_quiz_why_square, run_answer('why_square_answer = "C"'))
