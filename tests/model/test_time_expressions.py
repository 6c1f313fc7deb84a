"""Time expressions: every grammar form, and properties of parsing and resolution."""

from __future__ import annotations

import calendar
import contextlib
import math
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from caseline.model import Category, Event, Kind, SourcePos
from caseline.model.case import Case
from caseline.model.time_expressions import (
    DAYS_PER_UNIT,
    AnchorTime,
    CalendarTime,
    EventRef,
    Precision,
    RangeTime,
    RelativeTime,
    TimeSyntaxError,
    UnknownTime,
    _parse_general,
    _parse_time_text,
    parse_amount,
    parse_duration_value,
    parse_time,
)
from caseline.timeline.resolver import resolve_case

POS = SourcePos("test.caseline.yaml", 1, 1)


def symptom(event_id: str, start: str) -> Event:
    return Event(id=event_id, kind=Kind.SYMPTOM, label=event_id, lane=event_id, category=Category.SYMPTOM,
                 pos=POS, start=parse_time(start))


def case_of(*events: Event, anchor_date: str | None = None) -> Case:
    return Case(id="c", title="c", pos=POS, events=events,
                anchor_date=parse_time(anchor_date) if anchor_date else None)


def resolved_start(case: Case, event_id: str) -> tuple[float, float, float]:
    resolved = resolve_case(case)
    assert not [d for d in resolved.diagnostics if d.is_error], resolved.diagnostics
    item = resolved.item(event_id)
    assert item is not None and item.start is not None
    return item.start.lo, item.start.best, item.start.hi


# --------------------------------------------------------------------------- grammar forms

@pytest.mark.parametrize("text", ["unknown", "?", "not stated", "Unknown", "  unstated "])
def test_unknown(text: str) -> None:
    assert isinstance(parse_time(text).node, UnknownTime)
    assert parse_time(text).is_unknown


@pytest.mark.parametrize(
    ("text", "first", "last", "precision"),
    [
        ("2013", date(2013, 1, 1), date(2013, 12, 31), Precision.YEAR),
        ("2010-02", date(2010, 2, 1), date(2010, 2, 28), Precision.MONTH),
        ("2012-02", date(2012, 2, 1), date(2012, 2, 29), Precision.MONTH),
        ("2010-02-14", date(2010, 2, 14), date(2010, 2, 14), Precision.DAY),
        ("February 2010", date(2010, 2, 1), date(2010, 2, 28), Precision.MONTH),
        ("Feb 2010", date(2010, 2, 1), date(2010, 2, 28), Precision.MONTH),
        ("Sept 2011", date(2011, 9, 1), date(2011, 9, 30), Precision.MONTH),
        ("14 February 2010", date(2010, 2, 14), date(2010, 2, 14), Precision.DAY),
        ("February 14, 2010", date(2010, 2, 14), date(2010, 2, 14), Precision.DAY),
        ("3rd March 2009", date(2009, 3, 3), date(2009, 3, 3), Precision.DAY),
        ("early 2011", date(2011, 1, 1), date(2011, 4, 30), Precision.RANGE),
        ("mid 2011", date(2011, 5, 1), date(2011, 8, 31), Precision.RANGE),
        ("late 2011", date(2011, 9, 1), date(2011, 12, 31), Precision.RANGE),
    ],
)
def test_calendar_forms(text: str, first: date, last: date, precision: Precision) -> None:
    node = parse_time(text).node
    assert isinstance(node, CalendarTime)
    assert (node.first, node.last, node.precision) == (first, last, precision)


def test_bare_year_number() -> None:
    node = parse_time(2013).node
    assert isinstance(node, CalendarTime) and node.precision is Precision.YEAR


@pytest.mark.parametrize(
    ("text", "days"),
    [("day 0", 0.0), ("day 14", 14.0), ("day -3", -3.0), ("day − 3", -3.0), ("week 2", 14.0),
     ("week 0.5", 3.5), ("month 3", 3 * 30.4375), ("year 1", 365.25), ("Week 6", 42.0)],
)
def test_anchor_forms(text: str, days: float) -> None:
    node = parse_time(text).node
    assert isinstance(node, AnchorTime)
    assert node.offset.best == pytest.approx(days)
    assert node.offset.lo == node.offset.hi == node.offset.best


