"""Browser tests: a real JupyterLab on a temporary copy of the course, driven by Chromium.

Playwright (Python) drives Debian's `chromium` package (Playwright cannot download its own
browser build here). Without a browser these tests SKIP with a loud reason; with CI=true
they FAIL instead, so CI cannot go green without having run them.

Deselect them with `pytest -m "not browser"`; run only them with `pytest -m browser tests/browser`.
"""
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.course_files import ASSIGNMENT, ASSIGNMENTS, ROOT
from tests.support.lab_server import CHROMIUM, ON_CI, api, browser_problem, free_port, local_server_flags, running

RELEASE = ROOT / "release"
SOURCE = ROOT / "source"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
# The project's virtualenv (where jupyter, nbgrader and the course package live).
VENV_BIN = Path(sys.executable).parent


def release_notebooks():
    """Every student notebook in release/ as ``<assignment>/<notebook>.ipynb``, in course order:
    the parameter list of the per-notebook tests."""
    return [f"{a}/{p.name}" for a in ASSIGNMENTS for p in sorted((RELEASE / a).glob("*.ipynb"))]


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: drives JupyterLab in Chromium with Playwright (about a minute; "
        "deselect with -m 'not browser')")


def pytest_report_header(config):
    problem = browser_problem()
    if problem:
        verdict = "FAIL (CI=true)" if ON_CI else "SKIPPED"
        return f"browser tests: {verdict} -- {problem}"
    return f"browser tests: {CHROMIUM} with Playwright"


