"""The sandboxed grading kernel: student code runs under bubblewrap with resource limits.

One module a job:

* ``limits``     -- the resource limits of one kernel, the opt-out switch, ``SandboxError``
* ``command``    -- builds the bwrap + setpriv + prlimit command line for a working folder
* ``kernelspec`` -- writes the ``python3-sandboxed`` kernelspec, whose argv runs ``launcher``
* ``launcher``   -- ``python -m grader.sandbox.launcher -f CONNECTION_FILE``: checks the connection
  file uses ipc, then execs the kernel inside the sandbox
* ``manager``    -- ``SandboxKernelManager``: a kernel manager over ZMQ ipc sockets (the sandbox has
  no network, loopback included)
* ``preflight``  -- runs a probe through the same sandbox before grading (fail closed)
* ``warm``       -- warm kernels: one long-lived sandbox per grading process whose zygote forks
  each notebook's kernel, emptied between kernels (``WarmSandboxKernelManager`` uses it)
* ``zygote``     -- the program that runs inside that sandbox (it imports nothing from ``grader``)

nbgrader's Execute subclass that uses them is ``grader.preprocessors.SandboxedExecute``.
The sandbox mounts the ``course`` package read-only (student notebooks import it) and never
``grader``, ``source/``, the gradebook or another student's folder.
"""
from .kernelspec import KERNEL_NAME, install_kernelspec
from .limits import OPT_OUT_ENV, SandboxError, opted_out
from .preflight import preflight

__all__ = ["KERNEL_NAME", "OPT_OUT_ENV", "SandboxError", "install_kernelspec", "opted_out", "preflight"]
