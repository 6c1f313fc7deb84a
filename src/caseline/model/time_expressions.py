"""Time expressions as case reports state them, parsed into a small immutable AST.

Grammar (case-insensitive; see docs/case-format.md for the user reference)::

    time      := "unknown" | "?" | range | approx? core ("±" duration)?
    range     := "between" core "and" core | core " to " core
    approx    := "about" | "approximately" | "approx." | "around" | "circa" | "ca." | "roughly" | "~"
    core      := calendar | anchor | following | all-of | relative
    calendar  := YYYY | YYYY-MM | YYYY-MM-DD | YYYY-MM-DDThh:mm[:ss] | YYYY-MM-DD hh:mm
               | Month YYYY | D Month YYYY | Month D, YYYY | (early|mid|late) YYYY
    anchor    := (day|week|month|year) SIGNED_NUMBER           e.g. "week 2", "day -3", "day 0 14:30"
    following := "then" | "later" | "afterwards" | "subsequently" | "thereafter" | "after that"
               | duration ("later"|"earlier") | (shortly|soon) (afterwards|after that|thereafter|later)
               (relative to the time stated just before, see caseline.timeline.statements)
    all-of    := relative (("and"|"but") relative)+             "after X and Y", "before X and after Y"
    relative  := limit? duration (after|before|later than|earlier than) ref ("or later"|"or earlier")?
               | duration ("or more"|"or less") (after|before) ref
               | (after|before|no later than|no earlier than|not before|not after) ref
               | (shortly|soon) (after|before) ref
               | within duration (after|before) ref
               | ref | ref (+|-) duration
    limit     := "at least" | "more than" | "no less than" | "over" | "at most" | "less than"
               | "no more than" | "up to"
    duration  := amount unit (amount unit)* | ISO 8601 (P2W, PT30M)   (caseline.model.durations)
    ref       := ID [".start" | ".end" | "#" N | "#last"]  |  "dose" N "of" ID

Nothing here knows about cases or Qt; what the expressions constrain is in caseline.timeline.
"""

from __future__ import annotations

import calendar
import functools
import math
import re
from datetime import date

from caseline.model.durations import (
    APPROX_FRACTION,
    APPROX_MIN_UNIT_FRACTION,
    APPROX_WORDS,
    DAYS_PER_UNIT,
    NUMBER_WORDS,
    OPEN_GAP,
    UNIT_ALIASES,
    VAGUE_WORDS,
    ZERO,
    Amount,
    TimeSyntaxError,
    check_length,
    check_magnitude,
    normalise,
    parse_amount,
    parse_duration_value,
)
from caseline.model.time_ast import (
    PREVIOUS,
    AllOf,
    AnchorTime,
    CalendarTime,
    EventRef,
    Precision,
    RangeTime,
    RelativeTime,
    TimeExpr,
    TimeNode,
    UnknownTime,
)

MONTHS: dict[str, int] = {}
for _i, _name in enumerate(calendar.month_name):
    if _name:
        MONTHS[_name.lower()] = _i
        MONTHS[_name[:3].lower()] = _i
MONTHS["sept"] = 9

_APPROX_INITIALS = frozenset(word[0] for word in APPROX_WORDS)

#: "shortly after X", "soon after X": a vague range of 0 to 7 days (best: the middle).
SHORTLY = Amount(0.0, 3.5, 7.0, False, "shortly", vague=True)

ID_PATTERN = r"[A-Za-z_][A-Za-z0-9_\-]*"
ID_RE = re.compile(rf"^{ID_PATTERN}$")

__all__ = [
    "APPROX_FRACTION", "APPROX_MIN_UNIT_FRACTION", "APPROX_WORDS", "DAYS_PER_UNIT", "ID_PATTERN", "ID_RE",
    "MONTHS", "NUMBER_WORDS", "PREVIOUS", "SHORTLY", "UNIT_ALIASES", "VAGUE_WORDS", "ZERO", "AllOf", "Amount",
    "AnchorTime", "CalendarTime", "EventRef", "Precision", "RangeTime", "RelativeTime", "TimeExpr", "TimeNode",
    "TimeSyntaxError", "UnknownTime", "parse_amount", "parse_calendar", "parse_duration_value", "parse_ref",
    "parse_time",
]


# --------------------------------------------------------------------------- parsing

