"""What a student reads from lesson 06's visible checks: wrong answer in, the right message out."""
import re

import nbformat
import pytest

from course.exercises import hidden_layer as checks
from tests.support.course_files import source as notebook_of
from tests.support.grading import load_submissions
from tests.support.messages import fails_with, first_failure, passes, run_answer

# The same builders the round trip's variants are made of, one knob turned to a mistake.
SUBMISSIONS = load_submissions("06_hidden_layer")
output, gradients, train = SUBMISSIONS.output, SUBMISSIONS.gradients, SUBMISSIONS.train

OUTPUT_CHECKS = [checks.check_network_output, checks.check_network_output_any_size]
GRADIENT_CHECKS = [checks.check_network_gradients_output, checks.check_network_gradients_hidden]
TRAIN_CHECKS = [checks.check_train_network_shape, checks.check_train_network_learns_xor,
                checks.check_train_network_trajectory]
NAMED = "That is the value you get if you"


# ------------------------------------------------------------------ quiz_xor
@pytest.mark.parametrize("source", ['xor_answer = "A"', 'xor_answer = " a "'])
def test_quiz_right_in_any_case(source):
    assert "one straight boundary" in passes(checks.check_quiz_xor, run_answer(source))


@pytest.mark.parametrize("letter,words", [("B", "more epochs cannot help"), ("C", "no learning rate helps"),
                                          ("D", "did not stop the neuron of lesson 5")])
def test_quiz_wrong_letters_get_their_own_hint_not_the_answer(letter, words):
    message = fails_with(checks.check_quiz_xor, run_answer(f'xor_answer = "{letter}"'))
    assert message.startswith("quiz_xor: not yet.") and words in message and "Hint:" in message
    assert "straight boundary" not in message and '"A"' not in message


def test_quiz_options_are_of_even_length_and_the_right_one_is_not_the_longest():
    """Can the quiz be answered by picking the longest option? Its four options, as the notebook writes them."""
    from grader.hints.hidden_layer import QUIZ_XOR

    cells = nbformat.read(notebook_of("06_hidden_layer"), as_version=4).cells
    text = next(c.source for c in cells if c.cell_type == "markdown" and "Exercise 1 · Quiz" in c.source)
    options = dict(re.findall(r"^- \*\*([A-D])\.\*\* (.+)$", text, re.M))
    (right,) = [letter for letter, verdict, _ in QUIZ_XOR if verdict == "right"]
    lengths = {letter: len(option) for letter, option in options.items()}
    assert sorted(lengths) == list("ABCD") and right == "A"
    assert max(lengths.values()) <= 1.1 * min(lengths.values()), lengths
    assert lengths[right] < max(lengths.values()), lengths


@pytest.mark.parametrize("source,words", [('xor_answer = "?"', "should be one of A, B, C, D"),
                                          ("xor_answer = B", "has no quotes"),
                                          ("xor_answer = 2", "should be a string"),
                                          ("", "The variable `xor_answer` is not defined yet")])
def test_quiz_unfinished_answers(source, words):
    assert words in fails_with(checks.check_quiz_xor, run_answer(source))


# ------------------------------------------------------------------ network_output
OUTPUT_MISTAKES = [  # (network_output, the check that must name it first, words the message must hold)
    (output(hidden="z"), checks.check_network_output, "leave out the sigmoid of the hidden neurons"),
    (output(out="z"), checks.check_network_output, "leave out the sigmoid of the output neuron"),
    (output(weight="hidden_weights[i][j]"), checks.check_network_output, "read the weights as hidden_weights[i][j]"),
    (output(hidden_bias="0.0"), checks.check_network_output, "leave out the hidden biases"),
    (output(out_bias="0.0"), checks.check_network_output, "leave out the output bias"),
    (output(n_used="1"), checks.check_network_output, "use only the first hidden neuron"),
    (output(hidden="1 / (1 + math.exp(z))", out="1 / (1 + math.exp(z))"), checks.check_network_output,
     "use e^(+z) instead of e^(-z)"),
    (output(hidden_bias="hidden_biases[j] * len(inputs)"), checks.check_network_output,
     "add a hidden bias once per input"),
    (output(n_inputs="2"), checks.check_network_output_any_size, "use only the first two inputs"),
    (output(n_hidden="2"), checks.check_network_output_any_size, "use only the first two hidden neurons"),
]


