"""Timeline layout: lanes in rows, marks as numpy arrays, hit-testing. Pure geometry, no Qt.

One layout serves one case or many stacked cases (the comparison view): each case is a group
of rows (a header row, then its lanes in the shared category order), and every mark carries
the index of the item it draws so a view can map a mouse position back to an event.
Rows run downwards: row ``r`` spans y in [r, r + 1) and its centre is ``r + 0.5``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import IntEnum, IntFlag
from typing import overload

import numpy as np

from caseline.layout.case_columns import PREPARED, CaseColumns, case_columns
from caseline.layout.composition import Kept as _Kept
from caseline.layout.composition import gather as _gather
from caseline.model._fast_init import fast_frozen_init
from caseline.model.clinical import RechallengeOutcome
from caseline.model.kinds import (
    CATEGORY_ORDER,
    KIND_SPECS,
    MILESTONE_GLYPHS,
    Category,
    Glyph,
    Interpretation,
    Kind,
)
from caseline.timeline.resolved import Item, ItemRole, ResolvedCase


class RowKind(IntEnum):
    LANE = 0  # the lane of one case
    HEADER = 1  # a case's header (title, patient, citation)
    UNDATED = 2  # the "Time not stated" strip of a case


class BarStyle(IntFlag):
    """How a bar (a course, an uncertainty span, a cycle bracket) is drawn."""

    OPEN_END = 1  # fades out to the right: still running or end not stated
    STOPPED = 2  # ended by a dechallenge: draw a stop mark
    BAND = 4  # a light band (a symptom's course), not a solid bar
    UNCERTAIN = 8  # an uncertainty band (start or end span), drawn soft
    CYCLE = 16  # one cycle of a cyclic schedule (grouping bracket)
    OPEN_START = 32  # start only bounded: fades in from the left


class WhiskerEnd(IntFlag):
    """Which end of an uncertainty whisker the source leaves open ("after X", gap not stated)."""

    CLOSED = 0
    OPEN_START = 1  # earlier, by an amount not stated
    OPEN_END = 2  # later, by an amount not stated


class PointFlag(IntFlag):
    """Bits a point's style carries above its Glyph code."""

    ABNORMAL = 256  # an abnormal or borderline result: drawn filled
    UNSTATED = 512  # a result the source does not interpret (no interpretation, or 'unknown'): dotted outline


GLYPH_MASK = 255


CATEGORY_INDEX = {category: i for i, category in enumerate(CATEGORY_ORDER)}



@fast_frozen_init
@dataclass(frozen=True, slots=True)
class Row:
    kind: RowKind
    case_index: int
    case_id: str
    lane: str  # lane name ("" for headers)
    category: Category | None
    y: float  # top of the row


@dataclass(frozen=True, slots=True)
class LayoutOptions:
    hidden_lanes: frozenset[str] = frozenset()  # lane names hidden in every case
    hidden_categories: frozenset[Category] = frozenset()
    shared_lanes_only: bool = False
    shifts: dict[str, float] = field(default_factory=dict)  # case id -> days added (alignment)
    headers: bool = True  # one header row per case
    undated_strip: bool = True
    revealed: frozenset[str] | None = None  # item ids, or 'case id/item id', shown (teaching reveal); None = all


@dataclass
class Marks:
    """Arrays of one kind of mark. ``item`` indexes TimelineLayout.items."""

    x0: np.ndarray
    x1: np.ndarray
    y: np.ndarray
    color: np.ndarray  # category index
    item: np.ndarray
    style: np.ndarray  # bars: bit flags; points: glyph code

    @staticmethod
    def empty() -> Marks:
        f = np.zeros(0, dtype=np.float64)
        i = np.zeros(0, dtype=np.int32)
        return Marks(f, f.copy(), f.copy(), i, i.copy(), i.copy())

    @staticmethod
    def from_lists(x0: list[float], x1: list[float], y: list[float], color: list[int], item: list[int],
                   style: list[int]) -> Marks:
        return Marks(np.asarray(x0, dtype=np.float64), np.asarray(x1, dtype=np.float64),
                     np.asarray(y, dtype=np.float64), np.asarray(color, dtype=np.int32),
                     np.asarray(item, dtype=np.int32), np.asarray(style, dtype=np.int32))

    def __len__(self) -> int:
        return int(self.x0.shape[0])


