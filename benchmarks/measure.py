"""Shared helpers: medians, fresh subprocesses that answer in JSON, the machine description."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLES = os.path.join(ROOT, "sample_cases")
SAMPLE_CASE = os.path.join(SAMPLES, "infliximab-pyoderma.caseline.yaml")
SAMPLE_CASESET = os.path.join(SAMPLES, "drug-induced-neuropathy.caseset.yaml")
#: The target size of every drawing benchmark.
VIEW_W, VIEW_H = 1600, 900


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values)) if values else float("nan")


def timed(func: Callable[[], object], runs: int, warmup: int = 1) -> list[float]:
    """Wall-clock seconds of ``runs`` calls, after ``warmup`` untimed calls."""
    for _ in range(warmup):
        func()
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        func()
        out.append(time.perf_counter() - t0)
    return out


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["QT_SCALE_FACTOR"] = "1"  # DPR 1: every figure is for a 1x screen
    env.pop("QT_SCREEN_SCALE_FACTORS", None)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    return env


def run_worker(module: str, *args: str, timeout: float = 600) -> Any:
    """Run ``python -m benchmarks.MODULE ARGS`` in a fresh process; it prints one JSON line last."""
    proc = subprocess.run([sys.executable, "-m", f"benchmarks.{module}", *args], capture_output=True,
                          text=True, env=child_env(), cwd=ROOT, timeout=timeout, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"benchmarks.{module} {' '.join(args)} failed ({proc.returncode}):\n"
                           f"{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def process_seconds(argv: Sequence[str], runs: int) -> tuple[list[float], int]:
    """Wall-clock seconds of a whole process, ``runs`` times; and the last exit status."""
    times = []
    status = 0
    for _ in range(runs):
        t0 = time.perf_counter()
        proc = subprocess.run(list(argv), capture_output=True, env=child_env(), cwd=ROOT, check=False)
        times.append(time.perf_counter() - t0)
        status = proc.returncode
    return times, status


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine() -> dict[str, Any]:
    import numpy
    import pyqtgraph
    import PySide6
    from PySide6 import QtCore

    return {
        "nproc": os.cpu_count(),
        "cpu_model": cpu_model(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "pyside6": PySide6.__version__,
        "qt": QtCore.qVersion(),
        "pyqtgraph": pyqtgraph.__version__,
        "numpy": numpy.__version__,
        "qt_qpa_platform": "offscreen",
    }


def emit(result: Any) -> None:
    """A worker's answer: one JSON line on stdout."""
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
