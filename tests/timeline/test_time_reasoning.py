"""Issue 12: time that tells the truth. Each reproduction of the issue, on a real case file.

Every test here failed on the interval-arithmetic resolver (collapsed order, daily ticks,
cycles running backwards, best outside its bounds, encodings that disagree, phrases refused).
"""

from __future__ import annotations

import itertools
import math
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseline.analysis.tables import timeline_table
from caseline.timeline.load import LoadResult, load_file
from caseline.timeline.resolved import ItemRole, Known, ResolvedCase


def load(tmp_path: Path, body: str, name: str = "t.caseline.yaml") -> LoadResult:
    text = "caseline: 1\ncase:\n  id: t\n  title: T\n" + textwrap.indent(textwrap.dedent(body), "  ")
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_file(path)


def resolved(tmp_path: Path, body: str) -> ResolvedCase:
    result = load(tmp_path, body)
    assert result.ok and not result.diagnostics, [str(d) for d in result.diagnostics]
    (case,) = result.cases
    return case


def start(case: ResolvedCase, item_id: str) -> tuple[float, float, float]:
    item = case.item(item_id)
    assert item is not None and item.start is not None, item_id
    return item.start.lo, item.start.best, item.start.hi


def doses(case: ResolvedCase, event_id: str) -> list:
    return [i for i in case.items_of(event_id) if i.role is ItemRole.DOSE]


# --------------------------------------------------------------------------- order without dates

CHAIN = """
    suspect: {drug: ifx, reaction_event: weakness}
    events:
      - {id: ifx, kind: drug, drug: infliximab, start: day 0, end: day 42}
      - {id: weakness, kind: symptom, label: Weakness, start: 2 weeks after ifx.end}
      - {id: ivig, kind: therapy, drug: IVIG, start: after weakness, duration: 5 days}
      - {id: no-response, kind: milestone, type: outcome, label: No response, at: after ivig.end}
      - {id: plex, kind: therapy, label: Plasma exchange, start: then}
      - {id: ivig-again, kind: therapy, drug: IVIG, start: then}
      - {id: better, kind: milestone, type: outcome, label: Improved, at: then}
"""


def test_order_without_dates_keeps_its_order_with_visible_spacing(tmp_path: Path) -> None:
    case = resolved(tmp_path, CHAIN)
    chain = ["ivig", "no-response", "plex", "ivig-again", "better"]
    bests = [start(case, i)[1] for i in chain]
    assert bests == sorted(bests) and len(set(bests)) == len(bests), bests
    assert bests[0] > 56  # IVIG after the weakness, not on its day (formerly: all on day 56)
    for item_id in chain:
        item = case.item(item_id)
        assert item is not None and item.known is Known.ORDERED and item.placed
        assert item.start is not None and item.start.lo >= 56 and math.isinf(item.start.hi)
    assert start(case, "better")[0] == 61  # the 5 days of IVIG are stated: known to be after day 61


def test_table_does_not_print_order_as_days(tmp_path: Path) -> None:
    frame = timeline_table([resolved(tmp_path, CHAIN)]).set_index("item_id")
    assert frame.loc["weakness", "start_day"] == 56 and frame.loc["weakness", "start_known"] == "exact"
    for item_id in ("ivig", "plex", "better"):
        row = frame.loc[item_id]
        assert row["start_known"] == "ordered" and row["start_day"] is frame["start_day"].dtype.na_value
        assert row["start_day_min"] == 56 or row["start_day_min"] == 61
    assert frame.loc["ivig", "end_known"] == "ordered"


def test_latency_from_an_uncertain_time_is_not_double_counted(tmp_path: Path) -> None:
    case = resolved(tmp_path, CHAIN)
    ivig, better = case.item("ivig"), case.item("better")
    assert ivig is not None and better is not None
    between = case.between(better, ivig, earlier_end=True)
    assert between is not None and between.lo == 0 and math.isinf(between.hi)  # ordered: >= 0 days
    stated = case.between(ivig, ivig, later_end=True)
    assert stated is not None and (stated.lo, stated.hi) == (5, 5)  # the duration, exactly


