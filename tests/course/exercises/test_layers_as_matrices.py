"""What a student reads from lesson 07's visible checks: wrong answer in, the right message out."""
import re

import pytest

from course.exercises import layers_as_matrices as checks
from tests.support.grading import load_submissions
from tests.support.messages import fails_with, first_failure, passes, run_answer

# The same builders the round trip's variants are made of, one knob turned to a mistake.
SUBMISSIONS = load_submissions("07_layers_as_matrices")
forward, gradient, backward = SUBMISSIONS.forward, SUBMISSIONS.gradient, SUBMISSIONS.backward

FORWARD_CHECKS = [checks.check_dense_forward, checks.check_dense_forward_any_shape]
BACKWARD_CHECKS = [checks.check_dense_backward_params, checks.check_dense_backward_inputs,
                   checks.check_dense_backward_any_shape]
NAMED = "That is the value you get if you"


# ------------------------------------------------------------------ the quizzes
@pytest.mark.parametrize("source", ['shapes_answer = "C"', 'shapes_answer = " c "'])
def test_quiz_shapes_right_in_any_case(source):
    assert "the examples (rows) and the neurons (columns) stay" in passes(checks.check_quiz_shapes, run_answer(source))


@pytest.mark.parametrize("letter,words", [("A", "the layer has 3 neurons"), ("B", "That is the shape of W itself"),
                                          ("D", "the rows of the result come from the rows of X")])
def test_quiz_shapes_wrong_letters_get_their_own_hint_not_the_answer(letter, words):
    message = fails_with(checks.check_quiz_shapes, run_answer(f'shapes_answer = "{letter}"'))
    assert message.startswith("quiz_shapes: not yet.") and words in message and "Hint:" in message
    assert "(32, 3)" not in message and '"C"' not in message


@pytest.mark.parametrize("source", ['zero_init_answer = "B"', "zero_init_answer = ' b'"])
def test_quiz_zero_init_right_in_any_case(source):
    assert "random starting weights break that symmetry" in passes(checks.check_quiz_zero_init, run_answer(source))


@pytest.mark.parametrize("letter,words", [("A", "The sigmoid of 0 is 0.5"), ("C", "the weights did move from zero"),
                                          ("D", "the learning rate times the gradient")])
def test_quiz_zero_init_wrong_letters_get_their_own_hint(letter, words):
    message = fails_with(checks.check_quiz_zero_init, run_answer(f'zero_init_answer = "{letter}"'))
    assert message.startswith("quiz_zero_init: not yet.") and words in message and "Hint:" in message
    assert "symmetry" not in message


@pytest.mark.parametrize("source,words", [('shapes_answer = "?"', "should be one of A, B, C, D"),
                                          ("shapes_answer = C", "has no quotes"),
                                          ("shapes_answer = (32, 3)", "should be a string"),
                                          ("", "The variable `shapes_answer` is not defined yet")])
def test_quiz_unfinished_answers(source, words):
    assert words in fails_with(checks.check_quiz_shapes, run_answer(source))


# ------------------------------------------------------------------ dense_forward
def test_right_forward_passes_both_cells_and_shows_lesson_6s_hidden_outputs():
    namespace = run_answer(forward())
    said = passes(checks.check_dense_forward, namespace)
    assert "[0.6704, 0.4134]" in said  # lesson 6's h0, h1 for the example (1, 0)
    assert "one input: shape (5, 3)" in passes(checks.check_dense_forward_any_shape, namespace)


def test_unwritten_forward_says_so():
    message = fails_with(checks.check_dense_forward, run_answer(
        "def dense_forward(X, W, b):\n    raise NotImplementedError()\n"))
    assert "still raises NotImplementedError" in message


def test_swapped_product_names_the_shapes():
    message = first_failure(forward(z="W @ X + b"), FORWARD_CHECKS, checks.check_dense_forward, "dense_forward")
    assert "It raised ValueError: matmul" in message
    assert "X is (4, 2) (4 examples, 2 inputs), W is (2, 2)" in message and "inner sizes must agree" in message


def test_a_transposed_result_is_called_transposed():
    message = first_failure(forward(out="(1 / (1 + np.exp(-z))).T"), FORWARD_CHECKS, checks.check_dense_forward,
                            "dense_forward")
    assert "an array of shape (2, 4), but the shape should be (4, 2)" in message
    assert "rows and columns are swapped" in message and "one row per example" in message


