"""The timeline plot: one ViewBox holding every case as a group of lane rows.

Used by the window (interactive) and by export (laid out for a target size). No dialogs or
windows here: those are in caseline.ui."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QGuiApplication
from PySide6.QtWidgets import QWidget

from caseline.analysis.reveal import reveal_key
from caseline.analysis.swimmer import swimmer_facts
from caseline.analysis.wording import describe_item
from caseline.layout import timeline_layout as L
from caseline.layout.swimmer import build_swimmer_layout
from caseline.render.axes import LaneAxis, TimeAxis
from caseline.render.history_marker import HistoryMarker
from caseline.render.html_rows import rows_html
from caseline.render.label_layer import LabelLayer
from caseline.render.lane_navigation import LaneNavigator, TimelineViewBox, navigation_key
from caseline.render.layers import BackgroundLayer, BarLayer, PointLayer
from caseline.render.legend import plot_legend_html
from caseline.render.painting import RenderState
from caseline.render.reveal_index import RevealIndex
from caseline.render.widget_fixes import keep_own_tooltip, let_title_shrink
from caseline.theme import SCREEN, Theme
from caseline.timeline.resolved import ResolvedCase
from caseline.view_state import AXIS_FIELDS, LAYOUT_FIELDS, MARK_FIELDS, Shown, ViewState

#: The name shown for a lane whose events a teaching step has not revealed yet.
LANE_TO_COME = "…"


class TimelinePlot(pg.PlotWidget):
    """A plot of one or more resolved cases. Emits hovered/clicked item indices."""

    sigItemHovered = Signal(object, object)  # item index or None, scene QPointF
    sigItemClicked = Signal(object, object)  # item index or None, keyboard modifiers
    sigCursorMoved = Signal(object)  # day under the mouse, or None
    sigShownChanged = Signal(object)  # names of the view's fields that changed (after the plot has followed)

    def __init__(self, parent: QWidget | None = None, theme: Theme = SCREEN, interactive: bool = True) -> None:
        self.time_axis = TimeAxis()
        self.lane_axis = LaneAxis("left")
        self.viewbox = TimelineViewBox()
        super().__init__(parent=parent, viewBox=self.viewbox,
                         axisItems={"bottom": self.time_axis, "left": self.lane_axis})
        for name in ("top", "right", "left"):  # linked (top, right: hidden): each pan step set an SI-prefixed
            self.getPlotItem().getAxis(name).enableAutoSIPrefix(False)  # title anew (days, lanes: no SI)
        self.theme = theme
        self.px_per_pt = 96.0 / 72.0
        self.layout_: L.TimelineLayout | None = None
        self.paint_state: RenderState | None = None
        self.legend_full_width = False
        self.legend_visible = True
        self.shown: Shown | None = None
        self.view = ViewState()
        self.view.changed.connect(self._on_view_changed)
        self._keys_built: dict[str, int] | None = {}
        self._reveal_index = RevealIndex()
        self.background = BackgroundLayer(self._empty_state())
        self.bars = BarLayer(self.background.state)
        self.points = PointLayer(self.background.state)
        self.labels = LabelLayer(self.background.state)
        self.history = HistoryMarker(self.background.state, interactive)
        self.bars.tiles.share(self.bars, self.points)  # one tile for the marks: a pan step copies once
        self.viewbox.sigXRangeChanged.connect(self._update_axis_cover)
        self.viewbox.sigResized.connect(self._update_axis_cover)
        for z, item in enumerate((self.background, self.history, self.bars, self.points, self.labels)):
            item.setZValue(z - 10)
            self.addItem(item)
        self.cursor = pg.InfiniteLine(angle=90, movable=False)
        self.cursor.setVisible(False)
        self.cursor.setZValue(20)
        self.cursor_enabled = True  # presentation mode turns the day-under-the-pointer line off
        self.addItem(self.cursor, ignoreBounds=True)
        # the measured interval, drawn on the plot as well as said in the status bar
        self.measure_line = pg.PlotCurveItem()
        self.measure_text = pg.TextItem(anchor=(0.5, 1.0))
        for z, item in ((21, self.measure_line), (22, self.measure_text)):
            item.setZValue(z)
            item.setVisible(False)
            self.addItem(item, ignoreBounds=True)
        let_title_shrink(self.getPlotItem().titleLabel)
        self.getPlotItem().hideButtons()
        self.getPlotItem().setMenuEnabled(False)
        self.viewbox.sigFit.connect(self.fit)
        self._viewbox_height = 0.0
        self.viewbox.sigResized.connect(self._keep_row_height)
        self.interactive = interactive
        if interactive:
            self.scene().sigMouseMoved.connect(self._mouse_moved)
            self.scene().sigMouseClicked.connect(self._mouse_clicked)
        # the wheel scrolls the lanes, Ctrl+wheel zooms time, Shift+wheel pans it; the case header of the
        # lanes at the top stays pinned there; going to a case or a lane (caseline.render.lane_navigation)
        self.viewbox.sigPanTime.connect(self.pan_time)
        self.navigator = LaneNavigator(self) if interactive else None
        if interactive:  # a lane name cut at the top or bottom edge is not drawn over the legend or axis
            self.lane_axis.setStyle(hideOverlappingLabels=True)
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
        if self.layout_ is not None:
            self._rebuild(keep_range=True)

    # ------------------------------------------------------------------ the view state
    @property
    def cases(self) -> list[ResolvedCase]:
        """The cases as drawn: arranged, and de-identified or held back as the view says."""
        return self.layout_.cases if self.layout_ is not None else []

    @property
    def options(self) -> L.LayoutOptions:
        return self.shown.options if self.shown is not None else L.LayoutOptions()

    @property
    def deidentified(self) -> bool:
        return self.view.deidentified

    def set_view(self, view: ViewState) -> None:
        """Show ``view`` (and follow its changes) instead of the current one."""
        if view is self.view:
            return
        self.view.changed.disconnect(self._on_view_changed)
        self.view = view
        view.changed.connect(self._on_view_changed)
        self._on_view_changed(LAYOUT_FIELDS | MARK_FIELDS | AXIS_FIELDS | {"time_range"}, keep_range=False)

    def set_cases(self, cases: Sequence[ResolvedCase]) -> None:
        """Show ``cases`` (a convenience for ``plot.view.cases = ...``)."""
        self.view.cases = tuple(cases)

    def _on_view_changed(self, names: frozenset[str], keep_range: bool | None = None) -> None:
        if names & LAYOUT_FIELDS:
            had_marks = self.layout_ is not None and len(self.layout_.items) > 0
            self._rebuild(keep_range=had_marks if keep_range is None else keep_range)
        else:
            if names & MARK_FIELDS:
                self._apply_marks()
                if self.layout_ is not None and "ghosted" in names:
                    self._update_lane_axis()
            if names & AXIS_FIELDS and self.layout_ is not None:
                self._update_time_axis()
        if "time_range" in names and self.view.time_range is not None and self.layout_ is not None:
            self.set_time_range(*self.view.time_range)
        self.sigShownChanged.emit(names)

    def revealed_keys(self) -> frozenset[str] | None:
        """Reveal keys of the items a teaching step shows in full (None: not teaching, all are)."""
        view = self.view
        if view.revealed is None and not view.ghosted:
            return None
        shown = frozenset(self._keys) if view.revealed is None else view.revealed
        return shown - view.ghosted

    def _revealed_rows(self) -> set[int] | None:
        revealed = self.revealed_keys()
        if revealed is None or self.layout_ is None:
            return None
        rows = self.layout_.item_row
        return {int(rows[index]) for key, index in self._keys.items() if key in revealed}

    def _apply_marks(self) -> None:
        """The view's selection, ghosted and highlighted items, by reveal key, on this layout."""
        state = self.paint_state
        if state is None:
            return
        view = self.view  # (only the keys asked for are looked up: a switch with a selection needs one)
        keys = self._indices({*view.ghosted, *view.highlighted, *([view.selected] if view.selected else [])})
        state.selected = keys.get(self.view.selected) if self.view.selected is not None else None
        state.ghosted = {keys[k] for k in self.view.ghosted if k in keys}
        state.highlighted = {keys[k] for k in self.view.highlighted if k in keys}
        state.marks_changed()
        for layer in (self.background, self.bars, self.points, self.labels):
            layer.update()

    def _rebuild(self, keep_range: bool) -> None:
        if not self.view.cases:  # nothing to show (yet): no layout, as before any cases came
            self.layout_, self.shown, self.paint_state, self._keys_built = None, None, None, {}
            for layer in (self.background, self.bars, self.points, self.labels, self.history):
                layer.set_state(self._empty_state())
            self._update_axis_cover()
            return
        old = self.viewbox.viewRange() if keep_range and self.layout_ is not None else None
        self.clear_measure()  # its marks may have moved or gone
        self.shown = shown = self.view.shown()
        self.layout_ = build_view_layout(self.view, shown, reuse=self.layout_)
        self._keys_built = None  # made when first asked for (a switch of sort or alignment seldom needs them)
        headers = {r: shown.header_lines(self.layout_.cases[row.case_index])
                   for r, row in enumerate(self.layout_.rows) if row.kind == L.RowKind.HEADER}
        state = RenderState(self.layout_, self.theme, self.px_per_pt, header_lines=headers, screen=self.interactive)
        state.follow(self.paint_state)
        self.paint_state = state
        for layer in (self.background, self.bars, self.points, self.labels, self.history):
            layer.set_state(self.paint_state)
        self._apply_marks()
        self._update_lane_axis()
        self._update_time_axis()
        self._update_legend()
        super().resizeEvent(None)  # re-lay out the plot for the new legend and lane axis
        if old is not None:
            self.viewbox.setRange(xRange=old[0], yRange=self._clamp_y(old[1]), padding=0)
        else:
            self.fit_story()
        self._update_axis_cover()

    @property
    def _keys(self) -> dict[str, int]:
        """Index in the layout of each item by its reveal key (view_state.reveal_keys)."""
        if self._keys_built is None:
            self._keys_built = self._reveal_index.all(self.layout_.cases if self.layout_ is not None else [])
        return self._keys_built

    def _indices(self, wanted: set[str]) -> dict[str, int]:
        """The layout index of each of a few reveal keys (render.reveal_index: not the whole table)."""
        if self._keys_built is not None or self.layout_ is None:
            return {k: self._keys[k] for k in wanted if k in self._keys}
        return self._reveal_index.lookup(self.layout_.cases, wanted)

    def key_of(self, index: int) -> str:
        """The reveal key of the item at ``index`` of the layout."""
        assert self.layout_ is not None
        return reveal_key(self.layout_.items[index])

    def _update_legend(self) -> None:
        layout = getattr(self, "layout_", None)  # (resizeEvent may come before __init__ has set it; a closed
        plot = self.getPlotItem() if layout is not None else None  # plot has no plot item)
        if plot is None:
            return
        if not getattr(self, "legend_visible", True):  # View > Legend off: the rows get its room
            self._legend_key = None
            plot.setTitle(None)
            plot.titleLabel.setMaximumHeight(0)
            plot.layout.setRowFixedHeight(self.legend_row, 0)
            return
        font = QFont(self.theme.font_family)
        font.setPixelSize(max(1, round(self.theme.font_pt * self.px_per_pt)))
        titles = self.shown.category_titles if self.shown is not None else None
        html = plot_legend_html(layout, self.theme, titles)
        # the title sits over the plot column only: wrap to the width left of the lane axis
        width = max(100.0, self.width() - self.lane_axis.maximumWidth() - 40.0)
        if getattr(self, "legend_full_width", False):
            left, _top, right, _bottom = plot.getContentsMargins()
            width = max(100.0, self.width() - left - right - 8.0)
        key = (html, self.theme.foreground, font.key(), width, self.legend_row)
        if key == getattr(self, "_legend_key", None):  # a switch of alignment or sort: the same legend
            return
        self._legend_key = key
        plot.setTitle(html, color=self.theme.foreground, size=f"{font.pixelSize()}px", justify="left")
        label = plot.titleLabel
        label.item.setFont(font)
        label.item.setTextWidth(width)
        label.updateMin()
        # PlotItem.setTitle fixes the title row at 30 px: give a wrapped legend all its lines
        height = math.ceil(label.item.boundingRect().height())
        label.setMaximumHeight(height)
        plot.layout.setRowFixedHeight(0, 0)  # (setTitle fixes row 0 at 30 px, wherever the legend is)
        plot.layout.setRowFixedHeight(self.legend_row, height)

    def set_legend_visible(self, visible: bool) -> None:
        """Show or hide the legend above the plot (small screens; exported figures always have one)."""
        self.legend_visible = bool(visible)
        self._update_legend()
        super().resizeEvent(None)

    #: The plot layout's row of the legend: 0 above the plot, 4 below the time axis (View > Legend below).
    legend_row = 0

    def set_legend_full_width(self, full: bool) -> None:
        """Let the legend run over the lane-name column too (exported figures: fewer lines)."""
        self.legend_full_width = full
        self._place_legend()

    def set_legend_below(self, below: bool) -> None:
        """Put the legend under the time axis instead of above the plot."""
        self.legend_row = 4 if below else 0
        self._place_legend()

    def _place_legend(self) -> None:
        plot = self.getPlotItem()
        label = plot.titleLabel
        plot.layout.removeItem(label)
        plot.layout.setRowFixedHeight(4 - self.legend_row, 0)  # the place it left
        if self.legend_full_width:
            plot.layout.addItem(label, self.legend_row, 0, 1, 3)
        else:
            plot.layout.addItem(label, self.legend_row, 1)
        self._legend_key = None  # moved: its row heights are set again
        self._update_legend()
        super().resizeEvent(None)

    def _keep_row_height(self, *_args: object) -> None:
        """When the plot grows or shrinks (a panel shown or hidden, the window resized), rows keep their
        height and more or fewer of them show, instead of squashing every row into the new height."""
        height = float(self.viewbox.height())
        old, self._viewbox_height = self._viewbox_height, height
        if old <= 1.0 or height <= 1.0 or self.layout_ is None or abs(height - old) < 0.5:
            return
        y_lo, y_hi = self.viewbox.viewRange()[1]
        n = float(self.content_rows())
        span = (y_hi - y_lo) * height / old
        if span >= n - 0.01:  # every row fits at this row height: show them all, rows grown up to their cap
            span = max(n, height / (self.theme.row_px * self.px_per_pt * 1.6))
        self.viewbox.setLimits(yMin=-0.2, yMax=max(n, span) + 0.2)
        self.viewbox.setYRange(*self._clamp_y((y_lo, y_lo + span)), padding=0)

    def viewportEvent(self, ev):
        return keep_own_tooltip(ev) or super().viewportEvent(ev)

    def resizeEvent(self, ev):
        self._update_legend()  # before the base class lays the plot out at the new size
        super().resizeEvent(ev)

    def _update_lane_axis(self) -> None:
        assert self.layout_ is not None
        # teaching: a lane with nothing revealed yet is not named (its name would tell what comes)
        revealed_rows = self._revealed_rows()
        key = (id(self.layout_.rows), revealed_rows, self.px_per_pt, self.theme)
        if getattr(self, "_lane_axis_key", None) == key and getattr(self, "_lane_axis_rows", None) is self.layout_.rows:
            return  # the same rows (a switch of alignment keeps them): the same names
        self._lane_axis_key: tuple[object, ...] = key
        self._lane_axis_rows: list[L.Row] = self.layout_.rows
        ticks = []
        for r, row in enumerate(self.layout_.rows):
            if row.kind == L.RowKind.LANE:
                ticks.append((r + 0.5, row.lane if revealed_rows is None or r in revealed_rows else LANE_TO_COME))
            elif row.kind == L.RowKind.UNDATED:
                ticks.append((r + 0.5, "Time not stated"))
        self.lane_axis.setTicks([ticks, []])
        font = QFont(self.theme.font_family)
        font.setPixelSize(max(1, round(self.theme.axis_font_pt * self.px_per_pt)))
        fm = QFontMetricsF(font)
        names = [row.lane for row in self.layout_.rows if row.kind == L.RowKind.LANE] + [t for _, t in ticks]
        width = max([fm.horizontalAdvance(t) for t in set(names)] or [40.0])  # steady while lanes are revealed
        self.lane_axis.setWidth(int(width + 12 * self.px_per_pt * self.theme.axis_font_pt / 9 + 8))

    def _update_time_axis(self) -> None:
        shown = self.shown
        if shown is None:
            return
        self.time_axis.set_mode(self.view.axis_mode, shown.calendar_origin())
        self.time_axis.setLabel(shown.axis_title(self.time_axis.mode, self.view.axis_title))

    def default_axis_title(self) -> str:
        """The axis title the view would have without an explicit one."""
        return self.shown.axis_title(self.time_axis.mode) if self.shown is not None else ""

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
        rows_visible = self._fitting_rows()
        self.viewbox.setLimits(yMin=-0.2, yMax=max(self.content_rows(), rows_visible) + 0.2)
        self.viewbox.setRange(xRange=(x_lo - pad, x_hi + pad), yRange=(0, rows_visible), padding=0)

    def fit_story(self) -> None:
        """Show every row as :meth:`fit` does, over the view's default time window: the range asked
        for, else the focus on the story (caseline.analysis.focus); history outside it is marked."""
        self.fit()
        window = self.view.default_range() if self.layout_ is not None and self.view.cases else None
        if window is None:
            return
        if self.view.time_range is None:
            self.show_story(*window)
        else:
            self.set_time_range(*window)

    def _update_axis_cover(self, *_args: object) -> None:
        """No time-axis ticks under the history bands (their days are compressed, not on the axis's scale)."""
        if self.layout_ is None:
            self.time_axis.set_covered(0.0, 0.0)
            return
        lo, hi = self.time_range()
        earlier, later = self.history.counts(lo, hi)
        band = self.history.band_px(float(self.viewbox.width()))
        self.time_axis.set_covered(band if earlier else 0.0, band if later else 0.0)

    def show_story(self, lo: float, hi: float) -> None:
        """Show the days ``lo``..``hi`` of a focus (caseline.analysis.focus), with room at the edges for
        the bands that mark the history outside it: they go beside the story, not over its marks."""
        earlier, later = self.history.counts(lo, hi)
        width = max(1.0, float(self.viewbox.width()))
        band = self.history.band_px(width)
        share = (int(earlier > 0) + int(later > 0)) * band / width
        if 0 < share < 0.4:
            per_px = (hi - lo) / (1.0 - share) / width
            lo -= band * per_px if earlier else 0.0
            hi += band * per_px if later else 0.0
        self.set_time_range(lo, hi)

    def _fitting_rows(self) -> float:
        """How many rows fit the plot's height: many rows scroll, each still readable; few rows do not
        grow huge."""
        n = self.content_rows()
        height = max(1.0, self.viewbox.height())
        min_row_px = self.theme.row_px * self.px_per_pt * 0.72
        max_row_px = self.theme.row_px * self.px_per_pt * 1.6
        rows_visible = max(1.0, min(n, height / max(1.0, min_row_px)))
        return max(rows_visible, height / max_row_px)

    def set_time_range(self, lo: float, hi: float) -> None:
        self.viewbox.setXRange(lo, hi, padding=0)

    def zoom_time(self, factor: float) -> None:
        """Zoom time around the middle of the view: ``factor`` < 1 zooms in (the keyboard's + and -)."""
        lo, hi = self.time_range()
        middle, half = (lo + hi) / 2, (hi - lo) / 2 * factor
        self.set_time_range(middle - half, middle + half)

    def pan_time(self, fraction: float) -> None:
        """Move the view by ``fraction`` of its width (negative: earlier)."""
        lo, hi = self.time_range()
        step = (hi - lo) * fraction
        self.set_time_range(lo + step, hi + step)

    def scroll_rows(self, rows: float) -> None:
        """Scroll the lanes by ``rows`` (negative: up), within the rows there are."""
        y_lo, y_hi = self.viewbox.viewRange()[1]
        self.viewbox.setYRange(*self._clamp_y((y_lo + rows, y_hi + rows)), padding=0)

    def rows_visible(self) -> float:
        y_lo, y_hi = self.viewbox.viewRange()[1]
        return float(y_hi - y_lo)

    def scroll_to_row(self, top: float) -> None:
        """Scroll so that row ``top`` is at the top of the view (as far as the rows go)."""
        span = self.rows_visible()
        self.viewbox.setYRange(*self._clamp_y((top, top + span)), padding=0)

    def show_rows(self, first: float, last: float) -> None:
        """Scroll so that rows ``first`` to ``last`` are in view (the top one first when they do not fit)."""
        y_lo, y_hi = self.viewbox.viewRange()[1]
        span = y_hi - y_lo
        if first >= y_lo and last <= y_hi:
            return
        top = first if (last - first > span or first < y_lo) else last - span
        self.viewbox.setYRange(*self._clamp_y((top, top + span)), padding=0)

    def fit_rows(self, first: float = 0.0, last: float | None = None) -> None:
        """Show rows ``first`` to ``last`` (default: every row) in the height of the view, however small."""
        last = float(self.content_rows()) if last is None else last
        self.viewbox.setLimits(yMin=-0.2, yMax=max(float(self.content_rows()), last) + 0.2)
        self.viewbox.setYRange(first, max(first + 1.0, last), padding=0)

    def keyPressEvent(self, ev):
        if navigation_key(self, ev.key()):  # + - zoom, arrows pan and scroll, PgUp / PgDn page the lanes
            ev.accept()
        else:
            super().keyPressEvent(ev)

    def time_range(self) -> tuple[float, float]:
        lo, hi = self.viewbox.viewRange()[0]
        return float(lo), float(hi)

    # ------------------------------------------------------------------ interaction
    def item_at_scene(self, scene_pos: QPointF) -> int | None:
        """Index of the item under a scene position (marks, or chips of the undated strip)."""
        if self.layout_ is None or not self.viewbox.sceneBoundingRect().contains(scene_pos):
            return None
        if self.navigator is not None and self.navigator.covers(scene_pos):
            return None  # under the pinned case header
        device = QPointF(self.mapFromScene(scene_pos))  # the layers paint in viewport pixels
        for index, rect in self.labels.drawn_chips:
            if rect.contains(device):
                return index
        view_pos = self.viewbox.mapSceneToView(scene_pos)
        x_lo, x_hi = self.viewbox.viewRange()[0]
        days_per_px = (x_hi - x_lo) / max(1.0, self.viewbox.width())
        hit = self.layout_.hit(view_pos.x(), view_pos.y(), days_per_px)
        # a ghosted mark is not revealed yet (teaching): no tooltip or details to give it away
        state = self.paint_state
        return None if hit is not None and state is not None and hit in state.ghosted else hit

    def scene_pos_of_undated(self, index: int) -> QPointF | None:
        """Scene position of an undated item's chip, as last painted."""
        for drawn, rect in self.labels.drawn_chips:
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
            self.cursor.setVisible(self.cursor_enabled)
            self.sigCursorMoved.emit(x)
        else:
            self.cursor.setVisible(False)
            self.sigCursorMoved.emit(None)
        dragging = QGuiApplication.mouseButtons() != Qt.MouseButton.NoButton or self.scene().dragButtons  # a pan
        self.sigItemHovered.emit(self.item_at_scene(scene_pos) if inside and not dragging else None, scene_pos)

    def _mouse_clicked(self, event: object) -> None:
        if event.double():  # type: ignore[attr-defined]
            return
        index = self.item_at_scene(event.scenePos())  # type: ignore[attr-defined]
        self.sigItemClicked.emit(index, event.modifiers())  # type: ignore[attr-defined]

    def show_measure(self, first: int, second: int, text: str) -> None:
        """Draw the interval between two marks' starts as a bracket with ``text`` above it."""
        if self.layout_ is None:
            return
        a, b = self.layout_.item_position(first), self.layout_.item_position(second)
        if a is None or b is None:
            self.clear_measure()
            return
        y, y_tick = min(a[1], b[1]) - 0.42, 0.18  # just above the upper mark, inside its row
        xs, ys = [a[0], a[0], b[0], b[0]], [y + y_tick, y, y, y + y_tick]
        color = QColor(self.theme.foreground)
        self.measure_line.setData(xs, ys, pen=pg.mkPen(color, width=max(1.5, self.theme.line_px)))
        font = QFont(self.theme.font_family)
        font.setPixelSize(max(1, round(self.theme.font_pt * self.px_per_pt)))
        font.setBold(True)
        self.measure_text.setFont(font)
        self.measure_text.setColor(color)
        self.measure_text.fill = pg.mkBrush(QColor(255, 255, 230, 235))
        self.measure_text.border = pg.mkPen(color)
        self.measure_text.setText(text)
        self.measure_text.setPos((a[0] + b[0]) / 2, y)
        self.measure_line.setVisible(True)
        self.measure_text.setVisible(True)

    def clear_measure(self) -> None:
        self.measure_line.setVisible(False)
        self.measure_text.setVisible(False)

    def measure_shown(self) -> str:
        """The text of the measured interval on the plot ('' when none is shown)."""
        return str(self.measure_text.toPlainText()) if self.measure_text.isVisible() else ""

    def select(self, index: int | None) -> None:
        """Select the item at ``index`` of the layout (None: nothing)."""
        self.view.selected = self.key_of(index) if index is not None else None

    def tooltip_html(self, index: int) -> str:
        assert self.layout_ is not None
        item = self.layout_.items[index]
        case = self.layout_.cases[int(self.layout_.item_case[index])]
        rows = describe_item(case, item, self.view.deidentified)
        return rows_html(rows, "tooltip")


def build_view_layout(view: ViewState, shown: Shown, reuse: L.TimelineLayout | None = None) -> L.TimelineLayout:
    """The layout a view asks for: stacked lanes, or a swimmer plot (one row per case). ``reuse``: the layout
    shown before, whose per-case columns serve the cases it shares (a switch of alignment or sort)."""
    if view.layout == "swimmer":
        return build_swimmer_layout(shown.cases, [swimmer_facts(c) for c in shown.cases], shown.options)
    return L.build_layout(shown.cases, shown.options, reuse=reuse)