def _env(tmp):
    """A clean Jupyter environment: the venv first on PATH (nbgrader runs alembic), private config dirs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "JPY_"))}
    env.update(
        PATH=f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}",
        JUPYTER_CONFIG_DIR=str(tmp / "jupyter-config"),
        JUPYTER_RUNTIME_DIR=str(tmp / "jupyter-runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(tmp / "lab-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp / "lab-workspaces"),
        IPYTHONDIR=str(tmp / "ipython"),
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def _run(args, cwd, env):
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"{' '.join(map(str, args))} failed:\n{proc.stdout}{proc.stderr}"[-4000:]
    return proc.stdout + proc.stderr


@pytest.fixture(scope="session")
def lab_course(chromium_path, tmp_path_factory):
    """A temporary copy of the course with its assignments known to the gradebook and released to the exchange.

    `nbgrader db assignment add` registers an assignment without regenerating release/,
    so the browser sees exactly the committed student notebooks.
    """
    tmp = tmp_path_factory.mktemp("browser")
    course = tmp / "course"
    course.mkdir()
    shutil.copytree(SOURCE, course / "source")
    shutil.copytree(RELEASE, course / "release")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    env = _env(tmp)
    # Render every cell (no windowing), so every widget is in the page to be checked.
    tracker = Path(env["JUPYTERLAB_SETTINGS_DIR"]) / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True)
    (tracker / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    # No "get notified about Jupyter news?" toast: the environment's settings override does that
    # (tools/lab_overrides.json, installed by `make setup`), as it does for `make lab`.
    nbgrader = [sys.executable, "-m", "nbgrader"]
    for assignment in ASSIGNMENTS:
        _run([*nbgrader, "db", "assignment", "add", assignment], course, env)
        # The student's Assignments panel lists what the instructor released to the exchange.
        _run([*nbgrader, "release_assignment", assignment], course, env)
    return {"path": course, "tmp": tmp, "env": env}


@pytest.fixture(scope="session")
def lab_server(lab_course):
    """A real JupyterLab from the project's venv on 127.0.0.1, a random free port and a random token."""
    course, env = lab_course["path"], lab_course["env"]
    port, token = free_port(), secrets.token_hex(24)
    log_path = lab_course["tmp"] / "jupyterlab.log"
    jupyter = VENV_BIN / "jupyter"
    cmd = [str(jupyter) if jupyter.exists() else "jupyter", "lab", "--no-browser",
           *local_server_flags(port, token, course), "--LabApp.expose_app_in_browser=True",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    base = f"http://127.0.0.1:{port}"
    server = {"base": base, "token": token, "course": course, "log": log_path}
    with running(cmd, cwd=course, env=env, log_path=log_path, seconds=90,
                 answers=lambda: api(server, "GET", "/api/status") is not None) as proc:
        server["proc"] = proc
        yield server


@pytest.fixture(scope="session")
def console_log():
    """artifacts/browser-console[-gwN].log: the browser's errors per test, for debugging a failed run
    (one file per pytest-xdist worker, so workers do not clear each other's)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    path = ROOT / "artifacts" / (f"browser-console-{worker}.log" if worker else "browser-console.log")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("")
    return path


def new_page(browser):
    """A tab in a browser context of its own, collecting the page's errors in ``page.console_errors``."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.console_errors = []
    page.on("pageerror", lambda error: page.console_errors.append(f"uncaught: {error}"))
    page.on("console", lambda m: m.type in ("error", "warning") and page.console_errors.append(
        f"{m.type}: {m.text}"))
    return page


def end_sessions(server):
    """Shut down every kernel the server runs for a page (its sessions), to spare the CPU."""
    for session in api(server, "GET", "/api/sessions") or []:
        api(server, "DELETE", f"/api/sessions/{session['id']}")


def log_console(console_log, nodeid, page):
    with console_log.open("a") as log:
        log.write(f"== {nodeid}\n" + "".join(f"{line[:500]}\n" for line in page.console_errors))


@pytest.fixture
def page(browser, lab_server, console_log, request):
    """A fresh browser tab; afterwards every kernel it started is shut down to spare the CPU."""
    page = new_page(browser)
    yield page
    page.context.close()
    log_console(console_log, request.node.nodeid, page)
    end_sessions(lab_server)


class Lab:
    """JupyterLab as a student uses it, through the page and `window.jupyterapp`."""

    def __init__(self, page, server):
        self.page, self.server = page, server

    def url(self, path):
        sep = "&" if "?" in path else "?"
        return f"{self.server['base']}{path}{sep}token={self.server['token']}"

    def open_notebook(self, relpath):
        """Open a notebook in a workspace of its own and wait for its kernel."""
        workspace = re.sub(r"\W", "", Path(relpath).stem) + secrets.token_hex(3)
        self.page.goto(self.url(f"/lab/workspaces/{workspace}/tree/{relpath}"))
        self._wait_until_open(relpath)

    def _wait_until_open(self, relpath):
        """Wait until ``relpath`` is the current document, loaded, with its kernel, and shows a cell."""
        self.page.wait_for_function(
            "path => window.jupyterapp && window.jupyterapp.shell.currentWidget"
            " && window.jupyterapp.shell.currentWidget.sessionContext"
            " && window.jupyterapp.shell.currentWidget.context.path === path", arg=relpath, timeout=60_000)
        self.page.evaluate("""async () => {
            const panel = window.jupyterapp.shell.currentWidget;
            await panel.context.ready;
            await panel.sessionContext.ready;
        }""")
        self.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").first.wait_for()

    def open_in_app(self, relpath):
        """Open a notebook in the JupyterLab this page already runs, as a student opens their next one (a
        page load costs ~8 s of CPU); the first call loads JupyterLab in an empty workspace of its own."""
        if not self.page.evaluate("() => Boolean(window.jupyterapp && window.jupyterapp.shell)"):
            self.page.goto(self.url(f"/lab/workspaces/shared{secrets.token_hex(3)}"))
            self.page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell", timeout=60_000)
            self.page.evaluate("() => window.jupyterapp.started")
        self.close_all()
        self.page.console_errors.clear()  # what the browser reports from here on is this notebook's
        self.page.evaluate("path => window.jupyterapp.commands.execute('docmanager:open', {path, factory: 'Notebook'})",
                           relpath)
        self._wait_until_open(relpath)

    def close_all(self):
        """Close every document, unsaved (no dialog asks), and shut down every kernel the page started."""
        self.page.evaluate("""async () => {
            const app = window.jupyterapp;
            for (const widget of Array.from(app.shell.widgets('main'))) {
                if (widget.context && widget.context.model) { widget.context.model.dirty = false; }
            }
            await app.commands.execute('application:close-all');
        }""")
        end_sessions(self.server)

    def run_all(self):
        """Run All Cells as a student would, then the cells it skipped; wait for the kernel to go idle.

        JupyterLab sends its execute requests with stop_on_error, so the kernel aborts every
        cell after the first error (an unanswered exercise raises NotImplementedError).
        The skipped cells are then run one at a time, so each can be checked.
        """
        skipped = self.page.evaluate("""async () => {
            const app = window.jupyterapp, panel = app.shell.currentWidget, nb = panel.content;
            await app.commands.execute('notebook:run-all-cells');
            const skipped = [];
            for (let i = 0; i < nb.widgets.length; i++) {
                const cell = nb.widgets[i];
                if (cell.model.type === 'code' && cell.model.executionCount === null) {
                    nb.activeCellIndex = i;
                    await app.commands.execute('notebook:run-cell');
                    skipped.push(i);
                }
            }
            return skipped;
        }""")
        self.wait_idle()
        return skipped

    def wait_idle(self, timeout=60_000):
        self.page.wait_for_function("""() => {
            const panel = window.jupyterapp.shell.currentWidget;
            const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
            const busy = panel.content.widgets.some(c => c.model.type === 'code'
                && c.node.querySelector('.jp-InputArea-prompt')
                && c.node.querySelector('.jp-InputArea-prompt').textContent.includes('*'));
            return kernel && kernel.status === 'idle' && !busy;
        }""", timeout=timeout)

    def cells(self):
        """Every cell: index, type, nbgrader metadata, source, and outputs (as nbformat JSON)."""
        return self.page.evaluate("""() => window.jupyterapp.shell.currentWidget.content.widgets.map((c, i) => ({
            index: i, type: c.model.type, source: c.model.sharedModel.getSource(),
            nbgrader: c.model.getMetadata('nbgrader') || null,
            execution_count: c.model.type === 'code' ? c.model.executionCount : null,
            outputs: c.model.type === 'code' ? c.model.outputs.toJSON() : []}))""")

    def cell_index(self, grade_id):
        for cell in self.cells():
            if (cell["nbgrader"] or {}).get("grade_id") == grade_id:
                return cell["index"]
        raise AssertionError(f"no cell with grade_id {grade_id!r}")

    def cell(self, index):
        """The cell's DOM node, scrolled into view (JupyterLab only renders cells near the viewport)."""
        self.page.evaluate(f"""async () => {{
            const nb = window.jupyterapp.shell.currentWidget.content;
            nb.activeCellIndex = {index};
            await nb.scrollToItem({index}, 'center');
            nb.widgets[{index}].node.dataset.testCell = '{index}';
        }}""")
        return self.page.locator(f".jp-NotebookPanel:not(.lm-mod-hidden) [data-test-cell='{index}']")

    def type_into_cell(self, index, text):
        """Click into the cell's editor, select everything and type `text` in its place."""
        self.cell(index).locator(".cm-content").click()
        self.page.keyboard.press("Control+A")
        self.page.keyboard.insert_text(text)

    def run_cell(self, index):
        self.page.evaluate(f"""async () => {{
            const app = window.jupyterapp, nb = app.shell.currentWidget.content;
            nb.activeCellIndex = {index};
            await app.commands.execute('notebook:run-cell');
        }}""")
        self.wait_idle()


@pytest.fixture
def lab(page, lab_server):
    return Lab(page, lab_server)


@pytest.fixture(scope="module")
def module_lab(browser, lab_server):
    """One JupyterLab page for a module's tests (see ``shared_lab``)."""
    lab = Lab(new_page(browser), lab_server)
    yield lab
    lab.close_all()
    lab.page.context.close()


@pytest.fixture
def shared_lab(module_lab, console_log, request):
    """The module's one JupyterLab page, for tests that each open a notebook in it (Lab.open_in_app), as a
    student opens one after another; every document is closed and every kernel shut down between tests.
    What the browser reported during the test is logged under the test's name (open_in_app starts afresh)."""
    yield module_lab
    log_console(console_log, request.node.nodeid, module_lab.page)


def save_screenshot(page, name):
    """Save the page to artifacts/screenshots/<name>.png for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


@pytest.fixture
def screenshot(page):
    return lambda name: save_screenshot(page, name)


@pytest.fixture(scope="session")
def source_notebooks():
    return SOURCE / ASSIGNMENT


def pytest_generate_tests(metafunc):
    """`release_notebook` runs a test once per notebook in release/ (every assignment)."""
    if "release_notebook" in metafunc.fixturenames:
        metafunc.parametrize("release_notebook", release_notebooks())