@given(st.sampled_from(["day", "week", "month", "year"]), st.integers(0, 9_999_999))
@settings(max_examples=60)
def test_plain_anchor_times_read_as_the_general_parser_reads_them(unit: str, n: int) -> None:
    text = f"{unit} {n}"
    try:
        general = _parse_general(text)
    except TimeSyntaxError as exc:
        with pytest.raises(TimeSyntaxError) as fast:
            _parse_time_text.__wrapped__(text)
        assert (fast.value.message, fast.value.hint) == (exc.message, exc.hint)
        return
    assert _parse_time_text.__wrapped__(text) == general


@pytest.mark.parametrize(
    ("text", "ref", "lo", "best", "hi"),
    [
        ("2 weeks after ifx#3", EventRef("ifx", "dose", 3), 14, 14, 14),
        ("3 days before rash", EventRef("rash"), -3, -3, -3),
        ("2-3 days after rash.end", EventRef("rash", "end"), 2, 2.5, 3),
        ("1 week 3 days after ifx", EventRef("ifx"), 10, 10, 10),
        ("two weeks after ifx#last", EventRef("ifx", "dose", -1), 14, 14, 14),
        # "a few" is a vague range, 2-4 (it was exactly 3 days)
        ("a few days after ifx#first", EventRef("ifx", "dose", 1), 2, 3, 4),
        ("12 hours after dose 2 of ifx", EventRef("ifx", "dose", 2), 0.5, 0.5, 0.5),
        ("ifx + 5 days", EventRef("ifx"), 5, 5, 5),
        ("ifx.end - 1 week", EventRef("ifx", "end"), -7, -7, -7),
        ("6 months later than mp", EventRef("mp"), 6 * 30.4375, 6 * 30.4375, 6 * 30.4375),
        ("ifx#2", EventRef("ifx", "dose", 2), 0, 0, 0),
        ("csa.end", EventRef("csa", "end"), 0, 0, 0),
        ("after weakness", EventRef("weakness"), 0, 0, math.inf),
        ("before mp.start", EventRef("mp"), -math.inf, 0, 0),
        ("within 1 month after ifx#1", EventRef("ifx", "dose", 1), 0, 30.4375 / 2, 30.4375),
        ("within 2 days before rash", EventRef("rash"), -2, -1, 0),
    ],
)
def test_relative_forms(text: str, ref: EventRef, lo: float, best: float, hi: float) -> None:
    node = parse_time(text).node
    assert isinstance(node, RelativeTime)
    assert node.ref == ref
    assert (node.offset.lo, node.offset.best, node.offset.hi) == (pytest.approx(lo), pytest.approx(best),
                                                                 pytest.approx(hi))


def test_event_refs_are_listed() -> None:
    refs = parse_time("between ifx#2 and 3 days after rash").refs()
    assert sorted(refs, key=str) == [EventRef("ifx", "dose", 2), EventRef("rash")]
    assert parse_time("week 2").refs() == []


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("between March and May 2011", date(2011, 3, 1), date(2011, 5, 31)),
        ("between 2010 and 2012", date(2010, 1, 1), date(2012, 12, 31)),
        ("March 2011 to May 2011", date(2011, 3, 1), date(2011, 5, 31)),
        ("2011-03-02 until 2011-03-09", date(2011, 3, 2), date(2011, 3, 9)),
    ],
)
def test_calendar_ranges(text: str, first: date, last: date) -> None:
    node = parse_time(text).node
    assert isinstance(node, RangeTime)
    assert isinstance(node.first, CalendarTime) and isinstance(node.last, CalendarTime)
    assert (node.first.first, node.last.last) == (first, last)


def test_relative_range_is_not_a_time_range() -> None:
    node = parse_time("2 to 3 weeks after ifx").node
    assert isinstance(node, RelativeTime)
    assert (node.offset.lo, node.offset.hi) == (14, 21)
    rng = parse_time("between week 2 and week 4").node
    assert isinstance(rng, RangeTime)


@pytest.mark.parametrize("word", ["about", "approximately", "approx.", "around", "circa", "ca.", "~"])
def test_approximate_words(word: str) -> None:
    expr = parse_time(f"{word} 2 weeks after ifx" if word != "~" else "~2 weeks after ifx")
    assert expr.approximate
    assert expr.widen is not None and expr.widen.hi > 0


