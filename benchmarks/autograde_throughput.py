"""Autograde throughput: stock sequential ``nbgrader autograde`` against ``python -m grader``.

    .venv/bin/python benchmarks/autograde_throughput.py               # 40 students, all cores
    .venv/bin/python benchmarks/autograde_throughput.py --students 10 --jobs 2 --with-feedback

Builds N submissions from release/ and source/ (mixed: perfect, partial, blank, tampered;
see grader/samples.py), records the assignment once with stock generate_assignment,
then grades the same submissions in two identical course copies:

  stock     nbgrader autograde <assignment>                  (one process, one student after another)
  pipeline  python -m grader grade --no-feedback --no-report --jobs J
            (with --with-feedback: stock autograde + generate_feedback against the full pipeline)

and prints both wall times, their ratio, the cost per notebook, whether every score
(auto score, needs-manual flag, comment, late penalty of every cell of every student)
matched, and a profile of where one notebook's grading time goes.
Only notebooks present in both source/ and release/ are used.
"""
import argparse
import cProfile
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader.lessons import default_assignment  # noqa: E402

ASSIGNMENT = default_assignment()
from grader.compare import differences, gradebook_rows, make_course_copy, nbgrader_env, run_stock  # noqa: E402
from grader.course import load_nbgrader_config  # noqa: E402
from grader.pipeline import default_jobs  # noqa: E402
from grader.samples import build_class, mixed_class  # noqa: E402


def timed(label, func):
    start = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - start
    print(f"  {label:<46} {seconds:8.1f} s", flush=True)
    return result, seconds


def check(proc, what):
    if proc.returncode != 0:
        print(proc.stdout[-3000:], proc.stderr[-3000:], sep="\n", file=sys.stderr)
        raise SystemExit(f"{what} failed with exit code {proc.returncode}")


def profile_one(course_root, students):
    """Where the time of stock autograde goes, in-process, for a few students."""
    import logging

    from nbgrader.converters import Autograde
    from nbgrader.coursedir import CourseDirectory

    config = load_nbgrader_config(course_root)
    log = logging.getLogger("bench")
    log.addHandler(logging.NullHandler())
    log.propagate = False
    prof = cProfile.Profile()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)  # kernels' start-up chatter
    start = time.perf_counter()
    for sid in students:
        cd = CourseDirectory(config=config)
        cd.assignment_id, cd.student_id = ASSIGNMENT, sid
        conv = Autograde(coursedir=cd, config=config, log=log)
        conv.force = True
        prof.enable()
        conv.start()
        prof.disable()
    wall = time.perf_counter() - start
    os.dup2(saved, 2)
    stats = pstats.Stats(prof).stats
    def cum(fragment, name):
        return sum(v[3] for (file, _, func), v in stats.items() if fragment in file and func == name)
    kernel = cum("nbclient/client.py", "async_setup_kernel") or cum("nbclient/client.py", "setup_kernel")
    shutdown = cum("nbclient/client.py", "_async_cleanup_kernel")
    cells = cum("nbconvert/preprocessors/execute.py", "preprocess_cell")
    save = cum("nbgrader/preprocessors/saveautogrades.py", "preprocess")
    overwrite = cum("nbgrader/preprocessors/overwritecells.py", "preprocess")
    init = cum("nbgrader/converters/autograde.py", "init_assignment")
    return wall, {"kernel start (setup_kernel)": kernel, "kernel shutdown": shutdown,
                  "cell execution (incl. the notebooks' own imports)": cells,
                  "database: SaveAutoGrades": save, "database: OverwriteCells (sanitize)": overwrite,
                  "database: init_assignment (student, submission)": init}


