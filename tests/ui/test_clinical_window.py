"""In the window, driven as a user would (issue 13, items 4-8): hovering a rescue therapy shows its response,
clicking the reaction fills the details panel with its reported causality, outcome and action taken, and the
pertinent negative is drawn on its lane, named in its tooltip as absent."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from caseline.layout import timeline_layout as L
from caseline.model.kinds import Glyph


def open_and_wait(window, qtbot, path):
    tab = window.open_files([str(path)])[0]
    qtbot.waitUntil(lambda: tab.plot.layout_ is not None, timeout=10000)
    QApplication.processEvents()
    return tab


def item_index(tab, item_id: str) -> int:
    return next(i for i, item in enumerate(tab.plot.layout_.items) if item.item_id == item_id)


def test_the_tooltip_of_a_rescue_therapy_shows_its_response(window, qtbot, infliximab_path) -> None:
    tab = open_and_wait(window, qtbot, infliximab_path)
    assert "partial response" in tab.plot.tooltip_html(item_index(tab, "ivig"))
    assert "no response" in tab.plot.tooltip_html(item_index(tab, "ivig-later"))


def test_the_details_panel_shows_causality_outcome_and_action_taken(window, qtbot, infliximab_path) -> None:
    tab = open_and_wait(window, qtbot, infliximab_path)
    index = item_index(tab, "weakness")
    viewport_pos = tab.plot.mapFromScene(tab.plot.scene_pos_of_item(index))
    qtbot.mouseClick(tab.plot.viewport(), Qt.MouseButton.LeftButton, pos=viewport_pos)
    text = window.details.toPlainText()
    assert "Naranjo 7 (by the authors)" in text
    assert "recovering" in text and "withdrawn" in text
    assert "Improved after" in text


def test_the_negative_is_on_its_lane_and_named_absent(window, qtbot, infliximab_path) -> None:
    tab = open_and_wait(window, qtbot, infliximab_path)
    layout = tab.plot.layout_
    index = item_index(tab, "no-sensory-loss")
    (mark,) = [k for k in range(len(layout.points.item)) if layout.points.item[k] == index]
    assert int(layout.points.style[mark]) & L.GLYPH_MASK == Glyph.ABSENT
    assert layout.rows[layout.item_row[index]].lane == "Weakness"
    assert "stated as absent" in tab.plot.tooltip_html(index)
    legend = tab.plot.getPlotItem().titleLabel.item.toPlainText()  # the legend the window shows above the lanes
    assert "stated absent" in legend and "Procedures" in legend
