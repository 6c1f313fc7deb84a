"""cBioPortal timelines: TSV -> caseline -> TSV keeps every row, from case dicts and from resolved cases."""

from __future__ import annotations

from pathlib import Path

from caseline.io.standards import cbioportal, convert_paths, identify
from standards_support import load_clean

TIMELINE = "\n".join([
    "PATIENT_ID\tSTART_DATE\tSTOP_DATE\tEVENT_TYPE\tTREATMENT_TYPE\tAGENT\tTEST\tRESULT\tSTATUS\tSPECIMEN_SITE",
    "P-0001\t0\t84\tTREATMENT\tMedical Therapy\tCisplatin\t\t\t\t",
    "P-0001\t-30\t\tSTATUS\t\t\t\t\tDiagnosis\t",
    "P-0001\t10\t\tLAB_TEST\t\t\tCEA\t5.2\t\t",
    "P-0001\t10\t\tLAB_TEST\t\t\tCEA\t5.2\t\t",  # an exact repeat: a table keeps both rows
    "P-0001\t20\t25\tSPECIMEN\t\t\t\t\t\tLiver",  # a point event with a stop date
    "P-0002\t5\t\tTREATMENT\tRadiation Therapy\t\t\t\t\t",
    "P-0002\t400\t\tSTATUS\t\t\t\t\tDeceased\t",
    "P-0002\t410\t\tSURGERY\t\t\t\t\t\t",
]) + "\n"


def test_round_trip_keeps_every_row(tmp_path: Path) -> None:
    path = tmp_path / "data_timeline.txt"
    path.write_text(TIMELINE)
    assert identify(path) == "cbioportal"
    result = convert_paths([path])
    assert [c["id"] for c in result.cases] == ["patient-p-0001", "patient-p-0002"]
    first = result.cases[0]
    cisplatin = first["events"][0]
    assert (cisplatin["drug"], cisplatin["start"]["time"], cisplatin["end"]["time"]) == ("Cisplatin", "day 0", "day 84")
    assert sum(e["kind"] == "investigation" for e in first["events"]) == 3
    second = result.cases[1]
    assert [e.get("type") for e in second["events"] if e["kind"] == "milestone"] == ["death", "other"]
    assert cbioportal.write_timeline(result.cases) == TIMELINE
    resolved = load_clean(result, tmp_path)
    assert cbioportal.write_timeline(resolved) == TIMELINE


def test_cases_from_other_standards_become_rows() -> None:
    case = {"id": "c1", "anchor_date": "2020-01-01", "events": [
        {"id": "amox", "kind": "drug", "drug": "amoxicillin", "start": "2020-01-01", "end": {"time": "day 6"}},
        {"id": "rash", "kind": "symptom", "label": "Rash", "start": "2020-01-10"},
        {"id": "alt", "kind": "investigation", "test": "ALT", "value": 80, "at": "day 12"},
        {"id": "late", "kind": "milestone", "label": "Follow-up", "at": "2020-02"},  # a month has no single day
    ]}
    warnings: list = []
    rows = cbioportal.timeline_rows(case, warnings)
    assert [(r["START_DATE"], r["STOP_DATE"], r["EVENT_TYPE"]) for r in rows] == [
        ("0", "6", "TREATMENT"), ("9", "", "CLINICAL_EVENT"), ("12", "", "LAB_TEST")]
    assert rows[2]["RESULT"] == "80" and rows[0]["AGENT"] == "amoxicillin"
    assert [w.record for w in warnings] == ["late"]


def test_bad_rows_are_located(tmp_path: Path) -> None:
    path = tmp_path / "timeline.tsv"
    path.write_text("PATIENT_ID\tSTART_DATE\tSTOP_DATE\tEVENT_TYPE\nP1\tsoon\t\tSTATUS\n")
    result = convert_paths([path])
    assert str(result.warnings[0]) == f"{path}:2:2: START_DATE 'soon' is not a number of days"
    assert result.cases[0]["events"][0]["at"]["time"] == "unknown"
