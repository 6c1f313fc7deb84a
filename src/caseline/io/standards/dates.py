"""Dates and durations of the standards, turned into caseline time expressions at their real precision.

Every function here returns text in the case format's time grammar (``2013``, ``2013-02``,
``2013-02-14``, ``between A and B``, ``day N``) or ``None`` when the source gives no usable time.
Nothing is ever completed: a month stays a month, a missing year makes the whole date unknown, and
a time of day (which the grammar cannot hold yet) is left to the caller's ``stated`` text.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from typing import Any

#: The case format reads calendar years from 1800 to 2200; outside that a date is not placeable.
MIN_YEAR, MAX_YEAR = 1800, 2200
SAS_EPOCH = date(1960, 1, 1)

_ISO_DATE = re.compile(
    r"^\s*(?P<y>\d{4}|-)?(?:-(?P<m>\d{2}|-)?(?:-(?P<d>\d{2}|-)?)?)?(?:T(?P<time>[0-9:.\-]*)(?P<tz>Z|[+-]\d{2}:?\d{2})?)?\s*$"
)
_HL7_TS = re.compile(r"^\s*(?P<y>\d{4})(?P<m>\d{2})?(?P<d>\d{2})?(?P<time>\d{2,6}(?:\.\d+)?)?(?P<tz>[+-]\d{4})?\s*$")
_ISO_DURATION = re.compile(
    r"^\s*P(?:(?P<y>\d+(?:[.,]\d+)?)Y)?(?:(?P<mo>\d+(?:[.,]\d+)?)M)?(?:(?P<w>\d+(?:[.,]\d+)?)W)?"
    r"(?:(?P<d>\d+(?:[.,]\d+)?)D)?(?:T(?:(?P<h>\d+(?:[.,]\d+)?)H)?(?:(?P<mi>\d+(?:[.,]\d+)?)M)?"
    r"(?:(?P<s>\d+(?:[.,]\d+)?)S)?)?\s*$"
)


def _valid(year: int, month: int | None, day: int | None) -> bool:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return False
    if month is not None and not 1 <= month <= 12:
        return False
    if day is not None:
        try:
            date(year, month or 1, day)
        except ValueError:
            return False
    return True


def _format(year: int, month: int | None, day: int | None) -> str:
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _num(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


def iso_date(raw: Any) -> str | None:
    """An ISO 8601 / SDTM ``--DTC`` value as a caseline date at its own precision.

    SDTM writes missing parts as hyphens (``2013---14``: day known, month not): the date is cut at
    the first missing part, so that is the year 2013. A value without a year is unknown. An ISO
    interval (``2003-12-15/2004-01``) becomes ``between A and B``. A time of day is dropped here
    (the caller keeps the raw text in ``stated``).
    """
    if raw is None:
        return None
    if isinstance(raw, datetime | date):
        return raw.strftime("%Y-%m-%d") if _valid(raw.year, raw.month, raw.day) else None
    text = str(raw).strip()
    if not text:
        return None
    if "/" in text:
        first, _, last = text.partition("/")
        start, end = iso_date(first), iso_date(last)
        if start and end and start != end:
            return f"between {start} and {end}"
        return start or end
    match = _ISO_DATE.match(text)
    if match is None:
        return None
    year, month, day = _num(match.group("y")), _num(match.group("m")), _num(match.group("d"))
    if year is None:
        return None
    if month is None:
        day = None
    if not _valid(year, month, day):
        return None
    return _format(year, month, day)


def hl7_ts(raw: Any) -> str | None:
    """An HL7 v3 TS value (``200901``, ``20090101151617-0500``) as a date at its precision.

    The date part is the local date as written (the offset is not applied): a report dated
    ``20090101235900-0500`` happened on 1 January where it was written.
    """
    if raw is None:
        return None
    match = _HL7_TS.match(str(raw))
    if match is None:
        return None
    year, month, day = int(match.group("y")), _num(match.group("m")), _num(match.group("d"))
    if not _valid(year, month, day):
        return None
    return _format(year, month, day)


def has_time_of_day(raw: Any) -> bool:
    """True when a raw ISO or HL7 value carries a time of day (kept only in the stated text)."""
    text = str(raw or "")
    return "T" in text or bool(re.match(r"^\d{9,}", text))


def sas_date(value: Any) -> str | None:
    """A SAS date (days since 1960-01-01, as ADaM ``*DT`` variables hold), or a date object."""
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return iso_date(value)
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        return iso_date(value.to_pydatetime())
    if isinstance(value, str):
        return iso_date(value)
    try:
        days = float(value)
    except (TypeError, ValueError):
        return None
    if math.isnan(days):
        return None
    try:
        return iso_date(SAS_EPOCH + timedelta(days=int(days)))
    except OverflowError:
        return None


def reduce_precision(iso: str, flag: str) -> str | None:
    """An ADaM-imputed date cut back to what was not imputed: flag ``D`` -> month, ``M`` -> year,
    ``Y`` -> nothing (unknown). Imputed parts are never written as if the source stated them."""
    flag = (flag or "").strip().upper()
    if not flag:
        return iso
    if flag.startswith("Y"):
        return None
    if flag.startswith("M"):
        return iso[:4]
    if flag.startswith("D"):
        return iso[:7]
    return iso  # H/M/S flags concern the time of day, which the date does not carry


def study_day(dy: Any) -> str | None:
    """An SDTM study day as caseline's ``day N``. SDTM has no day 0: study day 1 is the reference
    start (caseline's day 0), and the day before it is study day -1 (caseline's day -1)."""
    try:
        value = float(dy)
    except (TypeError, ValueError):
        return None
    if math.isnan(value):
        return None
    days = int(value)
    if days >= 1:
        days -= 1
    return f"day {days}"


_UNIT_WORDS = {"y": "year", "mo": "month", "w": "week", "d": "day", "h": "hour", "mi": "minute", "s": "second"}


def iso_duration(raw: Any) -> str | None:
    """An ISO 8601 duration (``P2W``, ``P1Y6M``, ``PT36H``) as the case format's duration text
    (``2 weeks``, ``1 year 6 months``, ``36 hours``). Minutes and seconds, which the grammar has
    no unit for, become hours."""
    match = _ISO_DURATION.match(str(raw or ""))
    if match is None or not any(match.groupdict().values()):
        return None
    parts: list[str] = []
    hours = 0.0
    for key in ("y", "mo", "w", "d", "h", "mi", "s"):
        value = match.group(key)
        if value is None:
            continue
        amount = float(value.replace(",", "."))
        if key == "mi":
            hours += amount / 60
            continue
        if key == "s":
            hours += amount / 3600
            continue
        if key == "h":
            hours += amount
            continue
        parts.append(_amount(amount, _UNIT_WORDS[key]))
    if hours:
        parts.append(_amount(round(hours, 3), "hour"))
    return " ".join(parts) if parts else "0 days"


def _amount(amount: float, unit: str) -> str:
    number = int(amount) if float(amount).is_integer() else amount
    return f"{number} {unit}{'' if number == 1 else 's'}"


#: UCUM / HL7 unit codes of time quantities (E2B pauseQuantity, PIVL periods), as grammar units.
TIME_UNITS = {
    "a": "year",
    "ann": "year",
    "yr": "year",
    "y": "year",
    "year": "year",
    "years": "year",
    "mo": "month",
    "month": "month",
    "months": "month",
    "wk": "week",
    "w": "week",
    "week": "week",
    "weeks": "week",
    "d": "day",
    "day": "day",
    "days": "day",
    "h": "hour",
    "hr": "hour",
    "hour": "hour",
    "hours": "hour",
    "min": "minute",
    "s": "second",
}


def quantity_duration(value: Any, unit: str) -> str | None:
    """A time quantity (``2``, ``d``) as duration text (``2 days``); None when not a time unit."""
    try:
        amount = float(value)
    except (TypeError, ValueError):
        return None
    word = TIME_UNITS.get((unit or "").strip().lower())
    if word is None or math.isnan(amount) or amount < 0:
        return None
    if word == "minute":
        return _amount(round(amount / 60, 3), "hour")
    if word == "second":
        return _amount(round(amount / 3600, 3), "hour")
    return _amount(amount, word)


def day_number(iso: str | None) -> int | None:
    """The ordinal of a full ISO date (``2013-02-14``); None for partial dates."""
    if iso is None or len(iso) != 10:
        return None
    try:
        return date.fromisoformat(iso).toordinal()
    except ValueError:
        return None


def date_span(iso: str) -> tuple[int, int] | None:
    """First and last day (ordinals) that a caseline date at any precision covers."""
    if iso.startswith("between "):
        first, _, last = iso[len("between ") :].partition(" and ")
        a, b = date_span(first), date_span(last)
        return (a[0], b[1]) if a and b else None
    parts = iso.split("-")
    try:
        year = int(parts[0])
        if len(parts) == 1:
            return date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
        month = int(parts[1])
        if len(parts) == 2:
            nxt = date(year + (month == 12), month % 12 + 1, 1)
            return date(year, month, 1).toordinal(), nxt.toordinal() - 1
        day = date(year, month, int(parts[2])).toordinal()
        return day, day
    except (ValueError, IndexError):
        return None
