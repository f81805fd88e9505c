"""The student distribution (`make student`): what a student receives, and the JupyterLab it starts.

Builds it into a temporary folder as on a fresh machine, proves it holds no solution line, hidden test or
grading code, then starts its JupyterLab with the command its own start.py runs (this machine's venv
instead of a new one) and checks over HTTP that students get the Assignments list and Validate, while
Formgrader, Course List and Create Assignment are off, and JupyterLab opens on START_HERE.md with the
course's settings. An optional browser check (marked `browser`) looks at the Nbgrader menu and that page.
tests/e2e/test_student_start.py runs start.py itself, set-up and all, on Python 3.11, 3.12 and 3.13.
"""
import concurrent.futures
import importlib.util
import json
import os
import re
import secrets
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

import nbformat
import pytest

from tests.support.course_files import ASSIGNMENT, ASSIGNMENTS, ROOT, build_student_copy
from tests.support.lab_server import CHROMIUM, FILE_LISTING, browser_problem, free_port, not_run, running

VENV_BIN = Path(sys.executable).parent
NAME = "how-networks-learn-student"
INSTRUCTOR_PLUGINS = ["@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
                      "@jupyter/nbgrader:course-list"]
STUDENT_PLUGINS = ["@jupyter/nbgrader:assignment-list", "@jupyter/nbgrader:validate-assignment"]


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    return build_student_copy(tmp_path_factory.mktemp("student-dist"))


def files_in(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


# --- what is in it ---------------------------------------------------------------------------------------

def test_holds_the_student_files_and_no_instructor_files(dist):
    files = files_in(dist)
    release = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "release").glob("*/*.ipynb"))
    assert {p.split("/")[1] for p in release} == set(ASSIGNMENTS), "an assignment is missing from release/"
    assert release and all(path in files for path in release)
    for needed in ("README.md", "start.py", "Makefile", "requirements.txt", "pyproject.toml", "course/__init__.py",
                   "release/START_HERE.md", "jupyter_config/labconfig/page_config.json",
                   "jupyter_config/jupyter_server_config.json",
                   "jupyter_config/lab/user-settings/@jupyterlab/filebrowser-extension/browser.jupyterlab-settings"):
        assert needed in files, f"{needed} is missing from the student distribution"
    assert (dist / "requirements.txt").read_text() == (ROOT / "requirements.txt").read_text()
    assert (dist / "start.py").read_text() == (ROOT / "tools" / "student_start.py").read_text()
    for path in files:
        top = path.split("/")[0]
        assert top not in ("source", "grader", "tests", ".git", "submitted", "autograded", "feedback"), path
        assert not path.startswith(("gradebook", "nbgrader_config.py")), path
        assert "__pycache__" not in path, path
    # The zip holds exactly the folder.
    with zipfile.ZipFile(dist.parent / f"{NAME}.zip") as zf:
        zipped = sorted(n.removeprefix(f"{NAME}/") for n in zf.namelist() if not n.endswith("/"))
    assert zipped == files
    # The release notebooks are copied with outputs cleared.
    for path in release:
        nb = nbformat.read(dist / path, as_version=4)
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), path


def test_carries_no_grading_code(dist):
    config = (dist / "jupyter_config" / "nbgrader_config.py").read_text()
    for word in ("preprocessors", "grader.", "Autograde", "GenerateAssignment", "db_url"):
        assert word not in config, f"the student nbgrader config mentions {word!r}"
    pyproject = (dist / "pyproject.toml").read_text()
    assert 'include = ["course*"]' in pyproject and "grader" not in pyproject
    for path in dist.rglob("*.py"):
        text = path.read_text()
        assert not re.search(r"^\s*(from|import)\s+grader\b", text, re.M), f"{path} imports grader"


# Python's own syntax, too common to count as anyone's solution (`except ValueError:` is in course/ too).
GENERIC = re.compile(r"(try|else|finally|except(\s+[\w.]+|\s*\([\w., ]+\))?(\s+as\s+\w+)?)\s*:")


