"""The warm kernel's zygote: runs INSIDE one long-lived sandbox, as ``python -c <this file's text>``.

It imports ipykernel, numpy, matplotlib, ipywidgets and ``course`` once, then serves requests
from the grader (one JSON object a line on stdin, one reply a line on stdout):

* ``spawn``  -- fork a fresh process that becomes an ipykernel (the notebook's kernel)
* ``poll``   -- has that kernel exited, and how
* ``signal`` -- send a signal to the kernel's process group (interrupt, kill)
* ``reset``  -- kill every other process in the sandbox, empty /tmp, the working folder, the
  socket folder, /dev/shm, /dev/mqueue and System V IPC, then say what, if anything, is left

Forking is safe because nothing here has started a thread, an event loop or a ZMQ context:
the kernel creates those after the fork. The zygote never runs student code, and a student
cannot reach into it: it is not dumpable (no ptrace, no /proc/<pid>/mem or fd of it), it
ignores the signals that could be caught, and a student who kills it (SIGKILL, SIGSTOP) takes
the whole sandbox down with it; the grader then starts a new one. This file imports nothing
from ``grader``: the grading code is not visible inside the sandbox.
"""
import ctypes
import importlib
import json
import os
import pkgutil
import resource
import shutil
import signal
import stat
import sys
import time
import traceback

# What every kernel would import: ipykernel's own start-up (its debugger pulls in debugpy), the
# libraries the lessons use, and every module of ``course``.
PRELOAD = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "ipykernel.debugger", "numpy",
           "matplotlib", "matplotlib.pyplot", "matplotlib.figure", "ipywidgets", "course")
CAUGHT = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2,
          signal.SIGALRM, signal.SIGPIPE, signal.SIGTSTP, signal.SIGTTIN, signal.SIGTTOU)
OPS = ("spawn", "poll", "signal", "reset")
PR_SET_DUMPABLE = 4
IPC_RMID = 0
LIBC = ctypes.CDLL(None, use_errno=True)


def _own(folder):
    """Make a folder of the sandbox's uid usable again (a student may have locked it)."""
    info = os.lstat(folder)
    if info.st_uid == os.getuid() and info.st_mode & stat.S_IRWXU != stat.S_IRWXU:
        os.chmod(folder, stat.S_IMODE(info.st_mode) | stat.S_IRWXU)


def _fix_modes(folder):
    """A student's folder tree, made removable: every folder in it readable and writable."""
    _own(folder)
    for root, dirs, _files in os.walk(folder):
        for name in dirs:
            path = os.path.join(root, name)
            if not os.path.islink(path):
                os.chmod(path, stat.S_IRWXU)


def _mounts():
    """Mount points in this sandbox (bwrap's binds): never removed, never entered."""
    with open("/proc/self/mountinfo") as handle:
        return {line.split()[4].replace("\\040", " ") for line in handle}


def _removable(folder, mounts):
    """``(path, is_dir)`` of what in ``folder`` should go: all but the mount points and the folders that
    hold them (bwrap made those)."""
    _own(folder)  # bwrap's own folders belong to root and are left as they are
    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        if path in mounts:
            continue
        elif any(p.startswith(path + "/") for p in mounts):
            yield from _removable(path, mounts)
        else:
            yield path, os.path.isdir(path) and not os.path.islink(path)


def _empty(folder, mounts):
    for path, is_dir in list(_removable(folder, mounts)):
        if is_dir:
            _fix_modes(path)
            shutil.rmtree(path)
        else:
            os.unlink(path)


def _sysv_ids():
    ids = []
    for kind, column in (("shm", 1), ("sem", 1), ("msg", 1)):
        try:
            with open(f"/proc/sysvipc/{kind}") as handle:
                rows = handle.read().splitlines()[1:]
        except OSError:
            continue
        ids += [(kind, int(row.split()[column])) for row in rows if row.strip()]
    return ids


def _remove_sysv():
    for kind, ident in _sysv_ids():
        if kind == "shm":
            LIBC.shmctl(ident, IPC_RMID, None)
        elif kind == "sem":
            LIBC.semctl(ident, 0, IPC_RMID)
        else:
            LIBC.msgctl(ident, IPC_RMID, None)


def _others():
    """Processes in this sandbox besides its init (pid 1) and the zygote."""
    me = os.getpid()
    return sorted(int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) not in (1, me))


def _reap():
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


