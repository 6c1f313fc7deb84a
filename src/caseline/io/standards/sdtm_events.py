"""SDTM records of one subject -> caseline events, one function per domain.

Each function takes the subject's records (dicts, as the frame holds them) and a :class:`Subject`
context, and adds events to its draft. Times keep their precision (``AESTDTC 2013-02`` stays a
month); a record with no date but a study day is placed by the study day (SDTM has no day 0:
study day 1 is caseline's day 0) when the subject's reference start is known.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from caseline.io.standards import e2b_codes as c
from caseline.io.standards.casebuild import CaseDraft, legible
from caseline.io.standards.dates import date_span, day_number, has_time_of_day, iso_date, study_day
from caseline.io.standards.model import ImportOptions
from caseline.io.standards.provenance import set_source, timed

Row = dict[str, Any]
#: AEREL terms that say the event is not related to the study treatment.
NOT_RELATED = ("NOT RELATED", "UNLIKELY", "UNRELATED")
_SEVERITY = {"MILD": 1, "MODERATE": 2, "SEVERE": 3}
#: The AE seriousness flags that are the ICH E2A criteria -> the format's ``seriousness`` (the values of
#: e2b_codes.SERIOUS; AESMIE is "other medically important serious event").
_SERIOUS_FLAGS = {
    "AESDTH": c.SERIOUS["34"],
    "AESLIFE": c.SERIOUS["21"],
    "AESHOSP": c.SERIOUS["33"],
    "AESDISAB": c.SERIOUS["35"],
    "AESCONG": c.SERIOUS["12"],
    "AESMIE": c.SERIOUS["26"],
}
#: Flags of older SDTM versions that are no ICH criterion, so have no value in the list: kept in the note.
_OTHER_FLAGS = {"AESCAN": "cancer", "AESOD": "overdose"}
#: AEOUT, CDISC controlled terminology OUT (C66768) -> the format's ``outcome``: E2B(R3) E.i.7's terms.
_OUTCOME = {
    "RECOVERED/RESOLVED": c.OUTCOME["1"],
    "RECOVERING/RESOLVING": c.OUTCOME["2"],
    "NOT RECOVERED/NOT RESOLVED": c.OUTCOME["3"],
    "RECOVERED/RESOLVED WITH SEQUELAE": c.OUTCOME["4"],
    "FATAL": c.OUTCOME["5"],
    "UNKNOWN": c.OUTCOME["0"],
}
#: AEACN, CDISC controlled terminology ACN (C66767), the action taken with the study treatment -> the
#: format's ``action_taken``. DRUG INTERRUPTED has no value (an interruption is no withdrawal): it stays
#: in the note, as does any sponsor term.
ACTION = {
    "DRUG WITHDRAWN": c.ACTION["1"][1],
    "DOSE REDUCED": c.ACTION["2"][1],
    "DOSE INCREASED": c.ACTION["3"][1],
    "DOSE NOT CHANGED": c.ACTION["4"][1],
    "UNKNOWN": c.ACTION["0"][1],
    "NOT APPLICABLE": c.ACTION["9"][1],
}
#: The note of an AEREL entry of the case's causality list: AEREL is on the study's own relatedness
#: terms, no named scale (``scale: other``).
AEREL_NOTE = "method: AEREL, the study's relatedness categories"


def text(row: Row, column: str) -> str:
    value = row.get(column)
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def number(row: Row, column: str) -> float | int | None:
    value = row.get(column)
    try:
        result = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if math.isnan(result) or math.isinf(result):
        return None
    return int(result) if result.is_integer() else result


@dataclass
class Subject:
    """What the domain functions need to know about the subject being converted."""

    draft: CaseDraft
    options: ImportOptions
    files: dict[str, str]  # domain -> file name (for provenance)
    has_reference: bool  # RFSTDTC known: study days can be placed
    suspect_id: str = ""
    suspect_end: dict[str, str] | None = None  # the suspect's last exposure, as a stated time
    withdrawals: dict[str, Row] = field(default_factory=dict)  # DS records by DSLNKID
    death_added: bool = False

    def record(self, domain: str, row: Row, seq_column: str) -> tuple[str, str]:
        seq = text(row, seq_column)
        return (f"{domain} {seq_column}={seq}" if seq else domain), self.files.get(domain, "")

    def time(self, row: Row, dtc: str, dy: str | None = None) -> dict[str, str]:
        """A time at its real precision with the source's wording in ``stated``."""
        raw = text(row, dtc)
        stated = text(row, f"{dtc}_STATED") or (f"{dtc} {raw}" if raw else "")
        expr = iso_date(raw)
        if raw and expr is None:
            stated += " (no year or not a date: unknown)"
        elif raw and has_time_of_day(raw):
            stated += " (time of day not shown)"
        if expr is None and dy:
            day = study_day(row.get(dy))
            if day is not None and self.has_reference:
                expr = day
                stated = "; ".join(
                    s for s in (stated, f"{dy} {text(row, dy)} (study day {text(row, dy)} = {day})") if s
                )
        return timed(expr, stated or f"{dtc} not recorded")


