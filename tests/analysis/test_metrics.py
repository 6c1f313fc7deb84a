"""Comparison metrics of the sample case set: latency, dechallenge, rescue response, sort, table."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest

from caseline.analysis.metrics import (
    TABLE_COLUMNS,
    case_metrics,
    comparison_table,
    format_duration,
    interval_text,
    sort_cases,
)
from caseline.timeline.load import load_cases
from caseline.timeline.resolved import Interval
from support import BORTEZOMIB, INFLIXIMAB, LATENCY_ORDER

# latencies bounded on both sides first (56, then 63-119 best 91), then the lower bounds


@pytest.fixture(scope="module")
def cases():
    return load_cases(INFLIXIMAB) + load_cases(BORTEZOMIB)


def by_id(cases, case_id):
    return next(c for c in cases if c.id == case_id)


def test_infliximab_latency_is_56_days_exactly(cases):
    m = case_metrics(by_id(cases, "ifx-pg"))
    assert m.suspected_drug == "infliximab"
    assert (m.first_dose.lo, m.first_dose.best, m.first_dose.hi) == (0.0, 0.0, 0.0)
    assert (m.latency.lo, m.latency.best, m.latency.hi) == (56.0, 56.0, 56.0)
    assert format_duration(m.latency) == "56 days"


def test_infliximab_dechallenge_and_rescue(cases):
    m = case_metrics(by_id(cases, "ifx-pg"))
    # stopped at the neuropathy, IVIG started with it, improvement documented after IVIG
    assert m.dechallenge == "improved after rescue therapy (IVIG)"
    # hyperbaric oxygen was given for the skin before the reaction: not a rescue of it
    assert [r.therapy for r in m.rescues] == ["IVIG"]
    ivig = m.rescues[0]
    assert ivig.improvement is not None and ivig.improvement.item_id == "weakness@1"
    # "after ivig#last": the improvement is ordered after the last of ten daily infusions, so its
    # best estimate is placed after it (formerly on it: 9 days, read as a measured time)
    assert ivig.time_to_improvement.best > 9.0
    assert ivig.time_to_improvement.lo == 0.0 and math.isinf(ivig.time_to_improvement.hi)
    assert m.first_improvement.best == ivig.time_to_improvement.best
    assert m.date is None


def test_uncertain_latency_combines_both_ends(cases):
    m = case_metrics(by_id(cases, "bz-mm"))
    # first dose "November 2009" (+-14.5 days), onset "February 2010" (77.5-104.5)
    assert (m.latency.lo, m.latency.best, m.latency.hi) == (63.0, 91.0, 119.0)
    assert format_duration(m.latency) == "91 days (63-119)"
    assert m.dechallenge == "worsened"  # weakness kept increasing after the stop
    assert m.date is not None and m.date.year == 2009


def test_lower_bound_latency_and_cases_without_dechallenge(cases):
    xu = case_metrics(by_id(cases, "bz-xu"))
    # onset only "after" a time 15 days in: the best estimate is placed past the bound, not on it
    assert xu.latency.best > 15.0 and xu.latency.lo == 15.0 and math.isinf(xu.latency.hi)
    assert format_duration(xu.latency) == "≥15 days"
    assert xu.dechallenge == "no dechallenge recorded"
    saifee = case_metrics(by_id(cases, "bz-saifee"))
    assert saifee.rescues == () and saifee.first_improvement is None


def test_improvement_undone_before_a_therapy_does_not_count_for_it(cases):
    """Jeter-Kang: better after plasma exchange, worse again, prednisone, better within 1-2 days."""
    m = case_metrics(by_id(cases, "bz-jeter-kang"))
    responses = {r.therapy: r for r in m.rescues}
    assert responses["Plasma exchange"].improvement.item_id == "weakness@2"
    assert responses["Corticosteroids"].improvement.item_id == "weakness@4"
    # "within 1-2 days": a window of at most 2 days, its best estimate in the middle (was 0.75)
    assert responses["Corticosteroids"].time_to_improvement.best == pytest.approx(1.0)


def test_sort_cases(cases):
    assert [c.id for c in sort_cases(cases, "latency")] == LATENCY_ORDER
    assert [c.id for c in sort_cases(cases, "none")] == [c.id for c in cases]
    # only bz-mm is dated; the others keep their order after it
    assert [c.id for c in sort_cases(cases, "date")] == ["bz-mm"] + [c.id for c in cases if c.id != "bz-mm"]
    titles = [c.case.title.casefold() for c in sort_cases(cases, "title")]
    assert titles == sorted(titles)
    improvement = [c.id for c in sort_cases(cases, "improvement")]
    assert improvement[-1] == "bz-saifee"  # no rescue therapy: no value, goes last
    # Every time to improvement here is open above (improvement "after" a therapy) and bounded
    # below by 0: equal stated bounds keep their order (the old order came from best estimates
    # collapsed onto the therapy day, read as measurements).
    assert improvement[:-1] == [c.id for c in cases if c.id != "bz-saifee"]
    with pytest.raises(ValueError, match="unknown sort"):
        sort_cases(cases, "age")


def test_sort_is_stable_for_missing_values(cases):
    ifx = by_id(cases, "ifx-pg")
    saifee = by_id(cases, "bz-saifee")
    schmitt = by_id(cases, "bz-schmitt")
    # saifee has no improvement after a rescue: it goes last whatever order it came in; ifx-pg
    # and bz-schmitt are both only bounded below by 0 days, so they keep their order
    assert [c.id for c in sort_cases([saifee, ifx, schmitt], "improvement")] == ["ifx-pg", "bz-schmitt",
                                                                                  "bz-saifee"]
    assert [c.id for c in sort_cases([saifee, schmitt, ifx], "improvement")] == ["bz-schmitt", "ifx-pg",
                                                                                  "bz-saifee"]


def test_comparison_table(cases):
    frame = comparison_table(cases)
    assert list(frame.columns) == TABLE_COLUMNS
    assert list(frame["case"]) == [c.id for c in cases]
    ifx = frame[frame["case"] == "ifx-pg"].iloc[0]
    assert ifx["suspected drug"] == "infliximab"
    assert ifx["latency"] == "56 d"
    assert (ifx["latency min (days)"], ifx["latency best (days)"], ifx["latency max (days)"]) == (56.0, 56.0, 56.0)
    assert ifx["latency derived from"].startswith("first suspected dose (stated: week 0) to reaction onset (stated:")
    assert ifx["rescue therapies"] == "IVIG"
    # open above: printed as the bound, never as the placed best estimate (was "9 days (0-?)")
    assert ifx["time to improvement"] == "IVIG: ≥ 0 d (partial response)"  # the sample states IVIG's response
    assert ifx["improvement min (days)"] == 0.0
    assert ifx["improvement best (days)"] is frame["improvement best (days)"].dtype.na_value
    assert "start of IVIG (order only)" in ifx["improvement derived from"]
    mm = frame[frame["case"] == "bz-mm"].iloc[0]
    assert mm["latency"] == "63-119 d"
    assert (mm["latency min (days)"], mm["latency best (days)"], mm["latency max (days)"]) == (63.0, 91.0, 119.0)
    assert "reaction onset (stated as a span:" in mm["latency derived from"]
    xu = frame[frame["case"] == "bz-xu"].iloc[0]
    assert xu["latency"] == "≥ 15 d"
    assert xu["latency min (days)"] == 15.0
    # only bounded below: neither the upper bound nor the placed best estimate is tabled
    for column in ("latency best (days)", "latency max (days)"):
        assert xu[column] is frame[column].dtype.na_value
    assert "reaction onset (order only:" in xu["latency derived from"]
    assert xu["dechallenge outcome"] == "no dechallenge recorded"
    saifee = frame[frame["case"] == "bz-saifee"].iloc[0]
    assert saifee["improvement derived from"] == "no rescue therapy"


def test_interval_text():
    assert interval_text(Interval(14.0, 14.0, 14.0)) == "14 d"
    assert interval_text(Interval(14.0, 30.0, 60.0)) == "14-60 d"
    assert interval_text(Interval(14.0, 20.0, math.inf)) == "≥ 14 d"
    assert interval_text(Interval(-math.inf, 20.0, 30.0)) == "≤ 30 d"
    assert interval_text(Interval(-math.inf, 20.0, math.inf)) == "not stated"
    assert interval_text(None) == "not stated"


def test_compare_module_does_not_import_qt_or_pandas():
    code = ("import sys, caseline.analysis.metrics, caseline.analysis.alignment; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pandas')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
