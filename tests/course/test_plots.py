"""No legend or label of the course's pictures hides data, at the widgets' defaults and slider extremes.

Every figure a notebook shows (the widgets of course/widgets/*.py and the static pictures) is
rendered headless (Agg) the way the notebook renders it: widgets through their LiveFigure (frozen
layout, cached background), pictures through ``as_image``. Then, in display space (pixels):

* a legend's window extent must not overlap any plotted data inside an axes: line vertices (and
  the segments between them, sampled every pixel or two, widened by the line width and marker
  size), scatter markers, bars and spans, images, contour lines;
* a legend must not overlap any text (titles, axis and tick labels, labels of points) and must lie
  wholly inside the figure (a legend moved outside the axes must not be cut off);
* a label of a point (an annotation or text inside the axes) must not cover a marker.

The sliders are set as a student would set them (the widget redraws on each change), so the
legend is checked in the picture the student sees after the change, not in a fresh figure.
"""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course import plots  # noqa: E402
from tests.support.pictures import check_live, check_static  # noqa: E402
from tests.support.widget_driver import run_widget  # noqa: E402

# ---------------------------------------------------------------- capturing the figures


@pytest.fixture
def captured(monkeypatch):
    """Every LiveFigure and every static picture figure made while the fixture is active."""
    import course.widgets.backpropagation
    import course.widgets.loss

    found = {"live": [], "static": []}
    init = plots.LiveFigure.__init__

    def recording_init(self, *args, **kwargs):
        init(self, *args, **kwargs)
        found["live"].append(self)

    monkeypatch.setattr(plots.LiveFigure, "__init__", recording_init)
    for module in (course.widgets.backpropagation, course.widgets.loss):
        original = module.as_image

        def recording_as_image(fig, _original=original):
            found["static"].append(fig)
            return _original(fig)

        monkeypatch.setattr(module, "as_image", recording_as_image)
    return found




# ---------------------------------------------------------------- the figures, at defaults and extremes


def _nudge():
    from course.widgets.forward_pass import nudge_explorer
    return nudge_explorer()


def _loss_curve():
    from course.widgets.loss import loss_curve_explorer
    return loss_curve_explorer()


def _tangent_step():
    from course.widgets.backpropagation import tangent_step_explorer
    return tangent_step_explorer()


def _descent():
    from course.widgets.gradient_descent import descent_explorer
    return descent_explorer()


def _descent_exploration():
    from course.gradient_descent import EXPLORE_X
    from course.widgets.gradient_descent import descent_explorer
    return descent_explorer(x=EXPLORE_X, lr=0.05, steps=30, show_limits=False)  # as notebook 04 calls it


def _surface():
    from course.widgets.gradient_descent import surface_explorer
    return surface_explorer()


def _dashboard():
    from course.widgets.training_loop import training_dashboard
    return training_dashboard()


def _starting_scale():
    from course.widgets.layers_as_matrices import starting_scale_explorer
    return starting_scale_explorer()


LR, W, STEPS = "learning rate", "starting weight", "steps"
WIDGETS = {
    "nudge_explorer": (_nudge, [{LR: 0.0}, {LR: 10.0}]),
    "loss_curve_explorer": (_loss_curve, [{LR: 0.0}, {LR: 0.5}, {LR: 0.26}]),
    "tangent_step_explorer": (_tangent_step, [{LR: 0.0}, {LR: 0.6}]),
    "descent_explorer": (_descent, [
        {LR: 0.0}, {LR: 0.2}, {LR: 0.44}, {LR: 0.45, STEPS: 60}, {LR: 1.11, STEPS: 1},
        {LR: 1.11, STEPS: 60}, {LR: 0.43, W: -1.1, STEPS: 60}, {LR: 0.43, W: 2.5, STEPS: 60},
        {LR: 0.5, W: 2.5, STEPS: 3}, {LR: 0.05, W: -1.1, STEPS: 1}]),
    "descent_explorer(x=2.0)": (_descent_exploration, [
        {LR: 0.0}, {LR: 0.24, STEPS: 60}, {LR: 1.0, STEPS: 60}, {LR: 0.3, W: -1.3, STEPS: 5},
        {LR: 0.24, W: 2.3, STEPS: 2}]),
    "surface_explorer": (_surface, [{LR: 0.0}, {LR: 0.6}, {LR: 0.6, STEPS: 1}, {LR: 0.55, STEPS: 150},
                                    {LR: 0.01, STEPS: 150}]),
    "training_dashboard": (_dashboard, [
        {"learning rate": 100.0}, {"learning rate": 0.01, "epochs": 10}, {"batch size": 4, "epochs": 5000},
        {"dataset": "exercise data", "learning rate": 100.0, "batch size": 1, "epochs": 10},
        {"dataset": "exercise data", "learning rate": 3.0, "epochs": 5000}]),
    "starting_scale_explorer": (_starting_scale, [{LR: 100.0}, {"starting scale": 10.0},
                                                  {"start from all zeros": True}]),
}


@pytest.mark.parametrize("name", list(WIDGETS))
def test_widget_legends_and_labels_hide_no_data(name, captured):
    build, settings = WIDGETS[name]
    found, first_legends = [], []
    for where in run_widget(build, settings):
        (live,) = captured["live"]
        found += check_live(live, f"{name} [{where}]", first_legends)
    assert first_legends, f"{name} shows no legend"
    assert not found, "\n".join(found)


def _squared_error():
    from course.widgets.loss import squared_error_picture
    return squared_error_picture()


def _tangent():
    from course.widgets.backpropagation import tangent_picture
    return tangent_picture()


