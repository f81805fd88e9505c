"""nbgrader preprocessors of the course, one class a file, registered in nbgrader_config.py.

* ``ClearSolutionsWithStubs``  (generate_assignment) a cell may carry its own starter code
* ``OverwriteCellsKeepHidden`` (autograde, sanitize) restores hidden tests without a false warning
* ``SandboxedExecute``         (autograde) runs student code in the bubblewrap sandbox
* ``ConfirmAnswers``           (autograde) confirms every mark outside the student's process
* ``HideHiddenTests``          (generate_feedback) no hidden test code in feedback
"""
from .clear_solutions_with_stubs import ClearSolutionsWithStubs
from .confirm_answers import ConfirmAnswers
from .hide_hidden_tests import HideHiddenTests
from .overwrite_cells_keep_hidden import OverwriteCellsKeepHidden
from .sandboxed_execute import SandboxedExecute

__all__ = ["ClearSolutionsWithStubs", "ConfirmAnswers", "HideHiddenTests", "OverwriteCellsKeepHidden",
           "SandboxedExecute"]