@dataclass
class Label:
    x: float
    y: float  # row centre
    text: str
    item: int
    priority: int  # higher wins when labels collide
    x_end: float = math.nan  # a course's end (nan: a point); the label shows while the mark is in view


@dataclass(frozen=True)
class LabelColumns:
    """The labels of a layout as columns: what a paint selects from with numpy (one entry per label,
    in ``TimelineLayout.labels`` order). ``text`` indexes ``texts``, the distinct label strings."""

    x: np.ndarray  # start, in data units (alignment shift applied)
    x_end: np.ndarray  # a course's end; x for a point (the label shows while its mark is in view)
    y: np.ndarray  # row centre
    row: np.ndarray
    priority: np.ndarray
    item: np.ndarray
    text: np.ndarray
    texts: list[str]

    def __len__(self) -> int:
        return int(self.x.shape[0])

    @staticmethod
    def from_labels(labels: Sequence[Label]) -> LabelColumns:
        ids: dict[str, int] = {}
        text = np.array([ids.setdefault(lab.text, len(ids)) for lab in labels], dtype=np.int32)
        x = np.array([lab.x for lab in labels], dtype=np.float64)
        x_end = np.array([lab.x_end for lab in labels], dtype=np.float64)
        y = np.array([lab.y for lab in labels], dtype=np.float64)
        return LabelColumns(x=x, x_end=np.where(np.isnan(x_end), x, x_end), y=y,
                            row=np.floor(y).astype(np.int64),
                            priority=np.array([lab.priority for lab in labels], dtype=np.int64),
                            item=np.array([lab.item for lab in labels], dtype=np.int64), text=text,
                            texts=list(ids))


class LazyLabels(Sequence[Label]):
    """``TimelineLayout.labels`` of a composed layout: Label objects made only when asked for, from the columns
    (a paint reads the columns; a million labels as objects cost more than the whole layout)."""

    def __init__(self, columns: LabelColumns, x_end: np.ndarray) -> None:
        self._columns = columns
        self._x_end = x_end  # nan for a point, as Label.x_end

    def __len__(self) -> int:
        return len(self._columns)

    @overload
    def __getitem__(self, index: int) -> Label: ...

    @overload
    def __getitem__(self, index: slice) -> list[Label]: ...

    def __getitem__(self, index: int | slice) -> Label | list[Label]:
        if isinstance(index, slice):
            return [self[k] for k in range(*index.indices(len(self)))]
        c = self._columns
        if index < 0:
            index += len(c)
        if not 0 <= index < len(c):
            raise IndexError(index)
        return Label(float(c.x[index]), float(c.y[index]), c.texts[int(c.text[index])], int(c.item[index]),
                     int(c.priority[index]), float(self._x_end[index]))

    def __iter__(self) -> Iterator[Label]:
        return (self[k] for k in range(len(self)))


