"""Set up, and serve, a JupyterHub for one class of How Networks Learn on this server (`make hub`).

    sudo python3 hub/deploy.py setup [--roster hub/roster.csv] [--root /srv/how-networks-learn]
    sudo python3 hub/deploy.py serve [--root ...] [--port 8000]

``setup`` is idempotent and needs root (it creates Unix users); run again while the hub serves, it applies
a changed roster (`make roster`) without restarting anything. It builds:

- the class's Python environment (HUB_ENV, default /var/lib/how-networks-learn/env) from Debian's
  /usr/bin/python3.11 in a world-readable folder, since users' servers run as the users and cannot
  reach an interpreter under /root: the course's pinned packages, JupyterHub, the `course` package;
  beside it the grading code, readable by the instructors' group only (it holds reference answers);
- JupyterHub's proxy from npm (hub/proxy/package-lock.json), beside that environment;
- a Unix account per roster line (PAM logs them in); new ones get a random password, written to
  <root>/state/passwords.csv (root only) for the instructor to hand out; people no longer on the roster
  are disabled (account locked, processes stopped), their files kept;
- the instructors' course folder (<root>/course: source/, release/, the gradebook; shared by the
  instructors' group), and nbgrader's exchange (<root>/exchange, with the permissions nbgrader documents);
- the Jupyter configuration of each role (<root>/config/<role>): students get the Assignments panel and
  Validate, instructors also formgrader, which may be framed by the instructor's own lab only;
- for every login shell of the class's users (a JupyterLab terminal, SSH) the same settings, in
  /etc/profile.d/how-networks-learn-<id>.sh, and for the instructors a sudo rule for one command:
  removing what collect refused from inbound/ (hnl-remove-refused).

It also makes the clone it runs from unreadable to other users: it holds the solutions.

Only the standard library: it runs before any environment exists.
"""
import argparse
import copy
import csv
import fcntl
import grp
import hashlib
import json
import os
import pwd
import re
import secrets
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HUB = REPO / "hub"
COURSE_ID = "how-networks-learn"
INSTRUCTORS_GROUP = "hnl-instructors"
ROLES = ("instructor", "student")
DEFAULT_ROOT = Path(os.environ.get("HUB_ROOT", "/srv/how-networks-learn"))
DEFAULT_ENV = Path(os.environ.get("HUB_ENV", "/var/lib/how-networks-learn/env"))
HUB_PYTHON = os.environ.get("HUB_PYTHON", "/usr/bin/python3.11")
# What the instructors' course folder is made of: what `make grade` and formgrader need, no tests or tools.
COURSE_FILES = ["nbgrader_config.py", "Makefile", "requirements.txt", "requirements-hub.txt",
                "requirements-test.txt", "pyproject.toml", "tools/install_sandbox.sh", "docs/grading.md",
                "tools/lab_overrides.json", "tools/clean_notebooks.py"]  # the last two: `make release`
COURSE_FOLDERS = ["source", "release"]
# Unix user names that are also valid DNS labels: each user's server is served at <name>.<hub host>.
USERNAME = re.compile(r"^[a-z][a-z0-9-]{0,30}$")


class SetupError(Exception):
    """Something the person running the set-up must fix; the message says what."""


def say(message):
    print(f"hub: {message}", flush=True)


def run(args, **kwargs):
    """Run a command; on failure raise SetupError with its output (not a traceback)."""
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        output = (done.stdout + done.stderr)[-3000:]
        raise SetupError(f"{' '.join(map(str, args))} failed ({done.returncode}):\n{output}")
    return done.stdout


# --- the roster --------------------------------------------------------------------------------------------

