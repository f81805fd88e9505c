"""The sandboxed grading kernel: student code runs under bubblewrap with resource limits.

Pieces (all used by ``make grade``; plain ``nbgrader autograde`` gets them from nbgrader_config.py):

* ``SandboxKernelManager`` -- a jupyter_client kernel manager that talks to the kernel over
  ZMQ's ``ipc`` transport (Unix sockets in a private folder) instead of loopback TCP, because
  the sandboxed kernel has no network at all, loopback included.
* the ``python3-sandboxed`` kernelspec (``install_kernelspec``), whose argv runs this module
  as a launcher: ``python -m course.grading.sandbox -f {connection_file}``.
* the launcher (``main``): checks the connection file uses ipc, then ``exec``s
  ``bwrap`` (new network, pid, ipc, uts namespaces; read-only system and Python; a private
  ``/tmp``; the notebook's working folder and the socket folder are the only writable binds;
  nothing else of the course, the gradebook, other students or the home folder is visible),
  drops to an unprivileged uid when started as root (``setpriv``), and sets rlimits with
  ``prlimit`` (address space, processes, CPU seconds, file size, no core files).
* ``SandboxedExecute`` -- nbgrader's ``Execute`` using the two above, plus a cap on how much
  output one cell may record.
* ``preflight()`` -- runs a probe through the same sandbox before grading; grading stops with a
  clear message when it fails (fail closed).

Opting out (machines without bubblewrap): ``HNL_ALLOW_UNSANDBOXED=1`` in the environment (the
``--no-sandbox`` flag of ``python -m course.grading grade`` sets it). The kernel then runs
unsandboxed, still over ipc, and the launcher writes a warning to its log.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

KERNEL_NAME = "python3-sandboxed"
OPT_OUT_ENV = "HNL_ALLOW_UNSANDBOXED"
# When grading runs as root the kernel drops to a uid of its own, 200000 + (launcher pid mod
# 60000): unique among running kernels (a pid is not reused while its process lives), so the
# per-uid process limit of one kernel is not shared with a fork bomb in another.
SANDBOX_UID_BASE = 200000

# Resource limits of one kernel (and everything it starts). Generous for the course's
# notebooks (a kernel with numpy, matplotlib and ipywidgets loaded maps ~0.3-0.6 GB of address
# space and uses a few CPU seconds per notebook); tight enough that a memory bomb, a fork
# bomb, a CPU-spinning loop that swallows interrupts or a huge file ends that kernel only.
LIMITS = {
    "as": 2 * 1024 ** 3,        # RLIMIT_AS, bytes of address space
    "nproc_margin": 64,         # RLIMIT_NPROC = processes+threads the uid already has + this
    "cpu": 120,                 # RLIMIT_CPU, CPU seconds for the whole notebook
    "fsize": 64 * 1024 ** 2,    # RLIMIT_FSIZE, largest file it may write
    "nofile": 1024,             # RLIMIT_NOFILE
    "core": 0,                  # no core dumps
    "tmp_size": 256 * 1024 ** 2,  # the private /tmp (tmpfs, counts as memory)
}
MAX_OUTPUT_BYTES = 1_000_000     # recorded output per cell; the rest is dropped with a note


# Import numpy and course.checks before any student cell runs: course.checks pins Python's
# builtins, math and numpy functions then, so a later monkeypatch is detected (course.checks.tampering).
PIN_ARG = ("--IPKernelApp.exec_lines=import importlib as _hnl_il; [_hnl_il.import_module(_m) for _m in "
           "('numpy', 'course.checks') if _hnl_il.util.find_spec(_m)]; del _hnl_il")


class SandboxError(RuntimeError):
    """The sandbox cannot start here (no bwrap, no namespaces, ...)."""


def opted_out():
    return os.environ.get(OPT_OUT_ENV, "") == "1"


# --------------------------------------------------------------------------- kernelspec
def kernelspec():
    return {
        "argv": [sys.executable, "-m", "course.grading.sandbox", "-f", "{connection_file}"],
        "display_name": "Python 3 (sandboxed grading)",
        "language": "python",
        "metadata": {"debugger": False, "hnl_sandbox": True},
        "env": {},
    }


def kernelspec_dir(prefix=None):
    return Path(prefix or sys.prefix) / "share" / "jupyter" / "kernels" / KERNEL_NAME


def install_kernelspec(prefix=None):
    """Write the python3-sandboxed kernelspec into ``prefix`` (default: this venv); idempotent."""
    folder = kernelspec_dir(prefix)
    path = folder / "kernel.json"
    text = json.dumps(kernelspec(), indent=1) + "\n"
    try:
        if path.read_text() == text:
            return path
    except OSError:
        pass
    folder.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)
    return path


# --------------------------------------------------------------------------- the bwrap command
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


def _course_package_dirs():
    import importlib.util
    spec = importlib.util.find_spec("course")
    return [str(Path(p).resolve()) for p in (spec.submodule_search_locations or [])]


def _under(path, roots):
    return any(path == r or path.startswith(r.rstrip("/") + "/") for r in roots)


def _system_args():
    """Read-only binds of the system folders, plus /bin -> usr/bin style symlinks."""
    args = []
    for name in ("usr", "etc", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "opt"):
        path = "/" + name
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    return args


def _bind_args(ro_paths, rw_paths):
    """Binds at their own paths; parent folders bwrap must create are made 0755 (it defaults to 0700)."""
    system = ["/usr", "/etc", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/opt", "/tmp", "/dev", "/proc"]
    args, made, bound = [], set(), []
    for path, flag in sorted([(p, "--ro-bind") for p in ro_paths] + [(p, "--bind") for p in rw_paths]):
        if _under(path, system[:-3]) and flag == "--ro-bind":
            continue  # already visible read-only
        if flag == "--ro-bind" and _under(path, bound):
            continue
        parents = []
        parent = os.path.dirname(path)
        while parent not in ("/", "") and not _under(parent, bound) and parent not in system:
            parents.append(parent)
            parent = os.path.dirname(parent)
        for folder in reversed(parents):
            if folder not in made:
                args += ["--perms", "0755", "--dir", folder]
                made.add(folder)
        args += [flag, path, path]
        bound.append(path)
    return args


def bwrap_command(command, workdir, writable=(), env=None):
    """The full command that runs ``command`` (a list) sandboxed with ``workdir`` as its cwd.

    Raises SandboxError when a needed tool is missing.
    """
    bwrap = shutil.which("bwrap")
    if not bwrap:
        raise SandboxError("bubblewrap (bwrap) is not installed: run `sudo tools/install_sandbox.sh` "
                           f"(apt-get install bubblewrap), or set {OPT_OUT_ENV}=1 / pass --no-sandbox to grade "
                           "without a sandbox (student code can then read and change the course).")
    root = os.geteuid() == 0
    workdir = os.path.realpath(workdir)
    for forbidden in ("gradebook.db", "nbgrader_config.py"):
        if os.path.exists(os.path.join(workdir, forbidden)):
            raise SandboxError(f"refusing to sandbox a kernel whose working folder {workdir} holds {forbidden}")
    if workdir == "/" or _under(os.path.realpath(os.path.expanduser("~")), [workdir]):
        raise SandboxError(f"refusing to sandbox a kernel whose working folder is {workdir}")
    ro = {os.path.realpath(sys.prefix), os.path.realpath(sys.base_prefix),
          os.path.dirname(os.path.dirname(os.path.realpath(sys.executable))), *_course_package_dirs()}
    rw = {workdir, *[os.path.realpath(w) for w in writable]}
    args = [bwrap, "--die-with-parent", "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
            "--unshare-cgroup-try", "--hostname", "grading-sandbox"]
    if not root:
        args += ["--unshare-user", "--disable-userns"]
    args += _system_args()
    args += ["--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--size", str(LIMITS["tmp_size"]),
             "--tmpfs", "/tmp"]
    args += _bind_args(sorted(ro - rw), sorted(rw))
    args += ["--chdir", workdir, "--clearenv"]
    base_env = {"PATH": f"{os.path.dirname(sys.executable)}:/usr/local/bin:/usr/bin:/bin", "HOME": "/tmp",
                "LANG": "C.UTF-8", "TMPDIR": "/tmp", "MPLCONFIGDIR": "/tmp/matplotlib", "IPYTHONDIR": "/tmp/ipython",
                "JUPYTER_RUNTIME_DIR": "/tmp/jupyter", "PYTHONNOUSERSITE": "1", "OPENBLAS_NUM_THREADS": "1",
                "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "MPLBACKEND": "agg", "HNL_SANDBOXED": "1"}
    for name in ("NBGRADER_EXECUTION", "NBGRADER_VALIDATING", "PYTHONHASHSEED", "TZ"):
        if name in os.environ:
            base_env[name] = os.environ[name]
    for name, value in {**base_env, **(env or {})}.items():
        args += ["--setenv", name, value]
    uid = os.geteuid()
    if root:
        setpriv = shutil.which("setpriv")
        if not setpriv:
            raise SandboxError("setpriv (util-linux) is missing: it is needed to drop root in the sandbox")
        uid = SANDBOX_UID_BASE + os.getpid() % 60000
        args += [setpriv, f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
                 "--bounding-set=-all", "--inh-caps=-all", "--no-new-privs"]
    prlimit = shutil.which("prlimit")
    if not prlimit:
        raise SandboxError("prlimit (util-linux) is missing: it sets the sandbox's resource limits")
    nproc = _tasks_of_uid(uid) + LIMITS["nproc_margin"]
    args += [prlimit, f"--as={LIMITS['as']}", f"--nproc={nproc}", f"--cpu={LIMITS['cpu']}",
             f"--fsize={LIMITS['fsize']}", f"--nofile={LIMITS['nofile']}", f"--core={LIMITS['core']}", "--"]
    return args + list(command), (uid if root else None)


def _give_to(uid, *paths):
    """Let the sandbox uid write the working and socket folders (only when we drop root)."""
    if uid is None:
        return
    for path in paths:
        os.chown(path, uid, uid)


# --------------------------------------------------------------------------- launcher
def _fail(message):
    print(f"hnl-sandbox: ERROR: {message}", file=sys.stderr, flush=True)
    sys.exit(70)


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if len(argv) < 2 or argv[0] != "-f":
        _fail("usage: python -m course.grading.sandbox -f CONNECTION_FILE [kernel args]")
    connection_file, rest = argv[1], argv[2:]
    kernel = [sys.executable, "-m", "ipykernel_launcher"]
    rest = [*rest, PIN_ARG]
    if opted_out():
        print(f"hnl-sandbox: WARNING: {OPT_OUT_ENV}=1: this kernel runs student code WITHOUT a sandbox",
              file=sys.stderr, flush=True)
        os.execv(sys.executable, kernel + ["-f", connection_file, *rest])
    try:
        with open(connection_file) as handle:
            info = json.load(handle)
    except (OSError, ValueError) as exc:
        _fail(f"cannot read the connection file {connection_file}: {exc}")
    if info.get("transport") != "ipc":
        _fail("the sandboxed kernel has no network, so it needs the ipc transport; use "
              "course.grading.sandbox.SandboxKernelManager (nbgrader_config.py sets it for Execute)")
    socket_dir = os.path.dirname(os.path.realpath(info["ip"]))
    if not os.path.isdir(socket_dir) or not os.path.basename(socket_dir).startswith("hnl-kernel-"):
        _fail(f"unexpected ipc socket folder {socket_dir}")
    inner_file = os.path.join(socket_dir, "connection.json")
    try:
        command, uid = bwrap_command(kernel + ["-f", inner_file, *rest], os.getcwd(), writable=[socket_dir])
    except SandboxError as exc:
        _fail(str(exc))
    with open(inner_file, "w") as handle:
        json.dump(info, handle)
    os.chmod(inner_file, 0o600)
    _give_to(uid, socket_dir, inner_file, os.getcwd())
    # jupyter_client interrupts a kernel with SIGINT to its whole process group: bwrap must
    # ignore it (an ignored signal stays ignored across exec) or it would die and take the
    # kernel with it. ipykernel installs its own SIGINT handler while it runs a cell.
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The kernel's own stdout carries nothing the grader reads (outputs travel over ZMQ), only
    # ipykernel's "To connect another client ..." banner, printed because --clearenv hides
    # JPY_PARENT_PID: once per notebook, that banner buried the progress of a class's grading.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.execv(command[0], command)


# --------------------------------------------------------------------------- kernel manager
def _socket_base():
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None


try:
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import CaselessStrEnum, Unicode

    class SandboxKernelManager(AsyncKernelManager):
        """AsyncKernelManager over ZMQ ipc sockets in a private folder (the sandbox has no network)."""

        transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)
        socket_dir = Unicode("")

        async def _async_pre_start_kernel(self, **kw):
            if self.transport == "ipc":
                self.socket_dir = tempfile.mkdtemp(prefix="hnl-kernel-", dir=_socket_base())
                self.ip = os.path.join(self.socket_dir, "k")
            return await super()._async_pre_start_kernel(**kw)

        async def _async_cleanup_resources(self, restart=False):
            await super()._async_cleanup_resources(restart=restart)
            if self.socket_dir and not restart:
                shutil.rmtree(self.socket_dir, ignore_errors=True)

        pre_start_kernel = _async_pre_start_kernel
        cleanup_resources = _async_cleanup_resources
except ImportError:  # pragma: no cover (the launcher itself needs only the standard library)
    SandboxKernelManager = None


# --------------------------------------------------------------------------- nbgrader Execute
def _make_execute():
    from nbformat.v4 import new_output
    from nbgrader.preprocessors import Execute
    from traitlets import Integer

    class SandboxedExecute(Execute):
        """nbgrader's Execute with the sandboxed kernel and a cap on recorded output per cell."""

        max_output_bytes = Integer(MAX_OUTPUT_BYTES, help="output one cell may record").tag(config=True)

        def __init__(self, *args, **kwargs):
            kwargs.setdefault("kernel_manager_class", SandboxKernelManager)
            super().__init__(*args, **kwargs)
            if not self.kernel_name:
                self.kernel_name = KERNEL_NAME
            if self.kernel_name == KERNEL_NAME:
                install_kernelspec()

        def output(self, outs, msg, display_id, cell_index):
            used = self._hnl_used.get(cell_index, 0)
            content = msg.get("content", {})
            if msg["msg_type"] == "stream":
                size = len(content.get("text", ""))
            else:
                size = len(json.dumps(content, default=str))
            self._hnl_used[cell_index] = used + size
            if used + size <= self.max_output_bytes or msg["msg_type"] == "error":
                return super().output(outs, msg, display_id, cell_index)
            if used > self.max_output_bytes:
                return None  # the note is already there
            if msg["msg_type"] == "stream":  # keep what fits, then the note
                msg = dict(msg, content=dict(content, text=content.get("text", "")[:self.max_output_bytes - used]))
                super().output(outs, msg, display_id, cell_index)
            outs.append(new_output("stream", name="stdout",
                                   text=f"\n[grader: output over {self.max_output_bytes} characters dropped]\n"))
            return None

        def preprocess(self, nb, resources=None, km=None):
            self.__dict__["_hnl_used_map"] = {}
            return super().preprocess(nb, resources, km=km)

        @property
        def _hnl_used(self):
            if "_hnl_used_map" not in self.__dict__:
                self.__dict__["_hnl_used_map"] = {}
            return self.__dict__["_hnl_used_map"]

    return SandboxedExecute


