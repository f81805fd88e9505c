"""Tests of lesson 06's autodiff engine: lesson 05's ``Value`` class, restated, with ``Neuron``, ``Layer``,
``MLP`` and ``as_mlp`` on top. Every gradient against a central finite difference, the 2-2-1 network's
gradients and a training run against numpy references written here from the chain rule.

The engine lives in the notebook itself, in the code cells whose ids start with ``value-``; they are
run here in notebook order, as a student runs them.
"""
import numpy as np
import pytest

from tests.support.autodiff_checks import (
    assert_matches_finite_differences,
    built_before_use,
    engine_cells,
    engine_definitions,
    load_engine,
    numeric_grads,
    plain_sigmoid,
)
from tests.support.course_files import source

NOTEBOOK = source("06_hidden_layer")
ENGINE = load_engine(NOTEBOOK)
Value, Neuron, Layer, MLP, as_mlp = (ENGINE[name] for name in ("Value", "Neuron", "Layer", "MLP", "as_mlp"))
XOR = [([0.0, 0.0], 0.0), ([0.0, 1.0], 1.0), ([1.0, 0.0], 1.0), ([1.0, 1.0], 0.0)]
LESSON_NET = ([[0.69, 0.52], [-0.16, -0.48]], [0.02, -0.19], [0.57, -0.39], -0.05)


def test_the_engine_is_lesson_05s_not_a_second_one():
    """Is every operation of 06's Value, and the class itself, written exactly as lesson 05 writes it?"""
    ours, lesson_05 = engine_definitions(NOTEBOOK), engine_definitions(source("05_training_loop"))
    restated = {name for name in ours if name == "Value" or name.startswith("value_") or name == "as_value"}
    assert restated >= {"Value", "as_value", "value_add", "value_mul", "value_pow", "value_sigmoid", "value_backward"}
    assert {name: ours[name] == lesson_05.get(name) for name in restated} == {name: True for name in restated}
    assert set(ours) - restated == {"Neuron", "Layer", "MLP", "as_mlp"}  # what 06 adds: a network


CASES = {
    "add": lambda a, b: a + b,
    "mul": lambda a, b: a * b,
    "sub": lambda a, b: a - b,
    "neg": lambda a, b: -(a * b),
    "div": lambda a, b: a / (b * b + 1.0),
    "pow": lambda a, b: (a * b - 1.0) ** 2 + a ** 3,
    "numbers on either side": lambda a, b: 2.0 + a * 3.0 + (b - 1.5) * -0.5 + 1.5 * b,
    "sum of Values": lambda a, b: sum([a, b * 2.0, a * b]),
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


def np_net(W, b, v, c, x):
    H = 1 / (1 + np.exp(-(W @ x + b)))
    return H, 1 / (1 + np.exp(-(v @ H + c)))


@pytest.mark.parametrize("n_in,n_hid", [(2, 2), (3, 4), (1, 1)])
def test_mlp_gradients_match_numpy(n_in, n_hid):
    """The network of as_mlp on random examples: backward() against the chain rule in numpy, for any size,
    and parameters() in the order the lesson prints them (neuron by neuron, weights then bias)."""
    rng = np.random.default_rng(66)
    for _ in range(5):
        W, b, v, c = rng.uniform(-2, 2, (n_hid, n_in)), rng.uniform(-1, 1, n_hid), rng.uniform(-2, 2, n_hid), \
            rng.uniform(-1, 1)
        x, t = rng.uniform(-2, 2, n_in), float(rng.integers(0, 2))
        net = as_mlp(W.tolist(), b.tolist(), v.tolist(), c)
        inputs = [Value(xi) for xi in x]
        err = net(inputs) - t
        loss = err * err
        loss.backward()
        H, out = np_net(W, b, v, c, x)
        delta = 2 * (out - t) * out * (1 - out)
        delta_h = delta * v * H * (1 - H)
        want = [*np.column_stack([np.outer(delta_h, x), delta_h]).ravel(), *(delta * H), delta]
        assert loss.data == pytest.approx((out - t) ** 2)
        assert [p.grad for p in net.parameters()] == pytest.approx(want)
        assert [xi.grad for xi in inputs] == pytest.approx(W.T @ delta_h)  # every path into x_i, added up


def test_the_lessons_example_and_the_blame_of_x0_along_two_paths():
    net = as_mlp(*LESSON_NET)
    x = [Value(1.0), Value(0.0)]
    err = net(x) - 1.0
    loss = err * err
    loss.backward()
    assert f"loss = {loss.data:.6f}, dL/dx0 = {x[0].grad:.6f}" == "loss = 0.209193, dL/dx0 = -0.023165"


def numpy_training(params, lr, epochs):
    W, b, v, c = (np.array(p, dtype=float) for p in params)
    X, T = np.array([xs for xs, _ in XOR]), np.array([t for _, t in XOR])
    losses = []
    for _ in range(epochs):
        H = 1 / (1 + np.exp(-(X @ W.T + b)))
        out = 1 / (1 + np.exp(-(H @ v + c)))
        losses.append(np.mean((out - T) ** 2))
        delta = 2 * (out - T) * out * (1 - out) / len(T)
        delta_h = np.outer(delta, v) * H * (1 - H)
        W, b, v, c = W - lr * delta_h.T @ X, b - lr * delta_h.sum(axis=0), v - lr * H.T @ delta, c - lr * delta.sum()
    return W, b, v, c, losses


def test_the_engines_training_loop_is_full_batch_gradient_descent():
    """The lesson's loop (the MSE of the batch as one graph, one step for every parameter) against numpy."""
    net = as_mlp(*LESSON_NET)
    losses = []
    for _ in range(60):
        loss = sum((net(xs) - t) ** 2 for xs, t in XOR) / len(XOR)
        loss.backward()
        for p in net.parameters():
            p.data -= 2.0 * p.grad
        losses.append(loss.data)
    W, b, v, c, want = numpy_training(LESSON_NET, 2.0, 60)
    assert losses == pytest.approx(want, abs=1e-12)
    assert [p.data for p in net.parameters()] == pytest.approx([*np.column_stack([W, b]).ravel(), *v, c], abs=1e-12)
    assert LESSON_NET[0] == [[0.69, 0.52], [-0.16, -0.48]]  # as_mlp made new Values: the lists stay as they were


def test_built_in_short_cells_before_it_is_used():
    """Each cell is short enough to read at a glance, the engine and the network fit on two screens, and
    every cell that defines them comes before the first cell that uses them."""
    lengths = [len(cell.source.splitlines()) for cell in engine_cells(NOTEBOOK)]
    assert max(lengths) <= 20 and sum(lengths) <= 100, lengths
    assert built_before_use(NOTEBOOK, "net = as_mlp(")


def test_no_engine_left_in_the_course_package():
    """An autodiff engine to import would compute every gradient exercise's answer: it lives in the notebook only."""
    import importlib.util

    assert importlib.util.find_spec("course.autodiff") is None
    import course.hidden_layer

    assert not any(hasattr(course.hidden_layer, name) for name in ("Value", "Neuron", "Layer", "MLP", "as_mlp"))
