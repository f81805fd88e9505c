"""The command line that runs a program inside the sandbox: bwrap, then setpriv, then prlimit.

bwrap gives it new network, pid, ipc and uts namespaces, a read-only view of the system and the
Python install, the grading view of the ``course`` package (course_view.py: no lesson engine, no
sealed hint) mounted where ``course`` is, a private ``/tmp``, and only its working folder (plus
any extra ``writable`` folder) to write; setpriv drops root to a uid of its own; prlimit sets
the resource limits of ``limits.LIMITS``.
"""
import importlib.util
import os
import shutil
import sys

from .course_view import view_dir
from .limits import LIMITS, OPT_OUT_ENV, SANDBOX_UID_BASE, SandboxError

SYSTEM_DIRS = ("usr", "etc", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "opt")


def real_executable():
    """This interpreter at a path that exists inside the sandbox.

    Only real paths are mounted, so a ``.venv`` that is a symlink to an environment elsewhere
    must be resolved. The interpreter itself stays unresolved: Python finds its virtualenv
    from the folder it was started from (pyvenv.cfg), not from where the binary lives.
    """
    return os.path.join(os.path.realpath(os.path.dirname(sys.executable)), os.path.basename(sys.executable))


def _tasks_of_uid(uid):
    """Processes + threads the kernel's uid already has (RLIMIT_NPROC counts both, per uid)."""
    count = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if os.stat(f"/proc/{entry}").st_uid == uid:
                count += len(os.listdir(f"/proc/{entry}/task"))
        except OSError:
            continue
    return count


def course_package_dirs():
    """The folder(s) of the ``course`` package: student notebooks import it, so its grading view is mounted there."""
    spec = importlib.util.find_spec("course")
    return [os.path.realpath(p) for p in (spec.submodule_search_locations or [])] if spec else []


def _under(path, roots):
    return any(path == r or path.startswith(r.rstrip("/") + "/") for r in roots)


def _system_args():
    """Read-only binds of the system folders, plus /bin -> usr/bin style symlinks."""
    args = []
    for name in SYSTEM_DIRS:
        path = "/" + name
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    return args


def _bind_args(ro_paths, rw_paths, views=None):
    """Binds at their own paths (``views``: ``{path: folder shown there instead}``, read-only); parent
    folders bwrap must create are made 0755 (it defaults to 0700)."""
    system = ["/" + name for name in SYSTEM_DIRS]
    views = views or {}
    args, made, bound = [], set(), []
    binds = [(p, "--ro-bind") for p in ro_paths] + [(p, "--bind") for p in rw_paths]
    for path, flag in sorted(binds + [(p, "--ro-bind") for p in views]):
        if flag == "--ro-bind" and path not in views and (_under(path, system) or _under(path, bound)):
            continue  # already visible read-only
        parents = []
        parent = os.path.dirname(path)
        while parent not in ("/", "", "/tmp", "/dev", "/proc", *system) and not _under(parent, bound):
            parents.append(parent)
            parent = os.path.dirname(parent)
        for folder in reversed(parents):
            if folder not in made:
                args += ["--perms", "0755", "--dir", folder]
                made.add(folder)
        args += [flag, views.get(path, path), path]
        bound.append(path)
    return args