def read_roster(path):
    """[{username, role, name}] from a CSV with columns username,role[,name]; every problem named at once."""
    path = Path(path)
    if not path.is_file():
        raise SetupError(f"no roster at {path}: a CSV with columns username,role,name (see hub/roster.csv)")
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    problems, people, seen = [], [], set()
    for line, row in enumerate(rows, start=2):
        username = (row.get("username") or "").strip()
        role = (row.get("role") or "").strip().lower()
        if not USERNAME.match(username):
            problems.append(f"line {line}: username {username!r} must be 1-31 lowercase letters, digits or '-', "
                            "starting with a letter (it becomes a Unix user and a web address)")
        if role not in ROLES:
            problems.append(f"line {line}: role {role!r} must be one of {', '.join(ROLES)}")
        if username in seen:
            problems.append(f"line {line}: {username} is listed twice")
        seen.add(username)
        people.append({"username": username, "role": role, "name": (row.get("name") or "").strip()})
    if not any(p["role"] == "instructor" for p in people):
        problems.append("the roster names no instructor")
    if problems:
        raise SetupError(f"{path} has problems:\n  " + "\n  ".join(problems))
    return people


# --- packages ----------------------------------------------------------------------------------------------

def apt_install(*packages):
    say(f"installing {' '.join(packages)} with apt-get ...")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(["apt-get", "update", "-q"], env=env)
    run(["apt-get", "install", "-y", "-q", "--no-install-recommends", *packages], env=env)


def system_packages():
    """Node for the proxy, venv for Debian's Python, bubblewrap for sandboxed grading, sudo for the one
    command instructors run as root (removing a refused submission)."""
    missing = [] if shutil.which("sudo") and shutil.which("visudo") else ["sudo"]
    if not shutil.which("node") or not shutil.which("npm"):
        missing += ["nodejs", "npm"]
    if not Path(HUB_PYTHON).exists():
        missing += ["python3.11"]
    if not Path(HUB_PYTHON).exists() or subprocess.run([HUB_PYTHON, "-c", "import ensurepip"],
                                                       capture_output=True).returncode != 0:
        missing += ["python3.11-venv"]
    if not shutil.which("bwrap"):
        missing += ["bubblewrap", "util-linux"]
    if missing:
        apt_install(*missing)


