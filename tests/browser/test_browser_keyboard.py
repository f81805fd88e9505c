"""Lesson 02 with the keyboard alone, as a student who cannot use a mouse works through it.

Run all cells from the command palette; Tab to the learning-rate slider (found by its accessible name,
as a screen reader announces it) and move it with ArrowRight: the text summary follows. Then go down to
the quiz's answer cell, type the answer, run it and its check with Shift+Enter, Shift+Tab to the notebook's
toolbar and ArrowRight along it to Validate, press Enter and read the verdict; Enter closes the dialog.
No click, no script moves the focus: only keys.
"""
import shutil

import pytest

from tests.support.course_files import ASSIGNMENT

pytestmark = pytest.mark.browser

NOTEBOOK = "02_loss.ipynb"
QUIZ, QUIZ_ANSWER = "quiz_why_square", 'why_square_answer = "C"'
MOST_KEYS = 80  # presses of Tab before giving up on reaching a control

# Where the focus is: the element, its role and accessible name's source, and the cell around it.
FOCUS = """() => {
    const e = document.activeElement, cell = e.closest('.jp-Cell');
    const nb = window.jupyterapp.shell.currentWidget.content;
    return {tag: e.tagName, cls: String(e.className).slice(0, 60), role: e.getAttribute('role'),
            cell: cell ? nb.widgets.findIndex(w => w.node === cell) : null,
            active: nb.activeCellIndex, mode: nb.mode};
}"""


@pytest.fixture
def keyboard_copy(lab_server):
    release = lab_server["course"] / "release" / ASSIGNMENT / NOTEBOOK
    folder = lab_server["course"] / "keyboard"
    folder.mkdir(exist_ok=True)
    shutil.copy(release, folder / NOTEBOOK)
    return f"keyboard/{NOTEBOOK}"


def tab_to(page, target, what, key="Tab"):
    """Press ``key`` until ``target`` (a locator) has the focus; fail with the focus trail if it never does."""
    trail = []
    for _ in range(MOST_KEYS):
        page.keyboard.press(key)
        if target.evaluate("e => e === document.activeElement || e.contains(document.activeElement)"):
            return
        trail.append(page.evaluate(FOCUS))
    pytest.fail(f"{MOST_KEYS} presses of {key} never reached {what}; the focus went through:\n"
                + "\n".join(map(str, trail)))


def test_lesson_with_the_keyboard_alone(keyboard_copy, lab, page, screenshot):
    lab.open_notebook(keyboard_copy)
    notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")

    # Run all cells from the command palette (the first unanswered exercise stops the run, after the widget).
    page.keyboard.press("Control+Shift+C")
    page.keyboard.type("Run All Cells")
    page.keyboard.press("Enter")
    lr = notebook.get_by_role("slider", name="learning rate")
    lr.first.wait_for(timeout=30_000)
    lab.wait_idle()
    assert lr.count() == 1, f"lesson 02 should show one slider named 'learning rate', found {lr.count()}"

    # Tab to the slider the screen reader calls "learning rate"; ArrowRight moves it; the summary follows.
    widget = notebook.locator(".jp-OutputArea-output", has=page.get_by_role("slider", name="learning rate"))
    summary = widget.locator(".widget-html")
    before_value, before_summary = lr.get_attribute("aria-valuetext"), summary.inner_text()
    tab_to(page, lr, "the learning-rate slider")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("([s, v]) => s.getAttribute('aria-valuetext') !== v",
                           arg=[lr.element_handle(), before_value], timeout=5_000)
    after_value = lr.get_attribute("aria-valuetext")
    page.wait_for_function("([e, t]) => e.innerText !== t", arg=[summary.element_handle(), before_summary],
                           timeout=15_000)
    after_summary = summary.inner_text()
    assert after_value in after_summary, (
        f"the summary does not tell the new learning rate {after_value}: {after_summary!r}")
    screenshot("02_keyboard_slider_moved")

    # Down to the quiz's answer cell (command mode: Escape leaves the widget, J moves down a cell).
    quiz = lab.cell_index(QUIZ)
    page.keyboard.press("Escape")
    for _ in range(60):
        state = page.evaluate(FOCUS)
        if state["active"] >= quiz:
            break
        page.keyboard.press("j")
    state = page.evaluate(FOCUS)
    assert state["active"] == quiz and state["mode"] == "command", (
        f"the J key did not bring the student to the quiz cell {quiz}: {state}")
    page.keyboard.press("Enter")  # edit mode
    page.keyboard.press("Control+A")
    page.keyboard.type(QUIZ_ANSWER)
    typed = lab.cells()[quiz]["source"]
    assert typed.strip() == QUIZ_ANSWER, f"the editor holds {typed!r} after typing {QUIZ_ANSWER!r}"
    page.keyboard.press("Shift+Enter")  # runs the answer, moves to its check
    lab.wait_idle()
    page.keyboard.press("Shift+Enter")  # runs the check
    lab.wait_idle()
    check = lab.cell_index("test_" + QUIZ)
    shown = lab.cell(check).locator(".jp-OutputArea").inner_text()
    assert "\u2714" in shown, f"the quiz's check shows no \u2714 after the right answer: {shown!r}"

    # Validate: Shift+Tab from the notebook back to its toolbar (one tab stop), the arrow keys along it to
    # the Validate button, Enter.
    tab_to(page, notebook.locator(".jp-NotebookPanel-toolbar"), "the notebook's toolbar", key="Shift+Tab")
    tab_to(page, notebook.locator(".validate-button"), "the toolbar's Validate button", key="ArrowRight")
    page.keyboard.press("Enter")
    message = page.locator(".jp-Dialog #validation-message")
    message.wait_for(timeout=90_000)
    verdict = next(c for c in message.get_attribute("class").split() if c.startswith("validation-"))
    text = message.inner_text()
    screenshot("02_keyboard_validated")
    # The other exercises are still unanswered; the quiz, answered by keyboard, is not among the failures.
    assert verdict == "validation-failed", f"{verdict}: {text}"
    assert "mse_loss" in text, f"the verdict does not name the unanswered mse_loss: {text}"
    assert "check_quiz_why_square" not in text, f"the quiz answered by keyboard still fails Validate: {text}"
    page.keyboard.press("Enter")  # the dialog's default button closes it
    message.wait_for(state="detached", timeout=10_000)


