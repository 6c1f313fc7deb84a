"""A tab showing the cases of one or more open documents as one timeline plot.

Layout only plus the wiring of its own widgets (``_connect_callbacks``); the main window
connects the tab to the shared panels.
"""

from __future__ import annotations

import html
import os

from PySide6.QtCore import QPoint, QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QStackedWidget,
    QTextBrowser,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from caseline.analysis.wording import format_day, format_interval_days
from caseline.layout.timeline_layout import LayoutOptions
from caseline.model.kinds import Category
from caseline.render.timeline_plot import TimelinePlot
from caseline.theme import SCREEN, Theme
from caseline.timeline.load import LoadResult
from caseline.timeline.resolved import ResolvedCase
from caseline.ui.documents import Document
from caseline.ui.lane_scrollbar import LaneScrollBar
from caseline.ui.window_settings import remember_folder, start_folder
from caseline.view_state import ViewState

BANNER_STYLE = ("QLabel { background: #FFF4CE; color: #3D2E00; border: 1px solid #E0B000;"
                " padding: 6px; font-family: monospace; }")


class TimelineTab(QWidget):
    """Plot + banner for reload errors + error page for files that cannot be shown at all."""

    selectionChanged = Signal(object, object)  # ResolvedCase, Item (or None, None)
    casesChanged = Signal()
    statusMessage = Signal(str)

    def __init__(self, documents: list[Document], title: str = "", theme: Theme = SCREEN,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.documents = documents
        self.title = title or (documents[0].name if len(documents) == 1 else "Comparison")
        self.view = ViewState()
        self.settings: QSettings | None = None  # the window's (dialogs start in its folder)
        self.is_comparison = False
        self.opened_as_caseset = False  # a case set file opened as such (re-opening it switches here)
        self.measure_from: int | None = None
        self.last_measure: str = ""
        self.banner = QLabel()
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.hide()
        self.plot = TimelinePlot(theme=theme)
        self.plot.set_legend_full_width(True)  # over the lane names too: fewer legend lines, more rows
        self.plot.set_view(self.view)
        self.error_page = QTextBrowser()
        self.loading_page = QWidget()
        loading = QVBoxLayout(self.loading_page)
        loading.addStretch(1)
        label = QLabel("Loading " + ", ".join(d.name for d in documents) + "…")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        busy = QProgressBar()
        busy.setRange(0, 0)  # busy indicator: reading runs in a worker thread
        busy.setMaximumWidth(320)
        loading.addWidget(label)
        loading.addWidget(busy, 0, Qt.AlignmentFlag.AlignHCenter)
        loading.addStretch(1)
        self.stack = QStackedWidget()
        for page in (self.loading_page, self.plot, self.error_page):
            self.stack.addWidget(page)
        # the lanes' scroll bar beside the plot, shown when they do not fit
        self.scrollbar = LaneScrollBar(self.plot)
        self.plot_row = QWidget()
        row = QHBoxLayout(self.plot_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.stack, 1)
        row.addWidget(self.scrollbar.column)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.plot_row, 1)
        self._connect_callbacks()

    def _connect_callbacks(self) -> None:
        for document in self.documents:
            document.loaded.connect(self._on_loaded)
        self.plot.sigItemHovered.connect(self._on_hover)
        self.plot.sigItemClicked.connect(self._on_click)
        self.plot.sigCursorMoved.connect(self._on_cursor)
        if self.plot.navigator is not None:  # where the wheel or a Lanes-panel click went, or how to zoom
            self.plot.navigator.sigHint.connect(self.statusMessage)

    # ------------------------------------------------------------------ content
    def caption_area(self) -> QVBoxLayout:
        """Where presentation mode puts its caption bar (under the plot)."""
        box = self.layout()
        assert isinstance(box, QVBoxLayout)
        return box

    def chrome(self) -> list[QWidget]:
        """The tab's own bars that presentation mode hides."""
        return [self.banner]

    def optional_panels(self) -> list[QWidget]:
        """Panels presentation mode may hide to fit a case's lanes (none here)."""
        return []

    def suppress_optional_panels(self, on: bool) -> None:
        del on  # no optional panels

    @property
    def options(self) -> LayoutOptions:
        """The layout options the plot draws with (lanes hidden, alignment shifts, reveal)."""
        return self.plot.options

    def source_cases(self) -> list[ResolvedCase]:
        """The last good cases of every document, in file order."""
        out: list[ResolvedCase] = []
        for document in self.documents:
            out.extend(document.cases)
        return out

    def cases(self) -> list[ResolvedCase]:
        """The cases in the order the view arranges them (not de-identified: see ``plot.cases``)."""
        return list(self.view.arranged().cases)

    def listed_cases(self) -> list[ResolvedCase]:
        """The cases the lane list names: as drawn when de-identified (lanes named after identifying labels are
        renamed), else as arranged."""
        return list(self.plot.cases) if self.view.deidentified else self.cases()

    def _on_loaded(self, _result: LoadResult) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Show the last good cases; list the current problems in the banner or error page."""
        if any(d.loading and d.last_result is None for d in self.documents):
            self.stack.setCurrentWidget(self.loading_page)
            self.scrollbar.set_active(False)
            return
        cases = self.source_cases()
        problems = [diag for d in self.documents if d.last_result is not None
                    for diag in d.last_result.diagnostics if diag.is_error or d.last_result.unreadable]
        if not cases:
            self.banner.hide()
            self.error_page.setHtml(error_html(self.documents))
            self.stack.setCurrentWidget(self.error_page)
            self.scrollbar.set_active(False)
            self.casesChanged.emit()
            return
        self.view.cases = tuple(cases)
        self.stack.setCurrentWidget(self.plot)
        self.scrollbar.set_active(True)
        if problems:
            lines = [html.escape(str(p)) for p in problems[:12]]
            more = f"<br>… and {len(problems) - 12} more" if len(problems) > 12 else ""
            self.banner.setText("<b>The file has errors; showing the last version that loaded.</b><br>"
                                + "<br>".join(lines) + more)
            self.banner.show()
        else:
            self.banner.hide()
        self.casesChanged.emit()

    def use_settings(self, settings: QSettings | None) -> None:
        """The window's settings: where dialogs start, and what the tab remembers."""
        self.settings = settings

    def start_folder(self) -> str:
        """Where this tab's file dialogs start (the window's last folder, else the tab's own)."""
        fallback = os.path.dirname(self.documents[0].path) if self.documents else ""
        return start_folder(self.settings, fallback)

    def remember_folder(self, path: str) -> None:
        remember_folder(self.settings, path)

    def set_hidden(self, lanes: frozenset[str], categories: frozenset[Category]) -> None:
        self.view.update(hidden_lanes=lanes, hidden_categories=categories)

    # ------------------------------------------------------------------ interaction
    def _on_hover(self, index: int | None, scene_pos: object) -> None:
        if index is None:
            QToolTip.hideText()
            return
        view_pos = self.plot.mapFromScene(scene_pos)  # type: ignore[arg-type]
        global_pos = self.plot.mapToGlobal(QPoint(int(view_pos.x()) + 12, int(view_pos.y()) + 12))
        QToolTip.showText(global_pos, self.plot.tooltip_html(index), self.plot)

    def _on_cursor(self, day: float | None) -> None:
        if day is None:
            return
        text = f"Cursor: {format_day(day)}"
        cases = self.plot.cases
        if len(cases) == 1 and not self.view.deidentified:
            date = cases[0].day_to_date(day)
            if date is not None:
                text += f" ({date.isoformat()})"
        if self.last_measure:
            text += f"    {self.last_measure}"
        self.statusMessage.emit(text)

    def _on_click(self, index: int | None, modifiers: object) -> None:
        layout = self.plot.layout_
        if layout is None:
            return
        shift = bool(modifiers & Qt.KeyboardModifier.ShiftModifier)  # type: ignore[operator,arg-type]
        if index is None:
            self.plot.select(None)
            self.selectionChanged.emit(None, None)
            return
        if shift and self.measure_from is not None and self.measure_from != index:
            self.last_measure = self.measure(self.measure_from, index)
            self.plot.show_measure(self.measure_from, index, self.last_measure.split(" (")[0]
                                   .removeprefix("Interval: "))
            self.statusMessage.emit(self.last_measure)
            self.measure_from = None
        elif shift:
            self.measure_from = index
            self.plot.clear_measure()
            self.last_measure = ""
            self.statusMessage.emit("Measure: shift-click a second mark")
        else:
            self.measure_from = None
        self.plot.select(index)
        case = layout.cases[int(layout.item_case[index])]
        self.selectionChanged.emit(case, layout.items[index])

    def measure(self, first: int, second: int) -> str:
        """'Interval: 8 weeks 0 days (day 0 to day 56)' between two marks' starts."""
        layout = self.plot.layout_
        assert layout is not None
        a, b = layout.item_position(first), layout.item_position(second)
        if a is None or b is None:
            return "Interval: one of the marks has no time"
        days = b[0] - a[0]
        item_a, item_b = layout.items[first], layout.items[second]
        uncertain = not (item_a.start and item_a.start.is_exact and item_b.start and item_b.start.is_exact)
        prefix = "about " if uncertain else ""
        return (f"Interval: {prefix}{format_interval_days(abs(days))} "
                f"({item_a.label} {format_day(a[0])} → {item_b.label} {format_day(b[0])})")


def error_html(documents: list[Document]) -> str:
    parts = ["<h3>This file cannot be shown</h3>"]
    for document in documents:
        result = document.last_result
        if result is None:
            continue
        parts.append(f"<p><b>{html.escape(document.path)}</b></p><ul>")
        for diag in result.diagnostics:
            parts.append(f"<li><code>{html.escape(str(diag))}</code></li>")
        parts.append("</ul>")
    parts.append("<p>Fix the lines above and save: the view updates by itself.</p>")
    return "\n".join(parts)
