"""Autograde throughput: the stock nbgrader workflow against ``python -m grader grade``.

    .venv/bin/python benchmarks/autograde_throughput.py                  # 20 students, jobs 1 and all cores
    .venv/bin/python benchmarks/autograde_throughput.py --students 10 --jobs 2
    .venv/bin/python benchmarks/autograde_throughput.py --per-notebook   # one notebook's cost, lesson by lesson

Builds N submissions from release/ and source/ (mixed: perfect, partial, blank, tampered;
see tests/support/samples.py), records the assignment once with stock generate_assignment, then
produces grades, feedback HTML and a grades CSV from the same submissions in identical course
copies, side by side in one run:

  stock, no sandbox     nbgrader autograde + generate_feedback + export, with nbgrader's own Execute
  stock, sandboxed      the same three commands with the course's nbgrader_config.py: the sandboxed
                        kernel, a fresh sandbox and interpreter per notebook (warm kernels off)
  stock, warm sandbox   the course's nbgrader_config.py as it is (warm sandboxed kernels)
  no stand-in           not stock: "no sandbox" with nbclient's Output-widget stand-in off (--no-stalls)
  pipeline, jobs J      python -m grader grade --jobs J (also the class report), for each J of --jobs

and prints each wall time, the cost per notebook, the ratio against the first two, whether every
score (auto score, needs-manual flag, comment, late penalty of every cell of every student)
matches stock sandboxed, and a profile of where one notebook's grading time goes.

Every variant runs under nbgrader, which sets NBGRADER_EXECUTION, so none draws the lessons'
pictures (course/plots.py). nbgrader's own Execute also plays the browser's part for Output
widgets, which with ipykernel 7 now and then stalls a cell for ~30 s (jupyter/nbclient#312):
that is part of what the stock, unsandboxed workflow costs, and makes it the noisiest figure;
--no-stalls also runs it without the stand-in, to show that share.
Only notebooks present in both source/ and release/ are used.

``--per-notebook`` measures instead what grading one solved notebook costs, lesson by lesson
(default: lesson 05 and every notebook of networks_at_work, whose target is at most twice lesson
05's): stock Autograde in-process with the course's config (warm sandbox, confirmations), one
student at a time, the first student left out (it starts the sandbox), the median of the rest.
"""
import argparse
import cProfile
import multiprocessing
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader.lessons import all_notebooks, default_assignment  # noqa: E402

ASSIGNMENT = default_assignment()
from grader.course import load_nbgrader_config  # noqa: E402
from grader.pipeline import default_jobs  # noqa: E402
from tests.support.compare import differences, gradebook_rows, make_course_copy, nbgrader_env, run_stock  # noqa: E402
from tests.support.samples import build_class, mixed_class  # noqa: E402


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


def autograde_in_process(course_root, assignment, students, prof=None):
    """Stock Autograde of each student in this process (the course's config); the seconds of each."""
    import logging

    from nbgrader.converters import Autograde
    from nbgrader.coursedir import CourseDirectory

    config = load_nbgrader_config(course_root)
    log = logging.getLogger("bench")
    log.addHandler(logging.NullHandler())
    log.propagate = False
    saved, devnull, cwd = os.dup(2), os.open(os.devnull, os.O_WRONLY), os.getcwd()
    os.dup2(devnull, 2)  # kernels' start-up chatter
    os.chdir(course_root)
    seconds = []
    try:
        for sid in students:
            cd = CourseDirectory(config=config)
            cd.assignment_id, cd.student_id = assignment, sid
            conv = Autograde(coursedir=cd, config=config, log=log)
            conv.force = True
            start = time.perf_counter()
            if prof:
                prof.enable()
            conv.start()
            if prof:
                prof.disable()
            seconds.append(time.perf_counter() - start)
    finally:
        os.chdir(cwd)
        os.dup2(saved, 2)
        os.close(devnull)
    return seconds


PER_NOTEBOOK = ["05_training_loop", "07_layers_as_matrices", "08_classification", "09_reading_digits"]


