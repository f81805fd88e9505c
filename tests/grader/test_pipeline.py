"""The grading pipeline end to end: tools/ci_grade.sh on the fixture class, against stock nbgrader.

One graded class is shared by the tests here (grading is the slow part): a temporary
course copy (the notebooks present in both release/ and source/), a student "erin" who is
in the gradebook but never submitted, and the fixture class of tests/fixtures/class/. The
same tests run twice: on the course's SQLite gradebook.db, and on a PostgreSQL gradebook on a
real server (tests/support/postgres.py), named by HNL_GRADEBOOK_URL as an instructor would. On PostgreSQL
they run the CI script's grading steps without its course check, which never touches the gradebook
(it grades in a SQLite file of its own) and so would only repeat the SQLite run's.
"""
import csv
import subprocess
import sys

import nbformat
import pytest

from grader.feedback import find_leaks
from tests.support.compare import differences, gradebook_rows, make_course_copy, nbgrader_env, run_stock
from tests.support.course_files import ASSIGNMENT, ASSIGNMENTS, ROOT
from tests.support.fixture_class import STUDENTS, build

COURSE_ID = "how-networks-learn"
NOTEBOOKS = sorted({p.stem for p in (ROOT / "release" / ASSIGNMENT).glob("*.ipynb")}
                   & {p.stem for p in (ROOT / "source" / ASSIGNMENT).glob("*.ipynb")})


