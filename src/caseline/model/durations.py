"""Durations as case reports state them: "2 weeks", "2-3 days", "a few days", "P2W", "30 minutes".

A duration is an :class:`Amount` of days with bounds. Vague words are stated ranges, flagged
``vague`` (docs/case-format.md, "How caseline reasons about time", lists them):

=================  ==================  ============
words              range of the unit   best (middle)
=================  ==================  ============
``a couple of``    2-3                 2.5
``a few``          2-4                 3
``several``        3-7                 5
=================  ==================  ============

ISO 8601 durations (``P2W``, ``P1Y6M``, ``P3DT12H``, ``PT30M``) are exact. Nothing here knows
about events or cases; the time grammar is :mod:`caseline.model.time_expressions`.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

DAYS_PER_UNIT: dict[str, float] = {
    "second": 1.0 / 86400.0,
    "minute": 1.0 / 1440.0,
    "hour": 1.0 / 24.0,
    "day": 1.0,
    "week": 7.0,
    # A month or year in a case report is a calendar-ish quantity; we use the mean
    # Gregorian lengths so "month 3" and "3 months after" agree everywhere.
    "month": 30.4375,
    "year": 365.25,
}

UNIT_ALIASES: dict[str, str] = {
    "s": "second", "sec": "second", "secs": "second", "second": "second", "seconds": "second",
    "min": "minute", "mins": "minute", "minute": "minute", "minutes": "minute",
    "h": "hour", "hr": "hour", "hrs": "hour", "hour": "hour", "hours": "hour",
    "d": "day", "day": "day", "days": "day",
    "w": "week", "wk": "week", "wks": "week", "week": "week", "weeks": "week",
    "mo": "month", "mos": "month", "month": "month", "months": "month",
    "y": "year", "yr": "year", "yrs": "year", "year": "year", "years": "year",
}

NUMBER_WORDS: dict[str, float] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "half a": 0.5, "half an": 0.5,
}

#: Vague quantity words and the range of the unit each stands for (docs/case-format.md).
VAGUE_WORDS: dict[str, tuple[float, float]] = {
    "a couple of": (2, 3),
    "a few": (2, 4),
    "several": (3, 7),
}

APPROX_WORDS = ("approximately", "approx.", "approx", "about", "around", "circa", "ca.", "roughly", "~")

#: Fraction of an approximate amount added on each side, and the minimum widening
#: as a fraction of the stated unit ("about 3 weeks" -> 3 weeks +/- 4.2 days).
APPROX_FRACTION = 0.2
APPROX_MIN_UNIT_FRACTION = 0.5


class TimeSyntaxError(ValueError):
    """A time expression that does not parse. ``hint`` says how to fix it."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True, slots=True)
class Amount:
    """A duration in days with uncertainty: ``lo <= best <= hi`` (``hi`` may be inf).

    ``vague``: from a vague word ("several", "a few", "shortly"). ``bound_only``: the source
    states a limit, not a value ("at least 3 months", "within a week"): ``best`` is then only the
    middle of a closed range (or the known side) and a timeline places the time for order.
    """

    lo: float
    best: float
    hi: float
    approximate: bool = False
    text: str = ""
    vague: bool = False
    bound_only: bool = False

    @staticmethod
    def exact(days: float, text: str = "") -> Amount:
        return Amount(days, days, days, False, text)

    @property
    def is_open(self) -> bool:
        """Order only: no distance stated ("after X": 0 to no limit)."""
        return (self.lo == 0 and self.hi == math.inf) or (self.lo == -math.inf and self.hi == 0)

    def negated(self) -> Amount:
        return Amount(-self.hi, -self.best, -self.lo, self.approximate, self.text, self.vague, self.bound_only)

    def __add__(self, other: Amount) -> Amount:
        return Amount(
            self.lo + other.lo,
            self.best + other.best,
            self.hi + other.hi,
            self.approximate or other.approximate,
            " ".join(t for t in (self.text, other.text) if t),
            self.vague or other.vague,
            self.bound_only or other.bound_only,
        )


#: Longest time expression or duration read (characters): a case report's times are a few words; a
#: longer text is a pasted paragraph, and parsing it would only waste time.
MAX_TIME_CHARS = 200
#: Longest duration (days): 1,000 years; a longer one is a typo (and would overflow the calendar).
MAX_AMOUNT_DAYS = 1000 * 365.25

ZERO = Amount.exact(0.0)
OPEN_GAP = Amount(0.0, 0.0, math.inf, False, "gap not stated")

