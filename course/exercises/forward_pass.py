"""Visible checks of lesson 01: ``neuron_output`` and the first-guess quiz."""
from ..checks import answer, apart, as_number, check_choice_answer, check_close, close, fail, passed, reveal, shown

# (seal id, call as the student reads it, arguments, expected value, hint)
SHORT_CASES = [
    ("neuron_output:one_input", "neuron_output([2.0], 0.0, [1.0])", ([2.0], 0.0, [1.0]), 0.8807970779778823,
     "the weighted sum is 2.0; the output is the sigmoid of it, 1 / (1 + e^(-z))."),
    # The bias 0.5 keeps the common slips apart here: each gives a value of its own (grader/hints/forward_pass.py).
    ("neuron_output:two_inputs", "neuron_output([0.5, -0.25], 0.5, [2.0, 1.0])", ([0.5, -0.25], 0.5, [2.0, 1.0]),
     0.7772998611746911, "add every weight-times-input pair, then the bias once, then apply the sigmoid."),
]
LONG_CASE = ("neuron_output:ten_inputs", "neuron_output([0.1]*10, -0.5, [1.0]*10)", ([0.1] * 10, -0.5, [1.0] * 10),
             0.6224593312018546)


def _call(neuron_output, case):
    seal_id, call, (weights, bias, inputs), expected = case[:4]
    return as_number(neuron_output(list(weights), bias, list(inputs)), call, "neuron_output")


def check_neuron_output(namespace=None):
    """Check that neuron_output squashes the weighted sum plus the bias (one and two inputs)."""
    neuron_output = answer("neuron_output", exercise="neuron_output", kind="function", namespace=namespace)
    for case in SHORT_CASES:
        seal_id, call, args, expected, hint = case
        check_close(_call(neuron_output, case), expected, call=call, hint=hint, exercise="neuron_output",
                    sealed=seal_id)


def check_neuron_output_any_length(namespace=None):
    """Check that neuron_output works for a long list of inputs, once it is right for short ones."""
    neuron_output = answer("neuron_output", exercise="neuron_output", kind="function", namespace=namespace)
    seal_id, call, args, expected = LONG_CASE
    value = _call(neuron_output, LONG_CASE)
    if close(value, expected, 1e-6):
        passed(f"{call} = {shown(value)}")
        return
    lines = ["{} should be about {}, but it returned {}.".format(call, *apart(expected, value))]
    found = reveal(seal_id, value)
    if found:
        lines.append(f"That is the value you get if you {found[1]}.")
    short_ok = all(close(_call(neuron_output, case), case[3], 1e-6) for case in SHORT_CASES)
    lines.append("Hint: " + ("loop over every (weight, input) pair, however many there are." if short_ok else
                             "the check above fails too: make neuron_output right for one and two inputs first."))
    fail(lines, "neuron_output")


def check_quiz_first_guess(namespace=None):
    """Check the answer to the first-guess quiz."""
    check_choice_answer("first_guess_answer", exercise="quiz_first_guess", options="ABCD", namespace=namespace,
                        hint="what is a weighted sum of small random numbers close to, and what does the sigmoid "
                             "do there?")