FORWARD_MISTAKES = [  # (dense_forward, words the message must hold after NAMED)
    (forward(out="z"), "leave out the sigmoid"),
    (forward(z="X @ W"), "leave out the bias b"),
    (forward(out="1 / (1 + np.exp(z))"), "use e^(+z) instead of e^(-z)"),
    (forward(z="X @ W.T + b"), "use W transposed, W.T, as lesson 6's hidden_weights[j][i] was"),
    (forward(z="X @ W", out="1 / (1 + np.exp(-z)) + b"), "add the bias after the sigmoid"),
]


@pytest.mark.parametrize("source,words", FORWARD_MISTAKES, ids=[m[1] for m in FORWARD_MISTAKES])
def test_each_forward_mistake_is_named(source, words):
    message = first_failure(source, FORWARD_CHECKS, checks.check_dense_forward, "dense_forward")
    assert f"{NAMED} {words}" in message and "Hint:" in message
    assert "It returned [[" in message and "but it should be about [[0.505, 0.4526]" in message


def test_a_layer_right_only_for_two_neurons_is_pointed_at_the_shapes():
    only_two = forward(z="X[:, :2] @ W[:2, :2] + b[:2]")
    namespace = run_answer(only_two)
    message = fails_with(checks.check_dense_forward_any_shape, namespace)
    assert "dense_forward(X, W, b) with" in message and "Hint:" in message


def test_any_shape_failure_sends_back_to_the_first_cell_when_that_fails_too():
    message = fails_with(checks.check_dense_forward_any_shape, run_answer(forward(out="z")))
    assert "make dense_forward right for the lesson's layers first" in message


# ------------------------------------------------------------------ mse_grad
def test_the_released_blanks_are_named():
    message = fails_with(checks.check_mse_grad, run_answer(gradient("___ * (outputs - targets) / ___")))
    assert "still has blanks `___`" in message


def test_right_gradient_passes_both_examples():
    said = passes(checks.check_mse_grad, run_answer(gradient()))
    assert "two columns example" in said and "xor example" in said


MSE_MISTAKES = [  # (the completed line, words after NAMED)
    ("2 * (outputs - targets) / len(outputs)", "divide by len(outputs), the number of rows, instead of outputs.size"),
    ("(outputs - targets) / outputs.size", "leave out the factor 2"),
    ("2 * (targets - outputs) / outputs.size", "flip the sign"),
    ("2 * (outputs - targets)", "leave out the division"),
    ("2 * (outputs - targets) / outputs.shape[1]", "divide by the number of columns"),
]


@pytest.mark.parametrize("line,words", MSE_MISTAKES, ids=[m[0] for m in MSE_MISTAKES])
def test_each_gradient_mistake_is_named(line, words):
    message = fails_with(checks.check_mse_grad, run_answer(gradient(line)))
    assert message.startswith("mse_grad: not yet.") and f"{NAMED} {words}" in message and "Hint:" in message


def test_a_single_number_is_told_to_be_an_array():
    message = fails_with(checks.check_mse_grad, run_answer(gradient("np.mean(2 * (outputs - targets))")
                                                           .replace("def", "import numpy as np\n\n\ndef", 1)))
    assert "an array of shape ()" in message and "one entry per output" in message


# ------------------------------------------------------------------ dense_backward
def test_right_backward_passes_all_three_cells():
    namespace = run_answer(backward())
    for check in BACKWARD_CHECKS:
        passes(check, namespace)


def test_unwritten_backward_says_so():
    stub = ("def dense_backward(X, W, b, grad_out):\n    out = ...\n    grad_z = ...\n"
            "    raise NotImplementedError('compute grad_X, grad_W and grad_b, then return them')\n")
    assert "still raises NotImplementedError" in fails_with(checks.check_dense_backward_params, run_answer(stub))


