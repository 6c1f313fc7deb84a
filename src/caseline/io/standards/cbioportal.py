"""cBioPortal timeline files (``data_timeline*.txt``) in and out.

A timeline file is tab-separated: ``PATIENT_ID``, ``START_DATE``, ``STOP_DATE`` (days from the
study's anchor, often the diagnosis), ``EVENT_TYPE`` and any further columns (``AGENT``, ``TEST``,
``RESULT``, ...). Reading gives one case per patient, anchored on cBioPortal's day 0; every event
keeps its row's other columns in its provenance, so writing the cases back gives the same rows.
Writing also works for cases from any source (an SDTM subject, say): their events are placed in
days from day 0 and typed by kind.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
from collections.abc import Iterable, Sequence
from typing import Any

from caseline.io.standards.casebuild import CaseDraft, finish_into, time_text
from caseline.io.standards.dates import day_number
from caseline.io.standards.model import ImportOptions, ImportResult, ImportWarning, UnreadableInput
from caseline.io.standards.provenance import set_source, timed

REQUIRED = ("PATIENT_ID", "START_DATE", "EVENT_TYPE")
FIXED = ("PATIENT_ID", "START_DATE", "STOP_DATE", "EVENT_TYPE")
_MARK = "columns "
_DAY = re.compile(r"^day (-?\d+(?:\.\d+)?)$")
_KIND_TYPE = {
    "drug": "TREATMENT",
    "therapy": "TREATMENT",
    "investigation": "LAB_TEST",
    "milestone": "STATUS",
    "symptom": "CLINICAL_EVENT",
    "dechallenge": "TREATMENT",
    "rechallenge": "TREATMENT",
}


def identify(head: bytes) -> bool:
    for line in head.decode("utf-8", "replace").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        columns = {c.strip().upper() for c in line.split("\t")}
        return all(c in columns for c in REQUIRED)
    return False


# ---------------------------------------------------------------------- reading
def convert(path: str, options: ImportOptions, subject: str | None = None, suspect: str | None = None) -> ImportResult:
    """One case per PATIENT_ID; every row becomes one event (rows are never merged)."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as stream:
            lines = stream.read().splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UnreadableInput(path, f"cannot read the file: {exc}") from exc
    numbered = [(n, line) for n, line in enumerate(lines, 1) if line.strip() and not line.startswith("#")]
    if not numbered:
        raise UnreadableInput(path, "empty timeline file")
    header_line, header_text = numbered[0]
    header = [c.strip() for c in header_text.split("\t")]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise UnreadableInput(
            path,
            f"missing column {missing[0]}",
            "a cBioPortal timeline needs PATIENT_ID, START_DATE and EVENT_TYPE",
            line=header_line,
            column=1,
        )
    result = ImportResult()
    drafts: dict[str, CaseDraft] = {}
    file = os.path.basename(path)
    for number, line in numbered[1:]:
        cells = line.split("\t")
        if len(cells) > len(header):
            result.warnings.append(
                ImportWarning(
                    path,
                    f"{len(cells)} cells but {len(header)} columns",
                    line=number,
                    column=1,
                    hint="extra cells are dropped",
                )
            )
        row = {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header)}
        patient = row["PATIENT_ID"].strip()
        if subject is not None and patient.lower() != subject.lower():
            continue
        draft = drafts.get(patient)
        if draft is None:
            draft = drafts[patient] = CaseDraft("cbioportal", patient, f"Patient {patient}", (file,), "patient")
            draft.identify(patient)
            draft.case["anchor"] = "day 0"
            draft.case["anchor_label"] = "cBioPortal day 0"
        problem = _row_event(draft, row, number, file, options)
        if problem:
            result.warnings.append(ImportWarning(path, problem, line=number, column=header.index("START_DATE") + 1))
    for draft in drafts.values():
        if suspect is not None:
            from caseline.io.standards.casebuild import apply_suspect

            if not apply_suspect(draft, suspect):
                result.warnings.append(ImportWarning(path, f"no treatment named {suspect!r}", record=draft.subject))
        finish_into(draft, options, result)
    if not result.cases:
        result.warnings.append(ImportWarning(path, "no patient" + (f" {subject!r}" if subject else ""), error=True))
    return result


def _day(value: str, column: str) -> tuple[dict[str, str] | None, str]:
    text = value.strip()
    if not text:
        return None, ""
    try:
        number = float(text)
    except ValueError:
        return timed(None, f"{column} {text!r} (not a number of days)"), f"{column} {text!r} is not a number of days"
    shown = int(number) if number.is_integer() else number
    return timed(f"day {shown}", f"{column} {text}"), ""


