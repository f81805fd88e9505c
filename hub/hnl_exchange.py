"""nbgrader's exchange on a shared server (a class's JupyterHub): a submission is its student's alone, and
it counts from the moment it arrived.

hub/deploy.py installs this module into the class's environment (students' servers load it, so it is not
part of `grader`, which students may not read).

nbgrader's own submit leaves every submission world-readable, in a folder anyone may write to, hidden
only by its random name (nbgrader/exchange/default/submit.py): one leaked name and another student can
read it or change it. The hub's set-up gives the course's exchange folder to the instructors' group and
makes inbound/ set-group-id and sticky, so what is created in inbound/ belongs to that group and only its
maker may rename or remove it: owner and group are all `nbgrader collect` needs.

nbgrader's own collect believes what students write (nbgrader/exchange/default/collect.py): a folder
named ``<student>+<assignment>+<time>+<anything>`` is taken as <student>'s, whoever made it (it only logs
"cheating attempt?"), at the time its name and its timestamp.txt claim, both written by the student; and it
follows links, so a link in a submission to the instructors' files is collected as the student's work.
"""
import datetime
import os
import pwd
import secrets
import shutil
import stat
import sys
from collections import defaultdict

from nbgrader.exchange.default import ExchangeCollect, ExchangeSubmit
from nbgrader.utils import ignore_patterns
from traitlets import Float

# Beside the class report (grader/report.py shows it): what the last collect refused or re-timed.
COLLECT_NOTES = "exchange_collect.txt"
REMOVE_COMMAND = "hnl-remove-refused"  # hub/deploy.py installs it; it runs remove_refused() through sudo


class PrivateSubmit(ExchangeSubmit):
    """nbgrader's submit, then the submission readable by its student and the instructors only."""

    def copy_files(self):
        super().copy_files()
        submission = os.path.join(self.inbound_path, self.assignment_filename)
        # Rebuilt in a new folder: nbgrader's copy gives the submission the mode of the student's own folder,
        # which drops the set-group-id bit, so its last files (timestamp.txt) got the student's group, and a
        # student may not hand a file to a group they are not in. Files created anew inherit the right one.
        # The name starts with "." so that `nbgrader collect` never takes the half-built copy for a submission.
        private = os.path.join(self.inbound_path, f".{secrets.token_hex(16)}")
        os.mkdir(private)
        for folder, subfolders, files in os.walk(submission):
            target = os.path.join(private, os.path.relpath(folder, submission))
            for name in subfolders:
                os.mkdir(os.path.join(target, name))
            for name in files:
                shutil.copyfile(os.path.join(folder, name), os.path.join(target, name))
                os.chmod(os.path.join(target, name), 0o440)
        for folder, _, _ in os.walk(private, topdown=False):
            os.chmod(folder, 0o2770)  # the instructors may remove it, as nbgrader's 0777 let them
        shutil.rmtree(submission)
        os.rename(private, submission)  # the kernel sets the folder's ctime now: when it arrived


class Refused(Exception):
    """A folder in inbound/ that is not its named student's own work; the message says why."""


def _user(uid):
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def _utc(seconds):
    """A file time as nbgrader keeps times: naive, in UTC (nbgrader.utils.parse_utc)."""
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).replace(tzinfo=None)


def _check_owner(info, uid, shown):
    if info.st_uid != uid:
        raise Refused(f"{shown} belongs to {_user(info.st_uid)}, not to {_user(uid)}")


def _open(name, dir_fd, path, shown):
    """Open an entry without following a link (O_NOFOLLOW) or waiting on a pipe (O_NONBLOCK)."""
    try:
        return os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=dir_fd)
    except OSError as error:
        kind = "a link" if os.path.islink(path) else f"not readable ({error.strerror})"
        raise Refused(f"{shown} is {kind}") from None


def _walk(fd, uid, path, dest, ignore, shown="its folder"):
    """Check (and with ``dest``, copy) the folder ``path``, open as ``fd``: every entry a folder or a file
    that ``uid`` owns. Returns the latest ctime seen, each taken after reading: the kernel sets a ctime on
    every change to a file or to a folder's list, and nobody but root can set it back."""
    _check_owner(os.fstat(fd), uid, shown)
    if dest is not None:
        os.mkdir(dest)
    names = os.listdir(fd)
    skipped = set(ignore(path, names)) if ignore else set()
    latest = 0.0
    for name in sorted(set(names) - skipped):
        entry, label = os.path.join(path, name), name if shown == "its folder" else os.path.join(shown, name)
        child = _open(name, fd, entry, label)
        try:
            info = os.fstat(child)
            target = None if dest is None else os.path.join(dest, name)
            if stat.S_ISDIR(info.st_mode):
                latest = max(latest, _walk(child, uid, entry, target, ignore, label))
                continue
            if not stat.S_ISREG(info.st_mode):
                raise Refused(f"{label} is neither a file nor a folder")
            _check_owner(info, uid, label)
            if target is not None:
                with open(child, "rb", closefd=False) as source, open(target, "wb") as copy:
                    shutil.copyfileobj(source, copy)
            latest = max(latest, os.fstat(child).st_ctime)
        finally:
            os.close(child)
    return max(latest, os.fstat(fd).st_ctime)


def own_work(path, username, dest=None, ignore=None):
    """When the folder ``path`` last changed (naive UTC), if it is ``username``'s own: a real folder,
    everything in it theirs, no links; else raise Refused. With ``dest``, copy it there as it is checked,
    so that what is copied is what was checked (a link swapped in meanwhile is refused, not followed)."""
    try:
        uid = pwd.getpwnam(username).pw_uid
    except KeyError:
        raise Refused(f"there is no user {username}") from None
    info = os.lstat(path)
    if info.st_uid != uid:
        raise Refused(f"made by {_user(info.st_uid)}, not by {username}")
    if not stat.S_ISDIR(info.st_mode):
        raise Refused("a link or a file, not a folder")
    try:  # checked again once open (_walk): it may have been swapped for another since
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError as error:
        raise Refused(f"cannot be read ({error.strerror})") from None
    try:
        return _utc(_walk(fd, uid, path, dest, ignore))
    finally:
        os.close(fd)


