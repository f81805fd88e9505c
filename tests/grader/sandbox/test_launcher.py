"""The grading sandbox fails closed, and its launcher refuses what it cannot sandbox."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader import sandbox
from grader.sandbox.limits import LIMITS
from tests.support.compare import make_course_copy, nbgrader_env
from tests.support.course_files import ASSIGNMENT, ROOT
from tests.support.samples import build_class

HAVE_BWRAP = bool(shutil.which("bwrap"))


def test_kernelspec_runs_the_launcher(tmp_path):
    path = sandbox.install_kernelspec(tmp_path)
    spec = json.loads(path.read_text())
    assert spec["argv"][1:4] == ["-m", "grader.sandbox.launcher", "-f"] and "{connection_file}" in spec["argv"]


def test_launcher_refuses_tcp(tmp_path):
    conn = tmp_path / "kernel.json"
    conn.write_text(json.dumps({"transport": "tcp", "ip": "127.0.0.1"}))
    done = subprocess.run([sys.executable, "-m", "grader.sandbox.launcher", "-f", str(conn)],
                          capture_output=True, text=True, cwd=tmp_path, env=nbgrader_env())
    assert done.returncode != 0 and "ipc transport" in done.stderr


@pytest.mark.skipif(not HAVE_BWRAP, reason="bubblewrap not installed")
def test_preflight_sees_no_network_and_limits():
    info = sandbox.preflight()
    assert info["net"] == "blocked" and info["nproc"] <= 10_000 and info["as"] == LIMITS["as"]
    assert "gradebook.db" not in info["root_listing"]
    # course/ is mounted (notebooks import it); the grading code is neither importable nor visible.
    assert info["grader"] is None and info["grader_dir_visible"] is False


@pytest.mark.skipif(not HAVE_BWRAP, reason="bubblewrap not installed")
def test_sandbox_runs_from_a_symlinked_environment(tmp_path):
    """A course whose .venv is a symlink to an environment elsewhere still grades (real paths are mounted)."""
    link = tmp_path / "venv-link"
    link.symlink_to(Path(sys.prefix).resolve(), target_is_directory=True)
    python = link / "bin" / Path(sys.executable).name
    done = subprocess.run([str(python), "-c", "from grader.sandbox import preflight; print(preflight()['net'])"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "blocked", done.stderr[-2000:]


def test_grading_stops_without_bwrap(tmp_path):
    course = make_course_copy(ROOT, tmp_path / "course", ASSIGNMENT, ["01_forward_pass"])
    incoming = build_class(tmp_path / "in", course / "release" / ASSIGNMENT,
                           course / "source" / ASSIGNMENT, {"s1": "perfect"})
    env = dict(nbgrader_env(), PATH=str(Path(sys.executable).parent))  # no /usr/bin: no bwrap
    env.pop(sandbox.OPT_OUT_ENV, None)
    done = subprocess.run([sys.executable, "-m", "grader", "grade", "--course-dir", str(course),
                           "--submissions", str(incoming), "--no-report"], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=300)
    assert done.returncode == 2, done.stderr[-2000:]
    assert "sandbox does not start" in done.stderr and "bwrap" in done.stderr
    assert not (course / "autograded" / "s1").exists()