def _row_event(draft: CaseDraft, row: dict[str, str], number: int, file: str, options: ImportOptions) -> str:
    event_type = row["EVENT_TYPE"].strip()
    kind = event_type.upper()
    start, problem = _day(row["START_DATE"], "START_DATE")
    stop, stop_problem = _day(row.get("STOP_DATE", ""), "STOP_DATE")
    start = start or timed(None, "START_DATE empty")
    known = row.get("TIME_KNOWN", "").strip()
    if known and known != "exact":  # written by caseline: START_DATE is a placed estimate, not a stated day
        low, high = row.get("START_MIN", "").strip(), row.get("START_MAX", "").strip()
        stated = f"START_DATE {row['START_DATE'].strip()} ({known}: {low or '?'} to {high or '?'})"
        start = timed(f"between day {low} and day {high}" if low and high else None, stated)
    extra = {k: v for k, v in row.items() if k not in ("PATIENT_ID", "START_DATE", "STOP_DATE")}
    event: dict[str, Any]
    if kind == "TREATMENT":
        agent = row.get("AGENT", "").strip()
        label = agent or row.get("TREATMENT_TYPE", "").strip() or row.get("SUBTYPE", "").strip() or "Treatment"
        event = {"id": f"tx-{label}", "kind": "drug" if agent else "therapy", "lane": label}
        event["drug" if agent else "label"] = label
    elif kind in ("LAB_TEST", "SPECIMEN", "IMAGING", "SAMPLE_ACQUISITION"):
        test = row.get("TEST", "").strip() or row.get("SUBTYPE", "").strip() or event_type.replace("_", " ").lower()
        event = {"id": f"test-{test}", "kind": "investigation", "test": test, "lane": test}
        result = row.get("RESULT", "").strip()
        try:
            event["value"] = float(result) if "." in result else int(result)
        except ValueError:
            if result:
                event["result"] = result
    elif kind in ("STATUS", "DIAGNOSIS"):
        label = row.get("STATUS", "").strip() or row.get("SUBTYPE", "").strip() or event_type.title()
        lowered = label.lower()
        milestone = (
            "diagnosis"
            if kind == "DIAGNOSIS" or "diagnos" in lowered
            else "death"
            if ("death" in lowered or "deceased" in lowered)
            else "relapse"
            if ("recurrence" in lowered or "relapse" in lowered or "progression" in lowered)
            else "other"
        )
        event = {"id": f"status-{label}", "kind": "milestone", "type": milestone, "label": label, "lane": event_type}
    else:
        label = row.get("SUBTYPE", "").strip() or event_type.replace("_", " ").capitalize() or "Event"
        event = {"id": f"event-{label}", "kind": "milestone", "type": "other", "label": label, "lane": event_type}
    if event["kind"] in ("drug", "therapy"):
        if stop is not None:
            event["start"], event["end"] = start, stop
        else:
            event["schedule"] = {"at": [start]}  # a point in time, not an open-ended course
    else:
        event["at"] = start
        if stop is not None:
            extra["STOP_DATE"] = row["STOP_DATE"]  # a point event cannot hold it; kept for writing back
    details = [f"from {file} line {number}", _MARK + json.dumps(extra, ensure_ascii=False)]
    draft.add(set_source(event, f"{file} line {number}", details), keep_duplicates=True)
    return problem or stop_problem


# ---------------------------------------------------------------------- writing
def _columns_of(note: str) -> dict[str, str] | None:
    index = note.rfind(_MARK + "{")
    if index < 0:
        return None
    try:
        value = json.loads(note[index + len(_MARK) :])
    except json.JSONDecodeError:
        return None
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else None


def _line_of(section: str) -> int:
    match = re.search(r"line (\d+)$", section)
    return int(match.group(1)) if match else 1 << 30


def _format_day(day: float | None) -> str:
    if day is None or not math.isfinite(day):
        return ""
    return str(round(day)) if abs(day - round(day)) < 1e-6 else str(round(day, 3))


def _default_columns(event: dict[str, Any], label: str) -> dict[str, str]:
    kind = str(event.get("kind", ""))
    columns = {"EVENT_TYPE": _KIND_TYPE.get(kind, "CLINICAL_EVENT")}
    if kind in ("drug", "therapy"):
        columns["AGENT"] = str(event.get("drug") or label)
    elif kind == "investigation":
        columns["TEST"] = str(event.get("test") or label)
        if event.get("value") is not None or event.get("result"):
            columns["RESULT"] = str(event["value"] if event.get("value") is not None else event["result"])
    elif kind == "milestone":
        columns["STATUS"] = label
    else:
        columns["SUBTYPE"] = label
    return columns


def _dict_day(value: Any, origin: int | None) -> float | None:
    text = time_text(value)
    match = _DAY.match(text)
    if match:
        return float(match.group(1))
    ordinal = day_number(text)
    return float(ordinal - origin) if ordinal is not None and origin is not None else None


