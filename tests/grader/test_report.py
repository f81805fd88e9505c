"""The class report's HTML (grader/report.py renders grader/templates/class_report.html.j2): whatever a student
chose as their id, or wrote into an error message, is shown as text, never as markup; the template ships with
the package. Its accessibility is audited in Chromium by tests/browser/test_accessibility.py."""
import collections
import tomllib
from fnmatch import fnmatch

from bs4 import BeautifulSoup

from grader import report
from tests.support.course_files import ROOT

HOSTILE = "<script>alert('x')</script><img src=x onerror=alert(1)>&\"quoted\""


class Course:
    assignment = "lesson <one>"


def class_data():
    """What report.collect would read from a gradebook: a hostile student id everywhere a student id is shown."""
    cells = [("01_forward_pass", "test_neuron_output", 2.0), ("01_forward_pass", "test_<b>bold</b>", 1.0)]
    students = {sid: {"score": score, "grades": {(nb, gid): min(pts, score) for nb, gid, pts in cells},
                      "needs_manual": manual}
                for sid, score, manual in (("alice", 3.0, False), (HOSTILE, 0.0, True))}
    failures = collections.Counter({("CheckFailed", "returned 0.5 < 0.62 & more"): 2})
    return {"cells": cells, "students": students, "not_submitted": [HOSTILE], "failures": failures,
            "failure_examples": {key: f"01_forward_pass / {HOSTILE}" for key in failures},
            "exercise_of": {"test_neuron_output": "neuron_output", "test_<b>bold</b>": "<b>bold</b>"},
            "max_score": 3.0}


def write(monkeypatch, folder, data):
    monkeypatch.setattr(report, "collect", lambda course: data)
    monkeypatch.setattr(report, "_problems", lambda course, d: [(HOSTILE, "01_forward_pass", "HELD: <reads>")])
    (folder / report.COLLECT_NOTES).parent.mkdir(parents=True, exist_ok=True)
    (folder / report.COLLECT_NOTES).write_text(f"{HOSTILE}: claims 10:00\n", encoding="utf-8")
    path, _ = report.write_report(Course(), folder, failed=[(HOSTILE, "notebook unreadable")])
    return path.read_text(encoding="utf-8")


def test_a_hostile_student_id_is_text_not_markup(monkeypatch, tmp_path):
    html = write(monkeypatch, tmp_path, class_data())
    assert "<script" not in html and "<img src=x" not in html and "<b>bold" not in html
    page = BeautifulSoup(html, "html.parser")
    assert [img["src"] for img in page.find_all("img")] == [
        "score_distribution.png", "exercise_pass_rate.png", "test_cell_pass_rate.png"]
    # The id comes back whole, as text, in each place a student id is shown.
    shown = [tag.get_text() for tag in page.find_all(["td", "li"]) if HOSTILE in tag.get_text()]
    assert shown.count(HOSTILE) == 4, shown  # did not submit, needs manual grading, needs a look, not graded
    assert f"01_forward_pass / {HOSTILE}" in shown  # the failure's example
    assert page.find("pre").get_text() == f"{HOSTILE}: claims 10:00\n"
    assert page.title.get_text() == "Class report: lesson <one>"
    assert [h.get_text() for h in page.find_all("h2")] == [
        "Summary", "Score distribution", "Pass rate per exercise", "Pass rate per test cell",
        "Most common failure messages", "Did not submit", "Submissions that need a look", "Needs manual grading",
        "Not graded in this run", "Refused and re-timed submissions"]


def test_an_empty_class_says_so(monkeypatch, tmp_path):
    data = {**class_data(), "students": {}, "not_submitted": [], "failures": collections.Counter(),
            "failure_examples": {}}
    page = BeautifulSoup(write(monkeypatch, tmp_path, data), "html.parser")
    said = [p.get_text() for p in page.find_all("p")]
    assert "No test cell failed." in said and "Everyone submitted." in said
    assert "Needs manual grading" not in [h.get_text() for h in page.find_all("h2")]


def test_the_template_is_package_data():
    """A non-editable install (pip install .) carries grader/templates/: pyproject's package-data names it."""
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["grader"]
    files = sorted(p.relative_to(ROOT / "grader").as_posix() for p in (ROOT / "grader" / "templates").iterdir())
    assert "templates/class_report.html.j2" in files
    assert all(any(fnmatch(f, pattern) for pattern in patterns) for f in files), (files, patterns)
