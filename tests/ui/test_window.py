"""The window's desktop behaviour: placement on small screens, settings, Help, keyboard, recent files,
the calendar axis, the lane list, the measure, links, the first screen. Real widgets, offscreen."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6.QtCore import QRect, QSettings, Qt, QUrl
from PySide6.QtWidgets import QApplication, QTreeWidgetItem

import caseline
from caseline.ui import window_settings as ws
from caseline.ui.desktop import XCB_LIBRARIES, desktop_problem, will_use_xcb
from caseline.ui.main_window import MainWindow
from support import BORTEZOMIB, CASESET, INFLIXIMAB, ROOT


def open_and_wait(window, qtbot, path):
    tab = window.open_files([str(path)])[0]
    qtbot.waitUntil(lambda: tab.plot.layout_ is not None or tab.stack.currentWidget() is tab.error_page,
                    timeout=10000)
    QApplication.processEvents()
    return tab


# ---------------------------------------------------------------------------- the desktop check

def test_missing_xcb_library_names_the_package_to_install():
    env = {"DISPLAY": ":0"}
    problem = desktop_problem(env, "linux", loads=lambda name: name != "libxcb-cursor.so.0",
                              plugin_problem=lambda: None)
    assert problem is not None
    assert "sudo apt-get install libxcb-cursor0" in problem
    assert desktop_problem(env, "linux", loads=lambda name: True, plugin_problem=lambda: None) is None
    # a library outside the table is named from the loader's own message
    other = desktop_problem(env, "linux", loads=lambda name: True, plugin_problem=lambda: "libfoo.so.3")
    assert other is not None and "libfoo.so.3" in other


def test_the_check_runs_only_where_qt_will_use_xcb():
    assert will_use_xcb({"DISPLAY": ":0"}, "linux")
    assert not will_use_xcb({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert not will_use_xcb({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert will_use_xcb({"QT_QPA_PLATFORM": "xcb"}, "linux")
    assert not will_use_xcb({"DISPLAY": ":0"}, "darwin")
    never = lambda name: False  # noqa: E731
    assert desktop_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux", loads=never) is None
    no_display = desktop_problem({}, "linux", loads=never)
    assert no_display is not None and "no display" in no_display
    assert {deb for _, deb in XCB_LIBRARIES} >= {"libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1"}


def test_no_display_is_said_plainly_not_a_qt_abort(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "caseline", str(INFLIXIMAB)], env=env, capture_output=True,
                            text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 3
    assert "no display" in result.stderr and "Traceback" not in result.stderr


# ---------------------------------------------------------------------------- placement and settings

@pytest.mark.parametrize("screen", [(1280, 720), (1024, 768), (1280, 800), (960, 540)])
def test_window_rect_is_clamped_to_small_screens(screen):
    area = QRect(0, 0, *screen)
    rect = ws.clamp_rect(-200, 900, 1500, 900, area)
    assert rect.width() <= screen[0] and rect.height() <= screen[1] - 40
    assert rect.left() >= 0 and rect.top() >= 0
    assert rect.right() < screen[0] and rect.bottom() < screen[1]


def test_geometry_and_docks_are_remembered_and_restored_on_screen(qtbot, tmp_path):
    ini = str(tmp_path / "settings.ini")
    first = MainWindow(QSettings(ini, QSettings.Format.IniFormat))
    qtbot.addWidget(first)
    first.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    first.show()
    first.setGeometry(QRect(30, 60, 700, 500))
    first.details_dock.hide()
    first.set_axis_mode("weeks")
    first.close()
    second = MainWindow(QSettings(ini, QSettings.Format.IniFormat))
    qtbot.addWidget(second)
    second.place_on_screen((1500, 900))
    assert (second.width(), second.height()) == (700, 500)
    assert not second.details_dock.isVisibleTo(second)
    assert second.saved_axis_mode() == "weeks"
    area = ws.screen_area(second)
    assert area.contains(second.geometry())
    # a geometry saved on a bigger monitor is shrunk to this one
    second.settings.setValue(ws.GEOMETRY, None)
    second.place_on_screen((area.width() * 2, area.height() * 2), restore=False)
    assert second.width() <= area.width() and second.height() <= area.height()


def test_reset_settings_forgets_everything(window, qtbot):
    window.add_recent(str(INFLIXIMAB))
    window.set_axis_mode("months")
    window.details_dock.hide()
    window.teaching.hold_back_action.trigger()
    window.set_legend_visible(False)
    window.settings.setValue(ws.FOLDER, str(ROOT))
    window.reset_settings()
    assert window.recent_files() == []
    assert window.current_axis_mode() == "days" and window.saved_axis_mode() == "days"
    assert window.details_dock.isVisibleTo(window) and window.lanes_dock.isVisibleTo(window)
    assert not window.teaching.presentation.hold_back and not window.teaching.hold_back_action.isChecked()
    assert window.legend_action.isChecked()
    assert window.settings.value(ws.FOLDER) is None


def test_export_choices_are_remembered(window, qtbot, tmp_path):
    from caseline.ui.dialogs.export_dialog import ExportDialog

    tab = open_and_wait(window, qtbot, INFLIXIMAB)
    dialog = ExportDialog(tab, window, settings=window.settings, folder=str(tmp_path))
    qtbot.addWidget(dialog)
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("svg"))
    dialog.theme_box.setCurrentIndex(dialog.theme_box.findData("screen"))
    dialog.caption_box.setCurrentIndex(dialog.caption_box.findData("auto"))
    assert dialog.save(str(tmp_path / "figure.svg")) is not None
    again = ExportDialog(tab, window, settings=window.settings, folder=str(tmp_path))
    qtbot.addWidget(again)
    assert again.format_box.currentData() == "svg"
    assert again.theme_box.currentData() == "screen"
    assert again.caption_box.currentData() == "auto"


def test_every_dialog_starts_in_the_same_folder(window, qtbot, tmp_path):
    tab = open_and_wait(window, qtbot, CASESET)
    assert window.start_folder() == tab.start_folder() == str(CASESET.parent)  # before any dialog: the files'
    ws.remember_folder(window.settings, str(tmp_path / "chosen.csv"))
    assert window.start_folder() == tab.start_folder() == str(tmp_path)


# ---------------------------------------------------------------------------- files and tabs

def test_a_missing_file_is_shown_in_the_window(window, qtbot, tmp_path):
    missing = tmp_path / "does-not-exist.caseline.yaml"
    tab = open_and_wait(window, qtbot, missing)
    assert tab.stack.currentWidget() is tab.error_page
    text = tab.error_page.toPlainText()
    assert "file not found" in text and str(missing) in text
    assert not missing.exists()  # nothing written
    assert window.recent_files() == []  # a path that does not exist is not a recent file


def test_opening_an_open_file_switches_to_its_tab(window, qtbot):
    first = open_and_wait(window, qtbot, INFLIXIMAB)
    open_and_wait(window, qtbot, BORTEZOMIB)
    assert window.tabs.count() == 2
    assert window.open_files([str(INFLIXIMAB)])[0] is first
    assert window.tabs.count() == 2 and window.current_tab() is first
    caseset = open_and_wait(window, qtbot, CASESET)
    assert window.open_files([str(CASESET)])[0] is caseset and window.tabs.count() == 3


def test_window_title_names_the_case_and_the_first_screen_helps(window, qtbot):
    assert window.center.currentWidget() is window.empty_page
    assert "Open" in window.empty_page.title.text()
    tab = open_and_wait(window, qtbot, INFLIXIMAB)
    assert window.windowTitle().startswith("Motor polyneuropathy after infliximab")
    window.close_tab(window.tabs.indexOf(tab))
    assert window.center.currentWidget() is window.empty_page and window.windowTitle() == "caseline"
    assert [b.toolTip() for b in window.empty_page.recent_buttons] == [str(INFLIXIMAB)]
    assert window.statusBar().currentMessage() == ""  # no stale cursor day


def test_recent_files_with_the_same_name_are_told_apart(window, tmp_path):
    a, b = tmp_path / "a" / "case.caseline.yaml", tmp_path / "b" / "case.caseline.yaml"
    for path in (a, b):
        path.parent.mkdir()
        path.write_text(INFLIXIMAB.read_text(encoding="utf-8"), encoding="utf-8")
    window.add_recent(str(a))
    window.add_recent(str(b))
    labels = [action.text() for action in window.recent_menu.actions()[:2]]
    assert labels[0] != labels[1]
    assert str(b.parent) in labels[0] or "b" in labels[0].split("(")[-1]
    assert [action.statusTip() for action in window.recent_menu.actions()[:2]] == [str(b), str(a)]


# ---------------------------------------------------------------------------- view

def test_keyboard_zooms_and_pans_time(window, qtbot):
    tab = open_and_wait(window, qtbot, INFLIXIMAB)
    lo, hi = tab.plot.time_range()
    window.zoom_in_action.trigger()
    lo2, hi2 = tab.plot.time_range()
    assert hi2 - lo2 == pytest.approx((hi - lo) * 0.8)
    window.pan_right_action.trigger()
    assert tab.plot.time_range()[0] > lo2
    tab.plot.setFocus()
    qtbot.keyClick(tab.plot, Qt.Key.Key_Minus)
    assert tab.plot.time_range()[1] - tab.plot.time_range()[0] > hi2 - lo2
    top = tab.plot.viewbox.viewRange()[1][0]
    window.scroll_down_action.trigger()
    rows_fit = tab.plot.rows_visible() >= tab.plot.content_rows()
    assert tab.plot.viewbox.viewRange()[1][0] > top or rows_fit


def dated_case_file(tmp_path):
    """The bortezomib index case (dated: November 2009) in a file of its own."""
    lines = BORTEZOMIB.read_text(encoding="utf-8").splitlines(keepends=True)
    end = next(i for i, line in enumerate(lines) if line.startswith("  - id: bz-jeter-kang"))
    path = tmp_path / "bz-mm.caseline.yaml"
    path.write_text("".join(lines[:end]), encoding="utf-8")
    return path


def test_calendar_axis_says_why_it_is_not_available(window, qtbot, tmp_path):
    undated = open_and_wait(window, qtbot, ROOT / "sample_cases" / "neurosarcoidosis-infliximab.caseline.yaml")
    window.set_axis_mode("dates")
    assert not window.axis_actions["dates"].isEnabled()
    assert "calendar date" in window.axis_actions["dates"].toolTip()
    assert window.axis_actions["days"].isChecked()  # the menu shows what the axis shows
    assert "Calendar dates not shown" in window.statusBar().currentMessage()
    assert undated.plot.time_axis.mode == "days"
    several = open_and_wait(window, qtbot, BORTEZOMIB)
    assert not window.axis_actions["dates"].isEnabled() and several.plot.time_axis.mode == "days"
    assert "several cases" in window.axis_actions["dates"].toolTip()
    dated = open_and_wait(window, qtbot, dated_case_file(tmp_path))
    assert window.current_tab() is dated and window.axis_actions["dates"].isEnabled()
    window.set_axis_mode("dates")
    assert window.axis_actions["dates"].isChecked() and dated.plot.time_axis.mode == "dates"


def test_unticking_a_category_unticks_its_lanes(window, qtbot):
    tab = open_and_wait(window, qtbot, INFLIXIMAB)
    tree = window.lanes
    other: QTreeWidgetItem = next(p for p, _ in tree._groups() if p.text(0) == "Other drugs")
    other.setCheckState(0, Qt.CheckState.Unchecked)
    children = [other.child(j) for j in range(other.childCount())]
    assert all(child.checkState(0) == Qt.CheckState.Unchecked for child in children)
    assert not any(row.lane == "Methotrexate" for row in tab.plot.layout_.rows)
    children[0].setCheckState(0, Qt.CheckState.Checked)  # one lane back: the category is shown again
    assert other.checkState(0) == Qt.CheckState.Checked
    lanes = {row.lane for row in tab.plot.layout_.rows}
    assert children[0].text(0) in lanes and children[1].text(0) not in lanes


def test_measure_is_drawn_on_the_plot(window, qtbot):
    tab = open_and_wait(window, qtbot, INFLIXIMAB)
    layout = tab.plot.layout_
    first = next(i for i, item in enumerate(layout.items) if item.item_id == "ifx#1")
    second = next(i for i, item in enumerate(layout.items) if item.item_id == "weakness")
    shift = Qt.KeyboardModifier.ShiftModifier
    tab._on_click(first, shift)
    tab._on_click(second, shift)
    assert tab.plot.measure_shown() == "8 weeks 0 days"
    assert tab.plot.measure_text.isVisible() and tab.plot.measure_line.isVisible()
    tab._on_click(first, Qt.KeyboardModifier.NoModifier)
    tab._on_click(first, shift)  # a new measure starts: the old one goes
    assert tab.plot.measure_shown() == ""


def test_doi_is_a_link_opened_only_on_click(window, qtbot, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url.toString())))
    open_and_wait(window, qtbot, INFLIXIMAB)
    window.show_current_case()
    html = window.details.toHtml()
    assert "href=\"https://doi.org/10.4274/turkderm.galenos.2018.70437\"" in html
    assert opened == []  # showing the details opens nothing
    window.details.anchorClicked.emit(QUrl("https://doi.org/10.4274/turkderm.galenos.2018.70437"))
    window.details.anchorClicked.emit(QUrl("file:///etc/passwd"))
    assert opened == ["https://doi.org/10.4274/turkderm.galenos.2018.70437"]
    window.teaching.set_deidentified(True)
    assert "doi.org" not in window.details.toHtml()


def test_help_menu_gives_version_and_keys(window):
    titles = [a.text() for a in window.help_menu.actions()]
    assert any("About" in t for t in titles) and any("Keyboard" in t for t in titles)
    about = window.show_about()
    assert caseline.__version__ in about.text.toPlainText()
    keys = window.show_keys()
    text = keys.text.toPlainText()
    for words in ("F5", "Ctrl+E", "Shift+click", "Ctrl+Shift+D", "mouse wheel"):
        assert words in text
    about.close()
    keys.close()


def test_refused_presentation_leaves_the_toggle_unchecked(window):
    window.teaching.present_action.trigger()  # F5 with nothing open
    assert not window.teaching.presentation.active
    assert not window.teaching.present_action.isChecked()
    assert "Open a case" in window.statusBar().currentMessage()


def test_view_menu_expands_regimens_in_every_tab(window, qtbot):
    """View > Regimens' drugs: the bortezomib case's VAD regimen, one lane as the file keeps it, gets a lane
    per drug under it in every open tab, and in tabs opened afterwards; unticked, it is one group again."""
    first = window.open_files([str(BORTEZOMIB)])[0]
    qtbot.waitUntil(lambda: first.plot.layout_ is not None, timeout=10000)

    def lanes(tab) -> list[str]:
        return [row.lane for row in tab.plot.layout_.rows if row.lane]

    assert "First-line myeloma therapy · vincristine" not in lanes(first)
    window.regimens_action.trigger()
    assert window.regimens_action.isChecked() and first.view.expand_regimens
    qtbot.waitUntil(lambda: "First-line myeloma therapy · vincristine" in lanes(first), timeout=5000)
    shown = lanes(first)
    regimen = shown.index("First-line myeloma therapy")
    assert shown[regimen + 1:regimen + 4] == [f"First-line myeloma therapy · {d}"
                                              for d in ("vincristine", "doxorubicin", "dexamethasone")]
    second = window.open_files([str(INFLIXIMAB)])[0]
    assert second.view.expand_regimens
    window.regimens_action.trigger()
    qtbot.waitUntil(lambda: "First-line myeloma therapy · vincristine" not in lanes(first), timeout=5000)
    assert not second.view.expand_regimens


def test_the_legend_can_sit_below_the_timeline_and_the_choice_is_remembered(qtbot, tmp_path):
    ini = str(tmp_path / "settings.ini")

    def legend_and_lanes(win: MainWindow) -> tuple[float, float, float]:
        tab = win.current_tab()
        assert tab is not None
        qtbot.waitUntil(lambda: tab.plot.layout_ is not None)
        qtbot.wait(20)
        label = tab.plot.getPlotItem().titleLabel
        assert "Suspected drug" in label.item.toPlainText() and label.geometry().height() > 10
        lanes = tab.plot.viewbox.sceneBoundingRect()
        return label.sceneBoundingRect().top(), lanes.top(), tab.plot.time_axis.sceneBoundingRect().bottom()

    def opened() -> MainWindow:  # a window on these settings, the infliximab case open
        win = MainWindow(QSettings(ini, QSettings.Format.IniFormat))
        qtbot.addWidget(win)
        win.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        win.resize(1400, 900)
        win.show()
        win.open_files([str(INFLIXIMAB)])
        return win

    first = opened()
    legend, lanes, axis = legend_and_lanes(first)
    assert legend < lanes, "by default the legend is above the lanes"
    first.legend_below_action.trigger()
    legend, lanes, axis = legend_and_lanes(first)
    assert legend >= axis - 1, "below: under the time axis"
    plot = first.current_tab().plot
    top = plot.getPlotItem().sceneBoundingRect().top()
    assert lanes - top < 15, "the lanes take the room the legend left above them (no empty title row)"
    first.close()
    second = opened()
    assert second.legend_below_action.isChecked()
    legend, lanes, axis = legend_and_lanes(second)
    assert legend >= axis - 1, "remembered"
    second.reset_settings()
    legend, lanes, axis = legend_and_lanes(second)
    assert legend < lanes and not second.legend_below_action.isChecked()
