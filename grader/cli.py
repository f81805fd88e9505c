"""``python -m grader``: grade a class, check the course, rebuild the report, check feedback.

Exit codes: 0 done; 1 some submissions could not be graded (the rest were); 2 bad input or a
broken course (nothing recorded); 3 an unexpected error; 130 interrupted.
"""
import argparse
import os
import sys

from .errors import GradingError

COMMANDS = ("grade", "record", "check", "report", "grades", "verify-feedback", "backup", "restore")
LMS_CHOICES = ("canvas", "moodle", "blackboard")  # grader/lms; "nbgrader" is nbgrader's own layout


def _parser():
    parser = argparse.ArgumentParser(
        prog="python -m grader",
        description="Grade How Networks Learn submissions with nbgrader, in parallel. See docs/grading.md.")
    parser.add_argument("--debug", action="store_true", help="show a traceback on unexpected errors")
    sub = parser.add_subparsers(dest="command")

    def lms_options(p, required=False):
        choices = LMS_CHOICES if required else ("nbgrader", *LMS_CHOICES)
        p.add_argument("--lms", choices=choices, default=None if required else "nbgrader",
                       required=required, help="whose download SUBMISSIONS is and whose grade file to write "
                                               "(default nbgrader's own layout)")
        p.add_argument("--roster", default=None,
                       help="CSV: lms_id,student_id[,first_name,last_name,email,login,sis_id,section]")
        p.add_argument("--lms-column", default=None,
                       help="the grade column's name in the LMS (Canvas 'Title (id)', Blackboard 'Name |id')")
        p.add_argument("--worksheet", default=None,
                       help="Moodle's grading worksheet as downloaded: submission times, and the rows to fill")
        p.add_argument("--lms-timezone", default="UTC",
                       help="the LMS's clock for times written without a zone (Blackboard names, Moodle's worksheet)")

    def common(p):
        p.add_argument("--course-dir", default=None,
                       help="course folder holding nbgrader_config.py (default: cwd, else this repository)")
        p.add_argument("--assignment", default=None,
                       help="assignment id, a folder of source/ (default: the one the course starts with)")

    g = sub.add_parser("grade", help="autograde, record, feedback, grades.csv, class report (default)")
    common(g)
    g.add_argument("--submissions", "-s", default=os.environ.get("SUBMISSIONS") or None,
                   help="folder (submitted/<student>/<assignment>/*.ipynb layout) or LMS .zip; "
                        "default: the course's submitted/")
    g.add_argument("--jobs", "-j", type=int, default=None, help="parallel workers (default: all cores)")
    g.add_argument("--force", action="store_true", help="re-grade every submission, changed or not")
    g.add_argument("--skip-invalid", action="store_true",
                   help="grade the valid submissions and list the invalid ones (exit 1) instead of stopping")
    g.add_argument("--no-feedback", dest="feedback", action="store_false", help="skip feedback HTML")
    g.add_argument("--no-report", dest="report", action="store_false", help="skip the class report")
    g.add_argument("--no-sandbox", dest="sandbox", action="store_false",
                   help="run student code WITHOUT the bubblewrap sandbox (machines without bwrap; unsafe)")
    g.add_argument("--csv", default=None, help="where to write grades.csv (default: <course>/grades.csv)")
    lms_options(g)
    g.add_argument("--due", default=None,
                   help="the assignment's due date for late penalties, e.g. '2026-11-20 23:59:00 UTC' "
                        "(default: the one in the gradebook; a shard reads no gradebook, so give it)")
    g.add_argument("--shard", default=None, metavar="K/N",
                   help="grade only shard K of N of the class (a CI matrix job) into --bundle; the gradebook is "
                        "not touched: `record` merges the bundles")
    g.add_argument("--bundle", default=None,
                   help="the folder a shard writes (default <course>/bundles/<assignment>/shard-K-of-N)")

    rec = sub.add_parser("record", help="merge shard bundles into the gradebook (its only writer), then "
                                        "grades.csv, the report and the feedback check")
    common(rec)
    rec.add_argument("bundles", nargs="+", help="bundle folders, or folders holding them (downloaded artefacts)")
    rec.add_argument("--no-report", dest="report", action="store_false", help="skip the class report")
    rec.add_argument("--csv", default=None, help="where to write grades.csv (default: <course>/grades.csv)")

    c = sub.add_parser("check", help="prove the course grades right: source full marks, release zero")
    common(c)
    c.add_argument("--jobs", "-j", type=int, default=None)

    r = sub.add_parser("report", help="rebuild reports/<assignment>/class_report.html and grades.csv "
                                      "from the gradebook")
    common(r)

    gf = sub.add_parser("grades", help="write the grade file an LMS imports, from the gradebook")
    common(gf)
    lms_options(gf, required=True)
    gf.add_argument("--out", default=None, help="where to write it (default <course>/grades_<lms>_<assignment>.csv)")

    b = sub.add_parser("backup", help="copy gradebook.db to backups/ (SQLite online backup; safe while in use)")
    common(b)
    b.add_argument("--to", default=None, help="where to write the copy (default backups/gradebook-<time>.db)")

    rs = sub.add_parser("restore", help="replace gradebook.db with a backup (the current one is backed up first)")
    common(rs)
    rs.add_argument("backup_file", help="a gradebook backup made by `backup`")

    v = sub.add_parser("verify-feedback", help="exit 1 if any feedback HTML shows hidden test code")
    common(v)
    return parser


