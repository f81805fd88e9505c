"""grades.csv (nbgrader's own CSV exporter) and the class report (HTML + PNG figures; the HTML is rendered from
grader/templates/class_report.html.j2)."""
import collections
import statistics
from datetime import datetime, timezone
from pathlib import Path

import nbformat
from jinja2 import Environment, PackageLoader, StrictUndefined

from .lessons import exercise_of
from .preprocessors.confirm_answers import HIDDEN_CHECK, NOT_CONFIRMED

FAILURE_ENAMES = ("CheckFailed", "AssertionError")
DOWNLOAD_SUMMARY = "lms_download.txt"  # beside the report: the summary of the last LMS download graded
# Beside the report on a class's hub: what the last `nbgrader collect` refused or re-timed (hub/hnl_exchange.py).
COLLECT_NOTES = "exchange_collect.txt"


def export_csv(course, dest):
    """Write grades.csv with nbgrader's CsvExportPlugin: the same file as ``nbgrader export``, a row per
    student and assignment, every assignment graded so far (grading one does not drop the others')."""
    from nbgrader.plugins import CsvExportPlugin
    plugin = CsvExportPlugin(to=str(dest))
    with course.gradebook() as gb:
        plugin.export(gb)


def _first_line(text):
    for line in str(text).splitlines():
        if line.strip():
            return line.strip()
    return ""


