"""Throughput of one shard, and of the recorder: the figures docs/grading.md's arithmetic for N uses.

    .venv/bin/python benchmarks/shard_throughput.py                      # 12 students, jobs = all cores
    .venv/bin/python benchmarks/shard_throughput.py --students 20 --jobs 2 --shards 3
    .venv/bin/python benchmarks/shard_throughput.py --postgres           # record into a throwaway PostgreSQL

Builds a class of mixed submissions of the first assignment (every notebook in both source/ and
release/), then, as CI's matrix would (tools/ci_shards.sh), grades it as --shards shard jobs, one after
the other on this machine (each a CI runner's whole work), and records all their bundles into a
fresh course, and prints:

  per shard       wall time and students; with a shard of one student, a least-squares fit of a shard's
                  fixed cost (start, sandbox check, a private gradebook from generate_assignment) and
                  its cost per student
  record          wall time of merging every bundle (then grades.csv and the report), and the
                  recorder's own seconds per student
  one machine     the same class by `python -m grader grade` in one run, and whether every grade matches
"""
import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader.lessons import default_assignment  # noqa: E402
from grader.pipeline import default_jobs  # noqa: E402
from grader.shards import shard_of  # noqa: E402
from tests.support.compare import differences, gradebook_rows, make_course_copy, nbgrader_env  # noqa: E402
from tests.support.samples import build_class, mixed_class  # noqa: E402

ASSIGNMENT = default_assignment()
SCRIPT = ROOT / "tools" / "ci_shards.sh"


def run(course, *args, **env):
    start = time.perf_counter()
    done = subprocess.run(["bash", str(SCRIPT), *args], cwd=course, capture_output=True, text=True,
                          env=dict(nbgrader_env(), COURSE_DIR=str(course), PYTHON=sys.executable, **env))
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    seconds = time.perf_counter() - start
    return (seconds, done.stderr) if args[0] == "record" else seconds


def per_student(progress_log):
    """The recorder's own figure: the last progress line's seconds per student."""
    lines = re.findall(r"recording: \d+/\d+ done, 0 left, ([\d.]+) s/student", progress_log)
    return float(lines[-1]) if lines else float("nan")


def fit(points):
    """Least squares ``seconds = per_student * students + fixed``; returns (per_student, fixed)."""
    n = len(points)
    mx, my = sum(x for x, _ in points) / n, sum(y for _, y in points) / n
    slope = sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x, _ in points)
    return slope, my - slope * mx


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=12)
    parser.add_argument("--shards", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--postgres", action="store_true", help="record into a throwaway PostgreSQL server")
    args = parser.parse_args()
    notebooks = sorted({p.stem for p in (ROOT / "release" / ASSIGNMENT).glob("*.ipynb")}
                       & {p.stem for p in (ROOT / "source" / ASSIGNMENT).glob("*.ipynb")})
    tmp = Path(tempfile.mkdtemp(prefix="hnl-shard-bench-"))
    server = None
    try:
        checkout = make_course_copy(ROOT, tmp / "checkout", ASSIGNMENT)
        students = mixed_class(args.students)
        submissions = build_class(tmp / "class", checkout / "release" / ASSIGNMENT, checkout / "source" / ASSIGNMENT,
                                  students)
        print(f"{args.students} students x {len(notebooks)} notebooks of {ASSIGNMENT}, {args.shards} shards, "
              f"JOBS={args.jobs} per shard", flush=True)
        jobs = str(args.jobs)
        one_student = tmp / "one-student"
        first = sorted(students)[0]
        shutil.copytree(submissions / first, one_student / first)
        fixed = run(checkout, "grade", "1/1", str(one_student), JOBS=jobs, BUNDLE=str(tmp / "fixed"))
        print(f"  shard with one student (fixed cost + 1 student)   {fixed:7.1f} s", flush=True)
        walls, points = [], [(1, fixed)]
        for k in range(1, args.shards + 1):
            mine = sum(1 for sid in students if shard_of(sid, args.shards) == k)
            wall = run(checkout, "grade", f"{k}/{args.shards}", str(submissions), JOBS=jobs,
                       BUNDLE=str(tmp / "bundles" / f"shard-{k}"))
            walls.append(wall)
            points.append((mine, wall))
            print(f"  shard {k}/{args.shards}: {mine:3d} students {wall:7.1f} s  "
                  f"{wall / max(mine, 1):5.2f} s/student", flush=True)
        env = {}
        if args.postgres:
            from tests.support.postgres import PostgresServer
            server = PostgresServer().start()
        shard_slope, fixed_cost = fit(points)
        print(f"  a shard's cost, fitted: {fixed_cost:.1f} s fixed + {shard_slope:.2f} s per student", flush=True)
        kind = "PostgreSQL" if server else "SQLite"
        if server:
            env["HNL_GRADEBOOK_URL"] = server.create_database("bench")
        recorded = make_course_copy(ROOT, tmp / "recorded", ASSIGNMENT)
        merge, log = run(recorded, "record", str(tmp / "bundles"), **env)
        print(f"  record all {args.students} students ({kind})              {merge:7.1f} s  "
              f"(recorder: {per_student(log):.2f} s per student; the rest is start-up, the assignment's tables, "
              "grades.csv and the report)", flush=True)
        reference = make_course_copy(ROOT, tmp / "one-machine", ASSIGNMENT)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "grader", "grade", "--course-dir", str(reference),
                               "--submissions", str(submissions), "--jobs", jobs], capture_output=True, text=True,
                              env=nbgrader_env())
        one = time.perf_counter() - start
        if done.returncode != 0:
            sys.exit(f"one-machine grade failed:\n{done.stderr[-3000:]}")
        print(f"  one machine, one run                                {one:7.1f} s  "
              f"{one / args.students:5.2f} s/student", flush=True)
        ours, _ = gradebook_rows(env.get("HNL_GRADEBOOK_URL") or f"sqlite:///{recorded / 'gradebook.db'}",
                                 "how-networks-learn", ASSIGNMENT)
        theirs, _ = gradebook_rows(f"sqlite:///{reference / 'gradebook.db'}", "how-networks-learn", ASSIGNMENT)
        diff = differences(ours, theirs)
        print(f"  grades identical to the one-machine run: {'yes' if not diff else f'NO ({len(diff)} differ)'}")
        print(f"  as a matrix (shards in parallel): {max(walls) + merge:.1f} s "
              f"(slowest shard {max(walls):.1f} s + record {merge:.1f} s) vs {one:.1f} s on one machine")
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
