"""A widget's picture has a text alternative that follows the slider, and its summary is an ARIA live region.

In a real JupyterLab: a notebook with the lesson 02 loss-curve widget runs; the picture is an <img>
whose alt says what it shows; the summary's element is a persistent live region (role "status",
aria-live "polite"), and after the arrow keys move the learning rate, the same element (not a new
one) holds the new summary and the picture's alt text has changed with it.
"""
import json

import pytest

pytestmark = pytest.mark.browser

NOTEBOOK = "a11y_live_summary.ipynb"
CODE = "from course.widgets.loss import loss_curve_explorer\nloss_curve_explorer(lr=0.05)"


def _state(root):
    return root.evaluate("""root => {
        const live = root.querySelector('.course-live');
        const img = root.querySelector('.widget-output img');
        if (live && !live.dataset.testId) { live.dataset.testId = 'first'; }
        return {role: live && live.getAttribute('role'), aria_live: live && live.getAttribute('aria-live'),
                text: live ? live.textContent.trim() : null, same: live ? live.dataset.testId : null,
                alt: img ? img.getAttribute('alt') : null};
    }""")


def test_summary_is_a_live_region_and_the_picture_alt_follows_the_slider(lab, lab_server):
    path = lab_server["course"] / NOTEBOOK
    path.write_text(json.dumps({
        "cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": CODE}],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5}))
    lab.open_notebook(NOTEBOOK)
    lab.run_all()
    page = lab.page
    root = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output",
                        has=page.locator(".widget-slider")).first
    root.wait_for(timeout=30_000)
    page.wait_for_function("r => r.querySelector('.course-live[aria-live]') && r.querySelector('.widget-output img')",
                           arg=root.element_handle(), timeout=10_000)
    before = _state(root)
    assert before["role"] == "status" and before["aria_live"] == "polite", before
    assert "learning rate 0.05" in before["text"], before
    assert before["alt"] and "learning rate 0.05" in before["alt"].lower() and "loss" in before["alt"].lower(), before

    root.locator("[role=slider]").first.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("r => r.querySelector('.course-live').textContent.includes('0.08')",
                           arg=root.element_handle(), timeout=10_000)
    page.wait_for_function("([r, alt]) => r.querySelector('.widget-output img').getAttribute('alt') !== alt",
                           arg=[root.element_handle(), before["alt"]], timeout=10_000)
    after = _state(root)
    assert after["same"] == "first", "the live region was replaced instead of updated: nothing would be announced"
    assert after["role"] == "status" and after["aria_live"] == "polite", after
    assert "learning rate 0.08" in after["text"] and "learning rate 0.08" in after["alt"].lower(), after
