"""Presentation mode: full screen without menus, docks, toolbars, status bar or tab bar; the projector
theme; a caption bar under the plot. Right / PageDown / Space (a clicker) reveal the next step, Left /
PageUp / Backspace go back, Home / End jump, F fits, Esc or F5 leaves. The plot stays zoomable and
pannable with the mouse."""

from __future__ import annotations

import contextlib
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
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

    def set_scale(self, px_per_pt: float) -> None:
        size = round(PROJECTOR.font_pt * px_per_pt * 0.95)
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
        muted = "<span style='color:#BBBBBB; font-size:80%'>"
        head = f"<b style='font-size:120%'>{html.escape(lines[0])}</b>&nbsp;&nbsp;{muted}{number}/{total}"
        if step.neutral:
            head += f" &nbsp;·&nbsp; {html.escape(HOLD_BACK_NOTICE)}"
        head += "</span>"
        rest = "&nbsp;&nbsp;·&nbsp;&nbsp; ".join(html.escape(line) for line in lines[1:])
        self.setText(head + (f"<br>{rest}" if rest else ""))


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
        self._apply_theme()
        plot.set_view(self.view)
        self._build_plan(keep_step=False)
        QTimer.singleShot(0, self._refit)  # once the full-screen layout has settled
        QApplication.instance().installEventFilter(self)  # type: ignore[union-attr]
        tab.casesChanged.connect(self._on_cases_changed)
        self.activeChanged.emit(True)
        return True

    def leave(self) -> None:
        if not self.active:
            return
        QApplication.instance().removeEventFilter(self)  # type: ignore[union-attr]
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
        x_range, y_range = saved["range"]
        plot.viewbox.setRange(xRange=x_range, yRange=y_range, padding=0)
        self.plan = None
        self.tab = self.plot = None
        self.activeChanged.emit(False)

    def _apply_theme(self) -> None:
        assert self.plot is not None
        height = max(1, self.window.qt_window().height())
        px_per_pt = max(MIN_PX_PER_PT, PX_PER_PT_AT_DESIGN * height / DESIGN_HEIGHT_PX)
        self.plot.apply_theme(PROJECTOR, px_per_pt)
        self.caption.set_scale(px_per_pt)

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
            self.plot.fit()  # readable row heights for the new size and type
            self.fit()  # the whole time range of the case, not only what is revealed

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
