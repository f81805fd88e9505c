"""The accessibility audit: axe-core (WCAG 2.1 A and AA rules) on a page, each violation's nodes sorted by
who made them, and artifacts/accessibility.md, the report of every page audited.

axe-core comes from the pinned `axe-playwright-python` (requirements-test.txt), injected into the page.
A node is the course's own ("course") when the course wrote it: inside a notebook cell's rendered markdown
or its outputs (widgets and pictures included), or anywhere in a page the grader writes (a feedback page,
the class report). Every other node of a JupyterLab page is JupyterLab's own ("jupyterlab"): listed in the
report with the upstream issue where one is known, never a failure of the course.
"""
import json
import os

from tests.support.course_files import ROOT

REPORT = ROOT / "artifacts" / "accessibility.md"
# One JSON file per page audited, so pytest-xdist workers and reruns of a single test add to the report.
RESULTS = ROOT / "artifacts" / "accessibility"

# WCAG 2.0 and 2.1, levels A and AA: the rules axe-core tags so.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# axe's best-practice rules that the issue asks for too: headings in order, no level skipped.
EXTRA_RULES = ["heading-order"]

# Where a notebook's own content sits in JupyterLab's page: rendered markdown, outputs, widgets.
COURSE_CONTENT = (".jp-Cell .jp-OutputArea, .jp-MarkdownOutput, .jupyter-widgets, [class*='widget-'], "
                  ".jp-RenderedMarkdown, .jp-RenderedHTMLCommon")
# Within the course's content: a widget (ipywidgets' DOM) and a picture (a rendered image output).
WIDGET = ".jupyter-widgets, [class*='widget-']"
PICTURE = ".jp-RenderedImage"

# Upstream issues for JupyterLab's own violations, found in the JupyterLab (and CodeMirror) trackers by rule.
UPSTREAM = {
    # <jp-button aria-pressed> in the toolbars: "aria-pressed not valid for jp-button with role none".
    "aria-allowed-attr": "https://github.com/jupyterlab/jupyterlab/issues/16891",
    # The cells' CodeMirror editors (role=textbox) carry no aria-label.
    "aria-input-field-name": "https://github.com/jupyterlab/jupyterlab/issues/10347 "
                             "(and https://github.com/codemirror/dev/issues/1127)",
    # The notebook's windowed list (.jp-WindowedPanel-viewport, role=list) holds cells that are not listitems.
    "aria-required-children": "https://github.com/jupyterlab/jupyterlab/issues/14804",
    "aria-required-parent": "https://github.com/jupyterlab/jupyterlab/issues/14804",
    "color-contrast": "https://github.com/jupyterlab/jupyterlab/issues/16888",
    "region": "https://github.com/jupyterlab/jupyterlab/issues/9399",
    "landmark-unique": "https://github.com/jupyterlab/jupyterlab/issues/16869",
}

# Runs axe in the page and gives each node of each violation its owner ("course" or "jupyterlab").
# A node's target is a CSS selector (a list of them through iframes and shadow roots: the last one names it).
_AXE_RUN = """async ([options, courseContent, widget, picture, wholePage]) => {
    const results = await axe.run(document, options);
    return results.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, tags: v.tags,
        nodes: v.nodes.map(n => {
            const selector = Array.isArray(n.target) ? n.target[n.target.length - 1] : n.target;
            let el = null;
            try { el = document.querySelector(String(selector)); } catch (e) { el = null; }
            const course = wholePage || Boolean(el && el.closest(courseContent));
            return {target: String(selector), html: (n.html || '').slice(0, 300),
                    summary: (n.failureSummary || '').slice(0, 300),
                    owner: course ? 'course' : 'jupyterlab',
                    place: !course ? 'jupyterlab' : el && el.closest(widget) ? 'widget'
                        : el && el.closest(picture) ? 'picture' : 'content'};
        }),
    }));
}"""


