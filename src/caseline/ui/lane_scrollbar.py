"""The lanes' vertical scroll bar beside the timeline: it tracks and drives the rows in view, is shown only
when the lanes do not fit, and doubles as a map of the cases (a mark where each case starts; hovering it
names the case there)."""

from __future__ import annotations

import time

import shiboken6
from PySide6.QtCore import QEvent, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QScrollBar, QStyle, QStyleOptionSlider, QToolTip, QVBoxLayout, QWidget

from caseline.render.timeline_plot import TimelinePlot

#: Scroll bar steps per row: the bar moves smoothly, a click on its arrows moves one row.
STEPS_PER_ROW = 100


class LaneScrollBar(QScrollBar):
    """Vertical scroll bar of a TimelinePlot's rows. Put its ``column`` beside the plot: the bar runs
    along the rows only (not the legend or the time axis), so its marks line up with the cases."""

    shownChanged = Signal(bool)  # the bar appeared (True) or went away

    def __init__(self, plot: TimelinePlot, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.plot = plot
        self.active = True  # False while the tab shows its loading or error page
        self._syncing = False
        self._wanted = False
        self._settling = False  # a look at the layout is due once the current event is handled
        self._flips: list[float] = []  # when the bar last appeared or went away
        self.setSingleStep(STEPS_PER_ROW)
        self.setToolTip("Scroll the lanes (or use the wheel); the marks show where each case starts")
        self.valueChanged.connect(self._on_value)
        self.column = QWidget(parent)
        column = QVBoxLayout(self.column)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self)
        plot.viewbox.sigYRangeChanged.connect(self.sync)
        plot.viewbox.sigResized.connect(self.sync)
        plot.sigShownChanged.connect(self.sync)
        self.setVisible(False)

    def set_active(self, active: bool) -> None:
        self.active = bool(active)
        self.sync()

    def sync(self, *_args: object) -> None:
        """Follow the plot: range, page and position from its rows; shown only when they do not all fit."""
        plot = self.plot
        if plot.layout_ is not None and plot.navigator is not None:
            y_lo, y_hi = plot.viewbox.viewRange()[1]
            span = float(y_hi - y_lo)
            n = float(plot.content_rows())
            self._syncing = True
            try:
                self.setRange(0, max(0, round((n - span) * STEPS_PER_ROW)))
                self.setPageStep(max(1, round(span * STEPS_PER_ROW)))
                self.setValue(round(max(0.0, float(y_lo)) * STEPS_PER_ROW))
            finally:
                self._syncing = False
        self.update()
        # showing, hiding and aligning the bar change the row's layout: never from inside a layout pass (a
        # resize of the plot is one), where the change would be lost, but once it is over
        if not self._settling:
            self._settling = True
            QTimer.singleShot(0, self, self._settle)  # with a context: dropped if the bar goes first

    def _settle(self) -> None:
        self._settling = False
        if not (shiboken6.isValid(self.plot) and shiboken6.isValid(self.plot.viewbox)):
            return  # the tab closed before the look was due: its plot went first
        self._align_with_rows()
        self._show(self._want())

    def _align_with_rows(self) -> None:
        """Margins that put the bar beside the rows of the plot."""
        plot = self.plot
        box = plot.viewbox.sceneBoundingRect()
        top = plot.viewport().mapTo(plot, plot.mapFromScene(box.topLeft())).y()
        bottom = plot.viewport().mapTo(plot, plot.mapFromScene(box.bottomLeft())).y()
        layout = self.column.layout()
        if layout is None:
            return
        top, bottom = max(0, top), max(0, plot.height() - bottom)
        now = layout.contentsMargins()
        if (now.top(), now.bottom()) != (top, bottom):
            layout.setContentsMargins(0, top, 0, bottom)

    def _want(self) -> bool:
        nav = self.plot.navigator
        return self.active and self.plot.layout_ is not None and nav is not None and nav.overflows()

    def _show(self, wanted: bool) -> None:
        """Show or hide the bar. Showing it narrows the plot, which may re-wrap the legend or re-fit the
        rows (presentation) and so change whether they overflow: when it keeps flipping (three times within
        a second), the bar stays; a bar with nothing to scroll hides nothing."""
        if wanted == self._wanted:
            return
        now = time.monotonic()
        self._flips = [t for t in self._flips if now - t < 1.0]
        if not wanted and len(self._flips) >= 3:
            return
        self._flips.append(now)
        self._wanted = wanted
        self.setVisible(wanted)  # in its column, which stays: without the bar it is 0 wide
        self.shownChanged.emit(wanted)

    def is_wanted(self) -> bool:
        """Whether the bar is shown (or would be, once its tab is)."""
        return self._wanted

    def _on_value(self, value: int) -> None:
        if not self._syncing:
            self.plot.scroll_to_row(value / STEPS_PER_ROW)

    # ------------------------------------------------------------------ the map of cases
    def _groove(self) -> tuple[float, float]:
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        rect = self.style().subControlRect(QStyle.ComplexControl.CC_ScrollBar, option,
                                           QStyle.SubControl.SC_ScrollBarGroove, self)
        return float(rect.top()), float(max(1, rect.height()))

    def case_at(self, y: float) -> int | None:
        """The case whose rows are at height ``y`` of the groove (a case index of the plot's layout)."""
        nav = self.plot.navigator
        if nav is None:
            return None
        top, height = self._groove()
        row = (y - top) / height * self.plot.content_rows()
        for where in nav.cases():
            if where.first <= row < where.end:
                return where.case_index
        return None

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        nav = self.plot.navigator
        cases = nav.cases() if nav is not None else []
        if len(cases) < 2:
            return
        top, height = self._groove()
        n = max(1, self.plot.content_rows())
        painter = QPainter(self)
        color = QColor(self.palette().color(self.foregroundRole()))
        color.setAlpha(200)
        painter.setPen(QPen(color, 2.0))
        width = float(self.width())
        for where in cases[1:]:  # a notch at each side where a case starts: the slider stays readable
            y = round(top + height * where.first / n) + 0.5
            painter.drawLine(QPointF(0.0, y), QPointF(width * 0.3, y))
            painter.drawLine(QPointF(width * 0.7, y), QPointF(width, y))
        painter.end()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            nav = self.plot.navigator
            case_index = self.case_at(float(event.pos().y()))
            if nav is not None and case_index is not None and len(nav.cases()) > 1:
                QToolTip.showText(event.globalPos(), f"Case {case_index + 1} of {len(nav.cases())}: "
                                  f"{nav.case_title(case_index)}", self)
                return True
        return super().event(event)
