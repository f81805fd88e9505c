"""Visible checks of lesson 03: ``weight_gradient``, ``numerical_gradient``, ``chain_gradients`` and the quiz."""
import inspect

from ..checks import (
    CheckFailed,
    answer,
    apart,
    as_number,
    check_choice_answer,
    check_close,
    check_true,
    close,
    fail,
    not_implemented,
    passed,
    pinned,
    reveal,
    shown,
    uncommented,
)

# (seal id, call as the student reads it, arguments, expected value, hint)
WEIGHT_CASES = [
    ("weight_gradient:first", "weight_gradient(w=2.0, x=3.0, target=5.0)", (2.0, 3.0, 5.0), 6.0,
     "multiply the two links of the chain, loss <- output and output <- w, as in the lesson's chain-rule cell."),
    ("weight_gradient:lesson_neuron", "weight_gradient(w=0.3, x=1.5, target=1.0)", (0.3, 1.5, 1.0), -1.65,
     "this is the lesson's neuron: its gradient is negative, because raising w lowers the loss."),
]

CUBIC = ("numerical_gradient:cubic", "numerical_gradient(lambda v: v ** 3, 2.0, eps=0.1)", 12.01,
         "evaluate f a little above AND a little below w, and divide by the distance between those two points.")
LESSON_LOSS = ("numerical_gradient:lesson_loss", "numerical_gradient(lambda v: (v * 1.5 - 1.0) ** 2, 0.3)", -1.65,
               "with the default eps the estimate should match the lesson's gradient.")

CHAIN_ARGS = (0.5, -2.0, 3.0, 1.0)
CHAIN_CALL = "chain_gradients(w1=0.5, w2=-2.0, x=3.0, target=1.0)"
CHAIN_W2 = ("chain_gradients:w2", f"dL/dw2 = {CHAIN_CALL}[1]", -12.0,
            "two links: loss <- output, then output <- w2. If w2 rises a little, how much does output = w2 * h rise?")
CHAIN_W1 = ("chain_gradients:w1", f"dL/dw1 = {CHAIN_CALL}[0]", 48.0,
            "three links: loss <- output, output <- h, h <- w1. Work out each one's slope and multiply all three.")


def _call(function, name, exercise, *args, **kwargs):
    """What ``function`` returns, with a sentence instead of a traceback for the untouched placeholder."""
    try:
        return function(*args, **kwargs)
    except NotImplementedError:
        not_implemented(name, exercise)


def check_weight_gradient(namespace=None):
    """Check that weight_gradient is the slope of (w*x - target)**2 with respect to w."""
    weight_gradient = answer("weight_gradient", exercise="weight_gradient", kind="function", namespace=namespace)
    for seal_id, call, args, expected, hint in WEIGHT_CASES:
        value = as_number(_call(weight_gradient, "weight_gradient", "weight_gradient", *args), call,
                          "weight_gradient")
        check_close(value, expected, call=call, hint=hint, exercise="weight_gradient", sealed=seal_id)


def check_numerical_gradient(namespace=None):
    """Check that numerical_gradient nudges w both ways (a central difference) and honours eps."""
    exercise = "numerical_gradient"
    numerical_gradient = answer("numerical_gradient", exercise=exercise, kind="function", namespace=namespace)
    try:
        parameters = inspect.signature(numerical_gradient).parameters
    except (TypeError, ValueError):
        parameters = None
    if parameters is not None and "eps" not in parameters:
        fail([f"numerical_gradient should have a parameter named eps, but its parameters are "
              f"({', '.join(parameters)}).",
              "Hint: keep the first line as given: def numerical_gradient(f, w, eps=1e-6):"], exercise)

    seal_id, call, expected, hint = CUBIC
    value = as_number(_call(numerical_gradient, "numerical_gradient", exercise, lambda v: v ** 3, 2.0, eps=0.1),
                      call, exercise)
    check_close(value, expected, call=call, hint=hint, exercise=exercise, sealed=seal_id)

    default = parameters["eps"].default if parameters is not None else 1e-6
    right_default = (pinned.isinstance(default, (int, float)) and not pinned.isinstance(default, bool)
                     and float.__float__(pinned.float(default)) == 1e-6)
    check_true(right_default,
               problem=f"numerical_gradient should have a parameter named eps whose default value is 1e-6, "
                       f"but its default is {'missing' if default is inspect.Parameter.empty else shown(default)}.",
               hint="keep the first line as given: def numerical_gradient(f, w, eps=1e-6):",
               success="eps defaults to 1e-6", exercise=exercise)

    seal_id, call, expected, hint = LESSON_LOSS
    value = as_number(_call(numerical_gradient, "numerical_gradient", exercise, lambda v: (v * 1.5 - 1.0) ** 2, 0.3),
                      call, exercise)
    check_close(value, expected, call=call, hint=hint, exercise=exercise, sealed=seal_id)


