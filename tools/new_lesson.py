"""Start a new lesson: every file it needs, already wired together and passing its own tests.

    python tools/new_lesson.py 10_attention --assignment beyond_one_neuron --title "Attention"

(``make lesson NAME=10_attention ASSIGNMENT=beyond_one_neuron TITLE="Attention"``.) It writes,
for the topic ``attention``, the files grader.lessons.LESSON_FILES names:

    source/<assignment>/10_attention.ipynb     title, a demo, the widget, one quiz exercise
    course/attention.py                        the lesson's maths (plain functions)
    course/widgets/attention.py                its learning-rate widget
    course/exercises/attention.py              the visible check the test cell calls
    grader/answers/attention.py                what the grader confirms, outside the kernel
    grader/hints/attention.py                  the sealed success text and named mistakes
    tests/course/test_attention.py             unit tests of the maths
    tests/course/exercises/test_attention.py   what a student reads for a wrong answer
    tests/submissions/10_attention.py          variants, the score each must get, and a wrong answer to all

and nothing else: registries find the modules by the topic name, and the tests find the lesson's
answer ids in its own files (grader.lessons). A new assignment is just a new folder of ``source/``.
Refuses to overwrite an existing file. Then: ``make release`` and ``NOTEBOOKS=10_attention make test``
(README, "Add a lesson").
"""
import argparse
import sys
from pathlib import Path

import nbformat

from grader.lessons import ASSIGNMENT_NAME, NOTEBOOK_NAME, all_notebooks, lesson_files

ROOT = Path(__file__).resolve().parents[1]


def _cell(kind, source, **nbgrader):
    cell = nbformat.v4.new_markdown_cell(source) if kind == "markdown" else nbformat.v4.new_code_cell(source)
    if nbgrader:
        cell.metadata["nbgrader"] = {"schema_version": 3, "task": False, **nbgrader}
    return cell


def notebook(stem, topic, title):
    quiz, var = f"quiz_{topic}", f"{topic}_answer"
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.cells = [
        _cell("markdown", f"# {stem[:2]} · {title}\n\n*How Networks Learn* · lesson {int(stem[:2])}\n\n"
                          "**By the end of this notebook you can**\n- TODO: one line per skill."),
        _cell("markdown", "## TODO: the first idea\n\nExplain it in two or three short paragraphs, then show it."),
        _cell("code", f"from course import {topic}\n\nprint({topic}.losses(0.1, steps=3))"),
        _cell("markdown", "Drag the learning rate: TODO say what to look for."),
        _cell("code", f"from course.widgets.{topic} import {topic}_explorer\n\n{topic}_explorer()"),
        _cell("markdown", f"---\n## Exercise 1 · Quiz (1 point)\n\nTODO: the question.\n\n"
                          "- **A.** TODO (the right answer)\n- **B.** TODO\n- **C.** TODO\n- **D.** TODO\n\n"
                          f"Set `{var}` to the letter."),
        _cell("code", f'### BEGIN SOLUTION\n{var} = "A"\n### END SOLUTION\n### BEGIN STUB\n'
                      f'# {var} = "?"  # replace ? with A, B, C or D\n### END STUB',
              grade=False, grade_id=quiz, locked=False, solution=True),
        _cell("code", f'"""Check the answer to the quiz."""\nfrom course.exercises.{topic} import check_{quiz}\n\n'
                      f"check_{quiz}()\n### BEGIN HIDDEN TESTS\n# Checked outside this notebook, on inputs drawn "
                      f"at grading time: grader/answers/{topic}.py\n### END HIDDEN TESTS",
              grade=True, grade_id=f"test_{quiz}", locked=True, points=1, solution=False),
        _cell("markdown", "---\n## Key takeaways\n\n- TODO"),
    ]
    return nbformat.writes(nb)