def _details(subject: Subject, domain: str, *values: str) -> list[str]:
    return [f"from {subject.files.get(domain, domain)}", *values]


# ---------------------------------------------------------------------- exposure
def exposure_event(
    subject: Subject, run: Row, prefix: str, event_id: str, schedule: list[Row] | None
) -> dict[str, Any]:
    """One collapsed exposure run (or a schedule of single-day runs) as a drug event."""
    treatment = text(run, f"{prefix}TRT") or "study treatment"
    event: dict[str, Any] = {"id": event_id, "kind": "drug", "drug": legible(treatment)}
    dose = number(run, f"{prefix}DOSE")
    if dose is not None:
        event["dose"] = dose
    elif text(run, f"{prefix}DOSTXT"):
        event["dose"] = text(run, f"{prefix}DOSTXT")
    for field_name, column in (("unit", "DOSU"), ("route", "ROUTE"), ("frequency", "DOSFRQ")):
        if text(run, f"{prefix}{column}"):
            event[field_name] = (
                text(run, f"{prefix}{column}").lower() if column == "ROUTE" else text(run, f"{prefix}{column}")
            )
    seqs = ", ".join(text(r, "_SEQS") for r in (schedule or [run]))
    if schedule:
        event["schedule"] = {"at": [subject.time({f"{prefix}STDTC": r["_START"]}, f"{prefix}STDTC") for r in schedule]}
    else:
        event["start"] = subject.time({**run, f"{prefix}STDTC": run["_START"]}, f"{prefix}STDTC", f"{prefix}STDY")
        end = subject.time({**run, f"{prefix}ENDTC": run["_END"]}, f"{prefix}ENDTC", f"{prefix}ENDY")
        if end["time"] != "unknown":
            event["end"] = end
    count = sum(int(r.get("_N", 1)) for r in (schedule or [run]))
    merged = f"{count} {prefix} records merged (same dose, consecutive days)" if count > 1 and not schedule else ""
    return set_source(event, f"{prefix} {prefix}SEQ={seqs}", _details(subject, prefix, merged))


def exposure_events(subject: Subject, runs: list[Row], prefix: str, suspect_name: str | None) -> str:
    """Add the subject's exposure courses; return the id of the suspected drug's first course.

    Runs of the same treatment and dose made only of single-day records (infusions, injections)
    become one event with a schedule; other runs are courses, one per dose level, on one lane.
    """
    by_treatment: dict[str, list[Row]] = {}
    for run in runs:
        by_treatment.setdefault(text(run, f"{prefix}TRT"), []).append(run)
    suspect_id = ""
    for treatment, treatment_runs in by_treatment.items():
        is_suspect = suspect_name is None or suspect_name.lower() in treatment.lower()
        by_key: dict[str, list[Row]] = {}
        for run in treatment_runs:
            by_key.setdefault(str(run.get("_KEY", "")), []).append(run)
        events: list[dict[str, Any]] = []
        for key_runs in by_key.values():
            base = f"{prefix.lower()}-{treatment}"
            if len(key_runs) > 1 and all(bool(r.get("_SINGLE")) for r in key_runs):
                events.append(exposure_event(subject, key_runs[0], prefix, base, key_runs))
            else:
                events.extend(exposure_event(subject, run, prefix, base, None) for run in key_runs)
        events.sort(key=lambda e: str((e.get("start") or (e.get("schedule") or {}).get("at", [{}])[0]).get("time")))
        for event in events:
            event["lane"] = legible(treatment or "study treatment")
            if is_suspect:
                event["role"] = "suspected"
            added = subject.draft.add(event, subject.options.keep_duplicates)
            if is_suspect and not suspect_id:
                suspect_id = added["id"]
    return suspect_id


