"""nbgrader's JupyterLab extension, used as a student and as an instructor would.

Student: answer an exercise by typing into the release notebook, run its visible test and see
the tick, press Validate and read the verdict; fetch the released assignment from the
Assignments panel and submit it. Instructor: the formgrader page lists the assignment.
"""
import re
import shutil

import nbformat
import pytest

from tests.support.course_files import ASSIGNMENT
from tests.support.lab_server import validation_dialog

pytestmark = pytest.mark.browser

NOTEBOOK = "01_forward_pass.ipynb"

def student_solution(source_path, grade_id):
    """What a student who got it right ends up with in the answer cell: the source cell, markers removed."""
    nb = nbformat.read(source_path, as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    text = re.sub(r"[ \t]*### BEGIN STUB.*?### END STUB[^\n]*\n?", "", cell.source, flags=re.S)
    lines = [line for line in text.splitlines() if not re.search(r"### (BEGIN|END) SOLUTION", line)]
    return "\n".join(lines).rstrip() + "\n"


@pytest.fixture
def student_copy(lab_server):
    """A student's own copy of lesson 01, so the lesson tests keep seeing the untouched release."""
    release = lab_server["course"] / "release" / ASSIGNMENT / NOTEBOOK
    if not release.exists():
        pytest.skip(f"{NOTEBOOK} is not in release/ yet")
    folder = lab_server["course"] / "student"
    folder.mkdir(exist_ok=True)
    shutil.copy(release, folder / NOTEBOOK)
    return f"student/{NOTEBOOK}"


def test_student_answers_runs_visible_test_and_validates(student_copy, lab, page, source_notebooks, screenshot):
    lab.open_notebook(student_copy)
    # nbgrader's lab extension is loaded: its menu and its toolbar button are there.
    assert page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").count() == 1, "no Nbgrader menu"
    assert page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .validate-button").count() == 1, "no Validate button"
    lab.run_all()

    # Type the solution over the stub, run it and its visible test cells.
    answer = lab.cell_index("neuron_output")
    solution = student_solution(source_notebooks / NOTEBOOK, "neuron_output")
    lab.type_into_cell(answer, solution)
    typed = lab.cells()[answer]["source"]
    assert typed.strip() == solution.strip(), f"the editor holds {typed!r}, not the typed solution"
    lab.run_cell(answer)
    tests = [c for c in lab.cells() if (c["nbgrader"] or {}).get("grade_id", "").startswith("test_neuron_output")]
    assert tests, "no visible test cell for neuron_output"
    for cell in tests:
        lab.run_cell(cell["index"])
        outputs = lab.cells()[cell["index"]]["outputs"]
        errors = [f"{o['ename']}: {o['evalue']}" for o in outputs if o["output_type"] == "error"]
        shown = lab.cell(cell["index"]).locator(".jp-OutputArea").inner_text()
        assert not errors, f"{cell['nbgrader']['grade_id']} failed on a correct answer: {errors}"
        assert "\u2714" in shown, f"{cell['nbgrader']['grade_id']} shows no \u2714 line: {shown!r}"
    screenshot("01_student_visible_test_passed")

    # Validate: neuron_output passes; the quiz is still unanswered, so validation lists only that.
    verdict, text = validation_dialog(page)
    assert verdict == "validation-failed", f"expected a failed validation (quiz unanswered), got {verdict}: {text}"
    assert "first_guess_answer" in text, f"the verdict does not name the unanswered quiz: {text}"
    failed_cells = text.split("The following cell failed:")[1:]
    wrongly_failed = [f"{cell.strip().splitlines()[0]} ... {cell.strip().splitlines()[-1]}"
                      for cell in failed_cells if "neuron_output(" in cell]
    assert not wrongly_failed, (
        "Validate fails neuron_output's test cells although the answer is correct "
        "(\"Partial credit\" means the visible test cell's last line returned a number, which nbgrader "
        "takes as a partial score: a check_* call in the last line must return None):\n"
        + "\n".join(wrongly_failed))

    # Answer the quiz too: now the whole notebook validates.
    quiz = lab.cell_index("quiz_first_guess")
    lab.type_into_cell(quiz, student_solution(source_notebooks / NOTEBOOK, "quiz_first_guess"))
    verdict, text = validation_dialog(page)
    assert verdict == "validation-success", f"a fully answered notebook did not validate: {verdict}: {text}"
    assert "Success! Your notebook passes all the tests." in text
    screenshot("01_student_validated")


# A first try that forgets the sigmoid: its message (a call, what came back, a named mistake, a hint) is longer
# than one line.
NO_SIGMOID = ("import math\n\n\ndef neuron_output(weights, bias, inputs):\n"
              "    return bias + sum(w * x for w, x in zip(weights, inputs))\n")
# Every element between the failed check's text and the dialog: which one scrolls sideways, and how far.
SIDEWAYS = """pre => {
    const scrolled = [];
    for (let node = pre; node && !node.classList.contains('jp-Dialog'); node = node.parentElement) {
        const overflow = getComputedStyle(node).overflowX;
        if (overflow === 'auto' || overflow === 'scroll' || node === pre) {
            scrolled.push({element: node.tagName + '.' + node.className, overflow,
                           scrollWidth: node.scrollWidth, clientWidth: node.clientWidth});
        }
    }
    return scrolled;
}"""


def test_validate_shows_a_failed_checks_message_whole(student_copy, lab, page, screenshot):
    """Is a wrong answer's message in Validate's dialog readable without scrolling sideways? The check wraps
    its lines (course.checks.wrap), and the dialog shows each of them whole."""
    from course.exercises.forward_pass import check_neuron_output
    from tests.support.messages import run_answer, shown_lines

    lab.open_notebook(student_copy)
    answer = lab.cell_index("neuron_output")
    lab.type_into_cell(answer, NO_SIGMOID)
    lab.run_cell(answer)
    expected = shown_lines(check_neuron_output, run_answer(NO_SIGMOID))
    assert expected[0].startswith("CheckFailed: neuron_output: not yet.") and len(expected) >= 3, expected
    measured = {}

    def measure(message):
        error = message.locator("pre", has_text="neuron_output: not yet.").first
        measured["text"] = error.inner_text()
        measured["scrolled"] = error.evaluate(SIDEWAYS)
        screenshot("01_validate_failed_check_message")

    verdict, _ = validation_dialog(page, inspect=measure)
    assert verdict == "validation-failed", verdict
    shown = [line.rstrip() for line in measured["text"].splitlines()]
    assert all(line in shown for line in expected), f"the dialog does not show the message line by line:\n" \
        f"{measured['text']}\nexpected:\n" + "\n".join(expected)
    wider = [m for m in measured["scrolled"] if m["scrollWidth"] > m["clientWidth"]]
    assert not wider, f"the failed check's text scrolls sideways in the Validate dialog: {wider}"


def test_assignment_list_fetches_and_submits(lab, page, lab_server, screenshot):
    page.goto(lab.url("/lab/workspaces/assignments"))
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.commands.hasCommand("
                           "'nbgrader:open-assignment-list')", timeout=60_000)
    page.evaluate("() => window.jupyterapp.commands.execute('nbgrader:open-assignment-list')")
    released = page.locator("#released_assignments_list")
    row = released.locator(".list_item", has_text=ASSIGNMENT)
    row.wait_for(timeout=30_000)
    row.get_by_role("button", name="Fetch").click()
    fetched = page.locator("#fetched_assignments_list .list_item", has_text=ASSIGNMENT)
    fetched.first.wait_for(timeout=30_000)
    assert (lab_server["course"] / ASSIGNMENT).is_dir(), "Fetch did not copy the assignment into the student's folder"
    fetched.first.get_by_role("button", name="Submit").click()
    page.locator("#submitted_assignments_list .list_item", has_text=ASSIGNMENT).first.wait_for(timeout=30_000)
    inbound = lab_server["course"] / "exchange" / "how-networks-learn" / "inbound"
    for _ in range(50):
        if any(inbound.glob(f"*+{ASSIGNMENT}+*/*.ipynb")):
            break
        page.wait_for_timeout(200)
    assert any(inbound.glob(f"*+{ASSIGNMENT}+*/*.ipynb")), "Submit put nothing in the exchange's inbound folder"
    screenshot("nbgrader_assignment_list")


def test_formgrader_lists_the_assignment(lab, page, screenshot):
    page.goto(lab.url("/formgrader"))
    row = page.locator("tr", has_text=ASSIGNMENT)
    row.first.wait_for(timeout=30_000)
    assert page.locator("text=Manage Assignments").count() >= 1
    screenshot("nbgrader_formgrader")