def test_plus_minus() -> None:
    expr = parse_time("week 6 ± 3 days")
    assert isinstance(expr.node, AnchorTime) and expr.node.offset.best == 42
    assert expr.widen is not None and expr.widen.hi == 3
    assert parse_time("2010-05 +/- 1 month").widen is not None


@pytest.mark.parametrize(
    ("text", "lo", "best", "hi"),
    [("2 weeks", 14, 14, 14), ("2-3 days", 2, 2.5, 3), ("2 to 3 days", 2, 2.5, 3), ("1 week 3 days", 10, 10, 10),
     ("36 hrs", 1.5, 1.5, 1.5), ("half a day", 0.5, 0.5, 0.5), ("6 mos", 6 * 30.4375, 6 * 30.4375, 6 * 30.4375),
     ("2 yrs", 730.5, 730.5, 730.5)],
)
def test_durations(text: str, lo: float, best: float, hi: float) -> None:
    amount = parse_amount(text)
    assert (amount.lo, amount.best, amount.hi) == (pytest.approx(lo), pytest.approx(best), pytest.approx(hi))


def test_approximate_duration_widens() -> None:
    amount = parse_amount("about 3 weeks")
    assert amount.approximate and amount.lo < 21 < amount.hi and amount.best == 21


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("2023-02-30", "not a real date"),
        ("2023-13", "month 13 does not exist"),
        ("1700", "out of range"),
        ("3 fortnights after ifx", "unknown time unit 'fortnights'"),
        ("3-2 days after ifx", "runs backwards"),
        ("2 weeks after 3x", "not an event reference"),
        ("next tuesday", "cannot read the time"),
        ("week 2 ± 1 day ± 2 days", "more than one"),
        ("between unknown and 2012", "cannot contain 'unknown'"),
    ],
)
def test_syntax_errors(text: str, fragment: str) -> None:
    with pytest.raises(TimeSyntaxError) as info:
        parse_time(text)
    assert fragment in info.value.message
    assert info.value.hint


@pytest.mark.parametrize("value", [True, 14, 3.5, None, [1, 2], {"time": "week 2"}])
def test_non_text_values_are_syntax_errors(value: object) -> None:
    with pytest.raises(TimeSyntaxError):
        parse_time(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [5, 2.5, True, ["2 days"]])
def test_duration_needs_text_with_a_unit(value: object) -> None:
    with pytest.raises(TimeSyntaxError):
        parse_duration_value(value)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- properties

dates = st.dates(min_value=date(1800, 1, 1), max_value=date(2200, 12, 31))


@given(dates)
def test_day_precision_dates(day: date) -> None:
    for text in (day.isoformat(), f"{day.day} {calendar.month_name[day.month]} {day.year}",
                 f"{calendar.month_name[day.month]} {day.day}, {day.year}"):
        node = parse_time(text).node
        assert isinstance(node, CalendarTime)
        assert node.first == node.last == day
        assert node.precision is Precision.DAY


@given(dates)
def test_month_precision_dates_contain_every_day_of_the_month(day: date) -> None:
    for text in (f"{day.year:04d}-{day.month:02d}", f"{calendar.month_name[day.month]} {day.year}",
                 f"{calendar.month_abbr[day.month]} {day.year}"):
        node = parse_time(text).node
        assert isinstance(node, CalendarTime) and node.precision is Precision.MONTH
        assert node.first <= day <= node.last
        assert node.first.day == 1 and node.first.month == node.last.month == day.month
        assert (node.last + timedelta(days=1)).day == 1


@given(dates)
def test_year_precision_dates_contain_every_day_of_the_year(day: date) -> None:
    node = parse_time(str(day.year)).node
    assert isinstance(node, CalendarTime) and node.precision is Precision.YEAR
    assert node.first == date(day.year, 1, 1) and node.last == date(day.year, 12, 31)
    assert node.first <= day <= node.last


