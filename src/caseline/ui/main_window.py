"""The main window: tabs of timelines, lane list, details panel, menus, recent files, settings."""

from __future__ import annotations

import os

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QTabWidget,
    QWidget,
)

from caseline.ui import window_settings as ws
from caseline.ui.deidentified_tab import keep_deidentified as _keep_deidentified
from caseline.ui.documents import Document
from caseline.ui.help import EmptyPage, TextDialog, about_html, keys_html
from caseline.ui.panels import DetailsPanel, LanePanel
from caseline.ui.timeline_tab import TimelineTab
from caseline.view_state import AXIS_MODES

FILE_FILTER = "Case files (*.yaml *.yml *.json *.csv *.tsv);;All files (*)"
MAX_RECENT = 10
CALENDAR_TEXT = "Calendar dates"
#: Below this width (logical pixels) the Lanes and Details panels start as tabs of one column.
NARROW_SCREEN = 1100


REGIMENS_TIP = "Draw each drug of a regimen on a lane of its own under the regimen's lane, with its own dose"

class MainWindow(QMainWindow):
    tabOpened = Signal(object)  # TimelineTab

    def __init__(self, settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("caseline")
        self.resize(1500, 900)
        self.setAcceptDrops(True)
        self.settings = settings or QSettings("caseline", "caseline")
        self.documents: dict[str, Document] = {}
        self.tabs = QTabWidget()
        self.tabs.setTabsClosable(True)
        self.tabs.setDocumentMode(True)
        self.empty_page = EmptyPage()
        self.center = QStackedWidget()
        self.center.addWidget(self.empty_page)
        self.center.addWidget(self.tabs)
        self.setCentralWidget(self.center)
        self.details = DetailsPanel()
        self.lanes = LanePanel()
        self.details_dock = self._dock("Details", self.details, Qt.DockWidgetArea.RightDockWidgetArea)
        self.lanes_dock = self._dock("Lanes", self.lanes, Qt.DockWidgetArea.LeftDockWidgetArea)
        self._default_state = self.saveState()
        self._build_menus()
        self._connect_callbacks()
        from caseline.ui.teaching_actions import install_teaching

        self.teaching = install_teaching(self)  # presentation mode (F5), reveal, View > De-identified
        from caseline.ui.causality_panel import install_causality

        self.causality = install_causality(self)  # the Causality dock beside Details (issue 16)
        self._build_help_menu()
        self._default_state = self.saveState()  # docks and toolbars as built: "Reset settings" goes back here
        self._restore_state()
        self._show_center()

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _action(self, text: str, slot: object, *shortcuts: str, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcuts:
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(slot)  # type: ignore[arg-type]
        self.addAction(action)  # shortcuts keep working with the menu bar hidden
        return action

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.open_action = self._action("&Open…", self.open_dialog, QKeySequence(QKeySequence.StandardKey.Open)
                                        .toString())
        file_menu.addAction(self.open_action)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.setToolTipsVisible(True)
        self.import_action = self._action("&Import…", self.import_dialog, "Ctrl+I",
                                          tip="Convert SDTM, E2B(R3), openFDA, FHIR R4, Phenopacket or cBioPortal "
                                              "files into a case file, and open it")
        file_menu.addAction(self.import_action)
        self.export_action = self._action("&Export figure…", self.export_dialog, "Ctrl+E",
                                          tip="A PNG, SVG or PDF figure of the current view")
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        close_action = self._action("&Close tab", lambda: self.close_tab(self.tabs.currentIndex()),
                                    QKeySequence(QKeySequence.StandardKey.Close).toString())
        file_menu.addAction(close_action)
        quit_action = self._action("&Quit", self.close, "Ctrl+Q")
        file_menu.addAction(quit_action)

        view_menu = self.menuBar().addMenu("&View")
        self.fit_action = self._action("&Fit whole case", self.fit, "F")
        view_menu.addAction(self.fit_action)
        self.zoom_in_action = self._action("Zoom &in", lambda: self._on_plot("zoom_time", 0.8), "+", "Ctrl++",
                                           "=", "Ctrl+=")
        self.zoom_out_action = self._action("Zoom &out", lambda: self._on_plot("zoom_time", 1.25), "-", "Ctrl+-")
        self.pan_left_action = self._action("&Earlier", lambda: self._on_plot("pan_time", -0.1), "Ctrl+Left")
        self.pan_right_action = self._action("&Later", lambda: self._on_plot("pan_time", 0.1), "Ctrl+Right")
        self.scroll_up_action = self._action("Scroll lanes &up", lambda: self._on_plot("scroll_rows", -1.0),
                                             "Ctrl+Up")
        self.scroll_down_action = self._action("Scroll lanes &down", lambda: self._on_plot("scroll_rows", 1.0),
                                               "Ctrl+Down")
        for action in (self.zoom_in_action, self.zoom_out_action, self.pan_left_action, self.pan_right_action,
                       self.scroll_up_action, self.scroll_down_action):
            view_menu.addAction(action)
        axis_menu = view_menu.addMenu("Time &axis")
        axis_menu.setToolTipsVisible(True)
        self.axis_group = QActionGroup(self)
        self.axis_actions: dict[str, QAction] = {}
        for mode, text, key in (("days", "Days", "Ctrl+1"), ("weeks", "Weeks", "Ctrl+2"),
                                ("months", "Months", "Ctrl+3"), ("dates", CALENDAR_TEXT, "Ctrl+4")):
            action = self._action(text, lambda _=False, m=mode: self.set_axis_mode(m), key)
            action.setCheckable(True)
            action.setChecked(mode == "days")
            self.axis_group.addAction(action)
            axis_menu.addAction(action)
            self.axis_actions[mode] = action
        view_menu.addSeparator()
        self.legend_action = self._action("Le&gend", self.set_legend_visible, "Ctrl+L",
                                          tip="Show the legend above the timeline (hide it for more lanes)")
        self.legend_below_action = self._action("Legend &below the timeline", self.set_legend_below,
                                                tip="Put the legend under the time axis instead of above the lanes")
        for action, key, default in ((self.legend_action, ws.LEGEND, True),
                                     (self.legend_below_action, ws.LEGEND_BELOW, False)):
            action.setCheckable(True)
            action.setChecked(bool(ws.setting(self.settings, key, default, bool)))
            view_menu.addAction(action)
        self.regimens_action = self._action("&Regimens' drugs", self.set_regimens_expanded, tip=REGIMENS_TIP)
        self.regimens_action.setCheckable(True)
        view_menu.addAction(self.regimens_action)
        view_menu.addAction(self.lanes_dock.toggleViewAction())
        view_menu.addAction(self.details_dock.toggleViewAction())
        self.view_menu = view_menu
        self._rebuild_recent_menu()

    def _build_help_menu(self) -> None:
        help_menu = self.menuBar().addMenu("&Help")
        self.keys_action = self._action("&Keyboard and mouse", self.show_keys, "F1")
        self.about_action = self._action("&About caseline", self.show_about)
        self.reset_action = self._action("&Reset settings…", self.ask_reset_settings,
                                         tip="Forget window size, panels, axis, export and teaching choices, "
                                             "recent files and folders")
        for action in (self.keys_action, self.about_action):
            help_menu.addAction(action)
        help_menu.addSeparator()
        help_menu.addAction(self.reset_action)
        self.help_menu = help_menu

    def _connect_callbacks(self) -> None:
        self.tabs.tabCloseRequested.connect(self.close_tab)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.lanes.visibilityChanged.connect(self._on_lanes_changed)
        self.empty_page.openRequested.connect(self.open_dialog)
        self.empty_page.recentRequested.connect(lambda p: self.open_files([p]))

    # ------------------------------------------------------------------ settings and placement
    def place_on_screen(self, size: tuple[int, int], restore: bool = True) -> None:
        """Size and place the window on its screen: the saved geometry (when ``restore``) or ``size``,
        clamped to the screen's available area."""
        ws.place_window(self, size, self.settings, restore)
        if self.settings.value(ws.STATE) is None and ws.screen_area(self).width() < NARROW_SCREEN:
            # a narrow screen (a projector, 2x scaling): the two panels share one column, as tabs
            self.tabifyDockWidget(self.lanes_dock, self.details_dock)
            self.lanes_dock.raise_()

    def _restore_state(self) -> None:
        state = self.settings.value(ws.STATE)
        if isinstance(state, QByteArray | bytes):
            self.restoreState(QByteArray(state))

    def saved_axis_mode(self) -> str:
        mode = str(ws.setting(self.settings, ws.AXIS_MODE, "days", str))
        return mode if mode in AXIS_MODES else "days"

    def save_settings(self) -> None:
        """Window geometry and docks (the rest is stored when it changes)."""
        if self.teaching.presentation.active:
            return  # full screen without docks is not the window to come back to
        self.settings.setValue(ws.GEOMETRY, self.saveGeometry())
        self.settings.setValue(ws.STATE, self.saveState())

    def ask_reset_settings(self) -> None:
        answer = QMessageBox.question(self, "Reset settings",
                                      "Forget the window size and panels, the time axis, the export and teaching "
                                      "choices, the recent files and the last folder?")
        if answer == QMessageBox.StandardButton.Yes:
            self.reset_settings()

    def reset_settings(self) -> None:
        """Forget every setting and show the window as on a first start."""
        self.settings.clear()
        self.settings.sync()
        self.restoreState(self._default_state)
        self.lanes_dock.show()
        self.details_dock.show()
        self.teaching.reset()
        self.set_axis_mode("days", every_tab=True)
        self.set_legend_visible(True)
        self.set_legend_below(False)
        for tab in self._timeline_tabs():
            tab.use_settings(self.settings)
        self._rebuild_recent_menu()
        from caseline.ui.app import DEFAULT_SIZE

        if not self.isFullScreen():
            self.showNormal()
            self.place_on_screen(DEFAULT_SIZE, restore=False)
        self.statusBar().showMessage("Settings reset", 5000)

    def start_folder(self) -> str:
        """Where every file dialog starts: the last folder used, else the current tab's, else home."""
        tab = self.current_tab()
        fallback = os.path.dirname(tab.documents[0].path) if tab is not None and tab.documents else ""
        return ws.start_folder(self.settings, fallback)

    # ------------------------------------------------------------------ documents and tabs
    def document(self, path: str) -> Document:
        key = os.path.abspath(path)
        document = self.documents.get(key)
        if document is None:
            document = Document(key, self)
            self.documents[key] = document
            document.reload()
        return document

    def find_tab(self, path: str) -> TimelineTab | None:
        """The open tab that shows ``path`` on its own (a file's tab, or a case set's comparison)."""
        key = os.path.abspath(path)
        for tab in self._timeline_tabs():
            if tab.opened_as_caseset:
                if getattr(tab, "caseset_path", None) == key:
                    return tab
            elif not tab.is_comparison and [d.path for d in tab.documents] == [key]:
                return tab
        return None

    def open_files(self, paths: list[str]) -> list[TimelineTab]:
        """Open each file in its own tab (a case set opens its cases together); a file already open
        on its own switches to its tab."""
        from caseline.io.caseset_file import is_caseset_file

        tabs = []
        for path in paths:
            existing = self.find_tab(path)
            if existing is not None:
                self.tabs.setCurrentWidget(existing)
                tabs.append(existing)
                name = "The file" if ws.is_private(self.settings) else os.path.basename(path)
                self.statusBar().showMessage(f"{name} is already open", 5000)
            elif os.path.exists(path) and is_caseset_file(path):
                tab = self.open_comparison([path])
                tab.opened_as_caseset = True
                tabs.append(tab)
            else:
                tabs.append(self.open_tab([self.document(path)]))
            if os.path.exists(path):
                self.add_recent(path)
        return tabs

    def open_comparison(self, paths: list[str], align: str | None = None,
                        sort: str | None = None) -> TimelineTab:
        """Open files and case sets side by side in one comparison tab."""
        from caseline.io.caseset_file import expand_inputs
        from caseline.ui.comparison_tab import ComparisonTab

        spec = expand_inputs(paths, align=align, sort=sort)
        tab = ComparisonTab.from_spec(spec, self.document)
        return self.open_tab(tab.documents, tab.title, tab=tab)

    def open_tab(self, documents: list[Document], title: str = "",
                 tab: TimelineTab | None = None) -> TimelineTab:
        tab = tab if tab is not None else TimelineTab(documents, title)
        tab.selectionChanged.connect(self._on_selection)
        tab.casesChanged.connect(lambda t=tab: self._on_cases_changed(t))
        tab.statusMessage.connect(self.statusBar().showMessage)
        tab.use_settings(self.settings)
        tab.plot.set_legend_visible(self.legend_action.isChecked())
        tab.plot.set_legend_below(self.legend_below_action.isChecked())
        tab.view.changed.connect(lambda _names, t=tab: self._on_view_changed(t))
        index = self.tabs.addTab(tab, tab.title)
        self.tabs.setTabToolTip(index, "\n".join(d.path for d in documents))
        self.tabs.setCurrentIndex(index)
        tab.view.update(axis_mode=self.current_axis_mode(), expand_regimens=self.regimens_action.isChecked())
        self._show_center()
        tab.refresh()
        self.tabOpened.emit(tab)
        return tab

    def qt_window(self) -> QMainWindow:
        return self

    def current_tab(self) -> TimelineTab | None:
        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, TimelineTab) else None

    def close_tab(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if widget is None:
            return
        self.tabs.removeTab(index)
        widget.deleteLater()
        in_use = {d.path for i in range(self.tabs.count()) for d in getattr(self.tabs.widget(i), "documents", [])}
        for path in list(self.documents):
            if path not in in_use:
                self.documents.pop(path).close()
        self._show_center()

    def _show_center(self) -> None:
        """The tabs, or the first screen when none is open (how to open a case, recent files)."""
        if self.tabs.count():
            self.center.setCurrentWidget(self.tabs)
        else:
            self.empty_page.set_recent(self.recent_files(), self.recent_label)
            self.center.setCurrentWidget(self.empty_page)
            self.statusBar().clearMessage()
            self.setWindowTitle("caseline")

    def open_dialog(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Open case files", self.start_folder(), FILE_FILTER)
        if paths:
            ws.remember_folder(self.settings, paths[0])
            self.open_files(paths)

    def import_dialog(self) -> None:
        """File > Import…: convert files of a clinical standard to a case file, then open it here."""
        from caseline.ui.dialogs.import_dialog import ImportDialog

        dialog = ImportDialog(self, folder=self.start_folder(), settings=self.settings,
                              open_file=lambda path: self.open_files([path]))
        dialog.exec()
        dialog.deleteLater()

    def export_dialog(self) -> None:
        tab = self.current_tab()
        if tab is None or tab.plot.layout_ is None:
            self.statusBar().showMessage("Open a case before exporting a figure", 5000)
            return
        from caseline.ui.dialogs.export_dialog import ExportDialog

        ExportDialog(tab, self, settings=self.settings, folder=self.start_folder()).exec()

    # ------------------------------------------------------------------ recent files
    def recent_files(self) -> list[str]:
        if ws.is_private(self.settings):  # the de-identified view: no file name on screen (a projector)
            return []
        value = self.settings.value(ws.RECENT, [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in value] if isinstance(value, list | tuple) else []

    def add_recent(self, path: str) -> None:
        if ws.is_private(self.settings):  # the de-identified view is on: no file name is remembered
            return
        path = os.path.abspath(path)
        recent = [p for p in self.recent_files() if p != path]
        recent.insert(0, path)
        self.settings.setValue(ws.RECENT, recent[:MAX_RECENT])
        self._rebuild_recent_menu()

    def clear_recent(self) -> None:
        self.settings.remove(ws.RECENT)
        self._rebuild_recent_menu()
        self._show_center()

    def recent_label(self, path: str) -> str:
        return ws.recent_label(path, self.recent_files())

    def _rebuild_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.recent_files()
        for number, path in enumerate(recent, start=1):
            label = self.recent_label(path).replace("&", "&&")
            action = self.recent_menu.addAction(f"&{number % 10} {label}" if number <= 10 else label)
            action.setToolTip(path)
            action.setStatusTip(path)
            action.setEnabled(os.path.exists(path))
            action.triggered.connect(lambda _=False, p=path: self.open_files([p]))
        if recent:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("Clear list", self.clear_recent)
        self.recent_menu.setEnabled(bool(recent))

    # ------------------------------------------------------------------ view
    def fit(self) -> None:
        tab = self.current_tab()
        if tab is not None:
            tab.plot.fit()

    def _on_plot(self, method: str, value: float) -> None:
        tab = self.current_tab()
        if tab is not None and tab.plot.layout_ is not None:
            getattr(tab.plot, method)(value)

    def _timeline_tabs(self) -> list[TimelineTab]:
        return [t for t in map(self.tabs.widget, range(self.tabs.count())) if isinstance(t, TimelineTab)]

    def set_legend_visible(self, visible: bool) -> None:
        self.legend_action.setChecked(bool(visible))
        self.settings.setValue(ws.LEGEND, bool(visible))
        for tab in self._timeline_tabs():
            tab.plot.set_legend_visible(bool(visible))

    def set_legend_below(self, below: bool) -> None:
        """Every tab's legend under its time axis (or above its lanes), remembered."""
        self.legend_below_action.setChecked(bool(below))
        self.settings.setValue(ws.LEGEND_BELOW, bool(below))
        for tab in self._timeline_tabs():
            tab.plot.set_legend_below(bool(below))

    def set_regimens_expanded(self, expanded: bool) -> None:
        """Every tab draws each regimen's drugs on a lane of its own (or the regimen as one group)."""
        self.regimens_action.setChecked(bool(expanded))
        for tab in self._timeline_tabs():
            tab.view.expand_regimens = bool(expanded)

    def current_axis_mode(self) -> str:
        checked = self.axis_group.checkedAction()
        return next((m for m, a in self.axis_actions.items() if a is checked), "days")

    def set_axis_mode(self, mode: str, every_tab: bool = False) -> None:
        """Show the time axis in ``mode`` in the current tab (or every tab); remembered for the next start.

        Calendar dates need a dated case shown on its own axis: where they cannot be shown the axis stays
        in days and the status bar says why (the menu entry is disabled with the reason as its tooltip).
        """
        if mode not in AXIS_MODES:
            raise ValueError(f"unknown time axis {mode!r}: use one of {', '.join(AXIS_MODES)}")
        self.axis_actions[mode].setChecked(True)
        self.settings.setValue(ws.AXIS_MODE, mode)
        tabs = [self.tabs.widget(i) for i in range(self.tabs.count())] if every_tab else [self.current_tab()]
        for tab in tabs:
            if isinstance(tab, TimelineTab):
                tab.view.axis_mode = mode
        self._sync_axis_actions()

    def calendar_problem(self, tab: TimelineTab | None) -> str:
        """Why the current tab cannot show calendar dates ('' when it can)."""
        if tab is None or tab.plot.shown is None:
            return "Open a dated case to show calendar dates"
        return tab.plot.shown.calendar_problem()

    def _sync_axis_actions(self) -> None:
        """The axis menu shows what the axis shows: calendar dates disabled (with the reason) where they
        cannot be drawn, and the days checked instead."""
        tab = self.current_tab()
        problem = self.calendar_problem(tab)
        dates = self.axis_actions["dates"]
        dates.setEnabled(not problem)
        dates.setToolTip(problem or "Calendar dates of the case")
        dates.setText(CALENDAR_TEXT + (" (not available)" if problem else ""))
        if tab is None:
            return
        mode = tab.view.axis_mode
        if mode == "dates" and problem:
            self.axis_actions["days"].setChecked(True)
            self.statusBar().showMessage(f"Calendar dates not shown: {problem}; the axis shows days", 8000)
        else:
            self.axis_actions[mode].setChecked(True)

    def _on_tab_changed(self, _index: int) -> None:
        tab = self.current_tab()
        self.statusBar().clearMessage()  # the cursor day or a measure of another tab
        if tab is None:
            self.details.show_nothing()
            self.lanes.follow(None)
            self.lanes.clear()
            self._sync_axis_actions()
            return
        self.lanes.follow(tab.plot)  # its cases listed, what is on screen in bold, a click scrolls to it
        self.lanes.set_cases(tab.listed_cases(), tab.view.hidden_lanes, tab.view.hidden_categories)
        self._sync_axis_actions()
        self._update_title()
        self.show_current_case()

    def deidentified_changed(self) -> None:
        """The de-identified view was turned on or off: file names (recent files, titles) hidden or shown."""
        self._rebuild_recent_menu()
        self._show_center()
        self._update_title()

    def _update_title(self) -> None:
        self._update_tab_texts()
        tab = self.current_tab()
        if tab is None:
            self.setWindowTitle("caseline")
            return
        cases = tab.plot.cases
        if tab.view.deidentified:  # never a file name: the de-identified case's own title, or none
            name = cases[0].case.title if len(cases) == 1 and cases[0].case.title else "De-identified view"
        else:
            name = cases[0].case.title if len(cases) == 1 and cases[0].case.title else tab.title
        self.setWindowTitle(f"{name} — caseline")

    def _update_tab_texts(self) -> None:
        """Tab names and tooltips: file names and paths, or neutral ones in the de-identified view."""
        for i in range(self.tabs.count()):
            tab = self.tabs.widget(i)
            if not isinstance(tab, TimelineTab):
                continue
            if tab.view.deidentified:
                text, tip = ("Comparison" if tab.is_comparison else f"Case {i + 1}"), "De-identified view"
            else:
                text, tip = tab.title, "\n".join(d.path for d in tab.documents)
            if self.tabs.tabText(i) != text:
                self.tabs.setTabText(i, text)
            self.tabs.setTabToolTip(i, tip)

    def show_current_case(self) -> None:
        """The details panel shows the current tab's first case, as its view shows it."""
        tab = self.current_tab()
        shown = tab.plot.cases if tab is not None else []
        if shown:
            self.details.show_case(shown[0], tab.view.deidentified)  # type: ignore[union-attr]
        else:
            self.details.show_nothing()

    def _on_cases_changed(self, tab: TimelineTab) -> None:
        _keep_deidentified(tab)
        if tab is self.current_tab():
            self.lanes.set_cases(tab.listed_cases(), tab.view.hidden_lanes, tab.view.hidden_categories)
            self._sync_axis_actions()
            self._update_title()
            if tab.plot.cases and self.details.showing_nothing:
                self.show_current_case()

    def _on_view_changed(self, tab: TimelineTab) -> None:
        self._update_tab_texts()  # the de-identified view names tabs neutrally
        if tab is self.current_tab():
            self._update_title()
            self._sync_axis_actions()

    def _on_lanes_changed(self, lanes: frozenset[str], categories: frozenset) -> None:
        tab = self.current_tab()
        if tab is not None:
            tab.set_hidden(lanes, categories)

    def _on_selection(self, case: object, item: object) -> None:
        tab = self.current_tab()
        deidentified = tab is not None and tab.view.deidentified
        if case is None:
            self.details.show_nothing()
        elif item is None:
            self.details.show_case(case, deidentified)  # type: ignore[arg-type]
        else:
            self.details.show_item(case, item, deidentified)  # type: ignore[arg-type]
            if self.tabifiedDockWidgets(self.details_dock):
                self.details_dock.raise_()  # it shares a column with the lanes: bring it up

    # ------------------------------------------------------------------ help
    def show_keys(self) -> TextDialog:
        dialog = TextDialog("Keyboard and mouse", keys_html(), self)
        dialog.show()
        return dialog

    def show_about(self) -> TextDialog:
        dialog = TextDialog("About caseline", about_html(), self)
        dialog.resize(480, 340)
        dialog.show()
        return dialog

    # ------------------------------------------------------------------ drag and drop
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.open_files(paths)
            event.acceptProposedAction()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        for document in self.documents.values():
            document.close()
        super().closeEvent(event)
