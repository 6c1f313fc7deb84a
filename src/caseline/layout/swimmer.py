"""The swimmer layout: one row per case, as R's swimplot/ggswim draw patients. Pure geometry, no Qt.

Each row is one case: the suspected drug's exposure as a bar with a tick per dose (a stop mark where it
was stopped), the reaction onset as a triangle with its uncertainty as a whisker (an arrow where the
source gives only "after ..."), labelled with the latency; each rescue therapy as a filled diamond at its
start, labelled with its name; the first improvement after it as a circle; outcome milestones as flags
(a cross for a death); and an arrow at the end of the row when the story was still going on when the
report ended. The rows are the cases in the view's order (its sort), labelled with first author and
year. The layout is a :class:`~caseline.layout.timeline_layout.TimelineLayout` of the same mark
arrays, so the window's paint layers, hit-testing and export draw it unchanged.

What is marked is decided once, in caseline.analysis.swimmer (from the landmarks and metrics); this
module only places it, and takes those facts through the :class:`RowFacts` protocol.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from caseline.layout.timeline_layout import (
    CATEGORY_INDEX,
    BarStyle,
    Label,
    LayoutOptions,
    Marks,
    PointFlag,
    Row,
    RowKind,
    TimelineLayout,
    WhiskerEnd,
)
from caseline.model.clinical import RechallengeOutcome
from caseline.model.kinds import KIND_SPECS, Category, Glyph, Kind, MilestoneType
from caseline.timeline.resolved import Interval, Item, ResolvedCase

#: Label priorities (higher wins a collision): the latency is what the figure is for.
LATENCY_PRIORITY = 5
RESCUE_PRIORITY = 2
OUTCOME_PRIORITY = 1


class RowFacts(Protocol):
    """What one swimmer row shows (caseline.analysis.swimmer.SwimmerFacts)."""

    @property
    def label(self) -> str: ...
    @property
    def exposure(self) -> tuple[Item, ...]: ...
    @property
    def doses(self) -> tuple[Item, ...]: ...
    @property
    def stops(self) -> tuple[Item, ...]: ...
    @property
    def onset(self) -> Item | None: ...
    @property
    def latency_text(self) -> str: ...
    @property
    def rescues(self) -> tuple[Item, ...]: ...
    @property
    def improvements(self) -> tuple[Item, ...]: ...
    @property
    def outcomes(self) -> tuple[Item, ...]: ...
    @property
    def ongoing(self) -> bool: ...
    @property
    def end_day(self) -> float: ...


@dataclass
class SwimmerLayout(TimelineLayout):
    """A swimmer figure's layout: the marks, plus the legend entries it uses
    (category or None for the foreground, symbol, meaning)."""

    legend: list[tuple[Category | None, str, str]] = field(default_factory=list)
    latency_labels: dict[str, str] = field(default_factory=dict)  # case id -> latency text


class _Builder:
    def __init__(self) -> None:
        self.bars: tuple[list[float], list[float], list[float], list[int], list[int], list[int]] = \
            ([], [], [], [], [], [])
        self.points: tuple[list[float], list[float], list[float], list[int], list[int], list[int]] = \
            ([], [], [], [], [], [])
        self.whiskers: tuple[list[float], list[float], list[float], list[int], list[int], list[int]] = \
            ([], [], [], [], [], [])
        self.labels: list[Label] = []
        self.finite: list[float] = []
        self.used: set[str] = set()

    @staticmethod
    def _add(target: tuple[list[float], list[float], list[float], list[int], list[int], list[int]],
             x0: float, x1: float, y: float, color: int, index: int, style: int) -> None:
        target[0].append(x0)
        target[1].append(x1)
        target[2].append(y)
        target[3].append(color)
        target[4].append(index)
        target[5].append(style)

    def bar(self, x0: float, x1: float, y: float, category: Category, index: int, style: int) -> None:
        self._add(self.bars, x0, x1, y, CATEGORY_INDEX[category], index, style)

    def point(self, x: float, y: float, category: Category, index: int, glyph: int) -> None:
        self._add(self.points, x, x, y, CATEGORY_INDEX[category], index, glyph)
        self.finite.append(x)

    def whisker(self, start: Interval, y: float, category: Category, index: int) -> None:
        lo, hi = start.lo, start.hi
        style = ((WhiskerEnd.CLOSED if math.isfinite(lo) else WhiskerEnd.OPEN_START)
                 | (WhiskerEnd.CLOSED if math.isfinite(hi) else WhiskerEnd.OPEN_END))
        self._add(self.whiskers, lo, hi, y, CATEGORY_INDEX[category], index, int(style))
        self.finite.extend(v for v in (lo, hi) if math.isfinite(v))


def build_swimmer_layout(cases: Sequence[ResolvedCase], facts: Sequence[RowFacts],
                         options: LayoutOptions | None = None) -> SwimmerLayout:
    """One row per case of ``cases`` (``facts[i]`` says what row ``i`` shows), shifted by the options'
    alignment shifts."""
    options = options or LayoutOptions()
    cases = list(cases)
    if len(facts) != len(cases):
        raise ValueError("one row of facts per case")
    items: list[Item] = []
    item_case: list[int] = []
    index_of: dict[int, int] = {}
    for case_index, case in enumerate(cases):
        for item in case.items:
            index_of[id(item)] = len(items)
            items.append(item)
            item_case.append(case_index)
    item_row = np.full(len(items), -1, dtype=np.int32)
    rows: list[Row] = []
    shifts = {c.id: float(options.shifts.get(c.id, 0.0)) for c in cases}
    b = _Builder()
    open_rows: list[tuple[int, float]] = []  # bar index of an open-ended exposure, its row's last day
    arrows: list[tuple[float, float, int]] = []  # (end day, y, item) of rows still going on
    latency_labels: dict[str, str] = {}
    for case_index, (case, row_facts) in enumerate(zip(cases, facts, strict=True)):
        r = len(rows)
        rows.append(Row(RowKind.LANE, case_index, case.id, row_facts.label, None, float(r)))
        y = r + 0.5
        shift = shifts[case.id]

        def index(item: Item, row: int = r) -> int:
            k = index_of[id(item)]
            item_row[k] = row
            return k

        row_facts = _revealed(row_facts, options.revealed)

        for course in row_facts.exposure:
            assert course.start is not None
            x0 = course.start.best + shift
            style = BarStyle(0)
            if course.end is not None and math.isfinite(course.end.best) and not course.open_end:
                x1 = course.end.best + shift
                if course.event.end is None and any(s.kind is Kind.DECHALLENGE for s in row_facts.stops):
                    style |= BarStyle.STOPPED
            else:  # end not stated: fades out after its last dose (never across the whole figure)
                x1 = math.nan
                style |= BarStyle.OPEN_END
                last = max([x0] + [d.start.best + shift for d in row_facts.doses
                                   if d.start is not None and d.event_id == course.event_id])
                open_rows.append((len(b.bars[0]), last))
            b.bar(x0, x1, y, Category.SUSPECT, index(course), int(style))
            b.finite.extend(v for v in (x0, x1) if math.isfinite(v))
            b.used.add("exposure")
        for dose in row_facts.doses:
            assert dose.start is not None
            b.point(dose.start.best + shift, y, Category.SUSPECT, index(dose), Glyph.DOSE)
            b.used.add("dose")
        for stop in row_facts.stops:
            assert stop.start is not None
            glyph = Glyph.STOP if stop.kind is Kind.DECHALLENGE else Glyph.RESTART
            negative = stop.event.rechallenge_outcome is RechallengeOutcome.DID_NOT_RECUR  # hollow: did not recur
            b.point(stop.start.best + shift, y, Category.SUSPECT, index(stop),
                    glyph | (0 if negative else PointFlag.ABNORMAL))
            b.used.add("stop" if glyph == Glyph.STOP else "restart-negative" if negative else "restart")
        for n, rescue in enumerate(row_facts.rescues):
            assert rescue.start is not None
            k = index(rescue)
            b.point(rescue.start.best + shift, y, Category.RESCUE, k, Glyph.DIAMOND | PointFlag.ABNORMAL)
            if n == 0:  # one label names the row's rescue therapies, in the order given
                names = ", ".join(dict.fromkeys(r.lane for r in row_facts.rescues))
                b.labels.append(Label(rescue.start.best + shift, y, names, k, RESCUE_PRIORITY))
            b.used.add("rescue")
        for improvement in row_facts.improvements:
            assert improvement.start is not None
            b.point(improvement.start.best + shift, y, Category.SYMPTOM, index(improvement), Glyph.CIRCLE)
            b.used.add("improvement")
        for outcome in row_facts.outcomes:
            assert outcome.start is not None
            k = index(outcome)
            death = outcome.event.milestone is MilestoneType.DEATH
            b.point(outcome.start.best + shift, y, Category.OUTCOME, k, Glyph.CROSS if death else Glyph.FLAG)
            b.labels.append(Label(outcome.start.best + shift, y, outcome.label, k, OUTCOME_PRIORITY))
            b.used.add("death" if death else "outcome")
        onset = row_facts.onset
        if onset is not None and onset.start is not None:
            k = index(onset)
            x = onset.start.best + shift
            if not onset.start.is_exact:
                b.whisker(onset.start.shifted(shift), y, Category.SYMPTOM, k)
                b.used.add("uncertain" if onset.start.is_bounded else "open")
            b.point(x, y, Category.SYMPTOM, k, KIND_SPECS[Kind.SYMPTOM].glyph or Glyph.TRIANGLE)
            if row_facts.latency_text:
                b.labels.append(Label(x, y, row_facts.latency_text, k, LATENCY_PRIORITY))
                latency_labels[case.id] = row_facts.latency_text
            b.used.add("onset")
        if row_facts.ongoing:
            anchor = onset or (row_facts.exposure[0] if row_facts.exposure else None)
            if anchor is not None:
                arrows.append((row_facts.end_day + shift, y, index(anchor)))
                b.used.add("ongoing")
    if b.finite:
        x_lo, x_hi = min(b.finite), max(b.finite)
    else:
        x_lo, x_hi = -7.0, 56.0
    if x_hi - x_lo < 14:
        x_hi = x_lo + 14
    step = max(3.0, 0.03 * (x_hi - x_lo))
    for day, y, k in arrows:  # the arrow sits just past the row's last mark
        b.point(max(day, x_lo) + step, y, Category.OUTCOME, k, Glyph.RESTART | PointFlag.ABNORMAL)
    open_to = x_hi + 2 * step
    bx1 = list(b.bars[1])
    for bar, last_day in open_rows:  # the fade: a tenth of the figure's days past the last dose
        bx1[bar] = last_day + max(2 * step, 0.1 * (x_hi - x_lo))
    wx0 = [v if math.isfinite(v) else x_lo - step for v in b.whiskers[0]]
    wx1 = [v if math.isfinite(v) else open_to for v in b.whiskers[1]]
    return SwimmerLayout(
        cases=cases, rows=rows, items=items, item_case=np.asarray(item_case, dtype=np.int32), item_row=item_row,
        bars=Marks.from_lists(b.bars[0], bx1, *b.bars[2:]),
        points=Marks.from_lists(*b.points),
        whiskers=Marks.from_lists(wx0, wx1, *b.whiskers[2:]),
        severity=[], labels=b.labels, undated=[], shifts=shifts, rules=[], x_range=(x_lo, open_to),
        legend=_legend(b.used), latency_labels=latency_labels,
    )


def _revealed(facts: RowFacts, revealed: frozenset[str] | None) -> RowFacts:
    """The facts with only the items a teaching step has revealed (all of them when not teaching): a
    swimmer row must not show an onset, a latency or an outcome before the lanes would."""
    if revealed is None:
        return facts

    def shown(item: Item) -> bool:  # as caseline.layout.timeline_layout.build_layout decides
        return (item.item_id in revealed or item.event_id in revealed
                or f"{item.case_id}/{item.item_id}" in revealed)

    def keep(items: tuple[Item, ...]) -> tuple[Item, ...]:
        return tuple(i for i in items if shown(i))

    onset = facts.onset if facts.onset is not None and shown(facts.onset) else None
    return _Facts(label=facts.label, exposure=keep(facts.exposure), doses=keep(facts.doses), stops=keep(facts.stops),
                  onset=onset, latency_text=facts.latency_text if onset is not None else "",
                  rescues=keep(facts.rescues), improvements=keep(facts.improvements), outcomes=keep(facts.outcomes),
                  ongoing=facts.ongoing and onset is not None and keep(facts.outcomes) == facts.outcomes,
                  end_day=facts.end_day)


@dataclass(frozen=True)
class _Facts:
    label: str
    exposure: tuple[Item, ...]
    doses: tuple[Item, ...]
    stops: tuple[Item, ...]
    onset: Item | None
    latency_text: str
    rescues: tuple[Item, ...]
    improvements: tuple[Item, ...]
    outcomes: tuple[Item, ...]
    ongoing: bool
    end_day: float


#: The swimmer legend, in order: (what the row uses, category, symbol, meaning).
SWIMMER_LEGEND: tuple[tuple[str, Category | None, str, str], ...] = (
    ("exposure", Category.SUSPECT, "▬", "suspected drug"),
    ("dose", Category.SUSPECT, "▮", "dose"),
    ("stop", None, "┳", "stopped"),
    ("restart", Category.SUSPECT, "▶", "restarted"),
    ("restart-negative", Category.SUSPECT, "▷", "restarted, reaction did not recur"),
    ("onset", Category.SYMPTOM, "▲", "reaction onset (label: latency from first dose)"),
    ("uncertain", Category.SYMPTOM, "├┤", "onset uncertain"),
    ("open", Category.SYMPTOM, "⇢", "onset later, not stated when"),
    ("rescue", Category.RESCUE, "◆", "rescue therapy"),
    ("improvement", Category.SYMPTOM, "○", "first improvement after it"),
    ("outcome", Category.OUTCOME, "⚑", "outcome"),
    ("death", None, "✝", "death"),
    ("ongoing", Category.OUTCOME, "▶", "ongoing at last report"),
)


def _legend(used: set[str]) -> list[tuple[Category | None, str, str]]:
    return [(category, symbol, text) for key, category, symbol, text in SWIMMER_LEGEND if key in used]
