"""Shared by the tests of the autodiff engine built on screen in lesson 05 and grown in lesson 06.

A notebook's ``Value`` class (and in 06 the network built on it) lives in its code cells whose ids
start with ``value-``; they run here in notebook order, as a student runs them, and every gradient
is held against a central finite difference.
"""
import ast
import math
import random

import nbformat
import pytest


def engine_cells(notebook):
    """The notebook's code cells that build ``Value`` (ids starting ``value-``), in notebook order."""
    engine = [c for c in nbformat.read(notebook, as_version=4).cells
              if c.cell_type == "code" and c.get("id", "").startswith("value-")]
    assert engine, f"no code cell with an id starting value- in {notebook.name}"
    return engine


def engine_definitions(notebook):
    """The top-level functions and classes of the notebook's ``value-`` cells, by name, as ``ast.dump``
    writes them: two notebooks define the same engine when these agree."""
    found = {}
    for cell in engine_cells(notebook):
        for node in ast.parse(cell.source).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                found[node.name] = ast.dump(node)
    return found


def built_before_use(notebook, use):
    """Does every ``value-`` cell come before the first code cell whose source contains ``use``?"""
    cells = nbformat.read(notebook, as_version=4).cells
    first_use = min(i for i, c in enumerate(cells) if c.cell_type == "code" and use in c.source)
    return max(i for i, c in enumerate(cells) if c.get("id", "").startswith("value-")) < first_use


def load_engine(notebook, needs=None):
    """The namespace after running the notebook's ``value-`` cells, after the first code cell whose
    source contains ``needs`` (a helper the engine uses, e.g. ``def sigmoid``)."""
    cells = [c for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "code"]
    first = [next(c for c in cells if needs in c.source)] if needs else []
    namespace = {}
    for cell in [*first, *engine_cells(notebook)]:
        exec(compile(cell.source, f"<{notebook.name}:{cell.id}>", "exec"), namespace)
    return namespace


def numeric_grads(f, xs, h=1e-6):
    """Central differences of a plain-float function f(*xs) with respect to each argument."""
    out = []
    for i in range(len(xs)):
        up, down = list(xs), list(xs)
        up[i] += h
        down[i] -= h
        out.append((f(*up) - f(*down)) / (2 * h))
    return out


def plain_sigmoid(z):
    return 1 / (1 + math.exp(-z))


def assert_matches_finite_differences(value_class, f, seed):
    """``f`` of two Values: its value and both gradients agree with plain floats, at five random points."""
    rng = random.Random(seed)
    for _ in range(5):
        a0, b0 = rng.uniform(-2, 2), rng.uniform(-2, 2)
        a, b = value_class(a0), value_class(b0)
        out = f(a, b)
        out.backward()
        assert out.data == pytest.approx(f(a0, b0))
        assert [a.grad, b.grad] == pytest.approx(numeric_grads(f, [a0, b0]), rel=1e-5, abs=1e-7)
