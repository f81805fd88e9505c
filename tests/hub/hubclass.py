"""A class set up by hub/deploy.py (as `make hub` does) for a test, from a clone of its own, with Unix users
of its own (``user("t", "ada")``: hnlt<tag>-ada, where the tag comes from this checkout's path, so that two
checkouts on one machine can run these tests at once without touching each other's users)."""
import csv
import hashlib
import importlib.util
import json
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from tests.support.course_files import ROOT

DEPLOY = ROOT / "hub" / "deploy.py"
# hub/deploy.py is a script, not a package module: loaded from its file, as `make hub` runs it
_spec = importlib.util.spec_from_file_location("hub_deploy", DEPLOY)
deploy = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(deploy)
ASSIGNMENT = "how_networks_learn"
COURSE_ID = "how-networks-learn"
TAG = hashlib.sha256(str(ROOT).encode()).hexdigest()[:4]


def user(kind, name):
    """A test user's name: hnl, the test's letter, this checkout's tag, the person (hnlt1a2b-ada)."""
    return f"hnl{kind}{TAG}-{name}"


def clone(dest):
    """The repository's files (as this working tree has them, changes included) in ``dest``, readable by
    everyone, as a fresh `git clone` is under the usual umask: what a class is set up from."""
    listed = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            capture_output=True, text=True, check=True).stdout
    for name in filter(None, listed.split("\0")):
        if (ROOT / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, dest / name)
    subprocess.run(["chmod", "-R", "u+rwX,go+rX", str(dest)], check=True)


def hub_problem():
    if os.geteuid() != 0:
        return "the hub tests create Unix users: run them as root (CI does)"
    if not (shutil.which("apt-get") or Path("/usr/bin/python3.11").exists()):
        return "no Debian Python 3.11 and no apt-get to install it"
    return None


def _remove_users(names):
    for name in names:
        subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)
    for name in names:
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        subprocess.run(["userdel", "--remove", name], capture_output=True)


class HubClass:
    """A class set up by `hub/deploy.py setup` in a folder of its own; removed with its users afterwards."""

    def __init__(self, people):
        self.people = people  # [(username, role)]
        self.users = [name for name, _ in people]
        self.root = Path(tempfile.mkdtemp(prefix="hnl-hub-test-", dir="/srv" if Path("/srv").is_dir() else None))
        self.root.chmod(0o755)
        self.repo = self.root / "clone"
        self.roster = self.root / "roster.csv"
        self.write_roster(people)

    def write_roster(self, people):
        with open(self.roster, "w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["username", "role", "name"])
            writer.writerows([name, role, f"Test {name}"] for name, role in people)

    def setup(self):
        _remove_users(self.users)  # what a crashed earlier run may have left
        clone(self.repo)
        self.apply_roster()
        return self

    def apply_roster(self, people=None):
        """`make roster` (the set-up, run again) with ``people`` as the roster; returns its output and seconds."""
        if people is not None:
            self.people = people
            self.users = sorted(set(self.users) | {name for name, _ in people})
            self.write_roster(people)
        started = time.perf_counter()
        done = subprocess.run(["make", "--no-print-directory", "roster", f"HUB_ROSTER={self.roster}",
                               f"HUB_ROOT={self.root}"],
                              cwd=self.repo, capture_output=True, text=True, timeout=1200)
        seconds = time.perf_counter() - started
        assert done.returncode == 0, f"hub set-up failed:\n{done.stdout}{done.stderr}"[-5000:]
        with open(self.root / "state" / "passwords.csv", newline="") as handle:
            self.passwords = {row["username"]: row["password"] for row in csv.DictReader(handle)}
        self.klass = klass = json.loads((self.root / "state" / "class.json").read_text())
        self.env, self.course, self.exchange = Path(klass["env"]), Path(klass["course"]), Path(klass["exchange"])
        return done.stdout, seconds

    def home(self, user):
        return pwd.getpwnam(user).pw_dir

    def environment(self, user):
        """What ``user``'s server has: the class's Python, the role's config, the exchange; their home."""
        return {**deploy.user_environment(self.klass, dict(self.people)[user]), "HOME": self.home(user), "USER": user,
                "LANG": "C.UTF-8"}

    def command_as(self, user, args):
        """``args`` run as ``user`` with what that user's server has (``environment``)."""
        env = self.environment(user)
        return ["runuser", "-u", user, "--", "env", "-i", *(f"{k}={v}" for k, v in env.items()), *map(str, args)]

    def run_as(self, user, args, cwd=None, check=True, timeout=600):
        done = subprocess.run(self.command_as(user, args), cwd=cwd or self.home(user), capture_output=True, text=True,
                              timeout=timeout)
        if check:
            command = " ".join(map(str, args))
            assert done.returncode == 0, f"{user}: {command} failed:\n{done.stdout}{done.stderr}"[-5000:]
        return done

    def login_shell(self, user, command, check=True, timeout=900):
        """``command`` in a login shell of ``user``, as SSH gives them: a clean environment, their profile."""
        done = subprocess.run(["runuser", "--login", user, "--command", command], capture_output=True, text=True,
                              timeout=timeout)
        if check:
            assert done.returncode == 0, f"{user}: {command} failed:\n{done.stdout}{done.stderr}"[-5000:]
        return done

    def remove(self):
        _remove_users(self.users)
        for name in ("profile", "sudoers"):
            if getattr(self, "klass", None):
                Path(self.klass[name]).unlink(missing_ok=True)
        shutil.rmtree(self.root, ignore_errors=True)
