"""Tests of lesson 06's autodiff engine, the ``Value`` class built on screen: every gradient against a
central finite difference, and the 2-2-1 network's gradients against a numpy reference.

The class lives in the notebook itself, in the code cells whose ids start with ``value-`` (after
the cell that defines ``sigmoid``); they are run here in notebook order, as a student runs them.
"""
import numpy as np
import pytest
from autodiff_checks import (
    assert_matches_finite_differences,
    built_before_use,
    engine_cells,
    load_engine,
    numeric_grads,
    plain_sigmoid,
)
from course_files import source

NOTEBOOK = source("06_hidden_layer")
ENGINE = load_engine(NOTEBOOK, needs="def sigmoid")
Value = ENGINE["Value"]


CASES = {
    "add": lambda a, b: a + b,
    "mul": lambda a, b: a * b,
    "sub": lambda a, b: a - b,
    "numbers on either side": lambda a, b: 2.0 + a * 3.0 + (b - 1.5) * -0.5 + 1.5 * b,
    "square as a product": lambda a, b: (a - b) * (a - b),
    "reuse": lambda a, b: a * a * b + a,  # a reaches the output along several paths
}


@pytest.mark.parametrize("name", CASES)
def test_operations_match_finite_differences(name):
    assert_matches_finite_differences(Value, CASES[name], seed=6)


def test_sigmoid():
    for z0 in (-30.0, -2.0, 0.0, 0.7, 30.0):
        z = Value(z0)
        out = (z * 2.0).sigmoid() + z.sigmoid()
        out.backward()
        ref = numeric_grads(lambda z: plain_sigmoid(2 * z) + plain_sigmoid(z), [z0])[0]
        assert z.grad == pytest.approx(ref, rel=1e-5, abs=1e-9)


def test_paths_add_up_and_backward_twice_gives_the_same_gradients():
    a = Value(3.0)
    y = a * a
    y.backward()
    y.backward()
    assert a.grad == pytest.approx(6.0)


def test_network_gradients_match_numpy_and_finite_differences():
    """The lesson's 2-2-1 network on random examples: backward() against the chain rule in numpy."""
    rng = np.random.default_rng(66)
    for _ in range(5):
        W, b, v, c = rng.uniform(-2, 2, (2, 2)), rng.uniform(-1, 1, 2), rng.uniform(-2, 2, 2), rng.uniform(-1, 1)
        x, t = rng.uniform(-2, 2, 2), float(rng.integers(0, 2))
        hw = [[Value(w) for w in row] for row in W]
        hb, ow, ob = [Value(x) for x in b], [Value(x) for x in v], Value(c)
        h = [(hb[j] + hw[j][0] * x[0] + hw[j][1] * x[1]).sigmoid() for j in range(2)]
        err = (ob + ow[0] * h[0] + ow[1] * h[1]).sigmoid() - t
        loss = err * err
        loss.backward()
        H = 1 / (1 + np.exp(-(W @ x + b)))
        out = 1 / (1 + np.exp(-(v @ H + c)))
        delta = 2 * (out - t) * out * (1 - out)
        delta_h = delta * v * H * (1 - H)
        assert loss.data == pytest.approx((out - t) ** 2)
        assert ob.grad == pytest.approx(delta) and [g.grad for g in ow] == pytest.approx(delta * H)
        assert [g.grad for g in hb] == pytest.approx(delta_h)
        assert [g.grad for row in hw for g in row] == pytest.approx(np.outer(delta_h, x).ravel())


def test_built_in_short_cells_before_it_is_used():
    """Each cell is short enough to read at a glance, the engine fits on a screen, and every cell
    that defines it comes before the first cell that uses it."""
    lengths = [len(cell.source.splitlines()) for cell in engine_cells(NOTEBOOK)]
    assert max(lengths) <= 16 and sum(lengths) <= 50, lengths
    assert built_before_use(NOTEBOOK, "Value(3.0)")


def test_no_engine_left_in_the_course_package():
    """An autodiff engine to import would compute every gradient exercise's answer: it lives in the notebook only."""
    import importlib.util

    assert importlib.util.find_spec("course.autodiff") is None
    import course.hidden_layer

    assert not hasattr(course.hidden_layer, "Value")
