"""Resolved timelines: every time turned into days from the case's anchor, with bounds.

These are what views, tables and exports draw from. Pure Python, immutable. Each time says how
it is known (:class:`Known`): a best estimate of a time the source gives only by order or by a
limit is *placed for order, not stated* (``Item.placed``), and must be drawn and tabled as such.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from caseline.model._fast_init import fast_frozen_init
from caseline.model.case import Case, Event
from caseline.model.diagnostics import Diagnostic
from caseline.model.kinds import Category, Kind
from caseline.model.time_expressions import Precision

if TYPE_CHECKING:
    import numpy as np

    from caseline.timeline.constraints import Distances


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


class Known(StrEnum):
    """How a resolved time is known, relative to day 0."""

    EXACT = "exact"  # stated exactly ("day 14", "2 weeks after ifx#3", 2014-03-02 with a dated day 0)
    SPAN = "span"  # stated as a span: a month, "2-3 weeks after", "about", "between A and B"
    BOUNDED = "bounded"  # a stated limit only ("at least 3 months after", "within a week"): best placed
    ORDERED = "ordered"  # only its order is stated ("after X", "then"): best placed for order
    UNKNOWN = "unknown"  # not stated, or not linked to day 0


class ItemRole(StrEnum):
    """What an item draws: a whole course, one administration, a point event, ..."""

    COURSE = "course"  # drug/therapy course bar, symptom band
    DOSE = "dose"  # one administration of a schedule
    POINT = "point"  # investigation, milestone, dechallenge, rechallenge
    STATE = "state"  # a symptom course point (worsening, improvement, ...)
    SEVERITY = "severity"  # a severity value on the symptom's scale
    PHASE = "phase"  # the start of a phase of a drug course (caseline.model.dosing.Phased), or of a new dose


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
    known: Known = Known.UNKNOWN  # how the start (the time, for points) is known
    end_known: Known = Known.UNKNOWN
    vague: bool = False  # worded with a vague word ("several", "a few", "shortly", "about")
    ongoing: bool = False  # the event was still going on at the time of the report
    start_calendar: Interval | None = None  # calendar bounds (proleptic Gregorian ordinals, fractional)
    end_calendar: Interval | None = None
    start_point: int = -1  # the times' points in ResolvedCase.timing (intervals between items)
    end_point: int = -1
    phase: str = ""  # the phase of a course an administration (or a PHASE item) belongs to
    component: int = 0  # an expanded regimen's drug (1-based, in its 'drugs'): the item draws that drug's lane

    @property
    def is_dated(self) -> bool:
        return self.start is not None

    @property
    def placed(self) -> bool:
        """The start's best estimate is placed for order, not stated by the source."""
        return self.known in (Known.BOUNDED, Known.ORDERED)

    @property
    def end_placed(self) -> bool:
        return self.end_known in (Known.BOUNDED, Known.ORDERED)


class Timing:
    """The solved time network of a case: the tightest interval between any two of its times.

    A latency is not ``end - start`` of two independent intervals: both may hang on the same
    uncertain time. :meth:`between` asks the network (two shortest-path searches).
    """

    __slots__ = ("_clocked", "best", "distances")

    def __init__(self, distances: Distances, best: np.ndarray, clock_points: frozenset[int] = frozenset()) -> None:
        self.distances = distances
        self.best = best  # best estimate of every point (days from day 0; nan: not placed)
        self._clocked = clock_points  # times stated to the minute: their calendar text has a time of day

    def is_clocked(self, point: int) -> bool:
        """The time is stated to the minute (an ISO date-time, or minutes/hours after one)."""
        return point in self._clocked

    def between(self, later: int, earlier: int) -> Interval | None:
        """``later - earlier`` in days (None when either is not placed relative to the other)."""
        if later < 0 or earlier < 0:
            return None
        best = float(self.best[later] - self.best[earlier])
        if math.isnan(best):
            return None
        lo, hi = self.distances.between(later, earlier)
        return Interval(min(lo, best), best, max(hi, best))


@dataclass(frozen=True, slots=True)
class ResolvedCase:
    case: Case
    items: tuple[Item, ...]
    anchor_description: str  # "first infliximab dose"
    anchor_date: date | None  # calendar date of day 0 (best estimate), when known
    anchor_date_precision: Precision | None
    diagnostics: tuple[Diagnostic, ...]
    anchor_calendar: Interval | None = None  # calendar bounds of day 0 (ordinals), when dated
    timing: Timing | None = None
    #: what is derived from the case once, when first asked for: the items of each event ("by_event": a
    #: comparison's landmarks ask for a few events of every case on each switch of alignment, a scan of every
    #: item each time cost 3 ms at 200 x 200), its header's words. Not copied by dataclasses.replace.
    memo: dict[str, Any] = field(default_factory=dict, init=False, compare=False, repr=False)

    @property
    def id(self) -> str:
        return self.case.id

    def items_of(self, event_id: str) -> list[Item]:
        index: dict[str, tuple[Item, ...]] | None = self.memo.get("by_event")
        if index is None:
            made: dict[str, list[Item]] = {}
            for item in self.items:
                made.setdefault(item.event_id, []).append(item)
            index = self.memo["by_event"] = {k: tuple(v) for k, v in made.items()}  # (a second thread: the same)
        return list(index.get(event_id, ()))

    def item(self, item_id: str) -> Item | None:
        for item in self.items:
            if item.item_id == item_id:
                return item
        return None

    def between(self, later: Item, earlier: Item, later_end: bool = False, earlier_end: bool = False
                ) -> Interval | None:
        """Days from one item's time to another's, with the bounds all statements allow together.

        ``later_end``/``earlier_end`` take an item's end instead of its start. None when either
        time is unknown or the case has no solved network. This is the latency to use: it never
        counts one uncertainty twice (a reaction "2 weeks after" an undated drug start is 14 days
        after it, whatever the start's own bounds).
        """
        if self.timing is None:
            return None
        a = later.end_point if later_end else later.start_point
        b = earlier.end_point if earlier_end else earlier.start_point
        if (later.end if later_end else later.start) is None or (earlier.end if earlier_end else earlier.start) is None:
            return None
        return self.timing.between(a, b)

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
