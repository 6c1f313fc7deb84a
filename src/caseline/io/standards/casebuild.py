"""Building one case dict: unique ids, exact-duplicate removal, a day 0, and the picker summary.

Every converter fills a :class:`CaseDraft` and calls :meth:`CaseDraft.finish`; the rules that every
standard needs (ids the format accepts, a case that always has a day 0, relative days on request)
live here rather than in one converter.
"""

from __future__ import annotations

import json
import re
from typing import Any

from caseline.io.standards.dates import date_span, day_number
from caseline.io.standards.model import CaseSummary, ImportOptions, ImportResult, ImportWarning
from caseline.io.standards.provenance import add_source_detail, record_of

_SLUG = re.compile(r"[^A-Za-z0-9_]+")
_SMALL_WORDS = frozenset(
    {"of", "and", "or", "the", "in", "on", "to", "at", "with", "for", "by", "due", "a", "an", "not", "no", "per", "nos"}
)
_CALENDAR = re.compile(r"^(?:\d{4}(?:-\d{2}){0,2}|between \d{4}(?:-\d{2}){0,2} and \d{4}(?:-\d{2}){0,2})$")
_DATE_IN_TEXT = re.compile(
    r"(?<![\d-])(?:18|19|20|21)\d\d(?:-[01]\d(?:-[0-3]\d)?)?(?:T[0-9:.]+(?:Z|[+-]\d\d:?\d\d)?)?"
    r"(?![\d])|(?<!\d)(?:18|19|20|21)\d{6}(?:\d{2,6})?(?:[+-]\d{4})?(?!\d)"
)
TIME_FIELDS = ("start", "end", "at")
#: The order fields are written in, as a person would read an event.
FIELD_ORDER = (
    "id",
    "kind",
    "type",
    "label",
    "drug",
    "test",
    "target",
    "lane",
    "category",
    "role",
    "dose",
    "unit",
    "route",
    "frequency",
    "start",
    "end",
    "duration",
    "at",
    "ongoing",
    "schedule",
    "value",
    "value_unit",
    "reference",
    "interpretation",
    "result",
    "course",
    "severity",
    "seriousness",
    "outcome",
    "grade",
    "action_taken",
    "links",
    "note",
    "identifying",
    "source",
)
_RANK = {name: i for i, name in enumerate(FIELD_ORDER)}
_CASE_RANK = {
    name: i
    for i, name in enumerate(
        (
            "id",
            "title",
            "patient",
            "diagnosis",
            "summary",
            "citation",
            "suspect",
            "causality",
            "anchor",
            "anchor_date",
            "anchor_label",
            "lanes",
            "events",
        )
    )
}


def ordered(event: dict[str, Any]) -> dict[str, Any]:
    """``event`` with its fields in reading order (unknown fields last, as they came)."""
    return dict(sorted(event.items(), key=lambda item: _RANK.get(item[0], len(_RANK))))


def slug(text: str, prefix: str = "e") -> str:
    """An id the case format accepts (letters, digits, ``-``, ``_``; a letter first), from any text."""
    value = _SLUG.sub("-", str(text)).strip("-").lower()[:40].strip("-")
    if not value or not value[0].isalpha():
        value = f"{prefix}-{value}" if value else prefix
    return value


def legible(text: Any) -> str:
    """A reported term as shown: ALL-CAPITALS text (SDTM, E2B) in sentence case, short words that
    look like acronyms (``ALT``, ``ECG``) kept; anything else exactly as written."""
    value = " ".join(str(text or "").split())
    letters = [c for c in value if c.isalpha()]
    if not letters or not all(c.isupper() for c in letters) or len(letters) < 4:
        return value
    words = value.split(" ")
    out: list[str] = []
    for index, word in enumerate(words):
        bare = word.strip("(),;:.'\"")
        keep = (len(bare) <= 3 and bare.lower() not in _SMALL_WORDS) or any(c.isdigit() for c in bare)
        lowered = word if keep else word.lower()
        if index == 0 and not keep:
            lowered = lowered[:1].upper() + lowered[1:]
        out.append(lowered)
    return " ".join(out)


def time_text(value: Any) -> str:
    """The expression of a time field, whether written plainly or as ``{time, stated}``."""
    if isinstance(value, dict):
        return str(value.get("time", ""))
    return "" if value is None else str(value)


def first_time(event: dict[str, Any]) -> str:
    """An event's first time as written: its start or ``at``, else its schedule's first time."""
    for name in ("start", "at"):
        if name in event:
            return time_text(event[name])
    schedule = event.get("schedule") or {}
    if schedule.get("at"):
        return time_text(schedule["at"][0])
    if "start" in schedule:
        return time_text(schedule["start"])
    return ""


