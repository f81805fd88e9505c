"""What a student reads from lesson 03's visible checks: wrong answer in, the right message out."""
import pytest

from course.exercises import backpropagation as checks
from tests.support.messages import fails_with, first_failure, passes, run_answer


def _weight(expression):
    return f"def weight_gradient(w, x, target):\n    return {expression}\n"


def _numerical(expression, signature="f, w, eps=1e-6"):
    return f"def numerical_gradient({signature}):\n    return {expression}\n"


def _chain(grad_w1, grad_w2):
    """A chain_gradients returning the given expressions (in terms of e = output - target, h, w1, w2, x)."""
    return ("def chain_gradients(w1, w2, x, target):\n    h = w1 * x\n    e = w2 * h - target\n"
            f"    return {grad_w1}, {grad_w2}\n")


RIGHT_WEIGHT = _weight("2 * (w * x - target) * x")
RIGHT_NUMERICAL = _numerical("(f(w + eps) - f(w - eps)) / (2 * eps)")
RIGHT_CHAIN = _chain("2 * e * w2 * x", "2 * e * h")

ORDER = [checks.check_weight_gradient, checks.check_numerical_gradient,
         checks.check_chain_gradients_w2, checks.check_chain_gradients_w1]

MISTAKES = [  # (answer cell, exercise, the check that must name it first, words the message must hold)
    (_weight("(w * x - target) * x"), "weight_gradient", checks.check_weight_gradient, "factor 2"),
    (_weight("2 * (w * x - target)"), "weight_gradient", checks.check_weight_gradient, "factor x"),
    (_weight("2 * (target - w * x) * x"), "weight_gradient", checks.check_weight_gradient, "flip the sign"),
    (_weight("(w * x - target) ** 2"), "weight_gradient", checks.check_weight_gradient, "the loss itself"),
    (_weight("2 * (w * x - target) * w"), "weight_gradient", checks.check_weight_gradient, "multiply by w instead"),
    (_numerical("(f(w + eps) - f(w)) / eps"), "numerical_gradient", checks.check_numerical_gradient,
     "forward difference"),
    (_numerical("(f(w) - f(w - eps)) / eps"), "numerical_gradient", checks.check_numerical_gradient,
     "backward difference"),
    (_numerical("(f(w + eps) - f(w - eps)) / eps"), "numerical_gradient", checks.check_numerical_gradient,
     "divide by eps instead"),
    (_numerical("(f(w + 1e-6) - f(w - 1e-6)) / 2e-6"), "numerical_gradient", checks.check_numerical_gradient,
     "ignore the eps you are given"),
    (_numerical("(f(w + 1e-4) - f(w - 1e-4)) / 2e-4"), "numerical_gradient", checks.check_numerical_gradient,
     "ignore the eps you are given"),
    (_numerical("(f(w - eps) - f(w + eps)) / (2 * eps)"), "numerical_gradient", checks.check_numerical_gradient,
     "flip the sign"),
    (_numerical("(f(w + eps) - f(w - eps)) / (2 * eps)", "f, w, eps=1e-4"), "numerical_gradient",
     checks.check_numerical_gradient, "whose default value is 1e-6, but its default is 0.0001"),
    (_numerical("(f(w + eps) - f(w - eps)) / (2 * eps)", "f, w, eps"), "numerical_gradient",
     checks.check_numerical_gradient, "but its default is missing"),
    (_numerical("(f(w + h) - f(w - h)) / (2 * h)", "f, w, h=1e-6"), "numerical_gradient",
     checks.check_numerical_gradient, "parameter named eps, but its parameters are (f, w, h)"),
    (_chain("2 * e * h", "2 * e * w2 * x"), "chain_gradients", checks.check_chain_gradients_w2, "wrong order"),
    (_chain("e * w2 * x", "e * h"), "chain_gradients", checks.check_chain_gradients_w2, "factor 2"),
    (_chain("-2 * e * w2 * x", "-2 * e * h"), "chain_gradients", checks.check_chain_gradients_w2, "flip the sign"),
    (_chain("2 * e * w2", "2 * e * w1"), "chain_gradients", checks.check_chain_gradients_w2, "factor x"),
    (_chain("2 * e * w2 * x", "2 * e * x"), "chain_gradients", checks.check_chain_gradients_w2, "factor w1"),
    (_chain("2 * e", "2 * e"), "chain_gradients", checks.check_chain_gradients_w2, "stop at 2 * (output - target)"),
    (_chain("2 * e * x", "2 * e * h"), "chain_gradients", checks.check_chain_gradients_w1, "lost chain factor w2"),
    (_chain("2 * e * w2", "2 * e * h"), "chain_gradients", checks.check_chain_gradients_w1, "factor x"),
    (_chain("2 * e", "2 * e * h"), "chain_gradients", checks.check_chain_gradients_w1,
     "stop at 2 * (output - target)"),
]


