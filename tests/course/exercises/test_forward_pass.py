"""What a student reads from lesson 01's visible checks: wrong answer in, the right message out."""
import re

import pytest

from course.exercises import forward_pass as checks
from tests.support.course_files import read as read_notebook
from tests.support.course_files import source as source_notebook
from tests.support.messages import fails_with, first_failure, passes, run_answer

RIGHT = "import math\ndef neuron_output(weights, bias, inputs):\n" \
        "    return 1 / (1 + math.exp(-(bias + sum(w * x for w, x in zip(weights, inputs)))))\n"


def _variant(body):
    return "import math\ndef neuron_output(weights, bias, inputs):\n" + body


def _loop(*body):
    return _variant("".join(f"    {line}\n" for line in body))


# Slips in a loop, written the way students write them: each must be named for what it is.
BIAS_PER_INPUT = _loop("z = 0", "for w, x in zip(weights, inputs):", "    z += w * x + bias",
                       "return 1 / (1 + math.exp(-z))")
BIAS_FIRST_AND_PER_INPUT = _loop("z = bias", "for w, x in zip(weights, inputs):", "    z += w * x + bias",
                                 "return 1 / (1 + math.exp(-z))")
LOOP_SLIPS = [
    (BIAS_PER_INPUT, checks.check_neuron_output, "add the bias inside the loop, once per input, instead of once"),
    (BIAS_FIRST_AND_PER_INPUT, checks.check_neuron_output,
     "start from the bias and add it again inside the loop, once per input"),
    (_loop("for w, x in zip(weights, inputs):", "    z = w * x + bias", "return 1 / (1 + math.exp(-z))"),
     checks.check_neuron_output, "write `z = ...` instead of `z += ...` in the loop, so that only the last"),
    (_loop("z = bias", "for w, x in zip(weights, inputs):", "    z += w * x", "    return 1 / (1 + math.exp(-z))"),
     checks.check_neuron_output, "use only the first weight and input (is the `return` inside the loop?)"),
    (_loop("for w, x in zip(weights, inputs):", "    z = w * x + bias", "    return 1 / (1 + math.exp(-z))"),
     checks.check_neuron_output, "use only the first weight and input (is the `return` inside the loop?)"),
]

MISTAKES = [  # (answer cell, the check that must name it first, words the message must hold)
    (_variant("    return bias + sum(w * x for w, x in zip(weights, inputs))\n"),
     checks.check_neuron_output, "without the sigmoid"),
    (_variant("    return 1 / (1 + math.exp(bias + sum(w * x for w, x in zip(weights, inputs))))\n"),
     checks.check_neuron_output, "e^(+z)"),
    (_variant("    return 1 / (1 + math.exp(-sum(w * x for w, x in zip(weights, inputs))))\n"),
     checks.check_neuron_output, "leave out the bias"),
    (_variant("    return 1 / (1 + math.exp(-sum(w * x + bias for w, x in zip(weights, inputs))))\n"),
     checks.check_neuron_output, "once per input"),
    (_variant("    return 1 / (1 + math.exp(-(bias + weights[0] * inputs[0])))\n"),
     checks.check_neuron_output, "only the first weight and input"),
] + LOOP_SLIPS + [
    (_variant("    return 1 / (1 + math.exp(-(bias + sum(w * x for w, x in zip(weights[:2], inputs[:2])))))\n"),
     checks.check_neuron_output_any_length, "only the first two weights and inputs"),
]


@pytest.mark.parametrize("source,check,words", MISTAKES, ids=[m[2] for m in MISTAKES])
def test_each_mistake_is_named_by_the_first_check_it_fails(source, check, words):
    order = [checks.check_neuron_output, checks.check_neuron_output_any_length]
    message = first_failure(source, order, check, "neuron_output")
    assert words in message


def test_no_bias_slip_is_called_leaving_the_bias_out():
    """Code that does add the bias (once per input, or only with the last pair) is never told it left it out."""
    for source, *_ in LOOP_SLIPS:
        assert "leave out the bias" not in fails_with(checks.check_neuron_output, run_answer(source))


