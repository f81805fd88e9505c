"""How quickly each course widget redraws when a student moves one of its sliders.

Starts a real IPython kernel (jupyter_client), and in it, as a notebook would: imports every
widget function in course/widgets/*.py (names ending in _explorer, _visualizer or _dashboard,
plus EXTRA below), builds the widget, finds its sliders and sets each slider's value N times.
Slider observers redraw synchronously (update the artists, render the PNG into the Output
widget), so the time of `slider.value = v` is the time from slider change to redrawn figure.
Each change is also checked to have made a new PNG picture for the frontend (IPython's display
formatter turned it into an image/png bundle, or a text/html one holding an <img> with the PNG as a
data URI and an alt text, which is how course.plots shows pictures), whichever way the widget renders it (savefig, or
blitting a cached background); the PNGs the kernel then sends are measured from its outgoing
messages, whichever way they go (a display message from inside an Output widget, or the Output
widget's new ``outputs`` state, which is not sent again when the picture did not change).

    .venv/bin/python benchmarks/widget_latency.py            # all widgets, N=40
    .venv/bin/python benchmarks/widget_latency.py -n 10 loss # only course/widgets/loss.py

Prints per widget and slider the median and p95 in ms, the mean size of the PNGs sent,
the time to build the widget, and whether it meets the target (median at most 33 ms, 30 frames a
second; p95 < 100 ms).
Exit status 1 if any misses it.
Numbers depend on the machine and its load; compare runs on the same machine.
"""
import argparse
import json
import math
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WIDGETS = ROOT / "course" / "widgets"
SUFFIXES = ("_explorer", "_visualizer", "_dashboard")
# Widget functions to time whose names do not follow the suffix convention: "module:function".
EXTRA = []
TARGET_MEDIAN_MS, TARGET_P95_MS = 33.0, 100.0  # 30 frames a second
MARKER = "@@widget-latency@@"

# Runs inside the kernel. Keeps to the standard library, ipywidgets and matplotlib.
KERNEL_CODE = r'''
import importlib, inspect, json, sys, time, io, contextlib
import ipywidgets as widgets

# Measure the PNG pictures the kernel sends (what a frontend receives and draws): display
# messages, and widget state updates that carry an Output widget's outputs. The original send
# still runs, so its cost (serializing, signing, sending) is part of the timing.
_sent = {"bytes": 0}
_session = get_ipython().kernel.session
_send = _session.send
import re
_IMG = re.compile(r'<img [^>]*src="data:image/png;base64,([^"]+)"')
def _png_of(data):
    """The PNG (base64) a display bundle shows: image/png, or an HTML <img> with a data URI."""
    if not isinstance(data, dict):
        return None
    if data.get("image/png"):
        return data["image/png"]
    found = _IMG.search(data.get("text/html") or "")
    return found.group(1) if found else None
def _pngs(content):
    if not isinstance(content, dict):
        return []
    data = content.get("data")
    if _png_of(data):  # display_data
        return [_png_of(data)]
    outputs = ((data or {}).get("state") or {}).get("outputs") if isinstance(data, dict) else None
    return [_png_of(o.get("data")) for o in outputs or () if _png_of(o.get("data"))]
def _counting_send(stream, msg_or_type, content=None, *args, **kwargs):
    if isinstance(msg_or_type, dict):
        content = msg_or_type.get("content")
    for png in _pngs(content):
        _sent["bytes"] += len(png) * 3 // 4 if isinstance(png, str) else len(png)
    return _send(stream, msg_or_type, content, *args, **kwargs)
_session.send = _counting_send
# Count the PNG pictures made (formatted for display), sent or not.
_made = {"n": 0}
_formatter = get_ipython().display_formatter
_format = _formatter.format
def _counting_format(obj, *args, **kwargs):
    data, metadata = _format(obj, *args, **kwargs)
    _made["n"] += bool(_png_of(data))
    return data, metadata
_formatter.format = _counting_format

def _sliders(widget, seen=None):
    seen = set() if seen is None else seen
    if id(widget) in seen:
        return []
    seen.add(id(widget))
    found = [widget] if type(widget).__name__.endswith("Slider") and hasattr(widget, "step") else []
    for child in getattr(widget, "children", ()) or ():
        found += _sliders(child, seen)
    return found

def _values(slider, n):
    """n + 1 in-range values on the slider's step grid, spread over the range, never twice in a row."""
    log = type(slider).__name__.startswith("FloatLog")
    is_int = isinstance(slider.value, int)
    steps = max(1, int(round((slider.max - slider.min) / slider.step)))
    def at(k):
        v = min(slider.min + k * slider.step, slider.max)
        v = slider.base ** v if log else v
        return int(round(v)) if is_int else float(v)
    out, previous = [], slider.value
    for i in range(n + 1):
        k = round(steps * ((i * 0.618034) % 1.0))
        v = at(k)
        if v == previous:
            v = at((k + 1) % (steps + 1))
        out.append(v)
        previous = v
    return out

def _measure(qualname, n):
    module_name, func_name = qualname.split(":")
    func = getattr(importlib.import_module(module_name), func_name)
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        start = time.perf_counter()
        widget = func()
        build_ms = (time.perf_counter() - start) * 1000
        result = {"widget": qualname, "build_ms": build_ms, "sliders": []}
        for slider in _sliders(widget):
            original = slider.value
            values = _values(slider, n)
            slider.value = values[0]  # warm-up, not counted
            times, unrendered, png_bytes = [], 0, 0
            for v in values[1:]:
                before_made, before_bytes = _made["n"], _sent["bytes"]
                start = time.perf_counter()
                slider.value = v
                times.append((time.perf_counter() - start) * 1000)
                unrendered += _made["n"] == before_made
                png_bytes += _sent["bytes"] - before_bytes
            slider.value = original
            result["sliders"].append({
                "description": slider.description, "type": type(slider).__name__,
                "range": [slider.min, slider.max], "times_ms": times, "unrendered": unrendered,
                "png_kb_mean": png_bytes / 1024 / max(1, len(times)),
            })
    result["stderr"] = stderr.getvalue()[-500:]
    return result
'''


