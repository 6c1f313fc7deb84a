"""The parsed form of a time expression (caseline.model.time_expressions parses the text): a small immutable
AST of calendar dates, offsets from day 0 or from another event, ranges, unknown times and their combinations.
Nothing here knows about cases or Qt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from caseline.model._fast_init import fast_frozen_init
from caseline.model.diagnostics import SourcePos
from caseline.model.durations import Amount

#: The reference of "then" and "N later": the time stated just before (resolved by the timeline).
PREVIOUS = "^previous"


class Precision(StrEnum):
    """How precisely a resolved time is known."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    RANGE = "range"
    RELATIVE = "relative"
    BOUNDED = "bounded"  # only one side is known ("after X", gap not stated), or order only
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class EventRef:
    """A reference to another event's start, end, or n-th administration (1-based; -1 = last)."""

    event_id: str
    part: str = "start"  # "start" | "end" | "dose"
    index: int | None = None

    def __str__(self) -> str:
        if self.event_id == PREVIOUS:
            return "the time before it"
        if self.part == "dose":
            return f"{self.event_id}#{'last' if self.index == -1 else self.index}"
        return self.event_id if self.part == "start" else f"{self.event_id}.{self.part}"


@dataclass(frozen=True, slots=True)
class CalendarTime:
    """A calendar date known to a precision: ``first``..``last`` inclusive.

    ``clock``: the time of day as a fraction of a day, when the source gives one (an ISO 8601
    date-time); the date is then exact to the minute.
    """

    first: date
    last: date
    precision: Precision
    clock: float | None = None


@dataclass(frozen=True, slots=True)
class AnchorTime:
    """An offset from the case's day 0 ("week 2", "day -3")."""

    offset: Amount


@dataclass(frozen=True, slots=True)
class RelativeTime:
    """An offset from another event ("2 weeks after ifx#3"); offset may be open (hi=inf)."""

    ref: EventRef
    offset: Amount


@dataclass(frozen=True, slots=True)
class UnknownTime:
    """The source does not state the time; the event is still shown (undated strip)."""


@dataclass(frozen=True, slots=True)
class RangeTime:
    """An explicit range: "between March and May 2011"."""

    first: TimeNode
    last: TimeNode


@dataclass(frozen=True, slots=True)
class AllOf:
    """Several statements about one time at once: "after X and Y", "before X and after Y"."""

    parts: tuple[RelativeTime, ...]


TimeNode = CalendarTime | AnchorTime | RelativeTime | UnknownTime | RangeTime | AllOf


@fast_frozen_init
@dataclass(frozen=True, slots=True)
class TimeExpr:
    """A parsed time expression, the text as written, and how it should be widened.

    ``vague``: worded with a vague or approximate word ("several", "a few", "shortly", "about").
    """

    node: TimeNode
    text: str
    approximate: bool = False
    widen: Amount | None = None  # explicit "± 3 days" or the approximate widening
    stated: str = ""  # how the source words it, when the author gives that
    pos: SourcePos | None = None
    vague: bool = False

    @property
    def is_unknown(self) -> bool:
        return isinstance(self.node, UnknownTime)

    def refs(self) -> list[EventRef]:
        """Every event this expression refers to."""
        out: list[EventRef] = []
        stack: list[TimeNode] = [self.node]
        while stack:
            node = stack.pop()
            if isinstance(node, RelativeTime):
                out.append(node.ref)
            elif isinstance(node, RangeTime):
                stack.extend((node.first, node.last))
            elif isinstance(node, AllOf):
                stack.extend(node.parts)
        return out
