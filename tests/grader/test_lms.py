"""LMS downloads graded as they arrive (grader/lms): Canvas, Moodle and Blackboard.

Realistic downloads (tests/support/lms_downloads.py) go through the real command line, stock nbgrader
autograde in the sandbox, and out as each LMS's grade file; the mapping of every file, the
refusals and stock ``nbgrader zip_collect`` with the course's plugins are checked on their own.
"""
import csv
import subprocess
import sys
import zipfile

import pytest
from nbgrader.api import Gradebook

from grader.course import Course
from grader.errors import GradingError
from grader.intake import read_submissions
from grader.lms.collectors import match_notebook
from grader.lms.settings import LmsSettings
from tests.support.compare import make_course_copy, nbgrader_env
from tests.support.course_files import ASSIGNMENTS, ROOT, check_cells, nbgrader_meta, read, source
from tests.support.lms_downloads import (
    DUE,
    EXPECTED,
    ROSTER,
    build_download,
    notebook_bytes,
    write_moodle_worksheet,
    write_roster,
)

LMSS = ("canvas", "moodle", "blackboard")
ASSIGNMENT = ASSIGNMENTS[-1]  # the newest assignment, one notebook of it: cheap to grade
NOTEBOOK = sorted((ROOT / "source" / ASSIGNMENT).glob("*.ipynb"))[0].stem
FULL = float(sum(nbgrader_meta(c).get("points", 0) for c in check_cells(read(source(NOTEBOOK)))))
POINTS = f"{FULL:g}"  # as the grade files write it


def settings(tmp, lms):
    worksheet = write_moodle_worksheet(tmp / "worksheet.csv") if lms == "moodle" else None
    return LmsSettings(lms, str(write_roster(tmp / f"roster_{lms}.csv", lms)), worksheet=worksheet)


@pytest.fixture(scope="module", params=LMSS)
def graded(request, tmp_path_factory):
    """One LMS's download graded by the real command line, as an instructor would: `make grade LMS=...`."""
    lms = request.param
    tmp = tmp_path_factory.mktemp(lms)
    course = make_course_copy(ROOT, tmp / "course", ASSIGNMENT, [NOTEBOOK])
    lms_settings = settings(tmp, lms)
    args = [sys.executable, "-m", "grader", "grade", "--course-dir", str(course), "--lms", lms,
            "--submissions", str(build_download(tmp / f"{lms}.zip", lms, ASSIGNMENT)),
            "--roster", lms_settings.roster, "--due", DUE, "--skip-invalid", "--jobs", "2"]
    if lms_settings.worksheet:
        args += ["--worksheet", str(lms_settings.worksheet)]
    done = subprocess.run(args, capture_output=True, text=True, env=nbgrader_env(), cwd=course, timeout=900)
    with open(course / f"grades_{lms}_{ASSIGNMENT}.csv", newline="") as handle:
        grade_file = list(csv.reader(handle))
    return {"lms": lms, "course": course, "done": done, "grade_file": grade_file}


def test_a_download_grades_in_one_command(graded):
    """Everyone on the roster who handed in is graded; the stranger is listed; exit 1 says someone was not."""
    done = graded["done"]
    assert done.returncode == 1, done.stderr[-3000:]
    assert "students found: 5 of 6 on the roster; nothing from fay" in done.stderr
    assert "is not in the roster" in done.stderr and "0 failed, 1 skipped: exit 1" in done.stderr
    with Gradebook(f"sqlite:///{graded['course'] / 'gradebook.db'}") as gb:
        got = {}
        for student in gb.students:
            try:
                sub = gb.find_submission(ASSIGNMENT, student.id)
            except Exception:
                got[student.id] = None
                continue
            got[student.id] = (sub.score, sub.late_submission_penalty, student.first_name)
    first = {p["student_id"]: p["first_name"] for p in ROSTER}
    want = {sid: (FULL, FULL if late else 0.0, first[sid]) for sid, (_, late) in EXPECTED.items()}
    assert got == {**want, "fay": None}, "wrong students, scores or late penalties"
    report = (graded["course"] / "reports" / ASSIGNMENT / "class_report.html").read_text()
    assert "<h2>The LMS download</h2>" in report and "late: cy:" in report
    assert ("resubmitted: ben" in report) == (graded["lms"] != "moodle")


