"""The grader's own check of every answer (grader.confirm, grader.answers), without nbgrader.

The probe cell runs here in a plain namespace standing in for a student's kernel; the judging
is the grader's. The full path through nbgrader autograde is in test_round_trip.py (honest
variants keep every mark) and e2e/adversarial/test_hostile_batch.py (faked passes are withheld).
"""
import contextlib
import io
import random
import re
import warnings

import nbformat
import pytest

from grader.answers import confirmations_for
from grader.confirm import judge, plan, probe_cell, read_replies
from tests.support.course_files import notebooks, source
from tests.support.grading import load_submissions

STEMS = [p.stem for p in notebooks()]


def _test_ids(path):
    nb = nbformat.read(path, as_version=4)
    return {c.metadata.nbgrader["grade_id"] for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("grade") and not c.metadata.nbgrader.get("solution")}


def _solved_namespace(stem):
    """What the source notebook's answer cells define (the instructor's solutions)."""
    nb = nbformat.read(source(stem), as_version=4)
    namespace = {}
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            with contextlib.redirect_stdout(io.StringIO()):
                exec(cell.source, namespace)
    return namespace


def _all_wrong(stem):
    """What the lesson's own wrong answers define: ALL_WRONG in tests/submissions/<notebook>.py."""
    submissions = load_submissions(stem)
    assert submissions and hasattr(submissions, "ALL_WRONG"), \
        f"tests/submissions/{stem}.py: no ALL_WRONG (every answer cell's code at once, each answer wrong)"
    namespace = {}
    exec(submissions.ALL_WRONG, namespace)
    return namespace


def _ask(confirmation, namespace):
    """Run the probe cell in ``namespace`` as the kernel would; return the replies it printed."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a wrong softmax overflows on big scores, as it would in the kernel
        exec(probe_cell(confirmation).source, namespace)
    cell = nbformat.v4.new_code_cell()
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=printed.getvalue())]
    return read_replies(cell, len(confirmation.questions))


@pytest.mark.parametrize("stem", STEMS)
def test_every_test_cell_has_a_reference(stem):
    """Does grader/answers confirm every test cell of the notebook, and nothing else?"""
    assert confirmations_for(stem, random.Random(0)) is not None, f"no grader/answers module for {stem}"
    confirmations = confirmations_for(stem, random.Random(0))
    assert {c.test for c in confirmations} == _test_ids(source(stem))
    assert all(c.questions for c in confirmations)


@pytest.mark.parametrize("stem", STEMS)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_solutions_are_confirmed(stem, seed):
    """Do the instructor's solutions hold up against the references, whatever inputs are drawn?"""
    namespace = _solved_namespace(stem)
    for confirmation in confirmations_for(stem, random.Random(seed)):
        assert judge(confirmation, _ask(confirmation, namespace)) is None, confirmation.test


@pytest.mark.parametrize("stem", STEMS)
def test_wrong_answers_are_not_confirmed(stem):
    """Does every confirmation reject a wrong answer (the lesson's ALL_WRONG), naming what came back?"""
    namespace = _all_wrong(stem)
    for confirmation in confirmations_for(stem, random.Random(7)):
        verdict = judge(confirmation, _ask(confirmation, namespace))
        assert verdict and not verdict.withheld and verdict.reason, confirmation.test


def test_a_notebook_that_shadows_builtins_is_still_asked_fairly():
    """An honest notebook that names variables `list`, `print` or `float` keeps its confirmation."""
    namespace = _solved_namespace("01_forward_pass")
    exec("list = [1, 2]\nprint = None\nfloat = 3\nisinstance = 0\nstr = 'x'", namespace)
    for confirmation in confirmations_for("01_forward_pass", random.Random(5)):
        assert judge(confirmation, _ask(confirmation, namespace)) is None, confirmation.test