def timeline_rows(case: dict[str, Any], warnings: list[ImportWarning] | None = None) -> list[dict[str, str]]:
    """The timeline rows of one case dict: times must be ``day N``, or full dates with a dated day 0."""
    origin = day_number(time_text(case.get("anchor_date"))) if case.get("anchor_date") else None
    fallback = (case.get("patient") or {}).get("identifiers", [case["id"]])[0]
    rows: list[tuple[int, dict[str, str]]] = []
    for event in case["events"]:
        source = event.get("source") or {}
        columns = _columns_of(str(source.get("note", ""))) or _default_columns(event, str(event.get("label", "")))
        schedule = (event.get("schedule") or {}).get("at")
        starts = schedule if schedule else [event.get("start", event.get("at"))]
        for start in starts:
            day = _dict_day(start, origin)
            if day is None:
                if warnings is not None:
                    warnings.append(
                        ImportWarning(case["id"], "no day to write (not 'day N' or a full date)", record=event["id"])
                    )
                continue
            stop = _dict_day(event["end"], origin) if "end" in event and not schedule else None
            row = {
                "PATIENT_ID": columns.pop("PATIENT_ID", None) or str(fallback),
                "START_DATE": _format_day(day),
                "STOP_DATE": _format_day(stop) if stop is not None else columns.get("STOP_DATE", ""),
            }
            row.update({k: v for k, v in columns.items() if k != "STOP_DATE"})
            rows.append((_line_of(str(source.get("section", ""))), row))
    rows.sort(key=lambda item: item[0])
    return [row for _, row in rows]


def resolved_rows(resolved: Any) -> list[dict[str, str]]:
    """The timeline rows of one resolved case (``caseline.load``): days are the best estimates (items with no
    time at all have no row: see :func:`unwritable_items`); a row whose
    start the source did not state to the day also has TIME_KNOWN (span, bounded, ordered, unknown) and its
    bounds START_MIN/START_MAX (empty: open)."""
    case = resolved.case
    patient_ids = list(getattr(case.patient, "identifiers", ()) or ()) or [case.id]
    rows: list[tuple[int, int, dict[str, str]]] = []
    for order, item in enumerate(resolved.items):
        role = str(getattr(item.role, "value", item.role))
        if role not in ("course", "dose", "point") or item.start is None:
            continue
        event = item.event
        schedule = getattr(event, "schedule", None)
        if role == "course" and schedule is not None:
            continue  # its administrations are the rows
        note = getattr(event.source, "note", "") if getattr(event, "source", None) else ""
        kind = str(getattr(event.kind, "value", event.kind))
        columns = _columns_of(note) or _default_columns(
            {"kind": kind, "drug": event.drug, "test": event.test, "value": event.value, "result": event.result},
            item.label,
        )
        stop = item.end.best if role == "course" and item.end is not None else None
        known = str(getattr(item.known, "value", item.known))
        row = {
            "PATIENT_ID": columns.pop("PATIENT_ID", None) or str(patient_ids[0]),
            # a placed estimate is written as a whole day: its decimals would claim a precision never stated
            "START_DATE": _format_day(item.start.best if known == "exact" else round(item.start.best)),
            "STOP_DATE": _format_day(stop) if stop is not None else columns.get("STOP_DATE", ""),
        }
        row.update({k: v for k, v in columns.items() if k != "STOP_DATE"})
        if known != "exact":
            # START_DATE must be a day, but the source did not give one: say how the time is known and its
            # bounds, so a placed best estimate is never read as a stated day
            row["TIME_KNOWN"] = known
            row["START_MIN"] = _format_day(item.start.lo)
            row["START_MAX"] = _format_day(item.start.hi)
        section = getattr(event.source, "section", "") if getattr(event, "source", None) else ""
        rows.append((_line_of(section), order, row))
    rows.sort(key=lambda item: (item[0], item[1]))
    return [row for _, _, row in rows]


def unwritable_items(resolved: Any) -> list[str]:
    """Labels of the items of a resolved case that have no time to write as a START_DATE (time not stated)."""
    return [item.label for item in resolved.items
            if str(getattr(item.role, "value", item.role)) in ("course", "dose", "point") and item.start is None]


def to_tsv(rows: Iterable[dict[str, str]]) -> str:
    """Rows as a timeline file: the fixed columns first, then the others in first-seen order."""
    rows = list(rows)
    header = list(FIXED)
    for row in rows:
        header.extend(k for k in row if k not in header)
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return out.getvalue()


def write_timeline(cases: Sequence[Any], warnings: list[ImportWarning] | None = None) -> str:
    """A cBioPortal timeline of case dicts or resolved cases (from ``caseline.load``)."""
    rows: list[dict[str, str]] = []
    for case in cases:
        rows.extend(timeline_rows(case, warnings) if isinstance(case, dict) else resolved_rows(case))
    return to_tsv(rows)
