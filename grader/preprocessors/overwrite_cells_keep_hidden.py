"""Restore hidden tests at autograde without a false tampering warning.

generate_assignment records each test cell's checksum *with* its hidden tests,
then strips them from the student's copy. At autograde, stock OverwriteCells sees
the student's (stripped) test cell differ from the record, logs
``Attribute 'checksum' for cell ... has changed!`` and restores the recorded source.
That warning fires for every test cell with hidden tests, for every student, and
hides real tampering among hundreds of false alarms.

This subclass restores the recorded source *first* when the cell arrives exactly
as it was released (the recorded source with its hidden-test regions removed), so
nbgrader's own checks then find nothing to report. Any other edit still goes
through stock OverwriteCells: it is reported and overwritten as usual.
"""
from nbformat.notebooknode import NotebookNode
from nbgrader.api import MissingEntry
from nbgrader.preprocessors import ClearHiddenTests, OverwriteCells


class OverwriteCellsKeepHidden(OverwriteCells):
    """OverwriteCells that silently puts back hidden tests the release removed."""

    def preprocess_cell(self, cell, resources, cell_index):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id and cell.metadata.nbgrader.get("locked"):
            try:
                recorded = self.gradebook.find_source_cell(grade_id, self.notebook_id, self.assignment_id)
            except MissingEntry:
                recorded = None  # stock OverwriteCells reports it
            if recorded is not None and cell.source == self._as_released(recorded.source):
                cell.source = recorded.source
        return super().preprocess_cell(cell, resources, cell_index)

    def _as_released(self, source):
        copy = NotebookNode(source=source)
        ClearHiddenTests(parent=self)._remove_hidden_test_region(copy)
        return copy.source