def import_cost():
    def run(code):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env=nbgrader_env())
        return time.perf_counter() - start
    base = run("pass")
    return {"python start": base,
            "import nbgrader (the command's start)": run("import nbgrader.apps, nbgrader.converters") - base,
            "kernel-side imports (numpy, matplotlib, ipywidgets, course)":
                run("import numpy, matplotlib, matplotlib.figure, ipywidgets, course.checks, course.plots") - base}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--with-feedback", action="store_true",
                        help="compare stock autograde+generate_feedback with the full pipeline (feedback, csv, report)")
    parser.add_argument("--keep", default=None, help="keep the two course copies in this folder")
    parser.add_argument("--no-profile", action="store_true")
    args = parser.parse_args()

    notebooks = sorted({p.stem for p in (ROOT / "release" / ASSIGNMENT).glob("*.ipynb")}
                       & {p.stem for p in (ROOT / "source" / ASSIGNMENT).glob("*.ipynb")})
    load_before = os.getloadavg()
    work = Path(args.keep or tempfile.mkdtemp(prefix="hnl-bench-"))
    if args.keep and work.exists():
        shutil.rmtree(work)
    stock, ours = work / "stock", work / "pipeline"
    print(f"{args.students} students x {len(notebooks)} notebooks ({', '.join(notebooks)}), "
          f"pipeline jobs={args.jobs}, cores={os.cpu_count()}, load average before: "
          f"{' '.join(f'{x:.2f}' for x in load_before)}")
    for course in (stock, ours):
        make_course_copy(ROOT, course, ASSIGNMENT, notebooks)
    build_class(stock / "submitted", stock / "release" / ASSIGNMENT, stock / "source" / ASSIGNMENT,
                mixed_class(args.students))
    shutil.copytree(stock / "submitted", ours / "submitted")
    proc, _ = timed("setup: stock generate_assignment (not counted)",
                    lambda: run_stock(stock, "generate_assignment", ASSIGNMENT, "--force"))
    check(proc, "generate_assignment")
    shutil.copy(stock / "gradebook.db", ours / "gradebook.db")

    print("timing:")
    proc, t_stock = timed("stock: nbgrader autograde (sequential)", lambda: run_stock(stock, "autograde", ASSIGNMENT))
    check(proc, "stock autograde")
    if args.with_feedback:
        proc, t_fb = timed("stock: nbgrader generate_feedback",
                           lambda: run_stock(stock, "generate_feedback", ASSIGNMENT))
        check(proc, "stock generate_feedback")
        t_stock += t_fb
    cmd = [sys.executable, "-m", "grader", "grade", "--course-dir", str(ours), "--jobs", str(args.jobs)]
    if not args.with_feedback:
        cmd += ["--no-feedback", "--no-report"]
    proc, t_ours = timed(f"pipeline: grader --jobs {args.jobs}"
                         + (" (full)" if args.with_feedback else " (--no-feedback --no-report)"),
                         lambda: subprocess.run(cmd, cwd=ROOT, env=nbgrader_env(), capture_output=True, text=True))
    check(proc, "pipeline")

    course_id = load_nbgrader_config(stock).CourseDirectory.get("course_id", "")
    rows_stock, totals_stock = gradebook_rows(f"sqlite:///{stock / 'gradebook.db'}", course_id, ASSIGNMENT)
    rows_ours, totals_ours = gradebook_rows(f"sqlite:///{ours / 'gradebook.db'}", course_id, ASSIGNMENT)
    diffs = differences(rows_stock, rows_ours)
    n_nb = args.students * len(notebooks)
    load_after = os.getloadavg()
    print("results:")
    print(f"  stock wall time      {t_stock:8.1f} s   ({t_stock / n_nb:.2f} s per notebook)")
    print(f"  pipeline wall time   {t_ours:8.1f} s   ({t_ours / n_nb:.2f} s per notebook)")
    print(f"  speed-up             {t_stock / t_ours:8.2f} x   (jobs={args.jobs})")
    print(f"  scores matched       {'yes' if not diffs and totals_stock == totals_ours else 'NO'}: "
          f"{len(rows_stock)} gradebook values over {len(totals_stock)} students, {len(diffs)} differ")
    for key, a, b in diffs[:10]:
        print(f"    {key}: stock={a} pipeline={b}")
    print(f"  load average after   {' '.join(f'{x:.2f}' for x in load_after)}"
          + ("   (machine was loaded by other work: timings are pessimistic)" if load_before[0] > 0.5 else ""))

    if not args.no_profile:
        sample = sorted(totals_stock)[:3]
        wall, parts = profile_one(stock, sample)
        per = wall / (len(sample) * len(notebooks))
        print(f"where one notebook's time goes (stock converter in-process, {len(sample)} students, "
              f"{per:.2f} s per notebook):")
        for label, seconds in parts.items():
            print(f"  {label:<52} {seconds / (len(sample) * len(notebooks)):6.2f} s  ({100 * seconds / wall:4.0f}%)")
        for label, seconds in import_cost().items():
            print(f"  {label:<52} {seconds:6.2f} s  (once per process / per kernel)")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if not diffs and totals_stock == totals_ours else 1


if __name__ == "__main__":
    sys.exit(main())
