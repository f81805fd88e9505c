"""Do the "try it" cells print what the text says they print, for a student who answered wrong first?

A student tries an exercise, gets it wrong, runs the cells after it to see what happens, fixes the answer
and runs on; later, maybe, runs every cell again from the top. If a wrong answer changed the lesson's own
data (a function that edits its arguments in place, say), the cells after it print other numbers than the
text promises, although every check passes. So each notebook runs here as a student would, in one real
kernel that is never restarted (``run_as_a_student``):

1. working through: every cell from the top; at each exercise every mistake of tests/submissions/ in
   turn and then the source solution, each followed by the cells up to the next exercise;
2. from the top: every cell again, with the source solutions;

and after each, every statement of what a cell prints is compared with what that cell showed last.

The notebooks state what a cell prints in one of two ways, and this test reads both:

- a markdown cell after the code cell: "You should see `Loss: 0.1158`.";
- a markdown cell that opens with "**Try it.**" before the code cell it describes, after an exercise:
  "**Try it.** ... your function should print `0.5052`."

In the sentence that says "should see", "should print" or "should get", every text in backticks after
those words is printed output, except inside brackets (an aside such as "(not `3.3100`, the forward
one)"). Pictures are not drawn (nbgrader's setting, course.plots.unseen): the statements are about text.
"""
import os
import re
import time
from concurrent.futures import ThreadPoolExecutor
from queue import Empty

import pytest
from jupyter_client.manager import start_new_kernel

from tests.support.course_files import answer_cells, nbgrader_meta, notebooks, read, release, source
from tests.support.grading import fill, load_variants

STEMS = [p.stem for p in notebooks()]
CELL_TIMEOUT = 120  # seconds; the slowest cell, 09's training run, takes about one second

CLAIM = re.compile(r"\bshould (?:see|print|get)\b", re.I)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z*])|\n")


def wrong_attempts(stem):
    """For each answer id, the answers of the mistake variants of tests/submissions/, in their order."""
    attempts = {}
    for variant in load_variants(stem).values():
        if variant["scores"]:
            for grade_id, text in variant["answers"].items():
                attempts.setdefault(grade_id, []).append(text)
    return attempts


def right_answers(stem):
    return {nbgrader_meta(c)["grade_id"]: c.source for c in answer_cells(read(source(stem)))}


def _outside_brackets(text):
    """``text`` without its (asides), keeping what is in backticks even if it holds brackets."""
    kept, depth, quoted = [], 0, False
    for char in text:
        if char == "`":
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
            continue
        elif not quoted and char == ")" and depth:
            depth -= 1
            continue
        if not depth:
            kept.append(char)
    return "".join(kept)


def promised(text):
    """The texts the markdown ``text`` says a cell prints."""
    found = []
    for sentence in SENTENCE_END.split(text):
        claim = CLAIM.search(sentence)
        if not claim:
            continue
        rest = _outside_brackets(sentence[claim.end():])
        found += re.findall(r"`([^`]+)`", rest)
    return found


def statements(nb):
    """(markdown cell index, code cell index, promised texts) for every statement of what a cell prints."""
    out = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown" or not (texts := promised(cell.source)):
            continue
        after = cell.source.lstrip().startswith("**Try it.**")
        others = range(index + 1, len(nb.cells)) if after else range(index - 1, -1, -1)
        code = next(i for i in others if nb.cells[i].cell_type == "code")
        out.append((index, code, texts))
    return out


def loose(text):
    """``text`` with commas as spaces and every run of spaces as one: numpy prints `[0.6704 0.4134]` for
    the list `[0.6704, 0.4134]`, and lays its arrays out in runs of spaces."""
    return " ".join(text.replace(",", " ").split())


