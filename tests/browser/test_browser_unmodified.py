"""A student notebook opens clean: JupyterLab must not mark it modified before the student does anything.

For each notebook in release/ (every assignment): open it in a real JupyterLab (its kernel
starts, as it does for a student), run nothing, wait for the kernel's info to arrive, and check
that the tab carries no dirty marker (`jp-mod-dirty`) and the document model is not dirty.
On failure the message lists what JupyterLab changed: the notebook metadata and cell keys
of its model against the file on disk.

A notebook JupyterLab rewrites on open is released by `make release` (tools/clean_notebooks.py
and nbgrader generate_assignment); after changing either, regenerate release/ before running this.
"""
import importlib.util
import json
import sys
import time

import nbformat
import pytest

from .conftest import RELEASE, ROOT, api, release_notebooks

SETTLE_S = 3.0  # after the kernel is ready: time for kernel_info and every extension to act


def _differences(on_disk, in_lab):
    """What the open notebook's model holds that the file does not (metadata, cell keys, format)."""
    found = []
    for key in ("nbformat", "nbformat_minor"):
        if on_disk.get(key) != in_lab.get(key):
            found.append(f"{key}: file {on_disk.get(key)!r}, JupyterLab {in_lab.get(key)!r}")
    disk_meta, lab_meta = on_disk.get("metadata", {}), in_lab.get("metadata", {})
    for key in sorted(set(disk_meta) | set(lab_meta)):
        if disk_meta.get(key) != lab_meta.get(key):
            found.append(f"metadata.{key}: file {disk_meta.get(key)!r}, JupyterLab {lab_meta.get(key)!r}")
    disk_cells, lab_cells = on_disk.get("cells", []), in_lab.get("cells", [])
    if len(disk_cells) != len(lab_cells):
        found.append(f"{len(disk_cells)} cells in the file, {len(lab_cells)} in JupyterLab")
    for i, (a, b) in enumerate(zip(disk_cells, lab_cells)):
        for key in sorted(set(a) | set(b)):
            va, vb = a.get(key), b.get(key)
            if key == "source":
                va = "".join(va) if isinstance(va, list) else va
                vb = "".join(vb) if isinstance(vb, list) else vb
            if va != vb:
                found.append(f"cell {i} {key}: file {json.dumps(va)[:120]}, JupyterLab {json.dumps(vb)[:120]}")
    return found


def _cleaner():
    spec = importlib.util.spec_from_file_location("clean_notebooks", ROOT / "tools" / "clean_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cleaner_writes_what_the_kernel_reports():
    """Without a browser: the cleaner writes the kernel's language_info and kernelspec, and is idempotent."""
    from ipykernel.ipkernel import IPythonKernel

    cleaner = _cleaner()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3"}, "language_info": {"name": "python"}}
    assert cleaner.clean(nb)
    assert nb.metadata["language_info"] == IPythonKernel.language_info
    assert nb.metadata["kernelspec"]["name"] == "python3" and nb.metadata["kernelspec"]["language"] == "python"
    assert not cleaner.clean(nb)


@pytest.mark.parametrize("name", release_notebooks())
def test_release_metadata_is_what_the_kernel_reports(name):
    """Without a browser: what JupyterLab writes on open is already in the file (but the Python patch release).

    Fails until release/ is regenerated (`make release`) with tools/clean_notebooks.py.
    """
    from ipykernel.ipkernel import IPythonKernel

    meta = nbformat.read(RELEASE / name, as_version=4).metadata
    info = dict(meta.get("language_info", {}))
    expected = dict(IPythonKernel.language_info)
    assert info.pop("version", "").rsplit(".", 1)[0] == expected.pop("version").rsplit(".", 1)[0], (
        f"{name}: language_info.version is not this Python's {sys.version.split()[0]}")
    assert info == expected, f"{name}: language_info {meta.get('language_info')} is not the kernel's; make release"
    assert meta.get("kernelspec") == _cleaner().kernelspec_metadata(meta.get("kernelspec", {}).get("name", "python3"))


@pytest.mark.browser
def test_release_notebook_opens_unmodified(shared_lab, lab_server, release_notebook):
    relpath = f"release/{release_notebook}"
    lab = shared_lab
    lab.open_in_app(relpath)
    page = lab.page
    page.evaluate("""async () => {
        const panel = window.jupyterapp.shell.currentWidget;
        const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
        if (kernel) { await kernel.info; }
    }""")
    time.sleep(SETTLE_S)
    state = page.evaluate("""() => {
        const app = window.jupyterapp, panel = app.shell.currentWidget;
        const tab = Array.from(document.querySelectorAll('.lm-DockPanel-tabBar .lm-TabBar-tab'))
            .find(t => t.classList.contains('lm-mod-current')) || null;
        return {
            modelDirty: panel.context.model.dirty,
            tabDirty: tab ? tab.classList.contains('jp-mod-dirty') : null,
            anyDirtyTab: document.querySelectorAll('.lm-TabBar-tab.jp-mod-dirty').length,
            panelDirty: panel.title.className.includes('jp-mod-dirty'),
            executed: panel.content.widgets.filter(c => c.model.type === 'code'
                && c.model.executionCount !== null).length,
            model: panel.context.model.toJSON(),
        };
    }""")
    assert state["executed"] == 0, "the test must not run any cell"
    on_disk = api(lab_server, "GET", f"/api/contents/{relpath}?content=1&type=notebook")["content"]
    changed = "\n  ".join(_differences(on_disk, state["model"])) or "(no difference in metadata or cell keys)"
    assert not (state["modelDirty"] or state["tabDirty"] or state["anyDirtyTab"] or state["panelDirty"]), (
        f"{release_notebook} opens marked as modified (model dirty {state['modelDirty']}, tab dirty "
        f"{state['tabDirty']}); JupyterLab changed:\n  {changed}\n"
        "Regenerate release/ (make release) if tools/clean_notebooks.py changed since it was built.")