def test_every_kind_of_control_is_named_and_works_by_keyboard(lab, page):
    """Lesson 08's classifier has a slider, toggle buttons and a dropdown: each is announced by what it sets,
    Tab reaches it, and the keys a screen-reader user expects operate it."""
    lab.open_notebook("release/networks_at_work/08_classification.ipynb")
    lab.run_all()
    notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    epochs = notebook.get_by_role("slider", name="epochs")
    epochs.wait_for(timeout=30_000)
    widget = notebook.locator(".jp-OutputArea-output", has=page.get_by_role("slider", name="epochs"))
    summary = widget.locator(".widget-html")
    named = {"slider": ["learning rate", "epochs"], "group": ["loss function"], "combobox": ["starting weights"],
             "textbox": ["learning rate", "epochs"]}
    missing = [f"{role} {name!r}" for role, names in named.items() for name in names
               if widget.get_by_role(role, name=name).count() != 1]
    assert not missing, "controls a screen reader cannot find by what they set: " + ", ".join(missing) + \
        "\n" + widget.aria_snapshot()

    # Toggle buttons: which one is chosen is said (aria-pressed), Tab reaches the other, Space chooses it.
    group = widget.get_by_role("group", name="loss function")
    mse, cross = group.get_by_role("button", name="MSE"), group.get_by_role("button", name="cross-entropy")
    assert (cross.get_attribute("aria-pressed"), mse.get_attribute("aria-pressed")) == ("true", "false")
    before = summary.inner_text()
    tab_to(page, mse, "the MSE button")
    page.keyboard.press("Space")
    page.wait_for_function("b => b.getAttribute('aria-pressed') === 'true'", arg=mse.element_handle(), timeout=5_000)
    assert cross.get_attribute("aria-pressed") == "false"
    page.wait_for_function("([e, t]) => e.innerText !== t", arg=[summary.element_handle(), before], timeout=30_000)
    assert "MSE" in summary.inner_text(), summary.inner_text()

    # The dropdown: Tab reaches it, an arrow key picks the other start.
    menu = widget.get_by_role("combobox", name="starting weights")
    before = menu.input_value()
    tab_to(page, menu, "the starting-weights menu")
    key = "ArrowUp" if before == "confidently wrong" else "ArrowDown"
    page.keyboard.press(key)
    page.wait_for_function("([m, v]) => m.value !== v", arg=[menu.element_handle(), before], timeout=5_000)
    assert menu.evaluate("m => m === document.activeElement"), (
        f"{key} on the menu took the focus away (JupyterLab moved to another cell): {page.evaluate(FOCUS)}")

    # ArrowUp and ArrowDown move a slider too, not JupyterLab's selected cell.
    before = epochs.get_attribute("aria-valuetext")
    tab_to(page, epochs, "the epochs slider", key="Shift+Tab")
    page.keyboard.press("ArrowDown")
    page.wait_for_function("([s, v]) => s.getAttribute('aria-valuetext') !== v",
                           arg=[epochs.element_handle(), before], timeout=5_000)
    assert epochs.evaluate("s => s === document.activeElement"), f"ArrowDown left the slider: {page.evaluate(FOCUS)}"
