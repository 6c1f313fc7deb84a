"""The plot's axes: time in days, weeks, months or calendar dates, and lane names; both can paint
straight to an export device."""

from __future__ import annotations

import calendar
import math
from datetime import date, timedelta
from typing import Any

import numpy as np
import pyqtgraph as pg

from caseline.view_state import AXIS_MODES

_NICE = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)


def nice_step(span: float, target_ticks: float, unit: float) -> float:
    raw = span / max(1.0, target_ticks) / unit
    for n in _NICE:
        if n >= raw:
            return n * unit
    return _NICE[-1] * unit * math.ceil(raw / _NICE[-1])


class DirectPaintAxis(pg.AxisItem):
    """An AxisItem that can paint straight to the device instead of through its QPicture cache.

    A QPicture replays pixel-sized fonts scaled by the target device's DPI over 96, so a figure
    exported at 300 dpi would get tick labels 3x too big. Export sets ``paint_direct``.
    """

    paint_direct = False

    def paint(self, p, opt, widget):
        if not self.paint_direct:
            super().paint(p, opt, widget)
            return
        p.save()
        try:
            if self.style["tickFont"]:
                p.setFont(self.style["tickFont"])
            specs = self.generateDrawSpecs(p)
            if specs is not None:
                self.drawPicture(p, *specs)
        finally:
            p.restore()


class LaneAxis(DirectPaintAxis):
    """The lane names: of the thousands of rows a comparison of hundreds of cases has, only those in view are
    measured and drawn (pyqtgraph's axis lays out every tick it is given on every paint)."""

    _values: tuple[int, np.ndarray] | None = None  # (id of the tick list, its positions)

    def generateDrawSpecs(self, p):  # type: ignore[no-untyped-def]
        full: Any = getattr(self, "_tickLevels", None)
        if not full or len(full[0]) <= 64:
            return super().generateDrawSpecs(p)
        major = full[0]
        if self._values is None or self._values[0] != id(major):
            self._values = (id(major), np.array([v for v, _ in major], dtype=np.float64))
        values = self._values[1]
        lo, hi = sorted(self.range)
        a, b = np.searchsorted(values, lo - 1.0), np.searchsorted(values, hi + 1.0, side="right")
        self._tickLevels = [major[a:b], *full[1:]]
        try:
            return super().generateDrawSpecs(p)
        finally:
            self._tickLevels = full


class TimeAxis(DirectPaintAxis):
    """Bottom axis in days, weeks or months from day 0, or calendar dates."""

    def __init__(self) -> None:
        super().__init__("bottom")
        self.mode = "days"
        self.origin: date | None = None  # calendar date of day 0, for 'dates'
        self.enableAutoSIPrefix(False)

    #: px at the (left, right) ends of the axis covered by history bands: no ticks there
    covered: tuple[float, float] = (0.0, 0.0)

    def set_covered(self, left: float, right: float) -> None:
        if (left, right) != self.covered:
            self.covered = (left, right)
            self.picture = None
            self.update()

    def set_mode(self, mode: str, origin: date | None) -> None:
        if mode not in AXIS_MODES:
            raise ValueError(f"unknown axis mode {mode!r}")
        self.mode = mode if (mode != "dates" or origin is not None) else "days"
        self.origin = origin
        self.picture = None
        self.update()

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, list[float]]]:
        span = maxVal - minVal
        if span <= 0 or not math.isfinite(span):
            return []
        target = max(2.0, size / 90.0)
        if self.mode == "dates" and self.origin is not None:
            return [(0.0, self._uncovered(self._date_ticks(minVal, maxVal, target), minVal, span, size))]
        unit = {"days": 1.0, "weeks": 7.0, "months": 30.4375}[self.mode]
        step = nice_step(span, target, unit)
        first = math.ceil(minVal / step) * step
        values = list(np.arange(first, maxVal + step * 0.001, step))
        return [(step, self._uncovered(values, minVal, span, size))]

    def _uncovered(self, values: list[float], lo: float, span: float, size: float) -> list[float]:
        """The ticks outside the px at the ends covered by the history bands (caseline.render.history_marker):
        the days under a band are not on the axis's scale."""
        left, right = self.covered
        if not left and not right:
            return values
        return [v for v in values if left + 2 <= (v - lo) / span * size <= size - right - 2]

    def _date_ticks(self, lo: float, hi: float, target: float) -> list[float]:
        assert self.origin is not None
        months_span = (hi - lo) / 30.4375
        for step in (1, 2, 3, 6, 12, 24, 60, 120):
            if months_span / step <= target:
                break
        start = self.origin + timedelta(days=math.floor(lo))
        year, month = start.year, start.month
        values: list[float] = []
        for _ in range(2000):
            d = date(year, month, 1)
            day = (d - self.origin).days
            if day > hi:
                break
            if day >= lo and ((year * 12 + month - 1) % step == 0):
                values.append(float(day))
            month += 1
            if month > 12:
                month, year = 1, year + 1
        return values

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        out = []
        for v in values:
            if self.mode == "weeks":
                out.append(f"wk {v / 7:g}")
            elif self.mode == "months":
                out.append(f"mo {v / 30.4375:.0f}")
            elif self.mode == "dates" and self.origin is not None:
                d = self.origin + timedelta(days=round(v))
                out.append(f"{calendar.month_abbr[d.month]} {d.year}" if d.month != 1 else str(d.year))
            else:
                out.append(f"{v:g}")
        return out
