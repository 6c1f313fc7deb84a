"""Moving through many stacked lanes: the wheel, the case header pinned while its lanes scroll, and going
to a case or a lane.

The wheel follows the platform convention of documents and maps: the wheel scrolls the lanes, Ctrl+wheel
zooms time around the pointer, Shift+wheel (or a sideways wheel or touchpad swipe) pans time."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QApplication, QGraphicsObject, QGraphicsRectItem, QWidget

from caseline.layout import timeline_layout as L
from caseline.model.kinds import Category
from caseline.render.layers import RowArrays

#: Time moved by one notch of Shift+wheel, as a fraction of the view's width (the arrow keys move 0.1).
PAN_PER_NOTCH = 0.1
#: How long a row we went to stays highlighted (milliseconds).
FLASH_MS = 1200
#: What the status bar says when the wheel has no lanes to scroll.
WHEEL_HINT = "All lanes fit: Ctrl+wheel zooms time, Shift+wheel pans it"


def wheel_action(delta: float, horizontal: bool, modifiers: Qt.KeyboardModifier) -> tuple[str, float]:
    """What one wheel event does: ('zoom', factor) with Ctrl (factor < 1 zooms in), ('pan', fraction of
    the view) with Shift or a sideways wheel, else ('scroll', rows). ``delta`` is in eighths of a degree
    (120 a notch; positive: away from the user, or to the left)."""
    notches = delta / 120.0
    if modifiers & Qt.KeyboardModifier.ControlModifier:
        return "zoom", 1.02 ** (-delta / 8.0)  # pyqtgraph's wheel zoom: a notch is about 0.74x
    if horizontal or modifiers & Qt.KeyboardModifier.ShiftModifier:
        return "pan", -notches * PAN_PER_NOTCH
    return "scroll", -notches * QApplication.wheelScrollLines()


def navigation_key(plot: pg.PlotWidget, key: int) -> bool:
    """Act on a navigation key pressed in ``plot`` (+ and - zoom time, Left and Right pan it, Up and Down
    scroll the lanes a row, PgUp and PgDn a page); False for any other key."""
    page = max(1.0, plot.rows_visible() - 1)
    actions = {Qt.Key.Key_Plus: (plot.zoom_time, 0.8), Qt.Key.Key_Equal: (plot.zoom_time, 0.8),
               Qt.Key.Key_Minus: (plot.zoom_time, 1.25), Qt.Key.Key_Left: (plot.pan_time, -0.1),
               Qt.Key.Key_Right: (plot.pan_time, 0.1), Qt.Key.Key_Up: (plot.scroll_rows, -1.0),
               Qt.Key.Key_Down: (plot.scroll_rows, 1.0), Qt.Key.Key_PageUp: (plot.scroll_rows, -page),
               Qt.Key.Key_PageDown: (plot.scroll_rows, page)}
    value = getattr(key, "value", key)
    found = next((action for k, action in actions.items() if k.value == value), None)
    if found is None:
        return False
    method, value = found
    method(value)
    return True


class TimelineViewBox(pg.ViewBox):
    """The wheel scrolls the lanes (Ctrl zooms time, Shift pans it); drag pans; double-click fits."""

    sigFit = Signal()
    sigScrollRows = Signal(float)  # rows to scroll by (negative: up)
    sigPanTime = Signal(float)  # fraction of the view's width to pan by (negative: earlier)

    def __init__(self) -> None:
        super().__init__(invertY=True, enableMenu=False)
        self.setMouseEnabled(x=True, y=True)
        # Applying the new range right away avoids a second repaint per pan step (docs/qt-notes.md).
        self.sigRangeChanged.connect(lambda *_: self.updateMatrix())

    def wheelEvent(self, ev, axis=None):
        horizontal = ev.orientation() == Qt.Orientation.Horizontal
        action, amount = wheel_action(float(ev.delta()), horizontal, ev.modifiers())
        ev.accept()
        if action == "scroll":
            self.sigScrollRows.emit(amount)
        elif action == "pan":
            self.sigPanTime.emit(amount)
        else:  # zoom time around the pointer (the middle of the view when the pointer is over the lane names)
            x_lo, x_hi = self.viewRange()[0]
            x = self.mapSceneToView(ev.scenePos()).x()
            center = QPointF(x if x_lo <= x <= x_hi else (x_lo + x_hi) / 2, 0.0)
            self.scaleBy(x=amount, y=None, center=center)
            self.sigRangeChangedManually.emit(self.state["mouseEnabled"])

    def mouseDoubleClickEvent(self, ev):
        self.sigFit.emit()
        ev.accept()


@dataclass(frozen=True)
class CaseRows:
    """Where one case is in the plot: its header row (or first row) and the row after its last."""

    case_index: int
    first: int
    end: int


def case_rows(layout: L.TimelineLayout) -> list[CaseRows]:
    """The rows of every case, top to bottom."""
    out: list[CaseRows] = []
    for r, row in enumerate(layout.rows):
        if out and out[-1].case_index == row.case_index:
            continue
        if out:
            out[-1] = CaseRows(out[-1].case_index, out[-1].first, r)
        out.append(CaseRows(row.case_index, r, r + 1))
    if out:
        out[-1] = CaseRows(out[-1].case_index, out[-1].first, layout.n_rows)
    return out


def pinned_header(header_rows: list[int], top: float) -> tuple[int | None, float]:
    """The header row to pin at the top when the view's top is at row ``top``, and how far (in rows, at
    most 0) the next case's header pushes it up. None when the top case's own header is in view."""
    k = bisect.bisect_right(header_rows, top) - 1
    if k < 0 or top - header_rows[k] < 0.02:
        return None, 0.0
    push = 0.0
    if k + 1 < len(header_rows):
        push = min(0.0, header_rows[k + 1] - top - 1.0)
    return (header_rows[k], push) if push > -1.0 else (None, 0.0)


class StickyHeader(QGraphicsObject):
    """The name of the case whose lanes fill the top of the plot, pinned there once its header row has
    scrolled away, until the next case's header pushes it up. Drawn like the header row it stands for;
    mouse events go through to the plot."""

    def __init__(self, plot: pg.PlotWidget) -> None:
        super().__init__(plot.getPlotItem())
        self.plot = plot
        self.setZValue(50)  # over the lane names and the marks
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.header_row: int | None = None
        self._band = QRectF()  # the whole header band in the plot item's coordinates
        self._clip = QRectF()  # the plot's rows (lane names and view box): the band never leaves them
        self._plot_left = 0.0
        self._headers: tuple[object, list[int]] = (None, [])  # the layout, and its header rows

    def refresh(self) -> None:
        plot = self.plot
        layout = plot.layout_
        row, push = None, 0.0
        if layout is not None:
            if self._headers[0] is not layout:
                self._headers = (layout, np.flatnonzero(RowArrays.of(layout).header).tolist())  # (kept per rows)
            headers = self._headers[1]
            y_lo, y_hi = plot.viewbox.viewRange()[1]
            row, push = pinned_header(headers, float(y_lo))
        vb = plot.viewbox
        box = vb.mapRectToParent(vb.boundingRect())
        left = plot.lane_axis.geometry().left()
        if row is not None:
            row_h = box.height() / max(1e-9, float(y_hi - y_lo))
            band = QRectF(left, box.top() + push * row_h, box.right() - left, row_h)
        else:
            band = QRectF()
        clip = QRectF(left, box.top(), box.right() - left, box.height())
        if (row, band, clip) != (self.header_row, self._band, self._clip):
            self.prepareGeometryChange()
            self.header_row, self._band, self._clip, self._plot_left = row, band, clip, box.left()
            self.setVisible(row is not None)
        self.update()

    def text(self) -> str:
        """The pinned case's title as drawn ('' when nothing is pinned)."""
        lines = self._lines()
        return lines[0] if lines else ""

    def _lines(self) -> list[str]:
        plot, row = self.plot, self.header_row
        if row is None or plot.layout_ is None or plot.paint_state is None or row >= plot.layout_.n_rows:
            return []
        case = plot.layout_.cases[plot.layout_.rows[row].case_index]
        return list(plot.paint_state.header_lines.get(row, [case.case.title]))

    def covers(self, pos: QPointF) -> bool:
        """Whether the band hides the plot at ``pos`` (in the plot item's coordinates)."""
        return self.isVisible() and self.boundingRect().contains(pos)

    def boundingRect(self) -> QRectF:
        return self._band.intersected(self._clip) if self.header_row is not None else QRectF()

    def paint(self, p: QPainter, _option: object, _widget: QWidget | None = None) -> None:
        state = self.plot.paint_state
        lines = self._lines()
        if state is None or not lines:
            return
        band = self._band
        p.save()
        p.setClipRect(self._clip)
        p.fillRect(QRectF(band.left(), band.top(), self._plot_left - band.left(), band.height()), state.bg)
        p.fillRect(QRectF(self._plot_left, band.top(), band.right() - self._plot_left, band.height()),
                   QColor(state.theme.header_band))
        p.setPen(QPen(state.muted, 1.0))  # a rule under the band: it floats over the lanes
        p.drawLine(QPointF(band.left(), band.bottom() - 0.5), QPointF(band.right(), band.bottom() - 0.5))
        title_h = QFontMetricsF(state.title_font).height()
        y = band.top() + max(0.0, (band.height() - title_h) / 2)
        x = self._plot_left + 6
        right = band.right() - 4
        count = len(self.plot.layout_.cases) if self.plot.layout_ is not None else 1
        if count > 1:  # where we are: "case 3 of 6" at the right
            case_index = self.plot.layout_.rows[self.header_row].case_index  # type: ignore[union-attr,index]
            where = f"case {case_index + 1} of {count}"
            width = QFontMetricsF(state.small_font).horizontalAdvance(where)
            p.setFont(state.small_font)
            p.setPen(state.muted)
            small_h = QFontMetricsF(state.small_font).height()
            p.drawText(QRectF(right - width, band.top() + (band.height() - small_h) / 2, width + 1, small_h),
                       Qt.AlignmentFlag.AlignLeft, where)
            right -= width + 12
        p.setFont(state.title_font)
        p.setPen(state.fg)
        title = QFontMetricsF(state.title_font).elidedText(lines[0], Qt.TextElideMode.ElideRight, max(0.0, right - x))
        p.drawText(QRectF(x, y, max(0.0, right - x), title_h), Qt.AlignmentFlag.AlignLeft, title)
        if len(lines) > 1 and title == lines[0]:
            x_rest = x + QFontMetricsF(state.title_font).horizontalAdvance(title) + 14
            rest = QFontMetricsF(state.small_font).elidedText(" · ".join(lines[1:]), Qt.TextElideMode.ElideRight,
                                                              max(0.0, right - x_rest))
            if rest and rest != "…":
                small_h = QFontMetricsF(state.small_font).height()
                p.setFont(state.small_font)
                p.setPen(state.muted)
                p.drawText(QRectF(x_rest, y + (title_h - small_h) * 0.75, right - x_rest, small_h),
                           Qt.AlignmentFlag.AlignLeft, rest)
        p.restore()


