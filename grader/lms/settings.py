"""What a grading run needs to know about the LMS a class handed in through."""
from dataclasses import dataclass


@dataclass(frozen=True)
class LmsSettings:
    """``make grade LMS=... ROSTER=... LMS_COLUMN=... WORKSHEET=... LMS_TIMEZONE=...``"""
    name: str                     # canvas | moodle | blackboard
    roster: str | None = None     # the roster CSV (roster.py)
    column: str | None = None     # the grade column's name in the LMS (gradefile.py)
    worksheet: str | None = None  # Moodle's downloaded grading worksheet: submission times, and the grade file's rows
    timezone: str = "UTC"         # the LMS's clock, for times it writes without a zone (Blackboard, Moodle)
