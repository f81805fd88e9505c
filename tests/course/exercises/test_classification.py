"""What a student reads from lesson 08's visible checks: wrong answer in, the right message out."""
import numpy as np
import pytest

from course.checks import reveal
from course.exercises import classification as checks
from tests.support.grading import load_submissions
from tests.support.messages import fails_with, first_failure, passes, run_answer

# The same builders the round trip's variants are made of, one knob turned to a mistake.
SUBMISSIONS = load_submissions("08_classification")
softmax, cross_entropy, gradient, accuracy = (SUBMISSIONS.softmax, SUBMISSIONS.cross_entropy, SUBMISSIONS.gradient,
                                              SUBMISSIONS.accuracy)
NAMED = "That is the value you get if you"


def message(source, check, exercise, before=()):
    """The message of ``check`` on the answer ``source``, after the checks ``before`` it passed."""
    said = first_failure(source, [*before, check], check, exercise)
    assert "Hint:" in said
    return said


# ------------------------------------------------------------------ right answers, written several ways
@pytest.mark.parametrize("name", ["loops", "numpy_alternatives"])
def test_right_answers_written_differently_pass_every_check(name):
    answers = getattr(SUBMISSIONS, name.upper())
    namespace = run_answer("\n".join(answers[key] for key in ("softmax", "cross_entropy", "softmax_ce_gradient",
                                                                "fix_accuracy")))
    for check in (checks.check_softmax, checks.check_softmax_large, checks.check_cross_entropy,
                  checks.check_softmax_ce_gradient, checks.check_softmax_ce_gradient_batch, checks.check_fix_accuracy):
        assert "\u2714" in passes(check, namespace)


def test_a_right_softmax_says_the_rows_sum_to_one():
    said = passes(checks.check_softmax, run_answer(softmax()))
    assert said.count("every row sums to 1") == 3


# ------------------------------------------------------------------ softmax
SOFTMAX_MISTAKES = [  # (softmax, the check that names it, words)
    (softmax(shift="Z - np.max(Z, axis=0, keepdims=True)", total="np.sum(powers, axis=0, keepdims=True)"),
     checks.check_softmax, "take the max and the sum over axis 0, down each column"),
    (softmax(total="np.sum(powers)"), checks.check_softmax, "divide by the sum of the whole matrix"),
    (softmax(powers="shifted", shift="Z"), checks.check_softmax, "leave out np.exp"),
    (softmax(shift="Z"), checks.check_softmax_large, "leave out the shift by each row's largest score"),
    (softmax(shift="Z - np.max(Z)"), checks.check_softmax_large,
     "shift by the largest score of the whole matrix instead of each row's own largest"),
]


@pytest.mark.parametrize("source,check,words", SOFTMAX_MISTAKES, ids=[m[2][:40] for m in SOFTMAX_MISTAKES])
def test_each_softmax_mistake_is_named_by_the_first_check_it_fails(source, check, words):
    before = [checks.check_softmax] if check is checks.check_softmax_large else []
    assert f"{NAMED} {words}" in message(source, check, "softmax", before)


def test_an_overflow_is_explained_in_words():
    said = message(softmax(shift="Z"), checks.check_softmax_large, "softmax", [checks.check_softmax])
    assert "6 of its entries are nan or inf" in said and "np.exp(1000) is inf" in said


def test_a_flat_row_maximum_is_told_about_keepdims():
    said = message(softmax(shift="Z - np.max(Z, axis=1)", total="np.sum(powers, axis=1)"), checks.check_softmax,
                   "softmax")
    assert "raised ValueError: operands could not be broadcast" in said and "keepdims=True" in said


def test_keepdims_left_out_on_a_square_matrix_is_named():
    """Row maxima as a flat array line up with the columns: no error when n == k, just wrong numbers."""
    namespace = run_answer(softmax(shift="Z - np.max(Z, axis=1)", total="np.sum(powers, axis=1)"))
    case, Z, _, _ = checks.SOFTMAX_CASES[1]
    value = namespace["softmax"](np.array(Z)).tolist()
    assert reveal(f"softmax:{case}", value)[1].startswith("leave out keepdims=True")


