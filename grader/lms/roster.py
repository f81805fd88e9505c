"""The class roster: who an LMS's ids are in the gradebook.

A CSV with a header row (column names are case-insensitive, in any order):

  lms_id      required: Canvas's user id (the "ID" column of its gradebook export), Moodle's
              participant number (the 123456 of "Participant 123456" and of "Name_123456_assignsubmission_file_"),
              Blackboard's username
  student_id  required: the nbgrader student id (letters, digits and _ . @ + -)
  first_name, last_name, email    optional; written to the gradebook and to the LMS's grade file
  login       optional: Canvas's "SIS Login ID" (the grade import matches on it when ID is empty)
  sis_id      optional: Canvas's "SIS User ID" / Blackboard's "Student ID"
  section     optional: Canvas's "Section"
"""
import csv
from dataclasses import dataclass
from pathlib import Path

from ..errors import GradingError
from ..intake import STUDENT_ID

REQUIRED = ("lms_id", "student_id")
OPTIONAL = ("first_name", "last_name", "email", "login", "sis_id", "section")


@dataclass(frozen=True)
class Person:
    lms_id: str
    student_id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    login: str = ""
    sis_id: str = ""
    section: str = ""

    @property
    def name(self):
        return " ".join(part for part in (self.first_name, self.last_name) if part) or self.student_id


class Roster:
    def __init__(self, people, path=""):
        self.path = str(path)
        self.people = list(people)
        self.by_lms_id = {p.lms_id.casefold(): p for p in self.people}
        self.by_student_id = {p.student_id: p for p in self.people}

    def find(self, lms_id):
        """The person with this LMS id (case-insensitive), or None."""
        return self.by_lms_id.get(str(lms_id).strip().casefold())

    @classmethod
    def read(cls, path):
        if not path:
            raise GradingError("An LMS download needs a roster: pass ROSTER=<csv> with columns lms_id,student_id "
                               "(docs/grading.md, 'Grading an LMS download').")
        path = Path(path).expanduser()
        if not path.is_file():
            raise GradingError(f"Roster not found: {path}. Pass ROSTER=<csv> with columns lms_id,student_id "
                               "(and optionally first_name,last_name,email); see docs/grading.md.")
        try:
            with open(path, newline="", encoding="utf-8-sig") as handle:
                rows = list(csv.DictReader(handle))
                header = rows[0].keys() if rows else []
        except (UnicodeDecodeError, csv.Error) as exc:
            raise GradingError(f"Roster {path} is not a readable UTF-8 CSV file: {exc}") from None
        columns = {str(name).strip().lower(): name for name in header if name}
        missing = [c for c in REQUIRED if c not in columns]
        if not rows or missing:
            raise GradingError(f"Roster {path} needs a header row with the columns lms_id and student_id"
                               + (f" (missing: {', '.join(missing)})" if rows else " and one row per student"))
        people, problems, seen = [], [], {}
        for line, row in enumerate(rows, start=2):
            values = {c: (row.get(columns[c]) or "").strip() for c in REQUIRED + OPTIONAL if c in columns}
            if not any(values.values()):
                continue
            if not values["lms_id"] or not values["student_id"]:
                problems.append(f"line {line}: lms_id and student_id are both required")
                continue
            if not STUDENT_ID.match(values["student_id"]):
                problems.append(f"line {line}: '{values['student_id']}' is not a usable nbgrader student id "
                                "(letters, digits and _ . @ + - only)")
            for key in REQUIRED:
                earlier = seen.setdefault((key, values[key].casefold()), line)
                if earlier != line:
                    problems.append(f"line {line}: {key} '{values[key]}' is also on line {earlier}")
            people.append(Person(**values))
        if problems:
            raise GradingError(f"Roster {path} has problems:\n  " + "\n  ".join(problems))
        return cls(people, path)