# --------------------------------------------------------------------------- repeats

def test_cycles_without_a_length_are_ordered_not_daily(tmp_path: Path) -> None:
    case = resolved(tmp_path, """
        suspect: {drug: d, reaction_event: onset}
        events:
          - {id: d, kind: drug, drug: x, start: day 0, schedule: {cycles: {count: 3, length: unknown}}}
          - {id: onset, kind: symptom, label: S, start: after d#3}
    """)
    third = start(case, "d#3")
    assert third[0] == 2 and math.isinf(third[2]) and third[1] > 2  # not "day 2": only "after"
    bests = [i.start.best for i in doses(case, "d")]
    assert bests == sorted(bests) and len(set(bests)) == 3
    assert start(case, "onset")[1] > third[1]


def test_sessions_with_unstated_spacing_are_an_ordered_group(tmp_path: Path) -> None:
    case = resolved(tmp_path, """
        suspect: {drug: d}
        events:
          - {id: d, kind: drug, drug: x, start: day 0, end: day 30}
          - id: plex
            kind: therapy
            label: Plasma exchange, 10 sessions
            schedule: {every: unknown, count: 10, start: after d.end}
    """)
    sessions = doses(case, "plex")
    assert len(sessions) == 10
    # every session is only known to follow day 30 and the one before it: no daily ticks
    assert {s.start.lo for s in sessions} == {30} and all(math.isinf(s.start.hi) for s in sessions)
    assert all(s.known is Known.ORDERED for s in sessions)
    bests = [s.start.best for s in sessions]
    assert all(b > a for a, b in itertools.pairwise(bests))


def test_repeat_with_an_unknown_count(tmp_path: Path) -> None:
    case = resolved(tmp_path, """
        suspect: {drug: d, reaction_event: s}
        events:
          - {id: d, kind: drug, drug: x, start: day 0, schedule: {every: 8 weeks, count: unknown}}
          - {id: s, kind: symptom, label: S, start: 2 weeks after d#3}
    """)
    assert start(case, "d#3") == (112, 112, 112)  # the third infusion is stated, so it existed
    assert start(case, "s") == (126, 126, 126)
    course = case.item("d")
    assert course is not None and course.end is None and course.open_end  # end not stated
    result = load(tmp_path, """
        suspect: {drug: d}
        events:
          - {id: d, kind: drug, drug: x, start: day 0, schedule: {every: 8 weeks, until: unknown}}
          - {id: s, kind: symptom, label: S, start: after d#last}
    """)
    assert [d.message for d in result.errors] == [
        "d#last asks for the last administration, but the number of administrations of 'd' is not stated"]


def test_cycles_after_an_uncertain_event_never_run_backwards(tmp_path: Path) -> None:
    case = resolved(tmp_path, """
        suspect: {drug: d}
        events:
          - {id: d, kind: drug, drug: x, start: late 2018}
          - {id: adm, kind: milestone, type: admission, at: 3 weeks after d}
          - {id: th, kind: therapy, drug: y, schedule: {cycles: {count: 3, start: after adm}}}
    """)
    assert start(case, "adm") == (21, 21, 21)
    lows = [i.start.lo for i in doses(case, "th")]
    bests = [i.start.best for i in doses(case, "th")]
    assert lows == [21, 22, 23]  # formerly 21, -38.5, -37.5
    assert bests == sorted(bests) and bests[0] >= 21


def test_schedules_have_hard_limits(tmp_path: Path) -> None:
    result = load(tmp_path, """
        suspect: {drug: d}
        events:
          - {id: d, kind: drug, drug: x, schedule: {cycles: {count: 2, days: 1-10000000, start: day 0}}}
    """)
    assert not result.ok and "10,000" in str(result.errors[0]) and "'days' 1-10000000" in str(result.errors[0])
    result = load(tmp_path, """
        suspect: {drug: d}
        events:
          - {id: d, kind: drug, drug: x, schedule: {every: 1 hour, until: day 1000, start: day 0}}
    """)
    assert not result.ok and "more than 10,000 administrations" in str(result.errors[0])
    result = load(tmp_path, """
        suspect: {drug: d}
        events:
          - {id: d, kind: drug, drug: x, schedule: {cycles: {count: 400, days: 1-30, start: day 0}}}
    """)
    assert not result.ok and "more than 10,000" in str(result.errors[0])


