"""The timeline plot: one ViewBox holding every case as a group of lane rows.

Used by the window (interactive) and by export (laid out for a target size). No dialogs or
windows here: those are in caseline.ui."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF
from PySide6.QtWidgets import QWidget

from caseline.analysis.wording import describe_item, header_lines
from caseline.layout import timeline_layout as L
from caseline.model.kinds import Category
from caseline.render.axes import DirectPaintAxis, TimeAxis
from caseline.render.html_rows import rows_html
from caseline.render.layers import BackgroundLayer, BarLayer, LabelLayer, PointLayer
from caseline.render.legend import legend_html
from caseline.render.painting import RenderState
from caseline.theme import SCREEN, Theme
from caseline.timeline.resolved import ResolvedCase

#: A view of the cases (de-identified copies, the teaching hold-back): same items, same order.
CaseTransform = Callable[[list[ResolvedCase]], list[ResolvedCase]]


class TimelineViewBox(pg.ViewBox):
    """Wheel zooms time only; drag pans; double-click fits."""

    sigFit = Signal()

    def __init__(self) -> None:
        super().__init__(invertY=True, enableMenu=False)
        self.setMouseEnabled(x=True, y=True)
        # Applying the new range right away avoids a second repaint per pan step (docs/qt-notes.md).
        self.sigRangeChanged.connect(lambda *_: self.updateMatrix())

    def wheelEvent(self, ev, axis=None):
        delta = ev.delta() if hasattr(ev, "delta") else ev.angleDelta().y()
        factor = 1.02 ** (delta * self.state["wheelScaleFactor"])
        center = self.mapToView(ev.pos())
        self.scaleBy(x=factor, y=None, center=center)
        ev.accept()
        self.sigRangeChangedManually.emit(self.state["mouseEnabled"])

    def mouseDoubleClickEvent(self, ev):
        self.sigFit.emit()
        ev.accept()


class TimelinePlot(pg.PlotWidget):
    """A plot of one or more resolved cases. Emits hovered/clicked item indices."""

    sigItemHovered = Signal(object, object)  # item index or None, scene QPointF
    sigItemClicked = Signal(object, object)  # item index or None, keyboard modifiers
    sigCursorMoved = Signal(object)  # day under the mouse, or None

    def __init__(self, parent: QWidget | None = None, theme: Theme = SCREEN, interactive: bool = True) -> None:
        self.time_axis = TimeAxis()
        self.lane_axis = DirectPaintAxis("left")
        self.viewbox = TimelineViewBox()
        super().__init__(parent=parent, viewBox=self.viewbox,
                         axisItems={"bottom": self.time_axis, "left": self.lane_axis})
        self.theme = theme
        self.px_per_pt = 96.0 / 72.0
        self.layout_: L.TimelineLayout | None = None
        self.state: RenderState | None = None
        self.cases: list[ResolvedCase] = []
        self.options = L.LayoutOptions()
        self.axis_mode = "days"
        self.axis_title = ""
        self.deidentified = False
        self.source_cases: list[ResolvedCase] = []  # as given to set_cases, before case_transforms
        self.case_transforms: dict[str, CaseTransform] = {}
        self.category_titles: dict[Category, str] = {}  # legend wording overrides (teaching hold-back)
        # comparison view: a note after a case's header title, the alignment's name for the axis
        # title and the calendar date of the shared day 0 (calendar alignment)
        self.header_notes: dict[str, str] = {}
        self.align_title = ""
        self.shared_origin: date | None = None
        self.layers: list[L.Marks | object] = []
        self.background = BackgroundLayer(self._empty_state())
        self.bars = BarLayer(self.background.state)
        self.points = PointLayer(self.background.state)
        self.labels = LabelLayer(self.background.state)
        for z, item in enumerate((self.background, self.bars, self.points, self.labels)):
            item.setZValue(z - 10)
            self.addItem(item)
        self.cursor = pg.InfiniteLine(angle=90, movable=False)
        self.cursor.setVisible(False)
        self.cursor.setZValue(20)
        self.addItem(self.cursor, ignoreBounds=True)
        _let_title_shrink(self.getPlotItem().titleLabel)
        self.getPlotItem().hideButtons()
        self.getPlotItem().setMenuEnabled(False)
        self.viewbox.sigFit.connect(self.fit)
        self.interactive = interactive
        if interactive:
            self.scene().sigMouseMoved.connect(self._mouse_moved)
            self.scene().sigMouseClicked.connect(self._mouse_clicked)
        self.apply_theme(theme)

    # ------------------------------------------------------------------ content
    def _empty_state(self) -> RenderState:
        empty = L.build_layout([])
        return RenderState(empty, self.theme if hasattr(self, "theme") else SCREEN)

    def apply_theme(self, theme: Theme, px_per_pt: float | None = None) -> None:
        self.theme = theme
        if px_per_pt is not None:
            self.px_per_pt = px_per_pt
        self.setBackground(QColor(theme.background))
        font = QFont(theme.font_family)
        font.setPixelSize(max(1, round(theme.axis_font_pt * self.px_per_pt)))
        pen = pg.mkPen(QColor(theme.foreground), width=max(1.0, theme.line_px))
        for axis in (self.time_axis, self.lane_axis):
            axis.setPen(pen)
            axis.setTextPen(pg.mkPen(QColor(theme.foreground)))
            axis.setTickFont(font)
            axis.setStyle(tickTextOffset=max(3, round(4 * self.px_per_pt * theme.axis_font_pt / 9)),
                          tickLength=-max(4, round(5 * self.px_per_pt * theme.axis_font_pt / 9)))
            axis.label.setFont(font)
        self.cursor.setPen(pg.mkPen(QColor(theme.muted), width=1, style=Qt.PenStyle.DashLine))
        if self.cases:
            self._rebuild(keep_range=True)

    def set_cases(self, cases: Sequence[ResolvedCase], options: L.LayoutOptions | None = None,
                  keep_range: bool = False) -> None:
        self.source_cases = list(cases)
        self.cases = self._transformed(self.source_cases)
        if options is not None:
            self.options = options
        self._rebuild(keep_range)

    # ------------------------------------------------------------------ case views (teaching)
    def _transformed(self, cases: list[ResolvedCase]) -> list[ResolvedCase]:
        for transform in getattr(self, "case_transforms", {}).values():
            cases = list(transform(cases))
        return cases

    def set_case_transform(self, name: str, transform: CaseTransform | None) -> None:
        """Show the cases through ``transform`` (None removes it); e.g. de-identified copies.

        Transforms keep the number and order of items, so item indices (selection, reveal)
        stay valid. They apply to every later ``set_cases`` too.
        """
        transforms = dict(getattr(self, "case_transforms", {}))
        if transform is None:
            transforms.pop(name, None)
        else:
            transforms[name] = transform
        self.case_transforms = transforms
        source = getattr(self, "source_cases", self.cases)
        self.cases = self._transformed(list(source))
        if self.cases:
            self._rebuild(keep_range=self.layout_ is not None)

    def set_deidentified(self, deidentified: bool) -> None:
        """Draw de-identified copies of the cases: no calendar date or identifier anywhere."""
        from caseline.analysis.deidentify import deidentify_cases

        self.deidentified = deidentified
        self.set_case_transform("deidentify", deidentify_cases if deidentified else None)

    def set_options(self, options: L.LayoutOptions, keep_range: bool = True) -> None:
        self.options = options
        self._rebuild(keep_range)

    def _rebuild(self, keep_range: bool) -> None:
        old = self.viewbox.viewRange() if keep_range and self.layout_ is not None else None
        selected = self.state.selected if self.state is not None else None
        ghosted = self.state.ghosted if self.state is not None else set()
        highlighted = self.state.highlighted if self.state is not None else set()
        self.layout_ = L.build_layout(self.cases, self.options)
        headers = {r: self.case_header_lines(self.layout_.cases[row.case_index])
                   for r, row in enumerate(self.layout_.rows) if row.kind == L.RowKind.HEADER}
        self.state = RenderState(self.layout_, self.theme, self.px_per_pt, header_lines=headers)
        self.state.selected = selected if selected is not None and selected < len(self.layout_.items) else None
        self.state.ghosted = {g for g in ghosted if g < len(self.layout_.items)}
        self.state.highlighted = {h for h in highlighted if h < len(self.layout_.items)}
        for layer in (self.background, self.bars, self.points, self.labels):
            layer.set_state(self.state)
        self._update_lane_axis()
        self._update_time_axis()
        self._update_legend()
        super().resizeEvent(None)  # re-lay out the plot for the new legend and lane axis
        if old is not None:
            self.viewbox.setRange(xRange=old[0], yRange=self._clamp_y(old[1]), padding=0)
        else:
            self.fit()

    def case_header_lines(self, case: ResolvedCase) -> list[str]:
        """Header text of a case: title (with its note, if any), then the details line."""
        lines = header_lines(case)
        note = self.header_notes.get(case.id)
        if note:
            lines[0] = f"({note})  {lines[0]}"  # first: a long title must not push the note out of sight
        if self.deidentified:
            from caseline.analysis.deidentify import scrub_dates

            lines = [scrub_dates(line, None) for line in lines]
        return lines

    def _update_legend(self) -> None:
        if getattr(self, "layout_", None) is None:
            return
        plot = self.getPlotItem()
        if plot is None:  # closed: pyqtgraph drops the plot item before the last resize
            return
        if not getattr(self, "show_legend", True):
            plot.setTitle(None)
            return
        font = QFont(self.theme.font_family)
        font.setPixelSize(max(1, round(self.theme.font_pt * self.px_per_pt)))
        titles = getattr(self, "category_titles", None)
        plot.setTitle(legend_html(self.layout_, self.theme, titles), color=self.theme.foreground,
                      size=f"{font.pixelSize()}px", justify="left")
        label = plot.titleLabel
        label.item.setFont(font)
        # the title sits over the plot column only: wrap to the width left of the lane axis
        width = max(100.0, self.width() - self.lane_axis.maximumWidth() - 40.0)
        if getattr(self, "legend_full_width", False):
            left, _top, right, _bottom = plot.getContentsMargins()
            width = max(100.0, self.width() - left - right - 8.0)
        label.item.setTextWidth(width)
        label.updateMin()
        # PlotItem.setTitle fixes the title row at 30 px: give a wrapped legend all its lines
        height = math.ceil(label.item.boundingRect().height())
        label.setMaximumHeight(height)
        plot.layout.setRowFixedHeight(0, height)

    def set_legend_full_width(self, full: bool) -> None:
        """Let the legend run over the lane-name column too (exported figures: fewer lines)."""
        plot = self.getPlotItem()
        label = plot.titleLabel
        plot.layout.removeItem(label)
        if full:
            plot.layout.addItem(label, 0, 0, 1, 3)
        else:
            plot.layout.addItem(label, 0, 1)
        self.legend_full_width = full
        self._update_legend()
        super().resizeEvent(None)

    def resizeEvent(self, ev):
        self._update_legend()  # before the base class lays the plot out at the new size
        super().resizeEvent(ev)

    def _update_lane_axis(self) -> None:
        assert self.layout_ is not None
        ticks = []
        for r, row in enumerate(self.layout_.rows):
            if row.kind == L.RowKind.LANE:
                ticks.append((r + 0.5, row.lane))
            elif row.kind == L.RowKind.UNDATED:
                ticks.append((r + 0.5, "Time not stated"))
        self.lane_axis.setTicks([ticks, []])
        font = QFont(self.theme.font_family)
        font.setPixelSize(max(1, round(self.theme.axis_font_pt * self.px_per_pt)))
        fm = QFontMetricsF(font)
        width = max([fm.horizontalAdvance(t) for _, t in ticks] or [40.0])
        self.lane_axis.setWidth(int(width + 12 * self.px_per_pt * self.theme.axis_font_pt / 9 + 8))

    def _update_time_axis(self) -> None:
        origin = self.cases[0].anchor_date if len(self.cases) == 1 else None
        if self.options.shifts and len(self.cases) == 1 and any(self.options.shifts.values()):
            origin = None
        if self.shared_origin is not None:
            origin = self.shared_origin
        self.time_axis.set_mode(self.axis_mode, None if self.deidentified else origin)
        label = self.axis_title or self.default_axis_title()
        if self.deidentified:
            from caseline.analysis.deidentify import scrub_dates

            label = scrub_dates(label, None)
        self.time_axis.setLabel(label)

    def default_axis_title(self) -> str:
        mode = self.time_axis.mode
        if mode == "dates":
            return "Date"
        unit = {"days": "Days", "weeks": "Weeks", "months": "Months"}[mode]
        if len(self.cases) == 1:
            return f"{unit} since {self.cases[0].anchor_description}"
        if self.align_title:
            return f"{unit} since {self.align_title}"
        anchors = {c.anchor_description for c in self.cases}
        if len(anchors) == 1:
            return f"{unit} since {anchors.pop()}"
        return f"{unit} since each case's day 0"

    def set_axis_mode(self, mode: str) -> None:
        self.axis_mode = mode
        if self.cases:
            self._update_time_axis()

    # ------------------------------------------------------------------ range
    def content_rows(self) -> int:
        return self.layout_.n_rows if self.layout_ is not None else 1

    def _clamp_y(self, y_range: Sequence[float]) -> tuple[float, float]:
        n = max(float(self.content_rows()), float(y_range[1]) - float(y_range[0]), 1.0)
        lo, hi = float(y_range[0]), float(y_range[1])
        span = min(hi - lo, n)
        lo = min(max(0.0, lo), n - span)
        return lo, lo + span

    def fit(self) -> None:
        """Show the whole case(s) in time; rows at least a readable height."""
        if self.layout_ is None:
            return
        x_lo, x_hi = self.layout_.x_range
        pad = 0.03 * (x_hi - x_lo)
        n = self.content_rows()
        height = max(1.0, self.viewbox.height())
        min_row_px = self.theme.row_px * self.px_per_pt * 0.72
        max_row_px = self.theme.row_px * self.px_per_pt * 1.6
        # many rows: scroll, each still readable; few rows: keep rows from growing huge
        rows_visible = max(1.0, min(n, height / max(1.0, min_row_px)))
        rows_visible = max(rows_visible, height / max_row_px)
        self.viewbox.setLimits(yMin=-0.2, yMax=max(n, rows_visible) + 0.2)
        self.viewbox.setRange(xRange=(x_lo - pad, x_hi + pad), yRange=(0, rows_visible), padding=0)

    def set_time_range(self, lo: float, hi: float) -> None:
        self.viewbox.setXRange(lo, hi, padding=0)

    def time_range(self) -> tuple[float, float]:
        lo, hi = self.viewbox.viewRange()[0]
        return float(lo), float(hi)

    # ------------------------------------------------------------------ interaction
    def item_at_scene(self, scene_pos: QPointF) -> int | None:
        """Index of the item under a scene position (marks, or chips of the undated strip)."""
        if self.layout_ is None or not self.viewbox.sceneBoundingRect().contains(scene_pos):
            return None
        device = QPointF(self.mapFromScene(scene_pos))  # the layers paint in viewport pixels
        undated = set(self.layout_.undated)
        for index, rect in self.labels.drawn_labels:
            if index in undated and rect.contains(device):
                return index
        view_pos = self.viewbox.mapSceneToView(scene_pos)
        x_lo, x_hi = self.viewbox.viewRange()[0]
        days_per_px = (x_hi - x_lo) / max(1.0, self.viewbox.width())
        hit = self.layout_.hit(view_pos.x(), view_pos.y(), days_per_px)
        # a ghosted mark is not revealed yet (teaching): no tooltip or details to give it away
        return None if hit is not None and self.state is not None and hit in self.state.ghosted else hit

    def scene_pos_of_undated(self, index: int) -> QPointF | None:
        """Scene position of an undated item's chip, as last painted."""
        for drawn, rect in self.labels.drawn_labels:
            if drawn == index:
                return self.mapToScene(rect.center().toPoint())
        return None

    def scene_pos_of_item(self, index: int) -> QPointF | None:
        """Scene position of an item's mark (for tests and keyboard navigation)."""
        if self.layout_ is None:
            return None
        pos = self.layout_.item_position(index)
        if pos is None:
            return None
        x, row_center = pos
        y = row_center - 0.5 + 0.66
        return self.viewbox.mapViewToScene(QPointF(x, y))

    def _mouse_moved(self, scene_pos: QPointF) -> None:
        if self.layout_ is None:
            return
        inside = self.viewbox.sceneBoundingRect().contains(scene_pos)
        if inside:
            x = self.viewbox.mapSceneToView(scene_pos).x()
            self.cursor.setPos(x)
            self.cursor.setVisible(True)
            self.sigCursorMoved.emit(x)
        else:
            self.cursor.setVisible(False)
            self.sigCursorMoved.emit(None)
        self.sigItemHovered.emit(self.item_at_scene(scene_pos) if inside else None, scene_pos)

    def _mouse_clicked(self, event: object) -> None:
        if event.double():  # type: ignore[attr-defined]
            return
        index = self.item_at_scene(event.scenePos())  # type: ignore[attr-defined]
        self.sigItemClicked.emit(index, event.modifiers())  # type: ignore[attr-defined]

    def select(self, index: int | None) -> None:
        if self.state is None:
            return
        self.state.selected = index
        for layer in (self.bars, self.points, self.labels):
            layer.update()

    def set_reveal(self, ghosted: set[int], highlighted: set[int]) -> None:
        if self.state is None:
            return
        self.state.ghosted = set(ghosted)
        self.state.highlighted = set(highlighted)
        for layer in (self.bars, self.points, self.labels):
            layer.update()

    def tooltip_html(self, index: int) -> str:
        assert self.layout_ is not None
        item = self.layout_.items[index]
        case = self.layout_.cases[int(self.layout_.item_case[index])]
        rows = describe_item(case, item, self.deidentified)
        return rows_html(rows, "tooltip")


def _let_title_shrink(label: pg.LabelItem) -> None:
    """The legend wraps to the plot width: never let its text width widen the whole plot."""
    original = label.updateMin

    def update_min() -> None:
        original()
        height = label.item.boundingRect().height()
        label._sizeHint[Qt.SizeHint.MinimumSize] = (10, height)
        label._sizeHint[Qt.SizeHint.PreferredSize] = (10, height)
        label.setMinimumWidth(10)
        label.updateGeometry()

    label.updateMin = update_min
