"""The pieces every answer module builds from: a question to ask the kernel, and judges.

A ``Question`` is a Python expression the kernel evaluates in the notebook's namespace (its
inputs are literals written in by the grader) and a judge: a function of the plain value that
came back (numbers, strings, lists, None, or ``{"error": ...}``) that returns None when the
value is right, else the reason it is not, in a sentence for the instructor and the student.
A ``Confirmation`` groups the questions that must all hold for one test cell's marks to count.
A reason says what was asked and what came back, never what was expected: it reaches the student
in the feedback, and a resubmission must not be able to collect the references' values.
"""
import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from course.checks import rounded, shown


@dataclass
class Question:
    code: str
    judge: Callable[[dict], str | None]


@dataclass
class Confirmation:
    test: str                 # grade_id of the test cell whose marks this confirms
    answer: str               # grade_id of the answer cell it checks
    questions: list = field(default_factory=list)

    def ask(self, code, judge):
        self.questions.append(Question(code, judge))
        return self


def lit(value):
    """``value`` as an exact Python literal (floats round-trip through repr)."""
    if isinstance(value, (list, tuple)):
        inner = ", ".join(lit(v) for v in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner}{',' if len(value) == 1 else ''})"
    return repr(value)


def array(values, dtype="float"):
    """``values`` (nested lists) as a numpy array in a question's code (lessons 07-09). Spelled out with
    ``__import__`` so that it does not depend on what the notebook calls numpy."""
    return f"__import__('numpy').array({lit(values)}, dtype={dtype})"


def as_array(value, shape):
    """The reply's value as a float numpy array of exactly ``shape``, or None (ragged, wrong shape, not numbers)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, list)):
        return None
    try:
        found = np.array(value, dtype=float)
    except (TypeError, ValueError):
        return None
    return found if found.shape == tuple(shape) else None


def all_close(got, expected, tol=1e-6):
    """Every entry of ``got`` (an array or None) within ``tol`` of ``expected`` (relative, absolute below 1)."""
    return got is not None and bool(np.all(np.isfinite(got))) and bool(
        np.all(np.abs(got - expected) <= tol * np.maximum(1.0, np.abs(expected))))


def short(call, width=140):
    """A call as a reader wants it: floats to 4 significant digits (course.checks.rounded), long argument
    lists cut."""
    text = rounded(call)
    return text if len(text) <= width else text[:width - 5] + " ...)"


def seen(value, width=80):
    """What came back, as a reason shows it: floats to 4 significant digits, text exact, cut at ``width``."""
    return shown(value, width)


def failure(reply):
    """The reason a reply holds no value (the call raised, or never answered), else None."""
    if reply is None:
        return "the call did not answer"
    if "error" in reply:
        return f"the call raised {reply['error']}: {reply.get('message', '')}".rstrip(": ")
    return None


def as_float(value):
    """A plain number, or None (bools, strings, lists and unknown objects are not numbers)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def close(got, expected, tol):
    return got is not None and math.isfinite(got) and abs(got - expected) <= tol * max(1.0, abs(expected))


def number(expected, call, tol=1e-6, pick=lambda value: value):
    """Judge: the value (or ``pick(value)``) is within ``tol`` (relative, absolute below 1) of ``expected``."""
    def judge(reply):
        problem = failure(reply)
        if problem:
            return f"{short(call)}: {problem}"
        try:
            got = as_float(pick(reply["value"]))
        except (TypeError, IndexError, KeyError):
            got = None
        if close(got, expected, tol):
            return None
        return wrong(call, reply["value"])
    return judge


def array_close(expected, call, tol=1e-6):
    """Judge: the value is an array of ``expected``'s shape, every entry within ``tol`` of it (as ``number``)."""
    def judge(reply):
        problem = failure(reply)
        if problem:
            return f"{short(call)}: {problem}"
        if all_close(as_array(reply.get("value"), expected.shape), expected, tol):
            return None
        return wrong(call, reply.get("value"))
    return judge


def wrong(call, value):
    """The reason for a wrong value: the call and what it returned (never the expected value)."""
    return f"{short(call)} returned {seen(value)}, which is not right"


MORE = 3  # a shape check's second run of a training loop: this many epochs more


def loop_ran(function, shorter, longer):
    """None when two runs of ``function`` from one start, the second MORE epochs longer, show an epoch loop
    at work, else why not. Each run is ``(parameters, losses)``, as plain lists.

    A shape check pays for a loop, right or wrong, not for a function shaped like one: the extra
    epochs must move the parameters, and the longer run's first losses must be the shorter run's.
    """
    if shorter[0] == longer[0]:
        return f"{function} returned the same parameters after {MORE} more epochs: nothing was trained"
    if not all(close(a, b, 1e-6) for a, b in zip(shorter[1], longer[1])):
        return f"{function}'s losses change when the same run is made longer: they are not one loss per epoch"
    return None


def normalized(text):
    return "".join(str(text).split()).upper()


def choice(letter, name):
    """Judge: a string holding the right letter (case and spaces do not matter)."""
    def judge(reply):
        value = (reply or {}).get("value")
        if isinstance(value, str) and normalized(value) == letter:
            return None
        return f"`{name}` is {seen(value, 60)}, which is not the right answer"
    return judge


def in_order(key, name, what):
    """Judge: ``name`` holds the letters of ``key`` in its order, as a list or a string (case and spaces do not
    matter); ``what`` names the lines being ordered, for the reason."""
    def judge(reply):
        value = (reply or {}).get("value")
        if isinstance(value, str):
            letters = [ch for ch in value.upper() if ch.isalpha()]
        elif isinstance(value, list):
            letters = [str(item).strip().upper() for item in value]
        else:
            letters = None
        return None if letters == list(key) else f"`{name}` is {seen(value, 60)}, not the order of the {what}"
    return judge


def raises_value_error(call):
    """Judge: the call raised a ValueError whose message explains itself (10 characters or more)."""
    call = short(call)

    def judge(reply):
        reply = reply or {}
        if reply.get("value_error") and len(str(reply.get("message", "")).strip()) >= 10:
            return None
        if reply.get("value_error"):
            return f"{call} raised a ValueError without a message that explains it"
        happened = f"raised {reply['error']}" if "error" in reply else f"returned {seen(reply.get('value'))}"
        return f"{call} should raise ValueError, but it {happened}"
    return judge
