"""Targets, the readable table, and the results section of docs/performance.md."""

from __future__ import annotations

import os
from typing import Any

BEGIN = "<!-- bench-results:begin (written by `make bench`) -->"
END = "<!-- bench-results:end -->"


def _target(name: str, value: float | None, limit: float, unit: str, below: bool = True) -> dict[str, Any]:
    met = None if value is None else (value <= limit if below else value < limit)
    return {"name": name, "value": value, "limit": limit, "unit": unit, "met": met}


def _entries(section: Any) -> list[dict[str, Any]]:
    return section if isinstance(section, list) else []


def check_targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target of issues 7 and 12 with the measured value and whether it is met (None: not measured)."""
    out = []
    cold = results.get("cold_start", {})
    if "caseline_s" in cold:
        out.append(_target("cold start to first paint", cold["caseline_s"], 1.0, "s"))
        out.append(_target("cold start minus import floor", cold["difference_s"], 0.45, "s"))
    for e in _entries(results.get("load")):
        limit = 50.0 if e["format"] == "csv" else 200.0
        out.append(_target(f"load {e['format'].upper()} {e['events']:,} events", e["us_per_event"], limit,
                           "µs/event"))
        out.append(_target(f"load memory {e['format'].upper()} {e['events']:,} events", e["bytes_per_event"],
                           1024.0, "B/event"))
    resolution = _entries(results.get("resolution"))
    for e in resolution:
        out.append(_target(f"resolution {e['events']:,} events, new/old", e["ratio"], 2.0, "ratio"))
    if len(resolution) >= 2:
        small, large = resolution[0], resolution[-1]
        growth = large["new_us_per_event"] / small["new_us_per_event"]
        out.append(_target(f"resolution per event, {large['events']:,} / {small['events']:,} events", growth, 2.0,
                           "ratio"))
    frames = _entries(results.get("frames"))
    sizes = sorted({e["events"] for e in frames if e["cases"] == 1})
    for e in frames:
        if e["cases"] > 1 or (e["events"] == max(sizes) and e["events"] >= 100_000):
            limit = 16.7
        elif e["events"] >= 10_000 or (e["events"] == max(sizes)):
            limit = 8.0
        else:
            continue
        out.append(_target(f"pan/zoom {e['scene']} {e['view']}", e["caseline_ms"], limit, "ms/frame"))
    labels = results.get("labels", {})
    if "added_ms" in labels:
        out.append(_target(f"{labels['labels']:,} labels added", labels["added_ms"], 5.0, "ms/frame"))
    for e in _entries(results.get("export")):
        if not e.get("available"):
            out.append(_target(f"export {e['format'].upper()} {e['subject']}", None, 0.3, "s"))
            continue
        limit = 0.3 if e["format"] == "png" else 0.2
        out.append(_target(f"export {e['format'].upper()} {e['subject']}", e["caseline_s"], limit, "s"))
        if e["format"] == "png":
            out.append(_target(f"export PNG {e['subject']} caseline/matplotlib", e["ratio"], 1.0, "ratio",
                               below=False))
    return out


def _f(value: Any, digits: int = 1) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _md(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def table(results: dict[str, Any]) -> str:
    """The results as Markdown tables (readable on a terminal too)."""
    parts = []
    m = results["machine"]
    parts.append(f"Machine: {m['nproc']} CPUs, {m['cpu_model']}; Python {m['python']}, PySide6 {m['pyside6']} "
                 f"(Qt {m['qt']}), pyqtgraph {m['pyqtgraph']}, numpy {m['numpy']}; QT_QPA_PLATFORM=offscreen. "
                 f"{'QUICK MODE (tiny sizes, not for comparison). ' if results['quick'] else ''}"
                 f"Run {results['date']}, took {results.get('duration_s', 0):.0f} s.")
    cold = results["cold_start"]
    if "caseline_s" in cold:
        parts.append("**Cold start** (median of {} fresh processes)\n\n".format(cold["runs"]) + _md(
            ["`caseline --exit-after-paint` sample", "import floor (PySide6.QtWidgets + pyqtgraph)", "ratio",
             "difference"],
            [[f"{cold['caseline_s']:.2f} s", f"{cold['import_floor_s']:.2f} s", f"{cold['ratio']:.2f}",
              f"{cold['difference_s']:.2f} s"]]))
    else:
        parts.append(f"**Cold start**: {cold.get('note')}")
    load = _entries(results["load"])
    parts.append("**Load** (parse + validate + resolve; memory = peak RSS growth in a fresh process)\n\n" + _md(
        ["format", "events", "items", "runs", "seconds", "µs/event", "peak RSS Δ", "bytes/event"],
        [[e["format"].upper(), _f(e["events"]), _f(e["items"]), str(e["runs"]), _f(e["seconds"], 3),
          _f(e["us_per_event"]), f"{e['peak_rss_delta_bytes'] / 2**20:.1f} MiB", _f(e["bytes_per_event"], 0)]
         for e in load]) if load else f"**Load**: {results['load'].get('note')}")
    resolution = _entries(results.get("resolution"))
    if resolution:
        parts.append("**Resolution** (constraint engine vs the old interval resolver, same process, interleaved "
                     "runs, garbage collector paused; seconds: median, min-max)\n\n" + _md(
                         ["events", "items", "runs", "old resolver", "constraint engine", "new/old", "µs/event old",
                          "µs/event new"],
                         [[_f(e["events"]), _f(e["items"]), str(e["runs"]),
                           f"{e['old_median_s']:.3f} ({e['old_min_s']:.3f}-{e['old_max_s']:.3f})",
                           f"{e['new_median_s']:.3f} ({e['new_min_s']:.3f}-{e['new_max_s']:.3f})",
                           f"{e['ratio']:.2f}", _f(e["old_us_per_event"]), _f(e["new_us_per_event"])]
                          for e in resolution]))
    frames = _entries(results["frames"])
    parts.append("**Pan/zoom** (ms per frame at 1600x900, DPR 1; naive = one QGraphicsItem per mark, "
                 "no labels)\n\n" + _md(
                     ["scene", "view", "items", "marks", "caseline ms", "naive ms", "speed-up",
                      "build s (caseline / naive)"],
                     [[e["scene"], e["view"], _f(e["items"]), _f(e["marks"]), _f(e["caseline_ms"]), _f(e["naive_ms"]),
                       (f"{e['speedup']:.1f}x" if e["speedup"] else "n/a"),
                       f"{_f(e['caseline_build_s'], 2)} / {_f(e['naive_build_s'], 2)}"] for e in frames])
                 if frames else f"**Pan/zoom**: {results['frames'].get('note')}")
    labels = results["labels"]
    if "added_ms" in labels:
        parts.append("**Labels** (full view, ms per frame)\n\n" + _md(
            ["events", "labels", "labels on", "labels off", "added"],
            [[_f(labels["events"]), _f(labels["labels"]), _f(labels["labels_on_ms"]), _f(labels["labels_off_ms"]),
              _f(labels["added_ms"])]]))
    export = _entries(results["export"])
    parts.append("**Export** (174 mm wide, 300 dpi; seconds, median; in-process = cases already loaded; "
                 "process = whole command)\n\n" + _md(
                     ["subject", "format", "size px", "caseline", "matplotlib", "ratio", "caseline process",
                      "matplotlib process", "ratio"],
                     [[e["subject"], e["format"].upper(),
                       "x".join(str(v) for v in e["size_px"]) if e.get("size_px") else "n/a",
                       _f(e["caseline_s"], 3), _f(e["matplotlib_s"], 3), _f(e["ratio"], 2),
                       _f(e["caseline_process_s"], 2), _f(e["matplotlib_process_s"], 2), _f(e["process_ratio"], 2)]
                      for e in export]) if export else f"**Export**: {results['export'].get('note')}")
    targets = results.get("targets", [])
    parts.append("**Targets**\n\n" + _md(
        ["target", "measured", "limit", "met"],
        [[t["name"], f"{_f(t['value'], 2)} {t['unit']}", f"{'<' if t['unit'] == 'ratio' else '<='} "
          f"{_f(t['limit'], 2)} {t['unit']}", {True: "yes", False: "**no**", None: "not measured"}[t["met"]]]
         for t in targets]))
    return "\n\n".join(parts) + "\n"


def write_doc(path: str, results: dict[str, Any]) -> None:
    """Replace the results section of the performance page (between the markers)."""
    block = f"{BEGIN}\n\n{table(results)}\n{END}"
    text = ""
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            text = f.read()
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        text = head + block + tail
    else:
        text = (text or "# Performance\n\n") + "\n## Latest results\n\n" + block + "\n"
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
