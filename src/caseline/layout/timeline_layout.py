"""Timeline layout: lanes in rows, marks as numpy arrays, hit-testing. Pure geometry, no Qt.

One layout serves one case or many stacked cases (the comparison view): each case is a group
of rows (a header row, then its lanes in the shared category order), and every mark carries
the index of the item it draws so a view can map a mouse position back to an event.
Rows run downwards: row ``r`` spans y in [r, r + 1) and its centre is ``r + 0.5``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum, IntFlag

import numpy as np

from caseline.model.kinds import (
    CATEGORY_ORDER,
    KIND_SPECS,
    MILESTONE_GLYPHS,
    Category,
    FieldGroup,
    Glyph,
    Interpretation,
    Kind,
    MilestoneType,
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


GLYPH_MASK = 255


CATEGORY_INDEX = {category: i for i, category in enumerate(CATEGORY_ORDER)}



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


@dataclass
class TimelineLayout:
    cases: list[ResolvedCase]
    rows: list[Row]
    items: list[Item]
    item_case: np.ndarray  # case index of each item
    item_row: np.ndarray  # row index of each item (-1 when hidden)
    bars: Marks
    points: Marks
    whiskers: Marks  # uncertainty spans of points and starts: x0..x1 at y
    severity: list[tuple[int, np.ndarray, np.ndarray, float, float]]  # (row, xs, values, min, max)
    labels: list[Label]
    undated: list[int]  # item indices without a time, drawn in the undated strip
    shifts: dict[str, float]
    rules: list[tuple[float, int, int, int]]  # (x, first row, last row, item): death/remission rules
    x_range: tuple[float, float]

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    def label_columns(self) -> LabelColumns:
        """The labels as columns (made once per layout)."""
        found = self.__dict__.get("_label_columns")
        if found is None:
            found = self.__dict__["_label_columns"] = LabelColumns.from_labels(self.labels)
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


def glyph_of(item: Item) -> Glyph:
    """The mark of a point item: an administration, a course change, else its kind's (caseline.model.kinds)."""
    if item.role is ItemRole.DOSE:
        return Glyph.DOSE
    if item.role in (ItemRole.STATE, ItemRole.SEVERITY):
        return Glyph.CIRCLE
    if item.event.milestone is not None and item.event.milestone in MILESTONE_GLYPHS:
        return MILESTONE_GLYPHS[item.event.milestone]
    return KIND_SPECS[item.kind].glyph or Glyph.FLAG


def is_abnormal(item: Item) -> bool:
    return item.event.interpretation in (Interpretation.ABNORMAL, Interpretation.BORDERLINE)


