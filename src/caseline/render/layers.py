"""The paint layers: one item per kind of mark paints every mark of that kind.

Each layer asks the render state for the marks on screen (a binary search per visible row, at the
level of detail the zoom needs: caseline.layout.row_index), converts them to device pixels with
numpy, merges marks that fall on the same pixel, and paints in a handful of QPainter calls. No
paint loops over events in Python. Text (labels, headers, undated chips) is drawn by
caseline.render.label_layer.LabelLayer."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QGradient,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
)

from caseline.layout import timeline_layout as L
from caseline.layout.row_index import merge_spans
from caseline.layout.tracks import clip_steps, step_vertices
from caseline.model.kinds import CATEGORY_ORDER, Glyph
from caseline.render.painting import (
    SPRITE_MIN_GLYPHS,
    Frame,
    LayerItem,
    cell_runs,
    first_per_spot,
    glyph_path,
)
from caseline.render.track_labels import draw_numeric_tracks
from caseline.timeline.resolved import ItemRole


@dataclass(frozen=True)
class RowArrays:
    """The rows of a layout as arrays (for the background's bands and separators)."""

    header: np.ndarray  # bool
    band: np.ndarray  # bool: a shaded lane (every other row that is not a header)
    separator: np.ndarray  # bool: a category separator at the top of the row

    @staticmethod
    def of(layout: L.TimelineLayout) -> RowArrays:
        """Made once per list of rows: a switch of alignment (or back to a sort seen) keeps the layout's rows
        list (caseline.layout.composition), and a Python pass over 4,000 rows cost 3.5 ms a switch."""
        found = _ROW_ARRAYS.get(id(layout.rows))
        if found is not None and found[0] is layout.rows:
            return found[1]
        made = RowArrays._of(layout)
        if len(_ROW_ARRAYS) >= 8:
            _ROW_ARRAYS.clear()
        _ROW_ARRAYS[id(layout.rows)] = (layout.rows, made)
        return made

    @staticmethod
    def _of(layout: L.TimelineLayout) -> RowArrays:
        n = layout.n_rows
        header = np.array([row.kind == L.RowKind.HEADER for row in layout.rows], dtype=bool)
        band = ~header & (np.arange(n) % 2 == 0)
        separator = np.zeros(n, dtype=bool)
        previous = None
        for r, row in enumerate(layout.rows):  # once per layout, not per paint
            key = (row.case_index, row.category)
            if previous is not None and row.kind == L.RowKind.LANE and key != previous and previous[1] is not None:
                separator[r] = True
            previous = key
        return RowArrays(header, band, separator)


_ROW_ARRAYS: dict[int, tuple[list[L.Row], RowArrays]] = {}  # id(rows) -> (rows, their arrays)


@dataclass(frozen=True)
class RuleArrays:
    x: np.ndarray
    first: np.ndarray
    last: np.ndarray
    item: np.ndarray

    @staticmethod
    def of(layout: L.TimelineLayout) -> RuleArrays:
        made = layout.__dict__.get("_rule_arrays")  # a composed layout made them as arrays
        if made is not None:
            return RuleArrays(*made)
        rules = layout.rules
        return RuleArrays(np.array([r[0] for r in rules], dtype=np.float64),
                          np.array([r[1] for r in rules], dtype=np.int64),
                          np.array([r[2] for r in rules], dtype=np.int64),
                          np.array([r[3] for r in rules], dtype=np.int64))


@dataclass(frozen=True)
class SeverityArrays:
    """Every severity row's values, sorted by row then time: ``x``, the value as a fraction of the row
    (0 at the scale's minimum), and per severity row its slice."""

    row: np.ndarray  # the layout row of each severity line
    start: np.ndarray  # slice of each line in x / frac
    stop: np.ndarray
    x: np.ndarray
    frac: np.ndarray

    @staticmethod
    def of(layout: L.TimelineLayout) -> SeverityArrays:
        lines = layout.severity
        if not lines:
            empty = np.zeros(0, dtype=np.int64)
            return SeverityArrays(empty, empty, empty, np.zeros(0), np.zeros(0))
        # concatenated, not a numpy step per line (600 lines at 200 cases: 2 ms a switch, now ~0.3)
        length = np.array([len(line[1]) for line in lines], dtype=np.int64)
        stop = np.cumsum(length)
        low = np.repeat(np.array([line[3] for line in lines], dtype=np.float64), length)
        high = np.repeat(np.array([line[4] for line in lines], dtype=np.float64), length)
        values = np.concatenate([line[2] for line in lines]).astype(np.float64, copy=False)
        return SeverityArrays(np.array([line[0] for line in lines], dtype=np.int64), stop - length, stop,
                              np.concatenate([line[1] for line in lines]).astype(np.float64, copy=False),
                              (values - low) / (high - low))


def _dotted_column(color: QColor, width: int, height: int) -> QPixmap:
    """A vertical dotted line ``height`` px tall as a pixmap: rules are stamped from it with one
    drawPixmapFragments call (a dotted pen costs Qt a dash pattern per line: 23 ms a frame for the
    rules of a 100,000-event case; a texture brush 20-90 ms)."""
    column = QPixmap(width, height)
    column.fill(Qt.GlobalColor.transparent)
    painter = QPainter(column)
    for y in range(0, height, 3 * width):
        painter.fillRect(QRectF(0, y, width, width), color)
    painter.end()
    return column


class BackgroundLayer(LayerItem):
    """Alternate lane shading, header bands and category separators, remission and death rules, day 0."""

    def draw(self, p: QPainter, f: Frame) -> None:
        state = self.state
        layout = state.layout
        left, right = f.clip_left, f.clip_right
        rows = state.derived("rows", lambda: RowArrays.of(layout))
        visible = np.arange(f.row_lo, f.row_hi + 1)
        p.setPen(Qt.PenStyle.NoPen)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # whole-pixel bands: 3-4x cheaper
        for mask, color in ((rows.header, state.theme.header_band), (rows.band, state.theme.band)):
            r = visible[mask[visible]]
            if r.size:
                p.setBrush(QColor(color))
                self.batch.rects(p, np.full(r.size, left), r * f.sy + f.dy, right - left, f.row_h)
        r = visible[rows.separator[visible]]
        if r.size:
            p.setPen(QPen(state.muted, max(1.0, state.theme.line_px * 0.6)))
            y = r * f.sy + f.dy
            self.batch.lines(p, np.full(r.size, left), y, np.full(r.size, right), y)
            p.setPen(Qt.PenStyle.NoPen)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self._draw_rules(p, f)
        # day 0 rule
        x0 = 0.0 * f.sx + f.dx
        if left - 2 <= x0 <= right + 2:
            pen = QPen(state.fg, max(1.0, state.theme.line_px))
            pen.setStyle(Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.drawLine(QPointF(x0, f.dy), QPointF(x0, layout.n_rows * f.sy + f.dy))

    def _draw_rules(self, p: QPainter, f: Frame) -> None:
        """Death and remission: a dotted rule across the case's lanes (one per pixel column)."""
        state = self.state
        rules = state.derived("rules", lambda: RuleArrays.of(state.layout))
        if rules.x.size == 0:
            return
        X = rules.x * f.sx + f.dx
        keep = ((f.left <= X) & (f.right >= X) & (f.clip_left - 2 <= X) & (f.clip_right + 2 >= X)
                & (rules.last >= f.row_lo) & (rules.first <= f.row_hi))
        if state.ghosted:  # not revealed yet (teaching): the rule would give it away
            keep &= ~np.isin(rules.item, list(state.ghosted))
        k = np.nonzero(keep)[0]
        if k.size == 0:
            return
        first = np.maximum(rules.first[k], f.row_lo)
        last = np.minimum(rules.last[k], f.row_hi)
        column = np.round(X[k])
        spots = first_per_spot(column, first, last, np.zeros(k.size, dtype=np.int64))
        column, first, last = column[spots], first[spots], last[spots]
        width = max(1.5, state.theme.line_px * 1.5)
        y0 = first * f.sy + f.dy
        y1 = (last + 1) * f.sy + f.dy
        if f.raster:
            w = max(1, round(width))
            top, height = np.minimum(y0, y1), np.abs(y1 - y0)
            need = 1 << max(6, math.ceil(math.log2(max(1.0, float(height.max())))))
            dots = state.derived(f"rule-column-{w}-{need}", lambda: _dotted_column(state.fg, w, need))
            source = np.zeros((top.size, 4))
            source[:, 2] = w
            source[:, 3] = np.minimum(height, need)
            if self.batch.fragments(p, dots, column - w / 2, top, source):
                return
        rule = QPen(state.fg, width)
        rule.setStyle(Qt.PenStyle.DotLine)
        p.setPen(rule)
        self.batch.lines(p, column, y0, column, y1)
        p.setPen(Qt.PenStyle.NoPen)


def _fade_brush(color: QColor, alpha: int, hold: float) -> QBrush:
    """Fades each rectangle of a batch out to the right (ObjectBoundingMode: relative to each rect)."""
    gradient = QLinearGradient(0.0, 0.0, 1.0, 0.0)
    gradient.setCoordinateMode(QGradient.CoordinateMode.ObjectBoundingMode)
    c0, c1 = QColor(color), QColor(color)
    c0.setAlpha(alpha)
    c1.setAlpha(0)
    gradient.setColorAt(0.0, c0)
    gradient.setColorAt(hold, c0)
    gradient.setColorAt(1.0, c1)
    return QBrush(gradient)


#: On screen, above this many uncertainty bands of one colour in view, a row's overlapping ones are drawn merged.
MERGE_BANDS_ABOVE = 400


class BarLayer(LayerItem):
    """Courses: drug and therapy bars, symptom bands, uncertainty bands, stop marks."""
    tiled = inside_bands = True

    def draw(self, p: QPainter, f: Frame) -> None:
        bars = self.state.layout.bars
        sel = self.cull("bars", f, 12.0)
        if self.state.screen:  # whole-pixel bars on screen: about a third of the layer's cost (issue 18)
            p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        if sel.size == 0:
            return
        theme = self.state.theme
        row_h = f.row_h
        sy, dy = f.sy, f.dy
        X0 = bars.x0[sel] * f.sx + f.dx
        X1 = bars.x1[sel] * f.sx + f.dx
        lo_px, hi_px = f.left - 0.5, f.right + 0.5
        overlap = (lo_px <= X1) & (hi_px >= X0)
        if not overlap.all():
            sel, X0, X1 = sel[overlap], X0[overlap], X1[overlap]
        ends_in_view = (lo_px <= X1) & (hi_px >= X1)  # a stop mark or bracket end to draw
        starts_in_view = (lo_px <= X0) & (hi_px >= X0)
        YC = (bars.y[sel] - 0.5 + self.state.mark_center) * sy + dy
        style = bars.style[sel]
        color = bars.color[sel]
        items = bars.item[sel]
        # clipped to the data area here, not only by the painter: SVG Tiny output has no clip
        left, right = f.left, f.right
        X0 = np.clip(X0, left, right)
        X1 = np.clip(X1, left, right)
        bar_h = theme.bar_fraction * row_h
        ghosted = self.state.ghosted
        p.setPen(Qt.PenStyle.NoPen)
        # soft uncertainty bands first
        unc = (style & L.BarStyle.UNCERTAIN) != 0
        drawn_unc = unc
        if self.state.screen and unc.any():  # bands covering the same pixels of a row in one colour: drawn once
            k = np.nonzero(unc)[0]
            drawn_unc = np.zeros_like(unc)
            drawn_unc[k[_first_per_pixels(X0[k] - left, X1[k] - left, bars.y[sel][k], color[k])]] = True
        h = bar_h * 1.5
        for c in np.unique(color[unc]):
            m = np.nonzero(drawn_unc & (color == c))[0]
            col = QColor(self.state.colors[int(c)])
            col.setAlpha(55)
            p.setBrush(col)
            x0, x1 = X0[m], X0[m] + np.minimum(np.maximum(2.0, X1[m] - X0[m]), right - X0[m])
            yc = YC[m]
            if self.state.screen and m.size > MERGE_BANDS_ABOVE:  # a dense view: each row's overlapping
                # bands as one span (the union of where the time may lie), not thousands of blended rects
                x0, x1, yc = merge_spans(x0, x1, yc)
            self.batch.rects(p, x0, yc - h / 2, x1 - x0, h)
        cycles = (style & L.BarStyle.CYCLE) != 0
        if cycles.any():
            # one bracket under the administrations of each cycle: a line with a tick at each end
            p.setPen(QPen(self.state.fg, max(1.0, theme.line_px * 1.2)))
            below = bar_h * 0.5 + max(3.0, bar_h * 0.35)
            tick = max(2.0, bar_h * 0.25)
            k = np.nonzero(cycles)[0]
            k0, k1 = k[starts_in_view[k]], k[ends_in_view[k]]  # end ticks only where the cycle ends
            yb, yb0, yb1 = YC[k] + below, YC[k0] + below, YC[k1] + below
            self.batch.lines(p, np.concatenate([X0[k], X0[k0], X1[k1]]), np.concatenate([yb, yb0, yb1]),
                             np.concatenate([X1[k], X0[k0], X1[k1]]), np.concatenate([yb, yb0 - tick, yb1 - tick]))
            p.setPen(Qt.PenStyle.NoPen)
        solid = ~unc & ~cycles
        open_end = solid & ((style & L.BarStyle.OPEN_END) != 0)
        symptom = (style & L.BarStyle.BAND) != 0
        plain = solid & ~open_end
        for c in np.unique(color[plain]):
            for is_symptom in (False, True):
                m = np.nonzero(plain & (color == c) & (symptom == is_symptom))[0]
                if m.size == 0:
                    continue
                col = QColor(self.state.colors[int(c)])
                col.setAlpha(110 if is_symptom else 215)
                h = bar_h * (0.8 if is_symptom else 1.0)
                # merge bars narrower than a pixel: one rect per pixel column
                widths = X1[m] - X0[m]
                narrow = widths < 1.0
                wide = m[~narrow]
                p.setBrush(col)
                self.batch.rects(p, X0[wide], YC[wide] - h / 2, X1[wide] - X0[wide], h)
                if narrow.any():
                    column, run, row = cell_runs(np.floor(X0[m[narrow]]), bars.y[sel][m[narrow]])
                    self.batch.rects(p, column, (row - 0.5 + self.state.mark_center) * sy + dy - h / 2, run, h)
        # open-ended courses fade out to the right: one gradient brush per colour, relative to each bar
        if open_end.any():
            # bars starting and ending in the same pixel columns of a row paint the same pixels: once
            k = np.nonzero(open_end)[0]
            spots = k[first_per_spot(np.round(X0[k]) * 8192 + np.round(X1[k]) - left, bars.y[sel][k] * 2,
                                     symptom[k].astype(np.int64), color[k])]
            open_end = np.zeros_like(open_end)
            open_end[spots] = True
            long_bar = (X1 - X0) > 60
            for c in np.unique(color[open_end]):
                for is_symptom in (False, True):
                    for is_long in (False, True):
                        m = np.nonzero(open_end & (color == c) & (symptom == is_symptom) & (long_bar == is_long))[0]
                        if m.size == 0:
                            continue
                        h = bar_h * (0.8 if is_symptom else 1.0)
                        alpha, hold = 110 if is_symptom else 215, 0.55 if is_long else 0.0
                        width = np.minimum(np.maximum(2.0, X1[m] - X0[m]), right - X0[m])
                        if f.raster:
                            p.setBrush(_fade_brush(self.state.colors[int(c)], alpha, hold))
                            self.batch.rects(p, X0[m], YC[m] - h / 2, width, h)
                        else:  # PDF drops a gradient's alpha (a solid bar with a hard end): steps instead
                            self._stepped_fade(p, self.state.colors[int(c)], alpha, hold, X0[m], YC[m] - h / 2,
                                               width, h)
        # stop marks: a heavy bar across the end of a stopped course
        stopped = solid & ((style & L.BarStyle.STOPPED) != 0)
        if stopped.any():
            k = np.nonzero(stopped & ends_in_view)[0]
            stop_w = max(2.0, theme.line_px * 2.5)
            if self.state.screen:  # on screen: once per pixel spot of a row, as a filled rectangle (the same
                # pixels as the flat-capped line a figure draws, several times cheaper)
                k = k[_first_per_pixels(X1[k] - left, X1[k] - left, bars.y[sel][k], color[k] * 0)]
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(self.state.fg)
                self.batch.rects(p, X1[k] - stop_w / 2, YC[k] - bar_h * 0.9, stop_w, bar_h * 1.8)
            else:
                p.setPen(QPen(self.state.fg, stop_w, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
                self.batch.lines(p, X1[k], YC[k] - bar_h * 0.9, X1[k], YC[k] + bar_h * 0.9)
        # ghosted (not yet revealed) and selected outlines
        if ghosted:
            veil = QColor(self.state.bg)
            veil.setAlpha(190)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(veil)
            k = np.nonzero(np.isin(items, list(ghosted)))[0]
            self.batch.rects(p, X0[k] - 1, YC[k] - bar_h, X1[k] - X0[k] + 2, bar_h * 2)
        selected = self.state.selected
        highlighted = self.state.highlighted | ({selected} if selected is not None else set())
        if highlighted:
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.setPen(QPen(self.state.fg, max(2.0, theme.line_px * 2)))
            k = np.nonzero(np.isin(items, list(highlighted)) & solid)[0]
            self.batch.rects(p, X0[k] - 2, YC[k] - bar_h / 2 - 2, np.maximum(2.0, X1[k] - X0[k]) + 4, bar_h + 4)


    def _stepped_fade(self, p: QPainter, color: QColor, alpha: int, hold: float, x: np.ndarray, y: np.ndarray,
                      width: np.ndarray, h: float) -> None:
        """The fade of open-ended bars as solid steps of falling opacity: survives PDF and SVG, whose
        writers drop or flatten a gradient's alpha."""
        p.setPen(Qt.PenStyle.NoPen)
        if hold > 0:
            p.setBrush(_with_alpha(color, alpha))
            self.batch.rects(p, x, y, width * hold, h)
        step = width * (1.0 - hold) / FADE_STEPS
        for i in range(FADE_STEPS):
            p.setBrush(_with_alpha(color, round(alpha * (1.0 - (i + 1) / (FADE_STEPS + 1)))))
            self.batch.rects(p, x + width * hold + i * step, y, step, h)


def _first_per_pixels(x0: np.ndarray, x1: np.ndarray, row: np.ndarray, color: np.ndarray) -> np.ndarray:
    """Indices, ascending, of the first mark of each (pixel column of x0, of x1, row, colour): marks that
    cover the same pixels (x relative to the data area's left edge)."""
    if x0.size == 0:
        return np.zeros(0, dtype=np.intp)
    key = np.round(np.clip(x0, -1, 1 << 15)).astype(np.int64) + 1
    key = (key << 16) | (np.round(np.clip(x1, -1, 1 << 15)).astype(np.int64) + 1)
    key = (key << 16) | (np.floor(row).astype(np.int64) & 0xFFFF)
    key = (key << 8) | (color.astype(np.int64) & 0xFF)
    _, first = np.unique(key, return_index=True)
    first.sort()
    return first


def _data_area(f: Frame) -> QPainterPath:
    top, bottom = f.view.top() * f.sy + f.dy, f.view.bottom() * f.sy + f.dy
    area = QPainterPath()
    area.addRect(QRectF(f.left, min(top, bottom), f.right - f.left, abs(bottom - top)))
    return area


#: Steps of falling opacity that stand for the fade of an open end on vector output.
FADE_STEPS = 8


def _with_alpha(color: QColor, alpha: int) -> QColor:
    out = QColor(color)
    out.setAlpha(alpha)
    return out


class PointLayer(LayerItem):
    """Administrations, investigations, onsets, milestones, stops: glyphs batched per kind."""
    tiled = inside_bands = True

    def draw(self, p: QPainter, f: Frame) -> None:
        pts = self.state.layout.points
        theme = self.state.theme
        row_h = f.row_h
        size = min(theme.glyph_px * self.state.px_per_pt * 0.75, row_h * 0.6)
        self._draw_whiskers(p, f)
        self._draw_severity(p, f)
        draw_numeric_tracks(self, p, f)  # scale, values, spans, results (render.track_labels)
        sel = self.cull("points", f, size + 4)
        if sel.size == 0:
            return
        X = pts.x0[sel] * f.sx + f.dx
        Y = (pts.y[sel] - 0.5 + self.state.mark_center) * f.sy + f.dy
        code = pts.style[sel]
        color = pts.color[sel]
        items = pts.item[sel]
        # one mark per pixel: merge glyphs that would land on the same spot
        first = first_per_spot(np.round(X), np.round(Y), code, color)
        outline = QPen(self.state.fg, max(1.0, theme.line_px))
        ghosted = self.state.ghosted
        for glyph in np.unique(code[first]):
            base = int(glyph) & L.GLYPH_MASK
            filled = (int(glyph) & L.PointFlag.ABNORMAL) != 0 or base not in (Glyph.DIAMOND, Glyph.CIRCLE,
                                                                                 Glyph.ABSENT, Glyph.RESTART)
            template = glyph_path(base, size)
            for c in np.unique(color[first][code[first] == glyph]):
                m = first[(code[first] == glyph) & (color[first] == c)]
                col = QColor(self.state.colors[int(c)])
                if base in (Glyph.STOP, Glyph.CROSS, Glyph.PHASE):  # marks on a bar: in the ink colour
                    col = QColor(self.state.fg)
                elif base == Glyph.DOSE:
                    col = col.darker(135)
                if filled:
                    pen = QPen(Qt.PenStyle.NoPen) if base == Glyph.DOSE else QPen(self.state.bg, 1.0)
                    brush = QBrush(col)
                else:
                    pen = QPen(col, max(2.0, theme.line_px * 2))
                    brush = QBrush(self.state.bg)
                    if int(glyph) & L.PointFlag.UNSTATED:  # a result not interpreted: dotted, never read as normal
                        pen.setStyle(Qt.PenStyle.DotLine)
                if f.raster and m.size >= SPRITE_MIN_GLYPHS:
                    sprite = self.state.sprite(template, pen, brush, (int(glyph), int(c), round(size * 4)))
                    if self.batch.stamps(p, sprite, X[m], Y[m]):
                        continue
                # few glyphs (or a vector target: SVG, PDF): one path of exact shapes
                path = QPainterPath()
                for i in m:
                    path.addPath(template.translated(float(X[i]), float(Y[i])))
                if not f.raster and ((X[m] - size < f.left) | (X[m] + size > f.right)).any():
                    path = path.intersected(_data_area(f))  # SVG Tiny has no clip: cut glyphs at the edge
                p.setPen(pen)
                p.setBrush(brush)
                p.drawPath(path)
        if ghosted:
            veil = QColor(self.state.bg)
            veil.setAlpha(200)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(veil)
            for i in np.nonzero(np.isin(items, list(ghosted)))[0]:  # teaching: a handful of marks
                p.drawEllipse(QPointF(X[i], Y[i]), size * 0.8, size * 0.8)
        selected = self.state.selected
        highlighted = self.state.highlighted | ({selected} if selected is not None else set())
        if highlighted:
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.setPen(outline if not highlighted else QPen(self.state.fg, max(2.0, theme.line_px * 2)))
            for i in np.nonzero(np.isin(items, list(highlighted)))[0]:
                p.drawEllipse(QPointF(X[i], Y[i]), size * 0.9, size * 0.9)

    def _draw_whiskers(self, p: QPainter, f: Frame) -> None:
        w = self.state.layout.whiskers
        theme = self.state.theme
        arrow = max(24.0, 3.0 * theme.glyph_px * self.state.px_per_pt)
        sel = self.cull("whiskers", f, arrow + 8)
        if self.state.ghosted and sel.size:  # teaching: an arrow or span in full colour would tell what comes
            sel = sel[~np.isin(w.item[sel], list(self.state.ghosted))]
        if sel.size == 0:
            return
        row_h = f.row_h
        left, right = f.left, f.right
        X0 = w.x0[sel] * f.sx + f.dx  # not clipped yet: arrows and caps are drawn where their end is in view
        X1 = w.x1[sel] * f.sx + f.dx
        Y = (w.y[sel] - 0.5 + self.state.mark_center) * f.sy + f.dy
        cap = row_h * theme.bar_fraction * 0.45
        style = w.style[sel]
        for c in np.unique(w.color[sel]):
            col = QColor(self.state.colors[int(c)])
            m = np.nonzero(w.color[sel] == c)[0]
            closed = m[style[m] == L.WhiskerEnd.CLOSED]
            band = QColor(col)
            band.setAlpha(45)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(band)
            bx0, bx1 = np.clip(X0[closed], left, right), np.clip(X1[closed], left, right)
            self.batch.rects(p, bx0, Y[closed] - cap, np.minimum(np.maximum(1.0, bx1 - bx0), right - bx0), 2 * cap)
            solid = QPen(col, max(1.5, theme.line_px * 1.5))
            dashed = QPen(col, max(1.5, theme.line_px * 1.5), Qt.PenStyle.DashLine)
            # "later/earlier, by an amount the source does not give": a dashed arrow of fixed length
            later = m[style[m] == L.WhiskerEnd.OPEN_END]
            earlier = m[style[m] == L.WhiskerEnd.OPEN_START]
            lx0, ly = X0[later], Y[later]
            lx1 = lx0 + arrow
            ex1, ey = X1[earlier], Y[earlier]
            ex0 = ex1 - arrow
            p.setPen(dashed)
            self.batch.lines(p, np.clip(np.concatenate([lx0, ex0]), left, right), np.concatenate([ly, ey]),
                             np.clip(np.concatenate([lx1, ex1]), left, right), np.concatenate([ly, ey]))
            # solid: arrow heads and end caps whose point is in view (clipped by hand: SVG Tiny has no
            # clip), then closed whiskers
            cx0, cx1, cy = X0[closed], X1[closed], Y[closed]
            head_l, head_e = (lx1 - cap >= left) & (lx1 <= right), (ex0 >= left) & (ex0 + cap <= right)
            cap0, cap1 = (cx0 >= left) & (cx0 <= right), (cx1 >= left) & (cx1 <= right)
            hx, hy, ox, oy = lx1[head_l], ly[head_l], ex0[head_e], ey[head_e]
            p.setPen(solid)
            self.batch.lines(
                p,
                np.concatenate([hx, hx, ox, ox, np.clip(cx0, left, right), cx0[cap0], cx1[cap1]]),
                np.concatenate([hy, hy, oy, oy, cy, cy[cap0] - cap, cy[cap1] - cap]),
                np.concatenate([hx - cap, hx - cap, ox + cap, ox + cap, np.clip(cx1, left, right), cx0[cap0],
                                cx1[cap1]]),
                np.concatenate([hy - cap * 0.7, hy + cap * 0.7, oy - cap * 0.7, oy + cap * 0.7, cy,
                                cy[cap0] + cap, cy[cap1] + cap]))

    def _draw_severity(self, p: QPainter, f: Frame) -> None:
        """Each severity row as a step line through its values: only the steps in view, and where
        several fall in one pixel column, that column's first, lowest, highest and last value (the
        same pixels, as min-max decimation of a trace draws them)."""
        state = self.state
        sev = state.derived("severity", lambda: SeverityArrays.of(state.layout))
        rows = np.nonzero((sev.row >= f.row_lo) & (sev.row <= f.row_hi))[0]
        if state.ghosted and rows.size:  # teaching: a trace with values still to come would tell them
            layout = state.layout
            hidden = [int(layout.item_row[i]) for i in state.ghosted if layout.items[i].role is ItemRole.SEVERITY]
            rows = rows[~np.isin(sev.row[rows], hidden)]
        if rows.size == 0:
            return
        theme = state.theme
        col = QColor(state.colors[CATEGORY_ORDER.index(CATEGORY_ORDER[2])]).darker(150)
        p.setPen(QPen(col, max(1.5, theme.line_px * 1.5), Qt.PenStyle.SolidLine, Qt.PenCapStyle.SquareCap))
        p.setBrush(Qt.BrushStyle.NoBrush)
        lo, hi = f.margin(4.0)
        width = max(1.5, theme.line_px * 1.5)
        xs0, ys0, xs1, ys1 = [], [], [], []
        for k in rows:  # one step line per severity row on screen
            a, b = int(sev.start[k]), int(sev.stop[k])
            xs = sev.x[a:b]
            # the step before the view carries its value into it, the one after closes it
            i0 = max(0, int(np.searchsorted(xs, lo, side="left")) - 1)
            i1 = min(b - a, int(np.searchsorted(xs, hi, side="right")) + 1)
            if i1 - i0 <= 0:
                continue
            top = int(sev.row[k]) * f.sy + f.dy
            X = xs[i0:i1] * f.sx + f.dx  # (not clipped: a rise beyond the edge is not drawn at the edge)
            Y = top + f.row_h * (0.92 - 0.8 * sev.frac[a + i0:a + i1])
            X, Y = step_vertices(X, Y)
            xs0.append(X[:-1])
            ys0.append(Y[:-1])
            xs1.append(X[1:])
            ys1.append(Y[1:])
        if not xs0:
            return
        X0, Y0, X1, Y1 = (np.concatenate(v) for v in (xs0, ys0, xs1, ys1))
        X0, Y0, X1, Y1 = clip_steps(X0, Y0, X1, Y1, f.left, f.right)
        if f.raster:
            # the steps are horizontal and vertical segments: rectangles of the pen's width, one batch
            # (an antialiased 1.5 px polyline costs Qt's stroker ~30 ms per 4,000 vertices)
            half = width / 2
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(col)
            smooth = p.testRenderHint(QPainter.RenderHint.Antialiasing)  # on screen whole pixels (axis-aligned)
            p.setRenderHint(QPainter.RenderHint.Antialiasing, smooth and not state.screen)
            x_lo, y_lo = np.minimum(X0, X1), np.minimum(Y0, Y1)
            w, h = np.maximum(X0, X1) - x_lo + width, np.maximum(Y0, Y1) - y_lo + width
            self.batch.rects(p, x_lo - half, y_lo - half, w, h)
            p.setRenderHint(QPainter.RenderHint.Antialiasing, smooth)
        else:
            self.batch.lines(p, X0, Y0, X1, Y1)
