"""Time expressions as case reports state them, parsed into a small immutable AST.

Grammar (case-insensitive; see docs/case-format.md for the user reference)::

    time      := "unknown" | "?" | range | approx? core ("±" duration)?
    range     := "between" core "and" core | core " to " core
    approx    := "about" | "approximately" | "approx." | "around" | "circa" | "ca." | "~"
    core      := calendar | anchor | relative
    calendar  := YYYY | YYYY-MM | YYYY-MM-DD | Month YYYY | D Month YYYY | Month D, YYYY
               | (early|mid|late) YYYY
    anchor    := (day|week|month|year) SIGNED_NUMBER          e.g. "week 2", "day -3"
    relative  := duration (after|before) ref | ref (+|-) duration
               | (after|before) ref                            (gap not stated)
               | within duration (after|before) ref
               | ref
    duration  := amount unit (amount unit)*  where amount may be "2-3" or a word ("two")
    ref       := ID [".start" | ".end" | "#" N | "#last"]  |  "dose" N "of" ID

Nothing here knows about cases or Qt; resolution to numbers is in caseline.timeline.
"""

from __future__ import annotations

import calendar
import functools
import math
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from caseline.model._fast_init import fast_frozen_init
from caseline.model.diagnostics import SourcePos

DAYS_PER_UNIT: dict[str, float] = {
    "hour": 1.0 / 24.0,
    "day": 1.0,
    "week": 7.0,
    # A month or year in a case report is a calendar-ish quantity; we use the mean
    # Gregorian lengths so "month 3" and "3 months after" agree everywhere.
    "month": 30.4375,
    "year": 365.25,
}

UNIT_ALIASES: dict[str, str] = {
    "h": "hour", "hr": "hour", "hrs": "hour", "hour": "hour", "hours": "hour",
    "d": "day", "day": "day", "days": "day",
    "w": "week", "wk": "week", "wks": "week", "week": "week", "weeks": "week",
    "mo": "month", "mos": "month", "month": "month", "months": "month",
    "y": "year", "yr": "year", "yrs": "year", "year": "year", "years": "year",
}

NUMBER_WORDS: dict[str, float] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "half a": 0.5, "half an": 0.5, "a few": 3, "several": 4,
}

MONTHS: dict[str, int] = {}
for _i, _name in enumerate(calendar.month_name):
    if _name:
        MONTHS[_name.lower()] = _i
        MONTHS[_name[:3].lower()] = _i
MONTHS["sept"] = 9

APPROX_WORDS = ("approximately", "approx.", "approx", "about", "around", "circa", "ca.", "roughly", "~")
_APPROX_INITIALS = frozenset(word[0] for word in APPROX_WORDS)

#: Fraction of an approximate amount added on each side, and the minimum widening
#: as a fraction of the stated unit ("about 3 weeks" -> 3 weeks +/- 4.2 days).
APPROX_FRACTION = 0.2
APPROX_MIN_UNIT_FRACTION = 0.5

ID_PATTERN = r"[A-Za-z_][A-Za-z0-9_\-]*"
ID_RE = re.compile(rf"^{ID_PATTERN}$")


class TimeSyntaxError(ValueError):
    """A time expression that does not parse. ``hint`` says how to fix it."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class Precision(StrEnum):
    """How precisely a resolved time is known."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    RANGE = "range"
    RELATIVE = "relative"
    BOUNDED = "bounded"  # only one side is known ("after X", gap not stated)
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Amount:
    """A duration in days with uncertainty: ``lo <= best <= hi`` (``hi`` may be inf)."""

    lo: float
    best: float
    hi: float
    approximate: bool = False
    text: str = ""

    @staticmethod
    def exact(days: float, text: str = "") -> Amount:
        return Amount(days, days, days, False, text)

    def negated(self) -> Amount:
        return Amount(-self.hi, -self.best, -self.lo, self.approximate, self.text)

    def __add__(self, other: Amount) -> Amount:
        return Amount(
            self.lo + other.lo,
            self.best + other.best,
            self.hi + other.hi,
            self.approximate or other.approximate,
            " ".join(t for t in (self.text, other.text) if t),
        )


