"""The pre-grading scan must hold tampering code and never an honest student's comments."""
from grader.integrity import scan_code

HONEST = '''import math

def neuron_output(weights, bias, inputs):
    # inspect every input; the error signal flows back (as nbgrader's tests expect, see ../notes)
    z = bias + math.fsum(w * x for w, x in zip(weights, inputs))  # exit early? no
    return 1 / (1 + math.exp(-z))
'''


def test_comments_that_mention_dangerous_words_hold_nobody():
    assert scan_code(HONEST) == []


def test_tampering_code_is_still_found_next_to_comments():
    reasons = scan_code("import math  # harmless\nmath.isclose = lambda *a, **k: True\n")
    assert any("reassigns a module's function" in r for r in reasons)
    assert scan_code("open('../../../source/homework/01_forward_pass.ipynb')  # peek\n")


def test_code_that_does_not_tokenize_is_scanned_as_it_is():
    assert scan_code("import socket\ndef broken(:\n")


def test_tampering_holds_its_exercise_or_the_whole_notebook(tmp_path):
    """Code flagged in an answer cell holds that exercise's test cells; code in a cell of its own, the notebook."""
    import nbformat

    from grader.integrity import held, hold, inspect_submission
    from tests.support.course_files import ASSIGNMENT, ROOT

    stem = "01_forward_pass"
    nb = nbformat.read(ROOT / "release" / ASSIGNMENT / f"{stem}.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "neuron_output":
            cell.source = "import course.forward_pass as f\nvars(f)['SPAM_FEATURES'] = (1.0,)\n"
    nbformat.write(nb, tmp_path / f"{stem}.ipynb")
    source = ROOT / "source" / ASSIGNMENT
    scope = held(inspect_submission(tmp_path, source))
    assert scope == {stem: {"neuron_output"}}
    record = {"notebooks": {stem: {"grades": {"test_neuron_output": (2.0, False), "test_neuron_output_any_length":
                                              (1.0, False), "test_quiz_first_guess": (1.0, False)}}}}
    assert hold(record, scope)["notebooks"][stem]["grades"] == {
        "test_neuron_output": (0.0, True), "test_neuron_output_any_length": (0.0, True),
        "test_quiz_first_guess": (1.0, False)}
    nb.cells.append(nbformat.v4.new_code_cell("import sys\nsys.modules['math'] = None"))
    nbformat.write(nb, tmp_path / f"{stem}.ipynb")
    assert held(inspect_submission(tmp_path, source)) == {stem: None}