def discover(only=None):
    """`course.widgets.<module>:<function>` for every widget function, by naming convention plus EXTRA."""
    import ast

    found = []
    for path in sorted(WIDGETS.glob("*.py")):
        if path.name.startswith("_") or (only and path.stem not in only):
            continue
        tree = ast.parse(path.read_text())
        found += [f"course.widgets.{path.stem}:{node.name}" for node in tree.body
                  if isinstance(node, ast.FunctionDef) and node.name.endswith(SUFFIXES)]
    found += [f"course.widgets.{name}" for name in EXTRA if not only or name.split(":")[0] in only]
    return found


def percentile(values, q):
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def run_in_kernel(kc, code, timeout=600):
    """Execute code; return the JSON objects it printed after MARKER, and any error."""
    lines, errors = [], []

    def hook(msg):
        content = msg["content"]
        if msg["msg_type"] == "stream" and content["name"] == "stdout":
            lines.append(content["text"])
        elif msg["msg_type"] == "error":
            errors.append(f"{content['ename']}: {content['evalue']}")

    kc.execute_interactive(code, output_hook=hook, timeout=timeout, store_history=False)
    results = [json.loads(line[len(MARKER):]) for line in "".join(lines).splitlines()
               if line.startswith(MARKER)]
    return results, errors


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=40, help="value changes per slider (default 40)")
    parser.add_argument("modules", nargs="*", help="only these course/widgets modules (e.g. loss descent)")
    args = parser.parse_args()

    from jupyter_client.manager import KernelManager

    targets = discover(args.modules)
    if not targets:
        sys.exit("no widget functions found")
    # IPC transport: local sockets, no "running over TCP without encryption" warning.
    km = KernelManager(kernel_name="python3", transport="ipc")
    km.start_kernel(cwd=str(ROOT))
    kc = km.client()
    kc.start_channels()
    failures = []
    try:
        kc.wait_for_ready(timeout=60)
        run_in_kernel(kc, KERNEL_CODE)
        print(f"{'widget / slider':58} {'median':>8} {'p95':>8} {'png KB':>8}  (ms, N={args.n})")
        for target in targets:
            code = f"print({MARKER!r} + json.dumps(_measure({target!r}, {args.n})))"
            results, errors = run_in_kernel(kc, code)
            if errors or not results:
                failures.append(target)
                print(f"{target}: FAILED {errors}")
                continue
            result = results[0]
            print(f"{target}  (build {result['build_ms']:.0f} ms)")
            if not result["sliders"]:
                print("    no sliders found")
            for s in result["sliders"]:
                med, p95 = percentile(s["times_ms"], 50), percentile(s["times_ms"], 95)
                ok = med <= TARGET_MEDIAN_MS and p95 < TARGET_P95_MS and not s["unrendered"]
                if not ok:
                    failures.append(f"{target} / {s['description']}")
                note = "" if not s["unrendered"] else f"  {s['unrendered']} changes drew no figure"
                label = f"  {s['description']} [{s['type']} {s['range'][0]:g}..{s['range'][1]:g}]"
                print(f"{label:58} {med:8.1f} {p95:8.1f} {s['png_kb_mean']:8.1f}  "
                      f"{'ok' if ok else 'MISS'}{note}")
            if result["stderr"].strip():
                print(textwrap.indent("stderr: " + result["stderr"].strip(), "    "))
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    print(f"target: median at most {TARGET_MEDIAN_MS:g} ms and p95 < {TARGET_P95_MS:g} ms per slider; "
          "'png KB' = mean size of the PNGs sent per change (an unchanged picture is not sent again).")
    if failures:
        print("MISSED: " + "; ".join(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
