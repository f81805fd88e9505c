"""Friendly checks for the visible tests in the notebooks.

Each check either prints one line starting with a tick, or raises ``CheckFailed``
(an AssertionError, so nbgrader scores the test cell 0) whose message reads like a
tutor: what was expected, what came back, and a hint. When a wrong value matches a
known mistake, the message names the mistake without giving the answer away.

Checks return None on purpose: nbgrader reads a number left as a test cell's output as
partial credit, so a check that returned its value would turn a pass into a partial score
(or a crash) in the student's Validate, where the hidden tests after it are stripped.

Values from student code are coerced to plain Python types before they are compared,
so an object that overrides ``==`` cannot pass a check. None of this is what marks rest on:
the grader confirms every mark again outside the kernel (grader/confirm.py). The lessons'
own checks, built from these, are in ``course.exercises``, which use only this module's public names
(the toolkit for lesson checks, listed in ``TOOLKIT`` below).
"""
import base64
import builtins as _builtins
import collections
import functools
import hashlib
import math
import numbers
import re
import sys as _sys

# Pinned at import. The grading kernel imports this module before any student cell runs
# (grader.sandbox.launcher), so these are Python's own functions even if a student cell later
# replaces ``builtins.abs``, ``math.isclose``, ``numpy.allclose`` or this module's checks:
# the checks compute with the pinned ones, and ``tampering()`` names what was replaced.
_abs, _float, _str, _isinstance, _type, _len, _max = abs, float, str, isinstance, type, len, max
_isfinite = math.isfinite
# The same pinned objects for the lessons' checks, in one read-only namespace: ``pinned.isinstance``,
# ``pinned.float``, ``pinned.len``... One namespace, not a public name each: the builtins keep their own
# names there (a public ``isinstance`` would shadow the builtin in every lesson module that imports it,
# ``pinned_isinstance`` twenty times over reads worse), and each call says it is the pinned function.
# A tuple, so ``pinned.isinstance = ...`` raises; tampering() names a field replaced another way.
_Pinned = collections.namedtuple("pinned", ("abs", "float", "str", "isinstance", "type", "len", "max", "isfinite"))
pinned = _Pinned(_abs, _float, _str, _isinstance, _type, _len, _max, _isfinite)
_PINNED_BUILTINS = {name: getattr(_builtins, name) for name in (
    "abs", "float", "int", "str", "bool", "isinstance", "type", "len", "range", "zip", "sum", "min", "max",
    "round", "sorted", "list", "tuple", "dict", "set", "repr", "print", "all", "any", "enumerate", "map",
    "getattr", "hasattr", "iter", "next", "__import__", "AssertionError", "Exception")}
_PINNED_MODULES = {"math": (math, {n: getattr(math, n) for n in (
    "isclose", "isfinite", "exp", "log", "fsum", "sqrt", "tanh", "fabs", "isnan", "isinf")})}
# The toolkit for lesson checks: what course/exercises/* may use of this module (besides CheckFailed,
# WIDTH and DIGITS). Every name in it is pinned: tampering() names one a notebook replaced.
TOOLKIT = ("passed", "fail", "close", "pinned", "shown", "apart", "as_number", "check_close", "check_true",
           "normalize", "answer", "number_answer", "not_implemented", "uncommented", "typed_line",
           "user_namespace", "last_source_defining", "statements", "check_own_work", "reveal", "check_sealed",
           "check_choice_answer")
_PINNED_NAMES = ("CheckFailed", *TOOLKIT, "tampering", "guard", "unseal", "answer_key")


class CheckFailed(AssertionError):
    """A visible test failed; the message is written for the student, the exercise named first, and
    wrapped to WIDTH: its first line follows "CheckFailed: " where IPython and Validate show it."""

    def __init__(self, message, exercise=None):
        text = wrap(f"{exercise}: not yet. {message.strip()}", taken=_len(_SHOWN_AS)) if exercise else wrap(message)
        super().__init__(text)
        self.exercise = exercise

    def _render_traceback_(self):
        # IPython shows these lines instead of a traceback through this module's internals:
        # the student needs the tutor's message, not our stack. It is still an error output,
        # so nbgrader scores the cell 0 as before.
        lines = str(self).strip("\n").splitlines()
        return [f"\x1b[0;31mCheckFailed\x1b[0m: {lines[0] if self.exercise else 'not yet.'}",
                *(lines[1:] if self.exercise else lines)]


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
        for name, original in _PINNED_FIELDS.items():  # the namespace's fields, and the aliases used here
            if getattr(_ORIGINALS["pinned"], name, None) is not original:
                found.append(f"{__name__}.pinned.{name}")
            if globals().get(f"_{name}") is not original:
                found.append(f"{__name__}._{name}")
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
    """Tell the student a check passed (wrapped to WIDTH, continuation lines under the text)."""
    print(wrap(f"\u2714 {message}", hang="  "))


