"""HideHiddenTests: feedback shows which checks failed and why, never hidden test code."""
import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output

from grader.feedback import hidden_lines
from grader.preprocessors import HideHiddenTests

TEST_SOURCE = "\n".join([
    '"""Check the quiz."""',                     # 1
    "check_choice(answer, name='answer')",        # 2
    "### BEGIN HIDDEN TESTS",                     # 3
    "assert answer.strip().upper() == 'B'",       # 4
    "### END HIDDEN TESTS",                       # 5
])


def grade_cell(error_line, ename="AssertionError", evalue=""):
    cell = new_code_cell(TEST_SOURCE)
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": "test_quiz", "locked": True, "points": 1,
                                 "solution": False, "schema_version": 3}
    frame = (f"\x1b[0;32mCell In[7], line {error_line}\x1b[0m\n      3 ### BEGIN HIDDEN TESTS\n"
             f"----> 4 assert answer.strip().upper() == 'B'")
    cell.outputs = [new_output("stream", name="stdout", text="ok\n"),
                    new_output("error", ename=ename, evalue=evalue,
                               traceback=["\x1b[0;31m-----\x1b[0m", frame, f"{ename}: {evalue}"])]
    return cell


def render(cell):
    nb = new_notebook(cells=[cell])
    nb, _ = HideHiddenTests().preprocess(nb, {})
    c = nb.cells[0]
    return c.source + "\n" + "\n".join("\n".join(o.get("traceback", [])) for o in c.outputs)


def test_hidden_failure_is_named_but_not_shown():
    text = render(grade_cell(4))
    assert "upper() == 'B'" not in text and "HIDDEN TESTS" not in text
    assert "hidden check failed" in text
    assert "check_choice(answer" in text  # the visible test stays


def test_visible_failure_keeps_its_message():
    text = render(grade_cell(2, "CheckFailed", "\nanswer should be one of A, B, C, D, but it is 'Z'.\nHint: ..."))
    assert "CheckFailed" in text and "it is 'Z'" in text
    assert "hidden check failed" not in text and "upper() == 'B'" not in text


def test_student_cells_keep_their_traceback():
    cell = new_code_cell("def f():\n    raise ValueError('x')\nf()")
    cell.outputs = [new_output("error", ename="ValueError", evalue="x", traceback=["frame 1", "frame 2"])]
    nb, _ = HideHiddenTests().preprocess(new_notebook(cells=[cell]), {})
    assert nb.cells[0].outputs[0].traceback == ["frame 1", "frame 2"]


def test_hidden_lines_are_the_distinctive_ones(tmp_path):
    nb = new_notebook(cells=[grade_cell(4)])
    path = tmp_path / "x.ipynb"
    nbformat.write(nb, path)
    assert "assert answer.strip().upper() == 'B'" in hidden_lines(path)


def test_a_failed_visible_check_never_says_a_hidden_check_failed():
    """The course's CheckFailed shows only its own lines (no cell frame): under it, no hidden-check note."""
    cell = grade_cell(2)
    cell.outputs = [new_output("error", ename="CheckFailed", evalue="quiz: not yet. it is 'Z'",
                               traceback=["\x1b[0;31mCheckFailed\x1b[0m: quiz: not yet.", "it is 'Z'"])]
    text = render(cell)
    assert "it is 'Z'" in text and "hidden check failed" not in text.lower()


def test_the_graders_hidden_check_speaks_for_itself():
    """A failed hidden check, judged outside the kernel after the visible checks passed, keeps its own words."""
    from grader.preprocessors.confirm_answers import HIDDEN_CHECK
    cell = grade_cell(2)
    said = f"{HIDDEN_CHECK}: quiz: the checks above pass, but a hidden check failed. ..."
    cell.outputs = [new_output("stream", name="stdout", text="\u2714 recorded\n"),
                    new_output("error", ename=HIDDEN_CHECK, evalue="quiz: `answer` is 'A'", traceback=[said])]
    text = render(cell)
    assert said in text and text.lower().count("hidden check failed") == 1


def test_the_graders_verdict_comes_in_lines_as_wide_as_a_checks():
    """A failed hidden check's note, however long the call it names, shows in feedback in lines that fit."""
    from types import SimpleNamespace

    from course.checks import WIDTH
    from grader.preprocessors.confirm_answers import HIDDEN_CHECK, ConfirmAnswers
    cell = grade_cell(2)
    cell.outputs = []
    grade = SimpleNamespace(name="test_quiz", auto_score=1.0)
    reason = "neuron_output([0.3706, -1.478], 0.1617, [1.664, -0.1038]) returned 0.7314, which is not right"
    ConfirmAnswers()._fail(cell, grade, "neuron_output", reason, {"student": "s", "notebook": "n"})
    shown = render(cell).split("\n")
    lines = shown[next(i for i, line in enumerate(shown) if line.startswith(f"{HIDDEN_CHECK}: neuron_output:")):]
    assert grade.auto_score == 0.0 and len(lines) > 2
    assert all(len(line) <= WIDTH for line in lines), lines
    assert reason in " ".join(lines)
