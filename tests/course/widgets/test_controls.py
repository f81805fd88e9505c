"""Every control of every widget says what it sets: the name a screen reader announces for it.

A widget function is any public function in course/widgets/*.py whose code builds a control (a slider
through ``controls.slider``, a dropdown, checkbox, button or toggle buttons through ipywidgets); each is
called with its defaults and every control in what it returns is checked: its description (the label the
student sees; for a slider, the name its handle gets in the browser, see course/widgets/controls.py) is
not empty, not a generic word ("value", "slider"), and names something the function's docstring says the
widget lets the student set. The browser side (the name really reaches the handle) is
tests/browser/test_browser_keyboard.py.
"""
import importlib
import inspect
import pkgutil
import re

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets  # noqa: E402
import pytest  # noqa: E402

import course.widgets  # noqa: E402
from course.widgets import controls as controls_module  # noqa: E402  (slider() builds what callers describe)

BUILDS_A_CONTROL = re.compile(r"\bslider\(|widgets\.(?:Dropdown|Checkbox|ToggleButtons?|Button|RadioButtons|"
                              r"Select\w*|\w*Slider|Text|Textarea|Bounded\w+|Combobox)\(")
CONTROLS = (widgets.widget_int._Int, widgets.widget_float._Float, widgets.widget_selection._Selection,
            widgets.widget_selection._MultipleSelection, widgets.widget_bool._Bool, widgets.Button,
            widgets.widget_string._String)
TEXT_ONLY = (widgets.HTML, widgets.HTMLMath, widgets.Label)  # what the widget tells, not what one sets
GENERIC = {"value", "values", "slider", "dropdown", "menu", "button", "buttons", "checkbox", "toggle", "select",
           "option", "options", "choose", "choice", "x", "y", "n", "set", "input", "parameter"}


def widget_functions():
    found = []
    for info in pkgutil.iter_modules(course.widgets.__path__):
        module = importlib.import_module(f"course.widgets.{info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or function.__module__ != module.__name__ or module is controls_module:
                continue
            if BUILDS_A_CONTROL.search(inspect.getsource(function)):
                found.append(function)
    return found


def controls(widget):
    """Every control the student can operate inside ``widget`` (depth first, in the order shown)."""
    found, stack = [], [widget]
    while stack:
        w = stack.pop(0)
        if isinstance(w, CONTROLS) and not isinstance(w, TEXT_ONLY):
            found.append(w)
        stack[:0] = list(getattr(w, "children", ()) or ())
    return found


def _words(text):
    return re.findall(r"[a-z0-9]+", text.lower().replace("-", " "))


def unnamed(control, docstring):
    """Why ``control``'s description does not say what it sets, or None if it does."""
    kind = type(control).__name__
    description = (control.description or "").strip()
    if not description:
        return f"a {kind} without a description"
    words = _words(description)
    if not words or all(w in GENERIC for w in words):
        return f"a {kind} described only as {description!r}, which says nothing of what it sets"
    said = " ".join(_words(docstring))
    if " ".join(words) not in said:
        return f"a {kind} described as {description!r}, which its widget's docstring never names"
    return None


FUNCTIONS = widget_functions()


def test_every_widget_module_is_looked_at():
    names = {f.__name__ for f in FUNCTIONS}
    expected = {"nudge_explorer", "loss_curve_explorer", "tangent_step_explorer", "descent_explorer",
                "surface_explorer", "training_dashboard", "xor_training_explorer", "starting_scale_explorer",
                "classifier_explorer", "digits_dashboard"}
    assert expected <= names, f"widget functions not found: {sorted(expected - names)}"


@pytest.mark.parametrize("build", FUNCTIONS, ids=lambda f: f"{f.__module__.rsplit('.', 1)[-1]}.{f.__name__}")
def test_every_control_names_what_it_sets(build):
    widget = build()
    found = controls(widget)
    assert found, f"{build.__name__}() shows no control at all"
    problems = [p for c in found if (p := unnamed(c, build.__doc__ or ""))]
    assert not problems, f"{build.__name__}():\n" + "\n".join(problems)
    descriptions = [c.description for c in found]
    assert len(set(descriptions)) == len(descriptions), (
        f"{build.__name__}() has two controls with one name (a screen reader cannot tell them apart): {descriptions}")


@pytest.mark.parametrize("control,why", [
    (widgets.FloatSlider(), "without a description"),
    (widgets.FloatSlider(description="value"), "says nothing"),
    (widgets.Dropdown(options=["a"], description="momentum"), "never names"),
])
def test_the_check_sees_a_nameless_control(control, why):
    assert why in unnamed(control, "A widget with a learning-rate slider.")
