"""E2B(R3) data with a structured home in the case format lands there, not in notes: seriousness (E.i.3.2),
outcome (E.i.7), action taken (G.k.8), reported causality (G.k.9.i.2), indication (G.k.7) and cause of death
(D.9.2). Each import is written, loaded back as a reviewer's window would load it, and read where the
details panel, the Causality tab and ``caseline table`` read it."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from caseline.analysis.causality import reported
from caseline.analysis.clinical_wording import clinical_rows
from caseline.analysis.tables import item_row
from caseline.io.standards import convert_paths, write_import
from caseline.model.clinical import ActionTaken, CausalityScale, LinkType, ReactionOutcome, Seriousness
from caseline.timeline.load import LoadResult, load_file
from standards_support import event_of, item_of, standard_file

NS = {"h": "urn:hl7-org:v3"}
ICH = "2.16.840.1.113883.3.989.2.1.1.19"
#: What a note must no longer carry once the field holds it.
STRUCTURED_WORDS = ("Serious", "Outcome (E.i.7)", "Action taken", "Causality", "Indication", "cause of death")


def _load(result: Any, tmp_path: Path) -> LoadResult:
    """The import written as a case file and loaded back: what ``caseline validate`` checks (no error, no warning)."""
    written = write_import(result, tmp_path / "icsr.caseline.yaml")
    loaded = load_file(written)
    assert loaded.ok and not loaded.diagnostics, [str(d) for d in loaded.diagnostics]
    return loaded


def _notes(case: dict[str, Any]) -> str:
    return " ".join(str(e.get("note", "")) for e in case["events"])


# ---------------------------------------------------------------------------- the FDA test scenario


def _source_assessments(path: Path) -> set[tuple[str, str, str, str, str]]:
    """(drug name, reaction id, result, method, source) of every G.k.9.i.2.r of the file, read from the XML
    itself, independently of the importer (the reactions numbered in file order, as the importer names them)."""
    root = ET.parse(path).getroot()
    role = root.find(".//h:primaryRole", NS)
    assert role is not None
    reactions = [o.find("h:id", NS).get("root") for o in role.findall("h:subjectOf2/h:observation", NS)  # type: ignore[union-attr]
                 if o.find("h:code", NS).get("code") == "29"]  # type: ignore[union-attr]
    drugs = {d.find("h:id", NS).get("root"): d.findtext(".//h:kindOfProduct/h:name", namespaces=NS)  # type: ignore[union-attr]
             for d in root.iter("{urn:hl7-org:v3}substanceAdministration") if d.find("h:id", NS) is not None}
    out = set()
    for assessment in root.iter("{urn:hl7-org:v3}causalityAssessment"):
        if assessment.find("h:code", NS).get("code") != "39":  # type: ignore[union-attr]
            continue
        drug = assessment.find("h:subject2/h:productUseReference/h:id", NS).get("root")  # type: ignore[union-attr]
        reaction = assessment.find("h:subject1/h:adverseEffectReference/h:id", NS).get("root")  # type: ignore[union-attr]
        out.add((str(drugs[drug]), f"reaction-{reactions.index(reaction) + 1}",
                 assessment.findtext("h:value", namespaces=NS) or "",
                 assessment.findtext("h:methodCode/h:originalText", namespaces=NS) or "",
                 assessment.findtext("h:author/h:assignedEntity/h:code/h:originalText", namespaces=NS) or ""))
    return out


def test_fda_scenario_fields_where_a_reviewer_reads_them(tmp_path: Path) -> None:
    path = standard_file("e2b_r3/FAERS2022Scenario1.xml")
    result = convert_paths([path])
    case = result.cases[0]
    notes = _notes(case)
    assert not any(word in notes for word in STRUCTURED_WORDS), notes
    assert "causality" not in case["suspect"]  # the list holds it: the case details would say it twice
    loaded = _load(result, tmp_path)
    resolved = loaded.cases[0]
    model = resolved.case
    dvt, colitis = model.event("reaction-1"), model.event("reaction-2")
    assert dvt is not None and colitis is not None
    # E.i.3.2d and E.i.3.2f true, the other criteria nullFlavor NI; E.i.7 codes 3 and 1
    assert dvt.seriousness == (Seriousness.DISABILITY, Seriousness.OTHER_MEDICALLY_IMPORTANT)
    assert colitis.seriousness == (Seriousness.OTHER_MEDICALLY_IMPORTANT,)
    assert (dvt.outcome, colitis.outcome) == (ReactionOutcome.NOT_RECOVERED, ReactionOutcome.RECOVERED)
    # G.k.8 of Drug A, the suspected drug, is code 0 (unknown); Drugs B and C state none
    assert dvt.action_taken is ActionTaken.UNKNOWN and colitis.action_taken is ActionTaken.UNKNOWN
    assert model.diagnosis == "Embolism venous"  # G.k.7.r.1 of the suspected drug
    drug_ids = {e.drug: e.id for e in model.events if e.drug}
    expected = {(drug_ids[drug], reaction, result_, "primary source reporter" if "PRIMARY" in source
                 else "pharmaceutical company", f"method: {method} (G.k.9.i.2.r.2)")
                for drug, reaction, result_, method, source in _source_assessments(path)}
    assert len(expected) == 4
    assert {(c.drug, c.reaction, c.value, c.by, c.note) for c in model.causality} == expected
    assert all(c.scale is CausalityScale.OTHER for c in model.causality)  # global introspection: no named scale
    # the details panel of the reaction, the Causality tab and caseline table
    rows = dict(clinical_rows(model, dvt))
    assert rows["Seriousness"] == "serious: disability, other medically important"
    assert (rows["Outcome"], rows["Action taken with the drug"]) == ("not recovered", "unknown")
    tab = reported(resolved, "drug-a", "reaction-2")
    assert [(r.scale, r.value) for r in tab] == [("other", "Suspected")]
    assert tab[0].text == ("other scale Suspected (by primary source reporter); "
                           "method: Global Introspection (G.k.9.i.2.r.2)")  # the tab names the method too
    drug_a = model.event("drug-a")
    assert drug_a is not None  # as its details do
    assert [text for field, text in clinical_rows(model, drug_a) if field == "Causality"][1].endswith(
        "Colite ischemique: other scale Suspected (by primary source reporter); "
        "method: Global Introspection (G.k.9.i.2.r.2)")
    assert item_row(resolved, item_of(resolved, "reaction-1"))["outcome"] == "not_recovered"


# ---------------------------------------------------------------------------- our own ICSR: the other codes


def _flags(values: dict[str, str]) -> str:
    """E.i.3.2 criteria: code -> 'true' / 'false' / '' (nullFlavor NI)."""
    out = []
    for code in ("34", "21", "33", "35", "12", "26"):
        value = values.get(code, "")
        written = f'value="{value}"' if value else 'nullFlavor="NI"'
        out.append(f'<outboundRelationship2 typeCode="PERT"><observation><code code="{code}" codeSystem="{ICH}"/>'
                   f'<value xsi:type="BL" {written}/></observation></outboundRelationship2>')
    return "".join(out)


def _reaction(root: str, meddra: str, words: str, outcome: str, flags: str, dates: str = "") -> str:
    return f"""
  <subjectOf2><observation><id root="{root}"/><code code="29" codeSystem="{ICH}"/>
    <effectiveTime xsi:type="IVL_TS"><low value="20200110"/>{dates}</effectiveTime>
    <value code="{meddra}" codeSystem="2.16.840.1.113883.6.163"><originalText>{words}</originalText></value>
    {flags}
    <outboundRelationship2 typeCode="PERT"><observation><code code="27" codeSystem="{ICH}"/>
      <value xsi:type="CE" code="{outcome}"/></observation></outboundRelationship2>
  </observation></subjectOf2>"""


def _drug(root: str, name: str, action: str, indication: str, indication_code: str = "") -> str:
    return f"""
    <component><substanceAdministration><id root="{root}"/>
      <consumable><instanceOfKind><kindOfProduct><name>{name}</name></kindOfProduct></instanceOfKind></consumable>
      <outboundRelationship2 typeCode="COMP"><substanceAdministration>
        <effectiveTime xsi:type="IVL_TS"><low value="20200101"/></effectiveTime></substanceAdministration>
      </outboundRelationship2>
      <inboundRelationship typeCode="RSON"><observation><code code="19" codeSystem="{ICH}"/>
        <value code="{indication_code}" codeSystem="2.16.840.1.113883.6.163"><originalText>{indication}</originalText>
        </value></observation></inboundRelationship>
      <inboundRelationship typeCode="CAUS"><act><code code="{action}"/></act></inboundRelationship>
    </substanceAdministration></component>"""


def _role(drug: str, code: str) -> str:
    return f"""<component><causalityAssessment><code code="20" codeSystem="{ICH}"/><value code="{code}"/>
      <subject2><productUseReference><id root="{drug}"/></productUseReference></subject2>
    </causalityAssessment></component>"""


def _assessment(drug: str, reaction: str, result: str, method: str, source: str) -> str:
    return f"""<component><causalityAssessment><code code="39" codeSystem="{ICH}"/>
      <value xsi:type="ST">{result}</value><methodCode><originalText>{method}</originalText></methodCode>
      <author><assignedEntity><code><originalText>{source}</originalText></code></assignedEntity></author>
      <subject1><adverseEffectReference><id root="{reaction}"/></adverseEffectReference></subject1>
      <subject2><productUseReference><id root="{drug}"/></productUseReference></subject2>
    </causalityAssessment></component>"""


def _icsr(reactions: str, drugs: str, assessments: str, death: str = "", causes: str = "") -> str:
    return f"""<?xml version="1.0"?>