WRONG_SHAPE = """import numpy as np


def softmax(Z):
    powers = np.exp(Z - Z.max(axis=1, keepdims=True))
    return powers.sum(axis=1)
"""


def test_a_softmax_of_the_wrong_shape_says_which_shape():
    said = message(WRONG_SHAPE, checks.check_softmax, "softmax")
    assert "should be an array of shape (2, 3)" in said and "one number per row" in said


def test_an_unwritten_softmax_says_so():
    stub = "import numpy as np\n\n\ndef softmax(Z):\n    raise NotImplementedError()\n"
    assert "still raises NotImplementedError" in message(stub, checks.check_softmax, "softmax")


# ------------------------------------------------------------------ cross_entropy
CE_MISTAKES = [
    (cross_entropy(reduce="np.sum"), "add the rows' losses up instead of taking their mean"),
    (cross_entropy(pick="P[:, labels]"), "write P[:, labels], which takes EVERY row at every label's column"),
    (cross_entropy(pick="P.max(axis=1)"), "take -log of each row's largest probability"),
    (cross_entropy(pick="P"), "average -log over every entry of P"),
    (SUBMISSIONS.ONE_HOT_MEAN_CE, "average -Y * log(P) over all n * k entries"),
    (cross_entropy(minus=""), "leave out the minus sign"),
    (cross_entropy(log="np.log10"), "use np.log10"),
]


@pytest.mark.parametrize("source,words", CE_MISTAKES, ids=[m[1][:30] for m in CE_MISTAKES])
def test_each_cross_entropy_mistake_is_named(source, words):
    said = message(source, checks.check_cross_entropy, "cross_entropy")
    assert f"{NAMED} {words}" in said
    assert "should be about 0.7469, but it returned" in said  # 4 significant digits, no unrounded float


def test_a_right_cross_entropy_passes():
    assert "= 0.7469" in passes(checks.check_cross_entropy, run_answer(cross_entropy()))


# ------------------------------------------------------------------ predict_ce_output
def test_the_predicted_line_passes_in_any_case_and_spacing():
    said = passes(checks.check_predict_ce_output, run_answer('predicted_ce_output = "  CROSS-ENTROPY:   1.0397 "'))
    assert "their mean is 1.0397" in said


@pytest.mark.parametrize("typed,words", [("cross-entropy: 2.0794", "the total of the two rows' losses"),
                                         ("cross-entropy: 1.2130", "P[:, labels]"),
                                         ("cross-entropy: 0.6931", "row 1's label is 2"),
                                         ("cross-entropy: 1.04", "four digits after the point"),
                                         ("1.0397", "type the whole line")])
def test_near_misses_of_the_predicted_line_get_their_own_hint(typed, words):
    said = message(f'predicted_ce_output = "{typed}"', checks.check_predict_ce_output, "predict_ce_output")
    assert words in said and "1.0397" not in said.replace(typed, "")


@pytest.mark.parametrize("source,words", [("predicted_ce_output = cross", "no quotes"),
                                          ('predicted_ce_output = "..."', "still the placeholder")])
def test_unfinished_predicted_lines(source, words):
    assert words in fails_with(checks.check_predict_ce_output, run_answer(source))


