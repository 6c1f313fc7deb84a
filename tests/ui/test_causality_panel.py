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


def test_answers_recompute_the_aid_and_copy_as_yaml_that_reads_back(window, qtbot, tmp_path) -> None:
    from caseline.analysis.causality import assess
    from caseline.timeline.load import load_file

    wait_for(window.open_files([str(INFLIXIMAB)])[0], qtbot)
    window.causality.dock.raise_()
    QApplication.processEvents()
    window.causality.refresh()
    form = window.causality.form
    assert form.pair_combo.count() == 1 and "infliximab" in form.pair_combo.currentText()
    assert "[you]" not in window.causality.panel.toPlainText(), "an untouched 'Don't know' is nobody's answer"
    form.combos["previous_reports"].setCurrentIndex(1)  # Yes
    form.combos["alternative_causes"].setCurrentIndex(2)  # No
    form.note.setText("reviews of anti-TNF neuropathy; no other cause on work-up")
    form.note.editingFinished.emit()
    text = window.causality.panel.toPlainText()
    assert "Naranjo 6 (probable)" in text and "[you]" in text
    assert "computed 6 (probable): differs by +1" in text
    snippet = form.yaml_text()
    assert snippet.startswith("naranjo:\n  - drug: ifx\n    reaction: weakness\n")
    # the block pasted under 'case:' is read back with the same answers
    source = INFLIXIMAB.read_text(encoding="utf-8")
    indented = "".join(f"  {line}\n" for line in snippet.splitlines())
    pasted = source.replace("\n  anchor: ifx#1\n", "\n" + indented + "  anchor: ifx#1\n", 1)
    assert pasted != source
    path = tmp_path / "answered.caseline.yaml"
    path.write_text(pasted, encoding="utf-8")
    result = load_file(path)
    assert result.ok, [str(d) for d in result.diagnostics]
    (a,) = assess(result.cases[0])
    assert a.total == 6 and a.note == "reviews of anti-TNF neuropathy; no other cause on work-up"
    assert INFLIXIMAB.read_text(encoding="utf-8") == source, "the opened file is never written"
