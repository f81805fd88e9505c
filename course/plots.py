"""Shared plotting style: one colour-blind-safe palette, labelled axes, cheap redraws."""
import os

import matplotlib

# Okabe-Ito palette: distinguishable with every common form of colour blindness. Orange, sky blue
# and yellow are darkened (same hue, scaled towards black) to the 3:1 contrast against the white
# background that WCAG 2.1 AA asks of graphics (1.4.11); the originals reach 2.3, 2.3 and 1.3.
# Colour never tells lines apart alone: they differ in line style or marker too, and legends and
# labels name them (tests/course/test_plots.py checks both).
COLORS = {
    "blue": "#0072B2",
    "orange": "#C38700",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#4A9BC8",
    "purple": "#CC79A7",
    "yellow": "#9C942B",
    "black": "#000000",
}


# The colour map of a network's output in [0, 1] over its inputs: diverging around 0.5, where
# the decision flips, and safe for colour-blind readers.
SHADE_MAP = "PuOr"

# The marker for round points in widget figures: a 24-sided regular polygon, which looks like
# "o" at these sizes. Matplotlib measures a scatter's marker path on every draw, and for the
# Bezier curves of "o" that costs about 4 ms a frame; a polygon's corners cost nothing.
ROUND = (24, 0, 0)


def fast_png(pixels):
    """PNG bytes of an (height, width, 3 or 4) uint8 array, written for pictures redrawn on every
    slider change.

    Pillow's PNG encoder always tries all five row filters on every row and keeps the best
    (libpng's heuristic); on these frames that choice is two thirds of the encoding time and
    saves almost nothing. Here every row uses the "Up" filter (the difference from the row
    above, which suits plots: flat areas and vertical gradients become zeros) and zlib level
    1: two to three times faster than Pillow's level 1 for a picture of the same size.
    """
    import struct
    import zlib

    import numpy as np

    height, width, channels = pixels.shape
    rows = np.empty((height, width * channels + 1), np.uint8)
    rows[:, 0] = 2  # each row starts with its filter type: 2, "Up"
    body = rows[:, 1:].reshape(height, width, channels)  # a view of ``rows``
    body[0] = pixels[0]  # the first row's "row above" is zeros
    np.subtract(pixels[1:], pixels[:-1], out=body[1:])  # modulo 256, as PNG defines it

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    color_type = {3: 2, 4: 6}[channels]  # RGB or RGBA, 8 bits per channel
    header = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 1))
            + chunk(b"IEND", b""))


def new_figure(width=6.0, height=3.2):
    """A figure that is not registered with pyplot, so it is never shown twice or leaked."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=90, layout="constrained")
    return fig, fig.add_subplot()


def shading(fig, ax, size, extent, alpha, label, **imshow):
    """A widget's shading of ``ax`` by values in [0, 1] on a ``size`` x ``size`` grid (a network's
    output over its inputs), with a colour bar labelled ``label``. Give it new values with
    ``image.set_data(shade_colors(values, alpha))``.

    The image holds colours, not values: matplotlib then only resamples them, instead of mapping
    values to colours anew at screen resolution on every draw, which was half the cost of a frame's
    shading. The colour bar shows the same colour map at the same opacity.
    """
    import numpy as np
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize

    image = ax.imshow(shade_colors(np.zeros((size, size)), alpha), origin="lower", extent=extent, **imshow)
    fig.colorbar(ScalarMappable(Normalize(0.0, 1.0), SHADE_MAP), ax=ax, label=label, alpha=alpha)
    return image


def shade_colors(values, alpha):
    """RGBA bytes of the shading colour map for values in [0, 1], at opacity ``alpha``."""
    return matplotlib.colormaps[SHADE_MAP](values, alpha=alpha, bytes=True)


def legend_outside(fig, axes=None, *, loc="outside lower center", ncols=None, fontsize=8):
    """A legend for ``axes`` (default: every axes of ``fig``) outside the plotting area, where it hides no data.

    A legend inside an axes sits on whatever the sliders move under it (a bar, a point, the
    curve of a run that does not learn). This one goes in a margin of the figure that
    constrained layout keeps free for it (``loc`` is one of matplotlib's "outside ..." places,
    "outside lower center" by default: under the x-axis label); ``ncols`` entries per row, all
    of them in one row by default. It does not move when the data changes, so a LiveFigure
    paints it once, with the background.
    """
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    if not isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine):
        raise ValueError("legend_outside needs a figure with constrained layout (it makes the room)")
    handles, labels = [], []
    for ax in fig.axes if axes is None else axes:
        more_handles, more_labels = ax.get_legend_handles_labels()
        handles += more_handles
        labels += more_labels
    return fig.legend(handles, labels, loc=loc, ncols=ncols or len(labels), fontsize=fontsize)


def unseen():
    """True while nbgrader itself runs the notebook (autograde, or the Validate button): nobody
    sees a picture then, so none is drawn. nbgrader sets NBGRADER_EXECUTION for this purpose;
    drawing was most of the time a graded notebook took."""
    return os.environ.get("NBGRADER_EXECUTION") in ("autograde", "validate")


def not_drawn():
    """What a picture shows while nbgrader runs the notebook (see ``unseen``): a line saying it is drawn when
    the student runs the notebook. The grading view's widgets (grader/sandbox/course_view.py) return it too."""
    from IPython.display import Markdown

    return Markdown("*(This picture is drawn when you run the notebook yourself.)*")


