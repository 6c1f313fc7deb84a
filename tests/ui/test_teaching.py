"""Teaching in the window: presentation mode, reveal steps, hold-back and the de-identified view."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QApplication, QDockWidget, QToolBar

from caseline.theme import PROJECTOR
from support import BORTEZOMIB, CASESET, INFLIXIMAB, no_date


def open_and_wait(window, qtbot, path):
    tab = window.open_files([str(path)])[0]
    qtbot.waitUntil(lambda: tab.plot.layout_ is not None, timeout=10000)
    QApplication.processEvents()
    return tab


def index_of(plot, case_id: str, item_id: str) -> int:
    for i, item in enumerate(plot.layout_.items):
        if item.case_id == case_id and item.item_id == item_id:
            return i
    raise AssertionError(item_id)


def drawn(plot, index: int) -> bool:
    """Is the item in the layout's marks (not ghosted)?"""
    layout = plot.layout_
    in_marks = any(index in set(m.item.tolist()) for m in (layout.bars, layout.points)) or index in layout.undated
    return in_marks and index not in plot.paint_state.ghosted


def test_enter_and_leave_presentation_mode(window, qtbot):
    tab = open_and_wait(window, qtbot, BORTEZOMIB)
    plot = tab.plot
    screen_theme = plot.theme
    window.teaching.present_action.trigger()
    presentation = window.teaching.presentation
    assert presentation.active
    assert window.isFullScreen() and window.windowState() & Qt.WindowState.WindowFullScreen
    assert not window.menuBar().isVisible() and not window.statusBar().isVisible()
    assert not window.tabs.tabBar().isVisible()
    assert not any(d.isVisible() for d in window.findChildren(QDockWidget) + window.findChildren(QToolBar))
    assert plot.theme is PROJECTOR
    assert presentation.caption.isVisible() and presentation.caption.plain.startswith("Day")
    # still zoomable and pannable
    lo, hi = plot.time_range()
    plot.viewbox.scaleBy(x=0.5, y=None)
    assert plot.time_range()[1] - plot.time_range()[0] < (hi - lo) * 0.9
    qtbot.keyClick(plot, Qt.Key.Key_Escape)
    assert not presentation.active
    assert not window.isFullScreen()
    assert window.menuBar().isVisible() and window.statusBar().isVisible() and window.tabs.tabBar().isVisible()
    assert window.details_dock.isVisible() and window.lanes_dock.isVisible()
    assert plot.theme is screen_theme
    assert not presentation.caption.isVisible()
    assert plot.options.revealed is None and not plot.paint_state.ghosted and not plot.paint_state.highlighted


@pytest.mark.parametrize("mode", ["ghost", "hide"])
def test_step_forward_and_back(window, qtbot, mode):
    tab = open_and_wait(window, qtbot, BORTEZOMIB)
    plot = tab.plot
    presentation = window.teaching.presentation
    window.teaching.mode_actions[mode].trigger()
    assert presentation.enter()
    case_id = plot.cases[0].id
    assert presentation.index == 0
    # step 1: the myeloma diagnosis (day -1340.5), nothing of bortezomib yet; VAD came after it
    # (order only: it used to be drawn on the diagnosis day, in the same step)
    assert drawn(plot, index_of(plot, case_id, "mm_dx"))
    assert not drawn(plot, index_of(plot, case_id, "bz#1"))
    assert plot.paint_state.highlighted == {index_of(plot, case_id, "mm_dx")}
    if mode == "ghost":
        assert index_of(plot, case_id, "bz#1") in plot.paint_state.ghosted
    else:
        assert plot.options.revealed is not None and not plot.paint_state.ghosted
    for _ in range(20):  # the history before day 0 is a few steps, one per time
        qtbot.keyClick(plot, Qt.Key.Key_Right)
        if presentation.step().time >= 0.0:
            break
    step = presentation.step()
    assert step.time == 0.0
    day0 = presentation.index
    bz1 = index_of(plot, case_id, "bz#1")
    assert drawn(plot, bz1) and bz1 in plot.paint_state.highlighted
    assert not drawn(plot, index_of(plot, case_id, "bz#4"))
    assert presentation.caption.plain.startswith("Day 0")
    assert f"{case_id}/bz#1" in step.new_item_ids
    qtbot.keyClick(plot, Qt.Key.Key_PageDown)
    qtbot.keyClick(plot, Qt.Key.Key_PageUp)
    qtbot.keyClick(plot, Qt.Key.Key_Left)
    assert presentation.index == day0 - 1
    assert not drawn(plot, index_of(plot, case_id, "bz#1"))
    qtbot.keyClick(plot, Qt.Key.Key_End)
    assert all(drawn(plot, i) or plot.layout_.item_row[i] < 0 for i in range(len(plot.layout_.items))
               if plot.layout_.items[i].start is not None) or mode == "hide"
    assert not plot.paint_state.ghosted


def legend_text(plot) -> str:
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", plot.getPlotItem().titleLabel.text)).replace("\xa0", " ")


