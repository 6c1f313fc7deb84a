"""What the history bands cover is history too: the marks stop at a band's inner edge, and an event under a
band is counted and compressed with the events beyond the view, never drawn over the band as if it were part
of the compressed history, nor left there uncounted."""

from __future__ import annotations

from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QImage

from figure_support import shown_plot
from support import INFLIXIMAB

VIEW = (28.0, 118.0)  # an event lies under the left band here (counted: 6 earlier, not 5)


def test_marks_stop_at_the_bands_and_what_they_cover_is_counted(qtbot) -> None:
    plot = shown_plot(qtbot, INFLIXIMAB, 1000, 700)
    plot.set_time_range(*VIEW)  # the long methotrexate course runs on beyond the right edge
    image: QImage = plot.viewport().grab().toImage()
    state, vb = plot.paint_state, plot.viewbox

    def px(day: float, row: float) -> QPointF:
        return QPointF(plot.mapFromScene(vb.mapViewToScene(QPointF(day, row))))

    inset_l, inset_r = state.label_inset_left, state.label_inset_right
    assert inset_l > 0 and inset_r > 0, "history on both sides: two bands"
    left_px, right_px = px(VIEW[0], 0).x(), px(VIEW[1], 0).x()
    days_per_px = (VIEW[1] - VIEW[0]) / (right_px - left_px)
    inner = (VIEW[0] + inset_l * days_per_px, VIEW[1] - inset_r * days_per_px)
    # the bands count what lies beyond their inner edges: more than lies beyond the view's edges
    assert plot.history.last_counts == plot.history.counts(*inner)
    at_view_edges = plot.history.counts(*VIEW)
    assert sum(plot.history.last_counts) > sum(at_view_edges), "an event under a band is counted"
    # the methotrexate bar (a long open course from day 0, fading out to the right) is drawn from the left
    # band's inner edge on, and not inside either band
    row = next(r for r, row in enumerate(plot.layout_.rows) if row.lane == "Methotrexate")
    y = int(px(60.0, row + state.mark_center).y())
    blue = QColor(state.colors[1])
    inside = QColor(image.pixelColor(int(left_px + inset_l + 20), y))
    assert _near(inside, blue), inside.name()
    for x in (left_px + inset_l * 0.4, right_px - inset_r * 0.4):
        in_band = QColor(image.pixelColor(int(x), y))
        assert not _near(in_band, blue), in_band.name()


def _near(a: QColor, b: QColor) -> bool:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) < 120
