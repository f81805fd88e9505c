"""The hidden checks, judged outside the student's process: a mark counts only when the grader agrees.

Runs in autograde after SaveAutoGrades. The kernel ran each test cell's visible checks (the
hidden-test regions of the source hold no code: a key or a reference in the kernel could be
read by student code); ``SandboxedExecute`` then asked the kernel the grader's questions
(grader.confirm). Here, in the grader's process, each test cell that scored in the kernel is
judged against grader.answers:

* the answers hold up: the marks stand;
* an answer came back wrong (a failed hidden check): that test cell scores 0, with an error
  output ``HiddenCheck`` that names the exercise and why, without any expected value (formgrader
  and feedback show it); the answer cell's comment lists the reasons;
* no answer came back to judge (the notebook stopped, hung, or changed the grader's question):
  every test cell of that exercise that scored is set to 0 and flagged for manual grading, with
  an error output ``NotConfirmed`` and the comment "Withheld until an instructor looks: ...".

A grader who disagrees gives a manual score in formgrader, as usual. Marks of a test cell the
grader has no reference for are kept but flagged, so a new exercise without one never passes unseen.
"""
from nbformat.v4 import new_output
from nbgrader import utils
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from course.checks import wrap

from ..confirm import Verdict, judge

NOT_CONFIRMED = "NotConfirmed"
HIDDEN_CHECK = "HiddenCheck"
NO_REFERENCE = object()


class ConfirmAnswers(NbGraderPreprocessor):
    """Judge every test cell that scored in the kernel against the grader's references, outside the kernel."""

    comment_prefix = Unicode(
        "Withheld until an instructor looks:",
        help="How the comment on an answer cell whose marks were withheld begins").tag(config=True)

    hidden_prefix = Unicode(
        "A hidden check failed:",
        help="How the comment on an answer cell that failed a hidden check begins").tag(config=True)

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
            # No answer to judge on one check of an exercise: hold the whole exercise for a look.
            withheld, failed = {}, {}  # answer -> reasons
            for _, grade, answer, verdict in scored:
                if _withheld(verdict):
                    withheld.setdefault(answer, []).append(f"{grade.name}: {verdict.reason}")
            for cell, grade, answer, verdict in scored:
                if answer in withheld:
                    reason = verdict.reason if _withheld(verdict) else \
                        f"another check of this exercise could not be confirmed ({withheld[answer][0]})"
                    self._withhold(cell, grade, reason, info)
                elif verdict is NO_REFERENCE:
                    self.log.warning(f"{grade.name}: no reference in grader.answers; flagged for manual grading")
                    grade.needs_manual_grade = True
                elif verdict is not None:
                    self._fail(cell, grade, answer, verdict.reason, info)
                    failed.setdefault(answer, []).append(f"{grade.name}: {verdict.reason}.")
            comments = {answer: [self.hidden_prefix, *reasons] for answer, reasons in failed.items()}
            comments.update({answer: [self.comment_prefix, *reasons] for answer, reasons in withheld.items()})
            for answer, words in comments.items():
                try:
                    gb.find_comment(answer, *where).auto_comment = " ".join(words)
                except MissingEntry:
                    pass
            gb.db.commit()
        return nb, resources

    def _fail(self, cell, grade, answer, reason, info):
        """A failed hidden check: the test cell scores 0 and says why (formgrader, feedback)."""
        self.log.info(f"{info['student']} {info['notebook']} {grade.name}: a hidden check failed: {reason}")
        grade.auto_score = 0.0
        cell.outputs.append(new_output(
            "error", ename=HIDDEN_CHECK, evalue=f"{answer}: {reason}",
            traceback=_lines(f"{HIDDEN_CHECK}: {answer}: the checks above pass, but a hidden check failed. The grader "
                             f"tried inputs of its own, outside your notebook: {reason}. Test your code on other "
                             "inputs than the examples shown.")))

    def _withhold(self, cell, grade, reason, info):
        """Score the test cell 0, flag it, and say why in its outputs (formgrader, feedback)."""
        self.log.warning(f"{info['student']} {info['notebook']} {grade.name}: not confirmed: {reason}")
        grade.auto_score = 0.0
        grade.needs_manual_grade = True
        cell.outputs.append(new_output(
            "error", ename=NOT_CONFIRMED, evalue=reason,
            traceback=_lines(f"{NOT_CONFIRMED}: the grader could not check this answer outside your notebook: "
                             f"{reason}. These points are withheld until an instructor looks at your work.")))

    @staticmethod
    def _verdict(probes, grade_id):
        """None: confirmed; NO_REFERENCE: no reference for this test cell; else a grader.confirm.Verdict."""
        if not probes:
            return Verdict("the grader's check did not run on this notebook", withheld=True)
        confirmation = next((c for c in probes["confirmations"] if c.test == grade_id), None)
        if confirmation is None:
            return NO_REFERENCE
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


def _lines(text):
    """A verdict as the lines feedback shows, each as wide as a visible check's (course.checks.wrap)."""
    return wrap(text).split("\n")


def _withheld(verdict):
    """Is this a verdict that no answer came back to judge?"""
    return isinstance(verdict, Verdict) and verdict.withheld