def test_the_grade_file_is_the_lms_import_format(graded):
    rows, lms = graded["grade_file"], graded["lms"]
    scores = {"ada": POINTS, "ben": POINTS, "cy": "0", "dee": POINTS, "eve": POINTS, "fay": ""}
    if lms == "canvas":
        assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", ASSIGNMENT]
        assert rows[1] == ["    Points Possible", "", "", "", "", POINTS]
        assert rows[2:] == [[f"{p['last_name']}, {p['first_name']}", p["canvas"], "", p["blackboard"], "",
                             scores[p["student_id"]]] for p in ROSTER]
    elif lms == "moodle":  # the instructor's own worksheet, Grade and Feedback filled in
        assert rows[0][0] == "Identifier" and rows[0][4] == "Grade" and rows[0][-1] == "Feedback comments"
        assert [(r[0], r[4]) for r in rows[1:]] == [(f"Participant {p['moodle']}", scores[p["student_id"]])
                                                     for p in ROSTER]
        assert rows[3][7] == "Sunday, 22 November 2026, 8:30 AM" and f"late penalty of {POINTS}" in rows[3][-1]
    else:
        column = f"{ASSIGNMENT} [Total Pts: {POINTS} Score]"
        assert rows[0] == ["Last Name", "First Name", "Username", "Student ID", column]
        assert rows[1:] == [[p["last_name"], p["first_name"], p["blackboard"], "", scores[p["student_id"]]]
                            for p in ROSTER]


def test_the_grade_file_can_be_written_again_from_the_gradebook(graded, tmp_path):
    lms = graded["lms"]
    args = [sys.executable, "-m", "grader", "grades", "--course-dir", str(graded["course"]), "--lms", lms,
            "--roster", str(graded["course"].parent / f"roster_{lms}.csv"), "--out", str(tmp_path / "again.csv")]
    if lms == "moodle":
        args += ["--worksheet", str(graded["course"].parent / "worksheet.csv")]
    done = subprocess.run(args, capture_output=True, text=True, env=nbgrader_env())
    assert done.returncode == 0, done.stderr
    assert "5 of 6 students on the roster graded" in done.stderr
    with open(tmp_path / "again.csv", newline="") as handle:
        assert list(csv.reader(handle)) == graded["grade_file"]


@pytest.fixture
def course(tmp_path):
    return Course.open(make_course_copy(ROOT, tmp_path / "course", ASSIGNMENT, [NOTEBOOK]))


@pytest.mark.parametrize("lms", LMSS)
def test_every_file_of_a_download_is_placed_or_listed(lms, course, tmp_path):
    """Before grading: each file's student, notebook and time, or why it is ignored or cannot be graded."""
    lms_settings = settings(tmp_path, lms)
    intake = read_submissions(course, build_download(tmp_path / "d.zip", lms, ASSIGNMENT), lms_settings, DUE)
    try:
        plan = intake.plan
        assert intake.students == sorted(EXPECTED)
        assert [(sid, "not in the roster" in msg) for sid, msg in intake.problems] == [(None, True)]
        layout = intake.layout_root
        for sid in EXPECTED:
            assert sorted(p.name for p in (layout / sid / ASSIGNMENT).iterdir() if p.suffix == ".ipynb") == [
                f"{NOTEBOOK}.ipynb"]
        stamp = (layout / "cy" / ASSIGNMENT / "timestamp.txt").read_text()
        assert stamp == {"canvas": "2026-11-20 23:59:01.000000 UTC"}.get(lms, "2026-11-22 08:30:00.000000 UTC")
        assert [sid for sid, _ in plan.late] == ["cy"]
        assert ("dee" in {sid for sid, _, _ in plan.renamed})
        reasons = {why for _, why in plan.ignored}
        assert "not a notebook" in reasons
        if lms != "moodle":  # Moodle's download holds only the latest submission
            assert [(sid, older) for sid, _, _, older in plan.resubmitted] == [
                ("ben", [f for f, why in plan.ignored if "resubmitted" in why])]
            kept = (layout / "ben" / ASSIGNMENT / f"{NOTEBOOK}.ipynb").read_bytes()
            assert kept == notebook_bytes(ASSIGNMENT, "perfect")[0], "the older, blank file won"
        if lms == "blackboard":
            assert sum("receipt" in why for why in reasons) == 1 and len(plan.ignored) == 9
    finally:
        intake.cleanup()


