"""``caseline table --compare``: the comparison table as CSV, one row per case, from a real subprocess."""

from __future__ import annotations

import io
import subprocess
import sys

import pandas as pd

from caseline.analysis.metrics import NUMERIC_COLUMNS, TABLE_COLUMNS
from support import CASESET, LATENCY_ORDER


def run_table(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "caseline", "table", *args], capture_output=True, text=True,
                          timeout=60, check=False)


def test_compare_gives_intervals_bounds_and_derivations(tmp_path) -> None:
    out = tmp_path / "compare.csv"
    done = run_table("--compare", str(CASESET), "-o", str(out))
    assert done.returncode == 0, done.stderr
    frame = pd.read_csv(out)
    assert list(frame.columns) == TABLE_COLUMNS
    assert list(frame["case"]) == LATENCY_ORDER, "the case set's sort"
    rows = {r["case"]: r for _, r in frame.iterrows()}
    assert rows["ifx-pg"]["latency"] == "56 d"
    assert rows["bz-mm"]["latency"] == "63-119 d"
    assert (rows["bz-mm"]["latency min (days)"], rows["bz-mm"]["latency max (days)"]) == (63, 119)
    assert rows["bz-xu"]["latency"] == "≥ 15 d" and pd.isna(rows["bz-xu"]["latency max (days)"])
    assert all("first suspected dose (" in text for text in frame["latency derived from"])
    for column in NUMERIC_COLUMNS:
        assert pd.api.types.is_numeric_dtype(frame[column]), column


def test_compare_sorted_on_request_and_to_standard_output() -> None:
    done = run_table("--compare", "--sort", "title", str(CASESET))
    assert done.returncode == 0, done.stderr
    frame = pd.read_csv(io.StringIO(done.stdout))
    assert len(frame) == 7 and list(frame["case"]) != LATENCY_ORDER


def test_compare_de_identified_has_no_calendar_date() -> None:
    done = run_table("--compare", "--deidentified", str(CASESET))
    assert done.returncode == 0, done.stderr
    assert "2009" not in done.stdout and "November" not in done.stdout
    assert "63-119 d" in done.stdout
