"""Warm sandboxed kernels: one long-lived sandbox per grading process, a fresh kernel per notebook.

A cold kernel pays for bwrap, a new interpreter and the imports of ipykernel, numpy, matplotlib,
ipywidgets and ``course`` for every notebook of every student. Here a *zygote* (zygote.py) is
started once inside the same sandbox, with the same limits, and has imported them; each notebook
gets a new process forked from it, which becomes the kernel. Between two kernels the zygote
kills every other process in the sandbox and empties every folder it can write (its /tmp, its
working and socket folders, /dev/shm, /dev/mqueue, System V IPC), then reports what is left:
anything left, or a zygote that stopped answering, and the whole sandbox is thrown away and the
next notebook gets a new one. Nothing a student does reaches the next student's kernel: files
and processes are gone, and a changed module lives only in the forked process that changed it.

Nor can a student stop the next kernel from starting. The sandbox's own folder on the host
belongs to the grader and is not mounted inside; its working and socket folders are mounted on
their own (a mount point cannot be renamed, replaced or removed from inside), the rest of the
sandbox's root is read-only, and before every kernel the grader checks on the host that the
three folders are still the very ones it made. If not, the sandbox is thrown away.

jupyter_client sees an ordinary kernel: ``WarmProvisioner`` is a provisioner whose "process" is
the forked kernel, signalled and polled through the zygote.
"""
import asyncio
import atexit
import json
import multiprocessing.util
import os
import select
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from jupyter_client.provisioning import LocalProvisioner
from traitlets import Any

from .command import bwrap_command, check_workdir, give_to, sandbox_environment
from .launcher import PIN_ARG
from .limits import LIMITS, SandboxError, socket_base

ZYGOTE_SOURCE = Path(__file__).with_name("zygote.py").read_text()
START_TIMEOUT = 90   # the zygote's imports, on a busy machine
REPLY_TIMEOUT = 20   # any other request; a reset kills and removes everything first
# ipywidgets registers its comm target when it is first imported inside a kernel; the zygote
# imported it before there was one, so the kernel registers it itself.
WIDGETS_ARG = ("--IPKernelApp.exec_lines=import sys as _hnl_s; _hnl_s.modules.get('ipywidgets') and "
               "_hnl_s.modules['ipywidgets'].register_comm_target(); del _hnl_s")


class ZygoteGone(SandboxError):
    """The zygote died or stopped answering (a student may have killed or stopped it)."""


