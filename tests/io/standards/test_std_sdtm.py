"""SDTM and ADaM: the CDISC test studies field by field, and small studies of our own for the edge cases."""

from __future__ import annotations

import csv
import json
import zlib
from pathlib import Path

import pandas as pd
import pyreadstat

from caseline.io.standards import ImportOptions, convert_paths, identify
from standards_support import case_of, event_of, events_from, item_of, load_clean, standard_file


def _dataset_json_rows(path: Path) -> list[dict[str, object]]:
    """Rows of a Dataset-JSON file, read independently of the importer."""
    raw = path.read_bytes()
    text = zlib.decompress(raw, wbits=47).decode() if raw[:2] == b"\x1f\x8b" else raw.decode()
    lines = text.splitlines()
    if len(lines) > 1 and lines[1].startswith("["):
        meta, rows = json.loads(lines[0]), [json.loads(line) for line in lines[1:]]
    else:
        meta = json.loads(text)
        rows = meta["rows"]
    names = [c["name"] for c in meta["columns"]]
    return [dict(zip(names, row, strict=True)) for row in rows]


def test_msg_study_subject_field_by_field(tmp_path: Path) -> None:
    folder = standard_file("sdtm_msg_datasetjson")
    assert identify(folder) == "sdtm"
    result = convert_paths([folder])
    case = case_of(result, "subject-cdisc001")
    dm = next(r for r in _dataset_json_rows(folder / "dm.json") if r["USUBJID"] == "CDISC001")
    assert case["anchor_date"] == dm["RFSTDTC"]
    assert case["patient"]["age"] == str(dm["AGE"]) and case["patient"]["sex"] == "male"
    assert "CDISC001" in case["patient"]["identifiers"] and f"born {dm['BRTHDTC']}" in case["patient"]["identifiers"]

    ex = [r for r in _dataset_json_rows(folder / "ex.dsjc") if r["USUBJID"] == "CDISC001"]
    course = event_of(case, case["suspect"]["drug"])
    assert course["drug"] == "Zanomaline" and course["dose"] == ex[0]["EXDOSE"] and course["unit"] == ex[0]["EXDOSU"]
    assert course["start"] == {"time": ex[0]["EXSTDTC"], "stated": f"EXSTDTC {ex[0]['EXSTDTC']}"}
    assert course["end"]["time"] == max(r["EXENDTC"] for r in ex)
    assert course["source"]["section"] == f"EX EXSEQ={ex[0]['EXSEQ']}-{ex[-1]['EXSEQ']}"  # daily records, one course

    ae = next(r for r in _dataset_json_rows(folder / "ae.json") if r["USUBJID"] == "CDISC001" and r["AESEQ"] == 1)
    reaction = events_from(case, "AE AESEQ=1")[0]
    assert reaction["label"] == "Injection site reaction" and reaction["kind"] == "symptom"
    assert reaction["start"] == {"time": ae["AESTDTC"], "stated": f"AESTDTC {ae['AESTDTC']}"}
    assert reaction["ongoing"] is True  # AEOUT NOT RECOVERED/NOT RESOLVED, no end
    assert reaction["severity"]["values"][0]["value"] == 2  # MODERATE
    assert case["suspect"]["reaction_event"] == reaction["id"]
    ds = next(r for r in _dataset_json_rows(folder / "ds.json")
              if r["USUBJID"] == "CDISC001" and r["DSLNKID"] == ae["AELNKID"] and "TREATMENT" in str(r["DSSCAT"]))
    stop = event_of(case, f"{reaction['id']}-stop")  # AEACN DRUG WITHDRAWN
    assert stop["kind"] == "dechallenge" and stop["target"] == course["id"] and stop["at"]["time"] == ds["DSSTDTC"]

    cm = next(r for r in _dataset_json_rows(folder / "cm.json") if r["USUBJID"] == "CDISC001" and r["CMSEQ"] == 1)
    aspirin = events_from(case, "CM CMSEQ=1")[0]
    assert aspirin["start"]["time"] == cm["CMSTDTC"] == "2011"  # partial: stays a year
    assert aspirin["end"]["time"] == cm["CMENDTC"]
    resolved = load_clean(result, tmp_path)
    first = next(c for c in resolved if c.id == "subject-cdisc001")
    assert item_of(first, course["id"]).start.best == 0  # day 0 = RFSTDTC = first dose


