"""The grading run: intake, incremental selection, parallel workers, one recorder, outputs."""
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from .course import Course
from .errors import GradingError
from .intake import format_problems, install, read_submissions, submission_hash

STATE_NAME = ".grading_state.json"


def say(message):
    print(message, file=sys.stderr, flush=True)


def default_jobs():
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


class Progress:
    """``grading: 12/40 done, 28 left, 2.9 s/student, ETA 0:41`` on stderr."""

    def __init__(self, total, stream=sys.stderr, label="grading"):
        self.total, self.done, self.stream, self.label = total, 0, stream, label
        self.start = time.perf_counter()
        self.tty = hasattr(stream, "isatty") and stream.isatty()

    def step(self, note=""):
        self.done += 1
        elapsed = time.perf_counter() - self.start
        left = self.total - self.done
        eta = elapsed / self.done * left
        line = (f"{self.label}: {self.done}/{self.total} done, {left} left, "
                f"{elapsed / self.done:.1f} s/student, ETA {int(eta // 60)}:{int(eta % 60):02d}"
                + (f"  ({note})" if note else ""))
        self.stream.write(("\r" + line.ljust(78)) if self.tty else line + "\n")
        if self.tty and left == 0:
            self.stream.write("\n")
        self.stream.flush()


def _load_state(course):
    path = course.autograded_dir / STATE_NAME
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def _save_state(course, state):
    path = course.autograded_dir / STATE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=1, sort_keys=True))
    os.replace(tmp, path)


def drop_from_state(course, students):
    """Forget ``students`` in the incremental state: their gradebook rows came from elsewhere (a bundle),
    so the next ``grade`` re-grades them rather than trust an older hash."""
    state = _load_state(course)
    dropped = [sid for sid in students if state.get("students", {}).pop(sid, None) is not None]
    if dropped:
        _save_state(course, state)


def _shard_base():
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        return tempfile.mkdtemp(prefix="hnl-grading-", dir=shm)
    return tempfile.mkdtemp(prefix="hnl-grading-")


def _select(course, students, state, force, feedback, course_hash):
    """Students whose submission (or the course) changed since they were last recorded."""
    from nbgrader.api import MissingEntry
    recorded = state.get("students", {})
    hashes = {sid: submission_hash(course, sid) for sid in students}
    if force or state.get("course") != course_hash:
        return list(students), hashes
    todo = []
    with course.gradebook() as gb:
        for sid in students:
            try:
                gb.find_submission(course.assignment, sid)
                in_gradebook = True
            except MissingEntry:
                in_gradebook = False
            files_ok = (course.autograded_dir / sid / course.assignment).is_dir() and (
                not feedback or (course.feedback_dir / sid / course.assignment).is_dir())
            if not (in_gradebook and files_ok and recorded.get(sid) == hashes[sid]):
                todo.append(sid)
    return todo, hashes


def _pool_context():
    """``fork`` where available: workers start in milliseconds with nbgrader already imported.

    The parent forks before it opens the recorder's database connection and before the
    pool's manager thread starts; each worker opens its own gradebook copy.
    """
    if "fork" in multiprocessing.get_all_start_methods():
        import nbconvert.exporters.html  # noqa: F401  (warm imports the workers inherit)
        import nbgrader.converters  # noqa: F401
        import nbgrader.preprocessors  # noqa: F401

        from . import feedback, worker  # noqa: F401
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def check_sandbox(course):
    """Fail closed: grade only when the sandboxed kernel starts here, or after a loud opt-out."""
    from . import sandbox
    pps = course.config.Autograde.get("autograde_preprocessors") or []
    if not any(getattr(p, "__name__", str(p)).endswith("SandboxedExecute") for p in pps):
        say("WARNING: this course's nbgrader_config.py does not use grader.preprocessors.SandboxedExecute: "
            "student code runs WITHOUT a sandbox")
        return
    if sandbox.opted_out():
        say(f"WARNING: {sandbox.OPT_OUT_ENV}=1 (--no-sandbox): student code runs WITHOUT a sandbox; it can read "
            "source/ and the hidden tests, change the course files and use the network")
        sandbox.install_kernelspec()
        return
    try:
        sandbox.preflight(say)
    except sandbox.SandboxError as exc:
        raise GradingError(f"The grading sandbox does not start, so nothing was graded: {exc}\n"
                           "Install it with `sudo sh tools/install_sandbox.sh`, or grade without it "
                           "(unsafe for untrusted submissions) with --no-sandbox.") from None


