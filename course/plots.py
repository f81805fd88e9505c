"""Shared plotting style: one colour-blind-safe palette, labelled axes, cheap redraws."""
import os

import matplotlib

# Okabe-Ito palette: distinguishable with every common form of colour blindness.
COLORS = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}

# zlib level for PNGs redrawn on every slider change: level 1 encodes several times faster
# than the default 6 and the picture is only a little larger.
FAST_PNG = {"compress_level": 1}


def new_figure(width=6.0, height=3.2):
    """A figure that is not registered with pyplot, so it is never shown twice or leaked."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=90, layout="constrained")
    return fig, fig.add_subplot()


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


def _not_drawn():
    from IPython.display import Markdown

    return Markdown("*(This picture is drawn when you run the notebook yourself.)*")


def as_image(fig):
    """``fig`` rendered to a PNG that Jupyter shows as a picture.

    A pyplot-free Figure has no rich display of its own (pyplot is what registers
    matplotlib's inline formatter), so ``display(fig)`` would print "<Figure size ...>".
    """
    import io

    from IPython.display import Image

    if unseen():
        return _not_drawn()

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return Image(data=buffer.getvalue(), format="png")


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
    from IPython.display import display

    with output:
        output.clear_output(wait=True)
        display(image)


def show(fig, output):
    """Redraw ``fig`` inside an ipywidgets Output, replacing what was there."""
    _replace_output(output, as_image(fig))


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
        import io

        from PIL import Image

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
        width, height = self.canvas.get_width_height(physical=True)
        pixels = Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        if self.fig.get_facecolor()[3] == 1.0:
            pixels = pixels.convert("RGB")  # an opaque figure: a quarter less to compress and send
        buffer = io.BytesIO()
        pixels.save(buffer, format="png", **FAST_PNG)
        return buffer.getvalue()

    def image(self):
        """The current picture, as an object Jupyter displays."""
        from IPython.display import Image

        if unseen():
            return _not_drawn()
        return Image(data=self.png(), format="png")

    def show(self, output):
        """Redraw inside an ipywidgets Output, replacing what was there."""
        _replace_output(output, self.image())


matplotlib.rcParams.update({"axes.grid": True, "grid.alpha": 0.3, "font.size": 10})
