"""Free-text rules of the de-identified view: dates, ages, names, numbers and links in text. Pure Python.

The structure of a case file carries most identifying details (``patient.identifiers``, the fields an
event marks ``identifying``, ``anchor_date``, times written as dates): :mod:`caseline.analysis.deidentify`
removes those by field. What people also write into labels, notes and summaries is found here, by
patterns that locate candidates and python-dateutil, which reads the dates found (day or month first,
which parts are given). What is and is not caught is listed in docs/case-format.md ("What the
de-identified view removes"). Every function here is total: text it cannot read is withheld, never
passed through.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta

from dateutil import parser as date_parser

DATE_WITHHELD = "[date withheld]"
YEAR_WITHHELD = "[year withheld]"
NAME_WITHHELD = "[name withheld]"
NUMBER_WITHHELD = "[number withheld]"
LINK_WITHHELD = "[link withheld]"
OLDEST_AGE = 89  # ages above this are "90 or older" (HIPAA Safe Harbor)
AGE_GROUP_TEXT = "90+"

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december")
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_ORD = r"(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]|20)\d\d"
_SEP = r"[-/.]"
# A number that is a quantity ("2000 mg/day", "20000 IU") is neither a date nor an identifier.
_NOT_QUANTITY = (r"(?!\s*(?-i:(?:mg|g|kg|mcg|µg|ug|ml|mL|L|dL|IU|iu|units?|mmol|µmol|umol|U|per|cells|copies)\b"
                 r"|%|/|[x×]\s*\d|[.,]\d|-\d))")

#: Dates as people write them, most specific first. Group names say which form matched.
DATE_PATTERN = re.compile(
    rf"(?P<ymd>\b{_YEAR}(?P<s1>{_SEP})\d{{1,2}}(?P=s1)\d{{1,2}}\b)"  # 2010-02-14, 2010/02/14, 2010.02.14
    rf"|(?P<ym>\b{_YEAR}-\d{{1,2}}\b(?!-\d))"  # 2010-02
    rf"|(?P<compact>\b{_YEAR}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\b)"  # 20100214
    rf"|(?P<numeric>\b\d{{1,2}}(?P<s2>{_SEP})\d{{1,2}}(?P=s2)(?:{_YEAR}|\d\d)\b|\b\d{{1,2}}[/.]{_YEAR}\b)"
    rf"|(?P<month_range>\b{_MONTH}\.?\s*[-–/]\s*{_MONTH}\.?[\s,-]+{_YEAR}\b)"
    rf"|(?P<year_range>(?<![\d./-])\b{_YEAR}\s*[-–/]\s*(?:{_YEAR}|\d\d)\b(?![-/.]\d))"  # 2009-2010, 2009/10
    rf"|(?P<named>\b(?:(?P<day1>\d{{1,2}}){_ORD}\s*(?:of\s+)?[-\s]?)?(?P<month>{_MONTH})\b\.?"
    rf"(?:\s*(?P<day2>\d{{1,2}}){_ORD}\b,?)?(?:(?:\s+(?:of\s+)?|\s*[-/,]\s*)(?P<year>{_YEAR}|['’]\d\d)\b)?)"
    rf"|(?P<decade>\b(?:1[89]|20)\d0['’]?s\b|['’]\d0s\b)"
    rf"|(?P<short_year>(?<![\w'’])['’]\d\d\b(?!['’]){_NOT_QUANTITY})"  # in '09
    rf"|(?P<year_only>(?<![\d./-])\b{_YEAR}\b{_NOT_QUANTITY})",
    re.IGNORECASE,
)

# "aged 95", "age: 95", "a 95 year old", "95-year-old", "95 yrs old", "95 y/o", "95yo"
_AGE_PATTERN = re.compile(
    r"(?P<pre>\bage[ds]?\s*:?\s*)(?P<n1>\d{2,3})\b"
    r"|\b(?P<n2>\d{2,3})(?=\s*-?\s*(?:years?|yrs?|y)\.?\s*-?\s*(?:old|of\s+age)\b|\s*y/?o\b)",
    re.IGNORECASE,
)
_TITLES = r"(?:Dr|Drs|Dra|Mr|Mrs|Ms|Mx|Miss|Prof|Professor|Sister|Sr|Nurse|Matron|Rev)"
_INITIALS = r"(?:[A-Z]\.\s?){1,3}"
_CAPITAL_WORD = r"[A-Z][\w'’-]+"
#: "Dr Ormerod", "Dr J. Ormerod", "Dr J.Ormerod", "Mrs Hilda Quistorp"
_TITLED_NAME = re.compile(rf"\b{_TITLES}\.?\s+(?:{_INITIALS})?{_CAPITAL_WORD}(?:\s+{_CAPITAL_WORD}){{0,2}}")
#: "J.Smith", "J. Smith", "H.Q. Smith": initials then a surname
_INITIALLED_NAME = re.compile(rf"(?<![\w.]){_INITIALS}[A-Z][a-z'’-]{{2,}}\b")
#: a run of 5 or more digits in a word (record, accession, phone numbers), unless it is a quantity
_LONG_NUMBER = re.compile(rf"(?<![\w.])(?>[\w#-]*?\d{{5,}}[\w-]*){_NOT_QUANTITY}")
_LINK = re.compile(r"\bhttps?://\S+|\bwww\.\S+|[\w.+-]+@[\w-]+\.[\w.-]+|\b(?:doi:\s*)?10\.\d{4,9}/\S+",
                   re.IGNORECASE)


def contains_date(text: str) -> bool:
    """True when ``text`` holds something that reads as a calendar date or a year (outside what the rules
    wrote: 'day 2052' is a relative day)."""
    return any(_is_date_match(m) for part in _PROTECTED.split(text)[::2] for m in DATE_PATTERN.finditer(part))


def _is_date_match(match: re.Match[str]) -> bool:
    if match.group("named") is None:
        return True
    word = match.group("month")
    if match.group("day1") or match.group("day2") or match.group("year"):
        return not _is_ordinary_word(word, match)
    # A month name on its own is a date element, except words that are also ordinary words or
    # names ("May", "Jan", "March on"): capitalised full names other than May only.
    return word.lower() in _MONTHS and word.lower() != "may" and word[0].isupper()


def _is_ordinary_word(word: str, match: re.Match[str]) -> bool:
    """'may 5' (lower case 'may' before a number is a verb: 'may 2 weeks later') is not a date."""
    return word == word.lower() and word.lower() in ("may", "mar", "jan") and not match.group("year")


def _span_of(match: re.Match[str]) -> tuple[date, date] | None:
    """The calendar days a matched date covers, when it can be read without guessing."""
    text = match.group(0)
    if match.group("month_range"):
        months = re.findall(_MONTH, text, re.IGNORECASE)
        year = int(re.findall(_YEAR, text)[-1])
        first = _parse_span(f"{months[0]} {year}")
        last = _parse_span(f"{months[-1]} {year}")
        return (first[0], last[1]) if first and last and first[0] <= last[1] else None
    if match.group("named") and not match.group("year"):
        return None  # a month without a year
    if match.group("named") and match.group("year")[0] in "'’":
        return None  # "Feb '10": the century is a guess
    if any(match.group(g) for g in ("decade", "year_only", "short_year", "year_range")):
        return None
    if match.group("numeric") and not re.search(rf"{_YEAR}$", text):
        return None  # '14.02.10': the century is a guess
    year_first = bool(match.group("ymd") or match.group("ym") or match.group("compact"))
    return _parse_span(text, year_first)


_DEFAULTS = (datetime(2000, 1, 1), datetime(2004, 2, 2))  # two defaults tell which parts a date gives


def _parse_span(text: str, year_first: bool = False) -> tuple[date, date] | None:
    """Read a date with dateutil: a day, or a whole month when the day is not given; None when the year
    is not given, when day-first and month-first readings disagree (a date written year first is read
    year, month, day, as ISO 8601 has it), or when it cannot be read."""
    readings: set[tuple[int, int, int | None]] = set()
    for dayfirst in (False,) if year_first else (True, False):
        try:
            a, b = (date_parser.parse(text, default=d, dayfirst=dayfirst, yearfirst=year_first, fuzzy=True)
                    for d in _DEFAULTS)
        except (ValueError, OverflowError, TypeError):
            continue
        if a.year != b.year or a.month != b.month:
            return None  # no year (or no month): cannot be placed
        readings.add((a.year, a.month, a.day if a.day == b.day else None))
    if len(readings) != 1:
        return None  # unreadable, or ambiguous (02/03/2010)
    year, month, day = readings.pop()
    try:
        if day is not None:
            one = date(year, month, day)
            return one, one
        first = date(year, month, 1)
        return first, date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    except (ValueError, OverflowError):
        return None


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
        if any(match.group(g) for g in ("year_only", "decade", "short_year", "year_range")):
            return YEAR_WITHHELD
        try:
            span = _span_of(match)
        except (ValueError, IndexError, OverflowError):
            span = None
        if span is None or anchor is None:
            return DATE_WITHHELD
        return _relative(span, anchor)

    return DATE_PATTERN.sub(replace, text)


def age_number(text: str) -> int | None:
    """The whole number an age field states ('95', ' 95 '), in any script's decimal digits; else None."""
    stripped = text.strip()
    if stripped and all(ch.isdecimal() for ch in stripped):
        try:
            return int(stripped)
        except ValueError:  # pragma: no cover - isdecimal digits always convert
            return None
    return None


