"""Lesson 01's sealed hints: the quiz's key and success text, and the values of named mistakes."""
import math


def _sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def _mistakes(weights, bias, inputs):
    """(value, description) of the common mistakes for one call of neuron_output."""
    pairs = list(zip(weights, inputs))
    z = bias + math.fsum(w * x for w, x in pairs)
    return [
        (z, "return the weighted sum without the sigmoid"),
        (_sigmoid(-z), "use e^(+z) instead of e^(-z) in the sigmoid"),
        (_sigmoid(z - bias), "leave out the bias"),
        (_sigmoid(z + bias * (len(pairs) - 1)), "add the bias inside the loop, once per input"),
        (_sigmoid(bias + pairs[0][0] * pairs[0][1]), "use only the first weight and input"),
        (_sigmoid(bias + math.fsum(w * x for w, x in pairs[:2])), "use only the first two weights and inputs"),
    ]


def _named(weights, bias, inputs):
    """Each distinct wrong value once (a mistake that gives the right answer here is not named)."""
    right = _sigmoid(bias + math.fsum(w * x for w, x in zip(weights, inputs)))
    seen, out = {f"{right:.5g}"}, []
    for value, text in _mistakes(weights, bias, inputs):
        if f"{value:.5g}" not in seen:
            seen.add(f"{value:.5g}")
            out.append((value, "wrong", text))
    return out


HINTS = {
    "neuron_output:one_input": _named([2.0], 0.0, [1.0]),
    "neuron_output:two_inputs": _named([0.5, -0.25], 1.0, [2.0, 1.0]),
    "neuron_output:ten_inputs": _named([0.1] * 10, -0.5, [1.0] * 10),
    "quiz_first_guess": [("B", "right", "Right: small random weights put z near 0, and sigmoid(0) = 0.5.")],
}