<MCCI_IN200100UV01 xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <PORR_IN049016UV><controlActProcess><subject><investigationEvent>
    <id extension="XX-FIELDS" root="2.16.840.1.113883.3.989.2.1.3.1"/>
    <component><adverseEventAssessment><subject1><primaryRole>
      <player1><administrativeGenderCode code="2"/>{death}</player1>
      {causes}{reactions}
      <subjectOf2><organizer><code code="4" codeSystem="2.16.840.1.113883.3.989.2.1.1.20"/>{drugs}</organizer>
      </subjectOf2>
    </primaryRole></subject1>
    {assessments}
    </adverseEventAssessment></component>
  </investigationEvent></subject></controlActProcess></PORR_IN049016UV>
</MCCI_IN200100UV01>"""


_CAUSE = """
      <subjectOf2><observation><code code="32" codeSystem="{ich}"/>
        <value code="{code}" codeSystem="2.16.840.1.113883.6.163"><originalText>{words}</originalText></value>
      </observation></subjectOf2>"""


def _fatal_case() -> str:
    """SJS (fatal, death and life-threatening and hospitalisation) and a rash (recovered with sequelae,
    all six criteria stated false) under lamotrigine (suspect, dose reduced) and valproate (interacting,
    withdrawn); a concomitant paracetamol for an unknown indication; two causes of death, one a reaction."""
    serious = _flags({"34": "true", "21": "true", "33": "true"})
    none_met = _flags(dict.fromkeys(("34", "21", "33", "35", "12", "26"), "false"))
    reactions = (_reaction("r-1", "10042033", "Stevens-Johnson syndrome", "5", serious, '<high value="20200201"/>')
                 + _reaction("r-2", "10037844", "Rash", "4", none_met, '<high value="20200120"/>'))
    drugs = (_drug("d-1", "LAMOTRIGINE", "2", "Epilepsy") + _drug("d-2", "VALPROATE", "1", "Bipolar disorder")
             + _drug("d-3", "PARACETAMOL", "9", "Product used for unknown indication", "10057097"))
    assessments = (
        _role("d-1", "1") + _role("d-2", "3") + _role("d-3", "2")
        + _assessment("d-1", "r-1", "7", "Naranjo", "PHYSICIAN")
        + _assessment("d-1", "r-2", "Probable", "WHO-UMC", "Regulatory authority")
        + _assessment("d-2", "r-1", "Possible", "Global Introspection", "PRIMARY SOURCE REPORTER")
        + _assessment("d-2", "r-9", "Unlikely", "Company algorithm", "PHARMACEUTICAL COMPANY")
    )
    causes = (_CAUSE.format(ich=ICH, code="10042033", words="Stevens-Johnson syndrome")
              + _CAUSE.format(ich=ICH, code="10040047", words="Sepsis"))
    return _icsr(reactions, drugs, assessments, '<deceasedTime value="20200201"/>', causes)


def test_own_icsr_every_field_in_its_home(tmp_path: Path) -> None:
    path = tmp_path / "fatal.xml"
    path.write_text(_fatal_case())
    result = convert_paths([path])
    case = result.cases[0]
    sjs, rash = event_of(case, "reaction-1"), event_of(case, "reaction-2")
    assert sjs["seriousness"] == ["death", "life_threatening", "hospitalisation"] and sjs["outcome"] == "fatal"
    assert rash["seriousness"] == ["not_serious"]  # all six stated false, not merely not given
    assert rash["outcome"] == "recovered_with_sequelae" and rash["course"][0]["state"] == "resolution"
    assert sjs["action_taken"] == rash["action_taken"] == "dose_reduced"  # lamotrigine is the suspected drug
    assert case["diagnosis"] == "Epilepsy"
    # what has no field stays in the note, said once: valproate's action and indication, its interacting role,
    # paracetamol's action, an assessment of a reaction the report does not have, a cause that is no reaction
    valproate, paracetamol = event_of(case, "valproate"), event_of(case, "paracetamol")
    assert valproate["note"] == ("Indication (G.k.7): Bipolar disorder. Action taken (G.k.8): drug withdrawn. "
                                 "Interacting drug (G.k.1). Causality (G.k.9.i.2): a reaction not in the report: "
                                 "Unlikely (Company algorithm, pharmaceutical company).")
    assert paracetamol["note"] == ("Indication (G.k.7): Product used for unknown indication. "
                                   "Action taken (G.k.8): not applicable.")
    assert "note" not in event_of(case, "lamotrigine") and "note" not in sjs and "note" not in rash
    death = event_of(case, "death")
    assert death["links"] == [{"type": "caused_by", "target": "reaction-1", "note": "reported cause of death (D.9.2)"}]
    assert death["note"] == "Reported cause of death (D.9.2): Sepsis."
    assert event_of(case, "valproate-stop")["kind"] == "dechallenge"  # G.k.8 withdrawn is still drawn
    model = _load(result, tmp_path).cases[0].case
    assert [(c.drug, c.reaction, c.scale, c.value, c.by, c.note) for c in model.causality] == [
        ("lamotrigine", "reaction-1", CausalityScale.NARANJO, "7", "physician", ""),
        ("lamotrigine", "reaction-2", CausalityScale.WHO_UMC, "Probable", "Regulatory authority", ""),
        ("valproate", "reaction-1", CausalityScale.OTHER, "Possible", "primary source reporter",
         "method: Global Introspection (G.k.9.i.2.r.2)"),
    ]
    loaded_sjs = model.event("reaction-1")
    assert loaded_sjs is not None and loaded_sjs.outcome is ReactionOutcome.FATAL
    assert loaded_sjs.action_taken is ActionTaken.DOSE_REDUCED
    loaded_death = model.event("death")
    assert loaded_death is not None and [(link.type, link.target) for link in loaded_death.links] == [
        (LinkType.CAUSED_BY, "reaction-1")]
    assert dict(clinical_rows(model, loaded_death))["Caused by"].startswith("Stevens-Johnson syndrome")


def test_another_suspect_brings_its_own_action_and_indication(tmp_path: Path) -> None:
    """--suspect picks valproate: its G.k.8 and G.k.7 move to the fields, lamotrigine's to its note."""
    path = tmp_path / "fatal.xml"
    path.write_text(_fatal_case())
    case = convert_paths([path], suspect="valproate").cases[0]
    assert case["suspect"]["drug"] == "valproate"
    assert event_of(case, "reaction-1")["action_taken"] == "withdrawn" and case["diagnosis"] == "Bipolar disorder"
    assert event_of(case, "lamotrigine")["note"] == "Indication (G.k.7): Epilepsy. Action taken (G.k.8): dose reduced."
    assert event_of(case, "valproate")["note"].startswith("Interacting drug (G.k.1).")
    _load(convert_paths([path], suspect="valproate"), tmp_path)


