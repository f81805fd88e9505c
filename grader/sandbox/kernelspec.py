"""The ``python3-sandboxed`` kernelspec: its argv starts ``grader.sandbox.launcher``."""
import json
import os
import sys
from pathlib import Path

KERNEL_NAME = "python3-sandboxed"


def kernelspec():
    return {
        "argv": [sys.executable, "-m", "grader.sandbox.launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (sandboxed grading)",
        "language": "python",
        "metadata": {"debugger": False, "hnl_sandbox": True},
        "env": {},
    }


def kernelspec_dir(prefix=None):
    return Path(prefix or sys.prefix) / "share" / "jupyter" / "kernels" / KERNEL_NAME


def install_kernelspec(prefix=None):
    """Write the kernelspec into ``prefix`` (default: this environment); idempotent."""
    folder = kernelspec_dir(prefix)
    path = folder / "kernel.json"
    text = json.dumps(kernelspec(), indent=1) + "\n"
    try:
        if path.read_text() == text:
            return path
    except OSError:
        pass
    folder.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)
    return path