BACKWARD_MISTAKES = [  # (dense_backward, the first check it fails, words after NAMED)
    (backward(grad_z="grad_out"), checks.check_dense_backward_params, "leave out the sigmoid's slope"),
    (backward(z="X @ W"), checks.check_dense_backward_params, "leave out the bias in the forward pass"),
    (backward(grad_b="grad_z.mean(axis=0)"), checks.check_dense_backward_params,
     "average grad_b over the examples (a mean) instead of adding it up"),
    (backward(grad_W="X.T @ grad_z / len(X)"), checks.check_dense_backward_params,
     "divide grad_W by the number of examples"),
    (backward(grad_W="grad_z.T @ X"), checks.check_dense_backward_params, "compute grad_W transposed"),
    (backward(grad_X="grad_z @ W"), checks.check_dense_backward_inputs,
     "multiply grad_z by W instead of by its transpose W.T"),
]


@pytest.mark.parametrize("source,check,words", BACKWARD_MISTAKES, ids=[m[2] for m in BACKWARD_MISTAKES])
def test_each_backward_mistake_is_named_by_the_first_check_it_fails(source, check, words):
    message = first_failure(source, BACKWARD_CHECKS, check, "dense_backward")
    assert f"{NAMED} {words}" in message and "Hint:" in message


def test_a_grad_X_mistake_keeps_the_parameters_cell():
    namespace = run_answer(backward(grad_X="grad_z @ W"))
    passes(checks.check_dense_backward_params, namespace)
    message = fails_with(checks.check_dense_backward_any_shape, namespace)
    assert "It raised ValueError" in message and "grad_X with the shape of X" in message


def test_a_grad_W_without_its_transpose_fails_on_the_shapes_but_keeps_the_inputs_cell():
    namespace = run_answer(backward(grad_W="X @ grad_z"))
    message = fails_with(checks.check_dense_backward_params, namespace)
    assert "It raised ValueError: matmul" in message and "grad_W must come out with the shape of W" in message
    passes(checks.check_dense_backward_inputs, namespace)


@pytest.mark.parametrize("grad_b,words", [("grad_z.sum(axis=1)", "shape (4,), but the shape should be (2,)"),
                                          ("grad_z.sum()", "shape (), but the shape should be (2,)"),
                                          ("grad_z.sum(axis=0, keepdims=True)", "shape (1, 2)")])
def test_a_grad_b_of_the_wrong_shape_is_pointed_at_the_rows(grad_b, words):
    message = fails_with(checks.check_dense_backward_params, run_answer(backward(grad_b=grad_b)))
    assert f"Its grad_b is an array of {words}" in message and "over the examples, the rows (axis=0)" in message


def test_gradients_in_the_wrong_order_are_told_the_order():
    source = backward().replace("return grad_X, grad_W, grad_b", "return grad_W, grad_b, grad_X")
    message = fails_with(checks.check_dense_backward_params, run_answer(source))
    assert "in another order" in message and "(grad_X, grad_W, grad_b)" in message


def test_two_gradients_are_told_to_return_three():
    source = backward().replace("return grad_X, grad_W, grad_b", "return grad_W, grad_b")
    assert "should return three arrays" in fails_with(checks.check_dense_backward_params, run_answer(source))


def test_a_missing_return_is_named():
    source = backward().replace("return grad_X, grad_W, grad_b", "grad_X, grad_W, grad_b")
    assert "returned None" in fails_with(checks.check_dense_backward_params, run_answer(source))


# ------------------------------------------------------------------ messages stay readable
def test_no_unrounded_float_in_any_message():
    """Numbers in messages have 4 significant digits: no 0.5049998333399998 is shown to a student."""
    sources = [forward(out="z"), gradient("2 * (outputs - targets) / len(outputs)"), backward(grad_z="grad_out")]
    checks_of = [checks.check_dense_forward, checks.check_mse_grad, checks.check_dense_backward_params]
    for source, check in zip(sources, checks_of):
        message = fails_with(check, run_answer(source))
        assert re.findall(r"\d\.\d{6,}", message) == []


# ------------------------------------------------------------------ the lesson's own code is no answer
def test_a_forward_pass_built_on_the_lessons_activation_curves_is_told_to_stand_alone():
    """At home the lesson's activation_curves computes a sigmoid of any array; while grading it is not there."""
    source = ("from course.layers_as_matrices import activation_curves\n\n\n"
              "def dense_forward(X, W, b):\n    return activation_curves(X @ W + b)['sigmoid'][0]\n")
    message = fails_with(checks.check_dense_forward, run_answer(source))
    assert "calls the course's own lesson code (course.layers_as_matrices.activation_curves)" in message
    assert "write the computation yourself" in message
