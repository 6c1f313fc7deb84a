"""Side-by-side comparison: several cases stacked in one timeline plot, aligned and sorted.

The cases stay in ONE TimelinePlot (one ViewBox, a header row per case; see FACTS.md). Above
them a small latency strip, x-linked to the plot, shows per case the time from the first
suspected dose to the reaction onset and from each rescue therapy to the first improvement.
A case set file (``caseset:``) opens here and the view can be saved back as one.
"""

from __future__ import annotations

import dataclasses
import html
import math
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pyqtgraph as pg
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTableView,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from caseline.analysis.alignment import ALIGN_MODES, ALIGN_TITLES, Alignment, align_cases, check_mode
from caseline.analysis.metrics import (
    SORT_KEYS,
    SORT_TITLES,
    CaseMetrics,
    case_metrics,
    comparison_table,
    format_duration,
    sort_cases,
)
from caseline.io.atomic_write import atomic_write_text
from caseline.model.kinds import Category
from caseline.theme import SCREEN, Theme
from caseline.timeline.resolved import Interval, ResolvedCase
from caseline.ui.documents import Document
from caseline.ui.timeline_tab import TimelineTab

if TYPE_CHECKING:
    import pandas as pd

CASESET_FILTER = "Case sets (*.caseset.yaml *.caseset.yml);;YAML files (*.yaml *.yml)"
_CASESET_KEY = re.compile(r"^caseset\s*:", re.MULTILINE)
_CASESET_JSON_KEY = re.compile(r'"caseset"\s*:')


# ---------------------------------------------------------------------------- opening


def is_caseset_file(path: str) -> bool:
    """True for a YAML/JSON file whose top level has a ``caseset`` key (peeks at the text only)."""
    name = path.lower()
    if not name.endswith((".yaml", ".yml", ".json")):
        return False
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            head = handle.read(65536)
    except OSError:
        return False
    return bool((_CASESET_JSON_KEY if name.endswith(".json") else _CASESET_KEY).search(head))


@dataclass
class ComparisonSpec:
    """What a comparison tab shows: files (absolute paths, optional case ids) and the view options."""

    entries: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    title: str = ""
    description: str = ""
    align: str = "anchor"
    sort: str = "none"
    hidden_lanes: frozenset[str] = frozenset()
    shared_lanes_only: bool = False
    time_range: tuple[float, float] | None = None
    caseset_path: str | None = None


def comparison_spec(paths: Sequence[str], align: str | None = None, sort: str | None = None) -> ComparisonSpec:
    """Expand case set files into their entries; ``align``/``sort`` override what a case set says.

    A case set that cannot be read becomes an entry of its own, so its tab lists its problems.
    """
    from caseline.timeline.load import load_file

    spec = ComparisonSpec()
    for path in paths:
        path = os.path.abspath(path)
        if not is_caseset_file(path):
            spec.entries.append((path, ()))
            continue
        result = load_file(path)
        caseset = result.caseset
        if caseset is None or not result.ok:
            spec.entries.append((path, ()))
            continue
        folder = os.path.dirname(path)
        for entry in caseset.entries:
            spec.entries.append((os.path.normpath(os.path.join(folder, entry.path)), tuple(entry.case_ids)))
        if spec.caseset_path is None:
            spec.caseset_path = path
            spec.title = caseset.title
            spec.description = caseset.description
            spec.align = caseset.align
            spec.sort = caseset.sort
            spec.hidden_lanes = frozenset(caseset.hidden_lanes)
            spec.shared_lanes_only = caseset.shared_lanes_only
            spec.time_range = caseset.time_range
    if len(paths) > 1:  # a case set plus more files: a new comparison, not the saved view of the set
        spec.title, spec.time_range = "", None
    if align is not None:
        spec.align = align
    if sort is not None:
        spec.sort = sort
    return spec


def not_aligned_note(note: str) -> str:
    """'no dated adverse-reaction onset: shown on ...' -> 'not aligned: no dated adverse-reaction onset'
    (the case stays on its own day 0)."""
    reason = note.split(":", 1)[0].strip()
    return f"not aligned: {reason}"