def files(stem, topic, title, assignment):
    """{path: text} of the new lesson's files (grader.lessons.LESSON_FILES)."""
    quiz, var = f"quiz_{topic}", f"{topic}_answer"
    texts = {
        "notebook": notebook(stem, topic, title),
        "maths": f'''"""Lesson {stem[:2]} maths: plain functions its notebook and widget call."""


def losses(lr, steps, w=0.3, x=1.5, target=1.0):
    """The loss (w*x - target)**2 before each of ``steps`` gradient-descent steps. TODO: this lesson's maths."""
    out = []
    for _ in range(steps):
        out.append((w * x - target) ** 2)
        w -= lr * 2 * (w * x - target) * x
    return out
''',
        "widget": f'''"""Lesson {stem[:2]} widget: a learning-rate slider and what it changes."""
import ipywidgets as widgets

from .. import {topic}
from ..plots import COLORS, LiveFigure, new_figure
from .controls import live_widget, slider

STEPS = 20


def {topic}_explorer(lr=0.1, steps=STEPS):
    """A learning-rate slider and the loss of each step. TODO: draw this lesson's picture."""
    lr_slider = slider(widgets.FloatSlider, "learning rate", "Learning rate: how big each step is",
                       value=lr, min=0.0, max=0.5, step=0.01, readout_format=".2f")
    fig, ax = new_figure(6.0, 3.2)
    (line,) = ax.plot(range(steps), {topic}.losses(lr, steps),
                      color=COLORS["blue"], marker="o", markersize=3)
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    live = LiveFigure(fig, [line, *ax.spines.values(), ax.title])

    def update(lr):  # called with each control's value: moves the picture, returns the summary
        losses = {topic}.losses(lr, steps)
        line.set_data(range(steps), [min(v, 10.0) for v in losses])
        ax.set_ylim(0, max(0.35, min(max(losses), 10.0)))
        return f"With learning rate {{lr:.2f}} the loss goes from {{losses[0]:.3f}} to {{losses[-1]:.3g}}."

    return live_widget([lr_slider], live, update)
''',
        "checks": f'''"""Visible checks of lesson {stem[:2]}, one a test cell."""
from ..checks import check_choice_answer


def check_{quiz}(namespace=None):
    """Check the answer to the quiz."""
    check_choice_answer("{var}", exercise="{quiz}", options="ABCD",
                        namespace=namespace,
                        hint="TODO: a question that points at the idea, not at the letter.")
''',
        "answers": f'''"""Lesson {stem[:2]}: what the grader confirms each test cell against."""
from .questions import Confirmation, choice


def confirmations(rng):
    quiz = Confirmation("test_{quiz}", "{quiz}")
    quiz.ask("{var}", choice("A", "{var}"))
    return [quiz]
''',
        "hints": f'''"""Lesson {stem[:2]}'s sealed hints: success texts, values of named mistakes."""

HINTS = {{
    "{quiz}": [("A", "right", "Right: TODO say why, in one sentence.")],
}}
''',
        "maths tests": f'''"""Lesson {stem[:2]} maths: the numbers its notebook and widget show."""
import pytest

from course import {topic}


def test_a_small_rate_lowers_the_loss_every_step():
    losses = {topic}.losses(0.1, steps=10)
    assert all(b < a for a, b in zip(losses, losses[1:]))
    assert losses[0] == pytest.approx(0.3025)
''',
        "check tests": f'''"""Lesson {stem[:2]}'s checks: wrong answer in, right message out."""
from course.exercises import {topic} as checks
from tests.support.messages import fails_with, passes, run_answer


def test_the_right_letter_passes_in_any_case():
    assert passes(checks.check_{quiz}, run_answer('{var} = " a "'))


def test_a_wrong_letter_gets_a_hint_not_the_answer():
    message = fails_with(checks.check_{quiz}, run_answer('{var} = "B"'))
    assert message.startswith("{quiz}: not yet.") and "Hint:" in message
''',
        "submissions": f'''"""Submissions of {stem}: how each answer, right or wrong, must score."""

VARIANTS = {{
    "lower_case": {{
        "answers": {{"{quiz}": '{var} = " a "'}},
        "scores": {{}},
    }},
    "wrong_letter": {{
        "answers": {{"{quiz}": '{var} = "B"'}},
        "scores": {{"test_{quiz}": 0}},
    }},
}}

# Every answer cell's code at once, each answer wrong: the grader must confirm none (tests/grader/test_confirm.py).
ALL_WRONG = '{var} = "B"'
''',
    }
    paths = lesson_files(stem, assignment)
    return {paths[what]: text for what, text in texts.items()}


def main(argv=None):
    parser = argparse.ArgumentParser(description="Create a new lesson's files (see the module docstring).")
    parser.add_argument("name", help="the notebook's name without .ipynb: two digits, _, a topic (10_attention)")
    parser.add_argument("--assignment", required=True, help="the source/ folder it belongs to (new or existing)")
    parser.add_argument("--title", required=True, help="the lesson's title")
    parser.add_argument("--root", default=str(ROOT), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    match = NOTEBOOK_NAME.fullmatch(args.name)
    if not match:
        parser.error(f"name {args.name!r}: expected two digits, an underscore and a lower-case topic, "
                     "e.g. 10_attention")
    if not ASSIGNMENT_NAME.fullmatch(args.assignment):
        parser.error(f"assignment {args.assignment!r}: use lower case, digits and underscores")
    root = Path(args.root)
    taken = sorted(stem for stem in all_notebooks(root) if stem[:2] == match["number"])
    if taken:
        parser.error(f"lesson number {match['number']} is taken by {', '.join(taken)}")
    planned = {root / rel: text for rel, text in files(args.name, match["topic"], args.title, args.assignment).items()}
    existing = [str(p.relative_to(root)) for p in planned if p.exists()]
    if existing:
        parser.error(f"these files exist already, nothing was written: {', '.join(existing)}")
    for path, text in planned.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        print(f"created {path.relative_to(root)}")
    print(f"next: make release, then NOTEBOOKS={args.name} make test (README, 'Add a lesson')")
    return 0


if __name__ == "__main__":
    sys.exit(main())