class Zygote:
    def __init__(self, wipe):
        self.wipe = wipe  # what reset empties: /tmp, the working and socket folders, /dev/shm, /dev/mqueue
        self.kernels = {}  # pid -> exit code (None while it runs)

    def spawn(self, request):
        pid = os.fork()
        if pid == 0:  # the kernel
            code = 1
            try:
                self._become_kernel(request)
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(code)
        self.kernels[pid] = None
        return {"pid": pid}

    def _become_kernel(self, request):
        os.close(self.control_in)
        os.close(self.control_out)
        os.setpgid(0, 0)  # so an interrupt reaches the kernel and what it started, not the zygote
        LIBC.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)  # as a freshly started kernel is
        for sig in CAUGHT:
            signal.signal(sig, signal.SIG_DFL)
        # As in the cold kernel: jupyter_client interrupts with SIGINT, which ipykernel handles
        # while a cell runs; outside a cell it is ignored.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        os.chdir(request["cwd"])
        # A fresh interpreter seeds its random generators from the OS; a forked one would share
        # the zygote's state (random reseeds itself after fork; numpy does not).
        if "numpy" in sys.modules:
            sys.modules["numpy"].random.seed()
        sys.argv = ["ipykernel_launcher", "-f", request["connection_file"], *request.get("args", [])]
        from ipykernel import kernelapp
        kernelapp.launch_new_instance()

    def poll(self, request):
        pid = request["pid"]
        if self.kernels.get(pid) is None:
            try:
                done, status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                done, status = pid, 0
            if done:
                self.kernels[pid] = os.waitstatus_to_exitcode(status)  # -N when killed by signal N
        return {"pid": pid, "returncode": self.kernels.get(pid)}

    def signal(self, request):
        pid, sig = request["pid"], request["signal"]
        if self.poll(request)["returncode"] is not None:
            return {"sent": False}
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            os.kill(pid, sig)
        return {"sent": True}

    def reset(self, request):
        """Leave the sandbox as it was before the first kernel: no process, no file, no IPC object."""
        deadline = time.monotonic() + 10
        while True:
            try:
                os.kill(-1, signal.SIGKILL)  # every process this uid may signal, except us and init
            except ProcessLookupError:
                pass
            _reap()
            if not _others() or time.monotonic() > deadline:
                break
            time.sleep(0.005)  # a zombie waits for init to reap it
        self.kernels.clear()
        mounts = _mounts()
        for folder in self.wipe:
            if os.path.isdir(folder):
                _own(folder)  # the working and socket folders are ours to unlock, if a student locked them
            if os.path.isdir(folder) and os.access(folder, os.W_OK):
                _empty(folder, mounts)
        _remove_sysv()
        left = {"processes": _others(), "sysv": _sysv_ids(),
                "files": sorted(p for f in self.wipe if os.path.isdir(f) for p, _ in _removable(f, mounts))}
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return {"clean": not any(left.values()), "left": left, "cpu": usage.ru_utime + usage.ru_stime}


def main():
    folders = json.loads(sys.argv[1])
    LIBC.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    for sig in CAUGHT:
        signal.signal(sig, signal.SIG_IGN)
    zygote = Zygote(folders["wipe"])
    # The grader talks on the original stdin/stdout; a kernel's are /dev/null, as in the cold kernel.
    zygote.control_in, zygote.control_out = os.dup(0), os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    os.close(devnull)
    reader = os.fdopen(zygote.control_in, "r", buffering=1, closefd=False)
    writer = os.fdopen(zygote.control_out, "w", buffering=1, closefd=False)

    def reply(message):
        writer.write(json.dumps(message) + "\n")
        writer.flush()

    started = time.perf_counter()
    missing = []
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    course = sys.modules.get("course")
    for module in pkgutil.walk_packages(course.__path__, "course.") if course else ():
        try:
            importlib.import_module(module.name)
        except Exception:  # a module that needs a kernel to import is imported by the kernel
            missing.append(module.name)
    threads = len(os.listdir("/proc/self/task"))
    reply({"ready": threads == 1, "threads": threads, "missing": missing, "pid": os.getpid(),
           "seconds": round(time.perf_counter() - started, 3)})
    if threads != 1:
        return  # forking now could copy a lock held by another thread: refuse to serve
    for line in reader:
        try:
            request = json.loads(line)
            if request.get("op") not in OPS:
                raise ValueError(f"unknown request {request.get('op')!r}")
            reply(getattr(zygote, request["op"])(request))
        except Exception as exc:  # a bad request is answered, never fatal
            reply({"error": f"{type(exc).__name__}: {exc}"})


if __name__ == "__main__":
    main()
