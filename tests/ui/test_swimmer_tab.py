"""The comparison tab's swimmer layout and the focus on the story in the window (real widgets, offscreen)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from caseline.analysis.reveal import reveal_key
from caseline.layout.swimmer import SwimmerLayout
from caseline.layout.timeline_layout import RowKind
from caseline.ui.comparison_tab import ComparisonTab
from support import CASESET, INFLIXIMAB, LATENCY_ORDER


def open_caseset(window, qtbot) -> ComparisonTab:
    tab = window.open_files([str(CASESET)])[0]
    assert isinstance(tab, ComparisonTab)
    qtbot.waitUntil(lambda: tab.plot.layout_ is not None, timeout=10000)
    QApplication.processEvents()
    return tab


def choose(combo, data) -> None:
    """Pick an entry as the user does (the 'activated' signal fires only on user choices)."""
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    QApplication.processEvents()


def test_layout_control_switches_to_a_swimmer_plot_and_back(window, qtbot):
    tab = open_caseset(window, qtbot)
    assert tab.layout_combo.currentData() == "lanes"
    lanes_rows = tab.plot.layout_.n_rows
    choose(tab.layout_combo, "swimmer")
    layout = tab.plot.layout_
    assert isinstance(layout, SwimmerLayout)
    assert tab.view.layout == "swimmer"
    assert [row.case_id for row in layout.rows] == LATENCY_ORDER  # one row per case, in the set's sort
    assert all(row.kind is RowKind.LANE for row in layout.rows)
    assert not tab.strip.isVisible(), "the swimmer rows say what the latency strip would"
    assert not tab.shared_check.isEnabled()
    assert "latency from first dose" in tab.plot.getPlotItem().titleLabel.text.replace("&nbsp;", " ")
    lo, hi = tab.plot.time_range()
    assert lo < 0 < 56 < hi < 500, "the time axis shows the story, not the myeloma's years"
    choose(tab.layout_combo, "lanes")
    assert tab.plot.layout_.n_rows == lanes_rows
    assert tab.layout_combo.currentData() == "lanes"


def test_window_opens_a_case_on_its_story_with_earlier_history_marked(window, qtbot):
    tab = window.open_files([str(INFLIXIMAB)])[0]
    qtbot.waitUntil(lambda: tab.plot.layout_ is not None, timeout=10000)
    tab.plot.fit_story()
    QApplication.processEvents()
    tab.plot.grab()  # paint once
    lo, hi = tab.plot.time_range()
    assert -40 < lo < 0 and 150 < hi < 200
    earlier, later = tab.plot.history.last_counts
    assert earlier >= 3 and later == 0, "diagnosis and earlier treatments are marked, not cut silently"
    window.fit()  # F: the whole history
    QApplication.processEvents()
    tab.plot.grab()
    assert tab.plot.time_range()[0] < -300
    assert tab.plot.history.last_counts == (0, 0)



def test_save_set_keeps_the_swimmer_layout_and_reopens_in_it(window, qtbot, tmp_path):
    tab = open_caseset(window, qtbot)
    choose(tab.layout_combo, "swimmer")
    target = tmp_path / "swim.caseset.yaml"
    tab.save_caseset(str(target))
    assert "layout: swimmer" in target.read_text(encoding="utf-8")
    window.close_tab(window.tabs.indexOf(tab))
    again = window.open_files([str(target)])[0]
    qtbot.waitUntil(lambda: again.plot.layout_ is not None, timeout=10000)
    assert again is not tab
    assert again.view.layout == "swimmer" and again.layout_combo.currentData() == "swimmer"
    assert isinstance(again.plot.layout_, SwimmerLayout)


def test_earlier_history_is_drawn_compressed_behind_the_break(window, qtbot):
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QColor

    from caseline.model.kinds import Category
    from caseline.theme import SCREEN

    tab = window.open_files([str(INFLIXIMAB)])[0]
    qtbot.waitUntil(lambda: tab.plot.layout_ is not None, timeout=10000)
    window.resize(1280, 800)
    QApplication.processEvents()
    tab.plot.fit_story()
    QApplication.processEvents()
    plot = tab.plot
    image = plot.grab().toImage()
    width = float(plot.viewbox.width())
    text_px, history_px = plot.history.text_px(), plot.history.history_px(width)
    assert history_px > 0, "a window this wide has room for the compressed history"
    # methylprednisolone (given long before the first dose) is drawn in the band, in its category's colour,
    # between the band's text and the break
    row = next(r for r, lane in enumerate(plot.layout_.rows) if lane.lane == "Methylprednisolone")
    lo, _ = plot.time_range()
    top = plot.mapFromScene(plot.viewbox.mapViewToScene(QPointF(lo, float(row))))
    bottom = plot.mapFromScene(plot.viewbox.mapViewToScene(QPointF(lo, row + 1.0)))
    want = QColor(SCREEN.category_color(Category.DRUG))

    def near(c: QColor) -> bool:
        return abs(c.red() - want.red()) + abs(c.green() - want.green()) + abs(c.blue() - want.blue()) < 90

    band = [(x, y) for x in range(int(top.x() + text_px), int(top.x() + text_px + history_px))
            for y in range(top.y(), bottom.y())]
    assert any(near(image.pixelColor(x, y)) for x, y in band), "the earlier course is drawn in the band"
    # no tick of the axis under the band: its days are compressed, not on the axis's scale
    assert plot.time_axis.covered[0] >= text_px + history_px - 1


SAMPLE_FILES = sorted(p for p in CASESET.parent.glob("*.yaml"))


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_every_sample_opens_on_its_story_over_half_the_plot(window, qtbot, path):
    from caseline.analysis.focus import story_span

    tab = window.open_files([str(path)])[0]
    qtbot.waitUntil(lambda: tab.plot.layout_ is not None, timeout=10000)
    window.resize(1280, 800)
    QApplication.processEvents()
    getattr(tab, "initial_fit", tab.plot.fit_story)()
    QApplication.processEvents()
    plot = tab.plot
    plot.grab()
    shifts = plot.options.shifts
    spans = [(s[0] + shifts.get(c.id, 0.0), s[1] + shifts.get(c.id, 0.0))
             for c in plot.cases if (s := story_span(c)) is not None]
    first, last = min(s[0] for s in spans), max(s[1] for s in spans)
    lo, hi = plot.time_range()
    assert lo < first and last < hi, "first dose to outcome is in view"
    assert (last - first) / (hi - lo) >= 0.5, f"the story gets {(last - first) / (hi - lo):.0%} of the width"
    earlier_exists = any(c.extent()[0] + shifts.get(c.id, 0.0) < lo for c in plot.cases)
    if earlier_exists:
        assert plot.history.last_counts[0] > 0, "earlier history is marked (and drawn compressed), not cut"


def test_presentation_of_a_swimmer_comparison_steps_through_it(window, qtbot):
    tab = open_caseset(window, qtbot)
    choose(tab.layout_combo, "swimmer")
    presentation = window.teaching.presentation
    assert presentation.enter()
    assert isinstance(tab.plot.layout_, SwimmerLayout)
    for _ in range(4):
        presentation.next_step()
        QApplication.processEvents()
        tab.plot.grab()
    # a step shows only what has been revealed: no latency label of an onset still to come
    revealed = tab.plot.revealed_keys()
    layout = tab.plot.layout_
    drawn = tab.plot.labels.drawn_labels
    assert drawn, "the revealed marks keep their labels"
    for item, _rect in drawn:
        assert revealed is None or reveal_key(layout.items[item]) in revealed
    presentation.leave()
    assert tab.view.layout == "swimmer"
