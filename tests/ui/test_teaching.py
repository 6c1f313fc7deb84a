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
    assert presentation.caption.isVisible()
    assert presentation.caption.plain.startswith(presentation.step().title + " (1/")
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
    # step 1: the first case's history (the myeloma diagnosis, earlier chemotherapy), no bortezomib yet
    assert presentation.step().title.endswith("History")
    assert drawn(plot, index_of(plot, case_id, "mm_dx"))
    assert not drawn(plot, index_of(plot, case_id, "bz#1"))
    assert {index_of(plot, case_id, "mm_dx"), index_of(plot, case_id, "vad")} <= plot.paint_state.highlighted
    if mode == "ghost":
        assert index_of(plot, case_id, "bz#1") in plot.paint_state.ghosted
    else:
        assert plot.options.revealed is not None and not plot.paint_state.ghosted
    qtbot.keyClick(plot, Qt.Key.Key_Right)
    step = presentation.step()
    assert step.title.endswith("Exposure") and step.case_id == case_id
    doses = [index_of(plot, case_id, f"bz#{k}") for k in range(1, 5)]
    # the whole schedule comes in one step, ringed
    assert all(drawn(plot, i) and i in plot.paint_state.highlighted for i in doses)
    assert presentation.caption.plain.startswith(step.title)
    assert "4 administrations" in presentation.caption.plain
    qtbot.keyClick(plot, Qt.Key.Key_PageDown)
    qtbot.keyClick(plot, Qt.Key.Key_PageUp)
    qtbot.keyClick(plot, Qt.Key.Key_Left)
    assert presentation.index == 0
    assert not drawn(plot, doses[0])
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


def lane_names(plot) -> list[str]:
    return [str(name) for _pos, name in plot.lane_axis._tickLevels[0]] if plot.lane_axis._tickLevels else []


def rows_in_view(plot) -> tuple[float, float]:
    lo, hi = plot.viewbox.viewRange()[1]
    return float(lo), float(hi)


@pytest.mark.parametrize("size", [(1024, 768), (1280, 800), (1920, 1080)])
def test_presentation_fits_every_lane_of_the_case_like_the_slides(window, qtbot, size):
    window.resize(*size)
    tab = open_and_wait(window, qtbot, INFLIXIMAB)
    presentation = window.teaching.presentation
    assert presentation.enter()
    window.resize(*size)  # offscreen 'full screen' is the screen's size: present at the projector's
    presentation._refit()
    lo, hi = rows_in_view(tab.plot)
    assert lo <= 0.01 and hi >= tab.plot.content_rows() - 0.01, "every lane on screen"
    min_row = presentation._min_row_px()
    assert tab.plot.viewbox.height() / (hi - lo) >= min_row * 0.95, "rows still tall enough for their labels"
    for _ in range(len(presentation.plan.steps)):
        lo2, hi2 = rows_in_view(tab.plot)
        assert (lo2, hi2) == pytest.approx((lo, hi)), "nothing to scroll: the case fits"
        presentation.next_step()


def test_case_set_presentation_follows_the_case_each_step_is_about(window, qtbot):
    tab = open_and_wait(window, qtbot, CASESET)
    presentation = window.teaching.presentation
    assert presentation.enter()
    presentation._refit()
    plot = tab.plot
    spans = presentation.case_rows()
    seen_cases = []
    for _ in range(len(presentation.plan.steps) - 1):
        step = presentation.step()
        layout = plot.layout_
        new_rows = [int(layout.item_row[i]) for i in range(len(layout.items))
                    if plot.key_of(i) in step.new_item_ids and layout.item_row[i] >= 0]
        lo, hi = rows_in_view(plot)
        assert all(lo - 0.01 <= r and r + 1 <= hi + 0.01 for r in new_rows), f"{step.title}: marks off-screen"
        case_index = [c.id for c in plot.cases].index(step.case_id)
        first, last = spans[case_index]
        if last - first <= hi - lo:
            assert lo <= first + 0.01 and last - 0.01 <= hi, f"{step.title}: its case is not all on screen"
        seen_cases.append(step.case_id)
        presentation.next_step()
    assert seen_cases[0] == plot.cases[0].id and len(set(seen_cases)) == len(plot.cases)


def test_ghosted_events_give_nothing_away(window, qtbot):
    from caseline.render.timeline_plot import LANE_TO_COME

    tab = open_and_wait(window, qtbot, INFLIXIMAB)
    plot = tab.plot
    presentation = window.teaching.presentation
    window.teaching.mode_actions["ghost"].trigger()
    assert presentation.enter()
    assert presentation.step().title == "History"
    names = lane_names(plot)
    assert "Weakness" not in names and "EMG / nerve conduction" not in names and "IVIG" not in names
    assert LANE_TO_COME in names and "Methylprednisolone" in names  # revealed lanes keep their names
    # the dashed "later" arrows of ghosted events are not drawn: compare the weakness row with and without
    image = plot.grab().toImage()
    layout = plot.layout_
    weakness_row = next(r for r, row in enumerate(layout.rows) if row.lane == "Weakness")
    x_right = plot.mapFromScene(plot.viewbox.mapViewToScene(QPointF(75.0, weakness_row + 0.5)))
    colour = image.pixelColor(x_right.x(), x_right.y())
    assert min(colour.red(), colour.green(), colour.blue()) > 170, "a full-colour arrow of an event to come"
    while presentation.step().title != "Reaction":
        presentation.next_step()
    assert "Weakness" in lane_names(plot)


def test_hold_back_neutralises_the_axis_title(window, qtbot):
    tab = open_and_wait(window, qtbot, INFLIXIMAB)
    assert "infliximab" in tab.plot.time_axis.labelText.lower()
    presentation = window.teaching.presentation
    window.teaching.hold_back_action.trigger()
    assert presentation.enter()
    assert "infliximab" not in tab.plot.time_axis.labelText.lower()
    assert "day 0" in tab.plot.time_axis.labelText
    presentation.go_to(len(presentation.plan.steps) - 1)
    assert "infliximab" in tab.plot.time_axis.labelText.lower()  # the last step reveals it


def test_case_set_latency_strip_shows_latencies_only_once_revealed(window, qtbot):
    tab = open_and_wait(window, qtbot, CASESET)
    full = [m.latency for m in tab.strip.metrics]
    assert any(latency is not None for latency in full)
    presentation = window.teaching.presentation
    assert presentation.enter()
    assert all(m.latency is None for m in tab.strip.metrics), "no latency before any reaction is revealed"
    first_case = tab.plot.cases[0].id
    while not presentation.step().title.endswith("Reaction") or presentation.step().case_id != first_case:
        presentation.next_step()
    shown = {m.case_id: m.latency for m in tab.strip.metrics}
    assert shown[first_case] is not None
    assert all(latency is None for cid, latency in shown.items() if cid != first_case)
    presentation.leave()
    assert [m.latency for m in tab.strip.metrics] == full
