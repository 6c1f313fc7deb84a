"""The history outside the time window, compressed behind an axis break: "◂ 12 earlier events" at the left
edge (and "later ▸" at the right), so a view focused on the story (caseline.analysis.focus) never cuts
history silently.

A band runs down the edge of the data area with a torn (zigzag) inner edge, the sign of an axis break: the
count is written along its outer side, and between it and the break the events outside the window are
drawn on their rows at a compressed scale (bars and dots in their category colours), where the plot is
wide enough. The window adds how to see it all (F fits the whole case). An event counts as outside when
every mark it draws lies beyond the edge."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPainterPath, QPen, QPixmap

from caseline.layout import timeline_layout as L
from caseline.render.painting import Frame, LayerItem, RenderState, first_per_spot, span_runs

#: The share of the plot's width a band takes (its text, and the history compressed beside it).
HISTORY_SHARE = 0.08


@dataclass(frozen=True)
class Side:
    """The drawn events in the order they pass out of view on one side: those wholly before a day are a prefix
    of the ``before`` side (sorted by end), those wholly after a day a suffix of the ``after`` side (sorted by
    start), so a pan step takes them as slices (views), not by gathering indices."""

    lo: np.ndarray
    hi: np.ndarray
    row: np.ndarray
    color: np.ndarray
    bar: np.ndarray
    reach: np.ndarray  # before: the earliest start up to here; after: the latest stated day from here on

    def part(self, cut: slice) -> Side:
        return Side(self.lo[cut], self.hi[cut], self.row[cut], self.color[cut], self.bar[cut], self.reach[cut])

    @cached_property
    def rows(self) -> tuple[int, int]:
        return (int(self.row.min()), int(self.row.max())) if self.row.size else (0, -1)

    @cached_property
    def coloured(self) -> bool:
        return bool((self.color >= 0).all())


@dataclass(frozen=True)
class EventExtents:
    """The drawn extent of each event of a layout (an event: one event of one case, all its items), with the
    row and colour of its first mark and whether it draws a bar."""

    lo: np.ndarray
    hi: np.ndarray  # drawn (an open end to the edge it fades out at)
    last: np.ndarray  # the last stated day
    row: np.ndarray
    color: np.ndarray
    bar: np.ndarray  # bool

    @staticmethod
    def of(layout: L.TimelineLayout) -> EventExtents:
        n = len(layout.items)
        lo = np.full(n, np.inf)
        hi = np.full(n, -np.inf)
        color = np.full(n, -1, dtype=np.int64)
        bar = np.zeros(n, dtype=bool)
        # a whisker open at one end runs to an arbitrary edge ("earlier, gap not stated"): not a day
        w = layout.whiskers
        closed = w.style == int(L.WhiskerEnd.CLOSED)
        closed_whiskers = L.Marks(w.x0[closed], w.x1[closed], w.y[closed], w.color[closed], w.item[closed],
                                  w.style[closed])
        last = np.full(n, -np.inf)  # the last stated day (an open end fades out at an arbitrary edge)
        for marks in (layout.bars, layout.points, closed_whiskers):
            if len(marks):
                np.minimum.at(lo, marks.item, np.minimum(marks.x0, marks.x1))
                np.maximum.at(hi, marks.item, np.maximum(marks.x0, marks.x1))
                end = marks.x1
                if marks is layout.bars:
                    end = np.where((marks.style & L.BarStyle.OPEN_END) != 0, marks.x0, marks.x1)
                np.maximum.at(last, marks.item, np.maximum(marks.x0, end))
                unset = color[marks.item] < 0
                color[marks.item[unset]] = marks.color[unset]
        if len(layout.bars):
            plain = (layout.bars.style & (L.BarStyle.UNCERTAIN | L.BarStyle.CYCLE)) == 0
            bar[layout.bars.item[plain]] = True
        event = layout.item_event()  # numbered by first appearance of (case id, event id)
        n_events = int(event.max()) + 1 if n else 0
        drawn = np.isfinite(lo)
        if not drawn.any():
            empty = np.zeros(0)
            return EventExtents(empty, empty, empty, empty.astype(np.int64), empty.astype(np.int64),
                                empty.astype(bool))
        e_lo = np.full(n_events, np.inf)
        e_hi = np.full(n_events, -np.inf)
        np.minimum.at(e_lo, event[drawn], lo[drawn])
        np.maximum.at(e_hi, event[drawn], hi[drawn])
        e_last = np.full(n_events, -np.inf)
        np.maximum.at(e_last, event[drawn], last[drawn])
        first = np.full(n_events, -1, dtype=np.int64)  # the first drawn item of each event
        indices = np.nonzero(drawn)[0]
        first[event[indices[::-1]]] = indices[::-1]
        e_bar = np.zeros(n_events, dtype=bool)
        np.logical_or.at(e_bar, event[drawn], bar[drawn])
        shown = first >= 0
        return EventExtents(e_lo[shown], e_hi[shown], e_last[shown], layout.item_row[first[shown]].astype(np.int64),
                            color[first[shown]], e_bar[shown])

    @cached_property
    def by_hi(self) -> tuple[np.ndarray, np.ndarray]:
        """(order, sorted ends): the events wholly before a day are a prefix of ``order``."""
        hi = np.nan_to_num(self.hi, nan=np.inf)  # a comparison with nan is false: never before
        order = np.argsort(hi, kind="stable")
        return order, hi[order]

    @cached_property
    def by_lo(self) -> tuple[np.ndarray, np.ndarray]:
        """(order, sorted starts): the events wholly after a day are a suffix of ``order``."""
        lo = np.nan_to_num(self.lo, nan=-np.inf)  # never after
        order = np.argsort(lo, kind="stable")
        return order, lo[order]

    def outside(self, left: float, right: float) -> tuple[int, int]:
        """How many events lie wholly before ``left`` and wholly after ``right`` (binary search: a pan step
        does not scan every event)."""
        return int(np.searchsorted(self.by_hi[1], left, side="left")), int(
            self.lo.size - np.searchsorted(self.by_lo[1], right, side="right"))

    @cached_property
    def _before(self) -> Side:
        order = self.by_hi[0]
        lo = self.lo[order]
        return Side(lo, self.hi[order], self.row[order], self.color[order], self.bar[order],
                    np.minimum.accumulate(lo) if lo.size else lo)

    @cached_property
    def _after(self) -> Side:
        order = self.by_lo[0]
        last = self.last[order]
        return Side(self.lo[order], self.hi[order], self.row[order], self.color[order], self.bar[order],
                    np.maximum.accumulate(last[::-1])[::-1] if last.size else last)

    def before(self, left: float) -> Side:
        """The events wholly before ``left`` (by their ends)."""
        return self._before.part(slice(0, int(np.searchsorted(self.by_hi[1], left, side="left"))))

    def after(self, right: float) -> Side:
        """The events wholly after ``right`` (by their starts)."""
        return self._after.part(slice(int(np.searchsorted(self.by_lo[1], right, side="right")), None))


def marks_extent(layout: L.TimelineLayout) -> tuple[float, float]:
    """The first and last day any mark of ``layout`` reaches (an open whisker's arbitrary edge aside)."""
    w = layout.whiskers
    closed = w.style == int(L.WhiskerEnd.CLOSED)
    parts = [a for a in (layout.bars.x0, layout.bars.x1, layout.points.x0, layout.points.x1, w.x0[closed],
                         w.x1[closed]) if a.size]
    finite = [a[np.isfinite(a)] for a in parts]
    finite = [a for a in finite if a.size]
    if not finite:
        return math.inf, -math.inf
    return float(min(a.min() for a in finite)), float(max(a.max() for a in finite))


def marker_text(count: int, earlier: bool, interactive: bool, reach: float | None = None) -> str:
    """'◂ 12 earlier events, from day -1370 (F: show all)' / '3 later events, to day 821 ▸'."""
    noun = "event" if count == 1 else "events"
    hint = " (F: show all)" if interactive else ""
    if reach is not None and math.isfinite(reach):
        where = f", from day {reach:.0f}" if earlier else f", to day {reach:.0f}"
    else:
        where = ""
    where = where.replace("-", "\N{MINUS SIGN}")
    return f"◂ {count} earlier {noun}{where}{hint}" if earlier else f"{count} later {noun}{where}{hint} ▸"


class HistoryMarker(LayerItem):
    """Paints the earlier/later history bands at the edges of the data area."""

    def __init__(self, state: RenderState, interactive: bool = True) -> None:
        super().__init__(state)
        self.interactive = interactive
        self.last_counts = (0, 0)  # (earlier, later) events of the last full paint
        self._band_pixmaps: dict[tuple[object, ...], QPixmap] = {}
        self._pictures: dict[bool, _Picture] = {}  # the compressed history on screen, by side (earlier?)

    def text_px(self) -> float:
        """The width of a band's column of text in device pixels."""
        return QFontMetricsF(self.state.small_font).height() * 1.25

    def history_px(self, plot_px: float) -> float:
        """The width of a band's compressed history beside its text (0 where the plot is too narrow)."""
        line = QFontMetricsF(self.state.small_font).height()
        room = min(HISTORY_SHARE * plot_px - self.text_px(), 8 * line)
        return room if room >= 1.5 * line else 0.0

    def band_px(self, plot_px: float) -> float:
        """The width of a band in device pixels, for a plot ``plot_px`` wide."""
        return self.text_px() + self.history_px(plot_px)

    def counts(self, left: float, right: float) -> tuple[int, int]:
        """(earlier, later) events outside the days ``left``..``right``."""
        state = self.state
        lo, hi = state.derived("marks-extent", lambda: marks_extent(state.layout))
        if left <= lo and right >= hi:  # nothing drawn outside: no event to count (a switch seldom needs them)
            return 0, 0
        return state.derived("event-extents", lambda: EventExtents.of(state.layout)).outside(left, right)

    def draw(self, p: QPainter, f: Frame) -> None:
        state = self.state
        left_day, right_day = sorted((f.view.left(), f.view.right()))
        earlier, later = self.counts(left_day, right_day)
        plot_px = f.right - f.left
        # the marks and labels (painted after this layer) keep clear of the bands, and what a band covers is
        # history too: counted and compressed with what lies beyond the view (an event there is not hidden)
        state.label_inset_left = self.band_px(plot_px) if earlier else 0.0
        state.label_inset_right = self.band_px(plot_px) if later else 0.0
        if f.sx and (earlier or later):
            left_day += state.label_inset_left / abs(f.sx)
            right_day -= state.label_inset_right / abs(f.sx)
            inner = self.counts(left_day, right_day)
            earlier, later = (inner[0] if earlier else 0), (inner[1] if later else 0)
        if not f.partial:
            self.last_counts = (earlier, later)
        if not earlier and not later:
            return
        top, bottom = sorted((f.view.top() * f.sy + f.dy, f.view.bottom() * f.sy + f.dy))
        rows_bottom = state.layout.n_rows * f.sy + f.dy
        bottom = min(bottom, max(top, rows_bottom))
        if bottom - top < 8:
            return
        font = state.small_font
        fm = QFontMetricsF(font)
        text_w, history_w = self.text_px(), self.history_px(plot_px)
        extents: EventExtents = state.derived("event-extents", lambda: EventExtents.of(state.layout))
        for count, is_earlier in ((earlier, True), (later, False)):
            if not count:
                continue
            outside = extents.before(left_day) if is_earlier else extents.after(right_day)
            reach = float(outside.reach[-1] if is_earlier else outside.reach[0])
            text_top, text_bottom = self._text_span(f, top, bottom)
            room = text_bottom - text_top - 4
            for choice in ((self.interactive, reach), (False, reach), (False, None)):
                text = marker_text(count, is_earlier, *choice)
                if fm.horizontalAdvance(text) <= room:
                    break
            width = text_w + history_w
            x_edge = f.left if is_earlier else f.right - width
            rect = QRectF(x_edge, top, width, bottom - top)
            self._band_cached(p, f, rect, is_earlier)
            text_rect = QRectF(rect.left() if is_earlier else rect.right() - text_w, text_top, text_w,
                               text_bottom - text_top)
            self._text(p, text_rect, text, fm)
            if history_w:
                area = QRectF(rect.left() + text_w if is_earlier else rect.left(), top, history_w, bottom - top)
                if state.screen and f.raster:
                    self._history_picture(p, f, area, extents, outside, is_earlier, left_day, right_day)
                else:
                    self._history(p, f, area, outside, is_earlier, left_day, right_day)

    def _band_cached(self, p: QPainter, f: Frame, rect: QRectF, earlier: bool) -> None:
        """The band on screen: stamped from a pixmap made once per size (an antialiased zigzag path filled
        and stroked on every pan step cost a few ms); figures draw the path itself."""
        if not (self.state.screen and f.raster):
            self._band(p, rect, earlier)
            return
        key = (round(rect.width(), 1), round(rect.height(), 1), earlier, f.dpr, self.state.theme.header_band,
               self.state.muted.rgba(), self.state.small_font.key())
        cache = self._band_pixmaps
        pixmap = cache.get(key)
        if pixmap is None:
            if len(cache) > 8:
                cache.clear()
            pixmap = QPixmap(max(1, math.ceil(rect.width() * f.dpr)), max(1, math.ceil(rect.height() * f.dpr)))
            pixmap.setDevicePixelRatio(f.dpr)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            self._band(painter, QRectF(0.0, 0.0, rect.width(), rect.height()), earlier)
            painter.end()
            cache[key] = pixmap
        p.drawPixmap(rect.topLeft(), pixmap)

    def _band(self, p: QPainter, rect: QRectF, earlier: bool) -> None:
        """The band's fill, its torn inner edge (the axis break) and its outline."""
        state = self.state
        fill = QColor(state.theme.header_band)
        fill.setAlpha(235)
        tooth = min(rect.width() * 0.28, QFontMetricsF(state.small_font).height() * 0.35)
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

    def _text_span(self, f: Frame, top: float, bottom: float) -> tuple[float, float]:
        """The tallest stretch of the band between case headers (a figure draws headers across it)."""
        rows = self.state.layout.rows
        edges = [top]
        for r in range(max(0, f.row_lo), min(len(rows), f.row_hi + 1)):
            if rows[r].kind == L.RowKind.HEADER:
                y0, y1 = sorted((r * f.sy + f.dy, (r + 1) * f.sy + f.dy))
                if y1 > top and y0 < bottom:
                    edges += [max(top, y0), min(bottom, y1)]
        edges.append(bottom)
        spans = [(edges[i], edges[i + 1]) for i in range(0, len(edges) - 1, 2)]
        return max(spans, key=lambda span: span[1] - span[0])

    def _text(self, p: QPainter, rect: QRectF, text: str, fm: QFontMetricsF) -> None:
        """The count, written up the band."""
        state = self.state
        p.save()
        p.setPen(state.fg)
        p.setFont(state.small_font)
        p.translate(rect.left() + rect.width() / 2, rect.top() + rect.height() / 2)
        p.rotate(-90.0)
        length = fm.horizontalAdvance(text)
        p.drawText(QPointF(-length / 2, fm.ascent() - fm.height() / 2), text)
        p.restore()

    def _history_picture(self, p: QPainter, f: Frame, area: QRectF, extents: EventExtents, out: Side,
                         earlier: bool, left_day: float, right_day: float) -> None:
        """The compressed history on screen, from a picture of it while a pan moves its edge day (the day at
        the break) by less than a quarter of a pixel of its compressed scale: every event's place in it moves
        by less than that (an event passing the break joins it in its last quarter pixel). A pan step of a
        case zoomed in otherwise maps every event behind the break afresh: 47,000 at 100,000 events."""
        day = left_day if earlier else right_day
        ox, oy = math.floor(area.left()), math.floor(area.top())
        params = (f.row_lo, f.row_hi, *(round(v, 3) for v in (f.sy, f.dy - oy, area.left() - ox, area.top() - oy,
                                                              area.width(), area.height())),
                  f.dpr, self.state.mark_center, self.state.theme.bar_fraction, id(self.state.colors))
        held = self._pictures.get(earlier)
        if held is None or held.extents is not extents or held.params != params \
                or abs(day - held.day) > held.quantum:
            dpr = f.dpr
            pixmap = QPixmap(max(1, math.ceil((area.width() + 2) * dpr)), max(1, math.ceil((area.height() + 2) * dpr)))
            pixmap.setDevicePixelRatio(dpr)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            quantum = self._history(painter, replace(f, dy=f.dy - oy), area.translated(-ox, -oy), out, earlier,
                                    left_day, right_day)
            painter.end()
            held = self._pictures[earlier] = _Picture(extents, params, day, quantum, pixmap)
        p.drawPixmap(QPointF(ox, oy), held.pixmap)

    def _history(self, p: QPainter, f: Frame, area: QRectF, out: Side, earlier: bool, left_day: float,
                 right_day: float) -> float:
        """The events ``out``side the window (on one side), on their rows, squeezed into ``area`` (days to the
        break linear): the history is compressed behind the axis break, not cut. Returns the days the break
        may move before a mark moves a quarter of a pixel (0 when none is drawn)."""
        state = self.state
        lo, hi, row, color, bar = out.lo, out.hi, out.row, out.color, out.bar
        if f.row_lo > out.rows[0] or f.row_hi < out.rows[1] or not out.coloured:  # else every one is drawn
            k = np.flatnonzero((row >= f.row_lo) & (row <= f.row_hi) & (color >= 0))
            lo, hi, row, color, bar = lo[k], hi[k], row[k], color[k], bar[k]
        if lo.size == 0:
            return 0.0
        line = QFontMetricsF(state.small_font).height()
        pad = max(2.0, 0.25 * line)
        x_lo, x_hi = area.left() + pad, area.right() - pad - (0.35 * line if earlier else 0.0)
        if not earlier:
            x_lo += 0.35 * line
        if x_hi - x_lo < 2:
            return 0.0
        first = float(lo.min()) if earlier else right_day
        last = left_day if earlier else float(hi.max())
        scale = (x_hi - x_lo) / max(1e-9, last - first)
        x0 = x_lo + (lo - first) * scale
        x1 = x_lo + (hi - first) * scale
        bar_h = max(2.0, state.theme.bar_fraction * f.row_h * 0.45)
        quantum = 0.25 / scale
        if state.screen and self._cells(p, f, x0, x1, row, color, bar, bar_h):
            return quantum
        if state.screen:  # too many rows in view for a bitmap: once per pixel spot (start, length) of a row and colour
            once = first_per_spot(np.round(x0), row, np.round(x1 - x0).astype(np.int64), color)
            x0, x1, row, color, bar = x0[once], x1[once], row[once], color[once], bar[once]
        y = (row + state.mark_center) * f.sy + f.dy
        p.setPen(Qt.PenStyle.NoPen)
        for c in np.unique(color):
            m = np.nonzero(color == c)[0]
            brush = QColor(state.colors[int(c)])
            brush.setAlpha(200)
            p.setBrush(brush)
            bars = m[bar[m]]
            if bars.size:  # axis-aligned: on screen on whole pixels, without the antialiasing's cost
                p.setRenderHint(QPainter.RenderHint.Antialiasing, not state.screen)
                self.batch.rects(p, x0[bars], y[bars] - bar_h / 2, np.maximum(1.5, x1[bars] - x0[bars]), bar_h)
                p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            dots = m[~bar[m]]
            if state.screen and dots.size > 16 and self._stamp(p, brush, int(c), bar_h * 0.6, x0[dots], y[dots]):
                continue
            for i in dots:  # a few earlier points per row on screen, and each one in a figure
                p.drawEllipse(QPointF(float(x0[i]), float(y[i])), bar_h * 0.6, bar_h * 0.6)
        return quantum

    def _stamp(self, p: QPainter, brush: QColor, c: int, r: float, x: np.ndarray, y: np.ndarray) -> bool:
        """Dots of radius ``r`` centred on (x, y), stamped from one antialiased sprite; False when this
        pyqtgraph cannot."""
        dot = QPainterPath()
        dot.addEllipse(QPointF(0.0, 0.0), r, r)
        sprite = self.state.sprite(dot, QPen(Qt.PenStyle.NoPen), QBrush(brush), (-1, c, round(r * 4)))
        return self.batch.stamps(p, sprite, x, y)

    def _cells(self, p: QPainter, f: Frame, x0: np.ndarray, x1: np.ndarray, row: np.ndarray, color: np.ndarray,
               bar: np.ndarray, bar_h: float) -> bool:
        """On screen, the compressed history by pixel: a big case zoomed in has tens of thousands of events
        behind the break, in ~100 px. Each (row, colour) paints the runs of pixel columns its bars cover, one
        rectangle a run, and a dot once per pixel it falls on, stamped from one sprite (a sort of the events'
        spots each pan step cost 1-2 ms at 100,000 events, drawing their rectangles as much again). False when
        the rows in view are too many for a bitmap of them; the caller then draws once per pixel spot."""
        state = self.state
        n_colors = len(state.colors)
        r0 = int(row.min())
        origin = math.floor(float(min(x0.min(), x1.min()))) - 1
        width = math.ceil(float(max(x0.max(), x1.max()))) - origin + 3  # the last column is never covered
        lines = (row - r0) * n_colors + color
        if ((int(row.max()) - r0 + 1) * n_colors) * width > HISTORY_CELLS:
            return False
        y = (np.arange(int(row.max()) - r0 + 1) + r0 + state.mark_center) * f.sy + f.dy  # by row
        p.setPen(Qt.PenStyle.NoPen)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # whole pixels
        line_of, start, length = span_runs(lines[bar], np.floor(x0[bar] + 0.5).astype(np.int64) - origin,
                                           np.floor(x0[bar] + np.maximum(1.5, x1[bar] - x0[bar]) + 0.5)
                                           .astype(np.int64) - origin, width)
        dots = ~bar
        spot = np.zeros(0, dtype=np.int64)
        if dots.any():
            hit = np.zeros((int(lines.max()) + 1) * width, dtype=bool)
            hit[lines[dots] * width + np.floor(x0[dots] + 0.5).astype(np.int64) - origin] = True
            spot = np.flatnonzero(hit)
        r = bar_h * 0.6
        for c in range(n_colors):
            runs = np.flatnonzero(line_of % n_colors == c)
            at = spot[(spot // width) % n_colors == c] if spot.size else spot
            if not runs.size and not at.size:
                continue
            brush = QColor(state.colors[c])
            brush.setAlpha(200)
            p.setBrush(brush)
            if runs.size:
                self.batch.rects(p, start[runs] + origin, y[line_of[runs] // n_colors] - bar_h / 2, length[runs],
                                 bar_h)
            if at.size:
                xs, ys = (at % width + origin).astype(np.float64), y[at // width // n_colors]
                if not self._stamp(p, brush, c, r, xs, ys):
                    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
                    for x, yy in zip(xs.tolist(), ys.tolist(), strict=True):
                        p.drawEllipse(QPointF(x, yy), r, r)
                    p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        return True


@dataclass(frozen=True)
class _Picture:
    """One side's compressed history on screen, drawn for ``day`` at the break, valid within ``quantum`` days
    of it for the same layout (``extents``), rows, scale and band (``params``)."""

    extents: EventExtents
    params: tuple[object, ...]
    day: float
    quantum: float
    pixmap: QPixmap


#: The most (rows x colours x pixel columns) the compressed history on screen is drawn by pixel.
HISTORY_CELLS = 1 << 21

