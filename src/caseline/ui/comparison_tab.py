"""Side-by-side comparison: several cases stacked in one timeline plot, aligned and sorted.

The cases stay in ONE TimelinePlot (one ViewBox, a header row per case; docs/qt-notes.md says why). Above
them the latency strip (caseline.render.latency_strip), x-linked to the plot. A case set file
(``caseset:``) opens here and the view can be saved back as one (caseline.io.caseset_file)."""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSettings, Signal
from PySide6.QtGui import QWheelEvent
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
from caseline.analysis.focus import focus_range
from caseline.analysis.metrics import (
    SORT_KEYS,
    SORT_TITLES,
    comparison_table,
)
from caseline.io.atomic_write import atomic_write_text
from caseline.io.caseset_file import (
    CaseSetSpec,
    caseset_text,
    is_caseset_file,
    updated_caseset_text,
    written_by_caseline,
)
from caseline.model.caseset import LAYOUTS
from caseline.theme import SCREEN, Theme
from caseline.timeline.resolved import ResolvedCase
from caseline.ui.documents import Document
from caseline.ui.timeline_tab import TimelineTab

if TYPE_CHECKING:
    import pandas as pd
from caseline.render.lane_navigation import wheel_action
from caseline.render.latency_strip import LatencyStrip
from caseline.ui.dialogs.caseset_dialog import SaveSetDialog, arrangement_sentence, updated_description
from caseline.ui.dialogs.table_dialog import ComparisonTableDialog
from caseline.ui.flow_layout import flow_bar

#: A comparison tab shorter than this (a 1280x720 screen, or 2x scaling on 1080p) keeps the strip small.
COMPACT_HEIGHT = 560
CASESET_FILTER = "Case sets (*.caseset.yaml *.caseset.yml);;YAML files (*.yaml *.yml)"


