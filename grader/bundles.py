"""Result bundles: what a shard graded (grader/shards.py), and ``record``, the one writer that merges them.

A bundle is a folder a CI job can upload as an artefact::

    bundle.json                      the manifest: course version, assignment, due date, shard, and per
                                     student the records the recorder writes (recorder.apply_record)
    autograded/<student>/<aid>/      nbgrader's autograded notebooks
    feedback/<student>/<aid>/        the feedback pages (hidden tests removed)

bundle.json is written last, so a folder without it is an unfinished shard and is refused.
``record`` checks every bundle before writing anything: all of one assignment, graded from this very
course (source/, nbgrader_config.py and nbgrader's version: Course.source_hash) with one due date,
each student in one bundle. Recording is idempotent: the same bundle twice leaves the gradebook as
once, as a re-run of stock autograde would.
"""
import contextlib
import json
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

from .course import Course
from .errors import GradingError

FORMAT = "how-networks-learn grading bundle 1"
MANIFEST = "bundle.json"


def check_target(bundle):
    """A shard may write ``bundle`` if it is new, empty, or an older bundle (which it replaces)."""
    bundle = Path(bundle)
    if bundle.is_file() or (bundle.is_dir() and any(bundle.iterdir()) and not (bundle / MANIFEST).is_file()):
        raise GradingError(f"--bundle {bundle} exists and is not a grading bundle; choose a new folder.")


def _jsonable_record(record):
    if record is None:
        return None
    stamp = record.get("timestamp")
    return {**record, "timestamp": stamp.isoformat() if stamp is not None else None}


def keep_result(work, course, result, submission_hash, reason):
    """Move one worker result's files into the bundle being written; return its manifest entry."""
    sid, aid = result["student"], course.assignment
    for kind in ("autograded", "feedback"):
        if result["ok"] and result.get(kind):
            shutil.copytree(result[kind], Path(work) / kind / sid / aid)
    if result.get("workdir"):
        shutil.rmtree(result["workdir"], ignore_errors=True)
    return {"ok": result["ok"], "reason": reason, "submission": submission_hash,
            "record": _jsonable_record(result.get("record"))}