@pytest.mark.parametrize("source,check,words", OUTPUT_MISTAKES, ids=[m[2] for m in OUTPUT_MISTAKES])
def test_each_output_mistake_is_named_by_the_first_check_it_fails(source, check, words):
    message = first_failure(source, OUTPUT_CHECKS, check, "network_output")
    assert f"{NAMED} {words}" in message and "Hint:" in message


def test_a_transposed_read_of_a_wide_network_says_which_way_the_rows_go():
    message = fails_with(checks.check_network_output_any_size, run_answer(output(weight="hidden_weights[i][j]")))
    assert "raised IndexError" in message and "4 hidden neurons and 3 inputs" in message
    assert "one row per hidden neuron" in message


def test_a_network_right_only_for_two_by_two_is_pointed_at_the_sizes():
    namespace = run_answer(output(n_hidden="2", n_inputs="2"))
    passes(checks.check_network_output, namespace)
    message = fails_with(checks.check_network_output_any_size, namespace)
    assert "however many there are" in message and "should be about 0.8442" in message


def test_the_size_check_sends_a_wrong_small_network_back_to_the_first_check():
    message = fails_with(checks.check_network_output_any_size, run_answer(output(out="z")))
    assert "make network_output right for the 2-2-1 networks first" in message


def test_right_network_output_passes_both_checks_naming_nothing():
    for source in (output(), SUBMISSIONS.NUMPY_OUTPUT):
        namespace = run_answer(source)
        assert "= 0.5426" in passes(checks.check_network_output, namespace)
        said = passes(checks.check_network_output_any_size, namespace)
        assert "3 inputs and 4 hidden neurons" in said and NAMED not in said


# ------------------------------------------------------------------ network_gradients
GRADIENT_MISTAKES = [
    (gradients(two=""), checks.check_network_gradients_output, "leave out the factor 2"),
    (gradients(error="(target - out)"), checks.check_network_gradients_output, "flip the sign"),
    (gradients(out_slope=""), checks.check_network_gradients_output, "leave out the output neuron's sigmoid slope"),
    (gradients(ow_factor="inputs[j]"), checks.check_network_gradients_output,
     "multiply the output's blame by the inputs instead of the hidden outputs"),
    (gradients(hidden_slope=""), checks.check_network_gradients_hidden, "leave out the hidden neuron's sigmoid slope"),
    (gradients(out_weight=""), checks.check_network_gradients_hidden, "leave out output_weights[j]"),
    (gradients(d_hw="[list(col) for col in zip(*d_hidden_weights)]"), checks.check_network_gradients_hidden,
     "return d_hidden_weights transposed"),
]


@pytest.mark.parametrize("source,check,words", GRADIENT_MISTAKES, ids=[m[2] for m in GRADIENT_MISTAKES])
def test_each_gradient_mistake_is_named_by_the_first_check_it_fails(source, check, words):
    message = first_failure(source, GRADIENT_CHECKS, check, "network_gradients")
    assert f"{NAMED} {words}" in message and "Hint:" in message


@pytest.mark.parametrize("source,words", [(gradients(two=""), "leave out the factor 2"),
                                          (gradients(error="(target - out)"), "flip the sign")])
def test_the_hidden_check_names_the_same_mistake_as_the_output_check(source, words):
    message = fails_with(checks.check_network_gradients_hidden, run_answer(source))
    assert f"{NAMED} {words}" in message


def test_an_unnamed_output_mistake_sends_the_hidden_check_back_to_the_output_check():
    source = gradients(two="3 * ")
    assert NAMED not in fails_with(checks.check_network_gradients_output, run_answer(source))
    message = fails_with(checks.check_network_gradients_hidden, run_answer(source))
    assert "test_network_gradients_output" in message and NAMED not in message