@dataclass
class TimelineLayout:
    cases: list[ResolvedCase]
    rows: list[Row]
    items: Sequence[Item]
    item_case: np.ndarray  # case index of each item
    item_row: np.ndarray  # row index of each item (-1 when hidden)
    bars: Marks
    points: Marks
    whiskers: Marks  # uncertainty spans of points and starts: x0..x1 at y
    severity: list[tuple[int, np.ndarray, np.ndarray, float, float]]  # (row, xs, values, min, max)
    labels: Sequence[Label]
    undated: list[int]  # item indices without a time, drawn in the undated strip
    shifts: dict[str, float]
    rules: list[tuple[float, int, int, int]]  # (x, first row, last row, item): death/remission rules
    x_range: tuple[float, float]
    columns: list[CaseColumns] = field(default_factory=list, repr=False)  # per case, for build_layout(reuse=)

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    def label_columns(self) -> LabelColumns:
        """The labels as columns (made once per layout)."""
        found = self.__dict__.get("_label_columns")
        if found is None:
            found = self.__dict__["_label_columns"] = LabelColumns.from_labels(self.labels)
        return found  # type: ignore[no-any-return]

    def item_event(self) -> np.ndarray:
        """The event of each item, numbered by first appearance ((case id, event id) pairs; made once per layout)."""
        found = self.__dict__.get("_item_event")
        if found is None:
            ids = [c.id for c in self.cases]
            if (len(self.columns) == len(self.cases) and len(set(ids)) == len(ids)
                    and sum(col.n_items for col in self.columns) == len(self.items)):
                parts, base = [], 0
                for col in self.columns:
                    parts.append(col.item_event + base)
                    base += int(col.item_event.max()) + 1 if col.n_items else 0
                found = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
            else:  # a swimmer layout, or one case shown twice: its events are one
                keys: dict[tuple[str, str], int] = {}
                found = np.array([keys.setdefault((item.case_id, item.event_id), len(keys)) for item in self.items],
                                 dtype=np.int64)
            self.__dict__["_item_event"] = found
        return found  # type: ignore[no-any-return]

    def row_of_y(self, y: float) -> int | None:
        r = math.floor(y)
        return r if 0 <= r < len(self.rows) else None

    def case_rows(self, case_index: int) -> list[int]:
        return [i for i, row in enumerate(self.rows) if row.case_index == case_index]

    def hit(self, x: float, y: float, days_per_px: float, tolerance_px: float = 6.0) -> int | None:
        """Index of the item under (x, y) in data coordinates, preferring points over bars."""
        row = self.row_of_y(y)
        if row is None:
            return None
        ry = row + 0.5
        tol = tolerance_px * days_per_px
        p = self.points
        if len(p):
            sel = np.nonzero(p.y == ry)[0]
            if sel.size:
                d = np.abs(p.x0[sel] - x)
                k = int(np.argmin(d))
                if d[k] <= tol:
                    return int(p.item[sel[k]])
        b = self.bars
        if len(b):
            drawn_as_bar = (b.style & (BarStyle.UNCERTAIN | BarStyle.CYCLE)) == 0
            sel = np.nonzero((b.y == ry) & (b.x0 - tol <= x) & (b.x1 + tol >= x) & drawn_as_bar)[0]
            if sel.size:
                # the shortest bar under the cursor is the most specific one
                k = int(np.argmin(b.x1[sel] - b.x0[sel]))
                return int(b.item[sel[k]])
        return None

    def item_position(self, index: int) -> tuple[float, float] | None:
        """Data position of an item's mark (start, row centre), or None when it is not drawn."""
        item = self.items[index]
        row = int(self.item_row[index])
        if row < 0 or item.start is None:
            return None
        return item.start.best + self.shifts.get(item.case_id, 0.0), row + 0.5


def lane_key(item: Item) -> tuple[int, str]:
    return CATEGORY_INDEX[item.category], item.lane


def lane_order(cases: Sequence[ResolvedCase]) -> list[tuple[Category, str]]:
    """Lanes of all cases in one stable order: by category, then first appearance."""
    seen: dict[tuple[Category, str], tuple[int, int, int]] = {}
    for case_index, case in enumerate(cases):
        explicit = {name: i for i, name in enumerate(case.case.lanes)}
        for order, item in enumerate(case.items):
            key = (item.category, item.lane)
            rank = (CATEGORY_INDEX[item.category], explicit.get(item.lane, len(explicit)),
                    case_index * 1_000_000 + order)
            if key not in seen or rank < seen[key]:
                seen[key] = rank
    return sorted(seen, key=lambda k: seen[k])


