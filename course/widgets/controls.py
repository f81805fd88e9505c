"""The sliders every lesson uses: one look, and a description a screen reader can announce."""
import ipywidgets as widgets


def slider(cls, description, tooltip, *, continuous_update=True, **kwargs):
    """A ``cls`` slider (FloatSlider, IntSlider, FloatLogSlider) labelled and sized like all the others."""
    return cls(description=description, tooltip=tooltip, continuous_update=continuous_update,
               style={"description_width": "initial"}, layout=widgets.Layout(width="420px"), **kwargs)
