"""Feedback that is safe to send: no hidden test code (nbgrader #1363).

Stock ``generate_feedback`` renders the autograded notebook, whose test cells hold the
hidden tests nbgrader put back for grading, and whose error tracebacks quote the line
that failed (the text of a hidden quiz check would give the answer away).

``HideHiddenTests`` runs in generate_feedback's preprocessor list (after GetGrades). In
every cell it removes the hidden-test regions exactly as generate_assignment did for the
release (same delimiters, same config), so a test cell reads as the student saw it. In
test cells it replaces each error's traceback by the error's own message, which is what
the course's checks write for students (what was expected, what came back, a hint); when
the failing line was hidden it says so instead of quoting it. The grader's own verdicts
(``HiddenCheck``, ``NotConfirmed``: grader.preprocessors.ConfirmAnswers) are written for students
already and are kept as they are. So "a hidden check failed" is said only where one did: after
the visible checks of that cell passed, never under a visible check that failed.

``grader.feedback.find_leaks`` is the proof: it lists every hidden-test line found in feedback HTML.
"""
import re

from nbformat.notebooknode import NotebookNode
from nbgrader import utils
from nbgrader.preprocessors import ClearHiddenTests
from traitlets import Unicode

from .confirm_answers import HIDDEN_CHECK, NOT_CONFIRMED

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
CELL_FRAME = re.compile(r"Cell In\s*\[\s*\d*\s*\],\s*line (\d+)")


def hidden_line_numbers(source, begin, end):
    """1-based line numbers of ``source`` inside hidden-test regions (delimiters included)."""
    hidden, inside = set(), False
    for number, line in enumerate(source.split("\n"), start=1):
        if begin in line:
            inside = True
        if inside:
            hidden.add(number)
        if end in line:
            inside = False
    return hidden


class HideHiddenTests(ClearHiddenTests):
    """Remove hidden tests and the tracebacks that quote them from a notebook before it is rendered."""

    hidden_failure_note = Unicode(
        "A hidden check failed: your answer passes the checks shown above but not every case the "
        "grader tries (its code is not shown). Test your code on other inputs.",
        help="Shown instead of the traceback when the failing line is in a hidden test region").tag(config=True)

    def preprocess_cell(self, cell, resources, cell_index):
        hidden = hidden_line_numbers(cell.source, self.begin_test_delimeter, self.end_test_delimeter)
        if hidden:
            try:
                self._remove_hidden_test_region(cell)
            except RuntimeError:  # malformed regions: show no code at all rather than risk it
                cell.source = "# (test code not shown)"
        if cell.cell_type == "code" and (hidden or utils.is_grade(cell)):
            cell.outputs = [self._safe_output(out, hidden) for out in cell.get("outputs", [])]
        return cell, resources

    def _safe_output(self, output, hidden):
        if output.get("output_type") != "error" or output.get("ename") in (HIDDEN_CHECK, NOT_CONFIRMED):
            return output
        ename, evalue = output.get("ename", "Error"), str(output.get("evalue", "")).strip("\n")
        frames = CELL_FRAME.findall(ANSI.sub("", "\n".join(output.get("traceback", []))))
        failing_line = int(frames[0]) if frames else None
        lines = [f"{ename}: {evalue}" if evalue else ename]
        if failing_line in hidden:  # a failed visible check names no cell line: no note under it
            lines.append(self.hidden_failure_note)
        return NotebookNode(output_type="error", ename=ename, evalue=evalue, traceback=lines)