_NUM = r"(?:\d+(?:\.\d+)?|\.\d+)"
_ISO_RE = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?)?$")
_DATETIME_RE = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:t|\s+)(?P<h>\d{1,2}):(?P<min>\d{2})(?::(?P<s>\d{2}))?$"
)
_ANCHOR_RE = re.compile(
    rf"^(?P<unit>day|week|month|year)\s*(?P<sign>[+\-−]?)\s*(?P<n>{_NUM})"
    r"(?:\s+(?:at\s+)?(?P<h>\d{1,2}):(?P<min>\d{2}))?$"
)
_REF_RE = re.compile(
    rf"^(?:dose\s+(?P<dn>\d+|last)\s+of\s+(?P<did>{ID_PATTERN})"
    rf"|(?P<id>{ID_PATTERN}(?:/{ID_PATTERN})?)(?:\.(?P<part>start|end)|#(?P<idx>\d+|last|first))?)$",  # ID/PHASE
    re.IGNORECASE,
)
_PLUSMINUS_RE = re.compile(r"\s*(?:±|\+/-|\+-)\s*")

#: Words that place a time after (or before) the time stated just before it.
FOLLOWING_WORDS = ("then", "later", "afterwards", "subsequently", "thereafter", "after that")
_SHORTLY_FOLLOWING = tuple(f"{w} {f}" for w in ("shortly", "soon") for f in
                           ("afterwards", "after that", "thereafter", "later", "after"))
#: "at least 3 months after X" (a minimum) and "at most 3 days after X" (a maximum).
_MINIMUM_WORDS = ("at least ", "more than ", "no less than ", "not less than ", "over ")
_MAXIMUM_WORDS = ("at most ", "less than ", "no more than ", "not more than ", "up to ")
_ORDER_WORDS = (("no later than ", -1.0), ("not after ", -1.0), ("no earlier than ", 1.0),
                ("not before ", 1.0), ("after ", 1.0), ("before ", -1.0))


def _clock(text: str, hours: str | None, minutes: str | None, seconds: str | None = None) -> float | None:
    if hours is None:
        return None
    h, m, sec = int(hours), int(minutes or 0), int(seconds or 0)
    if h > 23 or m > 59 or sec > 59:
        raise TimeSyntaxError(f"{text!r} is not a time of day", "write hours 00-23 and minutes 00-59, e.g. 14:30")
    return (h * 3600 + m * 60 + sec) / 86400.0


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
    if len(value) > 4:
        raise TimeSyntaxError(f"year {value[:12]}{'...' if len(value) > 12 else ''} in {text[:60]!r} is out of range",
                              "years run 1800-2200")
    year = int(value)
    if not 1800 <= year <= 2200:
        raise TimeSyntaxError(f"year {year} in {text!r} is out of range", "years run 1800-2200")
    return year


def parse_calendar(text: str) -> CalendarTime | None:
    """Parse a calendar date at its stated precision, or return None if it is not one."""
    s = normalise(text).lower().rstrip(".")
    if not s[:1].isdecimal():
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
    m = _DATETIME_RE.match(s)
    if m:
        day = _checked_date(_year(text, m.group("y")), int(m.group("m")), int(m.group("d")), text)
        return CalendarTime(day, day, Precision.DAY, _clock(text, m.group("h"), m.group("min"), m.group("s")))
    words = s.replace(",", " ").split()
    if len(words) == 2 and words[0] in ("early", "mid", "late") and words[1].isdecimal():
        year = _year(text, words[1])
        third = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}[words[0]]
        return CalendarTime(
            date(year, third[0], 1), _month_span(year, third[1])[1], Precision.RANGE
        )
    if len(words) == 2 and words[0] in MONTHS and words[1].isdecimal():
        return CalendarTime(*_month_span(_year(text, words[1]), MONTHS[words[0]]), Precision.MONTH)
    if len(words) == 3:
        day_s, month_s, year_s = words
        if month_s in MONTHS or day_s in MONTHS:
            if day_s in MONTHS:  # "February 14 2010"
                day_s, month_s = month_s, day_s
            day_s = re.sub(r"(st|nd|rd|th)$", "", day_s)
            if day_s.isdecimal() and year_s.isdecimal() and len(day_s) <= 2:
                year = _year(text, year_s)
                day = _checked_date(year, MONTHS[month_s], int(day_s), text)
                return CalendarTime(day, day, Precision.DAY)
    return None


