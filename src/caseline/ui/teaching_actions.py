"""The Teaching menu and toolbar of a window: presentation mode (F5), the reveal steps, hold-back and the
de-identified view (View > De-identified)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QToolBar, QWidget

from caseline.ui.host import TeachingWindow, TimelineHost, hosts
from caseline.ui.presentation import Presentation
from caseline.ui.window_settings import set_private


class Teaching(QObject):
    """The teaching actions of a window: presentation mode and the de-identified view."""

    def __init__(self, window: TeachingWindow) -> None:
        super().__init__(window.qt_window())
        self.window = window
        self.deidentified = False
        self.presentation = Presentation(window, window.settings)
        self._build_actions()
        self._connect_callbacks()

    def _build_actions(self) -> None:
        w = self.window.qt_window()
        p = self.presentation
        self.present_action = _action(w, "&Presentation mode", "F5", self.toggle_presentation, checkable=True)
        self.present_action.setToolTip("Full screen, projector type, reveal events step by step (F5; Esc leaves)")
        self.deidentify_action = _action(w, "&De-identified", "Ctrl+Shift+D", self.set_deidentified,
                                         checkable=True)
        self.deidentify_action.setToolTip("Hide calendar dates and identifiers in every view and export")
        self.hold_back_action = _action(w, "&Hold back outcome and suspect role", None, p.set_hold_back,
                                        checkable=True)
        self.hold_back_action.setChecked(p.hold_back)
        self.next_action = _action(w, "&Next step", None, p.next_step)
        self.previous_action = _action(w, "P&revious step", None, p.previous_step)
        self.mode_group = QActionGroup(w)
        self.mode_actions: dict[str, QAction] = {}
        for mode, text in (("ghost", "Events to come &ghosted"), ("hide", "Events to come &hidden")):
            action = _action(w, text, None, lambda _=False, m=mode: p.set_reveal_mode(m), checkable=True)
            action.setChecked(mode == p.reveal_mode)
            self.mode_group.addAction(action)
            self.mode_actions[mode] = action
        view_menu = self.window.view_menu
        view_menu.addSeparator()
        view_menu.addAction(self.deidentify_action)
        view_menu.addAction(self.present_action)
        menu = w.menuBar().addMenu("&Teaching")
        for action in (self.present_action, self.next_action, self.previous_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.hold_back_action)
        for action in self.mode_actions.values():
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.deidentify_action)
        self.menu = menu
        toolbar = QToolBar("Teaching", w)
        toolbar.setObjectName("Teaching toolbar")
        toolbar.addAction(self.present_action)
        toolbar.addAction(self.deidentify_action)
        w.addToolBar(toolbar)
        self.toolbar = toolbar

    def _connect_callbacks(self) -> None:
        self.presentation.activeChanged.connect(self.present_action.setChecked)
        self.window.tabOpened.connect(self._on_tab_opened)

    def toggle_presentation(self) -> None:
        """Enter or leave presentation mode; the action stays checked only while presenting (F5 with no
        case open is refused and leaves it unchecked)."""
        self.presentation.toggle()
        self.present_action.setChecked(self.presentation.active)

    def reset(self) -> None:
        """Back to the first-start teaching options (Help > Reset settings)."""
        p = self.presentation
        if p.active:
            p.leave()
        p.hold_back = False
        p.reveal_mode = "ghost"
        self.hold_back_action.setChecked(False)
        self.mode_actions["ghost"].setChecked(True)

    def set_deidentified(self, on: bool) -> None:
        """Re-render every tab with de-identified cases; the details panel follows."""
        self.deidentified = bool(on)
        self.deidentify_action.setChecked(self.deidentified)
        set_private(self.window.settings, self.deidentified)  # no recent file or folder is remembered
        for tab in self.tabs():
            self._apply(tab)
        self.window.deidentified_changed()
        self.window.show_current_case()  # the details panel follows the view
        # the last status message may hold the calendar date under the cursor
        self.window.qt_window().statusBar().showMessage("De-identified view: no calendar dates or identifiers"
                                            if self.deidentified else "Identified view")

    def tabs(self) -> list[TimelineHost]:
        return hosts(self.window.tabs)

    def _apply(self, tab: TimelineHost) -> None:
        if tab.view.deidentified != self.deidentified:
            tab.view.deidentified = self.deidentified
            tab.refresh()  # the comparison's latency strip draws from the plot's cases

    def _on_tab_opened(self, tab: TimelineHost) -> None:
        if self.deidentified:
            self._apply(tab)


def install_teaching(window: TeachingWindow) -> Teaching:
    """Add presentation mode, the reveal and the de-identified view to ``window``."""
    return Teaching(window)


def _action(window: QWidget, text: str, shortcut: str | None, slot: Callable[..., Any],
            checkable: bool = False) -> QAction:
    action = QAction(text, window)
    action.setCheckable(checkable)
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(slot)
    window.addAction(action)  # shortcuts keep working with the menu bar hidden
    return action
