"""Set up, and serve, a JupyterHub for one class of How Networks Learn on this server (`make hub`).

    sudo python3 hub/deploy.py setup [--roster hub/roster.csv] [--root /srv/how-networks-learn]
    sudo python3 hub/deploy.py serve [--root ...] [--port 8000]

``setup`` is idempotent and needs root (it creates Unix users). It builds:

- the class's Python environment (HUB_ENV, default /var/lib/how-networks-learn/env) from Debian's
  /usr/bin/python3.11 in a world-readable folder, since users' servers run as the users and cannot
  reach an interpreter under /root: the course's pinned packages, JupyterHub, the `course` package;
  beside it the grading code, readable by the instructors' group only (it holds reference answers);
- JupyterHub's proxy from npm (hub/proxy/package-lock.json), beside that environment;
- a Unix account per roster line (PAM logs them in); new ones get a random password, written to
  <root>/state/passwords.csv (root only) for the instructor to hand out;
- the instructors' course folder (<root>/course: source/, release/, the gradebook; shared by the
  instructors' group), and nbgrader's exchange (<root>/exchange, with the permissions nbgrader documents);
- the Jupyter configuration of each role (<root>/config/<role>): students get the Assignments panel and
  Validate, instructors also formgrader, which may be framed by the instructor's own lab only.

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
import subprocess
import sys
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
                "requirements-test.txt", "pyproject.toml", "tools/install_sandbox.sh", "docs/grading.md"]
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
    """Node for the proxy, venv for Debian's Python, bubblewrap for sandboxed grading."""
    missing = []
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
    for name in (".runtime", ".sandbox"):
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


def accounts(people, state, course):
    """A Unix account per roster line; new accounts get a random password, kept in state/passwords.csv."""
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
    fd = os.open(passwords, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["username", "password"])
        writer.writerows(sorted(known.items()))


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


def as_user(user, args, cwd, env):
    """Run a command as ``user`` (runuser from util-linux), with the class environment on PATH."""
    return run(["runuser", "-u", user, "--", "env", f"PATH={class_path(env)}", f"HNL_VENV={env}", *args], cwd=cwd)


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
        run(["chmod", "-R", "u+rwX,g+rwX,o-rwx", course])
        run(["find", course, "-type", "d", "-exec", "chmod", "g+s", "{}", "+"])
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
    return course


def role_config(root, course, exchange_root):
    """<root>/config/<role>: Jupyter and nbgrader settings each role's servers start with (JUPYTER_CONFIG_PATH)."""
    common = {"CourseDirectory": {"course_id": COURSE_ID},
              # One exchange can serve several courses: each course's files sit under its own id.
              "Exchange": {"root": str(exchange_root), "path_includes_course": True}}
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
            nbgrader["ExchangeFactory"] = {"submit": "hnl_exchange.PrivateSubmit"}
            server["ServerApp"]["jpserver_extensions"] = {"nbgrader.server_extensions.formgrader": False,
                                                          "nbgrader.server_extensions.course_list": False}
            disabled = {f"@jupyter/nbgrader:{name}": True
                        for name in ("formgrader", "create-assignment", "course-list")}
        files = {"nbgrader_config.json": nbgrader, "jupyter_server_config.json": server,
                 "labconfig/page_config.json": {"disabledExtensions": disabled}}
        for name, content in files.items():
            (folder / name).write_text(json.dumps(content, indent=1) + "\n")
    run(["chmod", "-R", "a+rX", root / "config"])


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
    system_packages()
    run(["groupadd", "--force", INSTRUCTORS_GROUP])  # --force: fine if it exists (another class on this server)
    environment(env)
    accounts(people, state, root / "course")
    exchange_root = exchange(root, people)
    course = course_folder(root, people, env)
    role_config(root, course, exchange_root)
    (state / "class.json").write_text(json.dumps({
        "people": people, "env": str(env), "proxy": str(proxy_command(env)), "root": str(root),
        "course": str(course), "exchange": str(exchange_root), "config": str(root / "config")}, indent=1))
    say(f"class of {len(people)} set up in {root}; passwords of new accounts: {state / 'passwords.csv'}")


def serve(args):
    """Start JupyterHub (foreground) for the class set up in ``args.root``; Ctrl-C stops it and every server."""
    if os.geteuid() != 0:
        raise SetupError("serve the hub as root (sudo make hub): it starts each user's server as that user")
    state = args.root.resolve() / "state"
    if not (state / "class.json").exists():
        raise SetupError(f"{args.root} is not set up: run `sudo python3 hub/deploy.py setup` first")
    env = Path(json.loads((state / "class.json").read_text())["env"])
    say(f"serving on http://localhost:{args.port}/ (each user at http://<user>.localhost:{args.port}/); Ctrl-C stops")
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
