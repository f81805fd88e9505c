"""Run a lesson's visible checks on an answer, as the notebook would, and read what the student sees.

``passes`` and ``fails_with`` give a check's text as one paragraph, each line break (and the indent
after it) read as one space: the checks wrap long lines (course.checks.wrap), and a test looks for
words, not for where a line happens to break. ``shown_lines`` gives the lines as the student sees them.
"""
import contextlib
import io
import re

from course.checks import CheckFailed


def run_answer(source, namespace=None):
    """Execute an answer cell's ``source`` the way the kernel does (recorded in ``In``); errors stay."""
    namespace = {"In": [""]} if namespace is None else namespace
    namespace["In"].append(source)
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            exec(source, namespace)
        except Exception:  # a NameError or SyntaxError in the answer cell, as a student would get
            pass
    return namespace


def paragraph(text):
    """``text`` as one paragraph: each line break, with the spaces around it, read as one space."""
    return re.sub(r" *\n *", " ", text.strip())


def passes(check, namespace):
    """What ``check`` prints when the answer is right (fails the test if it raises)."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        check(namespace)
    return paragraph(printed.getvalue())


def fails_with(check, namespace):
    """The message ``check`` fails with (fails the test if it passes)."""
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            check(namespace)
    except CheckFailed as failure:
        return paragraph(str(failure))
    raise AssertionError(f"{check.__name__} passed, but it should have failed")


def first_failure(source, all_checks, check, exercise, namespace=None):
    """The message of ``check`` on the answer ``source``, after every check before it in ``all_checks`` (the
    test cells of one exercise, in notebook order) passed: the failure a student meets first."""
    namespace = run_answer(source, namespace)
    for earlier in all_checks[:all_checks.index(check)]:
        passes(earlier, namespace)
    message = fails_with(check, namespace)
    assert message.startswith(f"{exercise}: not yet.")
    return message


def shown_lines(check, namespace):
    """Every line ``check`` shows the student, as the notebook and nbgrader's Validate show them: what it
    printed, and the lines of its failure after "CheckFailed: " (IPython's rendering, without colour)."""
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            check(namespace)
        failed = []
    except CheckFailed as failure:
        failed = [line.replace("\x1b[0;31m", "").replace("\x1b[0m", "") for line in failure._render_traceback_()]
    return [*printed.getvalue().splitlines(), *failed]