# --------------------------------------------------------------------------- spans and anchors

def test_between_a_year_and_an_event_keeps_best_inside(tmp_path: Path) -> None:
    case = resolved(tmp_path, """
        anchor: tx
        events:
          - {id: tx, kind: milestone, type: other, label: Transplant, at: 17 March 2011}
          - {id: x, kind: milestone, type: other, label: X, at: between 2011 and tx}
    """)
    lo, best, hi = start(case, "x")
    assert (lo, hi) == (-75, 0) and lo <= best <= hi  # formerly best above day 0


def test_two_encodings_of_a_partial_anchor_date_agree(tmp_path: Path) -> None:
    on_the_drug = resolved(tmp_path, """
        suspect: {drug: d, reaction_event: s}
        events:
          - {id: d, kind: drug, drug: x, start: late 2018}
          - {id: s, kind: symptom, label: S, start: 2 weeks after d}
    """)
    as_anchor_date = resolved(tmp_path, """
        suspect: {drug: d, reaction_event: s}
        anchor_date: late 2018
        events:
          - {id: d, kind: drug, drug: x, start: day 0}
          - {id: s, kind: symptom, label: S, start: 2 weeks after d}
    """)
    for case in (on_the_drug, as_anchor_date):
        assert start(case, "s") == (14, 14, 14)  # formerly -46.5 ... 74.5 in the first encoding
        s, d = case.item("s"), case.item("d")
        assert s is not None and d is not None and case.between(s, d) is not None
        assert (case.between(s, d).lo, case.between(s, d).hi) == (14, 14)  # type: ignore[union-attr]
        assert case.anchor_calendar is not None and case.anchor_date is not None
        frame = timeline_table([case]).set_index("item_id")
        # day 0 is known only to September-December 2018: never printed as a calendar day
        assert frame.loc["d", "start_date"] == "2018-09-01/2018-12-31"
        assert frame.loc["s", "start_date"] == "2018-09-15/2019-01-14"
    assert on_the_drug.anchor_calendar == as_anchor_date.anchor_calendar


def test_table_prints_calendar_dates_at_their_precision(tmp_path: Path) -> None:
    case = resolved(tmp_path, """
        suspect: {drug: d}
        anchor_date: 2014-03-02
        events:
          - {id: d, kind: drug, drug: x, start: 2014-03-02}
          - {id: a, kind: milestone, type: other, label: A, at: March 2014}
          - {id: b, kind: milestone, type: other, label: B, at: at least 3 months after d}
          - {id: c, kind: milestone, type: other, label: C, at: 2014}
          - {id: e, kind: milestone, type: other, label: E, at: before d}
    """)
    frame = timeline_table([case]).set_index("item_id")
    assert list(frame.loc[["d", "a", "c"], "start_date"]) == ["2014-03-02", "2014-03", "2014"]
    assert frame.loc["b", "start_date"] == "2014-06-01/.." and frame.loc["b", "start_known"] == "bounded"
    assert frame.loc["e", "start_date"] == "../2014-03-02" and frame.loc["e", "start_known"] == "ordered"
    assert frame.loc["b", "start_day"] is frame["start_day"].dtype.na_value


# --------------------------------------------------------------------------- the phrases papers use

