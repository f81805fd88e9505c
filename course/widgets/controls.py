"""The sliders every lesson uses: one look, and a description a screen reader can announce.

ipywidgets 8 draws a slider as a ``<label class="widget-label">`` (the description) next to a noUiSlider
handle, a ``<div role="slider">`` that is not tied to the label: a screen reader announces it as "slider",
nameless. ipywidgets has no trait for ARIA attributes, so the first slider a cell builds also sends a few
lines of JavaScript (``NAMES``, an ``application/javascript`` output that JupyterLab runs for the outputs
of cells the student runs): they point each slider handle (and the readout one can type a value into) at
its label with ``aria-labelledby``, and each group of toggle buttons too (each button saying with
``aria-pressed`` whether it is the one chosen), now and whenever widgets appear or change. Dropdowns and
checkboxes need no name: ipywidgets ties their ``<label>`` to them itself. And the arrow keys pressed on
a slider or a dropdown move it, not JupyterLab's selected cell (its command mode takes ArrowUp/ArrowDown).
"""
import ipywidgets as widgets

from ..plots import live_summary

# Installed once per page (the flag), watching what is added to the page: a cell's widgets render after
# its output arrives, a slider whose range changes is rebuilt, a description can change.
NAMES = r"""
(() => {
  if (window.__courseControlNames) { return; }
  window.__courseControlNames = true;
  let next = 0;
  const labelId = label => label.id || (label.id = `course-control-label-${++next}`);
  const tie = (node, id) => { if (node && node.getAttribute('aria-labelledby') !== id) {
    node.setAttribute('aria-labelledby', id); } };
  const name = control => {
    const label = control.querySelector(':scope > .widget-label');
    if (!label || !label.textContent.trim()) { return; }
    const id = labelId(label);
    if (control.classList.contains('widget-slider')) {
      tie(control.querySelector('[role=slider]'), id);
      const readout = control.querySelector(':scope > .widget-readout');
      if (readout) { readout.setAttribute('role', 'textbox'); tie(readout, id); }
    } else if (control.classList.contains('widget-toggle-buttons')) {
      control.setAttribute('role', 'group');
      tie(control, id);
      control.querySelectorAll('button').forEach(button => {  // which one is chosen, not by colour alone
        const pressed = String(button.classList.contains('mod-active'));
        if (button.getAttribute('aria-pressed') !== pressed) { button.setAttribute('aria-pressed', pressed); }
      });
    }
  };
  // The keys that operate a control are its own: JupyterLab's command mode would otherwise take ArrowUp and
  // ArrowDown (select the cell above or below) from a dropdown or a slider. This listener runs before
  // JupyterLab's (the window's capture phase comes first) and hides the key press from its shortcuts.
  const KEYS = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End', 'PageUp', 'PageDown']);
  window.addEventListener('keydown', event => {
    const target = event.target;
    if (!KEYS.has(event.key) || !(target instanceof Element)
        || !target.matches('.jupyter-widgets select, .jupyter-widgets [role=slider]')) { return; }
    target.setAttribute('data-lm-suppress-shortcuts', 'true');
    setTimeout(() => target.removeAttribute('data-lm-suppress-shortcuts'), 0);
  }, true);
  const CONTROLS = '.widget-slider, .widget-toggle-buttons';
  const visit = node => {
    const element = node.nodeType === 1 ? node : node.parentElement;
    if (!element) { return; }
    const around = element.closest(CONTROLS);
    if (around) { name(around); }
    element.querySelectorAll(CONTROLS).forEach(name);
  };
  visit(document.body);
  new MutationObserver(records => {
    for (const record of records) {
      if (record.type === 'attributes') {  // a toggle button chosen or let go
        const group = record.target.closest('.widget-toggle-buttons');
        if (group) { name(group); }
        continue;
      }
      if (record.type === 'characterData') { visit(record.target); }
      record.addedNodes.forEach(visit);
    }
  }).observe(document.body, {childList: true, subtree: true, characterData: true, attributes: true,
                             attributeFilter: ['class']});
})();
"""

_sent_for = [None]  # the execution count of the cell that last sent NAMES


def _send_names():
    """Send NAMES once per cell run, in a kernel only (not to a script's stdout, nor twice for one widget)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return
    if _sent_for[0] == shell.execution_count:
        return
    _sent_for[0] = shell.execution_count
    from IPython.display import display
    display({"application/javascript": NAMES}, raw=True)  # no text/plain: nothing to read in a transcript


def slider(cls, description, tooltip, *, continuous_update=True, **kwargs):
    """A ``cls`` slider (FloatSlider, IntSlider, FloatLogSlider) labelled and sized like all the others.

    ``description`` names what it sets ("learning rate"): it is the label the student sees and, through
    NAMES, the name a screen reader announces for the handle."""
    _send_names()
    return cls(description=description, tooltip=tooltip, continuous_update=continuous_update,
               style={"description_width": "initial"}, layout=widgets.Layout(width="420px"), **kwargs)


def live_widget(controls, live, update, extra=()):
    """The widget a lesson shows: ``controls``, then the live summary, then ``live``'s picture, then ``extra``.

    ``update`` is called with the controls' values, in the order of ``controls``, once now and again whenever one
    of them changes: it moves the artists of the LiveFigure ``live`` and returns the summary (HTML), which becomes
    the text of the live region (announced by screen readers) and the end of the picture's alt text. ``extra``
    are widgets under the picture that ``update`` fills too (a table). The returned VBox's ``redraw()`` runs
    ``update`` again, for a widget that draws more frames by itself (a run that trains on after a change).

    It lives here rather than in course.plots: plots draws pictures (static ones too) and needs ipywidgets only
    for a summary and an Output, while this assembles a lesson's controls, like ``slider`` above.
    """
    summary, out = live_summary(), widgets.Output()

    def redraw(*_):
        summary.value = update(*(control.value for control in controls))
        live.show(out, summary.value)

    for control in controls:
        control.observe(redraw, names="value")
    redraw()
    box = widgets.VBox([*controls, summary, out, *extra])
    box.redraw = redraw
    return box