def test_hidden_outputs_in_place_of_inputs_are_named_on_the_square_network_and_crash_on_the_wide_one():
    source = gradients(hw_factor="hidden[i]")
    assert f"{NAMED} multiply hidden neuron j's blame by the hidden outputs" in \
        fails_with(checks.check_network_gradients_hidden, run_answer(source))
    message = fails_with(checks.check_network_gradients_output, run_answer(source))
    assert "raised IndexError" in message and "2 hidden neurons and 3 inputs" in message


def test_a_transposed_wide_gradient_is_caught_by_its_shape():
    """Once the square example passes, a transposed wide one can only be caught by its shape."""
    source = gradients(d_hw="[list(c) for c in zip(*d_hidden_weights)] if len(inputs) != 2 else d_hidden_weights")
    message = fails_with(checks.check_network_gradients_hidden, run_answer(source))
    assert "That looks transposed" in message and "2 rows" in message


@pytest.mark.parametrize("source,words", [
    (gradients(d_hw="d_hidden_weights[0]"), "should have the shape of hidden_weights"),
    ("def network_gradients(hw, hb, ow, ob, inputs, target):\n    return 0.0, 0.0\n", "should return four things"),
])
def test_gradient_shapes(source, words):
    assert words in fails_with(checks.check_network_gradients_hidden, run_answer(source))


def test_right_gradients_pass_both_checks_naming_nothing():
    for source in (gradients(), SUBMISSIONS.NUMPY_GRADIENTS):
        namespace = run_answer(source)
        for check in GRADIENT_CHECKS:
            said = passes(check, namespace)
            assert "wide example" in said and NAMED not in said


# ------------------------------------------------------------------ train_network
SOLVED = output() + "\n" + gradients()  # network_output and network_gradients, right, as the notebook has them
TRAIN_MISTAKES = [
    (train(start=SUBMISSIONS.IN_PLACE), checks.check_train_network_shape, "modified its arguments"),
    (train(op="+="), checks.check_train_network_learns_xor, f"{NAMED} flip the sign of the update"),
    (train(last_only=True), checks.check_train_network_learns_xor,
     f"{NAMED} update with the gradients of the last example only"),
    (train(record="after"), checks.check_train_network_trajectory, f"{NAMED} record the loss after the update"),
    (train(scale=""), checks.check_train_network_trajectory, f"{NAMED} add up the gradients of the four examples"),
    (SUBMISSIONS.PER_EXAMPLE, checks.check_train_network_trajectory, f"{NAMED} update after every single example"),
]


@pytest.mark.parametrize("source,check,words", TRAIN_MISTAKES, ids=[m[2] for m in TRAIN_MISTAKES])
def test_each_training_mistake_is_named_by_the_first_check_it_fails(source, check, words):
    message = first_failure(SOLVED + source, TRAIN_CHECKS, check, "train_network")
    assert words in message and "Hint:" in message


@pytest.mark.parametrize("mistake,words", [(gradients(two=""), "drop the factor 2"),
                                           (gradients(hidden_slope=""), "leave out the hidden neurons' sigmoid slope")])
def test_a_gradient_mistake_shows_in_a_loop_built_on_network_gradients(mistake, words):
    namespace = run_answer(output() + mistake + SUBMISSIONS.OWN_FUNCTIONS_TRAIN)
    passes(checks.check_train_network_shape, namespace)
    message = fails_with(checks.check_train_network_trajectory, namespace)
    assert f"{NAMED} {words}" in message and "(check network_gradients first)" in message


def test_right_loops_pass_every_check_naming_nothing():
    for source in (train(), SUBMISSIONS.NUMPY_TRAIN, SOLVED + SUBMISSIONS.OWN_FUNCTIONS_TRAIN):
        namespace = run_answer(source)
        said = "".join(passes(check, namespace) for check in TRAIN_CHECKS)
        assert "the arguments are left as they were" in said and "from 0.2512 to 0.0031" in said
        assert "the trained network is the expected one" in said and NAMED not in said


