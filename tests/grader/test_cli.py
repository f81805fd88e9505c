"""Bad input to `python -m grader`: a clear message, exit 2, no traceback, nothing recorded."""
import contextlib
import hashlib
import io
import shutil
import subprocess
import sys
import zipfile

import pytest

from grader.cli import main
from tests.support.compare import make_course_copy, nbgrader_env
from tests.support.course_files import ASSIGNMENT, ASSIGNMENTS, ROOT

NOTEBOOK = "01_forward_pass.ipynb"
RELEASED = ROOT / "release" / ASSIGNMENT / NOTEBOOK


@pytest.fixture
def course(tmp_path):
    return make_course_copy(ROOT, tmp_path / "course", ASSIGNMENT, [NOTEBOOK[:-6]])


def state(course):
    """Everything a grading run could write: the gradebook and nbgrader's folders."""
    db = course / "gradebook.db"
    digest = hashlib.sha256(db.read_bytes()).hexdigest() if db.exists() else None
    return digest, sorted(p.name for p in course.iterdir())


def run(course, *args):
    """The command line in-process (these runs stop before any worker starts); returns stderr."""
    before = state(course)
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
        code = main(["grade", "--course-dir", str(course), *args])
    err = stderr.getvalue()
    assert code == 2, (code, err)
    assert "Traceback" not in err and err.startswith("error: ")
    assert state(course) == before, "a failed run must not write the gradebook or any folder"
    return err


def test_command_line_exit_code_and_message(course, tmp_path):
    done = subprocess.run([sys.executable, "-m", "grader", "--course-dir", str(course),
                           "--submissions", str(tmp_path / "nowhere")],
                          capture_output=True, text=True, env=nbgrader_env(), cwd=course)
    assert done.returncode == 2 and done.stderr.startswith("error: Submissions not found")
    assert "Traceback" not in done.stderr


def student(folder, sid="alice", name=NOTEBOOK, assignment=ASSIGNMENT):
    path = folder / sid / assignment / name
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(RELEASED, path)
    return path


def test_missing_folder(course, tmp_path):
    err = run(course, "--submissions", str(tmp_path / "nowhere"))
    assert "not found" in err and "nowhere" in err


def test_default_submitted_folder_missing(course):
    assert "submitted" in run(course)


def test_zip_with_wrong_layout(course, tmp_path):
    archive = tmp_path / "lms.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(RELEASED, f"alice/{NOTEBOOK}")  # no assignment folder
        z.write(RELEASED, f"bob/{ASSIGNMENT}/{NOTEBOOK}")
    err = run(course, "--submissions", str(archive))
    assert "expected layout" in err and f"alice/{NOTEBOOK}" in err and "bob/" not in err


def test_not_a_zip(course, tmp_path):
    fake = tmp_path / "grades.zip"
    fake.write_text("not a zip")
    assert "not a readable zip" in run(course, "--submissions", str(fake))


def test_notebook_with_wrong_name(course, tmp_path):
    student(tmp_path / "in", "alice", "01_forward_pass-Copy1.ipynb")
    student(tmp_path / "in", "bob")
    err = run(course, "--submissions", str(tmp_path / "in"))
    assert "alice" in err and "wrong name '01_forward_pass-Copy1.ipynb'" in err and NOTEBOOK in err
    assert "--skip-invalid" in err


def test_unreadable_notebook(course, tmp_path):
    student(tmp_path / "in").write_text("{ not json")
    assert "not a readable notebook" in run(course, "--submissions", str(tmp_path / "in"))


def test_unknown_assignment_option(course, tmp_path):
    student(tmp_path / "in")
    err = run(course, "--assignment", "homework9", "--submissions", str(tmp_path / "in"))
    assert "Unknown assignment 'homework9'" in err and ASSIGNMENT in err


def test_unknown_assignment_folder_in_submissions(course, tmp_path):
    student(tmp_path / "in", assignment="homework9")
    err = run(course, "--submissions", str(tmp_path / "in"))
    assert "unknown assignment 'homework9'" in err