def point_style(item: Item) -> int:
    """A point's style: its glyph and flags (filled, not interpreted)."""
    style = glyph_of(item) | (PointFlag.ABNORMAL if is_abnormal(item) else 0)
    if item.kind is Kind.INVESTIGATION and not item.event.absent and item.event.interpretation in (
            None, Interpretation.UNKNOWN):
        style |= PointFlag.UNSTATED
    return int(style)


def glyph_of(item: Item) -> Glyph:
    """The mark of a point item: an administration, a course change, else its kind's (caseline.model.kinds)."""
    if item.role is ItemRole.DOSE:
        return Glyph.DOSE
    if item.role is ItemRole.PHASE:
        return Glyph.PHASE
    if item.role in (ItemRole.STATE, ItemRole.SEVERITY):
        return Glyph.CIRCLE
    if item.event.milestone is not None and item.event.milestone in MILESTONE_GLYPHS:
        return MILESTONE_GLYPHS[item.event.milestone]
    if item.event.absent:
        return Glyph.ABSENT
    return KIND_SPECS[item.kind].glyph or Glyph.FLAG


def is_abnormal(item: Item) -> bool:
    """Drawn filled: an abnormal or borderline result; a re-exposure unless the reaction did not recur."""
    if item.kind is Kind.RECHALLENGE:
        return item.event.rechallenge_outcome is not RechallengeOutcome.DID_NOT_RECUR
    return item.event.interpretation in (Interpretation.ABNORMAL, Interpretation.BORDERLINE)


def build_layout(cases: Sequence[ResolvedCase], options: LayoutOptions | None = None,
                 reuse: TimelineLayout | None = None) -> TimelineLayout:
    """Lay out one or more resolved cases as rows of marks.

    Each case's marks are columns made once (:mod:`caseline.layout.case_columns`); a layout composes
    them: a lane hidden is a mask, a row a lookup, an alignment shift an addition. ``reuse``: a layout
    of (some of) the same case objects, whose columns are taken instead of walking their items again
    (what a switch of alignment, sort or hidden lanes costs: numpy over the marks, no per-item Python).
    """
    options = options or LayoutOptions()
    cases = list(cases)
    known = {id(c.case): c for c in reuse.columns} if reuse is not None else {}
    columns = []
    for case in cases:
        found = known.get(id(case))
        if found is None or found.case is not case or found.revealed != options.revealed:
            found = PREPARED.take(case, options.revealed) or case_columns(case, CATEGORY_INDEX, options.revealed)
        columns.append(found)
    kept = reuse.__dict__.get("_kept") if reuse is not None else None
    if not isinstance(kept, _Kept) or len(kept.strings) > 1_000_000:
        kept = _Kept()
    layout = _compose(cases, columns, options, kept)
    kept.forget_others(columns)
    layout.__dict__["_kept"] = kept
    return layout


