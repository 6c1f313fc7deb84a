"""De-identified copies of resolved cases: no calendar date, no identifier. Pure Python.

What the de-identified view removes (docs/case-format.md, "Identifying details"):

- every calendar date: ``anchor_date`` and the items' ``start_date``/``end_date`` become None,
  calendar time expressions become offsets from day 0, and dates written in any text are
  replaced by relative wording ("in February 2010" -> "in days 78 to 105"; a year alone, which
  may be a publication year rather than a date of care, becomes "[year withheld]"; a date that
  cannot be placed, "[date withheld]"); a date in brackets after the anchor ("first dose
  (November 2009)") is dropped, since "day 0" already says it;
- the citation's year (a publication year narrows down when the patient was treated), and its
  DOI or URL when they hold a year ("10.4274/turkderm.galenos.2018.70437");
- ``patient.identifiers``, and every occurrence of them in free text;
- the fields an event lists in ``identifying`` (replaced by "[withheld]");
- names after a title ("Dr Example", "Mrs Smith") in free text;
- ages over 89, which become "90 or older" (as in HIPAA's Safe Harbor rule).

Ids are kept: they tie events together and are not shown as text. The copies are made with
``dataclasses.replace``, keep the order of items (so views can keep indexing them), and
de-identifying a de-identified case changes nothing.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from datetime import date, timedelta
from enum import Enum
from typing import Any

from caseline.model.case import Case, Citation, Event, Patient
from caseline.model.time_expressions import Amount, AnchorTime, CalendarTime, RangeTime, TimeExpr, TimeNode, UnknownTime
from caseline.timeline.resolved import Item, ResolvedCase

WITHHELD = "[withheld]"
DATE_WITHHELD = "[date withheld]"
YEAR_WITHHELD = "[year withheld]"
NAME_WITHHELD = "[name withheld]"

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december")
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_ORD = r"(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
# A year that is a quantity ("2000 mg/day") is not a date.
_NOT_QUANTITY = r"(?!\s*(?:mg|g|mcg|µg|ug|ml|mL|IU|units?|%|/|x\b|[.,]\d|-\d))"

#: Dates as people write them, most specific first. Group names say which form matched.
DATE_PATTERN = re.compile(
    rf"(?P<iso>\b{_YEAR}-\d{{1,2}}(?:-\d{{1,2}})?\b)"
    rf"|(?P<numeric>\b\d{{1,2}}[/.]\d{{1,2}}[/.](?:{_YEAR}|\d\d)\b|\b\d{{1,2}}/{_YEAR}\b)"
    rf"|(?P<month_range>\b{_MONTH}\.?\s*[-–/]\s*{_MONTH}\.?\s+{_YEAR}\b)"
    rf"|(?P<named>\b(?:(?P<day1>\d{{1,2}}){_ORD}\s+(?:of\s+)?)?(?P<month>{_MONTH})\b\.?"
    rf"(?:\s+(?P<day2>\d{{1,2}}){_ORD}\b,?)?(?:\s+(?:of\s+)?(?P<year>{_YEAR})\b)?)"
    rf"|(?P<decade>\b{_YEAR[:-3]}\d0s\b)"
    rf"|(?P<year_only>(?<![\d./-])\b{_YEAR}\b{_NOT_QUANTITY})",
)
_ANCHOR_DATE_IN_BRACKETS = re.compile(r"\s*\((?:in |on |since |from )?(?P<inner>[^()]*)\)")
_HAS_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")  # in a DOI or URL: "galenos.2018.70437"
_TITLED_NAME = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|Miss|Prof|Professor|Sister|Nurse)\.?\s+[A-Z][\w'’-]+")


def contains_date(text: str) -> bool:
    """True when ``text`` holds something that reads as a calendar date or a year."""
    return any(_is_date_match(m) for m in DATE_PATTERN.finditer(text))


def _is_date_match(match: re.Match[str]) -> bool:
    if match.group("named") is None:
        return True
    word = match.group("month")
    has_number = bool(match.group("day1") or match.group("day2") or match.group("year"))
    if has_number:
        return True
    # A month name on its own is a date element, except words that are also ordinary words or
    # names ("May", "Jan", "March on"): full names other than May only.
    return word.lower() in _MONTHS and word.lower() != "may" and word[0].isupper()


def _month_number(word: str) -> int:
    key = word.lower()[:3]
    return [m[:3] for m in _MONTHS].index(key) + 1


def _month_span(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return first, nxt - timedelta(days=1)


def _span_of(match: re.Match[str]) -> tuple[date, date] | None:
    """The calendar days a matched date covers, when it can be read without guessing."""
    try:
        if match.group("iso"):
            parts = [int(p) for p in match.group("iso").split("-")]
            if len(parts) == 3:
                day = date(parts[0], parts[1], parts[2])
                return day, day
            return _month_span(parts[0], parts[1])
        if match.group("month_range"):
            text = match.group("month_range")
            months = re.findall(_MONTH, text)
            year = int(re.findall(_YEAR, text)[-1])
            first, _ = _month_span(year, _month_number(months[0]))
            _, last = _month_span(year, _month_number(months[-1]))
            return (first, last) if first <= last else None
        if match.group("named") and match.group("year"):
            year = int(match.group("year"))
            month = _month_number(match.group("month"))
            day_text = match.group("day1") or match.group("day2")
            if day_text:
                day = date(year, month, int(day_text))
                return day, day
            return _month_span(year, month)
    except (ValueError, IndexError):
        return None
    return None  # numeric (day/month order unknown), a month without a year, a decade, a year


def _relative(span: tuple[date, date], anchor: date) -> str:
    first = (span[0] - anchor).days
    last = (span[1] - anchor).days
    return f"day {first}" if first == last else f"days {first} to {last}"


def scrub_dates(text: str, anchor: date | None) -> str:
    """``text`` with every date replaced by days from ``anchor`` (day 0), or withheld."""
    if not text:
        return text

    def replace(match: re.Match[str]) -> str:
        if not _is_date_match(match):
            return match.group(0)
        if match.group("year_only") or match.group("decade"):
            return YEAR_WITHHELD
        span = _span_of(match)
        if span is None or anchor is None:
            return DATE_WITHHELD
        return _relative(span, anchor)

    return DATE_PATTERN.sub(replace, text)


class _Scrubber:
    """Rewrites every text of one case: dates, identifiers and titled names."""

    def __init__(self, anchor: date | None, identifiers: Sequence[str]) -> None:
        self.anchor = anchor
        names: set[str] = set()
        for identifier in identifiers:
            identifier = identifier.strip()
            if len(identifier) >= 2:
                names.add(identifier)
            # the parts of a name ("Smith" of "J. Smith"), but not initials or short words
            names.update(p.strip(".,") for p in identifier.split() if len(p.strip(".,")) >= 3)
        self.identifier_pattern = (
            re.compile("|".join(rf"(?<!\w){re.escape(n)}(?!\w)" for n in sorted(names, key=len, reverse=True)),
                       re.IGNORECASE)
            if names else None
        )

    def text(self, value: str) -> str:
        if not value:
            return value
        if self.identifier_pattern is not None:
            value = self.identifier_pattern.sub(NAME_WITHHELD, value)
        value = _TITLED_NAME.sub(NAME_WITHHELD, value)
        return scrub_dates(value, self.anchor)

    def node(self, node: TimeNode) -> TimeNode:
        if isinstance(node, CalendarTime):
            if self.anchor is None:
                return UnknownTime()
            lo = float((node.first - self.anchor).days)
            hi = float((node.last - self.anchor).days)
            return AnchorTime(Amount(lo, (lo + hi) / 2, hi))
        if isinstance(node, RangeTime):
            return RangeTime(self.node(node.first), self.node(node.last))
        return node

    def value(self, value: Any, skip: frozenset[str] = frozenset()) -> Any:
        """A copy of any model value with its texts and calendar times rewritten."""
        if isinstance(value, Enum) or value is None or isinstance(value, bool | int | float):
            return value
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, date):
            return None
        if isinstance(value, tuple):
            return tuple(self.value(v) for v in value)
        if isinstance(value, TimeExpr):
            return dataclasses.replace(value, node=self.node(value.node), text=self.text(value.text),
                                       stated=self.text(value.stated))
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes = {}
            for f in dataclasses.fields(value):
                if f.name in skip or f.name in _ID_FIELDS:
                    continue
                old = getattr(value, f.name)
                new = self.value(old)
                if new is not old and new != old:
                    changes[f.name] = new
            return dataclasses.replace(value, **changes) if changes else value
        return value


#: Fields that hold ids or references: kept as they are.
_ID_FIELDS = frozenset({"id", "target", "event_id", "item_id", "case_id", "pos", "identifying", "ref",
                        "drug_id", "reaction_event", "path"})


def _withhold(event: Event) -> Event:
    changes: dict[str, Any] = {}
    for name in event.identifying:
        if not hasattr(event, name) or name in _ID_FIELDS:
            continue
        old = getattr(event, name)
        if isinstance(old, str) and old:
            changes[name] = WITHHELD
        elif isinstance(old, tuple):
            changes[name] = ()
        elif old is not None and not isinstance(old, bool | Enum):
            changes[name] = None
    if changes.get("label") == WITHHELD:
        changes["label"] = f"{event.kind.value.capitalize()} (details withheld)"
    if changes.get("lane") == WITHHELD:
        changes["lane"] = f"{event.kind.value.capitalize()} (withheld)"
    try:
        return dataclasses.replace(event, **changes) if changes else event
    except TypeError:  # a field that must not be None: leave the event as it is
        return event


def _age(age: str) -> str:
    return "90 or older" if age.isdigit() and int(age) > 89 else age


def deidentify_case(case: ResolvedCase) -> ResolvedCase:
    """A de-identified copy of one resolved case (see the module docstring)."""
    source = case.case
    scrub = _Scrubber(case.anchor_date, source.patient.identifiers)
    events = {e.id: scrub.value(_withhold(e)) for e in source.events}
    patient = Patient(age=_age(scrub.text(source.patient.age)), sex=scrub.text(source.patient.sex),
                      identifiers=(), note=scrub.text(source.patient.note))
    citation: Citation = scrub.value(dataclasses.replace(
        source.citation, year=None,
        doi="" if _HAS_YEAR.search(source.citation.doi) else source.citation.doi,
        url="" if _HAS_YEAR.search(source.citation.url) else source.citation.url))
    suspect = scrub.value(source.suspect, skip=frozenset({"drug"}))
    new_case: Case = scrub.value(
        dataclasses.replace(source, events=tuple(events.values()), patient=patient, citation=citation,
                            suspect=suspect, anchor_date=None),
        skip=frozenset({"events", "patient", "citation", "suspect"}),
    )
    items = tuple(_item(scrub, item, events) for item in case.items)
    return dataclasses.replace(
        case, case=new_case, items=items, anchor_date=None, anchor_date_precision=None,
        anchor_description=_anchor_description(scrub, case.anchor_description),
        diagnostics=tuple(dataclasses.replace(d, message=scrub.text(d.message), hint=scrub.text(d.hint))
                          for d in case.diagnostics),
    )


def _anchor_description(scrub: _Scrubber, text: str) -> str:
    def drop(match: re.Match[str]) -> str:
        inner = match.group("inner")
        bare = DATE_PATTERN.sub("", inner).strip(" ,;")
        return "" if contains_date(inner) and not bare else match.group(0)

    return scrub.text(_ANCHOR_DATE_IN_BRACKETS.sub(drop, text))


def _item(scrub: _Scrubber, item: Item, events: dict[str, Event]) -> Item:
    event = events.get(item.event_id, item.event)
    label = item.label
    if "label" in item.event.identifying:
        label = event.label
    lane = event.lane if "lane" in item.event.identifying else item.lane
    return dataclasses.replace(
        item, event=event, label=scrub.text(label), lane=scrub.text(lane), stated=scrub.text(item.stated),
        start_date=None, end_date=None,
    )


def deidentify_cases(cases: Sequence[ResolvedCase]) -> list[ResolvedCase]:
    """De-identified copies of ``cases``, in the same order."""
    return [deidentify_case(case) for case in cases]
