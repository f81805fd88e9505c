"""Interactive widgets, one module per lesson; a notebook calls one in one line,
e.g. ``from course.widgets.forward_pass import nudge_explorer; nudge_explorer()``.

Widgets are thin shells: the maths is in the lesson's module (course.forward_pass, ...);
figures are built once, updated in place and redrawn into an Output widget on each
slider change.
"""
