"""Unit tests of ClearSolutionsWithStubs, the preprocessor that gives cells their own starter code."""
import pytest
from nbformat.v4 import new_code_cell, new_notebook
from nbgrader.tests.preprocessors import test_clearsolutions as stock_clear_solutions

from grader.preprocessors import ClearSolutionsWithStubs


def solution_cell(source):
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": False, "grade_id": "answer", "locked": False,
                                 "schema_version": 3, "solution": True}
    return cell


def release(source):
    nb = new_notebook(cells=[solution_cell(source)])
    nb.metadata["kernelspec"] = {"language": "python", "name": "python3", "display_name": "Python 3"}
    nb, _ = ClearSolutionsWithStubs().preprocess(nb, {})
    return nb.cells[0].source


FILL_IN = """def update(weight, gradient, lr):
    \"\"\"Step downhill.\"\"\"
    ### BEGIN SOLUTION
    return weight - lr * gradient
    ### END SOLUTION
    ### BEGIN STUB
    # return weight ___ lr * ___
    ### END STUB"""


def test_stub_replaces_solution_with_its_indentation():
    """Does the stub take the solution's place, indented like it, with its comment marks removed?"""
    assert release(FILL_IN) == ('def update(weight, gradient, lr):\n    """Step downhill."""\n'
                                '    return weight ___ lr * ___')


def test_multi_line_stub_keeps_relative_indentation_and_surrounding_code():
    """Does a find-the-bug stub keep its inner indentation and the code after the block?"""
    source = ("def step(w):\n    g = 2 * w\n    ### BEGIN SOLUTION\n    w = w - g\n    ### END SOLUTION\n"
              "    ### BEGIN STUB\n    # if True:\n    #     w = w + g\n    #\n    ### END STUB\n    return w")
    # Stock ClearSolutions indents blank lines too.
    assert release(source) == "def step(w):\n    g = 2 * w\n    if True:\n        w = w + g\n    \n    return w"


def test_cell_without_stub_gets_nbgrader_default():
    """Does a cell with no stub block still get stock nbgrader's NotImplementedError stub?"""
    out = release("def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION")
    assert out == "def f():\n    # YOUR CODE HERE\n    raise NotImplementedError()"


def test_generic_stub_is_restored_after_a_custom_one():
    """Is the generic stub used again for the next cell after a cell with its own stub?"""
    nb = new_notebook(cells=[solution_cell(FILL_IN), solution_cell("### BEGIN SOLUTION\nx = 1\n### END SOLUTION")])
    nb.metadata["kernelspec"] = {"language": "python", "name": "python3", "display_name": "Python 3"}
    nb, _ = ClearSolutionsWithStubs().preprocess(nb, {})
    assert nb.cells[1].source == "# YOUR CODE HERE\nraise NotImplementedError()"


def test_source_cell_with_stub_still_runs_as_the_solution():
    """Is the stub a mere comment in the instructor's notebook?"""
    namespace = {}
    exec(FILL_IN, namespace)
    assert namespace["update"](1.0, 2.0, 0.1) == pytest.approx(0.8)


@pytest.mark.parametrize("source, problem", [
    ("x = 1\n### BEGIN STUB\n# x = ___\n### END STUB", "has none"),
    ("### BEGIN SOLUTION\nx = 1\n### END SOLUTION\n### BEGIN STUB\nx = ___\n### END STUB", "commented out"),
    ("### BEGIN SOLUTION\nx = 1\n### END SOLUTION\n### BEGIN STUB\n# x = ___", "without"),
])
def test_malformed_stub_is_a_clear_error(source, problem):
    """Does a malformed stub block stop generate_assignment with a message that says what is wrong?"""
    with pytest.raises(RuntimeError, match=problem):
        release(source)


# nbgrader's own tests of ClearSolutions (shipped in its wheel), run on ClearSolutionsWithStubs: where a cell has
# no stub, the subclass must do exactly what stock nbgrader does.
class TestStockClearSolutionsTests(stock_clear_solutions.TestClearSolutions):
    @pytest.fixture
    def preprocessor(self):
        return ClearSolutionsWithStubs()
