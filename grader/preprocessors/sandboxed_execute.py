"""nbgrader's Execute, running student code in the sandboxed kernel (grader.sandbox), then asking
the questions that ``ConfirmAnswers`` judges outside the kernel (grader.confirm)."""
import json
import shutil

from nbclient import NotebookClient
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from traitlets import Bool, Integer

from ..confirm import plan, run_probes
from ..sandbox.kernelspec import KERNEL_NAME, install_kernelspec
from ..sandbox.limits import MAX_OUTPUT_BYTES
from ..sandbox.manager import SandboxKernelManager, WarmSandboxKernelManager


class SandboxedExecute(Execute):
    """Execute with the ``python3-sandboxed`` kernel, a cap on the output one cell records, and,
    right after each test cell, the grader's probe of that cell's answer (grader.confirm)."""

    max_output_bytes = Integer(MAX_OUTPUT_BYTES, help="Output one cell may record; the rest is dropped "
                                                      "with a note").tag(config=True)

    confirm = Bool(True, help="Right after each test cell, ask the kernel the questions grader.answers has for "
                             "it; ConfirmAnswers judges the replies outside the kernel").tag(config=True)

    warm_kernels = Bool(True, help="Fork each notebook's kernel from a warm process in a long-lived sandbox "
                                   "that is emptied between kernels (grader.sandbox.warm), instead of starting "
                                   "a sandbox and an interpreter per notebook").tag(config=True)

    output_widgets = Bool(False, help="Act like a browser for ipywidgets' Output widget (nbclient's OutputWidget), "
                                      "which answers the kernel on the shell channel while a cell runs. Off: "
                                      "with ipykernel 7 that answer now and then holds the cell's execute_reply "
                                      "back for ~30 s (jupyter/nbclient#312); what the widget shows is recorded "
                                      "as the cell's own output instead").tag(config=True)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", SandboxKernelManager)
        super().__init__(*args, **kwargs)
        if self.warm_kernels and self.kernel_manager_class is SandboxKernelManager:
            self.kernel_manager_class = WarmSandboxKernelManager
        if not self.kernel_name:
            self.kernel_name = KERNEL_NAME
        if self.kernel_name == KERNEL_NAME:
            install_kernelspec()
        self._output_used = {}

    def preprocess(self, nb, resources=None, km=None):
        """nbconvert's ExecutePreprocessor.preprocess, plus the probes while the kernel still runs."""
        self._output_used = {}
        resources = resources if resources is not None else {}
        notebook_id = resources.get("nbgrader", {}).get("notebook") or resources.get("unique_key")
        # No references for this notebook: nothing to ask; ConfirmAnswers flags its marks for a look.
        confirmations = (plan(nb, notebook_id) or []) if self.confirm else None
        NotebookClient.__init__(self, nb, km)  # as nbconvert's preprocess does: resets the client
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        if km is None:
            self._start_kernel()
        with self.setup_kernel():
            info = self.wait_for_reply(self.kc.kernel_info())
            self.nb.metadata["language_info"] = info["content"]["language_info"]
            replies = {}
            for index, cell in enumerate(list(self.nb.cells)):
                self.preprocess_cell(cell, resources, index)
                # Ask right after the test cell ran, so the answer is asked about in the state
                # its test saw (a later scratch cell may redefine a function or a variable).
                asked = [c for c in confirmations or () if c.test == cell.metadata.get("nbgrader", {}).get("grade_id")]
                self._output_used.pop(len(self.nb.cells), None)  # each probe gets the whole output cap
                replies.update(run_probes(self, self.nb, asked))
            if confirmations is not None:
                resources["confirm"] = {"confirmations": confirmations, "replies": replies}
        self.set_widgets_metadata()
        return self.nb, self.resources

    def _start_kernel(self):
        """Start the notebook's kernel; one that does not start is tried once more, in a fresh sandbox.

        Whatever the student before did to the sandbox, the next student is graded: a warm sandbox
        whose folders were changed is replaced before its next kernel (grader.sandbox.warm), and any
        other failure to start costs one retry here before that notebook is reported not graded.
        """
        for attempt in (1, 2):
            try:
                self.km = self.create_kernel_manager()
                self.start_new_kernel()
                self.start_new_kernel_client()
                return
            except Exception as exc:
                self._discard_failed_kernel()
                if attempt == 2:
                    raise
                self.log.warning(f"the sandboxed kernel did not start ({type(exc).__name__}: {exc}); "
                                 "trying once more in a fresh sandbox")

    def _discard_failed_kernel(self):
        """Stop what a failed start left, and the idle warm sandboxes: the next start gets a fresh one."""
        from ..sandbox.warm import discard_idle
        try:
            if self.km is not None and self.km.has_kernel:
                self._cleanup_kernel()
        except Exception as exc:  # it did not start: there may be little to stop
            self.log.debug(f"cleaning up the kernel that did not start: {exc}")
        socket_dir = getattr(self.km, "socket_dir", "")
        if socket_dir:
            shutil.rmtree(socket_dir, ignore_errors=True)
        self.km = self.kc = None
        discard_idle()

    def on_comm_open_jupyter_widget(self, msg):
        """nbclient's stand-in for a widget the kernel opened (only the Output widget has one)."""
        return super().on_comm_open_jupyter_widget(msg) if self.output_widgets else None

    def output(self, outs, msg, display_id, cell_index):
        used = self._output_used.get(cell_index, 0)
        content = msg.get("content", {})
        if msg["msg_type"] == "stream":
            size = len(content.get("text", ""))
        else:
            size = len(json.dumps(content, default=str))
        self._output_used[cell_index] = used + size
        if used + size <= self.max_output_bytes or msg["msg_type"] == "error":
            return super().output(outs, msg, display_id, cell_index)
        if used > self.max_output_bytes:
            return None  # the note is already there
        if msg["msg_type"] == "stream":  # keep what fits, then the note
            msg = dict(msg, content=dict(content, text=content.get("text", "")[:self.max_output_bytes - used]))
            super().output(outs, msg, display_id, cell_index)
        outs.append(new_output("stream", name="stdout",
                               text=f"\n[grader: output over {self.max_output_bytes} characters dropped]\n"))
        return None