def test_renamed_notebooks_are_matched_only_when_unambiguous():
    notebooks = sorted(p.stem for p in (ROOT / "source" / ASSIGNMENTS[0]).glob("*.ipynb"))
    assert notebooks[:2] == ["01_forward_pass", "02_loss"]
    for name, want in [("01_forward_pass.ipynb", "01_forward_pass"), ("01_forward_pass (1).ipynb", "01_forward_pass"),
                       ("01_Forward_Pass.ipynb", "01_forward_pass"), ("jane_doe_02_loss-2.ipynb", "02_loss"),
                       ("Forward pass.ipynb", "01_forward_pass")]:
        assert match_notebook(name, notebooks) == (want, None), name
    for name, why in [("scratch.ipynb", "none of this assignment's notebooks"),
                      ("loss and training loop.ipynb", "could be any of 02_loss.ipynb, 05_training_loop.ipynb")]:
        found, message = match_notebook(name, notebooks)
        assert found is None and why in message, (name, message)


def test_two_files_for_one_notebook_with_no_order_are_listed(course, tmp_path):
    roster = write_roster(tmp_path / "roster.csv", "moodle")
    folder = tmp_path / "download" / "Ada Lovelace_501_assignsubmission_file_"
    folder.mkdir(parents=True)
    release = ROOT / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    for name in (f"{NOTEBOOK}.ipynb", f"{NOTEBOOK} (1).ipynb"):
        (folder / name).write_bytes(release.read_bytes())
    intake = read_submissions(course, tmp_path / "download", LmsSettings("moodle", str(roster)))
    try:
        assert intake.students == [] and len(intake.problems) == 1
        assert intake.problems[0][0] == "ada" and "says nothing of which is newer" in intake.problems[0][1]
    finally:
        intake.cleanup()


@pytest.mark.parametrize("entry", ["../escape.ipynb", "/etc/cron.d/x.ipynb", "inner.zip"])
def test_a_zip_that_writes_outside_its_folder_is_refused(entry, course, tmp_path):
    download = tmp_path / "d.zip"
    with zipfile.ZipFile(download, "w") as zf:
        zf.writestr("lovelaceada_1001_70011_notes.pdf", b"fine")
        if entry == "inner.zip":  # the escape hides in a zip a student uploaded
            inner = tmp_path / "inner.zip"
            with zipfile.ZipFile(inner, "w") as izf:
                izf.writestr("../../escape.ipynb", b"{}")
            zf.write(inner, "lovelaceada_1001_70012_work.zip")
        else:
            zf.writestr(entry, b"{}")
    roster = write_roster(tmp_path / "roster.csv", "canvas")
    with pytest.raises(GradingError, match="would write outside its folder"):
        read_submissions(course, download, LmsSettings("canvas", str(roster)))
    assert not (tmp_path / "escape.ipynb").exists() and not (course.root / "submitted").exists()


def test_bad_roster_and_settings_are_clear_errors(course, tmp_path):
    download = build_download(tmp_path / "d.zip", "canvas", ASSIGNMENT)
    cases = {"lms_id,name\n1001,ada\n": "missing: student_id",
             "lms_id,student_id\n1001,ada\n1002,ada\n": "student_id 'ada' is also on line 2",
             "lms_id,student_id\n1001,ada lovelace\n": "not a usable nbgrader student id"}
    for text, message in cases.items():
        (tmp_path / "roster.csv").write_text(text)
        with pytest.raises(GradingError, match=message):
            read_submissions(course, download, LmsSettings("canvas", str(tmp_path / "roster.csv")))
    with pytest.raises(GradingError, match="needs a roster"):
        read_submissions(course, download, LmsSettings("canvas", None))
    with pytest.raises(GradingError, match="unknown time zone"):
        read_submissions(course, build_download(tmp_path / "b.zip", "blackboard", ASSIGNMENT),
                         LmsSettings("blackboard", str(write_roster(tmp_path / "r.csv", "blackboard")),
                                     timezone="Mars/Olympus"))


