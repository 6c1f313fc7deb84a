"""The Help menu: About (version, what caseline promises), the keyboard reference, and the first screen
a window shows before any case is open."""

from __future__ import annotations

import html
import os
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

import caseline

#: (keys, what they do), by where they work: the keyboard reference dialog and README.md list the same.
KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("Timeline", (
        ("mouse wheel", "scroll the lanes up and down (the scroll bar beside them too)"),
        ("Ctrl+mouse wheel", "zoom time around the pointer (as in maps and documents)"),
        ("Shift+mouse wheel, sideways swipe", "pan time earlier / later"),
        ("drag", "pan time, and scroll the lanes up and down"),
        ("+ / -", "zoom time in / out"),
        ("Ctrl+Left / Ctrl+Right", "pan earlier / later (arrow keys too, once the plot has focus)"),
        ("Ctrl+Up / Ctrl+Down, PgUp / PgDn", "scroll the lanes"),
        ("Lanes panel: click a case or lane", "scroll to it (a lane of several cases: the next case each click); "
         "what is on screen is in bold"),
        ("hover the scroll bar", "which case is there (its marks show where each case starts)"),
        ("F, double-click", "fit the whole case"),
        ("Ctrl+1 … Ctrl+4", "time axis in days, weeks, months, calendar dates"),
        ("hover a mark", "everything known about it"),
        ("click a mark", "its details and the case's citation in the Details panel"),
        ("Shift+click two marks", "measure the interval between them"),
    )),
    ("Files", (
        ("Ctrl+O", "open case files (or drop them on the window)"),
        ("Ctrl+I", "import SDTM, E2B(R3), openFDA, FHIR, Phenopacket or cBioPortal files as a case file"),
        ("Ctrl+E", "export a figure (PNG, SVG, PDF) of the current view"),
        ("Ctrl+W", "close the tab"),
        ("Ctrl+Q", "quit"),
    )),
    ("Teaching", (
        ("F5", "presentation mode: full screen, projector type, events revealed step by step"),
        ("Right, Space, PgDn, N", "next step"),
        ("Left, Backspace, PgUp, P", "previous step"),
        ("Home / End", "first / last step"),
        ("F, 0", "fit the presented case"),
        ("Esc, F5", "leave presentation mode"),
        ("Ctrl+Shift+D", "de-identified view (no calendar dates or identifiers)"),
    )),
)


def keys_html() -> str:
    parts = ["<table cellspacing='0' cellpadding='3'>"]  # one table: the columns line up across sections
    for section, rows in KEYS:
        parts.append(f"<tr><td colspan='2'><h3>{html.escape(section)}</h3></td></tr>")
        parts.extend(f"<tr><td><b>{html.escape(k)}</b>&nbsp;&nbsp;</td><td>{html.escape(v)}</td></tr>"
                     for k, v in rows)
    parts.append("</table>")
    return "\n".join(parts)


def about_html() -> str:
    return (f"<h2>caseline {html.escape(caseline.__version__)}</h2>"
            "<p>Clinical case reports as interactive swimlane timelines: drug exposures, symptom onset, "
            "investigations, rescue therapies and outcomes.</p>"
            "<p>A timeline never claims more than the source says: approximate, bounded and unknown "
            "times stay visible as such.</p>"
            "<p>caseline never connects to the network by itself; a link in the Details panel opens in "
            "your browser only when you click it.</p>"
            "<p>Case files: docs/case-format.md. Command line: <code>caseline --help</code>.</p>")


class TextDialog(QDialog):
    """A read-only page of text with a Close button (About, keyboard reference)."""

    def __init__(self, title: str, body: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.text = QTextBrowser()
        self.text.setHtml(body)
        self.text.setOpenLinks(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(560, 520)


class EmptyPage(QWidget):
    """What the window shows with no tab open: how to open a case, and the recent files."""

    openRequested = Signal()
    recentRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel("<h2>No case open</h2>"
                            "<p>Open a case file (File &gt; Open…, Ctrl+O) or drop one on this window.<br>"
                            "caseline reads case files (.caseline.yaml, .json), events tables (.csv) "
                            "and case sets (.caseset.yaml).</p>")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        self.open_button = QPushButton("Open…")
        self.open_button.clicked.connect(self.openRequested)
        self.recent_box = QVBoxLayout()
        self.recent_label = QLabel("<b>Recent files</b>")
        column = QVBoxLayout()
        column.addStretch(1)
        column.addWidget(self.title)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.open_button)
        row.addStretch(1)
        column.addLayout(row)
        column.addSpacing(12)
        column.addWidget(self.recent_label, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addLayout(self.recent_box)
        column.addStretch(2)
        layout = QHBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(column, 3)
        layout.addStretch(1)
        self.recent_buttons: list[QPushButton] = []

    def set_recent(self, paths: Sequence[str], label: Callable[[str], str]) -> None:
        for button in self.recent_buttons:
            self.recent_box.removeWidget(button)
            button.deleteLater()
        self.recent_buttons = []
        for path in paths[:6]:
            button = QPushButton(label(path))
            button.setFlat(True)
            button.setToolTip(path)
            button.setEnabled(os.path.exists(path))
            button.clicked.connect(lambda _=False, p=path: self.recentRequested.emit(p))
            self.recent_box.addWidget(button)
            self.recent_buttons.append(button)
        self.recent_label.setVisible(bool(self.recent_buttons))