class ComparisonTab(TimelineTab):
    """Cases of several documents in one plot, with alignment, sort and shared-lanes controls."""

    comparisonChanged = Signal()

    def __init__(self, documents: list[Document], title: str = "", *, align: str = "anchor",
                 sort: str = "none", hidden_lanes: frozenset[str] = frozenset(),
                 shared_lanes_only: bool = False, time_range: tuple[float, float] | None = None,
                 case_filter: dict[str, tuple[str, ...]] | None = None, caseset_path: str | None = None,
                 description: str = "", view_layout: str = "lanes", theme: Theme = SCREEN,
                 parent: QWidget | None = None) -> None:
        super().__init__(documents, title or "Comparison", theme, parent)
        self.is_comparison = True
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
                         shared_lanes_only=shared_lanes_only, time_range=time_range,
                         layout=view_layout if view_layout in LAYOUTS else "lanes")
        self.case_filter = dict(case_filter or {})
        self.caseset_path = caseset_path
        self.description = description
        self.saved_arrangement = (self.view.align, self.view.sort)  # what the description was written for
        self.strip_suppressed = False
        self._fit_time_next = False
        self._build_controls()
        self.strip = LatencyStrip(theme)
        self.strip.setXLink(self.plot.viewbox)
        self.strip.hide()
        self.strip_caption = QLabel(
            "Strip: ▬ first suspected dose → onset ▲ · ━ rescue → first improvement ○ · * not aligned")
        self.strip_caption.setToolTip("One row per case: the bar runs from the first dose of the suspected drug "
                                      "to the onset of the reaction (faint: the onset's uncertainty); the thin "
                                      "bars from each rescue therapy to the first documented improvement. "
                                      "Hover a row for its numbers.")
        self.strip_caption.setStyleSheet("QLabel { color: #555; padding: 1px 6px; }")
        self.strip_caption.setWordWrap(True)  # never cut: on a narrow window it takes two lines
        self.strip_caption.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Minimum)
        self.strip_caption.hide()
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, self.controls)
        layout.insertWidget(2, self.strip_caption)  # after the banner, above the plot
        layout.insertWidget(3, self.strip)
        self._connect_comparison_callbacks()
        self.plot.sigShownChanged.connect(self._on_shown_changed)
        self.scrollbar.shownChanged.connect(self._keep_strip_aligned)
        self.strip.viewport().installEventFilter(self)  # its wheel does what the lanes' does

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
                   case_filter=case_filter, caseset_path=spec.caseset_path, description=spec.description,
                   view_layout=spec.layout)

    # ------------------------------------------------------------------ controls
    def _build_controls(self) -> None:
        # the controls wrap to a second row on a narrow window rather than cutting their text
        self.controls, bar = flow_bar()
        bar.setContentsMargins(6, 4, 6, 4)
        self.align_combo = QComboBox()
        for mode in ALIGN_MODES:
            self.align_combo.addItem(ALIGN_TITLES[mode], mode)
        self.align_combo.addItem("first event matching…", "event:")
        self.align_combo.setToolTip("Which event of every case becomes the shared day 0")
        self.event_edit = QLineEdit()
        self.event_edit.setPlaceholderText("event label, lane or id (Enter)")
        self.sort_combo = QComboBox()
        for key in SORT_KEYS:
            self.sort_combo.addItem(SORT_TITLES[key], key)
        self.sort_combo.setToolTip("Order of the cases (cases without the value go last)")
        self.layout_combo = QComboBox()
        for key, title in (("lanes", "Lanes"), ("swimmer", "Swimmer")):
            self.layout_combo.addItem(title, key)
        self.layout_combo.setToolTip("Lanes: every event of every case, stacked. Swimmer: one row per case (the "
                                     "suspected drug with its doses, the onset with its latency, rescue therapy, "
                                     "improvement and outcome), to compare the cases at a glance")
        self.shared_check = QCheckBox("Shared lanes")
        self.shared_check.setToolTip("Show only the lanes every case has")
        self.table_button = QPushButton("Table…")
        self.table_button.setToolTip("Latency, dechallenge and rescue response of every case")
        self.strip_check = QCheckBox("Latency strip")
        self.strip_check.setChecked(True)
        self.strip_check.setToolTip("Show the latency strip above the timeline (hide it for more lanes on a "
                                    "small screen)")
        self.save_button = QPushButton("Save set…")
        self.save_button.setToolTip("Save these files and this view (alignment, sort, lanes, range) as a case set")
        for combo in (self.align_combo, self.sort_combo):
            # wide enough for their longest entry: "first dose of the suspected drug" is never cut
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

        self.note_label = QLabel()
        self.note_label.setStyleSheet("QLabel { color: #8A4B00; }")
        self.event_edit.setMinimumWidth(240)  # its placeholder reads in full
        for widgets in ((QLabel("Layout"), self.layout_combo),
                        (QLabel("Align"), self.align_combo, self.event_edit), (QLabel("Sort"), self.sort_combo),
                        (self.shared_check, self.strip_check), (self.table_button, self.save_button),
                        (self.note_label,)):
            bar.addWidget(_group(*widgets))
        if self.description:
            self.controls.setToolTip(self.description)
        self._sync_controls()

    def _connect_comparison_callbacks(self) -> None:
        self.align_combo.activated.connect(self._on_align_chosen)
        self.event_edit.returnPressed.connect(self._on_event_entered)
        self.sort_combo.activated.connect(lambda i: self.set_sort(str(self.sort_combo.itemData(i))))
        self.layout_combo.activated.connect(lambda i: self.set_layout(str(self.layout_combo.itemData(i))))
        self.shared_check.toggled.connect(self.set_shared_lanes_only)
        self.strip_check.toggled.connect(self.set_strip_visible)
        self.table_button.clicked.connect(self.show_table)
        self.save_button.clicked.connect(self.save_dialog)

    def _sync_controls(self) -> None:
        """Show the current options in the widgets without echoing back."""
        for widget in (self.align_combo, self.sort_combo, self.shared_check, self.event_edit, self.layout_combo):
            widget.blockSignals(True)
        is_event = self.align.startswith("event:")
        self.align_combo.setCurrentIndex(self.align_combo.findData("event:" if is_event else self.align))
        if is_event:
            self.event_edit.setText(self.align[6:])
        self.event_edit.setVisible(is_event)
        self.sort_combo.setCurrentIndex(self.sort_combo.findData(self.sort))
        self.shared_check.setChecked(self.shared_lanes_only)
        self.layout_combo.setCurrentIndex(self.layout_combo.findData(self.view.layout))
        swimmer = self.view.layout == "swimmer"
        self.shared_check.setEnabled(not swimmer)  # a swimmer row has no lanes to share
        self.strip_check.setEnabled(not swimmer)  # ... and says what the latency strip would
        for widget in (self.align_combo, self.sort_combo, self.shared_check, self.event_edit, self.layout_combo):
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
        return [*super().chrome(), self.controls, self.strip_caption]

    def optional_panels(self) -> list[QWidget]:
        return [self.strip]

    def suppress_optional_panels(self, on: bool) -> None:
        self.strip_suppressed = bool(on)
        self._update_strip()

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

    def set_layout(self, key: str) -> None:
        """Stacked lanes or a swimmer plot (one row per case); the time axis goes to the story's window."""
        self._fit_time_next = True
        self.view.layout = key  # raises ValueError for an unknown layout
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

    def use_settings(self, settings: QSettings | None) -> None:
        super().use_settings(settings)
        if settings is not None:
            from caseline.ui.window_settings import setting

            self.set_strip_visible(bool(setting(settings, "comparison/strip", True, bool)))

    def set_strip_visible(self, on: bool) -> None:
        """Show or hide the latency strip and its caption (more room for the lanes on a small screen)."""
        self.strip_check.blockSignals(True)
        self.strip_check.setChecked(bool(on))
        self.strip_check.blockSignals(False)
        if self.settings is not None:
            self.settings.setValue("comparison/strip", bool(on))
        self._update_strip()

    def strip_wanted(self) -> bool:
        return self.strip_check.isChecked()

    def _on_shown_changed(self, names: frozenset[str]) -> None:
        if names & {"ghosted", "revealed", "hold_back"}:
            self._update_strip()  # teaching: the strip shows only what has been revealed

    def strip_cases(self) -> list[ResolvedCase]:
        """The plot's cases with only the items a teaching step has revealed (all of them otherwise): the
        strip must not tell a latency or a response before the timeline does."""
        revealed = self.plot.revealed_keys()
        cases = self.plot.cases
        if revealed is None:
            return cases
        from caseline.analysis.reveal import reveal_key

        return [dataclasses.replace(case, items=tuple(i for i in case.items if reveal_key(i) in revealed))
                for case in cases]

    def _update_strip(self) -> None:
        layout = self.plot.layout_
        if self.strip_suppressed:  # presentation mode needs the room for the lanes
            self.strip.hide()
            self.strip_caption.hide()
            return
        if layout is None or not self.plot.cases or not self.strip_wanted() or self.view.layout == "swimmer":
            self.strip.hide()
            self.strip_caption.hide()
            return
        self.strip.left_axis.setWidth(self._lane_axis_width())
        # at most a fifth of the tab: on a 1280x720 screen (or 2x on 1080p) the timeline keeps its room
        compact = 100 < self.height() < COMPACT_HEIGHT
        self.strip.max_height = max(60, round(self.height() * (0.16 if compact else 0.22))) \
            if self.height() > 100 else 260
        self.strip.set_cases(self.strip_cases(), self.plot.options.shifts, self.alignment.notes, layout.x_range)
        self._caption_summary(self.strip_cases())
        self.strip.show()
        # presentation hides the caption with the bars; a short tab leaves it out (the rows have tooltips)
        self.strip_caption.setVisible(self.controls.isVisibleTo(self) and not compact)

    def _caption_summary(self, cases: list[ResolvedCase]) -> None:
        """The strip's caption ends with the time to onset across the cases it shows (issue 16); its tooltip
        gives the whole summary (the Table… dialog has it as a table)."""
        from caseline.analysis.onset_summary import summary_caption, summary_sentence

        key = tuple(id(c) for c in cases)
        if getattr(self, "_summary_key", None) == key:
            return  # a resize: the cases are the same
        self._summary_key = key
        base = self.strip_caption.text().split(" · onset from")[0]
        short = summary_caption(cases)
        self.strip_caption.setText(f"{base} · {short}" if short else base)
        tip = self.strip_caption.toolTip().split("\n\n")[0]
        self.strip_caption.setToolTip(f"{tip}\n\n{summary_sentence(cases)}" if cases else tip)

    def _keep_strip_aligned(self, shown: bool) -> None:
        """The lanes' scroll bar takes its width from the plot: the strip gives up as much, so that its days
        stay over the plot's (pyqtgraph lays a plot out over the whole widget, viewport margins or not)."""
        layout = self.strip.getPlotItem().layout
        if not hasattr(self, "_strip_margins"):
            self._strip_margins = layout.getContentsMargins()
        left, top, right, bottom = self._strip_margins
        layout.setContentsMargins(left, top, right + (self.scrollbar.sizeHint().width() if shown else 0), bottom)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Wheel and isinstance(event, QWheelEvent) \
                and watched is self.strip.viewport():
            self._strip_wheel(event)
            return True
        return super().eventFilter(watched, event)

    def _strip_wheel(self, event: QWheelEvent) -> None:
        """The wheel over the latency strip does what it does over the lanes: it scrolls them, Ctrl+wheel
        zooms time around the pointer, Shift+wheel pans it."""
        delta = event.angleDelta()
        horizontal = abs(delta.x()) > abs(delta.y())
        action, amount = wheel_action(float(delta.x() if horizontal else delta.y()), horizontal, event.modifiers())
        event.accept()
        if action == "scroll" and self.plot.navigator is not None:
            self.plot.navigator.wheel_rows(amount)
        elif action == "pan":
            self.plot.pan_time(amount)
        elif action == "zoom":
            lo, hi = self.plot.time_range()
            day = self.strip.viewbox.mapSceneToView(self.strip.mapToScene(event.position().toPoint())).x()
            day = day if lo <= day <= hi else (lo + hi) / 2
            self.plot.set_time_range(day + (lo - day) * amount, day + (hi - day) * amount)

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        if self.strip.isVisible():
            self._update_strip()

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
        alignment = self.alignment
        self._update_strip()
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
        """Fit the plot to its final size, keeping the time range a case set was saved with (else the
        focus on the story: caseline.analysis.focus)."""
        self.plot.fit_story()

    def fit_time(self) -> None:
        """Fit the time axis to the story of the cases as now aligned (caseline.analysis.focus; history
        outside it is marked at the edges), keeping the rows scrolled."""
        if self.plot.layout_ is None:
            return
        found = focus_range(self.plot.cases, self.plot.options.shifts, lead=self.view.layout != "swimmer")
        if found is None:
            lo, hi = self.plot.layout_.x_range
            pad = 0.03 * (hi - lo)
            self.plot.set_time_range(lo - pad, hi + pad)
        else:
            self.plot.show_story(found.lo, found.hi)

    # ------------------------------------------------------------------ table and case set
    def table(self) -> pd.DataFrame:
        if self.view.deidentified:  # only what the de-identified view draws (nothing, if it could not be made)
            return comparison_table(self.plot.cases)
        return comparison_table(self.plot.cases or self.cases())

    def summary(self) -> pd.DataFrame:
        """The time to onset across the cases of the table (caseline.analysis.onset_summary)."""
        from caseline.analysis.onset_summary import summary_table

        return summary_table(self.plot.cases if self.view.deidentified else (self.plot.cases or self.cases()))

    def show_table(self) -> ComparisonTableDialog:
        dialog = ComparisonTableDialog(self.table(), self.title, self, folder=self.start_folder(),
                                       on_saved=self.remember_folder, summary=self.summary())
        dialog.show()
        return dialog

    def caseset_text(self, target: str) -> str:
        """The current view as a case set file saved at ``target`` (file paths relative to it). Over an
        existing case set the file is updated in place, round trip: its comments and layout stay."""
        files = [(d.path, tuple(self.case_filter.get(d.path, ()))) for d in self.documents]
        values = dict(title=self.title, description=self.description, align=self.align, sort=self.sort,
                      hidden_lanes=sorted(self.view.hidden_lanes), shared_lanes_only=self.shared_lanes_only,
                      time_range=self.plot.time_range(), layout=self.view.layout)
        existing = _read_text(target)
        if existing is not None and is_caseset_file(target):
            try:
                return updated_caseset_text(existing, target, files, **values)  # type: ignore[arg-type]
            except ValueError:
                pass  # not a case set we can update: written anew (the overwrite was confirmed)
        return caseset_text(target, files, **values)  # type: ignore[arg-type]

    def save_caseset(self, path: str, title: str | None = None, description: str | None = None) -> None:
        """Write the case set to ``path`` atomically (never a half-written file), with ``title`` and
        ``description`` when given."""
        if title:
            self.title = title
        if description is not None:
            self.description = description
        kept = _read_text(path)
        atomic_write_text(path, self.caseset_text(path))
        self.caseset_path = os.path.abspath(path)
        self.opened_as_caseset = True
        self.saved_arrangement = (self.align, self.sort)
        if self.description:
            self.controls.setToolTip(self.description)
        hand_written = kept is not None and not written_by_caseline(kept)
        self.statusMessage.emit(f"Saved case set {path}" + (" (its comments kept)" if hand_written else ""))

    def description_for_save(self) -> tuple[str, str]:
        """The description to offer when saving, and a note when the view changed since it was written."""
        old_align, old_sort = self.saved_arrangement
        if (old_align, old_sort) == (self.align, self.sort) or not self.description:
            return self.description, ""
        note = (f"The description was written for: {arrangement_sentence(old_align, old_sort)} The view is now: "
                f"{arrangement_sentence(self.align, self.sort)} The description below has been brought up to "
                "date: check it.")
        return updated_description(self.description, old_align, old_sort, self.align, self.sort), note

    def save_dialog(self) -> None:
        description, note = self.description_for_save()
        dialog = SaveSetDialog(self.title, description, note, self)
        if dialog.exec() != SaveSetDialog.DialogCode.Accepted:
            return
        name = os.path.basename(self.caseset_path) if self.caseset_path else _slug(self.title) + ".caseset.yaml"
        start = os.path.join(self.start_folder(), name)
        path, _ = QFileDialog.getSaveFileName(self, "Save case set", start, CASESET_FILTER)
        if not path:
            return
        if not path.lower().endswith((".yaml", ".yml")):
            path += ".caseset.yaml"
        self.remember_folder(path)
        try:
            self.save_caseset(path, dialog.title(), dialog.description())
        except OSError as exc:
            self.statusMessage.emit(f"Could not save {path}: {exc.strerror or exc}")


def _group(*widgets: QWidget) -> QWidget:
    """Widgets that stay together on one row of the wrapping control bar."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        row.addWidget(widget)
    return box


def _read_text(path: str) -> str | None:
    """The text of a regular file (a case set to update), None for anything else: a FIFO chosen as the
    target must not block the window, nor a link to /dev/zero fill its memory."""
    from caseline.io.located import MAX_YAML_BYTES
    from caseline.io.registry import read_regular
    from caseline.model.diagnostics import UnreadableFile

    try:
        data = read_regular(path, MAX_YAML_BYTES + 1)
        return data.decode("utf-8") if len(data) <= MAX_YAML_BYTES else None
    except (OSError, UnicodeDecodeError, UnreadableFile):
        return None


def _slug(text: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return slug or "comparison"
