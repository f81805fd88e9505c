"""Submissions of 01_forward_pass: how each answer, right or wrong, must score."""

VARIANTS = {
    "numpy_style": {
        "answers": {
            "neuron_output": (
                "import numpy as np\n\n"
                "def neuron_output(weights, bias, inputs):\n"
                "    z = np.dot(np.asarray(weights), np.asarray(inputs)) + bias\n"
                "    return 1 / (1 + np.exp(-z))\n"),
            "quiz_first_guess": 'first_guess_answer = "  a "',
        },
        "scores": {},
    },
    "fsum_other_names": {
        "answers": {
            "neuron_output": (
                "import math\n\n"
                "def neuron_output(w, b, x):\n"
                "    total = math.fsum(wi * xi for wi, xi in zip(w, x)) + b\n"
                "    return math.exp(total) / (math.exp(total) + 1)\n"),
        },
        "scores": {},
    },
    "warns_on_stderr": {
        # A correct answer that emits a warning must not be zeroed by it.
        "answers": {
            "neuron_output": (
                "import math, warnings\n\n"
                "def neuron_output(weights, bias, inputs):\n"
                "    warnings.warn('this loop is slow', RuntimeWarning)\n"
                "    z = bias + sum(w * x for w, x in zip(weights, inputs))\n"
                "    return 1 / (1 + math.exp(-z))\n"),
        },
        "scores": {},
    },
    "no_sigmoid": {
        "answers": {
            "neuron_output": (
                "def neuron_output(weights, bias, inputs):\n"
                "    return sum(w * x for w, x in zip(weights, inputs)) + bias\n"),
        },
        "scores": {"test_neuron_output": 0, "test_neuron_output_any_length": 0},
    },
    "forgot_bias": {
        "answers": {
            "neuron_output": (
                "import math\n\n"
                "def neuron_output(weights, bias, inputs):\n"
                "    return 1 / (1 + math.exp(-sum(w * x for w, x in zip(weights, inputs))))\n"),
        },
        "scores": {"test_neuron_output": 0, "test_neuron_output_any_length": 0},
    },
    "first_two_inputs_only": {
        "answers": {
            "neuron_output": (
                "import math\n\n"
                "def neuron_output(weights, bias, inputs):\n"
                "    z = bias + sum(weights[i] * inputs[i] for i in range(min(2, len(inputs))))\n"
                "    return 1 / (1 + math.exp(-z))\n"),
        },
        # The first visible test only uses one or two inputs; the hidden random cases catch it.
        "scores": {"test_neuron_output": 0, "test_neuron_output_any_length": 0},
    },
    "hard_coded": {
        "answers": {
            "neuron_output": (
                "def neuron_output(weights, bias, inputs):\n"
                "    known = {1: 0.8807970779778823, 2: 0.7310585786300049, 10: 0.6224593312018546}\n"
                "    return known.get(len(inputs), 0.5)\n"),
        },
        "scores": {"test_neuron_output": 0, "test_neuron_output_any_length": 0},
    },
    "wrong_quiz_letter": {
        "answers": {"quiz_first_guess": 'first_guess_answer = "B"'},
        "scores": {"test_quiz_first_guess": 0},
    },
    "quiz_not_a_string": {
        "answers": {"quiz_first_guess": "first_guess_answer = 2"},
        "scores": {"test_quiz_first_guess": 0},
    },
}

# Every answer cell's code at once, each answer wrong: the grader must confirm none (tests/grader/test_confirm.py).
ALL_WRONG = "def neuron_output(weights, bias, inputs):\n    return 0.5\nfirst_guess_answer = 'C'"
