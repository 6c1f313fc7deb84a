"""openFDA drug-event data with a structured home in the case format lands there, not in notes: the report's
seriousness flags, each reaction's ``reactionoutcome``, the suspected drug's ``actiondrug`` and ``drugindication``.
openFDA numbers them as E2B(R2) does (reactionoutcome 6 and actiondrug 5 are "unknown", actiondrug 6 "not
applicable"). No openFDA file is among the third-party test files, so the reports are written here, shaped as
``/drug/event.json`` results are. Each import is written, loaded back as the window loads it, and read where
the details panel and ``caseline table`` read it. The seriousness is the report's: a reaction's only when the report
has one reaction; with several, the case's summary says it as the report's and no reaction claims it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from caseline.analysis.clinical_wording import clinical_rows
from caseline.analysis.tables import item_row
from caseline.analysis.wording import describe_case
from caseline.io.standards import convert_paths, write_import
from caseline.model.clinical import ActionTaken, ReactionOutcome, Seriousness
from caseline.timeline.load import LoadResult, load_file
from standards_support import event_of, item_of

#: What a note must no longer carry once a field holds it.
STRUCTURED_WORDS = ("Serious", "Outcome", "Action taken", "Indication")
#: The summary of _report(): its seriousness flags, said as the report's.
REPORT_SERIOUSNESS = ("Report seriousness (openFDA): death, hospitalisation; the report does not say which "
                      "reaction.")


def _write(tmp_path: Path, *reports: dict[str, Any]) -> Path:
    path = tmp_path / "event.json"
    path.write_text(json.dumps({"meta": {"disclaimer": "test"}, "results": list(reports)}))
    return path


def _load(result: Any, tmp_path: Path) -> LoadResult:
    written = write_import(result, tmp_path / "openfda.caseline.yaml")
    loaded = load_file(written)
    assert loaded.ok and not loaded.diagnostics, [str(d) for d in loaded.diagnostics]
    return loaded


def _notes(case: dict[str, Any]) -> str:
    return " ".join(str(e.get("note", "")) for e in case["events"])


def _report(**fields: Any) -> dict[str, Any]:
    """A fatal SJS report: lamotrigine (suspect, dose reduced, for epilepsy), valproate (interacting,
    withdrawn, for bipolar disorder), paracetamol (concomitant, not applicable, unknown indication)."""
    report = {
        "safetyreportid": "10000001", "serious": "1", "seriousnessdeath": "1", "seriousnesshospitalization": "1",
        "patient": {
            "patientsex": "2", "patientdeath": {"patientdeathdate": "20200201", "patientdeathdateformat": "102"},
            "reaction": [{"reactionmeddrapt": "Stevens-Johnson syndrome", "reactionoutcome": "5"},
                         {"reactionmeddrapt": "Rash", "reactionoutcome": "4"}],
            "drug": [
                {"drugcharacterization": "1", "medicinalproduct": "LAMOTRIGINE", "drugindication": "EPILEPSY",
                 "actiondrug": "2", "drugstartdate": "20200101", "drugstartdateformat": "102"},
                {"drugcharacterization": "3", "medicinalproduct": "VALPROATE", "drugindication": "BIPOLAR DISORDER",
                 "actiondrug": "1"},
                {"drugcharacterization": "2", "medicinalproduct": "PARACETAMOL",
                 "drugindication": "PRODUCT USED FOR UNKNOWN INDICATION", "actiondrug": "6"},
            ],
        },
    }
    report.update(fields)
    return report


def test_every_field_in_its_home_and_where_a_reviewer_reads_it(tmp_path: Path) -> None:
    result = convert_paths([_write(tmp_path, _report())])
    case = result.cases[0]
    sjs, rash = event_of(case, "reaction-1"), event_of(case, "reaction-2")
    # two reactions: the report's seriousness (death, hospitalisation) is no one reaction's
    assert "seriousness" not in sjs and "seriousness" not in rash
    assert case["summary"] == REPORT_SERIOUSNESS
    assert (sjs["outcome"], rash["outcome"]) == ("fatal", "recovered_with_sequelae")
    assert sjs["action_taken"] == rash["action_taken"] == "dose_reduced"  # lamotrigine is the suspected drug
    assert case["diagnosis"] == "Epilepsy"
    # what has no field stays in the note, said once: valproate's indication and action, its interacting
    # role, paracetamol's action and its unknown indication (no diagnosis)
    assert event_of(case, "valproate")["note"] == (
        "Indication: BIPOLAR DISORDER. Action taken: drug withdrawn. Interacting drug.")
    assert event_of(case, "paracetamol")["note"] == (
        "Indication: PRODUCT USED FOR UNKNOWN INDICATION. Action taken: not applicable.")
    assert "note" not in event_of(case, "lamotrigine") and "note" not in sjs and "note" not in rash
    assert event_of(case, "valproate-stop")["kind"] == "dechallenge"  # actiondrug 1 is still drawn
    resolved = _load(result, tmp_path).cases[0]
    model = resolved.case
    loaded_sjs = model.event("reaction-1")
    assert loaded_sjs is not None
    assert loaded_sjs.seriousness == ()
    assert (loaded_sjs.outcome, loaded_sjs.action_taken) == (ReactionOutcome.FATAL, ActionTaken.DOSE_REDUCED)
    assert model.diagnosis == "Epilepsy"
    assert dict(describe_case(model))["Summary"] == REPORT_SERIOUSNESS  # the details panel, for the case
    rows = dict(clinical_rows(model, loaded_sjs))  # the details panel, for the reaction
    assert "Seriousness" not in rows
    assert (rows["Outcome"], rows["Action taken with the drug"]) == ("fatal", "dose reduced")
    assert item_row(resolved, item_of(resolved, "reaction-1"))["outcome"] == "fatal"  # caseline table


def test_another_suspect_brings_its_own_action_and_indication(tmp_path: Path) -> None:
    path = _write(tmp_path, _report())
    result = convert_paths([path], suspect="valproate")
    case = result.cases[0]
    assert case["suspect"]["drug"] == "valproate"
    assert event_of(case, "reaction-1")["action_taken"] == "withdrawn" and case["diagnosis"] == "Bipolar disorder"
    assert event_of(case, "lamotrigine")["note"] == "Indication: EPILEPSY. Action taken: dose reduced."
    assert event_of(case, "valproate")["note"] == "Interacting drug."
    _load(result, tmp_path)


@pytest.mark.parametrize(("outcome", "action", "expected_outcome", "expected_action"), [
    ("1", "1", "recovered", "withdrawn"),
    ("2", "2", "recovering", "dose_reduced"),
    ("3", "3", "not_recovered", "dose_increased"),
    ("4", "4", "recovered_with_sequelae", "unchanged"),
    ("5", "5", "fatal", "unknown"),  # actiondrug 5 is E2B(R2)'s "unknown" (R3 numbers it 0)
    ("6", "6", "unknown", "not_applicable"),  # reactionoutcome 6 is "unknown", actiondrug 6 "not applicable"
])
def test_each_outcome_and_action_code(tmp_path: Path, outcome: str, action: str, expected_outcome: str,
                                      expected_action: str) -> None:
    report = {"safetyreportid": "2", "serious": "1", "seriousnessdisabling": "1", "patient": {
        "reaction": [{"reactionmeddrapt": "Rash", "reactionoutcome": outcome}],
        "drug": [{"drugcharacterization": "1", "medicinalproduct": "AMOXICILLIN", "actiondrug": action,
                  "drugindication": "OTITIS MEDIA"}]}}
    result = convert_paths([_write(tmp_path, report)])
    rash = event_of(result.cases[0], "reaction-1")
    assert (rash["outcome"], rash["action_taken"], rash["seriousness"]) == (
        expected_outcome, expected_action, ["disability"])
    assert rash.get("ongoing", False) is (outcome in ("2", "3"))
    assert not any(word in _notes(result.cases[0]) for word in STRUCTURED_WORDS)
    loaded = _load(result, tmp_path).cases[0].case.event("reaction-1")
    assert loaded is not None and (str(loaded.outcome), str(loaded.action_taken)) == (expected_outcome, expected_action)


def test_not_serious_and_unstated_criteria(tmp_path: Path) -> None:
    """``serious`` 2 is ``not_serious``; ``serious`` 1 naming no criterion has no value in the list (which
    criterion is not guessed) and stays in the note; no ``serious`` at all says nothing."""
    reaction = {"reaction": [{"reactionmeddrapt": "Nausea"}]}
    result = convert_paths([_write(tmp_path, {"safetyreportid": "a", "serious": "2", "patient": reaction},
                                   {"safetyreportid": "b", "serious": "1", "patient": reaction},
                                   {"safetyreportid": "c", "patient": reaction})])
    a, b, c = (event_of(case, "reaction-1") for case in result.cases)
    assert a["seriousness"] == ["not_serious"] and "note" not in a
    assert "seriousness" not in b and b["note"] == "Serious report (serious 1); the criteria are not given."
    assert "seriousness" not in c and "note" not in c
    _load(result, tmp_path)


def test_a_code_outside_the_list_stays_in_the_note(tmp_path: Path) -> None:
    report = {"safetyreportid": "3", "patient": {
        "reaction": [{"reactionmeddrapt": "Rash", "reactionoutcome": "0"}],
        "drug": [{"drugcharacterization": "1", "medicinalproduct": "AMOXICILLIN", "actiondrug": "9"}]}}
    result = convert_paths([_write(tmp_path, report)])
    case = result.cases[0]
    rash = event_of(case, "reaction-1")
    assert "outcome" not in rash and "action_taken" not in rash
    assert rash["note"] == "Outcome (reactionoutcome): code 0, not an openFDA code."
    assert event_of(case, "amoxicillin")["note"] == "Action taken (actiondrug): code 9, not an openFDA code."
    assert any("reactionoutcome code '0'" in str(w) for w in result.warnings)
    _load(result, tmp_path)


def test_a_suspected_product_listed_twice_is_one_drug(tmp_path: Path) -> None:
    """FAERS often lists a product twice (two start dates): both entries are the suspected drug; the same
    action and indication are said once in the fields, a different indication stays in that entry's note."""
    report = {"safetyreportid": "4", "patient": {
        "reaction": [{"reactionmeddrapt": "Rash", "reactionoutcome": "1"}],
        "drug": [{"drugcharacterization": "1", "medicinalproduct": "AMOXICILLIN", "actiondrug": "1",
                  "drugindication": "OTITIS MEDIA", "drugstartdate": "20200101", "drugstartdateformat": "102"},
                 {"drugcharacterization": "1", "medicinalproduct": "AMOXICILLIN", "actiondrug": "1",
                  "drugindication": "SINUSITIS", "drugstartdate": "20200301", "drugstartdateformat": "102"}]}}
    result = convert_paths([_write(tmp_path, report)])
    case = result.cases[0]
    assert event_of(case, "reaction-1")["action_taken"] == "withdrawn" and case["diagnosis"] == "Otitis media"
    assert "note" not in event_of(case, "amoxicillin")
    assert event_of(case, "amoxicillin-2")["note"] == "Indication: SINUSITIS."
    _load(result, tmp_path)