def test_the_try_it_text_names_the_values_the_bias_slips_print():
    """The "try it" text names what a bias added once per input prints: the numbers those slips print."""
    import nbformat

    from tests.support.course_files import ROOT

    cells = nbformat.read(ROOT / "source" / "how_networks_learn" / "01_forward_pass.ipynb", as_version=4).cells
    text = next(c.source for c in cells if c.cell_type == "markdown" and c.source.startswith("**Try it.** With"))
    call = ([-0.42, 0.31, -0.12], 0.3, [0.6, 0.3, 1.0])
    slips = (BIAS_PER_INPUT, BIAS_FIRST_AND_PER_INPUT)
    printed = [f"{run_answer(source)['neuron_output'](*call):.4f}" for source in slips]
    assert printed == ["0.6504", "0.7152"]
    assert all(f"`{value}`" in text for value in printed) and "once per input" in text


def test_the_long_check_does_not_blame_the_loop_for_a_mistake_the_short_one_names():
    namespace = run_answer(MISTAKES[1][0])  # e^(+z): wrong for every length
    message = fails_with(checks.check_neuron_output_any_length, namespace)
    assert "make neuron_output right for one and two inputs first" in message and "loop over" not in message


def test_right_answer_passes_both():
    namespace = run_answer(RIGHT)
    assert "neuron_output([2.0], 0.0, [1.0]) = 0.8808" in passes(checks.check_neuron_output, namespace)
    passes(checks.check_neuron_output_any_length, namespace)


def test_the_try_it_example_shows_a_forgotten_bias():
    """The "try it" cell uses a non-zero bias, so leaving the bias out prints another number."""
    right, no_bias = run_answer(RIGHT), run_answer(MISTAKES[2][0])
    call = ([-0.42, 0.31, -0.12], 0.3, [0.6, 0.3, 1.0])
    assert f"{right['neuron_output'](*call):.4f}" == "0.5052" != f"{no_bias['neuron_output'](*call):.4f}"


@pytest.mark.parametrize("source,words", [
    ("", "The function `neuron_output` is not defined yet"),
    ("def neuron_output(weights, bias, inputs):\n    return ___\n", "blanks `___`"),
    ("neuron_output = 3\n", "should be a function"),
])
def test_missing_or_unfinished_function(source, words):
    assert words in fails_with(checks.check_neuron_output, run_answer(source))


@pytest.mark.parametrize("source,words", [
    ('first_guess_answer = "?"', "replace the placeholder"),
    ("first_guess_answer = A", 'write the letter between quotes: first_guess_answer = "A"'),
    ("first_guess_answer = 2", "should be a string holding one letter"),
    ('first_guess_answer = "B"', "is not right yet"),
])
def test_quiz_messages(source, words):
    message = fails_with(checks.check_quiz_first_guess, run_answer(source))
    assert message.startswith("quiz_first_guess: not yet.") and words in message


def test_quiz_success_text_only_for_the_right_letter():
    assert "sigmoid(0) = 0.5" in passes(checks.check_quiz_first_guess, run_answer('first_guess_answer = " a "'))
    for wrong in "BCD":
        assert "sigmoid(0)" not in fails_with(checks.check_quiz_first_guess,
                                              run_answer(f'first_guess_answer = "{wrong}"'))


def test_quiz_options_are_of_one_length_and_the_right_one_is_not_the_longest():
    """Would picking the longest option score? The options are of about one
    length and the right one, A, is shorter than another (B was the longest and the key, issue 29)."""
    quiz = next(c.source for c in read_notebook(source_notebook("01_forward_pass")).cells
                if "first_guess_answer" in c.source and c.cell_type == "markdown")
    lengths = {letter: len(text) for letter, text in re.findall(r"^- \*\*([A-D])\.\*\* (.+)$", quiz, re.M)}
    assert sorted(lengths) == list("ABCD")
    assert lengths["A"] < max(lengths.values()) <= 1.1 * min(lengths.values()), lengths
    passes(checks.check_quiz_first_guess, run_answer('first_guess_answer = "A"'))
