"""``grade --shard K/N``: grade one deterministic part of a class into a bundle, never the gradebook.

A student belongs to shard ``sha256(student id) mod N + 1``: the same shard on every re-run and
however many students join later, with no list to keep in step between machines. Each shard is
a CI matrix job (docs/grading.md): it reads the whole download, keeps its own students, grades them
with the same workers as ``make grade`` against a private gradebook made from source/, and writes a
bundle (grader/bundles.py) that ``record`` later merges into the gradebook.
"""
import hashlib
import re
import shutil
import tempfile
import time
from pathlib import Path

from . import bundles
from .course import Course
from .errors import GradingError
from .pipeline import (
    Progress,
    check_due,
    default_jobs,
    failure_reason,
    read_class,
    roster_names,
    run_workers,
    say,
    trace,
)


def parse_shard(text):
    """``"2/3"`` -> (2, 3); a clear error otherwise."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", str(text))
    if not match or not 1 <= int(match[1]) <= int(match[2]):
        raise GradingError(f"--shard '{text}' is not K/N with 1 <= K <= N, e.g. --shard 2/3 (the second of three).")
    return int(match[1]), int(match[2])


def shard_of(sid, shards):
    """The shard (1..shards) that grades student ``sid``."""
    return int.from_bytes(hashlib.sha256(sid.encode()).digest()[:8], "big") % shards + 1


def default_bundle(course, k, n):
    return course.root / "bundles" / course.assignment / f"shard-{k}-of-{n}"


def grade_shard(course_dir=None, submissions=None, shard="1/1", bundle=None, jobs=None, feedback=True,
                skip_invalid=False, assignment=None, lms=None, due=None):
    """Grade shard ``K/N`` of the class into the folder ``bundle``; returns the exit code (1: some failed)."""
    k, n = parse_shard(shard)
    course = Course.open(course_dir, assignment)
    jobs = jobs or default_jobs()
    due = check_due(due)
    bundle = Path(bundle) if bundle else default_bundle(course, k, n)
    bundles.check_target(bundle)
    # Problems no student owns (a stray file at the top of the download) are reported by shard 1.
    intake, skipped, _ = read_class(course, submissions, lms, due, skip_invalid,
                                    keep=lambda sid: shard_of(sid, n) == k if sid else k == 1)
    bundle.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{bundle.name}-", dir=bundle.parent))
    try:
        from .intake import submission_hash
        students = intake.students
        say(f"shard {k}/{n}: {len(students)} students to grade into {bundle}"
            + (f"; {min(jobs, max(1, len(students)))} worker(s)" if students else ""))
        results = {}
        started = time.perf_counter()
        if students:
            progress = Progress(len(students))

            def on_result(result):
                trace(result, progress.start)
                results[result["student"]] = bundles.keep_result(work, course, result,
                                                                 submission_hash(course, result["student"],
                                                                                 intake.layout_root),
                                                                 None if result["ok"] else failure_reason(result))
                progress.step("" if result["ok"] else f"{result['student']} FAILED")

            run_workers(course, students, jobs, feedback, on_result, submitted=intake.layout_root, fresh=True,
                        due=due)
        bundles.finish(work, bundle, course, shard=(k, n), due=due, results=results, skipped=skipped,
                       names=roster_names(intake), seconds=time.perf_counter() - started)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    finally:
        intake.cleanup()
    failed = [sid for sid, r in results.items() if not r["ok"]]
    for sid in failed:
        say(f"NOT GRADED: {sid}: {results[sid]['reason']}")
    say(f"wrote bundle {bundle}: {len(results) - len(failed)} graded, {len(failed)} failed, {len(skipped)} skipped")
    return 1 if failed or skipped else 0