PHRASES = [
    # (time of x, with y on day 10 and z on day 20, day 0 dated 2014-01-02 at 08:00), lo, hi, known, vague
    ("at least 3 months after y", 10 + 91.3125, math.inf, Known.BOUNDED, False),
    ("more than 2 weeks after y", 24, math.inf, Known.BOUNDED, False),
    ("3 months after y or later", 10 + 91.3125, math.inf, Known.BOUNDED, False),
    ("at most 3 days after y", 10, 13, Known.BOUNDED, False),
    ("no later than y", -math.inf, 10, Known.ORDERED, False),
    ("after y and z", 20, math.inf, Known.ORDERED, False),
    ("before z and after y", 10, 20, Known.ORDERED, False),
    ("shortly after y", 10, 17, Known.SPAN, True),
    ("around y", 9, 11, Known.SPAN, True),
    ("approximately 2 weeks after y", 21.2, 26.8, Known.SPAN, True),
    ("several weeks after y", 10 + 21, 10 + 49, Known.SPAN, True),
    ("a few days later", 22, 24, Known.SPAN, True),  # after z, the event before x in the file
    ("2 weeks later", 34, 34, Known.EXACT, False),
    ("then", 20, math.inf, Known.ORDERED, False),
    ("P2W after y", 24, 24, Known.EXACT, False),
    ("2014-01-02T11:45", 0.15625, 0.15625, Known.EXACT, False),
    ("30 minutes after y", 10 + 1 / 48, 10 + 1 / 48, Known.EXACT, False),
]


@pytest.mark.parametrize(("phrase", "lo", "hi", "known", "vague"), PHRASES, ids=[p[0] for p in PHRASES])
def test_phrase(tmp_path: Path, phrase: str, lo: float, hi: float, known: Known, vague: bool) -> None:
    case = resolved(tmp_path, f"""
        anchor: d
        anchor_date: 2014-01-02T08:00
        events:
          - {{id: d, kind: drug, drug: x, start: day 0}}
          - {{id: y, kind: milestone, type: other, label: Y, at: day 10}}
          - {{id: z, kind: milestone, type: other, label: Z, at: day 20}}
          - {{id: x, kind: milestone, type: other, label: X, at: "{phrase}"}}
    """)
    item = case.item("x")
    assert item is not None and item.start is not None
    assert (item.start.lo, item.start.hi) == (pytest.approx(lo), pytest.approx(hi))
    assert item.start.lo <= item.start.best <= item.start.hi
    assert item.known is known and item.vague is vague


def test_minutes_are_not_rounded_to_days(tmp_path: Path) -> None:
    case = resolved(tmp_path, """
        suspect: {drug: ifx, reaction_event: reaction}
        anchor_date: 2014-01-02T11:45
        events:
          - {id: ifx, kind: drug, drug: infliximab, start: 2014-01-02T11:45, duration: 2 hours}
          - {id: reaction, kind: symptom, label: Urticaria, start: 30 minutes after ifx, duration: 90 min}
    """)
    frame = timeline_table([case]).set_index("item_id")
    assert frame.loc["reaction", "start_day"] == 0.021 and frame.loc["reaction", "end_day"] == 0.083
    assert frame.loc["reaction", "start_date"] == "2014-01-02T12:15"
    assert frame.loc["reaction", "start_known"] == "exact"


def test_a_comma_in_a_flow_mapping_gets_a_hint_to_quote(tmp_path: Path) -> None:
    result = load(tmp_path, """
        suspect: {drug: d}
        events:
          - {id: d, kind: drug, drug: x, start: day 0}
          - {id: w, kind: symptom, label: W, start: day 3, course: [{at: after d, then ivig, state: improvement}]}
    """)
    (error,) = result.errors
    assert "unknown field 'then ivig'" in error.message and "quotes" in error.hint


# --------------------------------------------------------------------------- contradictions

def test_contradictions_name_every_statement_and_never_raise(tmp_path: Path) -> None:
    result = load(tmp_path, """
        suspect: {drug: d}
        events:
          - {id: d, kind: drug, drug: x, start: day 0}
          - {id: a, kind: milestone, type: other, label: A, at: at least 2 weeks after d}
          - {id: b, kind: milestone, type: other, label: B, at: within 3 days after d}
          - {id: c, kind: milestone, type: other, label: C, at: before b and after a}
    """)
    (error,) = result.errors
    path = tmp_path / "t.caseline.yaml"
    # lines 9-11 (the body starts on line 6, after a blank line)
    assert f"{path}:9:" in str(error) and f"{path}:10:" in str(error) and f"{path}:11:" in str(error)
    assert "contradict" in error.message and error.hint


