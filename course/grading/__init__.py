"""Instructor and CI grading pipeline for How Networks Learn (not imported by notebooks).

``python -m course.grading grade`` takes a class's submissions (a folder in nbgrader's
``submitted/<student>/<assignment>/`` layout, an LMS zip, or the course's own
``submitted/``), autogrades them in parallel with nbgrader's own Autograde converter,
records every score in the course gradebook through nbgrader's API, writes feedback
that never shows hidden tests, exports ``grades.csv`` and a class report.

Modules:
  course      where the course lives, its nbgrader config, its gradebook
  intake      reading and checking submissions (folder or zip)
  worker      one grading worker: stock autograde + feedback in a private course copy
  recorder    the single writer that copies a worker's results into the gradebook
  feedback    the preprocessor that hides hidden tests in feedback, and its checker
  report      grades.csv and reports/class_report.html
  pipeline    ties them together: incremental, parallel, with a progress line
  selfcheck   proves the course itself grades right (source full marks, release zero)
See docs/grading.md.
"""
from .errors import GradingError

ASSIGNMENT = "how_networks_learn"

__all__ = ["ASSIGNMENT", "GradingError"]
