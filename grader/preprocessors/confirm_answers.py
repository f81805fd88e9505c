"""Withhold every mark the grader could not confirm outside the student's process.

Runs in autograde after SaveAutoGrades. For each test cell that scored points in the kernel,
it judges the replies ``SandboxedExecute`` collected (grader.confirm) against the references
of grader.answers. When they disagree -- the answer only looked right inside its own kernel,
or was not there to be asked -- the cell scores 0, is flagged for manual grading, carries an
error output that says why (shown in formgrader and in feedback), and the answer cell gets the
reason as its comment. A grader who disagrees gives a manual score in formgrader, as usual.
Marks that were not confirmed because the grader has no references for a notebook are kept but
flagged, so a new exercise without a reference never passes unseen.
"""
from nbformat.v4 import new_output
from nbgrader import utils
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from ..confirm import judge

NOT_CONFIRMED = "NotConfirmed"


class ConfirmAnswers(NbGraderPreprocessor):
    """Zero and flag test cells whose marks the grader could not confirm outside the kernel."""

    comment_prefix = Unicode(
        "Withheld until an instructor looks:",
        help="How the comment on an answer cell whose marks were withheld begins").tag(config=True)

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        probes = resources.get("confirm")
        answer_ids = {c.metadata.nbgrader["grade_id"] for c in nb.cells if utils.is_solution(c)}
        withheld = {}
        with Gradebook(info["db_url"]) as gb:
            for cell in nb.cells:
                if not utils.is_grade(cell) or utils.is_solution(cell) or cell.cell_type != "code":
                    continue
                grade_id = cell.metadata.nbgrader["grade_id"]
                try:
                    grade = gb.find_grade(grade_id, info["notebook"], info["assignment"], info["student"])
                except MissingEntry:
                    continue
                if not grade.auto_score:
                    continue  # nothing to confirm: the kernel's own tests gave no marks
                reason = self._verdict(probes, grade_id)
                if reason is None:
                    continue
                if reason is False:
                    self.log.warning(f"{grade_id}: no reference in grader.answers; flagged for manual grading")
                    grade.needs_manual_grade = True
                    continue
                self.log.warning(f"{info['student']} {info['notebook']} {grade_id}: not confirmed: {reason}")
                grade.auto_score = 0.0
                grade.needs_manual_grade = True
                cell.outputs.append(new_output(
                    "error", ename=NOT_CONFIRMED, evalue=reason,
                    traceback=[f"{NOT_CONFIRMED}: the grader checked this answer again, outside your notebook, "
                               f"and it did not hold up: {reason}. These points are withheld until an instructor "
                               "looks at your work."]))
                answer = self._answer_of(grade_id, probes, answer_ids)
                withheld.setdefault(answer, []).append(f"{grade_id}: {reason}")
            for answer, reasons in withheld.items():
                try:
                    comment = gb.find_comment(answer, info["notebook"], info["assignment"], info["student"])
                except MissingEntry:
                    continue
                comment.auto_comment = " ".join([self.comment_prefix, *reasons])
            gb.db.commit()
        return nb, resources

    @staticmethod
    def _verdict(probes, grade_id):
        """None: confirmed; False: no reference for this test cell; else the reason it failed."""
        if not probes:
            return "the grader's check did not run on this notebook"
        confirmation = next((c for c in probes["confirmations"] if c.test == grade_id), None)
        if confirmation is None:
            return False
        return judge(confirmation, probes["replies"].get(grade_id))

    @staticmethod
    def _answer_of(grade_id, probes, answer_ids):
        for confirmation in (probes or {}).get("confirmations", []):
            if confirmation.test == grade_id:
                return confirmation.answer
        name = grade_id.removeprefix("test_")
        return next((a for a in sorted(answer_ids, key=len, reverse=True) if name.startswith(a)), name)

    def preprocess_cell(self, cell, resources, cell_index):  # the work is done per notebook
        return cell, resources
