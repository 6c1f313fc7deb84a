"""The marker of history outside the time window: "◂ 12 earlier events" at the left edge (and "later ▸"
at the right), so a view focused on the story (caseline.analysis.focus) never cuts history silently.

A narrow band runs down the edge of the data area with a torn (zigzag) inner edge, the sign of an axis
break, and the count written along it; the window adds how to see it all (F fits the whole case). An
event counts as outside when every mark it draws lies beyond the edge."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPen

from caseline.layout import timeline_layout as L
from caseline.render.painting import Frame, LayerItem, RenderState


@dataclass(frozen=True)
class EventExtents:
    """The drawn extent of each event of a layout (an event: one event of one case, all its items)."""

    lo: np.ndarray
    hi: np.ndarray

    @staticmethod
    def of(layout: L.TimelineLayout) -> EventExtents:
        n = len(layout.items)
        lo = np.full(n, np.inf)
        hi = np.full(n, -np.inf)
        for marks in (layout.bars, layout.points, layout.whiskers):
            if len(marks):
                np.minimum.at(lo, marks.item, np.minimum(marks.x0, marks.x1))
                np.maximum.at(hi, marks.item, np.maximum(marks.x0, marks.x1))
        keys: dict[tuple[str, str], int] = {}
        event = np.array([keys.setdefault((item.case_id, item.event_id), len(keys)) for item in layout.items],
                         dtype=np.int64)
        drawn = np.isfinite(lo)
        if not drawn.any():
            return EventExtents(np.zeros(0), np.zeros(0))
        e_lo = np.full(len(keys), np.inf)
        e_hi = np.full(len(keys), -np.inf)
        np.minimum.at(e_lo, event[drawn], lo[drawn])
        np.maximum.at(e_hi, event[drawn], hi[drawn])
        shown = np.isfinite(e_lo)
        return EventExtents(e_lo[shown], e_hi[shown])

    def outside(self, left: float, right: float) -> tuple[int, int]:
        """How many events lie wholly before ``left`` and wholly after ``right``."""
        return int(np.count_nonzero(self.hi < left)), int(np.count_nonzero(self.lo > right))


def marker_text(count: int, earlier: bool, interactive: bool) -> str:
    """'◂ 12 earlier events (F: show all)' / '3 later events ▸'."""
    noun = "event" if count == 1 else "events"
    hint = " (F: show all)" if interactive else ""
    return f"◂ {count} earlier {noun}{hint}" if earlier else f"{count} later {noun}{hint} ▸"


class HistoryMarker(LayerItem):
    """Paints the earlier/later history bands at the edges of the data area."""

    def __init__(self, state: RenderState, interactive: bool = True) -> None:
        super().__init__(state)
        self.interactive = interactive
        self.last_counts = (0, 0)  # (earlier, later) events of the last full paint

    def band_px(self) -> float:
        """The width of a band in device pixels."""
        return QFontMetricsF(self.state.small_font).height() * 1.25

    def counts(self, left: float, right: float) -> tuple[int, int]:
        """(earlier, later) events outside the days ``left``..``right``."""
        state = self.state
        return state.derived("event-extents", lambda: EventExtents.of(state.layout)).outside(left, right)

    def draw(self, p: QPainter, f: Frame) -> None:
        state = self.state
        extents = state.derived("event-extents", lambda: EventExtents.of(state.layout))
        left_day, right_day = sorted((f.view.left(), f.view.right()))
        earlier, later = extents.outside(left_day, right_day)
        if not f.partial:
            self.last_counts = (earlier, later)
        # the labels (painted after this layer) keep clear of the bands
        state.label_inset_left = self.band_px() if earlier else 0.0
        state.label_inset_right = self.band_px() if later else 0.0
        if not earlier and not later:
            return
        top, bottom = sorted((f.view.top() * f.sy + f.dy, f.view.bottom() * f.sy + f.dy))
        rows_bottom = state.layout.n_rows * f.sy + f.dy
        bottom = min(bottom, max(top, rows_bottom))
        if bottom - top < 8:
            return
        font = state.small_font
        fm = QFontMetricsF(font)
        width = self.band_px()
        for count, is_earlier in ((earlier, True), (later, False)):
            if not count:
                continue
            text = marker_text(count, is_earlier, self.interactive)
            if fm.horizontalAdvance(text) > bottom - top - 4:
                text = marker_text(count, is_earlier, False)
            x_edge = f.left if is_earlier else f.right - width
            self._band(p, QRectF(x_edge, top, width, bottom - top), is_earlier, text, font, fm)

    def _band(self, p: QPainter, rect: QRectF, earlier: bool, text: str, font: object, fm: QFontMetricsF) -> None:
        state = self.state
        fill = QColor(state.theme.header_band)
        fill.setAlpha(235)
        tooth = rect.width() * 0.28
        inner = rect.right() if earlier else rect.left()
        outer = rect.left() if earlier else rect.right()
        sign = 1.0 if earlier else -1.0
        zig = QPainterPath(QPointF(outer, rect.top()))
        zig.lineTo(QPointF(inner, rect.top()))
        y, step, k = rect.top(), tooth * 1.6, 0
        edge = [QPointF(inner, rect.top())]
        while y < rect.bottom():
            y = min(rect.bottom(), y + step)
            edge.append(QPointF(inner + sign * (tooth if k % 2 == 0 else 0.0), y))
            k += 1
        for point in edge[1:]:
            zig.lineTo(point)
        zig.lineTo(QPointF(outer, rect.bottom()))
        zig.closeSubpath()
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(fill)
        p.drawPath(zig)
        outline = QPainterPath(edge[0])
        for point in edge[1:]:
            outline.lineTo(point)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(QPen(state.muted, max(1.0, state.theme.line_px)))
        p.drawPath(outline)
        p.save()
        p.setPen(state.fg)
        p.setFont(font)  # type: ignore[arg-type]
        center_x = rect.left() + rect.width() / 2
        center_y = rect.top() + rect.height() / 2
        p.translate(center_x, center_y)
        p.rotate(-90.0)
        length = fm.horizontalAdvance(text)
        p.drawText(QPointF(-length / 2, fm.ascent() - fm.height() / 2), text)
        p.restore()