def lesson_lists():
    """A namespace with the lesson's network, as the notebook's cell under "A forward pass by hand" defines it."""
    return {"In": [""], "hidden_weights": [[0.69, 0.52], [-0.16, -0.48]], "hidden_biases": [0.02, -0.19],
            "output_weights": [0.57, -0.39], "output_bias": -0.05}


def test_an_in_place_loop_is_told_what_to_run_again_if_it_changed_the_lessons_lists():
    """A first train_network that changes its arguments, run by the notebook's "try it" cell on copies: the
    lesson's lists are safe, and the message says what to run again if an earlier run changed them."""
    namespace = run_answer(SOLVED + train(start=SUBMISSIONS.IN_PLACE), lesson_lists())
    message = fails_with(checks.check_train_network_shape, namespace)
    assert ("the hidden_weights, hidden_biases and output_weights you passed in had changed: train_network "
            "modified its arguments.") in message
    assert ("If you ran train_network on the lesson's own lists before, they changed too: after the fix, run the "
            'cell that defines hidden_weights again (under "A forward pass by hand"), then the "try it" cell of '
            "train_network.") in message


def test_an_in_place_loop_that_changed_the_lessons_lists_is_told_so():
    """The same loop, after a run on the lesson's own lists (the notebook's "try it" cell before issue 29):
    the message says which of them changed, and which cell to run again."""
    namespace = run_answer(SOLVED + train(start=SUBMISSIONS.IN_PLACE), lesson_lists())
    run_answer("train_network([([0.0, 1.0], 1.0)], hidden_weights, hidden_biases, output_weights, output_bias, "
               "2.0, 3)", namespace)
    assert namespace["hidden_weights"] != lesson_lists()["hidden_weights"]
    message = fails_with(checks.check_train_network_shape, namespace)
    assert ("Your notebook's own hidden_weights, hidden_biases and output_weights are no longer the lesson's start "
            "either: a run of train_network on them changed them. After the fix, run the cell that defines "
            'hidden_weights again (under "A forward pass by hand"), then the "try it" cell of '
            "train_network.") in message
    assert "If you ran" not in message


def test_later_training_checks_with_a_broken_shape_point_to_the_shape_check():
    namespace = run_answer(train().replace("return hw, hb, ow, ob, losses", "return hw, hb, ow, ob"))
    assert "should return five things" in fails_with(checks.check_train_network_shape, namespace)
    for check in TRAIN_CHECKS[1:]:
        assert "test_train_network_shape" in fails_with(check, namespace)


STUBS = {
    "network_output": ("def network_output(hidden_weights, hidden_biases, output_weights, output_bias, inputs):\n"
                       "    hidden = []\n"
                       "    raise NotImplementedError(\"compute the hidden layer, then the output neuron\")\n",
                       OUTPUT_CHECKS),
    "network_gradients": ("def network_gradients(hidden_weights, hidden_biases, output_weights, output_bias, inputs, "
                          "target):\n    raise NotImplementedError(\"compute the four gradients\")\n", GRADIENT_CHECKS),
    "train_network": ("def train_network(data, hidden_weights, hidden_biases, output_weights, output_bias, lr, "
                      "epochs):\n"
                      "    losses = []\n    for epoch in range(epochs):\n"
                      "        raise NotImplementedError(\"write the training loop\")\n"
                      "    return hidden_weights, hidden_biases, output_weights, output_bias, losses\n", TRAIN_CHECKS),
}


@pytest.mark.parametrize("name", STUBS)
def test_untouched_stubs_and_missing_functions_get_a_sentence_not_a_traceback(name):
    stub, all_checks = STUBS[name]
    for check in all_checks:
        assert "NotImplementedError" in fails_with(check, run_answer(stub))
        assert f"The function `{name}` is not defined yet" in fails_with(check, run_answer(""))