def secret_lines():
    """Distinctive solution and hidden-test lines of every source notebook that no release notebook shows."""
    released = set()
    for nb_path in (ROOT / "release").glob("*/*.ipynb"):
        for cell in nbformat.read(nb_path, as_version=4).cells:
            released.update(line.strip() for line in cell.source.splitlines())
    secrets_found = set()
    for nb_path in (ROOT / "source").glob("*/*.ipynb"):
        for cell in nbformat.read(nb_path, as_version=4).cells:
            inside = False
            for line in cell.source.splitlines():
                if re.search(r"### BEGIN (SOLUTION|HIDDEN TESTS)", line):
                    inside = True
                elif re.search(r"### END (SOLUTION|HIDDEN TESTS)", line):
                    inside = False
                elif (inside and len(line.strip()) >= 16 and line.strip() not in released
                      and not GENERIC.fullmatch(line.strip())):
                    secrets_found.add(line.strip())
    return secrets_found


def texts(dist):
    """(name, text) of every text file in the folder and in the zip; notebooks also as their cell sources."""
    def expand(name, data):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return []
        found = [(name, text)]
        if name.endswith(".ipynb"):
            nb = nbformat.reads(text, as_version=4)
            found.append((f"{name} (cells)", "\n".join(c.source for c in nb.cells)))
        return found

    found = []
    for path in sorted(p for p in dist.rglob("*") if p.is_file()):
        found += expand(path.relative_to(dist).as_posix(), path.read_bytes())
    with zipfile.ZipFile(dist.parent / f"{NAME}.zip") as zf:
        for name in zf.namelist():
            if not name.endswith("/"):
                found += expand(f"zip:{name}", zf.read(name))
    return found


def test_holds_no_solution_or_hidden_test(dist):
    lines = secret_lines()
    assert len(lines) >= 10, f"found only {len(lines)} solution/hidden-test lines in source/: is the scan broken?"
    leaks = []
    for name, text in texts(dist):
        if re.search(r"BEGIN (SOLUTION|HIDDEN TESTS)", text):
            leaks.append(f"{name}: nbgrader marker")
        leaks += [f"{name}: {line}" for line in lines if line in text]
    assert not leaks, "solution or hidden-test text in the student distribution:\n" + "\n".join(leaks[:20])


