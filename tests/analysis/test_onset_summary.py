"""Time to onset across cases: the latencies from the first and the last dose, the sample statistics with their
bounds and the Turnbull estimate from interval-censored latencies."""

from __future__ import annotations

import math

import pytest

from caseline.analysis.onset_summary import (
    FROM_FIRST,
    FROM_LAST,
    case_onset,
    onset_summary,
    summary_sentence,
    summary_table,
    turnbull,
    turnbull_quantile,
)
from caseline.timeline.load import load_cases
from support import BORTEZOMIB, INFLIXIMAB


@pytest.fixture(scope="module")
def cases():
    return load_cases(INFLIXIMAB) + load_cases(BORTEZOMIB)


def test_latency_from_the_first_and_the_last_dose(cases) -> None:
    ifx = case_onset(next(c for c in cases if c.id == "ifx-pg"))
    assert ifx.from_first is not None and (ifx.from_first.lo, ifx.from_first.hi) == (56, 56)
    assert ifx.last_dose is not None and ifx.last_dose.item_id == "ifx#3"
    assert ifx.from_last is not None and (ifx.from_last.lo, ifx.from_last.hi) == (14, 14)
    mm = case_onset(next(c for c in cases if c.id == "bz-mm"))
    assert mm.from_first is not None and (mm.from_first.lo, mm.from_first.hi) == (63, 119)


def test_turnbull_on_exact_values_is_the_empirical_distribution() -> None:
    inner, probs = turnbull([(1, 1), (2, 2), (3, 3), (4, 4)])
    assert inner == [(1, 1), (2, 2), (3, 3), (4, 4)]
    assert probs == pytest.approx([0.25] * 4)
    median = turnbull_quantile(inner, probs)
    assert median is not None and (median.lo, median.hi) == (2, 3), "flat between 2 and 3: any value there"


def test_turnbull_with_censored_intervals() -> None:
    # one exact value, one interval holding it, one right-censored beyond it
    inner, probs = turnbull([(10, 10), (5, 20), (30, math.inf)])
    assert inner == [(10, 10), (30, math.inf)]
    assert probs == pytest.approx([2 / 3, 1 / 3], abs=1e-6)
    median = turnbull_quantile(inner, probs)
    assert median is not None and (median.lo, median.best, median.hi) == (10, 10, 10)


def test_summary_of_the_case_set(cases) -> None:
    stats = {(s.name, s.latency_from): s for s in onset_summary(cases)}
    fit = stats[("Turnbull median", FROM_FIRST)]
    assert fit.cases == 7 and fit.value is not None and (fit.value.lo, fit.value.hi) == (56, 63)
    assert "Turnbull NPMLE" in fit.method and "2 of 7 latencies bounded above" in fit.method
    minimum = stats[("minimum", FROM_FIRST)].value
    assert minimum is not None and (minimum.lo, minimum.hi) == (0, 56)
    assert stats[("median", FROM_LAST)].value is not None
    frame = summary_table(cases)
    assert list(frame["statistic"])[:4] == ["median", "minimum", "maximum", "Turnbull median"]
    row = frame[(frame["statistic"] == "Turnbull median") & (frame["latency from"] == FROM_FIRST)].iloc[0]
    assert (row["min (days)"], row["best (days)"], row["max (days)"]) == (56.0, 59.5, 63.0)
    maximum = frame[(frame["statistic"] == "maximum") & (frame["latency from"] == FROM_FIRST)].iloc[0]
    assert maximum["value"] == "≥ 63 d" and maximum["max (days)"] is frame["max (days)"].dtype.na_value
    assert "Turnbull median 56-63 d" in summary_sentence(cases)


def test_no_latency_no_summary(cases) -> None:
    assert onset_summary([]) == []
    assert summary_sentence([]) == "Time to onset: no case states one."
    assert FROM_LAST in summary_sentence(cases)
