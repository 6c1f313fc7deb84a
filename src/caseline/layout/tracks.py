"""Numeric tracks: values over time drawn as a step line within their lane, with what they measure.

Two sources give a track:

- a symptom's ``severity:`` values, on the scale the file names (``MRC muscle strength (legs)``, 0-5);
- several investigations on one lane with a numeric ``value`` of the same ``test`` and ``value_unit``
  (three CSF protein results in mg/dL), with the reference range when the results give one.

Each point keeps its time's bounds (an uncertain time is drawn as a span, not a hard edge at the placed
estimate), the value as the source gives it and the event it comes from (the hover's source).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import overload

import numpy as np

from caseline.layout import timeline_layout as L
from caseline.layout.case_columns import CaseColumns
from caseline.layout.swimmer import SwimmerLayout
from caseline.model.kinds import Kind
from caseline.timeline.resolved import Item, ItemRole

#: Fewest numeric results of one test on one lane drawn as a track (one value is a mark, not a course).
MIN_INVESTIGATION_VALUES = 2


@dataclass(frozen=True, slots=True)
class TrackPoint:
    x: float  # placed time (days, shifted as the layout draws the case)
    lo: float  # the time's bounds: -inf / inf when open
    hi: float
    value: float
    text: str  # the value as shown beside its step (sign of a limit kept: '< 0.5')
    item: int  # layout item index


@dataclass(frozen=True)
class NumericTrack:
    row: int
    severity: bool  # a severity scale (else investigation results)
    name: str  # the scale's name or the test's
    unit: str  # an investigation's unit; empty for a scale
    low: float  # the track's vertical range: a scale's min-max, else the values' and reference range's
    high: float
    reference_low: float | None
    reference_high: float | None
    local_points: tuple[TrackPoint, ...]  # by time, in the case's own days and item numbers
    local_extent: tuple[float, float]  # the days its values and their uncertain times span, in the case's days
    shift: float = 0.0  # the case's alignment shift in this layout
    item_base: int = 0  # the layout index of the case's first item

    @cached_property
    def points(self) -> tuple[TrackPoint, ...]:
        """The values as this layout draws them (shifted; layout item indices): made when first asked for, so a
        switch of alignment or sort re-makes only the tracks a paint shows."""
        if self.shift == 0.0 and self.item_base == 0:
            return self.local_points
        s, base = self.shift, self.item_base
        return tuple(TrackPoint(p.x + s, p.lo + s, p.hi + s, p.value, p.text, p.item + base) for p in self.local_points)

    @cached_property
    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """The values' days (as this layout draws them) and heights (fractions of the track), as arrays."""
        return (np.array([pt.x for pt in self.points], dtype=np.float64),
                np.array([self.fraction(pt.value) for pt in self.points], dtype=np.float64))

    @property
    def extent(self) -> tuple[float, float]:
        """The days its values and their uncertain times span, in the layout."""
        lo, hi = self.local_extent
        return lo + self.shift, hi + self.shift

    @cached_property
    def caption(self) -> str:
        """What the track measures, as drawn at its left end: 'MRC muscle strength (legs) 0-5', 'CSF protein, mg/dL'."""
        if self.severity:
            return f"{self.name} {format_value(self.low)}–{format_value(self.high)}"
        return f"{self.name}, {self.unit}" if self.unit else self.name

    @cached_property
    def has_lines(self) -> bool:
        """Whether it draws lines of its own: a reference range, a results' step line or a value's uncertain time
        (a severity scale's step line is drawn with the marks)."""
        return (self.reference_low is not None or self.reference_high is not None or not self.severity
                or any(pt.lo != pt.hi for pt in self.local_points))

    def fraction(self, value: float) -> float:
        """``value`` as a fraction of the track's height (0 at its low end)."""
        span = self.high - self.low
        return min(1.0, max(0.0, (value - self.low) / span)) if span > 0 else 0.5


def format_value(value: float) -> str:
    """A value at the precision the file states it (3.5 stays 3.5, 4.0 is 4)."""
    return f"{value:g}"


