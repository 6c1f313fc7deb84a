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
from dataclasses import dataclass

from caseline.layout import timeline_layout as L
from caseline.layout.swimmer import SwimmerLayout
from caseline.model.kinds import Kind
from caseline.timeline.resolved import ItemRole

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


@dataclass(frozen=True, slots=True)
class NumericTrack:
    row: int
    severity: bool  # a severity scale (else investigation results)
    name: str  # the scale's name or the test's
    unit: str  # an investigation's unit; empty for a scale
    low: float  # the track's vertical range: a scale's min-max, else the values' and reference range's
    high: float
    reference_low: float | None
    reference_high: float | None
    points: tuple[TrackPoint, ...]  # by time

    @property
    def caption(self) -> str:
        """What the track measures, as drawn at its left end: 'MRC muscle strength (legs) 0-5', 'CSF protein, mg/dL'."""
        if self.severity:
            return f"{self.name} {format_value(self.low)}–{format_value(self.high)}"
        return f"{self.name}, {self.unit}" if self.unit else self.name

    def fraction(self, value: float) -> float:
        """``value`` as a fraction of the track's height (0 at its low end)."""
        span = self.high - self.low
        return min(1.0, max(0.0, (value - self.low) / span)) if span > 0 else 0.5


def format_value(value: float) -> str:
    """A value at the precision the file states it (3.5 stays 3.5, 4.0 is 4)."""
    return f"{value:g}"


def numeric_tracks(layout: L.TimelineLayout) -> list[NumericTrack]:
    """Every numeric track of a layout, by row (made once per layout: the plot and its legend both ask)."""
    found = layout.__dict__.get("_numeric_tracks")
    if found is None:  # a swimmer row is a whole case: no lane to draw a track in
        found = layout.__dict__["_numeric_tracks"] = [] if isinstance(layout, SwimmerLayout) else _tracks(layout)
    return found  # type: ignore[no-any-return]


def _tracks(layout: L.TimelineLayout) -> list[NumericTrack]:
    severity: dict[tuple[int, str], list[int]] = {}
    results: dict[tuple[int, str, str], list[int]] = {}
    severity_role, point_role, investigation = ItemRole.SEVERITY, ItemRole.POINT, Kind.INVESTIGATION
    isfinite = math.isfinite
    rows = layout.item_row.tolist()  # a Python int per item: a numpy scalar each costs 100,000 items a second
    for index, item in enumerate(layout.items):
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
    tracks = [_severity_track(layout, row, indices) for (row, _), indices in severity.items()]
    tracks.extend(_result_track(layout, row, test, unit, indices) for (row, test, unit), indices in results.items()
                  if len(indices) >= MIN_INVESTIGATION_VALUES)
    tracks.sort(key=lambda t: (t.row, not t.severity, t.name))
    return tracks


def _point(layout: L.TimelineLayout, index: int, value: float, text: str) -> TrackPoint:
    item = layout.items[index]
    assert item.start is not None
    shift = layout.shifts.get(item.case_id, 0.0)
    return TrackPoint(item.start.best + shift, item.start.lo + shift, item.start.hi + shift, value, text, index)


def _severity_track(layout: L.TimelineLayout, row: int, indices: list[int]) -> NumericTrack:
    scale = layout.items[indices[0]].event.severity
    assert scale is not None
    points = sorted((_point(layout, i, float(layout.items[i].value or 0.0), format_value(layout.items[i].value or 0.0))
                     for i in indices), key=lambda p: p.x)
    return NumericTrack(row, True, scale.scale, "", scale.minimum, scale.maximum, None, None, tuple(points))


def _result_track(layout: L.TimelineLayout, row: int, test: str, unit: str, indices: list[int]) -> NumericTrack:
    points = []
    lows: list[float] = []
    highs: list[float] = []
    for i in indices:
        event = layout.items[i].event
        assert event.value is not None
        qualifier = f"{event.value_qualifier} " if event.value_qualifier else ""
        points.append(_point(layout, i, event.value, qualifier + format_value(event.value)))
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
    return NumericTrack(row, False, test, unit, low, high + pad, ref_low, ref_high, tuple(points))
