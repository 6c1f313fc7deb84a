"""Time to onset across compared cases: each case's latency from the first dose and from the last dose
before onset, as intervals, and a summary across the cases (median and range, and a Turnbull estimate
that uses the intervals as they are). Pure Python and numpy.

Each latency is an :class:`Interval` in days (``lo <= best <= hi``, ``hi`` infinite when the source
only bounds it from below). The summary never turns an interval into a point silently:

* the sample median and range are given with bounds: the median of the cases' lower bounds and the
  median of their upper bounds bracket the median of the true latencies (the median is monotone), and
  likewise for the minimum and the maximum;
* the Turnbull non-parametric maximum likelihood estimate (NPMLE, Turnbull 1976, J R Stat Soc B
  38:290-5) of the latency distribution from the interval-censored latencies, fitted by the
  self-consistency (EM) algorithm; its median is the interval over which the estimated distribution
  reaches one half (the NPMLE does not say where the mass lies inside its intervals).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from caseline.analysis import landmarks
from caseline.analysis.metrics import case_metrics, duration_between, interval_text
from caseline.timeline.resolved import Interval, Item, ResolvedCase

if TYPE_CHECKING:
    import pandas as pd

TURNBULL_METHOD = "Turnbull NPMLE of the interval-censored latencies (self-consistency EM)"
SAMPLE_METHOD = "sample {what} of the best estimates; min/max: the {what} of the lower and of the upper bounds"
FROM_FIRST = "first dose"
FROM_LAST = "last dose before onset"
SUMMARY_COLUMNS = ["statistic", "latency from", "cases", "value", "min (days)", "best (days)", "max (days)",
                   "method"]


@dataclass(frozen=True, slots=True)
class CaseOnset:
    """One case's time to onset, from the first dose and from the last dose before the onset."""

    case_id: str
    from_first: Interval | None
    from_last: Interval | None
    last_dose: Item | None  # the administration (or course) the second latency counts from


@dataclass(frozen=True, slots=True)
class Statistic:
    name: str  # "median", "minimum", "maximum", "Turnbull median"
    latency_from: str  # FROM_FIRST or FROM_LAST
    cases: int  # cases the statistic uses
    value: Interval | None
    method: str


def case_onset(case: ResolvedCase) -> CaseOnset:
    """The two latencies of one case (the first as the comparison table's, one definition)."""
    metrics = case_metrics(case)
    last = landmarks.last_suspect_dose_before(case, metrics.onset.best) if metrics.onset is not None else None
    from_last = None
    if last is not None and last.start is not None and metrics.onset is not None:
        from_last = duration_between(last.start, metrics.onset, at_least_zero=True)
    return CaseOnset(case.id, metrics.latency, from_last, last)


# ---------------------------------------------------------------------------- Turnbull


def turnbull(intervals: Sequence[tuple[float, float]]) -> tuple[list[tuple[float, float]], list[float]]:
    """Turnbull's NPMLE of a distribution from closed intervals ``[lo, hi]`` (``hi`` may be infinite).

    Returns the innermost intervals (where the estimate may put mass) and their probabilities.
    """
    inner, probs, _converged = turnbull_fit(intervals)
    return inner, probs


#: The self-consistency iterations stop here (a few hundred overlapping intervals converge well before).
MAX_ITERATIONS = 3000


def turnbull_fit(intervals: Sequence[tuple[float, float]], max_iter: int = MAX_ITERATIONS, tol: float = 1e-9
                 ) -> tuple[list[tuple[float, float]], list[float], bool]:
    """:func:`turnbull`, and whether the iterations converged (the largest change below ``tol``)."""
    if not intervals:
        return [], [], True
    # endpoints sorted with left ends before right ends at a tie: [x, x] is an innermost interval
    ends = sorted([(lo, 0) for lo, _ in intervals] + [(hi, 1) for _, hi in intervals])
    inner = [(a[0], b[0]) for a, b in itertools.pairwise(ends) if a[1] == 0 and b[1] == 1]
    import numpy as np

    alpha = np.array([[1.0 if lo <= q and p <= hi else 0.0 for q, p in inner] for lo, hi in intervals])
    probs = np.full(len(inner), 1.0 / len(inner))
    converged = False
    for _ in range(max_iter):
        weights = alpha * probs
        totals = weights.sum(axis=1, keepdims=True)
        updated = (weights / np.where(totals > 0, totals, 1.0)).mean(axis=0)
        converged = float(np.abs(updated - probs).max()) < tol
        probs = updated
        if converged:
            break
    return inner, [float(p) for p in probs], converged


