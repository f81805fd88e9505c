"""Does a picture's legend or label hide data? Geometry in display space (pixels), shared by the tests
of the course's pictures (tests/course/test_plots.py) and of each lesson's widget."""
import numpy as np
from matplotlib.collections import Collection
from matplotlib.image import AxesImage
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from tests.support.widget_driver import run_widget

SAMPLE_PX = 1.5  # spacing of the points sampled along a line segment


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


def widget_problems(box, live, settings):
    """check_live on the widget ``box`` (drawing into ``live``) after each of ``settings``, set in turn as a
    student sets them (tests.support.widget_driver.run_widget); [] when no legend or label hides data."""
    found, legends = [], []
    for where in run_widget(lambda: box, settings):
        found += check_live(live, where, legends)
    return found
