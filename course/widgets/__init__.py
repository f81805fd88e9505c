"""Interactive widgets, one module per lesson; each notebook calls one of them in one line.

Widgets are thin shells: the maths is in the lesson's module (course.forward, ...),
figures are updated in place and redrawn into an Output widget on each slider change.
"""
from .forward import nudge_explorer

__all__ = ["nudge_explorer"]
