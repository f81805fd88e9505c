"""The grading sandbox fails closed, and its launcher refuses what it cannot sandbox."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from course.grading import sandbox
from course.grading.compare import make_course_copy, nbgrader_env
from course.grading.samples import build_class

ROOT = Path(__file__).resolve().parents[1]
HAVE_BWRAP = bool(shutil.which("bwrap"))


def test_kernelspec_runs_the_launcher(tmp_path):
    path = sandbox.install_kernelspec(tmp_path)
    spec = json.loads(path.read_text())
    assert spec["argv"][1:4] == ["-m", "course.grading.sandbox", "-f"] and "{connection_file}" in spec["argv"]


def test_launcher_refuses_tcp(tmp_path):
    conn = tmp_path / "kernel.json"
    conn.write_text(json.dumps({"transport": "tcp", "ip": "127.0.0.1"}))
    done = subprocess.run([sys.executable, "-m", "course.grading.sandbox", "-f", str(conn)],
                          capture_output=True, text=True, cwd=tmp_path, env=nbgrader_env())
    assert done.returncode != 0 and "ipc transport" in done.stderr


@pytest.mark.skipif(not HAVE_BWRAP, reason="bubblewrap not installed")
def test_preflight_sees_no_network_and_limits():
    info = sandbox.preflight()
    assert info["net"] == "blocked" and info["nproc"] <= 10_000 and info["as"] == sandbox.LIMITS["as"]
    assert "gradebook.db" not in info["root_listing"]


def test_grading_stops_without_bwrap(tmp_path):
    course = make_course_copy(ROOT, tmp_path / "course", "how_networks_learn", ["01_forward_pass"])
    incoming = build_class(tmp_path / "in", course / "release" / "how_networks_learn",
                           course / "source" / "how_networks_learn", {"s1": "perfect"})
    env = dict(nbgrader_env(), PATH=str(Path(sys.executable).parent))  # no /usr/bin: no bwrap
    env.pop(sandbox.OPT_OUT_ENV, None)
    done = subprocess.run([sys.executable, "-m", "course.grading", "grade", "--course-dir", str(course),
                           "--submissions", str(incoming), "--no-report"], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=300)
    assert done.returncode == 2, done.stderr[-2000:]
    assert "sandbox does not start" in done.stderr and "bwrap" in done.stderr
    assert not (course / "autograded" / "s1").exists()
