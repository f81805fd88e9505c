"""One grading worker: stock nbgrader autograde (and feedback) in a private course copy.

For each student a worker process builds a *shard*: a temporary course folder with a copy of
``source/``, a copy of a gradebook snapshot, and that student's submission. In it, it runs
nbgrader's own ``Autograde`` converter, unchanged and with the course's
nbgrader_config.py, so sanitizing (restoring test cells from the gradebook), execution,
IgnorePattern, SaveAutoGrades and late penalties all happen exactly as in
``nbgrader autograde --student <sid>``. The worker then reads back what nbgrader wrote
into its own copy of the gradebook and returns it as plain data: the recorder in the
parent process is the only writer of the real gradebook.
"""
import copy
import io
import logging
import os
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

_STATE = {}


def init_worker(root, assignment, snapshot, shard_base, feedback, submitted):
    """Process-pool initializer: load the course config once; keep kernel chatter in a log file.

    ``submitted`` holds ``<student>/<assignment>/``: the course's submitted/, or a shard's own intake."""
    from .course import load_nbgrader_config

    # Kernels inherit this process's stdout/stderr; keep their chatter out of the progress line.
    log_file = open(Path(shard_base) / f"worker-{os.getpid()}.log", "a", buffering=1)
    os.dup2(log_file.fileno(), 1)
    os.dup2(log_file.fileno(), 2)
    sys.stdout = sys.stderr = log_file
    _STATE.update(root=Path(root), assignment=assignment, base=Path(shard_base), config=load_nbgrader_config(root),
                  feedback=feedback, snapshot=snapshot, submitted=Path(submitted))


def _logger(sid):
    stream = io.StringIO()
    logger = logging.getLogger(f"grader.worker.{os.getpid()}.{sid}")
    logger.handlers[:] = []
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("[%(levelname)s] %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return logger, stream


def read_record(db_url, course_id, assignment, sid):
    """What autograde recorded for one submission, as plain data (see recorder.apply_record)."""
    from nbgrader.api import Gradebook, MissingEntry
    with Gradebook(db_url, course_id) as gb:
        try:
            sub = gb.find_submission(assignment, sid)
        except MissingEntry:
            return None
        record = {"timestamp": sub.timestamp, "notebooks": {}}
        for nb in sub.notebooks:
            record["notebooks"][nb.name] = {
                "late_submission_penalty": nb.late_submission_penalty,
                "grades": {g.name: (g.auto_score, g.needs_manual_grade) for g in nb.grades},
                "comments": {c.name: c.auto_comment for c in nb.comments},
            }
        return record


def grade_student(sid):
    """Autograde (and give feedback to) one student in this worker's shard; return plain data."""
    from nbgrader.converters import Autograde, GenerateFeedback
    from nbgrader.coursedir import CourseDirectory

    st = _STATE
    aid = st["assignment"]
    started = time.perf_counter()
    # Every student gets a pristine course folder of its own (a copy of source/ and of the
    # gradebook snapshot): student code runs inside it and could write there; nothing carries
    # over to the next student. The recorder deletes it once the results are recorded.
    shard = Path(tempfile.mkdtemp(prefix=f"{sid}-", dir=st["base"]))
    config = copy.deepcopy(st["config"])
    config.CourseDirectory.root = str(shard)
    config.Exchange.root = str(shard / "exchange")
    config.CourseDirectory.db_url = f"sqlite:///{shard / 'gradebook.db'}"
    shutil.copytree(st["root"] / "source" / aid, shard / "source" / aid,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copyfile(st["snapshot"], shard / "gradebook.db")
    shutil.copytree(st["submitted"] / sid / aid, shard / "submitted" / sid / aid,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    logger, stream = _logger(sid)
    result = {"student": sid, "ok": True, "error": "", "feedback": False, "pid": os.getpid(), "workdir": str(shard)}

    def coursedir(cfg):
        cd = CourseDirectory(config=cfg)
        cd.assignment_id = aid
        cd.student_id = sid
        return cd

    try:
        converter = Autograde(coursedir=coursedir(config), config=config, log=logger)
        converter.force = True
        converter.start()
    except BaseException as exc:  # nbgrader logged the reason; keep its lines
        result["ok"] = False
        if not isinstance(exc, Exception):
            raise
        result["error"] = f"{type(exc).__name__}: {exc}"
    result["autograde_seconds"] = time.perf_counter() - started

    result["record"] = read_record(config.CourseDirectory.db_url, config.CourseDirectory.get("course_id", ""),
                                   aid, sid)
    # Read the submission without running it: exercises (or whole notebooks) whose code reaches for
    # what grading relies on are held (0 points, needs manual grading) until a grader looks (integrity.py).
    from .integrity import held, hold, inspect_submission
    findings = inspect_submission(st["submitted"] / sid / aid, shard / "source" / aid)
    result["findings"] = findings
    scope = held(findings)
    if scope and result["record"] is not None:
        hold(result["record"], scope)
        logger.warning("held for review (0 points until a grader looks): " + ", ".join(
            nb if exercises is None else f"{nb} ({', '.join(sorted(exercises))})" for nb, exercises in scope.items()))
    autograded = shard / "autograded" / sid / aid
    result["autograded"] = str(autograded) if result["ok"] and autograded.is_dir() else None

    if result["ok"] and st["feedback"]:
        try:
            # nbgrader_config.py adds HideHiddenTests to GenerateFeedback, and every page is
            # scanned for hidden test code after grading (feedback.find_leaks).
            converter = GenerateFeedback(coursedir=coursedir(config), config=config, log=logger)
            converter.force = True
            converter.start()
            result["feedback"] = str(shard / "feedback" / sid / aid)
        except Exception as exc:
            result["ok"] = False
            result["error"] = f"feedback failed: {type(exc).__name__}: {exc}"
            logger.error(traceback.format_exc())
    result["seconds"] = time.perf_counter() - started
    result["log"] = stream.getvalue()
    return result