def scrub_ages(text: str) -> str:
    """Ages over 89 written in text ('aged 95', 'a 95 year old') become '90+'."""

    def replace(match: re.Match[str]) -> str:
        number = match.group("n1") or match.group("n2")
        if int(number) <= OLDEST_AGE:
            return match.group(0)
        return (match.group("pre") or "") + AGE_GROUP_TEXT

    return _AGE_PATTERN.sub(replace, text)


def scrub_names(text: str) -> str:
    """Names after a title ('Dr J. Ormerod') and initialled names ('J.Smith') are withheld."""
    text = _TITLED_NAME.sub(NAME_WITHHELD, text)
    return _INITIALLED_NAME.sub(NAME_WITHHELD, text)


def scrub_numbers_and_links(text: str) -> str:
    """Long numbers (records, accessions, phones), links, e-mail addresses and DOIs are withheld."""
    text = _LINK.sub(LINK_WITHHELD, text)
    return _LONG_NUMBER.sub(NUMBER_WITHHELD, text)


def identifier_pattern(names: Iterable[str], parts: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern for the identifiers of a case: each of ``names`` whole, as written or with other
    spaces and punctuation between its words and digit groups ('J.Smith' also finds 'J. Smith', 'NHS 943
    476 5919' also '9434765919'), and each word of ``parts`` (a surname of a listed full name)."""
    alternatives: set[str] = set()
    for name in names:
        tokens = re.findall(r"\w+", name)
        if not tokens or len("".join(tokens)) < 2:
            continue
        alternatives.add(r"[\s.,'’_/-]*".join(re.escape(t) for t in tokens))
    for part in parts:
        for token in re.findall(r"\w+", part):
            if len(token) >= 3:
                alternatives.add(re.escape(token))
    if not alternatives:
        return None
    body = "|".join(sorted(alternatives, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


_HAS_DIGIT = re.compile(r"\d")
_HAS_MONTH = re.compile(rf"\b{_MONTH}\b", re.IGNORECASE)

#: What the rules write in place of what they withhold ('[name withheld]', 'Milestone (details withheld)'):
#: later rules leave these alone, so scrubbing scrubbed text changes nothing.
PLACEHOLDER = re.compile(r"(\[[a-z ]*withheld\]|\((?:details )?withheld\)|\b90 or older\b|\b90\+)")


#: ... and the relative days the date rule writes ('day -10271' is not a record number)
_PROTECTED = re.compile(rf"({PLACEHOLDER.pattern[1:-1]}|\bdays? -?\d+(?: to -?\d+)?\b)")


def _outside_placeholders(text: str, rule: Callable[[str], str]) -> str:
    parts = _PROTECTED.split(text)
    return "".join(part if i % 2 else rule(part) for i, part in enumerate(parts))


def scrub_free_text(text: str, anchor: date | None, identifiers: re.Pattern[str] | None) -> str:
    """Every rule of this module, in the order that keeps them apart: listed identifiers, links, names,
    dates (a record number is read as a number only when it is not a date), ages, then numbers."""
    if not text:
        return text
    rules: list[Callable[[str], str]] = []
    if identifiers is not None:
        rules.append(lambda part: identifiers.sub(NAME_WITHHELD, part))
    digits = _HAS_DIGIT.search(text) is not None
    if "." in text or "@" in text:
        rules.append(lambda part: _LINK.sub(LINK_WITHHELD, part))
    rules.append(scrub_names)
    if digits or _HAS_MONTH.search(text):  # cheap tests first: most labels hold no date at all
        rules.append(lambda part: scrub_dates(part, anchor))
    if digits:
        rules += [scrub_ages, lambda part: _LONG_NUMBER.sub(NUMBER_WITHHELD, part)]
    for rule in rules:
        text = _outside_placeholders(text, rule)
    return text
