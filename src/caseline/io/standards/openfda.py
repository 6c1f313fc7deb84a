"""openFDA drug adverse event JSON (``/drug/event.json`` results: E2B(R2)-shaped fields) -> cases.

This is what researchers can download publicly. openFDA leaves out reaction dates, so reactions
are usually undated; drug dates keep the precision their ``*dateformat`` gives (102 = day,
610 = month, 602 = year). One case per ``safetyreportid``.
"""

from __future__ import annotations

import json
import os
from typing import Any

from caseline.io.standards.casebuild import CaseDraft, apply_suspect, finish_into, legible, slug
from caseline.io.standards.dates import hl7_ts, quantity_duration
from caseline.io.standards.model import ImportOptions, ImportResult, ImportWarning, UnreadableInput
from caseline.io.standards.provenance import set_source, timed

_SEX = {"1": "male", "2": "female"}
_AGE_UNIT = {"800": "decades", "801": "", "802": "months", "803": "weeks", "804": "days", "805": "hours"}
_TIME_UNIT = {"801": "a", "802": "mo", "803": "wk", "804": "d", "805": "h", "806": "min"}
_DATE_LENGTH = {"102": 8, "610": 6, "602": 4}
_ROLE = {"1": "suspect", "2": "concomitant", "3": "interacting"}
_OUTCOME = {
    "1": "recovered/resolved",
    "2": "recovering/resolving",
    "3": "not recovered/not resolved",
    "4": "recovered/resolved with sequelae",
    "5": "fatal",
    "6": "unknown",
}
_ACTION = {
    "1": "drug withdrawn",
    "2": "dose reduced",
    "3": "dose increased",
    "4": "dose not changed",
    "5": "unknown",
    "6": "not applicable",
}
_RECURRENCE = {
    "1": "reaction recurred on readministration",
    "2": "reaction did not recur on readministration",
    "3": "readministered, recurrence unknown",
}
#: E2B(R2) dose unit codes (ICH code list, not a licensed terminology): the common ones.
_UNITS = {
    "001": "kg",
    "002": "g",
    "003": "mg",
    "004": "µg",
    "005": "ng",
    "006": "pg",
    "007": "mg/kg",
    "008": "µg/kg",
    "009": "mg/m2",
    "010": "µg/m2",
    "011": "l",
    "012": "ml",
    "013": "µl",
    "025": "IU",
    "031": "%",
    "032": "drops",
}
_SERIOUS = {
    "seriousnessdeath": "results in death",
    "seriousnesslifethreatening": "life-threatening",
    "seriousnesshospitalization": "hospitalisation",
    "seriousnessdisabling": "disability",
    "seriousnesscongenitalanomali": "congenital anomaly",
    "seriousnessother": "other serious",
}


def identify(head: bytes) -> bool:
    return b'"safetyreportid"' in head


def _date(value: Any, form: Any, label: str) -> dict[str, str]:
    raw = str(value or "").strip()
    if not raw:
        return timed(None, f"{label} not given")
    length = _DATE_LENGTH.get(str(form or ""), len(raw))
    return timed(hl7_ts(raw[:length]), f"{label} {raw}" + (f" (format {form})" if form else ""))


def convert(path: str, options: ImportOptions, subject: str | None = None, suspect: str | None = None) -> ImportResult:
    """Every report in an openFDA drug-event JSON file (a ``results`` list, or one report)."""
    try:
        with open(path, encoding="utf-8-sig") as stream:
            document = json.load(stream)
    except json.JSONDecodeError as exc:
        raise UnreadableInput(path, f"not valid JSON: {exc.msg}", line=exc.lineno, column=exc.colno) from exc
    reports = document.get("results", [document]) if isinstance(document, dict) else []
    result = ImportResult()
    for index, report in enumerate(reports):
        report_id = str(report.get("safetyreportid") or f"report {index + 1}")
        if subject is not None and subject.lower() != report_id.lower():
            continue
        draft = _report(path, report, report_id, options)
        if suspect is not None and not apply_suspect(draft, suspect):
            result.warnings.append(
                ImportWarning(path, f"no drug named {suspect!r}", record=f"safetyreportid {report_id}")
            )
        finish_into(draft, options, result)
    if not result.cases:
        result.warnings.append(
            ImportWarning(path, "no report" + (f" {subject!r}" if subject else "") + " in the file", error=True)
        )
    return result


