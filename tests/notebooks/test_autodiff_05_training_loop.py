"""Tests of lesson 05's autodiff engine, the ``Value`` class built on screen: every gradient against a
central finite difference.

The class lives in the notebook itself, in the code cells whose ids start with ``value-``;
they are run here in notebook order, exactly as a student runs them.
"""
import math

import pytest

from tests.support.autodiff_checks import (
    assert_matches_finite_differences,
    built_before_use,
    engine_cells,
    load_engine,
    numeric_grads,
    plain_sigmoid,
)
from tests.support.course_files import source

NOTEBOOK = source("05_training_loop")
Value = load_engine(NOTEBOOK)["Value"]


CASES = {
    "add": lambda a, b: a + b,
    "mul": lambda a, b: a * b,
    "sub": lambda a, b: a - b,
    "rsub and radd": lambda a, b: 3.0 - a + (2.0 + b),
    "div": lambda a, b: a / (b * b + 1.0),
    "rdiv": lambda a, b: 1.0 / (a * a + 1.0) * b,
    "pow": lambda a, b: (a * b - 1.0) ** 2 + a ** 3,
    "neg": lambda a, b: -(a * b),
    "reuse": lambda a, b: a * a * b + a,  # a reaches the output along several paths
}


@pytest.mark.parametrize("name", CASES)
def test_operations_match_finite_differences(name):
    assert_matches_finite_differences(Value, CASES[name], seed=4)


def test_exp_and_sigmoid():
    for z0 in (-30.0, -2.0, 0.0, 0.7, 30.0):
        z = Value(z0)
        out = z.sigmoid() + z.exp() * 0.001
        out.backward()
        ref = numeric_grads(lambda z: plain_sigmoid(z) + math.exp(z) * 0.001, [z0])[0]
        assert z.grad == pytest.approx(ref, rel=1e-5, abs=1e-9)


def test_one_weight_gradient_from_the_lessons():
    w = Value(0.3)
    loss = (w * 1.5 - 1.0) ** 2
    loss.backward()
    assert loss.data == pytest.approx(0.3025)
    assert w.grad == pytest.approx(-1.65)


def test_neuron_mse_gradient_matches_the_hand_formula_and_finite_differences():
    data = [([0.2, 0.8], 1.0), ([0.9, 0.1], 0.0), ([0.5, 0.5], 1.0), ([0.1, 0.3], 0.0)]

    def plain_loss(w0, w1, b):
        return sum((plain_sigmoid(w0 * x0 + w1 * x1 + b) - t) ** 2 for (x0, x1), t in data) / len(data)

    w0, w1, b = Value(0.5), Value(-0.3), Value(0.1)
    loss = sum(((w0 * x0 + w1 * x1 + b).sigmoid() - t) ** 2 for (x0, x1), t in data) / len(data)
    loss.backward()
    assert loss.data == pytest.approx(plain_loss(0.5, -0.3, 0.1))
    assert [w0.grad, w1.grad, b.grad] == pytest.approx(numeric_grads(plain_loss, [0.5, -0.3, 0.1]), rel=1e-6)


def test_backward_twice_gives_the_same_gradients():
    a = Value(1.3)
    out = a * a
    out.backward()
    out.backward()
    assert a.grad == pytest.approx(2.6)


def test_built_in_short_cells_before_it_is_used():
    """Each cell is short enough to read at a glance, the whole engine fits on a screen or two,
    and every cell that defines it comes before the first cell that uses it."""
    lengths = [len(cell.source.splitlines()) for cell in engine_cells(NOTEBOOK)]
    assert max(lengths) <= 15 and sum(lengths) <= 90, lengths
    assert built_before_use(NOTEBOOK, "Value(0.3)")


def test_no_engine_left_in_the_course_package():
    """An autodiff engine to import would compute every gradient exercise's answer: it lives in the notebook only."""
    import importlib.util

    assert importlib.util.find_spec("course.autodiff") is None
