"""The grade file each LMS imports, from the gradebook and the roster.

Scores are nbgrader's: the assignment's total after its late penalty (as ``nbgrader export``'s
``score``). A student on the roster with no submission gets an empty cell, which every one of
these LMSs reads as "leave this grade alone" rather than a zero.

* Canvas (Grades > Import): ``Student, ID, SIS User ID, SIS Login ID, Section, <assignment>``, then a
  "Points Possible" row. Name the column as Canvas's own export does, ``Title (assignment id)``
  (LMS_COLUMN=...), to update that assignment; any other name makes Canvas create one.
* Moodle (Assignment > "Upload grading worksheet"): the columns of the worksheet Moodle lets you
  download, rows keyed by ``Participant <id>``; ``Feedback comments`` says where the score came from.
* Blackboard (Grade Centre > Work Offline > Upload): ``Last Name, First Name, Username, Student ID``
  and ``<column> [Total Pts: <max> Score] |<column id>``; without the ``|id`` Blackboard adds a column.
"""
import csv
from pathlib import Path

from ..errors import GradingError


def _scores(course):
    """{student id: (score after late penalty, late penalty)} and the assignment's max score."""
    from nbgrader.api import MissingEntry
    scores = {}
    with course.gradebook() as gb:
        try:
            assignment = gb.find_assignment(course.assignment)
        except MissingEntry:
            raise GradingError(f"The gradebook has no grades for {course.assignment} yet: grade it first.") from None
        top = assignment.max_score
        for sub in assignment.submissions:
            penalty = sub.late_submission_penalty or 0.0
            scores[sub.student.id] = (max(0.0, sub.score - penalty), penalty)
    return scores, top


def _points(value):
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _canvas(roster, scores, top, column):
    rows = [["Student", "ID", "SIS User ID", "SIS Login ID", "Section", column],
            ["    Points Possible", "", "", "", "", _points(top)]]
    for p in roster.people:
        name = ", ".join(part for part in (p.last_name, p.first_name) if part) or p.student_id
        score = scores.get(p.student_id)
        rows.append([name, p.lms_id, p.sis_id, p.login, p.section, _points(score[0]) if score else ""])
    return rows


def _moodle_comment(score, top, column):
    comment = f"Autograded by nbgrader ({column}): {_points(score[0])} / {_points(top)}"
    return comment + (f" after a late penalty of {_points(score[1])}" if score[1] else "")


def _moodle_worksheet(path, roster, scores, top, column):
    """The instructor's own worksheet with Grade and Feedback comments filled in: every row and
    column Moodle wrote stays, so its upload matches them exactly."""
    from .collectors import read_worksheet
    header, rows = read_worksheet(path)
    people = {f"Participant {p.lms_id}": p for p in roster.people}
    for row in rows:
        person = people.get(row.get("Identifier", ""))
        score = scores.get(person.student_id) if person else None
        if score:
            row["Grade"] = _points(score[0])
            row["Feedback comments"] = _moodle_comment(score, top, column)
    return [header] + [[row.get(h, "") for h in header] for row in rows]


def _moodle(roster, scores, top, column):
    rows = [["Identifier", "Full name", "Email address", "Status", "Grade", "Maximum Grade", "Grade can be changed",
             "Last modified (submission)", "Last modified (grade)", "Feedback comments"]]
    for p in roster.people:
        score = scores.get(p.student_id)
        comment = _moodle_comment(score, top, column) if score else ""
        rows.append([f"Participant {p.lms_id}", p.name, p.email,
                     "Submitted for grading" if score else "No submission",
                     _points(score[0]) if score else "", _points(top), "Yes", "", "", comment])
    return rows


def _blackboard(roster, scores, top, column):
    header = column if "[Total Pts:" in column else f"{column} [Total Pts: {_points(top)} Score]"
    rows = [["Last Name", "First Name", "Username", "Student ID", header]]
    for p in roster.people:
        score = scores.get(p.student_id)
        rows.append([p.last_name, p.first_name, p.lms_id, p.sis_id, _points(score[0]) if score else ""])
    return rows


WRITERS = {"canvas": _canvas, "moodle": _moodle, "blackboard": _blackboard}


def write_grade_file(course, lms, dest=None):
    """Write the import file of ``lms`` (LmsSettings) for ``course.assignment``.

    Returns (path, students on the roster, how many of them were graded, graded students not on it)."""
    from .roster import Roster
    if lms.name not in WRITERS:
        raise GradingError(f"No grade file for LMS '{lms.name}': choose one of {', '.join(WRITERS)}.")
    roster = Roster.read(lms.roster)
    scores, top = _scores(course)
    column = lms.column or course.assignment
    if lms.name == "moodle" and lms.worksheet:
        try:
            rows = _moodle_worksheet(lms.worksheet, roster, scores, top, column)
        except (ValueError, OSError) as exc:
            raise GradingError(f"Moodle worksheet: {exc}") from None
    else:
        rows = WRITERS[lms.name](roster, scores, top, column)
    dest = Path(dest) if dest else course.root / f"grades_{lms.name}_{course.assignment}.csv"
    dest.parent.mkdir(parents=True, exist_ok=True)
    with open(dest, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    unknown = sorted(set(scores) - set(roster.by_student_id))
    return dest, len(roster.people), sum(1 for p in roster.people if p.student_id in scores), unknown
