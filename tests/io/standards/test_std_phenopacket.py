"""Phenopackets v2: the phenopacket-store files field by field, and every TimeElement form."""

from __future__ import annotations

import json
from pathlib import Path

from caseline.io.standards import convert_paths, identify
from caseline.io.standards.phenopacket import time_element
from standards_support import event_of, item_of, load_clean, standard_file


def test_setbp1_proposita(tmp_path: Path) -> None:
    path = standard_file("phenopackets/SETBP1__PMID_29333303_proposita.json")
    packet = json.loads(path.read_text())
    assert identify(path) == "phenopacket"
    result = convert_paths([path])
    case = result.cases[0]
    assert case["anchor"] == "birth" and case["patient"]["sex"] == "female"
    assert case["citation"]["pmid"] == "29333303"
    features = packet["phenotypicFeatures"]
    congenital = next(f for f in features if (f.get("onset") or {}).get("ontologyClass", {}).get("id") == "HP:0003577")
    ribs = event_of(case, "f-" + congenital["type"]["id"].lower().replace(":", "-"))
    assert ribs["label"] == congenital["type"]["label"] and ribs["start"]["time"] == "birth"
    aged = next(f for f in features if "age" in (f.get("onset") or {}))
    feeding = event_of(case, "f-" + aged["type"]["id"].lower().replace(":", "-"))
    assert feeding["start"] == {"time": "8 months after birth", "stated": "onset age P8M"}
    excluded = next(f for f in features if f.get("excluded"))
    negative = next(e for e in case["events"] if e.get("test") == excluded["type"]["label"])
    assert negative["kind"] == "investigation" and negative["result"] == "absent (excluded)"
    assert negative["note"].startswith("Pertinent negative")  # needs the format's 'negative' construct
    assert event_of(case, "death")["at"]["time"] == "unknown"
    assert event_of(case, "last-encounter")["at"]["time"] == "11 months after birth"
    resolved = load_clean(result, tmp_path)[0]
    assert round(item_of(resolved, feeding["id"]).start.best) == round(8 * 30.4375)


def test_cyp21a2_measurements(tmp_path: Path) -> None:
    path = standard_file("phenopackets/CYP21A2__PMID_30968594_individual_1.json")
    packet = json.loads(path.read_text())
    result = convert_paths([path])
    case = result.cases[0]
    testosterone = next(m for m in packet["measurements"] if m["assay"]["id"] == "LOINC:2986-8")
    event = event_of(case, "m-loinc-2986-8")
    quantity = testosterone["value"]["quantity"]
    assert event["value"] == quantity["value"] and event["value_unit"] == quantity["unit"]["label"]
    assert event["reference"] == {"low": quantity["referenceRange"]["low"], "high": quantity["referenceRange"]["high"]}
    assert event["interpretation"] == "abnormal" and event["at"]["time"] == "unknown"
    assert case["diagnosis"] == packet["diseases"][0]["term"]["label"]
    assert event_of(case, "dx-omim-201910")["at"]["time"] == "20 days after birth"  # onset P20D
    load_clean(result, tmp_path)


def test_time_elements() -> None:
    assert time_element({"ontologyClass": {"id": "HP:0003593", "label": "Infantile onset"}}, "onset")["time"] == \
        "between 28 days after birth and 1 year after birth"
    adult = time_element({"ontologyClass": {"id": "HP:0003581", "label": "Adult onset"}}, "onset")
    assert adult == {"time": "unknown", "stated": "onset Adult onset (HP:0003581)"}  # open-ended: not bounded
    assert time_element({"ageRange": {"start": {"iso8601duration": "P2Y"}, "end": {"iso8601duration": "P3Y"}}},
                        "onset")["time"] == "between 2 years after birth and 3 years after birth"
    assert time_element({"timestamp": "2019-03-04T10:00:00Z"}, "onset")["time"] == "2019-03-04"
    assert time_element({"gestationalAge": {"weeks": 33}}, "onset")["time"] == "before birth"
    assert time_element(None, "onset")["time"] == "unknown"


def test_medical_actions_and_cohorts(tmp_path: Path) -> None:
    member = {"id": "p1", "subject": {"id": "P1", "sex": "MALE", "dateOfBirth": "2001-05-06T00:00:00Z"},
              "phenotypicFeatures": [{"type": {"id": "HP:0001250", "label": "Seizure"},
                                      "onset": {"age": {"iso8601duration": "P3Y"}},
                                      "resolution": {"age": {"iso8601duration": "P4Y"}}}],
              "medicalActions": [{"treatment": {"agent": {"id": "CHEBI:1", "label": "levetiracetam"},
                                                "doseIntervals": [{"quantity": {"unit": {"label": "mg"}, "value": 500},
                                                                   "scheduleFrequency": {"label": "twice daily"},
                                                                   "interval": {"start": "2004-06-01T00:00:00Z",
                                                                                "end": "2005-06-01T00:00:00Z"}}]},
                                  "adverseEvents": [{"id": "HP:0000718", "label": "Aggressive behavior"}]}],
              "metaData": {"phenopacketSchemaVersion": "2.0"}}
    path = tmp_path / "cohort.json"
    path.write_text(json.dumps({"id": "c", "members": [member, {**member, "id": "p2", "subject": {"id": "P2"}}]}))
    result = convert_paths([path])
    assert [c["id"] for c in result.cases] == ["individual-p1", "individual-p2"]
    case = result.cases[0]
    assert case["anchor_date"] == "2001-05-06" and "born 2001-05-06T00:00:00Z" in case["patient"]["identifiers"]
    drug = event_of(case, "drug-levetiracetam")
    assert (drug["dose"], drug["unit"], drug["frequency"]) == (500, "mg", "twice daily")
    assert (drug["start"]["time"], drug["end"]["time"]) == ("2004-06-01", "2005-06-01")
    assert "Aggressive behavior" in drug["note"]
    assert event_of(case, "f-hp-0001250")["end"]["time"] == "4 years after birth"
    # p2 has dated treatments but no date of birth: caseline says they cannot be placed (nothing guessed)
    first, second = load_clean(result, tmp_path, allowed=("individual-p2", "cannot be placed"))
    assert first.diagnostics == () and len(second.diagnostics) == 2