@pytest.mark.parametrize("source,exercise,check,words", MISTAKES, ids=[f"{m[1]}: {m[3]}" for m in MISTAKES])
def test_each_mistake_is_named_by_the_first_check_it_fails(source, exercise, check, words):
    answers = (source + RIGHT_WEIGHT * (exercise != "weight_gradient")
               + RIGHT_NUMERICAL * (exercise != "numerical_gradient") + RIGHT_CHAIN * (exercise != "chain_gradients"))
    message = first_failure(answers, ORDER, check, exercise)
    assert words in message


@pytest.mark.parametrize("source,words", [(m[0], m[3]) for m in MISTAKES
                                          if m[2] is checks.check_chain_gradients_w2],
                         ids=[m[3] for m in MISTAKES if m[2] is checks.check_chain_gradients_w2])
def test_the_w1_check_names_only_what_the_w2_check_already_named(source, words):
    """When dL/dw2 is wrong too, the dL/dw1 check points back to it and names no other mistake."""
    namespace = run_answer(source)
    if words == "factor w1":  # only dL/dw2 is wrong: the dL/dw1 check has nothing to blame
        passes(checks.check_chain_gradients_w1, namespace)
        return
    message = fails_with(checks.check_chain_gradients_w1, namespace)
    assert "the check of dL/dw2 above fails too" in message
    named_w2 = fails_with(checks.check_chain_gradients_w2, namespace)
    if "That is the value you get if you" in message:
        mistake = message.split("That is the value you get if you ")[1].split(", as the check")[0]
        assert mistake in named_w2
    assert "three links" not in message


def test_a_mistake_in_both_gradients_is_named_by_both():
    message = fails_with(checks.check_chain_gradients_w1, run_answer(_chain("-2 * e * w2 * x", "-2 * e * h")))
    assert "flip the sign" in message and "as the check of dL/dw2 above says" in message


def test_lost_w1_and_w2_the_w1_check_does_not_add_a_second_diagnosis():
    namespace = run_answer(_chain("2 * e * x", "2 * e * x"))
    assert "factor w1" in fails_with(checks.check_chain_gradients_w2, namespace)
    message = fails_with(checks.check_chain_gradients_w1, namespace)
    assert "That is the value" not in message and "make dL/dw2 right first" in message


def test_right_answers_pass():
    namespace = run_answer(RIGHT_WEIGHT + RIGHT_NUMERICAL + RIGHT_CHAIN)
    assert "= 6" in passes(checks.check_weight_gradient, namespace)
    assert "eps defaults to 1e-6" in passes(checks.check_numerical_gradient, namespace)
    assert "returns a pair" in passes(checks.check_chain_gradients_w2, namespace)
    assert "= 48" in passes(checks.check_chain_gradients_w1, namespace)


