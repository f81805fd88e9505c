"""The exporter of feedback pages: nbconvert's HTMLExporter, less a full-page re-parse that changes nothing.

After rendering, HTMLExporter parses the whole page with BeautifulSoup's pure-Python parser to give
``<img>`` tags without alt text a default one and to make JupyterLab-template cells focusable, then
writes the page out again. For a feedback page that is ~0.2 s of CPU (about half of its export), spent
mostly on the 120 KB of inline CSS, and it usually changes nothing: nbgrader's feedback template is
the classic one, which has no JupyterLab cells, and graded lessons draw no pictures. So the page is
kept as rendered unless it has something the pass would change; then the pass runs as in nbconvert.

Every page is then made to pass the accessibility audit (axe-core's WCAG 2.1 AA rules,
tests/browser/test_accessibility.py): nbgrader's feedback template has no ``lang`` on ``<html>``, and its
links, its panel headings' "(Top)" links and some code colours fall short of AA contrast (``with_lang_and_contrast``).
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
        return with_lang_and_contrast(html), resources


# Contrast (WCAG 1.4.3, 4.5:1 for text) and links told apart from text by more than colour (1.4.1).
# Bootstrap's links (#337ab7) reach 4.17:1 on the template's grey; its "(Top)" links (#bbb on the blue
# heading) 2.37:1; pygments' default colours 4.4-4.49:1 on the grey of a code block, so code is shown on white.
ACCESSIBLE_CSS = """<style>
/* Accessibility (WCAG 2.1 AA): grader/feedback_html.py */
a, a:visited { color: #1d4f7c; text-decoration: underline; }
div.nbgrader_cell .panel-heading a, div.nbgrader_cell .panel-heading a:visited { color: #ffffff; }
.panel-primary > .panel-heading { background-color: #2a6496; border-color: #2a6496; }
div.input_area, div.input_area pre, .highlight, .highlight pre { background-color: #ffffff; }
div.input_area { border: 1px solid #cfcfcf; }
</style>
"""


def with_lang_and_contrast(html, lang="en"):
    """The page with ``<html lang=...>`` and ACCESSIBLE_CSS last in its head (so it wins over the template's)."""
    html = re.sub(r"<html(?![^>]*\blang=)", f'<html lang="{lang}"', html, count=1, flags=re.IGNORECASE)
    head_end = html.lower().find("</head>")
    return html if head_end < 0 else html[:head_end] + ACCESSIBLE_CSS + html[head_end:]


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
