"""One case's marks as columns in case-local lanes and unshifted days: made once per case, reused by every layout.

``build_layout`` used to walk every item of every case on each layout change (an ``Interval.shifted``
object per mark). What a case draws does not depend on the alignment shift, the lanes hidden or the
row its lanes land on: those are applied to these arrays when a layout is composed
(``caseline.layout.timeline_layout.build_layout``): a shift is an addition, a hidden lane a mask,
a row a lookup. Only the teaching reveal (which items are drawn at all) is part of the columns.
Pure numpy, no Qt.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from caseline.layout.label_text import label_text
from caseline.model.kinds import KIND_SPECS, Category, Glyph, Kind, MilestoneType
from caseline.timeline.resolved import ItemRole, ResolvedCase

# The style bits (caseline.layout.timeline_layout.BarStyle, WhiskerEnd, PointFlag), repeated as plain ints
# so that this module does not import the layout module that imports it.
OPEN_END, STOPPED, BAND, UNCERTAIN, CYCLE, OPEN_START = 1, 2, 4, 8, 16, 32
WHISKER_OPEN_START, WHISKER_OPEN_END = 1, 2
ABNORMAL = 256

LaneKey = tuple[Category, str]


@dataclass(frozen=True, eq=False)
class MarkColumns:
    """Marks of one kind in case-local terms: ``lane`` indexes CaseColumns.lanes, ``item`` the case's items."""

    x0: np.ndarray
    x1: np.ndarray  # bars: nan = open end (runs to the layout's right edge); whiskers: +-inf = open
    lane: np.ndarray
    color: np.ndarray
    item: np.ndarray
    style: np.ndarray

    def __len__(self) -> int:
        return int(self.x0.shape[0])


@dataclass(frozen=True, eq=False)
class CaseColumns:
    """What one case draws, independent of alignment, hidden lanes and rows (see the module docstring)."""

    case: ResolvedCase
    revealed: frozenset[str] | None
    lanes: list[LaneKey]  # the case's lanes, by first appearance
    lane_index: dict[LaneKey, int]  # index of each in lanes
    lane_rank: list[tuple[int, int]]  # per lane: (its index among the case's explicit lanes, first item order)
    item_lane: np.ndarray  # lane of every item
    item_event: np.ndarray  # the event of every item, numbered by first appearance in the case
    item_dated: np.ndarray  # drawn on its lane: revealed and with a time
    item_undated: np.ndarray  # drawn in the undated strip when the case has one: revealed, no time, course or point
    undated_lanes: np.ndarray  # lanes holding an item without a time (revealed or not): the strip exists
    item_min: np.ndarray  # smallest finite day an item contributes to the layout's extent (nan: none)
    item_max: np.ndarray
    bars: MarkColumns
    brackets: MarkColumns  # one per cycle, under its administrations: x0 = first, x1 = last day (+1 when composed)
    points: MarkColumns
    whiskers: MarkColumns
    label_x: np.ndarray
    label_x_end: np.ndarray  # a course's end (nan: a point, or an open course)
    label_lane: np.ndarray
    label_priority: np.ndarray
    label_item: np.ndarray
    label_text: np.ndarray  # indexes label_texts
    label_texts: list[str]
    severity: list[tuple[int, np.ndarray, np.ndarray, float, float]]  # (lane, xs, values, min, max), by lane
    rule_x: np.ndarray  # death and remission milestones: a rule across the case's rows
    rule_lane: np.ndarray
    rule_item: np.ndarray
    lane_lo: np.ndarray  # per lane: the smallest item_min of its dated items (nan: none), for a layout's extent
    lane_hi: np.ndarray

    @property
    def n_items(self) -> int:
        return int(self.item_lane.shape[0])


class _Marks:
    __slots__ = ("color", "item", "lane", "style", "x0", "x1")

    def __init__(self) -> None:
        self.x0: list[float] = []
        self.x1: list[float] = []
        self.lane: list[int] = []
        self.color: list[int] = []
        self.item: list[int] = []
        self.style: list[int] = []

    def add(self, x0: float, x1: float, lane: int, color: int, item: int, style: int) -> None:
        self.x0.append(x0)
        self.x1.append(x1)
        self.lane.append(lane)
        self.color.append(color)
        self.item.append(item)
        self.style.append(style)

    def columns(self) -> MarkColumns:
        return MarkColumns(np.asarray(self.x0, dtype=np.float64), np.asarray(self.x1, dtype=np.float64),
                           np.asarray(self.lane, dtype=np.int32), np.asarray(self.color, dtype=np.int32),
                           np.asarray(self.item, dtype=np.int32), np.asarray(self.style, dtype=np.int32))


def _whisker_style(lo: float, hi: float) -> int:
    return (0 if math.isfinite(lo) else WHISKER_OPEN_START) | (0 if math.isfinite(hi) else WHISKER_OPEN_END)


