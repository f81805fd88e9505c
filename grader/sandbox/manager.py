"""jupyter_client kernel managers over ZMQ ipc sockets: the sandboxed kernel has no network."""
import os
import shutil
import tempfile
import uuid

from jupyter_client.manager import AsyncKernelManager
from traitlets import CaselessStrEnum, Unicode

from .kernelspec import KERNEL_NAME
from .limits import SOCKET_PREFIX, opted_out, socket_base


class SandboxKernelManager(AsyncKernelManager):
    """AsyncKernelManager whose sockets live in a private folder (Unix sockets, not loopback TCP)."""

    transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)
    socket_dir = Unicode("")

    def _socket_parent(self):
        return socket_base()

    async def _async_pre_start_kernel(self, **kw):
        if self.transport == "ipc":
            self.socket_dir = tempfile.mkdtemp(prefix=SOCKET_PREFIX, dir=self._socket_parent())
            self.ip = os.path.join(self.socket_dir, "k")
        return await super()._async_pre_start_kernel(**kw)

    async def _async_cleanup_resources(self, restart=False):
        await super()._async_cleanup_resources(restart=restart)
        if self.socket_dir and not restart:
            shutil.rmtree(self.socket_dir, ignore_errors=True)

    pre_start_kernel = _async_pre_start_kernel
    cleanup_resources = _async_cleanup_resources


class WarmSandboxKernelManager(SandboxKernelManager):
    """SandboxKernelManager whose kernels are forked from a warm zygote (grader.sandbox.warm).

    The sandbox, its limits and the kernel's view are those of the cold kernel; only the
    interpreter start and the imports are paid once per grading process instead of per notebook.
    Without the sandbox (the opt-out) or for another kernel, it is the cold manager.
    """

    def _warm(self):
        return self.transport == "ipc" and self.kernel_name == KERNEL_NAME and not opted_out()

    def _socket_parent(self):
        return self.provisioner.zygote.sockets if self._warm() else socket_base()

    async def _async_pre_start_kernel(self, **kw):
        if self._warm():
            from .warm import WarmProvisioner, acquire
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", None) or str(uuid.uuid4())
            if self.provisioner is None:
                self.provisioner = WarmProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
            if self.provisioner.zygote is None:
                self.provisioner.zygote = acquire()
        return await super()._async_pre_start_kernel(**kw)

    # A forked kernel is gone in milliseconds; jupyter_client checks every 100 ms by default.
    async def _async_finish_shutdown(self, waittime=None, pollinterval=0.01, restart=False):
        await super()._async_finish_shutdown(waittime=waittime, pollinterval=pollinterval, restart=restart)

    async def _async_wait(self, pollinterval=0.01):
        await super()._async_wait(pollinterval=pollinterval)

    pre_start_kernel = _async_pre_start_kernel
