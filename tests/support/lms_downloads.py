"""Realistic "download all submissions" zips of Canvas, Moodle and Blackboard, built from release/ and source/.

One class hands in the one-notebook assignment (the last of the course) through each LMS:

  ada   on time, full marks
  ben   handed in a blank notebook, then resubmitted a full one (the newer must win)
  cy    full marks, but late (nbgrader's late penalty, "zero" in nbgrader_config.py, takes it all)
  dee   full marks under a mangled name ("07_Layers_As_Matrices (1).ipynb") and a name glued on
  eve   zipped her notebook before uploading it (a zip inside the download)
  fay   on the roster, handed in nothing
  zed   not on the roster: listed, never guessed
plus a PDF beside a notebook and the LMS's own extra files (receipts, online text).
"""
import csv
import io
import zipfile

import nbformat

from tests.support.course_files import ROOT
from tests.support.samples import build_notebook

DUE = "2026-11-20 23:59:00 UTC"
ROSTER = [  # lms ids per LMS, the nbgrader id, names
    {"canvas": "1001", "moodle": "501", "blackboard": "alovelace", "student_id": "ada",
     "first_name": "Ada", "last_name": "Lovelace"},
    {"canvas": "1002", "moodle": "502", "blackboard": "bbabbage", "student_id": "ben",
     "first_name": "Ben", "last_name": "Babbage"},
    {"canvas": "1003", "moodle": "503", "blackboard": "ccohen", "student_id": "cy",
     "first_name": "Cy", "last_name": "Cohen"},
    {"canvas": "1004", "moodle": "504", "blackboard": "dday", "student_id": "dee",
     "first_name": "Dee", "last_name": "Day"},
    {"canvas": "1005", "moodle": "505", "blackboard": "enoether", "student_id": "eve",
     "first_name": "Eve", "last_name": "Noether"},
    {"canvas": "1006", "moodle": "506", "blackboard": "fhopper", "student_id": "fay",
     "first_name": "Fay", "last_name": "Hopper"},
]
# What grading must give: raw score of the kept notebook, and whether nbgrader counts it late.
EXPECTED = {"ada": ("full", False), "ben": ("full", False), "cy": ("full", True), "dee": ("full", False),
            "eve": ("full", False)}


def notebook_bytes(assignment, kind):
    release = sorted((ROOT / "release" / assignment).glob("*.ipynb"))[0]
    source = ROOT / "source" / assignment / release.name
    nb = build_notebook(kind, nbformat.read(release, as_version=4), nbformat.read(source, as_version=4))
    return nbformat.writes(nb).encode(), release.stem


def write_roster(path, lms):
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["lms_id", "student_id", "first_name", "last_name", "email", "login"])
        for p in ROSTER:
            writer.writerow([p[lms], p["student_id"], p["first_name"], p["last_name"],
                             f"{p['student_id']}@example.edu", p["blackboard"]])
    return path


def _inner_zip(name, data):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as inner:
        inner.writestr(name, data)
    return buffer.getvalue()


def mangled(stem):
    """The notebook's name as a browser may save a second download of it: 07_Layers_As_Matrices (1).ipynb."""
    return "_".join(part.capitalize() for part in stem.split("_")) + " (1).ipynb"


def canvas(assignment):
    """{entry name: bytes} of Canvas's flat submissions.zip (older and newer name styles both)."""
    full, stem = notebook_bytes(assignment, "perfect")
    blank, _ = notebook_bytes(assignment, "blank")
    return {
        f"lovelaceada_1001_70011_{stem}.ipynb": full,
        f"babbageben_1002_70021_{stem}.ipynb": blank,
        f"babbageben_1002_70025_{stem}-1.ipynb": full,          # re-uploaded: Canvas adds -1, a newer id
        f"cohen--cy-late_1003_70031_{stem}.ipynb": full,         # late, in the older name style
        f"dayde_1004_70041_{mangled(stem)}": full,
        "dayde_1004_70042_my notes.pdf": b"%PDF-1.4 notes",
        f"noethereve_1005_70051_{stem}.zip": _inner_zip(f"{stem}.ipynb", full),
        f"zedzed_LATE_1999_70091_{stem}.ipynb": full,            # not on the roster
    }