def _chain_pair(namespace):
    """The pair chain_gradients returns for CHAIN_ARGS, or a failure saying it is not a pair."""
    chain_gradients = answer("chain_gradients", exercise="chain_gradients", kind="function", namespace=namespace)
    result = _call(chain_gradients, "chain_gradients", "chain_gradients", *CHAIN_ARGS)
    try:
        pair = tuple(result)
    except (TypeError, ValueError):  # not a sequence
        pair = ()
    check_true(pinned.len(pair) == 2,
               problem=f"chain_gradients should return a pair (dL/dw1, dL/dw2), but it returned {shown(result, 80)}.",
               hint="end the function with `return` followed by the two gradients, dL/dw1 first.",
               success="chain_gradients returns a pair", exercise="chain_gradients")
    return pair


def check_chain_gradients_w2(namespace=None):
    """Check dL/dw2, the second number chain_gradients returns: the weight one link from the output."""
    pair = _chain_pair(namespace)
    seal_id, call, expected, hint = CHAIN_W2
    check_close(as_number(pair[1], call, "chain_gradients"), expected, call=call, hint=hint,
                exercise="chain_gradients", sealed=seal_id)


def _number_or_none(value):
    try:
        return as_number(value, "", None)
    except CheckFailed:
        return None


def check_chain_gradients_w1(namespace=None):
    """Check dL/dw1, the first number chain_gradients returns: the weight two links from the output.

    When dL/dw2 is wrong too, a mistake is named here only if it is the one the dL/dw2 check names:
    this check does not blame a second thing for what the first already explained.
    """
    pair = _chain_pair(namespace)
    seal_id, call, expected, hint = CHAIN_W1
    value = as_number(pair[0], call, "chain_gradients")
    if close(value, expected, 1e-6):
        passed(f"{call} = {shown(value)}")
        return
    lines = ["{} should be about {}, but it returned {}.".format(call, *apart(expected, value))]
    found = reveal(seal_id, value)
    other = _number_or_none(pair[1])
    w2_right = other is not None and close(other, CHAIN_W2[2], 1e-6)
    if w2_right:
        if found:
            lines.append(f"That is the value you get if you {found[1]}.")
        lines.append(f"Hint: {hint}")
    else:
        found_w2 = reveal(CHAIN_W2[0], other) if other is not None else None
        if found and found_w2 and found[1] == found_w2[1]:
            lines.append(f"That is the value you get if you {found[1]}, as the check of dL/dw2 above says.")
        lines.append("Hint: the check of dL/dw2 above fails too: make dL/dw2 right first. Both gradients start "
                     "from the same blame on the output.")
    fail(lines, "chain_gradients")


def check_quiz_negative_gradient(namespace=None):
    """Check the answer to the negative-gradient quiz."""
    namespace = uncommented("negative_gradient_answer", "quiz_negative_gradient", namespace)
    check_choice_answer("negative_gradient_answer", exercise="quiz_negative_gradient", options="ABCD",
                        namespace=namespace,
                        hint="put -2.4 and 0.1 into w - lr * grad and work out how much w changes, and which way.")