class LaneNavigator(QObject):
    """Going to a case or a lane of an interactive plot, the pinned case header, and the wheel's scrolling."""

    sigHint = Signal(str)  # a line for the status bar

    def __init__(self, plot: pg.PlotWidget) -> None:
        super().__init__(plot)
        self.plot = plot
        self.sticky = StickyHeader(plot)
        self.sticky.setVisible(False)
        # the row(s) we went to, highlighted for a moment so the eye finds them
        self.flash = QGraphicsRectItem()
        self.flash.setPen(QPen(Qt.PenStyle.NoPen))
        self.flash.setBrush(QColor(255, 200, 0, 70))
        self.flash.setZValue(15)
        self.flash.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.flash.setVisible(False)
        plot.viewbox.addItem(self.flash, ignoreBounds=True)
        self._flash_timer = QTimer(self)
        self._flash_timer.setSingleShot(True)
        self._flash_timer.timeout.connect(lambda: self.flash.setVisible(False))
        self._last_lane: tuple[tuple[str, str | None], int] | None = None  # (lane, category), row gone to
        plot.viewbox.sigRangeChanged.connect(self.refresh)
        plot.viewbox.sigResized.connect(self.refresh)
        plot.sigShownChanged.connect(self.refresh)
        plot.viewbox.sigScrollRows.connect(self.wheel_rows)

    def refresh(self, *_args: object) -> None:
        self.sticky.refresh()

    # ------------------------------------------------------------------ where things are
    def cases(self) -> list[CaseRows]:
        layout = self.plot.layout_
        return case_rows(layout) if layout is not None else []

    def case_title(self, case_index: int) -> str:
        """A case's title as its header shows it (de-identified or held back as the view is)."""
        plot = self.plot
        layout = plot.layout_
        if layout is None or not 0 <= case_index < len(layout.cases):
            return ""
        for where in self.cases():
            if where.case_index == case_index and plot.paint_state is not None:
                lines = plot.paint_state.header_lines.get(where.first)
                if lines:
                    return lines[0]
        return layout.cases[case_index].case.title or layout.cases[case_index].case.id

    def visible_rows(self) -> tuple[float, float]:
        y_lo, y_hi = self.plot.viewbox.viewRange()[1]
        return float(y_lo), float(y_hi)

    def overflows(self) -> bool:
        """Whether some rows are out of view (the lanes do not all fit)."""
        y_lo, y_hi = self.visible_rows()
        return self.plot.layout_ is not None and (y_lo > 0.05 or y_hi < self.plot.content_rows() - 0.05)

    def visible_cases(self) -> list[int]:
        """Indices of the cases with at least half a row on screen."""
        y_lo, y_hi = self.visible_rows()
        return [c.case_index for c in self.cases() if min(c.end, y_hi) - max(c.first, y_lo) >= 0.5]

    def lane_rows(self, lane: str, category: Category | None = None) -> list[int]:
        """Rows of the lane called ``lane`` (of ``category``, when given), top to bottom."""
        layout = self.plot.layout_
        if layout is None:
            return []
        return [r for r, row in enumerate(layout.rows) if row.kind == L.RowKind.LANE and row.lane == lane
                and (category is None or row.category == category)]

    def visible_lanes(self) -> set[tuple[Category | None, str]]:
        """(category, lane) of the lanes with at least half a row on screen."""
        layout = self.plot.layout_
        if layout is None:
            return set()
        y_lo, y_hi = self.visible_rows()
        return {(row.category, row.lane) for r, row in enumerate(layout.rows)
                if row.kind == L.RowKind.LANE and min(r + 1, y_hi) - max(r, y_lo) >= 0.5}

    # ------------------------------------------------------------------ going there
    def wheel_rows(self, rows: float) -> None:
        """Scroll the lanes for the wheel; say how to zoom when there is nothing to scroll."""
        if not self.overflows():
            self.sigHint.emit(WHEEL_HINT)
            return
        self.plot.scroll_rows(rows)

    def go_to_case(self, case_index: int) -> bool:
        """Scroll so the case's header is at the top (as far as the rows go); False if it is not shown."""
        for where in self.cases():
            if where.case_index == case_index:
                self.plot.scroll_to_row(float(where.first))
                self._flash(where.first, where.first + 1)
                self.sigHint.emit(f"Case {case_index + 1} of {len(self.cases())}: {self.case_title(case_index)}")
                return True
        return False

    def go_to_lane(self, lane: str, category: Category | None = None) -> int | None:
        """Bring the lane into view: the first time its first row at or below the top of the view, then
        each time the next one (a lane that several cases have). Returns the row, None if not shown."""
        rows = self.lane_rows(lane, category)
        if not rows:
            return None
        key = (lane, category.value if category is not None else None)
        if self._last_lane is not None and self._last_lane[0] == key and self._last_lane[1] in rows:
            row = rows[(rows.index(self._last_lane[1]) + 1) % len(rows)]
        else:
            top = int(self.visible_rows()[0] + 0.5)
            row = next((r for r in rows if r >= top), rows[0])
        self._last_lane = (key, row)
        self._bring_into_view(row)
        self._flash(row, row + 1)
        layout = self.plot.layout_
        assert layout is not None
        case_index = layout.rows[row].case_index
        where = f" ({rows.index(row) + 1} of {len(rows)})" if len(rows) > 1 else ""
        self.sigHint.emit(f"{lane}: {self.case_title(case_index)}{where}")
        return row

    def go_to_category(self, category: Category) -> int | None:
        """Bring the first lane of ``category`` at or below the top of the view into view."""
        layout = self.plot.layout_
        if layout is None:
            return None
        rows = [r for r, row in enumerate(layout.rows) if row.kind == L.RowKind.LANE and row.category == category]
        if not rows:
            return None
        top = int(self.visible_rows()[0] + 0.5)
        return self.go_to_lane(layout.rows[next((r for r in rows if r >= top), rows[0])].lane, category)

    def _bring_into_view(self, row: int) -> None:
        """Scroll so ``row`` shows in full, one row below the top: the row above it, under the pinned
        header, gives the case's name; nothing moves if it is in view already."""
        y_lo, y_hi = self.visible_rows()
        clear_from = y_lo + (1.0 if self.sticky.header_row is not None else 0.0)
        if row >= clear_from - 1e-6 and row + 1 <= y_hi + 1e-6:
            return
        self.plot.scroll_to_row(max(0.0, row - 1.0))

    def _flash(self, first: int, end: int) -> None:
        x_lo, x_hi = self.plot.viewbox.viewRange()[0]
        span = max(1.0, float(x_hi - x_lo))
        self.flash.setRect(QRectF(x_lo - 1000 * span, float(first), 2001 * span, float(end - first)))
        self.flash.setVisible(True)
        self._flash_timer.start(FLASH_MS)

    def covers(self, scene_pos: QPointF) -> bool:
        """Whether the pinned header hides the plot at ``scene_pos``."""
        return self.sticky.covers(self.sticky.mapFromScene(scene_pos))
