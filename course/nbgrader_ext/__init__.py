"""nbgrader extensions registered in the course's nbgrader_config.py (instructor side)."""
from .release_stubs import ClearSolutionsWithStubs
from .keep_hidden import OverwriteCellsKeepHidden

__all__ = ["ClearSolutionsWithStubs", "OverwriteCellsKeepHidden"]
