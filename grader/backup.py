"""``python -m grader backup|restore``: copy the gradebook safely, with SQLite's online backup API.

``backup`` writes ``backups/gradebook-<UTC time>.db`` (or ``--to PATH``) while nothing else has to
stop: sqlite3's backup API copies a consistent snapshot even if formgrader is open. The copy is
checked (``PRAGMA integrity_check``) before the command reports success.
``restore PATH`` checks the file is a sound nbgrader gradebook, backs up the current gradebook
next to it first (``backups/gradebook-before-restore-<time>.db``), then copies PATH over it with
the same API, under the grading lock, so no grading run is writing meanwhile.
"""
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from .errors import GradingError

NBGRADER_TABLES = {"assignment", "student", "submitted_assignment", "grade", "grade_cells"}


def _stamp():
    return datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S-%f")


def _check(path):
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            ok = db.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.Error as exc:
        raise GradingError(f"{path} is not a readable SQLite database: {exc}") from None
    if ok != "ok":
        raise GradingError(f"{path} fails SQLite's integrity check: {ok}")
    missing = NBGRADER_TABLES - tables
    if missing:
        raise GradingError(f"{path} is not an nbgrader gradebook (no tables {', '.join(sorted(missing))})")


def copy_database(src, dest):
    """A consistent copy of the SQLite database ``src`` into ``dest`` (sqlite's online backup API)."""
    src_db = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
    dest_db = sqlite3.connect(dest)
    try:
        src_db.backup(dest_db)
    finally:
        dest_db.close()
        src_db.close()


def _sqlite_only(course):
    if not course.is_sqlite:
        raise GradingError("This course's gradebook is a PostgreSQL database (CourseDirectory.db_url): back it up "
                           "with PostgreSQL's own pg_dump and restore it with pg_restore (docs/grading.md).")


def backup(course, dest=None, label="gradebook"):
    """Back up the course gradebook; returns the path of the checked copy."""
    _sqlite_only(course)
    if not course.db_path.exists():
        raise GradingError(f"No gradebook to back up: {course.db_path} does not exist.")
    dest = Path(dest) if dest else course.root / "backups" / f"{label}-{_stamp()}.db"
    if dest.exists():
        raise GradingError(f"{dest} exists already; choose another --to path.")
    dest.parent.mkdir(parents=True, exist_ok=True)
    copy_database(course.db_path, dest)
    _check(dest)
    return dest


def restore(course, src):
    """Replace the course gradebook with the backup ``src``; returns the safety copy of the old one."""
    _sqlite_only(course)
    src = Path(src)
    if not src.is_file():
        raise GradingError(f"Backup not found: {src}")
    _check(src)
    with course.lock():
        safety = backup(course, label="gradebook-before-restore") if course.db_path.exists() else None
        copy_database(src, course.db_path)
        _check(course.db_path)
    return safety