class CaseDraft:
    """One case being built from one subject or report."""

    def __init__(self, standard: str, subject: str, title: str, files: tuple[str, ...], prefix: str) -> None:
        self.standard = standard
        self.subject = subject
        self.files = files
        case_id = slug(subject, prefix) if subject else prefix
        if not case_id.startswith(prefix):
            case_id = slug(f"{prefix}-{case_id}")
        self.case: dict[str, Any] = {"id": case_id, "title": title}
        self.patient: dict[str, Any] = {}
        self.identifiers: list[str] = []
        self.suspect: dict[str, Any] = {}
        self.events: list[dict[str, Any]] = []
        self.arm = ""
        self.problems: list[ImportWarning] = []  # source inconsistencies found while building
        self._ids: set[str] = set()
        self._seen: dict[str, dict[str, Any]] = {}

    # ------------------------------------------------------------------ events
    def new_id(self, base: str) -> str:
        """A unique event id from ``base`` (``ae-3``, ``ae-3-2`` on a clash)."""
        candidate = slug(base)
        number = 2
        unique = candidate
        while unique in self._ids:
            unique = f"{candidate}-{number}"
            number += 1
        self._ids.add(unique)
        return unique

    def add(self, event: dict[str, Any], keep_duplicates: bool = False) -> dict[str, Any]:
        """Add ``event`` (its ``id`` is made unique). An exact repeat of an event already added
        (same fields except the id and the record) is merged into the first, whose provenance
        names the repeat; the returned event is the one kept."""
        key = json.dumps({k: v for k, v in event.items() if k not in ("id", "source")}, sort_keys=True, default=str)
        if not keep_duplicates and key in self._seen:
            kept = self._seen[key]
            add_source_detail(kept, f"exact repeat: {record_of(event)}")
            return kept
        event["id"] = self.new_id(event.get("id", event.get("kind", "e")))
        self._check_interval(event)
        self._seen[key] = event
        self.events.append(event)
        return event

    def _check_interval(self, event: dict[str, Any]) -> None:
        """A source end that lies wholly before its start (a data-entry slip) is dropped, with a
        note and a warning, rather than written as a case that cannot open."""
        if "start" not in event or "end" not in event:
            return
        start, end = _span(time_text(event["start"])), _span(time_text(event["end"]))
        if start is None or end is None or start[0] != end[0] or end[2] >= start[1]:
            return
        stated = event["end"]["stated"] if isinstance(event["end"], dict) else time_text(event["end"])
        del event["end"]
        slip = f"The source's end ({stated}) is before its start; left out."
        event["note"] = " ".join(filter(None, [event.get("note", ""), slip]))
        self.problems.append(ImportWarning(", ".join(self.files), f"end before start ({stated}): end left out",
                                           record=record_of(event)))

    def identify(self, *values: Any) -> None:
        """Names, initials, birth dates, subject and report ids: hidden by the de-identified view."""
        for value in values:
            text = str(value or "").strip()
            if text and text not in self.identifiers:
                self.identifiers.append(text)

    # ------------------------------------------------------------------ finishing
    def finish(self, options: ImportOptions) -> tuple[dict[str, Any], CaseSummary]:
        """The case dict (keys in the format's reading order) and its picker summary."""
        case: dict[str, Any] = {"id": self.case["id"], "title": self.case["title"]}
        patient = dict(self.patient)
        if self.identifiers:
            patient["identifiers"] = list(self.identifiers)
        if patient:
            case["patient"] = patient
        for key in ("diagnosis", "summary", "citation"):
            if self.case.get(key):
                case[key] = self.case[key]
        if self.suspect.get("drug") or self.suspect.get("reaction_event"):
            case["suspect"] = {k: v for k, v in self.suspect.items() if v}
        if self.case.get("causality"):  # reported assessments: a list of {drug, reaction, scale, value, by, note}
            case["causality"] = self.case["causality"]
        for key in ("anchor", "anchor_date", "anchor_label"):
            if self.case.get(key):
                case[key] = self.case[key]
        case["events"] = [ordered(e) for e in self.events]
        if not self.events:
            case["events"] = [
                {
                    "id": "no-events",
                    "kind": "milestone",
                    "type": "other",
                    "label": "No events in the source",
                    "at": "unknown",
                }
            ]
        _ensure_day_zero(case)
        if options.relative_days:
            relativize(case)
        case = dict(sorted(case.items(), key=lambda item: _CASE_RANK.get(item[0], len(_CASE_RANK))))
        return case, self.summary(case)

    def summary(self, case: dict[str, Any]) -> CaseSummary:
        suspect_id = (case.get("suspect") or {}).get("drug", "")
        suspect_event = next((e for e in case["events"] if e["id"] == suspect_id), None)
        return CaseSummary(
            case_id=case["id"],
            standard=self.standard,
            subject=self.subject,
            title=case["title"],
            arm=self.arm,
            events=len(case["events"]),
            first_exposure=first_time(suspect_event) if suspect_event else "",
            suspect=str(suspect_event.get("drug") or suspect_event.get("label") or "") if suspect_event else "",
            files=self.files,
        )


def _span(expr: str) -> tuple[str, float, float] | None:
    """(scale, first day, last day) of a calendar date or a ``day N``; only like scales compare."""
    if expr.startswith("day "):
        try:
            day = float(expr[4:])
        except ValueError:
            return None
        return ("day", day, day)
    if _CALENDAR.match(expr):
        span = date_span(expr)
        return ("date", float(span[0]), float(span[1])) if span else None
    return None