ZERO = Amount.exact(0.0)


@dataclass(frozen=True, slots=True)
class EventRef:
    """A reference to another event's start, end, or n-th administration (1-based; -1 = last)."""

    event_id: str
    part: str = "start"  # "start" | "end" | "dose"
    index: int | None = None

    def __str__(self) -> str:
        if self.part == "dose":
            return f"{self.event_id}#{'last' if self.index == -1 else self.index}"
        return self.event_id if self.part == "start" else f"{self.event_id}.{self.part}"


@dataclass(frozen=True, slots=True)
class CalendarTime:
    """A calendar date known to a precision: ``first``..``last`` inclusive."""

    first: date
    last: date
    precision: Precision


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


TimeNode = CalendarTime | AnchorTime | RelativeTime | UnknownTime | RangeTime


@fast_frozen_init
@dataclass(frozen=True, slots=True)
class TimeExpr:
    """A parsed time expression, the text as written, and how it should be widened."""

    node: TimeNode
    text: str
    approximate: bool = False
    widen: Amount | None = None  # explicit "± 3 days" or the approximate widening
    stated: str = ""  # how the source words it, when the author gives that
    pos: SourcePos | None = None

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
        return out


# --------------------------------------------------------------------------- parsing

_WS = re.compile(r"\s+")
_NUM = r"(?:\d+(?:\.\d+)?|\.\d+)"
_AMOUNT_RE = re.compile(
    rf"^(?P<a>{_NUM})(?:\s*(?:-|–|to)\s*(?P<b>{_NUM}))?\s*(?P<unit>[a-z]+\.?)(?:\s+|$)"
)
_ISO_RE = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?)?$")
_ANCHOR_RE = re.compile(rf"^(?P<unit>day|week|month|year)\s*(?P<sign>[+\-−]?)\s*(?P<n>{_NUM})$")
_REF_RE = re.compile(
    rf"^(?:dose\s+(?P<dn>\d+|last)\s+of\s+(?P<did>{ID_PATTERN})"
    rf"|(?P<id>{ID_PATTERN})(?:\.(?P<part>start|end)|#(?P<idx>\d+|last|first))?)$",
    re.IGNORECASE,
)
_PLUSMINUS_RE = re.compile(r"\s*(?:±|\+/-|\+-)\s*")


def _normalise(text: str) -> str:
    if "\u2212" in text:
        text = text.replace("\u2212", "-")
    return " ".join(text.split())


_NUMBER_WORDS_LONGEST_FIRST = tuple(
    (word + " ", value) for word, value in sorted(NUMBER_WORDS.items(), key=lambda kv: -len(kv[0]))
)


def parse_amount(text: str) -> Amount:
    """Parse a duration such as "2 weeks", "2-3 days", "1 week 3 days", "about 3 weeks"."""
    if not isinstance(text, str):
        raise TimeSyntaxError(f"the duration {text!r} is not text", "write e.g. '2 weeks' or '3 days'")
    return _parse_amount_text(text)


