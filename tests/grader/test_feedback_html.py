"""FeedbackHTMLExporter: nbconvert's HTMLExporter's feedback page, without its re-parse where that changes nothing,
with a lang attribute and AA contrast (grader.feedback_html.with_lang_and_contrast; audited in
tests/browser/test_accessibility.py)."""
import base64

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbconvert.exporters import HTMLExporter
from nbformat.v4 import new_code_cell, new_markdown_cell, new_output

from grader.course import load_nbgrader_config
from grader.feedback_html import ACCESSIBLE_CSS, FeedbackHTMLExporter, with_lang_and_contrast
from tests.support.course_files import ROOT, notebooks
from tests.support.feedback_pages import graded

PNG = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")).decode()


@pytest.fixture(scope="module")
def exporters():
    """(the exporter generate_feedback builds with the course's config (as in its start()), a stock HTMLExporter
    configured alike)."""
    from nbgrader.converters import GenerateFeedback
    from nbgrader.coursedir import CourseDirectory

    config = load_nbgrader_config(ROOT)
    converter = GenerateFeedback(coursedir=CourseDirectory(config=config), config=config)
    return (converter.exporter_class(parent=converter, config=converter.config),
            HTMLExporter(parent=converter, config=converter.config))


def export(exporter, nb):
    resources = {"nbgrader": {"notebook": "lesson", "score": 3.5, "max_score": 7, "late_penalty": 0}}
    return exporter.from_notebook_node(nb, resources)[0]


def test_generate_feedback_uses_it(exporters):
    ours, stock = exporters
    assert type(ours) is FeedbackHTMLExporter
    assert type(stock) is HTMLExporter and stock.template_name == ours.template_name == "feedback"


@pytest.mark.parametrize("path", notebooks(), ids=lambda p: p.stem)
def test_a_lesson_page_is_stock_html_left_as_rendered(exporters, path):
    ours, stock = exporters
    nb = graded(nbformat.read(path, as_version=4))
    page, reference = export(ours, nb), export(stock, nb)
    assert page != with_lang_and_contrast(reference)  # the re-parse did not run: jinja's output as it came out
    # ... and the same document as stock, with the accessibility pass
    assert str(BeautifulSoup(page, features="html.parser")) == with_lang_and_contrast(reference)
    assert "Partly right: see the failed check." in page and "ZeroDivisionError" in page


def test_a_page_with_a_picture_gets_stock_alt_text(exporters):
    ours, stock = exporters
    nb = graded(nbformat.v4.new_notebook(cells=[
        new_markdown_cell("A picture of the loss:"),
        new_code_cell("plot()", outputs=[new_output("display_data",
                                                    data={"image/png": PNG, "text/plain": "<Figure>"})]),
    ]))
    page = export(ours, nb)
    assert page == with_lang_and_contrast(export(stock, nb))
    assert 'alt="No description has been provided for this image"' in page


def test_every_page_says_its_language_and_carries_the_contrast_fixes(exporters):
    ours, _ = exporters
    page = export(ours, graded(nbformat.read(notebooks()[0], as_version=4)))
    assert page.count('<html lang="en"') == 1 and page.count(ACCESSIBLE_CSS) == 1
    assert page.index(ACCESSIBLE_CSS) < page.index("</head>")  # last in the head: it wins over the template
    assert with_lang_and_contrast('<html lang="fr"><head></head>').startswith('<html lang="fr">')
