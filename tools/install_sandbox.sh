#!/bin/sh
# Install the grading sandbox: Debian's `bubblewrap` package (bwrap), which the
# python3-sandboxed grading kernel runs student code in (docs/grading.md), and register
# that kernelspec in the course's .venv. `prlimit` and `setpriv` come with util-linux.
# Does nothing if bwrap is already installed; installs it with apt-get only when run as
# root; otherwise says what to run. Always exits 0: without bwrap `make grade` refuses to
# grade (fail closed) unless told --no-sandbox.
set -u
HERE=$(cd "$(dirname "$0")/.." && pwd)
PY="$HERE/.venv/bin/python"

register() {
    if [ -x "$PY" ]; then
        "$PY" -c 'from grader.sandbox import install_kernelspec; print("install_sandbox: kernelspec", install_kernelspec())' \
            || echo "install_sandbox: could not register the python3-sandboxed kernelspec (is the project installed in .venv?)"
    fi
}

if command -v bwrap >/dev/null 2>&1; then
    echo "install_sandbox: bwrap is already installed ($(bwrap --version 2>/dev/null)); nothing to install."
    register
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "install_sandbox: bwrap is missing and this is not root, so nothing was installed."
    echo "install_sandbox: run 'sudo tools/install_sandbox.sh' (or 'sudo apt-get install bubblewrap'); until then 'make grade' refuses to grade."
    register
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install_sandbox: bwrap is missing and there is no apt-get here; install bubblewrap with your package manager."
    exit 0
fi
echo "install_sandbox: bwrap is missing; running apt-get update and apt-get install bubblewrap ..."
export DEBIAN_FRONTEND=noninteractive
if apt-get update -q && apt-get install -y -q --no-install-recommends bubblewrap util-linux; then
    echo "install_sandbox: installed $(bwrap --version 2>/dev/null)."
else
    echo "install_sandbox: apt-get failed; 'make grade' will refuse to grade until bwrap is installed." >&2
fi
register
exit 0
