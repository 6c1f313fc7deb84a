"""Presentation mode: full screen without menus, docks, toolbars, status bar or tab bar; the projector
theme; a caption bar under the plot. Right / PageDown / Space (a clicker) reveal the next step, Left /
PageUp / Backspace go back, Home / End jump, F fits, Esc or F5 leaves. The plot stays zoomable and
pannable with the mouse."""

from __future__ import annotations

import contextlib
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetricsF, QKeyEvent
from PySide6.QtWidgets import QApplication, QDockWidget, QLabel, QToolBar, QWidget

from caseline.analysis.reveal import (
    HOLD_BACK_NOTICE,
    RevealPlan,
    Step,
)
from caseline.render.timeline_plot import TimelinePlot
from caseline.theme import PROJECTOR
from caseline.ui.host import TeachingWindow, TimelineHost
from caseline.view_state import ViewState, reveal_changes

REVEAL_MODES = ("ghost", "hide")  # events still to come: drawn faintly, or left out






NEXT_KEYS = {Qt.Key.Key_Right, Qt.Key.Key_PageDown, Qt.Key.Key_Space, Qt.Key.Key_Down, Qt.Key.Key_N}


PREVIOUS_KEYS = {Qt.Key.Key_Left, Qt.Key.Key_PageUp, Qt.Key.Key_Backspace, Qt.Key.Key_Up, Qt.Key.Key_P}


#: Type in presentation mode is sized for a 1080-pixel-high screen and scales with the screen:
#: 1.5 px per point there (20 pt labels are 30 px, 2.8% of the height). Larger type leaves too
#: few lanes on screen once the legend and the caption bar have their room.
DESIGN_HEIGHT_PX = 1080.0


PX_PER_PT_AT_DESIGN = 1.5


MIN_PX_PER_PT = 96.0 / 72.0


#: To fit every lane of the presented case (as the exported slides do), type may shrink down to this:
#: 20 pt labels at 0.7 px per point are 14 px, which still reads on a projected 1024x768 screen.
FIT_MIN_PX_PER_PT = 0.7


CAPTION_STYLE = ("QLabel {{ background: #1F1F1F; color: #FFFFFF; padding: {pad}px {pad2}px;"
                 " font-family: '{family}'; font-size: {size}px; }}")