def describe(fig):
    """What ``fig`` shows, in words a screen reader reads out: per axes its title, its axes and
    what its legend names (the figure's own legend included). Read from the artists as they
    are now, so a title the sliders change is read as it is in the picture."""
    parts = []
    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is not None and suptitle.get_text().strip():
        parts.append(_sentence(suptitle.get_text()))
    for ax in fig.axes:
        if ax.get_label() == "<colorbar>":
            if ax.get_ylabel().strip():
                parts.append(_sentence(f"Shading: {ax.get_ylabel()}"))
            continue
        words = []
        title = ax.get_title().strip()
        if title:
            words.append(_sentence(title))
        axis = [f"{name} axis: {label.strip()}" for name, label in
                (("horizontal", ax.get_xlabel()), ("vertical", ax.get_ylabel())) if label.strip()]
        if axis:
            words.append(_sentence("; ".join(axis)))
        legend = ax.get_legend()
        if legend is not None:
            words.append(_legend_words(legend))
        parts.append(" ".join(w for w in words if w))
    for legend in fig.legends:
        parts.append(_legend_words(legend))
    return " ".join(p for p in parts if p) or "A picture."


def _sentence(text):
    text = " ".join(str(text).split())
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", ":", "!", "?")) else text + "."


def _legend_words(legend):
    labels = [t.get_text().strip() for t in legend.get_texts() if t.get_text().strip()]
    return _sentence("Shows: " + "; ".join(" ".join(label.split()) for label in labels)) if labels else ""


def plain_text(markup):
    """The words of a summary written in HTML (tags dropped, entities decoded), for an alt text."""
    import html
    import re

    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", markup)).split())


# The class of a widget's text summary: a live region, announced by screen readers when it changes.
LIVE_CLASS = "course-live"

# Makes every element of LIVE_CLASS an ARIA live region (role "status": polite, read whole).
# ipywidgets gives a widget's element no ARIA attributes, and its HTML widget replaces only the
# inner HTML of that element on a change; so the element persists, and once marked, each new
# summary is announced. A live region must exist before its content changes, so the marking
# happens as soon as the element appears (a MutationObserver, installed once per page). It runs
# from the HTML of a live picture: JupyterLab runs the scripts of trusted HTML outputs, and an
# ipywidgets Output's outputs are trusted.
_MARK_LIVE = ("<script>(function(){if(window.courseLiveRegions)return;window.courseLiveRegions=1;"
              "var mark=function(){document.querySelectorAll('." + LIVE_CLASS + ":not([aria-live])')"
              ".forEach(function(e){e.setAttribute('role','status');e.setAttribute('aria-live','polite');"
              "e.setAttribute('aria-atomic','true');});};mark();"
              "new MutationObserver(mark).observe(document.body,{childList:true,subtree:true});})();</script>")


def live_summary(value=""):
    """A widget's text summary (an ipywidgets HTML) that screen readers announce when it changes."""
    import ipywidgets as widgets

    summary = widgets.HTML(value)
    summary.add_class(LIVE_CLASS)
    return summary


