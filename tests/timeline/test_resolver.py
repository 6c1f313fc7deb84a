"""Resolution of cases to days from day 0: the infliximab sample, schedules, calendars, chains."""

from __future__ import annotations

import math
import textwrap
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseline.io.case_document import build_document
from caseline.io.located import load_yaml
from caseline.model import Category, Event, Kind, Precision, SourcePos
from caseline.model.case import Case
from caseline.model.time_expressions import parse_time
from caseline.timeline.load import load_file
from caseline.timeline.resolved import ItemRole, Known, ResolvedCase
from caseline.timeline.resolver import resolve_case

POS = SourcePos("t.caseline.yaml", 1, 1)


def resolve_yaml(body: str) -> ResolvedCase:
    """Build and resolve one case written as YAML (the events and case keys, indented freely)."""
    text = "caseline: 1\ncase:\n  id: t\n  title: T\n" + textwrap.indent(textwrap.dedent(body), "  ")
    root, problems = load_yaml("t.caseline.yaml", text)
    cases, _, diagnostics = build_document("t.caseline.yaml", root)
    errors = [d for d in problems + diagnostics if d.is_error]
    assert not errors, errors
    resolved = resolve_case(cases[0])
    assert not [d for d in resolved.diagnostics if d.is_error], resolved.diagnostics
    return resolved


def dose_days(resolved: ResolvedCase, event_id: str) -> list[float]:
    return [item.start.best for item in resolved.items_of(event_id)
            if item.role is ItemRole.DOSE and item.start is not None]


# --------------------------------------------------------------------------- the infliximab sample

@pytest.fixture(scope="module")
def infliximab() -> ResolvedCase:
    path = Path(__file__).resolve().parents[2] / "sample_cases" / "infliximab-pyoderma.caseline.yaml"
    result = load_file(path)
    assert result.ok, result.diagnostics
    assert not result.diagnostics
    (case,) = result.cases
    return case


def test_infliximab_doses(infliximab: ResolvedCase) -> None:
    assert dose_days(infliximab, "ifx") == [0, 14, 42]
    assert infliximab.anchor_description == "first infliximab dose"
    assert infliximab.anchor_date is None  # the report gives no calendar date for day 0


def test_infliximab_weakness_two_weeks_after_third_dose(infliximab: ResolvedCase) -> None:
    weakness = infliximab.item("weakness")
    assert weakness is not None and weakness.start is not None
    assert (weakness.start.lo, weakness.start.best, weakness.start.hi) == (56, 56, 56)
    assert weakness.precision is Precision.DAY
    assert weakness.stated == "two weeks after the third dose"
    assert weakness.end is None and weakness.open_end


def test_infliximab_stop_and_ivig_after_it(infliximab: ResolvedCase) -> None:
    stop = infliximab.item("ifx-stop")
    course = infliximab.item("ifx")
    assert stop is not None and stop.start is not None
    assert stop.start.lo == 56 and math.isinf(stop.start.hi)  # "after weakness": gap not stated
    assert stop.category is Category.SUSPECT and stop.lane == "Infliximab"
    # The dechallenge ends the course; it came "after weakness", so the end is ordered only and
    # its best estimate is placed after day 56, not on it (formerly day 56: instant stop).
    assert course is not None and course.end is not None and course.end == stop.start
    assert course.end_known is Known.ORDERED and course.end_placed and course.end.best > 56
    ivig = [item for item in infliximab.items_of("ivig") if item.role is ItemRole.DOSE]
    assert len(ivig) == 10
    assert all(item.start is not None and item.start.lo >= stop.start.lo for item in ivig)
    assert [item.cycle for item in ivig] == [1] * 5 + [2] * 5
    assert [item.start.lo for item in ivig[:5] if item.start] == [56, 57, 58, 59, 60]
    first = ivig[0].start
    assert first is not None and first.best > stop.start.best  # IVIG after the stop, visibly
    assert [item.start.best - first.best for item in ivig[:5] if item.start] == pytest.approx([0, 1, 2, 3, 4])
    second = ivig[5].start
    assert second is not None and second.lo > ivig[4].start.lo and math.isinf(second.hi)  # type: ignore[union-attr]


def test_infliximab_history_before_day_0(infliximab: ResolvedCase) -> None:
    hbo = infliximab.item("hbo")
    csa = infliximab.item("csa")
    assert hbo is not None and hbo.end is not None and hbo.start is not None
    assert hbo.end.hi == 0 and math.isinf(hbo.end.lo)  # "before ifx#1"
    assert hbo.end.best - hbo.start.best == pytest.approx(2 * 30.4375)
    assert csa is not None and csa.end is not None and csa.end.best <= hbo.start.best