def sandbox_environment(extra):
    python_dir = os.path.dirname(real_executable())
    env = {"PATH": f"{python_dir}:/usr/local/bin:/usr/bin:/bin", "HOME": "/tmp",
           "LANG": "C.UTF-8", "TMPDIR": "/tmp", "MPLCONFIGDIR": "/tmp/matplotlib", "IPYTHONDIR": "/tmp/ipython",
           "JUPYTER_RUNTIME_DIR": "/tmp/jupyter", "PYTHONNOUSERSITE": "1", "OPENBLAS_NUM_THREADS": "1",
           "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "MPLBACKEND": "agg", "HNL_SANDBOXED": "1"}
    for name in ("NBGRADER_EXECUTION", "NBGRADER_VALIDATING", "PYTHONHASHSEED", "TZ"):
        if name in os.environ:
            env[name] = os.environ[name]
    return {**env, **(extra or {})}


def check_workdir(workdir):
    for forbidden in ("gradebook.db", "nbgrader_config.py"):
        if os.path.exists(os.path.join(workdir, forbidden)):
            raise SandboxError(f"refusing to sandbox a kernel whose working folder {workdir} holds {forbidden}")
    if workdir == "/" or _under(os.path.realpath(os.path.expanduser("~")), [workdir]):
        raise SandboxError(f"refusing to sandbox a kernel whose working folder is {workdir}")


def _tool(name, why):
    path = shutil.which(name)
    if not path:
        raise SandboxError(why)
    return path


def bwrap_command(command, workdir, writable=(), env=None, mqueue=False):
    """``(argv, uid)``: ``command`` (a list) run sandboxed with ``workdir`` as its cwd.

    ``uid`` is the uid the program runs as when we are root (it needs the working folders
    handed over), else None. A ``command`` starting with this interpreter is pointed at its
    real path. ``mqueue`` mounts the sandbox's own /dev/mqueue, so POSIX message queues can be
    listed and removed (the warm sandbox empties it between kernels). Raises SandboxError when
    a needed tool is missing or the folder is unsafe.
    """
    bwrap = _tool("bwrap", "bubblewrap (bwrap) is not installed: run `sudo tools/install_sandbox.sh` "
                           f"(apt-get install bubblewrap), or set {OPT_OUT_ENV}=1 / pass --no-sandbox to grade "
                           "without a sandbox (student code can then read and change the course).")
    root = os.geteuid() == 0
    workdir = os.path.realpath(workdir)
    check_workdir(workdir)
    command = list(command)
    if command and command[0] == sys.executable:
        command[0] = real_executable()
    ro = {os.path.realpath(sys.prefix), os.path.realpath(sys.base_prefix),
          os.path.dirname(os.path.dirname(os.path.realpath(sys.executable)))}
    # Student code sees the course's grading view where the course is (course_view.py).
    views = {path: view_dir() for path in course_package_dirs()}
    rw = {workdir, *[os.path.realpath(w) for w in writable]}
    args = [bwrap, "--die-with-parent", "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
            "--unshare-cgroup-try", "--hostname", "grading-sandbox"]
    if not root:
        args += ["--unshare-user", "--disable-userns"]
    args += _system_args()
    args += ["--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--size", str(LIMITS["tmp_size"]),
             "--tmpfs", "/tmp"]
    if mqueue:
        args += ["--mqueue", "/dev/mqueue"]
    args += _bind_args(sorted(ro - rw - set(views)), sorted(rw), views)
    # The folders bwrap made on the sandbox's own root (the parents of the binds) stay as they are:
    # nothing a kernel writes there could outlive it, or reach the next kernel of a warm sandbox.
    args += ["--remount-ro", "/"]
    args += ["--chdir", workdir, "--clearenv"]
    for name, value in sandbox_environment(env).items():
        args += ["--setenv", name, value]
    uid = os.geteuid()
    if root:
        setpriv = _tool("setpriv", "setpriv (util-linux) is missing: it is needed to drop root in the sandbox")
        uid = SANDBOX_UID_BASE + os.getpid() % 60000
        args += [setpriv, f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
                 "--bounding-set=-all", "--inh-caps=-all", "--no-new-privs"]
    prlimit = _tool("prlimit", "prlimit (util-linux) is missing: it sets the sandbox's resource limits")
    nproc = _tasks_of_uid(uid) + LIMITS["nproc_margin"]
    args += [prlimit, f"--as={LIMITS['as']}", f"--nproc={nproc}", f"--cpu={LIMITS['cpu']}",
             f"--fsize={LIMITS['fsize']}", f"--nofile={LIMITS['nofile']}", f"--core={LIMITS['core']}", "--"]
    return args + command, (uid if root else None)


def give_to(uid, *paths):
    """Let the sandbox uid write the working and socket folders (only when we drop root)."""
    if uid is None:
        return
    for path in paths:
        os.chown(path, uid, uid)
