"""What is wrong with a submitted notebook, read without running it (outside the kernel).

``inspect_notebook`` compares a submission with the assignment's source notebooks and scans
the code the student wrote. It returns findings ``(kind, message)``:

* ``"tamper"``: code that reaches for what grading relies on -- Python's builtins, module
  attributes the tests use (``math.isclose = ...``), IPython's input/AST transformers or
  exception hooks, ``sys.modules``, frames, ``ctypes``, processes and signals, the network,
  files outside the notebook folder, the gradebook, ``exec``/``eval`` of built strings, or a
  class that overrides comparisons or conversions. The worker *holds* what it finds: the test
  cells of that exercise when the code is in an exercise's answer cell (``exercise``), else
  every test cell of the notebook, are recorded with 0 points and flagged for manual grading,
  so they earn nothing until a grader has looked (formgrader's manual score overrides the 0).
  Marks do not rest on this scan: every one is judged outside the kernel (grader.confirm), so
  an answer cell's tampering cannot earn other exercises anything, nor cost them their marks.
* ``"note"``: structural edits nbgrader itself repairs or records (a deleted, edited,
  re-ordered or duplicated test cell, changed points or grade ids, removed nbgrader metadata,
  an old nbformat, a notebook of another lesson). Shown in the class report.

A pattern scan cannot prove code harmless (see docs/grading.md, "What the sandbox blocks, and
what it cannot"); it is one layer next to the sandbox and the pinned checks of course.checks.
"""
import io
import json
import re
import tokenize
from pathlib import Path
from typing import NamedTuple

from .lessons import exercise_of


class Finding(NamedTuple):
    kind: str               # "tamper" or "note"
    message: str
    exercise: str = None    # for tampering code in an answer cell: that exercise's grade_id

HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS\n?", re.S)
# Every module and package of course/ (a new lesson's is covered without editing this list).
COURSE_PARTS = sorted(p.stem for p in (Path(__file__).resolve().parents[1] / "course").iterdir()
                      if p.name != "__init__.py" and (p.suffix == ".py" or (p / "__init__.py").is_file()))

TAMPER_PATTERNS = [
    (r"\bbuiltins\b|__builtins__|__builtin__", "touches Python's builtins"),
    (r"\bsys\s*\.\s*modules\b", "edits sys.modules"),
    (r"input_transformers|ast_transformers|set_custom_exc|\bevents\s*\.\s*register|register_magic|"
     r"showtraceback|\brun_cell\b|\bget_ipython\b|\bInteractiveShell\b", "reaches into IPython (transformers, hooks)"),
    (r"\bsys\s*\.\s*(settrace|setprofile|_getframe|excepthook|displayhook|audit|addaudithook)|"
     r"\bf_globals\b|\bf_locals\b|\bf_back\b|\binspect\b|\bgc\s*\.|\bctypes\b|__code__|__globals__",
     "uses frames, tracing, gc or ctypes"),
    (r"^[ \t]*(?:import[ \t]+[\w.]+[ \t]*;[ \t]*)?(?:math|np|numpy|random|operator|functools|hashlib|course|"
     + "|".join(COURSE_PARTS) + r")(?:\s*\.\s*\w+)+\s*=(?!=)", "reassigns a module's function or constant"),
    (r"\bsetattr\s*\(|\bdelattr\s*\(|\bvars\s*\(|\.__dict__|__class__\s*=|\bglobals\s*\(\s*\)\s*\[",
     "rewrites attributes or namespaces dynamically"),
    (r"\b(?:exec|eval|compile)\s*\(|__import__|\bimportlib\b", "runs code built at run time"),
    (r"\bdef\s+__(?:eq|ne|lt|le|gt|ge|bool|float|int|index|abs|sub|rsub|round|hash|str|repr|format|len|"
     r"getattr|getattribute|instancecheck|subclasscheck)__\b|\bclass\s+\w+\s*\(\s*(?:str|float|int)\s*\)",
     "defines an object that overrides comparisons or conversions"),
    (r"\bos\s*\.\s*(?:_exit|kill|killpg|fork|forkpty|system|popen|exec\w*|spawn\w*|remove|unlink|rmdir|"
     r"getppid|setsid|chmod|chown|rename|replace)\b|\bsubprocess\b|\bmultiprocessing\b|\bsignal\b|"
     r"\bshutil\s*\.\s*(?:rmtree|move|copy\w*)|\bsys\s*\.\s*exit\b|\bexit\s*\(|\bquit\s*\(|\bthreading\b",
     "starts, stops or signals processes, or deletes files"),
    (r"\bsocket\b|\burllib\b|\brequests\b|\bhttp\.client\b|\bhttpx\b|\baiohttp\b", "uses the network"),
    (r"gradebook|nbgrader|\.\./|(?<![\w.])/(?:work|root|home|etc|proc|dev|tmp|usr)\b|\bsource/|autograded|"
     r"submitted/", "reads or writes files outside its own notebook folder"),
]
_COMPILED = [(re.compile(p, re.M), why) for p, why in TAMPER_PATTERNS]


