"""nbgrader ``zip_collect`` plugins for the downloads of Canvas, Moodle and Blackboard.

Each collector reads the names its LMS gives the files of a "download all submissions" zip,
finds the student in the roster (never by guessing from a name) and the notebook of the
assignment the file is (``01_Forward_Pass (1).ipynb`` is ``01_forward_pass``), keeps the newest
file of each student and notebook, and gives nbgrader the time the LMS recorded. They work with
stock nbgrader too::

    nbgrader zip_collect how_networks_learn --extractor=grader.lms.SafeExtractor \\
        --collector=grader.lms.CanvasCollector --LmsCollector.roster=roster.csv

The naming of each download, as the LMSs write them:

* Canvas ("Download Submissions", flat): ``<sortable name>[_LATE|-late]_<user id>_<attachment id>_<file>``;
  a file uploaded again under the same name becomes ``<name>-1.ipynb``; attachment ids only grow,
  so the highest is the newest. The download marks late work but gives no time.
* Moodle ("Download all submissions"): a folder ``<Full Name>_<participant id>_assignsubmission_file_/``
  per student (or, without folders, that prefix glued to each file name); only the latest submission,
  and no times: those are in the grading worksheet (MoodleCollector.worksheet).
* Blackboard (Grade Centre, "Assignment File Download"):
  ``<assignment>_<username>_attempt_<YYYY-MM-DD-HH-MM-SS>_<file>`` beside a ``…_attempt_<time>.txt``
  receipt; every attempt is in the zip, timed on the server's clock.
"""
import csv
import os
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from nbgrader.plugins import ExtractorPlugin, FileNameCollectorPlugin
from traitlets import List, Unicode

from ..intake import skipped_path, zip_entry_path
from .roster import Roster

MAX_UNPACKED = 2 * 1024 ** 3  # a zip bomb stops here, not when the disk is full
MAX_DEPTH = 3                 # zips inside zips inside zips


class UnsafeArchive(ValueError):
    """An archive that would write outside its folder, or unpack to more than MAX_UNPACKED."""


def safe_unzip(archive, dest, depth=0):
    """Unpack ``archive`` into ``dest``; a zip inside goes to a folder named after it (nbgrader's
    ExtractorPlugin does the same). Refuses absolute and ``..`` entries before writing anything."""
    dest = Path(dest)
    try:
        zf = zipfile.ZipFile(archive)
    except zipfile.BadZipFile:
        raise UnsafeArchive(f"{Path(archive).name} is not a readable zip file") from None
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        for info in infos:
            if zip_entry_path(info.filename) is None or re.match(r"^[A-Za-z]:", info.filename):
                raise UnsafeArchive(f"{Path(archive).name}: entry '{info.filename}' would write outside its "
                                    "folder (absolute or with '..'); refusing to unpack")
        if sum(i.file_size for i in infos) > MAX_UNPACKED:
            raise UnsafeArchive(f"{Path(archive).name} unpacks to more than {MAX_UNPACKED >> 30} GiB")
        for info in infos:
            parts = zip_entry_path(info.filename).parts
            if skipped_path(parts):
                continue
            target = dest.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out)
            if target.suffix.lower() == ".zip":
                if depth >= MAX_DEPTH:
                    raise UnsafeArchive(f"{target.name}: zips nested more than {MAX_DEPTH} deep")
                safe_unzip(target, target.with_suffix(""), depth + 1)
                target.unlink()


class SafeExtractor(ExtractorPlugin):
    """nbgrader's extractor, minus its trust: refuses entries that escape the folder, skips
    ``__MACOSX/`` and hidden files, bounds the unpacked size and the nesting."""

    def extract(self, archive_path, extracted_path):
        for root, _, files in os.walk(archive_path):
            for name in sorted(files):
                src = Path(root) / name
                dest = Path(extracted_path) / Path(root).relative_to(archive_path)
                dest.mkdir(parents=True, exist_ok=True)
                if src.suffix.lower() == ".zip":
                    self.log.info("Extracting from: %s", src)
                    try:
                        safe_unzip(src, dest / src.stem)
                    except UnsafeArchive as exc:
                        raise SystemExit(f"refusing {src}: {exc}") from None
                else:
                    shutil.copy(src, dest / name)


def _squash(text):
    return re.sub(r"[^0-9a-z]", "", text.lower())


