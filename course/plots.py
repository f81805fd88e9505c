"""Shared plotting style: one colour-blind-safe palette, labelled axes, cheap redraws."""
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


def new_figure(width=6.0, height=3.2):
    """A figure that is not registered with pyplot, so it is never shown twice or leaked."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=90, layout="constrained")
    return fig, fig.add_subplot()


def as_image(fig):
    """``fig`` rendered to a PNG that Jupyter shows as a picture.

    A pyplot-free Figure has no rich display of its own (pyplot is what registers
    matplotlib's inline formatter), so ``display(fig)`` would print "<Figure size ...>".
    """
    import io

    from IPython.display import Image

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return Image(data=buffer.getvalue(), format="png")


def show(fig, output):
    """Redraw ``fig`` inside an ipywidgets Output, replacing what was there."""
    from IPython.display import display

    with output:
        output.clear_output(wait=True)
        display(as_image(fig))


matplotlib.rcParams.update({"axes.grid": True, "grid.alpha": 0.3, "font.size": 10})
