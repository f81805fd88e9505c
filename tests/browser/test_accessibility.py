"""The accessibility audit (axe-core, WCAG 2.1 A + AA) of the pages the grader writes: a student's feedback
page and the class report, opened in Chromium from file://. Everything on them is the course's, so any
violation fails. The release notebooks are audited in JupyterLab by test_browser_lessons.py after their
cells have run. Every page's results go to artifacts/accessibility.md (tests/browser/accessibility.py).
"""
import base64
import collections
import io
from pathlib import Path

import nbformat
import pytest

from grader.course import load_nbgrader_config
from tests.support.course_files import ASSIGNMENT
from tests.support.feedback_pages import graded

from .accessibility import audit, counts, course_failures
from .conftest import RELEASE, ROOT, new_page, release_notebooks

pytestmark = pytest.mark.browser


def _png():
    """A small real figure, as a lesson's plot cell outputs it."""
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    fig = Figure(figsize=(2, 1.5))
    fig.subplots().plot([0, 1, 2], [0.3, 0.1, 0.02])
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=50)
    return base64.b64encode(buf.getvalue()).decode()


@pytest.fixture(scope="module")
def feedback_exporter():
    """The exporter `python -m grader grade` writes feedback pages with (nbgrader's GenerateFeedback
    configured by the course: grader.feedback_html.FeedbackHTMLExporter, the feedback template)."""
    from nbgrader.converters import GenerateFeedback
    from nbgrader.coursedir import CourseDirectory

    config = load_nbgrader_config(ROOT)
    converter = GenerateFeedback(coursedir=CourseDirectory(config=config), config=config)
    return converter.exporter_class(parent=converter, config=converter.config)


@pytest.fixture
def grader_page(browser):
    page = new_page(browser)
    yield page
    page.context.close()


def check(result):
    failures = course_failures(result)
    assert not failures, (f"{result['page']}: {counts(result)['course']} accessibility violation(s) in the course's "
                          "own HTML (artifacts/accessibility.md):\n" + "\n".join(failures))


@pytest.mark.parametrize("notebook", release_notebooks())
def test_feedback_page_has_no_violations(notebook, feedback_exporter, grader_page, tmp_path):
    nb = graded(nbformat.read(RELEASE / notebook, as_version=4), printed="loss 0.0213 after 200 epochs\n",
                picture=_png())
    resources = {"nbgrader": {"notebook": Path(notebook).stem, "score": 3.5, "max_score": 7, "late_penalty": 0}}
    html, _ = feedback_exporter.from_notebook_node(nb, resources)
    path = tmp_path / f"{Path(notebook).stem}.html"
    path.write_text(html, encoding="utf-8")
    grader_page.goto(path.as_uri())
    check(audit(grader_page, f"feedback {notebook}", "feedback", whole_page_is_course=True))


class Course:
    """What grader.report.write_report reads of a course, less the gradebook (see class_data)."""
    assignment = ASSIGNMENT


def class_data():
    """What grader.report.collect reads from a graded class's gradebook: every test cell of the assignment,
    four students with varied scores, one who did not submit, failures of each kind."""
    from grader.lessons import exercise_of
    cells, answers = [], []
    for path in sorted((ROOT / "source" / ASSIGNMENT).glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade"):
                cells.append((path.stem, meta["grade_id"], float(meta.get("points", 0))))
            if meta.get("solution"):
                answers.append(meta["grade_id"])
    top = sum(p for *_, p in cells)
    students = {}
    for k, sid in enumerate(("alice", "bob", "carol", "dave")):
        grades = {(nb, gid): (pts if (i + k) % 3 else 0) for i, (nb, gid, pts) in enumerate(cells)}
        students[sid] = {"score": sum(grades.values()), "grades": grades, "needs_manual": sid == "dave"}
    failures = collections.Counter({("CheckFailed", "forward() returned 0.5, expected 0.62"): 3,
                                    ("NotImplementedError", "(no message)"): 2})
    return {"cells": cells, "students": students, "not_submitted": ["erin"], "failures": failures,
            "failure_examples": {key: f"{cells[0][0]} / {cells[0][1]}" for key in failures},
            "exercise_of": {gid: exercise_of(gid, answers) for _, gid, _ in cells}, "max_score": top}


def test_class_report_has_no_violations(grader_page, tmp_path, monkeypatch):
    from grader import report
    monkeypatch.setattr(report, "collect", lambda course: class_data())
    monkeypatch.setattr(report, "_problems", lambda course, data: [
        ("bob", "01_forward_pass", "HELD: reads the grader's hidden inputs"),
        ("carol", "01_forward_pass", "cell 4: CellTimeoutError: ran past the time limit (infinite loop?)")])
    path, _ = report.write_report(Course(), tmp_path / "reports", failed=[("frank", "notebook unreadable")])
    grader_page.goto(path.as_uri())
    check(audit(grader_page, "class report", "class report", whole_page_is_course=True))
    # Each figure's text alternative says what it shows, with its numbers (not only "a bar chart").
    alts = grader_page.locator("img").evaluate_all("imgs => imgs.map(i => i.alt)")
    assert len(alts) == 3 and "median" in alts[0] and all("lowest" in alt and "%" in alt for alt in alts[1:]), alts


# A JupyterLab-like page: a violation in the app's own chrome, in a markdown cell, in a widget and in a picture.
FAKE_LAB = """<!DOCTYPE html><html lang="en"><head><title>lab</title></head><body><main>
<div class="jp-Toolbar"><button class="jp-ToolbarButton"></button></div>
<div class="jp-Cell"><div class="jp-MarkdownOutput"><h1>Lesson</h1><img src="data:image/png;base64,{png}"></div>
<div class="jp-OutputArea"><div class="jp-RenderedImage"><img src="data:image/png;base64,{png}"></div>
<div class="jupyter-widgets widget-slider"><div role="slider" tabindex="0" aria-valuenow="1"></div></div></div></div>
</main></body></html>"""


def test_the_audit_sorts_each_violation_by_who_made_it(grader_page):
    grader_page.set_content(FAKE_LAB.format(png=_png()))
    result = audit(grader_page, "fake lab", "notebook", record=False)
    owners = {(v["id"], n["owner"], n["place"]) for v in result["violations"] for n in v["nodes"]}
    assert ("button-name", "jupyterlab", "jupyterlab") in owners  # JupyterLab's: reported, never failing
    assert ("image-alt", "course", "content") in owners  # a picture in the course's markdown: fails
    assert ("image-alt", "course", "picture") in owners  # a cell's figure without a text alternative: fails
    assert ("aria-input-field-name", "course", "widget") in owners  # a slider without a name: fails
    assert [line for line in course_failures(result) if line.startswith("image-alt")]
    assert counts(result) == {"course": 3, "jupyterlab": 1}