def grading(graded, *args):
    return subprocess.run([sys.executable, "-m", "grader", *args, "--course-dir", str(graded["course"])],
                          capture_output=True, text=True, env=graded["env"], cwd=ROOT)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def graded(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("grading")
    course = make_course_copy(ROOT, tmp / "course", ASSIGNMENT, NOTEBOOKS)
    env, server = nbgrader_env(), None
    url = f"sqlite:///{course / 'gradebook.db'}"
    if request.param == "postgresql":
        server = request.getfixturevalue("postgres")
        url = server.create_database("hnl_pipeline")
        env["HNL_GRADEBOOK_URL"] = url
    added = subprocess.run([sys.executable, "-m", "nbgrader", "db", "student", "add", "erin", "--first-name=Erin"],
                           cwd=course, env=env, capture_output=True, text=True)
    assert added.returncode == 0, added.stderr
    incoming = build(tmp / "incoming", course)
    if server is None:
        ci = subprocess.run(["bash", str(ROOT / "tools" / "ci_grade.sh"), str(incoming)], capture_output=True,
                            text=True, env=dict(env, COURSE_DIR=str(course), JOBS="2", PYTHON=sys.executable), cwd=ROOT)
    else:  # the script's steps 2 and 3: its course check grades in a SQLite gradebook of its own, whatever the URL
        steps = [["grade", "--submissions", str(incoming), "--jobs", "2"], ["verify-feedback"]]
        done = [subprocess.run([sys.executable, "-m", "grader", *step, "--course-dir", str(course)],
                               capture_output=True, text=True, env=env, cwd=ROOT) for step in steps]
        ci = subprocess.CompletedProcess(done[0].args, max(d.returncode for d in done),
                                         "".join(d.stdout for d in done), "".join(d.stderr for d in done))
    return {"course": course, "incoming": incoming, "ci": ci, "tmp": tmp, "env": env, "url": url, "server": server}


def test_ci_script_passes_and_checks_the_course(graded):
    ci = graded["ci"]
    assert ci.returncode == 0, ci.stderr[-4000:]
    assert ("course check passed" in ci.stderr) == (graded["server"] is None)
    assert "Traceback" not in ci.stderr
    assert "grading: 4/4 done, 0 left" in ci.stderr  # the progress line
    if graded["server"] is not None:  # on PostgreSQL, and every connection closed afterwards (nbgrader #560)
        assert not (graded["course"] / "gradebook.db").exists()
        assert graded["server"].connections("hnl_pipeline") == 0


def test_scores_in_grades_csv(graded):
    with open(graded["course"] / "grades.csv", newline="") as handle:
        rows = {r["student_id"]: r for r in csv.DictReader(handle)}
    assert set(rows) == {*STUDENTS, "erin"}
    top = float(rows["alice"]["max_score"])
    score = {sid: float(r["score"]) for sid, r in rows.items()}
    assert score["alice"] == top > 0
    assert score["carol"] == 0 and score["erin"] == 0
    assert 0 < score["dave"] < top  # tests restored (implementations score), quiz letters lost
    assert 0 <= score["bob"] <= top


def test_files_feedback_and_report(graded):
    course = graded["course"]
    for sid in STUDENTS:
        for nb in NOTEBOOKS:
            assert (course / "autograded" / sid / ASSIGNMENT / f"{nb}.ipynb").is_file()
            assert (course / "feedback" / sid / ASSIGNMENT / f"{nb}.html").is_file()
    assert not (course / "feedback" / "erin").exists()
    report = (course / "reports" / ASSIGNMENT / "class_report.html").read_text()
    for png in ("score_distribution.png", "exercise_pass_rate.png", "test_cell_pass_rate.png"):
        assert (course / "reports" / ASSIGNMENT / png).stat().st_size > 1000
        assert png in report
    did_not_submit = report.split("<h2>Did not submit</h2>")[1].split("<h2>")[0]
    assert "erin" in did_not_submit and "alice" not in did_not_submit
    assert "Most common failure messages" in report and "NotImplementedError" in report
    assert "test_neuron_output" in report  # per test cell table


def test_no_hidden_test_line_in_any_feedback(graded):
    course = graded["course"]
    leaks, checked = find_leaks(course / "source" / ASSIGNMENT, course / "feedback")
    assert checked == len(STUDENTS) * len(NOTEBOOKS)
    assert leaks == []
    # the check itself finds hidden lines when they are there (stock generate_feedback shows them)
    page = course / "feedback" / "dave" / ASSIGNMENT / "01_forward_pass.html"
    autograded = nbformat.read(course / "autograded" / "dave" / ASSIGNMENT / "01_forward_pass.ipynb", 4)
    secret = next(c.source for c in autograded.cells if "BEGIN HIDDEN TESTS" in c.source)
    leaky = graded["tmp"] / "leaky" / "dave" / ASSIGNMENT
    leaky.mkdir(parents=True)
    (leaky / page.name).write_text(page.read_text() + f"<pre>{secret}</pre>")
    found, _ = find_leaks(course / "source" / ASSIGNMENT, graded["tmp"] / "leaky")
    assert found


@pytest.fixture(scope="module")
def stock(tmp_path_factory):
    """Stock sequential `nbgrader autograde` of the same class (the fixture class is built the same every
    time), run once for both gradebooks."""
    tmp = tmp_path_factory.mktemp("stock")
    stock = make_course_copy(ROOT, tmp / "stock", ASSIGNMENT, NOTEBOOKS)
    build(stock / "submitted", stock)
    assert run_stock(stock, "generate_assignment", ASSIGNMENT, "--force").returncode == 0
    done = run_stock(stock, "autograde", ASSIGNMENT)
    assert done.returncode == 0, done.stderr[-3000:]
    return gradebook_rows(f"sqlite:///{stock / 'gradebook.db'}", COURSE_ID, ASSIGNMENT)


def test_parallel_scores_identical_to_stock_sequential_autograde(graded, stock):
    ours, ours_totals = gradebook_rows(graded["url"], COURSE_ID, ASSIGNMENT)
    theirs, their_totals = stock
    assert set(their_totals) == set(STUDENTS)
    assert differences(ours, theirs) == []
    assert ours_totals == their_totals


def test_rerun_grades_only_changed_submissions(graded):
    incoming = graded["incoming"]
    again = grading(graded, "grade", "--submissions", str(incoming), "--jobs", "2", "--no-report")
    assert again.returncode == 0, again.stderr
    assert "0 to grade, 4 unchanged" in again.stderr
    notebook = incoming / "carol" / ASSIGNMENT / f"{NOTEBOOKS[0]}.ipynb"
    nb = nbformat.read(notebook, 4)
    nb.cells.append(nbformat.v4.new_markdown_cell("I had another look."))
    nbformat.write(nb, notebook)
    changed = grading(graded, "grade", "--submissions", str(incoming), "--jobs", "2", "--no-report")
    assert changed.returncode == 0, changed.stderr
    assert "1 to grade, 3 unchanged" in changed.stderr


def test_ci_grades_the_fixture_class_of_every_assignment(tmp_path):
    """tools/ci_grade.sh with no submissions: every assignment checked and graded, a class report each,
    and one grades.csv with every assignment's rows (one notebook per assignment keeps it quick)."""
    course = tmp_path / "course"
    for assignment in ASSIGNMENTS:
        first = sorted((ROOT / "source" / assignment).glob("*.ipynb"))[0].stem
        make_course_copy(ROOT, course, assignment, [first])
    env = dict(nbgrader_env(), COURSE_DIR=str(course), JOBS="2", PYTHON=sys.executable)
    ci = subprocess.run(["bash", str(ROOT / "tools" / "ci_grade.sh"), "fixture"],
                        capture_output=True, text=True, env=env, cwd=ROOT)
    assert ci.returncode == 0, ci.stderr[-4000:]
    for assignment in ASSIGNMENTS:
        assert f"course check passed for {assignment}" in ci.stderr
        assert (course / "reports" / assignment / "class_report.html").is_file()
        assert all((course / "feedback" / sid / assignment).is_dir() for sid in STUDENTS)
    with open(course / "grades.csv", newline="") as handle:
        rows = {(r["assignment"], r["student_id"]): float(r["score"]) for r in csv.DictReader(handle)}
    assert set(rows) == {(a, sid) for a in ASSIGNMENTS for sid in STUDENTS}
    assert all(rows[(a, "alice")] > 0 and rows[(a, "carol")] == 0 for a in ASSIGNMENTS)
