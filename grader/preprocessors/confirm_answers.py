"""Withhold every mark the grader could not confirm outside the student's process.

Runs in autograde after SaveAutoGrades. For each test cell that scored points in the kernel,
it judges the replies ``SandboxedExecute`` collected (grader.confirm) against the references
of grader.answers. When one disagrees -- the answer only looked right inside its own kernel,
or was not there to be asked -- every test cell of that exercise that scored is set to 0,
flagged for manual grading and given an error output that says why (shown in formgrader and in
feedback), and the answer cell gets the reason as its comment. A grader who disagrees gives a
manual score in formgrader, as usual. Marks of a test cell the grader has no reference for are
kept but flagged, so a new exercise without a reference never passes unseen.
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
        where = (info["notebook"], info["assignment"], info["student"])
        probes = resources.get("confirm")
        answer_ids = {c.metadata.nbgrader["grade_id"] for c in nb.cells if utils.is_solution(c)}
        with Gradebook(info["db_url"]) as gb:
            scored = []  # (cell, grade, answer, verdict) for every test cell that earned marks in the kernel
            for cell in nb.cells:
                if not utils.is_grade(cell) or utils.is_solution(cell) or cell.cell_type != "code":
                    continue
                grade_id = cell.metadata.nbgrader["grade_id"]
                try:
                    grade = gb.find_grade(grade_id, *where)
                except MissingEntry:
                    continue
                if grade.auto_score:  # a cell that earned nothing in the kernel has nothing to confirm
                    answer = self._answer_of(grade_id, probes, answer_ids)
                    scored.append((cell, grade, answer, self._verdict(probes, grade_id)))
            # One check of an exercise that does not hold up withholds the whole exercise's marks.
            failed = {}
            for _, grade, answer, verdict in scored:
                if verdict:
                    failed.setdefault(answer, []).append(f"{grade.name}: {verdict}")
            for cell, grade, answer, verdict in scored:
                if verdict is False and answer not in failed:
                    self.log.warning(f"{grade.name}: no reference in grader.answers; flagged for manual grading")
                    grade.needs_manual_grade = True
                elif answer in failed:
                    reason = verdict or f"another check of this exercise did not hold up ({failed[answer][0]})"
                    self._withhold(cell, grade, reason, info)
            for answer, reasons in failed.items():
                try:
                    gb.find_comment(answer, *where).auto_comment = " ".join([self.comment_prefix, *reasons])
                except MissingEntry:
                    pass
            gb.db.commit()
        return nb, resources

    def _withhold(self, cell, grade, reason, info):
        """Score the test cell 0, flag it, and say why in its outputs (formgrader, feedback)."""
        self.log.warning(f"{info['student']} {info['notebook']} {grade.name}: not confirmed: {reason}")
        grade.auto_score = 0.0
        grade.needs_manual_grade = True
        cell.outputs.append(new_output(
            "error", ename=NOT_CONFIRMED, evalue=reason,
            traceback=[f"{NOT_CONFIRMED}: the grader checked this answer again, outside your notebook, "
                       f"and it did not hold up: {reason}. These points are withheld until an instructor "
                       "looks at your work."]))

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
