"""The exporter of feedback pages: nbconvert's HTMLExporter, less a full-page re-parse that changes nothing.

After rendering, HTMLExporter parses the whole page with BeautifulSoup's pure-Python parser to give
``<img>`` tags without alt text a default one and to make JupyterLab-template cells focusable, then
writes the page out again. For a feedback page that is ~0.2 s of CPU (about half of its export), spent
mostly on the 120 KB of inline CSS, and it usually changes nothing: nbgrader's feedback template is
the classic one, which has no JupyterLab cells, and graded lessons draw no pictures. So the page is
kept as rendered unless it has something the pass would change; then the pass runs as in nbconvert.
"""
import re

from bs4 import BeautifulSoup
from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

# What nbconvert's pass selects: any <img> (it adds missing alt text), and the two JupyterLab classes.
NEEDS_PASS = re.compile(r"<img\b|jp-Cell-inputWrapper|jp-OutputArea-output", re.IGNORECASE)


class FeedbackHTMLExporter(HTMLExporter):
    def from_notebook_node(self, nb, resources=None, **kw):
        # HTMLExporter.from_notebook_node (nbconvert 7.17) up to its BeautifulSoup pass.
        langinfo = nb.metadata.get("language_info", {})
        lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
        highlight_code = self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
        resources = self._init_resources(resources)
        filter_data_type = WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self,
                                                 resources=resources)
        self.register_filter("highlight_code", highlight_code)
        self.register_filter("filter_data_type", filter_data_type)
        html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        if NEEDS_PASS.search(html):
            html = accessible(html, self.log)
        return html, resources


def accessible(html, log):
    """nbconvert's pass itself: alt text for images without one, focusable JupyterLab cells."""
    soup = BeautifulSoup(html, features="html.parser")
    missing_alt = 0
    for elem in soup.select("img:not([alt])"):
        elem.attrs["alt"] = "No description has been provided for this image"
        missing_alt += 1
    if missing_alt:
        log.warning("Alternative text is missing on %s image(s).", missing_alt)
    for elem in soup.select(".jp-Notebook div.jp-Cell-inputWrapper"):
        elem.attrs["tabindex"] = "0"
    for elem in soup.select(".jp-Notebook div.jp-OutputArea-output"):
        elem.attrs["tabindex"] = "0"
    return str(soup)