def __getattr__(name):
    if name == "SandboxedExecute":
        cls = _make_execute()
        globals()["SandboxedExecute"] = cls
        return cls
    raise AttributeError(name)


# --------------------------------------------------------------------------- preflight
PROBE = r"""
import json, os, socket
out = {"uid": os.getuid(), "root_listing": sorted(os.listdir("/")), "netns": os.readlink("/proc/self/ns/net")}
try:
    socket.create_connection(("127.0.0.1", 9), timeout=1); out["net"] = "open"
except OSError:
    out["net"] = "blocked"
import resource
out["nproc"] = resource.getrlimit(resource.RLIMIT_NPROC)[0]
out["as"] = resource.getrlimit(resource.RLIMIT_AS)[0]
import course.checks, ipykernel
print(json.dumps(out))
"""


def preflight(log=None):
    """Prove the sandbox starts here; raise SandboxError naming the reason when it does not."""
    install_kernelspec()
    with tempfile.TemporaryDirectory(prefix="hnl-kernel-probe-", dir=_socket_base()) as work:
        try:
            command, uid = bwrap_command([sys.executable, "-c", PROBE], work)
        except SandboxError:
            raise
        _give_to(uid, work)
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=work)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise SandboxError(f"the sandbox probe did not run: {exc}") from None
    if done.returncode != 0:
        raise SandboxError("the sandbox does not start here (bwrap said: "
                           + (done.stderr.strip().splitlines() or ["nothing"])[-1] + ")")
    try:
        info = json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise SandboxError(f"the sandbox probe printed nothing usable: {done.stdout[-200:]!r}") from None
    if info.get("netns") == os.readlink("/proc/self/ns/net") or info.get("net") != "blocked":
        raise SandboxError("the sandbox probe reached the network; refusing to grade")
    if log:
        log(f"sandbox: bwrap ok (uid {info['uid']}, no network, process limit {info['nproc']}, "
            f"address space {info['as'] // 1024 ** 2} MB)")
    return info


if __name__ == "__main__":
    main()
