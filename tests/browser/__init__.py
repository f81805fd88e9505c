"""Browser tests (pytest -m browser): JupyterLab in Chromium via Playwright."""