def numeric_tracks(layout: L.TimelineLayout) -> TrackList:
    """Every numeric track of a layout, by row (made once per layout: the plot and its legend both ask).

    Each case's tracks are found once (kept with its columns, which a switch of alignment or sort reuses) in the
    case's own lanes and days; a layout only places them on its rows with its shift, as arrays: a track object
    is made when asked for (a paint asks for the few on screen)."""
    found = layout.__dict__.get("_numeric_tracks")
    if found is None:  # a swimmer row is a whole case: no lane to draw a track in
        if isinstance(layout, SwimmerLayout):
            found = TrackList.of([])
        elif (len(layout.columns) == len(layout.cases)
              and sum(col.n_items for col in layout.columns) == len(layout.items)):
            found = _composed(layout)
        else:
            found = TrackList.of(_tracks(layout.items, layout.item_row.tolist(), layout.shifts))
        layout.__dict__["_numeric_tracks"] = found
    return found  # type: ignore[no-any-return]


class _CaseTracks:
    """One case's tracks in its own lanes and days, with the arrays a layout composes them from."""

    def __init__(self, tracks: list[NumericTrack]) -> None:
        self.tracks = tracks
        self.first_item = np.array([t.local_points[0].item for t in tracks], dtype=np.int64)
        self.extent = np.array([t.local_extent for t in tracks], dtype=np.float64).reshape(-1, 2)
        self.severity = np.array([t.severity for t in tracks], dtype=bool)
        self.names = [t.name for t in tracks]


class TrackList(Sequence[NumericTrack]):
    """The numeric tracks of a layout, by row: rows, extents and kinds as arrays, each track made when asked for."""

    def __init__(self, local: list[NumericTrack], row: np.ndarray, shift: np.ndarray, base: np.ndarray,
                 extent: np.ndarray, severity: np.ndarray) -> None:
        self._local = local  # each track as its case has it
        self.row = row
        self.shift = shift
        self.base = base
        self.extent = extent  # (n, 2): the days each spans, shifted
        self.severity = severity
        self._made: dict[int, NumericTrack] = {}

    @staticmethod
    def of(tracks: list[NumericTrack]) -> TrackList:
        return TrackList(tracks, np.array([t.row for t in tracks], dtype=np.int64),
                         np.array([t.shift for t in tracks], dtype=np.float64),
                         np.array([t.item_base for t in tracks], dtype=np.int64),
                         np.array([t.extent for t in tracks], dtype=np.float64).reshape(-1, 2),
                         np.array([t.severity for t in tracks], dtype=bool))

    def __len__(self) -> int:
        return len(self._local)

    @overload
    def __getitem__(self, index: int) -> NumericTrack: ...

    @overload
    def __getitem__(self, index: slice) -> list[NumericTrack]: ...

    def __getitem__(self, index: int | slice) -> NumericTrack | list[NumericTrack]:
        if isinstance(index, slice):
            return [self[k] for k in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        found = self._made.get(index)
        if found is None:
            t = self._local[index]
            row, shift, base = int(self.row[index]), float(self.shift[index]), int(self.base[index])
            found = t if (row, shift, base) == (t.row, t.shift, t.item_base) else NumericTrack(
                row, t.severity, t.name, t.unit, t.low, t.high, t.reference_low, t.reference_high, t.local_points,
                t.local_extent, shift, base)
            self._made[index] = found
        return found

    def __iter__(self) -> Iterator[NumericTrack]:
        return (self[k] for k in range(len(self)))

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, Sequence) else NotImplemented

    __hash__ = None  # type: ignore[assignment]

    @property
    def has_reference(self) -> bool:
        return any(t.reference_low is not None or t.reference_high is not None for t in self._local)


def case_tracks(col: CaseColumns) -> _CaseTracks:
    """One case's tracks in its own lanes and days, found once and kept with its columns (a loading thread
    finds them with the columns: caseline.layout.case_columns.prepare_columns)."""
    local = col.__dict__.get("_numeric_tracks")
    if local is None:
        lanes = np.where(col.item_dated, col.item_lane, -1).tolist()
        local = col.__dict__["_numeric_tracks"] = _CaseTracks(_tracks(col.case.items, lanes, {}))
    return local  # type: ignore[no-any-return]


