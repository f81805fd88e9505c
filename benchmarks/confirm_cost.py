"""What confirming every mark outside the kernel costs: plain ``nbgrader autograde``, with and without.

    .venv/bin/python benchmarks/confirm_cost.py               # 4 students x 5 notebooks
    .venv/bin/python benchmarks/confirm_cost.py --students 8

Builds N solved submissions (tests/support/samples.py, "perfect"), then grades them in two identical
course copies, one after the other: the course's nbgrader_config.py as it is, and the same with
the confirmation switched off (SandboxedExecute.confirm = False, ConfirmAnswers removed).
Prints both wall times, the cost per notebook, and whether the scores matched.
"""
import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader.lessons import default_assignment  # noqa: E402

ASSIGNMENT = default_assignment()
from tests.support.compare import gradebook_rows, make_course_copy, run_stock  # noqa: E402
from tests.support.samples import build_class  # noqa: E402

WITHOUT = """
# benchmark copy only: the confirmation switched off
c.SandboxedExecute.confirm = False
c.Autograde.autograde_preprocessors = [p for p in c.Autograde.autograde_preprocessors
                                       if p.__name__ != "ConfirmAnswers"]
"""


def grade(course, label):
    done = run_stock(course, "generate_assignment", ASSIGNMENT, "--force",
                     f"--CourseDirectory.release_directory={course}/generated")
    if done.returncode:
        raise SystemExit(f"{label}: generate_assignment failed:\n{done.stderr[-2000:]}")
    start = time.perf_counter()
    done = run_stock(course, "autograde", ASSIGNMENT)
    seconds = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"{label}: autograde failed:\n{done.stderr[-2000:]}")
    _, totals = gradebook_rows(f"sqlite:///{course / 'gradebook.db'}", "how-networks-learn", ASSIGNMENT)
    return seconds, totals


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hnl-confirm-bench-") as tmp:
        tmp = Path(tmp)
        students = {f"s{i:02d}": "perfect" for i in range(args.students)}
        runs = {}
        for label in ("with confirmation", "without"):
            course = make_course_copy(ROOT, tmp / label.replace(" ", "_"), ASSIGNMENT)
            if label == "without":
                with open(course / "nbgrader_config.py", "a") as handle:
                    handle.write(WITHOUT)
            build_class(course / "submitted", course / "release" / ASSIGNMENT, course / "source" / ASSIGNMENT,
                        students)
            runs[label] = grade(course, label)
        notebooks = args.students * len(list((ROOT / "source" / ASSIGNMENT).glob("*.ipynb")))
        for label, (seconds, _) in runs.items():
            print(f"{label:<18} {seconds:7.1f} s  {seconds / notebooks:5.2f} s/notebook")
        extra = runs["with confirmation"][0] - runs["without"][0]
        print(f"confirmation costs {extra / notebooks:+.2f} s/notebook "
              f"({100 * extra / runs['without'][0]:+.0f}%) over {notebooks} notebooks")
        same = runs["with confirmation"][1] == runs["without"][1]
        print(f"totals {'match' if same else 'DIFFER'}: {runs['with confirmation'][1]}")
        return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