def match_notebook(filename, notebooks):
    """(notebook id, None) for the assignment notebook ``filename`` is, else (None, why not).

    Exact names first; then a name that contains a notebook's id ignoring case and punctuation
    (``01_Forward_Pass (1).ipynb``, ``jane_01_forward_pass-2.ipynb``); then one that contains only
    its topic (``forward pass.ipynb``). More than one candidate is ambiguous: listed, not guessed.
    """
    stem = filename[:-len(".ipynb")] if filename.lower().endswith(".ipynb") else filename
    if stem in notebooks:
        return stem, None
    key = _squash(stem)
    for name_of in (_squash, lambda nb: _squash(nb.split("_", 1)[-1])):
        hits = sorted({nb for nb in notebooks if name_of(nb) and name_of(nb) in key})
        if len(hits) == 1:
            return hits[0], None
        if len(hits) > 1:
            return None, f"'{filename}' could be any of {', '.join(h + '.ipynb' for h in hits)}"
    return None, (f"'{filename}' is none of this assignment's notebooks "
                  f"({', '.join(nb + '.ipynb' for nb in notebooks)})")


@dataclass
class Plan:
    """What a download holds: the file chosen for each (student, notebook) and why others were not."""
    lms: str
    chosen: dict = field(default_factory=dict)       # (student id, notebook) -> Found
    timestamps: dict = field(default_factory=dict)   # student id -> datetime of the submission (UTC)
    ignored: list = field(default_factory=list)      # (file, why)
    problems: list = field(default_factory=list)     # (student id or None, message)
    resubmitted: list = field(default_factory=list)  # (student id, notebook, kept file, older files)
    renamed: list = field(default_factory=list)      # (student id, file, notebook)
    late: list = field(default_factory=list)         # (student id, what the LMS said)
    files: int = 0
    roster: object = None

    def lookup(self, path):
        for (sid, nb), found in self.chosen.items():
            if found.path == Path(path):
                return sid, nb
        return None


@dataclass
class Found:
    path: Path
    rel: str
    filename: str
    order: tuple = ()
    timestamp: datetime | None = None
    late: bool = False


