"""E2B(R3) ICSRs and openFDA reports: the FDA test scenario field by field, and our own batches."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from caseline.io.standards import UnreadableInput, convert_paths, identify
from caseline.io.standards import e2b as e2b_reader
from caseline.io.standards.model import ImportOptions
from standards_support import event_of, item_of, load_clean, standard_file

NS = {"h": "urn:hl7-org:v3"}


def test_fda_scenario_field_by_field(tmp_path: Path) -> None:
    path = standard_file("e2b_r3/FAERS2022Scenario1.xml")
    assert identify(path) == "e2b"
    root = ET.parse(path).getroot()  # the test reads the source itself, independently of the importer
    report_id = root.find(".//h:investigationEvent/h:id", NS).get("extension")  # type: ignore[union-attr]
    result = convert_paths([path])
    assert len(result.cases) == 1
    case = result.cases[0]
    assert report_id in case["patient"]["identifiers"] and "JD" in case["patient"]["identifiers"]
    assert case["patient"]["sex"] == "male" and case["patient"]["age"] == "48"
    assert "born 2001-06-15" in case["patient"]["identifiers"]  # D.2.1 20010615
    first, second = event_of(case, "reaction-1"), event_of(case, "reaction-2")
    assert first["label"] == "Thrombose veineuse profonde"  # E.i.1.2 as reported, not a MedDRA lookup
    assert "MedDRA 10027940" in first["source"]["note"]
    assert first["start"] == {"time": "2014-10-10", "stated": "E.i.4 20141010"}
    assert first["ongoing"] is True and first["outcome"] == "not_recovered" and "disability" in first["seriousness"]
    assert "course" not in second and second["outcome"] == "recovered"  # no end date: no resolution point
    drug_a, drug_b, drug_c = (event_of(case, i) for i in ("drug-a", "drug-b", "drug-c"))
    assert (drug_a["role"], drug_b["role"], drug_c["role"]) == ("suspected", "suspected", "concomitant")
    assert drug_a["start"] == {"time": "unknown", "stated": "G.k.4.r.4 nullFlavor ASKU (asked, unknown)"}
    assert drug_a["route"] == "Oral" and case["diagnosis"] == "Embolism venous"  # the suspect's indication
    assert {"drug": "drug-a", "reaction": "reaction-2", "scale": "other", "value": "Suspected",  # G.k.9.i.2
            "by": "primary source reporter", "note": "method: Global Introspection (G.k.9.i.2.r.2)",
            } in case["causality"]
    assert case["suspect"]["drug"] == "drug-a" and case["suspect"]["reaction_event"] == "reaction-1"
    assert case["anchor"] == "reaction-1"  # the suspect's first date is not known: day 0 is the onset
    resolved = load_clean(result, tmp_path)[0]
    assert item_of(resolved, "reaction-1").start.best == 0


def _icsr(report_id: str, body: str) -> str:
    return f"""
  <PORR_IN049016UV><controlActProcess><subject><investigationEvent>
    <id extension="{report_id}" root="2.16.840.1.113883.3.989.2.1.3.1"/>
    <text>Narrative of {report_id}</text>
    <reference typeCode="REFR"><document><code code="2"/>
      <bibliographicDesignationText>Doe J. A case. J Ex. 2015;1:1-2.</bibliographicDesignationText>
    </document></reference>
    <component><adverseEventAssessment><subject1><primaryRole>
      <player1><name>AB</name><administrativeGenderCode code="2"/><deceasedTime value="20150301"/></player1>
      {body}
    </primaryRole></subject1>
    <component><causalityAssessment><code code="20" codeSystem="2.16.840.1.113883.3.989.2.1.1.19"/>
      <value code="1"/><subject2><productUseReference><id root="drug-1"/></productUseReference></subject2>
    </causalityAssessment></component>
    </adverseEventAssessment></component>
  </investigationEvent></subject></controlActProcess></PORR_IN049016UV>"""


_BODY = """
  <subjectOf2><observation><id root="r-1"/><code code="29" codeSystem="2.16.840.1.113883.3.989.2.1.1.19"/>
    <effectiveTime><low nullFlavor="UNK"/></effectiveTime>
    <value code="10037087" codeSystem="2.16.840.1.113883.6.163"><originalText>Itchy rash</originalText></value>
  </observation></subjectOf2>
  <subjectOf2><organizer><code code="3" codeSystem="2.16.840.1.113883.3.989.2.1.1.20"/>
    <component><observation><code><originalText>ALT</originalText></code><effectiveTime value="201401"/>
      <value xsi:type="PQ" value="250" unit="U/L"/>
      <referenceRange><observationRange><value value="7"/><interpretationCode code="L"/>
        </observationRange></referenceRange>
      <referenceRange><observationRange><value value="56"/><interpretationCode code="H"/>
        </observationRange></referenceRange>
    </observation></component></organizer></subjectOf2>
  <subjectOf2><organizer><code code="4" codeSystem="2.16.840.1.113883.3.989.2.1.1.20"/>
    <component><substanceAdministration><id root="drug-1"/>
      <consumable><instanceOfKind><kindOfProduct><name>CARBAMAZEPINE</name></kindOfProduct></instanceOfKind></consumable>
      <outboundRelationship2 typeCode="COMP"><substanceAdministration>
        <effectiveTime xsi:type="SXPR_TS"><comp xsi:type="PIVL_TS"><period value="12" unit="h"/></comp>
          <comp xsi:type="IVL_TS" operator="A"><low value="20140105"/><high value="201402"/></comp></effectiveTime>
        <doseQuantity value="200" unit="mg"/></substanceAdministration></outboundRelationship2>
      <outboundRelationship1 typeCode="SAS"><pauseQuantity value="9" unit="d"/>
        <actReference><id root="r-1"/></actReference></outboundRelationship1>
      <outboundRelationship2 typeCode="PERT"><observation><code code="31"/><value code="1"/>
        <outboundRelationship1><actReference><id root="r-1"/></actReference></outboundRelationship1>
      </observation></outboundRelationship2>
      <inboundRelationship typeCode="CAUS"><act><code code="1"/></act></inboundRelationship>
    </substanceAdministration></component></organizer></subjectOf2>"""


def _batch(*reports: str) -> str:
    return ('<?xml version="1.0"?><MCCI_IN200100UV01 xmlns="urn:hl7-org:v3" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' + "".join(reports) + "</MCCI_IN200100UV01>")


def test_batch_dosage_onset_recurrence_and_tests(tmp_path: Path) -> None:
    path = tmp_path / "batch.xml"
    path.write_text(_batch(_icsr("XX-1", _BODY), _icsr("XX-2", _BODY)))
    result = convert_paths([path])
    assert [c["id"] for c in result.cases] == ["icsr-xx-1", "icsr-xx-2"]
    assert [s.subject for s in result.summaries] == ["XX-1", "XX-2"]
    case = result.cases[0]
    drug = event_of(case, "carbamazepine")
    assert drug["start"]["time"] == "2014-01-05" and drug["end"]["time"] == "2014-02"  # G.k.4.r.5 to the month
    assert (drug["dose"], drug["unit"], drug["frequency"]) == (200, "mg", "every 12 hours")
    rash = event_of(case, "reaction-1")
    assert rash["start"] == {"time": "9 days after carbamazepine", "stated": "G.k.9.i.3.1 (first dose to onset) 9 d"}
    assert event_of(case, "carbamazepine-stop")["at"] == drug["end"]  # G.k.8 drug withdrawn
    assert event_of(case, "carbamazepine-again")["kind"] == "rechallenge"
    assert event_of(case, "reaction-1-recurred")["start"]["time"] == "after carbamazepine-again"
    alt = event_of(case, "test-1")
    assert (alt["at"]["time"], alt["value"], alt["reference"]) == ("2014-01", 250.0, {"low": 7.0, "high": 56.0})
    assert event_of(case, "death")["at"]["time"] == "2015-03-01"
    assert case["citation"] == {"note": "Doe J. A case. J Ex. 2015;1:1-2."}
    only = convert_paths([path], subject="XX-2")
    assert [c["id"] for c in only.cases] == ["icsr-xx-2"]
    resolved = load_clean(result, tmp_path)[0]
    assert item_of(resolved, "reaction-1").start.best == 9


@pytest.mark.parametrize("declaration", [
    '<!DOCTYPE x [<!ENTITY boom "boom">]>',
    '<!DOCTYPE x SYSTEM "http://example.org/evil.dtd">',
])
def test_doctype_and_entities_are_refused(tmp_path: Path, declaration: str) -> None:
    path = tmp_path / "evil.xml"
    path.write_text('<?xml version="1.0"?>\n' + declaration + "\n" + _batch(_icsr("XX-1", _BODY)))
    with pytest.raises(UnreadableInput) as raised:
        e2b_reader.convert(str(path), ImportOptions())
    warning = raised.value.warning
    assert (warning.line, warning.column) == (2, 1) and "DOCTYPE" in warning.message
    assert str(warning).startswith(f"{path}:2:1: refused")
    result = convert_paths([path])
    assert not result.cases and result.warnings[0].unreadable


def test_openfda_reports(tmp_path: Path) -> None:
    document = {"meta": {}, "results": [{
        "safetyreportid": "10003301", "serious": "1", "seriousnesshospitalization": "1",
        "patient": {"patientonsetage": "67", "patientonsetageunit": "801", "patientsex": "2",
                    "reaction": [{"reactionmeddrapt": "Hepatitis", "reactionoutcome": "2"}],
                    "drug": [{"drugcharacterization": "1", "medicinalproduct": "AMOXICILLIN", "drugstartdate": "201403",
                              "drugstartdateformat": "610", "drugenddate": "20140320", "drugenddateformat": "102",
                              "drugstructuredosagenumb": "500", "drugstructuredosageunit": "003", "actiondrug": "1"},
                             {"drugcharacterization": "2", "medicinalproduct": "ASPIRIN"}]}}]}
    path = tmp_path / "event.json"
    path.write_text(json.dumps(document))
    assert identify(path) == "openfda"
    result = convert_paths([path])
    case = result.cases[0]
    amoxicillin = event_of(case, "amoxicillin")
    assert amoxicillin["start"]["time"] == "2014-03" and amoxicillin["end"]["time"] == "2014-03-20"
    assert (amoxicillin["dose"], amoxicillin["unit"], amoxicillin["role"]) == (500.0, "mg", "suspected")
    assert event_of(case, "amoxicillin-stop")["at"]["time"] == "2014-03-20"
    hepatitis = event_of(case, "reaction-1")
    assert hepatitis["start"]["time"] == "unknown" and hepatitis["ongoing"] is True  # openFDA gives no onset date
    assert case["patient"] == {"age": "67", "sex": "female", "identifiers": ["10003301"]}
    load_clean(result, tmp_path)