def case_columns(case: ResolvedCase, category_index: dict[Category, int],
                 revealed: frozenset[str] | None = None) -> CaseColumns:
    """One pass over the case's items (the only per-item Python of a layout; see the module docstring)."""
    from caseline.layout.timeline_layout import point_style
    items = case.items
    n = len(items)
    lane_ids: dict[LaneKey, int] = {}
    lanes: list[LaneKey] = []
    explicit = {name: i for i, name in enumerate(case.case.lanes)}
    lane_rank: list[tuple[int, int]] = []
    item_lane = np.empty(n, dtype=np.int32)
    item_event = np.empty(n, dtype=np.int64)
    events: dict[str, int] = {}
    item_dated = np.zeros(n, dtype=bool)
    item_undated = np.zeros(n, dtype=bool)
    item_min = np.full(n, math.nan)
    item_max = np.full(n, math.nan)
    undated_lanes: set[int] = set()
    bars, points, whiskers, brackets = _Marks(), _Marks(), _Marks(), _Marks()
    lx: list[float] = []
    lx_end: list[float] = []
    llane: list[int] = []
    lprio: list[int] = []
    litem: list[int] = []
    ltext: list[int] = []
    texts: dict[str, int] = {}
    cycle_spans: dict[tuple[int, str, int], tuple[int, int, list[float]]] = {}
    severity_points: dict[int, list[tuple[float, float, float, float]]] = {}
    rules: list[tuple[float, int, int]] = []
    stopped = frozenset(e.target for e in case.case.events if KIND_SPECS[e.kind].ends_target and e.target)
    isfinite = math.isfinite
    nan = math.nan
    course, severity_role, point_role, dose_role, state_role = (
        ItemRole.COURSE, ItemRole.SEVERITY, ItemRole.POINT, ItemRole.DOSE, ItemRole.STATE)

    def add_label(x: float, x_end: float, lane: int, priority: int, index: int, text: str) -> None:
        lx.append(x)
        lx_end.append(x_end)
        llane.append(lane)
        lprio.append(priority)
        litem.append(index)
        ltext.append(texts.setdefault(text, len(texts)))

    for index, item in enumerate(items):
        key = (item.category, item.lane)
        lane = lane_ids.get(key)
        if lane is None:
            lane = lane_ids[key] = len(lanes)
            lanes.append(key)
            lane_rank.append((explicit.get(item.lane, len(explicit)), index))
        item_lane[index] = lane
        item_event[index] = events.setdefault(item.event_id, len(events))
        start = item.start
        if start is None:
            undated_lanes.add(lane)
        if (revealed is not None and item.item_id not in revealed and item.event_id not in revealed
                and f"{item.case_id}/{item.item_id}" not in revealed):  # teaching: timeline.reveal.reveal_key
            continue
        role = item.role
        if start is None:
            if role is course or role is point_role:
                item_undated[index] = True
            continue
        item_dated[index] = True
        color = category_index[item.category]
        lo, best, hi = start.lo, start.best, start.hi
        finite = [v for v in (lo, best, hi) if isfinite(v)]
        if role is course and getattr(item.event, "absent", False):  # a pertinent negative: a mark, never a band
            points.add(best, best, lane, color, index, Glyph.ABSENT)
            add_label(best, nan, lane, 1, index, label_text(item))
        elif role is course:
            end = item.end
            spec = KIND_SPECS[item.kind]
            style = BAND if spec.band else 0
            if end is not None and isfinite(end.best):
                x1 = end.best
                finite.extend(v for v in (end.lo, end.hi) if isfinite(v))
                finite.append(x1)
                if item.event.id in stopped and item.event.end is None:
                    style |= STOPPED
                if end.lo != end.hi:
                    if isfinite(end.lo) and isfinite(end.hi):
                        bars.add(end.lo, end.hi, lane, color, index, UNCERTAIN)
                    else:
                        whiskers.add(end.lo, end.hi, lane, color, index, _whisker_style(end.lo, end.hi))
            else:
                x1 = nan  # resolved when composed: the layout's right edge
                style |= OPEN_END
            if item.open_end:
                style |= OPEN_END
            if not (isfinite(lo) and isfinite(hi)):
                style |= OPEN_START
                whiskers.add(lo, hi, lane, color, index, _whisker_style(lo, hi))
            elif lo != hi:
                bars.add(lo, hi, lane, color, index, UNCERTAIN)
            bars.add(best, x1, lane, color, index, style)
            if spec.glyph is not None:  # a course with a mark at its start (a symptom's onset)
                points.add(best, best, lane, color, index, spec.glyph)
            add_label(best, x1, lane, 2, index, label_text(item))
        elif role is severity_role:
            sev = item.event.severity
            if item.value is not None and sev is not None:
                severity_points.setdefault(lane, []).append((best, item.value, sev.minimum, sev.maximum))
            points.add(best, best, lane, color, index, Glyph.CIRCLE)
        else:
            points.add(best, best, lane, color, index, point_style(item))
            if lo != hi:
                whiskers.add(lo, hi, lane, color, index, _whisker_style(lo, hi))
            if role is dose_role and item.cycle is not None and isfinite(best):
                cycle_spans.setdefault((lane, item.event_id, item.cycle), (color, index, []))[2].append(best)
            if role is point_role:
                milestone = item.kind is Kind.MILESTONE
                add_label(best, nan, lane, 3 if milestone else 1, index, label_text(item))
                if milestone and item.event.milestone in (MilestoneType.DEATH, MilestoneType.REMISSION):
                    rules.append((best, lane, index))
            elif role is state_role:
                add_label(best, nan, lane, 0, index, item.state)
            elif role is ItemRole.PHASE:  # a phase of a course, or a new dose: 'maintenance 5 mg/kg'
                add_label(best, nan, lane, 1, index, label_text(item))
        if finite:
            item_min[index] = min(finite)
            item_max[index] = max(finite)
    for (lane, _event_id, _cycle), (color, index, days) in cycle_spans.items():
        if len(days) > 1:
            brackets.add(min(days), max(days), lane, color, index, CYCLE)
    lane_lo = np.full(len(lanes), math.nan)
    lane_hi = np.full(len(lanes), math.nan)
    np.fmin.at(lane_lo, item_lane[item_dated], item_min[item_dated])  # fmin: nan where a lane has no finite day
    np.fmax.at(lane_hi, item_lane[item_dated], item_max[item_dated])
    severity = []
    for lane, pts in sorted(severity_points.items()):
        pts.sort()
        severity.append((lane, np.array([p[0] for p in pts]), np.array([p[1] for p in pts]), pts[0][2], pts[0][3]))
    return CaseColumns(
        case=case, revealed=revealed, lanes=lanes, lane_index=lane_ids, lane_rank=lane_rank, item_lane=item_lane,
        item_event=item_event,
        item_dated=item_dated, item_undated=item_undated,
        undated_lanes=np.asarray(sorted(undated_lanes), dtype=np.int32), item_min=item_min, item_max=item_max,
        bars=bars.columns(), brackets=brackets.columns(), points=points.columns(), whiskers=whiskers.columns(),
        label_x=np.asarray(lx, dtype=np.float64), label_x_end=np.asarray(lx_end, dtype=np.float64),
        label_lane=np.asarray(llane, dtype=np.int32), label_priority=np.asarray(lprio, dtype=np.int64),
        label_item=np.asarray(litem, dtype=np.int32), label_text=np.asarray(ltext, dtype=np.int32),
        label_texts=list(texts), severity=severity,
        rule_x=np.asarray([r[0] for r in rules], dtype=np.float64),
        rule_lane=np.asarray([r[1] for r in rules], dtype=np.int32),
        rule_item=np.asarray([r[2] for r in rules], dtype=np.int32), lane_lo=lane_lo, lane_hi=lane_hi,
    )


