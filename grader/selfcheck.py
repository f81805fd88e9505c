"""Is the course itself gradable? Run before grading a class (CI does).

In a temporary copy of the course: stock ``generate_assignment`` must succeed and give
exactly the committed release/ (cell sources and nbgrader metadata); the source notebooks,
submitted as they are, must score full marks on every notebook; the release notebooks,
untouched, must score zero; no mark of the source may be flagged for manual grading (every
test cell has a reference in grader/answers that agrees with the solution); feedback must not
show hidden tests. Every assignment of the course is checked unless one is named. Any failure
raises GradingError (exit 2) naming what is wrong.
"""
import shutil
import tempfile
from pathlib import Path

import nbformat
from nbgrader.api import MissingEntry

from .course import CONFIG_NAME, Course, find_course_root
from .errors import GradingError
from .lessons import assignments
from .pipeline import grade, say


def _cells(path):
    nb = nbformat.read(path, as_version=4)
    return [(c.cell_type, c.source, {k: v for k, v in c.metadata.get("nbgrader", {}).items()})
            for c in nb.cells]


def check_course(course_dir=None, assignment=None, jobs=None):
    """Check ``assignment``, or every assignment of the course when None; returns the exit code."""
    if assignment is None:
        root = find_course_root(course_dir)
        names = assignments(root)
        if not names:
            raise GradingError(f"No assignment folders with notebooks in {root / 'source'}.")
        return max(check_assignment(root, name, jobs) for name in names)
    return check_assignment(course_dir, assignment, jobs)


def check_assignment(course_dir, assignment, jobs=None):
    course = Course.open(course_dir, assignment)
    assignment = course.assignment
    problems = []
    with tempfile.TemporaryDirectory(prefix="hnl-selfcheck-") as tmp:
        tmp = Path(tmp)
        shutil.copytree(course.source_dir, tmp / "source" / assignment,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        # the check grades into a gradebook of its own, never the course's (nor a shared PostgreSQL one)
        own_db = f"sqlite:///{tmp / 'gradebook.db'}"
        (tmp / CONFIG_NAME).write_text((course.root / CONFIG_NAME).read_text()
                                       + f"\nc.CourseDirectory.db_url = {own_db!r}\n")
        copy = Course.open(tmp, assignment)
        # stock generate_assignment: records the gradebook and writes tmp/release to compare
        copy.record_assignment(say, release_dir=tmp / "release")
        generated = tmp / "release" / assignment
        committed = course.root / "release" / assignment
        for name in course.notebook_names:
            ours, theirs = generated / f"{name}.ipynb", committed / f"{name}.ipynb"
            if not theirs.exists():
                problems.append(f"release/{assignment}/{name}.ipynb is missing: run `make release`")
            elif _cells(ours) != _cells(theirs):
                problems.append(f"release/{assignment}/{name}.ipynb differs from what generate_assignment "
                                f"makes of source/: run `make release`")
        for extra in sorted(set(p.stem for p in committed.glob("*.ipynb")) - set(course.notebook_names)):
            problems.append(f"release/{assignment}/{extra}.ipynb has no source notebook")

        subs = tmp / "incoming"
        for sid, folder in (("selfcheck_solution", course.source_dir), ("selfcheck_untouched", generated)):
            (subs / sid / assignment).mkdir(parents=True)
            for nb in sorted(folder.glob("*.ipynb")):
                shutil.copy(nb, subs / sid / assignment / nb.name)
        code = grade(tmp, subs, jobs=jobs or 2, report=False, assignment=assignment)
        if code != 0:
            problems.append("grading the source and release notebooks failed (see messages above)")
        with copy.gradebook() as gb:
            for sid, want in (("selfcheck_solution", "full"), ("selfcheck_untouched", "zero")):
                try:
                    sub = gb.find_submission(assignment, sid)
                except MissingEntry:
                    problems.append(f"{sid}: no grades recorded")
                    continue
                for nb in sorted(sub.notebooks, key=lambda n: n.name):
                    ok = nb.score == nb.max_score if want == "full" else nb.score == 0
                    say(f"  {'ok ' if ok else 'BAD'} {nb.name}: {'source' if want == 'full' else 'release'} "
                        f"scores {nb.score:g}/{nb.max_score:g} (expected {want})")
                    flagged = [g.name for g in nb.grades if g.needs_manual_grade]
                    if want == "full" and flagged:
                        problems.append(f"{nb.name}: the source notebook's marks were not confirmed outside the "
                                        f"kernel ({', '.join(flagged)}): add or fix their references in "
                                        "grader/answers")
                    if not ok:
                        bad = [f"{g.name}={g.score}" for g in nb.grades if
                               (g.score != g.max_score if want == "full" else g.score)]
                        problems.append(f"{nb.name}: the {'source' if want == 'full' else 'untouched release'} "
                                        f"notebook scores {nb.score:g}/{nb.max_score:g}, expected {want} "
                                        f"({', '.join(bad)})")
    if problems:
        raise GradingError("The course is broken:\n  " + "\n  ".join(problems))
    count = len(course.notebook_names)
    say(f"course check passed for {assignment}: {count} notebook{'s' * (count != 1)}, source full marks, "
        "release zero")
    return 0