def test_infliximab_unknown_time_is_undated(infliximab: ResolvedCase) -> None:
    last = infliximab.item("last-fu")
    assert last is not None and last.start is None and last.precision is Precision.UNKNOWN
    assert last.known is Known.UNKNOWN
    mtx = infliximab.item("mtx")  # its end is not reported: no time, an open end
    assert mtx is not None and mtx.end is None and mtx.open_end and mtx.end_known is Known.UNKNOWN


def test_unknown_time_is_undated() -> None:
    r = resolve_yaml("""
        suspect: {drug: d}
        events:
          - {id: d, kind: drug, drug: x, start: day 0}
          - {id: fu, kind: milestone, type: last-follow-up, at: unknown}
          - {id: later, kind: milestone, type: outcome, at: 2 weeks after fu}
    """)
    for item_id in ("fu", "later"):  # and what is stated only relative to it
        item = r.item(item_id)
        assert item is not None and item.start is None and item.precision is Precision.UNKNOWN
        assert item.known is Known.UNKNOWN


# --------------------------------------------------------------------------- schedules

def test_at_list() -> None:
    r = resolve_yaml("""
        suspect: {drug: d}
        events:
          - {id: d, kind: drug, drug: x, schedule: {at: [week 0, week 2, week 6, day 70]}}
    """)
    assert dose_days(r, "d") == [0, 14, 42, 70]
    assert [i.index for i in r.items_of("d") if i.role is ItemRole.DOSE] == [1, 2, 3, 4]
    course = r.item("d")
    assert course is not None and course.start is not None and course.end is not None
    assert (course.start.best, course.end.best) == (0, 70)


def test_every_with_count() -> None:
    r = resolve_yaml("""
        suspect: {drug: d}
        events:
          - {id: d, kind: drug, drug: x, start: day 0, schedule: {every: 8 weeks, count: 4}}
    """)
    assert dose_days(r, "d") == [0, 56, 112, 168]


def test_every_with_until() -> None:
    r = resolve_yaml("""
        anchor: day 0
        events:
          - {id: d, kind: drug, drug: x, start: day 3, schedule: {every: 2 weeks, until: day 45}}
    """)
    assert dose_days(r, "d") == [3, 17, 31, 45]


def test_weekly_times_13() -> None:
    r = resolve_yaml("""
        suspect: {drug: mtx}
        events:
          - {id: mtx, kind: drug, drug: methotrexate, start: day 0, schedule: {every: 1 week, count: 13},
             frequency: weekly x 13}
    """)
    assert dose_days(r, "mtx") == [7.0 * k for k in range(13)]
    last = r.item("mtx#13")
    assert last is not None and last.start is not None and last.start.best == 84


def test_cycles_with_length_and_days() -> None:
    r = resolve_yaml("""
        suspect: {drug: btz}
        events:
          - id: btz
            kind: drug
            drug: bortezomib
            start: day 0
            schedule: {cycles: {count: 4, length: 21 days, days: [1, 4, 8, 11]}}
    """)
    expected = [21.0 * c + d - 1 for c in range(4) for d in (1, 4, 8, 11)]
    assert len(expected) == 16
    assert dose_days(r, "btz") == expected
    doses = [i for i in r.items_of("btz") if i.role is ItemRole.DOSE]
    assert [i.cycle for i in doses] == [c for c in range(1, 5) for _ in range(4)]
    assert all(i.precision is Precision.DAY for i in doses)


def test_cycles_without_length_bound_the_later_cycles() -> None:
    r = resolve_yaml("""
        suspect: {drug: c}
        events:
          - {id: c, kind: drug, drug: x, start: day 0, schedule: {cycles: {count: 3, days: 1-5}}}
    """)
    doses = [i for i in r.items_of("c") if i.role is ItemRole.DOSE]
    assert len(doses) == 15
    first = [i.start for i in doses[:5]]
    assert [s.best for s in first if s] == [0, 1, 2, 3, 4]
    for previous, later in zip(doses[4::5], doses[5::5], strict=False):
        assert later.start is not None and previous.start is not None
        assert later.start.lo > previous.start.lo  # after the previous cycle
        assert math.isinf(later.start.hi)  # but how long after is not stated
        assert later.precision is Precision.BOUNDED


def test_dose_references_follow_the_schedule() -> None:
    r = resolve_yaml("""
        suspect: {drug: d}
        events:
          - {id: d, kind: drug, drug: x, schedule: {at: [week 0, week 2, week 6]}}
          - {id: s, kind: symptom, label: S, start: 3 days after d#last}
          - {id: t, kind: symptom, label: T, start: 1 day after dose 2 of d}
    """)
    assert r.item("s").start.best == 45  # type: ignore[union-attr]
    assert r.item("t").start.best == 15  # type: ignore[union-attr]


