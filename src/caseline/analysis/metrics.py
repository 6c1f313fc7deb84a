"""Side-by-side comparison of cases: per-case metrics, sort orders and a summary table. Pure Python.

Metrics are durations between resolved times, so each carries the uncertainty of both ends:
``Interval(lo, best, hi)`` in days, ``hi`` infinite when the source only bounds it from below
("after the first dose"). A case without the events a metric needs gets ``None``, never a guess.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from caseline.analysis import landmarks
from caseline.analysis.landmarks import dated
from caseline.model.caseset import SORT_KEYS
from caseline.model.kinds import Category, CourseState, Kind, MilestoneType
from caseline.timeline.resolved import Interval, Item, ItemRole, Known, ResolvedCase

if TYPE_CHECKING:
    import pandas as pd

SORT_TITLES = {
    "none": "as listed",
    "latency": "latency to onset",
    "improvement": "time to improvement",
    "date": "date of day 0",
    "title": "title",
}
TABLE_COLUMNS = [
    "case", "suspected drug",
    "latency", "latency min (days)", "latency best (days)", "latency max (days)", "latency derived from",
    "latency from last dose", "last-dose latency min (days)", "last-dose latency best (days)",
    "last-dose latency max (days)",
    "dechallenge outcome", "rescue therapies",
    "time to improvement", "improvement min (days)", "improvement best (days)", "improvement max (days)",
    "improvement derived from",
    # the causality aid of the suspected drug - reaction pair (caseline.analysis.causality)
    "dechallenge", "rechallenge", "Naranjo (computed)", "WHO-UMC (computed)", "causality reported",
]
#: The numeric columns of the comparison table (empty where the source gives no such bound).
NUMERIC_COLUMNS = [c for c in TABLE_COLUMNS if c.endswith("(days)")]

#: How a time is known, in the words of the table's "derived from" columns.
KNOWN_WORDS = {
    Known.EXACT: "stated",
    Known.SPAN: "stated as a span",
    Known.BOUNDED: "a limit only",
    Known.ORDERED: "order only",
    Known.UNKNOWN: "not stated",
}

_IMPROVED = (CourseState.IMPROVEMENT.value, CourseState.RESOLUTION.value)
_WORSENED = (CourseState.WORSENING.value, CourseState.RELAPSE.value)


@dataclass(frozen=True, slots=True)
class RescueResponse:
    """One rescue therapy (a lane of the rescue category) and the first improvement after it."""

    therapy: str  # lane name, e.g. "IVIG"
    start: Interval  # first start in the lane, case days
    improvement: Item | None  # the course point or remission milestone, None when none is documented
    time_to_improvement: Interval | None
    item: Item | None = None  # the therapy's first course
    stated: str = ""  # the therapy's 'response:' (none, partial, complete, unknown), when the file states it
    worse: Item | None = None  # the reaction's first worsening or plateau after the start, when no improvement

    @property
    def outcome(self) -> str:
        """'complete response', 'partial response', 'improved' (a documented improvement, no response stated),
        'no response' (stated, or the course only worsened or plateaued after the start) or 'unknown'."""
        if self.stated == "none":
            return "no response"
        if self.stated in ("partial", "complete"):
            return f"{self.stated} response"
        if self.time_to_improvement is not None:
            return "improved"
        return "no response" if self.worse is not None and self.stated != "unknown" else "unknown"

    def text(self) -> str:
        """'IVIG: ≥ 0 d' (time to the first improvement), 'IVIG: no response' or 'IVIG: unknown'."""
        if self.outcome == "no response" or self.time_to_improvement is None:
            return f"{self.therapy}: {self.outcome}"
        extra = f" ({self.outcome})" if self.outcome.endswith("response") else ""
        return f"{self.therapy}: {interval_text(self.time_to_improvement)}{extra}"


@dataclass(frozen=True, slots=True)
class CaseMetrics:
    case_id: str
    title: str
    suspected_drug: str
    first_dose: Interval | None  # first administration (or course start) of the suspected drug
    onset: Interval | None  # start of the adverse reaction
    latency: Interval | None  # onset minus first dose
    dechallenge: str  # what the course did after the suspect was stopped
    rescues: tuple[RescueResponse, ...]
    date: date | None  # calendar date of day 0

    @property
    def first_improvement(self) -> Interval | None:
        """The shortest time from a rescue therapy to improvement, if any is documented."""
        response = self.first_response
        return response.time_to_improvement if response is not None else None

    @property
    def first_response(self) -> RescueResponse | None:
        """The rescue therapy with the shortest documented time to improvement, if any."""
        timed = [r for r in self.rescues if r.time_to_improvement is not None]
        return min(timed, key=lambda r: r.time_to_improvement.best if r.time_to_improvement else 0.0) \
            if timed else None


# ---------------------------------------------------------------------------- events


def duration_between(start: Interval, end: Interval, at_least_zero: bool = False) -> Interval:
    """``end - start`` with the widest bounds both uncertainties allow (inf - inf: unbounded)."""
    lo = end.lo - start.hi
    hi = end.hi - start.lo
    best = end.best - start.best
    lo = -math.inf if math.isnan(lo) else lo
    hi = math.inf if math.isnan(hi) else hi
    if at_least_zero:
        lo, best = max(0.0, lo), max(0.0, best)
        hi = max(best, hi)
    return Interval(min(lo, best), best, max(hi, best))


def _improvements(case: ResolvedCase) -> list[tuple[int, Item]]:
    """Improvement/resolution course points and remission milestones, with their item order."""
    out = []
    for order, item in enumerate(case.items):
        if item.start is None or not math.isfinite(item.start.best):
            continue
        improved = item.role is ItemRole.STATE and item.state in _IMPROVED
        remission = item.kind is Kind.MILESTONE and item.event.milestone is MilestoneType.REMISSION
        if improved or remission:
            out.append((order, item))
    return out


class _CourseIndex:
    """The improvements of a case and, per symptom, its later worsenings: made once per case, so each
    rescue's question is a lookup, not a scan of every later item (which made the metrics quadratic:
    22 s for a 10,000-event case)."""

    def __init__(self, case: ResolvedCase) -> None:
        self.improvements = _improvements(case)
        worse: dict[str, list[tuple[int, float]]] = {}
        for order, item in enumerate(case.items):
            if item.role is ItemRole.STATE and item.state in _WORSENED and item.start is not None:
                worse.setdefault(item.event_id, []).append((order, item.start.best))
        # per symptom: orders ascending, and the earliest best day among the worsenings from each on
        self.worse: dict[str, tuple[list[int], list[float]]] = {}
        for event_id, points in worse.items():
            orders = [o for o, _ in points]
            suffix_min = [math.inf] * len(points)
            low = math.inf
            for k in range(len(points) - 1, -1, -1):
                low = min(low, points[k][1])
                suffix_min[k] = low
            self.worse[event_id] = (orders, suffix_min)

    def undone_before(self, order: int, improvement: Item, day: float) -> bool:
        """True when a later point of the same symptom (a worsening) already lies at or before ``day``.

        Relative times often collapse onto one best day ("after X" is placed at X); the order of
        the course points in the file then tells an improvement that preceded a therapy (and was
        followed by a relapse) from one that came after it.
        """
        if improvement.role is not ItemRole.STATE:
            return False
        found = self.worse.get(improvement.event_id)
        if found is None:
            return False
        orders, suffix_min = found
        k = bisect.bisect_right(orders, order)
        return k < len(orders) and suffix_min[k] <= day


def first_improvement_after(case: ResolvedCase, day: float, index: _CourseIndex | None = None) -> Item | None:
    """The first documented improvement at or after ``day`` (case days)."""
    index = index or _CourseIndex(case)
    candidates = [(item.start.best, order, item) for order, item in index.improvements
                  if item.start is not None and item.start.best >= day
                  and not index.undone_before(order, item, day)]
    return min(candidates, key=lambda c: (c[0], c[1]))[2] if candidates else None


def rescue_responses(case: ResolvedCase, onset: Interval | None) -> tuple[RescueResponse, ...]:
    """Each rescue therapy started at or after the reaction onset, with its time to improvement."""
    first_by_lane: dict[str, Item] = {}
    for item in dated([i for i in case.items if i.category is Category.RESCUE and i.role is ItemRole.COURSE]):
        assert item.start is not None
        if onset is not None and item.start.best < onset.best:
            continue  # given before the reaction: not a treatment of it
        known = first_by_lane.get(item.lane)
        if known is None or (known.start is not None and item.start.best < known.start.best):
            first_by_lane[item.lane] = item
    out = []
    index = _CourseIndex(case) if first_by_lane else None
    for lane, item in sorted(first_by_lane.items(), key=lambda kv: kv[1].start.best if kv[1].start else 0.0):
        assert item.start is not None
        improvement = first_improvement_after(case, item.start.best, index)
        time = (duration_between(item.start, improvement.start, at_least_zero=True)
                if improvement is not None and improvement.start is not None else None)
        stated = str(getattr(item.event, "response", "") or "")
        worse = None
        if improvement is None:
            worse = next((i for i in dated(case.items) if i.role is ItemRole.STATE and i.start is not None
                          and i.start.best >= item.start.best
                          and i.state in (*_WORSENED, CourseState.PLATEAU.value)), None)
        out.append(RescueResponse(lane, item.start, improvement, time, item, stated, worse))
    return tuple(out)


def dechallenge_outcome(case: ResolvedCase) -> str:
    """'improved', 'improved after rescue therapy (IVIG)', 'worsened', 'no change', 'not stated'
    or 'no dechallenge recorded', from the symptom course points after the suspect was stopped."""
    stop = landmarks.suspect_stop(case)
    day = landmarks.stop_time(stop) if stop is not None else None
    if day is None:
        return "no dechallenge recorded"
    states = [(item.start.best, order, item) for order, item in enumerate(case.items)
              if item.role is ItemRole.STATE and item.start is not None and item.start.best >= day
              and item.state != CourseState.ONSET.value]
    reaction = case.case.suspect.reaction_event
    own = [s for s in states if s[2].event_id == reaction]
    states = own or states
    if not states:
        return "not stated"
    first_day, _, first = min(states, key=lambda s: (s[0], s[1]))
    if first.state in _WORSENED:
        return "worsened"
    if first.state == CourseState.PLATEAU.value:
        return "no change"
    rescues = sorted({i.lane for i in dated(case.items) if i.category is Category.RESCUE
                      and i.role is ItemRole.COURSE and i.start is not None and day <= i.start.best <= first_day})
    if rescues:
        return f"improved after rescue therapy ({', '.join(rescues)})"
    return "improved"


def _kept_per_case(compute: Callable[[ResolvedCase], CaseMetrics]) -> Callable[[ResolvedCase], CaseMetrics]:
    """The metrics of a case object, kept: a resolved case is immutable, and a comparison asks for the same
    cases' metrics on every switch of sort or alignment (issue 18). Up to 1,000 cases (or 2,000,000 items)
    are kept; the oldest go first."""
    kept: dict[int, tuple[ResolvedCase, CaseMetrics]] = {}
    items = [0]

    def cached(case: ResolvedCase) -> CaseMetrics:
        found = kept.get(id(case))
        if found is not None and found[0] is case:
            return found[1]
        value = compute(case)
        kept.pop(id(case), None)
        kept[id(case)] = (case, value)
        items[0] += len(case.items)
        while len(kept) > 1000 or items[0] > 2_000_000:
            oldest = next(iter(kept))
            items[0] -= len(kept.pop(oldest)[0].items)
        return value

    return cached


@_kept_per_case
def case_metrics(case: ResolvedCase) -> CaseMetrics:
    """Latency, dechallenge outcome and rescue responses of one case."""
    dose = landmarks.first_suspect_dose(case)
    onset = landmarks.reaction_onset(case)
    first_dose = dose.start if dose is not None else None
    onset_time = onset.start if onset is not None else None
    latency = (duration_between(first_dose, onset_time, at_least_zero=onset_time.best >= first_dose.best)
               if first_dose is not None and onset_time is not None else None)
    drug_event = case.case.event(case.case.suspect.drug) if case.case.suspect.drug else None
    drug = (drug_event.drug or drug_event.label) if drug_event is not None else ""
    return CaseMetrics(
        case_id=case.id,
        title=case.case.title,
        suspected_drug=drug,
        first_dose=first_dose,
        onset=onset_time,
        latency=latency,
        dechallenge=dechallenge_outcome(case),
        rescues=rescue_responses(case, onset_time),
        date=case.anchor_date,
    )


# ---------------------------------------------------------------------------- sorting


def _rank(value: Interval | None) -> tuple[int, float, float]:
    """Known durations first (by best value), then ones only bounded below, then missing ones."""
    if value is None or not math.isfinite(value.best):
        return (2, 0.0, 0.0)
    if not math.isfinite(value.hi):
        # only bounded below: its best estimate is placed for order, the bound is what is stated
        return (1, value.lo if math.isfinite(value.lo) else value.best, 0.0)
    return (0, value.best, 0.0)


def sort_cases(cases: Sequence[ResolvedCase], key: str) -> list[ResolvedCase]:
    """Cases in the order ``key`` asks for; cases lacking the value go last; ties keep their order.

    ``latency`` and ``improvement`` put durations the source bounds on both sides before those
    it only bounds from below ("after the first dose"): a lower bound is not a measured value.
    """
    if key not in SORT_KEYS:
        raise ValueError(f"unknown sort {key!r}: use one of {', '.join(SORT_KEYS)}")
    cases = list(cases)
    if key == "none":
        return cases
    if key == "title":
        return sorted(cases, key=lambda c: c.case.title.casefold())
    if key == "date":
        return sorted(cases, key=lambda c: (c.anchor_date is None, c.anchor_date or date.min))
    metrics = {c.id: case_metrics(c) for c in cases}
    if key == "latency":
        return sorted(cases, key=lambda c: _rank(metrics[c.id].latency))
    return sorted(cases, key=lambda c: _rank(metrics[c.id].first_improvement))


# ---------------------------------------------------------------------------- table


def format_duration(value: Interval | None) -> str:
    """'56 days', '91 days (63-119)', '≥15 days', or 'not stated'."""
    if value is None or not math.isfinite(value.best):
        return "not stated"

    def num(v: float) -> str:
        return f"{round(v, 1):g}"

    best = f"{num(value.best)} day{'s' if num(value.best) != '1' else ''}"
    if value.is_exact:
        return best
    lo = num(value.lo) if math.isfinite(value.lo) else "?"
    hi = num(value.hi) if math.isfinite(value.hi) else "?"
    if hi == "?" and lo != "?":
        # open above: the best estimate is placed for order, never print it as a measurement
        return f"≥{lo} day{'s' if lo != '1' else ''}"
    return f"{best} ({lo}-{hi})"


def interval_text(value: Interval | None) -> str:
    """A duration as the interval the source allows: '56 d', '63-119 d', '≥ 15 d', '≤ 30 d' or 'not stated'.

    The best estimate of an uncertain duration is not printed: it is placed, not stated (the
    numeric columns of the table give it where the interval is closed)."""
    if value is None or not math.isfinite(value.best):
        return "not stated"

    def num(v: float) -> str:
        return f"{round(v, 1):g}"

    lo, hi = value.lo, value.hi
    if math.isfinite(lo) and math.isfinite(hi):
        return f"{num(lo)} d" if num(lo) == num(hi) else f"{num(lo)}-{num(hi)} d"
    if math.isfinite(lo):
        return f"≥ {num(lo)} d"
    if math.isfinite(hi):
        return f"≤ {num(hi)} d"
    return "not stated"


def time_words(item: Item | None, end: bool = False) -> str:
    """How one time of an item is known, for a "derived from" column: 'order only: after ifx#1'."""
    if item is None:
        return "not recorded"
    known = item.end_known if end else item.known
    stated = "" if end else item.stated
    return f"{KNOWN_WORDS[known]}: {stated}" if stated else KNOWN_WORDS[known]


def latency_derivation(case: ResolvedCase) -> str:
    """Which two times a latency is the difference of, and how each is known."""
    dose, onset = landmarks.first_suspect_dose(case), landmarks.reaction_onset(case)
    if dose is None or onset is None:
        return "no suspected drug recorded" if dose is None else "no reaction onset recorded"
    return f"first suspected dose ({time_words(dose)}) to reaction onset ({time_words(onset)})"


def improvement_derivation(response: RescueResponse | None) -> str:
    """Which two times a time to improvement is the difference of, and how each is known."""
    if response is None:
        return "no improvement after a rescue therapy recorded"
    improvement = response.improvement
    what = (f"{improvement.state or improvement.label}" if improvement is not None else "improvement")
    return (f"start of {response.therapy} ({time_words(response.item)}) to first {what} after it "
            f"({time_words(improvement)})")


def _finite(value: float | None) -> float | None:
    return round(value, 3) if value is not None and math.isfinite(value) else None


def _numbers(value: Interval | None) -> tuple[float | None, float | None, float | None]:
    """(lo, best, hi) for the numeric columns: an open side is empty, and so is the best estimate of a
    duration only bounded on one side (placed for order, not stated)."""
    if value is None:
        return None, None, None
    closed = math.isfinite(value.lo) and math.isfinite(value.hi)
    return _finite(value.lo), _finite(value.best) if closed else None, _finite(value.hi)


def comparison_table(cases: Sequence[ResolvedCase]) -> pd.DataFrame:
    """One row per case, columns as TABLE_COLUMNS: each duration as an interval ('≥ 14 d'), its
    bounds and best estimate in days, and how it was derived."""
    import pandas as pd

    from caseline.analysis.causality_report import comparison_cells  # it builds on this module

    rows = []
    for case in cases:
        m = case_metrics(case)
        latency = _numbers(m.latency)
        last_dose = landmarks.last_suspect_dose_before(case, m.onset.best) if m.onset is not None else None
        from_last = (duration_between(last_dose.start, m.onset, at_least_zero=True)
                     if last_dose is not None and last_dose.start is not None and m.onset is not None else None)
        last = _numbers(from_last)
        response = m.first_response
        improvement = _numbers(response.time_to_improvement if response is not None else None)
        rows.append({
            "case": case.id,
            "suspected drug": m.suspected_drug,
            "latency": interval_text(m.latency),
            "latency min (days)": latency[0],
            "latency best (days)": latency[1],
            "latency max (days)": latency[2],
            "latency derived from": latency_derivation(case),
            "latency from last dose": interval_text(from_last),
            "last-dose latency min (days)": last[0],
            "last-dose latency best (days)": last[1],
            "last-dose latency max (days)": last[2],
            "dechallenge outcome": m.dechallenge,
            "rescue therapies": "; ".join(r.therapy for r in m.rescues),
            "time to improvement": "; ".join(r.text() for r in m.rescues),
            "improvement min (days)": improvement[0],
            "improvement best (days)": improvement[1],
            "improvement max (days)": improvement[2],
            "improvement derived from": improvement_derivation(response) if m.rescues else "no rescue therapy",
            **comparison_cells(case),
        })
    frame = pd.DataFrame(rows, columns=TABLE_COLUMNS)
    for column in NUMERIC_COLUMNS:
        frame[column] = frame[column].astype("Float64")
    return frame