_NUM = r"(?:\d+(?:\.\d+)?|\.\d+)"
_AMOUNT_RE = re.compile(
    rf"^(?P<a>{_NUM})(?:\s*(?:-|–|to)\s*(?P<b>{_NUM}))?\s*(?P<unit>[a-z]+\.?)(?:\s+|$)"
)
_ISO_DURATION_RE = re.compile(
    rf"^p(?:(?P<year>{_NUM})y)?(?:(?P<month>{_NUM})m)?(?:(?P<week>{_NUM})w)?(?:(?P<day>{_NUM})d)?"
    rf"(?:t(?:(?P<hour>{_NUM})h)?(?:(?P<minute>{_NUM})m)?(?:(?P<second>{_NUM})s)?)?$"
)


def normalise(text: str) -> str:
    if "\u2212" in text:
        text = text.replace("\u2212", "-")
    return " ".join(text.split())


_WORDS_LONGEST_FIRST = tuple(sorted(
    [(word + " ", (value, value), False) for word, value in NUMBER_WORDS.items()]
    + [(word + " ", rng, True) for word, rng in VAGUE_WORDS.items()],
    key=lambda entry: -len(entry[0]),
))


def parse_amount(text: str) -> Amount:
    """Parse a duration such as "2 weeks", "2-3 days", "1 week 3 days", "about 3 weeks", "P2W"."""
    if not isinstance(text, str):
        raise TimeSyntaxError(f"the duration {text!r} is not text", "write e.g. '2 weeks' or '3 days'")
    check_length(text, "duration")
    return _parse_amount_text(text)


def check_length(text: str, what: str) -> None:
    """Raise TimeSyntaxError for a time or duration longer than MAX_TIME_CHARS characters."""
    if len(text) > MAX_TIME_CHARS:
        raise TimeSyntaxError(
            f"the {what} is {len(text):,} characters long, more than the {MAX_TIME_CHARS} a {what} may have",
            "write the time in a few words (e.g. '2 weeks after ifx#3'); put the source's wording in 'stated'",
        )


def check_magnitude(days: float, original: str) -> None:
    """Raise TimeSyntaxError for a duration beyond MAX_AMOUNT_DAYS (or not a number)."""
    if not abs(days) <= MAX_AMOUNT_DAYS:
        raise TimeSyntaxError(f"{original!r} is longer than 1,000 years", "check the number and the unit")


def iso_duration(text: str) -> Amount | None:
    """An ISO 8601 duration (``P2W``, ``P1Y6M``, ``PT30M``) as an exact amount, else None."""
    m = _ISO_DURATION_RE.match(text.strip().lower())
    if not m or not any(m.groupdict().values()) or text.strip().lower().endswith("t"):
        return None
    days = sum(float(v) * DAYS_PER_UNIT[unit] for unit, v in m.groupdict().items() if v)
    check_magnitude(days, text.strip())
    return Amount.exact(days, text.strip())


@functools.lru_cache(maxsize=4096)
def _parse_amount_text(text: str) -> Amount:
    original = text
    s = normalise(text).lower()
    approximate = vague = False
    for word in APPROX_WORDS:
        if s.startswith(word + " ") or (word == "~" and s.startswith("~")):
            approximate = vague = True
            s = s[len(word):].strip()
            break
    if s.startswith("p"):
        iso = iso_duration(s)
        if iso is not None:
            return _widened(iso.lo, iso.best, iso.hi, 1.0, approximate, vague, original) if approximate else \
                Amount(iso.lo, iso.best, iso.hi, False, normalise(original))
    if s[:1].isalpha():
        for word, (a, b), is_vague in _WORDS_LONGEST_FIRST:
            if s.startswith(word):
                s = (f"{a:g}-{b:g} " if a != b else f"{a:g} ") + s[len(word):]
                vague = vague or is_vague
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
                "write a number and a unit, e.g. '2 weeks', '2-3 days', '1 week 3 days', or 'P2W'",
            )
        unit_word = m.group("unit").rstrip(".")
        unit = UNIT_ALIASES.get(unit_word)
        if unit is None:
            raise TimeSyntaxError(
                f"unknown time unit {unit_word!r} in {original!r}",
                "use minutes, hours, days, weeks, months or years",
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
    check_magnitude(hi, original)
    if approximate:
        return _widened(lo, best, hi, smallest_unit, approximate, vague, original)
    return Amount(lo, best, hi, False, normalise(original), vague)


def _widened(lo: float, best: float, hi: float, unit: float, approximate: bool, vague: bool,
             original: str) -> Amount:
    pad = max(APPROX_FRACTION * best, APPROX_MIN_UNIT_FRACTION * unit)
    return Amount(max(0.0, lo - pad), best, hi + pad, approximate, normalise(original), vague)


def parse_duration_value(value: str | int | float) -> Amount:
    """Parse a duration field value; a bare number is rejected (the unit must be stated)."""
    if not isinstance(value, str):
        raise TimeSyntaxError(
            f"the duration {value!r} has no unit", "write e.g. '5 days' or '6 months'"
        )
    return parse_amount(value)