# ---------------------------------------------------------------------------- latency strip


class LatencyStrip(pg.PlotWidget):
    """One row per case: first suspected dose to onset (with the onset's uncertainty), and each
    rescue therapy to the first documented improvement. Shares the time axis of the main plot."""

    ROW_PX = 24

    def __init__(self, theme: Theme = SCREEN, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        self.theme = theme
        self.setBackground(QColor(theme.background))
        plot = self.getPlotItem()
        plot.hideButtons()
        plot.setMenuEnabled(False)
        plot.hideAxis("bottom")
        self.viewbox = plot.getViewBox()
        self.viewbox.invertY(True)
        self.viewbox.setMouseEnabled(x=True, y=False)
        self.viewbox.enableAutoRange(x=False, y=False)
        self.left_axis = plot.getAxis("left")
        font = QFont(theme.font_family)
        font.setPixelSize(max(1, round(theme.axis_font_pt * 96 / 72)))
        self.left_axis.setTickFont(font)
        self.left_axis.setPen(pg.mkPen(QColor(theme.muted)))
        self.left_axis.setTextPen(pg.mkPen(QColor(theme.foreground)))
        self.font = font
        self.cases: list[ResolvedCase] = []
        self.metrics: list[CaseMetrics] = []
        self.rows_text: list[str] = []
        self._items: list[Any] = []
        self._labels: list[tuple[float, float, float, str, Any]] = []  # left, right, y, full text, item
        self.viewbox.sigXRangeChanged.connect(lambda *_: self._place_labels())
        self.scene().sigMouseMoved.connect(self._mouse_moved)

    def set_cases(self, cases: Sequence[ResolvedCase], shifts: dict[str, float], notes: dict[str, str],
                  x_range: tuple[float, float]) -> None:
        """Draw one row per case at its aligned position; infinite bounds run to the edge."""
        for item in self._items:
            self.removeItem(item)
        self._items = []
        self.cases = list(cases)
        self.metrics = [case_metrics(c) for c in self.cases]
        n = len(self.cases)
        lo_edge, hi_edge = x_range
        suspect = QColor(self.theme.category_color(Category.SUSPECT))
        rescue = QColor(self.theme.category_color(Category.RESCUE))
        soft = QColor(suspect)
        soft.setAlpha(60)

        def clip(v: float) -> float:
            return min(max(v, lo_edge), hi_edge)

        lat_x0, lat_x1, lat_y = [], [], []
        unc_x0, unc_x1, unc_y = [], [], []
        res_x0, res_x1, res_y = [], [], []
        onset_x, onset_y, imp_x, imp_y = [], [], [], []
        texts: list[tuple[float, float, float, str]] = []  # left and right end of the row's marks, y, text
        ticks = []
        self.rows_text = []
        for row, (case, m) in enumerate(zip(self.cases, self.metrics, strict=True)):
            shift = shifts.get(case.id, 0.0)
            y = row + 0.5
            ticks.append((y, case.id + (" *" if case.id in notes else "")))
            lines = [f"<b>{html.escape(case.id)}</b>: {html.escape(case.case.title)}"]
            summary: list[str] = []
            right = -math.inf
            if case.id in notes:
                lines.append(html.escape(not_aligned_note(notes[case.id])))
            if m.first_dose is not None and m.onset is not None and m.latency is not None:
                x0, x1 = m.first_dose.best + shift, m.onset.best + shift
                lat_x0.append(x0)
                lat_x1.append(max(x1, x0))
                lat_y.append(y)
                onset_x.append(x1)
                onset_y.append(y)
                if not m.onset.is_exact:
                    unc_x0.append(clip(m.onset.lo + shift))
                    unc_x1.append(clip(m.onset.hi + shift))
                    unc_y.append(y)
                summary.append(f"latency {_strip_duration(m.latency)}")
                right = max(right, x1)
                lines.append(f"Latency (first {html.escape(m.suspected_drug)} dose to onset): "
                             f"{format_duration(m.latency)}")
            else:
                lines.append("Latency: not stated (no dated first dose or onset)")
            lines.append(f"Dechallenge: {html.escape(m.dechallenge)}")
            offsets = _offsets(len(m.rescues))
            for k, r in enumerate(m.rescues):
                if r.time_to_improvement is None or r.improvement is None or r.improvement.start is None:
                    lines.append(f"{html.escape(r.therapy)}: no improvement documented after it")
                    continue
                x0 = r.start.best + shift
                x1 = r.improvement.start.best + shift
                res_x0.append(x0)
                res_x1.append(max(x0, x1))
                res_y.append(y + offsets[k])
                imp_x.append(x1)
                imp_y.append(y + offsets[k])
                summary.append(f"{r.therapy} → {_strip_duration(r.time_to_improvement)}")
                right = max(right, x0, x1)
                lines.append(f"{html.escape(r.therapy)} to first improvement: "
                             f"{format_duration(r.time_to_improvement)}")
            self.rows_text.append("<br>".join(lines))
            if summary:
                left = min([x for x in (lat_x0[-1:] if m.latency is not None else [])] + res_x0 + [right])
                texts.append((left, right, y, " · ".join(summary)))
        self.left_axis.setTicks([ticks, []])
        self._bars(lat_x0, lat_x1, lat_y, 0.34, suspect)
        self._bars(unc_x0, unc_x1, unc_y, 0.1, soft)
        self._bars(res_x0, res_x1, res_y, 0.16, rescue)
        if onset_x:
            self._add(pg.ScatterPlotItem(onset_x, onset_y, symbol="t1", size=10, pen=None,
                                         brush=pg.mkBrush(QColor(self.theme.category_color(Category.SYMPTOM)))))
        if imp_x:
            self._add(pg.ScatterPlotItem(imp_x, imp_y, symbol="o", size=7, pen=pg.mkPen(rescue),
                                         brush=pg.mkBrush(QColor(self.theme.background))))
        # few cases, few labels: one TextItem each is cheap here (the timeline uses its own layer)
        self._labels = []
        for left, right, y, text in texts:
            item = pg.TextItem(text, color=QColor(self.theme.foreground), anchor=(0, 0.5))
            item.setFont(self.font)
            self._add(item)
            self._labels.append((left, right, y, text, item))
        self._place_labels()
        self.viewbox.setLimits(yMin=0, yMax=max(1, n))
        self.viewbox.setYRange(0, max(1, n), padding=0)
        height = self.ROW_PX * max(1, n) + 6
        self.setFixedHeight(min(260, height))

    def _place_labels(self) -> None:
        """Each row's summary goes right of its marks, or left of them when it fits better there;
        text that fits on neither side is elided rather than drawn over the axis."""
        if not getattr(self, "_labels", None):
            return
        (lo, hi), width = self.viewbox.viewRange()[0], max(1.0, self.viewbox.width())
        px_per_day = width / max(1e-9, hi - lo)
        metrics = QFontMetricsF(self.font)
        pad = 10.0
        for left, right, y, text, item in self._labels:
            needed = metrics.horizontalAdvance(text) + pad
            room_right = min(width, (hi - right) * px_per_day)
            room_left = min(width, (left - lo) * px_per_day)
            on_left = room_right < needed and room_left > room_right
            room = room_left if on_left else room_right
            shown = text if needed <= room else metrics.elidedText(text, Qt.TextElideMode.ElideRight,
                                                                     max(0.0, room - pad))
            item.setText(shown)
            item.setAnchor((1, 0.5) if on_left else (0, 0.5))
            item.setPos(left if on_left else right, y)

    def resizeEvent(self, ev: Any) -> None:
        super().resizeEvent(ev)
        self._place_labels()

    def _add(self, item: Any) -> None:
        self.addItem(item)
        self._items.append(item)

    def _bars(self, x0: list[float], x1: list[float], y: list[float], height: float, color: QColor) -> None:
        if not x0:
            return
        import numpy as np

        left = np.asarray(x0, dtype=float)
        width = np.maximum(np.asarray(x1, dtype=float) - left, 0.0)
        self._add(pg.BarGraphItem(x0=left, width=width, y=np.asarray(y), height=height,
                                  brush=pg.mkBrush(color), pen=pg.mkPen(None)))

    def row_at_scene(self, scene_pos: Any) -> int | None:
        if not self.viewbox.sceneBoundingRect().contains(scene_pos):
            return None
        y = self.viewbox.mapSceneToView(scene_pos).y()
        row = math.floor(y)
        return row if 0 <= row < len(self.cases) else None

    def _mouse_moved(self, scene_pos: Any) -> None:
        row = self.row_at_scene(scene_pos)
        if row is None:
            QToolTip.hideText()
            return
        view_pos = self.mapFromScene(scene_pos)
        QToolTip.showText(self.mapToGlobal(QPoint(int(view_pos.x()) + 12, int(view_pos.y()) + 12)),
                          self.rows_text[row], self)


def _strip_duration(value: Interval) -> str:
    """Compact text for the strip: '56 d', '91 d (63-119)', '≥15 d'; a best value with only a
    lower bound below it shows the best value alone (the tooltip and table give the bounds)."""
    if not math.isfinite(value.hi) and value.lo < value.best:
        value = Interval(value.best, value.best, value.best)
    return format_duration(value).replace(" days", " d").replace(" day", " d")


def _offsets(count: int) -> list[float]:
    if count <= 1:
        return [0.0] * count
    step = min(0.2, 0.6 / (count - 1))
    return [(k - (count - 1) / 2) * step for k in range(count)]


# ---------------------------------------------------------------------------- the tab


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
            self.align = check_mode(align)
        except ValueError as exc:
            self.align, self.problem = "anchor", str(exc)
        self.sort = sort if sort in SORT_KEYS else "none"
        if sort not in SORT_KEYS:
            self.problem = f"unknown sort {sort!r}: use one of {', '.join(SORT_KEYS)}"
        self.shared_lanes_only = shared_lanes_only
        self.options = dataclasses.replace(self.options, hidden_lanes=frozenset(hidden_lanes),
                                           shared_lanes_only=shared_lanes_only)
        self.case_filter = dict(case_filter or {})
        self.caseset_path = caseset_path
        self.description = description
        self.alignment = Alignment(self.align)
        self._pending_range = time_range
        self.initial_range = time_range  # the case set's saved time range, re-applied by initial_fit
        self._fit_time_next = False
        self._sorted: tuple[tuple[int, ...], str, list[ResolvedCase]] | None = None
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
        layout.insertWidget(0, self.controls)
        layout.insertWidget(2, self.strip_caption)  # after the banner, above the plot
        layout.insertWidget(3, self.strip)
        self._connect_comparison_callbacks()

    @classmethod
    def from_spec(cls, spec: ComparisonSpec, document: Callable[[str], Document]) -> ComparisonTab:
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
    def set_alignment(self, mode: str) -> None:
        """Align every case on ``mode`` (see caseline.analysis.alignment); refits the time axis."""
        self.align = check_mode(mode)
        self._fit_time_next = True
        self._sync_controls()
        self.refresh()

    def set_sort(self, key: str) -> None:
        if key not in SORT_KEYS:
            raise ValueError(f"unknown sort {key!r}: use one of {', '.join(SORT_KEYS)}")
        self.sort = key
        self._sync_controls()
        self.refresh()

    def set_shared_lanes_only(self, on: bool) -> None:
        self.shared_lanes_only = bool(on)
        self.options = dataclasses.replace(self.options, shared_lanes_only=self.shared_lanes_only)
        self._sync_controls()
        self.refresh()

    # ------------------------------------------------------------------ content
    def all_cases(self) -> list[ResolvedCase]:
        """Cases of every document, filtered by the case set's case ids, in file order."""
        out: list[ResolvedCase] = []
        for document in self.documents:
            wanted = self.case_filter.get(document.path)
            out.extend(c for c in document.cases if not wanted or c.id in wanted)
        return out

    def cases(self) -> list[ResolvedCase]:
        """The compared cases in the chosen order."""
        cases = self.all_cases()
        key = (tuple(id(c) for c in cases), self.sort)
        if self._sorted is None or self._sorted[:2] != key:
            self._sorted = (key[0], key[1], sort_cases(cases, self.sort))
        return list(self._sorted[2])

    def refresh(self) -> None:
        cases = self.cases()
        self.alignment = align_cases(cases, self.align)
        self.options = dataclasses.replace(self.options, shifts=dict(self.alignment.shifts),
                                           shared_lanes_only=self.shared_lanes_only)
        self.plot.header_notes = {cid: not_aligned_note(note) for cid, note in self.alignment.notes.items()}
        self.plot.align_title = self._axis_subject()
        self.plot.shared_origin = self.alignment.origin_date  # type: ignore[assignment]
        super().refresh()
        layout = self.plot.layout_
        if not cases or layout is None:
            self.strip.hide()
            self.strip_caption.hide()
            self.comparisonChanged.emit()
            return
        if self._pending_range is not None:
            self.plot.set_time_range(*self._pending_range)
            self._pending_range = None
            self._fit_time_next = False
        elif self._fit_time_next:
            self.fit_time()
            self._fit_time_next = False
        self.strip.left_axis.setWidth(self._lane_axis_width())
        self.strip.set_cases(self.plot.cases, self.options.shifts, self.alignment.notes, layout.x_range)
        self.strip.show()
        self.strip_caption.show()
        unaligned = len(self.alignment.notes)
        notes = [self.problem] if self.problem else []
        if unaligned:
            notes.append(f"{unaligned} of {len(cases)} cases not aligned")
        self.note_label.setText("; ".join(notes))
        self.comparisonChanged.emit()

    def _axis_subject(self) -> str:
        if self.align == "anchor":
            return ""  # TimelinePlot names the shared anchor, or "each case's day 0"
        if self.align == "calendar":
            origin = self.alignment.origin_date
            return f"{origin} (earliest day 0)" if origin is not None else "each case's day 0"
        return self.alignment.title

    def _lane_axis_width(self) -> int:
        axis = self.plot.lane_axis
        width = getattr(axis, "fixedWidth", None)
        return int(width if width is not None else axis.width())

    def initial_fit(self) -> None:
        """Fit the plot to its final size, keeping the time range a case set was saved with."""
        self.plot.fit()
        if self.initial_range is not None:
            self.plot.set_time_range(*self.initial_range)

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
        import yaml

        folder = os.path.dirname(os.path.abspath(target))
        files: list[Any] = []
        for document in self.documents:
            try:
                rel = os.path.relpath(document.path, folder)
            except ValueError:  # another drive: keep it absolute
                rel = document.path
            rel = rel.replace(os.sep, "/")
            wanted = self.case_filter.get(document.path)
            files.append({"path": rel, "cases": list(wanted)} if wanted else rel)
        lo, hi = self.plot.time_range()
        caseset: dict[str, Any] = {"title": self.title}
        if self.description:
            caseset["description"] = self.description
        caseset.update({
            "files": files,
            "align": self.align,
            "sort": self.sort,
            "hidden_lanes": sorted(self.options.hidden_lanes),
            "shared_lanes_only": self.shared_lanes_only,
            "range": [round(lo, 2), round(hi, 2)],
        })
        body = yaml.safe_dump({"caseline": 1, "caseset": caseset}, sort_keys=False, allow_unicode=True,
                              default_flow_style=None, width=100)
        return "# Saved by caseline: the cases compared, and how (alignment, sort, lanes, time range).\n" + body

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


# ---------------------------------------------------------------------------- table dialog


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

    def __init__(self, frame: pd.DataFrame, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Comparison table: {title}" if title else "Comparison table")
        self.resize(1100, 360)
        self.frame = frame
        self.view = QTableView()
        self.view.setModel(DataFrameModel(frame, self))
        self.view.setWordWrap(True)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.copy_button = QPushButton("Copy")
        self.save_button = QPushButton("Save CSV…")
        close_button = QPushButton("Close")
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel("Latencies in days; '?' = the source gives no upper bound."))
        buttons.addStretch(1)
        for button in (self.copy_button, self.save_button, close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
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

    def save_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save table as CSV", "comparison.csv", "CSV (*.csv)")
        if path:
            self.save_csv(path)