@functools.lru_cache(maxsize=4096)
def _parse_amount_text(text: str) -> Amount:
    original = text
    s = _normalise(text).lower()
    approximate = False
    for word in APPROX_WORDS:
        if s.startswith(word + " ") or (word == "~" and s.startswith("~")):
            approximate = True
            s = s[len(word):].strip()
            break
    if s[:1].isalpha():
        for word, value in _NUMBER_WORDS_LONGEST_FIRST:
            if s.startswith(word):
                s = f"{value:g} " + s[len(word):]
                break
    if not s:
        raise TimeSyntaxError(f"empty duration in {original!r}", "write e.g. '2 weeks' or '3 days'")
    lo = best = hi = 0.0
    smallest_unit = math.inf
    while s:
        m = _AMOUNT_RE.match(s)
        if not m:
            raise TimeSyntaxError(
                f"cannot read the duration {original!r}",
                "write a number and a unit, e.g. '2 weeks', '2-3 days', '1 week 3 days'",
            )
        unit_word = m.group("unit").rstrip(".")
        unit = UNIT_ALIASES.get(unit_word)
        if unit is None:
            raise TimeSyntaxError(
                f"unknown time unit {unit_word!r} in {original!r}",
                "use hours, days, weeks, months or years",
            )
        per = DAYS_PER_UNIT[unit]
        smallest_unit = min(smallest_unit, per)
        a = float(m.group("a"))
        b = float(m.group("b")) if m.group("b") else a
        if b < a:
            raise TimeSyntaxError(
                f"the range in {original!r} runs backwards", "write the smaller number first"
            )
        lo += a * per
        hi += b * per
        best += (a + b) / 2.0 * per
        s = s[m.end():]
    if approximate:
        pad = max(APPROX_FRACTION * best, APPROX_MIN_UNIT_FRACTION * smallest_unit)
        lo, hi = max(0.0, lo - pad), hi + pad
    return Amount(lo, best, hi, approximate, _normalise(original))


def _month_span(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _checked_date(year: int, month: int, day: int, text: str) -> date:
    if not 1 <= month <= 12:
        raise TimeSyntaxError(f"month {month} does not exist in {text!r}", "months run 1-12")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise TimeSyntaxError(
            f"{text!r} is not a real date: {calendar.month_name[month]} {year} has {last} days",
            "check the day of the month",
        )
    return date(year, month, day)


def _year(text: str, value: str) -> int:
    year = int(value)
    if not 1800 <= year <= 2200:
        raise TimeSyntaxError(f"year {year} in {text!r} is out of range", "years run 1800-2200")
    return year


def parse_calendar(text: str) -> CalendarTime | None:
    """Parse a calendar date at its stated precision, or return None if it is not one."""
    s = _normalise(text).lower().rstrip(".")
    if not s[:1].isdigit():
        first = s.split(" ", 1)[0].rstrip(",")
        if first not in MONTHS and first not in ("early", "mid", "late"):
            return None
    m = _ISO_RE.match(s)
    if m:
        year = _year(text, m.group("y"))
        if m.group("d"):
            day = _checked_date(year, int(m.group("m")), int(m.group("d")), text)
            return CalendarTime(day, day, Precision.DAY)
        if m.group("m"):
            month = int(m.group("m"))
            if not 1 <= month <= 12:
                raise TimeSyntaxError(f"month {month} does not exist in {text!r}", "months run 1-12")
            return CalendarTime(*_month_span(year, month), Precision.MONTH)
        return CalendarTime(date(year, 1, 1), date(year, 12, 31), Precision.YEAR)
    words = s.replace(",", " ").split()
    if len(words) == 2 and words[0] in ("early", "mid", "late") and words[1].isdigit():
        year = _year(text, words[1])
        third = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}[words[0]]
        return CalendarTime(
            date(year, third[0], 1), _month_span(year, third[1])[1], Precision.RANGE
        )
    if len(words) == 2 and words[0] in MONTHS and words[1].isdigit():
        return CalendarTime(*_month_span(_year(text, words[1]), MONTHS[words[0]]), Precision.MONTH)
    if len(words) == 3:
        day_s, month_s, year_s = words
        if month_s in MONTHS or day_s in MONTHS:
            if day_s in MONTHS:  # "February 14 2010"
                day_s, month_s = month_s, day_s
            day_s = re.sub(r"(st|nd|rd|th)$", "", day_s)
            if day_s.isdigit() and year_s.isdigit():
                year = _year(text, year_s)
                day = _checked_date(year, MONTHS[month_s], int(day_s), text)
                return CalendarTime(day, day, Precision.DAY)
    return None


