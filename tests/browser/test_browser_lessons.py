"""Every student notebook in a real JupyterLab: runs, shows live widgets, has no unexpected errors.

For each notebook in release/ (every assignment): open it, Run All, wait for the kernel;
the learning-rate slider is a real widget (not the text "FloatSlider(...)"), the keyboard
moves it and the plot redraws; every slider's handle is announced by its description and
every widget a text summary; only unanswered exercises raise errors. A screenshot of each
lands in artifacts/screenshots/.
"""
import re

import pytest

from .accessibility import audit, counts, course_failures
from .conftest import save_screenshot

pytestmark = pytest.mark.browser

# Text a notebook shows when the widget manager did not render a widget.
WIDGET_AS_TEXT = re.compile(r"\b(?:Float|Int)(?:Log|Range)?Slider\(|\b[VH]Box\(|\binteractive\(|"
                            r"Error displaying widget|Loading widget\.\.\.")
LEARNING_RATE = re.compile(r"learning[ _-]?rate|\blr\b", re.IGNORECASE)


def cell_kind(cell):
    meta = cell["nbgrader"] or {}
    if meta.get("grade"):
        return "test"
    if meta.get("solution"):
        return "answer"
    return "ordinary"


def unanswered(output, source=""):
    """The error an unanswered exercise raises: the stub's NotImplementedError, a `___` blank."""
    ename, evalue = output.get("ename", ""), str(output.get("evalue", ""))
    return (ename == "NotImplementedError" or "not implemented" in evalue.lower()
            or (ename == "NameError" and "___" in evalue)
            or (ename == "SyntaxError" and "___" in source))


def defined_names(source):
    """Functions and variables a cell defines at its top level (``a, b = ...`` included)."""
    functions = re.findall(r"^\s*def\s+(\w+)", source, flags=re.M)
    targets = re.findall(r"^(\w+(?:\s*,\s*\w+)*)\s*=(?!=)", source, flags=re.M)
    return {*functions, *(name.strip() for target in targets for name in target.split(","))}


def unexpected_problems(cells):
    """Errors (and stderr) that a release notebook must not show.

    Answer and test cells may fail the way unanswered exercises do (the stub's
    NotImplementedError, a `___` blank, a failed check). Ordinary cells must be clean, except
    a "try it" cell after an exercise that calls the student's still-unwritten function,
    and a NameError for what such a cell, or an unanswered answer cell, would have defined
    (a picture of what the student's trained network learned, say).
    """
    problems, after_exercise, unavailable = [], False, set()
    for cell in cells:
        if cell["type"] != "code":
            continue
        kind = cell_kind(cell)
        after_exercise = after_exercise or kind == "answer"
        if cell["execution_count"] is None:
            problems.append(f"cell {cell['index']} never ran")
        for out in cell["outputs"]:
            if out["output_type"] == "error":
                missing = re.match(r"name '(\w+)' is not defined", str(out["evalue"]))
                ok = (after_exercise and unanswered(out, cell["source"] if kind == "answer" else "")
                      or (missing is not None and missing.group(1) in unavailable)
                      or (kind == "test" and out["ename"] in ("CheckFailed", "AssertionError")))
                if kind != "test" and ok:
                    unavailable |= defined_names(cell["source"])
                if not ok:
                    problems.append(f"{kind} cell {cell['index']} raised {out['ename']}: {str(out['evalue'])[:300]}\n"
                                    f"  source: {cell['source'][:200]!r}")
            elif out["output_type"] == "stream" and out.get("name") == "stderr" and kind == "ordinary":
                problems.append(f"ordinary cell {cell['index']} wrote to stderr: {str(out['text'])[:300]}")
    return problems


def widget_roots(page):
    """The output areas that hold a rendered widget with at least one slider."""
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output",
                        has=page.locator(".widget-slider"))


def plot_fingerprint(root):
    """What the widget's plot looks like now: the image sources, or a screenshot if there is no <img>."""
    images = root.locator("img")
    if images.count():
        return tuple(images.nth(i).get_attribute("src") or "" for i in range(images.count()))
    return (root.screenshot(),)


def accessibility_report(root):
    """Per slider its label and the name its handle has (aria-label, or the text aria-labelledby points at:
    what a screen reader announces); per widget its summary texts."""
    return root.evaluate("""root => ({
        sliders: Array.from(root.querySelectorAll('.widget-slider')).map(s => {
            const label = s.querySelector('.widget-label');
            const handle = s.querySelector('[role=slider]');
            const by = handle ? (handle.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean) : [];
            const named = by.map(id => document.getElementById(id)).filter(Boolean)
                .map(e => e.textContent.trim()).join(' ');
            return {label: label ? label.textContent.trim() : '',
                    aria: handle ? ((handle.getAttribute('aria-label') || '').trim() || named) : ''};
        }),
        summaries: Array.from(root.querySelectorAll(
            '.widget-html, .widget-htmlmath, .widget-label-basic, .widget-output .jp-RenderedText'))
            .map(e => e.textContent.trim()).filter(t => t.split(/\\s+/).length >= 3),
    })""")


def learning_rate_slider(root):
    """The slider in this widget whose label or aria-label names the learning rate, or None."""
    sliders = root.locator(".widget-slider")
    for i in range(sliders.count()):
        slider = sliders.nth(i)
        name = slider.text_content() + " " + (slider.locator("[role=slider]").get_attribute("aria-label") or "")
        if LEARNING_RATE.search(name):
            return slider
    return None


def settle(lab, root, quiet_ms=600, timeout_ms=20_000):
    """Wait until the kernel is idle and the widget's plot has stopped changing (queued redraws done)."""
    last, waited = None, 0
    while waited < timeout_ms:
        lab.wait_idle()
        now = plot_fingerprint(root)
        if now == last:
            return
        last = now
        lab.page.wait_for_timeout(quiet_ms)
        waited += quiet_ms


