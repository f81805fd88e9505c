"""The single writer: puts what a worker's nbgrader autograde recorded into the course gradebook.

Only nbgrader's own API (``nbgrader.api.Gradebook``) touches the gradebook, and only the
fields stock autograde writes: the submission's timestamp (only when the submission had
one, as stock does), each notebook's late-submission penalty, each grade's ``auto_score``
and ``needs_manual_grade``, each comment's ``auto_comment``. Manual scores and comments
a grader entered are left alone, exactly as a re-run of stock autograde leaves them.
"""
import shutil
import warnings
from pathlib import Path

from .dblock import held


def add_students(course, gb, students, names=None):
    """Put ``students`` (and ``names``' students, with their names) in the gradebook, one lock each."""
    names = names or {}
    for sid in sorted(set(students) | set(names)):
        with held(gb.engine, student_lock(course, sid)):
            gb.update_or_create_student(sid, **names.get(sid, {}))


def student_lock(course, sid):
    """The advisory lock's name for one student's rows and files (grader/dblock.py)."""
    return f"{course.course_id}/{course.assignment}/student:{sid}"


def apply_record(gb, assignment, sid, record):
    """Write one worker record into an open Gradebook ``gb``; one commit at the end."""
    from sqlalchemy.exc import SAWarning
    with warnings.catch_warnings():
        # nbgrader's add_submission trips SQLAlchemy autoflush warnings (stock autograde prints them too)
        warnings.simplefilter("ignore", SAWarning)
        _apply_record(gb, assignment, sid, record)


def _apply_record(gb, assignment, sid, record):
    gb.update_or_create_student(sid)
    if record.get("timestamp") is not None:
        gb.update_or_create_submission(assignment, sid, timestamp=record["timestamp"])
    else:
        gb.update_or_create_submission(assignment, sid)
    for nb_name, nb_rec in record["notebooks"].items():
        notebook = gb.find_submission_notebook(nb_name, assignment, sid)
        notebook.late_submission_penalty = nb_rec["late_submission_penalty"]
        # the notebook's grades and comments in one query each, not one per cell (find_grade):
        # a PostgreSQL server a network away pays for every round trip
        grades = {g.name: g for g in notebook.grades}
        comments = {c.name: c for c in notebook.comments}
        for grade_name, (auto_score, needs_manual) in nb_rec["grades"].items():
            grade = grades[grade_name]
            grade.auto_score = auto_score
            grade.needs_manual_grade = needs_manual
        for comment_name, auto_comment in nb_rec["comments"].items():
            comments[comment_name].auto_comment = auto_comment
    gb.db.commit()


def _replace_tree(src, dest):
    dest = Path(dest)
    if dest.exists():
        shutil.rmtree(dest)
    if src is not None:
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(src, dest)


def record_result(course, gb, result):
    """Install one worker result: files first, then gradebook rows (so a crash re-grades, never half-records).

    Under the student's lock: recorders sharing a PostgreSQL gradebook take turns per student."""
    with held(gb.engine, student_lock(course, result["student"])):
        try:
            _record_result(course, gb, result)
        except BaseException:
            gb.db.rollback()  # the session stays usable for the next student
            raise


def _record_result(course, gb, result):
    sid, aid = result["student"], course.assignment
    _replace_tree(result.get("autograded"), course.autograded_dir / sid / aid)
    if result.get("feedback"):
        _replace_tree(result["feedback"], course.feedback_dir / sid / aid)
    elif not result["ok"]:
        _replace_tree(None, course.feedback_dir / sid / aid)
    if result.get("record") is not None:
        apply_record(gb, aid, sid, result["record"])
    if result.get("workdir"):
        shutil.rmtree(result["workdir"], ignore_errors=True)