class CaptionBar(QLabel):
    """The band under the plot: the step's time in bold, then what is new, in large type."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setObjectName("presentationCaption")
        self.plain = ""
        self.body_font = QFont(PROJECTOR.font_family)

    def set_scale(self, px_per_pt: float) -> None:
        size = round(PROJECTOR.font_pt * px_per_pt * 0.95)
        self.body_font = QFont(PROJECTOR.font_family)
        self.body_font.setPixelSize(max(1, size))
        self.setStyleSheet(CAPTION_STYLE.format(pad=round(size * 0.35), pad2=round(size * 0.6),
                                                family=PROJECTOR.font_family, size=size))

    def show_step(self, step: Step, number: int, total: int) -> None:
        """Heading line (time, step count, what is held back), then the new events in one paragraph."""
        import html

        lines = step.caption.split("\n")
        body = lines[1:]
        if step.neutral:
            body.append(HOLD_BACK_NOTICE)
        self.plain = "\n".join([f"{lines[0]} ({number}/{total})", *body])
        # Qt's rich text takes font sizes in px or pt, not percent
        px = self.body_font.pixelSize()
        muted = f"<span style='color:#BBBBBB; font-size:{round(px * 0.8)}px'>"
        head = (f"<b style='font-size:{round(px * 1.2)}px'>{html.escape(lines[0])}</b>&nbsp;&nbsp;"
                f"{muted}{number}/{total}")
        if step.neutral:
            head += f" &nbsp;·&nbsp; {html.escape(HOLD_BACK_NOTICE)}"
        head += "</span>"
        rest = "&nbsp;&nbsp;·&nbsp;&nbsp; ".join(html.escape(line) for line in lines[1:])
        # a step with many events: smaller type rather than a caption that eats the screen
        needed = QFontMetricsF(self.body_font).horizontalAdvance("   ·   ".join(lines[1:]))
        width = self.width() if self.isVisible() else self.window().width()
        lines_needed = 1.25 * needed / max(1.0, width - self.body_font.pixelSize() * 1.4)  # words wrap early
        size = px if lines_needed <= 3 else max(round(px * 0.6), round(px * 3 / lines_needed))
        self.setText(head + (f"<br><span style='font-size:{size}px'>{rest}</span>" if rest else ""))


class Presentation(QObject):
    """Presentation mode and reveal for one MainWindow (see the module docstring)."""

    stepChanged = Signal(int)  # 0-based step index
    activeChanged = Signal(bool)

    def __init__(self, window: TeachingWindow, settings: QSettings | None = None) -> None:
        super().__init__(window.qt_window())
        self.window = window
        self.settings = settings
        self.active = False
        self.reveal_mode = _setting(settings, "teaching/reveal_mode", "ghost", str)
        if self.reveal_mode not in REVEAL_MODES:
            self.reveal_mode = "ghost"
        self.hold_back = _setting(settings, "teaching/hold_back", False, bool)
        self.plan: RevealPlan | None = None
        self.px_per_pt = MIN_PX_PER_PT
        self._rows_visible = 0.0  # rows on screen once fitted (each step scrolls, keeping it)
        self._hidden_panels: list[QWidget] = []
        self._resize_pending = False
        self.index = 0
        self.tab: TimelineHost | None = None
        self.plot: TimelinePlot | None = None
        self.view = ViewState()  # the view pushed while presenting
        self.caption = CaptionBar()
        self.caption.hide()
        self._saved: dict[str, Any] = {}

    # ------------------------------------------------------------------ enter / leave
    def toggle(self) -> None:
        if self.active:
            self.leave()
        else:
            self.enter()

    def enter(self) -> bool:
        """Enter presentation mode on the current tab; False when there is nothing to present."""
        if self.active:
            return True
        tab = self.window.current_tab()
        plot = tab.plot if tab is not None else None
        if tab is None or plot is None or plot.layout_ is None:
            self.window.qt_window().statusBar().showMessage("Open a case to present it")
            return False
        self.tab, self.plot = tab, plot
        w = self.window.qt_window()
        saved: dict[str, Any] = {
            "state": w.windowState(),
            "menu": w.menuBar().isVisibleTo(w),
            "status": w.statusBar().isVisibleTo(w),
            "tabbar": self.window.tabs.tabBar().isVisibleTo(w),
            "widgets": [(d, d.isVisibleTo(w)) for d in w.findChildren(QDockWidget) + w.findChildren(QToolBar)],
            "tab_widgets": [(x, x.isVisibleTo(w)) for x in tab.chrome()],
            "theme": plot.theme,
            "px_per_pt": plot.px_per_pt,
            "range": plot.viewbox.viewRange(),
            "legend_full_width": plot.legend_full_width,
            "view": plot.view,
        }
        # push a copy of the view: the steps change the copy; leaving pops the original back
        self.view = plot.view.copy(selected=None)
        self._saved = saved
        for widget, _visible in saved["widgets"] + saved["tab_widgets"]:
            widget.hide()
        w.menuBar().hide()
        w.statusBar().hide()
        self.window.tabs.tabBar().hide()
        w.showFullScreen()
        tab.caption_area().addWidget(self.caption)
        self.caption.show()
        self.active = True
        plot.set_legend_full_width(True)  # fewer legend lines: more room for lanes
        plot.cursor_enabled = False  # a line under a resting pointer would read as a mark to the room
        plot.cursor.setVisible(False)
        self._apply_theme()
        plot.set_view(self.view)
        self._build_plan(keep_step=False)
        QTimer.singleShot(0, self._refit)  # once the full-screen layout has settled
        plot.viewbox.sigResized.connect(self._on_plot_resized)
        QApplication.instance().installEventFilter(self)  # type: ignore[union-attr]
        tab.casesChanged.connect(self._on_cases_changed)
        self.activeChanged.emit(True)
        return True

    def leave(self) -> None:
        if not self.active:
            return
        QApplication.instance().removeEventFilter(self)  # type: ignore[union-attr]
        if self.plot is not None:
            with contextlib.suppress(RuntimeError, TypeError):
                self.plot.viewbox.sigResized.disconnect(self._on_plot_resized)
        if self.tab is not None:
            with contextlib.suppress(RuntimeError, TypeError):
                self.tab.casesChanged.disconnect(self._on_cases_changed)
        self.active = False
        saved = self._saved
        plot, tab = self.plot, self.tab
        assert plot is not None and tab is not None
        w = self.window.qt_window()
        self.caption.hide()
        tab.caption_area().removeWidget(self.caption)
        self.caption.setParent(None)
        plot.set_view(saved["view"])
        plot.cursor_enabled = True
        plot.apply_theme(saved["theme"], saved["px_per_pt"])
        plot.set_legend_full_width(saved["legend_full_width"])
        w.setWindowState(saved["state"])
        if not saved["state"] & Qt.WindowState.WindowFullScreen:
            w.showNormal() if not saved["state"] & Qt.WindowState.WindowMaximized else w.showMaximized()
        w.menuBar().setVisible(saved["menu"])
        w.statusBar().setVisible(saved["status"])
        self.window.tabs.tabBar().setVisible(saved["tabbar"])
        for widget, visible in saved["widgets"] + saved["tab_widgets"]:
            widget.setVisible(visible)
        if self._hidden_panels:
            tab.suppress_optional_panels(False)
        self._hidden_panels = []
        x_range, y_range = saved["range"]
        plot.viewbox.setRange(xRange=x_range, yRange=y_range, padding=0)
        self.plan = None
        self.tab = self.plot = None
        self.activeChanged.emit(False)

    def _apply_theme(self) -> None:
        assert self.plot is not None
        # type is sized in device pixels (what the projector shows), then given to Qt in logical pixels:
        # with 2x scaling a 1080-pixel screen is 540 logical pixels high and gets the same type as at 1x
        screen = self.window.qt_window().screen()
        ratio = self._ratio()
        height = max(1, screen.geometry().height() if screen is not None else self.window.qt_window().height())
        device_px_per_pt = max(MIN_PX_PER_PT, PX_PER_PT_AT_DESIGN * height * ratio / DESIGN_HEIGHT_PX)
        self._set_scale(device_px_per_pt / ratio)
        self.caption.set_scale(self.px_per_pt)  # the caption keeps this size when the lanes' type shrinks

    def _ratio(self) -> float:
        return max(1.0, float(self.window.qt_window().devicePixelRatioF()))

    def _set_scale(self, px_per_pt: float) -> None:
        assert self.plot is not None
        self.px_per_pt = px_per_pt
        self.plot.apply_theme(PROJECTOR, px_per_pt)

    # ------------------------------------------------------------------ steps
    def _build_plan(self, keep_step: bool) -> None:
        plot = self.plot
        assert plot is not None
        # plan from the cases as they are shown outside teaching (de-identified or not)
        self.view.update(hold_back=False, revealed=None, ghosted=frozenset(), highlighted=frozenset())
        self.full_range = plot.layout_.x_range if plot.layout_ is not None else (0.0, 1.0)
        self.plan = RevealPlan.build(plot.cases, plot.options.shifts, hold_back=self.hold_back)
        if not keep_step:
            plot.fit()
            self.index = 0
        self.index = min(self.index, max(0, len(self.plan.steps) - 1))
        self._show_step()

    def step(self) -> Step | None:
        if self.plan is None or not self.plan.steps:
            return None
        return self.plan.steps[self.index]

    def go_to(self, index: int) -> None:
        if self.plan is None or not self.plan.steps:
            return
        index = max(0, min(len(self.plan.steps) - 1, index))
        if index != self.index:
            self.index = index
            self._show_step()

    def next_step(self) -> None:
        self.go_to(self.index + 1)

    def previous_step(self) -> None:
        self.go_to(self.index - 1)

    def _show_step(self) -> None:
        step = self.step()
        plot = self.plot
        if step is None or plot is None:
            return
        ghost = self.reveal_mode == "ghost"
        n_items = len(plot.layout_.items) if plot.layout_ is not None else 0
        every = frozenset(plot.key_of(i) for i in range(n_items))
        self.view.update(**reveal_changes(step, every, ghost))
        assert self.plan is not None
        self.caption.show_step(step, self.index + 1, len(self.plan.steps))
        self.bring_into_view()
        self.stepChanged.emit(self.index)

    def set_hold_back(self, on: bool) -> None:
        self.hold_back = bool(on)
        _store(self.settings, "teaching/hold_back", self.hold_back)
        if self.active:
            self._build_plan(keep_step=True)

    def set_reveal_mode(self, mode: str) -> None:
        if mode not in REVEAL_MODES:
            raise ValueError(f"unknown reveal mode {mode!r}: use one of {', '.join(REVEAL_MODES)}")
        self.reveal_mode = mode
        _store(self.settings, "teaching/reveal_mode", mode)
        if self.active:
            self._show_step()

    def fit(self) -> None:
        if self.plot is not None:
            lo, hi = self.full_range
            pad = 0.03 * (hi - lo)
            self.plot.set_time_range(lo - pad, hi + pad)

    def _refit(self) -> None:
        if self.active and self.plot is not None:
            self._fit_type_to_lanes()
            if not self._largest_case_fits() and self._hide_optional_panels():
                QApplication.processEvents()
                self._fit_type_to_lanes()
            self.plot.fit()  # readable row heights for the new size and type
            self._fit_rows()
            self.fit()  # the whole time range of the case, not only what is revealed
            self.bring_into_view()

    def case_rows(self) -> list[tuple[int, int]]:
        """(first row, last row + 1) of each presented case, in layout order."""
        plot = self.plot
        if plot is None or plot.layout_ is None:
            return []
        spans: dict[int, list[int]] = {}
        for r, row in enumerate(plot.layout_.rows):
            spans.setdefault(row.case_index, []).append(r)
        return [(min(rows), max(rows) + 1) for _case, rows in sorted(spans.items())]

    def _min_row_px(self) -> float:
        """Rows shorter than this hide their labels (the exported figures' floor, render.figure)."""
        state = self.plot.paint_state if self.plot is not None else None
        return QFontMetricsF(state.label_font).height() * 1.6 if state is not None else 8.0

    def _fit_type_to_lanes(self) -> None:
        """Shrink the type until every lane of the presented case fits the screen, as the slides do (in a
        case set: the lanes of its largest case, and each step scrolls to the case it is about)."""
        plot = self.plot
        if plot is None or plot.layout_ is None:
            return
        spans = self.case_rows()
        rows = max((last - first for first, last in spans), default=1)
        floor = FIT_MIN_PX_PER_PT / self._ratio()  # in device pixels: 14 px type on the screen itself
        for _attempt in range(12):
            QApplication.processEvents()  # the legend and axes take their room at this size
            have, need = plot.viewbox.height(), rows * self._min_row_px()
            if need <= have or self.px_per_pt <= floor:
                break
            self._set_scale(max(floor, self.px_per_pt * max(0.5, min(0.95, have / need))))

    def _on_plot_resized(self, *_args: object) -> None:
        # a caption of another length, or the screen's own resize: fit the rows again once it settles
        if self.active and not self._resize_pending:
            self._resize_pending = True
            QTimer.singleShot(0, self._after_resize)

    def _after_resize(self) -> None:
        self._resize_pending = False
        if self.active and self.plot is not None and self.plot.layout_ is not None:
            self._fit_rows()
            self.bring_into_view()

    def _largest_case_fits(self) -> bool:
        plot = self.plot
        assert plot is not None
        largest = max((last - first for first, last in self.case_rows()), default=plot.content_rows())
        return largest * self._min_row_px() <= plot.viewbox.height()

    def _hide_optional_panels(self) -> bool:
        """Hide the tab's optional panels (a comparison's latency strip) for the lanes' sake; True if any."""
        if self.tab is None:
            return False
        panels = [p for p in self.tab.optional_panels() if p.isVisible()]
        if panels:
            self.tab.suppress_optional_panels(True)
        self._hidden_panels = panels
        return bool(panels)

    def _fit_rows(self) -> None:
        """As many rows as fit at a height their labels need: every row of a single case, and at least the
        rows of the largest case of a case set (each step then scrolls to its case)."""
        plot = self.plot
        assert plot is not None
        total = plot.content_rows()
        fitting = plot.viewbox.height() / max(1.0, self._min_row_px())
        largest = max((last - first for first, last in self.case_rows()), default=total)
        if total <= fitting:
            plot.fit_rows()
        elif largest <= fitting:
            plot.fit_rows(0.0, float(max(largest, min(plot.rows_visible(), fitting))))
        self._rows_visible = plot.rows_visible()

    def bring_into_view(self) -> None:
        """Show what the current step reveals: the lanes of the case it is about when they fit the
        screen, else its new marks; and the time of its marks when the view was zoomed or panned away."""
        plot, step = self.plot, self.step()
        if plot is None or plot.layout_ is None or step is None:
            return
        layout = plot.layout_
        new = [i for i in range(len(layout.items)) if plot.key_of(i) in step.new_item_ids]
        rows = [int(layout.item_row[i]) for i in new if int(layout.item_row[i]) >= 0]
        spans = self.case_rows()
        if rows and spans:
            case = int(layout.rows[rows[0]].case_index)
            first, last = spans[case] if case < len(spans) else (min(rows), max(rows) + 1)
            visible = self._rows_visible or plot.rows_visible()
            if last - first <= visible + 0.01:
                plot.viewbox.setYRange(*plot._clamp_y((first, first + visible)), padding=0)
            elif max(rows) + 1 - min(rows) <= visible + 0.01:
                top = max(first, min(min(rows), max(rows) + 1 - visible))
                plot.viewbox.setYRange(*plot._clamp_y((top, top + visible)), padding=0)
            else:  # what this step reveals spans more rows than fit: squeeze them, all must be seen
                plot.fit_rows(float(min(rows)), float(max(rows) + 1))
        days = [p[0] for i in new if (p := layout.item_position(i)) is not None]
        if days:
            lo, hi = plot.time_range()
            if min(days) < lo or max(days) > hi:
                span = hi - lo
                left = min(days) - 0.05 * span if min(days) < lo else max(days) + 0.05 * span - span
                plot.set_time_range(left, left + span)

    def _on_cases_changed(self) -> None:
        if self.active and self.tab is not None:
            self.view.cases = self.tab.view.cases  # a reload while presenting
            self._build_plan(keep_step=True)

    # ------------------------------------------------------------------ keys
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if not self.active or event.type() != QEvent.Type.KeyPress or not isinstance(obj, QWidget):
            return False
        if obj.window() is not self.window.qt_window():
            return False
        return self.handle_key(event)  # type: ignore[arg-type]

    def handle_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key in NEXT_KEYS:
            self.next_step()
        elif key in PREVIOUS_KEYS:
            self.previous_step()
        elif key == Qt.Key.Key_Home:
            self.go_to(0)
        elif key == Qt.Key.Key_End and self.plan is not None:
            self.go_to(len(self.plan.steps) - 1)
        elif key in (Qt.Key.Key_Escape, Qt.Key.Key_F5):
            self.leave()
        elif key in (Qt.Key.Key_F, Qt.Key.Key_0):
            self.fit()
        else:
            return False
        return True


def _setting(settings: QSettings | None, key: str, default: Any, kind: type) -> Any:
    if settings is None:
        return default
    value = settings.value(key, default)
    if kind is bool:
        return value if isinstance(value, bool) else str(value).lower() in ("true", "1", "yes")
    return kind(value)


def _store(settings: QSettings | None, key: str, value: Any) -> None:
    if settings is not None:
        settings.setValue(key, value)