def _compose(cases: list[ResolvedCase], columns: list[CaseColumns], options: LayoutOptions,
             kept: _Kept) -> TimelineLayout:
    order = kept.order(columns)
    if options.shared_lanes_only and len(cases) > 1:
        shared = set.intersection(*[set(col.lanes) for col in columns]) if columns else set()
        order = [k for k in order if k in shared]
    visible = [k for k in order if k[1] not in options.hidden_lanes and k[0] not in options.hidden_categories]
    rows_key = (tuple(id(c) for c in columns), tuple(visible), options.headers, options.undated_strip)
    found = kept.rows.get(rows_key)
    if found is not None and all(a is b for a, b in zip(found[0], columns, strict=True)):
        rows, lane_rows, undated_rows, first_rows, last_rows = found[1]  # a switch of alignment: the same rows
    else:
        rows, lane_rows, undated_rows, first_rows, last_rows = _rows(cases, columns, visible, options)
        if len(kept.rows) >= 4:
            kept.rows.clear()
        kept.rows[rows_key] = (list(columns), (rows, lane_rows, undated_rows, first_rows, last_rows))
    shifts = {c.id: float(options.shifts.get(c.id, 0.0)) for c in cases}
    shift = np.array([shifts[c.id] for c in cases], dtype=np.float64)
    shifted = bool(np.any(shift))  # (unshifted: a case's own arrays are taken as they are, not added to)
    g = kept.gathered(cases, columns)
    # each lane's row, and one more (always -1) for the items not drawn on a lane: see Gathered.item_lane
    row_table = np.append(_gather(lane_rows, np.int64).astype(np.int32), np.int32(-1))
    items = g.items
    item_case = g.item_case
    item_row = row_table[g.item_lane]
    if g.undated_item.size:  # drawn in their case's undated strip (when it is shown and their lane is)
        strip = undated_rows[item_case[g.undated_item]]
        shown = (row_table[g.undated_lane] >= 0) & (strip >= 0)
        undated = g.undated_item[shown]
        item_row[undated] = strip[shown]
        undated = undated.tolist()
    else:
        undated = []

    # the extent: each shown lane's own (made with its case's columns), shifted
    lane_shown = row_table[:-1] >= 0
    lo_values = g.lane_lo[lane_shown] + shift[g.lane_case[lane_shown]]
    hi_values = g.lane_hi[lane_shown] + shift[g.lane_case[lane_shown]]
    lo_values = lo_values[~np.isnan(lo_values)]
    hi_values = hi_values[~np.isnan(hi_values)]
    if lo_values.size:
        x_lo, x_hi = float(lo_values.min()), float(hi_values.max())
    else:
        x_lo, x_hi = -7.0, 56.0
    if x_hi - x_lo < 14:
        x_hi = x_lo + 14
    # open-ended courses run to the right edge of everything known (and fade there)
    open_to = x_hi + max(7.0, 0.05 * (x_hi - x_lo))
    open_from = x_lo - max(7.0, 0.05 * (x_hi - x_lo))

    def marks(kind: str) -> Marks:
        case_of, lane, x0, x1, color, item, style = g.marks[kind]
        row = row_table[lane]
        keep = row >= 0
        if not keep.all():  # (a hidden lane; otherwise no copies)
            case_of, row, x0, x1, color, item, style = (
                a[keep] for a in (case_of, row, x0, x1, color, item, style))
        if shifted:
            s = shift[case_of]
            x0, x1 = x0 + s, x1 + s
        return Marks(_read_only(x0), _read_only(x1), row + 0.5, _read_only(color), _read_only(item), _read_only(style))

    bars = marks("bars")
    brackets = marks("brackets")
    x1 = np.concatenate((bars.x1, brackets.x1 + 1.0))
    x1[np.isnan(x1)] = open_to
    bars = Marks(np.concatenate((bars.x0, brackets.x0)), x1,
                 *(np.concatenate((getattr(bars, f), getattr(brackets, f))) for f in ("y", "color", "item", "style")))
    points = marks("points")
    whiskers = marks("whiskers")
    if whiskers.x0.size:
        whiskers = Marks(np.where(np.isfinite(whiskers.x0), whiskers.x0, open_from),
                         np.where(np.isfinite(whiskers.x1), whiskers.x1, open_to),
                         whiskers.y, whiskers.color, whiskers.item, whiskers.style)

    label_row = row_table[g.label_lane]
    keep = label_row >= 0
    every = bool(keep.all())
    label_case, lx, lx_end, priority, global_text, label_item = (
        (a if every else a[keep]) for a in (g.label_case, g.label_x, g.label_x_end, g.label_priority, g.label_text,
                                             g.label_item))
    label_row = label_row if every else label_row[keep]
    if shifted:
        s = shift[label_case]
        lx, lx_end = lx + s, lx_end + s
    lx_end = np.where(np.isnan(lx_end) & (priority == 2), open_to, lx_end)
    # the distinct strings, in order of first use (as the labels' own text column)
    if global_text.size:
        # each string's first use, without sorting the labels (the table's ids are few and dense: np.unique
        # sorted a million labels, 185 ms; this is 10 ms)
        first = np.full(len(kept.strings), global_text.size, dtype=np.int64)
        np.minimum.at(first, global_text, np.arange(global_text.size, dtype=np.int64))
        used = np.flatnonzero(first < global_text.size)
        by_first = used[np.argsort(first[used], kind="stable")]
        rank = np.empty(len(kept.strings), dtype=np.int32)
        rank[by_first] = np.arange(by_first.size, dtype=np.int32)
        text_ids = rank[global_text]
        label_texts = [kept.strings[t] for t in by_first.tolist()]
    else:
        text_ids = np.zeros(0, dtype=np.int32)
        label_texts = []
    label_columns = LabelColumns(
        x=lx, x_end=np.where(np.isnan(lx_end), lx, lx_end), y=label_row + 0.5,
        row=label_row.astype(np.int64), priority=priority, item=label_item,
        text=text_ids, texts=label_texts)

    severity = []
    for case_index, col in enumerate(columns):
        lane_row = lane_rows[case_index]
        for lane, xs, values, low, high in col.severity:
            if lane_row[lane] >= 0:
                severity.append((int(lane_row[lane]), xs + shift[case_index], values, low, high))
    # death and remission rules across each case's rows
    shown = row_table[g.rule_lane] >= 0
    rule_case = g.rule_case[shown]
    rule_arrays = (g.rule_x[shown] + shift[rule_case], first_rows[rule_case], last_rows[rule_case],
                   g.rule_item[shown].astype(np.int64))
    rules = list(zip(*(a.tolist() for a in rule_arrays), strict=True))
    layout = TimelineLayout(
        cases=cases, rows=rows, items=items, item_case=item_case, item_row=item_row,
        bars=bars, points=points, whiskers=whiskers, severity=severity,
        labels=LazyLabels(label_columns, lx_end), undated=undated, shifts=shifts, rules=rules,
        x_range=(x_lo, open_to), columns=columns,
    )
    layout.__dict__["_label_columns"] = label_columns
    layout.__dict__["_rule_arrays"] = rule_arrays
    return layout


