"""Read a class's submissions from a folder or an LMS zip, check them, install them in submitted/.

Accepted layouts (``<aid>`` is the assignment being graded, a folder of ``source/``):

* a folder ``X`` holding ``X/<student>/<aid>/<notebook>.ipynb`` (nbgrader's ``submitted/`` folder),
  or a course folder ``X`` holding ``X/submitted/<student>/<aid>/<notebook>.ipynb``;
* a zip whose entries are ``<student>/<aid>/<notebook>.ipynb``, optionally all under one
  leading ``submitted/`` (what zipping nbgrader's ``submitted/`` folder, or its parent, gives);
* nothing: the course's own ``submitted/``;
* with ``lms`` (grader.lms.settings.LmsSettings): the download of Canvas, Moodle or Blackboard,
  zip or folder, as it arrives, mapped to that layout through a roster by grader/lms.

``<notebook>`` must be one of the assignment's notebooks in source/ (``01_forward_pass`` ...);
a ``timestamp.txt`` beside them is kept (nbgrader reads it for late penalties); other files
are copied along and ignored by grading. ``__MACOSX/``, ``.ipynb_checkpoints/`` and hidden files
are skipped. Every problem is listed at once, before anything is written.
"""
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import nbformat

from .errors import GradingError

STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@+\-]*$")
SKIP_PARTS = {"__MACOSX", ".ipynb_checkpoints"}


def skipped_path(parts):
    """Does the path hold a part nobody handed in (macOS zip litter, Jupyter checkpoints, hidden files)?"""
    return any(part in SKIP_PARTS or part.startswith(".") for part in parts)


def zip_entry_path(name):
    """A zip entry's path (``\\`` read as ``/``), or None when unpacking it would write outside
    the folder it is unpacked into (an absolute path, or one with '..')."""
    pure = PurePosixPath(name.replace("\\", "/"))
    return None if pure.is_absolute() or ".." in pure.parts else pure


@dataclass
class Intake:
    """Checked submissions, ready to install into the course's submitted/ folder."""
    layout_root: Path                      # folder holding <student>/<aid>/
    students: list = field(default_factory=list)
    problems: list = field(default_factory=list)   # (student or None, message)
    notes: list = field(default_factory=list)
    plan: object = None                    # an LMS download's Plan (grader/lms), else None
    _tmp: object = None

    def cleanup(self):
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None


def _extract_zip(path, course):
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise GradingError(f"{path} is not a readable zip file.") from None
    expected = f"<student>/{course.assignment}/<notebook>.ipynb"
    with archive:
        names = [n for n in archive.namelist() if not n.endswith("/")]
        kept = []
        for name in names:
            pure = zip_entry_path(name)
            if pure is None:
                raise GradingError(f"{path}: unsafe entry '{name}' (absolute or with '..'); refusing to unpack.")
            if skipped_path(pure.parts):
                continue
            kept.append((name, pure))
        if not kept:
            raise GradingError(f"{path} holds no submissions; expected entries like {expected}.")
        strip = 1 if all(p.parts[0] == "submitted" for _, p in kept) else 0
        bad = [name for name, p in kept if len(p.parts) - strip != 3]
        if bad:
            shown = "\n  ".join(bad[:6]) + ("\n  ..." if len(bad) > 6 else "")
            raise GradingError(
                f"{path} does not have the expected layout. Every notebook must be at {expected} "
                f"(optionally under a leading submitted/); these entries are not:\n  {shown}")
        tmp = tempfile.TemporaryDirectory(prefix="hnl-zip-")
        root = Path(tmp.name)
        for name, pure in kept:
            dest = root.joinpath(*pure.parts[strip:])
            dest.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(name) as src, open(dest, "wb") as out:
                shutil.copyfileobj(src, out)
    return root, tmp