# ---------------------------------------------------------------------- adverse events
def _severity(row: Row, event_id: str) -> dict[str, Any] | None:
    grade = number(row, "AETOXGR")
    if grade is not None and 1 <= grade <= 5:
        return {
            "scale": "CTCAE grade",
            "min": 1,
            "max": 5,
            "values": [{"at": event_id, "value": grade, "text": f"AETOXGR {text(row, 'AETOXGR')}"}],
        }
    severity = _SEVERITY.get(text(row, "AESEV").upper())
    if severity is not None:
        return {
            "scale": "Severity (AESEV)",
            "min": 1,
            "max": 3,
            "values": [{"at": event_id, "value": severity, "text": text(row, "AESEV").lower()}],
        }
    return None


def adverse_events(subject: Subject, rows: list[Row]) -> list[dict[str, Any]]:
    """AE records as symptoms: severity or CTCAE grade as a scale; ``seriousness``, ``outcome`` and
    ``action_taken`` fields (AESER and its flags, AEOUT, AEACN) and AEREL in the case's ``causality``
    list; outcome also as the end, a course point or a death, and 'drug withdrawn' as a dechallenge.
    Only what has no value in the format is noted."""
    added: list[dict[str, Any]] = []
    for row in rows:
        record, _ = subject.record("AE", row, "AESEQ")
        term = text(row, "AETERM") or text(row, "AEDECOD") or "Adverse event"
        event: dict[str, Any] = {
            "id": f"ae-{text(row, 'AESEQ') or len(added) + 1}",
            "kind": "symptom",
            "label": legible(term),
            "start": subject.time(row, "AESTDTC", "AESTDY"),
        }
        end = subject.time(row, "AEENDTC", "AEENDY")
        outcome = text(row, "AEOUT").upper()
        ongoing = text(row, "AEENRTPT").upper() in ("ONGOING", "AFTER") or text(row, "AEENRF").upper() in (
            "ONGOING",
            "AFTER",
            "DURING/AFTER",
        )
        if end["time"] != "unknown":
            event["end"] = end
        elif ongoing or outcome.startswith("NOT RECOVERED") or outcome.startswith("RECOVERING"):
            event["ongoing"] = True
        notes = _seriousness(row, event)
        if outcome in _OUTCOME:
            event["outcome"] = _OUTCOME[outcome]
        elif outcome:  # a sponsor term: which outcome it means is not guessed
            notes.append(f"Outcome (AEOUT): {outcome.lower()}.")
        action = text(row, "AEACN").upper()
        if action in ACTION and subject.suspect_id:  # the action with the study treatment, the suspected drug
            event["action_taken"] = ACTION[action]
        elif action and action not in ("NOT APPLICABLE", "DOSE NOT CHANGED"):
            notes.append(f"Action taken (AEACN): {action.lower()}.")
        if text(row, "AEREL") and not subject.suspect_id:  # no study treatment in the case to pair it with
            notes.append(f"Causality (AEREL): {text(row, 'AEREL').lower()}.")
        if notes:
            event["note"] = " ".join(notes)
        severity = _severity(row, event["id"])
        codes = [
            f"AEDECOD {text(row, 'AEDECOD')!r}" if text(row, "AEDECOD") else "",
            f"AEPTCD {text(row, 'AEPTCD')}" if text(row, "AEPTCD") else "",
            f"AELLTCD {text(row, 'AELLTCD')}" if text(row, "AELLTCD") else "",
            f"AESEV {text(row, 'AESEV')}" if text(row, "AESEV") else "",
        ]
        set_source(event, record, _details(subject, "AE", *codes))
        event = subject.draft.add(event, subject.options.keep_duplicates)
        if severity is not None and "severity" not in event:
            for point in severity["values"]:
                point["at"] = event["id"]
            event["severity"] = severity
        if outcome.startswith("RECOVERED") and "end" in event:
            event["course"] = [{"at": f"{event['id']}.end", "state": "resolution"}]
        added.append(event)
        if text(row, "AEREL") and subject.suspect_id:
            entry = {"drug": subject.suspect_id, "reaction": event["id"], "scale": "other",
                     "value": text(row, "AEREL").lower(), "by": "investigator", "note": AEREL_NOTE}
            listed = subject.draft.case.setdefault("causality", [])
            if entry not in listed:  # an exact repeat of an AE is one event: its assessment once
                listed.append(entry)
        _withdrawal(subject, row, event, record)
        if outcome == "FATAL" and not subject.death_added:
            death = {
                "id": "death",
                "kind": "milestone",
                "type": "death",
                "label": f"Death ({event['label']})",
                "at": end if end["time"] != "unknown" else timed(f"after {event['id']}", "AEOUT FATAL; date not in AE"),
            }
            subject.draft.add(set_source(death, record, _details(subject, "AE", "AEOUT FATAL")))
            subject.death_added = True
    return added


