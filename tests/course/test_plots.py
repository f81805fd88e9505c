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
from matplotlib.collections import Collection  # noqa: E402
from matplotlib.image import AxesImage  # noqa: E402
from matplotlib.legend import Legend  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from matplotlib.transforms import Bbox  # noqa: E402

from course import plots  # noqa: E402
from tests.support.widget_driver import run_widget  # noqa: E402

SAMPLE_PX = 1.5  # spacing of the points sampled along a line segment


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


# ---------------------------------------------------------------- geometry in display space


def _inside(points, box, margin=0.5):
    return points[(points[:, 0] >= box.x0 - margin) & (points[:, 0] <= box.x1 + margin)
                  & (points[:, 1] >= box.y0 - margin) & (points[:, 1] <= box.y1 + margin)]


def _densify(vertices):
    """``vertices`` (display space, one polyline) plus points every SAMPLE_PX along each segment."""
    vertices = vertices[np.all(np.isfinite(vertices), axis=1)]
    if len(vertices) < 2:
        return vertices
    out = [vertices[:1]]
    for a, b in zip(vertices[:-1], vertices[1:]):
        n = int(min(np.hypot(*(b - a)) / SAMPLE_PX, 4000)) + 1
        t = np.linspace(0.0, 1.0, n + 1)[1:, None]
        out.append(a + (b - a) * t)
    return np.concatenate(out)


def _path_polylines(path, transform):
    """A path's pieces as display-space polylines (moveto starts a new piece)."""
    pieces = path.to_polygons(transform=transform, closed_only=False)
    return [np.asarray(p, dtype=float) for p in pieces if len(p)]


def data_shapes(ax, renderer):
    """What ``ax`` plots, in display space: a list of (N x 2 points, radius in px) and of boxes."""
    points, boxes = [], []
    clip = ax.bbox
    px_per_pt = ax.figure.dpi / 72.0
    for artist in ax.get_children():
        if not artist.get_visible() or isinstance(artist, (Legend, Text)) or artist is ax.patch:
            continue
        if artist in ax.spines.values():
            continue
        if isinstance(artist, Line2D):
            xy = artist.get_transform().transform(np.asarray(artist.get_xydata(), dtype=float))
            if artist.get_linestyle() not in ("None", "none", " ", ""):
                xy = _densify(xy)
            radius = artist.get_linewidth() * px_per_pt / 2
            if artist.get_marker() not in ("None", "none", " ", "", None):
                radius = max(radius, artist.get_markersize() * px_per_pt / 2)
            points.append((_inside(xy, clip), radius))
        elif isinstance(artist, Collection):
            offsets = np.asarray(artist.get_offsets(), dtype=float)
            if hasattr(artist, "get_sizes"):  # markers (scatter), drawn at the offsets
                sizes = artist.get_sizes()
                if not (len(offsets) and len(sizes)):
                    continue
                xy = artist.get_offset_transform().transform(offsets)
                radius = float(np.sqrt(np.max(sizes))) * px_per_pt / 2 + max(artist.get_linewidths(), default=0)
                points.append((_inside(xy, clip), radius))
            else:  # lines (contours, line collections)
                width = max(artist.get_linewidths(), default=1.0) * px_per_pt / 2
                for path in artist.get_paths():
                    for piece in _path_polylines(path, artist.get_transform()):
                        points.append((_inside(_densify(piece), clip), width))
        elif isinstance(artist, (Patch, AxesImage)):
            box = Bbox.intersection(artist.get_window_extent(renderer), clip)
            if box is not None and box.width > 0 and box.height > 0:
                boxes.append(box)
    return [(p, r) for p, r in points if len(p)], boxes


def hits(box, shapes):
    """How many plotted points (widened by their radius) and boxes fall inside ``box``."""
    points, boxes = shapes
    count = 0
    for xy, radius in points:
        inside = ((xy[:, 0] + radius > box.x0) & (xy[:, 0] - radius < box.x1)
                  & (xy[:, 1] + radius > box.y0) & (xy[:, 1] - radius < box.y1))
        count += int(inside.sum())
    count += sum(1 for b in boxes if box.overlaps(b))
    return count


