"""Prove the sandbox starts here before anything is graded (fail closed)."""
import json
import os
import subprocess
import sys
import tempfile

from .command import bwrap_command, give_to
from .kernelspec import install_kernelspec
from .limits import SandboxError, socket_base

GRADER_DIR = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))

PROBE = r"""
import json, os, socket, sys
out = {"grader_dir_visible": os.path.exists(sys.argv[1]), "uid": os.getuid(),
       "root_listing": sorted(os.listdir("/")), "netns": os.readlink("/proc/self/ns/net")}
try:
    socket.create_connection(("127.0.0.1", 9), timeout=1); out["net"] = "open"
except OSError:
    out["net"] = "blocked"
import resource
out["nproc"] = resource.getrlimit(resource.RLIMIT_NPROC)[0]
out["as"] = resource.getrlimit(resource.RLIMIT_AS)[0]
import course.checks, ipykernel
from course.exercises import sealed
out["sealed_hints"] = sealed.SEALED is not None
try:
    import grader
    out["grader"] = os.path.dirname(grader.__file__ or "") or "importable"
except Exception:  # not found, or its files are not there
    out["grader"] = None
print(json.dumps(out))
"""


def preflight(log=None):
    """Run a probe through the sandbox; return what it saw, or raise SandboxError naming the reason."""
    install_kernelspec()
    with tempfile.TemporaryDirectory(prefix="hnl-kernel-probe-", dir=socket_base()) as work:
        command, uid = bwrap_command([sys.executable, "-c", PROBE, GRADER_DIR], work)
        give_to(uid, work)
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
    if info.get("grader") or info.get("grader_dir_visible"):
        where = info.get("grader") or GRADER_DIR
        raise SandboxError(f"the grading code is visible inside the sandbox ({where}); refusing to grade")
    if info.get("sealed_hints") is not False:
        raise SandboxError("the sandbox shows the course itself, not its grading view (sealed hints and lesson "
                           "engines would be in reach of student code); refusing to grade")
    if log:
        log(f"sandbox: bwrap ok (uid {info['uid']}, no network, no grader code, process limit {info['nproc']}, "
            f"address space {info['as'] // 1024 ** 2} MB)")
    return info