def test_the_seriousness_of_a_one_reaction_report_is_its_reaction(tmp_path: Path) -> None:
    """One reaction (listed twice, exactly: FAERS repeats entries) is the report's only one: its seriousness."""
    sjs = {"reactionmeddrapt": "Stevens-Johnson syndrome", "reactionoutcome": "5"}
    report = _report()
    report["patient"]["reaction"] = [sjs, dict(sjs)]
    result = convert_paths([_write(tmp_path, report)])
    case = result.cases[0]
    reaction = event_of(case, "reaction-1")
    assert [e["id"] for e in case["events"] if e["kind"] == "symptom"] == ["reaction-1"]
    assert reaction["seriousness"] == ["death", "hospitalisation"] and "summary" not in case
    assert "seriousness: the report's (serious 1, seriousnessdeath 1, seriousnesshospitalization 1)" in (
        reaction["source"]["note"])
    model = _load(result, tmp_path).cases[0].case
    loaded = model.event("reaction-1")
    assert loaded is not None and loaded.seriousness == (Seriousness.DEATH, Seriousness.HOSPITALISATION)
    assert dict(clinical_rows(model, loaded))["Seriousness"] == "serious: death, hospitalisation"
    assert "Summary" not in dict(describe_case(model))


def test_a_fatal_report_with_two_reactions_claims_neither_caused_the_death(tmp_path: Path) -> None:
    """A fatal report whose first reaction is a rash: the rash is not "serious: death", the death milestone
    links to no reaction, and the report's narrative follows its seriousness in the summary."""
    report = {"safetyreportid": "5", "serious": "1", "seriousnessdeath": "1",
              "summary": {"narrativeincludeclinical": "Patient died in hospital."},
              "patient": {"patientdeath": {"patientdeathdate": "20200301", "patientdeathdateformat": "102"},
                          "reaction": [{"reactionmeddrapt": "Rash"}, {"reactionmeddrapt": "Hepatic failure"}],
                          "drug": [{"drugcharacterization": "1", "medicinalproduct": "AMOXICILLIN"}]}}
    result = convert_paths([_write(tmp_path, report)])
    case = result.cases[0]
    said = "Report seriousness (openFDA): death; the report does not say which reaction."
    assert case["summary"] == said + "\n\nPatient died in hospital."
    assert not any("seriousness" in e or "Serious" in e.get("note", "") for e in case["events"])
    death = event_of(case, "death")
    assert death["type"] == "death" and "links" not in death
    resolved = _load(result, tmp_path).cases[0]
    model = resolved.case
    for reaction_id in ("reaction-1", "reaction-2"):
        reaction = model.event(reaction_id)
        assert reaction is not None and reaction.seriousness == ()
        assert "Seriousness" not in dict(clinical_rows(model, reaction))
    loaded_death = model.event("death")
    assert loaded_death is not None and not loaded_death.links
    assert said in dict(describe_case(model))["Summary"]


def test_several_reactions_not_serious_or_unstated_criteria_said_for_the_report(tmp_path: Path) -> None:
    reactions = {"reaction": [{"reactionmeddrapt": "Nausea"}, {"reactionmeddrapt": "Headache"}]}
    result = convert_paths([_write(tmp_path, {"safetyreportid": "a", "serious": "2", "patient": reactions},
                                   {"safetyreportid": "b", "serious": "1", "patient": reactions},
                                   {"safetyreportid": "c", "patient": reactions})])
    a, b, c = result.cases
    assert a["summary"] == "Report seriousness (openFDA): not serious."
    assert b["summary"] == ("Report seriousness (openFDA): serious (the criteria are not given); the report does not "
                            "say which reaction.")
    assert "summary" not in c
    assert not any("seriousness" in e or "note" in e for case in result.cases for e in case["events"])
    _load(result, tmp_path)