class Picture:
    """A PNG picture with a text alternative, as Jupyter shows it: an ``<img>`` with an ``alt``
    (and, for a widget's picture, ``live``, the script that makes the summaries live regions).

    JupyterLab's image/png renderer gives its ``<img>`` no alt text (it reads only width, height
    and background hints from the output's metadata), so a screen reader would say "image" and
    nothing more. This picture's display is HTML instead, ``<img src="data:image/png;base64,..."
    alt="...">``, with the text alone as text/plain (for consoles and for nbconvert's text
    exports).
    """

    def __init__(self, png, alt, live=False):
        self.png, self.alt, self.live = png, " ".join(str(alt).split()), live

    def html(self):
        import base64
        import html

        src = base64.b64encode(self.png).decode("ascii")
        img = f'<img src="data:image/png;base64,{src}" alt="{html.escape(self.alt, quote=True)}">'
        return img + _MARK_LIVE if self.live else img

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self.html(), "text/plain": self.alt}


def as_image(fig, alt=None):
    """``fig`` rendered to a PNG that Jupyter shows as a picture, with a text alternative: ``alt``,
    or by default what :func:`describe` reads from the figure.

    A pyplot-free Figure has no rich display of its own (pyplot is what registers
    matplotlib's inline formatter), so ``display(fig)`` would print "<Figure size ...>".
    """
    import io

    if unseen():
        return not_drawn()

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return Picture(buffer.getvalue(), describe(fig) if alt is None else alt)


def round_up(n):
    """The smallest of 1, 2, 5, 10, 20, 50, ... that is at least ``n``: an axis that grows with a
    slider in these steps keeps its ticks (and its cached drawing) for most slider values."""
    step = 1
    while True:
        for k in (1, 2, 5):
            if k * step >= n:
                return k * step
        step *= 10


def _replace_output(output, image):
    """Make ``image`` the only thing an ipywidgets Output shows, in one widget-state message.

    Setting the Output's ``outputs`` is how ipywidgets' own ``append_display_data`` works. The
    usual ``with output: clear_output(); display(image)`` costs about 10 ms more a change: the
    Output flushes stdout and stderr around each step and every flush waits for the kernel's
    I/O thread.
    """
    from IPython import get_ipython
    from IPython.core.formatters import DisplayFormatter
    from IPython.display import display

    if unseen():  # nbgrader runs the notebook, with no browser to show the widget: the line
        with output:  # saying so becomes the cell's own output, in the graded notebook and feedback
            output.clear_output(wait=True)
            display(image)
        return
    shell = get_ipython()
    formatter = shell.display_formatter if shell is not None else DisplayFormatter()  # plain Python: tests
    data, metadata = formatter.format(image)
    output.outputs = ({"output_type": "display_data", "data": data, "metadata": metadata},)


def show(fig, output, alt=None):
    """Redraw ``fig`` inside an ipywidgets Output, replacing what was there."""
    _replace_output(output, as_image(fig, alt))