def load_builder():
    spec = importlib.util.spec_from_file_location("build_student", ROOT / "tools" / "build_student.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_refuses_to_write_into_source_or_release(capsys):
    builder = load_builder()
    for dest in (ROOT / "source", ROOT / "release" / "out"):
        with pytest.raises(SystemExit) as exit_info:
            builder.main([str(dest)])
        assert exit_info.value.code == 2 and "refusing" in capsys.readouterr().err
    assert not (ROOT / "release" / "out").exists()


def test_start_here_gives_the_course_order_with_a_link_to_every_notebook(dist):
    """The file browser lists the assignments A to Z (beyond_one_neuron first); START_HERE.md, the page
    JupyterLab opens on, lists them in course order, each notebook under its folder, linked."""
    text = (dist / "release" / "START_HERE.md").read_text()
    folders = re.findall(r"^\d+\. `(\w+)/`$", text, re.M)
    assert folders == ASSIGNMENTS, text
    assert sorted(ASSIGNMENTS) != ASSIGNMENTS, "the A-Z order is the course order: START_HERE is not needed"
    links = re.findall(r"^   - \[(.+)\]\((\w+/\d\d_\w+\.ipynb)\)$", text, re.M)
    assert [link for _, link in links] == [f"{a}/{p.name}" for a in ASSIGNMENTS
                                            for p in sorted((ROOT / "release" / a).glob("*.ipynb"))], text
    for title, link in links:
        assert title.startswith(Path(link).name[:2] + " "), (title, link)
        assert (dist / "release" / link).is_file(), link


# --- its start.py and `make lab` -----------------------------------------------------------------------------

def load_start(dist):
    """The distribution's start.py as a module (HERE is the distribution)."""
    spec = importlib.util.spec_from_file_location("student_start", dist / "start.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_make_lab_runs_start_py(dist):
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    for target, args, expected in (("lab", ["PORT=9000"], "python3 start.py --port 9000"),
                                   ("setup", [], "python3 start.py --setup-only")):
        proc = subprocess.run(["make", "-n", target, *args], cwd=dist, env=env, capture_output=True, text=True,
                              timeout=60)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.strip() == expected, proc.stdout


def test_start_py_starts_the_student_jupyterlab(dist):
    start = load_start(dist)
    cmd = start.jupyter_command("PYTHON", 8888)
    assert cmd[:4] == ["PYTHON", "-m", "jupyterlab", "--no-browser"], cmd
    for flag in ("--ServerApp.ip=127.0.0.1", "--ServerApp.port=8888", f"--ServerApp.root_dir={dist}",
                 "--LabApp.default_url=/lab/tree/release/START_HERE.md"):
        assert flag in cmd, f"{flag} missing from: {cmd}"
    assert ("--allow-root" in cmd) == (os.getuid() == 0), cmd
    env = start.jupyter_environment({"PATH": "/usr/bin", "HOME": "/home/student"}, "/venv/bin")
    assert env == {"PATH": f"/venv/bin{os.pathsep}/usr/bin", "HOME": "/home/student",
                   "JUPYTER_CONFIG_DIR": str(dist / "jupyter_config")}


def request(server, path, method="GET", data=None, auth=True):
    """(status, body) of an HTTP request to the server, with the token unless auth=False."""
    headers = {"Authorization": f"token {server['token']}"} if auth else {}
    req = urllib.request.Request(server["base"] + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


@pytest.fixture(scope="module")
def lab(dist, tmp_path_factory):
    """The distribution's JupyterLab, started as its start.py starts it (with this machine's venv)."""
    tmp = tmp_path_factory.mktemp("student-lab")
    port, token = free_port(), secrets.token_hex(24)
    start = load_start(dist)
    cmd = [*start.jupyter_command(sys.executable, port), f"--IdentityProvider.token={token}",
           "--ServerApp.port_retries=0", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    env = start.jupyter_environment({k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "JPY_"))},
                                    str(VENV_BIN))
    # The kernel imports the distribution's own course package, not the repository's.
    env.update(PYTHONPATH=str(dist), PYTHONDONTWRITEBYTECODE="1",
               JUPYTER_RUNTIME_DIR=str(tmp / "runtime"), IPYTHONDIR=str(tmp / "ipython"))
    log_path = tmp / "jupyterlab.log"
    server = {"base": f"http://127.0.0.1:{port}", "token": token, "log": log_path}
    with running(cmd, cwd=dist, env=env, log_path=log_path, seconds=60,
                 answers=lambda: request(server, "/api/status")[0] == 200):
        yield server


def page_config(lab):
    status, html = request(lab, "/lab")
    assert status == 200, html[:500]
    match = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', html, re.S)
    assert match, "no jupyter-config-data in /lab"
    return json.loads(match.group(1))


def test_lab_serves_the_notebooks_and_nothing_of_the_instructor(lab):
    status, body = request(lab, f"/api/contents/release/{ASSIGNMENT}")
    assert status == 200, body
    listed = sorted(item["name"] for item in json.loads(body)["content"] if item["name"].endswith(".ipynb"))
    assert listed == sorted(p.name for p in (ROOT / "release" / ASSIGNMENT).glob("*.ipynb"))
    for folder in ("source", "grader", "tests"):
        assert request(lab, f"/api/contents/{folder}")[0] == 404, f"{folder}/ is served"
    status, body = request(lab, "/formgrader")
    assert status == 404, f"/formgrader answered {status}: formgrader's server extension is on"
    assert request(lab, "/api/status", auth=False)[0] in (401, 403), "the server answers without the token"
    log = lab["log"].read_text()
    assert "nbgrader.server_extensions.formgrader | extension was successfully loaded" not in log


def test_lab_page_config_disables_instructor_plugins_only(lab):
    config = page_config(lab)
    disabled = config.get("disabledExtensions", [])
    disabled = [k for k, v in disabled.items() if v] if isinstance(disabled, dict) else list(disabled)
    for plugin in INSTRUCTOR_PLUGINS:
        assert plugin in disabled, f"{plugin} is not disabled for students: {disabled}"
    for plugin in STUDENT_PLUGINS:
        assert plugin not in disabled, f"{plugin} is disabled, students need it"
    assert "@jupyter/nbgrader" in [e["name"] for e in config.get("federated_extensions", [])]


def test_lab_has_start_here_and_the_course_settings(lab):
    """JupyterLab reads the course's settings from jupyter_config/lab/user-settings: no Last Modified column
    in the file browser (the folder names fit), Markdown files shown as pages (START_HERE.md)."""
    status, body = request(lab, "/api/contents/release")
    assert status == 200, body
    assert sorted(item["name"] for item in json.loads(body)["content"]) == sorted([*ASSIGNMENTS, "START_HERE.md"])
    for plugin, key, value in (("@jupyterlab/filebrowser-extension:browser", "showLastModifiedColumn", False),
                               ("@jupyterlab/docmanager-extension:plugin", "defaultViewers",
                                {"markdown": "Markdown Preview"})):
        status, body = request(lab, f"/lab/api/settings/{plugin}")
        assert status == 200, body
        assert json.loads(body)["settings"].get(key) == value, (plugin, body[:500])


def test_assignments_list_and_validate_work(lab):
    status, body = request(lab, "/assignments?course_id=how-networks-learn")
    assert status == 200, body
    answer = json.loads(body)
    assert answer["success"], answer["value"]
    (entry,) = [a for a in answer["value"] if a["assignment_id"] == ASSIGNMENT]
    assert entry["status"] == "fetched" and entry["path"] == f"release/{ASSIGNMENT}", entry
    assert len(entry["notebooks"]) == len(list((ROOT / "release" / ASSIGNMENT).glob("*.ipynb")))
    # Validate on the untouched first notebook: runs, and reports the unanswered exercises.
    first = sorted((ROOT / "release" / ASSIGNMENT).glob("*.ipynb"))[0].name
    data = urllib.parse.urlencode({"path": f"release/{ASSIGNMENT}/{first}"}).encode()
    status, body = request(lab, "/assignments/validate", method="POST", data=data)
    assert status == 200, body
    answer = json.loads(body)
    assert answer["success"] and answer["value"].get("failed"), str(answer)[:2000]


# --- what a student sees (browser) ------------------------------------------------------------------------

@pytest.mark.browser
def test_student_starts_on_start_here_and_sees_student_tools_only(lab):
    """The page start.py opens: START_HERE.md as a page, the folders' names whole in the file browser; its
    first link opens the first notebook, whose Nbgrader menu has the student's tools only."""
    problem = browser_problem()
    if problem:
        not_run("BROWSER", problem)
    from playwright.sync_api import sync_playwright
    shots = ROOT / "artifacts" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    first = sorted((ROOT / "release" / ASSIGNMENT).glob("*.ipynb"))[0].name

    def look():
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                 args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                page.goto(f"{lab['base']}/lab/tree/release/START_HERE.md?token={lab['token']}")
                page_text = page.locator(".jp-RenderedMarkdown").first
                page_text.wait_for(timeout=60_000)
                page.locator(".jp-FileBrowser .jp-DirListing-item").nth(len(ASSIGNMENTS)).wait_for(timeout=30_000)
                listing = page.evaluate(FILE_LISTING)
                page.screenshot(path=str(shots / "student_start_here.png"))
                rendered = page_text.inner_text()
                page_text.locator("a", has_text=first[:2] + " ").first.click()
                page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .validate-button").wait_for(timeout=60_000)
                # JupyterLab's address follows the open document.
                page.wait_for_function("path => decodeURIComponent(location.pathname).endsWith(path)",
                                       arg=f"/release/{ASSIGNMENT}/{first}", timeout=30_000)
                opened = page.url
                page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
                menu = page.locator(".lm-Menu").last
                menu.wait_for(timeout=10_000)
                items = [t.strip() for t in menu.locator(".lm-Menu-item:visible .lm-Menu-itemLabel").all_inner_texts()]
                page.screenshot(path=str(shots / "student_distribution_menu.png"))
                return rendered, listing, opened, items
            finally:
                browser.close()

    # A thread of its own: the browser tests' session-wide Playwright keeps an event loop running in
    # this one, and Playwright's sync API refuses to start inside a running loop.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        rendered, listing, opened, items = pool.submit(look).result(timeout=180)
    assert "Start here" in rendered and "# Start here" not in rendered, rendered[:300]
    assert [name for name in ASSIGNMENTS if name in rendered] == ASSIGNMENTS, rendered
    assert rendered.index(ASSIGNMENTS[0]) < rendered.index(ASSIGNMENTS[1]) < rendered.index(ASSIGNMENTS[-1])
    assert not [h for h in listing["headers"] if "Modified" in h], listing
    names = [item["name"] for item in listing["items"]]
    assert names[:len(ASSIGNMENTS)] == sorted(ASSIGNMENTS) and "START_HERE.md" in names, names
    assert all(item["whole"] for item in listing["items"]), f"the file browser cuts a name: {listing}"
    assert first in opened, opened
    assert "Assignment List" in items, items
    for hidden in ("Formgrader", "Formgrader (local)", "Course List", "Create assignment"):
        assert hidden not in items, f"students see {hidden!r} in the Nbgrader menu: {items}"
