"""On screen, a numeric track's values never cover a mark's label (a busy synthetic case drew 'R4sh 0', a value
over its lane's label 'Rash 0', both unreadable): a value takes the other side of its step, or is left out (its
mark's tooltip tells it). Figures, which have no hover, keep every value (test_numeric_track_figures.py)."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter

from caseline.render.timeline_plot import TimelinePlot
from caseline.timeline.load import load_file


def _synthetic(directory):
    """A generated case (benchmarks.generate): many thin lanes, a severity track under each rash's label."""
    from benchmarks.generate import generate

    return load_file(generate(str(directory), 200, 1).yaml_path).cases


def test_values_keep_clear_of_the_labels_in_their_row(qtbot, tmp_path) -> None:
    plot = TimelinePlot()
    qtbot.addWidget(plot)
    plot.resize(700, 500)
    plot.show()
    plot.set_cases(_synthetic(tmp_path))
    plot.set_time_range(0.0, 40.0)  # rows too thin for a label band: labels and values share the row
    qtbot.wait(20)
    image = QImage(plot.width(), plot.height(), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    plot.render(painter)
    painter.end()
    layer = plot.labels
    placed = layer._placed
    assert placed is not None and placed.index.size, "the marks' labels are drawn"
    rows = layer.state.label_arrays(layer.state.label_font).row[placed.index]
    height = layer._row_boxes()
    boxes = [(int(r), QRectF(float(x), float(y), float(w), height[int(r)].height))
             for r, x, y, w in zip(rows, placed.x, placed.y, placed.width, strict=True)]
    values = [(row, box, text) for row, words in layer.track_words.items() for box, text in words
              if text.replace(".", "").isdigit()]
    assert values, "some values are written"
    for row, box, text in values:
        for label_row, label in boxes:
            assert not (label_row == row and box.intersects(label)), f"value {text} over a label at {label}"
