"""What a student reads from lesson 09's visible checks: wrong answer in, the right message out."""
import pytest

from course.exercises import reading_digits as checks
from tests.support.grading import load_submissions
from tests.support.messages import fails_with, passes, run_answer

# The same builder the round trip's variants are made of, one knob turned to a mistake.
SUBMISSIONS = load_submissions("09_reading_digits")
train = SUBMISSIONS.train
NAMED = "That is what you get if you"
SHAPE, LEARNS, TRAJECTORY = (checks.check_train_classifier_shape, checks.check_train_classifier_learns,
                             checks.check_train_classifier_trajectory)


# ------------------------------------------------------------------ order_minibatch
@pytest.mark.parametrize("source", ['minibatch_order = ["E", "B", "D", "F", "A", "C"]',
                                    'minibatch_order = " e b d f a c "',
                                    "minibatch_order = ('e', 'B', 'd', 'F', 'a', 'c')"])
def test_the_right_order_passes_in_any_form(source):
    assert "only then the update (C)" in passes(checks.check_order_minibatch, run_answer(source))


@pytest.mark.parametrize("order,words", [
    ("EBDFCA", "the update C changes W2 before A uses it"),
    ("BEDFAC", "which line E has not made yet"),
    ("EBFDAC", "Line F needs H"),
    ("EDBFAC", "before line B has chosen it"),
    ("ABCDEF", "the order the lines are listed in"),
    ("EBDFAA", "exactly once"),
])
def test_wrong_orders_get_their_own_hint_not_the_answer(order, words):
    message = fails_with(checks.check_order_minibatch, run_answer(f"minibatch_order = {list(order)!r}"))
    assert message.startswith("order_minibatch: not yet.") and words in message
    assert "EBDFAC" not in message.replace(" ", "") and "only then the update" not in message


def test_an_order_with_no_named_mistake_gets_the_general_hint():
    message = fails_with(checks.check_order_minibatch, run_answer('minibatch_order = ["F", "E", "D", "C", "B", "A"]'))
    assert "is not the order of the lines yet" in message and "every name it uses" in message


@pytest.mark.parametrize("source,words", [
    ('minibatch_order = ["?", "?", "?", "?", "?", "?"]', 'still holds the placeholder "?"'),
    ("minibatch_order = [E, B, D, F, A, C]", "have no quotes"),
    ('minibatch_order = ["E", "B", "D"]', "exactly once"),
    ("", "The variable `minibatch_order` is not defined yet"),
    ("from course.widgets import reading_digits\nminibatch_order = list(reading_digits.__name__[:6])",
     "uses the course's own code"),
])
def test_unfinished_orders(source, words):
    assert words in fails_with(checks.check_order_minibatch, run_answer(source))


# ------------------------------------------------------------------ train_classifier
def test_the_builder_with_every_knob_at_rest_passes_all_three_checks():
    namespace = run_answer(train())
    for check in (SHAPE, LEARNS, TRAJECTORY):
        passes(check, namespace)


@pytest.mark.parametrize("source,check,words", [
    (train(order="np.arange(n)"), TRAJECTORY, "skip the shuffle"),
    (train(order="np.random.default_rng(seed).permutation(n)"), TRAJECTORY, "the same order each time"),
    (train(order="np.random.RandomState(seed + e).permutation(n)"), TRAJECTORY, "np.random.RandomState"),
    (train(order="rng.permutation(n)").replace("    history = []\n",
                                               "    history = []\n    rng = np.random.default_rng(seed)\n"),
     TRAJECTORY, "from one generator made once"),
    (train(divide="1"), TRAJECTORY, "leave out the division by len(idx)"),
    (train(divide="batch_size"), TRAJECTORY, "divide by batch_size instead of len(idx)"),
    (train(divide="n"), TRAJECTORY, "divide by n, the number of all examples"),
    (train(target="labels[idx][:, None]"), TRAJECTORY, "subtract the labels themselves, P - labels[idx][:, None]"),
    (train(target="labels[idx]"), TRAJECTORY, "subtract the labels themselves, P - labels[idx],"),
    (train(slope="1"), TRAJECTORY, "leave out tanh's slope"),
    (train(slope="H * (1 - H)"), TRAJECTORY, "use the sigmoid's slope"),
    (train(record="before"), TRAJECTORY, "at the start of each epoch instead of after"),
    (train(stop="n - batch_size + 1"), TRAJECTORY, "drop the last, smaller batch"),
    (train(w2_first=True), TRAJECTORY, "update W2 before computing dA"),
    (train(op="+="), TRAJECTORY, "add lr times the gradient instead of subtracting it"),
])
def test_each_named_mistake_is_named(source, check, words):
    message = fails_with(check, run_answer(source))
    assert message.startswith("train_classifier: not yet.") and NAMED in message and words in message
    assert "should be about [0.9809, 0.9346, 0.8415]" in message  # what was expected, and what came back
    assert "Hint:" in message