def turnbull_quantile(inner: Sequence[tuple[float, float]], probs: Sequence[float], q: float = 0.5
                      ) -> Interval | None:
    """Where the estimated distribution reaches ``q``: the innermost interval holding that quantile
    (or the gap between two, when the distribution reaches ``q`` exactly at one's end)."""
    total = 0.0
    for k, ((lo, hi), p) in enumerate(zip(inner, probs, strict=True)):
        total += p
        if total >= q - 1e-9:
            if abs(total - q) <= 1e-6 and k + 1 < len(inner):
                hi = inner[k + 1][0]  # flat between this interval and the next: any value there
            best = (lo + hi) / 2 if math.isfinite(hi) else lo
            return Interval(lo, best, hi)
    return None


# ---------------------------------------------------------------------------- summary


def _median(values: list[float]) -> float:
    values = sorted(values)
    n = len(values)
    return values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2


def _statistics(latencies: list[Interval | None], latency_from: str) -> list[Statistic]:
    known = [v for v in latencies if v is not None and (math.isfinite(v.lo) or math.isfinite(v.hi))]
    out = []
    if known:
        for name, pick in (("median", _median), ("minimum", min), ("maximum", max)):
            # a bound open on one side is the same side of every statistic: a latency '≥ 15 d' makes
            # the maximum's upper bound open, and the median's when it is one of the upper half
            los = [v.lo for v in known]
            his = [v.hi for v in known]
            best = pick([v.best for v in known])  # placed bests count for order; tabled only when closed
            value = Interval(min(pick(los), best), best, max(pick(his), best))
            out.append(Statistic(name, latency_from, len(known),
                                 value, SAMPLE_METHOD.format(what=name)))
    if known:
        inner, probs, converged = turnbull_fit([(v.lo, v.hi) for v in known])
        median = turnbull_quantile(inner, probs, 0.5)
        closed = sum(1 for v in known if math.isfinite(v.hi))
        unsettled = "" if converged else f"; stopped after {MAX_ITERATIONS} iterations before converging"
        out.append(Statistic("Turnbull median", latency_from, len(known), median,
                             f"{TURNBULL_METHOD}; {closed} of {len(known)} latencies bounded above (the others "
                             f"count as right-censored){unsettled}"))
    return out


def onset_summary(cases: Sequence[ResolvedCase]) -> list[Statistic]:
    """Median, minimum, maximum and the Turnbull median of the latencies from the first dose and from
    the last dose before onset (cases without a latency are left out; ``Statistic.cases`` counts those used)."""
    onsets = [case_onset(c) for c in cases]
    return [*_statistics([o.from_first for o in onsets], FROM_FIRST),
            *_statistics([o.from_last for o in onsets], FROM_LAST)]


def _num(value: float) -> float | None:
    return round(value, 3) if math.isfinite(value) else None


def summary_table(cases: Sequence[ResolvedCase]) -> pd.DataFrame:
    """The summary as a table: one row per statistic, its interval in words and min/best/max in days."""
    import pandas as pd

    rows = []
    for stat in onset_summary(cases):
        value = stat.value
        rows.append({
            "statistic": stat.name,
            "latency from": stat.latency_from,
            "cases": stat.cases,
            "value": interval_text(value),
            "min (days)": _num(value.lo) if value else None,
            "best (days)": _num(value.best) if value and value.is_bounded else None,
            "max (days)": _num(value.hi) if value else None,
            "method": stat.method,
        })
    frame = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    for column in ("min (days)", "best (days)", "max (days)"):
        frame[column] = frame[column].astype("Float64")
    frame["cases"] = frame["cases"].astype("Int64")
    return frame


def summary_sentence(cases: Sequence[ResolvedCase]) -> str:
    """One line for the window: 'Time to onset from the first dose (4 of 5 cases): median 14-21 d, range
    7-90 d; Turnbull median 14 d.'"""
    stats = {(s.name, s.latency_from): s for s in onset_summary(cases)}
    parts = []
    for latency_from in (FROM_FIRST, FROM_LAST):
        median = stats.get(("median", latency_from))
        low, high = stats.get(("minimum", latency_from)), stats.get(("maximum", latency_from))
        fit = stats.get(("Turnbull median", latency_from))
        if fit is None:
            continue
        bits = []
        if median is not None:
            bits.append(f"median {interval_text(median.value)}")
        if low is not None and high is not None:
            bits.append(f"range {interval_text(low.value)} to {interval_text(high.value)}")
        bits.append(f"Turnbull median {interval_text(fit.value)}")
        parts.append(f"from the {latency_from} ({fit.cases} of {len(cases)} cases): {', '.join(bits)}")
    return ("Time to onset " + "; ".join(parts) + ".") if parts else "Time to onset: no case states one."


def summary_caption(cases: Sequence[ResolvedCase]) -> str:
    """A few words for the latency strip: 'onset from the first dose: Turnbull median 56-63 d (7 cases)'."""
    fit = next((s for s in onset_summary(cases) if s.name == "Turnbull median" and s.latency_from == FROM_FIRST),
               None)
    if fit is None or fit.value is None:
        return ""
    return f"onset from the first dose: Turnbull median {interval_text(fit.value)} ({fit.cases} cases)"