def _blame():
    from course.widgets.backpropagation import blame_diagram
    return blame_diagram()


@pytest.mark.parametrize("build", [_squared_error, _tangent, _blame], ids=lambda f: f.__name__.strip("_"))
def test_static_pictures_hide_no_data(build, captured):
    build()
    (fig,) = captured["static"]
    found = check_static(fig, build.__name__.strip("_"))
    assert not found, "\n".join(found)


def test_the_check_sees_a_legend_over_data():
    """The check itself: a legend put on top of the points is caught, one put outside the axes is not."""
    fig, ax = plots.new_figure()
    ax.plot([0, 1, 2], [0, 1, 0], "o-", label="data")
    ax.legend(loc="center", bbox_to_anchor=(0.5, 0.95), bbox_transform=ax.transAxes)
    assert any("covers" in p for p in check_static(fig, "inside"))
    ax.get_legend().remove()
    fig.legend(loc="outside lower center")
    assert check_static(fig, "outside") == []


# ---------------------------------------------------------------- the PNG a widget sends


@pytest.mark.parametrize("channels", [3, 4])
def test_fast_png_decodes_to_the_same_pixels(channels):
    """The widgets' own PNG writer: any pixels (random, so the row differences wrap around 256),
    opaque or not, come back unchanged through an ordinary decoder (Pillow)."""
    import io

    from PIL import Image

    pixels = np.random.default_rng(0).integers(0, 256, size=(37, 53, channels), dtype=np.uint8)
    decoded = Image.open(io.BytesIO(plots.fast_png(pixels)))
    assert decoded.mode == ("RGB" if channels == 3 else "RGBA")
    assert np.array_equal(np.asarray(decoded), pixels)


def test_a_widget_frame_is_what_the_canvas_drew(captured):
    """A LiveFigure frame (blitted, then encoded by fast_png) decodes to the canvas's pixels."""
    import io

    from PIL import Image

    from course.widgets.forward_pass import nudge_explorer

    nudge_explorer()
    (live,) = captured["live"]
    frame = np.asarray(Image.open(io.BytesIO(live.png())))
    assert np.array_equal(frame, live._pixels())
    assert frame.std() > 10  # a picture, not a blank canvas


# ---------------------------------------------------------------- colour (WCAG 2.1 AA)


def _luminance(color):
    from matplotlib.colors import to_rgb

    r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(color)]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(color, background="#FFFFFF"):
    """WCAG contrast ratio of two colours (1 to 21)."""
    high, low = sorted((_luminance(color), _luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_is_computed_as_wcag_defines_it():
    assert contrast("#000000") == pytest.approx(21.0)
    assert contrast("#767676") == pytest.approx(4.54, abs=0.01)  # the lightest grey text that passes on white
    assert contrast("#F0E442") < 3.0  # Okabe-Ito yellow as published: too light for a line on white


def test_palette_lines_meet_3_to_1_and_text_4_5_to_1_against_white():
    weak = {name: round(contrast(color), 2) for name, color in plots.COLORS.items() if contrast(color) < 3.0}
    assert not weak, f"colours under 3:1 against white (WCAG 1.4.11): {weak}"
    assert contrast(plots.COLORS["black"]) >= 4.5


def colour_only_lines(fig):
    """Pairs of lines in one axes that differ only in colour (same line style and marker)."""
    from matplotlib.colors import to_hex

    found = []
    for ax in fig.axes:
        seen = {}
        for line in ax.lines:
            if not line.get_visible() or (line.get_linestyle() in ("None", "none", " ", "")
                                          and line.get_marker() in ("None", "none", " ", "", None)):
                continue
            look = (line.get_linestyle(), str(line.get_marker()))
            color = to_hex(line.get_color())
            if look in seen and seen[look][0] != color:
                found.append(f"{ax.get_title() or 'axes'}: {seen[look][1]!r} and {line.get_label()!r} differ "
                             f"only in colour ({look})")
            seen.setdefault(look, (color, line.get_label()))
    return found


def test_the_colour_check_sees_two_lines_told_apart_by_colour_alone():
    fig, ax = plots.new_figure()
    ax.plot([0, 1], [0, 1], color=plots.COLORS["blue"], label="a")
    ax.plot([0, 1], [1, 0], color=plots.COLORS["vermillion"], label="b")
    assert colour_only_lines(fig)
    ax.lines[1].set_linestyle("--")
    assert not colour_only_lines(fig)


@pytest.mark.parametrize("name", list(WIDGETS))
def test_widget_lines_differ_in_more_than_colour(name, captured):
    build, settings = WIDGETS[name]
    found = []
    for where in run_widget(build, settings):
        (live,) = captured["live"]
        found += [f"[{where}] {f}" for f in colour_only_lines(live.fig)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("build", [_squared_error, _tangent, _blame], ids=lambda f: f.__name__.strip("_"))
def test_static_picture_lines_differ_in_more_than_colour(build, captured):
    build()
    (fig,) = captured["static"]
    assert not colour_only_lines(fig)


def test_every_picture_has_a_text_alternative_that_follows_the_slider():
    from course.widgets.loss import loss_curve_explorer, squared_error_picture

    assert "Squared error" in squared_error_picture().alt
    widget = loss_curve_explorer(lr=0.05)
    slider, out = widget.children[0], widget.children[-1]
    alt = out.outputs[0]["data"]["text/plain"]
    assert "learning rate 0.05" in alt.lower() and 'alt="' in out.outputs[0]["data"]["text/html"]
    slider.value = 0.3
    assert "learning rate 0.30" in out.outputs[0]["data"]["text/plain"].lower()
    assert plots.LIVE_CLASS in widget.children[1]._dom_classes
