#!/bin/sh
# Install the browser the browser tests drive (tests/browser): Debian's `chromium` package.
# Playwright cannot download its own browser build here, so it uses /usr/bin/chromium.
# Does nothing if /usr/bin/chromium exists; installs it with apt-get only when run as root;
# otherwise says what to run. Always exits 0: without a browser the tests skip (fail on CI).
set -u
CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    echo "install_browser: $CHROMIUM is already installed ($("$CHROMIUM" --version 2>/dev/null | head -n 1)); nothing to do."
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "install_browser: $CHROMIUM is missing and this is not root, so nothing was installed."
    echo "install_browser: run 'sudo tools/install_browser.sh' (or 'sudo apt-get install chromium'); until then the browser tests are skipped."
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install_browser: $CHROMIUM is missing and there is no apt-get here; install Chromium and set CHROMIUM_PATH."
    exit 0
fi
echo "install_browser: $CHROMIUM is missing; running apt-get update and apt-get install chromium ..."
export DEBIAN_FRONTEND=noninteractive
if apt-get update -q && apt-get install -y -q --no-install-recommends chromium; then
    echo "install_browser: installed $("$CHROMIUM" --version 2>/dev/null | head -n 1) at $CHROMIUM."
else
    echo "install_browser: apt-get failed; the browser tests will be skipped (and fail on CI)." >&2
fi
exit 0
