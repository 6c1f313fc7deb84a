"""Targets (issue 18), the check that every measurement measured something, the readable tables, the
scaling plot, and the results section of docs/performance.md."""

from __future__ import annotations

import math
import os
from typing import Any

BEGIN = "<!-- bench-results:begin (written by `make bench`) -->"
END = "<!-- bench-results:end -->"

#: caseline / baseline at most this, per scene and view (median of the per-repetition ratios)
RATIO_LIMIT = 1.5
INTERACTION_MS = 50.0
DRAG_FPS = 60.0


def _target(name: str, value: float | None, limit: float, unit: str, below: bool = True,
            spread: dict[str, float] | None = None) -> dict[str, Any]:
    met = None if value is None else (value <= limit if below else value >= limit)
    return {"name": name, "value": value, "limit": limit, "unit": unit, "below": below, "met": met,
            "min": spread.get("min") if spread else None, "max": spread.get("max") if spread else None}


def _spread(entry: dict[str, Any], name: str, digits: int) -> str:
    """An export entry's median of ``name`` with its min-max when the run recorded them."""
    value = entry.get(name if name == "ratio" else f"{name}_s")
    found = entry.get(f"{name}_spread")
    if value is None or not found:
        return _f(value, digits)
    return f"{_f(value, digits)} ({_f(found['min'], digits)}-{_f(found['max'], digits)})"


def _entries(section: Any) -> list[dict[str, Any]]:
    return section if isinstance(section, list) else []


def _m(entry: dict[str, Any], kind: str) -> dict[str, Any]:
    return entry.get("measurements", {}).get(kind, {})