def test_zip_layouts_accepted(course, tmp_path):
    """What the zip intake accepts (no grading here: read_submissions only)."""
    from grader.course import Course
    from grader.intake import read_submissions
    c = Course.open(course, ASSIGNMENT)
    for prefix in ("", "submitted/"):
        archive = tmp_path / f"ok{len(prefix)}.zip"
        with zipfile.ZipFile(archive, "w") as z:
            z.write(RELEASED, f"{prefix}alice/{ASSIGNMENT}/{NOTEBOOK}")
            z.writestr(f"{prefix}alice/{ASSIGNMENT}/timestamp.txt", "2026-01-10 12:00:00 UTC")
            z.writestr("__MACOSX/._junk", "")
            z.write(RELEASED, f"{prefix}bob/{ASSIGNMENT}/{NOTEBOOK}")
        intake = read_submissions(c, archive)
        try:
            assert intake.students == ["alice", "bob"] and not intake.problems
            assert (intake.layout_root / "alice" / ASSIGNMENT / "timestamp.txt").is_file()
        finally:
            intake.cleanup()


def test_a_whole_course_folder_grades_each_assignment_from_who_handed_it_in(tmp_path):
    """A folder with every assignment: grading one lists (not rejects) students who have not handed it in."""
    from grader.course import Course
    from grader.intake import read_submissions
    first, second = ASSIGNMENTS[:2]
    course = make_course_copy(ROOT, tmp_path / "course", first, [NOTEBOOK[:-6]])
    make_course_copy(ROOT, course, second)
    later = sorted((ROOT / "release" / second).glob("*.ipynb"))[0]
    student(tmp_path / "in", "alice")
    student(tmp_path / "in", "bob")
    (tmp_path / "in" / "bob" / second).mkdir()
    shutil.copy(later, tmp_path / "in" / "bob" / second)
    intake = read_submissions(Course.open(course, second), tmp_path / "in")
    try:
        assert intake.students == ["bob"] and not intake.problems
        assert intake.notes == [f"alice: no {second}/ (only {first}): not graded this run"]
    finally:
        intake.cleanup()
    intake = read_submissions(Course.open(course), tmp_path / "in")  # the default: the first assignment
    try:
        assert intake.students == ["alice", "bob"] and not intake.problems
    finally:
        intake.cleanup()


@pytest.mark.parametrize("command", ["grade", "report"])
def test_an_unreachable_postgresql_gradebook_is_named_without_its_password(course, tmp_path, command):
    student(tmp_path / "in")
    url = "postgresql+psycopg2://grader:s3cret@/no_such_db?host=/nonexistent-socket-dir"
    args = [command, "--course-dir", str(course)] + (["--submissions", str(tmp_path / "in")] if command == "grade"
                                                     else [])
    done = subprocess.run([sys.executable, "-m", "grader", *args], capture_output=True, text=True, cwd=course,
                          env=dict(nbgrader_env(), HNL_GRADEBOOK_URL=url))
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("error: Cannot open the gradebook at /no_such_db?host=/nonexistent-socket-dir")
    assert "HNL_GRADEBOOK_URL" in done.stderr and "s3cret" not in done.stderr and "Traceback" not in done.stderr


def test_the_course_check_never_opens_the_course_gradebook(course):
    """`grader check` (CI's first step) grades in a SQLite gradebook of its own: it passes with the course's
    gradebook on a server that cannot be reached, and writes nothing in the course."""
    url = "postgresql+psycopg2://grader:s3cret@/no_such_db?host=/nonexistent-socket-dir"
    before = state(course)
    done = subprocess.run([sys.executable, "-m", "grader", "check", "--course-dir", str(course)], capture_output=True,
                          text=True, cwd=course, env=dict(nbgrader_env(), HNL_GRADEBOOK_URL=url))
    assert done.returncode == 0, done.stderr
    assert f"course check passed for {ASSIGNMENT}: 1 notebook," in done.stderr
    assert state(course) == before


def test_a_source_nbgrader_cannot_release_is_named_and_nothing_is_graded(course, tmp_path):
    """generate_assignment (in the grading process) refuses a source with two cells of one grade_id: exit 2,
    nbgrader's own reason, no traceback, and no student graded."""
    import nbformat
    path = course / "source" / ASSIGNMENT / NOTEBOOK
    nb = nbformat.read(path, as_version=4)
    graded = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    graded[1].metadata.nbgrader["grade_id"] = graded[0].metadata.nbgrader["grade_id"]
    nbformat.write(nb, path)
    student(tmp_path / "in")
    done = subprocess.run([sys.executable, "-m", "grader", "grade", "--course-dir", str(course),
                           "--submissions", str(tmp_path / "in")], capture_output=True, text=True, cwd=course,
                          env=nbgrader_env())
    assert done.returncode == 2, done.stderr
    assert "error: The course is broken: nbgrader generate_assignment failed:" in done.stderr
    assert f"Duplicate grade id: {graded[0].metadata.nbgrader['grade_id']}" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert not (course / "autograded").exists() and not (course / "submitted").exists()
