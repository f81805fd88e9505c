"""Where the course lives, the nbgrader configuration it grades with, and its gradebook."""
import contextlib
import fcntl
import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .alembic_head import install as install_alembic_head
from .backup import copy_database
from .errors import GradingError
from .lessons import default_assignment

CONFIG_NAME = "nbgrader_config.py"


def find_course_root(start=None):
    """The folder holding nbgrader_config.py: ``start``, the cwd, or the repository of this package."""
    candidates = [Path(start)] if start else [Path.cwd(), Path(__file__).resolve().parents[2]]
    for folder in candidates:
        if (folder / CONFIG_NAME).is_file():
            return folder.resolve()
    where = start or f"{Path.cwd()} (or the repository of course/)"
    raise GradingError(f"No {CONFIG_NAME} in {where}: point --course-dir at the course folder.")


def load_nbgrader_config(root):
    """The traitlets Config the ``nbgrader`` command would use in ``root``.

    Jupyter's config folders first (lowest priority), then the course's own file, as
    nbgrader's apps do; the course file sets CourseDirectory.root to its own folder.
    """
    from jupyter_core.paths import jupyter_config_path
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = Config()
    for folder in reversed(jupyter_config_path()):
        if os.path.isfile(os.path.join(folder, CONFIG_NAME)):
            config.merge(PyFileConfigLoader(CONFIG_NAME, path=folder).load_config())
    try:
        config.merge(PyFileConfigLoader(CONFIG_NAME, path=str(root)).load_config())
    except Exception as exc:  # a syntax error or a failing import in the course config
        raise GradingError(f"The course's {CONFIG_NAME} does not load: {type(exc).__name__}: {exc}") from None
    return config