class LiveFigure:
    """A widget's figure, redrawn on every slider change at the cost of only what changed.

    * The layout engine (constrained layout) runs once, at the first frame, and is then
      switched off: the axes keep their places, so nothing jumps while a slider moves and
      no frame pays for a second, layout-only draw.
    * Everything except ``dynamic`` and ``overlays`` is painted once into a cached
      background. A frame restores that background, paints the ``dynamic`` artists on top
      in the order given (blitting), lays the ``overlays`` over them and encodes the pixels
      as a fast-compressed PNG.

    ``dynamic`` holds what the sliders change: lines, collections, images, texts, an axes'
    title, and static artists that must stay drawn over them (a reference line across a
    bar). It may also hold a whole Axes whose limits change with the sliders: its frame,
    ticks and labels are drawn over the background once per set of limits and kept (the
    last few), while the dynamic artists inside it are painted every frame as usual.
    ``overlays`` are artists that never change but must stay on top of everything, such
    as a legend a moving line can pass under: each is rendered once into a small
    transparent picture that every frame pastes over its area.
    The background is repainted when a static axes' limits or scales change, or after
    ``invalidate()``: change any other static artist only through a rebuild.
    """

    KEEP_LAYERS = 8  # backgrounds kept per set of limits of the dynamic axes

    def __init__(self, fig, dynamic, overlays=()):
        from matplotlib.axes import Axes
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        self.fig = fig
        self.dynamic = list(dynamic)
        self.overlays = list(overlays)
        self._layer_axes = [a for a in self.dynamic if isinstance(a, Axes)]
        self._artists = [a for a in self.dynamic if not isinstance(a, Axes)]
        self.canvas = FigureCanvasAgg(fig)
        self._background = None
        self._layers = {}  # limits of the dynamic axes -> background with those axes drawn
        self._sprites = []
        self._state = None

    def invalidate(self):
        """Repaint the background at the next frame (after a static artist was changed)."""
        self._background = None
        self._layers.clear()

    def freeze_layout(self):
        """Run the layout engine now, with every artist as it is, and keep that layout from then on.

        Called by the first frame; call it earlier, after putting the widest tick labels and
        titles in place, when what the sliders change would need more room than the first frame.
        """
        from matplotlib.layout_engine import PlaceHolderLayoutEngine

        if unseen():
            return  # nothing will be drawn
        engine = self.fig.get_layout_engine()
        if engine is not None and not isinstance(engine, PlaceHolderLayoutEngine):  # not yet frozen
            for artist in self.dynamic + self.overlays:
                artist.set_animated(False)  # everything takes its room, titles and legends included
            self.fig.draw_without_rendering()
            self.fig.set_layout_engine("none")

    @staticmethod
    def _limits(axes):
        return tuple((ax.get_xlim(), ax.get_ylim(), ax.get_xscale(), ax.get_yscale()) for ax in axes)

    def _static_state(self):
        return self._limits([ax for ax in self.fig.axes if not ax.get_animated()])

    def _pixels(self):
        import numpy as np

        return np.asarray(self.canvas.buffer_rgba())

    def _paint_background(self):
        import math

        import numpy as np

        self.freeze_layout()
        for artist in self.dynamic + self.overlays:
            artist.set_animated(True)  # left out of the background, painted per frame
        self._state = self._static_state()
        self.canvas.draw()
        self._background = self.canvas.copy_from_bbox(self.fig.bbox)
        # each overlay alone on a transparent canvas: its pixels, premultiplied, and their opacity
        renderer = self.canvas.get_renderer()
        height, width = self._pixels().shape[:2]
        self._sprites = []
        for artist in self.overlays:
            renderer.clear()
            artist.draw(renderer)
            box = artist.get_window_extent(renderer)
            left, right = max(0, math.floor(box.x0) - 2), min(width, math.ceil(box.x1) + 2)
            top = max(0, height - math.ceil(box.y1) - 2)  # rows count from the top, display y from the bottom
            bottom = min(height, height - math.floor(box.y0) + 2)
            sprite = self._pixels()[top:bottom, left:right].astype(np.float32) / 255.0
            alpha = sprite[..., 3:]
            self._sprites.append((slice(top, bottom), slice(left, right), sprite[..., :3] * alpha * 255.0,
                                  1.0 - alpha))
        self.canvas.restore_region(self._background)
        self._layers.clear()

    def _restore(self):
        """Put back the background, with the dynamic axes' frames and ticks for their current limits."""
        if not self._layer_axes:
            self.canvas.restore_region(self._background)
            return
        key = self._limits(self._layer_axes)
        if key in self._layers:
            self.canvas.restore_region(self._layers[key])
            return
        self.canvas.restore_region(self._background)
        renderer = self.canvas.get_renderer()
        for ax in self._layer_axes:
            ax.draw(renderer)  # leaves out its animated (dynamic) children
        if len(self._layers) >= self.KEEP_LAYERS:
            del self._layers[next(iter(self._layers))]
        self._layers[key] = self.canvas.copy_from_bbox(self.fig.bbox)

    def png(self):
        """The current picture as PNG bytes."""
        if self._background is None or self._static_state() != self._state:
            self._paint_background()
        self._restore()
        renderer = self.canvas.get_renderer()
        for artist in self._artists:
            artist.draw(renderer)
        if self._sprites:
            pixels = self._pixels()
            for rows, cols, color, clear in self._sprites:
                under = pixels[rows, cols, :3]
                under[...] = color + under * clear + 0.5  # "over" compositing; the figure is opaque
        # RGBA as the canvas holds it: dropping the alpha of an opaque figure would first copy
        # every pixel, which costs more than compressing a channel that is all 255
        return fast_png(self._pixels())

    def image(self, text=None):
        """The current picture, as an object Jupyter displays. Its text alternative says what
        :func:`describe` reads from the figure as it is now (titles the sliders change included),
        followed by ``text``: the widget's summary of what the picture shows (HTML or plain)."""
        if unseen():
            return not_drawn()
        png = self.png()
        alt = describe(self.fig) + (" " + plain_text(text) if text else "")
        return Picture(png, alt, live=True)

    def show(self, output, text=None):
        """Redraw inside an ipywidgets Output, replacing what was there; ``text`` as in :meth:`image`."""
        _replace_output(output, self.image(text))


matplotlib.rcParams.update({"axes.grid": True, "grid.alpha": 0.3, "font.size": 10})