def _composed(layout: L.TimelineLayout) -> TrackList:
    """The cases' tracks on this layout's rows, in row order, each shifted with its case. What does not depend
    on the shifts is kept for the layout's rows (a switch of alignment keeps its rows: it only shifts)."""
    kept = layout.__dict__.get("_kept")
    found = kept.tracks if kept is not None else None
    if found is not None and found[0] is layout.rows and len(found[1]) == len(layout.columns) and all(
            a is b for a, b in zip(found[1], layout.columns, strict=True)):
        ordered = found[2]
    else:
        ordered = _ordered(layout)
        if kept is not None:
            kept.tracks = (layout.rows, list(layout.columns), ordered)
    local_tracks, row, case_of, base_of, extent, severity = ordered
    shift = np.array([float(layout.shifts.get(case.id, 0.0)) for case in layout.cases], dtype=np.float64)[case_of] \
        if case_of.size else np.zeros(0)
    return TrackList(local_tracks, row, shift, base_of, extent + shift[:, None], severity)


def _ordered(layout: L.TimelineLayout) -> tuple[list[NumericTrack], np.ndarray, np.ndarray, np.ndarray, np.ndarray,
                                                np.ndarray]:
    """The tracks of every case with a row shown, by (row, not severity, name): tracks, row, case index, first
    item, unshifted extent, severity."""
    parts: list[tuple[_CaseTracks, np.ndarray, int, int]] = []
    base = 0
    item_row = layout.item_row
    for index, col in enumerate(layout.columns):
        local = case_tracks(col)
        if local.tracks:
            parts.append((local, item_row[base + local.first_item].astype(np.int64), index, base))
        base += col.n_items
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return [], empty, empty, empty, np.zeros((0, 2)), np.zeros(0, dtype=bool)
    local_tracks = [t for p, _, _, _ in parts for t in p.tracks]
    row = np.concatenate([r for _, r, _, _ in parts])
    case_of = np.concatenate([np.full(len(p.tracks), c, dtype=np.int64) for p, _, c, _ in parts])
    base_of = np.concatenate([np.full(len(p.tracks), b, dtype=np.int64) for p, _, _, b in parts])
    extent = np.concatenate([p.extent for p, _, _, _ in parts])
    severity = np.concatenate([p.severity for p, _, _, _ in parts])
    names = sorted({n for p, _, _, _ in parts for n in p.names})
    rank = {n: k for k, n in enumerate(names)}
    name_rank = np.array([rank[n] for p, _, _, _ in parts for n in p.names], dtype=np.int64)
    order = np.flatnonzero(row >= 0)  # its lane is shown
    order = order[np.lexsort((name_rank[order], ~severity[order], row[order]))]  # (row, not severity, name)
    return ([local_tracks[k] for k in order.tolist()], row[order], case_of[order], base_of[order], extent[order],
            severity[order])


def _tracks(items: Sequence[Item], rows: list[int], shifts: Mapping[str, float]) -> list[NumericTrack]:
    """The tracks of ``items`` (each on its row, -1: not drawn), times shifted by each case's shift."""
    severity: dict[tuple[int, str], list[int]] = {}
    results: dict[tuple[int, str, str], list[int]] = {}
    severity_role, point_role, investigation = ItemRole.SEVERITY, ItemRole.POINT, Kind.INVESTIGATION
    isfinite = math.isfinite
    for index, item in enumerate(items):
        role = item.role
        if role is not severity_role and (role is not point_role or item.kind is not investigation):
            continue
        row = rows[index]
        if row < 0 or item.start is None or not isfinite(item.start.best):
            continue
        event = item.event
        if role is severity_role:
            if item.value is not None and event.severity is not None:
                severity.setdefault((row, item.event_id), []).append(index)
        elif event.value is not None and not event.absent:
            results.setdefault((row, event.test or event.label, event.value_unit), []).append(index)
    tracks = [_severity_track(items, shifts, row, indices) for (row, _), indices in severity.items()]
    tracks.extend(_result_track(items, shifts, row, test, unit, indices)
                  for (row, test, unit), indices in results.items() if len(indices) >= MIN_INVESTIGATION_VALUES)
    tracks.sort(key=lambda t: (t.row, not t.severity, t.name))
    return tracks


