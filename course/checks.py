"""Friendly checks for the visible tests in the notebooks.

Each check either prints one line starting with a tick, or raises ``CheckFailed``
(an AssertionError, so nbgrader scores the test cell 0) whose message reads like a
tutor: what was expected, what came back, and a hint. When a wrong value matches a
known mistake, the message names the mistake without giving the answer away.

Checks return None on purpose: nbgrader reads a number left as a test cell's output as
partial credit, so a check that returned its value would turn a pass into a partial score
(or a crash) in the student's Validate, where the hidden tests after it are stripped.

Values from student code are coerced to plain Python types before they are compared,
so an object that overrides ``==`` cannot pass a check.
"""
import hashlib
import math


class CheckFailed(AssertionError):
    """A visible test failed; the message is written for the student."""

    def _render_traceback_(self):
        # IPython shows these lines instead of a traceback through this module's internals:
        # the student needs the tutor's message, not our stack. It is still an error output,
        # so nbgrader scores the cell 0 as before.
        return ["\x1b[0;31mCheckFailed\x1b[0m: not yet.", *str(self).strip("\n").splitlines()]


def passed(message):
    """Tell the student a check passed."""
    print(f"\u2714 {message}")


def _fail(lines):
    raise CheckFailed("\n".join(["", *lines]))


def as_number(value, call):
    """Return ``value`` as a plain float, or fail with a message naming what came back."""
    if isinstance(value, bool) or value is None or isinstance(value, (str, bytes)):
        _fail([f"{call} should return a number, but it returned {value!r}.",
               "Hint: check that your function ends with a `return` of the computed value."])
    try:
        number = float(value)
    except (TypeError, ValueError):
        _fail([f"{call} should return a number, but it returned a {type(value).__name__}: {value!r}.",
               "Hint: return a single float, not a list or an array."])
    if type(number) is not float:  # a float subclass could still lie about itself
        number = float.__float__(number)
    return number


def _close(a, b, tol):
    return abs(a - b) <= tol * max(1.0, abs(b))


def check_close(actual, expected, *, call, hint, tol=1e-6, mistakes=None, success=None):
    """Check that ``actual`` is within ``tol`` (relative, absolute below 1) of ``expected``.

    ``mistakes`` maps a description of a common error ("summed instead of averaged")
    to the value that error would produce; a match is named in the failure message.
    """
    value = as_number(actual, call)
    expected = float(expected)
    if math.isfinite(value) and _close(value, expected, tol):
        passed(success or f"{call} = {value:.6g}")
        return
    lines = [f"{call} should be about {expected:.6g}, but it returned {value!r}."]
    for mistake, wrong in (mistakes or {}).items():
        if math.isfinite(value) and _close(value, float(wrong), tol):
            lines.append(f"That is the value you get if you {mistake}.")
            break
    lines.append(f"Hint: {hint}")
    _fail(lines)


def check_true(condition, *, problem, hint, success):
    """Check a yes/no property; ``problem`` says what is wrong when it does not hold."""
    if condition is not True and condition is not False:
        condition = bool(condition) if isinstance(condition, (int, float)) else False
    if condition:
        passed(success)
        return
    _fail([problem, f"Hint: {hint}"])


def normalize(text):
    """Case- and whitespace-insensitive form of a typed answer."""
    return " ".join(str(text).split()).lower()


def digest(text):
    """Short fingerprint of a normalized answer (lets a visible test confirm an answer without showing it)."""
    return hashlib.sha256(normalize(text).encode("utf-8")).hexdigest()[:16]


def check_choice(answer, *, name, options):
    """Check that a multiple-choice answer is one of ``options`` (letters)."""
    if not isinstance(answer, str):
        _fail([f"`{name}` should be a string holding one letter, like \"B\", but it is {answer!r}.",
               f"Hint: write one of {', '.join(options)} between quotes."])
    letter = normalize(answer).upper()
    if letter not in [o.upper() for o in options]:
        _fail([f"`{name}` should be one of {', '.join(options)}, but it is {answer!r}.",
               "Hint: replace the placeholder with the letter of the option you choose."])


def check_digest(answer, expected_digest, *, name, hint, success):
    """Check a typed answer against the fingerprint of the right one."""
    if isinstance(answer, str) and digest(answer) == expected_digest:
        passed(success)
        return
    _fail([f"`{name}` = {answer!r} is not right yet.", f"Hint: {hint}"])
