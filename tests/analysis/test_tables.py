"""`caseline table` (subprocess) and the `caseline.load` API on the infliximab case."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import caseline
from caseline.analysis.tables import TABLE_COLUMNS, timeline_table
from caseline.model.diagnostics import CaseFileError

SAMPLES = Path(__file__).resolve().parents[2] / "sample_cases"
YAML = SAMPLES / "infliximab-pyoderma.caseline.yaml"
CSV = SAMPLES / "infliximab-pyoderma.events.csv"
REQUIRED = ["case_id", "event_id", "lane", "category", "label", "start_day", "end_day", "start_day_min",
            "start_day_max", "start_date", "end_date", "precision", "approximate"]


def run_table(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "caseline", "table", *map(str, args)],
                          capture_output=True, text=True, timeout=20, check=False)


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    result = run_table(YAML)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return pd.read_csv(io.StringIO(result.stdout), dtype={"start_date": str, "end_date": str})


def test_columns(frame: pd.DataFrame) -> None:
    assert list(frame.columns) == TABLE_COLUMNS
    assert set(REQUIRED) <= set(frame.columns)


def test_rows_and_days(frame: pd.DataFrame) -> None:
    assert set(frame["case_id"]) == {"ifx-pg"}
    doses = frame[(frame["event_id"] == "ifx") & (frame["role"] == "dose")]
    assert list(doses["item_id"]) == ["ifx#1", "ifx#2", "ifx#3"]
    assert list(doses["start_day"]) == [0, 14, 42]
    assert list(doses["start_day_min"]) == [0, 14, 42]
    assert list(doses["start_day_max"]) == [0, 14, 42]
    assert set(doses["lane"]) == {"Infliximab"} and set(doses["category"]) == {"suspected-drug"}
    weakness = frame[frame["item_id"] == "weakness"].iloc[0]
    assert (weakness["start_day"], weakness["precision"], bool(weakness["approximate"])) == (56, "day", False)
    assert weakness["label"] == "Weakness of arms and legs"
    assert weakness["category"] == "symptom"
    assert pd.isna(weakness["end_day"])
    course = frame[frame["item_id"] == "ifx"].iloc[0]
    # Stopped "after the neuropathy was found": only order is known, so no end day is printed;
    # the bounds say what is known (it was formerly printed as day 56, the weakness day).
    assert course["start_day"] == 0 and pd.isna(course["end_day"])
    assert (course["start_known"], course["end_known"]) == ("exact", "ordered")
    assert course["end_day_min"] == 56 and pd.isna(course["end_day_max"])
    stop = frame[frame["item_id"] == "ifx-stop"].iloc[0]
    assert stop["start_day_min"] == 56 and pd.isna(stop["start_day_max"]) and stop["precision"] == "bounded"
    assert pd.isna(stop["start_day"]) and stop["start_known"] == "ordered"
    undated = frame[frame["item_id"] == "last-fu"].iloc[0]
    assert pd.isna(undated["start_day"]) and undated["precision"] == "unknown" and undated["start_known"] == "unknown"
    mtx = frame[frame["item_id"] == "mtx"].iloc[0]  # its end is not reported
    assert pd.isna(mtx["end_day"]) and pd.isna(mtx["end_day_min"]) and pd.isna(mtx["end_known"])
    # The case is undated: no calendar dates anywhere.
    assert frame["start_date"].isna().all() and frame["end_date"].isna().all()
    assert len(frame) == 32  # 18 events (one a pertinent negative), 3 + 10 administrations, 1 course point


def test_csv_sample_gives_the_same_table() -> None:
    yaml_out = run_table(YAML)
    csv_out = run_table(CSV)
    assert csv_out.returncode == 0, csv_out.stderr
    assert csv_out.stdout == yaml_out.stdout


def test_dates_when_the_case_is_dated(tmp_path: Path) -> None:
    path = tmp_path / "dated.caseline.yaml"
    path.write_text(
        "caseline: 1\ncase:\n  id: dated\n  title: Dated\n  anchor_date: 2014-03-02\n  suspect: {drug: d}\n"
        "  events:\n"
        "    - {id: d, kind: drug, drug: x, start: 2014-03-02, end: 2014-03-30}\n"
        "    - {id: s, kind: symptom, label: S, start: March 2014}\n", encoding="utf-8")
    result = run_table(path)
    assert result.returncode == 0, result.stderr
    frame = pd.read_csv(io.StringIO(result.stdout), dtype={"start_date": str, "end_date": str})
    d = frame[frame["item_id"] == "d"].iloc[0]
    assert (d["start_date"], d["end_date"], d["end_day"]) == ("2014-03-02", "2014-03-30", 28)
    s = frame[frame["item_id"] == "s"].iloc[0]
    assert s["start_date"] == "2014-03" and s["precision"] == "month"


def test_output_file(tmp_path: Path) -> None:
    out = tmp_path / "table.csv"
    result = run_table(YAML, "-o", out)
    assert result.returncode == 0 and result.stdout == ""
    assert out.read_text(encoding="utf-8") == run_table(YAML).stdout


def test_table_refuses_files_with_errors(tmp_path: Path) -> None:
    broken = Path(__file__).resolve().parents[1] / "io" / "broken" / "three-errors.caseline.yaml"
    result = run_table(YAML, broken)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count(f"{broken}:") == 3
    assert "Traceback" not in result.stderr


def test_load_api() -> None:
    cases = caseline.load(YAML)
    assert [c.id for c in cases] == ["ifx-pg"]
    assert cases[0].item("ifx#3").start.best == 42
    frame = timeline_table(cases)
    assert list(frame.columns) == TABLE_COLUMNS
    assert frame["start_day"].dtype == "Float64"
    assert caseline.load(str(CSV))[0].item("weakness").start.best == 56


def test_load_api_raises_with_every_error() -> None:
    broken = Path(__file__).resolve().parents[1] / "io" / "broken" / "three-errors.caseline.yaml"
    with pytest.raises(CaseFileError) as info:
        caseline.load(broken)
    assert len(info.value.diagnostics) == 3
    assert str(info.value).count(str(broken)) == 3