def _check_student(intake, folder, course):
    sid = folder.name
    problems = []
    if not STUDENT_ID.match(sid):
        problems.append(f"'{sid}' is not a usable student id (letters, digits and _ . @ + - only)")
    assignments = {p.name for p in (course.root / "source").iterdir() if p.is_dir()}
    for entry in sorted(folder.iterdir()):
        if skipped_path([entry.name]):
            continue
        if entry.is_file():
            problems.append(f"file '{entry.name}' sits directly in the student folder; "
                            f"it belongs in {sid}/{course.assignment}/")
        elif entry.name != course.assignment and entry.name not in assignments:
            problems.append(f"unknown assignment '{entry.name}' (this course grades '{course.assignment}')")
    work = folder / course.assignment
    others = sorted(p.name for p in folder.iterdir() if p.is_dir() and p.name in assignments - {course.assignment})
    if not work.is_dir() and others and not problems:
        # a folder of the whole course (several assignments): this student has not handed in this one yet
        intake.notes.append(f"{sid}: no {course.assignment}/ (only {', '.join(others)}): not graded this run")
        return
    if not work.is_dir():
        if not problems:
            problems.append(f"no {course.assignment}/ folder")
    else:
        notebooks = sorted(p for p in work.iterdir() if p.suffix == ".ipynb" and not skipped_path([p.name]))
        if not notebooks:
            problems.append(f"no notebooks in {sid}/{course.assignment}/")
        known = course.notebook_names
        for nb in notebooks:
            if nb.stem not in known:
                problems.append(f"notebook with a wrong name '{nb.name}' (expected one of: "
                                f"{', '.join(n + '.ipynb' for n in known)})")
                continue
            try:
                nbformat.read(nb, as_version=4)
            except Exception as exc:
                problems.append(f"'{nb.name}' is not a readable notebook ({type(exc).__name__})")
        for sub in work.iterdir():
            if sub.is_dir() and not skipped_path([sub.name]):
                intake.notes.append(f"{sid}: folder {sub.name}/ is copied along but not graded")
    for problem in problems:
        intake.problems.append((sid, problem))
    if not problems:
        intake.students.append(sid)


def read_submissions(course, spec=None, lms=None, due=None):
    """Check the submissions named by ``spec`` (folder, zip or None); raise GradingError on bad input.

    With ``lms`` (LmsSettings), ``spec`` is that LMS's download; ``due`` is the due date a file the
    LMS marks late without a time is recorded against."""
    tmp = plan = None
    if lms is not None:
        if spec is None or str(spec) == "":
            raise GradingError(f"LMS={lms.name} needs SUBMISSIONS=<the zip downloaded from it, or its folder>.")
        path = Path(spec).expanduser()
        if not path.exists():
            raise GradingError(f"Submissions not found: {path} does not exist.")
        from .lms.download import collect_download
        root, tmp, plan = collect_download(course, path, lms, due)
    elif spec is None or str(spec) == "":
        root = course.submitted_dir
        if not root.is_dir():
            raise GradingError(f"No submissions to grade: {root} does not exist. "
                               "Pass SUBMISSIONS=<folder or zip> (see docs/grading.md).")
    else:
        path = Path(spec).expanduser()
        if not path.exists():
            raise GradingError(f"Submissions not found: {path} does not exist.")
        if path.is_file():
            if path.suffix.lower() != ".zip":
                raise GradingError(f"{path} is a file but not a .zip; pass a folder or a zip of submissions.")
            root, tmp = _extract_zip(path, course)
        elif (path / "submitted").is_dir() and not (path / course.assignment).exists():
            root = path / "submitted"
        else:
            root = path
    intake = Intake(layout_root=root.resolve(), plan=plan, _tmp=tmp)
    if plan is not None:
        intake.problems += plan.problems
    try:
        for entry in sorted(root.iterdir()):
            if skipped_path([entry.name]):
                continue
            if entry.is_dir():
                _check_student(intake, entry, course)
            else:
                intake.problems.append((None, f"file '{entry.name}' sits at the top; expected "
                                              f"<student>/{course.assignment}/<notebook>.ipynb"))
        if not intake.students and not intake.problems and plan is not None:
            from .lms.download import summary
            raise GradingError(f"No notebook of {course.assignment} in {spec}:\n"
                               + summary(plan, spec, course.assignment))
        if not intake.students and not intake.problems:
            raise GradingError(f"No submissions found in {spec or root}; expected "
                               f"<student>/{course.assignment}/<notebook>.ipynb inside it.")
    except BaseException:
        intake.cleanup()
        raise
    return intake


def format_problems(problems):
    return "\n".join(f"  {sid + ': ' if sid else ''}{msg}" for sid, msg in problems)


def install(intake, course):
    """Copy checked submissions into the course's submitted/<student>/<aid>/ (replacing older copies)."""
    dest_root = course.submitted_dir
    if intake.layout_root == dest_root.resolve():
        return
    for sid in intake.students:
        src = intake.layout_root / sid / course.assignment
        dest = dest_root / sid / course.assignment
        if dest.exists():
            shutil.rmtree(dest)
        shutil.copytree(src, dest, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__MACOSX"))


def submission_hash(course, sid, submitted=None):
    """sha256 of what ``sid`` handed in, in ``submitted`` (default: the course's submitted/)."""
    from .course import file_digest
    folder = Path(submitted or course.submitted_dir) / sid / course.assignment
    files = [p for p in folder.rglob("*") if p.is_file() and not skipped_path(p.relative_to(folder).parts)]
    return file_digest(files, folder)