class TrustedCollect(ExchangeCollect):
    """nbgrader's collect, trusting only what a student cannot forge: who owns a submission (every file
    of it), and when it arrived (the latest ctime in it). A submission that is not its named student's
    own is refused and named; the instructors remove it with `hnl-remove-refused`. One whose claimed
    time (its name, its timestamp.txt) is earlier than its arrival counts from its arrival: the later of
    the two is written into the collected timestamp.txt, which nbgrader's late penalty reads."""

    claim_tolerance = Float(60.0, help=(
        "Seconds by which a submission's claimed time may differ from its arrival before it is listed. "
        "nbgrader's submit stamps the time before it copies, so an honest claim is a moment early. "
        "Whatever the difference, the later of the two times is the one graded.")).tag(config=True)

    def _path_to_record(self, path):
        record = super()._path_to_record(path)
        record["claimed"] = record["timestamp"]
        try:
            record["arrived"] = own_work(path, record["username"])
            record["timestamp"] = max(record["claimed"], record["arrived"])
        except Refused as why:
            record["refused"] = str(why)
        self.records.append(record)
        return record

    def init_src(self):
        self.records, self.retimed = [], []
        super().init_src()
        # nbgrader chose each student's newest folder by the time written in its name: choose again,
        # among the folders that are the student's own, by the time they arrived.
        self.refused = [r for r in self.records if "refused" in r]
        students = defaultdict(list)
        for record in self.records:
            if "refused" not in record:
                students[record["username"]].append(record)
        self.src_records = []
        for records in students.values():
            newest = self._sort_by_timestamp(records)
            due = self.duedate if self.before_duedate else None
            self.src_records.append(([r for r in newest if due and r["timestamp"] <= due] or newest)[0])
        for record in self.src_records:
            if abs((record["arrived"] - record["claimed"]).total_seconds()) > self.claim_tolerance:
                self.retimed.append(record)

    def do_copy(self, src, dest):
        record = next(r for r in self.src_records if r["filename"] == os.path.basename(src))
        if self.get_size(src) > 1000 * self.coursedir.max_dir_size:  # as nbgrader's do_copy
            raise RuntimeError(f"Directory size is too big: {src}")
        ignore = ignore_patterns(exclude=self.coursedir.ignore, include=self.coursedir.include,
                                 max_file_size=self.coursedir.max_file_size, log=self.log)
        try:
            arrived = own_work(src, record["username"], dest, ignore)
        except Refused as why:  # changed since it was checked: what was copied goes
            shutil.rmtree(dest, ignore_errors=True)
            record["refused"] = str(why)
            self.refused.append(record)
            return
        record["timestamp"] = max(record["claimed"], arrived)
        with open(os.path.join(dest, "timestamp.txt"), "w") as handle:
            handle.write(f"{record['timestamp']:%Y-%m-%d %H:%M:%S.%f} UTC")

    def copy_files(self):
        super().copy_files()
        notes = self.notes()
        path = os.path.join(self.coursedir.root, "reports", self.coursedir.assignment_id, COLLECT_NOTES)
        if notes:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as handle:
                handle.write("\n".join(notes) + "\n")
        elif os.path.exists(path):
            os.remove(path)
        for record in self.retimed:
            self.log.warning(self._retimed_line(record))
        if self.refused:
            self.fail("\n".join(notes[:len(self.refused) + 2]))

    @staticmethod
    def _retimed_line(record):
        return (f"{record['username']}: claims {record['claimed']:%Y-%m-%d %H:%M:%S} UTC but arrived "
                f"{record['arrived']:%Y-%m-%d %H:%M:%S} UTC: graded as of {record['timestamp']:%Y-%m-%d %H:%M:%S} UTC")

    def notes(self):
        """What the instructors must know about this collect, as lines (empty when nothing)."""
        lines = []
        if self.refused:
            lines.append(f"REFUSED {len(self.refused)} folder(s) in the exchange's inbound/ that are not their "
                         f"student's own work; every other submission was collected:")
            lines += [f"  {r['filename']}: {r['refused']}" for r in self.refused]
            lines.append(f"Remove them with `{REMOVE_COMMAND} <folder> ...` in a terminal.")
        if self.retimed:
            lines.append("Claimed times that are not when the submission arrived (graded at the later one):")
            lines += [f"  {self._retimed_line(r)}" for r in self.retimed]
        return lines


def remove_refused(inbound, names):
    """Remove folders of ``inbound`` that collect refuses (run as root, through sudo: they may belong to
    any student). A folder that is its student's own work is left as it is. Returns the exit status."""
    status = 0
    for name in names:
        path = os.path.join(inbound, name)
        if "/" in name or "+" not in name or not os.path.lexists(path):
            print(f"{name}: not a submission in {inbound}", file=sys.stderr)
            status = 1
            continue
        try:
            own_work(path, name.split("+")[0])
        except Refused as why:
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path)  # fd-based on Linux: never follows a link a student planted
            else:
                os.unlink(path)
            print(f"removed {name} ({why})")
            continue
        print(f"{name} is its student's own submission: left as it is", file=sys.stderr)
        status = 1
    return status


if __name__ == "__main__" and sys.argv[1:2] == ["remove-refused"] and len(sys.argv) > 3:
    sys.exit(remove_refused(sys.argv[2], sys.argv[3:]))