class Zygote:
    """One sandbox with a zygote in it; it serves one kernel at a time."""

    def __init__(self, env):
        self.env = env
        self.owner = os.getpid()  # a forked child inherits this object, not the sandbox
        # The grader's folder (0700), never mounted in the sandbox: only work/ and sockets/ are, each
        # a mount point of its own, which student code cannot rename, replace or remove.
        self.home = tempfile.mkdtemp(prefix="hnl-warm-", dir=socket_base())
        self.work = os.path.join(self.home, "work")
        self.sockets = os.path.join(self.home, "sockets")
        os.mkdir(self.work)
        os.mkdir(self.sockets)
        folders = {"wipe": ["/tmp", self.work, self.sockets, "/dev/shm", "/dev/mqueue"]}
        try:
            command, self.uid = bwrap_command([sys.executable, "-c", ZYGOTE_SOURCE, json.dumps(folders)],
                                              self.work, writable=[self.sockets], mqueue=True)
        except SandboxError:
            shutil.rmtree(self.home, ignore_errors=True)
            raise
        give_to(self.uid, self.work, self.sockets)
        self.identity = self._identity()
        # A session of its own: a Ctrl-C in the grader's terminal is not the zygote's to handle
        # (bwrap's --die-with-parent ends the sandbox with this process).
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     cwd=self.work, start_new_session=True)
        try:
            ready = self._read(START_TIMEOUT)
        except ZygoteGone as exc:
            raise SandboxError(f"the warm sandbox did not start: {exc}") from None
        if not ready.get("ready"):
            self.close()
            raise SandboxError(f"the warm sandbox refused to fork kernels ({ready.get('threads')} threads running)")
        self.pid = ready["pid"]
        # What the imports left (matplotlib's font cache in /tmp, ...) goes too: the first kernel
        # starts from the same state as every later one.
        try:
            clean = self.reset()
        except SandboxError:
            clean = False
        if not clean:
            self.close()
            raise SandboxError("the warm sandbox could not be emptied after it started")

    def _identity(self):
        """(device, inode, owner, kind) of the sandbox's folders, as the host sees them."""
        found = []
        for path in (self.home, self.work, self.sockets):
            info = os.lstat(path)
            found.append((info.st_dev, info.st_ino, info.st_uid, stat.S_IFMT(info.st_mode)))
        return found, sorted(os.listdir(self.home))

    def intact(self):
        """True when the sandbox's folders are still the ones it was made with (checked before every kernel)."""
        try:
            return self.proc.poll() is None and self._identity() == self.identity
        except OSError:
            return False

    def _read(self, timeout):
        readable, _, _ = select.select([self.proc.stdout], [], [], timeout)
        line = self.proc.stdout.readline() if readable else ""
        if not line:
            self.close()
            raise ZygoteGone("the zygote " + ("stopped answering" if not readable else "exited"))
        return json.loads(line)

    def request(self, op, timeout=None, **fields):
        if self.proc.poll() is not None:
            self.close()
            raise ZygoteGone("the zygote exited")
        try:
            self.proc.stdin.write(json.dumps({"op": op, **fields}) + "\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, ValueError):
            self.close()
            raise ZygoteGone("the zygote exited") from None
        reply = self._read(timeout or REPLY_TIMEOUT)
        if "error" in reply:
            raise SandboxError(f"the zygote could not {op}: {reply['error']}")
        return reply

    def spawn(self, cwd, socket_dir, connection_info, args):
        """Fork a kernel that starts in a copy of ``cwd`` and listens on ``socket_dir``; return its pid."""
        check_workdir(os.path.realpath(cwd))
        for name in os.listdir(cwd):  # the kernel sees the notebook's folder as the cold kernel does
            source, target = os.path.join(cwd, name), os.path.join(self.work, name)
            if os.path.isdir(source) and not os.path.islink(source):
                shutil.copytree(source, target, symlinks=True)
            else:
                shutil.copy2(source, target, follow_symlinks=False)
        connection_file = os.path.join(socket_dir, "connection.json")
        with open(connection_file, "w") as handle:
            json.dump(connection_info, handle, default=lambda v: v.decode() if isinstance(v, bytes) else str(v))
        os.chmod(connection_file, 0o600)
        if self.uid is not None:
            for root, dirs, files in os.walk(self.work):
                for name in [root, *(os.path.join(root, n) for n in dirs + files)]:
                    os.lchown(name, self.uid, self.uid)
            give_to(self.uid, socket_dir, connection_file)
        return self.request("spawn", cwd=self.work, connection_file=connection_file, args=args)["pid"]

    def reset(self):
        """True when the sandbox is back to its clean state and may serve the next kernel."""
        reply = self.request("reset")
        if not self.intact():
            print("hnl-sandbox: the warm sandbox's folders were changed, replacing it", file=sys.stderr, flush=True)
            return False
        if not reply["clean"]:
            print(f"hnl-sandbox: the warm sandbox was not clean after a kernel, replacing it: {reply['left']}",
                  file=sys.stderr, flush=True)
        # The zygote's own CPU time counts against the sandbox's RLIMIT_CPU: retire it well before.
        return reply["clean"] and reply["cpu"] < LIMITS["cpu"] / 2

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()  # bwrap's pid 1 dies with it, and the kernel takes every process in the sandbox
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        shutil.rmtree(self.home, ignore_errors=True)


class ZygoteKernel:
    """The Popen-like handle jupyter_client keeps for a kernel the zygote forked."""

    stdin = stdout = stderr = None

    def __init__(self, zygote, pid):
        self.zygote, self.pid, self.returncode = zygote, pid, None

    def poll(self):
        if self.returncode is None:
            try:
                self.returncode = self.zygote.request("poll", pid=self.pid)["returncode"]
            except ZygoteGone:
                self.returncode = -signal.SIGKILL  # the sandbox is gone, and the kernel with it
        return self.returncode

    def wait(self, timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired("kernel", timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum):
        if self.poll() is None:
            try:
                self.zygote.request("signal", pid=self.pid, signal=int(signum))
            except ZygoteGone:
                self.returncode = -signal.SIGKILL

    def kill(self):
        self.send_signal(signal.SIGKILL)

    def terminate(self):
        self.send_signal(signal.SIGTERM)


class WarmProvisioner(LocalProvisioner):
    """A provisioner that asks a warm zygote for the kernel instead of starting a process."""

    zygote = Any(None)

    async def launch_kernel(self, cmd, **kwargs):
        args = cmd[cmd.index("-f") + 2:] if "-f" in cmd else []  # the kernelspec's extra arguments
        try:
            pid = self.zygote.spawn(kwargs.get("cwd") or os.getcwd(), self.parent.socket_dir, self.connection_info,
                                    [*args, PIN_ARG, WIDGETS_ARG])
        except Exception:
            zygote, self.zygote = self.zygote, None
            discard(zygote)  # a sandbox that could not start a kernel serves no other
            raise
        self.process = ZygoteKernel(self.zygote, pid)
        self.pid, self.pgid = None, None  # signals go through the zygote, never to a host pid
        self.cwd = kwargs.get("cwd")
        await self._sockets_bound()
        return self.connection_info

    async def _sockets_bound(self, timeout=10):
        """Wait until the kernel has bound its sockets. A forked kernel is quick: a client that
        connected before the bind would retry only after ZMQ's reconnect interval (100 ms), and
        jupyter_client's wait_for_ready then loses another 200 ms waiting for IOPub."""
        info = self.connection_info
        paths = [f"{info['ip']}-{info[name]}" for name in
                 ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")]
        deadline = time.monotonic() + timeout
        while not all(os.path.exists(p) for p in paths):
            if time.monotonic() > deadline or self.process.poll() is not None:
                return  # jupyter_client reports a kernel that does not answer
            await asyncio.sleep(0.005)

    async def wait(self):
        while self.process is not None and await self.poll() is None:
            await asyncio.sleep(0.01)  # LocalProvisioner waits in steps of 100 ms
        return await super().wait()

    async def cleanup(self, restart=False):
        await super().cleanup(restart=restart)
        if self.zygote is not None:  # a restart acquires a clean one again (WarmSandboxKernelManager)
            zygote, self.zygote = self.zygote, None
            release(zygote)


# The pool, public to be read (tests, a look while grading); acquire, release and discard change it.
IDLE = []  # zygotes ready for a kernel
OPEN = []  # every zygote this process started and has not closed
_LOCK = threading.Lock()
STATS = {"started": 0, "kernels": 0, "replaced": 0}


def acquire():
    """A clean zygote for this process's sandbox environment: an idle one, or a new one."""
    env = sandbox_environment(None)
    with _LOCK:
        for zygote in list(IDLE):
            IDLE.remove(zygote)
            if zygote.env == env and zygote.intact():
                STATS["kernels"] += 1
                return zygote
            _close(zygote)
    zygote = Zygote(env)
    with _LOCK:
        OPEN.append(zygote)
        STATS["started"] += 1
        STATS["kernels"] += 1
    return zygote


def release(zygote):
    """Reset ``zygote`` after its kernel; put it back for the next one, or throw it away."""
    try:
        clean = zygote.reset()
    except SandboxError:
        clean = False
    with _LOCK:
        if not clean:
            STATS["replaced"] += 1
            _close(zygote)
        else:
            IDLE.append(zygote)


def _close(zygote):
    zygote.close()
    if zygote in OPEN:
        OPEN.remove(zygote)


def discard(zygote):
    """Close ``zygote`` for good (it failed to start a kernel)."""
    with _LOCK:
        STATS["replaced"] += 1
        _close(zygote)


def discard_idle():
    """Close the idle zygotes, so that the next kernel starts in a fresh sandbox."""
    with _LOCK:
        for zygote in list(IDLE):
            IDLE.remove(zygote)
            _close(zygote)


def close_all():
    """Close this process's sandboxes (not those of a parent it was forked from)."""
    with _LOCK:
        for zygote in list(OPEN):
            if zygote.owner == os.getpid():
                _close(zygote)
        OPEN.clear()
        IDLE.clear()


atexit.register(close_all)
# Process-pool workers (make grade) leave through os._exit, which skips atexit; their sandboxes
# would still die with them (bwrap --die-with-parent), but the folders in /dev/shm would stay.
multiprocessing.util.Finalize(None, close_all, exitpriority=10)