def run_workers(course, students, jobs, feedback, on_result, submitted=None, fresh=False, due=None):
    """Grade ``students`` in ``jobs`` worker processes; call ``on_result`` (the recorder) as each finishes.

    ``submitted`` holds their ``<student>/<assignment>/`` folders (default: the course's submitted/);
    ``fresh`` and ``due``: the workers' gradebook is made anew from source/ (Course.snapshot_gradebook)."""
    from .worker import grade_student, init_worker
    check_sandbox(course)
    base = _shard_base()
    try:
        snapshot = os.path.join(base, "snapshot.db")
        course.snapshot_gradebook(snapshot, say, fresh=fresh, due=due)
        initargs = (str(course.root), course.assignment, snapshot, base, feedback,
                    str(submitted or course.submitted_dir))
        with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(students))), mp_context=_pool_context(),
                                 initializer=init_worker, initargs=initargs) as pool:
            futures = {pool.submit(grade_student, sid): sid for sid in students}
            try:
                for future in as_completed(futures):
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        raise GradingError("A grading worker process died (out of memory?); nothing after the "
                                           "last recorded student was recorded. Re-run to continue.") from None
                    on_result(result)
            except BaseException:
                for future in futures:
                    future.cancel()
                raise
    finally:
        shutil.rmtree(base, ignore_errors=True)


def failure_reason(result):
    """Why a worker could not grade a student, in one line."""
    # nbgrader's own lines, without its generic ones ("Please see the the above traceback..."),
    # which would hide the exception named in result["error"]
    errors = [line[len("[ERROR] "):] for line in result.get("log", "").splitlines()
              if line.startswith("[ERROR]") and "error processing" not in line
              and "above traceback" not in line and not line.startswith("[ERROR] Traceback")]
    return errors[0] if errors else (result["error"] or "nbgrader autograde failed")


def trace(result, start):
    if os.environ.get("HNL_GRADING_TRACE"):
        say(f"trace {result['student']} pid={result['pid']} autograde={result['autograde_seconds']:.2f}s "
            f"total={result['seconds']:.2f}s t={time.perf_counter() - start:.2f}s")


def check_due(due):
    if not due:
        return None
    from nbgrader.utils import parse_utc
    try:
        return f"{parse_utc(due):%Y-%m-%d %H:%M:%S} UTC"
    except (ValueError, OverflowError):
        raise GradingError(f"DUE='{due}' is not a date nbgrader reads; write it like '2026-11-20 23:59:00 UTC' "
                           "or '2026-11-20 23:59 America/Toronto'.") from None


def read_class(course, submissions, lms, due, skip_invalid, keep=None):
    """Read and check the class's submissions; returns (intake, skipped, LMS download summary).

    ``keep(sid)`` narrows the class to a shard (problems no student owns go to ``keep(None)``).
    The caller installs the intake's students and cleans it up."""
    intake = read_submissions(course, submissions, lms, due)
    try:
        if keep is not None:
            intake.students = [sid for sid in intake.students if keep(sid)]
            intake.problems = [(sid, msg) for sid, msg in intake.problems if keep(sid)]
        download_summary = None
        if intake.plan is not None:
            from .lms.download import summary
            download_summary = summary(intake.plan, submissions, course.assignment)
            say(download_summary)
        skipped = []
        if intake.problems:
            if not skip_invalid:
                raise GradingError("Submissions with problems (nothing was graded or recorded):\n"
                                   + format_problems(intake.problems)
                                   + "\nFix or remove them, or pass --skip-invalid (make grade SKIP_INVALID=1) "
                                     "to grade everyone else.")
            say("Skipping invalid submissions:\n" + format_problems(intake.problems))
            skipped = [(sid or "?", msg) for sid, msg in intake.problems]
        for note in intake.notes:
            say(f"note: {note}")
    except BaseException:
        intake.cleanup()
        raise
    return intake, skipped, download_summary


def roster_names(intake):
    """{student id: {first_name, last_name, email}} from an LMS download's roster (formgrader shows them;
    the roster's absentees show as not submitted)."""
    people = intake.plan.roster.people if intake.plan is not None else []
    return {p.student_id: {k: getattr(p, k) for k in ("first_name", "last_name", "email") if getattr(p, k)}
            for p in people}


