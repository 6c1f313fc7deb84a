"""The comparison's latency strip: one row per case, from the first suspected dose to the reaction
onset, and from each rescue therapy to the first documented improvement; x-linked to the timeline."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

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
from caseline.render.timeline_plot import keep_own_tooltip
from caseline.theme import SCREEN, Theme
from caseline.timeline.resolved import Interval, ResolvedCase

if TYPE_CHECKING:
    pass


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
        self._metrics_cache: dict[int, tuple[ResolvedCase, CaseMetrics]] = {}  # id -> (case, its metrics)
        self.rows_text: list[str] = []
        self._items: list[Any] = []
        self.max_height = 260  # the tab lowers it on a small screen
        self._labels: list[tuple[float, float, float, str, Any]] = []  # left, right, y, full text, item
        self._text_items: list[Any] = []  # kept across set_cases: a switch of sort or alignment reuses them
        self.viewbox.sigXRangeChanged.connect(lambda *_: self._place_labels())
        self.scene().sigMouseMoved.connect(self._mouse_moved)

    def set_cases(self, cases: Sequence[ResolvedCase], shifts: dict[str, float], notes: dict[str, str],
                  x_range: tuple[float, float]) -> None:
        """Draw one row per case at its aligned position; infinite bounds run to the edge."""
        for item in self._items:
            self.removeItem(item)
        self._items = []
        self.cases = list(cases)
        # a switch of alignment or sort hands the same cases again: their metrics are kept
        known = self._metrics_cache
        self._metrics_cache = {id(c): known[id(c)] if id(c) in known and known[id(c)][0] is c
                               else (c, case_metrics(c)) for c in self.cases}
        self.metrics = [self._metrics_cache[id(c)][1] for c in self.cases]
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
        for (left, right, y, text), item in zip(texts, self._text_items, strict=False):
            self._labels.append((left, right, y, text, item))
        self._place_labels()
        self.viewbox.setLimits(yMin=0, yMax=max(1, n))
        self.viewbox.setYRange(0, max(1, n), padding=0)
        # rows shrink (to 13 px, still one line of its type) before the strip takes more than its share
        row_px = max(13, min(self.ROW_PX, (self.max_height - 6) // max(1, n)))
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