def collect(course):
    """Everything the report shows, from the gradebook and the autograded notebooks."""
    from nbgrader.api import MissingEntry

    cells = []  # (notebook, grade_id, max points), in notebook order
    answer_ids = []
    for name in course.notebook_names:
        nb = nbformat.read(course.source_dir / f"{name}.ipynb", as_version=4)
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade"):
                cells.append((name, meta["grade_id"], float(meta.get("points", 0))))
            if meta.get("solution"):
                answer_ids.append(meta["grade_id"])
    data = {"cells": cells, "students": {}, "not_submitted": [], "failures": collections.Counter(),
            "failure_examples": {}, "exercise_of": {gid: exercise_of(gid, answer_ids) for _, gid, _ in cells}}
    with course.gradebook() as gb:
        try:
            assignment = gb.find_assignment(course.assignment)
        except MissingEntry:
            return data
        data["max_score"] = assignment.max_score
        for student in gb.students:
            try:
                sub = gb.find_submission(course.assignment, student.id)
            except MissingEntry:
                data["not_submitted"].append(student.id)
                continue
            grades = {}
            for nb in sub.notebooks:
                for grade in nb.grades:
                    grades[(nb.name, grade.name)] = grade.score
            data["students"][student.id] = {"score": sub.score, "grades": grades,
                                            "needs_manual": sub.needs_manual_grade}
    for sid in data["students"]:
        folder = course.autograded_dir / sid / course.assignment
        for path in sorted(folder.glob("*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            for cell in nb.cells:
                meta = cell.metadata.get("nbgrader", {})
                if not meta.get("grade") or cell.cell_type != "code":
                    continue
                for out in cell.get("outputs", []):
                    if out.get("output_type") != "error":
                        continue
                    ename = out.get("ename", "")
                    if ename == HIDDEN_CHECK:  # its message names the grader's inputs, which differ per student
                        out = {**out, "evalue": f"{meta.get('grade_id')}: failed on the grader's own inputs"}
                    message = _first_line(out.get("evalue", "")) or (
                        "(no message: a bare assert, often a hidden check)" if ename in FAILURE_ENAMES
                        else "(no message)")
                    key = (ename, message)
                    data["failures"][key] += 1
                    data["failure_examples"].setdefault(key, f"{path.stem} / {meta.get('grade_id')}")
    return data


def _figures(data, folder):
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    try:
        from course.plots import COLORS
        palette = list(COLORS.values()) if isinstance(COLORS, dict) else list(COLORS)
    except Exception:
        palette = ["#0072B2", "#E69F00", "#009E73", "#D55E00"]
    blue, orange = palette[0], palette[1 % len(palette)]
    written = {}

    scores = [s["score"] for s in data["students"].values()]
    fig = Figure(figsize=(6.4, 3.6))
    ax = fig.subplots()
    top = data.get("max_score") or 1
    bins = [i * top / 10 for i in range(11)]
    ax.hist(scores, bins=bins, color=blue, edgecolor="white")
    ax.set_xlabel(f"total score (out of {top:g})")
    ax.set_ylabel("students")
    ax.set_title(f"Score distribution ({len(scores)} submissions)")
    fig.tight_layout()
    fig.savefig(folder / "score_distribution.png", dpi=110)
    written["score_distribution"] = "score_distribution.png"

    for key, labels, rates, title in (
            ("exercise_pass_rate", *data["exercise_table"], "Pass rate per exercise (full points)"),
            ("test_cell_pass_rate", *data["cell_table"], "Pass rate per test cell")):
        fig = Figure(figsize=(6.4, 0.9 + 0.32 * max(1, len(labels))))
        ax = fig.subplots()
        ax.barh(range(len(labels)), [100 * r for r in rates], color=orange if "cell" in key else blue)
        ax.set_yticks(range(len(labels)), labels, fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_xlabel("% of submissions")
        ax.set_title(title)
        fig.tight_layout()
        fig.savefig(folder / f"{key}.png", dpi=110)
        written[key] = f"{key}.png"
    return written


def _rates(data):
    graded = data["students"]
    n = max(1, len(graded))
    cell_labels, cell_rates, cell_rows = [], [], []
    by_exercise = collections.OrderedDict()
    for nb, gid, points in data["cells"]:
        scores = [s["grades"].get((nb, gid)) for s in graded.values()]
        full = sum(1 for v in scores if v is not None and v >= points)
        mean = statistics.fmean([v or 0 for v in scores]) if scores else 0.0
        cell_labels.append(f"{nb[:2]} {gid}")
        cell_rates.append(full / n)
        cell_rows.append((nb, gid, points, full / n, mean))
        by_exercise.setdefault((nb, data["exercise_of"][gid]), []).append((gid, points))
    ex_labels, ex_rates, ex_rows = [], [], []
    for (nb, exercise), parts in by_exercise.items():
        full = sum(1 for s in graded.values()
                   if all((s["grades"].get((nb, gid)) or 0) >= pts for gid, pts in parts))
        ex_labels.append(f"{nb[:2]} {exercise}")
        ex_rates.append(full / n)
        ex_rows.append((nb, exercise, sum(p for _, p in parts), full / n))
    data["cell_table"] = (cell_labels, cell_rates)
    data["exercise_table"] = (ex_labels, ex_rates)
    return cell_rows, ex_rows


RUNTIME_ENAMES = {"CellTimeoutError": "ran past the time limit (infinite loop?)",
                  "MemoryError": "ran out of its memory limit",
                  "DeadKernelError": "killed the kernel", "SystemExit": "called exit",
                  "PermissionError": "tried to touch files it may not",
                  "FileNotFoundError": "looked for files outside its folder",
                  "BlockingIOError": "tried to start too many processes",
                  "ConnectionRefusedError": "tried to use the network", "OSError": "hit an OS limit"}


def _problems(course, data):
    """(student, notebook, problem) rows: integrity findings, marks the grader could not confirm
    (grader.preprocessors.ConfirmAnswers) and errors in students' own cells."""
    from .integrity import inspect_submission
    rows = []
    for sid in sorted(data["students"]):
        folder = course.submitted_dir / sid / course.assignment
        if folder.is_dir():
            for stem, found in inspect_submission(folder, course.source_dir).items():
                for kind, message, _ in found:
                    rows.append((sid, stem, ("HELD: " if kind == "tamper" else "") + message))
        for path in sorted((course.autograded_dir / sid / course.assignment).glob("*.ipynb")):
            try:
                nb = nbformat.read(path, as_version=4)
            except Exception:
                continue
            seen = set()
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                if cell.metadata.get("nbgrader", {}).get("grade"):
                    rows += [(sid, path.stem, f"WITHHELD {cell.metadata.nbgrader.get('grade_id')}: not confirmed "
                                              f"outside the kernel: {out.get('evalue', '')}")
                             for out in cell.get("outputs", []) if out.get("ename") == NOT_CONFIRMED]
                    continue
                for out in cell.get("outputs", []):
                    ename = out.get("ename", "") if out.get("output_type") == "error" else ""
                    if ename in RUNTIME_ENAMES and ename not in seen:
                        seen.add(ename)
                        rows.append((sid, path.stem, f"cell {index + 1}: {ename}: {RUNTIME_ENAMES[ename]}"))
                    if out.get("output_type") == "stream" and "[grader: output over" in out.get("text", ""):
                        if "output" not in seen:
                            seen.add("output")
                            rows.append((sid, path.stem, f"cell {index + 1}: printed too much output (cut)"))
    return rows


def _bars_alt(what, rows, name, rate):
    """The text alternative of a pass-rate bar chart: what it shows, its lowest and highest bars (the table
    below it has every number)."""
    if not rows:
        return f"Bar chart of the pass rate per {what}: none graded"
    low, high = min(rows, key=lambda r: r[rate]), max(rows, key=lambda r: r[rate])
    return (f"Bar chart of the pass rate per {what}, {len(rows)} bars (the table below has each): lowest "
            f"{low[name]} at {100 * low[rate]:.0f}%, highest {high[name]} at {100 * high[rate]:.0f}%")


def _template():
    """The class report's template, grader/templates/class_report.html.j2 (shipped as package data), with HTML
    autoescape: every value it shows is escaped, whoever chose it (a student id, an error message)."""
    env = Environment(loader=PackageLoader(__package__, "templates"), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    return env.get_template("class_report.html.j2")


def write_report(course, dest_dir, failed=(), skipped=()):
    """reports/class_report.html and its PNG figures; returns ``(path of the HTML, the data it shows)``."""
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    data = collect(course)
    cell_rows, ex_rows = _rates(data)
    figures = _figures(data, dest_dir)
    scores = [s["score"] for s in data["students"].values()]
    top = data.get("max_score") or 0

    summary = [("students in the gradebook", len(data["students"]) + len(data["not_submitted"])),
               ("submissions graded", len(scores)),
               ("did not submit", len(data["not_submitted"]))]
    if scores:
        summary += [("mean score", f"{statistics.fmean(scores):.2f} / {top:g}"),
                    ("median score", f"{statistics.median(scores):.2f} / {top:g}"),
                    ("full marks", sum(1 for s in scores if s >= top)),
                    ("zero", sum(1 for s in scores if s == 0))]
    score_alt = f"Histogram of total scores of {len(scores)} submissions" + (
        f" out of {top:g}: mean {statistics.fmean(scores):.2f}, median {statistics.median(scores):.2f}, "
        f"lowest {min(scores):g}, highest {max(scores):g}" if scores else "")

    def beside(name):  # a summary written beside the report by another command, or None
        path = dest_dir / name
        return path.read_text(encoding="utf-8") if path.is_file() else None

    html = _template().render(
        assignment=course.assignment,
        generated=f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M}",
        summary=summary,
        figures=figures,
        score_alt=score_alt,
        exercise_alt=_bars_alt("exercise", ex_rows, 1, 3),
        exercises=[(nb, ex, f"{pts:g}", f"{100 * r:.0f}%") for nb, ex, pts, r in ex_rows],
        cell_alt=_bars_alt("test cell", cell_rows, 1, 3),
        test_cells=[(nb, gid, f"{pts:g}", f"{100 * r:.0f}%", f"{mean:.2f}") for nb, gid, pts, r, mean in cell_rows],
        failures=[(n, en, msg, data["failure_examples"][(en, msg)])
                  for (en, msg), n in data["failures"].most_common(15)],
        not_submitted=sorted(data["not_submitted"]),
        problems=_problems(course, data),
        needs_manual=sorted(sid for sid, s in data["students"].items() if s["needs_manual"]),
        not_graded=list(failed) + list(skipped),
        download=beside(DOWNLOAD_SUMMARY),  # written by a run that graded an LMS download (grader/lms)
        collect_notes=beside(COLLECT_NOTES),
    )
    path = dest_dir / "class_report.html"
    path.write_text(html, encoding="utf-8")
    return path, data