@given(st.integers(min_value=-2000, max_value=2000), st.sampled_from(["day", "week"]))
def test_anchor_relative_round_trip(n: int, unit: str) -> None:
    expr = parse_time(f"{unit} {n}")
    assert isinstance(expr.node, AnchorTime)
    assert expr.node.offset.best == n * DAYS_PER_UNIT[unit]
    # ... and through resolution: with day 0 pinned to a date, the event lands on that day.
    case = case_of(symptom("x", f"{unit} {n}"), anchor_date="2010-06-15")
    lo, best, hi = resolved_start(case, "x")
    assert lo == best == hi == n * DAYS_PER_UNIT[unit]
    item = resolve_case(case).item("x")
    assert item is not None and item.start_date == date(2010, 6, 15) + timedelta(days=n * DAYS_PER_UNIT[unit])


units = st.sampled_from(["hour", "hours", "day", "days", "week", "weeks", "month", "months", "year", "years",
                         "d", "wk", "mo", "yr"])


@given(st.integers(min_value=0, max_value=500), units, st.integers(min_value=-400, max_value=400),
       st.sampled_from(["after", "before"]))
def test_offset_from_an_event_resolves_to_ref_plus_n_units(n: int, unit: str, ref_day: int, word: str) -> None:
    per = DAYS_PER_UNIT[{"d": "day", "wk": "week", "mo": "month", "yr": "year"}.get(unit, unit.rstrip("s"))]
    case = case_of(symptom("ref", f"day {ref_day}"), symptom("x", f"{n} {unit} {word} ref"),
                   anchor_date="2000-01-01")
    lo, best, hi = resolved_start(case, "x")
    expected = ref_day + (n if word == "after" else -n) * per
    assert best == pytest.approx(expected) and lo == pytest.approx(expected) and hi == pytest.approx(expected)


@given(st.integers(min_value=0, max_value=300), st.sampled_from(["days", "weeks", "months"]),
       st.sampled_from(["about", "approximately", "~", "around"]), st.integers(min_value=-100, max_value=100))
def test_approximate_widens_and_contains_the_exact_value(n: int, unit: str, word: str, ref_day: int) -> None:
    exact_case = case_of(symptom("ref", f"day {ref_day}"), symptom("x", f"{n} {unit} after ref"),
                         anchor_date="2000-01-01")
    approx_case = case_of(symptom("ref", f"day {ref_day}"), symptom("x", f"{word} {n} {unit} after ref"),
                          anchor_date="2000-01-01")
    e_lo, e_best, e_hi = resolved_start(exact_case, "x")
    a_lo, a_best, a_hi = resolved_start(approx_case, "x")
    assert a_lo < e_lo <= e_best <= e_hi < a_hi
    assert a_lo <= a_best <= a_hi
    assert a_best == pytest.approx(e_best)
    # Amounts widen the same way.
    exact, approx = parse_amount(f"{n} {unit}"), parse_amount(f"{word} {n} {unit}")
    assert approx.lo <= exact.lo <= exact.hi <= approx.hi and approx.hi > exact.hi


@given(dates, st.sampled_from(["about", "circa", "~"]))
def test_approximate_calendar_dates_widen(day: date, word: str) -> None:
    assume(date(1801, 1, 1) <= day <= date(2199, 12, 1))
    exact_case = case_of(symptom("x", day.isoformat()), anchor_date="2000-01-01")
    approx_case = case_of(symptom("x", f"{word} {day.isoformat()}"), anchor_date="2000-01-01")
    e = resolved_start(exact_case, "x")
    a = resolved_start(approx_case, "x")
    assert a[0] < e[0] <= e[2] < a[2]


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_parse_time_raises_only_time_syntax_errors(text: str) -> None:
    try:
        expr = parse_time(text)
    except TimeSyntaxError as exc:
        assert exc.message
        return
    assert expr.text == " ".join(text.replace("\u2212", "-").split())


_pieces = st.sampled_from(["day", "week", "about", "after", "before", "between", "and", "to", "±", "ifx",
                           "ifx#3", "#", "dose", "of", "2", "-3", "2-3", "days", "weeks", "2013", "2010-02",
                           "February", "within", "unknown", "+", "-", ".end", "~", "1e9", "0.5", "mid"])


@settings(max_examples=500)
@given(st.lists(_pieces, max_size=7).map(" ".join))
def test_parse_time_on_grammar_like_text(text: str) -> None:
    with contextlib.suppress(TimeSyntaxError):
        parse_time(text)