class PreparedColumns:
    """Columns made ahead of the layout that will want them: a loading thread makes each case's columns after
    resolving it (pure Python and numpy, no Qt), so a (re)load reaching the window only composes them.

    Held by case object (checked by identity), the most recent first, up to MAX_ITEMS items in all; a case no
    longer loaded is dropped as newer ones come."""

    MAX_ITEMS = 3_000_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._found: dict[int, CaseColumns] = {}  # id(case) -> its columns (which hold the case)
        self._items = 0

    def prepare(self, cases: Sequence[ResolvedCase], category_index: dict[Category, int]) -> None:
        from caseline.layout.tracks import case_tracks

        for case in cases:
            col = case_columns(case, category_index, None)
            case_tracks(col)  # its numeric tracks too
            with self._lock:
                old = self._found.pop(id(case), None)
                self._items -= old.n_items if old is not None else 0
                self._found[id(case)] = col
                self._items += col.n_items
                while self._items > self.MAX_ITEMS and len(self._found) > 1:
                    oldest = next(iter(self._found))
                    self._items -= self._found.pop(oldest).n_items

    def forget(self, cases: Sequence[ResolvedCase]) -> None:
        """Let go of the columns of ``cases`` (their document was closed: the layouts showing them keep theirs)."""
        with self._lock:
            for case in cases:
                found = self._found.get(id(case))
                if found is not None and found.case is case:
                    self._items -= self._found.pop(id(case)).n_items

    def take(self, case: ResolvedCase, revealed: frozenset[str] | None) -> CaseColumns | None:
        """The columns made for ``case`` (this very object), when they are the ones wanted."""
        if revealed is not None:
            return None
        with self._lock:
            found = self._found.get(id(case))
        return found if found is not None and found.case is case else None


PREPARED = PreparedColumns()


def prepare_columns(cases: Sequence[ResolvedCase]) -> None:
    """Make the cases' columns now (on a loading thread), for the layout that will show them."""
    from caseline.layout.timeline_layout import CATEGORY_INDEX

    PREPARED.prepare(cases, CATEGORY_INDEX)