# ------------------------------------------------------------------ softmax_ce_gradient
GRADIENT_MISTAKES = [  # (softmax_ce_gradient, the check that names it, words)
    (gradient(difference="Y - P"), checks.check_softmax_ce_gradient, "flip the sign, writing Y - P"),
    (gradient(targets="labels[:, None]"), checks.check_softmax_ce_gradient,
     "subtract the label numbers themselves from P (labels[:, None])"),
    (gradient(targets="0.0"), checks.check_softmax_ce_gradient, "leave out Y"),
    (gradient(divide=" / k"), checks.check_softmax_ce_gradient, "divide by k, the number of classes"),
    # for one example n * k is k: the first check names both
    (gradient(divide=" / Z.size"), checks.check_softmax_ce_gradient, "divide by k, the number of classes (or by n * k"),
    (gradient(axis="0"), checks.check_softmax_ce_gradient, "compute the softmax down the columns"),
    (gradient(divide=""), checks.check_softmax_ce_gradient_batch, "leave out the division by n"),
]


@pytest.mark.parametrize("source,check,words", GRADIENT_MISTAKES, ids=[m[2][:30] for m in GRADIENT_MISTAKES])
def test_each_gradient_mistake_is_named_by_the_first_check_it_fails(source, check, words):
    before = [checks.check_softmax_ce_gradient] if check is checks.check_softmax_ce_gradient_batch else []
    assert f"{NAMED} {words}" in message(source, check, "softmax_ce_gradient", before)


def test_the_batch_check_names_a_division_by_all_the_entries():
    said = message(gradient(divide=" / Z.size"), checks.check_softmax_ce_gradient_batch, "softmax_ce_gradient")
    assert f"{NAMED} divide by n * k, the number of entries" in said


def test_labels_subtracted_from_a_batch_are_told_to_become_one_hot_rows():
    said = message(gradient(targets="labels"), checks.check_softmax_ce_gradient_batch, "softmax_ce_gradient")
    assert "raised ValueError: operands could not be broadcast" in said and "one-hot" in said


def test_a_batch_failure_after_a_failing_single_row_points_back_first():
    namespace = run_answer(gradient(difference="Y - P", divide=" / (n + 1)"))
    said = fails_with(checks.check_softmax_ce_gradient_batch, namespace)
    assert "make one example right first" in said


# ------------------------------------------------------------------ quiz_mse_for_classes
@pytest.mark.parametrize("source", ['mse_for_classes_answer = "C"', 'mse_for_classes_answer = " c "'])
def test_quiz_right_in_any_case(source):
    assert "biggest exactly when the mistake is" in passes(checks.check_quiz_mse_for_classes, run_answer(source))


@pytest.mark.parametrize("letter,words", [("A", "without any trouble"), ("B", "the other way round"),
                                          ("D", "8.0 against 0.67")])
def test_quiz_wrong_letters_get_their_own_hint_not_the_answer(letter, words):
    said = message(f'mse_for_classes_answer = "{letter}"', checks.check_quiz_mse_for_classes, "quiz_mse_for_classes")
    assert words in said and "biggest exactly" not in said and '"C"' not in said


# ------------------------------------------------------------------ fix_accuracy
def test_the_classmates_code_as_given_is_told_so_not_where():
    said = message(accuracy(pick="np.argmax(P, axis=0)"), checks.check_fix_accuracy, "fix_accuracy")
    assert "still your classmate's code as given" in said and "axis" not in said.split("Hint:")[-1]


ACCURACY_MISTAKES = [
    (accuracy(pick="P.argmax(0)"), "take the argmax over axis 0, down each column"),
    (accuracy(pick="np.argmax(P)"), "compare the labels with something other than one class per row"),
    (accuracy(pick="np.max(P, axis=1)"), "compare the labels with something other than one class per row"),
    (accuracy(reduce="np.sum"), "count the rows that are right instead of taking the fraction"),
]


@pytest.mark.parametrize("source,words", ACCURACY_MISTAKES, ids=[m[1][:30] for m in ACCURACY_MISTAKES])
def test_each_accuracy_mistake_is_named(source, words):
    assert f"{NAMED} {words}" in message(source, checks.check_fix_accuracy, "fix_accuracy")


def test_the_fixed_accuracy_passes():
    assert "= 0.5" in passes(checks.check_fix_accuracy, run_answer(accuracy()))