# --------------------------------------------------------------------------- calendars and day 0

def test_calendar_pinning_with_a_month_anchor() -> None:
    r = resolve_yaml("""
        suspect: {drug: d}
        events:
          - {id: d, kind: drug, drug: x, start: November 2009}
          - {id: s, kind: symptom, label: S, start: February 2010}
    """)
    assert r.anchor_date == date(2009, 11, 15) or r.anchor_date == date(2009, 11, 16)
    assert r.anchor_date_precision is Precision.MONTH
    s = r.item("s")
    assert s is not None and s.start is not None
    # February 2010 is 63 (Feb 1 - Nov 30) to 119 (Feb 28 - Nov 1) days after a day 0 in November.
    assert (s.start.lo, s.start.hi) == (63, 119)
    assert s.start.best == pytest.approx(91)  # Feb 14.5 - Nov 15.5
    assert s.precision is Precision.MONTH
    assert s.start_date is not None and (s.start_date.year, s.start_date.month) == (2010, 2)


def test_anchor_date_pins_day_0() -> None:
    r = resolve_yaml("""
        anchor_date: 2014-03-02
        suspect: {drug: d}
        events:
          - {id: d, kind: drug, drug: x, start: 2014-03-02, end: 2014-03-30}
          - {id: s, kind: symptom, label: S, start: 2014-03-12}
          - {id: e, kind: investigation, test: CRP, at: 1 week after s}
    """)
    assert r.anchor_date == date(2014, 3, 2)
    s, e, d = r.item("s"), r.item("e"), r.item("d")
    assert s is not None and s.start is not None and s.start.best == 10 and s.start_date == date(2014, 3, 12)
    assert e is not None and e.start is not None and e.start.best == 17 and e.start_date == date(2014, 3, 19)
    assert d is not None and d.end is not None and d.end.best == 28 and d.end_date == date(2014, 3, 30)


def test_undated_case_cannot_place_calendar_dates() -> None:
    text = ("caseline: 1\ncase:\n  id: t\n  title: T\n  anchor: day 0\n  events:\n"
            "    - {id: s, kind: symptom, label: S, start: week 1}\n"
            "    - {id: c, kind: symptom, label: C, start: 2013}\n")
    root, _ = load_yaml("t.caseline.yaml", text)
    cases, _, _ = build_document("t.caseline.yaml", root)
    resolved = resolve_case(cases[0])
    assert [d.message for d in resolved.diagnostics if not d.is_error]
    assert not [d for d in resolved.diagnostics if d.is_error]
    c = resolved.item("c")
    assert c is not None and c.start is None


def test_dechallenge_ends_the_course() -> None:
    r = resolve_yaml("""
        suspect: {drug: d}
        events:
          - {id: d, kind: drug, drug: x, start: day 0}
          - {id: stop, kind: dechallenge, target: d, at: day 30}
          - {id: again, kind: rechallenge, target: d, at: day 60}
    """)
    course = r.item("d")
    assert course is not None and course.end is not None and course.end.best == 30
    assert not course.open_end
    stop = r.item("stop")
    assert stop is not None and stop.lane == "X" and stop.category is Category.SUSPECT


def test_drug_without_stop_is_open_ended() -> None:
    r = resolve_yaml("""
        suspect: {drug: d}
        events:
          - {id: d, kind: drug, drug: x, start: day 0, ongoing: true}
    """)
    course = r.item("d")
    assert course is not None and course.end is None and course.open_end


def test_anchor_shift_makes_the_anchor_day_0() -> None:
    r = resolve_yaml("""
        anchor: d
        events:
          - {id: d, kind: drug, drug: x, start: day 10}
          - {id: s, kind: symptom, label: S, start: day 15}
    """)
    assert r.item("d").start.best == 0  # type: ignore[union-attr]
    assert r.item("s").start.best == 5  # type: ignore[union-attr]


# --------------------------------------------------------------------------- chains

def _chain(offsets: list[int], unit: str = "days") -> Case:
    events = [Event(id="e0", kind=Kind.SYMPTOM, label="e0", lane="e0", category=Category.SYMPTOM, pos=POS,
                    start=parse_time("day 0"))]
    for k, offset in enumerate(offsets, start=1):
        word = "after" if offset >= 0 else "before"
        events.append(Event(id=f"e{k}", kind=Kind.SYMPTOM, label=f"e{k}", lane=f"e{k}",
                            category=Category.SYMPTOM, pos=POS,
                            start=parse_time(f"{abs(offset)} {unit} {word} e{k - 1}")))
    return Case(id="chain", title="chain", pos=POS, events=tuple(events), anchor=parse_time("e0"))