class LmsCollector(FileNameCollectorPlugin):
    """Base of the per-LMS collectors: roster, notebook names, newest file wins, late times."""

    lms = "LMS"
    roster = Unicode("", help="CSV mapping the LMS's ids to nbgrader student ids (grader/lms/roster.py)"
                     ).tag(config=True)
    due_date = Unicode("", help="The assignment's due date (e.g. '2026-11-20 23:59:00 UTC'): a file the LMS "
                                "marks late without a time is recorded one second after it").tag(config=True)
    notebooks = List(Unicode(), help="Notebook ids of the assignment (default: its source/ folder)"
                     ).tag(config=True)
    timezone = Unicode("UTC", help="The LMS's clock, for the times it writes without a zone").tag(config=True)
    _known_ids = ()  # the roster's LMS ids, while a download is being planned

    def submission_times(self):
        """{lms id: when the LMS says the student submitted} from beside the download, if anything says."""
        return {}

    def parse(self, name):
        """{lms_id, name, filename, order, timestamp, late} from one path component, or None."""
        raise NotImplementedError

    def receipt(self, filename):
        """Is this a file the LMS adds itself (not the student's)?"""
        return False

    # --- planning a whole download -------------------------------------------------------
    def _locate(self, root, path):
        """The file as the LMS named it: its own name, else the innermost folder that carries the
        LMS's prefix (a Moodle folder, a zip a student uploaded)."""
        parts = path.relative_to(root).parts
        info = self.parse(parts[-1])
        if info and info["filename"]:
            return info
        for part in reversed(parts[:-1]):
            info = self.parse(part)
            if info:
                return dict(info, filename=parts[-1])
        return None

    def plan(self, root, roster=None):
        """Read every file under ``root`` (an unpacked download); nothing is copied."""
        roster = roster or Roster.read(self.roster)
        self._known_ids = [p.lms_id for p in roster.people]
        plan = Plan(self.lms, roster=roster)
        candidates = self._place(Path(root), plan, list(self.notebooks or self._default_notebooks()))
        self._choose(candidates, plan)
        self._time(plan, _parse_time(self.due_date) if self.due_date else None)
        return plan

    def _place(self, root, plan, notebooks):
        """{(student id, notebook): [Found]} for every notebook whose student and notebook are known;
        everything else goes to ``plan.ignored`` or ``plan.problems``."""
        times = self.submission_times()
        candidates = {}
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            rel = path.relative_to(root).as_posix()
            if skipped_path(path.relative_to(root).parts):
                continue
            plan.files += 1
            if path.suffix.lower() != ".ipynb":
                plan.ignored.append((rel, f"{self.lms}'s submission receipt" if self.receipt(path.name)
                                     else "not a notebook"))
                continue
            info = self._locate(root, path)
            if info is None:
                plan.problems.append((None, f"{rel}: the name does not follow {self.lms}'s pattern, so whose "
                                            "it is is unknown"))
                continue
            person = plan.roster.find(info["lms_id"])
            if person is None:
                who = f" ({info['name']})" if info.get("name") else ""
                plan.problems.append((None, f"{rel}: {self.lms} id '{info['lms_id']}'{who} is not in the roster "
                                            f"{plan.roster.path}: add the student or remove the file"))
                continue
            notebook, why = match_notebook(info["filename"], notebooks)
            if notebook is None:
                plan.problems.append((person.student_id, why))
                continue
            candidates.setdefault((person.student_id, notebook), []).append(
                Found(path, rel, info["filename"], info.get("order", ()),
                      info.get("timestamp") or times.get(info["lms_id"]), info.get("late", False)))
        return candidates

    def _choose(self, candidates, plan):
        """The newest file of each student and notebook; two with nothing to order them are listed."""
        for (sid, notebook), found in sorted(candidates.items()):
            found.sort(key=lambda f: f.order)
            newest = found[-1]
            if len(found) > 1 and (not newest.order or found[-2].order == newest.order):
                plan.problems.append((sid, f"{len(found)} files are {notebook}.ipynb and {self.lms} says "
                                           f"nothing of which is newer: {', '.join(f.filename for f in found)}"))
                continue
            plan.chosen[(sid, notebook)] = newest
            if newest.filename != f"{notebook}.ipynb":
                plan.renamed.append((sid, newest.filename, notebook))
            if len(found) > 1:
                plan.resubmitted.append((sid, notebook, newest.rel, [f.rel for f in found[:-1]]))
                plan.ignored += [(f.rel, f"an older file of {sid}'s {notebook} (resubmitted)") for f in found[:-1]]

    def _time(self, plan, due):
        """Each student's submission time (nbgrader keeps one per submission: the latest file's)."""
        marked = {}  # student id -> what the LMS's late marker means here
        for (sid, _), found in plan.chosen.items():
            stamp = found.timestamp
            if found.late and stamp is None:
                if due is None:
                    marked[sid] = f"{self.lms} marks it late; no due date is set, so no late penalty"
                    continue
                stamp = due + timedelta(seconds=1)
                marked[sid] = f"{self.lms} marks it late (no time): recorded 1 s after the due date"
            if stamp is not None:
                plan.timestamps[sid] = max(stamp, plan.timestamps.get(sid, stamp))
        plan.late += sorted(marked.items())
        for sid, stamp in sorted(plan.timestamps.items()):
            if due is not None and stamp > due and sid not in marked:
                plan.late.append((sid, f"submitted {stamp:%Y-%m-%d %H:%M:%S} UTC, "
                                       f"{_duration(stamp - due)} after the due date"))

    def _default_notebooks(self):
        coursedir = getattr(self.parent, "coursedir", None)
        if coursedir is None or not coursedir.assignment_id:
            raise ValueError(f"{type(self).__name__} needs the assignment's notebooks (LmsCollector.notebooks)")
        folder = Path(coursedir.format_path(coursedir.source_directory, ".", coursedir.assignment_id))
        return sorted(p.stem for p in folder.glob("*.ipynb"))

    # --- nbgrader's FileNameCollectorPlugin interface ------------------------------------
    def collect(self, submitted_file):
        """One file of ``nbgrader zip_collect``: its student and notebook, or None (with the reason logged)."""
        if not hasattr(self, "_plan"):
            parent = self.parent
            root = parent._format_collect_path(parent.extracted_directory) if parent else Path(submitted_file).parent
            self._plan = self.plan(root)
            for sid, message in self._plan.problems:
                self.log.warning("%s%s", f"{sid}: " if sid else "", message)
        hit = self._plan.lookup(submitted_file)
        if hit is None:
            return None
        sid, notebook = hit
        person = self._plan.roster.by_student_id[sid]
        info = {"student_id": sid, "file_id": f"{notebook}.ipynb", "first_name": person.first_name,
                "last_name": person.last_name, "email": person.email}
        if sid in self._plan.timestamps:
            info["timestamp"] = self._plan.timestamps[sid].isoformat(" ")
        return info


