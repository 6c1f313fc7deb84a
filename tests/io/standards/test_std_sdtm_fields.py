"""SDTM AE data with a structured home in the case format lands there, not in notes: AESER and its
criterion flags (``seriousness``), AEOUT (``outcome``), AEACN (``action_taken``, the action with the study
treatment) and AEREL (the case's ``causality`` list). The SDTM-MSG example study (when
../shared/testdata/standards is there) and a study written here for the terms it lacks; each import is
written, loaded back as the window loads it, and read where the details panel, the Causality tab and
``caseline table`` read it."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from caseline.analysis.causality import reported
from caseline.analysis.clinical_wording import clinical_rows
from caseline.analysis.tables import item_row
from caseline.io.standards import convert_paths, write_import
from caseline.model.clinical import ActionTaken, CausalityScale, ReactionOutcome, Seriousness
from caseline.timeline.load import LoadResult, load_file
from standards_support import case_of, event_of, events_from, item_of, standard_file

#: What a note must no longer carry once a field holds it.
STRUCTURED_WORDS = ("Outcome (AEOUT)", "Action taken", "Causality (AEREL)")


def _load(result: Any, tmp_path: Path) -> LoadResult:
    written = write_import(result, tmp_path / "sdtm.caseline.yaml")
    loaded = load_file(written)
    assert loaded.ok and not loaded.diagnostics, [str(d) for d in loaded.diagnostics]
    return loaded


def _rows(path: Path) -> list[dict[str, Any]]:
    """Rows of a Dataset-JSON file, read independently of the importer."""
    meta = json.loads(path.read_text())
    names = [c["name"] for c in meta["columns"]]
    return [dict(zip(names, row, strict=True)) for row in meta["rows"]]


_FLAGS = {"AESDTH": Seriousness.DEATH, "AESLIFE": Seriousness.LIFE_THREATENING,
          "AESHOSP": Seriousness.HOSPITALISATION, "AESDISAB": Seriousness.DISABILITY,
          "AESCONG": Seriousness.CONGENITAL_ANOMALY}
_OUTCOMES = {"RECOVERED/RESOLVED": ReactionOutcome.RECOVERED,
             "NOT RECOVERED/NOT RESOLVED": ReactionOutcome.NOT_RECOVERED, "FATAL": ReactionOutcome.FATAL}
_ACTIONS = {"DOSE NOT CHANGED": ActionTaken.UNCHANGED, "DRUG WITHDRAWN": ActionTaken.WITHDRAWN}


def test_msg_study_every_ae_field_in_its_home(tmp_path: Path) -> None:
    folder = standard_file("sdtm_msg_datasetjson")
    source = _rows(folder / "ae.json")
    result = convert_paths([folder])
    resolved = {case.id: case for case in _load(result, tmp_path).cases}
    checked = serious = 0
    for row in source:
        case = case_of(result, "subject-" + row["USUBJID"].lower())
        event = events_from(case, f"AE AESEQ={row['AESEQ']}")[0]
        model = resolved[case["id"]].case
        loaded = model.event(event["id"])
        assert loaded is not None
        criteria = tuple(value for column, value in _FLAGS.items() if row[column] == "Y")
        if row["AESER"] == "N":
            assert loaded.seriousness == (Seriousness.NOT_SERIOUS,)
        elif criteria:
            assert loaded.seriousness == criteria
            serious += 1
        else:  # AESER Y flagging none of the criteria: which one is not guessed
            assert loaded.seriousness == () and event["note"] == (
                "Serious (AESER Y), with no seriousness criterion flagged.")
        assert loaded.outcome is _OUTCOMES[row["AEOUT"]] and loaded.action_taken is _ACTIONS[row["AEACN"]]
        entries = [(c.drug, c.scale, c.value, c.by) for c in model.causality if c.reaction == event["id"]]
        assert entries == [(case["suspect"]["drug"], CausalityScale.OTHER, row["AEREL"].lower(), "investigator")]
        assert not any(word in event.get("note", "") for word in STRUCTURED_WORDS)
        checked += 1
    assert checked == len(source) == 74 and serious == 3
    # the reaction CDISC001 follows, where a reviewer reads it
    first = resolved["subject-cdisc001"]
    case = case_of(result, "subject-cdisc001")
    assert "causality" not in case["suspect"]  # the list holds it: the case details would say it twice
    reaction = first.case.event(case["suspect"]["reaction_event"])
    assert reaction is not None
    rows = dict(clinical_rows(first.case, reaction))  # the details panel
    assert (rows["Seriousness"], rows["Outcome"], rows["Action taken with the drug"]) == (
        "not serious", "not recovered", "withdrawn")
    tab = reported(first, case["suspect"]["drug"], reaction.id)  # the Causality tab, with its method
    assert [r.text for r in tab] == [
        "other scale related (by investigator); method: AEREL, the study's relatedness categories"]
    assert item_row(first, item_of(first, reaction.id))["outcome"] == "not_recovered"  # caseline table


def _write_csv(path: Path, rows: list[dict[str, object]]) -> None:
    with path.open("w", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _study(tmp_path: Path, aes: list[dict[str, str]], with_ex: bool = True) -> Path:
    folder = tmp_path / "study"
    folder.mkdir()
    base = {"STUDYID": "S1", "USUBJID": "S1-001"}
    _write_csv(folder / "dm.csv", [{**base, "DOMAIN": "DM", "RFSTDTC": "2020-03-01", "SEX": "F", "ARM": "Drug X",
                                    "ARMCD": "X", "RFXSTDTC": "2020-03-01", "RFXENDTC": "2020-03-10"}])
    if with_ex:
        _write_csv(folder / "ex.csv", [{**base, "DOMAIN": "EX", "EXSEQ": "1", "EXTRT": "DRUG X", "EXDOSE": "10",
                                        "EXDOSU": "mg", "EXSTDTC": "2020-03-01", "EXENDTC": "2020-03-10"}])
    _write_csv(folder / "cm.csv", [{**base, "DOMAIN": "CM", "CMSEQ": "1", "CMTRT": "PARACETAMOL",
                                    "CMSTDTC": "2020-02-20", "CMENDTC": "2020-03-05"}])
    columns = ("AESER", "AESDTH", "AESLIFE", "AESHOSP", "AESDISAB", "AESCONG", "AESMIE", "AESCAN", "AESOD",
               "AEOUT", "AEACN", "AEREL")
    _write_csv(folder / "ae.csv", [{**base, "DOMAIN": "AE", "AESEQ": str(number), "AETERM": "RASH",
                                    "AESTDTC": f"2020-03-0{number + 1}", **dict.fromkeys(columns, ""), **ae}
                                   for number, ae in enumerate(aes, 1)])
    return folder


@pytest.mark.parametrize(("outcome", "action", "expected_outcome", "expected_action"), [
    ("RECOVERED/RESOLVED", "DRUG WITHDRAWN", "recovered", "withdrawn"),
    ("RECOVERING/RESOLVING", "DOSE REDUCED", "recovering", "dose_reduced"),
    ("NOT RECOVERED/NOT RESOLVED", "DOSE INCREASED", "not_recovered", "dose_increased"),
    ("RECOVERED/RESOLVED WITH SEQUELAE", "DOSE NOT CHANGED", "recovered_with_sequelae", "unchanged"),
    ("FATAL", "NOT APPLICABLE", "fatal", "not_applicable"),
    ("UNKNOWN", "UNKNOWN", "unknown", "unknown"),
])
def test_each_outcome_and_action_term(tmp_path: Path, outcome: str, action: str, expected_outcome: str,
                                      expected_action: str) -> None:
    result = convert_paths([_study(tmp_path, [{"AESER": "Y", "AESMIE": "Y", "AEOUT": outcome, "AEACN": action,
                                               "AEREL": "PROBABLE"}])])
    case = result.cases[0]
    rash = events_from(case, "AE AESEQ=1")[0]
    assert (rash["seriousness"], rash["outcome"], rash["action_taken"]) == (
        ["other_medically_important"], expected_outcome, expected_action)
    assert "note" not in rash
    assert case["causality"] == [{"drug": case["suspect"]["drug"], "reaction": rash["id"], "scale": "other",
                                  "value": "probable", "by": "investigator",
                                  "note": "method: AEREL, the study's relatedness categories"}]
    loaded = _load(result, tmp_path).cases[0].case.event(rash["id"])
    assert loaded is not None and (str(loaded.outcome), str(loaded.action_taken)) == (expected_outcome,
                                                                                     expected_action)


def test_what_has_no_value_stays_in_the_note(tmp_path: Path) -> None:
    """DRUG INTERRUPTED is no withdrawal, a sponsor's outcome term is not guessed at, AESCAN and AESOD are
    no ICH criteria; AESER N with no flag is not serious."""
    result = convert_paths([_study(tmp_path, [
        {"AESER": "Y", "AESCAN": "Y", "AEOUT": "RESOLVED, TREATMENT ONGOING", "AEACN": "DRUG INTERRUPTED"},
        {"AESER": "N", "AEOUT": "RECOVERED/RESOLVED", "AEACN": "DOSE NOT CHANGED", "AEREL": "NOT RELATED"},
    ])])
    case = result.cases[0]
    first, second = events_from(case, "AE AESEQ=1")[0], events_from(case, "AE AESEQ=2")[0]
    assert not {"seriousness", "outcome", "action_taken"} & set(first)
    assert first["note"] == ("Serious (cancer: not ICH seriousness criteria). "
                             "Outcome (AEOUT): resolved, treatment ongoing. Action taken (AEACN): drug interrupted.")
    assert event_of(case, f"{first['id']}-stop")["label"] == "Interrupted"  # still drawn
    assert (second["seriousness"], second["outcome"], second["action_taken"]) == (["not_serious"], "recovered",
                                                                                 "unchanged")
    assert "note" not in second and case["causality"][0]["value"] == "not related"
    assert case["suspect"]["reaction_event"] == first["id"]  # the AE that led to the interruption
    _load(result, tmp_path)


def test_another_suspect_leaves_the_study_treatment_action_in_the_note(tmp_path: Path) -> None:
    """AEACN is the action with the study treatment: with --suspect naming another drug, the suspected drug's
    ``action_taken`` cannot hold it; AEREL still pairs the AE with the study treatment."""
    folder = _study(tmp_path, [{"AESER": "N", "AEOUT": "RECOVERED/RESOLVED", "AEACN": "DOSE REDUCED",
                                "AEREL": "POSSIBLE"}], with_ex=False)
    result = convert_paths([folder], suspect="paracetamol")
    case = result.cases[0]
    rash = events_from(case, "AE AESEQ=1")[0]
    assert case["suspect"]["drug"] != "study-treatment" and "action_taken" not in rash
    assert rash["note"] == "Action taken with the study treatment (AEACN): dose reduced."
    assert [(e["drug"], e["value"]) for e in case["causality"]] == [("study-treatment", "possible")]
    _load(result, tmp_path)