def parse_ref(text: str) -> EventRef | None:
    """Parse an event reference such as ``ifx``, ``ifx.end``, ``ifx#3`` or ``dose 3 of ifx``."""
    m = _REF_RE.match(normalise(text))
    if not m:
        return None
    if m.group("did"):
        n = m.group("dn")
        return EventRef(m.group("did"), "dose", -1 if n.lower() == "last" else _dose_number(n, text))
    if m.group("idx"):
        idx = m.group("idx").lower()
        return EventRef(m.group("id"), "dose", {"last": -1, "first": 1}.get(idx) or _dose_number(idx, text))
    return EventRef(m.group("id"), (m.group("part") or "start").lower())


#: Largest administration number a reference may name (a schedule has at most 10,000).
MAX_DOSE_NUMBER = 999_999


def _dose_number(digits: str, text: str) -> int:
    """The N of 'ID#N' (a TimeSyntaxError past MAX_DOSE_NUMBER: int() of 4,300 digits would raise)."""
    if len(digits) > len(str(MAX_DOSE_NUMBER)):
        raise TimeSyntaxError(f"administration number {digits[:12]}{'...' if len(digits) > 12 else ''} in "
                              f"{text[:60]!r} is too large", "a schedule has at most 10,000 administrations")
    return int(digits)


def _limited(text: str, sign: float) -> Amount:
    """A duration with an optional limit word, as the offset in direction ``sign`` (+1 after)."""
    low = text.lower()
    limit = ""
    for words, kind in ((_MINIMUM_WORDS, "min"), (_MAXIMUM_WORDS, "max")):
        for word in words:
            if low.startswith(word):
                text, limit = text[len(word):], kind
                break
        if limit:
            break
    low = text.lower()
    for suffix, kind in ((" or more", "min"), (" or longer", "min"), (" or less", "max"), (" or fewer", "max")):
        if low.endswith(suffix):
            text, limit = text[: -len(suffix)], kind
            break
    amount = parse_amount(text)
    if limit == "min":
        amount = Amount(amount.lo, amount.lo, math.inf, amount.approximate, amount.text, amount.vague, True)
    elif limit == "max":
        amount = Amount(0.0, amount.hi / 2.0, amount.hi, amount.approximate, amount.text, amount.vague, True)
    return amount if sign > 0 else amount.negated()


def _parse_relative(s: str, text: str) -> RelativeTime | None:
    """A time relative to one event, or None when ``s`` is not of that form."""
    low = s.lower()
    if low.startswith("within "):
        rest = s[len("within "):]
        for word, sign in ((" after ", 1.0), (" before ", -1.0)):
            i = rest.lower().find(word)
            if i > 0:
                amount = parse_amount(rest[:i])
                ref = _require_ref(rest[i + len(word):], text)
                window = Amount(0.0, amount.best / 2.0, amount.hi, amount.approximate, amount.text,
                                amount.vague, True)
                return RelativeTime(ref, window if sign > 0 else window.negated())
        raise TimeSyntaxError(
            f"cannot read {text!r}", "write 'within 6 months after EVENT' or 'within 2 days before EVENT'"
        )
    for word in ("shortly ", "soon "):
        if low.startswith(word):
            rest = low[len(word):]
            for direction, sign in (("after ", 1.0), ("before ", -1.0)):
                if rest.startswith(direction):
                    ref = _require_ref(s[len(word) + len(direction):], text)
                    return RelativeTime(ref, SHORTLY if sign > 0 else SHORTLY.negated())
    for word, sign in _ORDER_WORDS:
        if low.startswith(word):
            return RelativeTime(_require_ref(s[len(word):], text), OPEN_GAP if sign > 0 else OPEN_GAP.negated())
    for word, sign in ((" after ", 1.0), (" before ", -1.0), (" later than ", 1.0), (" earlier than ", -1.0)):
        i = low.find(word)
        if i > 0:
            ref_text = s[i + len(word):]
            amount_text = s[:i]
            for suffix in (" or later", " or earlier"):
                if ref_text.lower().endswith(suffix):
                    ref_text = ref_text[: -len(suffix)]
                    amount_text = "at least " + amount_text
            ref = _require_ref(ref_text, text)
            return RelativeTime(ref, _limited(amount_text, sign))
    whole = parse_ref(s)
    if whole is not None:  # ids may contain '-': "a-b" is an id, not "a minus b"
        return RelativeTime(whole, ZERO)
    m2 = re.match(r"^(?P<ref>\S+?|.+?\s)\s*(?P<op>[+\-])\s*(?P<amount>\d.*)$", s)
    if m2 and parse_ref(m2.group("ref")) is not None:
        ref = _require_ref(m2.group("ref"), text)
        amount = parse_amount(m2.group("amount"))
        return RelativeTime(ref, amount if m2.group("op") == "+" else amount.negated())
    return None


