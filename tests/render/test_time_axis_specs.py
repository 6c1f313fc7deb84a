"""The time axis's own drawing specs (render.axes.TimeAxis.generateDrawSpecs) are pyqtgraph's: the same axis
line, the same ticks with the same pen, the same labels in the same boxes, for every unit, at many views and
with history bands covering the axis's ends."""

from __future__ import annotations

from datetime import date

import pyqtgraph as pg
import pytest
from PySide6.QtGui import QPainter, QPicture

from caseline.render.axes import TimeAxis
from figure_support import shown_plot
from support import INFLIXIMAB


def specs(axis: TimeAxis, ours: bool):  # type: ignore[no-untyped-def]
    picture = QPicture()
    painter = QPainter(picture)
    try:
        made = axis.generateDrawSpecs(painter) if ours else pg.AxisItem.generateDrawSpecs(axis, painter)
    finally:
        painter.end()
    assert made is not None
    (pen, a, b), ticks, texts = made
    return ((pen.color().rgba(), pen.widthF(), a.x(), a.y(), b.x(), b.y()),
            [(t_pen.color().rgba(), t_pen.widthF(), p1.x(), p1.y(), p2.x(), p2.y()) for t_pen, p1, p2 in ticks],
            [(rect.x(), rect.y(), rect.width(), rect.height(), int(flags), text) for rect, flags, text in texts])


@pytest.mark.parametrize("mode", ["days", "weeks", "months", "dates"])
def test_the_time_axis_specs_are_pyqtgraphs(qtbot, mode) -> None:
    plot = shown_plot(qtbot, INFLIXIMAB, 900, 500)
    axis = plot.time_axis
    axis.set_mode(mode, date(2013, 2, 1))
    lo, hi = plot.layout_.x_range
    compared = 0
    for start, span, covered in [(lo, hi - lo, (0.0, 0.0)), (lo + 40.0, 90.0, (60.0, 60.0)),
                                 (lo - 500.0, 3000.0, (0.0, 80.0)), (12.5, 0.75, (0.0, 0.0)),
                                 (-7.3, 33.3, (25.0, 0.0))]:
        plot.set_time_range(start, start + span)
        plot.viewport().grab()
        axis.set_covered(*covered)
        theirs, ours = specs(axis, ours=False), specs(axis, ours=True)
        assert ours == theirs
        compared += len(ours[2])
    assert compared >= 10, "tick labels were compared"
