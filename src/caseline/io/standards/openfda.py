"""openFDA drug adverse event JSON (``/drug/event.json`` results: E2B(R2)-shaped fields) -> cases.

This is what researchers can download publicly. openFDA leaves out reaction dates, so reactions
are usually undated; drug dates keep the precision their ``*dateformat`` gives (102 = day,
610 = month, 602 = year). One case per ``safetyreportid``.

The fields are E2B(R2)'s, and :mod:`e2b_codes` maps those whose codes E2B(R3) kept: the report's
seriousness flags, each reaction's ``reactionoutcome``, the suspected drug's ``actiondrug`` and
``drugindication`` go to the case format's fields (``seriousness``, ``outcome``, ``action_taken``,
the case's ``diagnosis``); a note keeps only what the format has no field for. The seriousness is
the report's, not a reaction's: it becomes a reaction's ``seriousness`` only when the report has one
reaction; otherwise the case's summary says it, as the report's.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any

from caseline.io.standards import e2b_codes as c
from caseline.io.standards.casebuild import CaseDraft, apply_suspect, finish_into, legible, slug
from caseline.io.standards.dates import hl7_ts, quantity_duration
from caseline.io.standards.model import ImportOptions, ImportResult, ImportWarning, UnreadableInput
from caseline.io.standards.provenance import add_source_detail, set_source, timed

_SEX = {"1": "male", "2": "female"}
_AGE_UNIT = {"800": "decades", "801": "", "802": "months", "803": "weeks", "804": "days", "805": "hours"}
_TIME_UNIT = {"801": "a", "802": "mo", "803": "wk", "804": "d", "805": "h", "806": "min"}
_DATE_LENGTH = {"102": 8, "610": 6, "602": 4}
_ROLE = {"1": "suspect", "2": "concomitant", "3": "interacting"}
#: reactionoutcome is E2B(R2) B.2.i.8: codes 1-5 as E2B(R3) E.i.7 numbers them, but 6 is "unknown"
#: (R3's 0). Any other code has no exact value: it stays in the note, with a warning.
_OUTCOME = {**{code: c.OUTCOME[code] for code in "12345"}, "6": c.OUTCOME["0"]}
#: actiondrug is E2B(R2) B.4.k.16: codes 1-4 as E2B(R3) G.k.8, but 5 is "unknown" and 6 "not
#: applicable" (R3's 0 and 9): (words, the format's ``action_taken``).
_ACTION = {**{code: c.ACTION[code] for code in "1234"}, "5": c.ACTION["0"], "6": c.ACTION["9"]}
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
#: The report's seriousness flags (E2B(R2) A.1.5.2, "1" or absent) by the E.i.3.2 criterion code
#: of e2b_codes.SERIOUS: the same six ICH criteria ("seriousnessother" is "other medically important").
_SERIOUS = {
    "seriousnessdeath": "34",
    "seriousnesslifethreatening": "21",
    "seriousnesshospitalization": "33",
    "seriousnessdisabling": "35",
    "seriousnesscongenitalanomali": "12",
    "seriousnessother": "26",
}
#: drugindication as openFDA writes MedDRA's "Product used for unknown indication", which is no diagnosis.
_UNKNOWN_INDICATION = "product used for unknown indication"


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
        draft, given = _report(path, report, report_id, options, result.warnings)
        if suspect is not None and not apply_suspect(draft, suspect):
            result.warnings.append(
                ImportWarning(path, f"no drug named {suspect!r}", record=f"safetyreportid {report_id}")
            )
        _settle(draft, given)
        finish_into(draft, options, result)
    if not result.cases:
        result.warnings.append(
            ImportWarning(path, "no report" + (f" {subject!r}" if subject else "") + " in the file", error=True)
        )
    return result


def _report(
    path: str, report: dict[str, Any], report_id: str, options: ImportOptions, warnings: list[ImportWarning]
) -> tuple[CaseDraft, list[_Given]]:
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
        outcome = str(reaction.get("reactionoutcome") or "")
        if outcome in _OUTCOME:
            event["outcome"] = _OUTCOME[outcome]
            if outcome in ("2", "3"):
                event["ongoing"] = True
        elif outcome:  # not an openFDA code: which outcome the sender meant is not guessed
            event["note"] = f"Outcome (reactionoutcome): code {outcome}, not an openFDA code."
            warnings.append(ImportWarning(path, f"reactionoutcome code {outcome!r} is not an openFDA code: "
                                          "kept in the note", record=f"{record} reaction {number}"))
        details = [
            f"from {file}",
            f"reactionmeddrapt {term!r}",
            f"MedDRA version {reaction['reactionmeddraversionpt']}" if reaction.get("reactionmeddraversionpt") else "",
        ]
        reactions.append(draft.add(set_source(event, f"{record} reaction {number}", details)))
    given = [_drug(draft, drug, number, record, file, reactions)
             for number, drug in enumerate(patient.get("drug") or [], 1)]
    death = patient.get("patientdeath") or {}
    if death or str(report.get("seriousnessdeath", "")) == "1":
        event = {
            "id": "death",
            "kind": "milestone",
            "type": "death",
            "label": "Death",
            "at": _date(death.get("patientdeathdate"), death.get("patientdeathdateformat"), "patientdeathdate"),
        }
        draft.add(set_source(event, f"{record} patientdeath", [f"from {file}"]))
    narrative = (report.get("summary") or {}).get("narrativeincludeclinical")
    if narrative:
        draft.case["summary"] = str(narrative)
    _seriousness(report, reactions, draft)
    if reactions:
        draft.suspect["reaction_event"] = reactions[0]["id"]
        draft.suspect["reaction"] = reactions[0]["label"]
        drug_name = next((e["drug"] for e in draft.events if e["id"] == draft.suspect.get("drug")), "")
        draft.case["title"] = (
            f"{reactions[0]['label']}" + (f" after {drug_name}" if drug_name else "") + f" (safety report {report_id})"
        )
    return draft, given


def _seriousness(report: dict[str, Any], reactions: list[dict[str, Any]], draft: CaseDraft) -> None:
    """The report's seriousness, said as the report's.

    openFDA states it for the report as a whole (E2B(R2) has no seriousness per reaction). With one
    reaction (an exact repeat is the same one) it is that reaction's ``seriousness``, the reaction's
    provenance saying whose it is. With several, which reaction was serious (which one caused the
    death) is not said, so no reaction gets it: the case's summary, which the details panel shows,
    says it first, as the report's. ``serious`` 2 with no criterion flagged is ``not_serious``;
    ``serious`` 1 with no criterion given has no value in the list (which criterion is not guessed)
    and is said in words."""
    serious = str(report.get("serious") or "")
    flags = {code: "true" if str(report.get(key) or "") == "1" else "false" if serious == "2" else ""
             for key, code in _SERIOUS.items()}
    criteria = c.seriousness(flags)
    distinct = list({id(reaction): reaction for reaction in reactions}.values())
    if len(distinct) == 1:
        reaction = distinct[0]
        if criteria:
            reaction["seriousness"] = criteria
            flagged = [key for key, code in _SERIOUS.items() if flags[code] == "true"]
            add_source_detail(reaction, "seriousness: the report's (" + ", ".join(
                filter(None, [f"serious {serious}" if serious else "", *(f"{key} 1" for key in flagged)])) + ")")
        elif serious == "1":
            note = "Serious report (serious 1); the criteria are not given."
            reaction["note"] = " ".join(filter(None, [note, reaction.get("note", "")]))
        return
    if criteria == ["not_serious"]:
        said = "not serious."
    elif criteria or serious == "1":
        said = ", ".join(x.replace("_", " ") for x in criteria) if criteria else "serious (the criteria are not given)"
        said += "; the report does not say which reaction." if distinct else "."
    else:
        return
    line = f"Report seriousness (openFDA): {said}"
    draft.case["summary"] = "\n\n".join(filter(None, [line, draft.case.get("summary", "")]))


def _drug(
    draft: CaseDraft, drug: dict[str, Any], number: int, record: str, file: str, reactions: list[dict[str, Any]]
) -> _Given:
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
    if role == "interacting":  # the format's roles have no "interacting": drawn as suspected, said here
        notes.append("Interacting drug.")
    action = str(drug.get("actiondrug") or "")
    # drugrecurreadministration stays in the note: E2B(R2) gives no date of the readministration, and
    # its 3 "unknown" does not say whether the drug was given again at all (no rechallenge event is guessed)
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
    return _Given(added, action, " ".join(str(drug.get("drugindication") or "").split()))


def _settle(draft: CaseDraft, given: list[_Given]) -> None:
    """What depends on which drug is the suspected one (``--suspect`` may change it after the build):
    its ``actiondrug`` becomes ``action_taken`` of every reaction and its ``drugindication`` the case's
    ``diagnosis``. The format has ``action_taken`` only for the suspected drug and no indication field
    on a drug, so those of the other drugs (and a second, different one of the suspected drug, listed
    again) stay in their notes."""
    suspect = next((e for e in draft.events if e["id"] == draft.suspect.get("drug")), None)
    reactions = [e for e in draft.events if e["kind"] == "symptom"]
    taken = ""
    for item in given:  # a product listed twice (FAERS often does) is one drug: the same lane
        suspected = suspect is not None and item.event.get("lane") == suspect.get("lane")
        notes: list[str] = []
        indication = item.indication
        if suspected and indication and indication.lower() != _UNKNOWN_INDICATION:
            draft.case.setdefault("diagnosis", legible(indication))
            if draft.case["diagnosis"] == legible(indication):
                indication = ""
        if indication:
            notes.append(f"Indication: {indication}.")
        action = _ACTION.get(item.action)
        if action is not None and suspected and taken in ("", action[1]):
            taken = action[1]
            for reaction in reactions:
                reaction["action_taken"] = taken
        elif action is not None:
            notes.append(f"Action taken: {action[0]}.")
        elif item.action:  # not an openFDA code: no value is guessed
            notes.append(f"Action taken (actiondrug): code {item.action}, not an openFDA code.")
        fresh = [n for n in notes if n not in item.event.get("note", "")]  # an exact repeat shares its event
        if fresh:
            item.event["note"] = " ".join(filter(None, [*fresh, item.event.get("note", "")]))


@dataclass
class _Given:
    """A drawn drug entry: its event (the one kept, for an exact repeat), actiondrug and drugindication."""

    event: dict[str, Any]
    action: str
    indication: str
