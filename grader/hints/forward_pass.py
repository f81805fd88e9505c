"""Lesson 01's sealed hints: the quiz's key and success text, and the values of named mistakes."""
import math


def _sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def _mistakes(weights, bias, inputs):
    """(value, description) of the common mistakes for one call of neuron_output.

    Each value is what a student's code with that mistake returns; the comment above it is
    that code, so a description never names a value no one's code produces.
    """
    products = [w * x for w, x in zip(weights, inputs)]
    z = bias + math.fsum(products)
    n = len(products)
    return [
        (z, "return the weighted sum without the sigmoid"),
        (_sigmoid(-z), "use e^(+z) instead of e^(-z) in the sigmoid"),
        (_sigmoid(z - bias), "leave out the bias"),
        # z = 0, then `z += w * x + bias` in the loop (or sum(w * x + bias for ...))
        (_sigmoid(z + bias * (n - 1)), "add the bias inside the loop, once per input, instead of once"),
        # z = bias, then `z += w * x + bias` in the loop
        (_sigmoid(z + bias * n), "start from the bias and add it again inside the loop, once per input"),
        # `z = w * x + bias` in the loop: each pass replaces z, so the last pair is all that is left
        (_sigmoid(bias + products[-1]),
         "write `z = ...` instead of `z += ...` in the loop, so that only the last weight and input count"),
        # `return` inside the loop: it stops after the first pair
        (_sigmoid(bias + products[0]),
         "use only the first weight and input (is the `return` inside the loop?)"),
        (_sigmoid(bias + math.fsum(products[:2])), "use only the first two weights and inputs"),
    ]


def _named(weights, bias, inputs):
    """Each distinct wrong value once; mistakes that give the same value here are named together
    (and a mistake that gives the right answer here is not named)."""
    right = _sigmoid(bias + math.fsum(w * x for w, x in zip(weights, inputs)))
    texts = {}  # value to 5 digits -> (value, [descriptions])
    for value, text in _mistakes(weights, bias, inputs):
        key = f"{value:.5g}"
        if key != f"{right:.5g}":
            texts.setdefault(key, (value, []))[1].append(text)
    return [(value, "wrong", ", or ".join(found)) for value, found in texts.values()]


HINTS = {
    "neuron_output:one_input": _named([2.0], 0.0, [1.0]),
    "neuron_output:two_inputs": _named([0.5, -0.25], 0.5, [2.0, 1.0]),
    "neuron_output:ten_inputs": _named([0.1] * 10, -0.5, [1.0] * 10),
    "quiz_first_guess": [("A", "right", "Right: small random weights put z near 0, and sigmoid(0) = 0.5.")],
}