@pytest.mark.parametrize(("outcome", "action", "expected_outcome", "expected_action"), [
    ("0", "0", "unknown", "unknown"),
    ("1", "1", "recovered", "withdrawn"),
    ("2", "2", "recovering", "dose_reduced"),
    ("3", "3", "not_recovered", "dose_increased"),
    ("4", "4", "recovered_with_sequelae", "unchanged"),
    ("5", "9", "fatal", "not_applicable"),
])
def test_each_outcome_and_action_code(tmp_path: Path, outcome: str, action: str, expected_outcome: str,
                                      expected_action: str) -> None:
    reactions = _reaction("r-1", "10037844", "Rash", outcome, _flags({"35": "true"}))
    path = tmp_path / "codes.xml"
    path.write_text(_icsr(reactions, _drug("d-1", "AMOXICILLIN", action, "Otitis media"), _role("d-1", "1")))
    result = convert_paths([path])
    rash = event_of(result.cases[0], "reaction-1")
    assert (rash["outcome"], rash["action_taken"], rash["seriousness"]) == (
        expected_outcome, expected_action, ["disability"])
    assert rash.get("ongoing", False) is (outcome in ("2", "3"))  # no end: still going on when reported
    assert not any(word in _notes(result.cases[0]) for word in STRUCTURED_WORDS)
    loaded = _load(result, tmp_path).cases[0].case.event("reaction-1")
    assert loaded is not None and (str(loaded.outcome), str(loaded.action_taken)) == (expected_outcome, expected_action)


