"""The plot's axes: time in days, weeks, months or calendar dates, and lane names; both can paint
straight to an export device."""

from __future__ import annotations

import calendar
import math
from datetime import date, timedelta
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

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


_BELOW = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextDontClip  # a tick's label


class TimeAxis(DirectPaintAxis):
    """Bottom axis in days, weeks or months from day 0, or calendar dates."""

    def __init__(self) -> None:
        super().__init__("bottom")
        self.mode = "days"
        self.origin: date | None = None  # calendar date of day 0, for 'dates'
        self.enableAutoSIPrefix(False)
        self._text_sizes: dict[tuple[str, str, int], tuple[float, float]] = {}
        self._held_pen: tuple[object, object, object, QPen] | None = None

    def generateDrawSpecs(self, p):  # type: ignore[no-untyped-def]
        """pyqtgraph's specs for this axis (one level of ticks, below the plot, no grid), made without its
        general steps: each tick label's size measured once per text, the axis's bounds once per paint, not
        once per label (every pan step repaints the axis: 0.5-0.7 ms, now about a third of that)."""
        style = self.style
        if self.grid is not False or self._tickLevels is not None or any(style["stopAxisAtTick"]) \
                or not style["showValues"] or style["maxTextLevel"] < 0 or self.paint_direct:
            return super().generateDrawSpecs(p)
        if style["tickFont"] is not None:
            p.setFont(style["tickFont"])
        bounds = self.mapRectFromParent(self.geometry())
        span = (QPointF(bounds.left() - 1.0, bounds.top() + 1.0), QPointF(bounds.right() + 1.0, bounds.top() + 1.0))
        a, b = self.mapToDevice(span[0]), self.mapToDevice(span[1])
        if a is None or b is None:
            return None
        length = math.hypot(b.x() - a.x(), b.y() - a.y())
        if length == 0:
            return None
        levels = self.tickValues(self.range[0], self.range[1], length)
        dif = self.range[1] - self.range[0]
        scale = 1.0 if dif == 0 else bounds.width() / dif
        offset = 0.0 if dif == 0 else self.range[0] * scale
        x_min, x_max = sorted(x * scale - offset for x in self.range)
        top = bounds.top()
        tick_specs: list[tuple[QPen, QPointF, QPointF]] = []
        text_specs: list[tuple[QRectF, Qt.AlignmentFlag, str]] = []
        tallest = 0.0
        if levels:
            spacing, values = levels[0]
            pen = self._tick_pen()
            tick_end = top + style["tickLength"]
            kept = [(v, v * scale - offset) for v in values]
            kept = [(v, x) for v, x in kept if x_min <= x <= x_max]
            for _, x in kept:
                tick_specs.append((pen, QPointF(x, top), QPointF(x, tick_end)))
            strings = self.tickStrings([v for v, _ in kept], self.autoSIPrefixScale * self.scale, spacing)
            font = (p.font().key(), p.device().logicalDpiY() if p.device() is not None else 0)
            sizes = [self._text_size(p, text, font) for text in strings]
            tallest = max((h for _, h in sizes), default=0.0)
            below = top + max(0, style["tickLength"]) + style["tickTextOffset"][1]
            flags = _BELOW
            inside = self.boundingRect()
            for (_, x), text, (w, h) in zip(kept, strings, sizes, strict=True):
                rect = QRectF(x - w / 2.0, below, w, h)
                if inside & rect == rect:
                    text_specs.append((rect, flags, text))
        self._updateMaxTextSize(tallest)
        return (self.pen(), span[0], span[1]), tick_specs, text_specs

    def _tick_pen(self) -> QPen:
        """The ticks' pen (pyqtgraph's: the tick pen, opaque or of the style's tick alpha), made once per pen."""
        alpha = self.style["tickAlpha"]
        held = self._held_pen
        if held is not None and held[0] is self._tickPen and held[1] is self._pen and held[2] == alpha:
            return held[3]
        pen = QPen(self.tickPen())
        if pen.brush().style() == Qt.BrushStyle.SolidPattern:
            color = QColor(pen.color())
            color.setAlpha(int(255 if alpha is None else alpha))
            pen.setColor(color)
        self._held_pen = (self._tickPen, self._pen, alpha, pen)
        return pen

    def _text_size(self, p: QPainter, text: str, font: tuple[str, int]) -> tuple[float, float]:
        """A tick label's box as pyqtgraph measures it (its bounding rectangle, 0.8 of its height), in the
        painter's ``font`` (its key, and its device's resolution)."""
        key = (text, *font)
        size = self._text_sizes.get(key)
        if size is None:
            if len(self._text_sizes) > 4096:
                self._text_sizes.clear()
            br = p.boundingRect(QRectF(0, 0, 100, 100), Qt.AlignmentFlag.AlignCenter, text)
            size = self._text_sizes[key] = (br.width(), br.height() * 0.8)
        return size

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