def _seriousness(row: Row, event: dict[str, Any]) -> list[str]:
    """AESER and its flags as the event's ``seriousness`` (AESER N -> ``not_serious``); the notes for what
    has no value: AESER Y flagging no ICH criterion (which one is not guessed), AESCAN and AESOD."""
    serious = text(row, "AESER").upper()
    criteria = [value for column, value in _SERIOUS_FLAGS.items() if text(row, column).upper() == "Y"]
    others = [words for column, words in _OTHER_FLAGS.items() if text(row, column).upper() == "Y"]
    if criteria:
        event["seriousness"] = criteria
    elif serious == "N" and not others:
        event["seriousness"] = ["not_serious"]
    notes = []
    if others:
        notes.append(f"Serious ({', '.join(others)}: not ICH seriousness criteria).")
    elif serious == "Y" and not criteria:
        notes.append("Serious (AESER Y), with no seriousness criterion flagged.")
    return notes


def _withdrawal(subject: Subject, row: Row, event: dict[str, Any], record: str) -> None:
    action = text(row, "AEACN").upper()
    if action not in ("DRUG WITHDRAWN", "DRUG INTERRUPTED") or not subject.suspect_id:
        return
    linked = subject.withdrawals.get(text(row, "AELNKID")) if text(row, "AELNKID") else None
    if linked is not None:
        at = subject.time(linked, "DSSTDTC", "DSSTDY")
        at["stated"] = f"AEACN {action}; {at['stated']} (DS DSSEQ={text(linked, 'DSSEQ')}, linked by AELNKID)"
    elif subject.suspect_end is not None and action == "DRUG WITHDRAWN":
        at = {
            "time": subject.suspect_end["time"],
            "stated": f"AEACN {action}; last exposure {subject.suspect_end['stated']}",
        }
    else:
        at = timed(f"after {event['id']}", f"AEACN {action}; the date is not recorded")
    stop = {
        "id": f"{event['id']}-stop",
        "kind": "dechallenge",
        "target": subject.suspect_id,
        "at": at,
        "label": "Withdrawn" if action == "DRUG WITHDRAWN" else "Interrupted",
        "note": f"{action.capitalize()} because of {event['label']}.",
    }
    subject.draft.add(set_source(stop, record, _details(subject, "AE", f"AEACN {action}")))


# ---------------------------------------------------------------------- other domains
def _ends_before(end: str, first_exposure: str | None) -> bool:
    """True when an end time lies wholly before the first exposure (a month or year must end before it)."""
    if end.startswith("day "):
        return int(end.split()[1]) < 0
    span = date_span(end) if end[:1].isdigit() else None
    first = day_number(first_exposure)
    return span is not None and first is not None and span[1] < first


