"""Run a lesson's visible checks on an answer, as the notebook would, and read what the student sees."""
import contextlib
import io

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


def passes(check, namespace):
    """What ``check`` prints when the answer is right (fails the test if it raises)."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        check(namespace)
    return printed.getvalue()


def fails_with(check, namespace):
    """The message ``check`` fails with (fails the test if it passes)."""
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            check(namespace)
    except CheckFailed as failure:
        return str(failure)
    raise AssertionError(f"{check.__name__} passed, but it should have failed")
