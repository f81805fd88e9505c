"""The grading sandbox's view of course/ (grader/sandbox/course_view.py): no engine to re-aim, no sealed hint.

The view is read as source (what functions are left in it) and imported in a separate interpreter, as
the sandbox's kernels import it (what a call returns). The notebooks graded in it are in
test_round_trip.py (solutions score full marks, no cell of theirs fails) and tests/e2e/adversarial/.
"""
import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from grader.sandbox import course_view

# Every module of course/ that the view stubs (all but the package's __init__, checks.py and plots.py).
LESSON_MODULES = sorted(p.stem for p in Path(course_view.package_dir()).glob("*.py")
                        if p.name not in course_view.UNCHANGED)


@pytest.fixture(scope="module")
def view(tmp_path_factory):
    return course_view.build(tmp_path_factory.mktemp("view"))


def _in_view(view, code):
    """Run ``code`` in a fresh interpreter that imports ``course`` from the view; return what it printed as JSON."""
    code = f"import course\nassert course.__file__.startswith({view!r}), course.__file__\n{code}"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          cwd=os.path.dirname(view), env={**os.environ, "PYTHONPATH": os.path.dirname(view)})
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _functions(tree):
    return [node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]


@pytest.mark.parametrize("module", LESSON_MODULES)
def test_no_lesson_function_computes_anything(view, module):
    """Is every function of a lesson module (but the sigmoid it hands out) a docstring and a table lookup?"""
    tree = ast.parse(open(os.path.join(view, f"{module}.py")).read())
    for node in _functions(tree):
        if f"course.{module}.{node.name}" in course_view.BUILDING_BLOCKS:
            continue
        body = node.body[1:] if ast.get_docstring(node) is not None else node.body
        assert len(body) == 1 and "_hnl_lesson_result(" in ast.unparse(body[0]), f"{module}.{node.name}"


def test_the_sealed_hints_are_not_there(view):
    assert open(os.path.join(view, "exercises", "sealed.py")).read().count("SEALED = None") == 1
    assert _in_view(view, "import json, course.checks as c; print(json.dumps([c.reveal('quiz_xor', x) "
                          "for x in 'ABCD']))") == [None] * 4


def test_widgets_draw_nothing_and_build_nothing(view):
    said = _in_view(view, "import json\nfrom course.widgets.training_loop import training_dashboard\n"
                          "from course.widgets.hidden_layer import xor_training_explorer\n"
                          "print(json.dumps([w(lr=0.3).data for w in (training_dashboard, xor_training_explorer)]))")
    assert all("drawn when you run" in text for text in said)


def test_the_lessons_own_calls_get_the_lessons_results(view):
    """Do the notebooks' own "try it" calls return exactly what the real course returns?"""
    import course.training_loop
    real = [course.training_loop.run("AND gate", lr=0.25, epochs=1000, batch_size=size).losses[-1]
            for size in (1, 2, 4)]
    seen = _in_view(view, "import json, course.training_loop as t\n"
                          "print(json.dumps([t.run('AND gate', lr=0.25, epochs=1000, batch_size=s).losses[-1] "
                          "for s in (1, 2, 4)]))")
    assert seen == real


def test_re_aimed_lesson_code_answers_nothing(view):
    """Re-aimed through an alias, vars() or a function's globals, lesson code raises LessonCodeOff."""
    said = _in_view(view, """import json
import course.backpropagation as b, course.forward_pass as f, course.training_loop as t
outcomes = []
for attempt in (lambda: (vars(b).update(A=4.0, B=-2.0), b.parabola_slope(0.3)),
                lambda: (setattr(f, "SPAM_FEATURES", (1.0, 2.0)), f._spam_guess((0.5, 0.5), 0.1)),
                lambda: (t.run.__globals__.update(DATASETS={"x": ((((1.0, 0.0), 1.0),), ((0.0, 0.0), 0.0))}),
                         t.run("x", 0.5, 10)),
                lambda: t.run("AND gate", lr=0.3, epochs=1000, batch_size=1)):
    try:
        outcomes.append(repr(attempt()))
    except Exception as error:
        outcomes.append(f"{type(error).__name__}: {error}")
print(json.dumps(outcomes))
""")
    assert all(outcome.startswith("LessonCodeOff: ") and "write that code yourself" in outcome for outcome in said)


def test_a_view_is_reused_only_while_it_is_trusted(tmp_path, monkeypatch):
    """A folder in HNL_COURSE_VIEW is used only if it is a current view, made by this user, writable by no one else."""
    made = course_view.build(tmp_path / "ok")
    monkeypatch.setenv(course_view.VIEW_ENV, made)
    assert course_view.view_dir() == made
    os.chmod(made, 0o777)
    assert course_view.view_dir() != made  # writable by others: a new one is built
    with open(os.path.join(made, course_view.STAMP), "w") as handle:
        handle.write("stale")
    os.chmod(made, 0o755)
    monkeypatch.setenv(course_view.VIEW_ENV, made)
    assert course_view.view_dir() != made  # built from another version of the course
