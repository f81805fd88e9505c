"""How Networks Learn: set up this folder and open the notebooks in JupyterLab.

Run it in this folder with Python 3.11, 3.12 or 3.13:

    py start.py            Windows
    python3 start.py       macOS and Linux

The first start makes a Python environment for the course in .venv/ here and installs into it the
pinned packages of requirements.txt and the course package (a few minutes, once; again only when
requirements.txt or pyproject.toml change). Every start then opens JupyterLab on release/, for this
computer only: open the http://127.0.0.1:8888/...?token=... address it prints. Ctrl+C stops it.

    python3 start.py --port 9000     another port
    python3 start.py --setup-only    set up .venv/ and stop (do it where the internet is good)

Standard library only, and written so that any Python can read it and say which one it needs.
"""
from __future__ import print_function

import argparse
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

SUPPORTED = ((3, 11), (3, 12), (3, 13))
HERE = os.path.dirname(os.path.abspath(__file__))
VENV = os.path.join(HERE, ".venv")
# Written after a complete install: what it was made from (see fingerprint()).
STAMP = os.path.join(VENV, "how-networks-learn-installed")
LOG = os.path.join(VENV, "pip-install.log")
# The page JupyterLab opens on: it gives the order of the folders, which the file browser sorts A-Z.
START_PAGE = "/lab/tree/release/START_HERE.md"
# The longest path inside .venv/ (a JupyterLab file) is about 160 characters; Windows refuses paths
# over 260 unless long paths are switched on.
WINDOWS_ROOM = 260 - 160


def say(text=""):
    print(text)
    sys.stdout.flush()


def check_python():
    """Stop with what to install, unless this is Python 3.11, 3.12 or 3.13."""
    if tuple(sys.version_info[:2]) in SUPPORTED:
        return
    lines = [
        "This course runs on Python 3.11, 3.12 or 3.13; this is Python {0} ({1}).".format(
            sys.version.split()[0], sys.executable),
        "Install one of them (3.13 is a good choice), then run start.py with it:",
        "  Windows: install Python 3.13 from https://www.python.org/downloads/ then run  py -3.13 start.py",
        "  macOS:   install Python 3.13 from https://www.python.org/downloads/ then run  python3.13 start.py",
        "  Linux:   install python3.13 (or 3.12, 3.11) with your package manager, then run  python3.13 start.py",
    ]
    print("\n".join(lines), file=sys.stderr)
    sys.exit(1)


def venv_python():
    if os.name == "nt":
        return os.path.join(VENV, "Scripts", "python.exe")
    return os.path.join(VENV, "bin", "python")


def scripts_dir():
    return os.path.dirname(venv_python())


def venv_version():
    """The Python version of .venv/ ("3.12.1"), or None if it has none that runs."""
    if not os.path.exists(venv_python()):
        return None
    try:
        out = subprocess.check_output([venv_python(), "-c", "import sys; print(sys.version.split()[0])"])
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.decode().strip()


def fingerprint(version):
    """What an install is made from: the pinned packages, the course package's settings, the Python."""
    digest = hashlib.sha256(version.encode())
    for name in ("requirements.txt", "pyproject.toml"):
        with open(os.path.join(HERE, name), "rb") as f:
            digest.update(f.read())
    return digest.hexdigest()


def read_stamp():
    try:
        with open(STAMP) as f:
            return f.read().strip()
    except (IOError, OSError):
        return None


def count_packages():
    with open(os.path.join(HERE, "requirements.txt")) as f:
        return sum(1 for line in f if "==" in line and not line.lstrip().startswith("#"))


