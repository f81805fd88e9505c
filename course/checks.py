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
import builtins as _builtins
import hashlib
import math
import sys as _sys

# Pinned at import. The grading kernel imports this module before any student cell runs
# (grader.sandbox.launcher), so these are Python's own functions even if a student cell later
# replaces ``builtins.abs``, ``math.isclose``, ``numpy.allclose`` or this module's checks:
# the checks compute with the pinned ones, and ``tampering()`` names what was replaced.
_abs, _float, _str, _isinstance, _type, _len, _max = abs, float, str, isinstance, type, len, max
_isfinite, _sha256 = math.isfinite, hashlib.sha256
_PINNED_BUILTINS = {name: getattr(_builtins, name) for name in (
    "abs", "float", "int", "str", "bool", "isinstance", "type", "len", "range", "zip", "sum", "min", "max",
    "round", "sorted", "list", "tuple", "dict", "set", "repr", "print", "all", "any", "enumerate", "map",
    "getattr", "hasattr", "iter", "next", "__import__", "AssertionError", "Exception")}
_PINNED_MODULES = {"math": (math, {n: getattr(math, n) for n in (
    "isclose", "isfinite", "exp", "log", "fsum", "sqrt", "tanh", "fabs", "isnan", "isinf")})}
_PINNED_NAMES = ("CheckFailed", "passed", "as_number", "check_close", "check_true", "normalize", "digest",
                 "check_choice", "check_digest", "tampering", "guard")


class CheckFailed(AssertionError):
    """A visible test failed; the message is written for the student."""

    def _render_traceback_(self):
        # IPython shows these lines instead of a traceback through this module's internals:
        # the student needs the tutor's message, not our stack. It is still an error output,
        # so nbgrader scores the cell 0 as before.
        return ["\x1b[0;31mCheckFailed\x1b[0m: not yet.", *str(self).strip("\n").splitlines()]


def _pin_numpy():
    numpy = _sys.modules.get("numpy")
    if numpy is not None and "numpy" not in _PINNED_MODULES:
        _PINNED_MODULES["numpy"] = (numpy, {n: getattr(numpy, n) for n in (
            "isclose", "allclose", "array_equal", "exp", "mean", "sum", "asarray", "float64")
            if hasattr(numpy, n)})


_pin_numpy()


def tampering():
    """What a notebook replaced among the functions tests rely on ([] when nothing).

    Compares Python's builtins, ``math``, ``numpy`` (when loaded) and this module's own
    functions with the objects pinned when this module was first imported.
    """
    found = []
    current = _builtins.__dict__
    for name, original in _PINNED_BUILTINS.items():
        if current.get(name) is not original:
            found.append(f"builtins.{name}")
    for label, (module, originals) in list(_PINNED_MODULES.items()):
        if _sys.modules.get(label) is not module:
            found.append(f"the {label} module")
            continue
        for name, original in originals.items():
            if module.__dict__.get(name) is not original:
                found.append(f"{label}.{name}")
    this = _sys.modules.get(__name__)
    if this is None or this.__dict__ is not globals():
        found.append(f"the {__name__} module")
    else:
        for name in _PINNED_NAMES:
            if globals().get(name) is not _ORIGINALS.get(name):
                found.append(f"{__name__}.{name}")
    return found


def _guard():
    found = tampering()
    if found:
        raise CheckFailed("\n" + "\n".join([
            "This notebook replaced functions the tests rely on: " + ", ".join(found[:6])
            + (" ..." if _len(found) > 6 else "") + ".",
            "Hint: remove the code that reassigns them, restart the kernel and run all cells again."]))


def guard():
    """Fail the test cell (CheckFailed) if the notebook replaced functions tests rely on."""
    _guard()


def passed(message):
    """Tell the student a check passed."""
    print(f"\u2714 {message}")


def _fail(lines):
    raise CheckFailed("\n".join(["", *lines]))


def as_number(value, call):
    """Return ``value`` as a plain float, or fail with a message naming what came back."""
    _guard()
    if _isinstance(value, bool) or value is None or _isinstance(value, (str, bytes)):
        _fail([f"{call} should return a number, but it returned {value!r}.",
               "Hint: check that your function ends with a `return` of the computed value."])
    try:
        number = _float(value)
    except (TypeError, ValueError):
        _fail([f"{call} should return a number, but it returned a {type(value).__name__}: {value!r}.",
               "Hint: return a single float, not a list or an array."])
    if _type(number) is not float:  # a float subclass could still lie about itself
        number = float.__float__(number)
    return number


def _close(a, b, tol):
    a, b, tol = float.__float__(a), float.__float__(b), float.__float__(_float(tol))
    return float.__abs__(a - b) <= tol * _max(1.0, float.__abs__(b))


def check_close(actual, expected, *, call, hint, tol=1e-6, mistakes=None, success=None):
    """Check that ``actual`` is within ``tol`` (relative, absolute below 1) of ``expected``.

    ``mistakes`` maps a description of a common error ("summed instead of averaged")
    to the value that error would produce; a match is named in the failure message.
    """
    value = as_number(actual, call)
    expected = float.__float__(_float(expected))
    if _isfinite(value) and _close(value, expected, tol):
        passed(success or f"{call} = {value:.6g}")
        return
    lines = [f"{call} should be about {expected:.6g}, but it returned {value!r}."]
    for mistake, wrong in (mistakes or {}).items():
        if _isfinite(value) and _close(value, _float(wrong), tol):
            lines.append(f"That is the value you get if you {mistake}.")
            break
    lines.append(f"Hint: {hint}")
    _fail(lines)


def check_true(condition, *, problem, hint, success):
    """Check a yes/no property; ``problem`` says what is wrong when it does not hold."""
    _guard()
    if condition is not True and condition is not False:
        condition = (float.__float__(_float(condition)) != 0.0) if _type(condition) in (int, float) else False
    if condition:
        passed(success)
        return
    _fail([problem, f"Hint: {hint}"])


def normalize(text):
    """Case- and whitespace-insensitive form of a typed answer."""
    if _isinstance(text, str):
        text = str.__str__(text)  # the plain characters of a str subclass, whatever it overrides
    else:
        text = _str(text)
        text = str.__str__(text) if _isinstance(text, str) else ""
    return str.lower(" ".join(str.split(text)))


def digest(text):
    """Short fingerprint of a normalized answer (lets a visible test confirm an answer without showing it)."""
    return _sha256(str.encode(_ORIGINALS["normalize"](text), "utf-8")).hexdigest()[:16]


def check_choice(answer, *, name, options):
    """Check that a multiple-choice answer is one of ``options`` (letters)."""
    _guard()
    if not _isinstance(answer, str):
        _fail([f"`{name}` should be a string holding one letter, like \"B\", but it is {answer!r}.",
               f"Hint: write one of {', '.join(options)} between quotes."])
    letter = str.upper(_ORIGINALS["normalize"](answer))
    if letter not in [str.upper(_str(o)) for o in options]:
        _fail([f"`{name}` should be one of {', '.join(options)}, but it is {answer!r}.",
               "Hint: replace the placeholder with the letter of the option you choose."])


def check_digest(answer, expected_digest, *, name, hint, success):
    """Check a typed answer against the fingerprint of the right one."""
    _guard()
    if _isinstance(answer, str) and str.__eq__(_ORIGINALS["digest"](answer), _str(expected_digest)) is True:
        passed(success)
        return
    _fail([f"`{name}` = {answer!r} is not right yet.", f"Hint: {hint}"])


# The module's own functions as defined here (tampering() reports a replaced one).
_ORIGINALS = {name: globals()[name] for name in _PINNED_NAMES}
