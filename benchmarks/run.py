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
import subprocess
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
from benchmarks.report import check_targets, problems, scaling_plot, table, write_doc

RESULTS = os.path.join(ROOT, "benchmarks", "results.json")
DOC = os.path.join(ROOT, "docs", "performance.md")


@dataclass(frozen=True)
class Scene:
    """One frames worker run: a generated file (cases x events per case), tiled ``tile`` times."""

    name: str
    cases: int
    events: int  # per case, in the file
    tile: int = 1
    repeat: int = 1  # the file's cases repeated (10,000 cases from 1,000 loaded)
    naive: bool = False
    interactions: bool = False
    labels: bool = False

    @property
    def total_events(self) -> int:
        return self.cases * self.events * self.tile * self.repeat

    @property
    def total_cases(self) -> int:
        return self.cases * self.repeat


@dataclass(frozen=True)
class Plan:
    """Sizes and repeat counts of one run of the suite."""

    startup_runs: int
    load_sizes: tuple[int, ...]
    load_runs: dict[int, int]
    scenes: tuple[Scene, ...]
    reps: int  # interleaved repetitions of every frame block
    frames: int  # frames per block
    export_runs: int
    export_process_runs: int
    resolution_runs: dict[int, int]  # events -> interleaved runs of each resolver (issue 12)
    import_subjects: int = 300  # the SDTM study imported (issue 15)
    import_runs: int = 3


FULL = Plan(startup_runs=7, load_sizes=(1_000, 10_000, 100_000), load_runs={1_000: 5, 10_000: 3, 100_000: 3},
            scenes=(Scene("1x1000", 1, 1_000, naive=True),
                    Scene("1x10000", 1, 10_000, naive=True, labels=True, interactions=True),
                    Scene("1x100000", 1, 100_000, naive=True, interactions=True, labels=True),
                    Scene("1x1000000", 1, 100_000, tile=10, labels=True),
                    Scene("5x20", 5, 20), Scene("50x20", 50, 20), Scene("20x500", 20, 500, naive=True),
                    Scene("200x200", 200, 200, interactions=True), Scene("1000x20", 1000, 20),
                    Scene("10000x20", 1000, 20, repeat=10)),
            reps=5, frames=10, export_runs=5, export_process_runs=3, resolution_runs={10_000: 7, 100_000: 5},
            import_subjects=300, import_runs=3)
QUICK = Plan(startup_runs=1, load_sizes=(100, 300), load_runs={100: 1, 300: 1},
             scenes=(Scene("1x300", 1, 300, naive=True, interactions=True, labels=True),
                     Scene("3x100", 3, 100, interactions=True)),
             reps=2, frames=3, export_runs=1, export_process_runs=1, resolution_runs={100: 1, 300: 1},
             import_subjects=10, import_runs=1)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def caseline_command() -> list[str]:
    script = os.path.join(os.path.dirname(sys.executable), "caseline")
    return [script] if os.path.exists(script) else [sys.executable, "-m", "caseline"]


def spread(values: list[float]) -> dict[str, float]:
    """Median, min and max of repeated samples."""
    if not values:
        raise RuntimeError("empty measurement")
    return {"median": median(values), "min": min(values), "max": max(values), "n": len(values)}


def bench_startup(plan: Plan) -> dict[str, Any]:
    """Cold start to the first painted window, against a bare PySide6 + pyqtgraph window painting one
    plot; the two processes alternate so load on the machine hits both alike. Wall-clock seconds of each whole
    process, and its CPU seconds (user + system, every thread: less shaken by other work on the machine). Both
    run with a settings folder of their own: the user's recent files and window layout are neither read nor
    written, and every run after the first starts as a returning user's does."""
    import resource

    _log("cold start ...")
    bare_cmd = [sys.executable, "-m", "benchmarks.bare_window"]
    app_cmd = [*caseline_command(), "--exit-after-paint", SAMPLE_CASE]

    def run(cmd: list[str]) -> tuple[float, float, int]:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t, status = process_seconds(cmd, 1)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return t[0], after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, status

    saved = os.environ.get("XDG_CONFIG_HOME")
    with tempfile.TemporaryDirectory(prefix="caseline-bench-config-") as config:
        os.environ["XDG_CONFIG_HOME"] = config  # child_env() passes it on
        try:
            run(bare_cmd)  # warm the file cache for both
            run(app_cmd)
            bare: list[float] = []
            app: list[float] = []
            bare_cpu: list[float] = []
            app_cpu: list[float] = []
            status = 0
            for _ in range(plan.startup_runs):
                t, cpu, s1 = run(bare_cmd)
                bare.append(t)
                bare_cpu.append(cpu)
                t, cpu, s2 = run(app_cmd)
                app.append(t)
                app_cpu.append(cpu)
                status = status or s1 or s2
        finally:
            if saved is None:
                os.environ.pop("XDG_CONFIG_HOME", None)
            else:
                os.environ["XDG_CONFIG_HOME"] = saved
    diffs = [a - b for a, b in zip(app, bare, strict=True)]
    cpu_diffs = [a - b for a, b in zip(app_cpu, bare_cpu, strict=True)]
    return {"runs": plan.startup_runs, "caseline_s": spread(app), "bare_window_s": spread(bare),
            "difference_s": spread(diffs), "caseline_cpu_s": spread(app_cpu), "bare_window_cpu_s": spread(bare_cpu),
            "difference_cpu_s": spread(cpu_diffs), "exit_status": status}


