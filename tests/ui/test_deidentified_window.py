"""The de-identified view in the window, on the case full of identifying details (tests/fixtures): every text
on screen (plot, lanes, tooltips, details, window and tab titles, status bar, comparison table), the
settings file, and failing closed when the case cannot be de-identified."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from caseline.analysis import deidentify as deid

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
IDENTIFYING = FIXTURES / "identifying.caseline.yaml"


def forbidden_strings() -> list[str]:
    lines = (FIXTURES / "identifying_strings.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def leaks(texts: list[str]) -> list[str]:
    flat = " ".join(" ".join(texts).split()).casefold()
    return [s for s in forbidden_strings() if re.search(rf"(?<!\w){re.escape(s.casefold())}(?!\w)", flat)]


def open_and_wait(window, qtbot, path: Path):
    tab = window.open_files([str(path)])[0]
    qtbot.waitUntil(lambda: tab.plot.layout_ is not None, timeout=10000)
    return tab


def screen_texts(window, tab) -> list[str]:
    """Everything the window shows as text for this tab."""
    plot = tab.plot
    texts = [window.windowTitle(), window.statusBar().currentMessage(), window.details.toPlainText()]
    texts += [window.tabs.tabText(i) for i in range(window.tabs.count())]
    texts += [window.tabs.tabToolTip(i) for i in range(window.tabs.count())]
    texts += [plot.time_axis.labelText]
    if plot.layout_ is not None:
        texts += [label.text for label in plot.layout_.labels]
        texts += [plot.tooltip_html(i) for i in range(len(plot.layout_.items))]
        texts += [" ".join(plot.shown.header_lines(c)) for c in plot.cases]
    if plot.lane_axis._tickLevels:
        texts += [str(t) for t in plot.lane_axis._tickLevels[0]]
    lanes = window.lanes
    texts += [item.text(0) for item in _tree_items(lanes)] if hasattr(lanes, "topLevelItemCount") else []
    if tab.stack.currentWidget() is tab.error_page:
        texts.append(tab.error_page.toPlainText())
    if tab.banner.isVisible():
        texts.append(tab.banner.text())
    return texts


def _tree_items(tree) -> list:
    out, stack = [], [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    while stack:
        item = stack.pop()
        out.append(item)
        stack += [item.child(i) for i in range(item.childCount())]
    return out


def test_every_text_on_screen_is_de_identified(window, qtbot) -> None:
    tab = open_and_wait(window, qtbot, IDENTIFYING)
    assert len(leaks(screen_texts(window, tab))) > 3  # the identified view shows them
    window.teaching.set_deidentified(True)
    QApplication.processEvents()
    plot = tab.plot
    assert leaks(screen_texts(window, tab)) == []
    assert "identifying" not in window.windowTitle() and window.tabs.tabText(0) == "Case 1"
    lanes = [str(t[1]) for t in plot.lane_axis._tickLevels[0]]
    assert "Milestone (withheld)" in lanes  # the lane named after an identifying label
    for index in range(len(plot.layout_.items)):  # the details panel of every mark
        tab._on_click(index, Qt.KeyboardModifier.NoModifier)
        assert leaks([window.details.toPlainText(), plot.tooltip_html(index)]) == []
    plot.sigCursorMoved.emit(5.0)
    assert leaks([window.statusBar().currentMessage()]) == []
    window.teaching.set_deidentified(False)
    assert "Quistorp" in window.windowTitle() and window.tabs.tabText(0) == tab.title


def test_no_file_or_folder_is_remembered_while_de_identified(window, qtbot, tmp_path) -> None:
    from caseline.ui import window_settings as ws

    window.teaching.set_deidentified(True)
    open_and_wait(window, qtbot, IDENTIFYING)
    ws.remember_folder(window.settings, str(IDENTIFYING))
    window.settings.sync()
    stored = (tmp_path / "settings.ini").read_text(encoding="utf-8") if (tmp_path / "settings.ini").exists() else ""
    assert "identifying" not in stored and "fixtures" not in stored
    assert window.recent_files() == []
    window.teaching.set_deidentified(False)
    window.open_files([str(IDENTIFYING)])
    assert window.recent_files() == [str(IDENTIFYING)]  # remembered again once the view is off


def test_a_case_that_cannot_be_de_identified_is_not_shown(window, qtbot, monkeypatch) -> None:
    tab = open_and_wait(window, qtbot, IDENTIFYING)

    def broken(case):
        raise deid.DeidentifyError(f"case {case.id}: could not be de-identified (an age in unreadable digits)")

    monkeypatch.setattr(deid, "deidentify_case", broken)
    window.teaching.set_deidentified(True)
    QApplication.processEvents()
    assert window.teaching.deidentify_action.isChecked()
    assert tab.stack.currentWidget() is tab.error_page
    assert "cannot be shown" in tab.error_page.toPlainText()
    assert tab.plot.cases == [] and tab.plot.layout_ is not None and len(tab.plot.layout_.items) == 0
    assert leaks(screen_texts(window, tab)) == []
    # an export refuses, with the reason
    from caseline.render.exporters import export_figure
    from caseline.render.figure import ExportError

    try:
        export_figure(tab.view, str(Path(window.settings.fileName()).parent / "figure.svg"))
    except ExportError as exc:
        assert "cannot be shown" in str(exc)
    else:  # pragma: no cover - the assertion that matters
        raise AssertionError("the export was written")
    monkeypatch.undo()
    window.teaching.set_deidentified(False)
    qtbot.waitUntil(lambda: tab.stack.currentWidget() is tab.plot, timeout=5000)
    assert tab.plot.cases


def test_recent_files_are_not_on_screen_while_de_identified(window, qtbot) -> None:
    window.open_files([str(IDENTIFYING)])
    window.close_tab(0)
    assert window.recent_files() and window.recent_menu.isEnabled()
    window.teaching.set_deidentified(True)
    assert window.recent_files() == [] and not window.recent_menu.isEnabled()
    assert not [a for a in window.recent_menu.actions() if "identifying" in a.text()]
    assert window.windowTitle() == "caseline"
    window.teaching.set_deidentified(False)
    assert window.recent_files() == [str(IDENTIFYING)] and window.recent_menu.isEnabled()
