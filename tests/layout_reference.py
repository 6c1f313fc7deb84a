"""The layout as build_layout made it before the columnar composition (issue 18): one pass over every item
of every case, an Interval.shifted object per mark. Kept only as the reference the fast path is checked
against, array for array (tests/layout/test_layout_columns.py)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from caseline.layout import timeline_layout as L
from caseline.layout.label_text import label_text as _label_text
from caseline.layout.timeline_layout import (
    CATEGORY_INDEX,
    BarStyle,
    Label,
    LayoutOptions,
    Marks,
    Row,
    RowKind,
    TimelineLayout,
    WhiskerEnd,
    lane_order,
)
from caseline.model.kinds import KIND_SPECS, Category, Glyph, Kind, MilestoneType
from caseline.timeline.resolved import Item, ItemRole, ResolvedCase


def reference_layout(cases: Sequence[ResolvedCase], options: LayoutOptions | None = None) -> TimelineLayout:
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
        if item.role is ItemRole.COURSE and getattr(item.event, "absent", False):  # a pertinent negative: a mark
            px.append(start.best)
            py.append(y)
            pc.append(color)
            pi.append(index)
            pg.append(Glyph.ABSENT)
            labels.append(Label(start.best, y, _label_text(item), index, 1))
        elif item.role is ItemRole.COURSE:
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
            px.append(start.best)
            py.append(y)
            pc.append(color)
            pi.append(index)
            pg.append(_point_style(item))
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
            elif item.role is ItemRole.PHASE:  # (issue 13) a phase of a course, a new dose
                labels.append(Label(start.best, y, _label_text(item), index, 1))

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


def _point_style(item: Item) -> int:
    return L.point_style(item)
