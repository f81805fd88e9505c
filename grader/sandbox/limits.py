"""Resource limits of one sandboxed kernel, and the switch that turns the sandbox off."""
import os

OPT_OUT_ENV = "HNL_ALLOW_UNSANDBOXED"

# When grading runs as root the kernel drops to a uid of its own, 200000 + (launcher pid mod
# 60000): unique among running kernels (a pid is not reused while its process lives), so the
# per-uid process limit of one kernel is not shared with a fork bomb in another.
SANDBOX_UID_BASE = 200000

# Generous for the course's notebooks (a kernel with numpy, matplotlib and ipywidgets loaded
# maps ~0.3-0.6 GB of address space and uses a few CPU seconds per notebook); tight enough
# that a memory bomb, a fork bomb, a CPU-spinning loop that swallows interrupts or a huge
# file ends that kernel only.
LIMITS = {
    "as": 2 * 1024 ** 3,        # RLIMIT_AS, bytes of address space
    "nproc_margin": 64,         # RLIMIT_NPROC = processes+threads the uid already has + this
    "cpu": 120,                 # RLIMIT_CPU, CPU seconds for the whole notebook
    "fsize": 64 * 1024 ** 2,    # RLIMIT_FSIZE, largest file it may write
    "nofile": 1024,             # RLIMIT_NOFILE
    "core": 0,                  # no core dumps
    "tmp_size": 256 * 1024 ** 2,  # the private /tmp (tmpfs, counts as memory)
}
MAX_OUTPUT_BYTES = 1_000_000     # recorded output per cell; the rest is dropped with a note

# ipc socket folders of sandboxed kernels are named so the launcher can recognise them.
SOCKET_PREFIX = "hnl-kernel-"


class SandboxError(RuntimeError):
    """The sandbox cannot start here (no bwrap, no namespaces, ...)."""


def opted_out():
    return os.environ.get(OPT_OUT_ENV, "") == "1"


def socket_base():
    """Where ipc socket folders go: /dev/shm when writable (not visible inside the sandbox)."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None
