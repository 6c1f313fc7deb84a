"""Run the benchmark suite: ``make bench`` or ``python -m benchmarks.run [--quick]``.

Writes results.json (fields documented in docs/performance.md), prints a table, and rewrites
docs/performance.md's results section. Every measurement runs in a fresh process so one
benchmark's memory or Qt state cannot bias another. ``--quick`` uses tiny sizes and single runs
(for tests/test_bench_smoke.py: it checks the suite runs and every field is there, not speed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from typing import Any

from benchmarks import generate
from benchmarks.measure import (
    ROOT,
    SAMPLE_CASE,
    SAMPLE_CASESET,
    machine,
    median,
    process_seconds,
    run_worker,
)
from benchmarks.report import check_targets, table, write_doc

RESULTS = os.path.join(ROOT, "benchmarks", "results.json")
DOC = os.path.join(ROOT, "docs", "performance.md")


@dataclass(frozen=True)
class Plan:
    """Sizes and repeat counts of one run of the suite."""

    startup_runs: int
    load_sizes: tuple[int, ...]
    load_runs: dict[int, int]
    frame_sizes: tuple[int, ...]
    comparison: tuple[int, int]  # cases x events per case
    frames: int
    naive_frames: dict[int, int]
    label_events: int
    export_runs: int
    export_process_runs: int
    resolution_runs: dict[int, int]  # events -> interleaved runs of each resolver (issue 12)


FULL = Plan(startup_runs=5, load_sizes=(1_000, 10_000, 100_000), load_runs={1_000: 5, 10_000: 3, 100_000: 3},
            frame_sizes=(1_000, 10_000, 100_000), comparison=(20, 500), frames=30,
            naive_frames={1_000: 20, 10_000: 10, 100_000: 4, -1: 10}, label_events=1_000, export_runs=5,
            export_process_runs=3, resolution_runs={10_000: 7, 100_000: 5})
QUICK = Plan(startup_runs=1, load_sizes=(100, 300), load_runs={100: 1, 300: 1}, frame_sizes=(300,),
             comparison=(3, 100), frames=3, naive_frames={300: 2, -1: 2}, label_events=300, export_runs=1,
             export_process_runs=1, resolution_runs={100: 1, 300: 1})


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def caseline_command() -> list[str]:
    script = os.path.join(os.path.dirname(sys.executable), "caseline")
    return [script] if os.path.exists(script) else [sys.executable, "-m", "caseline"]


def bench_startup(plan: Plan) -> dict[str, Any]:
    _log("cold start ...")
    floor, _ = process_seconds([sys.executable, "-c", "import PySide6.QtWidgets, pyqtgraph"], plan.startup_runs)
    app, status = process_seconds([*caseline_command(), "--exit-after-paint", SAMPLE_CASE], plan.startup_runs)
    app_s, floor_s = median(app), median(floor)
    return {"runs": plan.startup_runs, "caseline_s": app_s, "import_floor_s": floor_s,
            "ratio": app_s / floor_s, "difference_s": app_s - floor_s, "exit_status": status,
            "caseline_samples_s": app, "import_floor_samples_s": floor}


def bench_load(plan: Plan, files: dict[int, generate.Generated]) -> list[dict[str, Any]]:
    out = []
    for n in plan.load_sizes:
        for fmt in ("yaml", "csv"):
            path = files[n].yaml_path if fmt == "yaml" else files[n].csv_path
            _log(f"load {fmt} {n} events ...")
            runs = [run_worker("loading", path) for _ in range(plan.load_runs[n])]
            seconds = median([r["seconds"] for r in runs])
            rss = median([r["rss_delta_bytes"] for r in runs])
            out.append({"format": fmt, "events": n, "items": runs[0]["items"], "ok": all(r["ok"] for r in runs),
                        "runs": len(runs), "file_bytes": os.path.getsize(path), "seconds": seconds,
                        "us_per_event": seconds / n * 1e6, "peak_rss_delta_bytes": rss,
                        "bytes_per_event": rss / n, "memory_method": "ru_maxrss delta in a fresh process"})
    return out


def bench_resolution(plan: Plan, files: dict[int, generate.Generated]) -> list[dict[str, Any]]:
    """The constraint engine against the old resolver, same process, interleaved (issue 12)."""
    out = []
    for n, runs in sorted(plan.resolution_runs.items()):
        _log(f"resolution {n} events, new vs old ...")
        raw = run_worker("resolution", files[n].yaml_path, "--runs", str(runs), timeout=1800)
        out.append(raw)
    return out


def _frame_entry(scene: str, events: int, raw: dict[str, Any]) -> list[dict[str, Any]]:
    entries = []
    for view in ("full", "zoomed"):
        entry = {"scene": scene, "events": events, "view": view, "cases": raw["cases"], "items": raw["items"],
                 "marks": raw["marks"], "labels": raw["labels"], "rows": raw["rows"], "dpr": raw["dpr"],
                 "viewport": raw["viewport"], "frames": raw[view]["frames"], "caseline_ms": raw[view]["ms"],
                 "paints_per_frame": raw[view]["paints_per_frame"], "caseline_build_s": raw["build_s"],
                 "naive_ms": None, "naive_build_s": None, "speedup": None}
        naive = raw.get(f"naive_{view}")
        if naive is not None:
            entry.update(naive_ms=naive["ms"], naive_build_s=raw["naive_build_s"],
                         speedup=naive["ms"] / raw[view]["ms"])
        entries.append(entry)
    return entries


def bench_frames(plan: Plan, files: dict[int, generate.Generated], comparison: generate.Generated
                 ) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for n in plan.frame_sizes:
        _log(f"pan/zoom 1 case x {n} events ...")
        raw = run_worker("frames", files[n].yaml_path, "--frames", str(plan.frames), "--naive-frames",
                         str(plan.naive_frames[n]))
        out.extend(_frame_entry(f"1x{n}", n, raw))
    cases, per_case = plan.comparison
    _log(f"pan/zoom comparison {cases} x {per_case} events ...")
    raw = run_worker("frames", comparison.yaml_path, "--frames", str(plan.frames), "--naive-frames",
                     str(plan.naive_frames[-1]))
    out.extend(_frame_entry(f"{cases}x{per_case}", cases * per_case, raw))
    return out


def bench_labels(plan: Plan, files: dict[int, generate.Generated]) -> dict[str, Any]:
    _log("labels on/off ...")
    n = plan.label_events
    raw = run_worker("frames", files[n].yaml_path, "--frames", str(plan.frames), "--labels")
    on, off = raw["labels_on"]["ms"], raw["labels_off"]["ms"]
    return {"events": n, "labels": raw["labels"], "view": "full", "frames": plan.frames, "labels_on_ms": on,
            "labels_off_ms": off, "added_ms": on - off}


def bench_export(plan: Plan, workdir: str) -> list[dict[str, Any]]:
    out = []
    for subject, path in (("sample case", SAMPLE_CASE), ("comparison set", SAMPLE_CASESET)):
        _log(f"export {subject} ...")
        raw = run_worker("exporting", path, "--runs", str(plan.export_runs), "--out", workdir)
        for fmt in ("png", "svg", "pdf"):
            inproc = raw[fmt]
            target = os.path.join(workdir, f"process.{fmt}")
            entry: dict[str, Any] = {
                "subject": subject, "file": os.path.relpath(path, ROOT), "format": fmt, "cases": raw["cases"],
                "width_mm": 174.0, "dpi": 300.0, "height_mm": raw.get("height_mm"),
                "size_px": inproc.get("size_px"), "available": "caseline_s" in inproc,
                "note": raw.get("caseline_error", ""),
                "caseline_s": inproc.get("caseline_s"), "matplotlib_s": inproc["matplotlib_s"],
                "ratio": None, "caseline_process_s": None, "matplotlib_process_s": None, "process_ratio": None,
            }
            if entry["available"]:
                entry["ratio"] = entry["caseline_s"] / entry["matplotlib_s"]
                times, status = process_seconds([*caseline_command(), "export", path, "-o", target, "-q"],
                                                plan.export_process_runs)
                if status == 0:
                    entry["caseline_process_s"] = median(times)
                else:
                    entry["note"] = f"caseline export exited {status}"
            extra = ["--height-mm", str(raw["height_mm"])] if raw.get("height_mm") else []
            times, _ = process_seconds([sys.executable, "-m", "benchmarks.matplotlib_equivalent", path, "-o",
                                        target, *extra], plan.export_process_runs)
            entry["matplotlib_process_s"] = median(times)
            if entry["caseline_process_s"]:
                entry["process_ratio"] = entry["caseline_process_s"] / entry["matplotlib_process_s"]
            out.append(entry)
    return out


def _guard(name: str, func, *args):  # type: ignore[no-untyped-def]
    """Run one benchmark; a failure becomes a 'not available' entry instead of ending the suite."""
    try:
        return func(*args)
    except Exception as exc:
        _log(f"{name}: not available: {exc}")
        return {"available": False, "note": f"not available: {str(exc)[-500:]}"}


def run(quick: bool = False, out: str = RESULTS, doc: str | None = DOC) -> dict[str, Any]:
    plan = QUICK if quick else FULL
    started = time.perf_counter()
    workdir = tempfile.mkdtemp(prefix="caseline-bench-")
    try:
        _log(f"generating case files in {workdir} ...")
        sizes = sorted(set(plan.load_sizes) | set(plan.frame_sizes) | {plan.label_events} | set(plan.resolution_runs))
        files = {n: generate.generate(workdir, n) for n in sizes}
        comparison = generate.generate(workdir, plan.comparison[1], plan.comparison[0])
        results: dict[str, Any] = {
            "schema": 1,
            "quick": quick,
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "machine": machine(),
            "view": {"width": 1600, "height": 900, "dpr": 1},
            "cold_start": _guard("cold start", bench_startup, plan),
            "load": _guard("load", bench_load, plan, files),
            "resolution": _guard("resolution", bench_resolution, plan, files),
            "frames": _guard("frames", bench_frames, plan, files, comparison),
            "labels": _guard("labels", bench_labels, plan, files),
            "export": _guard("export", bench_export, plan, workdir),
        }
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    results["duration_s"] = time.perf_counter() - started
    results["targets"] = check_targets(results)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(results, f, indent=1)
        f.write("\n")
    print(table(results))
    if doc is not None:
        write_doc(doc, results)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, single runs: checks the suite works")
    parser.add_argument("--out", default=None, help=f"results file (default {os.path.relpath(RESULTS, ROOT)})")
    parser.add_argument("--doc", default=None,
                        help="performance page to update (default docs/performance.md; not with --quick)")
    parser.add_argument("--no-doc", action="store_true", help="do not touch docs/performance.md")
    args = parser.parse_args(argv)
    out = args.out or RESULTS
    doc = None if args.no_doc else (args.doc or (None if args.quick else DOC))
    run(quick=args.quick, out=out, doc=doc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