def per_notebook_cost(stems, students, work):
    """Print the median seconds stock autograde takes for one solved notebook of each lesson in ``stems``."""
    where = all_notebooks(ROOT)
    print(f"grading one solved notebook, lesson by lesson ({students} students each, the first left out; "
          f"cores={os.cpu_count()}, load average {os.getloadavg()[0]:.2f}):")
    costs = {}
    for stem in stems:
        assignment = where[stem]
        course = make_course_copy(ROOT, work / stem, assignment, [stem])
        build_class(course / "submitted", course / "release" / assignment, course / "source" / assignment,
                    {f"student{i:02d}": "perfect" for i in range(students)})
        check(run_stock(course, "generate_assignment", assignment, "--force"), "generate_assignment")
        # A process of its own for each lesson: the warm sandbox belongs to the first course a process grades.
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
            seconds = pool.submit(autograde_in_process, course, assignment,
                                  sorted(os.listdir(course / "submitted"))).result()
        seconds = sorted(seconds[1:])
        costs[stem] = seconds[len(seconds) // 2]
        print(f"  {stem:<24} {costs[stem]:6.2f} s  (min {seconds[0]:.2f}, max {seconds[-1]:.2f})", flush=True)
    base = costs.get(PER_NOTEBOOK[0])
    if base:
        for stem, cost in costs.items():
            print(f"  {stem:<24} {cost / base:6.2f}x lesson 05" + ("" if cost <= 2 * base else "   ABOVE 2x"))
    return 0 if not base or all(cost <= 2 * base for cost in costs.values()) else 1


def profile_one(course_root, students):
    """Where the time of stock autograde goes, in-process, for a few students."""
    prof = cProfile.Profile()
    start = time.perf_counter()
    autograde_in_process(course_root, ASSIGNMENT, students, prof)
    wall = time.perf_counter() - start
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


STOCK_STEPS = (("autograde", ASSIGNMENT), ("generate_feedback", ASSIGNMENT), ("export", "--to", "grades.csv"))
# nbgrader's own Execute and autograde pipeline: what an instructor has without this course's grader.
UNSANDBOXED = ("\n# benchmark: nbgrader's own autograde preprocessors (its Execute, no sandbox, no confirmation)\n"
               "c.Autograde.autograde_preprocessors = Autograde.autograde_preprocessors.default()\n")
COLD = "\n# benchmark: a new sandbox and interpreter for every notebook\nc.SandboxedExecute.warm_kernels = False\n"
# Not stock: nbgrader's Execute without nbclient's Output-widget stand-in, to show what share of
# the stock figure is the ~30 s stalls it causes (jupyter/nbclient#312).
NO_STALLS = UNSANDBOXED + """
class ExecuteWithoutOutputWidgets(Execute):
    def on_comm_open_jupyter_widget(self, msg):
        return None


c.Autograde.autograde_preprocessors = [ExecuteWithoutOutputWidgets if p is Execute else p
                                       for p in Autograde.autograde_preprocessors.default()]
"""
PLAIN, SANDBOXED, WARM = ("stock, nbgrader's Execute (no sandbox)", "stock, sandboxed kernel (cold)",
                          "stock, warm sandboxed kernel (the config)")
QUIET = "no sandbox, no Output stand-in (not stock)"


def stock_workflow(course, label):
    """The stock commands that give what `grader grade` gives: autograde, feedback, grades CSV."""
    total = 0.0
    for step in STOCK_STEPS:
        proc, seconds = timed(f"{label}: nbgrader {step[0]}", lambda step=step: run_stock(course, *step))
        check(proc, f"{label} {step[0]}")
        total += seconds
    return total


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--jobs", default=",".join(sorted({"1", str(default_jobs())})),
                        help="comma-separated worker counts for the pipeline (default: 1 and all cores)")
    parser.add_argument("--keep", default=None, help="keep the course copies in this folder")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--no-stalls", action="store_true",
                        help="also time the unsandboxed stock workflow without nbclient's Output-widget stand-in")
    parser.add_argument("--per-notebook", nargs="?", const=",".join(PER_NOTEBOOK), default=None,
                        metavar="NB,NB", help="only the cost of one solved notebook per lesson (default: "
                        "lesson 05 and networks_at_work's)")
    args = parser.parse_args()
    jobs = [int(j) for j in args.jobs.split(",")]
    if args.per_notebook:
        work = Path(tempfile.mkdtemp(prefix="hnl-bench-"))
        try:
            return per_notebook_cost(args.per_notebook.split(","), max(args.students // 2, 4), work)
        finally:
            shutil.rmtree(work, ignore_errors=True)

    notebooks = sorted({p.stem for p in (ROOT / "release" / ASSIGNMENT).glob("*.ipynb")}
                       & {p.stem for p in (ROOT / "source" / ASSIGNMENT).glob("*.ipynb")})
    load_before = os.getloadavg()
    work = Path(args.keep or tempfile.mkdtemp(prefix="hnl-bench-"))
    if args.keep and work.exists():
        shutil.rmtree(work)
    stock, plain, warm = work / "stock-sandboxed", work / "stock-unsandboxed", work / "stock-warm"
    quiet = work / "unsandboxed-no-stand-in" if args.no_stalls else None
    ours = {j: work / f"pipeline-jobs{j}" for j in jobs}
    print(f"{args.students} students x {len(notebooks)} notebooks ({', '.join(notebooks)}), "
          f"pipeline jobs {', '.join(map(str, jobs))}, cores={os.cpu_count()}, load average before: "
          f"{' '.join(f'{x:.2f}' for x in load_before)}")
    extra = [quiet] if quiet else []
    for course in (stock, plain, warm, *extra, *ours.values()):
        make_course_copy(ROOT, course, ASSIGNMENT, notebooks)
    if quiet:
        with open(quiet / "nbgrader_config.py", "a") as handle:
            handle.write(NO_STALLS)
    with open(plain / "nbgrader_config.py", "a") as handle:
        handle.write(UNSANDBOXED)
    with open(stock / "nbgrader_config.py", "a") as handle:
        handle.write(COLD)
    build_class(stock / "submitted", stock / "release" / ASSIGNMENT, stock / "source" / ASSIGNMENT,
                mixed_class(args.students))
    proc, _ = timed("setup: stock generate_assignment (not counted)",
                    lambda: run_stock(stock, "generate_assignment", ASSIGNMENT, "--force"))
    check(proc, "generate_assignment")
    for course in (plain, warm, *extra, *ours.values()):
        shutil.copytree(stock / "submitted", course / "submitted")
        shutil.copy(stock / "gradebook.db", course / "gradebook.db")

    print("timing (each the whole workflow: autograde, feedback HTML, a grades CSV):")
    times = {PLAIN: stock_workflow(plain, "stock unsandboxed"), SANDBOXED: stock_workflow(stock, "stock sandboxed"),
             WARM: stock_workflow(warm, "stock warm sandboxed")}
    if quiet:
        times[QUIET] = stock_workflow(quiet, "no sandbox, no stand-in")
    for j, course in ours.items():
        cmd = [sys.executable, "-m", "grader", "grade", "--course-dir", str(course), "--jobs", str(j)]
        proc, times[f"python -m grader grade --jobs {j}"] = timed(
            f"pipeline: grader grade --jobs {j} (feedback, csv, report)",
            lambda cmd=cmd: subprocess.run(cmd, cwd=ROOT, env=nbgrader_env(), capture_output=True, text=True))
        check(proc, f"pipeline --jobs {j}")

    course_id = load_nbgrader_config(stock).CourseDirectory.get("course_id", "")
    reference = gradebook_rows(f"sqlite:///{stock / 'gradebook.db'}", course_id, ASSIGNMENT)
    matched = {}
    for label, course in [(PLAIN, plain), (WARM, warm), *([(QUIET, quiet)] if quiet else []),
                          *[(f"python -m grader grade --jobs {j}", c) for j, c in ours.items()]]:
        rows, totals = gradebook_rows(f"sqlite:///{course / 'gradebook.db'}", course_id, ASSIGNMENT)
        diffs = differences(reference[0], rows)
        matched[label] = ("same totals" if totals == reference[1] else "TOTALS DIFFER") + (
            f", {len(diffs)} cell values differ" if diffs else ", every cell value the same")
    matched[SANDBOXED] = "(the reference)"
    n_nb = args.students * len(notebooks)
    plain_t, sandboxed_t = times[PLAIN], times[SANDBOXED]
    print(f"results ({n_nb} notebooks; ratio = stock time / this time; scores against stock sandboxed):")
    print(f"  {'workflow':<46} {'wall s':>8} {'s/notebook':>10} {'vs stock':>9} {'vs sandboxed':>12}  scores")
    for label, seconds in times.items():
        print(f"  {label:<46} {seconds:8.1f} {seconds / n_nb:10.2f} {plain_t / seconds:8.2f}x "
              f"{sandboxed_t / seconds:11.2f}x  {matched[label]}")
    load_after = os.getloadavg()
    print(f"  load average after   {' '.join(f'{x:.2f}' for x in load_after)}"
          + ("   (machine was loaded by other work: timings are pessimistic)" if load_before[0] > 0.5 else ""))

    if not args.no_profile:
        sample = sorted(reference[1])[:3]
        for kind, course in (("cold sandboxed kernels", stock), ("warm sandboxed kernels", warm)):
            wall, parts = profile_one(course, sample)
            per = wall / (len(sample) * len(notebooks))
            print(f"where one notebook's autograde time goes, {kind} (stock converter in-process, "
                  f"{len(sample)} students, {per:.2f} s per notebook):")
            for label, seconds in parts.items():
                print(f"  {label:<52} {seconds / (len(sample) * len(notebooks)):6.2f} s  "
                      f"({100 * seconds / wall:4.0f}%)")
        for label, seconds in import_cost().items():
            print(f"  {label:<52} {seconds:6.2f} s  (once per process / per kernel)")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if all(not m.startswith("TOTALS DIFFER") and "differ" not in m for m in matched.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