def _lms(args):
    """LmsSettings from the command line, or None for nbgrader's own layout."""
    if args.lms in (None, "nbgrader"):
        return None
    from .lms.settings import LmsSettings
    return LmsSettings(args.lms, args.roster, args.lms_column, args.worksheet, args.lms_timezone)


def _run(args):
    if args.command == "record":
        from .bundles import record
        return record(args.course_dir, args.bundles, assignment=args.assignment, report=args.report,
                      csv_path=args.csv)
    if args.command == "grade":
        if not args.sandbox:
            from .sandbox import OPT_OUT_ENV
            os.environ[OPT_OUT_ENV] = "1"  # read by the workers' kernels (and logged loudly)
        if args.shard or args.bundle:
            if not args.shard:
                raise GradingError("--bundle is where a shard writes: give --shard K/N too (e.g. --shard 1/1).")
            from .shards import grade_shard
            return grade_shard(args.course_dir, args.submissions, args.shard, args.bundle, jobs=args.jobs,
                               feedback=args.feedback, skip_invalid=args.skip_invalid, assignment=args.assignment,
                               lms=_lms(args), due=args.due)
        from .pipeline import grade
        return grade(args.course_dir, args.submissions, jobs=args.jobs, force=args.force, feedback=args.feedback,
                     report=args.report, skip_invalid=args.skip_invalid, assignment=args.assignment,
                     csv_path=args.csv, lms=_lms(args), due=args.due)
    if args.command == "check":
        from .selfcheck import check_course
        return check_course(args.course_dir, args.assignment, jobs=args.jobs)
    from .course import Course
    course = Course.open(args.course_dir, args.assignment)
    if args.command in ("backup", "restore"):
        from . import backup
        if args.command == "backup":
            print(f"gradebook backed up to {backup.backup(course, args.to)}", file=sys.stderr)
        else:
            safety = backup.restore(course, args.backup_file)
            print(f"gradebook restored from {args.backup_file}"
                  + (f" (the previous one is kept as {safety})" if safety else ""), file=sys.stderr)
        return 0
    if args.command == "grades":
        from .lms.gradefile import write_grade_file
        path, rows, graded, unknown = write_grade_file(course, _lms(args), args.out)
        print(f"wrote {path}: {graded} of {rows} students on the roster graded", file=sys.stderr)
        if unknown:
            print(f"not on the roster, so not in the file: {', '.join(unknown)}", file=sys.stderr)
        return 0
    if args.command == "report":
        from .report import export_csv, write_report
        export_csv(course, course.root / "grades.csv")
        path, _ = write_report(course, course.reports_dir)
        print(f"wrote {course.root / 'grades.csv'} and {path}", file=sys.stderr)
        return 0
    from .feedback import find_leaks
    leaks, checked = find_leaks(course.source_dir, course.feedback_dir)
    for page, line in leaks:
        print(f"LEAK {page}: {line}", file=sys.stderr)
    if checked == 0:
        print(f"no feedback HTML under {course.feedback_dir}", file=sys.stderr)
        return 1
    print(f"{checked} feedback files checked: {'hidden test code FOUND' if leaks else 'no hidden test code'}",
          file=sys.stderr)
    return 1 if leaks else 0


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    flags = [a for a in argv if a == "--debug"]
    rest = [a for a in argv if a != "--debug"]
    if not rest or (rest[0] not in COMMANDS and rest[0] not in ("-h", "--help")):
        rest = ["grade"] + rest
    args = _parser().parse_args(flags + rest)
    try:
        if getattr(args, "jobs", None) is not None and args.jobs < 1:
            raise GradingError("--jobs must be at least 1")
        return _run(args)
    except GradingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # never a bare traceback for the instructor
        if args.debug:
            raise
        print(f"error: unexpected {type(exc).__name__}: {exc}\n(re-run with --debug for the traceback)",
              file=sys.stderr)
        return 3
