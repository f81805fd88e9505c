"""The sandboxed kernel's launcher: ``python -m grader.sandbox.launcher -f CONNECTION_FILE [args]``.

It runs outside the sandbox (it is the kernelspec's argv): it checks the connection file uses
ipc, copies it into the socket folder, then execs ipykernel inside bwrap. Without bwrap it
refuses to start, unless the opt-out is set; then the kernel runs unsandboxed, still over ipc,
with a warning in its log.
"""
import json
import os
import signal
import sys

from .command import bwrap_command, give_to
from .limits import OPT_OUT_ENV, SOCKET_PREFIX, SandboxError, opted_out

# Import numpy and course.checks before any student cell runs: course.checks pins Python's
# builtins, math and numpy functions then, so a later monkeypatch is named in the visible
# checks' messages (course.checks.tampering). Marks do not rest on it: the grader confirms
# them outside the kernel (grader.preprocessors.ConfirmAnswers).
PIN_ARG = ("--IPKernelApp.exec_lines=import importlib as _hnl_il; [_hnl_il.import_module(_m) for _m in "
           "('numpy', 'course.checks') if _hnl_il.util.find_spec(_m)]; del _hnl_il")


def _fail(message):
    print(f"hnl-sandbox: ERROR: {message}", file=sys.stderr, flush=True)
    sys.exit(70)


def _connection_info(connection_file):
    try:
        with open(connection_file) as handle:
            info = json.load(handle)
    except (OSError, ValueError) as exc:
        _fail(f"cannot read the connection file {connection_file}: {exc}")
    if info.get("transport") != "ipc":
        _fail("the sandboxed kernel has no network, so it needs the ipc transport; use "
              "grader.sandbox.manager.SandboxKernelManager (SandboxedExecute sets it)")
    return info


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if len(argv) < 2 or argv[0] != "-f":
        _fail("usage: python -m grader.sandbox.launcher -f CONNECTION_FILE [kernel args]")
    connection_file, rest = argv[1], [*argv[2:], PIN_ARG]
    kernel = [sys.executable, "-m", "ipykernel_launcher"]
    if opted_out():
        print(f"hnl-sandbox: WARNING: {OPT_OUT_ENV}=1: this kernel runs student code WITHOUT a sandbox",
              file=sys.stderr, flush=True)
        os.execv(sys.executable, kernel + ["-f", connection_file, *rest])
    info = _connection_info(connection_file)
    socket_dir = os.path.dirname(os.path.realpath(info["ip"]))
    if not os.path.isdir(socket_dir) or not os.path.basename(socket_dir).startswith(SOCKET_PREFIX):
        _fail(f"unexpected ipc socket folder {socket_dir}")
    inner_file = os.path.join(socket_dir, "connection.json")
    try:
        command, uid = bwrap_command(kernel + ["-f", inner_file, *rest], os.getcwd(), writable=[socket_dir])
    except SandboxError as exc:
        _fail(str(exc))
    with open(inner_file, "w") as handle:
        json.dump(info, handle)
    os.chmod(inner_file, 0o600)
    give_to(uid, socket_dir, inner_file, os.getcwd())
    # jupyter_client interrupts a kernel with SIGINT to its whole process group: bwrap must
    # ignore it (an ignored signal stays ignored across exec) or it would die and take the
    # kernel with it. ipykernel installs its own SIGINT handler while it runs a cell.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The kernel's own stdout carries nothing the grader reads (outputs travel over ZMQ), only
    # ipykernel's "To connect another client ..." banner, printed because --clearenv hides
    # JPY_PARENT_PID: once per notebook, that banner buried the progress of a class's grading.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.execv(command[0], command)


if __name__ == "__main__":
    main()
