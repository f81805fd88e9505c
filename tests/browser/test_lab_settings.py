"""JupyterLab as the environment installs it: no "get notified about official Jupyter news?" pop-up, and a
file browser without the Last Modified column, so the assignment folders' names fit.

`make setup` installs tools/lab_overrides.json as the environment's settings overrides
(<venv>/share/jupyter/lab/settings/overrides.json); `make lab` and these tests' JupyterLab read it.
"""
import sys
from pathlib import Path

import pytest

from tests.support.course_files import ASSIGNMENTS
from tests.support.lab_server import FILE_LISTING

from .conftest import api, release_notebooks

NOTIFICATION = "@jupyterlab/apputils-extension:notification"


def test_the_environment_carries_the_override():
    overrides = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert overrides.is_file(), f"{overrides} is missing: run `make setup`"


def test_jupyterlab_never_asks_to_fetch_news(lab_server):
    """The server's defaults say "never fetch news" (the pop-up asks only while the setting is left unset).

    Overrides change a setting's default in the schema the server hands JupyterLab; a student who
    wants the news can still switch it on in the Settings Editor."""
    properties = api(lab_server, "GET", f"/lab/api/settings/{NOTIFICATION}")["schema"]["properties"]
    assert properties["fetchNews"]["default"] == "false"
    assert properties["checkForUpdates"]["default"] is False


@pytest.mark.browser
def test_no_news_pop_up_in_the_page(lab, page):
    lab.open_notebook(f"release/{release_notebooks()[0]}")
    page.wait_for_timeout(3000)  # the announcements plugin asks a few seconds after start-up
    toasts = page.locator(".Toastify__toast").all_inner_texts()
    assert not [t for t in toasts if "news" in t.lower()], toasts


FILE_BROWSER = "@jupyterlab/filebrowser-extension:browser"

def test_file_browser_leaves_out_the_last_modified_column(lab_server):
    """The override makes "Show last modified column" off by default: the folder names get its room."""
    properties = api(lab_server, "GET", f"/lab/api/settings/{FILE_BROWSER}")["schema"]["properties"]
    assert properties["showLastModifiedColumn"]["default"] is False


@pytest.mark.browser
def test_file_browser_shows_the_assignment_names_whole(lab, page, screenshot):
    """In release/, the three assignment folders' names fit the file browser (with the Last Modified column
    they were cut to "beyond_one_ne..." and "how_networks_l...")."""
    page.goto(lab.url("/lab/workspaces/filebrowser/tree/release"))
    page.locator(".jp-FileBrowser .jp-DirListing-item").first.wait_for(timeout=60_000)
    page.wait_for_function("n => document.querySelectorAll('.jp-FileBrowser .jp-DirListing-item').length >= n",
                           arg=len(ASSIGNMENTS), timeout=30_000)
    listing = page.evaluate(FILE_LISTING)
    screenshot("file_browser_release")
    assert not [h for h in listing["headers"] if "Modified" in h], listing["headers"]
    names = [item["name"] for item in listing["items"]]
    assert set(ASSIGNMENTS) <= set(names), names
    for item in listing["items"]:
        assert item["whole"], f"the file browser cuts {item['name']!r}: {listing}"
        assert not item["modified"], f"{item['name']!r} shows its last-modified time: {listing}"
