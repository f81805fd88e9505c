"""Driving a widget as a student does: find its controls by the name they show, set them in turn.

Shared by the tests of the widgets' pictures (tests/course/test_plots.py) and of each lesson's widget; the widgets
are built by course.widgets.controls.live_widget: their controls, then the live summary, then the picture.
"""
from course.plots import LIVE_CLASS


def controls(widget):
    """The widget's sliders and menus by description (what the student sees next to them)."""
    found = {}
    stack = [widget]
    while stack:
        w = stack.pop()
        if hasattr(w, "description") and hasattr(w, "value") and w.description:
            found[w.description] = w
        stack.extend(getattr(w, "children", ()) or ())
    return found


def summary(widget):
    """The widget's live summary: the text a screen reader announces after each change."""
    return next(w for w in widget.children if LIVE_CLASS in w._dom_classes)


def run_widget(build, settings):
    """Build the widget, then apply each setting in turn (a dict of control description -> value); yields what
    was set ("defaults" first), after the widget has redrawn for it."""
    widget = build()
    named = controls(widget)
    yield "defaults"
    for setting in settings:
        for name, value in setting.items():
            named[name].value = value
        yield ", ".join(f"{k}={v}" for k, v in setting.items())
