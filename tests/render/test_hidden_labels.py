"""In the window, a label that loses its place is not dropped silently: a small '…' by its mark says something
is hidden (hovering the mark shows it), and a figure numbers it instead."""

from __future__ import annotations

import html

from PySide6.QtGui import QImage, QPainter

from caseline.render.timeline_plot import TimelinePlot
from caseline.timeline.load import load_file
from support import INFLIXIMAB


def paint(plot: TimelinePlot) -> None:
    image = QImage(plot.width(), plot.height(), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    plot.render(painter)
    painter.end()


def test_a_crowded_window_marks_the_labels_it_hides(qtbot) -> None:
    cases = load_file(INFLIXIMAB).cases
    plot = TimelinePlot()
    qtbot.addWidget(plot)
    plot.resize(520, 700)
    plot.show()
    plot.set_cases(cases)
    plot.fit()
    qtbot.wait(20)
    paint(plot)
    layer = plot.labels
    placed = layer._placed
    assert placed is not None
    assert layer.hidden_labels > 0, "the narrow view hides some labels"
    markers = [k for k, text in enumerate(placed.text) if text == "…"]
    assert markers, "a hidden label leaves a '…' by its mark"
    assert not layer.footnotes  # numbers and footnotes are for figures
    # each marker sits by a labelled mark whose hover tooltip gives the label
    arrays = layer.state.label_arrays(layer.state.label_font)
    for k in markers:
        item = int(arrays.item[int(placed.index[k])])
        assert html.escape(plot.layout_.items[item].label) in plot.tooltip_html(item)
