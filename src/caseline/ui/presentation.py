"""Presentation mode: full screen without menus, docks, toolbars, status bar or tab bar; the projector
theme; a caption bar under the plot. Right / PageDown / Space (a clicker) reveal the next step, Left /
PageUp / Backspace go back, Home / End jump, F fits, Esc or F5 leaves. The plot stays zoomable and
pannable with the mouse."""

from __future__ import annotations

import contextlib
import dataclasses
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QBoxLayout, QDockWidget, QLabel, QToolBar, QWidget

from caseline.analysis.reveal import (
    HELD_BACK_AXIS_SUBJECT,
    HELD_BACK_CATEGORY_TITLES,
    HOLD_BACK_NOTICE,
    RevealPlan,
    Step,
    gives_away,
    held_back_labels,
    held_back_view,
    reveal_key,
)
from caseline.theme import PROJECTOR

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

    def __init__(self, window: Any, settings: Any = None) -> None:
        super().__init__(window)
        self.window = window
        self.settings = settings
        self.active = False
        self.reveal_mode = _setting(settings, "teaching/reveal_mode", "ghost", str)
        if self.reveal_mode not in REVEAL_MODES:
            self.reveal_mode = "ghost"
        self.hold_back = _setting(settings, "teaching/hold_back", False, bool)
        self.plan: RevealPlan | None = None
        self.index = 0
        self.tab: Any = None
        self.plot: Any = None
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
        tab = self.window.tabs.currentWidget()
        plot = getattr(tab, "plot", None)
        if plot is None or plot.layout_ is None:
            self.window.statusBar().showMessage("Open a case to present it")
            return False
        self.tab, self.plot = tab, plot
        w = self.window
        saved: dict[str, Any] = {
            "state": w.windowState(),
            "menu": w.menuBar().isVisibleTo(w),
            "status": w.statusBar().isVisibleTo(w),
            "tabbar": w.tabs.tabBar().isVisibleTo(w),
            "widgets": [(d, d.isVisibleTo(w)) for d in w.findChildren(QDockWidget) + w.findChildren(QToolBar)],
            "tab_widgets": [(x, x.isVisibleTo(tab)) for x in (getattr(tab, "banner", None),
                                                              getattr(tab, "controls", None)) if x is not None],
            "theme": plot.theme,
            "px_per_pt": plot.px_per_pt,
            "options": plot.options,
            "range": plot.viewbox.viewRange(),
            "axis_title": plot.axis_title,
            "header_notes": dict(getattr(plot, "header_notes", {})),
            "legend_full_width": bool(getattr(plot, "legend_full_width", False)),
        }
        self._saved = saved
        for widget, _visible in saved["widgets"] + saved["tab_widgets"]:
            widget.hide()
        w.menuBar().hide()
        w.statusBar().hide()
        w.tabs.tabBar().hide()
        w.showFullScreen()
        box = tab.layout()
        if isinstance(box, QBoxLayout):
            box.addWidget(self.caption)
        else:
            self.caption.setParent(tab)
        self.caption.show()
        self.active = True
        if hasattr(plot, "set_legend_full_width"):
            plot.set_legend_full_width(True)  # fewer legend lines: more room for lanes
        self._apply_theme()
        self._build_plan(keep_step=False)
        QTimer.singleShot(0, self._refit)  # once the full-screen layout has settled
        QApplication.instance().installEventFilter(self)
        tab_changed = getattr(tab, "casesChanged", None)
        if tab_changed is not None:
            tab_changed.connect(self._on_cases_changed)
        self.activeChanged.emit(True)
        return True

    def leave(self) -> None:
        if not self.active:
            return
        QApplication.instance().removeEventFilter(self)
        tab_changed = getattr(self.tab, "casesChanged", None)
        if tab_changed is not None:
            with contextlib.suppress(RuntimeError, TypeError):
                tab_changed.disconnect(self._on_cases_changed)
        self.active = False
        saved = self._saved
        plot = self.plot
        w = self.window
        self.caption.hide()
        box = self.tab.layout() if self.tab is not None else None
        if isinstance(box, QBoxLayout):
            box.removeWidget(self.caption)
        self.caption.setParent(None)
        plot.set_reveal(set(), set())
        plot.category_titles = {}
        plot.axis_title = saved["axis_title"]
        if hasattr(plot, "header_notes"):
            plot.header_notes = saved["header_notes"]
        plot.options = dataclasses.replace(plot.options, revealed=None)
        plot.set_case_transform("hold_back", None)
        plot.apply_theme(saved["theme"], saved["px_per_pt"])
        if hasattr(plot, "set_legend_full_width"):
            plot.set_legend_full_width(saved["legend_full_width"])
        w.setWindowState(saved["state"])
        if not saved["state"] & Qt.WindowState.WindowFullScreen:
            w.showNormal() if not saved["state"] & Qt.WindowState.WindowMaximized else w.showMaximized()
        w.menuBar().setVisible(saved["menu"])
        w.statusBar().setVisible(saved["status"])
        w.tabs.tabBar().setVisible(saved["tabbar"])
        for widget, visible in saved["widgets"] + saved["tab_widgets"]:
            widget.setVisible(visible)
        x_range, y_range = saved["range"]
        plot.viewbox.setRange(xRange=x_range, yRange=y_range, padding=0)
        self.plan = None
        self.tab = self.plot = None
        self.activeChanged.emit(False)

    def _apply_theme(self) -> None:
        height = max(1, self.window.height())
        px_per_pt = max(MIN_PX_PER_PT, PX_PER_PT_AT_DESIGN * height / DESIGN_HEIGHT_PX)
        self.plot.apply_theme(PROJECTOR, px_per_pt)
        self.caption.set_scale(px_per_pt)

    # ------------------------------------------------------------------ steps
    def _build_plan(self, keep_step: bool) -> None:
        plot = self.plot
        plot.set_case_transform("hold_back", None)  # plan from the cases as they are
        plot.set_options(dataclasses.replace(plot.options, revealed=None), keep_range=keep_step)
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
        neutral = step.neutral
        plot.category_titles = dict(HELD_BACK_CATEGORY_TITLES) if neutral else {}
        notes = self._saved.get("header_notes", {})
        if hasattr(plot, "header_notes"):
            plot.header_notes = held_back_labels(notes, "")[0] if neutral else dict(notes)
        plot.axis_title = self._saved.get("axis_title", "")
        was_neutral = "hold_back" in plot.case_transforms
        if neutral != was_neutral:
            plot.set_case_transform("hold_back", held_back_view if neutral else None)
        if neutral and gives_away(plot.axis_title or plot.default_axis_title()):
            unit = plot.default_axis_title().split(" ")[0]
            plot.axis_title = f"{unit} since {HELD_BACK_AXIS_SUBJECT}"
        revealed = None if self.reveal_mode == "ghost" else step.revealed_item_ids
        plot.set_options(dataclasses.replace(plot.options, revealed=revealed), keep_range=True)
        keys = [reveal_key(item) for item in plot.layout_.items]
        ghosted = ({i for i, k in enumerate(keys) if k not in step.revealed_item_ids}
                   if self.reveal_mode == "ghost" else set())
        plot.set_reveal(ghosted, {i for i, k in enumerate(keys) if k in step.new_item_ids})
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
        if self.active:
            self._build_plan(keep_step=True)

    # ------------------------------------------------------------------ keys
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if not self.active or event.type() != QEvent.Type.KeyPress or not isinstance(obj, QWidget):
            return False
        if obj.window() is not self.window:
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


def _setting(settings: Any, key: str, default: Any, kind: type) -> Any:
    if settings is None:
        return default
    value = settings.value(key, default)
    if kind is bool:
        return value if isinstance(value, bool) else str(value).lower() in ("true", "1", "yes")
    return kind(value)


def _store(settings: Any, key: str, value: Any) -> None:
    if settings is not None:
        settings.setValue(key, value)
