"""The paint layers: one item per kind of mark paints every mark of that kind.

Each layer asks the render state for the marks on screen (a binary search per visible row, at the
level of detail the zoom needs: caseline.layout.row_index), converts them to device pixels with
numpy, merges marks that fall on the same pixel, and paints in a handful of QPainter calls. No
paint loops over events in Python. Text (labels, headers, undated chips) is drawn by LabelLayer:
labels are placed so they never overlap (caseline.layout.labels) and, on raster targets, stamped
from an atlas of the distinct strings with one drawPixmapFragments call."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetricsF,
    QGradient,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
)

from caseline.layout import timeline_layout as L
from caseline.layout.labels import place_labels
from caseline.model.kinds import CATEGORY_ORDER, Glyph
from caseline.render.painting import (
    MARK_CENTER,
    SPRITE_MIN_GLYPHS,
    Frame,
    LayerItem,
    RenderState,
    _unique_cells,
    elide,
    first_per_spot,
    glyph_path,
)
from caseline.timeline.resolved import ItemRole


@dataclass(frozen=True)
class RowArrays:
    """The rows of a layout as arrays (for the background's bands and separators)."""

    header: np.ndarray  # bool
    band: np.ndarray  # bool: a shaded lane (every other row that is not a header)
    separator: np.ndarray  # bool: a category separator at the top of the row

    @staticmethod
    def of(layout: L.TimelineLayout) -> RowArrays:
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


@dataclass(frozen=True)
class RuleArrays:
    x: np.ndarray
    first: np.ndarray
    last: np.ndarray
    item: np.ndarray

    @staticmethod
    def of(layout: L.TimelineLayout) -> RuleArrays:
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
        rows, starts, stops, xs, fracs = [], [], [], [], []
        at = 0
        for row, x, values, low, high in layout.severity:
            rows.append(row)
            starts.append(at)
            at += int(x.shape[0])
            stops.append(at)
            xs.append(np.asarray(x, dtype=np.float64))
            fracs.append((np.asarray(values, dtype=np.float64) - low) / (high - low))
        return SeverityArrays(np.array(rows, dtype=np.int64), np.array(starts, dtype=np.int64),
                              np.array(stops, dtype=np.int64), np.concatenate(xs) if xs else np.zeros(0),
                              np.concatenate(fracs) if fracs else np.zeros(0))


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
    c0 = QColor(color)
    c0.setAlpha(alpha)
    c1 = QColor(color)
    c1.setAlpha(0)
    gradient.setColorAt(0.0, c0)
    gradient.setColorAt(hold, c0)
    gradient.setColorAt(1.0, c1)
    return QBrush(gradient)


class BarLayer(LayerItem):
    """Courses: drug and therapy bars, symptom bands, uncertainty bands, stop marks."""

    def draw(self, p: QPainter, f: Frame) -> None:
        bars = self.state.layout.bars
        sel = self.cull("bars", f, 12.0)
        if sel.size == 0:
            return
        theme = self.state.theme
        row_h = f.row_h
        sy, dy = f.sy, f.dy
        X0 = bars.x0[sel] * f.sx + f.dx
        X1 = bars.x1[sel] * f.sx + f.dx
        YC = (bars.y[sel] - 0.5 + MARK_CENTER) * sy + dy
        style = bars.style[sel]
        color = bars.color[sel]
        items = bars.item[sel]
        left = f.left - 10
        right = f.right + 10
        X0 = np.maximum(X0, left)
        X1 = np.minimum(X1, right)
        bar_h = theme.bar_fraction * row_h
        ghosted = self.state.ghosted
        p.setPen(Qt.PenStyle.NoPen)
        # soft uncertainty bands first
        unc = (style & L.BarStyle.UNCERTAIN) != 0
        for c in np.unique(color[unc]):
            m = np.nonzero(unc & (color == c))[0]
            col = QColor(self.state.colors[int(c)])
            col.setAlpha(55)
            p.setBrush(col)
            h = bar_h * 1.5
            self.batch.rects(p, X0[m], YC[m] - h / 2, np.maximum(2.0, X1[m] - X0[m]), h)
        cycles = (style & L.BarStyle.CYCLE) != 0
        if cycles.any():
            # one bracket under the administrations of each cycle: a line with a tick at each end
            p.setPen(QPen(self.state.fg, max(1.0, theme.line_px * 1.2)))
            below = bar_h * 0.5 + max(3.0, bar_h * 0.35)
            tick = max(2.0, bar_h * 0.25)
            k = np.nonzero(cycles)[0]
            yb = YC[k] + below
            self.batch.lines(p, np.concatenate([X0[k], X0[k], X1[k]]), np.concatenate([yb, yb, yb]),
                             np.concatenate([X1[k], X0[k], X1[k]]), np.concatenate([yb, yb - tick, yb - tick]))
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
                    column, row = _unique_cells(np.floor(X0[m[narrow]]), bars.y[sel][m[narrow]])
                    self.batch.rects(p, column, (row - 0.5 + MARK_CENTER) * sy + dy - h / 2, 1.0, h)
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
                        p.setBrush(_fade_brush(self.state.colors[int(c)], 110 if is_symptom else 215,
                                               0.55 if is_long else 0.0))
                        self.batch.rects(p, X0[m], YC[m] - h / 2, np.maximum(2.0, X1[m] - X0[m]), h)
        # stop marks: a heavy bar across the end of a stopped course
        stopped = solid & ((style & L.BarStyle.STOPPED) != 0)
        if stopped.any():
            p.setPen(QPen(self.state.fg, max(2.0, theme.line_px * 2.5), Qt.PenStyle.SolidLine,
                          Qt.PenCapStyle.FlatCap))
            k = np.nonzero(stopped)[0]
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


class PointLayer(LayerItem):
    """Administrations, investigations, onsets, milestones, stops: glyphs batched per kind."""

    def draw(self, p: QPainter, f: Frame) -> None:
        pts = self.state.layout.points
        theme = self.state.theme
        row_h = f.row_h
        size = min(theme.glyph_px * self.state.px_per_pt * 0.75, row_h * 0.6)
        self._draw_whiskers(p, f)
        self._draw_severity(p, f)
        sel = self.cull("points", f, size + 4)
        if sel.size == 0:
            return
        X = pts.x0[sel] * f.sx + f.dx
        Y = (pts.y[sel] - 0.5 + MARK_CENTER) * f.sy + f.dy
        code = pts.style[sel]
        color = pts.color[sel]
        items = pts.item[sel]
        # one mark per pixel: merge glyphs that would land on the same spot
        first = first_per_spot(np.round(X), np.round(Y), code, color)
        outline = QPen(self.state.fg, max(1.0, theme.line_px))
        ghosted = self.state.ghosted
        for glyph in np.unique(code[first]):
            base = int(glyph) & L.GLYPH_MASK
            filled = (int(glyph) & L.PointFlag.ABNORMAL) != 0 or base not in (Glyph.DIAMOND, Glyph.CIRCLE)
            template = glyph_path(base, size)
            for c in np.unique(color[first][code[first] == glyph]):
                m = first[(code[first] == glyph) & (color[first] == c)]
                col = QColor(self.state.colors[int(c)])
                if base in (Glyph.STOP, Glyph.CROSS):
                    col = QColor(self.state.fg)
                elif base == Glyph.DOSE:
                    col = col.darker(135)
                if filled:
                    pen = QPen(Qt.PenStyle.NoPen) if base == Glyph.DOSE else QPen(self.state.bg, 1.0)
                    brush = QBrush(col)
                else:
                    pen = QPen(col, max(2.0, theme.line_px * 2))
                    brush = QBrush(self.state.bg)
                if f.raster and m.size >= SPRITE_MIN_GLYPHS:
                    sprite = self.state.sprite(template, pen, brush, (int(glyph), int(c), round(size * 4)))
                    if self.batch.stamps(p, sprite, X[m], Y[m]):
                        continue
                # few glyphs (or a vector target: SVG, PDF): one path of exact shapes
                path = QPainterPath()
                for i in m:
                    path.addPath(template.translated(float(X[i]), float(Y[i])))
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
        X0 = np.maximum(w.x0[sel] * f.sx + f.dx, f.left - 5)
        X1 = np.minimum(w.x1[sel] * f.sx + f.dx, f.right + 5)
        Y = (w.y[sel] - 0.5 + MARK_CENTER) * f.sy + f.dy
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
            self.batch.rects(p, X0[closed], Y[closed] - cap, np.maximum(1.0, X1[closed] - X0[closed]), 2 * cap)
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
            self.batch.lines(p, np.concatenate([lx0, ex0]), np.concatenate([ly, ey]),
                             np.concatenate([lx1, ex1]), np.concatenate([ly, ey]))
            # solid: arrow heads, then closed whiskers with their end caps
            cx0, cx1, cy = X0[closed], X1[closed], Y[closed]
            p.setPen(solid)
            self.batch.lines(
                p,
                np.concatenate([lx1, lx1, ex0, ex0, cx0, cx0, cx1]),
                np.concatenate([ly, ly, ey, ey, cy, cy - cap, cy - cap]),
                np.concatenate([lx1 - cap, lx1 - cap, ex0 + cap, ex0 + cap, cx1, cx0, cx1]),
                np.concatenate([ly - cap * 0.7, ly + cap * 0.7, ey - cap * 0.7, ey + cap * 0.7, cy, cy + cap,
                                cy + cap]))

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
            X = np.clip(xs[i0:i1] * f.sx + f.dx, f.left - 8, f.right + 8)
            Y = top + f.row_h * (0.92 - 0.8 * sev.frac[a + i0:a + i1])
            X, Y = _step_vertices(X, Y)
            xs0.append(X[:-1])
            ys0.append(Y[:-1])
            xs1.append(X[1:])
            ys1.append(Y[1:])
        if not xs0:
            return
        X0, Y0, X1, Y1 = (np.concatenate(v) for v in (xs0, ys0, xs1, ys1))
        if f.raster:
            # the steps are horizontal and vertical segments: rectangles of the pen's width, one batch
            # (an antialiased 1.5 px polyline costs Qt's stroker ~30 ms per 4,000 vertices)
            half = width / 2
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(col)
            x_lo, x_hi = np.minimum(X0, X1), np.maximum(X0, X1)
            y_lo, y_hi = np.minimum(Y0, Y1), np.maximum(Y0, Y1)
            self.batch.rects(p, x_lo - half, y_lo - half, x_hi - x_lo + width, y_hi - y_lo + width)
        else:
            self.batch.lines(p, X0, Y0, X1, Y1)


def _step_vertices(X: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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


@dataclass
class _Placed:
    """The labels a paint placed, kept for the next paint of the same view (a cursor strip)."""

    key: tuple[object, ...]
    index: np.ndarray  # label indices (into RenderState.label_arrays)
    x: np.ndarray  # device x of each label's text
    y: np.ndarray  # device y of the top of each label
    width: np.ndarray
    text: list[str]  # the text drawn (elided at the right edge where it had to be)


class LabelLayer(LayerItem):
    """Labels of marks (placed without overlaps), case headers and the undated strip."""

    def __init__(self, state: RenderState) -> None:
        super().__init__(state)
        self._placed: _Placed | None = None
        self._chips: list[tuple[int, QRectF]] = []  # undated chips of the last paint

    def set_state(self, state: RenderState) -> None:
        self._placed = None
        super().set_state(state)

    @property
    def drawn_labels(self) -> list[tuple[int, QRectF]]:
        """(item, device rect) of every label and undated chip the last full paint drew."""
        out = list(self._chips)
        placed = self._placed
        if placed is not None and placed.index.size:
            arrays = self.state.label_arrays(self.state.label_font)
            h = QFontMetricsF(self.state.label_font).height()
            out += [(int(arrays.item[k]), QRectF(float(x) - 1, float(y), float(w) + 2, h))
                    for k, x, y, w in zip(placed.index, placed.x, placed.y, placed.width, strict=True)]
        return out

    def draw(self, p: QPainter, f: Frame) -> None:
        state = self.state
        layout = state.layout
        row_h = f.row_h
        left, right = f.left, f.right
        font = state.label_font
        fm_h = QFontMetricsF(font).height()
        if not f.partial:
            self._chips = []
        # headers and undated strips of the rows on screen
        title_h = QFontMetricsF(state.title_font).height()
        for r in range(f.row_lo, f.row_hi + 1):
            row = layout.rows[r]
            y = r * f.sy + f.dy
            if row.kind == L.RowKind.HEADER and state.draw_header_text:
                lines = state.header_lines.get(r, [layout.cases[row.case_index].case.title])
                ty = y + max(0.0, (row_h - title_h) / 2)
                p.setPen(state.fg)
                p.setFont(state.title_font)
                title = lines[0]
                if left + 6 + state.text_width(title, state.title_font) > right - 4:
                    title, _ = elide(state, title, state.title_font, right - 4 - left - 6)
                p.drawStaticText(QPointF(left + 6, ty), state.static_text(title, state.title_font))
                if len(lines) > 1 and title == lines[0]:
                    x_rest = left + 6 + state.text_width(lines[0], state.title_font) + 14
                    rest = " · ".join(lines[1:])
                    small_h = QFontMetricsF(state.small_font).height()
                    if x_rest + state.text_width(rest, state.small_font) < right - 4:
                        p.setPen(state.muted)
                        p.setFont(state.small_font)
                        p.drawStaticText(QPointF(x_rest, ty + (title_h - small_h) * 0.75),
                                         state.static_text(rest, state.small_font))
            elif row.kind == L.RowKind.UNDATED:
                self._draw_undated(p, r, y, row_h, left, right, record=not f.partial)
        if not state.show_labels or row_h < fm_h * 0.9 or not len(layout.label_columns()):
            self._placed = None
            return
        placed = self._place(f, fm_h)
        if placed.index.size == 0:
            return
        # a partial paint (a cursor strip) draws only the labels it exposes, from the same placement
        shown = np.nonzero((placed.x + placed.width + 2 >= f.clip_left) & (placed.x - 2 <= f.clip_right))[0]
        if shown.size == 0:
            return
        halo = QColor(state.bg)
        label_band = row_h > fm_h * 2.2  # room for a label band above the marks
        # over the marks (short rows), a light halo keeps the text readable without hiding them
        halo.setAlpha(200 if label_band else 120)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(halo)
        self.batch.rects(p, placed.x[shown] - 1, placed.y[shown], placed.width[shown] + 2, fm_h)
        texts = [placed.text[int(k)] for k in shown]
        if f.raster and PIXMAP_LABELS:
            atlas = state.atlas(font, f.dpr)
            source = atlas.source(texts)
            assert atlas.pixmap is not None
            if self.batch.fragments(p, atlas.pixmap, placed.x[shown] - 1, placed.y[shown] - 1, source):
                return
        p.setPen(state.fg)
        p.setFont(font)
        for k, text in zip(shown, texts, strict=True):  # vector targets (SVG, PDF): real text
            p.drawStaticText(QPointF(float(placed.x[k]), float(placed.y[k])), state.static_text(text, font))

    def _place(self, f: Frame, fm_h: float) -> _Placed:
        """Where the labels go in this view: the same answer for every paint of the same view."""
        state = self.state
        key = (f.sx, f.dx, f.sy, f.dy, f.view.left(), f.view.right(), f.view.top(), f.view.bottom(),
               state.marks_version, id(state))
        placed = self._placed
        if placed is not None and placed.key == key:
            return placed
        font = state.label_font
        arrays = state.label_arrays(font)
        view = f.view
        top, bottom = min(view.top(), view.bottom()), max(view.top(), view.bottom())
        x_left, x_right = view.left(), view.right()
        row_lo, row_hi = max(0, math.floor(top) - 1), min(state.layout.n_rows - 1, math.floor(bottom) + 1)
        # candidates: labels of the rows on screen whose mark is in view, at most one per pixel column
        # of a row and priority (the first, as the greedy placement would keep it)
        chosen = state.culler("labels").select(row_lo, row_hi, x_left, x_right, f.days_per_px, 1.0)
        emphasised = state.highlighted | ({state.selected} if state.selected is not None else set())
        if emphasised:  # emphasised labels always compete, whatever the level of detail
            extra = np.nonzero(np.isin(arrays.item, list(emphasised)))[0]
            chosen = np.union1d(chosen, extra)
        in_view = ((arrays.y[chosen] >= top - 1) & (arrays.y[chosen] <= bottom + 1)
                   & ~(arrays.x_end[chosen] < x_left) & ~(arrays.x[chosen] > x_right))
        if state.ghosted:
            in_view &= ~np.isin(arrays.item[chosen], list(state.ghosted))
        chosen = chosen[in_view]
        empty = np.zeros(0)
        if chosen.size == 0:
            self._placed = _Placed(key, chosen, empty, empty, empty, [])
            return self._placed
        left, right = f.left, f.right
        xs = arrays.x[chosen] * f.sx + f.dx
        # labels start just right of their mark; keep the start on screen for long courses
        glyph = state.theme.glyph_px * state.px_per_pt * 0.5
        xs = np.maximum(xs + glyph, left + 4)
        widths = arrays.width[chosen]
        rows = arrays.row[chosen]
        priority = arrays.priority[chosen]
        if emphasised:
            priority = priority + np.where(np.isin(arrays.item[chosen], list(emphasised)), 10, 0)
        # a label that would run off the right edge goes to the left of its mark instead
        marks_x = xs - glyph
        overflow = xs + widths > right - 2
        xs = np.where(overflow, np.maximum(left + 4, marks_x - glyph - widths), xs)
        keep = np.nonzero(place_labels(xs, widths, rows, priority, gap_px=8.0, left_px=left, right_px=right + 1))[0]
        label_band = f.row_h > fm_h * 2.2
        label_top_frac = 0.04 if label_band else max(0.0, MARK_CENTER - 0.5)
        index = chosen[keep]
        x = xs[keep]
        width = widths[keep].copy()
        y = (arrays.y[index] - 0.5) * f.sy + f.dy + f.row_h * label_top_frac
        texts = [arrays.texts[int(t)] for t in arrays.text[index]]
        # the few labels still running off the right edge are elided (or dropped when nothing fits)
        drop = np.zeros(index.size, dtype=bool)
        for k in np.nonzero(x + width > right - 2)[0]:
            text, w = elide(state, texts[int(k)], font, right - 2 - float(x[k]))
            texts[int(k)], width[k], drop[k] = text, w, not text
        if drop.any():
            keep_k = np.nonzero(~drop)[0]
            index, x, y, width = index[keep_k], x[keep_k], y[keep_k], width[keep_k]
            texts = [texts[int(k)] for k in keep_k]
        self._placed = _Placed(key, index, x, y, width, texts)
        return self._placed

    def _draw_undated(self, p: QPainter, r: int, y: float, row_h: float, left: float, right: float,
                      record: bool) -> None:
        state = self.state
        layout = state.layout
        font = state.small_font
        fm_h = QFontMetricsF(font).height()
        x = left + 8
        case_index = layout.rows[r].case_index
        for index in layout.undated:  # chips of one case, cut at the right edge
            if int(layout.item_case[index]) != case_index or index in state.ghosted:
                continue
            item = layout.items[index]
            text = item.label
            w = state.text_width(text, font) + 12
            if x + w > right - 4:
                more = state.static_text("…", font)
                p.setPen(state.fg)
                p.drawStaticText(QPointF(x, y + (row_h - fm_h) / 2), more)
                break
            col = QColor(state.colors[CATEGORY_ORDER.index(item.category)])
            chip = QRectF(x, y + (row_h - fm_h) / 2 - 2, w, fm_h + 4)
            pen = QPen(col, max(1.5, state.theme.line_px * 1.5))
            pen.setStyle(Qt.PenStyle.DashLine)
            p.setPen(pen)
            fill = QColor(col)
            fill.setAlpha(30)
            base = QPen(pen)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(state.bg)  # opaque: rules behind the strip must not cross the text
            p.drawRoundedRect(chip, 4, 4)
            p.setPen(base)
            p.setBrush(fill)
            p.drawRoundedRect(chip, 4, 4)
            p.setPen(state.fg)
            p.setFont(font)
            p.drawStaticText(QPointF(x + 6, chip.top() + 2), state.static_text(text, font))
            if record:
                self._chips.append((index, chip))
            x += w + 8


#: Raster paints stamp labels from the atlas; False draws each with drawStaticText (for comparison).
PIXMAP_LABELS = True