def check_targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each goal of issue 18 with the measured value (median, and min-max) and whether it is met."""
    out = []
    cold = results.get("cold_start", {})
    if "difference_s" in cold:
        d = cold["difference_s"]
        out.append(_target("cold start minus bare PySide6+pyqtgraph window", d["median"], 0.3, "s", spread=d))
    for e in _entries(results.get("load")):
        fmt = e["format"].upper()
        limit = 5.0 if e["format"] == "csv" else 50.0
        out.append(_target(f"load {fmt} {e['events']:,} events", e["us_per_event"], limit, "µs/event"))
        out.append(_target(f"memory after load {fmt} {e['events']:,} events", e["bytes_per_event"], 300.0,
                           "B/event"))
    resolution = _entries(results.get("resolution"))
    for e in resolution:
        out.append(_target(f"resolution {e['events']:,} events, new/old", e["ratio"], 2.0, "ratio"))
    if len(resolution) >= 2:
        small, large = resolution[0], resolution[-1]
        growth = large["new_us_per_event"] / small["new_us_per_event"]
        out.append(_target(f"resolution per event, {large['events']:,} / {small['events']:,} events", growth, 2.0,
                           "ratio"))
    for e in _entries(results.get("frames")):
        for view in ("full", "zoomed", "drag", "zoom"):
            ratio = _m(e, view).get("ratio_to_batched")
            if ratio and (e["cases"] == 1 or e["scene"] == "200x200"):
                out.append(_target(f"{view} {e['scene']}: caseline / batched baseline", ratio["median"], RATIO_LIMIT,
                                   "x", spread=ratio))
        drag = _m(e, "drag").get("caseline")
        if drag and e["cases"] == 1 and e["events"] <= 100_000:
            ms = drag["ms"]
            out.append(_target(f"drag {e['scene']}: frames/s (paints per step {drag['paints_per_step']['median']:g})",
                               1000.0 / ms["median"], DRAG_FPS, "frames/s", below=False,
                               spread={"min": 1000.0 / ms["max"], "max": 1000.0 / ms["min"]}))
        if e["cases"] >= 10_000:
            full = _m(e, "full").get("caseline")
            if full:
                out.append(_target(f"swimmer-size comparison {e['scene']} full view", full["ms"]["median"], 16.7,
                                   "ms/frame", spread=full["ms"]))
        for kind, label in (("hover", "hover feedback"), ("click", "click to details"),
                            ("switch_align", "switch alignment"), ("switch_sort", "switch sort"),
                            ("reload", "live reload, after the load,")):
            found = _m(e, kind).get("caseline")
            if found:
                out.append(_target(f"{label} {e['scene']}", found["ms"]["median"], INTERACTION_MS, "ms",
                                   spread=found["ms"]))
    for e in _entries(results.get("load")):
        if e["format"] == "csv" and "layout_s" in e and e["events"] >= 10_000:  # (below: fixed costs dominate)
            ms = {k: v * 1e3 for k, v in e["layout_s"].items() if k != "n"}
            out.append(_target(f"layout {e['events']:,} events on the GUI thread (0.2 s at 1M, scaled linearly)",
                               ms["median"], 200.0 * e["events"] / 1_000_000, "ms", spread=ms))
        if e["format"] == "csv" and "layout_1m_s" in e:
            out.append(_target(f"layout {e['layout_1m_events']:,} events on the GUI thread (columns made on the "
                               "loading thread)", e["layout_1m_s"]["median"], 0.2, "s", spread=e["layout_1m_s"]))
    for e in _entries(results.get("export")):
        if e.get("available") and e["format"] == "png":
            out.append(_target(f"export PNG {e['subject']} caseline/matplotlib", e["ratio"], 1.0, "ratio",
                               spread=e.get("ratio_spread")))
    imported = results.get("importing") or {}
    if "import_s" in imported:
        out.append(_target(f"import a {imported['subjects']}-subject SDTM study (convert + write; issue 15)",
                           imported["import_s"]["median"], 10.0, "s", spread=imported["import_s"]))
    return out


def problems(results: dict[str, Any]) -> list[str]:
    """Every measurement that is empty, zero, negative or not a number, and every section that failed:
    a benchmark must not pass by measuring nothing."""
    found: list[str] = []

    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict):
            if value.get("available") is False:
                found.append(f"{path}: {value.get('note', 'not available')}")
            for key, item in value.items():
                # peak RSS is context only (it rounds to 0 below the warm-up's peak); retained_bytes is the measure.
                # A difference of two measurements (cold start minus the bare window) may be zero or negative
                # when caseline starts as fast: the two measurements it is made of are checked instead
                skipped = ("min", "max", "exit_status", "dirty", "peak_rss_delta_bytes")
                if key in skipped or key.startswith("difference"):
                    continue
                walk(item, f"{path}.{key}")
        elif isinstance(value, list):
            if not value and not path.endswith(("problems", "undated")):
                found.append(f"{path}: empty")
            for k, item in enumerate(value):
                walk(item, f"{path}[{k}]")
        elif isinstance(value, bool) or value is None:
            return
        elif isinstance(value, int | float):
            last = path.rsplit(".", 1)[-1]
            measured = last in ("median", "seconds", "us_per_event", "bytes_per_event", "retained_bytes", "ratio",
                                "caseline_s", "matplotlib_s")
            if measured and (not math.isfinite(value) or value <= 0):
                found.append(f"{path} = {value}")

    for section in ("cold_start", "load", "frames", "export", "importing"):
        walk(results.get(section), section)
    if results.get("cold_start", {}).get("exit_status"):
        found.append("cold_start: a process exited with an error")
    return found


def _f(value: Any, digits: int = 1) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _s(spread: dict[str, float] | None, digits: int = 1, scale: float = 1.0) -> str:
    """'median (min-max)'."""
    if not spread:
        return "n/a"
    return (f"{spread['median'] * scale:,.{digits}f} ({spread['min'] * scale:,.{digits}f}-"
            f"{spread['max'] * scale:,.{digits}f})")


def _md(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def table(results: dict[str, Any]) -> str:
    """The results as Markdown tables (readable on a terminal too)."""
    parts = []
    m = results["machine"]
    c = results.get("commit", {})
    parts.append(f"Machine: {m['nproc']} CPUs, {m['cpu_model']}; Python {m['python']}, PySide6 {m['pyside6']} "
                 f"(Qt {m['qt']}), pyqtgraph {m['pyqtgraph']}, numpy {m['numpy']}; QT_QPA_PLATFORM=offscreen. "
                 f"{'QUICK MODE (tiny sizes, not for comparison). ' if results['quick'] else ''}"
                 f"Commit {c.get('sha', '?')[:10]}{' + uncommitted changes' if c.get('dirty') else ''}. "
                 f"Run {results['date']}, took {results.get('duration_s', 0):.0f} s. Figures are medians "
                 f"(min-max) of repeated samples; ratios are taken per interleaved repetition.")
    cold = results["cold_start"]
    if "difference_s" in cold:
        parts.append(f"**Cold start** (launch to the first painted window; {cold['runs']} runs each, alternating)"
                     "\n\n" + _md(["caseline --exit-after-paint sample", "bare PySide6+pyqtgraph window, one plot",
                                   "difference"],
                                  [[_s(cold["caseline_s"], 2), _s(cold["bare_window_s"], 2),
                                    _s(cold["difference_s"], 2)]]))
    else:
        parts.append(f"**Cold start**: {cold.get('note')}")
    load = _entries(results["load"])
    if load:
        parts.append("**Load** (parse + validate + resolve; memory = bytes still held after the load, traced; "
                     "columns = each case's layout columns, made by the window's loading thread after the load; "
                     "layout = what the GUI thread then does, composing them; unprepared = a layout making the "
                     "columns itself, as a command-line export does)\n\n" + _md(
                         ["format", "events", "items", "seconds", "µs/event", "bytes/event", "peak RSS Δ MiB",
                          "columns s", "layout s", "unprepared s"],
                         [[e["format"].upper(), _f(e["events"]), _f(e["items"]), _s(e["seconds"], 3),
                           _f(e["us_per_event"]), _f(e["bytes_per_event"], 0),
                           _s(e["peak_rss_delta_bytes"], 1, 1 / 2**20), _s(e.get("columns_s"), 3),
                           _s(e.get("layout_s"), 3), _s(e.get("layout_unprepared_s"), 3)] for e in load]))
        million = [e for e in load if "layout_1m_s" in e]
        if million:
            parts.append("**Layout of a million events** (the 100,000-event file's cases repeated; columns made "
                         "ahead, composed on the GUI thread): " + "; ".join(
                             f"{e['format'].upper()}: {_s(e['layout_1m_s'], 3)} s for {_f(e['layout_1m_events'])} "
                             "events" for e in million))
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
    if frames:
        rows = []
        for e in frames:
            for view in ("full", "zoomed", "drag", "zoom"):
                meas = _m(e, view)
                if "caseline" not in meas:
                    continue
                rows.append([e["scene"], view, _f(e["items"]), _s(meas["caseline"]["ms"]),
                             _f(meas["caseline"]["paints_per_step"]["median"], 2),
                             _s(meas.get("batched", {}).get("ms")), _s(meas.get("ratio_to_batched"), 2),
                             _s(meas.get("batched_lazy", {}).get("ms")),
                             _s(meas.get("naive", {}).get("ms")),
                             _s(meas.get("caseline_no_labels", {}).get("ms"))])
        parts.append("**Frames** (ms per pan step at 1600x900, DPR 1; drag = a real mouse move with the button "
                     "held; batched = one item per layer, culled arrays to drawRects, eager matrix update; lazy = "
                     "the same without it; naive = one QGraphicsItem per mark; paints counted on the viewport)"
                     "\n\n" + _md(["scene", "step", "items", "caseline ms", "paints/step", "batched ms",
                                   "caseline / batched", "batched lazy ms", "naive ms", "caseline, labels off"],
                                  rows))
        inter = []
        for e in frames:
            for kind in ("hover", "repaint", "click", "reload", "switch_align", "switch_sort"):
                found = _m(e, kind).get("caseline")
                if found:
                    inter.append([e["scene"], kind, _s(found["ms"]), _f(found["paints_per_step"]["median"], 2)])
        if inter:
            parts.append("**Interactions** (ms from the event to its result painted; repaint = a full repaint of "
                         "the same view, for scale)\n\n" + _md(["scene", "interaction", "ms", "paints"], inter))
    export = _entries(results["export"])
    if export:
        parts.append("**Export** (174 mm wide, 300 dpi; seconds, median (min-max) of repetitions timing caseline and "
                     "matplotlib in turn; ratio per repetition; in-process = cases already loaded; "
                     "process = whole command)\n\n" + _md(
                         ["subject", "format", "size px", "caseline", "matplotlib", "ratio", "caseline process",
                          "matplotlib process"],
                         [[e["subject"], e["format"].upper(),
                           "x".join(str(v) for v in e["size_px"]) if e.get("size_px") else "n/a",
                           _spread(e, "caseline", 3), _spread(e, "matplotlib", 3), _spread(e, "ratio", 2),
                           _f(e["caseline_process_s"], 2), _f(e["matplotlib_process_s"], 2)] for e in export]))
    imported = results.get("importing") or {}
    if "import_s" in imported:
        parts.append(f"**Import** (a generated SDTM study in XPT: {imported['subjects']} subjects, "
                     f"{imported['records']:,} records; {imported['runs']} runs; seconds, median (min-max); "
                     "import = convert + write, what `caseline import` and File > Import do; load = open the "
                     "result)\n\n" + _md(
                         ["cases", "events", "convert", "write", "import", "load", "file MB"],
                         [[_f(imported["cases"]), _f(imported["events"]), _s(imported["convert_s"], 2),
                           _s(imported["write_s"], 2), _s(imported["import_s"], 2), _s(imported["load_s"], 2),
                           _f(imported["file_mb"], 2)]]))
    elif imported:
        parts.append(f"**Import**: {imported.get('note')}")
    targets = results.get("targets", [])
    parts.append("**Targets** (issues 18 and 15)\n\n" + _md(
        ["target", "measured (min-max)", "limit", "met"],
        [[t["name"], f"{_f(t['value'], 2)} {t['unit']}"
          + (f" ({_f(t['min'], 2)}-{_f(t['max'], 2)})" if t.get("min") is not None else ""),
          f"{'<=' if t.get('below', True) else '>='} {_f(t['limit'], 3 if t['limit'] < 0.1 else 2)}",
          {True: "yes", False: "**no**", None: "not measured"}[t["met"]]] for t in targets]))
    issues = results.get("problems", [])
    if issues:
        parts.append("**Measurement problems** (the run fails)\n\n" + "\n".join(f"- {p}" for p in issues))
    return "\n\n".join(parts) + "\n"


def scaling_plot(results: dict[str, Any], path: str) -> None:
    """ms per full-view frame against events (one case) and against cases, caseline and baselines."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    frames = _entries(results.get("frames"))
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for ax, single, title in ((axes[0], True, "one case"), (axes[1], False, "comparison (cases)")):
        chosen = sorted((e for e in frames if (e["cases"] == 1) == single),
                        key=lambda e: e["events"] if single else e["cases"])
        xs = [e["events"] if single else e["cases"] for e in chosen]
        for name, style in (("caseline", "o-"), ("batched", "s--"), ("naive", "x:")):
            pts = [(x, _m(e, "full")[name]["ms"]) for x, e in zip(xs, chosen, strict=True) if name in _m(e, "full")]
            if not pts:
                continue
            ax.errorbar([p[0] for p in pts], [p[1]["median"] for p in pts],
                        yerr=[[p[1]["median"] - p[1]["min"] for p in pts], [p[1]["max"] - p[1]["median"] for p in pts]],
                        fmt=style, capsize=3, label=name)
        if not single:  # the scenes differ in events per case too: say which each point is
            for x, e in zip(xs, chosen, strict=True):
                full = _m(e, "full").get("caseline")
                if full:
                    ax.annotate(e["scene"], (x, full["ms"]["median"]), textcoords="offset points", xytext=(4, 6),
                                fontsize=7, color="#1f4e79")
        ax.axhline(16.7, color="grey", lw=0.8, ls="--")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _pos: f"{v:g}"))
        ax.yaxis.set_minor_formatter(matplotlib.ticker.FuncFormatter(
            lambda v, _pos: f"{v:g}" if str(f"{v:g}")[0] in "25" else ""))
        ax.set_xlabel("events" if single else "cases (scene: cases x events per case)")
        ax.set_ylabel("ms per full-view pan step")
        ax.set_title(title)
        ax.legend()
    sha = results.get("commit", {}).get("sha", "")[:10]
    fig.suptitle(f"caseline frames at 1600x900 (commit {sha}); dashed line: 60 frames/s")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


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