def test_pilot_xpt_keeps_placebo_dose_zero_and_splits_titration(tmp_path: Path) -> None:
    folder = standard_file("sdtm_pilot01_xpt")
    ex, _ = pyreadstat.read_xport(str(folder / "ex.xpt"))
    result = convert_paths([folder])
    placebo = case_of(result, "subject-01-701-1015")
    assert event_of(placebo, "ex-placebo")["dose"] == 0  # pandas read_sas would give 5.397605e-79
    high = case_of(result, "subject-01-701-1028")
    dm, _ = pyreadstat.read_xport(str(folder / "dm.xpt"))
    doses = [e["dose"] for e in high["events"] if e.get("drug") == "Xanomeline"]
    source = ex[ex.USUBJID == "01-701-1028"].EXDOSE.tolist()
    runs = [d for i, d in enumerate(source) if i == 0 or d != source[i - 1]]  # a course per dose level, in order
    assert doses == runs == [54, 81, 54]
    records = ex[ex.USUBJID == "01-701-1028"].to_dict("records")
    courses = [e for e in high["events"] if e.get("drug") == "Xanomeline"]
    for course, record in zip(courses, records, strict=True):  # one EX record per dose level here
        assert course["source"]["section"] == f"EX EXSEQ={record['EXSEQ']:g}"
        assert course["start"] == {"time": record["EXSTDTC"], "stated": f"EXSTDTC {record['EXSTDTC']}"}
        assert course["end"] == {"time": record["EXENDTC"], "stated": f"EXENDTC {record['EXENDTC']}"}
        assert (course["unit"], course["role"]) == (record["EXDOSU"].lower(), "suspected")
    assert high["anchor_date"] == dm[dm.USUBJID == "01-701-1028"].RFSTDTC.iloc[0]
    assert any("screen failures" in w.message for w in result.warnings)
    assert len(result.cases) == dm.USUBJID.isin(ex.USUBJID).sum()
    load_clean(result, tmp_path)