def audit(page, name, kind, whole_page_is_course=False, record=True):
    """Run axe on the page as it is now; write its results for the report; return them.

    ``kind``: "notebook", "feedback" or "class report". ``whole_page_is_course``: every node is the
    course's (a page the grader writes); otherwise nodes are sorted by COURSE_CONTENT.
    """
    from axe_playwright_python.base import AXE_SCRIPT

    page.evaluate(AXE_SCRIPT)
    options = {"runOnly": {"type": "tag", "values": WCAG_21_AA},
               "rules": {rule: {"enabled": True} for rule in EXTRA_RULES}, "resultTypes": ["violations"]}
    violations = page.evaluate(_AXE_RUN, [options, COURSE_CONTENT, WIDGET, PICTURE, whole_page_is_course])
    result = {"page": name, "kind": kind, "axe": page.evaluate("() => axe.version"), "violations": violations}
    if not record:
        return result
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{_slug(name)}.json").write_text(json.dumps(result, indent=1))
    write_report()
    return result


def counts(result):
    """{owner: number of violating nodes} of one page."""
    out = {"course": 0, "jupyterlab": 0}
    for v in result["violations"]:
        for node in v["nodes"]:
            out[node["owner"]] = out.get(node["owner"], 0) + 1
    return out


def course_failures(result):
    """The course's own violations that fail the audit: rule, impact, nodes (target and why)."""
    lines = []
    for v in result["violations"]:
        nodes = [n for n in v["nodes"] if n["owner"] == "course"]
        if nodes:
            lines.append(f"{v['id']} ({v['impact']}): {v['help']} -- {len(nodes)} node(s)")
            lines += [f"    {n['target']}: {n['html'][:160]}\n      {n['summary'][:200]}" for n in nodes[:5]]
    return lines


def _slug(name):
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in name)


def write_report():
    """artifacts/accessibility.md from every page's results in artifacts/accessibility/."""
    pages = [json.loads(p.read_text()) for p in sorted(RESULTS.glob("*.json"))]
    order = {"notebook": 0, "feedback": 1, "class report": 2}
    pages.sort(key=lambda r: (order.get(r["kind"], 9), r["page"]))
    out = ["# Accessibility audit (axe-core: WCAG 2.1 A + AA rules, and heading-order)", "",
           "Written by the browser tests (tests/browser/accessibility.py). Counts are violating nodes.",
           "\"course\" fails the tests; \"JupyterLab\" is JupyterLab's own page, listed only.",
           "", "## Per page", "", "| page | axe | course | JupyterLab |",
           "| --- | --- | --- | --- |"]
    for r in pages:
        c = counts(r)
        out.append(f"| {r['page']} | {r['axe']} | {c['course']} | {c['jupyterlab']} |")
    for owner, title in (("course", "Course content (fails the audit)"),
                         ("jupyterlab", "JupyterLab's own (not the course's: listed, never failing)")):
        rules = {}
        for r in pages:
            for v in r["violations"]:
                nodes = [n for n in v["nodes"] if n["owner"] == owner]
                if nodes:
                    entry = rules.setdefault(v["id"], {"impact": v["impact"], "help": v["help"], "count": 0,
                                                       "pages": set(), "example": nodes[0]["target"]})
                    entry["count"] += len(nodes)
                    entry["pages"].add(r["page"])
        out += ["", f"## {title}", ""]
        if not rules:
            out.append("None.")
            continue
        out += ["| rule | impact | nodes | pages | example selector | upstream issue |",
                "| --- | --- | --- | --- | --- | --- |"]
        for rule, e in sorted(rules.items()):
            upstream = UPSTREAM.get(rule, "none found") if owner == "jupyterlab" else ""
            example = e["example"].replace("|", "\\|")
            out.append(f"| {rule} ({e['help']}) | {e['impact']} | {e['count']} | {len(e['pages'])} "
                       f"| `{example[:200]}` | {upstream} |")
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    tmp = REPORT.with_suffix(f".md.{os.getpid()}")
    tmp.write_text("\n".join(out) + "\n")
    tmp.replace(REPORT)