def _parse_time(text):
    from nbgrader.utils import parse_utc
    return parse_utc(text).replace(tzinfo=timezone.utc) if text else None


def _local_time(naive, zone):
    """A time the LMS wrote on its own clock (``zone``, an IANA name), in UTC."""
    from dateutil.tz import gettz
    tz = gettz(zone)
    if tz is None:
        raise ValueError(f"unknown time zone '{zone}' (use an IANA name such as Europe/London)")
    return naive.replace(tzinfo=tz).astimezone(timezone.utc)


def read_worksheet(path):
    """(header, rows as dicts) of Moodle's grading worksheet CSV."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        header = list(reader.fieldnames or [])
    if "Identifier" not in header:
        raise ValueError(f"{path} is not Moodle's grading worksheet (no 'Identifier' column)")
    return header, rows


def _duration(delta):
    hours, rest = divmod(int(delta.total_seconds()), 3600)
    return f"{hours // 24} d {hours % 24} h" if hours >= 24 else f"{hours} h {rest // 60} min"


class CanvasCollector(LmsCollector):
    lms = "Canvas"
    # Canvas lower-cases the name and turns punctuation into '-'; "_LATE" / "-late" marks late work.
    pattern = re.compile(r"^(?P<name>.+?)(?P<late>[-_]late)?_(?P<lms_id>\d+)_(?P<attachment>\d+)(?:_(?P<file>.*))?$",
                         re.IGNORECASE)

    def parse(self, name):
        m = self.pattern.match(name)
        if not m:
            return None
        return {"lms_id": m["lms_id"], "name": m["name"], "filename": m["file"] or "", "order": (int(m["attachment"]),),
                "timestamp": None, "late": bool(m["late"])}


class MoodleCollector(LmsCollector):
    lms = "Moodle"
    pattern = re.compile(r"^(?P<name>[^_]+)_(?P<lms_id>\d+)_+assignsubmission_(?P<kind>[a-z]+)_(?P<file>.*)$")
    worksheet = Unicode("", help="Moodle's grading worksheet CSV as downloaded: its 'Last modified (submission)' "
                                 "column is the only submission time Moodle gives").tag(config=True)

    def submission_times(self):
        from dateutil.parser import ParserError, parse
        if not self.worksheet:
            return {}
        _, rows = read_worksheet(self.worksheet)
        times = {}
        for row in rows:
            number = re.sub(r"\D", "", row.get("Identifier", ""))
            when = (row.get("Last modified (submission)") or "").strip()
            if number and when and when != "-":
                try:  # Moodle writes e.g. "Friday, 20 November 2026, 11:30 PM" on the user's clock
                    times[number] = _local_time(parse(when), self.timezone)
                except (ParserError, OverflowError):
                    raise ValueError(f"{self.worksheet}: cannot read the time '{when}' of "
                                     f"{row['Identifier']}") from None
        return times

    def parse(self, name):
        m = self.pattern.match(name)
        if not m:
            return None
        # onlinetext and other plugins' files carry the same prefix; they are not notebooks anyway
        return {"lms_id": m["lms_id"], "name": m["name"], "filename": m["file"], "order": (), "timestamp": None,
                "late": False}


class BlackboardCollector(LmsCollector):
    lms = "Blackboard"
    pattern = re.compile(r"^(?P<head>.*)_attempt_(?P<time>\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2})(?:_(?P<file>.*))?$")

    def parse(self, name):
        m = self.pattern.match(name)
        if not m:
            return None
        stamp = _local_time(datetime.strptime(m["time"], "%Y-%m-%d-%H-%M-%S"), self.timezone)
        return {"lms_id": self._username(m["head"]), "filename": m["file"] or "", "order": (stamp,),
                "timestamp": stamp, "late": False}

    def _username(self, head):
        """``<assignment>_<username>``: both may hold '_', so a roster username the head ends with
        wins (the longest); else the part after the last '_'."""
        folded = head.casefold()
        known = [u for u in self._known_ids if folded.endswith("_" + u.casefold())]
        return max(known, key=len) if known else head.rsplit("_", 1)[-1]

    def receipt(self, filename):
        m = self.pattern.match(Path(filename).stem)
        return bool(m) and not m["file"] and filename.endswith(".txt")


COLLECTORS = {"canvas": CanvasCollector, "moodle": MoodleCollector, "blackboard": BlackboardCollector}