def texts(fig, renderer):
    """Every text drawn outside legends, as (description, window extent)."""
    found = []
    for ax in fig.axes:
        for title in (ax.title, ax._left_title, ax._right_title):
            if title.get_visible() and title.get_text():
                found.append((f"title {title.get_text()!r}", title.get_window_extent(renderer)))
        for axis in (ax.xaxis, ax.yaxis):
            if axis.get_visible() and ax.axison:
                box = axis.get_tightbbox(renderer)
                if box is not None and box.width > 0:
                    found.append((f"{axis.axis_name} axis labels", box))
        for t in ax.texts:
            if t.get_visible() and t.get_text():
                found.append((f"label {t.get_text()!r}", Text.get_window_extent(t, renderer)))
    for t in fig.texts:
        if t.get_visible() and t.get_text():
            found.append((f"figure text {t.get_text()!r}", t.get_window_extent(renderer)))
    return found


def legends(fig):
    found = list(fig.legends)
    for ax in fig.axes:
        if ax.get_legend() is not None:
            found.append(ax.get_legend())
    return found


def problems(fig, renderer, where):
    """Every legend or label that hides data, text or falls off the figure, in words."""
    found = []
    all_texts = texts(fig, renderer)
    shapes = {ax: data_shapes(ax, renderer) for ax in fig.axes}
    for legend in legends(fig):
        box = legend.get_window_extent(renderer)
        if not (fig.bbox.x0 - 1 <= box.x0 and box.x1 <= fig.bbox.x1 + 1
                and fig.bbox.y0 - 1 <= box.y0 and box.y1 <= fig.bbox.y1 + 1):
            found.append(f"{where}: the legend {box.bounds} is cut off by the figure {fig.bbox.bounds}")
        for ax, shape in shapes.items():
            n = hits(box, shape)
            if n:
                found.append(f"{where}: the legend covers {n} plotted points of the axes {ax.get_title()!r}")
        for name, text_box in all_texts:
            if box.overlaps(text_box):
                found.append(f"{where}: the legend covers the {name}")
    for ax in fig.axes:  # labels of points and messages must not sit on plotted lines or markers
        for t in ax.texts:
            if t.get_visible() and t.get_text():
                n = hits(Text.get_window_extent(t, renderer), (shapes[ax][0], []))  # the text, not its arrow
                if n:
                    found.append(f"{where}: the label {t.get_text()!r} covers {n} plotted points")
    return found


def legend_pixels(live, png):
    """The pixels of each legend's box in the PNG the student gets, as arrays."""
    import io

    from PIL import Image

    picture = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    height = picture.shape[0]
    crops = []
    for legend in legends(live.fig):
        box = legend.get_window_extent(live.canvas.get_renderer())
        rows = slice(max(0, int(height - box.y1)), int(height - box.y0))
        cols = slice(max(0, int(box.x0)), int(box.x1))
        crops.append(picture[rows, cols])
    return crops


def check_live(live, where, first_legends):
    """The picture as the student sees it now (rendered through LiveFigure), then its geometry.

    ``first_legends`` holds the legends' pixels in the first picture: a redraw must neither
    paint over a legend nor lose it (it is painted once, with the cached background).
    """
    png = live.png()
    assert png.startswith(b"\x89PNG")
    found = problems(live.fig, live.canvas.get_renderer(), where)
    crops = legend_pixels(live, png)
    if not first_legends:
        first_legends += crops
        found += [f"{where}: a legend is blank in the picture" for c in crops if c.size == 0 or c.min() > 200]
    elif len(crops) != len(first_legends) or any(a.shape != b.shape or (a != b).any()
                                                    for a, b in zip(crops, first_legends)):
        found.append(f"{where}: a legend's pixels changed after a redraw")
    return found


def check_static(fig, where):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()  # the same layout as the PNG as_image made
    return problems(fig, canvas.get_renderer(), where)


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