def parse_ref(text: str) -> EventRef | None:
    """Parse an event reference such as ``ifx``, ``ifx.end``, ``ifx#3`` or ``dose 3 of ifx``."""
    m = _REF_RE.match(_normalise(text))
    if not m:
        return None
    if m.group("did"):
        n = m.group("dn")
        return EventRef(m.group("did"), "dose", -1 if n.lower() == "last" else int(n))
    if m.group("idx"):
        idx = m.group("idx").lower()
        return EventRef(m.group("id"), "dose", {"last": -1, "first": 1}.get(idx) or int(idx))
    return EventRef(m.group("id"), (m.group("part") or "start").lower())


def _parse_core(s: str, text: str) -> TimeNode:
    low = s.lower()
    if low in ("unknown", "?", "not stated", "unstated"):
        return UnknownTime()
    cal = parse_calendar(s)
    if cal is not None:
        return cal
    m = _ANCHOR_RE.match(low)
    if m:
        per = DAYS_PER_UNIT[m.group("unit")]
        sign = -1.0 if m.group("sign") in ("-", "−") else 1.0
        return AnchorTime(Amount.exact(sign * float(m.group("n")) * per, s))
    if low.startswith("within "):
        rest = s[len("within "):]
        for word, sign in ((" after ", 1.0), (" before ", -1.0)):
            i = rest.lower().find(word)
            if i > 0:
                amount = parse_amount(rest[:i])
                ref = _require_ref(rest[i + len(word):], text)
                window = Amount(0.0, amount.best / 2.0, amount.hi, amount.approximate, amount.text)
                return RelativeTime(ref, window if sign > 0 else window.negated())
        raise TimeSyntaxError(
            f"cannot read {text!r}", "write 'within 6 months after EVENT' or 'within 2 days before EVENT'"
        )
    for word, sign in (("after ", 1.0), ("before ", -1.0)):
        if low.startswith(word):
            ref = _require_ref(s[len(word):], text)
            open_gap = Amount(0.0, 0.0, math.inf, False, "gap not stated")
            return RelativeTime(ref, open_gap if sign > 0 else open_gap.negated())
    for word, sign in ((" after ", 1.0), (" before ", -1.0), (" later than ", 1.0)):
        i = low.find(word)
        if i > 0:
            amount = parse_amount(s[:i])
            ref = _require_ref(s[i + len(word):], text)
            return RelativeTime(ref, amount if sign > 0 else amount.negated())
    whole = parse_ref(s)
    if whole is not None:  # ids may contain '-': "a-b" is an id, not "a minus b"
        return RelativeTime(whole, ZERO)
    m2 = re.match(r"^(?P<ref>\S+?|.+?\s)\s*(?P<op>[+\-])\s*(?P<amount>\d.*)$", s)
    if m2 and parse_ref(m2.group("ref")) is not None:
        ref = _require_ref(m2.group("ref"), text)
        amount = parse_amount(m2.group("amount"))
        return RelativeTime(ref, amount if m2.group("op") == "+" else amount.negated())
    bare = parse_ref(s)
    if bare is not None:
        return RelativeTime(bare, ZERO)
    raise TimeSyntaxError(
        f"cannot read the time {text!r}",
        "write a date ('2013', 'February 2010', '2010-02-14'), a time from day 0 "
        "('week 2', 'day 14'), a time from another event ('2 weeks after ifx#3'), "
        "'between A and B', or 'unknown'",
    )


def _require_ref(s: str, text: str) -> EventRef:
    ref = parse_ref(s.strip())
    if ref is None:
        raise TimeSyntaxError(
            f"{s.strip()!r} in {text!r} is not an event reference",
            "refer to an event by its id: 'ifx', 'ifx.end', 'ifx#3' (3rd administration)",
        )
    return ref


def _split_range(s: str) -> tuple[str, str] | None:
    low = s.lower()
    if low.startswith("between ") and " and " in low:
        i = low.index(" and ")
        return s[len("between "):i], s[i + len(" and "):]
    for sep in (" to ", " until ", "–", " - "):
        if sep in low:
            i = low.index(sep)
            return s[:i], s[i + len(sep):]
    return None