def concomitant(subject: Subject, rows: list[Row], first_exposure: str | None) -> None:
    """CM records as drugs: prior when they ended before the first study treatment."""
    for row in rows:
        record, _ = subject.record("CM", row, "CMSEQ")
        event: dict[str, Any] = {
            "id": f"cm-{text(row, 'CMTRT')}",
            "kind": "drug",
            "drug": legible(text(row, "CMTRT") or "medication"),
        }
        start = subject.time(row, "CMSTDTC", "CMSTDY")
        if start["time"] == "unknown" and text(row, "CMSTRF").upper() == "BEFORE" and subject.suspect_id:
            start = timed(f"before {subject.suspect_id}", "CMSTRF BEFORE (started before the study reference start)")
        event["start"] = start
        end = subject.time(row, "CMENDTC", "CMENDY")
        end_flag = (text(row, "CMENRTPT") or text(row, "CMENRF")).upper()
        if end["time"] != "unknown":
            event["end"] = end
        elif end_flag in ("ONGOING", "AFTER", "DURING/AFTER"):
            event["ongoing"] = True
        prior = end_flag == "BEFORE" or _ends_before(end["time"], first_exposure)
        event["role"] = "prior" if prior else "concomitant"
        dose = number(row, "CMDOSE")
        if dose is not None:
            event["dose"] = dose
        for field_name, column in (("unit", "CMDOSU"), ("route", "CMROUTE"), ("frequency", "CMDOSFRQ")):
            if text(row, column):
                event[field_name] = text(row, column).lower() if column == "CMROUTE" else text(row, column)
        if text(row, "CMINDC"):
            event["note"] = f"Indication (CMINDC): {text(row, 'CMINDC').lower()}."
        details = [
            f"CMDECOD {text(row, 'CMDECOD')!r}" if text(row, "CMDECOD") else "",
            f"CMENRTPT {text(row, 'CMENRTPT')}" if text(row, "CMENRTPT") else "",
        ]
        subject.draft.add(set_source(event, record, _details(subject, "CM", *details)), subject.options.keep_duplicates)


def labs(subject: Subject, rows: list[Row]) -> None:
    """LB records (already filtered) as investigations on one lane per test."""
    for row in rows:
        record, _ = subject.record("LB", row, "LBSEQ")
        test = text(row, "LBTEST") or text(row, "LBTESTCD") or "laboratory test"
        event: dict[str, Any] = {
            "id": f"lb-{text(row, 'LBTESTCD') or test}",
            "kind": "investigation",
            "test": legible(test),
            "lane": legible(test),
            "at": subject.time(row, "LBDTC", "LBDY"),
        }
        value = number(row, "LBSTRESN")
        if value is not None:
            event["value"] = value
            if text(row, "LBSTRESU"):
                event["value_unit"] = text(row, "LBSTRESU")
        result = text(row, "LBSTRESC") or text(row, "LBORRES")
        flag = text(row, "LBNRIND").upper()
        if value is None and result:
            event["result"] = result
        elif flag and flag != "NORMAL":
            event["result"] = flag.lower()
        low, high = number(row, "LBSTNRLO"), number(row, "LBSTNRHI")
        reference = {k: v for k, v in (("low", low), ("high", high)) if v is not None}
        if reference and not (low is not None and high is not None and low >= high):
            event["reference"] = reference
        if flag:
            event["interpretation"] = "normal" if flag == "NORMAL" else "abnormal"
        elif value is not None and reference:
            outside = (low is not None and value < low) or (high is not None and value > high)
            event["interpretation"] = "abnormal" if outside else "normal"
        details = [
            f"LBTESTCD {text(row, 'LBTESTCD')}" if text(row, "LBTESTCD") else "",
            f"LBORRES {text(row, 'LBORRES')} {text(row, 'LBORRESU')}".strip() if text(row, "LBORRES") else "",
            f"LBNRIND {flag}" if flag else "",
            f"VISIT {text(row, 'VISIT')}" if text(row, "VISIT") else "",
        ]
        subject.draft.add(set_source(event, record, _details(subject, "LB", *details)), subject.options.keep_duplicates)