def slider_value(slider):
    """The value a slider shows (its aria-valuenow is rounded to one decimal, so use these)."""
    return (slider.locator("[role=slider]").get_attribute("aria-valuetext") + "|"
            + slider.locator(".widget-readout").text_content())


def _cell(index, kind, source, error=None):
    meta = {"answer": {"solution": True}, "test": {"grade": True}, "ordinary": None}[kind]
    outputs = [] if error is None else [{"output_type": "error", "ename": error[0], "evalue": error[1]}]
    return {"index": index, "type": "code", "nbgrader": meta, "source": source, "execution_count": 1,
            "outputs": outputs}


@pytest.mark.parametrize("later_error,allowed", [
    (("NameError", "name 'trained' is not defined"), True),    # defined by the failed try-it cell
    (("NameError", "name 'model' is not defined"), False),     # defined nowhere: a real slip
    (("ZeroDivisionError", "division by zero"), False),
])
def test_only_what_an_unanswered_exercise_explains_is_allowed(later_error, allowed):
    cells = [_cell(0, "answer", "def train():\n    raise NotImplementedError()",
                   ("NotImplementedError", "")),
             _cell(1, "ordinary", "trained, losses = train()", ("NotImplementedError", "")),
             _cell(2, "ordinary", "picture(trained)", later_error)]
    assert (unexpected_problems(cells) == []) is allowed


def test_notebook_runs_with_live_widgets(release_notebook, shared_lab):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    lab, page = shared_lab, shared_lab.page
    lab.open_in_app(f"release/{release_notebook}")
    lab.run_all()
    cells = lab.cells()

    problems = unexpected_problems(cells)
    assert not problems, f"{release_notebook}: unexpected errors after Run All:\n" + "\n".join(problems)

    # Widgets render as widgets, not as their text repr.
    roots = widget_roots(page)
    try:
        roots.first.wait_for(timeout=20_000)
    except PlaywrightTimeout:
        texts = [o.get("data", {}).get("text/plain", "") for c in cells for o in c["outputs"]]
        pytest.fail(f"{release_notebook}: no rendered slider widget after Run All; widget outputs as text: "
                    f"{[t for t in texts if WIDGET_AS_TEXT.search(str(t))]}; browser errors: {page.console_errors[:5]}")
    shown = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output").all_text_contents()
    as_text = [t[:120] for t in shown if WIDGET_AS_TEXT.search(t)]
    assert not as_text, f"{release_notebook}: widgets shown as text (widget manager not loaded?): {as_text}"

    # Accessibility: every slider is labelled, every widget says in words what it shows.
    for i in range(roots.count()):
        report = accessibility_report(roots.nth(i))
        unnamed = [s["label"] for s in report["sliders"] if not s["aria"] or s["aria"] != s["label"]]
        assert not unnamed, (f"{release_notebook}: widget {i} has slider handles a screen reader does not announce "
                             f"by their description (course/widgets/controls.py names them): {unnamed}")
        assert report["summaries"], f"{release_notebook}: widget {i} has no text summary line"

    # The learning-rate slider: moved with the keyboard, the plot redraws.
    found = [(roots.nth(i), learning_rate_slider(roots.nth(i))) for i in range(roots.count())]
    found = [(root, slider) for root, slider in found if slider is not None]
    assert found, f"{release_notebook}: no slider labelled 'learning rate' (COURSE_SPEC: every notebook has one)"
    root, slider = found[0]
    root.scroll_into_view_if_needed()
    settle(lab, root)
    handle = slider.locator("[role=slider]")
    before_value, before_plot = slider_value(slider), plot_fingerprint(root)
    before_summary = accessibility_report(root)["summaries"]
    handle.focus()
    for key in ("ArrowRight", "ArrowLeft"):  # ArrowLeft if the slider starts at its maximum
        for _ in range(3):
            page.keyboard.press(key)
        try:
            page.wait_for_function("([s, v]) => s.querySelector('[role=slider]').getAttribute('aria-valuetext')"
                                   " + '|' + s.querySelector('.widget-readout').textContent !== v",
                                   arg=[slider.element_handle(), before_value], timeout=3_000)
            break
        except PlaywrightTimeout:
            continue
    after_value = slider_value(slider)
    assert after_value != before_value, f"{release_notebook}: the arrow keys did not move the learning-rate slider"
    for _ in range(50):  # the kernel redraws and sends the new image: allow up to 10 s
        if plot_fingerprint(root) != before_plot:
            break
        page.wait_for_timeout(200)
    assert plot_fingerprint(root) != before_plot, (
        f"{release_notebook}: learning rate {before_value} -> {after_value} but the plot did not change")
    settle(lab, root)
    after_summary = accessibility_report(root)["summaries"]
    assert after_summary != before_summary, (
        f"{release_notebook}: the text summary did not follow the slider ({before_value} -> {after_value}): "
        f"{after_summary}")

    root.scroll_into_view_if_needed()
    save_screenshot(page, release_notebook.removesuffix(".ipynb").replace("/", "-"))

    # The accessibility audit (axe-core, WCAG 2.1 AA) of the notebook as the student sees it now, its cells run:
    # the course's own markdown, outputs and widgets must have no violation; JupyterLab's own are only reported.
    result = audit(page, f"notebook {release_notebook}", "notebook")
    failures = course_failures(result)
    assert not failures, (f"{release_notebook}: {counts(result)['course']} accessibility violation(s) in the course's "
                          "own content (artifacts/accessibility.md):\n" + "\n".join(failures))
