"""The main window: tabs of timelines, lane list, details panel, menus, recent files."""

from __future__ import annotations

import os

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMainWindow, QTabWidget, QWidget

from caseline.ui.documents import Document
from caseline.ui.panels import DetailsPanel, LanePanel
from caseline.ui.timeline_tab import TimelineTab

FILE_FILTER = "Case files (*.yaml *.yml *.json *.csv *.tsv);;All files (*)"
MAX_RECENT = 10


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
        self.setCentralWidget(self.tabs)
        self.details = DetailsPanel()
        self.lanes = LanePanel()
        self.details_dock = self._dock("Details", self.details, Qt.DockWidgetArea.RightDockWidgetArea)
        self.lanes_dock = self._dock("Lanes", self.lanes, Qt.DockWidgetArea.LeftDockWidgetArea)
        self._build_menus()
        self._connect_callbacks()
        from caseline.ui.teaching_actions import install_teaching

        self.teaching = install_teaching(self)  # presentation mode (F5), reveal, View > De-identified
        self.statusBar().showMessage("Open a case file (File > Open, or drop it here)")

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.open_action = QAction("&Open…", self, shortcut=QKeySequence(QKeySequence.StandardKey.Open))
        self.open_action.triggered.connect(self.open_dialog)
        file_menu.addAction(self.open_action)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.export_action = QAction("&Export figure…", self, shortcut=QKeySequence("Ctrl+E"))
        self.export_action.triggered.connect(self.export_dialog)
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        close_action = QAction("&Close tab", self, shortcut=QKeySequence(QKeySequence.StandardKey.Close))
        close_action.triggered.connect(lambda: self.close_tab(self.tabs.currentIndex()))
        file_menu.addAction(close_action)
        quit_action = QAction("&Quit", self, shortcut=QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        view_menu = self.menuBar().addMenu("&View")
        self.fit_action = QAction("&Fit whole case", self, shortcut=QKeySequence("F"))
        self.fit_action.triggered.connect(self.fit)
        view_menu.addAction(self.fit_action)
        axis_menu = view_menu.addMenu("Time &axis")
        self.axis_group = QActionGroup(self)
        self.axis_actions: dict[str, QAction] = {}
        for mode, text, key in (("days", "Days", "Ctrl+1"), ("weeks", "Weeks", "Ctrl+2"),
                                ("months", "Months", "Ctrl+3"), ("dates", "Calendar dates", "Ctrl+4")):
            action = QAction(text, self, checkable=True, shortcut=QKeySequence(key))
            action.setChecked(mode == "days")
            action.triggered.connect(lambda _=False, m=mode: self.set_axis_mode(m))
            self.axis_group.addAction(action)
            axis_menu.addAction(action)
            self.axis_actions[mode] = action
        view_menu.addSeparator()
        view_menu.addAction(self.lanes_dock.toggleViewAction())
        view_menu.addAction(self.details_dock.toggleViewAction())
        self.view_menu = view_menu
        self._rebuild_recent_menu()

    def _connect_callbacks(self) -> None:
        self.tabs.tabCloseRequested.connect(self.close_tab)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.lanes.visibilityChanged.connect(self._on_lanes_changed)

    # ------------------------------------------------------------------ documents and tabs
    def document(self, path: str) -> Document:
        key = os.path.abspath(path)
        document = self.documents.get(key)
        if document is None:
            document = Document(key, self)
            self.documents[key] = document
            document.reload()
        return document

    def open_files(self, paths: list[str]) -> list[TimelineTab]:
        """Open each file in its own tab (a case set opens its cases together)."""
        from caseline.io.caseset_file import is_caseset_file

        tabs = []
        for path in paths:
            if is_caseset_file(path):
                tabs.append(self.open_comparison([path]))
            else:
                tabs.append(self.open_tab([self.document(path)]))
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
        index = self.tabs.addTab(tab, tab.title)
        self.tabs.setTabToolTip(index, "\n".join(d.path for d in documents))
        self.tabs.setCurrentIndex(index)
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

    def open_dialog(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Open case files", self._last_folder(), FILE_FILTER)
        if paths:
            self.open_files(paths)

    def export_dialog(self) -> None:
        tab = self.current_tab()
        if tab is None:
            self.statusBar().showMessage("Open a case before exporting a figure")
            return
        from caseline.ui.dialogs.export_dialog import ExportDialog

        ExportDialog(tab, self).exec()

    def _last_folder(self) -> str:
        recent = self.recent_files()
        return os.path.dirname(recent[0]) if recent else os.getcwd()

    # ------------------------------------------------------------------ recent files
    def recent_files(self) -> list[str]:
        value = self.settings.value("recent_files", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in value] if isinstance(value, list | tuple) else []

    def add_recent(self, path: str) -> None:
        path = os.path.abspath(path)
        recent = [p for p in self.recent_files() if p != path]
        recent.insert(0, path)
        self.settings.setValue("recent_files", recent[:MAX_RECENT])
        self._rebuild_recent_menu()

    def _rebuild_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.recent_files()
        for path in recent:
            action = self.recent_menu.addAction(os.path.basename(path))
            action.setToolTip(path)
            action.triggered.connect(lambda _=False, p=path: self.open_files([p]))
        self.recent_menu.setEnabled(bool(recent))

    # ------------------------------------------------------------------ view
    def fit(self) -> None:
        tab = self.current_tab()
        if tab is not None:
            tab.plot.fit()

    def set_axis_mode(self, mode: str) -> None:
        tab = self.current_tab()
        if tab is not None:
            tab.view.axis_mode = mode
        self.axis_actions[mode].setChecked(True)

    def _on_tab_changed(self, _index: int) -> None:
        tab = self.current_tab()
        if tab is None:
            self.details.show_nothing()
            self.lanes.clear()
            return
        self.lanes.set_cases(tab.cases(), tab.view.hidden_lanes, tab.view.hidden_categories)
        self.axis_actions[tab.view.axis_mode].setChecked(True)
        self.show_current_case()

    def show_current_case(self) -> None:
        """The details panel shows the current tab's first case, as its view shows it."""
        tab = self.current_tab()
        shown = tab.plot.cases if tab is not None else []
        if shown:
            self.details.show_case(shown[0], tab.view.deidentified)  # type: ignore[union-attr]
        else:
            self.details.show_nothing()

    def _on_cases_changed(self, tab: TimelineTab) -> None:
        if tab is self.current_tab():
            self.lanes.set_cases(tab.cases(), tab.view.hidden_lanes, tab.view.hidden_categories)
            if tab.plot.cases and self.details.toPlainText().startswith("Click a mark"):
                self.show_current_case()

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

    # ------------------------------------------------------------------ drag and drop
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.open_files(paths)
            event.acceptProposedAction()

    def closeEvent(self, event: object) -> None:
        for document in self.documents.values():
            document.close()
        super().closeEvent(event)  # type: ignore[arg-type]
