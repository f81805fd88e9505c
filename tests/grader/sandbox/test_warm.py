"""Warm sandboxed kernels (grader.sandbox.warm): one sandbox serves many kernels, and recycling it
between them is complete. A "litter" notebook leaves everything it can behind (files in /tmp, its
working folder, the sandbox's own folder and /dev/shm, a process that left its session, System V
and POSIX IPC objects, changed modules, a changed environment, a folder it made unreadable); the
next kernel, forked in the same sandbox, must see none of it. A student who kills or stops the
zygote only loses the sandbox: the next notebook gets a new one.
"""
import json
import shutil

import nbformat
import pytest
from nbclient.exceptions import DeadKernelError
from nbformat.v4 import new_code_cell, new_notebook

from grader.preprocessors import SandboxedExecute
from grader.sandbox import warm

pytestmark = pytest.mark.skipif(not shutil.which("bwrap"), reason="bubblewrap not installed")

LITTER = r'''
import ctypes, json, os, subprocess, sys
import course, course.checks
here = os.getcwd()
for path in ("/tmp/left-in-tmp", os.path.join(here, "left-in-cwd"), os.path.join(os.path.dirname(here), "left-beside"),
             "/dev/shm/left-in-shm"):
    try:
        open(path, "w").write("secret")
    except OSError as exc:
        print("could not write", path, exc)
os.makedirs("/tmp/locked/inner")
open("/tmp/locked/inner/file", "w").write("x")
os.chmod("/tmp/locked/inner", 0)
os.chmod("/tmp/locked", 0)
libc = ctypes.CDLL(None, use_errno=True)
shm = libc.shmget(0x484e4c, 4096, 0o1666)  # IPC_CREAT | 0666
sem = libc.semget(0x484e4d, 1, 0o1666)
mq = libc.mq_open(b"/left-queue", os.O_CREAT | os.O_RDWR, 0o600, None)
subprocess.Popen([sys.executable, "-c", "import os, time\nos.setsid()\nwhile True: time.sleep(1)"],
                 start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
course.LEFT_BEHIND = True
course.checks.check_close = lambda *a, **k: None
import statistics
statistics.mean = lambda *a, **k: "tampered"
os.environ["LEFT_BEHIND"] = "1"
print(json.loads('{"ok": 1}'), shm, sem, mq)
'''

LOOK = r'''
import ctypes, json, os
import course, course.checks
libc = ctypes.CDLL(None, use_errno=True)
me = os.getpid()
sysv = []
for kind in ("shm", "sem", "msg"):
    with open(f"/proc/sysvipc/{kind}") as handle:
        sysv += handle.read().splitlines()[1:]
queue = libc.mq_open(b"/left-queue", os.O_RDWR)
seen = {
    "tmp": sorted(os.listdir("/tmp")),
    "cwd": sorted(os.listdir(".")),
    "beside": sorted(os.listdir(os.path.dirname(os.getcwd()))),
    "shm": sorted(os.listdir("/dev/shm")) if os.path.isdir("/dev/shm") else [],
    "processes": sorted(int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) != me),
    "parent": os.getppid(),
    "sysv": sysv,
    "queue": queue,
    "course": hasattr(course, "LEFT_BEHIND"),
    "check_close": course.checks.check_close.__name__,
    "mean": __import__("statistics").mean([1, 3]),
    "env": os.environ.get("LEFT_BEHIND"),
    "random": __import__("numpy").random.random(),
}
print("SEEN " + json.dumps(seen))
'''