def grade(course_dir=None, submissions=None, jobs=None, force=False, feedback=True, report=True,
          skip_invalid=False, assignment=None, csv_path=None, reports_dir=None, lms=None, due=None):
    """One grading run; returns the process exit code (0 ok, 1 some students not graded).

    ``lms`` (grader.lms.settings.LmsSettings) reads ``submissions`` as that LMS's download and
    writes the LMS's grade file; ``due`` sets the due date late penalties are measured from."""
    course = Course.open(course_dir, assignment)
    jobs = jobs or default_jobs()
    due = check_due(due)
    with course.lock():
        intake, skipped, download_summary = read_class(course, submissions, lms, due or course.due_date(),
                                                       skip_invalid)
        try:
            state = _load_state(course)
            course_hash = course.source_hash()
            course.prepare_gradebook(say)
            if due:
                course.set_due_date(due)
            install(intake, course)
        finally:
            intake.cleanup()
        recorded_due = course.due_date()
        if recorded_due:  # late penalties depend on it: a new due date re-grades everyone
            course_hash = f"{course_hash} due {recorded_due}"

        students = intake.students
        todo, hashes = _select(course, students, state, force, feedback, course_hash)
        if state.get("course") != course_hash:
            state = {"course": course_hash, "students": {}}
        from .recorder import add_students, record_result
        with course.gradebook() as gb:  # every submitting student is in the gradebook before grading starts
            add_students(course, gb, students, roster_names(intake))
        say(f"{len(students)} submissions: {len(todo)} to grade, {len(students) - len(todo)} unchanged"
            + (f"; {min(jobs, max(1, len(todo)))} worker(s)" if todo else ""))

        failed = []
        if todo:
            progress = Progress(len(todo))
            recorder = {}  # the gradebook connection opens after the workers have forked
            try:
                def on_result(result):
                    trace(result, progress.start)
                    if "gb" not in recorder:
                        recorder["gb"] = course.gradebook()
                    record_result(course, recorder["gb"], result)
                    if result["ok"]:
                        state.setdefault("students", {})[result["student"]] = hashes[result["student"]]
                    else:
                        state.setdefault("students", {}).pop(result["student"], None)
                        failed.append((result["student"], failure_reason(result)))
                    _save_state(course, state)
                    progress.step("" if result["ok"] else f"{result['student']} FAILED")
                run_workers(course, todo, jobs, feedback, on_result)
            finally:
                if "gb" in recorder:
                    recorder["gb"].close()
        else:
            _save_state(course, state)

        return write_outputs(course, failed, skipped, feedback=feedback, report=report, csv_path=csv_path,
                             reports_dir=reports_dir, lms=lms, download_summary=download_summary)


def write_outputs(course, failed, skipped, feedback=True, report=True, csv_path=None, reports_dir=None, lms=None,
                  download_summary=None):
    """grades.csv, the LMS's grade file, the class report, the feedback leak scan; returns the exit code."""
    csv_path = Path(csv_path) if csv_path else course.root / "grades.csv"
    from .report import export_csv, write_report
    export_csv(course, csv_path)
    say(f"wrote {csv_path}")
    if lms is not None:
        from .lms.gradefile import write_grade_file
        path, rows, graded, _ = write_grade_file(course, lms)
        say(f"wrote {path} ({lms.name}'s grade import: {graded} of {rows} students on the roster graded)")
    if report:
        from .report import DOWNLOAD_SUMMARY
        download = Path(reports_dir or course.reports_dir) / DOWNLOAD_SUMMARY
        download.parent.mkdir(parents=True, exist_ok=True)
        if download_summary:
            download.write_text(download_summary + "\n", encoding="utf-8")
        else:
            download.unlink(missing_ok=True)
        path, _ = write_report(course, reports_dir or course.reports_dir, failed=failed, skipped=skipped)
        say(f"wrote {path}")
    if feedback:
        from .feedback import find_leaks
        leaks, checked = find_leaks(course.source_dir, course.feedback_dir)
        if leaks:
            raise GradingError("Hidden test code found in feedback; do not send it:\n"
                               + "\n".join(f"  {p}: {line}" for p, line in leaks[:10]))
        say(f"feedback: {checked} HTML files in {course.feedback_dir}, no hidden test code")
    for sid, why in failed:
        say(f"NOT GRADED: {sid}: {why}")
    if failed or skipped:
        say(f"{len(failed)} failed, {len(skipped)} skipped: exit 1")
        return 1
    return 0