@pytest.mark.parametrize("source,words", [
    (train(divide="1"), "the loss rose from 2.372"),
    (train(target="labels[idx][:, None]"), "9.3% of the images are read right"),
    (train(slope="H * (1 - H)"), "the steps are far too big"),
    (train(op="+="), "moving uphill"),
])
def test_a_loop_that_does_not_learn_the_digits_is_told_so(source, words):
    message = fails_with(LEARNS, run_answer(source))
    assert message.startswith("train_classifier: not yet.") and words in message and "Hint:" in message


@pytest.mark.parametrize("check", [SHAPE, LEARNS, TRAJECTORY])
def test_a_missing_transpose_is_named_by_every_check(check):
    message = fails_with(check, run_answer(train(dW2="H @ dZ")))
    assert "raised ValueError" in message and "is a transpose missing?" in message and "H.T @ dZ" in message


def test_labels_that_do_not_fit_the_probabilities_are_named():
    message = fails_with(SHAPE, run_answer(train(target="labels")))
    assert "raised ValueError" in message and "one-hot rows" in message


def test_arguments_changed_in_place_fail_the_shape_check_only():
    namespace = run_answer(train(start="params"))
    message = fails_with(SHAPE, namespace)
    assert "W1, b1, W2, b2 passed in had changed" in message and "copies" in message
    passes(LEARNS, namespace)
    passes(TRAJECTORY, namespace)


def test_the_released_stub_says_the_loop_is_not_written():
    stub = '''import numpy as np


def train_classifier(X, labels, params, lr, epochs, batch_size, seed=0):
    history = []
    for e in range(epochs):
        raise NotImplementedError("write the mini-batch training loop")
    return params, history
'''
    for check in (SHAPE, LEARNS, TRAJECTORY):
        assert "still raises NotImplementedError" in fails_with(check, run_answer(stub))


@pytest.mark.parametrize("body,words", [
    ("return params", "should return two things"),
    ("return list(params)[:3], []", "should be the four parameters"),
    ("return tuple(p.T for p in params), [0.0] * epochs", "should have the shape (5, 4)"),
    ("return tuple(p + 1 for p in params), [0.0] * (epochs + 1)", "history should be a list of 2 numbers"),
    ("return tuple(p.copy() for p in params), [0.0] * epochs", "returned the starting parameters unchanged"),
])
def test_results_of_the_wrong_shape(body, words):
    source = f"def train_classifier(X, labels, params, lr, epochs, batch_size, seed=0):\n    {body}\n"
    assert words in fails_with(SHAPE, run_answer(source))


def test_a_hard_coded_loop_passes_the_tiny_example_but_not_the_digits():
    namespace = run_answer(SUBMISSIONS.HARD_CODED)
    passes(TRAJECTORY, namespace)
    assert "make the shape check above" in fails_with(LEARNS, namespace)


@pytest.mark.parametrize("name", ["EINSUM", "PER_EXAMPLE"])
def test_right_loops_written_differently_pass(name):
    namespace = run_answer(getattr(SUBMISSIONS, name))
    for check in (SHAPE, LEARNS, TRAJECTORY):
        passes(check, namespace)


# ------------------------------------------------------------------ quiz_overfitting
@pytest.mark.parametrize("source", ['overfitting_answer = "B"', 'overfitting_answer = " b "'])
def test_quiz_right_in_any_case(source):
    assert "learning its training images by heart" in passes(checks.check_quiz_overfitting, run_answer(source))


@pytest.mark.parametrize("letter,words", [("A", "a learning rate that is too big"),
                                          ("C", "the run you want"), ("D", "That is underfitting")])
def test_quiz_wrong_letters_get_their_own_hint_not_the_answer(letter, words):
    message = fails_with(checks.check_quiz_overfitting, run_answer(f'overfitting_answer = "{letter}"'))
    assert message.startswith("quiz_overfitting: not yet.") and words in message and "Hint:" in message
    assert "by heart: which curve" in message and "In B" not in message


@pytest.mark.parametrize("source,words", [('overfitting_answer = "?"', "should be one of A, B, C, D"),
                                          ("overfitting_answer = B", "has no quotes"),
                                          ("overfitting_answer = 2", "should be a string")])
def test_quiz_unfinished_answers(source, words):
    assert words in fails_with(checks.check_quiz_overfitting, run_answer(source))