def fail(lines, exercise=None):
    """Fail the check (CheckFailed): ``lines`` are the message for the student, ``exercise`` is named first."""
    raise CheckFailed("\n".join(["", *lines]), exercise)


# ------------------------------------------------------------ messages for people
# Numbers as the lessons print them, and lines as wide as nbgrader shows whole: its Validate dialog,
# and `nbgrader validate` in a terminal, which cuts a line after 83 characters (4 of indent, 90 in all).
WIDTH = 80
DIGITS = 4
_SHOWN_AS = "CheckFailed: "  # what IPython and Validate put before a failed check's first line
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'" + r'|"(?:[^"\\]|\\.)*"')
_FLOAT = re.compile(r"(?<![\w.])-?\d+\.\d+(?:e[+-]?\d+)?(?![\w.])")


def shown(value, limit=None, digits=DIGITS):
    """``value`` as a message shows it: as ``repr`` writes it, but every float to ``digits`` significant
    digits (0.135, 24.02, 0.5), in lists, tuples, dicts and numpy arrays too. Text, integers, None and
    booleans stay exact. ``limit``: at most that many characters, a cut marked with "..."."""
    budget = [limit + 1 if limit is not None else -1]
    try:
        text = _people(value, digits, budget, 0)
    except Exception:  # noqa: BLE001 (an object whose conversion raises is shown as repr shows it)
        text = rounded(f"{value!r}", digits)
    if limit is not None and _len(text) > limit:
        text = text[:_max(0, limit - 3)] + "..."
    return text


def _people(value, digits, budget, depth):
    if value is None or _type(value) is bool or _isinstance(value, (str, bytes)) or depth > 30:
        return f"{value!r}"
    if _isinstance(value, numbers.Integral):
        return f"{int(value)!r}"
    if _isinstance(value, numbers.Real):
        number = float.__float__(value) if _isinstance(value, float) else float.__float__(_float(value))
        return _figure(number, digits)
    kind = _type(value)
    if kind.__name__ == "ndarray" and kind.__module__ == "numpy":
        return f"array({_people(value.tolist(), digits, budget, depth + 1)})"
    if _isinstance(value, (list, tuple, dict)):
        items = list(value.items()) if _isinstance(value, dict) else list(value)
        parts = []
        for item in items:
            if budget[0] >= 0 and budget[0] <= sum(_len(p) + 2 for p in parts):
                parts.append("...")
                break
            parts.append(f"{_people(item[0], digits, budget, depth + 1)}: {_people(item[1], digits, budget, depth + 1)}"
                         if _isinstance(value, dict) else _people(item, digits, budget, depth + 1))
        inner = ", ".join(parts)
        if _isinstance(value, dict):
            return "{" + inner + "}"
        if _isinstance(value, tuple):
            return "(" + inner + ("," if _len(parts) == 1 else "") + ")"
        return "[" + inner + "]"
    return rounded(f"{value!r}", digits)


def _figure(number, digits=DIGITS):
    """A float to ``digits`` significant digits, still written as a float: 0.135, 24.02, 1.0, 1e-07, nan;
    a whole number below a million as it is (50000.0)."""
    if _isfinite(number) and number == float.__round__(number) and float.__abs__(number) < 1e6:
        return f"{number + 0.0:.1f}"
    return f"{number + 0.0:.{digits}g}"


def rounded(text, digits=DIGITS):
    """``text`` with every float written in it (outside quotes) to ``digits`` significant digits."""
    pieces, start = [], 0
    for quoted in _QUOTED.finditer(text):
        pieces += [_FLOAT.sub(lambda m: _figure(float(m.group()), digits), text[start:quoted.start()]),
                   quoted.group()]
        start = quoted.end()
    return "".join([*pieces, _FLOAT.sub(lambda m: _figure(float(m.group()), digits), text[start:])])