def build_layout(cases: Sequence[ResolvedCase], options: LayoutOptions | None = None) -> TimelineLayout:
    """Lay out one or more resolved cases as rows of marks."""
    options = options or LayoutOptions()
    cases = list(cases)
    order = lane_order(cases)
    if options.shared_lanes_only and len(cases) > 1:
        per_case = [{(i.category, i.lane) for i in c.items} for c in cases]
        shared = set.intersection(*per_case) if per_case else set()
        order = [k for k in order if k in shared]
    visible = [k for k in order if k[1] not in options.hidden_lanes and k[0] not in options.hidden_categories]

    rows: list[Row] = []
    row_index: dict[tuple[int, Category, str], int] = {}
    undated_row: dict[int, int] = {}
    items: list[Item] = []
    item_case: list[int] = []
    for case_index, case in enumerate(cases):
        has = {(i.category, i.lane) for i in case.items}
        if options.headers:
            rows.append(Row(RowKind.HEADER, case_index, case.id, "", None, float(len(rows))))
        for category, lane in visible:
            if (category, lane) in has:
                row_index[(case_index, category, lane)] = len(rows)
                rows.append(Row(RowKind.LANE, case_index, case.id, lane, category, float(len(rows))))
        if options.undated_strip and any(
            i.start is None and (i.category, i.lane) in set(visible) for i in case.items
        ):
            undated_row[case_index] = len(rows)
            rows.append(Row(RowKind.UNDATED, case_index, case.id, "Time not stated", None, float(len(rows))))
        for item in case.items:
            items.append(item)
            item_case.append(case_index)

    shifts = {c.id: float(options.shifts.get(c.id, 0.0)) for c in cases}
    item_row = np.full(len(items), -1, dtype=np.int32)
    bx0: list[float] = []
    bx1: list[float] = []
    by: list[float] = []
    bc: list[int] = []
    bi: list[int] = []
    bs: list[int] = []
    px: list[float] = []
    py: list[float] = []
    pc: list[int] = []
    pi: list[int] = []
    pg: list[int] = []
    wx0: list[float] = []
    wx1: list[float] = []
    wy: list[float] = []
    wc: list[int] = []
    wi: list[int] = []
    ws: list[int] = []
    labels: list[Label] = []
    undated: list[int] = []
    rules: list[tuple[float, int, int, int]] = []
    cycle_spans: dict[tuple[int, str, int], tuple[int, int, list[float]]] = {}
    severity_points: dict[int, list[tuple[float, float, float, float]]] = {}
    finite: list[float] = []
    revealed = options.revealed
    stopped = [
        frozenset(e.target for e in c.case.events if KIND_SPECS[e.kind].ends_target and e.target) for c in cases
    ]

    def add_bar(x0: float, x1: float, y: float, color: int, index: int, style: int) -> None:
        bx0.append(x0)
        bx1.append(x1)
        by.append(y)
        bc.append(color)
        bi.append(index)
        bs.append(style)

    def add_whisker(lo: float, hi: float, y: float, color: int, index: int) -> None:
        wx0.append(lo)
        wx1.append(hi)
        wy.append(y)
        wc.append(color)
        wi.append(index)
        ws.append((WhiskerEnd.CLOSED if math.isfinite(lo) else WhiskerEnd.OPEN_START)
                  | (WhiskerEnd.CLOSED if math.isfinite(hi) else WhiskerEnd.OPEN_END))

    for index, item in enumerate(items):
        case_index = item_case[index]
        if (revealed is not None and item.item_id not in revealed and item.event_id not in revealed
                and f"{item.case_id}/{item.item_id}" not in revealed):  # teaching: timeline.reveal.reveal_key
            continue
        row = row_index.get((case_index, item.category, item.lane))
        if row is None:
            continue
        color = CATEGORY_INDEX[item.category]
        if item.start is None:
            if item.role in (ItemRole.COURSE, ItemRole.POINT):
                undated_at = undated_row.get(case_index)
                if undated_at is not None:
                    undated.append(index)
                    item_row[index] = undated_at
            continue
        item_row[index] = row
        shift = shifts[item.case_id]
        y = row + 0.5
        start = item.start.shifted(shift)
        for v in (start.lo, start.best, start.hi):
            if math.isfinite(v):
                finite.append(v)
        if item.role is ItemRole.COURSE:
            end = item.end.shifted(shift) if item.end is not None else None
            spec = KIND_SPECS[item.kind]
            style = BarStyle.BAND if spec.band else BarStyle(0)
            if end is not None and math.isfinite(end.best):
                x1 = end.best
                finite.extend(v for v in (end.lo, end.hi) if math.isfinite(v))
                finite.append(x1)
                if item.event.id in stopped[case_index] and item.event.end is None:
                    style |= BarStyle.STOPPED
                if not end.is_exact:
                    if end.is_bounded:
                        add_bar(end.lo, end.hi, y, color, index, BarStyle.UNCERTAIN)
                    else:
                        add_whisker(end.lo, end.hi, y, color, index)
            else:
                x1 = math.nan  # resolved later to the case's extent
                style |= BarStyle.OPEN_END
            if item.open_end:
                style |= BarStyle.OPEN_END
            if not start.is_bounded:
                style |= BarStyle.OPEN_START
                add_whisker(start.lo, start.hi, y, color, index)
            elif not start.is_exact:
                add_bar(start.lo, start.hi, y, color, index, BarStyle.UNCERTAIN)
            add_bar(start.best, x1, y, color, index, style)
            course_label = Label(start.best, y, _label_text(item), index, 2, x1)
            if spec.glyph is not None:  # a course with a mark at its start (a symptom's onset)
                px.append(start.best)
                py.append(y)
                pc.append(color)
                pi.append(index)
                pg.append(spec.glyph)
            labels.append(course_label)
        elif item.role is ItemRole.SEVERITY:
            if item.value is not None and item.event.severity is not None:
                sev = item.event.severity
                severity_points.setdefault(row, []).append((start.best, item.value, sev.minimum, sev.maximum))
            px.append(start.best)
            py.append(y)
            pc.append(color)
            pi.append(index)
            pg.append(Glyph.CIRCLE)
        else:
            glyph = glyph_of(item)
            px.append(start.best)
            py.append(y)
            pc.append(color)
            pi.append(index)
            pg.append(glyph | (PointFlag.ABNORMAL if is_abnormal(item) else 0))
            if not start.is_exact:
                add_whisker(start.lo, start.hi, y, color, index)
            if item.role is ItemRole.DOSE and item.cycle is not None and math.isfinite(start.best):
                cycle_spans.setdefault((row, item.event_id, item.cycle), (color, index, []))[2].append(start.best)
            if item.role is ItemRole.POINT:
                labels.append(Label(start.best, y, _label_text(item), index, 3 if item.kind is Kind.MILESTONE else 1))
                if item.kind is Kind.MILESTONE and item.event.milestone in (MilestoneType.DEATH,
                                                                             MilestoneType.REMISSION):
                    rows_of_case = [r for r, rw in enumerate(rows) if rw.case_index == case_index]
                    rules.append((start.best, rows_of_case[0], rows_of_case[-1], index))
            elif item.role is ItemRole.STATE:
                labels.append(Label(start.best, y, item.state, index, 0))

    # one bracket under the administrations of each cycle: cycles read as groups
    for (cycle_row, _event_id, _cycle), (color, index, days) in cycle_spans.items():
        if len(days) > 1:
            add_bar(min(days), max(days) + 1.0, cycle_row + 0.5, color, index, BarStyle.CYCLE)
    if finite:
        x_lo, x_hi = min(finite), max(finite)
    else:
        x_lo, x_hi = -7.0, 56.0
    if x_hi - x_lo < 14:
        x_hi = x_lo + 14
    # open-ended courses run to the right edge of everything known (and fade there)
    open_to = x_hi + max(7.0, 0.05 * (x_hi - x_lo))
    bx1 = [open_to if math.isnan(v) else v for v in bx1]
    for label in labels:
        if label.priority == 2 and math.isnan(label.x_end):
            label.x_end = open_to
    wx0 = [v if math.isfinite(v) else x_lo - max(7.0, 0.05 * (x_hi - x_lo)) for v in wx0]
    wx1 = [v if math.isfinite(v) else open_to for v in wx1]
    severity = []
    for row, pts in sorted(severity_points.items()):
        pts.sort()
        severity.append((row, np.array([p[0] for p in pts]), np.array([p[1] for p in pts]),
                         pts[0][2], pts[0][3]))
    return TimelineLayout(
        cases=cases, rows=rows, items=items, item_case=np.asarray(item_case, dtype=np.int32),
        item_row=item_row,
        bars=Marks.from_lists(bx0, bx1, by, bc, bi, bs),
        points=Marks.from_lists(px, px, py, pc, pi, pg),
        whiskers=Marks.from_lists(wx0, wx1, wy, wc, wi, ws),
        severity=severity, labels=labels, undated=undated, shifts=shifts, rules=rules,
        x_range=(x_lo, open_to),
    )


def _label_text(item: Item) -> str:
    event = item.event
    if KIND_SPECS[item.kind].has(FieldGroup.RESULT) and event.result:
        short = event.result if len(event.result) <= 40 else event.result[:38] + "…"
        return f"{item.label}: {short}"
    return item.label


def visible_lanes(cases: Iterable[ResolvedCase]) -> list[tuple[Category, str]]:
    return lane_order(list(cases))