def _parse_range(first: str, last: str, text: str) -> TimeNode:
    last_node = _parse_core(last.strip(), text)
    try:
        first_node = _parse_core(first.strip(), text)
    except TimeSyntaxError:
        first_node = None
    # "between March and May 2011": the first part borrows the second part's year.
    if isinstance(last_node, CalendarTime) and (
        first_node is None or isinstance(first_node, RelativeTime)
    ):
        borrowed = parse_calendar(f"{first.strip()} {last_node.first.year}")
        if borrowed is not None:
            first_node = borrowed
    if first_node is None:
        first_node = _parse_core(first.strip(), text)
    if isinstance(first_node, UnknownTime) or isinstance(last_node, UnknownTime):
        raise TimeSyntaxError(f"a range cannot contain 'unknown' in {text!r}", "write 'unknown' alone")
    return RangeTime(first_node, last_node)


def parse_time(text: str | int | float) -> TimeExpr:
    """Parse a time expression. Raises TimeSyntaxError with a hint on bad input."""
    if isinstance(text, bool):
        raise TimeSyntaxError(f"{text!r} is not a time", "write e.g. 'week 2' or '2013'")
    if isinstance(text, int | float):
        if isinstance(text, int) and 1800 <= text <= 2200:
            text = str(text)  # a bare year in YAML arrives as an int
        else:
            raise TimeSyntaxError(
                f"the number {text!r} is not a time",
                "say which unit: 'day 14', 'week 2' (from day 0) or a year such as 2013",
            )
    if not isinstance(text, str):
        raise TimeSyntaxError(
            "a time must be text, not a list or mapping", "write one time such as 'week 2' or '2013-05'"
        )
    return _parse_time_text(text)


@functools.lru_cache(maxsize=8192)
def _parse_time_text(text: str) -> TimeExpr:
    """parse_time for text; cached, since times such as 'week 0' recur (TimeExpr is immutable)."""
    s = normalised = _normalise(text)
    if not s:
        raise TimeSyntaxError("the time is empty", "write a time, or 'unknown' if the source does not say")
    widen: Amount | None = None
    parts = _PLUSMINUS_RE.split(s) if ("±" in s or "+" in s) else (s,)
    if len(parts) == 2:
        s, pm = parts
        widen = parse_amount(pm)
    elif len(parts) > 2:
        raise TimeSyntaxError(f"more than one '±' in {text!r}", "give one uncertainty")
    approximate = False
    low = s.lower()
    if low[:1] in _APPROX_INITIALS:
        for word in APPROX_WORDS:
            if low.startswith(word) and (word == "~" or low[len(word):][:1] == " "):
                approximate = True
                s = s[len(word):].strip()
                break
    rng = _split_range(s)
    if rng:
        try:
            node = _parse_range(*rng, text)
        except TimeSyntaxError as range_error:
            # "2 to 3 weeks after X" and "ifx - 2 days" are not ranges of times.
            try:
                node = _parse_core(s, text)
            except TimeSyntaxError:
                raise range_error from None
    else:
        node = _parse_core(s, text)
    if approximate and widen is None:
        widen = _approximate_widening(node)
    return TimeExpr(node, normalised, approximate, widen)


def _approximate_widening(node: TimeNode) -> Amount:
    """How much "about" widens a time on each side (documented in docs/case-format.md)."""
    if isinstance(node, CalendarTime):
        pad = {Precision.DAY: 3.0, Precision.MONTH: 15.0}.get(node.precision, 60.0)
    elif isinstance(node, AnchorTime | RelativeTime):
        magnitude = abs(node.offset.best)
        pad = max(APPROX_FRACTION * magnitude, 1.0)
    else:
        pad = 7.0
    return Amount(pad, pad, pad, True, "approximate")


def parse_duration_value(value: str | int | float) -> Amount:
    """Parse a duration field value; a bare number is rejected (the unit must be stated)."""
    if not isinstance(value, str):
        raise TimeSyntaxError(
            f"the duration {value!r} has no unit", "write e.g. '5 days' or '6 months'"
        )
    return parse_amount(value)