def _fingerprint(paths):
    """A hash of these files and of every file under these folders (what the environment is built from)."""
    digest = hashlib.sha256()
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts) \
            if path.is_dir() else [path]
        for file in files:
            digest.update(str(file.relative_to(REPO)).encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def environment(env):
    """Build (or bring up to date) the class's Python environment and the proxy next to it (one set-up at a time)."""
    env.parent.mkdir(parents=True, exist_ok=True)
    with open(env.parent / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _environment(env)
        _remove_command(env)


def remove_command(env, exchange_root):
    """The exact command the instructors may run as root (sudo checks every word of it)."""
    return [str(env / "bin" / "python"), "-I", "-m", "hnl_exchange", "remove-refused",
            str(exchange_root / COURSE_ID / "inbound")]


def _remove_command(env):
    """hnl-remove-refused: a refused submission belongs to a student and only root may remove it, so the
    command goes through sudo, which lets the instructors' group run exactly this (sudoers() below).
    ``-I``: as root, Python must not import from the instructor's folder or environment."""
    command = remove_command(env, Path("${HNL_EXCHANGE:?is not set: open a new terminal}"))
    script = env / "bin" / "hnl-remove-refused"
    script.write_text("#!/bin/sh\n"
                      "# Remove what `nbgrader collect` refused from the class's inbound/ (hub/hnl_exchange.py).\n"
                      f'exec sudo -n {" ".join(command[:-1])} "{command[-1]}" "$@"\n')
    script.chmod(0o755)


def _environment(env):
    stamp = env / ".hub-built-from"
    wanted = _fingerprint([REPO / "requirements.txt", REPO / "requirements-hub.txt", REPO / "pyproject.toml",
                           REPO / "course", REPO / "grader", REPO / "source", HUB / "hnl_exchange.py",
                           HUB / "proxy" / "package-lock.json", REPO / "tools" / "install_sandbox.sh",
                           REPO / "tools" / "lab_overrides.json"])
    if stamp.exists() and stamp.read_text() == wanted:
        say(f"environment {env} is up to date")
        _stamp_for_make(env)
        return
    python = env / "bin" / "python"
    if not python.exists():
        say(f"creating {env} from {HUB_PYTHON} ...")
        run([HUB_PYTHON, "-m", "venv", env])
        run([python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    say("installing the pinned packages (about a minute the first time) ...")
    run([python, "-m", "pip", "install", "--quiet", "-r", REPO / "requirements-hub.txt"])
    site = Path(run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).strip())
    # What every user's server and kernel imports: the course's helpers and the hub's exchange.
    shutil.rmtree(site / "course", ignore_errors=True)
    shutil.copytree(REPO / "course", site / "course", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(HUB / "hnl_exchange.py", site / "hnl_exchange.py")
    # The grading code holds reference answers: instructors only (and outside every folder the grading
    # sandbox shows student code: not in this environment, not under /opt or /usr). A .pth file puts it on
    # the instructors' path; for anyone else it is a folder they cannot read, which Python skips. It sits
    # in the repository's layout (grader/ beside course/ and source/), where it finds the course's shape.
    grading = env.parent / "grading"
    shutil.rmtree(grading, ignore_errors=True)
    for name in ("grader", "course", "source"):
        shutil.copytree(REPO / name, grading / name, ignore=shutil.ignore_patterns("__pycache__"))
    (site / "hnl_grading.pth").write_text(f"{grading}\n")
    run([python, "-m", "compileall", "-q", site / "course", site / "hnl_exchange.py", grading])
    run([python, "-c", "from grader.sandbox import install_kernelspec; install_kernelspec()"])
    overrides = env / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    overrides.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "tools" / "lab_overrides.json", overrides)
    proxy = env.parent / "proxy"
    proxy.mkdir(exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copy(HUB / "proxy" / name, proxy / name)
    say("installing JupyterHub's proxy with npm ...")
    run(["npm", "ci", "--no-audit", "--no-fund", "--omit=dev"], cwd=proxy)
    run(["chmod", "-R", "a+rX", env, proxy])
    env.parent.chmod(0o755)
    run(["chown", "-R", f"root:{INSTRUCTORS_GROUP}", grading])
    run(["chmod", "-R", "u=rwX,g=rX,o=", grading])
    stamp.write_text(wanted)
    _stamp_for_make(env)


def _stamp_for_make(env):
    """`make grade` in the course folder runs from this environment: its stamps, newer than the course's
    files (copied next, with their own times), say it is set up."""
    for name in (".runtime", ".sandbox", "share/jupyter/lab/settings/overrides.json"):  # in make's order
        (env / name).touch()


def proxy_command(env):
    return env.parent / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"


# --- users, the course folder, the exchange ------------------------------------------------------------------

def first_instructor(people):
    """Who owns the course's folders (the instructors' group shares them)."""
    return next(p["username"] for p in people if p["role"] == "instructor")


def _user_exists(name):
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def accounts(people, state, course, disabled=()):
    """A Unix account per roster line; new accounts get a random password, kept in state/passwords.csv.
    ``disabled``: people disabled earlier; those back on the roster are enabled again."""
    passwords = state / "passwords.csv"
    known = {}
    if passwords.exists():
        with open(passwords, newline="") as handle:
            known = {row["username"]: row["password"] for row in csv.DictReader(handle)}
    for person in people:
        user = person["username"]
        if not _user_exists(user):
            run(["useradd", "--create-home", "--shell", "/bin/bash", "--comment", person["name"] or user, user])
            known[user] = secrets.token_urlsafe(12)
            run(["chpasswd"], input=f"{user}:{known[user]}\n")
            say(f"created user {user} ({person['role']})")
        home = Path(pwd.getpwnam(user).pw_dir)
        home.chmod(0o700)  # a student's work is their own (Debian's useradd leaves homes world-readable)
        link = home / COURSE_ID
        if person["role"] == "instructor" and not link.is_symlink():
            if link.exists():
                raise SetupError(f"{link} exists: move it away, so that it can point at the course folder {course}")
            link.symlink_to(course)
            os.lchown(link, pwd.getpwnam(user).pw_uid, pwd.getpwnam(user).pw_gid)
        member = user in grp.getgrnam(INSTRUCTORS_GROUP).gr_mem
        if person["role"] == "instructor" and not member:
            run(["usermod", "--append", "--groups", INSTRUCTORS_GROUP, user])
        elif person["role"] == "student" and member:
            run(["gpasswd", "--delete", user, INSTRUCTORS_GROUP])
        if user in disabled:
            run(["usermod", "--unlock", "--expiredate", "", user])
            say(f"enabled {user} again")
    fd = os.open(passwords, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["username", "password"])
        writer.writerows(sorted(known.items()))


def disable(names):
    """People taken off the roster: their account locked and expired (no password, SSH or hub login; the
    hub also refuses them, jupyterhub_config.py), out of the instructors' group, their processes (server,
    terminals, kernels) stopped. Their home and their grades stay."""
    group = grp.getgrnam(INSTRUCTORS_GROUP).gr_mem
    for user in names:
        if not _user_exists(user):
            continue
        run(["usermod", "--lock", "--expiredate", "1", user])
        if user in group:
            run(["gpasswd", "--delete", user, INSTRUCTORS_GROUP])
        subprocess.run(["pkill", "-TERM", "-u", user], capture_output=True)  # exits 1 when nothing ran
        say(f"disabled {user} (off the roster): account locked, processes stopped, files kept")


def exchange(root, people):
    """nbgrader's exchange: a folder everyone may write to (nbgrader docs), sticky so nobody removes another's.

    The course's folder in it belongs to the instructors' group (set-group-id, as nbgrader's groupshared
    makes it), so inbound/ hands every submission to that group (hub/hnl_exchange.py)."""
    folder = root / "exchange"
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o1777)
    course = folder / COURSE_ID
    course.mkdir(exist_ok=True)
    instructor = first_instructor(people)
    run(["chown", f"{instructor}:{INSTRUCTORS_GROUP}", course])
    course.chmod(0o2775)
    # inbound/ as nbgrader's release makes it (students may create in it, not list it), and sticky: only
    # whoever made a submission may rename or remove it (without the bit any student could hide another's).
    inbound = course / "inbound"
    inbound.mkdir(exist_ok=True)
    run(["chown", f"{instructor}:{INSTRUCTORS_GROUP}", inbound])
    inbound.chmod(0o3773)
    return folder


def class_path(env):
    """PATH for whatever runs as one of the class's users: the class's Python first (they cannot reach /root's)."""
    return f"{env / 'bin'}:/usr/local/bin:/usr/bin:/bin"


def user_environment(klass, role):
    """What a user's server starts with (jupyterhub_config.py), and the tests' commands as that user: the
    class's Python first, the role's configuration, the exchange. ``klass`` is state/class.json."""
    env = Path(klass["env"])
    return {"PATH": class_path(env), "JUPYTER_CONFIG_PATH": str(Path(klass["config"]) / role),
            "HNL_EXCHANGE": klass["exchange"], "HNL_VENV": str(env)}


INSTRUCTOR_UMASK = "007"  # what instructors create, their group may change: they share the course


def as_user(user, args, cwd, env):
    """Run a command as instructor ``user`` (runuser from util-linux), with the class environment on PATH."""
    return run(["runuser", "-u", user, "--", "env", f"PATH={class_path(env)}", f"HNL_VENV={env}",
                "sh", "-c", f'umask {INSTRUCTOR_UMASK} && exec "$@"', "sh", *args], cwd=cwd)


def course_folder(root, people, env):
    """The instructors' course folder: the course's files, owned by the instructors' group (setgid).

    Made once: afterwards it is the instructors' (their edits, the gradebook, submissions), and a set-up
    run again only adds the roster's new students to the gradebook."""
    course = root / "course"
    instructor = first_instructor(people)
    nbgrader = ["python", "-m", "nbgrader"]
    if not (course / "gradebook.db").exists():
        course.mkdir(parents=True, exist_ok=True)
        for name in COURSE_FILES:
            (course / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, course / name)  # keeps mtimes: the Makefile's stamps stay newer
        for name in COURSE_FOLDERS:
            shutil.copytree(REPO / name, course / name, dirs_exist_ok=True, copy_function=shutil.copy2)
        run(["chown", "-R", f"{instructor}:{INSTRUCTORS_GROUP}", course])
        _share(course)
        # The gradebook knows the assignments (as release/ has them), as formgrader shows them.
        for assignment in sorted(p.name for p in (course / "source").iterdir() if p.is_dir()):
            as_user(instructor, [*nbgrader, "db", "assignment", "add", assignment], course, env)
    else:
        say(f"course folder {course} kept as the instructors left it")
    students = [p for p in people if p["role"] == "student"]
    if students:
        roster = course / "students.csv"
        with open(roster, "w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "first_name", "last_name"])
            for person in students:
                first, _, last = person["name"].partition(" ")
                writer.writerow([person["username"], first, last])
        run(["chown", f"{instructor}:{INSTRUCTORS_GROUP}", roster])
        as_user(instructor, [*nbgrader, "db", "student", "import", "students.csv"], course, env)
    _share(course)
    return course


def _share(course):
    """Every instructor may change everything in the course folder (a file made elsewhere or with a private
    umask included); its set-group-id folders give new files to the group."""
    run(["chgrp", "-R", INSTRUCTORS_GROUP, course])
    run(["chmod", "-R", "u+rwX,g+rwX,o-rwx", course])
    run(["find", course, "-type", "d", "-exec", "chmod", "g+s", "{}", "+"])


def role_config(root, course, exchange_root):
    """<root>/config/<role>: Jupyter and nbgrader settings each role's servers start with (JUPYTER_CONFIG_PATH)."""
    common = {"CourseDirectory": {"course_id": COURSE_ID},
              # One exchange can serve several courses: each course's files sit under its own id.
              "Exchange": {"root": str(exchange_root), "path_includes_course": True},
              # Submissions private to their student; collected only as their maker's, at their arrival.
              "ExchangeFactory": {"submit": "hnl_exchange.PrivateSubmit", "collect": "hnl_exchange.TrustedCollect"}}
    for role in ROLES:
        folder = root / "config" / role
        (folder / "labconfig").mkdir(parents=True, exist_ok=True)
        nbgrader = copy.deepcopy(common)
        server = {"ServerApp": {}}
        disabled = {}
        if role == "instructor":
            nbgrader["CourseDirectory"]["groupshared"] = True
            # formgrader works only on a course inside the server's root (the home): a link there to the
            # shared folder (made per instructor by accounts()); nbgrader does not resolve it.
            (folder / "nbgrader_config.py").write_text(
                'import os\n\nc = get_config()  # noqa: F821\n'
                f'c.CourseDirectory.root = os.path.expanduser("~/{COURSE_ID}")\n')
            # Each user's server has its own origin (subdomains), so 'self' is that instructor's own lab:
            # formgrader opens inside it; no other user's page may frame it (nbgrader #1947).
            server["ServerApp"]["tornado_settings"] = {"headers": {"Content-Security-Policy": "frame-ancestors 'self'"}}
        else:
            server["ServerApp"]["jpserver_extensions"] = {"nbgrader.server_extensions.formgrader": False,
                                                          "nbgrader.server_extensions.course_list": False}
            disabled = {f"@jupyter/nbgrader:{name}": True
                        for name in ("formgrader", "create-assignment", "course-list")}
        files = {"nbgrader_config.json": nbgrader, "jupyter_server_config.json": server,
                 "labconfig/page_config.json": {"disabledExtensions": disabled}}
        for name, content in files.items():
            (folder / name).write_text(json.dumps(content, indent=1) + "\n")
    run(["chmod", "-R", "a+rX", root / "config"])


def class_id(root):
    """A short name for the class in <root>, for the files it puts in /etc (one server, several classes)."""
    return hashlib.sha256(str(root).encode()).hexdigest()[:8]


def profile(klass, path):
    """/etc/profile.d/how-networks-learn-<id>.sh: each of the class's users gets, in every login shell (a
    JupyterLab terminal starts one, and Debian's /etc/profile resets PATH; SSH gives none of the server's
    settings), what their server has: the class's Python first, their role's configuration, the exchange."""
    lines = [f"# The class in {klass['root']}, written by hub/deploy.py: its users' settings in login shells.",
             'case "$(id -un)" in']
    for role in ROLES:
        names = sorted(p["username"] for p in klass["people"] if p["role"] == role)
        if not names:
            continue
        settings = dict(user_environment(klass, role), PATH=f"{klass['env']}/bin:$PATH")
        exports = " ".join(f'{name}="{value}"' for name, value in settings.items())
        umask = f" umask {INSTRUCTOR_UMASK};" if role == "instructor" else ""
        lines.append(f"  {'|'.join(names)}) export {exports};{umask} ;;")
    lines.append("esac")
    path.write_text("\n".join(lines) + "\n")
    path.chmod(0o644)


SUDOERS_UNSAFE = re.compile(r"[^A-Za-z0-9/._+-]")  # what would need escaping in a sudoers rule


def sudoers(klass, path):
    """/etc/sudoers.d/how-networks-learn-<id>: the class's instructors may run, as root, the removal of
    refused submissions from this class's inbound/ and nothing else (checked with visudo before use)."""
    command = remove_command(Path(klass["env"]), Path(klass["exchange"]))
    if any(SUDOERS_UNSAFE.search(word) for word in command):
        raise SetupError(f"the class's folders must have plain names (letters, digits, / . _ + -): {command}")
    rule = (f"# The class in {klass['root']} (hub/deploy.py): its instructors may remove submissions collect refused.\n"
            f"%{INSTRUCTORS_GROUP} ALL=(root) NOPASSWD: {' '.join(command)} *\n")
    with tempfile.NamedTemporaryFile("w", dir=path.parent, prefix=".hnl-", delete=False) as handle:
        handle.write(rule)
    draft = Path(handle.name)
    draft.chmod(0o440)
    try:
        run(["visudo", "--check", "--quiet", "--file", draft])
        draft.replace(path)
    finally:
        draft.unlink(missing_ok=True)


def keep_private(repo, people):
    """The clone `make hub` runs from holds the solutions (source/) and the reference answers (grader/):
    no other user may enter it. Its mode is fixed here, and said, rather than refused: the fix is one
    chmod, and the hub's own files are copies elsewhere."""
    info = repo.stat()
    mode = stat.S_IMODE(info.st_mode)
    private = mode & ~0o007
    students = [p["username"] for p in people if p["role"] == "student"]
    if any(info.st_gid in os.getgrouplist(user, pwd.getpwnam(user).pw_gid) for user in students):
        private &= ~0o070  # its group has students in it
    if private != mode:
        repo.chmod(private)
        say(f"{repo} was readable by other users (mode {mode:o}): now {private:o}, so that students cannot read "
            "its source/ (solutions, hidden tests) or grader/ (reference answers)")


def setup(args):
    if os.geteuid() != 0:
        raise SetupError("run the hub's set-up as root (sudo make hub): it creates Unix users")
    people = read_roster(args.roster)
    root, env = args.root.resolve(), args.env.resolve()
    root.mkdir(parents=True, exist_ok=True)
    root.chmod(0o755)
    state = root / "state"
    state.mkdir(exist_ok=True)
    state.chmod(0o700)
    before = json.loads((state / "class.json").read_text()) if (state / "class.json").exists() else {}
    system_packages()
    run(["groupadd", "--force", INSTRUCTORS_GROUP])  # --force: fine if it exists (another class on this server)
    environment(env)
    roster, was_disabled = {p["username"] for p in people}, set(before.get("disabled", []))
    known = {p["username"] for p in before.get("people", [])} | was_disabled
    accounts(people, state, root / "course", was_disabled)
    disable(sorted(known - roster - was_disabled))
    keep_private(REPO, people)
    exchange_root = exchange(root, people)
    course = course_folder(root, people, env)
    role_config(root, course, exchange_root)
    name = f"{COURSE_ID}-{class_id(root)}"
    klass = {"people": people, "disabled": sorted(known - roster), "env": str(env),
             "proxy": str(proxy_command(env)), "root": str(root), "course": str(course),
             "exchange": str(exchange_root), "config": str(root / "config"),
             "profile": f"/etc/profile.d/{name}.sh", "sudoers": f"/etc/sudoers.d/{name}"}
    profile(klass, Path(klass["profile"]))
    sudoers(klass, Path(klass["sudoers"]))
    # Written last, in one step: the running hub reads it at every login and server start.
    (state / "class.json.new").write_text(json.dumps(klass, indent=1))
    (state / "class.json.new").replace(state / "class.json")
    say(f"class of {len(people)} set up in {root}; passwords of new accounts: {state / 'passwords.csv'}")


def _running_hub(pid_file):
    """The pid of the hub serving this class, or None. JupyterHub, started again, would stop the running
    one's proxy (it keeps its pid in the same state folder) and then fail on the port the running hub holds."""
    try:
        pid = int(pid_file.read_text())
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError):
        return None
    return pid if b"jupyterhub" in command else None


def _port_busy(port):
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a port in TIME_WAIT is free to serve
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def serve(args):
    """Start JupyterHub (foreground) for the class set up in ``args.root``; Ctrl-C stops it, not the users'
    servers (a restart finds them running). Refuses when this class's hub runs already, or a port is taken."""
    if os.geteuid() != 0:
        raise SetupError("serve the hub as root (sudo make hub): it starts each user's server as that user")
    state = args.root.resolve() / "state"
    if not (state / "class.json").exists():
        raise SetupError(f"{args.root} is not set up: run `sudo python3 hub/deploy.py setup` first")
    env = Path(json.loads((state / "class.json").read_text())["env"])
    running = _running_hub(state / "jupyterhub.pid")
    if running:
        raise SetupError(f"a hub already serves this class (pid {running}); it was left running. The roster is "
                         "applied already (`make roster`): new people can log in now, without a restart")
    ports = {"the hub": args.port, "the hub's API (HNL_HUB_API_PORT)": int(os.environ.get("HNL_HUB_API_PORT", 8081)),
             "the proxy's API (HNL_HUB_PROXY_API_PORT)": int(os.environ.get("HNL_HUB_PROXY_API_PORT", 8001))}
    busy = [f"{port} ({what})" for what, port in ports.items() if _port_busy(port)]
    if busy:
        raise SetupError(f"port {', '.join(busy)} is in use, by another hub or program: it was left running. "
                         "Choose free ports (HUB_PORT=..., HNL_HUB_API_PORT=..., HNL_HUB_PROXY_API_PORT=...)")
    say(f"serving on http://localhost:{args.port}/ (each user at http://<user>.localhost:{args.port}/); Ctrl-C stops "
        "the hub (users' servers keep running)")
    os.chdir(state)
    os.execve(env / "bin" / "jupyterhub", [str(env / "bin" / "jupyterhub"), "-f", str(HUB / "jupyterhub_config.py")],
              dict(os.environ, HNL_HUB_STATE=str(state), HNL_HUB_PORT=str(args.port),
                   PATH=f"{env / 'bin'}:{os.environ.get('PATH', '/usr/bin:/bin')}"))


def main(argv=None):
    parser = argparse.ArgumentParser(prog="hub/deploy.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["setup", "serve"])
    parser.add_argument("--roster", type=Path, default=HUB / "roster.csv", help="CSV: username,role,name")
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help=f"the class's folder (default {DEFAULT_ROOT})")
    parser.add_argument("--env", type=Path, default=DEFAULT_ENV, help=f"the class's Python (default {DEFAULT_ENV})")
    parser.add_argument("--port", type=int, default=int(os.environ.get("HUB_PORT", 8000)))
    args = parser.parse_args(argv)
    try:
        setup(args) if args.command == "setup" else serve(args)
    except SetupError as exc:
        print(f"hub: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
