"""JupyterLab as the environment installs it: no "get notified about official Jupyter news?" pop-up.

`make setup` installs tools/lab_overrides.json as the environment's settings overrides
(<venv>/share/jupyter/lab/settings/overrides.json); `make lab` and these tests' JupyterLab read it.
"""
import sys
from pathlib import Path

import pytest

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
