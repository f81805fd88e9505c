"""A student starts on any laptop: `python start.py` in the unzipped student distribution, on 3.11, 3.12, 3.13.

For each Python (pyenv's newest 3.11.x, 3.12.x and 3.13.x), the test unzips the distribution as a student
would and runs its start.py there: the first start makes .venv/, installs the pinned requirements and the
course package with pip, and starts JupyterLab. It waits until the token address start.py prints serves
JupyterLab, checks what the student gets (release/ listed, the venv's Python imports the course and numpy),
and stops it with SIGTERM, as closing the terminal would. The time from unzip to a serving JupyterLab, and
the CPU it took, go to artifacts/student_start.txt. On 3.11, later starts are checked to skip the set-up
until pyproject.toml changes; older Pythons are told what to install.

pip's cache cannot be shared between the three: the pure-Python wheels come from this machine's local index
(file://, which pip does not cache), and numpy and the other compiled packages are built for each Python.
Installing from a wheelhouse made beforehand costs the same CPU (pip's own work: ~14 s of CPU a Python,
most of it unpacking), so the three installs run as they would for a student; start.py skips compiling
every module up front (--no-compile), which saves a third of that.
"""
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

from tests.support.course_files import ASSIGNMENT, ASSIGNMENTS, ROOT, build_student_copy
from tests.support.lab_server import free_port, not_run

NAME = "how-networks-learn-student"
PYENV = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
SUPPORTED = ["3.11", "3.12", "3.13"]
# A first start under a loaded test run; a student's laptop takes 1-5 minutes (README).
FIRST_START_SECONDS = 600
ADDRESS = re.compile(r"http://127\.0\.0\.1:(\d+)/lab/tree/release/START_HERE\.md\?token=(\w+)")
ARTIFACT = ROOT / "artifacts" / "student_start.txt"


def pyenv_python(minor):
    """The newest pyenv Python ``minor``.x (e.g. 3.12 -> ~/.pyenv/versions/3.12.1/bin/python3), or not run."""
    found = [p for p in PYENV.glob(f"{minor}.*/bin/python{minor[0]}")
             if re.fullmatch(rf"{re.escape(minor)}\.\d+", p.parents[1].name)]
    if not found:
        not_run("STUDENT START", f"no Python {minor} in {PYENV} (pyenv install {minor})")
    return max(found, key=lambda p: int(p.parents[1].name.split(".")[2]))


def children_cpu():
    """CPU seconds of every process this one has started and waited for (their own children included)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def student_env(tmp):
    """The environment of a student's terminal: none of this repository's venv or Jupyter settings."""
    venv_bin = str(Path(sys.executable).parent)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("JUPYTER", "JPY_", "PYTHON", "VIRTUAL_ENV"))}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p != venv_bin)
    env["JUPYTER_RUNTIME_DIR"] = str(tmp / "runtime")  # the server's connection files, not in ~/.local
    return env


def get(url, token=None):
    headers = {"Authorization": f"token {token}"} if token else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


class Start:
    """`python start.py` running in a folder, its output in a log, until it serves or fails."""

    def __init__(self, python, folder, tmp, *args):
        self.folder, self.log_path = folder, tmp / f"start-{time.monotonic_ns()}.log"
        self.port = free_port()
        with open(self.log_path, "w") as log:
            self.proc = subprocess.Popen([str(python), "start.py", "--port", str(self.port), *args], cwd=folder,
                                         env=student_env(tmp), stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL)

    def output(self):
        return self.log_path.read_text(errors="replace")

    def wait_serving(self, seconds):
        """Wait until the printed token address answers 200; return it as (url, port, token)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"start.py exited with {self.proc.returncode}:\n{self.output()[-4000:]}")
            match = ADDRESS.search(self.output())
            if match:
                try:
                    if get(match.group(0))[0] == 200:
                        return match.group(0), int(match.group(1)), match.group(2)
                except OSError:
                    pass
            time.sleep(0.3)
        self.stop()
        pytest.fail(f"start.py did not serve JupyterLab within {seconds} s:\n{self.output()[-4000:]}")

    def stop(self):
        """SIGTERM, as a closing terminal sends: start.py passes it on and JupyterLab shuts down."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
                pytest.fail(f"start.py did not stop within 30 s of SIGTERM:\n{self.output()[-3000:]}")
        return self.proc.returncode


def port_open(port):
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """The student distribution's .zip, as an instructor hands it out (`make student`)."""
    return build_student_copy(tmp_path_factory.mktemp("student-start-dist")).with_suffix(".zip")


@pytest.fixture(scope="module")
def starts(tmp_path_factory):
    """What each first start measured, by Python; written to artifacts/student_start.txt afterwards. The
    unzipped folders (~400 MB each with .venv/) are removed then."""
    found = {"first": {}, "later": {}, "folders": []}
    yield found
    lines = [f"Python {version}: unzip to a serving JupyterLab {m['serving']:.1f} s (set-up {m['setup']:.1f} s), "
             f"CPU {m['cpu']:.1f} s" for version, m in found["first"].items()]
    lines += [f"Python {version}: a later start (set-up done) serves in {m['serving']:.1f} s, CPU {m['cpu']:.1f} s"
              for version, m in found["later"].items()]
    if lines:
        ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
        ARTIFACT.write_text("\n".join(["student distribution, `python start.py` (tests/e2e/test_student_start.py)",
                                       *lines]) + "\n")
        print("\n" + "\n".join(lines))
    for folder in found["folders"]:
        shutil.rmtree(folder, ignore_errors=True)


def pinned(name):
    text = (ROOT / "requirements.txt").read_text()
    return re.search(rf"^{re.escape(name)}==([\w.]+)", text, re.M).group(1)


