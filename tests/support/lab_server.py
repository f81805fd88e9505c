"""Start a JupyterLab for a test, wait until it answers, and always stop it; the Chromium tests drive."""
import contextlib
import json
import os
import socket
import subprocess
import time
import urllib.request

import pytest

# Debian's chromium (tools/install_browser.sh): Playwright cannot download its own browser here.
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
ON_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def not_run(what, problem):
    """Stop a test whose tools this machine lacks: skip it, loudly; on CI, where nothing may go untested
    by accident, fail it."""
    message = f"{what} TESTS NOT RUN: {problem}"
    if ON_CI:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def local_server_flags(port, token, root):
    """A Jupyter server for one test: this machine only, this port or none, this token, this folder."""
    return ["--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}", "--ServerApp.allow_root=True",
            "--ServerApp.open_browser=False"]


def api(server, method, path, body=None, timeout=10):
    """Call a Jupyter server's REST API (``server``: {"base": its URL, "token": ...}); the decoded JSON or None."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(server["base"] + path, data=data, method=method,
                                     headers={"Authorization": f"token {server['token']}"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        text = response.read()
    return json.loads(text) if text else None


@contextlib.contextmanager
def running(cmd, *, cwd, env, log_path, answers, seconds):
    """Run ``cmd`` (logging to ``log_path``) until ``answers()`` is true; yield the process; stop it after.

    ``answers`` may raise OSError while the server is still starting. Fails the test, with the end of
    the log, when the server exits or does not answer within ``seconds``.
    """
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + seconds
        while True:
            if proc.poll() is not None:
                pytest.fail(f"JupyterLab exited with {proc.returncode}:\n{log_path.read_text()[-3000:]}")
            try:
                if answers():
                    break
            except OSError:  # urllib's URLError is one too
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not answer within {seconds} s:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.3)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


# JavaScript for a page: what JupyterLab's file browser shows, its columns' headers and every row's name,
# whole or cut short, and whether the row shows its last-modified time.
FILE_LISTING = """() => {
    const listing = document.querySelector('.jp-FileBrowser .jp-DirListing');
    const shown = el => el && el.offsetParent !== null && el.getBoundingClientRect().width > 0;
    return {
        headers: Array.from(listing.querySelectorAll('.jp-DirListing-headerItem'))
            .filter(shown).map(h => h.textContent.trim()),
        items: Array.from(listing.querySelectorAll('.jp-DirListing-item')).map(item => {
            const text = item.querySelector('.jp-DirListing-itemText');
            return {name: text.textContent.trim(), whole: text.scrollWidth <= text.clientWidth,
                    modified: shown(item.querySelector('.jp-DirListing-itemModified'))};
        }),
    };
}"""


def validation_dialog(page, timeout=90_000, inspect=None):
    """Press the notebook toolbar's Validate button; return (verdict class, dialog text) and close it.
    ``inspect``: called with the message (a Playwright locator) while the dialog is open."""
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .validate-button").click()
    message = page.locator(".jp-Dialog #validation-message")
    message.wait_for(timeout=timeout)
    verdict = next(c for c in message.get_attribute("class").split() if c.startswith("validation-"))
    text = message.inner_text()
    if inspect is not None:
        inspect(message)
    page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept").click()
    message.wait_for(state="detached")
    return verdict, text


def browser_problem():
    """Why the browser tests cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed: run `make test` (or pip install -r requirements-test.txt)"
    if not os.access(CHROMIUM, os.X_OK):
        return (f"no browser at {CHROMIUM}: run `sudo tools/install_browser.sh` "
                "(installs Debian's chromium package), or set CHROMIUM_PATH")
    return None


@pytest.fixture(scope="session")
def chromium_path():
    problem = browser_problem()
    if problem:
        not_run("BROWSER", problem)
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium_path):
    """One Chromium per test process, for every test that drives one (tests/conftest.py shares it): a
    second Playwright sync API in a process that already runs one refuses to start."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS,
                                             headless=True)
        yield browser
        browser.close()
