"""The naive baseline: one QGraphicsItem per mark in a plain pyqtgraph PlotWidget.

This is the design STYLE.md calls the known trap (ephyviewer's epoch viewer): a rectangle item
per bar and a fixed-size ellipse item per point, same colours, same rows, same 1600x900 view.
It draws no labels, so the speed-up over caseline (which does) is if anything understated.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsItem, QGraphicsRectItem

from caseline.layout.timeline_layout import TimelineLayout
from caseline.theme import SCREEN


def naive_plot(layout: TimelineLayout) -> pg.PlotWidget:
    """A PlotWidget with one item per bar and per point of ``layout``."""
    plot = pg.PlotWidget(background="w")
    plot.getViewBox().invertY(True)
    brushes = [QBrush(QColor(c)) for c in SCREEN.colors()]
    pen = Qt.PenStyle.NoPen
    vb = plot.getViewBox()
    bars = layout.bars
    for i in range(len(bars)):
        x0, x1, y = float(bars.x0[i]), float(bars.x1[i]), float(bars.y[i])
        item = QGraphicsRectItem(QRectF(x0, y - 0.15, max(x1 - x0, 1e-3), 0.3))
        item.setPen(pen)
        item.setBrush(brushes[int(bars.color[i])])
        vb.addItem(item)
    points = layout.points
    for i in range(len(points)):
        item = QGraphicsEllipseItem(QRectF(-4, -4, 8, 8))
        item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        item.setPos(float(points.x0[i]), float(points.y[i]))
        item.setPen(pen)
        item.setBrush(brushes[int(points.color[i])])
        vb.addItem(item)
    x_lo, x_hi = layout.x_range
    plot.setXRange(x_lo, x_hi, padding=0.03)
    plot.setYRange(0, max(1, layout.n_rows), padding=0)
    return plot
