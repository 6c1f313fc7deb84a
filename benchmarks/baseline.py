"""The baselines caseline's frames are measured against, drawn in the same process and run.

* ``batched_plot``: the bare batched culled design (docs/qt-notes.md): one custom item per layer
  (bars, points) in a plain pyqtgraph PlotWidget, each paint culling its numpy arrays to the view,
  merging sub-pixel bars per (pixel column, row), and handing the arrays to one ``drawRects`` call per
  colour. No labels, glyphs, whiskers, bands, severity or rules: what caseline must stay within 1.5x
  of while drawing all of those. ``eager=True`` connects ``sigRangeChanged`` to ``updateMatrix`` (the
  one-line fix caseline uses, so a pan step paints once); ``eager=False`` is pyqtgraph as it comes.
* ``naive_plot`` (benchmarks/naive.py): one QGraphicsItem per mark, the known trap.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter

from caseline.layout.timeline_layout import Marks, TimelineLayout
from caseline.render.batch import Batch
from caseline.theme import SCREEN


class _ArraysItem(pg.GraphicsObject):
    """One layer of marks as rectangles: culled to the view, merged below a pixel, one drawRects per colour."""

    def __init__(self, marks: Marks, x_range: tuple[float, float], n_rows: int, point_px: float = 0.0) -> None:
        super().__init__()
        self.marks = marks
        self.x_range = x_range
        self.n_rows = n_rows
        self.point_px = point_px  # > 0: fixed-size squares (points); 0: bars spanning x0..x1
        self.batch = Batch()
        self.colors = [QColor(c) for c in SCREEN.colors()]

    def boundingRect(self) -> QRectF:
        lo, hi = self.x_range
        return QRectF(lo - (hi - lo), -0.5, 3 * (hi - lo), self.n_rows + 1.0)

    def paint(self, painter: QPainter, *args: object) -> None:
        vb = self.getViewBox()
        if vb is None:
            return
        view = vb.viewRect()
        t = painter.transform()
        sx, dx, sy, dy = t.m11(), t.m31(), t.m22(), t.m32()
        m = self.marks
        top, bottom = min(view.top(), view.bottom()), max(view.top(), view.bottom())
        sel = np.nonzero((m.x1 >= view.left()) & (m.x0 <= view.right()) & (m.y >= top - 1) & (m.y <= bottom + 1))[0]
        if sel.size == 0:
            return
        painter.save()
        painter.resetTransform()
        painter.setPen(pg.mkPen(None))
        X0 = np.maximum(m.x0[sel] * sx + dx, view.left() * sx + dx - 10)
        X1 = np.minimum(m.x1[sel] * sx + dx, view.right() * sx + dx + 10)
        Y = (m.y[sel] - 0.5 + 0.66) * sy + dy
        color = m.color[sel]
        h = abs(sy) * 0.3
        for c in np.unique(color):
            k = np.nonzero(color == c)[0]
            painter.setBrush(self.colors[int(c)])
            if self.point_px:
                # one square per pixel spot
                key = np.unique(np.round(X0[k]).astype(np.int64) * 1_000_003 + np.round(Y[k]).astype(np.int64),
                                return_index=True)[1]
                k = k[key]
                s = self.point_px
                self.batch.rects(painter, X0[k] - s / 2, Y[k] - s / 2, s, s)
                continue
            wide = k[(X1[k] - X0[k]) >= 1.0]
            narrow = k[(X1[k] - X0[k]) < 1.0]
            self.batch.rects(painter, X0[wide], Y[wide] - h / 2, X1[wide] - X0[wide], h)
            if narrow.size:
                cells = np.unique(np.floor(X0[narrow]).astype(np.int64) * 1_000_003
                                  + np.round(Y[narrow]).astype(np.int64), return_index=True)[1]
                n = narrow[cells]
                self.batch.rects(painter, np.floor(X0[n]), Y[n] - h / 2, 1.0, h)
        painter.restore()


def batched_plot(layout: TimelineLayout, eager: bool = True) -> pg.PlotWidget:
    """The bare batched culled baseline of ``layout`` (see the module docstring)."""
    plot = pg.PlotWidget(background="w")
    vb = plot.getViewBox()
    vb.invertY(True)
    if eager:
        vb.sigRangeChanged.connect(lambda *_: vb.updateMatrix())
    for marks, px in ((layout.bars, 0.0), (layout.points, 7.0)):
        plot.addItem(_ArraysItem(marks, layout.x_range, layout.n_rows, px))
    x_lo, x_hi = layout.x_range
    plot.setXRange(x_lo, x_hi, padding=0.03)
    plot.setYRange(0, max(1, layout.n_rows), padding=0)
    return plot
