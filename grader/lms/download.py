"""An LMS download (zip or unpacked folder) turned into nbgrader's ``<student>/<assignment>/`` layout.

The collectors (collectors.py) decide which file is whose; this module unpacks safely, copies the
chosen files into a temporary layout with a ``timestamp.txt`` where the LMS gave a time, and
writes the summary the instructor sees before anything is graded.
"""
import shutil
import tempfile
from pathlib import Path

from ..errors import GradingError
from .collectors import COLLECTORS, UnsafeArchive, safe_unzip
from .roster import Roster


def _unpack(spec, dest):
    """The download's files under ``dest``: a zip unpacked, a folder copied (zips inside unpacked)."""
    spec = Path(spec)
    try:
        if spec.is_file():
            if spec.suffix.lower() != ".zip":
                raise GradingError(f"{spec} is a file but not a .zip; pass the LMS's zip or the folder it unpacks to.")
            safe_unzip(spec, dest)
            return
        for path in sorted(p for p in spec.rglob("*") if p.is_file()):
            target = dest / path.relative_to(spec)
            target.parent.mkdir(parents=True, exist_ok=True)
            if path.suffix.lower() == ".zip":
                safe_unzip(path, target.with_suffix(""), depth=1)
            else:
                shutil.copy2(path, target)
    except UnsafeArchive as exc:
        raise GradingError(f"{exc}. Nothing was unpacked or graded.") from None


def collect_download(course, spec, lms, due=None):
    """(layout folder, TemporaryDirectory holding it, Plan) for the download ``spec`` of ``lms`` (LmsSettings)."""
    roster = Roster.read(lms.roster)
    collector = COLLECTORS[lms.name](notebooks=course.notebook_names, due_date=due or "", timezone=lms.timezone)
    if lms.worksheet:
        if lms.name != "moodle":
            raise GradingError("WORKSHEET= is Moodle's grading worksheet; other LMSs have none.")
        collector.worksheet = str(lms.worksheet)
    tmp = tempfile.TemporaryDirectory(prefix=f"hnl-{lms.name}-")
    try:
        unpacked = Path(tmp.name) / "download"
        unpacked.mkdir()
        _unpack(spec, unpacked)
        try:
            plan = collector.plan(unpacked, roster)
        except (ValueError, OSError) as exc:  # a worksheet or time zone the instructor named
            raise GradingError(str(exc)) from None
        if not plan.files:
            raise GradingError(f"{spec} holds no files.")
        layout = Path(tmp.name) / "layout"
        for (sid, notebook), found in sorted(plan.chosen.items()):
            dest = layout / sid / course.assignment / f"{notebook}.ipynb"
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(found.path, dest)
        for sid, stamp in plan.timestamps.items():
            folder = layout / sid / course.assignment
            if folder.is_dir():  # nbgrader reads it for the late penalty
                (folder / "timestamp.txt").write_text(stamp.strftime("%Y-%m-%d %H:%M:%S.%f UTC"))
        layout.mkdir(exist_ok=True)
    except BaseException:
        tmp.cleanup()
        raise
    return layout, tmp, plan


def summary(plan, spec, assignment):
    """What the instructor reads before grading starts."""
    students = sorted({sid for sid, _ in plan.chosen})
    absent = sorted(set(plan.roster.by_student_id) - set(students)) if plan.roster else []
    lines = [f"{plan.lms} download {Path(str(spec)).name} for {assignment}:",
             f"  students found: {len(students)}"
             + (f" of {len(plan.roster.people)} on the roster" if plan.roster else "")
             + (f"; nothing from {', '.join(absent)}" if absent else ""),
             f"  files matched to a student and notebook: {len(plan.chosen)} of {plan.files}"]
    for sid, notebook, kept, older in plan.resubmitted:
        lines.append(f"  resubmitted: {sid} {notebook}: kept {kept}, dropped older {', '.join(older)}")
    for sid, filename, notebook in plan.renamed:
        lines.append(f"  renamed notebook: {sid}: '{filename}' is {notebook}.ipynb")
    for sid, what in plan.late:
        lines.append(f"  late: {sid}: {what}")
    if plan.ignored:
        lines.append(f"  files ignored: {len(plan.ignored)}")
        lines += [f"    {rel}: {why}" for rel, why in plan.ignored]
    if plan.problems:
        lines.append(f"  files that cannot be graded: {len(plan.problems)}")
        lines += [f"    {sid + ': ' if sid else ''}{message}" for sid, message in plan.problems]
    return "\n".join(lines)
