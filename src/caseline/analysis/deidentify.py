"""De-identified copies of resolved cases: no calendar date, no identifier. Pure Python.

What the de-identified view removes (docs/case-format.md, "What the de-identified view removes"):

- by structure: ``anchor_date``, the items' calendar dates and bounds, calendar time expressions (which
  become offsets from day 0), ``patient.identifiers`` and the fields an event lists in ``identifying``
  (replaced by "[withheld]"; their text is also withheld wherever else it is written, so a lane named
  after an identifying label is renamed), the whole citation (authors, title, journal, year, DOI, PMID,
  URL: any of them leads to the publication and so to when and where the patient was treated), and
  ages over 89 ("90 or older", as in HIPAA's Safe Harbor rule);
- in every text (:mod:`caseline.analysis.scrub_text`): each identifier and its words, names after a
  title ("Dr J. Ormerod") and initialled names ("J.Smith"), dates ("in February 2010" -> "in days 78 to
  105"; a year alone, "[year withheld]"; a date that cannot be placed, "[date withheld]"), ages over 89,
  long numbers, links, e-mail addresses and DOIs; a date in brackets after the anchor ("first dose
  (November 2009)") is dropped, since "day 0" already says it.

Ids are kept: they tie events together (choose ids that do not identify). The copies are made with
``dataclasses.replace`` and keep the order of items (so views can keep indexing them); de-identifying a
de-identified case changes nothing. It fails closed: anything unexpected raises
:class:`DeidentifyError`, never returns a partly de-identified case.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from datetime import date
from enum import Enum
from typing import Any

from caseline.analysis.scrub_text import (
    DATE_PATTERN,
    DATE_WITHHELD,
    NAME_WITHHELD,
    PLACEHOLDER,
    YEAR_WITHHELD,
    age_number,
    contains_date,
    identifier_pattern,
    scrub_dates,
    scrub_free_text,
)
from caseline.model.case import Case, Citation, Event, Patient
from caseline.model.time_expressions import Amount, AnchorTime, CalendarTime, RangeTime, TimeExpr, TimeNode, UnknownTime
from caseline.timeline.resolved import Item, ResolvedCase

__all__ = ["DATE_WITHHELD", "NAME_WITHHELD", "WITHHELD", "YEAR_WITHHELD", "DeidentifyError", "case_identifiers",
           "contains_date", "deidentify_case", "deidentify_cases", "scrub_dates", "scrub_text"]

WITHHELD = "[withheld]"
AGE_WITHHELD = "[age withheld]"


class DeidentifyError(ValueError):
    """A case that could not be de-identified: nothing of it may be shown or written."""


_ANCHOR_DATE_IN_BRACKETS = re.compile(r"\s*\((?:in |on |since |from )?(?P<inner>[^()]*)\)")


def scrub_text(text: str, anchor: date | None = None, identifiers: Sequence[str] = (),
               identifying_texts: Sequence[str] = ()) -> str:
    """``text`` as the de-identified view shows it, for texts outside a case (an axis title, a title or
    caption typed in): ``identifiers`` are withheld with each of their words, ``identifying_texts`` whole."""
    return scrub_free_text(text, anchor, identifier_pattern([*identifiers, *identifying_texts], identifiers))


class _Scrubber:
    """Rewrites every text of one case: identifiers, names, dates, ages, numbers and links."""

    def __init__(self, anchor: date | None, identifiers: Sequence[str], identifying_texts: Sequence[str]) -> None:
        self.anchor = anchor
        self.identifier_pattern = identifier_pattern([*identifiers, *identifying_texts], identifiers)
        self._done: dict[str, str] = {}  # administrations repeat their label, lane and stated time

    def text(self, value: str) -> str:
        if not value:
            return value
        found = self._done.get(value)
        if found is None:
            found = self._done[value] = scrub_free_text(value, self.anchor, self.identifier_pattern)
        return found

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
                if f.name in skip or f.name in ID_FIELDS or not f.init:  # (not init: a cache, made afresh)
                    continue
                old = getattr(value, f.name)
                new = self.value(old)
                if new is not old and new != old:
                    changes[f.name] = new
            return dataclasses.replace(value, **changes) if changes else value
        raise DeidentifyError(f"cannot de-identify a {type(value).__name__} value")  # never pass it through


#: Fields that hold ids or references: kept as they are.
ID_FIELDS = frozenset({"id", "target", "event_id", "item_id", "case_id", "pos", "identifying", "ref",
                        "drug_id", "reaction_event", "path"})


def _identifying_texts(events: Sequence[Event]) -> list[str]:
    """The texts of every field an event marks identifying (withheld wherever else they are written)."""
    texts: list[str] = []
    for event in events:
        for name in event.identifying:
            old = getattr(event, name, None) if name not in ID_FIELDS else None
            if isinstance(old, str):
                texts.append(old)
            elif isinstance(old, tuple):
                texts.extend(v for v in old if isinstance(v, str))
    # what an earlier pass left ('[withheld]', 'Milestone (details withheld)') is not itself identifying
    return [t.strip() for t in texts if t.strip() and not PLACEHOLDER.search(t)]


def case_identifiers(case: ResolvedCase) -> tuple[list[str], list[str]]:
    """What of a case is withheld wherever it is written: its identifiers (and their words), and the texts
    of its identifying fields (whole)."""
    citation = case.case.citation
    # the citation is withheld whole; its authors' names and its other parts wherever else they are written
    authors = [a.split(",")[0] for a in citation.authors]
    parts = [citation.title, citation.journal, citation.doi, citation.pmid, citation.url]
    return ([*case.case.patient.identifiers, *authors],
            [*_identifying_texts(case.case.events), *(p for p in parts if len(p.strip()) >= 4)])


def _withhold(event: Event) -> Event:
    changes: dict[str, Any] = {}
    for name in event.identifying:
        if not hasattr(event, name) or name in ID_FIELDS:
            continue
        old = getattr(event, name)
        if isinstance(old, str) and old:
            changes[name] = WITHHELD
        elif isinstance(old, tuple):
            changes[name] = ()
        elif old is not None and not isinstance(old, bool | Enum):
            changes[name] = None
    if changes.get("label") == WITHHELD:
        changes["label"] = _withheld_label(event)
    if changes.get("lane") == WITHHELD or (event.lane and event.lane == event.label and "label" in changes):
        changes["lane"] = _withheld_lane(event)
    try:
        return dataclasses.replace(event, **changes) if changes else event
    except TypeError as exc:  # a field that must not be None
        raise DeidentifyError(f"event {event.id}: cannot withhold {', '.join(changes)}: {exc}") from exc


def _withheld_label(event: Event) -> str:
    return f"{event.kind.value.capitalize()} (details withheld)"


def _withheld_lane(event: Event) -> str:
    return f"{event.kind.value.capitalize()} (withheld)"


def _age(age: str, scrub: _Scrubber) -> str:
    number = age_number(age)
    if number is not None:
        return "90 or older" if number > 89 else str(number)
    if any(ch.isdigit() for ch in age) and not any(ch.isdecimal() for ch in age):
        return AGE_WITHHELD  # digits that are not decimal ('²', '①'): cannot be read, so not shown
    return scrub.text(age)


def deidentify_case(case: ResolvedCase) -> ResolvedCase:
    """A de-identified copy of one resolved case (see the module docstring). Raises DeidentifyError when
    any part of it cannot be de-identified: a caller shows or writes nothing of the case then."""
    try:
        return _deidentify(case)
    except DeidentifyError:
        raise
    except Exception as exc:  # fail closed: whatever went wrong, no partly de-identified case escapes
        raise DeidentifyError(f"case {case.id}: could not be de-identified ({type(exc).__name__}: {exc})") from exc


def _deidentify(case: ResolvedCase) -> ResolvedCase:
    source = case.case
    identifiers, identifying = case_identifiers(case)
    scrub = _Scrubber(case.anchor_date, identifiers, identifying)
    events = {e.id: scrub.value(_withhold(e)) for e in source.events}
    patient = Patient(age=_age(source.patient.age, scrub), sex=scrub.text(source.patient.sex),
                      identifiers=(), note=scrub.text(source.patient.note),
                      ethnicity=scrub.text(source.patient.ethnicity))
    # ages stated two ways are not written out (an age over 89 is withheld); the age used is, as above
    conflicts = tuple(c for c in source.conflicts if c.about != "patient.age")
    suspect = scrub.value(source.suspect, skip=frozenset({"drug"}))
    # a reported causality names its drug and reaction by event id: kept; its words are scrubbed
    causality = tuple(scrub.value(c, skip=frozenset({"drug", "reaction"})) for c in source.causality)
    new_case: Case = scrub.value(
        dataclasses.replace(source, events=tuple(events.values()), patient=patient, citation=Citation(),
                            suspect=suspect, anchor_date=None, conflicts=conflicts, causality=causality),
        skip=frozenset({"events", "patient", "citation", "suspect", "causality"}),
    )
    withheld_lanes = {text.casefold() for text in _identifying_texts(source.events)}
    items = tuple(_item(scrub, item, events, withheld_lanes) for item in case.items)
    return dataclasses.replace(
        case, case=new_case, items=items, anchor_date=None, anchor_date_precision=None, anchor_calendar=None,
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


def _item(scrub: _Scrubber, item: Item, events: dict[str, Event], withheld_lanes: set[str]) -> Item:
    event = events.get(item.event_id, item.event)
    label = event.label if "label" in item.event.identifying else item.label
    lane = event.lane if "lane" in item.event.identifying else item.lane
    if lane.strip().casefold() in withheld_lanes:  # a lane named after an identifying text
        lane = _withheld_lane(item.event)
    return dataclasses.replace(
        item, event=event, label=scrub.text(label), lane=scrub.text(lane), stated=scrub.text(item.stated),
        state=scrub.text(item.state), start_date=None, end_date=None, start_calendar=None, end_calendar=None,
    )


def deidentify_cases(cases: Sequence[ResolvedCase]) -> list[ResolvedCase]:
    """De-identified copies of ``cases``, in the same order."""
    return [deidentify_case(case) for case in cases]