@pytest.mark.parametrize("minor", SUPPORTED)
def test_first_start_sets_up_and_serves_the_notebooks(minor, archive, starts, tmp_path):
    python = pyenv_python(minor)
    cpu, began = children_cpu() + time.process_time(), time.monotonic()
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(tmp_path)
    folder = tmp_path / NAME
    starts["folders"].append(folder)
    start = Start(python, folder, tmp_path)
    try:
        url, port, token = start.wait_serving(FIRST_START_SECONDS)
        serving = time.monotonic() - began
        output = start.output()
        base = f"http://127.0.0.1:{port}"
        # What the student reads while it sets up: what it does, how long it takes, how far it has got.
        packages = sum(1 for line in (folder / "requirements.txt").read_text().splitlines()
                       if "==" in line and not line.startswith("#"))
        for said in (f"first start, on Python {minor}.", f"About {packages} packages to download and install",
                     "usually 1-5 minutes", "Set-up done in", "Starting JupyterLab on release/"):
            assert said in output, f"start.py did not say {said!r}:\n{output[:3000]}"
        assert re.search(r"\] (downloading|installing): \d+ of (about )?\d+ packages", output), output[:3000]
        setup = re.search(r"Set-up done in (?:(\d+) min )?(\d+) s", output)
        # JupyterLab as `make lab` started it: this computer only, the token, release/ and START_HERE.md.
        assert port == start.port, f"asked for port {start.port}, JupyterLab printed {url}"
        assert get(f"{base}/api/status", token)[0] == 200
        assert get(f"{base}/api/status")[0] in (401, 403), "JupyterLab answers without the token"
        status, body = get(f"{base}/api/contents/release", token)
        assert status == 200, body
        listed = sorted(item["name"] for item in json.loads(body)["content"])
        assert listed == sorted([*ASSIGNMENTS, "START_HERE.md"]), listed
        status, body = get(f"{base}/api/kernelspecs", token)
        assert status == 200 and json.loads(body)["default"] == "python3", body[:500]
        # The notebooks' kernel is the venv's Python: it imports this folder's course package and the pins.
        venv_python = folder / ".venv" / "bin" / "python"
        proc = subprocess.run([str(venv_python), "-c", "import sys, course, numpy, matplotlib, ipywidgets; "
                               "print('%d.%d' % sys.version_info[:2], course.__file__, numpy.__version__)"],
                              cwd=folder / "release" / ASSIGNMENT, env=student_env(tmp_path), capture_output=True,
                              text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.split() == [minor, str(folder / "course" / "__init__.py"), pinned("numpy")], proc.stdout
    finally:
        code = start.stop()
    assert code == 0, f"start.py exited with {code} after SIGTERM:\n{start.output()[-3000:]}"
    assert not port_open(port), "JupyterLab still listens after start.py stopped"
    version = re.search(r"first start, on Python (\S+)\.", output).group(1)
    starts["first"][version] = {"serving": serving, "setup": int(setup.group(1) or 0) * 60 + int(setup.group(2)),
                                "cpu": children_cpu() + time.process_time() - cpu}
    starts[minor] = folder


def test_later_starts_skip_the_set_up_until_pyproject_changes(starts, tmp_path):
    """The stamp in .venv/: a second start goes straight to JupyterLab; a changed pyproject.toml re-installs."""
    folder = starts.get(SUPPORTED[0])
    if folder is None:
        pytest.fail(f"the first start on {SUPPORTED[0]} did not finish (see its test)")
    python = pyenv_python(SUPPORTED[0])
    cpu, began = children_cpu(), time.monotonic()
    start = Start(python, folder, tmp_path)
    try:
        start.wait_serving(120)
        serving = time.monotonic() - began
    finally:
        code = start.stop()
    output = start.output()
    assert code == 0, output[-3000:]
    assert "first start" not in output and "packages to download" not in output, output[:2000]
    assert "Starting JupyterLab on release/" in output, output[:2000]
    starts["later"][python.parents[1].name] = {"serving": serving, "cpu": children_cpu() - cpu}

    pyproject = folder / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + "# a new release of the course\n")
    changed = subprocess.run([str(python), "start.py", "--setup-only"], cwd=folder, env=student_env(tmp_path),
                             capture_output=True, text=True, timeout=300)
    assert changed.returncode == 0, changed.stdout + changed.stderr
    assert "pyproject.toml changed since the last set-up: updating .venv/" in changed.stdout, changed.stdout
    assert "Set-up done in" in changed.stdout and "Ready" in changed.stdout, changed.stdout
    assert "Requirement already satisfied: numpy" in (folder / ".venv" / "pip-install.log").read_text()
    again = subprocess.run([str(python), "start.py", "--setup-only"], cwd=folder, env=student_env(tmp_path),
                           capture_output=True, text=True, timeout=60)
    assert again.returncode == 0 and again.stdout.strip() == "Ready: run start.py again to open the notebooks.", \
        again.stdout


@pytest.mark.parametrize("minor", ["2.7", "3.10"])
def test_another_python_is_told_what_to_install(minor, archive, tmp_path):
    python = pyenv_python(minor)
    with zipfile.ZipFile(archive) as zf:
        zf.extract(f"{NAME}/start.py", tmp_path)
    proc = subprocess.run([str(python), "start.py"], cwd=tmp_path / NAME, env=student_env(tmp_path),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"This course runs on Python 3.11, 3.12 or 3.13; this is Python {minor}." in proc.stderr, proc.stderr
    for said in ("https://www.python.org/downloads/", "py -3.13 start.py", "python3.13 start.py"):
        assert said in proc.stderr, proc.stderr
    assert not (tmp_path / NAME / ".venv").exists()
