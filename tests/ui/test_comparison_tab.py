"""The comparison tab: a case set opened in the window, aligned, sorted, saved and reopened."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from caseline.analysis.metrics import TABLE_COLUMNS
from caseline.layout import timeline_layout as L
from caseline.timeline.load import load_file
from caseline.timeline.resolved import ItemRole
from caseline.ui.comparison_tab import ComparisonTab
from support import ALL_IDS, BORTEZOMIB, CASESET, INFLIXIMAB, LATENCY_ORDER


def open_caseset(window, qtbot, path=CASESET) -> ComparisonTab:
    tab = window.open_files([str(path)])[0]
    assert isinstance(tab, ComparisonTab)
    qtbot.waitUntil(lambda: tab.plot.layout_ is not None, timeout=10000)
    QApplication.processEvents()
    return tab


def case_ids(tab) -> list[str]:
    return [c.id for c in tab.plot.layout_.cases]


def position(tab, case_id: str, item_id: str) -> tuple[float, float]:
    layout = tab.plot.layout_
    for index, item in enumerate(layout.items):
        if item.case_id == case_id and item.item_id == item_id:
            pos = layout.item_position(index)
            assert pos is not None, f"{case_id}/{item_id} is not drawn"
            return pos
    raise AssertionError(f"no item {case_id}/{item_id}")


def first_suspect_item(case) -> str:
    items = case.items_of(case.case.suspect.drug)
    doses = [i for i in items if i.role is ItemRole.DOSE] or [i for i in items if i.role is ItemRole.COURSE]
    return min(doses, key=lambda i: i.start.best).item_id


def choose(combo, data) -> None:
    """Pick an entry as the user does (the 'activated' signal fires only on user choices)."""
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    QApplication.processEvents()


def test_caseset_opens_all_cases_in_one_plot(window, qtbot):
    tab = open_caseset(window, qtbot)
    assert window.tabs.tabText(window.tabs.currentIndex()) == "Drug-induced peripheral neuropathy"
    assert tab.align == "first-suspect-dose" and tab.sort == "latency"
    assert tab.align_combo.currentData() == "first-suspect-dose"
    assert tab.sort_combo.currentData() == "latency"
    layout = tab.plot.layout_
    assert set(case_ids(tab)) == ALL_IDS
    assert case_ids(tab) == LATENCY_ORDER
    # one ViewBox: every case is a header row followed by its own lanes
    headers = [r for r, row in enumerate(layout.rows) if row.kind == L.RowKind.HEADER]
    assert len(headers) == len(ALL_IDS)
    assert [layout.rows[r].case_id for r in headers] == LATENCY_ORDER
    assert tab.plot.paint_state.header_lines[headers[0]][0].startswith("Motor polyneuropathy after infliximab")
    assert "first dose of the suspected drug" in tab.plot.time_axis.labelText


def test_first_suspect_dose_alignment_puts_every_first_dose_at_zero(window, qtbot):
    tab = open_caseset(window, qtbot)
    assert tab.alignment.notes == {}
    for case in tab.plot.layout_.cases:
        x, _ = position(tab, case.id, first_suspect_item(case))
        assert x == pytest.approx(0.0), case.id
    # the infliximab onset stays 56 days after its first dose
    assert position(tab, "ifx-pg", "weakness")[0] == pytest.approx(56.0)


def test_reaction_onset_alignment_through_the_combo(window, qtbot):
    tab = open_caseset(window, qtbot)
    choose(tab.align_combo, "reaction-onset")
    assert tab.align == "reaction-onset"
    for case in tab.plot.layout_.cases:
        onset = case.case.suspect.reaction_event
        x, _ = position(tab, case.id, onset)
        assert x == pytest.approx(0.0), case.id
    # first doses now sit a latency before day 0
    assert position(tab, "ifx-pg", "ifx#1")[0] == pytest.approx(-56.0)
    assert position(tab, "bz-mm", "bz#1")[0] == pytest.approx(-91.0)
    assert "onset of the adverse reaction" in tab.plot.time_axis.labelText
    # the time axis was refitted to the new positions
    lo, hi = tab.plot.time_range()
    assert lo < -91.0 and hi > 56.0


def test_cases_without_the_event_are_shown_unaligned_with_a_note(window, qtbot):
    tab = open_caseset(window, qtbot)
    choose(tab.align_combo, "event:")
    assert tab.event_edit.isVisible()
    tab.event_edit.setText("IVIG")
    tab.event_edit.returnPressed.emit()
    assert tab.align == "event:IVIG"
    unaligned = {"bz-mm", "bz-jeter-kang", "bz-saifee"}  # no IVIG in these
    assert set(tab.alignment.notes) == unaligned
    layout = tab.plot.layout_
    for r, row in enumerate(layout.rows):
        if row.kind != L.RowKind.HEADER:
            continue
        title = tab.plot.paint_state.header_lines[r][0]
        assert ("(not aligned: no dated event matching 'IVIG'" in title) == (row.case_id in unaligned)
    assert position(tab, "ifx-pg", "ivig")[0] == pytest.approx(0.0)
    assert position(tab, "bz-xu", "ivig")[0] == pytest.approx(0.0)
    # unaligned cases keep their own day 0
    assert position(tab, "bz-mm", "bz#1")[0] == pytest.approx(0.0)
    assert "3 of 7 cases not aligned" in tab.note_label.text()


def test_sort_through_the_combo(window, qtbot):
    tab = open_caseset(window, qtbot)
    choose(tab.sort_combo, "title")
    titles = [c.case.title.casefold() for c in tab.plot.layout_.cases]
    assert titles == sorted(titles)
    choose(tab.sort_combo, "latency")
    assert case_ids(tab) == LATENCY_ORDER
    choose(tab.sort_combo, "none")
    assert case_ids(tab) == ["ifx-pg", "bz-mm", "bz-jeter-kang", "bz-xu", "bz-mauermann", "bz-saifee",
                             "bz-schmitt"]


def test_hiding_a_shared_lane_removes_it_from_every_case(window, qtbot):
    tab = open_caseset(window, qtbot)
    with_weakness = {row.case_id for row in tab.plot.layout_.rows if row.lane == "Weakness"}
    assert len(with_weakness) >= 5
    window.lanes.set_lane_visible("Weakness", False)  # as unticking it in the Lanes panel
    QApplication.processEvents()
    assert "Weakness" in tab.options.hidden_lanes
    rows = tab.plot.layout_.rows
    assert not [row for row in rows if row.lane == "Weakness"]
    assert {row.case_id for row in rows if row.kind == L.RowKind.HEADER} == ALL_IDS
    # alignment survives the rebuild
    assert tab.options.shifts == tab.alignment.shifts


def test_shared_lanes_only(window, qtbot):
    tab = open_caseset(window, qtbot)
    tab.shared_check.click()
    assert tab.shared_lanes_only and tab.options.shared_lanes_only
    lanes_per_case: dict[str, set[str]] = {}
    for row in tab.plot.layout_.rows:
        if row.kind == L.RowKind.LANE:
            lanes_per_case.setdefault(row.case_id, set()).add(row.lane)
    every = set.intersection(*[{i.lane for i in c.items} for c in tab.plot.layout_.cases])
    for lanes in lanes_per_case.values():
        assert lanes <= every
    assert "Infliximab" not in set().union(*lanes_per_case.values())


def test_save_and_reopen_case_set_restores_the_view(window, qtbot, tmp_path):
    tab = open_caseset(window, qtbot)
    choose(tab.align_combo, "reaction-onset")
    choose(tab.sort_combo, "title")
    window.lanes.set_lane_visible("Laboratory", False)
    QApplication.processEvents()
    tab.plot.set_time_range(-120.0, 240.0)
    order = case_ids(tab)
    target = tmp_path / "saved.caseset.yaml"
    tab.save_caseset(str(target))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["saved.caseset.yaml", "settings.ini"]  # no temp left
    result = load_file(target)
    assert result.ok, [str(d) for d in result.diagnostics]
    caseset = result.caseset
    # files relative to the saved case set, so the folder can move as a whole
    assert [e.path for e in caseset.entries] == [
        Path(os.path.relpath(INFLIXIMAB, tmp_path)).as_posix(),
        Path(os.path.relpath(BORTEZOMIB, tmp_path)).as_posix(),
    ]
    assert (caseset.align, caseset.sort) == ("reaction-onset", "title")
    assert caseset.hidden_lanes == ("Laboratory",)
    assert caseset.time_range == pytest.approx((-120.0, 240.0))

    # the tab now stands for the saved file: opening it again switches to it
    assert window.open_files([str(target)])[0] is tab
    window.close_tab(window.tabs.indexOf(tab))
    again = open_caseset(window, qtbot, target)
    assert again is not tab
    assert (again.align, again.sort) == ("reaction-onset", "title")
    assert again.align_combo.currentData() == "reaction-onset"
    assert again.options.hidden_lanes == frozenset({"Laboratory"})
    assert not [row for row in again.plot.layout_.rows if row.lane == "Laboratory"]
    assert case_ids(again) == order
    assert again.plot.time_range() == pytest.approx((-120.0, 240.0))
    again.initial_fit()  # what --screenshot does after loading: the saved range is kept
    assert again.plot.time_range() == pytest.approx((-120.0, 240.0))


def test_open_comparison_from_files_with_alignment(window, qtbot):
    tab = window.open_comparison([str(INFLIXIMAB), str(BORTEZOMIB)], align="calendar", sort="date")
    qtbot.waitUntil(lambda: tab.plot.layout_ is not None, timeout=10000)
    assert isinstance(tab, ComparisonTab) and tab.title == "Comparison"
    assert case_ids(tab)[0] == "bz-mm"  # the only dated case
    assert set(tab.alignment.notes) == ALL_IDS - {"bz-mm"}
    assert tab.plot.time_axis.origin is not None and tab.plot.time_axis.origin.year == 2009


def test_unknown_alignment_is_reported_not_fatal(window, qtbot):
    tab = window.open_comparison([str(INFLIXIMAB)], align="sideways")
    qtbot.waitUntil(lambda: tab.plot.layout_ is not None, timeout=10000)
    assert tab.align == "anchor"
    assert "unknown alignment 'sideways'" in tab.note_label.text()


def test_latency_strip_shares_the_time_axis(window, qtbot):
    tab = open_caseset(window, qtbot)
    strip = tab.strip
    assert strip.isVisible()
    assert [c.id for c in strip.cases] == case_ids(tab)
    tab.plot.set_time_range(-30.0, 150.0)
    QApplication.processEvents()
    assert strip.viewbox.viewRange()[0] == pytest.approx([-30.0, 150.0])
    # day 0 and day 100 fall on the same screen column in the strip and in the plot
    for day in (0.0, 100.0):
        a = tab.plot.mapToGlobal(tab.plot.mapFromScene(tab.plot.viewbox.mapViewToScene(QPointF(day, 0))))
        b = strip.mapToGlobal(strip.mapFromScene(strip.viewbox.mapViewToScene(QPointF(day, 0))))
        assert abs(a.x() - b.x()) <= 1, day
    # the infliximab row: latency bar from day 0 to day 56 in the suspected-drug colour
    QApplication.processEvents()
    image: QImage = strip.grab().toImage()
    row = LATENCY_ORDER.index("ifx-pg") + 0.5
    scene = strip.viewbox.mapViewToScene(QPointF(28.0, row))
    pixel = image.pixelColor(strip.mapFromScene(scene))
    from caseline.model.kinds import Category

    expected = tab.plot.theme.category_color(Category.SUSPECT)
    assert pixel.name().lower() == expected.lower()


def test_latency_strip_words_times_as_the_sources_state_them(window, qtbot):
    """bz-saifee's onset is only 'after' the first dose (latency not given) and bz-xu's is at least 15 days:
    the strip once printed their placed best estimates ('latency 13.7 d', 'IVIG → 9.9 d') as measurements."""
    tab = open_caseset(window, qtbot)
    summaries = {row[3] for row in tab.strip._labels}
    assert any(t.startswith("latency 56 d") for t in summaries)  # ifx-pg: stated exactly
    assert any(t.startswith("latency 91 d (63-119)") for t in summaries)  # bz-mm: a stated span
    assert any(t.startswith("latency ≥15 d") for t in summaries)  # bz-xu: bounded below
    assert any(t == "latency not stated" for t in summaries)  # bz-saifee: order only
    assert not any("13.7" in t or "9.9" in t or "91.3" in t for t in summaries), summaries


def test_table_dialog_copy_and_save_csv(window, qtbot, tmp_path):
    import pandas as pd

    tab = open_caseset(window, qtbot)
    dialog = tab.show_table()
    qtbot.addWidget(dialog)
    model = dialog.view.model()
    assert model.rowCount() == 7 and model.columnCount() == len(TABLE_COLUMNS)
    assert model.headerData(0, Qt.Orientation.Horizontal) == "case"
    assert [model.data(model.index(r, 0)) for r in range(7)] == LATENCY_ORDER
    assert model.data(model.index(0, 2)) == "56 d"
    dialog.copy_button.click()
    copied = QApplication.clipboard().text().splitlines()
    assert copied[0].split("\t") == TABLE_COLUMNS
    assert copied[1].split("\t")[0] == "ifx-pg"
    target = tmp_path / "table.csv"
    dialog.save_csv(str(target))
    frame = pd.read_csv(target)
    assert list(frame.columns) == TABLE_COLUMNS
    assert frame.loc[0, "latency"] == "56 d"
    assert (frame.loc[0, "latency min (days)"], frame.loc[0, "latency max (days)"]) == (56.0, 56.0)
    xu = frame[frame["case"] == "bz-xu"].iloc[0]
    assert xu["latency"] == "≥ 15 d" and pd.isna(xu["latency max (days)"])  # an open bound is an empty cell


@pytest.mark.slow
def test_screenshot_of_a_comparison(tmp_path):
    out = tmp_path / "shot.png"
    proc = subprocess.run([sys.executable, "-m", "caseline", "--screenshot", str(out), "--size", "1200x800",
                           "--align", "first-suspect-dose", str(INFLIXIMAB), str(BORTEZOMIB)],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert proc.returncode == 0, proc.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1200, 800)


def test_caseset_entry_with_case_ids_shows_only_those_cases(window, qtbot, tmp_path):
    path = tmp_path / "two.caseset.yaml"
    bortezomib = Path(os.path.relpath(BORTEZOMIB, tmp_path)).as_posix()
    path.write_text("caseline: 1\ncaseset:\n  title: Two bortezomib cases\n  files:\n"
                    f"    - {{path: {bortezomib}, cases: [bz-xu, bz-mm]}}\n  align: reaction-onset\n",
                    encoding="utf-8")
    tab = open_caseset(window, qtbot, path)
    assert tab.title == "Two bortezomib cases"
    assert case_ids(tab) == ["bz-mm", "bz-xu"]  # file order, sort 'none'
    assert position(tab, "bz-xu", "pn")[0] == pytest.approx(0.0)
    saved = tmp_path / "again.caseset.yaml"
    tab.save_caseset(str(saved))
    entries = load_file(saved).caseset.entries
    assert [(e.path, e.case_ids) for e in entries] == [(bortezomib, ("bz-xu", "bz-mm"))]


def test_save_set_over_a_hand_written_set_keeps_its_comments_and_updates_the_description(window, qtbot, tmp_path):
    import shutil

    folder = tmp_path / "set"
    folder.mkdir()
    for name in ("infliximab-pyoderma.caseline.yaml", "bortezomib-myeloma.caseline.yaml",
                 "drug-induced-neuropathy.caseset.yaml"):
        shutil.copy(CASESET.parent / name, folder / name)
    path = folder / "drug-induced-neuropathy.caseset.yaml"
    original = path.read_text(encoding="utf-8")
    tab = open_caseset(window, qtbot, path)
    assert path.read_text(encoding="utf-8") == original  # opening writes nothing
    choose(tab.align_combo, "reaction-onset")
    description, note = tab.description_for_save()
    assert "onset of the adverse reaction" in description and "first suspected dose" not in description
    assert "written for" in note and "now" in note
    tab.save_caseset(str(path), description=description)
    saved = path.read_text(encoding="utf-8")
    assert [line for line in saved.splitlines() if line.startswith("#")] == [
        line for line in original.splitlines() if line.startswith("#")]
    assert "align: reaction-onset" in saved
    result = load_file(path)
    assert result.ok and result.caseset.description.strip() == description
    assert "comments kept" in window.statusBar().currentMessage()


def test_comparison_controls_wrap_instead_of_cutting_text(window, qtbot):
    window.resize(1024, 768)
    tab = open_caseset(window, qtbot)
    QApplication.processEvents()
    combo = tab.align_combo
    longest = max(combo.fontMetrics().horizontalAdvance(combo.itemText(i)) for i in range(combo.count()))
    assert combo.width() >= longest + 10
    assert tab.controls.width() <= tab.width()
    for button in (tab.table_button, tab.save_button):
        assert button.isVisible() and button.geometry().right() <= tab.controls.width()
    assert tab.strip_caption.wordWrap()


def test_latency_strip_and_legend_can_be_hidden_for_room(window, qtbot):
    window.resize(1280, 720)
    tab = open_caseset(window, qtbot)
    QApplication.processEvents()
    rows_with_strip = tab.plot.viewbox.height()
    assert tab.strip.isVisible() and tab.strip.height() <= 0.25 * tab.height() + 8
    tab.strip_check.setChecked(False)
    window.set_legend_visible(False)
    QApplication.processEvents()
    assert not tab.strip.isVisible() and not tab.strip_caption.isVisible()
    assert tab.plot.viewbox.height() > rows_with_strip + 100
    assert window.settings.value("comparison/strip") in (False, "false")
