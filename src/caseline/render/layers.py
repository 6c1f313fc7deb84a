"""The paint layers: one item per kind of mark paints every mark of that kind.

Each layer reads arrays from the TimelineLayout, culls them to the visible range, converts to
device pixels with numpy, merges marks that fall on the same pixel, and paints in a handful
of QPainter calls. Text (labels, headers, undated chips) is drawn by LabelLayer with cached
QStaticText and placed so labels never overlap (caseline.layout.labels)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetricsF,
    QLinearGradient,
    QPaintEngine,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
)

from caseline.layout import timeline_layout as L
from caseline.layout.labels import place_labels
from caseline.model.kinds import CATEGORY_ORDER, Glyph
from caseline.render.painting import (
    MARK_CENTER,
    SPRITE_MIN_GLYPHS,
    LayerItem,
    RenderState,
    _unique_cells,
    elide,
    first_per_spot,
    glyph_path,
)


class BackgroundLayer(LayerItem):
    """Alternate lane shading, header bands and category separators."""

    def draw(self, p: QPainter, view: QRectF, sx: float, dx: float, sy: float, dy: float) -> None:
        layout = self.state.layout
        left = view.left() * sx + dx
        right = view.right() * sx + dx
        row_h = abs(sy)
        band = QColor(self.state.theme.band)
        header = QColor(self.state.theme.header_band)
        p.setPen(Qt.PenStyle.NoPen)
        previous = None
        sep = QPen(self.state.muted, max(1.0, self.state.theme.line_px * 0.6))
        for r, row in enumerate(layout.rows):
            y = r * sy + dy
            if row.kind == L.RowKind.HEADER:
                p.setBrush(header)
                p.drawRect(QRectF(left, y, right - left, row_h))
            elif r % 2 == 0:
                p.setBrush(band)
                p.drawRect(QRectF(left, y, right - left, row_h))
            key = (row.case_index, row.category)
            if previous is not None and row.kind == L.RowKind.LANE and key != previous and previous[1] is not None:
                p.setPen(sep)
                p.drawLine(QPointF(left, y), QPointF(right, y))
                p.setPen(Qt.PenStyle.NoPen)
            previous = key
        # death and remission: a rule across the case's lanes
        rules = [(x * sx + dx, first, last) for x, first, last, _item in layout.rules
                 if _item not in self.state.ghosted]  # not revealed yet (teaching): the rule would give it away
        rules = [r for r in rules if left <= r[0] <= right]
        if rules:
            rule = QPen(self.state.fg, max(1.5, self.state.theme.line_px * 1.5))
            rule.setStyle(Qt.PenStyle.DotLine)
            p.setPen(rule)
            xr = np.array([r[0] for r in rules])
            self.batch.lines(p, xr, np.array([r[1] for r in rules]) * sy + dy, xr,
                             (np.array([r[2] for r in rules]) + 1) * sy + dy)
            p.setPen(Qt.PenStyle.NoPen)
        # day 0 rule
        x0 = 0.0 * sx + dx
        if left <= x0 <= right:
            pen = QPen(self.state.fg, max(1.0, self.state.theme.line_px))
            pen.setStyle(Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.drawLine(QPointF(x0, dy), QPointF(x0, layout.n_rows * sy + dy))


class BarLayer(LayerItem):
    """Courses: drug and therapy bars, symptom bands, uncertainty bands, stop marks."""

    def draw(self, p: QPainter, view: QRectF, sx: float, dx: float, sy: float, dy: float) -> None:
        bars = self.state.layout.bars
        sel = self.visible(bars, view)
        if sel.size == 0:
            return
        theme = self.state.theme
        row_h = abs(sy)
        X0 = bars.x0[sel] * sx + dx
        X1 = bars.x1[sel] * sx + dx
        YC = (bars.y[sel] - 0.5 + MARK_CENTER) * sy + dy
        style = bars.style[sel]
        color = bars.color[sel]
        items = bars.item[sel]
        left = view.left() * sx + dx - 10
        right = view.right() * sx + dx + 10
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
            pen = QPen(self.state.fg, max(1.0, theme.line_px * 1.2))
            p.setPen(pen)
            below = bar_h * 0.5 + max(3.0, bar_h * 0.35)
            tick = max(2.0, bar_h * 0.25)
            for i in np.nonzero(cycles)[0]:
                yb = YC[i] + below
                p.drawLine(QPointF(X0[i], yb), QPointF(X1[i], yb))
                p.drawLine(QPointF(X0[i], yb), QPointF(X0[i], yb - tick))
                p.drawLine(QPointF(X1[i], yb), QPointF(X1[i], yb - tick))
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
        # open-ended courses fade out to the right
        for i in np.nonzero(open_end)[0]:
            col = QColor(self.state.colors[int(color[i])])
            h = bar_h * (0.8 if symptom[i] else 1.0)
            gradient = QLinearGradient(X0[i], 0, X1[i], 0)
            c0 = QColor(col)
            c0.setAlpha(110 if symptom[i] else 215)
            c1 = QColor(col)
            c1.setAlpha(0)
            gradient.setColorAt(0.0, c0)
            gradient.setColorAt(0.55 if X1[i] - X0[i] > 60 else 0.0, c0)
            gradient.setColorAt(1.0, c1)
            p.setBrush(QBrush(gradient))
            p.drawRect(QRectF(X0[i], YC[i] - h / 2, max(2.0, X1[i] - X0[i]), h))
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
            for i in np.nonzero(np.isin(items, list(ghosted)))[0]:
                p.drawRect(QRectF(X0[i] - 1, YC[i] - bar_h, X1[i] - X0[i] + 2, bar_h * 2))
        selected = self.state.selected
        highlighted = self.state.highlighted | ({selected} if selected is not None else set())
        if highlighted:
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.setPen(QPen(self.state.fg, max(2.0, theme.line_px * 2)))
            for i in np.nonzero(np.isin(items, list(highlighted)) & solid)[0]:
                p.drawRect(QRectF(X0[i] - 2, YC[i] - bar_h / 2 - 2, max(2.0, X1[i] - X0[i]) + 4, bar_h + 4))


class PointLayer(LayerItem):
    """Administrations, investigations, onsets, milestones, stops: glyphs batched per kind."""

    def draw(self, p: QPainter, view: QRectF, sx: float, dx: float, sy: float, dy: float) -> None:
        pts = self.state.layout.points
        sel = self.visible(pts, view)
        theme = self.state.theme
        row_h = abs(sy)
        self._draw_whiskers(p, view, sx, dx, sy, dy)
        self._draw_severity(p, sx, dx, sy, dy)
        if sel.size == 0:
            return
        X = pts.x0[sel] * sx + dx
        Y = (pts.y[sel] - 0.5 + MARK_CENTER) * sy + dy
        code = pts.style[sel]
        color = pts.color[sel]
        items = pts.item[sel]
        size = min(theme.glyph_px * self.state.px_per_pt * 0.75, row_h * 0.6)
        # one mark per pixel: merge glyphs that would land on the same spot
        first = first_per_spot(np.round(X), np.round(Y), code, color)
        outline = QPen(self.state.fg, max(1.0, theme.line_px))
        ghosted = self.state.ghosted
        raster = p.paintEngine() is not None and p.paintEngine().type() == QPaintEngine.Type.Raster
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
                if raster and m.size >= SPRITE_MIN_GLYPHS:
                    sprite = self.state.sprite(template, pen, brush, (int(glyph), int(c), round(size * 4)))
                    if self.batch.stamps(p, sprite, X[m], Y[m]):
                        continue
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
            for i in np.nonzero(np.isin(items, list(ghosted)))[0]:
                p.drawEllipse(QPointF(X[i], Y[i]), size * 0.8, size * 0.8)
        selected = self.state.selected
        highlighted = self.state.highlighted | ({selected} if selected is not None else set())
        if highlighted:
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.setPen(outline if not highlighted else QPen(self.state.fg, max(2.0, theme.line_px * 2)))
            for i in np.nonzero(np.isin(items, list(highlighted)))[0]:
                p.drawEllipse(QPointF(X[i], Y[i]), size * 0.9, size * 0.9)

    def _draw_whiskers(self, p: QPainter, view: QRectF, sx: float, dx: float, sy: float, dy: float) -> None:
        w = self.state.layout.whiskers
        sel = self.visible(w, view)
        if sel.size == 0:
            return
        theme = self.state.theme
        row_h = abs(sy)
        X0 = np.maximum(w.x0[sel] * sx + dx, view.left() * sx + dx - 5)
        X1 = np.minimum(w.x1[sel] * sx + dx, view.right() * sx + dx + 5)
        Y = (w.y[sel] - 0.5 + MARK_CENTER) * sy + dy
        cap = row_h * theme.bar_fraction * 0.45
        style = w.style[sel]
        arrow = max(24.0, 3.0 * theme.glyph_px * self.state.px_per_pt)
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

    def _draw_severity(self, p: QPainter, sx: float, dx: float, sy: float, dy: float) -> None:
        theme = self.state.theme
        for row, xs, values, low, high in self.state.layout.severity:
            if xs.size == 0:
                continue
            top = row * sy + dy
            row_h = abs(sy)
            frac = (values - low) / (high - low)
            Y = top + row_h * (0.92 - 0.8 * frac)
            X = xs * sx + dx
            col = QColor(self.state.colors[CATEGORY_ORDER.index(CATEGORY_ORDER[2])]).darker(150)
            p.setPen(QPen(col, max(1.5, theme.line_px * 1.5)))
            poly = QPolygonF()
            for i in range(len(X)):
                if i:
                    poly.append(QPointF(X[i], Y[i - 1]))
                poly.append(QPointF(X[i], Y[i]))
            p.drawPolyline(poly)


class _Lazy:
    """``[items[i] for i in indices]`` without building the list (only kept labels are read)."""

    def __init__(self, items: list[L.Label], indices: np.ndarray) -> None:
        self.items = items
        self.indices = indices

    def __getitem__(self, k: int) -> L.Label:
        return self.items[int(self.indices[k])]


class LabelLayer(LayerItem):
    """Labels of marks (placed without overlaps), case headers and the undated strip."""

    def __init__(self, state: RenderState) -> None:
        super().__init__(state)
        self.drawn_labels: list[tuple[int, QRectF]] = []  # (item, device rect) of the last paint

    def draw(self, p: QPainter, view: QRectF, sx: float, dx: float, sy: float, dy: float) -> None:
        state = self.state
        layout = state.layout
        row_h = abs(sy)
        left = view.left() * sx + dx
        right = view.right() * sx + dx
        font = state.label_font
        fm_h = QFontMetricsF(font).height()
        self.drawn_labels = []
        # headers
        for r, row in enumerate(layout.rows):
            y = r * sy + dy
            if row.kind == L.RowKind.HEADER and state.draw_header_text:
                lines = state.header_lines.get(r, [layout.cases[row.case_index].case.title])
                title_h = QFontMetricsF(state.title_font).height()
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
                self._draw_undated(p, r, y, row_h, left, right)
        if not state.show_labels or row_h < fm_h * 0.9 or not layout.labels:
            return
        top, bottom = min(view.top(), view.bottom()), max(view.top(), view.bottom())
        x_left, x_right = view.left(), view.right()
        # every labelled mark is a candidate on every paint: numpy over arrays made once per layout
        arrays = state.label_arrays(font)
        in_view = ((arrays.y >= top - 1) & (arrays.y <= bottom + 1)
                   & ~(arrays.x_end < x_left) & ~(arrays.x > x_right))  # its mark is on screen
        if state.ghosted:
            in_view &= ~np.isin(arrays.item, list(state.ghosted))
        chosen = np.nonzero(in_view)[0]
        if chosen.size == 0:
            return
        candidates = _Lazy(layout.labels, chosen)
        xs = arrays.x[chosen] * sx + dx
        # labels start just right of their mark; keep the start on screen for long courses
        glyph = state.theme.glyph_px * state.px_per_pt * 0.5
        xs = np.maximum(xs + glyph, left + 4)
        widths = arrays.width[chosen]
        rows = arrays.row[chosen]
        priority = arrays.priority[chosen]
        emphasised = state.highlighted | ({state.selected} if state.selected is not None else set())
        if emphasised:
            priority = priority + np.where(np.isin(arrays.item[chosen], list(emphasised)), 10, 0)
        # a label that would run off the right edge goes to the left of its mark instead
        marks_x = xs - glyph
        overflow = xs + widths > right - 2
        xs = np.where(overflow, np.maximum(left + 4, marks_x - glyph - widths), xs)
        keep = place_labels(xs, widths, rows, priority, gap_px=8.0, left_px=left, right_px=right + 1)
        halo = QColor(state.bg)
        label_band = row_h > fm_h * 2.2  # room for a label band above the marks
        label_top_frac = 0.04 if label_band else max(0.0, MARK_CENTER - 0.5)
        # over the marks (short rows), a light halo keeps the text readable without hiding them
        halo.setAlpha(200 if label_band else 120)
        p.setFont(font)
        for k in np.nonzero(keep)[0]:
            lab = candidates[int(k)]
            x = float(xs[k])
            y = (lab.y - 0.5) * sy + dy + row_h * label_top_frac
            text = lab.text
            width = float(widths[k])
            if x + width > right - 2:
                text, width = elide(state, text, font, right - 2 - x)
                if not text:
                    continue
            rect = QRectF(x - 1, y, width + 2, fm_h)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(halo)
            p.drawRect(rect)
            p.setPen(state.fg)
            p.drawStaticText(QPointF(x, y), state.static_text(text, font))
            self.drawn_labels.append((lab.item, rect))

    def _draw_undated(self, p: QPainter, r: int, y: float, row_h: float, left: float, right: float) -> None:
        state = self.state
        layout = state.layout
        font = state.small_font
        fm_h = QFontMetricsF(font).height()
        x = left + 8
        case_index = layout.rows[r].case_index
        for index in layout.undated:
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
            self.drawn_labels.append((index, chip))
            x += w + 8