def duration(seconds):
    seconds = int(round(seconds))
    return "{0} s".format(seconds) if seconds < 60 else "{0} min {1:02d} s".format(seconds // 60, seconds % 60)


def create_venv():
    started = time.time()
    sys.stdout.write("  1. A Python environment for the course in .venv/ ... ")
    sys.stdout.flush()
    if os.path.exists(VENV):
        shutil.rmtree(VENV)
    proc = subprocess.Popen([sys.executable, "-m", "venv", VENV], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = proc.communicate()[0].decode(errors="replace")
    if proc.returncode != 0 or not os.path.exists(venv_python()):
        say("failed:")
        say(out.strip())
        say("Python could not make .venv/ here.")
        if sys.platform.startswith("linux"):
            say("On Debian and Ubuntu, Python's venv comes in a package of its own: "
                "sudo apt install python{0}.{1}-venv  then run start.py again.".format(*sys.version_info[:2]))
        sys.exit(1)
    say("done ({0}).".format(duration(time.time() - started)))


class Progress(object):
    """Reads pip's output into the log and tells, every few seconds, how far it has got.

    pip first collects the packages (downloading them), then installs them all at once; while it installs
    it prints nothing, so that count comes from the packages' folders appearing in site-packages."""

    def __init__(self, proc, log, expected, site_packages):
        self.proc, self.log, self.expected, self.site = proc, log, expected, site_packages
        self.collected, self.installing = 0, None
        self.started = time.time() - 1
        self.reader = threading.Thread(target=self.read)
        self.reader.daemon = True
        self.reader.start()

    def installed_since_start(self):
        try:
            return sum(1 for name in os.listdir(self.site) if name.endswith(".dist-info")
                       and os.stat(os.path.join(self.site, name)).st_mtime >= self.started)
        except OSError:  # a folder pip is just replacing
            return 0

    def read(self):
        for line in iter(self.proc.stdout.readline, b""):
            self.log.write(line)
            text = line.decode("utf-8", "replace")
            if text.startswith(("Collecting ", "Processing ", "Requirement already satisfied: ", "Obtaining ")):
                self.collected += 1
            elif text.startswith("Installing collected packages: "):
                self.installing = len(text.split(":", 1)[1].split(","))

    def status(self):
        if self.installing is None:
            return "downloading: {0} of about {1} packages".format(min(self.collected, self.expected),
                                                                     self.expected)
        done = min(self.installed_since_start(), self.installing)
        return "installing: {0} of {1} packages".format(done, self.installing)

    def follow(self, started):
        """Print the status until pip ends: on one line in a terminal, elsewhere a line every 5 s."""
        tty = sys.stdout.isatty()
        last, last_time = None, 0
        while self.proc.poll() is None:
            time.sleep(0.5)
            text = "     [{0:>9}] {1}".format(duration(time.time() - started), self.status())
            if tty:
                sys.stdout.write("\r" + text.ljust(72))
                sys.stdout.flush()
            elif text.split("]")[1] != last and time.time() - last_time >= 5:
                say(text)
                last, last_time = text.split("]")[1], time.time()
        self.reader.join()
        if tty:
            say()


def install(version):
    """pip install the pinned packages and the course package into .venv/, with progress."""
    started = time.time()
    expected = count_packages()
    say("  2. About {0} packages to download and install (JupyterLab, nbgrader, numpy, matplotlib and\n"
        "     what they need): usually 1-5 minutes, most of it the download.".format(expected))
    if os.name == "nt" and len(VENV) > WINDOWS_ROOM:
        say("     Note: this folder's path is long ({0} characters). If the install fails with \"No such file or "
            "directory\", move this folder somewhere short, such as C:\\hnl\\, and run start.py again."
            .format(len(VENV)))
    site = subprocess.check_output([venv_python(), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"])
    # One pip run for both: the course package's own needs (numpy, ...) resolve to the pinned versions.
    # --no-compile: Python compiles the modules it uses when it first imports them, not all ~4,500 now
    # (a third of pip's work here).
    cmd = [venv_python(), "-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "off",
           "--no-compile", "-r", "requirements.txt", "-e", "."]
    with open(LOG, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=HERE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            Progress(proc, log, expected, site.decode().strip()).follow(started)
        except KeyboardInterrupt:  # Ctrl+C: pip too stops, before start.py does
            proc.terminate()
            proc.wait()
            raise
    if proc.returncode != 0:
        with open(LOG, "rb") as f:
            tail = f.read().decode("utf-8", "replace").splitlines()[-25:]
        say("\n".join(tail))
        say("The install stopped (pip exited with {0}); all it printed is in {1}.".format(proc.returncode, LOG))
        say("Check your internet connection and run start.py again: it goes on where it stopped.")
        if os.name == "nt":
            say("On Windows, a folder with a short path (such as C:\\hnl\\) avoids the 260-character limit.")
        sys.exit(1)
    with open(STAMP, "w") as f:
        f.write(fingerprint(version) + "\n")
    say("     done ({0}).".format(duration(time.time() - started)))


def setup():
    """Make .venv/ and install into it, unless that is done already for these requirements."""
    version = venv_version()
    if version is not None and read_stamp() == fingerprint(version):
        return
    started = time.time()
    if version is None or tuple(int(n) for n in version.split(".")[:2]) not in SUPPORTED:
        if os.path.exists(VENV):
            say("The .venv/ folder here does not work with this course's Python any more: making it again.")
        say("How Networks Learn: first start, on Python {0}. Setting up this folder once; later starts "
            "skip this.".format(sys.version.split()[0]))
        create_venv()
        version = venv_version()
    elif read_stamp() is None:
        say("The last set-up of .venv/ did not finish: finishing it now (Python {0}).".format(version))
    else:
        say("requirements.txt or pyproject.toml changed since the last set-up: updating .venv/ "
            "(Python {0}).".format(version))
    install(version)
    say("Set-up done in {0} (what pip printed: .venv/pip-install.log).".format(duration(time.time() - started)))


def jupyter_command(python, port):
    """JupyterLab on release/, for this computer only, with the student view of nbgrader."""
    cmd = [python, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
           "--ServerApp.port={0}".format(port), "--ServerApp.root_dir=" + HERE, "--LabApp.default_url=" + START_PAGE]
    # Jupyter refuses to start as root (containers) unless told it is deliberate.
    if os.name != "nt" and os.geteuid() == 0:
        cmd.append("--allow-root")
    return cmd


def jupyter_environment(environ, scripts):
    """``environ`` with the student view and ``scripts`` (the venv's) first on PATH: nbgrader runs tools from it.

    The student view (Assignments list and Validate; no Formgrader, Course List or Create Assignment) and
    JupyterLab's settings for the course live in jupyter_config/ here: your own Jupyter settings are left alone."""
    env = dict(environ)
    env["JUPYTER_CONFIG_DIR"] = os.path.join(HERE, "jupyter_config")
    env["PATH"] = scripts + os.pathsep + env.get("PATH", "")
    return env


def serve(port):
    say("Starting JupyterLab on release/: open the http://127.0.0.1:{0}/...?token=... address printed below "
        "(only this computer can). Ctrl+C stops it.".format(port))
    proc = subprocess.Popen(jupyter_command(venv_python(), port), cwd=HERE,
                            env=jupyter_environment(os.environ, scripts_dir()))
    signal.signal(signal.SIGTERM, lambda signum, frame: proc.terminate())
    while True:
        try:
            return proc.wait()
        except KeyboardInterrupt:
            pass  # JupyterLab has the Ctrl+C too: it asks whether to stop, and stops on a second one


def main(argv=None):
    check_python()
    parser = argparse.ArgumentParser(description="Set up this folder (once) and open the notebooks in JupyterLab.")
    parser.add_argument("--port", type=int, default=8888, help="the port JupyterLab listens on (default 8888)")
    parser.add_argument("--setup-only", action="store_true", help="set up .venv/ and stop")
    args = parser.parse_args(argv)
    try:
        setup()
    except KeyboardInterrupt:
        say("\nStopped. Run start.py again to go on with the set-up.")
        return 130
    if args.setup_only:
        say("Ready: run start.py again to open the notebooks.")
        return 0
    return serve(args.port)


if __name__ == "__main__":
    sys.exit(main())