def apart(expected, got, digits=DIGITS):
    """``(expected, got)`` as ``shown`` writes them, to ``digits`` significant digits, or to as many more
    as it takes to tell them apart: a near miss is never shown as the very number it should be."""
    for more in range(digits, 18):
        pair = shown(expected, digits=more), shown(got, digits=more)
        if pair[0] != pair[1]:
            return pair
    return shown(expected, digits=digits), shown(got, digits=digits)


def wrap(text, width=WIDTH, hang="", taken=0):
    """``text`` with every line longer than ``width`` broken at spaces, continuation lines indented as
    their line is (plus ``hang``); ``taken``: characters shown before the first line.

    Code stays whole where it can: a space inside `backticks`, a quoted string or a call's or a list's
    brackets (``np.argmax(P, axis=1)``) is broken only when the line cannot fit otherwise, and then
    after a comma of the outermost brackets first.
    """
    lines = str.split(str.__str__(text), "\n")
    return "\n".join(_wrap_line(line, width, hang, taken if number == 0 else 0) for number, line in enumerate(lines))


def _wrap_line(line, width, hang, taken):
    line = str.rstrip(line)
    if _len(line) + taken <= width:
        return line
    body = str.lstrip(line, " ")
    indent = line[:_len(line) - _len(body)]
    words, gaps, levels = _cut(body)
    room = width - _len(indent) - _len(hang)
    fits = _max(1, min(room, width - taken - _len(indent)))  # a piece this long fits on any of the lines

    def units(lo, hi):  # words[lo:hi] as pieces that fit, cut at their most breakable spaces first
        text = _joined(words, gaps, lo, hi)
        if hi - lo == 1 or _len(text) <= fits:
            return [(lo, hi, text)]
        least = min(levels[lo:hi - 1])
        cuts = [i + 1 for i in range(lo, hi - 1) if levels[i] == least]
        return [u for a, b in zip([lo, *cuts], [*cuts, hi]) for u in units(a, b)]

    out, current, limit = [], None, width - taken - _len(indent)
    for lo, _, text in units(0, _len(words)):
        if current is None:
            current = text
        elif _len(current) + _len(gaps[lo - 1]) + _len(text) <= limit:
            current += gaps[lo - 1] + text
        else:
            out.append(current)
            current, limit = text, room
    out.append(current)
    return "\n".join([indent + out[0], *(indent + hang + rest for rest in out[1:])])


def _joined(words, gaps, lo, hi):
    return "".join(words[i] + (gaps[i] if i < hi - 1 else "") for i in range(lo, hi))


def _cut(body):
    """``(words, gaps, levels)``: ``body`` cut at its runs of spaces; ``levels[i]`` is how reluctantly the
    run after ``words[i]`` is broken: 0 in prose, 0.5 beside an operator, the depth of brackets around it
    (less after a comma), 99 inside a quoted string or `backticks`."""
    words, gaps, levels = [], [], []
    groups, quote, start, i, n = [], None, 0, 0, _len(body)
    while i < n:
        ch = body[i]
        if ch == " ":
            end = i
            while end < n and body[end] == " ":
                end += 1
            depth = sum(groups)
            level = 99 if quote else 0 if depth == 0 else depth + (0 if body[i - 1] == "," else 0.5)
            words.append(body[start:i])
            gaps.append(body[i:end])
            levels.append(level)
            start = i = end
            continue
        if quote:
            if ch == quote and (quote == "`" or i + 1 == n or not body[i + 1].isalnum()):
                quote = None
        elif ch in "`'\"" and _opens(body, i) and _closes(body, i, ch):
            quote = ch
        elif ch in "([{":
            groups.append(ch != "(" or (i > 0 and body[i - 1] not in " ") or _group_length(body, i) <= 24)
        elif ch in ")]}" and groups:
            groups.pop()
        i += 1
    words.append(body[start:])
    for i, level in enumerate(levels):  # a formula holds together: parameter - lr * gradient
        if level == 0 and (_operator(words[i]) or _operator(words[i + 1])):
            levels[i] = 0.5
    return words, gaps, levels


def _operator(word):
    return word != "" and all(c in "+-*/=<>%^@" for c in word)