def bench_load(plan: Plan, files: dict[int, generate.Generated]) -> list[dict[str, Any]]:
    out = []
    for n in plan.load_sizes:
        for fmt in ("yaml", "csv"):
            path = files[n].yaml_path if fmt == "yaml" else files[n].csv_path
            _log(f"load {fmt} {n} events ...")
            runs = [run_worker("loading", path, *(["--trace"] if k == 0 else []))
                    for k in range(plan.load_runs[n])]
            seconds = [r["seconds"] for r in runs]
            retained = runs[0]["retained_bytes"]
            out.append({"format": fmt, "events": n, "items": runs[0]["items"], "ok": all(r["ok"] for r in runs),
                        "runs": len(runs), "file_bytes": os.path.getsize(path), "seconds": spread(seconds),
                        "us_per_event": median(seconds) / n * 1e6,
                        "peak_rss_delta_bytes": spread([r["rss_delta_bytes"] for r in runs]),
                        "retained_bytes": retained, "bytes_per_event": retained / n,
                        "layout_s": spread([x for r in runs for x in r["layout_s"]]),
                        "layout_unprepared_s": spread([r["layout_unprepared_s"] for r in runs]),
                        "columns_s": spread([r["columns_s"] for r in runs]),
                        **({"layout_1m_s": spread([x for r in runs for x in r["layout_1m_s"]]),
                            "layout_1m_events": runs[0]["layout_1m_events"]} if runs[0]["layout_1m_s"] else {}),
                        "memory_method": "tracemalloc: bytes still allocated after the load, result held "
                                         "(a separate traced run; timings are untraced)"})
    return out


def bench_resolution(plan: Plan, files: dict[int, generate.Generated]) -> list[dict[str, Any]]:
    """The constraint engine against the old resolver, same process, interleaved (issue 12)."""
    out = []
    for n, runs in sorted(plan.resolution_runs.items()):
        _log(f"resolution {n} events, new vs old ...")
        out.append(run_worker("resolution", files[n].yaml_path, "--runs", str(runs), timeout=1800))
    return out


def bench_import(plan: Plan) -> dict[str, Any]:
    """A generated SDTM study (XPT) converted, written and loaded back, in a fresh process (issue 15)."""
    _log(f"import a {plan.import_subjects}-subject SDTM study ...")
    return dict(run_worker("importing", str(plan.import_subjects), "--runs", str(plan.import_runs)))


def bench_frames(plan: Plan, workdir: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for scene in plan.scenes:
        _log(f"frames {scene.name} ...")
        made = generate.generate(workdir, scene.events, scene.cases)
        args = [made.yaml_path, "--reps", str(plan.reps), "--frames", str(plan.frames), "--tile", str(scene.tile),
                "--repeat-cases", str(scene.repeat)]
        args += ["--naive"] if scene.naive else []
        args += ["--interactions"] if scene.interactions else []
        args += ["--labels"] if scene.labels else []
        raw = run_worker("frames", *args, timeout=1800)
        raw.update(scene=scene.name, events=scene.total_events, cases=scene.total_cases,
                   tiled=scene.tile, repeated=scene.repeat)
        out.append(raw)
    return out


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
            entry.update({k: v for k, v in inproc.items() if k.endswith("_spread")})
            if entry["available"]:
                entry["ratio"] = inproc["ratio"]  # the median of the interleaved repetitions' ratios
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


def commit() -> dict[str, Any]:
    """The commit the suite runs on, and whether the work tree had changes on top of it."""
    def git(*args: str) -> str:
        proc = subprocess.run(["git", *args], capture_output=True, text=True, cwd=ROOT, check=False)
        return proc.stdout.strip()

    return {"sha": git("rev-parse", "HEAD"), "dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
            "subject": git("log", "-1", "--format=%s")[:120]}


def run(quick: bool = False, out: str = RESULTS, doc: str | None = DOC) -> dict[str, Any]:
    plan = QUICK if quick else FULL
    started = time.perf_counter()
    workdir = tempfile.mkdtemp(prefix="caseline-bench-")
    try:
        _log(f"generating case files in {workdir} ...")
        files = {n: generate.generate(workdir, n) for n in sorted(set(plan.load_sizes) | set(plan.resolution_runs))}
        results: dict[str, Any] = {
            "schema": 2,
            "commit": commit(),
            "quick": quick,
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "machine": machine(),
            "view": {"width": 1600, "height": 900, "dpr": 1},
            "cold_start": _guard("cold start", bench_startup, plan),
            "load": _guard("load", bench_load, plan, files),
            "resolution": _guard("resolution", bench_resolution, plan, files),
            "frames": _guard("frames", bench_frames, plan, workdir),
            "export": _guard("export", bench_export, plan, workdir),
            "importing": _guard("importing", bench_import, plan),
        }
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    results["duration_s"] = time.perf_counter() - started
    results["targets"] = check_targets(results)
    results["problems"] = problems(results)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(results, f, indent=1)
        f.write("\n")
    print(table(results))
    if doc is not None:
        write_doc(doc, results)
        scaling_plot(results, os.path.join(os.path.dirname(doc), "performance-scaling.png"))
    if results["problems"]:
        _log("MEASUREMENTS FAILED (empty, zero, negative or not run):\n  " + "\n  ".join(results["problems"]))
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
    results = run(quick=args.quick, out=out, doc=doc)
    return 1 if results["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