def finish(work, bundle, course, shard, due, results, skipped, names, seconds):
    """Write the manifest into ``work``, then put ``work`` where ``bundle`` is (replacing an older bundle)."""
    import nbgrader
    manifest = {"format": FORMAT, "course_id": course.course_id, "assignment": course.assignment,
                "course": course.source_hash(), "nbgrader": nbgrader.__version__, "due": due,
                "shard": list(shard), "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "seconds": round(seconds, 2), "results": results, "skipped": skipped, "names": names}
    (Path(work) / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    bundle = Path(bundle)
    old = bundle.with_name(f".{bundle.name}.old")
    if bundle.exists():
        shutil.rmtree(old, ignore_errors=True)
        os.replace(bundle, old)
    os.replace(work, bundle)
    shutil.rmtree(old, ignore_errors=True)


class Bundle:
    def __init__(self, path):
        self.path = Path(path)
        try:
            self.manifest = json.loads((self.path / MANIFEST).read_text())
        except (OSError, ValueError) as exc:
            raise GradingError(f"{self.path} is not a readable grading bundle ({MANIFEST}: {exc}).") from None
        if self.manifest.get("format") != FORMAT:
            raise GradingError(f"{self.path} is not a grading bundle this version reads "
                               f"(format {self.manifest.get('format')!r}, expected {FORMAT!r}).")
        self.assignment, self.course, self.due = (self.manifest.get(k) for k in ("assignment", "course", "due"))
        self.results = self.manifest.get("results", {})
        self.skipped = self.manifest.get("skipped", [])
        self.names = self.manifest.get("names", {})

    def result(self, sid, aid):
        """The result of ``sid`` as the recorder takes it from a worker (recorder.record_result)."""
        entry = self.results[sid]
        record = entry["record"]
        if record is not None and record.get("timestamp"):
            record = {**record, "timestamp": datetime.fromisoformat(record["timestamp"])}
        files = {kind: self.path / kind / sid / aid for kind in ("autograded", "feedback")}
        return {"student": sid, "ok": entry["ok"], "record": record,
                **{kind: str(path) if path.is_dir() else None for kind, path in files.items()}}


def find(paths):
    """Bundles named by ``paths``: bundle folders, or folders holding them (a CI job's downloaded artefacts)."""
    found = []
    for path in map(Path, paths):
        if not path.exists():
            raise GradingError(f"Bundle not found: {path} does not exist.")
        if (path / MANIFEST).is_file():
            found.append(path)
            continue
        inside = sorted(p.parent for p in path.rglob(MANIFEST)) if path.is_dir() else []
        if not inside:
            raise GradingError(f"{path} holds no grading bundle (no {MANIFEST}): an unfinished shard, or the wrong "
                               "folder. A shard writes one with `python -m grader grade --shard K/N --bundle DIR`.")
        found += inside
    if not found:
        raise GradingError("No bundles to record: name the folders `grade --shard` wrote.")
    return [Bundle(p) for p in dict.fromkeys(p.resolve() for p in found)]


def _check(course, loaded):
    """Refuse, before writing anything, bundles that do not belong together or to this course."""
    version = course.source_hash()
    for b in loaded:
        if b.course != version:
            raise GradingError(
                f"{b.path} was graded from another version of the course (source/{course.assignment}, "
                f"nbgrader_config.py or nbgrader {b.manifest.get('nbgrader')} differ from this checkout): "
                "nothing was recorded. Re-grade that shard from this version of the course.")
    dues = sorted({str(b.due) for b in loaded})
    if len(dues) > 1:
        raise GradingError("The bundles were graded with different due dates (" + ", ".join(dues)
                           + "): nothing was recorded. Grade every shard with the same DUE.")
    owner = {}
    for b in loaded:
        for sid in b.results:
            if sid in owner:
                raise GradingError(f"{sid} is in two bundles, {owner[sid]} and {b.path}: nothing was recorded. "
                                   "Record bundles of one sharding of the class (the same N) together.")
            owner[sid] = b.path


def _check_due(course, due, settle=False):
    """The gradebook's due date must be the one the shards graded late penalties against; with ``settle``,
    a gradebook without one takes theirs."""
    have = course.due_date()
    if have == due:
        return
    if have is None:
        if settle:
            course.set_due_date(due)
        return
    raise GradingError(f"The bundles were graded with due date {due or 'none'}, but the gradebook's is {have}: "
                       f"nothing was recorded. Re-grade the shards with DUE=\"{have}\".")


def record(course_dir=None, paths=(), assignment=None, report=True, csv_path=None):
    """Merge bundles into the course's gradebook (the only writer); returns the exit code."""
    from .pipeline import Progress, drop_from_state, say, write_outputs
    from .recorder import add_students, record_result
    loaded = find(paths)
    aids = sorted({b.assignment for b in loaded})
    if assignment:  # bundles/ may hold several assignments' shards: take that one's
        loaded = [b for b in loaded if b.assignment == assignment]
        if not loaded:
            raise GradingError(f"No bundle of {assignment} among them (they grade {', '.join(aids)}).")
    elif len(aids) > 1:
        raise GradingError(f"The bundles grade {', '.join(aids)}: record one assignment at a time "
                           "(--assignment, make record ASSIGNMENT=...).")
    course = Course.open(course_dir, loaded[0].assignment)
    _check(course, loaded)
    # A SQLite gradebook takes one writer per course folder; a PostgreSQL one takes turns per student.
    with course.lock() if course.is_sqlite else contextlib.nullcontext():
        _check_due(course, loaded[0].due)  # before anything is written
        course.prepare_gradebook(say)
        with course.db_lock("due"):
            _check_due(course, loaded[0].due, settle=True)
        total = sum(len(b.results) for b in loaded)
        say(f"recording {total} students from {len(loaded)} bundle(s) into {course.db_where}")
        failed, skipped, progress = [], [], Progress(total, label="recording")
        with course.gradebook() as gb:
            add_students(course, gb, [], {sid: n for b in loaded for sid, n in b.names.items()})
            for b in loaded:
                skipped += [tuple(s) for s in b.skipped]
                for sid in sorted(b.results):
                    record_result(course, gb, b.result(sid, course.assignment))
                    if not b.results[sid]["ok"]:
                        failed.append((sid, b.results[sid]["reason"]))
                    progress.step()
        drop_from_state(course, [sid for b in loaded for sid in b.results])
        feedback = any((b.path / "feedback").is_dir() for b in loaded)
        return write_outputs(course, failed, skipped, feedback=feedback, report=report, csv_path=csv_path)