def test_the_inputs_follow_the_submission():
    """Same submission, same inputs (a regrade gives the same score); anything changed, other inputs:
    code, a markdown cell, a cell's or the notebook's metadata (a resubmission collects nothing)."""
    def calls(nb):
        return [q.code for c in plan(nb, "01_forward_pass") for q in c.questions]

    nb = nbformat.read(source("01_forward_pass"), as_version=4)
    first = calls(nb)
    assert first == calls(nbformat.read(source("01_forward_pass"), as_version=4))
    markdown = next(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown")
    for change in (lambda nb: nb.cells.__setitem__(0, nbformat.v4.new_code_cell("x = 1")),
                   lambda nb: setattr(nb.cells[markdown], "source", nb.cells[markdown].source + " "),
                   lambda nb: nb.cells[markdown].metadata.__setitem__("tags", ["mine"]),
                   lambda nb: nb.metadata.__setitem__("resubmitted", 2)):
        changed = nbformat.read(source("01_forward_pass"), as_version=4)
        change(changed)
        assert calls(changed) != first


@pytest.mark.parametrize("stem", STEMS)
def test_no_reason_holds_an_expected_value(stem):
    """What a wrong answer is told names the call and what came back, never what the grader expected:
    the values the instructor's solutions return to the same questions appear in no reason."""
    wrong, right = _all_wrong(stem), _solved_namespace(stem)
    for confirmation in confirmations_for(stem, random.Random(11)):
        reason = judge(confirmation, _ask(confirmation, wrong)).reason
        # every number the reason shows (the inputs asked, what came back), as written: a right value of
        # 0.4 is not given away by an input 0.4261 that the reason names
        shown = set(re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", reason))
        for reply in _ask(confirmation, right):
            for value in _flat(reply.get("value")):
                if isinstance(value, float) and abs(value) > 1e-3:
                    assert not {f"{value:{spec}}" for spec in (".6g", ".5g", ".4g", ".4f")} & shown, \
                        (confirmation.test, value, reason)
                elif isinstance(value, str) and len(value) > 1:
                    assert value not in reason, (confirmation.test, value, reason)


def _flat(value):
    return [v for item in value for v in _flat(item)] if isinstance(value, list) else [value]


def test_a_wrong_reply_fails_and_no_reply_is_withheld():
    confirmation = confirmations_for("01_forward_pass", random.Random(0))[0]
    assert judge(confirmation, None).withheld
    assert not judge(confirmation, [{"value": 0.5, "stdout": ""}] * len(confirmation.questions)).withheld


NO_LOOP = {
    "05_training_loop": "def train_neuron(data, w0=0.5, w1=-0.3, bias=0.1, lr=0.3, epochs=3000, report_every=500):\n"
                        "    return w0 + 0.5, w1, bias, [0.25] * epochs\n",
    "06_hidden_layer": "def train_network(data, hw, hb, ow, ob, lr, epochs):\n"
                       "    return [list(r) for r in hw], list(hb), list(ow), ob + 1.0, [0.25] * epochs\n",
}


@pytest.mark.parametrize("stem", sorted(set(NO_LOOP) & set(STEMS)))
def test_a_shape_check_pays_only_for_a_loop_that_ran(stem):
    """Right shapes and no training: the shape check's judge says nothing was trained."""
    namespace = _solved_namespace(stem)
    exec(NO_LOOP[stem], namespace)
    shape = next(c for c in confirmations_for(stem, random.Random(4)) if c.test.endswith("_shape"))
    assert "nothing was trained" in judge(shape, _ask(shape, namespace)).reason


@pytest.mark.parametrize("printed", ["", "HNL-CONFIRM not json\n", "HNL-CONFIRM [1, 2]\n", 'HNL-CONFIRM {"a": 1}\n'])
def test_missing_or_malformed_replies_confirm_nothing(printed):
    """A probe that printed nothing usable is no answer at all."""
    confirmation = confirmations_for("01_forward_pass", random.Random(0))[0]
    cell = nbformat.v4.new_code_cell()
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=printed)]
    replies = read_replies(cell, len(confirmation.questions))
    assert replies is None and judge(confirmation, replies)