def test_a_list_or_array_is_a_pair_too():
    source = ("import numpy as np\ndef chain_gradients(w1, w2, x, target):\n    e = w1 * w2 * x - target\n"
              "    return np.array([2 * e * w2 * x, 2 * e * w1 * x])\n")
    namespace = run_answer(source)
    passes(checks.check_chain_gradients_w2, namespace)
    passes(checks.check_chain_gradients_w1, namespace)


@pytest.mark.parametrize("check", [checks.check_chain_gradients_w2, checks.check_chain_gradients_w1])
def test_not_a_pair_is_named_by_both_chain_checks(check):
    message = fails_with(check, run_answer("def chain_gradients(w1, w2, x, target):\n    return 1.0\n"))
    assert "should return a pair (dL/dw1, dL/dw2), but it returned 1.0" in message


TRY_IT = [  # (exercise, call as in the "try it" cell, the answer it must print)
    ("weight_gradient", lambda ns: f"{ns['weight_gradient'](0.3, 1.5, 1.0):.3f}", "-1.650"),
    ("numerical_gradient", lambda ns: f"{ns['numerical_gradient'](lambda v: (v * 1.5 - 1.0) ** 2, 0.3):.3f} "
                                      f"{ns['numerical_gradient'](lambda v: v ** 3, 1.0, eps=0.1):.4f}",
     "-1.650 3.0100"),
    ("chain_gradients", lambda ns: repr(tuple(float(g) for g in ns["chain_gradients"](0.5, 2.0, 3.0, 1.0))),
     "(24.0, 6.0)"),
]


@pytest.mark.parametrize("exercise,show,right", TRY_IT, ids=[t[0] for t in TRY_IT])
def test_the_try_it_examples_show_the_common_mistakes(exercise, show, right):
    """Each "try it" cell prints the number the prose states, and a named mistake prints another one."""
    correct = {"weight_gradient": RIGHT_WEIGHT, "numerical_gradient": RIGHT_NUMERICAL, "chain_gradients": RIGHT_CHAIN}
    assert show(run_answer(correct[exercise])) == right
    wrong_defaults = "default value is 1e-6"  # shows in the check, not in a printed number
    for source, which, _, words in MISTAKES:
        if which == exercise and wrong_defaults not in words and "default is missing" not in words \
                and "parameters are" not in words:
            assert show(run_answer(source)) != right, words


@pytest.mark.parametrize("check,source,words", [
    (checks.check_weight_gradient, "", "The function `weight_gradient` is not defined yet"),
    (checks.check_weight_gradient, "def weight_gradient(w, x, target):\n    raise NotImplementedError()\n",
     "still raises NotImplementedError"),
    (checks.check_numerical_gradient, "def numerical_gradient(f, w, eps=1e-6):\n    return ___\n", "blanks `___`"),
    (checks.check_chain_gradients_w1, "chain_gradients = (1, 2)\n", "should be a function"),
])
def test_missing_or_unfinished_function(check, source, words):
    assert words in fails_with(check, run_answer(source))


@pytest.mark.parametrize("source,words", [
    ('# negative_gradient_answer = "?"  # replace ? with A, B, C or D', "still commented out"),
    ('negative_gradient_answer = "?"', "replace the placeholder"),
    ("negative_gradient_answer = D", 'write the letter between quotes: negative_gradient_answer = "D"'),
    ('negative_gradient_answer = "A"', "Check the signs"),
    ('negative_gradient_answer = "B"', "Check the size"),
    ('negative_gradient_answer = "C"', "Check both"),
])
def test_quiz_messages(source, words):
    message = fails_with(checks.check_quiz_negative_gradient, run_answer(source))
    assert message.startswith("quiz_negative_gradient: not yet.") and words in message


def test_quiz_success_text_only_for_the_right_letter():
    assert "next lesson" in passes(checks.check_quiz_negative_gradient, run_answer('negative_gradient_answer = " d "'))
    for wrong in "ABC":
        assert "next lesson" not in fails_with(checks.check_quiz_negative_gradient,
                                               run_answer(f'negative_gradient_answer = "{wrong}"'))
