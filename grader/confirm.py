"""Confirming marks outside the student's process: ask in the kernel, judge in the grader.

Anything that runs inside the student's kernel can be read or faked from inside it: a test
cell's source and tick, its outputs, the checks module, the builtins. So the hidden checks do not
run there at all. Right after each test cell has run, the grader asks the kernel plain
questions -- call ``neuron_output`` on these inputs, what is ``first_guess_answer`` -- with inputs
drawn at grading time from a seed tied to the whole submission (the same submission always gets
the same inputs; any change to any cell or its metadata draws new ones, so none can be aimed at),
reads back plain values (JSON), and judges them here, in the grader's process, against the
references and keys in ``grader.answers``, which are never mounted where student code runs. The
kernel only ever holds the questions. Code in it can change what comes back, but to make it
right it has to compute the right answer: that is, answer the exercise.

``run_probes`` is the kernel half (called by ``SandboxedExecute`` right after each test cell ran);
``judge`` is the grader half (called by the ``ConfirmAnswers`` preprocessor after SaveAutoGrades).
"""
import hashlib
import json
import random
from dataclasses import dataclass

import nbformat
from nbformat.v4 import new_code_cell

from .answers import confirmations_for

MARKER = "HNL-CONFIRM "

# Runs in the student's kernel. It only turns what the calls return into JSON; the judging
# happens outside. The function is built with the real builtins as its globals, so an honest
# notebook that happens to name a variable `list` or `print` does not break it. Each call's
# printed lines are kept (the training loop's report is part of its answer).
PROBE_FUNCTION = r'''
def probe(calls, namespace):
    import contextlib, io, json

    def plain(value, depth=0):
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, (int, float)):
            return float(value)
        if isinstance(value, str):
            return str.__str__(value)
        if hasattr(value, "tolist") and depth < 6:
            return plain(value.tolist(), depth + 1)
        if hasattr(value, "__iter__") and not isinstance(value, (bytes, dict)) and depth < 6:
            return [plain(item, depth + 1) for item in list(value)[:10000]]
        try:
            return float(value)
        except Exception:
            return {"repr": repr(value)[:200]}

    replies = []
    for code in calls:
        printed = io.StringIO()
        try:
            with contextlib.redirect_stdout(printed):
                reply = {"value": plain(eval(code, namespace))}
        except (Exception, SystemExit) as error:
            reply = {"error": type(error).__name__, "message": str(error)[:300],
                     "value_error": isinstance(error, ValueError)}
        reply["stdout"] = printed.getvalue()[-20000:]
        replies.append(reply)
    return MARKER + json.dumps(replies)
'''

PROBE_CELL = """import builtins as _hnl_builtins
_hnl_probe = {"__builtins__": _hnl_builtins}
_hnl_builtins.exec(FUNCTION, _hnl_probe)
_hnl_builtins.print(_hnl_probe["probe"](CALLS, _hnl_builtins.globals()))
del _hnl_builtins, _hnl_probe
"""


def seed_for(nb):
    """A seed from the whole submission (every cell, its type and metadata, the notebook's metadata,
    as nbgrader hands it to the kernel): the same submission always gets the same inputs, and a
    resubmission that changes anything at all gets new ones."""
    return int.from_bytes(hashlib.sha256(nbformat.writes(nb).encode()).digest()[:8], "big")


def plan(nb, notebook_id):
    """The notebook's confirmations with inputs drawn now, or None when the grader has no references."""
    return confirmations_for(notebook_id, random.Random(seed_for(nb)))


def probe_cell(confirmation):
    calls = [question.code for question in confirmation.questions]
    function = PROBE_FUNCTION.replace("MARKER", repr(MARKER))
    source = PROBE_CELL.replace("FUNCTION", repr(function)).replace("CALLS", repr(calls))
    return new_code_cell(source=source)


def read_replies(cell, count):
    """The replies a probe cell printed (the last marker line wins), or None when it printed none."""
    text = "".join(out.get("text", "") for out in cell.get("outputs", [])
                   if out.get("output_type") == "stream" and out.get("name") == "stdout")
    lines = [line for line in text.splitlines() if line.startswith(MARKER)]
    try:
        replies = json.loads(lines[-1][len(MARKER):])
    except (IndexError, ValueError):
        return None
    if not isinstance(replies, list) or len(replies) != count or not all(isinstance(r, dict) for r in replies):
        return None
    return replies


def run_probes(client, nb, confirmations):
    """Ask the confirmations' questions in the running kernel: {test grade_id: replies or None}.

    Each confirmation runs as a cell of its own, appended to the notebook only while it runs
    (nbclient records outputs into the notebook's cells), so a call that hangs (the cell times
    out) costs that confirmation alone.
    """
    answers = {}
    for confirmation in confirmations:
        cell = probe_cell(confirmation)
        nb.cells.append(cell)
        try:
            client.execute_cell(cell, len(nb.cells) - 1, store_history=False)
        except Exception as exc:  # a dead kernel, a timeout the client raised: unconfirmed
            client.log.warning(f"confirming {confirmation.test}: the probe did not finish ({type(exc).__name__})")
        finally:
            nb.cells.pop()
        answers[confirmation.test] = read_replies(cell, len(confirmation.questions))
    return answers


@dataclass
class Verdict:
    """Why a test cell's marks do not stand. ``withheld``: no answer came back to judge (the notebook
    stopped, hung or changed the grader's question), so an instructor should look; otherwise the
    answer came back and is wrong, as a failed hidden test. ``reason`` never holds an expected value."""

    reason: str
    withheld: bool = False


def judge(confirmation, replies):
    """None when every answer holds up against the reference, else the Verdict of the first that does not."""
    if replies is None:
        return Verdict("the grader's check did not get an answer back from the notebook (it stopped, hung or "
                       "was changed)", withheld=True)
    for question, reply in zip(confirmation.questions, replies):
        reason = question.judge(reply)
        if reason:
            return Verdict(reason)
    return None
