"""The benchmark suite still runs: ``python -m benchmarks.run --quick`` writes every field.

No timing assertions: this only keeps the suite from rotting. It writes to tmp_path, never to
benchmarks/results.json or docs/performance.md.
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
               "peak_rss_delta_bytes", "bytes_per_event", "memory_method"}
FRAME_FIELDS = {"scene", "events", "view", "cases", "items", "marks", "labels", "rows", "dpr", "viewport", "frames",
                "caseline_ms", "paints_per_frame", "caseline_build_s", "naive_ms", "naive_build_s", "speedup"}
RESOLUTION_FIELDS = {"events", "items", "runs", "old_s", "new_s", "old_median_s", "new_median_s", "old_min_s",
                     "old_max_s", "new_min_s", "new_max_s", "ratio", "old_us_per_event", "new_us_per_event"}
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
    assert results["quick"] is True
    assert {"schema", "date", "machine", "view", "cold_start", "load", "resolution", "frames", "labels", "export",
            "targets", "duration_s"} <= results.keys()
    assert len(results["resolution"]) == 2 and all(e.keys() >= RESOLUTION_FIELDS for e in results["resolution"])
    assert any(t["name"].startswith("resolution") for t in results["targets"])
    assert {"nproc", "cpu_model", "python", "pyside6", "qt", "pyqtgraph"} <= results["machine"].keys()
    assert {"caseline_s", "import_floor_s", "ratio", "difference_s", "runs"} <= results["cold_start"].keys()
    assert results["cold_start"]["exit_status"] == 0
    assert results["load"] and all(e.keys() >= LOAD_FIELDS and e["ok"] for e in results["load"])
    assert {e["format"] for e in results["load"]} == {"yaml", "csv"}
    frames = results["frames"]
    assert frames and all(e.keys() >= FRAME_FIELDS for e in frames)
    assert {e["view"] for e in frames} == {"full", "zoomed"}
    assert any(e["cases"] > 1 for e in frames)
    assert all(e["dpr"] == 1.0 and e["viewport"] == [1600, 900] for e in frames)
    assert all(e["paints_per_frame"] == 1.0 for e in frames), "a frame must paint exactly once"
    assert all(e["naive_ms"] is not None for e in frames)
    assert {"events", "labels", "labels_on_ms", "labels_off_ms", "added_ms"} <= results["labels"].keys()
    export = results["export"]
    assert export and all(e.keys() >= EXPORT_FIELDS for e in export)
    assert {e["format"] for e in export} == {"png", "svg", "pdf"}
    assert all(e["matplotlib_s"] is not None for e in export)
    assert all({"name", "value", "limit", "unit", "met"} <= t.keys() for t in results["targets"])
    assert "Pan/zoom" in proc.stdout and "Targets" in proc.stdout
    assert "bench-results:begin" in doc.read_text(encoding="utf-8")
