"""A jupyter_client kernel manager over ZMQ ipc sockets: the sandboxed kernel has no network."""
import os
import shutil
import tempfile

from jupyter_client.manager import AsyncKernelManager
from traitlets import CaselessStrEnum, Unicode

from .limits import SOCKET_PREFIX, socket_base


class SandboxKernelManager(AsyncKernelManager):
    """AsyncKernelManager whose sockets live in a private folder (Unix sockets, not loopback TCP)."""

    transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)
    socket_dir = Unicode("")

    async def _async_pre_start_kernel(self, **kw):
        if self.transport == "ipc":
            self.socket_dir = tempfile.mkdtemp(prefix=SOCKET_PREFIX, dir=socket_base())
            self.ip = os.path.join(self.socket_dir, "k")
        return await super()._async_pre_start_kernel(**kw)

    async def _async_cleanup_resources(self, restart=False):
        await super()._async_cleanup_resources(restart=restart)
        if self.socket_dir and not restart:
            shutil.rmtree(self.socket_dir, ignore_errors=True)

    pre_start_kernel = _async_pre_start_kernel
    cleanup_resources = _async_cleanup_resources