def _notebook(folder, name, *sources):
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.ipynb"
    nb = new_notebook(cells=[new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def _run(path, **traits):
    nb = nbformat.read(path, as_version=4)
    executor = SandboxedExecute(confirm=False, timeout=30, **traits)
    out, _ = executor.preprocess(nb, {"metadata": {"path": str(path.parent)}})
    return out


def _seen(nb):
    for cell in nb.cells:
        for output in cell.outputs:
            if output.output_type == "stream" and output.text.startswith("SEEN "):
                return json.loads(output.text[5:])
    errors = [(o.ename, o.evalue) for c in nb.cells for o in c.outputs if o.output_type == "error"]
    raise AssertionError(f"the look notebook printed nothing: {errors}")


@pytest.fixture
def fresh_pool():
    warm.close_all()
    started = warm.STATS["started"]
    yield lambda: warm.STATS["started"] - started
    warm.close_all()


def test_recycled_sandbox_keeps_nothing_from_the_last_kernel(tmp_path, fresh_pool):
    folder = tmp_path / "student"
    look = _notebook(folder, "look", LOOK)
    litter = _notebook(folder, "litter", LITTER)
    before = _seen(_run(look))
    out = _run(litter)
    assert not [o for c in out.cells for o in c.outputs if o.output_type == "error"], out.cells[0].outputs
    printed = "".join(o.text for o in out.cells[0].outputs if o.output_type == "stream")
    assert "could not write /tmp" not in printed and "{'ok': 1}" in printed, printed
    after = _seen(_run(look))
    assert fresh_pool() == 1, "all three kernels were to come from one warm sandbox"

    assert after["tmp"] == before["tmp"], after["tmp"]
    assert after["cwd"] == before["cwd"] == ["litter.ipynb", "look.ipynb"]
    assert after["beside"] == before["beside"]
    assert after["shm"] == before["shm"]
    assert after["processes"] == before["processes"], "a process outlived its kernel"
    assert after["sysv"] == [] and after["queue"] == -1
    assert (after["course"], after["check_close"], after["mean"], after["env"]) == (False, "check_close", 2, None)
    assert after["random"] != before["random"], "each kernel seeds numpy afresh"


@pytest.mark.parametrize("attack", ["os.kill(os.getppid(), signal.SIGKILL)", "os.kill(os.getppid(), signal.SIGSTOP)",
                                    "os.kill(-1, signal.SIGKILL)"])
def test_a_kernel_that_attacks_the_zygote_costs_only_its_sandbox(tmp_path, fresh_pool, monkeypatch, attack):
    monkeypatch.setattr(warm, "REPLY_TIMEOUT", 3)  # a stopped zygote is given up on sooner
    folder = tmp_path / "student"
    hostile = _notebook(folder, "hostile", f"import os, signal\n{attack}", "print('still here')")
    look = _notebook(folder, "look", LOOK)
    try:
        _run(hostile)
    except DeadKernelError:
        pass  # it took its own kernel down with the sandbox: nbgrader records that notebook as it is
    seen = _seen(_run(look))
    assert fresh_pool() == 2, "the attacked sandbox was to be replaced by a new one"
    assert len(warm.OPEN) == 1 and warm.OPEN[0].proc.poll() is None
    assert seen["parent"] == warm.OPEN[0].pid


def test_cold_kernels_remain_available(tmp_path, fresh_pool):
    look = _notebook(tmp_path / "student", "look", LOOK)
    seen = _seen(_run(look, warm_kernels=False))
    assert fresh_pool() == 0
    assert seen["parent"] == 1, "a cold kernel is the sandbox's first process"


TRAP = r'''
import os, shutil
work = os.getcwd()
home = os.path.dirname(work)
sockets = os.path.join(home, "sockets")
tried = {}
for what, action in [("rename sockets", lambda: os.rename(sockets, os.path.join(home, "moved"))),
                     ("replace sockets", lambda: (shutil.rmtree(sockets), os.symlink("/nowhere", sockets))),
                     ("link beside", lambda: os.symlink("/nowhere", os.path.join(home, "link"))),
                     ("rename work", lambda: os.rename(work, os.path.join(home, "moved-work"))),
                     ("lock work", lambda: os.chmod(work, 0)), ("lock sockets", lambda: os.chmod(sockets, 0))]:
    try:
        action()
        tried[what] = "done"
    except OSError as error:
        tried[what] = type(error).__name__
print("TRIED", tried)
'''


def test_a_kernel_cannot_move_the_sandboxs_own_folders(tmp_path, fresh_pool):
    """Renaming, replacing or linking the sandbox's folders fails from inside; the next kernel starts as usual."""
    folder = tmp_path / "student"
    trap, look = _notebook(folder, "trap", TRAP), _notebook(folder, "look", LOOK)
    out = _run(trap)
    printed = "".join(o.text for o in out.cells[0].outputs if o.output_type == "stream")
    tried = eval(printed.split("TRIED ", 1)[1])
    assert all(tried[what] != "done" for what in ("rename sockets", "replace sockets", "link beside", "rename work"))
    seen = _seen(_run(look))
    assert seen["cwd"] == ["look.ipynb", "trap.ipynb"]
    assert fresh_pool() == 1, "a sandbox whose folders stayed put serves the next kernel"


def test_a_sandbox_whose_folders_changed_is_replaced_before_the_next_kernel(tmp_path, fresh_pool):
    """Had anything moved a sandbox's folder (here: the host itself), the next kernel gets a new sandbox."""
    look = _notebook(tmp_path / "student", "look", LOOK)
    _seen(_run(look))
    zygote = warm.IDLE[0]
    shutil.move(zygote.sockets, zygote.sockets + "-moved")
    assert not zygote.intact()
    _seen(_run(look))
    assert fresh_pool() == 2 and zygote.proc.poll() is not None


def test_a_kernel_that_does_not_start_is_tried_once_more_in_a_fresh_sandbox(tmp_path, fresh_pool, monkeypatch):
    look = _notebook(tmp_path / "student", "look", LOOK)
    failures = []
    spawn = warm.Zygote.spawn

    def fails_once(zygote, *args, **kwargs):
        if not failures:
            failures.append(zygote)
            raise warm.ZygoteGone("the first start fails")
        return spawn(zygote, *args, **kwargs)

    monkeypatch.setattr(warm.Zygote, "spawn", fails_once)
    assert _seen(_run(look))["cwd"] == ["look.ipynb"]
    assert fresh_pool() == 2 and failures[0] not in warm.OPEN and failures[0].proc.poll() is not None


def test_a_kernel_that_never_starts_is_reported(tmp_path, fresh_pool, monkeypatch):
    look = _notebook(tmp_path / "student", "look", LOOK)

    def never(zygote, *args, **kwargs):
        raise warm.ZygoteGone("no start")

    monkeypatch.setattr(warm.Zygote, "spawn", never)
    with pytest.raises(Exception, match="no start"):
        _run(look)
    assert fresh_pool() == 2, "one retry, in a fresh sandbox, then the notebook is reported"