def _meta(cell):
    return (cell.get("metadata") or {}).get("nbgrader") or {}


def _text(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _norm(text):
    return "\n".join(line.rstrip() for line in HIDDEN.sub("", text).strip().splitlines())


def _load_source(path):
    with open(path) as handle:
        nb = json.load(handle)
    cells = [c for c in nb.get("cells", [])]
    graded = [(_meta(c)["grade_id"], c) for c in cells if _meta(c).get("grade_id")]
    return {"order": [g for g, _ in graded], "cells": dict(graded),
            "locked_text": {_norm(_text(c)) for _, c in graded if _meta(c).get("locked")}
            | {_norm(_text(c)) for c in cells if c.get("cell_type") == "code" and not _meta(c)}}


def without_comments(text):
    """``text`` with its Python comments blanked, so "# let me inspect the signal" holds nobody.

    Strings stay: a path or a name in a string is what tampering code passes to open() or
    getattr(). Code that does not tokenize (a syntax error, a cell magic) is scanned as it is.
    """
    lines = text.splitlines(keepends=True)
    try:
        comments = [tok for tok in tokenize.generate_tokens(io.StringIO(text).readline)
                    if tok.type == tokenize.COMMENT]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return text
    for tok in reversed(comments):
        row, col = tok.start
        line = lines[row - 1]
        lines[row - 1] = line[:col] + " " * (tok.end[1] - col) + line[tok.end[1]:]
    return "".join(lines)


def scan_code(text):
    """Tamper findings for one piece of student code: [reason, ...] (each reason once)."""
    text = without_comments(text)
    reasons = []
    for pattern, why in _COMPILED:
        match = pattern.search(text)
        if match and why not in reasons:
            line = text[:match.start()].count("\n") + 1
            snippet = text.splitlines()[line - 1].strip()[:80] if text.splitlines() else ""
            reasons.append(f"{why} (line {line}: `{snippet}`)")
    return reasons


def inspect_notebook(path, source_dir):
    """Findings [Finding(kind, message, exercise)] for the submitted notebook ``path`` against ``source_dir``."""
    return [Finding(*found) for found in _inspect(Path(path), Path(source_dir))]


def _inspect(path, source_dir):
    findings = []
    try:
        raw = path.read_text()
        nb = json.loads(raw)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return [("note", f"not a readable notebook ({type(exc).__name__})")]
    if not isinstance(nb, dict):
        return [("note", "not a notebook (the JSON is not an object)")]
    if nb.get("nbformat", 0) < 4:
        findings.append(("note", f"saved in the old nbformat {nb.get('nbformat')} (converted for grading; "
                                 "its nbgrader metadata is lost)"))
        cells = [c for ws in nb.get("worksheets", []) for c in ws.get("cells", [])]
        for cell in cells:
            cell.setdefault("source", cell.get("input", ""))
    else:
        cells = nb.get("cells", [])
    src_path = source_dir / path.name
    sources = {p.stem: _load_source(p) for p in sorted(source_dir.glob("*.ipynb"))}
    mine = sources.get(src_path.stem)
    if mine is None:
        return findings + [("note", "not a notebook of this assignment")]

    ids = [_meta(c).get("grade_id") for c in cells if _meta(c).get("grade_id")]
    own = [g for g in ids if g in mine["cells"]]
    others = {stem: sum(g in s["cells"] for g in ids) for stem, s in sources.items() if stem != src_path.stem}
    best = max(others, key=others.get) if others else None
    if best and others[best] > len(own):
        findings.append(("note", f"looks like {best}.ipynb, another notebook of the assignment "
                                 f"({others[best]} of its graded cells, {len(own)} of this one's)"))
    elif not ids and cells:
        findings.append(("note", "has no nbgrader cells at all (metadata removed, or another assignment)"))
    dupes = sorted({g for g in ids if ids.count(g) > 1})
    if dupes:
        findings.append(("note", f"duplicated graded cells: {', '.join(dupes)}"))
    for gid, src in mine["cells"].items():
        meta = _meta(src)
        if not meta.get("grade"):
            continue
        copies = [c for c in cells if _meta(c).get("grade_id") == gid]
        if not copies:
            body = _norm(_text(src))
            if any(_norm(_text(c)) == body for c in cells):
                findings.append(("note", f"test cell {gid}: nbgrader metadata removed"))
            else:
                findings.append(("note", f"test cell {gid} deleted"))
            continue
        cell = copies[-1]
        m = _meta(cell)
        if _norm(_text(cell)) != _norm(_text(src)):
            findings.append(("note", f"test cell {gid} edited (nbgrader restores it)"))
        if m.get("points") != meta.get("points"):
            findings.append(("note", f"test cell {gid}: points changed from {meta.get('points')} to {m.get('points')}"))
        for flag in ("grade", "solution", "locked"):
            if bool(m.get(flag)) != bool(meta.get(flag)):
                findings.append(("note", f"test cell {gid}: '{flag}' flag changed"))
    unknown = sorted({g for g in ids if g not in mine["cells"]} - {g for s in sources.values() for g in s["cells"]})
    if unknown:
        findings.append(("note", f"grade ids not in the assignment: {', '.join(unknown[:5])}"))
    order = [g for g in own if _meta(mine["cells"][g]).get("grade")]
    expected = [g for g in mine["order"] if g in order]
    dedup = list(dict.fromkeys(order))
    if dedup != [g for g in expected if g in dedup]:
        findings.append(("note", "test cells re-ordered"))

    for index, cell in enumerate(cells):
        if cell.get("cell_type") != "code":
            continue
        text = _text(cell)
        gid = _meta(cell).get("grade_id")
        if gid in mine["cells"] and _meta(mine["cells"][gid]).get("locked"):
            continue  # nbgrader replaces it with the gradebook's copy before running
        if _norm(text) in mine["locked_text"]:
            continue  # the lesson's own code, unchanged
        answer = gid if gid in mine["cells"] and _meta(mine["cells"][gid]).get("solution") else None
        for reason in scan_code(text):
            findings.append(("tamper", f"cell {index + 1}{' (' + gid + ')' if gid else ''} {reason}", answer))
    return findings


def inspect_submission(folder, source_dir):
    """{notebook stem: findings} for every notebook in a student's assignment folder."""
    return {p.stem: inspect_notebook(p, source_dir) for p in sorted(Path(folder).glob("*.ipynb"))}


def held(findings):
    """What the tampering among ``findings`` ({notebook: [Finding]}) holds: {notebook: set of exercises,
    or None for the whole notebook (code outside any answer cell)}."""
    scope = {}
    for name, found in findings.items():
        for finding in found:
            if finding.kind != "tamper":
                continue
            if finding.exercise is None:
                scope[name] = None
            elif name not in scope or scope[name] is not None:
                scope.setdefault(name, set()).add(finding.exercise)
    return scope


def hold(record, scope):
    """Score the held test cells 0 and flag them for manual grading (in place); ``scope`` as ``held`` gives it."""
    for name, exercises in scope.items():
        nb = (record or {}).get("notebooks", {}).get(name)
        if nb is None:
            continue
        for grade_id, (score, _) in list(nb["grades"].items()):
            if exercises is None or exercise_of(grade_id, exercises) in exercises:
                nb["grades"][grade_id] = (0.0 if score is not None else None, True)
    return record
