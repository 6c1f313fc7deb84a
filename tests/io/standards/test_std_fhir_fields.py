"""FHIR R4 AdverseEvent data with a structured home in the case format lands there, not in notes:
``seriousness`` and ``outcome`` (HL7 adverse-event-seriousness and adverse-event-outcome) on the reaction,
each ``suspectEntity.causality`` in the case's ``causality`` list. The official AdverseEvent example (when
../shared/testdata/standards is there) and bundles written here for the codes it lacks; each import is
written, loaded back as the window loads it, and read where the details panel, the Causality tab and
``caseline table`` read it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from caseline.analysis.causality import reported
from caseline.analysis.clinical_wording import clinical_rows
from caseline.analysis.tables import item_row
from caseline.io.standards import convert_paths, write_import
from caseline.model.clinical import CausalityScale, ReactionOutcome, Seriousness
from caseline.timeline.load import LoadResult, load_file
from standards_support import event_of, item_of, standard_file

SERIOUSNESS = "http://terminology.hl7.org/CodeSystem/adverse-event-seriousness"
OUTCOME = "http://terminology.hl7.org/CodeSystem/adverse-event-outcome"
#: What a note must no longer carry once a field holds it.
STRUCTURED_WORDS = ("Seriousness", "Severity", "Outcome", "causality", "Causality")


def _load(result: Any, tmp_path: Path) -> LoadResult:
    written = write_import(result, tmp_path / "fhir.caseline.yaml")
    loaded = load_file(written)
    assert loaded.ok and not loaded.diagnostics, [str(d) for d in loaded.diagnostics]
    return loaded


def _notes(case: dict[str, Any]) -> str:
    return " ".join(str(e.get("note", "")) for e in case["events"])


def _coded(system: str, code: str, display: str = "") -> dict[str, Any]:
    return {"coding": [{"system": system, "code": code, **({"display": display} if display else {})}]}


def _bundle(tmp_path: Path, seriousness: dict[str, Any] | None, outcome: dict[str, Any] | None,
            causality: list[dict[str, Any]] | None = None) -> Path:
    adverse: dict[str, Any] = {
        "resourceType": "AdverseEvent", "id": "ae1", "actuality": "actual", "subject": {"reference": "Patient/p"},
        "event": {"text": "Stevens-Johnson syndrome"}, "date": "2020-01-20",
        "suspectEntity": [{"instance": {"reference": "MedicationAdministration/lam"},
                           **({"causality": causality} if causality else {})}]}
    if seriousness is not None:
        adverse["seriousness"] = seriousness
    if outcome is not None:
        adverse["outcome"] = outcome
    resources = [
        {"resourceType": "Patient", "id": "p", "gender": "female"},
        {"resourceType": "MedicationAdministration", "id": "lam", "status": "completed",
         "subject": {"reference": "Patient/p"}, "medicationCodeableConcept": {"text": "lamotrigine"},
         "effectivePeriod": {"start": "2020-01-01", "end": "2020-01-21"}},
        adverse,
    ]
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps({"resourceType": "Bundle", "type": "collection",
                                "entry": [{"fullUrl": f"{r['resourceType']}/{r['id']}", "resource": r}
                                          for r in resources]}))
    return path


def test_official_example_non_serious(tmp_path: Path) -> None:
    """The official AdverseEvent example: Non-serious -> not_serious; its mild severity is the severity
    scale, so neither is said again in a note."""
    path = standard_file("fhir_r4/AdverseEvent-example.json")
    source = json.loads(path.read_text())
    assert source["seriousness"]["coding"][0]["code"] == "Non-serious"
    result = convert_paths([path])
    case = result.cases[0]
    reaction = event_of(case, case["suspect"]["reaction_event"])
    assert reaction["seriousness"] == ["not_serious"] and "outcome" not in reaction  # the example has none
    assert "note" not in reaction and reaction["severity"]["values"][0]["text"] == "Mild"
    model = _load(result, tmp_path).cases[0].case
    loaded = model.event(reaction["id"])
    assert loaded is not None and loaded.seriousness == (Seriousness.NOT_SERIOUS,)
    assert dict(clinical_rows(model, loaded))["Seriousness"] == "not serious"


def test_fatal_reaction_with_its_causality_where_a_reviewer_reads_it(tmp_path: Path) -> None:
    causality = [
        {"assessment": {"coding": [{"code": "Probably-Likely", "display": "Probably/Likely"}]},
         "method": {"coding": [{"code": "ProbabilityScale", "display": "Probability Scale"}]},
         "author": {"reference": "Practitioner/dr-a", "display": "Dr A. Author"}},
        {"assessment": {"text": "7"}, "productRelatedness": "related", "method": {"text": "Naranjo algorithm"}},
        {"method": {"text": "Checklist"}},  # no result: nothing to report
    ]
    path = _bundle(tmp_path, _coded(SERIOUSNESS, "SeriousResultsInDeath", "Results in death"),
                   _coded(OUTCOME, "fatal", "Fatal"), causality)
    result = convert_paths([path])
    case = result.cases[0]
    reaction = event_of(case, "ae")
    assert (reaction["seriousness"], reaction["outcome"]) == (["death"], "fatal")
    assert not any(word in _notes(case) for word in STRUCTURED_WORDS), _notes(case)
    assert "causality" not in case["suspect"]  # the list holds it: the case details would say it twice
    drug = case["suspect"]["drug"]
    assert case["causality"] == [
        {"drug": drug, "reaction": "ae", "scale": "other", "value": "Probably/Likely", "by": "Dr A. Author",
         "note": "method: Probability Scale"},
        {"drug": drug, "reaction": "ae", "scale": "naranjo", "value": "7", "note": "product relatedness: related"},
    ]
    resolved = _load(result, tmp_path).cases[0]
    model = resolved.case
    loaded = model.event("ae")
    assert loaded is not None and (loaded.outcome, loaded.seriousness) == (ReactionOutcome.FATAL,
                                                                          (Seriousness.DEATH,))
    assert [(c.scale, c.value) for c in model.causality] == [(CausalityScale.OTHER, "Probably/Likely"),
                                                             (CausalityScale.NARANJO, "7")]
    rows = dict(clinical_rows(model, loaded))  # the details panel
    assert (rows["Seriousness"], rows["Outcome"]) == ("serious: death", "fatal")
    tab = reported(resolved, drug, "ae")  # the Causality tab
    assert [r.text for r in tab] == ["other scale Probably/Likely (by Dr A. Author); method: Probability Scale",
                                     "Naranjo 7"]
    assert item_row(resolved, item_of(resolved, "ae"))["outcome"] == "fatal"  # caseline table


@pytest.mark.parametrize(("code", "expected"), [
    ("resolved", "recovered"),
    ("recovering", "recovering"),
    ("ongoing", "not_recovered"),  # E2B(R3)'s "not recovered/not resolved/ongoing"
    ("resolvedWithSequelae", "recovered_with_sequelae"),
    ("fatal", "fatal"),
    ("unknown", "unknown"),
])
def test_each_outcome_code(tmp_path: Path, code: str, expected: str) -> None:
    result = convert_paths([_bundle(tmp_path, None, _coded(OUTCOME, code))])
    reaction = event_of(result.cases[0], "ae")
    assert reaction["outcome"] == expected and "note" not in reaction
    assert reaction.get("ongoing", False) is (code in ("ongoing", "recovering"))
    loaded = _load(result, tmp_path).cases[0].case.event("ae")
    assert loaded is not None and str(loaded.outcome) == expected


@pytest.mark.parametrize(("code", "expected"), [
    ("SeriousIsLifeThreatening", "life_threatening"),
    ("SeriousResultsInHospitalization", "hospitalisation"),
    ("SeriousResultsInDisability", "disability"),
    ("SeriousIsBirthDefect", "congenital_anomaly"),
])
def test_each_seriousness_criterion(tmp_path: Path, code: str, expected: str) -> None:
    result = convert_paths([_bundle(tmp_path, _coded(SERIOUSNESS, code), None)])
    assert event_of(result.cases[0], "ae")["seriousness"] == [expected]
    _load(result, tmp_path)


@pytest.mark.parametrize(("seriousness", "outcome", "note"), [
    # "Serious" names no criterion: which one is not guessed
    (_coded(SERIOUSNESS, "Serious", "Serious"), None, "Seriousness: Serious."),
    # FDA's "required intervention", which the seriousness list has not
    (_coded(SERIOUSNESS, "SeriousRequiresPreventImpairment", "Requires intervention to prevent permanent impairment"),
     None, "Seriousness: Requires intervention to prevent permanent impairment."),
    # another code system, or words only: not taken for the HL7 codes
    (_coded("http://example.org/local", "fatal", "Died"), _coded("http://example.org/local", "resolved", "Better"),
     "Seriousness: Died. Outcome: Better."),
    ({"text": "serious, hospitalised"}, {"text": "getting better"},
     "Seriousness: serious, hospitalised. Outcome: getting better."),
])
def test_what_has_no_value_stays_in_the_note(tmp_path: Path, seriousness: dict[str, Any],
                                             outcome: dict[str, Any] | None, note: str) -> None:
    result = convert_paths([_bundle(tmp_path, seriousness, outcome)])
    reaction = event_of(result.cases[0], "ae")
    assert "seriousness" not in reaction and "outcome" not in reaction
    assert reaction["note"] == note
    _load(result, tmp_path)


def test_a_repeated_adverse_event_reports_its_causality_once(tmp_path: Path) -> None:
    """Two identical AdverseEvents (a resent record) are one event, and their assessment one entry."""
    path = _bundle(tmp_path, None, None, [{"assessment": {"text": "Possible"}}])
    bundle = json.loads(path.read_text())
    repeat = json.loads(json.dumps(bundle["entry"][-1]))
    repeat["resource"]["id"] = repeat["fullUrl"] = "ae2"
    bundle["entry"].append(repeat)
    path.write_text(json.dumps(bundle))
    result = convert_paths([path])
    case = result.cases[0]
    assert [e["id"] for e in case["events"] if e["kind"] == "symptom"] == ["ae"]
    assert [(e["reaction"], e["value"]) for e in case["causality"]] == [("ae", "Possible")]
    _load(result, tmp_path)