def _parse_following(s: str) -> RelativeTime | None:
    """'then', 'later', '2 weeks later', 'shortly afterwards': after the time stated before."""
    low = s.lower()
    previous = EventRef(PREVIOUS)
    if low in FOLLOWING_WORDS:
        return RelativeTime(previous, OPEN_GAP)
    if low in _SHORTLY_FOLLOWING:
        return RelativeTime(previous, SHORTLY)
    for word, sign in ((" later", 1.0), (" earlier", -1.0)):
        if low.endswith(word) and not any(w in low for w in (" than ", " after ", " before ")):
            return RelativeTime(previous, _limited(s[: -len(word)], sign))
    return None


def _parse_all_of(s: str, text: str) -> AllOf | None:
    """'after X and Y', 'before X and after Y', 'after X but before Y' (each part a limit)."""
    clauses = re.split(r"\s+(?:and|but)\s+", s, flags=re.IGNORECASE)
    if len(clauses) < 2:
        return None
    parts: list[RelativeTime] = []
    lead = ""
    for clause in clauses:
        if lead and parse_ref(clause) is not None:
            clause = lead + clause  # "after X and Y": Y borrows "after "
        node = _parse_relative(clause, text)
        if node is None or node.offset is ZERO:
            return None
        lead = re.sub(r"\S+$", "", clause)
        parts.append(node)
    return AllOf(tuple(parts))


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
        days = sign * float(m.group("n")) * per
        check_magnitude(days, s)
        clock = _clock(text, m.group("h"), m.group("min"))
        if clock is not None:
            if m.group("unit") != "day":
                raise TimeSyntaxError(f"a time of day needs a day in {text!r}", "write e.g. 'day 2 14:30'")
            days += clock
        return AnchorTime(Amount.exact(days, s))
    following = _parse_following(s)
    if following is not None:
        return following
    if " and " in low or " but " in low:
        both = _parse_all_of(s, text)
        if both is not None:
            return both
    relative = _parse_relative(s, text)
    if relative is not None:
        return relative
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
    if isinstance(first_node, AllOf) or isinstance(last_node, AllOf):
        raise TimeSyntaxError(f"cannot read the range {text!r}", "write 'between A and B' with two times")
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
    check_length(text, "time")
    return _parse_time_text(text)


#: The commonest times ("day 14", "week 2") exactly as written that way: read without the general parser.
_PLAIN_ANCHOR_RE = re.compile(r"(day|week|month|year) ([0-9]{1,7})")


@functools.lru_cache(maxsize=8192)
def _parse_time_text(text: str) -> TimeExpr:
    """parse_time for text; cached, since times such as 'week 0' recur (TimeExpr is immutable)."""
    m = _PLAIN_ANCHOR_RE.fullmatch(text)
    if m is not None:  # what _parse_general makes of it (tests/model/test_time_expressions.py checks)
        days = float(m.group(2)) * DAYS_PER_UNIT[m.group(1)]
        check_magnitude(days, text)
        return TimeExpr(AnchorTime(Amount.exact(days, text)), text)
    return _parse_general(text)


def _parse_general(text: str) -> TimeExpr:
    s = normalised = normalise(text)
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
    return TimeExpr(node, normalised, approximate, widen, vague=approximate or _is_vague(node))


def _is_vague(node: TimeNode) -> bool:
    if isinstance(node, RelativeTime | AnchorTime):
        return node.offset.vague
    if isinstance(node, RangeTime):
        return _is_vague(node.first) or _is_vague(node.last)
    if isinstance(node, AllOf):
        return any(_is_vague(part) for part in node.parts)
    return False


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
