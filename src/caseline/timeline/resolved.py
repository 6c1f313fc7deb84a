"""Resolved timelines: every time turned into days from the case's anchor, with bounds.

These are what views, tables and exports draw from. Pure Python, immutable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from caseline.model._fast_init import fast_frozen_init
from caseline.model.case import Case, Event
from caseline.model.diagnostics import Diagnostic
from caseline.model.kinds import Category, Kind
from caseline.model.time_expressions import Precision


@fast_frozen_init
@dataclass(frozen=True, slots=True)
class Interval:
    """A resolved time in days from day 0: ``lo <= best <= hi``; ``lo``/``hi`` may be infinite."""

    lo: float
    best: float
    hi: float

    @staticmethod
    def exact(day: float) -> Interval:
        return Interval(day, day, day)

    @property
    def is_exact(self) -> bool:
        return self.lo == self.hi

    @property
    def is_bounded(self) -> bool:
        return math.isfinite(self.lo) and math.isfinite(self.hi)

    def shifted(self, days: float) -> Interval:
        return Interval(self.lo + days, self.best + days, self.hi + days)


class ItemRole(StrEnum):
    """What an item draws: a whole course, one administration, a point event, ..."""

    COURSE = "course"  # drug/therapy course bar, symptom band
    DOSE = "dose"  # one administration of a schedule
    POINT = "point"  # investigation, milestone, dechallenge, rechallenge
    STATE = "state"  # a symptom course point (worsening, improvement, ...)
    SEVERITY = "severity"  # a severity value on the symptom's scale


@fast_frozen_init
@dataclass(frozen=True, slots=True)
class Item:
    """One row of the resolved table and one mark of the timeline."""

    case_id: str
    event_id: str
    item_id: str  # the event id, "ifx#2" for an administration, "weakness@1" for a course point
    role: ItemRole
    kind: Kind
    category: Category
    lane: str
    label: str
    start: Interval | None  # None: the source gives no time (drawn in the undated strip)
    end: Interval | None  # None: a point, or an end the source does not give
    precision: Precision
    approximate: bool
    stated: str  # the time as the file states it (its 'stated' text, else the expression)
    event: Event
    index: int | None = None  # administration number, 1-based
    cycle: int | None = None  # cycle number, 1-based
    open_end: bool = False  # course still running (ongoing) or end not stated
    state: str = ""  # course state for STATE items
    value: float | None = None  # severity value for SEVERITY items
    start_date: date | None = None  # best calendar date, when the case is dated
    end_date: date | None = None

    @property
    def is_dated(self) -> bool:
        return self.start is not None


@dataclass(frozen=True, slots=True)
class ResolvedCase:
    case: Case
    items: tuple[Item, ...]
    anchor_description: str  # "first infliximab dose"
    anchor_date: date | None  # calendar date of day 0 (best estimate), when known
    anchor_date_precision: Precision | None
    diagnostics: tuple[Diagnostic, ...]

    @property
    def id(self) -> str:
        return self.case.id

    def items_of(self, event_id: str) -> list[Item]:
        return [item for item in self.items if item.event_id == event_id]

    def item(self, item_id: str) -> Item | None:
        for item in self.items:
            if item.item_id == item_id:
                return item
        return None

    def day_to_date(self, day: float) -> date | None:
        if self.anchor_date is None or not math.isfinite(day):
            return None
        return self.anchor_date + timedelta(days=round(day))

    def extent(self) -> tuple[float, float]:
        """First and last finite day of anything dated (0, 0 when nothing is)."""
        values: list[float] = []
        for item in self.items:
            for interval in (item.start, item.end):
                if interval is not None:
                    values.extend(v for v in (interval.lo, interval.best, interval.hi) if math.isfinite(v))
        return (min(values), max(values)) if values else (0.0, 0.0)