def _write_csv(path: Path, rows: list[dict[str, object]]) -> Path:
    with path.open("w", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _study(tmp_path: Path) -> Path:
    folder = tmp_path / "study"
    folder.mkdir()
    base = {"STUDYID": "S1", "USUBJID": "S1-001"}
    dm = {**base, "DOMAIN": "DM", "SUBJID": "001", "RFSTDTC": "2020-03-01", "AGE": "61", "AGEU": "YEARS", "SEX": "F",
          "ARM": "Drug X", "ARMCD": "X", "RFXSTDTC": "2020-03-01"}
    _write_csv(folder / "dm.csv", [dm])
    ex = [{**base, "DOMAIN": "EX", "EXSEQ": str(i + 1), "EXTRT": "DRUG X", "EXDOSE": "10", "EXDOSU": "mg",
           "EXSTDTC": f"2020-03-{i + 1:02d}", "EXENDTC": f"2020-03-{i + 1:02d}"} for i in range(10)]
    ex += [{**base, "DOMAIN": "EX", "EXSEQ": str(20 + i), "EXTRT": "DRUG Y", "EXDOSE": "5", "EXDOSU": "mg",
            "EXSTDTC": f"2020-0{3 + i}-01", "EXENDTC": f"2020-0{3 + i}-01"} for i in range(3)]
    _write_csv(folder / "ex.csv", ex)
    ae = {**base, "DOMAIN": "AE", "AETERM": "", "AESTDTC": "", "AESTDY": "", "AEENDTC": "", "AESER": "N",
          "AEACN": "", "AEOUT": "", "AETOXGR": "", "AEREL": ""}
    _write_csv(folder / "ae.csv", [
        {**ae, "AESEQ": "1", "AETERM": "HEADACHE", "AESTDTC": "2020-03", "AETOXGR": "2", "AEREL": "POSSIBLE"},
        {**ae, "AESEQ": "2", "AETERM": "NAUSEA", "AESTDY": "1"},
        {**ae, "AESEQ": "3", "AETERM": "RASH", "AESTDY": "-1"},
        {**ae, "AESEQ": "4", "AETERM": "DIZZINESS", "AESTDTC": "2020---14", "AEOUT": "FATAL"},
        {**ae, "AESEQ": "5", "AETERM": "PRURITUS", "AESTDTC": "--03-02"},
    ])
    cm = {**base, "DOMAIN": "CM", "CMTRT": "PARACETAMOL", "CMDOSE": "500", "CMDOSU": "mg", "CMSTDTC": "2020-02-20",
          "CMENDTC": "2020-03-05", "VISIT": ""}
    _write_csv(folder / "cm.csv", [{**cm, "CMSEQ": "1", "VISIT": "WEEK 1"}, {**cm, "CMSEQ": "2", "VISIT": "WEEK 2"},
                                   {**cm, "CMSEQ": "3", "CMTRT": "OMEPRAZOLE", "CMSTDTC": "2019", "CMENDTC": "2020-01"},
                                   {**cm, "CMSEQ": "4", "CMTRT": "IBUPROFEN", "CMSTDTC": "2020-03-05",
                                    "CMENDTC": "2020-03-01"}])
    lb = {**base, "DOMAIN": "LB", "LBTESTCD": "ALT", "LBTEST": "Alanine Aminotransferase", "LBSTRESU": "U/L",
          "LBSTNRLO": "7", "LBSTNRHI": "56", "LBNRIND": ""}
    _write_csv(folder / "lb.csv", [{**lb, "LBSEQ": "1", "LBSTRESN": "30", "LBDTC": "2020-03-02", "LBNRIND": "NORMAL"},
                                   {**lb, "LBSEQ": "2", "LBSTRESN": "240", "LBDTC": "2020-03-09", "LBNRIND": "HIGH"},
                                   {**lb, "LBSEQ": "3", "LBSTRESN": "80", "LBDTC": "2020-03-16"},
                                   {**lb, "LBSEQ": "4", "LBTESTCD": "K", "LBTEST": "Potassium", "LBSTRESN": "4.1",
                                    "LBSTRESU": "mmol/L", "LBSTNRLO": "3.5", "LBSTNRHI": "5.1", "LBDTC": "2020-03-02"}])
    return folder


def test_own_study_edge_cases(tmp_path: Path) -> None:
    result = convert_paths([_study(tmp_path)])
    case = result.cases[0]
    assert case["anchor_date"] == "2020-03-01"
    drug_x = event_of(case, case["suspect"]["drug"])
    assert (drug_x["start"]["time"], drug_x["end"]["time"]) == ("2020-03-01", "2020-03-10")  # 10 daily records
    drug_y = next(e for e in case["events"] if e.get("drug") == "Drug Y")
    assert [t["time"] for t in drug_y["schedule"]["at"]] == ["2020-03-01", "2020-04-01", "2020-05-01"]
    ae = {e["source"]["section"]: e for e in case["events"] if e["kind"] == "symptom"}
    assert ae["AE AESEQ=1"]["start"]["time"] == "2020-03"  # a month stays a month
    assert ae["AE AESEQ=1"]["severity"]["scale"] == "CTCAE grade"
    assert ae["AE AESEQ=2"]["start"] == {"time": "day 0", "stated": "AESTDY 1 (study day 1 = day 0)"}
    assert ae["AE AESEQ=3"]["start"]["time"] == "day -1"
    assert ae["AE AESEQ=4"]["start"]["time"] == "2020"  # 2020---14: the month is missing
    assert ae["AE AESEQ=5"]["start"]["time"] == "unknown"  # --03-02: no year
    assert "AESTDTC --03-02" in ae["AE AESEQ=5"]["start"]["stated"]
    assert any(e["kind"] == "milestone" and e["type"] == "death" for e in case["events"])  # AEOUT FATAL
    paracetamol = [e for e in case["events"] if e.get("drug") == "Paracetamol"]
    assert len(paracetamol) == 1 and "exact repeat: CM CMSEQ=2" in paracetamol[0]["source"]["note"]
    assert next(e for e in case["events"] if e.get("drug") == "Omeprazole")["role"] == "prior"
    ibuprofen = next(e for e in case["events"] if e.get("drug") == "Ibuprofen")
    assert "end" not in ibuprofen and "before its start" in ibuprofen["note"]  # the source's slip, not an error
    assert any(w.record == "CM CMSEQ=4" and "end before start" in w.message for w in result.warnings)
    labs = {e["source"]["section"]: e for e in case["events"] if e["kind"] == "investigation"}
    assert set(labs) == {"LB LBSEQ=2", "LB LBSEQ=3"}  # flagged HIGH, and unflagged but above 56
    assert labs["LB LBSEQ=2"]["value"] == 240 and labs["LB LBSEQ=2"]["reference"] == {"low": 7, "high": 56}
    assert labs["LB LBSEQ=3"]["interpretation"] == "abnormal"
    resolved = load_clean(result, tmp_path)[0]
    assert item_of(resolved, ae["AE AESEQ=2"]["id"]).start.best == 0


def test_lab_options_and_relative_days(tmp_path: Path) -> None:
    folder = _study(tmp_path)
    chosen = convert_paths([folder], options=ImportOptions(lab_tests=("K",), lab_window=(0, 7))).cases[0]
    tests = sorted(e["source"]["section"] for e in chosen["events"] if e["kind"] == "investigation")
    assert tests == ["LB LBSEQ=4"]  # potassium chosen; ALT results after day 7 are outside the window
    relative = convert_paths([folder], options=ImportOptions(relative_days=True))
    text = json.dumps(relative.cases)
    assert "2020-" not in text and "anchor_date" not in relative.cases[0]
    drug = event_of(relative.cases[0], relative.cases[0]["suspect"]["drug"])
    assert (drug["start"]["time"], drug["end"]["time"]) == ("day 0", "day 9")
    load_clean(relative, tmp_path)


def test_adam_imputed_dates_are_not_written_as_stated(tmp_path: Path) -> None:
    frame = pd.DataFrame({"STUDYID": ["S1"], "USUBJID": ["S1-009"], "AETERM": ["Cough"], "AESEQ": [1.0],
                          "ASTDT": [21975.0], "ASTDTF": ["D"], "AENDT": [21990.0], "AENDTF": [""]})
    pyreadstat.write_xport(frame, str(tmp_path / "adae.xpt"), table_name="ADAE")
    assert identify(tmp_path / "adae.xpt") == "sdtm"
    result = convert_paths([tmp_path / "adae.xpt"])
    cough = result.cases[0]["events"][0]
    assert cough["start"]["time"] == "2020-03"  # 2020-03-01 with an imputed day: only the month is stated
    assert "imputed, ASTDTF=D" in cough["start"]["stated"]
    assert cough["end"]["time"] == "2020-03-16"


def test_dataset_json_ndjson_and_zlib_dsjc(tmp_path: Path) -> None:
    meta = {"datasetJSONVersion": "1.1.0", "name": "AE", "records": 1,
            "columns": [{"name": n, "dataType": t} for n, t in (("USUBJID", "string"), ("AESEQ", "integer"),
                                                                 ("AETERM", "string"), ("AESTDTC", "date"))]}
    lines = [json.dumps(meta), json.dumps(["S-1", 1, "FEVER", "2019-07"])]
    (tmp_path / "ae.ndjson").write_text("\n".join(lines))
    (tmp_path / "z").mkdir()
    (tmp_path / "z" / "ae.dsjc").write_bytes(zlib.compress("\n".join(lines).encode()))  # zlib, as the spec says
    for path in (tmp_path / "ae.ndjson", tmp_path / "z" / "ae.dsjc"):
        assert identify(path) == "sdtm"
        fever = convert_paths([path]).cases[0]["events"][0]
        assert (fever["label"], fever["start"]["time"]) == ("Fever", "2019-07")



def test_another_suspect_keeps_day_0_at_the_reference_start(tmp_path: Path) -> None:
    result = convert_paths([_study(tmp_path)], suspect="paracetamol")  # a CM drug started before RFSTDTC
    case = result.cases[0]
    paracetamol = event_of(case, case["suspect"]["drug"])
    assert paracetamol["drug"] == "Paracetamol" and paracetamol["role"] == "suspected"
    assert event_of(case, "ex-drug-x").get("role") != "suspected"
    assert (case["anchor"], case["anchor_date"]) == ("day 0", "2020-03-01")  # day 0 is RFSTDTC, not a first dose
    resolved = load_clean(result, tmp_path)[0]
    assert item_of(resolved, paracetamol["id"]).start.best == -10  # 2020-02-20