def _point(items: Sequence[Item], shifts: Mapping[str, float], index: int, value: float, text: str) -> TrackPoint:
    item = items[index]
    assert item.start is not None
    shift = shifts.get(item.case_id, 0.0)
    return TrackPoint(item.start.best + shift, item.start.lo + shift, item.start.hi + shift, value, text, index)


def _severity_track(items: Sequence[Item], shifts: Mapping[str, float], row: int, indices: list[int]) -> NumericTrack:
    scale = items[indices[0]].event.severity
    assert scale is not None
    points = sorted((_point(items, shifts, i, float(items[i].value or 0.0), format_value(items[i].value or 0.0))
                     for i in indices), key=lambda p: p.x)
    return NumericTrack(row, True, scale.scale, "", scale.minimum, scale.maximum, None, None, tuple(points),
                        _extent(points))


def _result_track(items: Sequence[Item], shifts: Mapping[str, float], row: int, test: str, unit: str,
                  indices: list[int]) -> NumericTrack:
    points = []
    lows: list[float] = []
    highs: list[float] = []
    for i in indices:
        event = items[i].event
        assert event.value is not None
        qualifier = f"{event.value_qualifier} " if event.value_qualifier else ""
        points.append(_point(items, shifts, i, event.value, qualifier + format_value(event.value)))
        if event.reference_low is not None:
            lows.append(event.reference_low)
        if event.reference_high is not None:
            highs.append(event.reference_high)
    points.sort(key=lambda p: p.x)
    # the reference range the results share; where they state it differently, the widest
    ref_low = min(lows) if lows else None
    ref_high = max(highs) if highs else None
    values = [p.value for p in points] + [v for v in (ref_low, ref_high) if v is not None]
    low, high = min(values), max(values)
    pad = (high - low) * 0.1 if high > low else max(abs(high) * 0.1, 1.0)
    low = max(0.0, low - pad) if low >= 0 else low - pad  # a concentration never drawn below zero
    return NumericTrack(row, False, test, unit, low, high + pad, ref_low, ref_high, tuple(points), _extent(points))


def _extent(points: Sequence[TrackPoint]) -> tuple[float, float]:
    return (min(p.lo if math.isfinite(p.lo) else p.x for p in points),
            max(p.hi if math.isfinite(p.hi) else p.x for p in points))


def step_vertices(X: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The vertices of the step line through (X, Y): (X0, Y0), (X1, Y0), (X1, Y1), (X2, Y1), ...

    When there are more values than pixel columns, each column keeps its first, lowest, highest
    and last value (in that order), which covers the same pixels."""
    n = X.shape[0]
    if n > 2 and n > 2 * max(1.0, float(X[-1] - X[0])):
        column = np.floor(X)
        starts = np.flatnonzero(np.r_[True, column[1:] != column[:-1]])
        stops = np.r_[starts[1:], n]
        low = np.minimum.reduceat(Y, starts)
        high = np.maximum.reduceat(Y, starts)
        first, last = Y[starts], Y[stops - 1]
        cx = X[starts]
        X = np.repeat(cx, 4)
        Y = np.stack([first, low, high, last], axis=1).ravel()
    n = X.shape[0]
    if n == 0:
        return X, Y
    out_x = np.empty(2 * n - 1)
    out_y = np.empty(2 * n - 1)
    out_x[0::2] = X
    out_y[0::2] = Y
    out_x[1::2] = X[1:]
    out_y[1::2] = Y[:-1]
    return out_x, out_y


def clip_steps(x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray, left: float,
               right: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The segments of a step line (horizontal or vertical) cut to ``left``..``right``: a horizontal one is
    shortened, a vertical one beyond an edge is left out (drawn at the edge, the change would claim a time
    there that the source does not state)."""
    keep = (np.maximum(x0, x1) >= left) & (np.minimum(x0, x1) <= right)
    return np.clip(x0[keep], left, right), y0[keep], np.clip(x1[keep], left, right), y1[keep]
