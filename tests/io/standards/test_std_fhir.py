"""FHIR R4: the official examples and a Synthea bundle field by field, and Bulk NDJSON folders of our own."""

from __future__ import annotations

import json
from pathlib import Path

from caseline.io.standards import ImportOptions, convert_paths, identify
from standards_support import event_of, load_clean, standard_file


def test_adverse_event_example_names_the_suspect(tmp_path: Path) -> None:
    path = standard_file("fhir_r4/AdverseEvent-example.json")
    source = json.loads(path.read_text())
    assert identify(path) == "fhir"
    result = convert_paths([path])
    case = result.cases[0]
    reaction = event_of(case, case["suspect"]["reaction_event"])
    assert reaction["label"] == source["event"]["text"]  # code.text is shown, the SNOMED code kept
    assert "SNOMED CT 304386008" in reaction["source"]["note"]
    assert reaction["start"]["time"] == source["date"][:10] and source["date"] in reaction["start"]["stated"]
    assert reaction["severity"]["values"][0]["text"] == "Mild"
    suspect = event_of(case, case["suspect"]["drug"])
    assert suspect["role"] == "suspected" and suspect["start"]["time"] == "unknown"  # no administration: no date
    assert source["suspectEntity"][0]["instance"]["reference"] in suspect["source"]["note"]
    load_clean(result, tmp_path)


def test_medication_examples(tmp_path: Path) -> None:
    administration = standard_file("fhir_r4/MedicationAdministration-medadmin0301.json")
    statement = standard_file("fhir_r4/MedicationStatement-example001.json")
    result = convert_paths([administration, statement])
    assert [c["id"] for c in result.cases] == ["patient-pat1", "patient-pat1-2"]
    vancomycin = result.cases[0]["events"][0]
    assert vancomycin["drug"].startswith("Vancomycin") and (vancomycin["dose"], vancomycin["unit"]) == (500, "mg")
    assert vancomycin["start"]["time"] == "2015-01-15"  # 2015-01-15T14:30:00+01:00, the local date
    assert "end" not in vancomycin  # in progress: an open course
    tylenol = result.cases[1]["events"][0]
    assert tylenol["start"]["time"] == "2015-01-23" and tylenol["ongoing"] is True  # status active
    assert "Donald Duck" in result.cases[1]["patient"]["identifiers"]  # subject.display is identifying
    load_clean(result, tmp_path)


def test_synthea_bundle_is_legible(tmp_path: Path) -> None:
    path = standard_file("fhir_r4/synthea_covid_juvenile_Cris921.json")
    bundle = json.loads(path.read_text())
    immunizations = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Immunization"]
    flu = [r["occurrenceDateTime"][:10] for r in immunizations if r["vaccineCode"]["coding"][0]["code"] == "140"]
    result = convert_paths([path])
    case = result.cases[0]
    vaccine = next(e for e in case["events"] if e.get("drug", "").startswith("Influenza"))
    assert [t["time"] for t in vaccine["schedule"]["at"]] == sorted(flu) and len(flu) == 10  # one lane, ten doses
    labs = [e for e in case["events"] if e["kind"] == "investigation" and e["id"].startswith("obs-")]
    assert [e["test"] for e in labs] == ["SARS-CoV-2 RNA Pnl Resp NAA+probe"]  # the negative panel members are filtered
    assert labs[0]["interpretation"] == "abnormal" and labs[0]["result"].startswith("Detected")
    panel = next(e for e in case["events"] if e["id"].startswith("report-respiratory"))
    assert panel["result"].startswith("Negative: 9 tests") and panel["interpretation"] == "normal"
    assert not any(e["kind"] == "milestone" for e in case["events"])  # well-child visits are noise
    assert "born 2006-02-22" in case["patient"]["identifiers"] and "Cris921 Rath779" in case["patient"]["identifiers"]
    assert any("ambulatory encounters" in w.message for w in result.warnings)
    noisy = convert_paths([path], options=ImportOptions(include_noise=True)).cases[0]
    assert sum(e["kind"] == "milestone" for e in noisy["events"]) == 11
    load_clean(result, tmp_path)


def _ndjson(folder: Path, name: str, resources: list[dict[str, object]]) -> None:
    (folder / name).write_text("\n".join(json.dumps(r) for r in resources) + "\n")


def test_bulk_export_folder(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    _ndjson(folder, "Patient.ndjson", [{"resourceType": "Patient", "id": p, "gender": "male"} for p in ("a", "b")])
    _ndjson(folder, "MedicationRequest.ndjson", [
        {"resourceType": "MedicationRequest", "id": "5c1", "status": "active", "subject": {"reference": "Patient/a"},
         "medicationCodeableConcept": {"text": "Allopurinol 300 mg"}, "authoredOn": "2019-04"}])
    _ndjson(folder, "Observation.ndjson", [
        {"resourceType": "Observation", "id": "o1", "status": "final", "subject": {"reference": "Patient/a"},
         "category": [{"coding": [{"code": "social-history"}]}], "code": {"text": "Tobacco use"},
         "effectiveDateTime": "2019-04-02"},
        {"resourceType": "Observation", "id": "o2", "status": "final", "subject": {"reference": "Patient/a"},
         "category": [{"coding": [{"code": "laboratory"}]}], "code": {"text": "Eosinophils"},
         "effectiveDateTime": "2019-05-20", "valueQuantity": {"value": 2.1, "unit": "10*9/L"},
         "referenceRange": [{"low": {"value": 0}, "high": {"value": 0.5}}]},
        {"resourceType": "Observation", "id": "o3", "status": "entered-in-error", "subject": {"reference": "Patient/b"},
         "code": {"text": "Glucose"}, "effectiveDateTime": "2019-05-20"}])
    _ndjson(folder, "Condition.ndjson", [
        {"resourceType": "Condition", "id": "c1", "subject": {"reference": "Patient/b"}, "code": {"text": "DRESS"},
         "onsetDateTime": "2019-06", "clinicalStatus": {"coding": [{"code": "active"}]}}])
    assert identify(folder) == "fhir"
    result = convert_paths([folder])
    a, b = result.cases
    prescription = event_of(a, "med-allopurinol-300-mg")
    assert prescription["source"]["section"] == "MedicationRequest/5c1"
    assert prescription["start"]["time"] == "2019-04" and "prescribed" in prescription["start"]["stated"]
    assert prescription["note"].startswith("Prescription date, not exposure")
    eosinophils = next(e for e in a["events"] if e["kind"] == "investigation")
    assert (eosinophils["value"], eosinophils["interpretation"]) == (2.1, "abnormal")
    assert not any("Tobacco" in str(e) for e in a["events"])  # social history is noise
    assert eosinophils["source"]["note"].startswith("from Observation.ndjson:2")
    dress = b["events"][0]
    assert (dress["label"], dress["start"]["time"], dress["ongoing"]) == ("DRESS", "2019-06", True)
    assert any("entered-in-error" in w.message for w in result.warnings)
    only = convert_paths([folder], subject="b")
    assert [c["id"] for c in only.cases] == ["patient-b"]
    load_clean(result, tmp_path)