def file_digest(paths, base):
    """sha256 over the relative names and bytes of ``paths``."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(Path(path).relative_to(base)).encode() + b"\0")
        digest.update(Path(path).read_bytes() + b"\0")
    return digest.hexdigest()


@dataclass
class Course:
    root: Path
    assignment: str
    config: object = field(repr=False)
    course_id: str = ""

    @classmethod
    def open(cls, root, assignment=None):
        """The course at ``root`` (see find_course_root); ``assignment`` None is the one it starts with."""
        root = find_course_root(root)
        config = load_nbgrader_config(root)
        install_alembic_head()  # as the course's config does; also under a config that does not
        assignment = assignment or default_assignment(root)
        if assignment is None:
            raise GradingError(f"No assignment to grade: {root / 'source'} has no folder with notebooks.")
        course = cls(root=root, assignment=assignment, config=config,
                     course_id=config.CourseDirectory.get("course_id", ""))
        if not course.source_dir.is_dir() or not course.notebook_names:
            folders = (root / "source").iterdir() if (root / "source").is_dir() else []
            known = sorted(p.name for p in folders if p.is_dir())
            raise GradingError(
                f"Unknown assignment '{assignment}': no notebooks in {course.source_dir}. "
                f"Assignments in source/: {', '.join(known) or 'none'}.")
        return course

    # --- paths -------------------------------------------------------------
    @property
    def source_dir(self):
        return self.root / "source" / self.assignment

    @property
    def submitted_dir(self):
        return self.root / "submitted"

    @property
    def autograded_dir(self):
        return self.root / "autograded"

    @property
    def feedback_dir(self):
        return self.root / "feedback"

    @property
    def reports_dir(self):
        return self.root / "reports" / self.assignment  # one class report per assignment

    @property
    def db_url(self):
        """nbgrader's ``CourseDirectory.db_url``: gradebook.db beside the config unless the course names
        another database (a PostgreSQL server shared by several machines or instructors)."""
        url = self.config.CourseDirectory.get("db_url", "")
        return url or f"sqlite:///{self.root / 'gradebook.db'}"

    @property
    def is_sqlite(self):
        return self.db_url.startswith("sqlite:")

    @property
    def db_path(self):
        """The SQLite gradebook's file (None for a server database)."""
        if not self.is_sqlite:
            return None
        path = Path(self.db_url.split(":///", 1)[1])
        return path if path.is_absolute() else self.root / path

    def has_gradebook(self):
        """Is there a gradebook to read? Asked without creating one: opening nbgrader's Gradebook on an
        empty database creates its tables and the course's row, which only prepare_gradebook does (under
        its lock). Tables are not enough: nbgrader creates them, commits, then adds the course in a second
        transaction, and a Gradebook opened in between would add the course too (a duplicate key)."""
        if self.is_sqlite:
            return self.db_path.exists()
        from sqlalchemy import create_engine, inspect, text
        from sqlalchemy.exc import OperationalError
        from sqlalchemy.pool import NullPool
        engine = create_engine(self.db_url, poolclass=NullPool)
        try:
            if not {"assignment", "course"} <= set(inspect(engine).get_table_names()):
                return False
            with engine.connect() as conn:
                found = conn.execute(text("SELECT 1 FROM course WHERE id = :id"), {"id": self.course_id}).first()
            return found is not None
        except OperationalError as exc:
            raise self._unreachable(exc) from None
        finally:
            engine.dispose()

    @property
    def notebook_names(self):
        """Notebook ids of the assignment (file names without .ipynb), from source/."""
        return sorted(p.stem for p in self.source_dir.glob("*.ipynb"))

    def source_hash(self):
        """Changes whenever anything that decides a score changes: source/, the config, nbgrader."""
        import nbgrader
        files = [p for p in self.source_dir.rglob("*") if p.is_file() and ".ipynb_checkpoints" not in p.parts]
        files.append(self.root / CONFIG_NAME)
        return hashlib.sha256(f"{file_digest(files, self.root)} nbgrader {nbgrader.__version__}".encode()).hexdigest()

    # --- gradebook ---------------------------------------------------------
    def gradebook(self):
        """nbgrader's Gradebook on the course's database (close it: ``with course.gradebook() as gb``)."""
        from nbgrader.api import Gradebook
        from sqlalchemy.exc import OperationalError
        try:
            return Gradebook(self.db_url, self.course_id)
        except OperationalError as exc:
            raise self._unreachable(exc) from None

    @property
    def db_where(self):
        """The gradebook's database for messages: its URL without user and password."""
        return self.db_url.split("@")[-1]

    def _unreachable(self, exc):
        return GradingError(f"Cannot open the gradebook at {self.db_where}: {str(exc.orig).strip()}\n"
                            "Check HNL_GRADEBOOK_URL or CourseDirectory.db_url (docs/grading.md).")

    def db_lock(self, name):
        """A lock every machine sharing a PostgreSQL gradebook respects (grader/dblock.py)."""
        from .dblock import held_at
        return held_at(self.db_url, f"{self.course_id}/{self.assignment}/{name}")

    def prepare_gradebook(self, log):
        """Create the gradebook's tables and record the assignment from source/, once, before any worker or
        recorder writes: writers starting together on an empty database would race nbgrader's create_all."""
        with self.db_lock("assignment"):
            with self.gradebook():
                pass
            if not self.gradebook_matches_source():
                self.record_assignment(log)
                if not self.gradebook_matches_source():
                    raise GradingError("The gradebook still differs from source/ after generate_assignment "
                                       "(graded cells cannot change once submissions exist; see docs/grading.md).")

    def gradebook_notebooks(self):
        """Notebook names the gradebook records for the assignment, or None if it has no such assignment."""
        from nbgrader.api import MissingEntry
        if not self.has_gradebook():
            return None
        with self.gradebook() as gb:
            try:
                return sorted(nb.name for nb in gb.find_assignment(self.assignment).notebooks)
            except MissingEntry:
                return None

    def due_date(self):
        """The assignment's due date in the gradebook (``YYYY-MM-DD HH:MM:SS UTC``), or None."""
        from nbgrader.api import MissingEntry
        if not self.has_gradebook():
            return None
        with self.gradebook() as gb:
            try:
                due = gb.find_assignment(self.assignment).duedate
            except MissingEntry:
                return None
        return f"{due:%Y-%m-%d %H:%M:%S} UTC" if due else None

    def set_due_date(self, due):
        """Record the due date nbgrader's late penalty is measured from."""
        from nbgrader.utils import parse_utc
        with self.gradebook() as gb:
            gb.update_or_create_assignment(self.assignment, duedate=parse_utc(due))

    def gradebook_matches_source(self):
        """Does the gradebook hold this assignment exactly as source/ has it now?

        Autograde restores every locked cell (tests with their hidden parts) from the
        gradebook, so a gradebook recorded from an older source/ would grade with old tests.
        """
        import nbformat
        from nbgrader.api import MissingEntry
        if self.gradebook_notebooks() != self.notebook_names:
            return False
        with self.gradebook() as gb:
            for name in self.notebook_names:
                nb = nbformat.read(self.source_dir / f"{name}.ipynb", as_version=4)
                for cell in nb.cells:
                    meta = cell.metadata.get("nbgrader", {})
                    try:
                        if meta.get("locked"):
                            if gb.find_source_cell(meta["grade_id"], name, self.assignment).source != cell.source:
                                return False
                        if meta.get("grade"):
                            if gb.find_grade_cell(meta["grade_id"], name, self.assignment).max_score != float(
                                    meta.get("points", 0)):
                                return False
                    except MissingEntry:
                        return False
        return True

    def record_assignment(self, log, release_dir=None, db_url=None):
        """Run stock ``nbgrader generate_assignment`` so the gradebook (or the one ``db_url`` names) knows
        the assignment.

        nbgrader's own converter runs in this process, as formgrader runs it (nbgrader.apps.api), with the
        course's configuration: no second interpreter to start and import nbgrader (~2 s of CPU). The
        student version goes to ``release_dir`` or a temporary folder: the committed release/ is never
        touched.
        """
        import copy

        from nbgrader.converters import GenerateAssignment
        from nbgrader.coursedir import CourseDirectory
        from nbgrader.utils import capture_log

        log(f"Recording {self.assignment} in {'a private' if db_url else 'the'} gradebook "
            "(nbgrader generate_assignment) ...")
        with tempfile.TemporaryDirectory(prefix="hnl-release-") as release:
            config = copy.deepcopy(self.config)
            config.CourseDirectory.release_directory = str(release_dir or release)
            if db_url:
                config.CourseDirectory.db_url = db_url
            coursedir = CourseDirectory(config=config)
            coursedir.assignment_id = self.assignment
            app = GenerateAssignment(coursedir=coursedir, config=config)
            app.force = app.create_assignment = True
            done = capture_log(app)
        if not done["success"]:
            lines = [line.strip() for line in done.get("log", "").splitlines()  # nbgrader's reasons, not its traceback
                     if ("ERROR" in line or "Error" in line) and "Traceback" not in line
                     and not line.strip().startswith("raise ")][-8:]
            raise GradingError("The course is broken: nbgrader generate_assignment failed:\n  "
                               + "\n  ".join(lines or done.get("error", "").splitlines()[-8:]))

    def snapshot_gradebook(self, dest, log, fresh=False, due=None):
        """The workers' private SQLite gradebook: the assignment as the course records it.

        A SQLite gradebook is copied (sqlite's online backup). A PostgreSQL one, or any with ``fresh``
        (a shard, which never opens the course's gradebook), is made anew by stock generate_assignment
        from source/, with the due date ``due`` (default: the course gradebook's).
        """
        if self.is_sqlite and not fresh:
            copy_database(self.db_path, dest)
            return
        due = due if fresh else self.due_date()
        self.record_assignment(log, db_url=f"sqlite:///{dest}")
        if due:
            from nbgrader.api import Gradebook
            from nbgrader.utils import parse_utc
            with Gradebook(f"sqlite:///{dest}", self.course_id) as gb:
                gb.update_or_create_assignment(self.assignment, duedate=parse_utc(due))

    @contextlib.contextmanager
    def lock(self):
        """One grading run per course at a time (the gradebook takes one writer)."""
        key = hashlib.sha256(str(self.root).encode()).hexdigest()[:16]
        path = Path(tempfile.gettempdir()) / f"hnl-grading-{key}.lock"
        with open(path, "w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise GradingError(f"Another grading run holds {path}; wait for it to finish.") from None
            try:
                yield
            finally:
                with contextlib.suppress(OSError):
                    path.unlink()
                fcntl.flock(handle, fcntl.LOCK_UN)