def _opens(body, i):
    """Can the quote (or backtick) at ``body[i]`` open a string: not an apostrophe (it's), maybe after f, r or b?"""
    before = body[:i]
    word = before[_len(str.rstrip(before, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")):]
    return body[i] == "`" or word == "" or str.lower(word) in ("f", "r", "b", "u", "rb", "br", "fr", "rf")


def _closes(body, i, quote):
    """Is the quote (or backtick) at ``body[i]`` closed later on its line?"""
    for k in range(i + 1, _len(body)):
        if body[k] == quote and (quote == "`" or k + 1 == _len(body) or not body[k + 1].isalnum()):
            return True
    return False


def _group_length(body, i):
    """How many characters the bracket opened at ``body[i]`` spans up to its closing one (all the rest if none)."""
    depth = 0
    for k in range(i, _len(body)):
        depth += {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}.get(body[k], 0)
        if depth == 0:
            return k - i + 1
    return _len(body) - i


def as_number(value, call, exercise=None):
    """Return ``value`` (what ``call`` returned) as a plain float, or fail naming what came back."""
    _guard()
    if _isinstance(value, bool) or value is None or _isinstance(value, (str, bytes)):
        fail([f"{call} should return a number, but it returned {shown(value)}.",
              "Hint: check that your function ends with a `return` of the computed value."], exercise)
    try:
        number = _float(value)
    except (TypeError, ValueError):
        fail([f"{call} should return a number, but it returned a {type(value).__name__}: {shown(value, 200)}.",
              "Hint: return a single float, not a list or an array."], exercise)
    if _type(number) is not float:  # a float subclass could still lie about itself
        number = float.__float__(number)
    return number


def close(a, b, tol):
    """True when the numbers ``a`` and ``b`` agree within ``tol``, relative to ``b`` (absolute below 1)."""
    a, b, tol = float.__float__(a), float.__float__(b), float.__float__(_float(tol))
    return float.__abs__(a - b) <= tol * _max(1.0, float.__abs__(b))


def check_close(actual, expected, *, call, hint, tol=1e-6, success=None, exercise=None, sealed=None):
    """Check that ``actual`` is within ``tol`` (relative, absolute below 1) of ``expected``.

    ``sealed`` names the sealed hints (course/exercises/sealed.py) of this call: a wrong value
    that opens one is named as a mistake ("That is the value you get if you ..."), so the
    descriptions stay unread until a student makes that mistake. ``exercise`` is named first.
    """
    value = as_number(actual, call)
    expected = float.__float__(_float(expected))
    if _isfinite(value) and close(value, expected, tol):
        passed(success or f"{call} = {shown(value)}")
        return
    lines = ["{} should be about {}, but it returned {}.".format(call, *apart(expected, value))]
    found = reveal(sealed, value) if sealed and _isfinite(value) else None
    if found and found[0] == "wrong":
        lines.append(f"That is the value you get if you {found[1]}.")
    lines.append(f"Hint: {hint}")
    fail(lines, exercise)


def check_true(condition, *, problem, hint, success, exercise=None):
    """Check a yes/no property; ``problem`` says what is wrong when it does not hold."""
    _guard()
    if condition is not True and condition is not False:
        condition = (float.__float__(_float(condition)) != 0.0) if _type(condition) in (int, float) else False
    if condition:
        passed(success)
        return
    fail([problem, f"Hint: {hint}"], exercise)


def normalize(text):
    """Case- and whitespace-insensitive form of a typed answer."""
    if _isinstance(text, str):
        text = str.__str__(text)  # the plain characters of a str subclass, whatever it overrides
    else:
        text = _str(text)
        text = str.__str__(text) if _isinstance(text, str) else ""
    return str.lower(" ".join(str.split(text)))


# ------------------------------------------------------------ hints only their answer opens
# A success text or a hint about a named mistake would give the answer away if a student could
# read it before answering. So they are stored sealed (course/exercises/sealed.py, generated
# from the instructor's grader/hints/ by `python -m grader.hints`): each opens only with the
# answer it is about, salted by the exercise, so nothing can be matched across exercises.
def answer_key(value):
    """The form of an answer that opens its hints: text without case or spaces, numbers to 5 digits."""
    if _isinstance(value, str):
        return "".join(str.split(str.lower(str.__str__(value))))
    if _isinstance(value, (list, tuple)):
        return ",".join(answer_key(v) for v in value)
    if _isinstance(value, bool) or value is None:
        return _str(value)
    try:
        number = float.__float__(_float(value))
    except (TypeError, ValueError):
        return ""
    return f"{number + 0.0:.5g}" if _isfinite(number) else "nan"


def _pad(exercise, key, purpose, size=32):
    material = f"how-networks-learn\0{exercise}\0{key}\0{purpose}".encode()
    return hashlib.shake_256(material).digest(size)


def seal(text, exercise, value):
    """``text`` sealed so that only ``value`` (the answer it is about) opens it, for ``exercise``."""
    key = answer_key(value)
    data = text.encode()
    body = bytes(a ^ b for a, b in zip(data, _pad(exercise, key, "text", len(data))))
    return base64.b64encode(_pad(exercise, key, "check", 8) + body).decode()


def unseal(blob, exercise, value):
    """The text of ``blob`` if ``value`` is the answer it was sealed with, else None."""
    key = answer_key(value)
    raw = base64.b64decode(blob)
    if raw[:8] != _pad(exercise, key, "check", 8):
        return None
    body = raw[8:]
    return bytes(a ^ b for a, b in zip(body, _pad(exercise, key, "text", len(body)))).decode()


def _sealed():
    """The sealed hints, or None in the grading sandbox, whose view of the course has none: there the
    grader judges every answer outside the kernel (grader/sandbox/course_view.py)."""
    from .exercises.sealed import SEALED
    return SEALED


def reveal(exercise, value):
    """``("right" | "wrong", text)`` that ``value`` opens among the exercise's sealed hints, or None."""
    SEALED = _sealed()
    if SEALED is None:
        return None
    for blob in SEALED.get(exercise, ()):
        text = unseal(blob, exercise, value)
        if text is not None:
            verdict, _, message = text.partition("|")
            return verdict, message
    return None


# ------------------------------------------------------------ finding the student's answer
def user_namespace():
    """The notebook's variables (IPython's user namespace; {} outside IPython)."""
    from IPython import get_ipython
    shell = get_ipython()
    return shell.user_ns if shell is not None else {}


def last_source_defining(name, namespace):
    """The last executed cell (IPython's ``In``) that assigns or defines ``name``, or None."""
    pattern = re.compile(rf"^\s*(?:def\s+{name}\s*\(|{name}\s*=(?!=))", re.M)
    history = namespace.get("In")
    # IPython's own list, read as a plain list: a stand-in that runs code when read is ignored.
    for source in (list.__reversed__(history) if _type(history) is list else ()):
        if _isinstance(source, str) and pattern.search(source):
            return source
    return None


def answer(name, *, exercise, kind="variable", namespace=None):
    """The student's ``name`` from the notebook, or CheckFailed saying in plain words why not (yet).

    Names leftover ``___`` blanks, a ``...`` placeholder, a letter typed without quotes and an
    answer cell that was never run, instead of a NameError.
    """
    _guard()
    namespace = user_namespace() if namespace is None else namespace
    # Comments do not count: an instructor's cell keeps the released line in a commented STUB block.
    source = _code_defining(name, namespace)
    if kind == "variable":
        _own_work(name, source, exercise)
    if "___" in source:
        fail([f"The cell that defines `{name}` still has blanks `___` in it, so Python cannot run it.",
              "Hint: replace every ___ with code, then run that cell again."], exercise)
    letter = re.search(rf"^\s*{name}\s*=\s*([A-Za-z])\s*(?:#.*)?$", source, re.M)
    if kind == "variable" and letter:
        fail([f"`{name} = {letter.group(1)}` has no quotes, so Python looks for a variable called "
              f"{letter.group(1)} instead of taking the letter.",
              f"Hint: write the letter between quotes: {name} = \"{letter.group(1)}\"."], exercise)
    if name not in namespace:
        what = "function" if kind == "function" else "variable"
        fail([f"The {what} `{name}` is not defined yet.",
              "Hint: run the answer cell above first (Shift+Enter). If it shows an error, fix that first."],
             exercise)
    value = namespace[name]
    if value is Ellipsis:
        fail([f"`{name}` is still the placeholder `...`.", "Hint: replace ... with your answer."], exercise)
    if kind == "function" and not callable(value):
        fail([f"`{name}` should be a function, but it is {shown(value, 60)}.",
              f"Hint: keep the `def {name}(...):` line as given and run the cell."], exercise)
    return _watched(value, name, exercise) if kind == "function" else value


def _code_defining(name, namespace):
    """The code of the last cell that defines ``name``, without comments ("" when none): an instructor's
    cell keeps the released line in a commented STUB block, and comments do not run."""
    cell = last_source_defining(name, namespace) or ""
    return "\n".join(str.partition(line, "#")[0] for line in str.splitlines(cell))


def statements(source):
    """The statements of a cell, without comments, blank lines or spacing: two cells with the same statements
    are the same code, however a student spaced or annotated it (is the given code still as given?)."""
    lines = (str.partition(line, "#")[0] for line in str.splitlines(source or ""))
    return [text for text in ("".join(str.split(line)) for line in lines) if text]


# ------------------------------------------------------------ answer cells not filled in yet
def not_implemented(name, exercise):
    """Fail saying that the function ``name`` still raises the released NotImplementedError placeholder."""
    fail([f"`{name}` still raises NotImplementedError: that line is the placeholder for your code.",
          "Hint: replace `raise NotImplementedError()` with your code, then run the cell again."], exercise)


def uncommented(name, exercise, namespace):
    """The namespace, after failing in plain words if the answer line is still the commented-out starter."""
    namespace = user_namespace() if namespace is None else namespace
    if name not in namespace and re.search(rf"^\s*#\s*{name}\s*=", "\n".join(
            s for s in (namespace.get("In") or []) if _isinstance(s, str)), re.M):
        fail([f"The line that sets `{name}` is still commented out (it starts with #).",
              "Hint: delete the # at the start of that line, write your answer, and run the cell."], exercise)
    return namespace


def typed_line(name, exercise, namespace):
    """The student's typed line (a string), or a plain-words failure for what it is instead."""
    namespace = uncommented(name, exercise, namespace)
    source = last_source_defining(name, namespace) or ""
    unquoted = re.search(rf"^\s*{name}\s*=[ \t]*(?![rRbBuUfF]{{0,2}}[\"'])([^\s#][^#\n]*?)\s*(?:#.*)?$",
                         source, re.M)
    if unquoted and name not in namespace and "___" not in source:
        fail([f"`{name} = {unquoted.group(1)}` has no quotes around the line, so Python tries to run it as code.",
              f"Hint: put the line between quotes: {name} = \"{unquoted.group(1)}\"."], exercise)
    value = answer(name, exercise=exercise, namespace=namespace)
    if not _isinstance(value, str):
        fail([f"`{name}` should be the printed line as text, but it is {shown(value, 60)} "
              f"(a {type(value).__name__}).",
              f"Hint: a printed line is a string: write the whole line between quotes, {name} = \"...\"."],
             exercise)
    if "".join(str.split(str.__str__(value))) in ("...", "?", ""):
        fail([f"`{name}` is still the placeholder {value!r}.",
              "Hint: replace the placeholder with the exact line the code prints, between the quotes."], exercise)
    return value


# ------------------------------------------------------------ answers must be the student's own
# The lesson modules' code (widget maths, trainers, sealed hints) is the course's, not the student's:
# while grading, the sandbox's view of the course has none of it (grader/sandbox/course_view.py), so
# an answer that leans on it loses its marks there. These checks say so at home, in time.
# Handed out by the lessons to be used in answers (the grading view keeps them too).
BUILDING_BLOCKS = frozenset({
    "course.forward_pass.logistic",
    "course.reading_digits.load_digits", "course.reading_digits.split_digits",  # data, read as it is
    "course.classification.point_cloud",  # lesson 08's points, read as they are
})
_HERE = __file__.rsplit("/", 1)[0]
_OWN_FILES = {f"{_HERE}/checks.py", f"{_HERE}/__init__.py"}
_LESSON_NAMES = re.compile(r"\bcourse\b|\b(?:reveal|unseal|SEALED)\b")


def _own_work(name, source, exercise):
    """Fail when the cell that sets ``name`` reaches for the course's code (a lesson module, a sealed hint)."""
    used = _LESSON_NAMES.search(source)
    if used:
        fail([f"The cell that sets `{name}` uses the course's own code (`{used.group()}`), which does not run "
              "while your notebook is graded, so the answer would be lost there.",
              f"Hint: work the answer out, then write it in the cell as a value: {name} = ..."], exercise)


def check_own_work(name, *, exercise, namespace=None):
    """Fail (CheckFailed) when the cell that sets the answer ``name`` leans on the course's own code."""
    namespace = user_namespace() if namespace is None else namespace
    _own_work(name, _code_defining(name, namespace), exercise)


def _lesson_code(code):
    """True when ``code`` is the course's lesson code (not the checks, not a building block)."""
    path = code.co_filename
    if not path.startswith(_HERE + "/") or path in _OWN_FILES or "/exercises/" in path:
        return False
    module = "course." + path[len(_HERE) + 1:-len(".py")].replace("/", ".")
    return f"{module}.{code.co_name}" not in BUILDING_BLOCKS


def _watched(function, name, exercise):
    """``function``, failing the check (after the call) if the call ran the course's lesson code."""
    if _sealed() is None:
        return function  # while grading the lesson code is not there to run (LessonCodeOff)

    @functools.wraps(function)
    def watched(*args, **kwargs):
        used = []

        def profile(frame, event, arg):
            if event == "call" and not used and _lesson_code(frame.f_code):
                used.append(f"{frame.f_globals.get('__name__', '?')}.{frame.f_code.co_name}")

        before = _sys.getprofile()
        _sys.setprofile(profile)
        try:
            return function(*args, **kwargs)
        finally:
            _sys.setprofile(before)
            if used:
                fail([f"`{name}` calls the course's own lesson code ({used[0]}). That code does not run while "
                      "your notebook is graded, so this answer would earn nothing there.",
                      "Hint: write the computation yourself, in your own function; the lesson's cells show "
                      "every step."], exercise)
    return watched


def number_answer(name, *, exercise, namespace=None):
    """The student's number answer ``name`` as a float, or CheckFailed naming what is wrong with it."""
    value = answer(name, exercise=exercise, namespace=namespace)
    if _isinstance(value, str):
        try:
            _float(value)
        except (TypeError, ValueError):
            pass
        else:
            fail([f"`{name}` is the text {value!r}: the quotes make it a string, not a number.",
                  f"Hint: write the number without quotes: {name} = {str.strip(value)}."], exercise)
    if _isinstance(value, bool) or value is None or _isinstance(value, (str, bytes)):
        fail([f"`{name}` should be a number, but it is {shown(value, 60)}.",
              f"Hint: write a number, as in {name} = 3."], exercise)
    try:
        return float.__float__(_float(value))
    except (TypeError, ValueError):
        fail([f"`{name}` should be one number, but it is a {type(value).__name__}: {shown(value, 60)}.",
              f"Hint: write a single number, as in {name} = 3."], exercise)


def check_sealed(value, *, exercise, name, hint, problem=None):
    """Check a typed answer against the exercise's sealed hints: pass on the right one, name a
    named mistake, else give ``hint``. The success text is shown only to the right answer."""
    _guard()
    if _sealed() is None:  # while grading: the form is checked here, the answer outside the notebook
        passed(f"`{name}` is recorded; the grader checks it outside your notebook.")
        return
    found = reveal(exercise, value)
    if found and found[0] == "right":
        passed(found[1])
        return
    lines = [problem or f"`{name}` = {shown(value, 60)} is not right yet."]
    if found:
        lines.append(found[1])
    lines.append(f"Hint: {hint}")
    fail(lines, exercise)


def check_choice_answer(name, *, exercise, options, hint, namespace=None):
    """A multiple-choice answer: a string holding one of ``options``, checked against the sealed key."""
    value = answer(name, exercise=exercise, namespace=namespace)
    if not _isinstance(value, str):
        fail([f"`{name}` should be a string holding one letter, like \"{options[0]}\", but it is {shown(value, 60)}.",
              f"Hint: write one of {', '.join(options)} between quotes."], exercise)
    letter = str.upper(_ORIGINALS["normalize"](value))
    if letter not in [str.upper(_str(o)) for o in options]:
        fail([f"`{name}` should be one of {', '.join(options)}, but it is {shown(value, 60)}.",
              "Hint: replace the placeholder with the letter of the option you choose."], exercise)
    check_sealed(letter, exercise=exercise, name=name, hint=hint)


# The module's own functions as defined here, and the pinned namespace's fields (tampering() reports a replaced one).
_ORIGINALS = {name: globals()[name] for name in _PINNED_NAMES}
_PINNED_FIELDS = dict(zip(pinned._fields, pinned))