def history(subject: Subject, rows: list[Row]) -> None:
    """MH records as diagnosis milestones on a 'Medical history' lane."""
    for row in rows:
        record, _ = subject.record("MH", row, "MHSEQ")
        term = legible(text(row, "MHTERM") or text(row, "MHDECOD") or "medical history")
        kind_of_date = text(row, "MHEVDTYP").lower()
        event: dict[str, Any] = {
            "id": f"mh-{text(row, 'MHSEQ')}",
            "kind": "milestone",
            "type": "diagnosis",
            "label": f"{term} ({kind_of_date})" if kind_of_date else term,
            "lane": "Medical history",
            "at": subject.time(row, "MHSTDTC", "MHSTDY"),
        }
        end = subject.time(row, "MHENDTC", "MHENDY")
        ongoing = (text(row, "MHENRTPT") or text(row, "MHENRF")).upper()
        notes = []
        if end["time"] != "unknown":
            notes.append(f"Ended {end['time']} ({end['stated']}).")
        elif ongoing:
            notes.append(f"Ongoing ({ongoing.lower()}).")
        if notes:
            event["note"] = " ".join(notes)
        details = [f"MHDECOD {text(row, 'MHDECOD')!r}" if text(row, "MHDECOD") else ""]
        subject.draft.add(set_source(event, record, _details(subject, "MH", *details)), subject.options.keep_duplicates)


def disposition(subject: Subject, rows: list[Row]) -> None:
    """DS records as milestones: death, completion, discontinuation (protocol milestones such as
    informed consent are noise for a timeline and are skipped unless ``include_noise``)."""
    for row in rows:
        record, _ = subject.record("DS", row, "DSSEQ")
        category = text(row, "DSCAT").upper()
        decoded = text(row, "DSDECOD").upper()
        if category == "PROTOCOL MILESTONE" and not subject.options.include_noise:
            continue
        if decoded == "DEATH":
            if subject.death_added:
                continue
            milestone, label = "death", "Death"
            subject.death_added = True
        elif decoded == "COMPLETED":
            milestone, label = "outcome", f"Completed {text(row, 'DSSCAT').lower() or 'study'}"
        elif category == "DISPOSITION EVENT":
            scope = text(row, "DSSCAT").lower() or "study"
            milestone, label = "outcome", f"{scope.capitalize()} ended: {legible(decoded or text(row, 'DSTERM'))}"
        else:
            milestone, label = "other", legible(text(row, "DSTERM") or decoded)
        event = {
            "id": f"ds-{text(row, 'DSSEQ')}",
            "kind": "milestone",
            "type": milestone,
            "label": label,
            "lane": "Study course",
            "at": subject.time(row, "DSSTDTC", "DSSTDY"),
        }
        details = [f"DSTERM {text(row, 'DSTERM')!r}", f"DSDECOD {decoded}" if decoded else ""]
        subject.draft.add(set_source(event, record, _details(subject, "DS", *details)), subject.options.keep_duplicates)


def procedures(subject: Subject, rows: list[Row]) -> None:
    """PR records as therapies on a 'Procedures' lane."""
    for row in rows:
        record, _ = subject.record("PR", row, "PRSEQ")
        event: dict[str, Any] = {
            "id": f"pr-{text(row, 'PRSEQ')}",
            "kind": "therapy",
            "label": legible(text(row, "PRTRT") or "procedure"),
            "lane": "Procedures",
            "start": subject.time(row, "PRSTDTC", "PRSTDY"),
        }
        end = subject.time(row, "PRENDTC", "PRENDY")
        if end["time"] not in ("unknown", event["start"]["time"]):
            event["end"] = end
        elif event["start"]["time"] != "unknown":
            event["schedule"] = {"at": [event.pop("start")]}  # done on one day: a mark, not an open course
        details = [f"PRDECOD {text(row, 'PRDECOD')!r}" if text(row, "PRDECOD") else ""]
        subject.draft.add(set_source(event, record, _details(subject, "PR", *details)), subject.options.keep_duplicates)
