"""``caseline import``: exit codes, messages, safe writing, and identification by content."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from caseline.cli import main
from caseline.io.standards import ImportResult, convert_paths, identify, write_import
from standards_support import STANDARDS
from support import SAMPLES

TIMELINE = "PATIENT_ID\tSTART_DATE\tSTOP_DATE\tEVENT_TYPE\tAGENT\nP1\t0\t10\tTREATMENT\tDrug X\nP2\t3\t\tSTATUS\t\n"


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["import", *argv])
    return code, out.getvalue(), err.getvalue()


def test_import_writes_a_file_that_validate_accepts(tmp_path: Path) -> None:
    source = tmp_path / "timeline.txt"
    source.write_text(TIMELINE)
    target = tmp_path / "out.caseline.yaml"
    code, out, err = _run(str(source), "-o", str(target))
    assert code == 0, err
    assert out.splitlines()[0].startswith("patient-p1  P1  1 events")
    assert f"{target}: 2 cases written" in err
    assert not [n for n in os.listdir(tmp_path) if n.endswith(".tmp")]  # the temporary file was renamed
    check = subprocess.run([sys.executable, "-m", "caseline", "validate", str(target)], capture_output=True, text=True,
                           check=False, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "caseset:" in target.read_text()  # two cases: lined up on their first suspected dose


def test_exit_codes_and_messages(tmp_path: Path) -> None:
    source = tmp_path / "timeline.txt"
    source.write_text(TIMELINE)
    code, _, err = _run(str(source), "-o", str(tmp_path / "x.yaml"), "--subject", "P9")
    assert code == 1 and f"{source}: no patient 'P9'" in err
    code, _, err = _run(str(tmp_path / "missing.xml"), "-o", str(tmp_path / "x.yaml"))
    assert code == 2 and "no such file or folder" in err
    code, _, _ = _run(str(source))  # no -o
    assert code == 2
    bad = tmp_path / "bad.xml"
    bad.write_text('<?xml version="1.0"?>\n<!DOCTYPE a [<!ENTITY e "x">]>\n<MCCI_IN200100UV01 xmlns="urn:hl7-org:v3"/>')
    code, _, err = _run(str(bad), "-o", str(tmp_path / "x.yaml"))
    assert code == 2 and f"{bad}:2:1: refused: the XML declares <!DOCTYPE" in err
    assert not (tmp_path / "x.yaml").exists()


def test_never_overwrites_an_input(tmp_path: Path) -> None:
    source = tmp_path / "timeline.txt"
    source.write_text(TIMELINE)
    code, _, err = _run(str(source), "-o", str(source))
    assert code == 2 and "is one of the inputs" in err
    assert source.read_text() == TIMELINE
    result = convert_paths([source])
    with pytest.raises(ValueError, match="is an input"):
        write_import(result, source, [str(source)])
    with pytest.raises(ValueError, match="is a folder"):
        write_import(result, tmp_path, [str(source)])
    assert source.read_text() == TIMELINE


def test_suspect_option(tmp_path: Path) -> None:
    source = tmp_path / "timeline.txt"
    source.write_text(TIMELINE)
    result = convert_paths([source], suspect="drug x")
    case = result.cases[0]
    assert case["suspect"]["drug"] == case["events"][0]["id"] and case["events"][0]["role"] == "suspected"


def test_identify_by_content(tmp_path: Path) -> None:
    samples = {
        "fhir.json": {"resourceType": "Patient", "id": "x"},
        "packet.json": {"id": "p", "subject": {"id": "s"}, "phenotypicFeatures": []},
        "fda.json": {"results": [{"safetyreportid": "1"}]},
        "case.json": {"caseline": 1, "case": {"id": "a", "title": "b", "events": []}},
        "dataset.json": {"datasetJSONVersion": "1.1.0", "name": "DM", "columns": [], "rows": []},
    }
    for name, content in samples.items():
        (tmp_path / name).write_text(json.dumps(content))
    (tmp_path / "misnamed.xml").write_text(json.dumps({"resourceType": "Observation"}))
    found = {name: identify(tmp_path / name) for name in [*samples, "misnamed.xml"]}
    assert found == {"fhir.json": "fhir", "packet.json": "phenopacket", "fda.json": "openfda", "case.json": None,
                     "dataset.json": "sdtm", "misnamed.xml": "fhir"}
    assert identify(tmp_path) is None  # a folder of mixed files is opened file by file by convert_paths


def test_empty_result_document() -> None:
    assert ImportResult().document() == {"caseline": 1, "cases": []}


@pytest.mark.skipif(not STANDARDS.exists(), reason="third-party test data not available")
def test_every_standard_file_imports_and_validates(tmp_path: Path) -> None:
    inputs = sorted(str(p) for p in STANDARDS.rglob("*") if p.is_file() and p.suffix != ".md")
    assert inputs
    targets = []
    for number, path in enumerate(inputs):
        targets.append(str(tmp_path / f"{number}.caseline.yaml"))
        code, _, err = _run(path, "-o", targets[-1], "-q")
        assert code == 0, (path, err)
    check = subprocess.run([sys.executable, "-m", "caseline", "validate", "-q", *targets], capture_output=True,
                           text=True, check=False, timeout=60)
    assert check.returncode == 0 and check.stdout == "" and check.stderr == "", check.stdout + check.stderr


@pytest.mark.skipif(not STANDARDS.exists(), reason="third-party test data not available")
@pytest.mark.parametrize("folder", ["sdtm_msg_datasetjson", "sdtm_pilot01_xpt"])
def test_every_standard_study_folder_imports_and_validates(tmp_path: Path, folder: str) -> None:
    source = STANDARDS / folder
    if not source.is_dir():
        pytest.skip(f"third-party test data not available: {source}")
    target = tmp_path / f"{folder}.caseline.yaml"
    code, out, err = _run(str(source), "-o", str(target))
    assert code == 0, err
    subjects = [line.split("  ")[1] for line in out.splitlines()]
    assert subjects and len(subjects) == len(set(subjects))  # one case per subject
    check = subprocess.run([sys.executable, "-m", "caseline", "validate", "-q", str(target)], capture_output=True,
                           text=True, check=False, timeout=120)
    assert check.returncode == 0 and check.stdout == "" and check.stderr == "", check.stdout + check.stderr


def test_table_writes_a_cbioportal_timeline(tmp_path: Path) -> None:
    """`caseline table --format tsv` (issue 15): a timeline file cBioPortal reads, and `caseline import` reads
    back with every row; a time the source did not state to the day says so, with its bounds."""
    import csv

    out = tmp_path / "ifx.tsv"
    done = subprocess.run([sys.executable, "-m", "caseline", "table", "--format", "tsv", "-o", str(out),
                           str(SAMPLES / "infliximab-pyoderma.caseline.yaml")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Off therapy, ulcers persist" in done.stderr  # no time to write: said, not dropped silently
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines(), delimiter="\t"))
    assert list(rows[0])[:4] == ["PATIENT_ID", "START_DATE", "STOP_DATE", "EVENT_TYPE"]
    doses = [r for r in rows if r.get("AGENT", "").lower() == "infliximab"]
    assert [r["START_DATE"] for r in doses] == ["0", "14", "42"]  # weeks 0, 2 and 6, stated exactly
    assert all(not r.get("TIME_KNOWN") for r in doses)
    vague = [r for r in rows if r.get("TIME_KNOWN")]
    assert vague and all(r["TIME_KNOWN"] in ("span", "bounded", "ordered", "unknown") for r in vague)
    assert any(r["START_MIN"] != r["START_MAX"] for r in vague)
    back = tmp_path / "back.caseline.yaml"
    done = subprocess.run([sys.executable, "-m", "caseline", "import", str(out), "-o", str(back)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    again = tmp_path / "again.tsv"
    subprocess.run([sys.executable, "-m", "caseline", "table", "--format", "tsv", "-o", str(again), str(back)],
                   check=True, capture_output=True)
    rows_again = list(csv.DictReader(again.read_text(encoding="utf-8").splitlines(), delimiter="\t"))
    # read back, a placed estimate stays a placed estimate (a span, or unknown where a bound was open), never a
    # stated day; every row stated to the day comes back as it was
    exact = [r for r in rows if not r.get("TIME_KNOWN")]
    assert [r for r in rows_again if not r.get("TIME_KNOWN")] == exact
    assert len(rows_again) <= len(rows)
    refused = subprocess.run([sys.executable, "-m", "caseline", "table", "--format", "tsv", "--compare",
                              str(SAMPLES / "infliximab-pyoderma.caseline.yaml")], capture_output=True, text=True)
    assert refused.returncode == 2 and "one or the other" in refused.stderr