def test_an_anchor_date_that_contradicts_the_anchor_event(tmp_path: Path) -> None:
    result = load(tmp_path, """
        suspect: {drug: d}
        anchor_date: 2014-03-02
        events:
          - {id: d, kind: drug, drug: x, start: April 2014}
    """)
    (error,) = result.errors
    assert "'April 2014'" in error.message and "'2014-03-02'" in error.message


def test_ongoing_and_end_not_stated_are_told_apart(tmp_path: Path) -> None:
    case = resolved(tmp_path, """
        suspect: {drug: d}
        events:
          - {id: d, kind: drug, drug: x, start: day 0, ongoing: true}
          - {id: m, kind: drug, drug: y, start: day 3}
    """)
    d, m = case.item("d"), case.item("m")
    assert d is not None and m is not None
    assert d.open_end and d.ongoing and d.end is None
    assert m.open_end and not m.ongoing and m.end is None


# --------------------------------------------------------------------------- properties, on real files

# phrase template -> bounds of (this time - the time it names), days
RELATIONS = [
    ("{n} days after {ref}", lambda n: (n, n)),
    ("{n} days before {ref}", lambda n: (-n, -n)),
    ("after {ref}", lambda n: (0, math.inf)),
    ("before {ref}", lambda n: (-math.inf, 0)),
    ("at least {n} days after {ref}", lambda n: (n, math.inf)),
    ("within {n} days after {ref}", lambda n: (0, n)),
    ("{n}-{m} days after {ref}", lambda n: (n, n + 3)),
    ("no later than {ref}", lambda n: (-math.inf, 0)),
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, len(RELATIONS) - 1), st.integers(0, 30), st.integers(0, 10),
                          st.integers(0, len(RELATIONS) - 1), st.integers(0, 10), st.booleans()),
                min_size=1, max_size=8))
def test_random_statements_are_solved_or_reported(tmp_path: Path, links: list) -> None:
    """Random statements between events: either every best estimate satisfies every statement
    (and lies within its bounds, order kept), or the file reports a contradiction; never a crash."""
    lines = ["suspect: {drug: e0}", "events:", "  - {id: e0, kind: drug, drug: x, start: day 0}"]
    stated: list[tuple[str, str, float, float]] = []
    for k, (rel, n, ref, rel2, ref2, two) in enumerate(links, start=1):
        chosen = [(rel, ref % k), (rel2, ref2 % k)][: 2 if two else 1]
        parts = [RELATIONS[r][0].format(n=n, m=n + 3, ref=f"e{target}") for r, target in chosen]
        if not all(p.split()[0] in ("after", "before") for p in parts):
            chosen, parts = chosen[:1], parts[:1]  # "and" joins only limits without a distance
        for r, target in chosen:
            stated.append((f"e{k}", f"e{target}", *RELATIONS[r][1](n)))
        lines.append(f"  - {{id: e{k}, kind: milestone, type: other, label: E{k}, at: \"{' and '.join(parts)}\"}}")
    result = load(tmp_path, "\n".join(lines) + "\n")
    if not result.ok:
        assert all("contradict" in d.message or "circular" in d.message for d in result.errors), result.errors
        return
    (case,) = result.cases
    for item in case.items:
        assert item.start is not None and item.start.lo <= item.start.best <= item.start.hi
    for later, earlier, lo, hi in stated:
        a, b = case.item(later), case.item(earlier)
        assert a is not None and b is not None and a.start is not None and b.start is not None
        gap = a.start.best - b.start.best
        assert lo - 1e-6 <= gap <= hi + 1e-6, (later, earlier, lo, hi, gap)