def _read_only(a: np.ndarray) -> np.ndarray:
    """A view that cannot be written: a composed layout's marks may be its cases' own columns."""
    view = a.view()
    view.flags.writeable = False
    return view


def _rows(cases: list[ResolvedCase], columns: list[CaseColumns], visible: list[tuple[Category, str]],
          options: LayoutOptions) -> tuple[list[Row], list[np.ndarray], np.ndarray, np.ndarray, np.ndarray]:
    """The rows of cases in this order, each case's lanes' rows (-1: hidden), its undated strip's row, its first
    and last row (kept for the next layout: a switch of alignment has the same rows)."""
    rows: list[Row] = []
    lane_rows: list[np.ndarray] = []  # per case: the row of each of its lanes (-1: hidden)
    undated_rows = np.full(len(cases), -1, dtype=np.int64)
    first_rows = np.zeros(len(cases), dtype=np.int64)
    last_rows = np.zeros(len(cases), dtype=np.int64)
    for case_index, (case, col) in enumerate(zip(cases, columns, strict=True)):
        first_rows[case_index] = len(rows)
        local = col.lane_index
        lane_row = np.full(len(col.lanes), -1, dtype=np.int64)
        if options.headers:
            rows.append(Row(RowKind.HEADER, case_index, case.id, "", None, float(len(rows))))
        for key in visible:
            k = local.get(key)
            if k is not None:
                lane_row[k] = len(rows)
                rows.append(Row(RowKind.LANE, case_index, case.id, key[1], key[0], float(len(rows))))
        if options.undated_strip and col.undated_lanes.size and bool(np.any(lane_row[col.undated_lanes] >= 0)):
            undated_rows[case_index] = len(rows)
            rows.append(Row(RowKind.UNDATED, case_index, case.id, "Time not stated", None, float(len(rows))))
        last_rows[case_index] = len(rows) - 1
        lane_rows.append(lane_row)
    return rows, lane_rows, undated_rows, first_rows, last_rows


def visible_lanes(cases: Iterable[ResolvedCase]) -> list[tuple[Category, str]]:
    return lane_order(list(cases))
