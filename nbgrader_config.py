"""nbgrader configuration for How Networks Learn.

Only settings that differ from nbgrader's defaults are here, each with the reason.
"""
import os

from nbgrader.converters import Autograde, GenerateAssignment, GenerateFeedback
from nbgrader.preprocessors import ClearSolutions, Execute, GetGrades, OverwriteCells, SaveAutoGrades

from grader.alembic_head import install as stamp_gradebooks_in_process
from grader.feedback_html import FeedbackHTMLExporter
from grader.preprocessors import (
                                  ClearSolutionsWithStubs,
                                  ConfirmAnswers,
                                  HideHiddenTests,
                                  OverwriteCellsKeepHidden,
                                  SandboxedExecute,
)

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

# A new gradebook is stamped with nbgrader's schema version read in-process, not by starting
# `alembic heads` in a subprocess: ~3 s of CPU less for every fresh gradebook (grader/alembic_head.py).
stamp_gradebooks_in_process()

c.CourseDirectory.course_id = "how-networks-learn"
# The course folder is wherever this repository was cloned, not the shell's cwd.
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
# The gradebook is gradebook.db beside this file. A class graded on several machines, or by several
# instructors at once, shares a PostgreSQL one instead (docs/grading.md), named by the environment so
# its password stays out of the repository: HNL_GRADEBOOK_URL=postgresql+psycopg2://user:pw@host/db.
if os.environ.get("HNL_GRADEBOOK_URL"):
    c.CourseDirectory.db_url = os.environ["HNL_GRADEBOOK_URL"]
# On a class's JupyterHub every server shares the exchange the hub's set-up made (hub/deploy.py
# names it in HNL_EXCHANGE). Alone, keep it inside the course so formgrader does not warn about
# /usr/local/share/nbgrader/exchange and nothing needs root.
hub_exchange = os.environ.get("HNL_EXCHANGE")
c.Exchange.root = hub_exchange or os.path.join(c.CourseDirectory.root, "exchange")
if hub_exchange:
    c.Exchange.path_includes_course = True  # as the hub's students have it: one exchange, many courses

# Every cell of the course runs in well under a second; 20 s stops a student's
# infinite loop quickly instead of holding the whole class for nbgrader's 30 s.
c.Execute.timeout = 20

# A Python warning on stderr (a numpy RuntimeWarning, a DeprecationWarning) would
# otherwise zero a test cell that passed; only real errors should cost marks.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"\w*Warning: "

# nbgrader's default pipeline, with ClearSolutions swapped for a subclass that lets
# a cell carry its own starter code (### BEGIN STUB ... ### END STUB): the
# fill-in-the-blank and find-the-bug exercises need more than `raise NotImplementedError()`.
c.GenerateAssignment.preprocessors = [
    ClearSolutionsWithStubs if p is ClearSolutions else p
    for p in GenerateAssignment.preprocessors.default()
]

# nbgrader's sanitize step, with OverwriteCells swapped for a subclass that restores
# hidden tests without warning when a test cell arrives exactly as it was released.
# Stock nbgrader logs "Attribute 'checksum' ... has changed" for every such cell of
# every student, which buries the warnings that matter (real tampering).
c.Autograde.sanitize_preprocessors = [
    OverwriteCellsKeepHidden if p is OverwriteCells else p
    for p in Autograde.sanitize_preprocessors.default()
]

# Stock generate_feedback shows students the hidden tests (nbgrader #1363), spoiling them
# for every later cohort; HideHiddenTests strips them (and hidden tracebacks) after grading.
c.GenerateFeedback.preprocessors = [
    q for p in GenerateFeedback.preprocessors.default()
    for q in ((p, HideHiddenTests) if p is GetGrades else (p,))
]
# nbconvert's HTMLExporter re-parses every page to add what the feedback template never needs (alt
# text for pictures the graded lessons do not draw): that pass now runs only on pages it changes.
c.GenerateFeedback.exporter_class = FeedbackHTMLExporter

# Student code runs in a sandbox (docs/grading.md, "What the sandbox blocks, and what it
# cannot"): nbgrader's Execute swapped for a subclass that starts the python3-sandboxed kernel
# (bubblewrap: no network, read-only system, no view of the course, gradebook or other
# students; limits on memory, processes, CPU time, file size) over ipc sockets, and caps the
# output a cell records. Without bwrap the kernel refuses to start (fail closed) unless
# HNL_ALLOW_UNSANDBOXED=1 is set (`python -m grader grade --no-sandbox`).
#
# Every mark is then confirmed outside the student's process (docs/grading.md): before the
# kernel stops, SandboxedExecute calls each answer on inputs drawn at grading time and reads
# back plain values; after SaveAutoGrades, ConfirmAnswers compares them with the references in
# grader/answers (never mounted in the sandbox). A test cell whose marks do not hold up scores
# 0 and is flagged for manual grading, with the reason in formgrader and in the feedback.
c.Autograde.autograde_preprocessors = [
    q for p in Autograde.autograde_preprocessors.default()
    for q in ((SandboxedExecute,) if p is Execute else (p, ConfirmAnswers) if p is SaveAutoGrades else (p,))
]

# Late work (a timestamp.txt after the assignment's due date: `make grade DUE=...`, or an LMS
# download's own times and late markers, grader/lms) scores zero, nbgrader's one built-in
# penalty. Canvas's download says only *that* a file is late, not by how much, so a penalty
# graded by lateness could not be fair to it; a course that wants one sets
# AssignLatePenalties.plugin_class to its own LateSubmissionPlugin (docs/grading.md).
c.LateSubmissionPlugin.penalty_method = "zero"