def _report(path: str, report: dict[str, Any], report_id: str, options: ImportOptions) -> CaseDraft:
    file = os.path.basename(path)
    draft = CaseDraft("openfda", report_id, f"Safety report {report_id}", (file,), "report")
    draft.identify(report_id)
    patient = report.get("patient") or {}
    if patient.get("patientonsetage"):
        unit = _AGE_UNIT.get(str(patient.get("patientonsetageunit", "801")), "")
        draft.patient["age"] = f"{patient['patientonsetage']} {unit}".strip()
    if str(patient.get("patientsex", "")) in _SEX:
        draft.patient["sex"] = _SEX[str(patient["patientsex"])]
    record = f"safetyreportid {report_id}"
    reactions: list[dict[str, Any]] = []
    for number, reaction in enumerate(patient.get("reaction") or [], 1):
        term = str(reaction.get("reactionmeddrapt") or "Reaction")
        event: dict[str, Any] = {
            "id": f"reaction-{number}",
            "kind": "symptom",
            "label": legible(term),
            "start": _date(
                reaction.get("reactionstartdate"), reaction.get("reactionstartdateformat"), "reactionstartdate"
            ),
        }
        outcome = str(reaction.get("reactionoutcome", ""))
        if outcome in _OUTCOME:
            event["note"] = f"Outcome: {_OUTCOME[outcome]}."
            if outcome in ("2", "3"):
                event["ongoing"] = True
        details = [
            f"from {file}",
            f"reactionmeddrapt {term!r}",
            f"MedDRA version {reaction['reactionmeddraversionpt']}" if reaction.get("reactionmeddraversionpt") else "",
        ]
        reactions.append(draft.add(set_source(event, f"{record} reaction {number}", details)))
    for number, drug in enumerate(patient.get("drug") or [], 1):
        _drug(draft, drug, number, record, file, reactions)
    serious = [label for key, label in _SERIOUS.items() if str(report.get(key, "")) == "1"]
    death = patient.get("patientdeath") or {}
    if death or "results in death" in serious:
        event = {
            "id": "death",
            "kind": "milestone",
            "type": "death",
            "label": "Death",
            "at": _date(death.get("patientdeathdate"), death.get("patientdeathdateformat"), "patientdeathdate"),
        }
        draft.add(set_source(event, f"{record} patientdeath", [f"from {file}"]))
    if serious and reactions:
        first = reactions[0]
        first["note"] = " ".join(filter(None, ["Serious report: " + ", ".join(serious) + ".", first.get("note", "")]))
    if reactions:
        draft.suspect["reaction_event"] = reactions[0]["id"]
        draft.suspect["reaction"] = reactions[0]["label"]
        drug_name = next((e["drug"] for e in draft.events if e["id"] == draft.suspect.get("drug")), "")
        draft.case["title"] = (
            f"{reactions[0]['label']}" + (f" after {drug_name}" if drug_name else "") + f" (safety report {report_id})"
        )
    narrative = (report.get("summary") or {}).get("narrativeincludeclinical")
    if narrative:
        draft.case["summary"] = str(narrative)
    return draft


def _drug(
    draft: CaseDraft, drug: dict[str, Any], number: int, record: str, file: str, reactions: list[dict[str, Any]]
) -> None:
    name = str(
        drug.get("medicinalproduct")
        or (drug.get("activesubstance") or {}).get("activesubstancename")
        or f"drug {number}"
    )
    role = _ROLE.get(str(drug.get("drugcharacterization", "")), "")
    event: dict[str, Any] = {
        "id": slug(name, "drug"),
        "kind": "drug",
        "drug": legible(name),
        "lane": legible(name),
        "start": _date(drug.get("drugstartdate"), drug.get("drugstartdateformat"), "drugstartdate"),
    }
    if role:
        event["role"] = "suspected" if role in ("suspect", "interacting") else "concomitant"
    end = _date(drug.get("drugenddate"), drug.get("drugenddateformat"), "drugenddate")
    if end["time"] != "unknown":
        event["end"] = end
    elif drug.get("drugtreatmentduration") and event["start"]["time"] != "unknown":
        unit = _TIME_UNIT.get(str(drug.get("drugtreatmentdurationunit", "")), "")
        duration = quantity_duration(drug["drugtreatmentduration"], unit)
        if duration:
            event["duration"] = duration
    if drug.get("drugstructuredosagenumb"):
        try:
            event["dose"] = float(drug["drugstructuredosagenumb"])
        except (TypeError, ValueError):
            event["dose"] = str(drug["drugstructuredosagenumb"])
        unit_code = str(drug.get("drugstructuredosageunit", ""))
        if unit_code:
            event["unit"] = _UNITS.get(unit_code, f"unit code {unit_code}")
    if drug.get("drugdosagetext"):
        event["frequency"] = str(drug["drugdosagetext"])
    notes = []
    if role == "interacting":
        notes.append("Interacting drug.")
    if drug.get("drugindication"):
        notes.append(f"Indication: {drug['drugindication']}.")
    action = str(drug.get("actiondrug", ""))
    if action in _ACTION:
        notes.append(f"Action taken: {_ACTION[action]}.")
    recurrence = str(drug.get("drugrecurreadministration", ""))
    if recurrence in _RECURRENCE:
        notes.append(f"Rechallenge: {_RECURRENCE[recurrence]}.")
    if notes:
        event["note"] = " ".join(notes)
    details = [
        f"from {file}",
        f"drugadministrationroute {drug['drugadministrationroute']}" if drug.get("drugadministrationroute") else "",
        "generic name " + ", ".join((drug.get("openfda") or {}).get("generic_name", []))
        if (drug.get("openfda") or {}).get("generic_name")
        else "",
    ]
    added = draft.add(set_source(event, f"{record} drug {number}", details))
    if role in ("suspect", "interacting") and not draft.suspect.get("drug"):
        draft.suspect["drug"] = added["id"]
    if action == "1":
        at = (
            added["end"]
            if "end" in added
            else timed(
                f"after {reactions[0]['id']}" if reactions else None,
                "actiondrug 1 (drug withdrawn); the date is not given",
            )
        )
        stop = {
            "id": f"{added['id']}-stop",
            "kind": "dechallenge",
            "target": added["id"],
            "label": "Withdrawn",
            "at": at,
        }
        draft.add(set_source(stop, f"{record} drug {number}", [f"from {file}", "actiondrug 1"]))