def moodle(assignment):
    """Moodle's "Download all submissions" with a folder per participant."""
    full, stem = notebook_bytes(assignment, "perfect")
    folder = "{}_{}_assignsubmission_file_/"
    return {
        folder.format("Ada Lovelace", 501) + f"{stem}.ipynb": full,
        folder.format("Ben Babbage", 502) + f"{stem}.ipynb": full,
        folder.format("Cy Cohen", 503) + f"{stem}.ipynb": full,
        folder.format("Dee Day", 504) + f"dee_day_{stem}.ipynb": full,
        folder.format("Dee Day", 504) + "my notes.pdf": b"%PDF-1.4 notes",
        "Dee Day_504_assignsubmission_onlinetext_/onlinetext.html": b"<p>see attached</p>",
        folder.format("Eve Noether", 505) + f"{stem}.zip": _inner_zip(f"{stem}.ipynb", full),
        folder.format("Zed Zed", 999) + f"{stem}.ipynb": full,
    }


def blackboard(assignment):
    """Blackboard's Assignment File Download: every attempt, each with a receipt."""
    full, stem = notebook_bytes(assignment, "perfect")
    blank, _ = notebook_bytes(assignment, "blank")
    files = {}

    def attempt(user, when, name, data):
        base = f"Lesson 6_{user}_attempt_{when}"
        files[f"{base}_{name}"] = data
        files[f"{base}.txt"] = f"Name: {user}\nAssignment: Lesson 6\nDate Submitted: {when}\n".encode()

    attempt("alovelace", "2026-11-19-10-00-00", f"{stem}.ipynb", full)
    attempt("bbabbage", "2026-11-18-09-00-00", f"{stem}.ipynb", blank)
    attempt("bbabbage", "2026-11-20-21-15-00", f"{stem}.ipynb", full)
    attempt("ccohen", "2026-11-22-08-30-00", f"{stem}.ipynb", full)  # a day and a half late
    attempt("dday", "2026-11-20-12-00-00", mangled(stem), full)
    attempt("enoether", "2026-11-20-13-00-00", f"{stem}.zip", _inner_zip(f"{stem}.ipynb", full))
    attempt("zzed", "2026-11-20-14-00-00", f"{stem}.ipynb", full)
    files["Lesson 6_dday_attempt_2026-11-20-12-00-00_my notes.pdf"] = b"%PDF-1.4 notes"
    return files


def write_moodle_worksheet(path):
    """Moodle's "Download grading worksheet": the only place Moodle gives submission times (on the
    teacher's clock; the tests' course runs on UTC)."""
    submitted = {"501": "Thursday, 19 November 2026, 10:00 AM", "502": "Friday, 20 November 2026, 9:15 PM",
                 "503": "Sunday, 22 November 2026, 8:30 AM", "504": "Friday, 20 November 2026, 12:00 PM",
                 "505": "Friday, 20 November 2026, 1:00 PM", "506": "-"}
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Identifier", "Full name", "Email address", "Status", "Grade", "Maximum Grade",
                         "Grade can be changed", "Last modified (submission)", "Last modified (grade)",
                         "Feedback comments"])
        for p in ROSTER:
            when = submitted[p["moodle"]]
            writer.writerow([f"Participant {p['moodle']}", f"{p['first_name']} {p['last_name']}",
                             f"{p['student_id']}@example.edu",
                             "No submission" if when == "-" else "Submitted for grading - Not graded",
                             "", "12.00", "Yes", when, "-", ""])
    return path


BUILDERS = {"canvas": canvas, "moodle": moodle, "blackboard": blackboard}


def build_download(dest, lms, assignment):
    """Write the LMS's zip at ``dest``; returns it."""
    with zipfile.ZipFile(dest, "w") as zf:
        for name, data in BUILDERS[lms](assignment).items():
            zf.writestr(name, data)
    return dest