def run_cell(kc, code):
    """Run ``code`` in the kernel; return what it showed as text: streams, results, displays and errors.

    Each message is awaited with a plain (level-triggered) zmq poll: nbclient's asyncio client sometimes
    misses a cell's reply after a widget until its timeout runs out (nbclient #312), which a test whose
    notebooks are full of widgets cannot afford.
    """
    msg_id = kc.execute(code, store_history=True, allow_stdin=False, stop_on_error=False)
    shown, deadline = [], time.monotonic() + CELL_TIMEOUT

    def next_message(channel):
        while True:
            try:
                msg = channel.get_msg(timeout=max(0.0, deadline - time.monotonic()))
            except Empty:
                raise TimeoutError(f"no answer within {CELL_TIMEOUT} s from the cell\n{code}") from None
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg["msg_type"], msg["content"]

    while (message := next_message(kc.iopub_channel)) != ("status", {"execution_state": "idle"}):
        kind, content = message
        if kind == "stream":
            shown.append(content["text"])
        elif kind in ("execute_result", "display_data"):
            shown.append(content["data"].get("text/plain", ""))
        elif kind == "error":
            shown.append(f"{content['ename']}: {content['evalue']}")
    next_message(kc.shell_channel)  # the execute_reply
    return "\n".join(shown)


def working_through(nb, attempts, answers):
    """(cell index, code) in the order a student runs them on a first pass: the cells before the first
    exercise; then for each exercise every mistake in ``attempts`` and at last the right answer in
    ``answers``, each followed by the cells up to the next exercise (its "try it" cell, its checks, and
    whatever else a student runs on to see what changed)."""
    ids = {i: nbgrader_meta(c)["grade_id"] for i, c in enumerate(nb.cells) if any(c is a for a in answer_cells(nb))}
    code = {i: c.source for i, c in enumerate(nb.cells) if c.cell_type == "code"}
    starts = [*sorted(ids), len(nb.cells)]
    yield from ((i, text) for i, text in code.items() if i < starts[0])
    for start, end in zip(starts, starts[1:]):
        following = [(i, code[i]) for i in range(start + 1, end) if i in code]
        for answer in [*attempts.get(ids[start], []), answers[ids[start]]]:
            yield start, answer
            yield from following


def run_as_a_student(stem, folder):
    """What each code cell of ``stem`` showed (by cell index), in one kernel: at the end of a first pass
    that tries every mistake before the right answer (``working_through``), and then after every cell
    has run again from the top with the right answers."""
    released = read(release(stem))
    answers = right_answers(stem)
    # nbgrader's own setting while it runs a notebook: no pictures are drawn (course.plots.unseen)
    env = {**os.environ, "NBGRADER_EXECUTION": "autograde"}
    km, kc = start_new_kernel(kernel_name="python3", env=env, cwd=str(folder))
    try:
        first = {}
        for index, code in working_through(released, wrong_attempts(stem), answers):
            first[index] = run_cell(kc, code)
        again = {i: run_cell(kc, c.source) for i, c in enumerate(fill(released, answers).cells)
                 if c.cell_type == "code"}
        return {"working through": first, "from the top": again}
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Every notebook run as a student would, three notebooks at a time, one kernel each."""
    with ThreadPoolExecutor(3) as pool:
        started = {stem: pool.submit(run_as_a_student, stem, tmp_path_factory.mktemp(stem)) for stem in STEMS}
        return {stem: run.result() for stem, run in started.items()}


def test_every_notebook_states_what_it_prints():
    """Does the reader find statements in every notebook (so a change of wording cannot empty this test)?"""
    assert [stem for stem in STEMS if not statements(read(release(stem)))] == []


def _cases():
    for stem in STEMS:
        for run in ("working through", "from the top"):
            yield pytest.param(stem, run, id=f"{stem}-{run.replace(' ', '_')}")


@pytest.mark.parametrize("stem,run", list(_cases()))
def test_try_it_cells_print_what_the_text_says(runs, stem, run):
    """After wrong answers and then the right ones, does every cell print what the text says it prints?"""
    shown = runs[stem][run]
    missing = []
    for md, code, texts in statements(read(release(stem))):
        lost = [t for t in texts if loose(t) not in loose(shown[code])]
        if lost:
            missing.append(f"cell {md} promises {lost} from cell {code}, which showed:\n{shown[code]}")
    assert missing == [], "\n\n".join(missing)
