"""01 forward pass: references for ``neuron_output`` and the key of ``quiz_first_guess``."""
import math

from .questions import Confirmation, choice, lit, number


def neuron_output(weights, bias, inputs):
    z = bias + math.fsum(w * x for w, x in zip(weights, inputs, strict=True))
    return 1.0 / (1.0 + math.exp(-z))


def _neuron_case(confirmation, rng, n, as_tuple=False):
    weights = [rng.uniform(-2, 2) for _ in range(n)]
    inputs = [rng.uniform(-2, 2) for _ in range(n)]
    bias = rng.uniform(-1, 1)
    wrap = tuple if as_tuple else list
    call = f"neuron_output({lit(wrap(weights))}, {lit(bias)}, {lit(wrap(inputs))})"
    confirmation.ask(call, number(neuron_output(weights, bias, inputs), call))


def confirmations(rng):
    main = Confirmation("test_neuron_output", "neuron_output")
    for _ in range(6):
        _neuron_case(main, rng, rng.randint(1, 6))
    any_length = Confirmation("test_neuron_output_any_length", "neuron_output")
    for n in (1, rng.randint(7, 12), rng.randint(40, 120)):
        _neuron_case(any_length, rng, n, as_tuple=True)
    quiz = Confirmation("test_quiz_first_guess", "quiz_first_guess").ask(
        "first_guess_answer", choice("A", "first_guess_answer"))
    return [main, any_length, quiz]
