"""The comparison's latency strip: one row per case, from the first suspected dose to the reaction
onset, and from each rescue therapy to the first documented improvement; x-linked to the timeline."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF
from PySide6.QtWidgets import (
    QToolTip,
    QWidget,
)

from caseline.analysis.alignment import (
    not_aligned_note,
)
from caseline.analysis.metrics import (
    CaseMetrics,
    case_metrics,
    format_duration,
)
from caseline.model.kinds import Category
from caseline.render.widget_fixes import keep_own_tooltip
from caseline.theme import SCREEN, Theme
from caseline.timeline.resolved import Interval, ResolvedCase

if TYPE_CHECKING:
    pass


class LatencyStrip(pg.PlotWidget):
    """One row per case: first suspected dose to onset (with the onset's uncertainty), and each
    rescue therapy to the first documented improvement. Shares the time axis of the main plot."""

    ROW_PX = 24
    #: The thinnest row that still carries its case's name and summary (one line of the strip's type).
    MIN_TEXT_ROW_PX = 13

    def __init__(self, theme: Theme = SCREEN, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        self.theme = theme
        self.setBackground(QColor(theme.background))
        plot = self.getPlotItem()
        plot.hideButtons()
        plot.setMenuEnabled(False)
        plot.hideAxis("bottom")
        for hidden in ("bottom", "top", "right"):  # hidden, but linked: no SI-prefixed title set on each pan step
            plot.getAxis(hidden).enableAutoSIPrefix(False)
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
        self._metrics_cache: dict[int, tuple[ResolvedCase, CaseMetrics, _StripRow | None]] = {}  # id -> (case, ...)
        self.rows_text: list[str] = []
        self._items: list[Any] = []
        self._slots: dict[int, Any] = {}  # slot -> its marks item, kept (_marks)
        self.max_height = 260  # the tab lowers it on a small screen
        self.dense = False  # more cases than named rows fit: thin rows, no summaries (set_cases)
        self._labels: list[tuple[float, float, float, str, Any]] = []  # left, right, y, full text, item
        self._text_items: list[Any] = []  # kept across set_cases: a switch of sort or alignment reuses them
        self.viewbox.sigXRangeChanged.connect(lambda *_: self._place_labels())
        self.scene().sigMouseMoved.connect(self._mouse_moved)

    def set_cases(self, cases: Sequence[ResolvedCase], shifts: dict[str, float], notes: dict[str, str],
                  x_range: tuple[float, float]) -> None:
        """Draw one row per case at its aligned position; infinite bounds run to the edge."""
        self._items = []  # the kept marks items drawn this time (_marks)
        self.cases = list(cases)
        # a switch of alignment or sort hands the same cases again: their metrics and worded rows are kept
        known = self._metrics_cache
        self._metrics_cache = {id(c): known[id(c)] if id(c) in known and known[id(c)][0] is c
                               else (c, case_metrics(c), None) for c in self.cases}
        self.metrics = [self._metrics_cache[id(c)][1] for c in self.cases]
        n = len(self.cases)
        lo_edge, hi_edge = x_range
        suspect = QColor(self.theme.category_color(Category.SUSPECT))
        rescue = QColor(self.theme.category_color(Category.RESCUE))
        soft = QColor(suspect)
        soft.setAlpha(60)
        rows: list[_StripRow] = []
        for case in self.cases:
            c, m, row_data = self._metrics_cache[id(case)]
            if row_data is None:
                row_data = _StripRow.of(case, m)
                self._metrics_cache[id(case)] = (c, m, row_data)
            rows.append(row_data)
        y = np.arange(n, dtype=np.float64) + 0.5
        shift = np.array([shifts.get(case.id, 0.0) for case in self.cases], dtype=np.float64)
        has_lat = np.array([r.latency is not None for r in rows], dtype=bool)
        lat = np.array([r.latency or (0.0, 0.0) for r in rows], dtype=np.float64).reshape(-1, 2) + shift[:, None]
        unc_rows = np.array([r.onset_span is not None for r in rows], dtype=bool)
        unc = np.array([r.onset_span or (0.0, 0.0) for r in rows], dtype=np.float64).reshape(-1, 2) + shift[:, None]
        res_row = np.array([k for k, r in enumerate(rows) for _ in r.rescues], dtype=np.int64)
        res = np.array([(x0, x1, off) for r in rows for x0, x1, off in r.rescues], dtype=np.float64).reshape(-1, 3)
        res_x0, res_x1 = res[:, 0] + shift[res_row], res[:, 1] + shift[res_row]
        res_y = y[res_row] + res[:, 2]
        self.rows_text = [r.text if case.id not in notes else r.text_with_note(not_aligned_note(notes[case.id]))
                          for case, r in zip(self.cases, rows, strict=True)]
        # more cases than rows of text fit (hundreds): each case a thin row, every k-th named (not at the
        # strip's edges, where half a name would be cut), no summaries
        # (each row's tooltip still tells it): the strip stays an overview within its height
        fit = max(1, (self.max_height - 6) // self.MIN_TEXT_ROW_PX)
        self.dense = n > fit
        every = math.ceil(n / fit) if self.dense else 1
        self.left_axis.setTicks([[(float(y[k]), case.id + (" *" if case.id in notes else ""))
                                  for k, case in enumerate(self.cases) if k % every == every // 2], []])
        lx0, lx1 = lat[has_lat, 0], lat[has_lat, 1]
        self._bars(0, lx0, np.maximum(lx1, lx0), y[has_lat], 0.34, suspect)
        self._bars(1, np.clip(unc[unc_rows, 0], lo_edge, hi_edge), np.clip(unc[unc_rows, 1], lo_edge, hi_edge),
                   y[unc_rows], 0.1, soft)
        self._bars(2, res_x0, np.maximum(res_x0, res_x1), res_y, 0.16, rescue)
        mark_px = min(1.0, (self.max_height - 6) / max(1, n) / self.MIN_TEXT_ROW_PX) if self.dense else 1.0
        self._marks(3, pg.ScatterPlotItem, bool(has_lat.any()), x=lx1, y=y[has_lat], symbol="t1",
                    size=max(3.0, 10 * mark_px), pen=None,
                    brush=pg.mkBrush(QColor(self.theme.category_color(Category.SYMPTOM))))
        self._marks(4, pg.ScatterPlotItem, bool(res_row.size), x=res_x1, y=res_y, symbol="o",
                    size=max(3.0, 7 * mark_px), pen=pg.mkPen(rescue), brush=pg.mkBrush(QColor(self.theme.background)))
        # each row's summary right of its marks: the marks' extent, shifted
        texts: list[tuple[float, float, float, str]] = []  # left and right end of the row's marks, y, text
        for k, r in enumerate(rows):
            if r.summary and not self.dense:
                texts.append((r.left + float(shift[k]), r.right + float(shift[k]), float(y[k]), r.summary))
        # one TextItem per row's summary (the timeline uses its own layer), made once and reused
        self._labels = []
        while len(self._text_items) < len(texts):
            item = pg.TextItem("", color=QColor(self.theme.foreground), anchor=(0, 0.5))
            item.setFont(self.font)
            item.setZValue(1)  # over the bars added after it
            self.addItem(item)
            self._text_items.append(item)
        for k, item in enumerate(self._text_items):
            item.setVisible(k < len(texts))
        for (left, right, y_text, text), item in zip(texts, self._text_items, strict=False):
            self._labels.append((left, right, y_text, text, item))
        self._place_labels()
        self.viewbox.setLimits(yMin=0, yMax=max(1, n))
        self.viewbox.setYRange(0, max(1, n), padding=0)
        # rows shrink (to 13 px, still one line of its type) before the strip takes more than its share
        if self.dense:
            self.setFixedHeight(self.max_height)
        else:
            row_px = max(self.MIN_TEXT_ROW_PX, min(self.ROW_PX, (self.max_height - 6) // max(1, n)))
            self.setFixedHeight(row_px * max(1, n) + 6)

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
            anchor = (1, 0.5) if on_left else (0, 0.5)
            if item.toPlainText() != shown:  # (kept items: a switch of alignment mostly only moves them)
                item.setText(shown)
            if tuple(item.anchor) != anchor:
                item.setAnchor(anchor)
            item.setPos(left if on_left else right, y)

    def resizeEvent(self, ev: Any) -> None:
        super().resizeEvent(ev)
        self._place_labels()

    def viewportEvent(self, ev: Any) -> bool:
        return keep_own_tooltip(ev) or bool(super().viewportEvent(ev))

    def _marks(self, slot: int, kind: Any, shown: bool, **data: Any) -> None:
        """The marks item of ``slot`` given ``data``, or hidden: kept across set_cases (a switch of alignment or
        sort made and added five pyqtgraph items again, about 2.5 ms of its 8), stacked by slot."""
        item = self._slots.get(slot)
        if not shown:
            if item is not None:
                item.setVisible(False)
            return
        if item is None or not isinstance(item, kind):
            item = self._slots[slot] = kind(**data)
            item.setZValue(slot * 0.01)  # in slot order, under the summaries (z 1) whenever it was made
            self.addItem(item)
        elif kind is pg.BarGraphItem:
            item.setOpts(**data)
        else:
            item.setData(**data)
        item.setVisible(True)
        self._items.append(item)

    def _bars(self, slot: int, x0: np.ndarray, x1: np.ndarray, y: np.ndarray, height: float, color: QColor) -> None:
        left = np.asarray(x0, dtype=float)
        width = np.maximum(np.asarray(x1, dtype=float) - left, 0.0)
        self._marks(slot, pg.BarGraphItem, bool(x0.size), x0=left, width=width, y=np.asarray(y), height=height,
                    brush=pg.mkBrush(color), pen=pg.mkPen(None))

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


@dataclass(frozen=True)
class _StripRow:
    """One case's row of the strip in the case's own days (a switch of alignment adds its shift), worded once."""

    text: str  # the tooltip (HTML)
    summary: str  # beside the marks: 'latency 14 d · IVIG → 10 d'
    latency: tuple[float, float] | None  # first dose, onset
    onset_span: tuple[float, float] | None  # an onset not known to the day: its bounds
    rescues: list[tuple[float, float, float]]  # start, first improvement, row offset
    left: float
    right: float

    @staticmethod
    def of(case: ResolvedCase, m: CaseMetrics) -> _StripRow:
        lines = [f"<b>{html.escape(case.id)}</b>: {html.escape(case.case.title)}"]
        summary: list[str] = []
        lefts: list[float] = []
        right = -math.inf
        latency = onset_span = None
        if m.first_dose is not None and m.onset is not None and m.latency is not None:
            latency = (m.first_dose.best, m.onset.best)
            if not m.onset.is_exact:
                onset_span = (m.onset.lo, m.onset.hi)
            summary.append(f"latency {_strip_duration(m.latency)}")
            lefts.append(m.first_dose.best)
            right = max(right, m.onset.best)
            lines.append(f"Latency (first {html.escape(m.suspected_drug)} dose to onset): "
                         f"{format_duration(m.latency)}")
        else:
            lines.append("Latency: not stated (no dated first dose or onset)")
        lines.append(f"Dechallenge: {html.escape(m.dechallenge)}")
        offsets = _offsets(len(m.rescues))
        rescues = []
        for k, r in enumerate(m.rescues):
            if r.time_to_improvement is None or r.improvement is None or r.improvement.start is None:
                lines.append(f"{html.escape(r.therapy)}: no improvement documented after it")
                continue
            x0, x1 = r.start.best, r.improvement.start.best
            rescues.append((x0, x1, offsets[k]))
            lefts.append(x0)
            summary.append(f"{r.therapy} → {_strip_duration(r.time_to_improvement)}")
            right = max(right, x0, x1)
            lines.append(f"{html.escape(r.therapy)} to first improvement: {format_duration(r.time_to_improvement)}")
        left = min([*lefts, right])
        return _StripRow("<br>".join(lines), " · ".join(summary), latency, onset_span, rescues, left, right)

    def text_with_note(self, note: str) -> str:
        """The tooltip with why the case is not aligned as asked, after its title."""
        title, _, rest = self.text.partition("<br>")
        return f"{title}<br>{html.escape(note)}<br>{rest}"


def _strip_duration(value: Interval) -> str:
    """Compact text for the strip, as the table words it ('56 d', '91 d (63-119)', '≥15 d'): a time bounded
    only below is never printed as its placed best estimate (the paper gave no number); with no bound at
    all beyond 'after' it is 'not stated'."""
    if not math.isfinite(value.hi) and value.lo <= 0:
        return "not stated"
    return format_duration(value).replace(" days", " d").replace(" day", " d")


def _offsets(count: int) -> list[float]:
    if count <= 1:
        return [0.0] * count
    step = min(0.2, 0.6 / (count - 1))
    return [(k - (count - 1) / 2) * step for k in range(count)]
