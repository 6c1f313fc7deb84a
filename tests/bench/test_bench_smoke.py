"""The benchmark suite still runs: ``python -m benchmarks.run --quick`` writes every field.

No timing assertions: this only keeps the suite from rotting, and checks that it measures
something (the suite itself fails when a measurement is empty, zero or negative). It writes to
tmp_path, never to benchmarks/results.json or docs/performance.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow

LOAD_FIELDS = {"format", "events", "items", "ok", "runs", "file_bytes", "seconds", "us_per_event",
               "peak_rss_delta_bytes", "retained_bytes", "bytes_per_event", "memory_method", "layout_s"}
FRAME_FIELDS = {"scene", "events", "cases", "items", "marks", "labels", "rows", "dpr", "viewport", "build_s",
                "reps", "frames_per_block", "measurements"}
EXPORT_FIELDS = {"subject", "file", "format", "cases", "width_mm", "dpi", "height_mm", "size_px", "available",
                 "note", "caseline_s", "matplotlib_s", "ratio", "caseline_process_s", "matplotlib_process_s",
                 "process_ratio"}


def test_quick_benchmarks_write_every_field(tmp_path):
    out = tmp_path / "results.json"
    doc = tmp_path / "performance.md"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "benchmarks.run", "--quick", "--out", str(out), "--doc", str(doc)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads(out.read_text(encoding="utf-8"))
    assert results["quick"] is True and results["problems"] == []
    assert {"schema", "commit", "date", "machine", "view", "cold_start", "load", "frames", "export", "targets",
            "duration_s"} <= results.keys()
    assert len(results["commit"]["sha"]) == 40
    assert {"caseline_s", "bare_window_s", "difference_s", "runs"} <= results["cold_start"].keys()
    assert results["cold_start"]["exit_status"] == 0
    assert results["load"] and all(e.keys() >= LOAD_FIELDS and e["ok"] for e in results["load"])
    assert all(e["retained_bytes"] > 0 for e in results["load"])
    frames = results["frames"]
    assert frames and all(e.keys() >= FRAME_FIELDS for e in frames)
    for e in frames:
        measured = e["measurements"]
        assert {"full", "zoomed", "drag"} <= measured.keys()
        for step in ("full", "zoomed", "drag"):
            assert {"caseline", "batched", "batched_lazy", "ratio_to_batched"} <= measured[step].keys()
            # every step is counted: caseline paints once per pan step and per drag step
            assert measured[step]["caseline"]["paints_per_step"]["median"] >= 1.0
        assert e["dpr"] == 1.0 and e["viewport"] == [1600, 900]
    assert any(e["cases"] > 1 and "switch_align" in e["measurements"] for e in frames)
    assert any("hover" in e["measurements"] and "click" in e["measurements"] for e in frames)
    # a live reload of a single case: new case objects painted, at least one paint counted
    reloads = [e["measurements"]["reload"]["caseline"] for e in frames if "reload" in e["measurements"]]
    assert reloads and all(r["ms"]["median"] > 0 and r["paints_per_step"]["median"] >= 1.0 for r in reloads)
    assert any(t["name"].startswith("live reload") for t in results["targets"])
    export = results["export"]
    assert export and all(e.keys() >= EXPORT_FIELDS for e in export)
    assert all({"name", "value", "limit", "unit", "met"} <= t.keys() for t in results["targets"])
    imported = results["importing"]  # issue 15: a generated SDTM study, converted, written and loaded back
    assert imported["cases"] == imported["subjects"] and imported["import_s"]["median"] > 0
    assert any(t["name"].startswith("import a ") for t in results["targets"]) and "Import" in proc.stdout
    assert "Frames" in proc.stdout and "Targets" in proc.stdout
    assert "bench-results:begin" in doc.read_text(encoding="utf-8")
    assert (tmp_path / "performance-scaling.png").stat().st_size > 0


def test_a_measurement_of_nothing_fails_the_run():
    from benchmarks.report import problems

    results = {"cold_start": {"difference_s": {"median": 0.1}}, "frames": [
        {"measurements": {"full": {"caseline": {"ms": {"median": 0.0}}}}}], "load": [], "export": []}
    found = problems(results)
    assert any("frames[0]" in p for p in found) and any(p.startswith("load: empty") for p in found)


def test_caseline_starting_as_fast_as_the_bare_window_is_not_a_failure():
    """The cold start difference (caseline minus a bare window) may be zero or negative in a run: it is the
    two measured times it is made of that must not be empty, zero or negative."""
    from benchmarks.report import problems

    def cold(caseline: float, bare: float) -> dict:
        return {"cold_start": {"caseline_s": {"median": caseline}, "bare_window_s": {"median": bare},
                               "difference_s": {"median": caseline - bare}}}

    assert problems(cold(0.50, 0.503)) == []
    assert any("caseline_s" in p for p in problems(cold(0.0, 0.5)))
