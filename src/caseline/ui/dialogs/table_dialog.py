"""The comparison table dialog: a read-only pandas table with Copy (tab-separated) and Save CSV."""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caseline.io.atomic_write import atomic_write_text

if TYPE_CHECKING:
    import pandas as pd


#: The widest a column opens (px); wider text is cut with an ellipsis and shown in full on hover.
MAX_COLUMN_PX = 280


class DataFrameModel(QAbstractTableModel):
    """Read-only view of a pandas DataFrame (missing values shown empty)."""

    def __init__(self, frame: pd.DataFrame, parent: Any = None) -> None:
        super().__init__(parent)
        self.frame = frame

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.frame)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.frame.columns)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        import pandas as pd

        value = self.frame.iat[index.row(), index.column()]
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            return ""
        return f"{value:g}" if isinstance(value, float) else str(value)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return str(self.frame.columns[section])
        return str(section + 1)


class ComparisonTableDialog(QDialog):
    """The comparison table, with Copy (tab-separated, pastes into a spreadsheet) and Save CSV."""

    def __init__(self, frame: pd.DataFrame, title: str = "", parent: QWidget | None = None, folder: str = "",
                 on_saved: Callable[[str], None] | None = None, summary: pd.DataFrame | None = None) -> None:
        super().__init__(parent)
        self.folder = folder or os.path.expanduser("~")
        self.on_saved = on_saved
        self.title = title
        self.setWindowTitle(f"Comparison table: {title}" if title else "Comparison table")
        self.resize(1100, 360)
        self.frame = frame
        self.view = QTableView()
        self.view.setModel(DataFrameModel(frame, self))
        self.view.setWordWrap(False)  # one line a case: long cells are cut with '…', whole on hover
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.view.horizontalHeader()
        self.view.resizeColumnsToContents()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column in range(header.count()):  # a "derived from" sentence must not push the rest off screen
            header.resizeSection(column, min(header.sectionSize(column), MAX_COLUMN_PX))
        header.setStretchLastSection(True)
        self.copy_button = QPushButton("Copy")
        self.save_button = QPushButton("Save CSV…")
        close_button = QPushButton("Close")
        buttons = QHBoxLayout()
        note = QLabel("Times as the source allows them: '≥ 15 d' = at least 15 days, no upper bound stated. "
                      "min/best/max in days (empty: not stated). Hover a cell for all of it.")
        note.setWordWrap(True)
        buttons.addWidget(note, 1)
        buttons.addStretch(1)
        for button in (self.copy_button, self.save_button, close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        self.summary = summary
        self.summary_view: QTableView | None = None
        if summary is not None and len(summary):  # time to onset across the cases (issue 16), its own CSV
            layout.addWidget(QLabel("<b>Time to onset across the cases</b> (min/best/max in days; the method of "
                                    "each row is named in its last column)"))
            self.summary_view = QTableView()
            self.summary_view.setModel(DataFrameModel(summary, self))
            self.summary_view.resizeColumnsToContents()
            layout.addWidget(self.summary_view, 1)
            self.summary_button = QPushButton("Save summary CSV…")
            self.summary_button.clicked.connect(self.save_summary_dialog)
            buttons.insertWidget(buttons.count() - 1, self.summary_button)
        layout.addLayout(buttons)
        self.copy_button.clicked.connect(self.copy_to_clipboard)
        self.save_button.clicked.connect(self.save_dialog)
        close_button.clicked.connect(self.close)

    def csv_text(self, sep: str = ",") -> str:
        return str(self.frame.to_csv(sep=sep, index=False))

    def copy_to_clipboard(self) -> None:
        QApplication.clipboard().setText(self.csv_text("\t"))

    def save_csv(self, path: str) -> None:
        atomic_write_text(path, self.csv_text())

    def save_summary(self, path: str) -> None:
        if self.summary is not None:
            atomic_write_text(path, str(self.summary.to_csv(index=False)))

    def save_summary_dialog(self) -> None:
        name = (re.sub(r"[^A-Za-z0-9]+", "-", self.title).strip("-").lower() or "comparison") + "-onset.csv"
        path, _ = QFileDialog.getSaveFileName(self, "Save time-to-onset summary as CSV",
                                              os.path.join(self.folder, name), "CSV (*.csv)")
        if path:
            self.save_summary(path)
            if self.on_saved is not None:
                self.on_saved(path)

    def save_dialog(self) -> None:
        name = (re.sub(r"[^A-Za-z0-9]+", "-", self.title).strip("-").lower() or "comparison") + ".csv"
        path, _ = QFileDialog.getSaveFileName(self, "Save table as CSV", os.path.join(self.folder, name),
                                              "CSV (*.csv)")
        if path:
            self.save_csv(path)
            if self.on_saved is not None:
                self.on_saved(path)
