"""The Causality dock and the comparison table's time-to-onset summary, in the real window (offscreen)."""

from __future__ import annotations

import pandas as pd
from PySide6.QtWidgets import QApplication

from caseline.analysis.onset_summary import SUMMARY_COLUMNS
from support import CASESET, INFLIXIMAB


def wait_for(tab, qtbot):
    qtbot.waitUntil(lambda: tab.plot.layout_ is not None, timeout=10000)
    QApplication.processEvents()
    return tab


def test_causality_dock_shows_the_pair_beside_details(window, qtbot) -> None:
    dock = window.causality.dock
    assert dock.windowTitle() == "Causality" and dock.toggleViewAction() in window.view_menu.actions()
    assert window.tabifiedDockWidgets(window.details_dock) == [dock] or dock in window.tabifiedDockWidgets(
        window.details_dock)
    wait_for(window.open_files([str(INFLIXIMAB)])[0], qtbot)
    dock.raise_()
    QApplication.processEvents()
    window.causality.refresh()
    text = window.causality.panel.toPlainText()
    assert "infliximab – Weakness of arms and legs" in text
    assert "Latency from the first dose 56 d" in text
    assert "Dechallenge confounded" in text
    assert "Naranjo 3 (possible)" in text and "WHO-UMC possible" in text
    assert "Reported: Naranjo 7" in text and "Difference:" in text
    assert "rests on: Neurological exam" in text
    # teaching: held back while the story is revealed
    tab = window.current_tab()
    tab.view.hold_back = True
    QApplication.processEvents()
    assert "Held back" in window.causality.panel.toPlainText()


def test_comparison_table_dialog_has_the_onset_summary(window, qtbot, tmp_path) -> None:
    tab = wait_for(window.open_comparison([str(CASESET)]), qtbot)
    dialog = tab.show_table()
    qtbot.addWidget(dialog)
    assert dialog.summary_view is not None
    model = dialog.summary_view.model()
    assert model.columnCount() == len(SUMMARY_COLUMNS) and model.rowCount() == 8
    out = tmp_path / "onset.csv"
    dialog.save_summary(str(out))
    frame = pd.read_csv(out)
    fit = frame[(frame["statistic"] == "Turnbull median") & (frame["latency from"] == "first dose")].iloc[0]
    assert (fit["min (days)"], fit["max (days)"]) == (56, 63)
    assert {"Naranjo (computed)", "dechallenge", "latency from last dose"} <= set(dialog.frame.columns)
    window.causality.dock.raise_()
    QApplication.processEvents()
    window.causality.refresh()
    assert "Time to onset from the first dose (7 of 7 cases)" in window.causality.panel.toPlainText()


def test_latency_strip_caption_gives_the_time_to_onset(window, qtbot) -> None:
    tab = wait_for(window.open_comparison([str(CASESET)]), qtbot)
    qtbot.waitUntil(lambda: tab.strip.isVisible(), timeout=10000)
    assert tab.strip_caption.text().endswith("onset from the first dose: Turnbull median 56-63 d (7 cases)")
    assert "Time to onset from the first dose (7 of 7 cases)" in tab.strip_caption.toolTip()