@given(st.lists(st.integers(min_value=-1000, max_value=1000), min_size=1, max_size=40), st.randoms())
def test_chains_of_relative_events_sum_their_offsets(offsets: list[int], rng: object) -> None:
    case = _chain(offsets)
    # The file order must not matter: shuffle the events.
    events = list(case.events)
    rng.shuffle(events)  # type: ignore[attr-defined]
    case = Case(id=case.id, title=case.title, pos=case.pos, events=tuple(events), anchor=case.anchor)
    resolved = resolve_case(case)
    assert not resolved.diagnostics
    total = 0
    for k, offset in enumerate(offsets, start=1):
        total += offset
        item = resolved.item(f"e{k}")
        assert item is not None and item.start is not None
        assert item.start.best == item.start.lo == item.start.hi == total


@settings(max_examples=200)
@given(st.lists(st.tuples(st.integers(0, 12), st.sampled_from(["after", "before"]),
                          st.sampled_from(["", ".end", "#1", "#last"]), st.integers(0, 12)), max_size=12))
def test_resolution_never_raises(links: list[tuple[int, str, str, int]]) -> None:
    """Random references between events, including missing ones and cycles: diagnostics, no exception."""
    events = []
    for k, (target, word, part, amount) in enumerate(links):
        events.append(Event(id=f"e{k}", kind=Kind.DRUG if k % 2 else Kind.SYMPTOM, label=f"e{k}",
                            lane=f"e{k}", category=Category.DRUG if k % 2 else Category.SYMPTOM, pos=POS,
                            start=parse_time(f"{amount} days {word} e{target}{part}")))
    case = Case(id="r", title="r", pos=POS, events=tuple(events), anchor=parse_time("e0") if events else None)
    resolved = resolve_case(case)
    assert len({i.event_id for i in resolved.items}) == len(events)


def test_long_chain_does_not_exhaust_the_stack() -> None:
    resolved = resolve_case(_chain([1] * 5000))
    assert not resolved.diagnostics
    assert resolved.item("e5000").start.best == 5000  # type: ignore[union-attr]


def test_circular_references_are_reported_once() -> None:
    case = Case(id="c", title="c", pos=POS, events=(
        Event(id="a", kind=Kind.SYMPTOM, label="a", lane="a", category=Category.SYMPTOM, pos=POS,
              start=parse_time("2 days after b")),
        Event(id="b", kind=Kind.SYMPTOM, label="b", lane="b", category=Category.SYMPTOM, pos=POS,
              start=parse_time("3 days after a")),
    ), anchor_date=parse_time("2020-01-01"))
    resolved = resolve_case(case)
    errors = [d for d in resolved.diagnostics if d.is_error]
    assert len(errors) == 1 and "circular" in errors[0].message


def test_long_chain_through_a_stopped_drug() -> None:
    """A drug ended by a stop timed from the end of a long chain that starts at the drug."""
    chain = _chain([1] * 3000)
    drug = Event(id="d", kind=Kind.DRUG, label="d", lane="d", category=Category.SUSPECT, pos=POS,
                 start=parse_time("day 0"), drug="x")
    stop = Event(id="stop", kind=Kind.DECHALLENGE, label="stop", lane="d", category=Category.SUSPECT, pos=POS,
                 start=parse_time("after e3000"), target="d")
    first = Event(id="e0", kind=Kind.SYMPTOM, label="e0", lane="e0", category=Category.SYMPTOM, pos=POS,
                  start=parse_time("d.start"))
    case = Case(id="c", title="c", pos=POS, events=(drug, stop, first, *chain.events[1:]),
                anchor=parse_time("d"))
    resolved = resolve_case(case)
    assert not resolved.diagnostics
    course = resolved.item("d")
    assert course is not None and course.end is not None and course.end.lo == 3000
    assert resolved.item("e3000").start.best == 3000  # type: ignore[union-attr]


def test_items_of_an_event_follow_the_case_they_are_asked_of() -> None:
    """items_of is indexed once per case (a comparison asks for landmarks of every case on each switch); a case
    made from another (dataclasses.replace: a teaching step, de-identification) indexes its own items."""
    import dataclasses

    from caseline.analysis.deidentify import deidentify_case
    from caseline.timeline.load import load_file
    from support import INFLIXIMAB

    case = load_file(INFLIXIMAB).cases[0]
    for event in case.case.events:
        assert case.items_of(event.id) == [i for i in case.items if i.event_id == event.id]
    assert case.items_of("no-such-event") == []
    fewer = dataclasses.replace(case, items=tuple(i for i in case.items if i.event_id != "weakness"))
    assert case.items_of("weakness") and fewer.items_of("weakness") == []
    hidden = deidentify_case(case)
    assert [i.label for i in hidden.items_of("weakness")] == [i.label for i in hidden.items if i.event_id == "weakness"]