def test_stock_zip_collect_uses_the_course_plugins(tmp_path):
    """`nbgrader zip_collect` with the course's extractor and Canvas collector: nbgrader's own layout."""
    course = make_course_copy(ROOT, tmp_path / "course", ASSIGNMENT)
    archive = course / "downloaded" / ASSIGNMENT / "archive"
    archive.mkdir(parents=True)
    build_download(archive / "submissions.zip", "canvas", ASSIGNMENT)
    roster = write_roster(tmp_path / "roster.csv", "canvas")
    done = subprocess.run([sys.executable, "-m", "nbgrader", "zip_collect", ASSIGNMENT,
                           "--extractor=grader.lms.SafeExtractor", "--collector=grader.lms.CanvasCollector",
                           f"--LmsCollector.roster={roster}", f"--LmsCollector.due_date={DUE}"],
                          cwd=course, env=nbgrader_env(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    submitted = course / "submitted"
    assert sorted(p.name for p in submitted.iterdir()) == sorted(EXPECTED)
    assert all((submitted / sid / ASSIGNMENT / f"{NOTEBOOK}.ipynb").is_file() for sid in EXPECTED)
    assert (submitted / "cy" / ASSIGNMENT / "timestamp.txt").read_text().startswith("2026-11-20 23:59:01")
    assert "is not in the roster" in done.stderr


def test_make_passes_the_lms_variables():
    done = subprocess.run(["make", "-n", "grade", "LMS=canvas", "ROSTER=r.csv", "SUBMISSIONS=s.zip",
                           f"DUE={DUE}", "SKIP_INVALID=1", "LMS_COLUMN=Lesson 6 (4567)"],
                          cwd=ROOT, capture_output=True, text=True)
    line = [x for x in done.stdout.splitlines() if "-m grader grade" in x]
    assert line, done.stdout + done.stderr
    for part in ("--skip-invalid", '--lms "canvas"', '--roster "r.csv"', f'--due "{DUE}"',
                 '--submissions "s.zip"', '--lms-column "Lesson 6 (4567)"'):
        assert part in line[0]
    done = subprocess.run(["make", "-n", "grades", "LMS=moodle", "ROSTER=r.csv", "WORKSHEET=w.csv"],
                          cwd=ROOT, capture_output=True, text=True)
    assert any('-m grader grades' in x and '--worksheet "w.csv"' in x for x in done.stdout.splitlines())


def test_moodle_without_folders_and_blackboard_on_its_own_clock(course, tmp_path):
    """Moodle's download with "in folders" off glues the prefix to each file; Blackboard's times are
    on the server's clock (LMS_TIMEZONE)."""
    download = tmp_path / "flat.zip"
    full, _ = notebook_bytes(ASSIGNMENT, "perfect")
    with zipfile.ZipFile(download, "w") as zf:
        zf.writestr(f"Ada Lovelace_501_assignsubmission_file_{NOTEBOOK}.ipynb", full)
    intake = read_submissions(course, download, LmsSettings("moodle", str(write_roster(tmp_path / "m.csv", "moodle"))))
    try:
        assert intake.students == ["ada"] and not intake.problems
    finally:
        intake.cleanup()
    roster = str(write_roster(tmp_path / "b.csv", "blackboard"))
    intake = read_submissions(course, build_download(tmp_path / "b.zip", "blackboard", ASSIGNMENT),
                              LmsSettings("blackboard", roster, timezone="America/New_York"), DUE)
    try:  # 08:30 in New York is 13:30 UTC
        assert (intake.layout_root / "cy" / ASSIGNMENT / "timestamp.txt").read_text().startswith("2026-11-22 13:30:00")
    finally:
        intake.cleanup()


def test_a_blackboard_username_with_underscores_is_found_through_the_roster(course, tmp_path):
    """`<assignment>_<username>_attempt_...`: both parts may hold '_'; the roster says where they split."""
    roster = tmp_path / "roster.csv"
    roster.write_text("lms_id,student_id\njane_doe,jane\ndoe,john\n")
    full, _ = notebook_bytes(ASSIGNMENT, "perfect")
    download = tmp_path / "b.zip"
    with zipfile.ZipFile(download, "w") as zf:
        zf.writestr(f"Lesson_6_jane_doe_attempt_2026-11-20-10-00-00_{NOTEBOOK}.ipynb", full)
        zf.writestr(f"Lesson_6_doe_attempt_2026-11-20-11-00-00_{NOTEBOOK}.ipynb", full)
    intake = read_submissions(course, download, LmsSettings("blackboard", str(roster)))
    try:
        assert intake.students == ["jane", "john"] and not intake.problems
    finally:
        intake.cleanup()
