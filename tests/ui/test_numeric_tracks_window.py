"""Numeric tracks in the window (issue 16, item 4), driven as a user would: the plot on screen, rendered to
SVG as it is painted, names the track's scale or test and unit; the legend explains the track and the
reference band; hovering a value shows its value, unit or scale, time and source."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QApplication

from support import SAMPLES, svg_texts

CSF_CASE = Path(__file__).resolve().parents[1] / "fixtures" / "csf-protein-track.caseline.yaml"


def open_and_wait(window, qtbot, path):
    tab = window.open_files([str(path)])[0]
    qtbot.waitUntil(lambda: tab.plot.layout_ is not None, timeout=10000)
    QApplication.processEvents()
    return tab


def item_index(tab, item_id: str) -> int:
    return next(i for i, item in enumerate(tab.plot.layout_.items) if item.item_id == item_id)


def painted_words(tab) -> str:
    """The text the plot paints on screen, as an SVG of the view."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(tab.plot.viewport().size())
    painter = QPainter(generator)
    tab.plot.render(painter)
    painter.end()
    return " ".join(" ".join(t for t, *_ in svg_texts(ET.fromstring(bytes(data.data())))).split())


def test_the_mrc_track_is_named_in_the_window_and_its_grade_hovers(window, qtbot) -> None:
    tab = open_and_wait(window, qtbot, SAMPLES / "bortezomib-myeloma.caseline.yaml")
    assert "MRC muscle strength (legs) 0–5" in painted_words(tab)
    legend = tab.plot.getPlotItem().titleLabel.item.toPlainText()
    assert "values over time" in legend
    tip = tab.plot.tooltip_html(item_index(tab, "weakness~1"))
    # value on its scale with the scale's range, the value as stated, the time and the source
    assert "1 on MRC muscle strength (legs), 0-5, higher is better" in tip, tip
    assert "Distal legs MRC 0-2/5" in tip and "day 63 or later" in tip and "Material and methods" in tip, tip


def test_a_csf_protein_track_in_the_window(window, qtbot) -> None:
    tab = open_and_wait(window, qtbot, CSF_CASE)
    words = painted_words(tab)
    assert "CSF protein, g/L" in words, words
    assert "CSF protein 1.8 g/L" in words, words
    legend = tab.plot.getPlotItem().titleLabel.item.toPlainText()
    assert "values over time" in legend and "reference range" in legend
    tip = tab.plot.tooltip_html(item_index(tab, "csf1"))
    assert "0.62" in tip and "g/L" in tip and "0.15" in tip, tip  # value, unit, reference range
    assert "Case" in tip and "day" in tip.lower(), tip  # the source's section, the time
