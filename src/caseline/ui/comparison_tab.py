"""Side-by-side comparison: several cases stacked in one timeline plot, aligned and sorted.

The cases stay in ONE TimelinePlot (one ViewBox, a header row per case; docs/qt-notes.md says why). Above
them the latency strip (caseline.render.latency_strip), x-linked to the plot. A case set file
(``caseset:``) opens here and the view can be saved back as one (caseline.io.caseset_file)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from caseline.analysis.alignment import (
    ALIGN_MODES,
    ALIGN_TITLES,
    Alignment,
    check_mode,
)
from caseline.analysis.metrics import (
    SORT_KEYS,
    SORT_TITLES,
    comparison_table,
)
from caseline.io.atomic_write import atomic_write_text
from caseline.io.caseset_file import CaseSetSpec, caseset_text
from caseline.theme import SCREEN, Theme
from caseline.timeline.resolved import ResolvedCase
from caseline.ui.documents import Document
from caseline.ui.timeline_tab import TimelineTab

if TYPE_CHECKING:
    import pandas as pd
from caseline.render.latency_strip import LatencyStrip
from caseline.ui.dialogs.table_dialog import ComparisonTableDialog

CASESET_FILTER = "Case sets (*.caseset.yaml *.caseset.yml);;YAML files (*.yaml *.yml)"


class ComparisonTab(TimelineTab):
    """Cases of several documents in one plot, with alignment, sort and shared-lanes controls."""

    comparisonChanged = Signal()

    def __init__(self, documents: list[Document], title: str = "", *, align: str = "anchor",
                 sort: str = "none", hidden_lanes: frozenset[str] = frozenset(),
                 shared_lanes_only: bool = False, time_range: tuple[float, float] | None = None,
                 case_filter: dict[str, tuple[str, ...]] | None = None, caseset_path: str | None = None,
                 description: str = "", theme: Theme = SCREEN, parent: QWidget | None = None) -> None:
        super().__init__(documents, title or "Comparison", theme, parent)
        self.problem = ""
        try:
            align = check_mode(align)
        except ValueError as exc:
            align, self.problem = "anchor", str(exc)
        if sort not in SORT_KEYS:
            self.problem = f"unknown sort {sort!r}: use one of {', '.join(SORT_KEYS)}"
            sort = "none"
        # the case set's saved range is the range asked for: applied to the first layout and by initial_fit
        self.view.update(align=align, sort=sort, hidden_lanes=frozenset(hidden_lanes),
                         shared_lanes_only=shared_lanes_only, time_range=time_range)
        self.case_filter = dict(case_filter or {})
        self.caseset_path = caseset_path
        self.description = description
        self._fit_time_next = False
        self._build_controls()
        self.strip = LatencyStrip(theme)
        self.strip.setXLink(self.plot.viewbox)
        self.strip.hide()
        self.strip_caption = QLabel(
            "Strip: ▬ first suspected dose → reaction onset ▲ (faint: onset uncertainty) · "
            "━ rescue therapy → first documented improvement ○ · * not aligned · hover a row for details")
        self.strip_caption.setStyleSheet("QLabel { color: #555; padding: 1px 6px; }")
        self.strip_caption.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.strip_caption.hide()
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, self.controls)
        layout.insertWidget(2, self.strip_caption)  # after the banner, above the plot
        layout.insertWidget(3, self.strip)
        self._connect_comparison_callbacks()

    @classmethod
    def from_spec(cls, spec: CaseSetSpec, document: Callable[[str], Document]) -> ComparisonTab:
        """A tab for ``spec``; ``document(path)`` opens (or shares) the document of a file."""
        documents: list[Document] = []
        case_filter: dict[str, tuple[str, ...]] = {}
        for path, case_ids in spec.entries:
            doc = document(path)
            if doc not in documents:
                documents.append(doc)
            if case_ids:
                case_filter[doc.path] = tuple(dict.fromkeys(case_filter.get(doc.path, ()) + case_ids))
        return cls(documents, spec.title, align=spec.align, sort=spec.sort, hidden_lanes=spec.hidden_lanes,
                   shared_lanes_only=spec.shared_lanes_only, time_range=spec.time_range,
                   case_filter=case_filter, caseset_path=spec.caseset_path, description=spec.description)

    # ------------------------------------------------------------------ controls
    def _build_controls(self) -> None:
        self.controls = QWidget()
        bar = QHBoxLayout(self.controls)
        bar.setContentsMargins(6, 4, 6, 4)
        self.align_combo = QComboBox()
        for mode in ALIGN_MODES:
            self.align_combo.addItem(ALIGN_TITLES[mode], mode)
        self.align_combo.addItem("first event matching…", "event:")
        self.align_combo.setToolTip("Which event of every case becomes the shared day 0")
        self.event_edit = QLineEdit()
        self.event_edit.setPlaceholderText("event label, lane or id (Enter)")
        self.event_edit.setMaximumWidth(220)
        self.sort_combo = QComboBox()
        for key in SORT_KEYS:
            self.sort_combo.addItem(SORT_TITLES[key], key)
        self.sort_combo.setToolTip("Order of the cases (cases without the value go last)")
        self.shared_check = QCheckBox("Shared lanes")
        self.shared_check.setToolTip("Show only the lanes every case has")
        self.table_button = QPushButton("Table…")
        self.table_button.setToolTip("Latency, dechallenge and rescue response of every case")
        self.save_button = QPushButton("Save set…")
        self.save_button.setToolTip("Save these files and this view (alignment, sort, lanes, range) as a case set")
        for combo in (self.align_combo, self.sort_combo):
            # the bar must fit a narrow window between the docks: combos shrink and elide
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
        self.event_edit.setMinimumWidth(80)
        self.note_label = QLabel()
        self.note_label.setStyleSheet("QLabel { color: #8A4B00; }")
        # a long note must not widen the window: it is cut at the bar's width instead
        self.note_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        bar.addWidget(QLabel("Align"))
        bar.addWidget(self.align_combo)
        bar.addWidget(self.event_edit)
        bar.addSpacing(6)
        bar.addWidget(QLabel("Sort"))
        bar.addWidget(self.sort_combo)
        bar.addSpacing(6)
        bar.addWidget(self.shared_check)
        bar.addWidget(self.note_label, 1)
        bar.addWidget(self.table_button)
        bar.addWidget(self.save_button)
        if self.description:
            self.controls.setToolTip(self.description)
        self._sync_controls()

    def _connect_comparison_callbacks(self) -> None:
        self.align_combo.activated.connect(self._on_align_chosen)
        self.event_edit.returnPressed.connect(self._on_event_entered)
        self.sort_combo.activated.connect(lambda i: self.set_sort(str(self.sort_combo.itemData(i))))
        self.shared_check.toggled.connect(self.set_shared_lanes_only)
        self.table_button.clicked.connect(self.show_table)
        self.save_button.clicked.connect(self.save_dialog)

    def _sync_controls(self) -> None:
        """Show the current options in the widgets without echoing back."""
        for widget in (self.align_combo, self.sort_combo, self.shared_check, self.event_edit):
            widget.blockSignals(True)
        is_event = self.align.startswith("event:")
        self.align_combo.setCurrentIndex(self.align_combo.findData("event:" if is_event else self.align))
        if is_event:
            self.event_edit.setText(self.align[6:])
        self.event_edit.setVisible(is_event)
        self.sort_combo.setCurrentIndex(self.sort_combo.findData(self.sort))
        self.shared_check.setChecked(self.shared_lanes_only)
        for widget in (self.align_combo, self.sort_combo, self.shared_check, self.event_edit):
            widget.blockSignals(False)

    def _on_align_chosen(self, index: int) -> None:
        mode = str(self.align_combo.itemData(index))
        if mode == "event:":
            self.event_edit.setVisible(True)
            self.event_edit.setFocus()
            if self.event_edit.text().strip():
                self._on_event_entered()
            return
        self.set_alignment(mode)

    def _on_event_entered(self) -> None:
        text = self.event_edit.text().strip()
        if text:
            self.set_alignment("event:" + text)

    # ------------------------------------------------------------------ options
    def chrome(self) -> list[QWidget]:
        return [*super().chrome(), self.controls]

    @property
    def align(self) -> str:
        return self.view.align

    @property
    def sort(self) -> str:
        return self.view.sort

    @property
    def shared_lanes_only(self) -> bool:
        return self.view.shared_lanes_only

    @property
    def alignment(self) -> Alignment:
        """The alignment the plot shows."""
        return self.plot.shown.alignment if self.plot.shown is not None else Alignment(self.view.align)

    def set_alignment(self, mode: str) -> None:
        """Align every case on ``mode`` (see caseline.analysis.alignment); refits the time axis."""
        self._fit_time_next = True
        self.view.align = check_mode(mode)
        self._sync_controls()
        self._update_comparison()

    def set_sort(self, key: str) -> None:
        self.view.sort = key  # raises ValueError for an unknown sort
        self._sync_controls()
        self._update_comparison()

    def set_shared_lanes_only(self, on: bool) -> None:
        self.view.shared_lanes_only = bool(on)
        self._sync_controls()
        self._update_comparison()

    # ------------------------------------------------------------------ content
    def source_cases(self) -> list[ResolvedCase]:
        """Cases of every document, filtered by the case set's case ids, in file order."""
        out: list[ResolvedCase] = []
        for document in self.documents:
            wanted = self.case_filter.get(document.path)
            out.extend(c for c in document.cases if not wanted or c.id in wanted)
        return out

    def refresh(self) -> None:
        super().refresh()
        self._update_comparison()

    def _update_comparison(self) -> None:
        """The latency strip, the time range and the notes, after the plot has laid the cases out."""
        layout = self.plot.layout_
        cases = self.cases()
        if not cases or layout is None:
            self.strip.hide()
            self.strip_caption.hide()
            self.comparisonChanged.emit()
            return
        if self._fit_time_next:
            self.fit_time()
            self._fit_time_next = False
        self.strip.left_axis.setWidth(self._lane_axis_width())
        alignment = self.alignment
        self.strip.set_cases(self.plot.cases, self.plot.options.shifts, alignment.notes, layout.x_range)
        self.strip.show()
        self.strip_caption.show()
        unaligned = len(alignment.notes)
        notes = [self.problem] if self.problem else []
        if unaligned:
            notes.append(f"{unaligned} of {len(cases)} cases not aligned")
        self.note_label.setText("; ".join(notes))
        self.comparisonChanged.emit()

    def _lane_axis_width(self) -> int:
        axis = self.plot.lane_axis
        width = getattr(axis, "fixedWidth", None)
        return int(width if width is not None else axis.width())

    def initial_fit(self) -> None:
        """Fit the plot to its final size, keeping the time range a case set was saved with."""
        self.plot.fit()
        if self.view.time_range is not None:
            self.plot.set_time_range(*self.view.time_range)

    def fit_time(self) -> None:
        """Fit the time axis to every case (as the plot's fit does), keeping the rows scrolled."""
        layout = self.plot.layout_
        if layout is None:
            return
        lo, hi = layout.x_range
        pad = 0.03 * (hi - lo)
        self.plot.set_time_range(lo - pad, hi + pad)

    # ------------------------------------------------------------------ table and case set
    def table(self) -> pd.DataFrame:
        return comparison_table(self.plot.cases or self.cases())

    def show_table(self) -> ComparisonTableDialog:
        dialog = ComparisonTableDialog(self.table(), self.title, self)
        dialog.show()
        return dialog

    def caseset_text(self, target: str) -> str:
        """The current view as a case set file saved at ``target`` (file paths relative to it)."""
        files = [(d.path, tuple(self.case_filter.get(d.path, ()))) for d in self.documents]
        return caseset_text(target, files, title=self.title, description=self.description, align=self.align,
                            sort=self.sort, hidden_lanes=sorted(self.view.hidden_lanes),
                            shared_lanes_only=self.shared_lanes_only, time_range=self.plot.time_range())

    def save_caseset(self, path: str) -> None:
        """Write the case set to ``path`` atomically (never a half-written file)."""
        atomic_write_text(path, self.caseset_text(path))
        self.caseset_path = os.path.abspath(path)
        self.statusMessage.emit(f"Saved case set {path}")

    def save_dialog(self) -> None:
        start = self.caseset_path or os.path.join(
            os.path.dirname(self.documents[0].path) if self.documents else os.getcwd(),
            _slug(self.title) + ".caseset.yaml")
        path, _ = QFileDialog.getSaveFileName(self, "Save case set", start, CASESET_FILTER)
        if not path:
            return
        if not path.lower().endswith((".yaml", ".yml")):
            path += ".caseset.yaml"
        try:
            self.save_caseset(path)
        except OSError as exc:
            self.statusMessage.emit(f"Could not save {path}: {exc.strerror or exc}")


def _slug(text: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return slug or "comparison"