def test_hold_back_outcome_and_suspect_role(window, qtbot):
    tab = open_and_wait(window, qtbot, BORTEZOMIB)
    plot = tab.plot
    presentation = window.teaching.presentation
    window.teaching.hold_back_action.trigger()
    assert presentation.hold_back
    assert presentation.enter()
    case_id = plot.cases[0].id
    total = len(presentation.plan.steps)
    for k in range(total - 1):
        assert presentation.index == k
        assert not drawn(plot, index_of(plot, case_id, "death"))
        assert not drawn(plot, index_of(plot, case_id, "recovery"))
        headers = [" ".join(plot.shown.header_lines(c)) for c in plot.cases]
        for text in (presentation.caption.plain, legend_text(plot), *headers, plot.time_axis.labelText):
            assert "suspected" not in text.lower(), text
        for index in range(len(plot.layout_.items)):
            if drawn(plot, index):
                assert "suspected" not in plot.tooltip_html(index).lower()
        qtbot.keyClick(plot, Qt.Key.Key_Right)
    assert presentation.index == total - 1
    assert drawn(plot, index_of(plot, case_id, "death"))
    assert "Suspected drug" in legend_text(plot)
    assert "suspected" in presentation.caption.plain.lower()
    presentation.leave()
    assert not plot.view.hold_back


def test_presentation_in_comparison_view(window, qtbot):
    tab = open_and_wait(window, qtbot, CASESET)
    assert len(tab.plot.cases) > 1
    presentation = window.teaching.presentation
    assert presentation.enter()
    assert presentation.tab is tab
    presentation.next_step()
    assert presentation.index == 1 and tab.plot.paint_state.highlighted
    presentation.leave()
    assert tab.plot.theme is not PROJECTOR


def all_visible_text(window, tab) -> list[str]:
    plot = tab.plot
    texts = [str(t) for level in plot.time_axis.tickValues(*plot.time_range(), plot.time_axis.width())
             for t in plot.time_axis.tickStrings(level[1], 1.0, level[0] or 1.0)]
    texts.append(plot.time_axis.labelText)
    texts += [label.text for label in plot.layout_.labels]
    texts += [" ".join(plot.shown.header_lines(c)) for c in plot.cases]
    texts += [" ".join(v) for v in plot.paint_state.header_lines.values()]
    texts.append(legend_text(plot))
    texts += [plot.tooltip_html(i) for i in range(len(plot.layout_.items))]
    texts += [str(t) for t in plot.lane_axis._tickLevels[0]] if plot.lane_axis._tickLevels else []
    texts.append(window.details.toPlainText())
    texts.append(window.statusBar().currentMessage())
    return texts


def test_deidentified_view_shows_no_calendar_date(window, qtbot):
    tab = open_and_wait(window, qtbot, BORTEZOMIB)
    plot = tab.plot
    plot.set_cases(tab.cases()[:1])  # the report's own patient: dated, so the axis can show dates
    window.set_axis_mode("dates")
    assert plot.time_axis.mode == "dates"
    before = all_visible_text(window, tab)
    assert any(not no_date(t) for t in before)  # the sample really has dates
    window.teaching.deidentify_action.trigger()
    assert plot.deidentified and tab.view.deidentified
    assert plot.time_axis.mode == "days"  # dates fall back to days
    # the details panel for every item of every case
    for index in range(len(plot.layout_.items)):
        pos = plot.scene_pos_of_item(index)
        tab._on_click(index, Qt.KeyboardModifier.NoModifier)
        for text in (window.details.toPlainText(), plot.tooltip_html(index)):
            assert no_date(text), text
        del pos
    for text in all_visible_text(window, tab):
        assert no_date(text), text
    # the cursor read-out in the status bar
    plot.sigCursorMoved.emit(91.0)
    assert no_date(window.statusBar().currentMessage())
    # tabs opened later are de-identified too, and presentation keeps it
    other = open_and_wait(window, qtbot, INFLIXIMAB)
    assert other.plot.deidentified
    window.tabs.setCurrentWidget(tab)
    assert window.teaching.presentation.enter()
    for _ in range(len(window.teaching.presentation.plan.steps)):
        assert no_date(window.teaching.presentation.caption.plain)
        window.teaching.presentation.next_step()
    window.teaching.presentation.leave()
    window.teaching.deidentify_action.trigger()
    assert not plot.deidentified
    assert any(not no_date(t) for t in all_visible_text(window, tab))


def test_deidentified_comparison_has_no_date(window, qtbot):
    tab = open_and_wait(window, qtbot, CASESET)
    window.teaching.set_deidentified(True)
    for text in all_visible_text(window, tab):
        assert no_date(text), text


def test_hover_gives_nothing_away_for_ghosted_marks(window, qtbot):
    tab = open_and_wait(window, qtbot, BORTEZOMIB)
    plot = tab.plot
    presentation = window.teaching.presentation
    presentation.set_reveal_mode("ghost")
    assert presentation.enter()
    QApplication.processEvents()
    death = index_of(plot, plot.cases[0].id, "death")
    assert death in plot.paint_state.ghosted
    x, row = plot.layout_.item_position(death)
    plot.set_time_range(x - 50, x + 50)
    plot.viewbox.setYRange(row - 3, row + 1, padding=0)
    QApplication.processEvents()
    scene = plot.viewbox.mapViewToScene(QPointF(x, row - 0.5 + 0.66))
    assert plot.item_at_scene(scene) is None
