"""Starter code of a cell's own for the student notebook.

nbgrader's ClearSolutions replaces every ``### BEGIN SOLUTION`` region with one
generic stub (``raise NotImplementedError()``). A fill-in-the-blank or find-the-bug
exercise needs the student to start from specific code instead, so a solution cell
may carry a commented-out stub block right after its solution region::

    def area(width, height):
        ### BEGIN SOLUTION
        return width * height
        ### END SOLUTION
        ### BEGIN STUB
        # return ___ * ___
        ### END STUB

The stub block is a comment, so the instructor's notebook runs unchanged. In the
student notebook the solution region is replaced by the stub's lines (``# `` removed,
indented like the solution) and the stub block itself disappears. Cells without a
stub block get nbgrader's usual treatment.
"""
import re
import textwrap

from nbgrader.preprocessors import ClearSolutions
from traitlets import Unicode


class ClearSolutionsWithStubs(ClearSolutions):
    """ClearSolutions that honours a ``### BEGIN STUB`` / ``### END STUB`` block."""

    begin_stub_delimeter = Unicode(
        "BEGIN STUB", help="Marks the start of a commented-out stub to release in place of the solution"
    ).tag(config=True)
    end_stub_delimeter = Unicode("END STUB", help="Marks the end of a stub block").tag(config=True)

    def _pop_stub(self, cell):
        """Remove the stub block from ``cell`` and return its uncommented text, or None."""
        lines = cell.source.split("\n")
        begins = [i for i, line in enumerate(lines) if self.begin_stub_delimeter in line]
        if not begins:
            return None
        if len(begins) > 1:
            raise RuntimeError(f"More than one stub block in one cell:\n{cell.source}")
        start = begins[0]
        ends = [i for i in range(start + 1, len(lines)) if self.end_stub_delimeter in lines[i]]
        if not ends:
            raise RuntimeError(f"Stub block without '{self.end_stub_delimeter}':\n{cell.source}")
        end = ends[0]
        indent = re.match(r"\s*", lines[start]).group(0)
        stub = []
        for line in lines[start + 1:end]:
            body = line[len(indent):] if line.startswith(indent) else line.lstrip()
            if body.strip() and not body.startswith("#"):
                raise RuntimeError(
                    f"Every line of a stub block must be commented out with '# ' "
                    f"(so the instructor's notebook still runs); found: {line!r}")
            stub.append(body[2:] if body.startswith("# ") else body[1:])
        cell.source = "\n".join(lines[:start] + lines[end + 1:])
        return textwrap.dedent("\n".join(stub))

    def _replace_solution_region(self, cell, language):
        stub = self._pop_stub(cell)
        if stub is None:
            return super()._replace_solution_region(cell, language)
        generic = self.code_stub
        self.code_stub = {**generic, language: stub}
        try:
            replaced = super()._replace_solution_region(cell, language)
        finally:
            self.code_stub = generic
        if not replaced:
            raise RuntimeError(
                f"A stub block replaces a solution region, but this cell has none:\n{cell.source}")
        return replaced
