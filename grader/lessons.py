"""The course's shape, read from its folders: which assignments, which notebooks, which modules.

Nothing in the code spells an assignment name: every folder of ``source/`` is an nbgrader
assignment, and they are ordered by their first notebook (``01_…`` before ``06_…``), so the
default assignment is the one the course starts with. A notebook ``NN_topic.ipynb`` has its
per-lesson files named by ``topic`` (LESSON_FILES: ``course/topic.py``, ``course/exercises/topic.py``,
``grader/answers/topic.py``, ...): registries find them by that name, ``make lesson``
(tools/new_lesson.py) writes them and tests/notebooks/test_static.py checks every lesson has them,
so adding a lesson edits no list (see README, "Add a lesson").
"""
import importlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_NAME = re.compile(r"(?P<number>\d\d)_(?P<topic>[a-z][a-z0-9_]*)")
ASSIGNMENT_NAME = re.compile(r"[a-z][a-z0-9_]*")

# Every file of a lesson, by what it is for: ``{assignment}``, ``{stem}`` (07_attention) and ``{topic}``
# (attention) filled in by lesson_files().
LESSON_FILES = {
    "notebook": "source/{assignment}/{stem}.ipynb",
    "maths": "course/{topic}.py",
    "widget": "course/widgets/{topic}.py",
    "checks": "course/exercises/{topic}.py",
    "answers": "grader/answers/{topic}.py",
    "hints": "grader/hints/{topic}.py",
    "maths tests": "tests/course/test_{topic}.py",
    "check tests": "tests/course/exercises/test_{topic}.py",
    "submissions": "tests/submissions/{stem}.py",
}


def assignments(root=ROOT):
    """The assignment folders of ``root/source`` that hold notebooks, in course order."""
    source = Path(root) / "source"
    found = [p for p in source.iterdir() if p.is_dir() and any(p.glob("*.ipynb"))] if source.is_dir() else []
    return [p.name for p in sorted(found, key=lambda p: (min(n.name for n in p.glob("*.ipynb")), p.name))]


def default_assignment(root=ROOT):
    """The assignment the course starts with (None when ``source/`` has none)."""
    found = assignments(root)
    return found[0] if found else None


def notebooks(assignment, root=ROOT, folder="source"):
    """Paths of the assignment's notebooks in ``folder`` (source or release), in reading order."""
    return sorted((Path(root) / folder / assignment).glob("*.ipynb"))


def exercise_of(test_id, answer_ids):
    """Answer id a test cell scores: ``test_<answer id>[_suffix]`` with the longest matching id (else ``test_id``)."""
    matches = [a for a in answer_ids if test_id == f"test_{a}" or test_id.startswith(f"test_{a}_")]
    return max(matches, key=len) if matches else test_id


def all_notebooks(root=ROOT, folder="source"):
    """{notebook id: assignment} over the whole course."""
    return {p.stem: a for a in assignments(root) for p in notebooks(a, root, folder)}


def assignment_of(notebook_id, root=ROOT):
    return all_notebooks(root).get(notebook_id)


def topic(notebook_id):
    """``06_hidden_layer`` -> ``hidden_layer`` (None for a name not in the NN_topic form)."""
    match = NOTEBOOK_NAME.fullmatch(notebook_id)
    return match["topic"] if match else None


def lesson_files(notebook_id, assignment):
    """{what: path relative to the repository} of every file the lesson ``notebook_id`` has (LESSON_FILES)."""
    return {what: pattern.format(assignment=assignment, stem=notebook_id, topic=topic(notebook_id))
            for what, pattern in LESSON_FILES.items()}


def lesson_module(package, notebook_id):
    """``package.<topic>`` for the notebook, or None when the lesson has no such module."""
    name = topic(notebook_id)
    if name is None:
        return None
    try:
        return importlib.import_module(f"{package}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{package}.{name}":
            raise  # the module exists but imports something missing: a real error
        return None


def lesson_modules(package, root=ROOT):
    """{notebook id: module} for every notebook of the course that has ``package.<topic>``."""
    found = {stem: lesson_module(package, stem) for stem in all_notebooks(root)}
    return {stem: module for stem, module in found.items() if module is not None}