def test_a_code_outside_e2b_r3_stays_in_the_note(tmp_path: Path) -> None:
    """E.i.7 6 was "unknown" in E2B(R2) and has been sent for "recovering": which one is not guessed. An FDA
    regional criterion (required intervention) has no value in the seriousness list either."""
    flags = _flags({}) + (
        '<outboundRelationship2 typeCode="PERT"><observation>'
        '<code code="7" codeSystem="2.16.840.1.113883.3.989.5.1.2.2.1.3"/><value xsi:type="BL" value="true"/>'
        "</observation></outboundRelationship2>")
    reactions = _reaction("r-1", "10037844", "Rash", "6", flags)
    path = tmp_path / "r2.xml"
    path.write_text(_icsr(reactions, _drug("d-1", "AMOXICILLIN", "7", "Otitis media"), _role("d-1", "1")))
    result = convert_paths([path])
    case = result.cases[0]
    rash = event_of(case, "reaction-1")
    assert "outcome" not in rash and "seriousness" not in rash and "action_taken" not in rash
    assert rash["note"] == ("Required intervention (FDA.E.i.3.2h), an FDA criterion the seriousness list has not. "
                            "Outcome (E.i.7): code 6, not an E2B(R3) code.")
    assert event_of(case, "amoxicillin")["note"] == "Action taken (G.k.8): code 7, not an E2B(R3) code."
    assert any("E.i.7 outcome code '6'" in str(w) for w in result.warnings)
    _load(result, tmp_path)


def test_a_repeated_drug_section_says_its_action_once(tmp_path: Path) -> None:
    """Two identical G.k sections of a concomitant drug are one event: its action and indication are said once."""
    drugs = _drug("d-1", "AMOXICILLIN", "2", "Otitis media") + _drug("d-2", "PARACETAMOL", "1", "Pain") + _drug(
        "d-3", "PARACETAMOL", "1", "Pain")
    path = tmp_path / "repeat.xml"
    path.write_text(_icsr(_reaction("r-1", "10037844", "Rash", "1", _flags({})), drugs,
                          _role("d-1", "1") + _role("d-2", "2") + _role("d-3", "2")))
    result = convert_paths([path])
    case = result.cases[0]
    assert [e["id"] for e in case["events"] if e.get("drug") == "Paracetamol"] == ["paracetamol"]
    assert event_of(case, "paracetamol")["note"] == "Indication (G.k.7): Pain. Action taken (G.k.8): drug withdrawn."
    assert event_of(case, "reaction-1")["action_taken"] == "dose_reduced"
    _load(result, tmp_path)