def finish_into(draft: CaseDraft, options: ImportOptions, result: ImportResult) -> dict[str, Any]:
    """Finish ``draft`` and add its case, summary and problems to ``result``."""
    case, summary = draft.finish(options)
    result.cases.append(case)
    result.summaries.append(summary)
    result.warnings.extend(draft.problems)
    return case


def _ensure_day_zero(case: dict[str, Any]) -> None:
    """A case without a suspected drug, an anchor or an anchor date is anchored on its earliest
    dated event, so every calendar date can be placed (caseline otherwise warns: no day 0)."""
    if case.get("anchor") or case.get("anchor_date"):
        return
    suspect_id = case.get("suspect", {}).get("drug")
    suspect = next((e for e in case["events"] if e["id"] == suspect_id), None)
    if suspect is not None and first_time(suspect) not in ("", "unknown"):
        return
    best: tuple[int, str, str] | None = None
    for event in case["events"]:
        text = first_time(event)
        span = date_span(text) if _CALENDAR.match(text) else None
        if span is not None and (best is None or span[0] < best[0]):
            label = str(event.get("label") or event.get("drug") or event.get("test") or event["id"])
            best = (span[0], event["id"], label)
    if best is not None:
        case["anchor"] = best[1]
        case["anchor_label"] = f"{best[2]} (first dated event)"
    elif suspect is None:
        case["anchor"] = "day 0"  # nothing dated: times relative to events still line up


# ---------------------------------------------------------------------- relative days
def _anchor_day(case: dict[str, Any]) -> int | None:
    if case.get("anchor_date"):
        return day_number(time_text(case["anchor_date"]))
    ref = case.get("anchor") or (case.get("suspect") or {}).get("drug")
    event = next((e for e in case["events"] if e["id"] == ref), None)
    return day_number(first_time(event)) if event else None


def _relative_expr(expr: str, origin: int) -> str:
    span = date_span(expr) if _CALENDAR.match(expr) else None
    if span is None:
        return expr
    first, last = span[0] - origin, span[1] - origin
    return f"day {first}" if first == last else f"between day {first} and day {last}"


def _relative_text(text: str, origin: int) -> str:
    def replace(match: re.Match[str]) -> str:
        raw = match.group(0)
        iso = raw[:10] if "-" in raw[:5] else (f"{raw[:4]}-{raw[4:6]}-{raw[6:8]}" if len(raw) >= 8 else raw[:4])
        relative = _relative_expr(iso.split("T")[0], origin)
        return f"[{relative}]" if relative != iso else "[date withheld]"

    return _DATE_IN_TEXT.sub(replace, text)


def _walk(value: Any, origin: int, key: str = "") -> Any:
    if isinstance(value, dict):
        if set(value) <= {"time", "stated"} and "time" in value:
            return {
                "time": _relative_expr(str(value["time"]), origin),
                **({"stated": _relative_text(str(value["stated"]), origin)} if "stated" in value else {}),
            }
        return {k: _walk(v, origin, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_walk(v, origin, key) for v in value]
    if isinstance(value, str):
        if key in ("start", "end", "at", "until", "anchor"):
            return _relative_expr(value, origin)
        if key in ("id", "target", "drug", "reaction_event", "kind", "type", "role"):
            return value
        return _relative_text(value, origin)
    return value


def relativize(case: dict[str, Any]) -> bool:
    """Rewrite every calendar date of ``case`` as days from day 0 (dates in notes and stated texts
    too) and drop ``anchor_date``. False (case unchanged) when day 0 has no exact calendar date."""
    origin = _anchor_day(case)
    if origin is None:
        return False
    if case.pop("anchor_date", None) is not None and not case.get("anchor"):
        case["anchor"] = "day 0"  # day 0 stays where the anchor date put it, not at the first dose
    identifiers = case.get("patient", {}).get("identifiers")
    if identifiers:
        kept = [i for i in identifiers if not _DATE_IN_TEXT.search(i)]
        if kept:
            case["patient"]["identifiers"] = kept
        else:
            del case["patient"]["identifiers"]
    for key in ("title", "summary", "anchor_label", "anchor", "diagnosis"):
        if isinstance(case.get(key), str):
            case[key] = _walk(case[key], origin, key)
    case["events"] = _walk(case["events"], origin)
    return True


def apply_suspect(draft: CaseDraft, name: str) -> bool:
    """Make the drug named ``name`` (any case, part of the name is enough) the suspected drug:
    its events get ``role: suspected`` and the first becomes ``suspect.drug``; drugs that were
    suspected by default lose that role. False when no drug of the case matches."""
    wanted = name.strip().lower()
    matches = [e for e in draft.events if e["kind"] == "drug" and wanted in str(e.get("drug", "")).lower()]
    if not wanted or not matches:
        return False
    lanes = {m.get("lane") or m.get("drug") for m in matches}
    for event in draft.events:
        if event["kind"] != "drug":
            continue
        if (event.get("lane") or event.get("drug")) in lanes:
            event["role"] = "suspected"
        elif event.get("role") == "suspected":
            del event["role"]
    draft.suspect["drug"] = matches[0]["id"]
    return True
