"""The viewer, driven as a user would: real window, real sample files, offscreen Qt."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent, QImage
from PySide6.QtWidgets import QApplication, QToolTip

from caseline.layout import timeline_layout as L
from caseline.model.kinds import Category
from caseline.theme import CATEGORY_COLORS
from caseline.ui.main_window import MainWindow


def open_and_wait(window, qtbot, path) -> object:
    tab = window.open_files([str(path)])[0]
    qtbot.waitUntil(lambda: tab.plot.layout_ is not None or tab.stack.currentWidget() is tab.error_page,
                    timeout=10000)
    QApplication.processEvents()
    return tab


def item_index(tab, item_id: str) -> int:
    for i, item in enumerate(tab.plot.layout_.items):
        if item.item_id == item_id:
            return i
    raise AssertionError(f"no item {item_id}")


def grab(tab) -> QImage:
    QApplication.processEvents()
    return tab.plot.grab().toImage()


def view_pixel(tab, image: QImage, x_day: float, y_row: float) -> QColor:
    scene = tab.plot.viewbox.mapViewToScene(QPointF(x_day, y_row))
    device = tab.plot.mapFromScene(scene)
    return image.pixelColor(device.x(), device.y())


def blend(color: str, alpha: int, background: str = "#FFFFFF") -> tuple[int, int, int]:
    c, b = QColor(color), QColor(background)
    a = alpha / 255.0
    return tuple(round(a * getattr(c, ch)() + (1 - a) * getattr(b, ch)()) for ch in ("red", "green", "blue"))


def close(color: QColor, rgb: tuple[int, int, int], tolerance: int = 18) -> bool:
    return all(abs(v - w) <= tolerance for v, w in zip((color.red(), color.green(), color.blue()), rgb, strict=False))


def test_lanes_grouped_by_category_and_marks_at_resolved_days(window, qtbot, infliximab_path):
    tab = open_and_wait(window, qtbot, infliximab_path)
    layout = tab.plot.layout_
    lanes = [row.lane for row in layout.rows if row.kind == L.RowKind.LANE]
    assert lanes[0] == "Infliximab"  # suspected drug first
    categories = [row.category for row in layout.rows if row.kind == L.RowKind.LANE]
    order = [L.CATEGORY_INDEX[c] for c in categories]
    assert order == sorted(order), "lanes must be grouped in the category order"
    assert {"Weakness", "IVIG", "EMG / nerve conduction"} <= set(lanes)
    # three infliximab doses at days 0, 14, 42 on the infliximab row
    for item_id, day in (("ifx#1", 0.0), ("ifx#2", 14.0), ("ifx#3", 42.0)):
        x, y = layout.item_position(item_index(tab, item_id))
        assert x == day
        assert layout.rows[int(y)].lane == "Infliximab"
    x, _ = layout.item_position(item_index(tab, "weakness"))
    assert x == 56.0
    # the undated strip holds the outcome whose time is not stated
    assert any(row.kind == L.RowKind.UNDATED for row in layout.rows)
    assert any(layout.items[i].event_id == "last-fu" for i in layout.undated)


def test_colours_sampled_from_the_grab(window, qtbot, infliximab_path):
    tab = open_and_wait(window, qtbot, infliximab_path)
    layout = tab.plot.layout_
    window.fit()  # the whole case: hyperbaric oxygen was given before the first dose, outside the story's window
    image = grab(tab)
    ifx_row = next(r for r, row in enumerate(layout.rows) if row.lane == "Infliximab")
    from caseline.render.painting import MARK_CENTER

    # middle of the infliximab course bar, between doses
    colour = view_pixel(tab, image, 28.0, ifx_row + MARK_CENTER)
    assert close(colour, blend(CATEGORY_COLORS[Category.SUSPECT], 215)), colour.name()
    hbo_row = next(r for r, row in enumerate(layout.rows) if row.lane == "Hyperbaric oxygen")
    hbo = layout.items[item_index(tab, "hbo")]
    middle = (hbo.start.best + hbo.end.best) / 2
    colour = view_pixel(tab, image, middle, hbo_row + MARK_CENTER)
    assert close(colour, blend(CATEGORY_COLORS[Category.PROCEDURE], 215)), colour.name()  # a procedure
    # the same category has the same colour in another case
    assert CATEGORY_COLORS[Category.SUSPECT] != CATEGORY_COLORS[Category.RESCUE]


def test_hover_shows_tooltip_with_dose_time_and_provenance(window, qtbot, infliximab_path):
    tab = open_and_wait(window, qtbot, infliximab_path)
    index = item_index(tab, "ifx#3")
    scene_pos = tab.plot.scene_pos_of_item(index)
    assert tab.plot.item_at_scene(scene_pos) == index
    tab.plot._mouse_moved(scene_pos)
    qtbot.waitUntil(QToolTip.isVisible, timeout=3000)
    text = QToolTip.text()
    for expected in ("Infliximab 5 mg/kg", "administration 3", "5 mg/kg", "week 6", "day 42",
                     "first infliximab dose", "Case Report"):
        assert expected in text, (expected, text)
    assert "Cursor: day 42" in window.statusBar().currentMessage()


def test_a_drag_hides_the_tooltip_instead_of_chasing_the_marks(window, qtbot, infliximab_path, monkeypatch):
    """While a mouse button is held (a pan by dragging), a move over a mark shows no tooltip and hides one
    shown: the marks slide under the pointer, and a tooltip per step would cover the view it moves."""
    import caseline.render.timeline_plot as timeline_plot

    tab = open_and_wait(window, qtbot, infliximab_path)
    scene_pos = tab.plot.scene_pos_of_item(item_index(tab, "ifx#3"))
    tab.plot._mouse_moved(scene_pos)
    qtbot.waitUntil(QToolTip.isVisible, timeout=3000)
    hovered: list[object] = []
    tab.plot.sigItemHovered.connect(lambda index, _pos: hovered.append(index))

    class Held:
        @staticmethod
        def mouseButtons() -> Qt.MouseButton:
            return Qt.MouseButton.LeftButton

    monkeypatch.setattr(timeline_plot, "QGuiApplication", Held)
    tab.plot._mouse_moved(scene_pos)
    qtbot.waitUntil(lambda: not QToolTip.isVisible(), timeout=3000)
    assert hovered == [None]
    monkeypatch.undo()
    tab.plot._mouse_moved(scene_pos)  # released: the tooltip again
    qtbot.waitUntil(QToolTip.isVisible, timeout=3000)
    assert hovered[-1] == item_index(tab, "ifx#3")
    # a drag pyqtgraph is carrying out (the button state it was sent, as a synthesized or remote drag has)
    monkeypatch.setattr(tab.plot.scene(), "dragButtons", [Qt.MouseButton.LeftButton])
    tab.plot._mouse_moved(scene_pos)
    qtbot.waitUntil(lambda: not QToolTip.isVisible(), timeout=3000)
    assert hovered[-1] is None


def test_undated_event_is_shown_and_hoverable(window, qtbot, infliximab_path):
    tab = open_and_wait(window, qtbot, infliximab_path)
    grab(tab)
    index = item_index(tab, "last-fu")
    scene_pos = tab.plot.scene_pos_of_undated(index)
    assert scene_pos is not None, "the undated outcome must be drawn in the undated strip"
    assert tab.plot.item_at_scene(scene_pos) == index
    tab.plot._mouse_moved(scene_pos)
    qtbot.waitUntil(QToolTip.isVisible, timeout=3000)
    assert "time not stated" in QToolTip.text()


def test_loading_runs_off_the_gui_thread(window, qtbot, infliximab_path):
    tab = window.open_files([str(infliximab_path)])[0]
    # right after opening, the worker is still reading: the window shows a busy page, not a freeze
    assert tab.stack.currentWidget() is tab.loading_page
    qtbot.waitUntil(lambda: tab.stack.currentWidget() is tab.plot, timeout=10000)


def test_click_selects_and_fills_details_panel(window, qtbot, infliximab_path):
    tab = open_and_wait(window, qtbot, infliximab_path)
    index = item_index(tab, "emg")
    viewport_pos = tab.plot.mapFromScene(tab.plot.scene_pos_of_item(index))
    qtbot.mouseClick(tab.plot.viewport(), Qt.MouseButton.LeftButton, pos=viewport_pos)
    text = window.details.toPlainText()
    assert "Mixed polyneuropathy, mainly axonal" in text
    assert "abnormal" in text
    assert "Naranjo 7" in text  # case metadata below the item
    assert "10.4274/turkderm.galenos.2018.70437" in text  # citation
    assert tab.plot.paint_state.selected == index


def test_hide_lane_from_lane_list(window, qtbot, infliximab_path):
    tab = open_and_wait(window, qtbot, infliximab_path)
    window.lanes.set_lane_visible("Weakness", False)
    layout = tab.plot.layout_
    assert "Weakness" not in [row.lane for row in layout.rows]
    weakness = [i for i, item in enumerate(layout.items) if item.lane == "Weakness"]
    assert weakness and all(layout.item_row[i] == -1 for i in weakness)
    assert not np.isin(layout.points.item, weakness).any()
    window.lanes.set_lane_visible("Weakness", True)
    assert "Weakness" in [row.lane for row in tab.plot.layout_.rows]


def test_ctrl_wheel_zooms_time_only_and_drag_pans(window, qtbot, infliximab_path):
    tab = open_and_wait(window, qtbot, infliximab_path)
    vb = tab.plot.viewbox
    (x0, x1), (y0, y1) = vb.viewRange()
    center = tab.plot.mapFromScene(vb.mapViewToScene(QPointF((x0 + x1) / 2, (y0 + y1) / 2)))
    from PySide6.QtGui import QWheelEvent

    event = QWheelEvent(QPointF(center), QPointF(tab.plot.mapToGlobal(center)), QPoint(0, 0), QPoint(0, 240),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase,
                        False)  # the plain wheel scrolls the lanes (tests/ui/test_navigation.py)
    QApplication.sendEvent(tab.plot.viewport(), event)
    (nx0, nx1), (ny0, ny1) = vb.viewRange()
    assert nx1 - nx0 < (x1 - x0) * 0.9, "Ctrl+wheel must zoom in on time"
    assert (ny0, ny1) == pytest.approx((y0, y1)), "wheel must not zoom the lanes"
    width = nx1 - nx0
    start = QPoint(center.x(), center.y())
    end = QPoint(center.x() - 200, center.y())
    qtbot.mousePress(tab.plot.viewport(), Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 11):
        qtbot.mouseMove(tab.plot.viewport(), QPoint(start.x() - 20 * step, start.y()))
    qtbot.mouseRelease(tab.plot.viewport(), Qt.MouseButton.LeftButton, pos=end)
    (px0, px1), _ = vb.viewRange()
    assert px0 > nx0 and px1 - px0 == pytest.approx(width, rel=1e-6), "drag pans time"
    window.fit()
    (fx0, fx1), _ = vb.viewRange()
    lo, hi = tab.plot.layout_.x_range
    assert fx0 <= lo and fx1 >= hi


def test_measure_two_marks_with_shift_click(window, qtbot, infliximab_path):
    tab = open_and_wait(window, qtbot, infliximab_path)
    for item_id in ("ifx#1", "weakness"):
        index = item_index(tab, item_id)
        pos = tab.plot.mapFromScene(tab.plot.scene_pos_of_item(index))
        qtbot.mouseClick(tab.plot.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, pos)
    assert "8 weeks 0 days" in tab.last_measure
    assert "8 weeks 0 days" in window.statusBar().currentMessage()


def test_live_reload_valid_then_invalid_edit(window, qtbot, infliximab_path, tmp_path):
    path = tmp_path / "case.caseline.yaml"
    shutil.copy(infliximab_path, path)
    tab = open_and_wait(window, qtbot, path)
    tab.plot.set_time_range(-10, 70)
    text = path.read_text(encoding="utf-8")
    assert "at: [week 0, week 2, week 6]" in text
    path.write_text(text.replace("at: [week 0, week 2, week 6]", "at: [week 0, week 2, week 8]"), encoding="utf-8")
    qtbot.waitUntil(lambda: tab.plot.layout_.items[item_index(tab, "ifx#3")].start.best == 56.0, timeout=5000)
    assert tab.plot.time_range() == pytest.approx((-10, 70)), "reload keeps the zoom"
    assert tab.banner.isHidden()
    # an invalid edit: the last good timeline stays, the banner lists file:line
    path.write_text(text.replace("kind: symptom", "kind: symptomm"), encoding="utf-8")
    qtbot.waitUntil(lambda: not tab.banner.isHidden(), timeout=5000)
    assert f"{path}:" in tab.banner.text() and "symptomm" in tab.banner.text()
    assert tab.stack.currentWidget() is tab.plot
    assert tab.plot.layout_.items[item_index(tab, "ifx#3")].start.best == 56.0
    # the file the user only opened was never written by caseline
    assert "symptomm" in path.read_text(encoding="utf-8")


def test_unshowable_file_gets_error_panel_not_traceback(window, qtbot, tmp_path):
    path = tmp_path / "broken.caseline.yaml"
    path.write_text("caseline: 1\ncase:\n  id: x\n  title: broken\n  events:\n    - id: a\n      kind: drugg\n",
                    encoding="utf-8")
    tab = open_and_wait(window, qtbot, path)
    assert tab.stack.currentWidget() is tab.error_page
    text = tab.error_page.toPlainText()
    assert f"{path}:7:13" in text and "did you mean 'drug'" in text
    assert "Traceback" not in text


def test_drag_and_drop_opens_file(window, qtbot, infliximab_path):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(infliximab_path))])
    event = QDropEvent(QPointF(100, 100), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    assert window.tabs.count() == 1
    qtbot.waitUntil(lambda: window.current_tab().plot.layout_ is not None, timeout=5000)
    assert window.recent_files()[0] == str(infliximab_path)


def test_recent_files_remembered_across_runs(qtbot, tmp_path, infliximab_path):
    ini = str(tmp_path / "settings.ini")
    first = MainWindow(QSettings(ini, QSettings.Format.IniFormat))
    qtbot.addWidget(first)
    first.add_recent(str(infliximab_path))
    first.settings.sync()
    second = MainWindow(QSettings(ini, QSettings.Format.IniFormat))
    qtbot.addWidget(second)
    assert second.recent_files() == [str(infliximab_path)]
    entries = [a for a in second.recent_menu.actions() if not a.isSeparator()]
    assert [a.toolTip() for a in entries][:1] == [str(infliximab_path)]
    assert entries[0].text().endswith(infliximab_path.name)
    assert entries[-1].text() == "Clear list"
    second.clear_recent()
    assert second.recent_files() == [] and not second.recent_menu.isEnabled()


def test_labels_never_overlap(window, qtbot, samples_dir):
    for path in sorted(samples_dir.glob("*.caseline.yaml")):
        tab = open_and_wait(window, qtbot, path)
        grab(tab)
        rects = [rect for _, rect in tab.plot.labels.drawn_labels]
        assert rects, path
        for i, a in enumerate(rects):
            for b in rects[i + 1:]:
                assert not a.intersects(b), (path, a, b)


def test_axis_modes_and_calendar_dates(window, qtbot, samples_dir):
    tab = open_and_wait(window, qtbot, samples_dir / "bortezomib-myeloma.caseline.yaml")
    plot = tab.plot
    window.set_axis_mode("weeks")
    assert plot.time_axis.tickStrings([14.0], 1, 7)[0] == "wk 2"
    assert plot.time_axis.label.toPlainText().startswith("Weeks since")
    # several cases in one file: dates need one shared calendar origin, so days are kept
    single = open_and_wait(window, qtbot, samples_dir / "infliximab-pyoderma.caseline.yaml")
    window.set_axis_mode("dates")
    assert single.plot.time_axis.mode == "days"  # undated case: calendar mode falls back


def test_screenshot_command_renders_window(tmp_path, infliximab_path):
    out = tmp_path / "shot.png"
    proc = subprocess.run([sys.executable, "-m", "caseline", "--screenshot", str(out), str(infliximab_path)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1500, 900)
    # not blank: many distinct colours
    sample = {image.pixel(x, y) for x in range(0, 1500, 25) for y in range(0, 900, 25)}
    assert len(sample) > 10


def test_none_refcount_stable_across_void_qt_calls(qapp):
    """FACTS: PySide6 6.12.0 on Python 3.11 drops a reference to None per void call."""
    from PySide6.QtWidgets import QWidget

    widget = QWidget()
    before = sys.getrefcount(None)
    for _ in range(5000):
        widget.setUpdatesEnabled(True)
    after = sys.getrefcount(None)
    assert after >= before - 10, (before, after)


def test_sample_screens_exist(samples_dir: Path):
    assert list(samples_dir.glob("*.caseline.yaml")), "sample cases must be present"


def test_aligned_labels_sit_at_their_shifted_marks(qapp, infliximab_path):
    """Alignment shifts are applied once: a label starts where its (shifted) mark is."""
    from caseline.render.painting import RenderState
    from caseline.theme import SCREEN
    from caseline.timeline.load import load_file

    cases = load_file(infliximab_path).cases
    layout = L.build_layout(cases, L.LayoutOptions(shifts={cases[0].id: 10.0}))
    state = RenderState(layout, SCREEN)
    arrays = state.label_arrays(state.label_font)
    for k, label in enumerate(layout.labels):
        position = layout.item_position(label.item)
        assert position is not None
        assert arrays.x[k] == position[0] == label.x
    weakness = next(lab for lab in layout.labels if layout.items[lab.item].item_id == "weakness")
    assert weakness.x == 66.0
