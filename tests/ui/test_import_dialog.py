"""File > Import…: real widgets on a small study of our own and, when present, the shared CDISC studies.

The dialog converts on a worker thread, shows progress, lets the user pick subjects and the suspected
drug, writes an ordinary case file (never over an input) and opens it in the window."""

from __future__ import annotations

import csv
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QApplication

import caseline
from caseline.io.standards import ImportOptions, convert_paths
from caseline.ui.dialogs import import_dialog as dialog_module
from caseline.ui.dialogs.import_dialog import PICK_PAGE, PROGRESS_PAGE, SOURCE_PAGE, ImportDialog, Job
from standards_support import STANDARDS


def _write_csv(path: Path, rows: list[dict[str, object]]) -> None:
    with path.open("w", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _study(tmp_path: Path) -> Path:
    """Three subjects: two on Drug X (one also on Drug Y), one on placebo; AEs with partial dates."""
    folder = tmp_path / "study"
    folder.mkdir()
    subjects = (("S1-001", "Drug X", "2020-03-01"), ("S1-002", "Drug X", "2020-04-10"), ("S1-003", "Placebo",
                                                                                        "2020-05-02"))
    _write_csv(folder / "dm.csv", [{"STUDYID": "S1", "DOMAIN": "DM", "USUBJID": u, "SUBJID": u[-3:], "RFSTDTC": d,
                                    "AGE": "60", "AGEU": "YEARS", "SEX": "F", "ARM": arm, "ACTARM": arm}
                                   for u, arm, d in subjects])
    ex = []
    for usubjid, arm, start in subjects:
        for day in range(5):
            date = f"{start[:8]}{int(start[8:]) + day:02d}"
            ex.append({"STUDYID": "S1", "DOMAIN": "EX", "USUBJID": usubjid, "EXSEQ": str(len(ex) + 1),
                       "EXTRT": "DRUG X" if arm == "Drug X" else "PLACEBO", "EXDOSE": "10" if arm == "Drug X" else "0",
                       "EXDOSU": "mg", "EXSTDTC": date, "EXENDTC": date})
    ex.append({"STUDYID": "S1", "DOMAIN": "EX", "USUBJID": "S1-002", "EXSEQ": "99", "EXTRT": "DRUG Y",
               "EXDOSE": "5", "EXDOSU": "mg", "EXSTDTC": "2020-04-12", "EXENDTC": "2020-04-12"})
    _write_csv(folder / "ex.csv", ex)
    _write_csv(folder / "ae.csv", [
        {"STUDYID": "S1", "DOMAIN": "AE", "USUBJID": "S1-001", "AESEQ": "1", "AETERM": "HEADACHE", "AESTDTC": "2020-03",
         "AESEV": "MILD"},
        {"STUDYID": "S1", "DOMAIN": "AE", "USUBJID": "S1-002", "AESEQ": "1", "AETERM": "RASH",
         "AESTDTC": "2020-04-13", "AESEV": "MODERATE"},
    ])
    return folder


def _dialog(qtbot, window, paths: list[Path]) -> ImportDialog:
    dialog = ImportDialog(window, folder=str(paths[0].parent), settings=window.settings,
                          open_file=lambda path: window.open_files([path]), paths=[str(p) for p in paths])
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _convert(qtbot, dialog: ImportDialog) -> None:
    assert dialog.convert_button.isEnabled()
    qtbot.mouseClick(dialog.convert_button, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentIndex() in (PROGRESS_PAGE, PICK_PAGE)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() != PROGRESS_PAGE, timeout=30000)
    assert dialog.pages.currentIndex() == PICK_PAGE, dialog.message.text()


def _row_of(dialog: ImportDialog, subject: str) -> int:
    return next(r for r in range(dialog.table.rowCount()) if dialog.table.item(r, 0).text() == subject)


def _cells(dialog: ImportDialog, row: int) -> list[str]:
    return [dialog.table.item(row, c).text() for c in range(dialog.table.columnCount())]


def _opened_case(qtbot, window, path: str):
    tab = window.find_tab(path)
    assert tab is not None and window.tabs.currentWidget() is tab
    qtbot.waitUntil(lambda: bool(tab.documents[0].cases) or tab.documents[0].has_errors, timeout=10000)
    assert not tab.documents[0].has_errors
    return tab.documents[0].cases


def test_import_a_study_pick_a_subject_save_and_open(qtbot, window, tmp_path: Path) -> None:
    study = _study(tmp_path)
    dialog = _dialog(qtbot, window, [study])
    assert "CDISC SDTM" in dialog.inputs_list.item(0).text()
    assert dialog.convert_button.isDefault()  # Enter converts
    _convert(qtbot, dialog)
    assert dialog.save_button.isDefault() and not dialog.convert_button.isDefault()
    assert dialog.table.rowCount() == 3
    row = _row_of(dialog, "S1-002")
    assert _cells(dialog, row) == ["S1-002", "Drug X", "3", "2020-04-10", "Drug X", "CDISC SDTM / ADaM"]
    dialog.table.clearSelection()
    dialog.table.selectRow(row)
    assert dialog.selected_ids() == ["subject-s1-002"]
    assert dialog.suspect_box.currentData() == "Drug X"  # preselected: the SDTM EX treatment
    assert "Drug Y" in [dialog.suspect_box.itemData(i) for i in range(dialog.suspect_box.count())]
    assert dialog.chosen_suspect() is None
    target = tmp_path / "out" / "s1-002.caseline.yaml"
    target.parent.mkdir()
    with qtbot.waitSignal(dialog.imported, timeout=10000) as written:
        dialog.save_to(str(target))
    assert written.args == [str(target)] and dialog.result() == ImportDialog.DialogCode.Accepted
    (case,) = caseline.load(target)
    assert case.case.suspect is not None and case.case.suspect.drug == "ex-drug-x"
    cases = _opened_case(qtbot, window, str(target))
    resolved = cases[0]
    rash = next(e for e in resolved.case.events if getattr(e, "label", "") == "Rash")
    assert resolved.item(rash.id).start.best == 3  # 2020-04-13, day 0 = RFSTDTC 2020-04-10
    assert str(resolved.item("ex-drug-x").start.best) == "0.0"


def test_another_suspect_is_converted_again_on_the_worker(qtbot, window, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, window, [_study(tmp_path)])
    _convert(qtbot, dialog)
    dialog.table.clearSelection()
    dialog.table.selectRow(_row_of(dialog, "S1-002"))
    dialog.suspect_box.setCurrentIndex(dialog.suspect_box.findData("Drug Y"))
    assert dialog.chosen_suspect() == "Drug Y"
    target = tmp_path / "drug-y.caseline.yaml"
    with qtbot.waitSignal(dialog.imported, timeout=30000):
        dialog.save_to(str(target))
    text = target.read_text()
    assert "drug: ex-drug-y" in text
    (case,) = caseline.load(target)
    roles = {e.id: e.role for e in case.case.events if e.kind == "drug"}
    assert roles["ex-drug-y"] == "suspected" and roles["ex-drug-x"] != "suspected"


def test_several_cases_open_as_a_comparison(qtbot, window, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, window, [_study(tmp_path)])
    _convert(qtbot, dialog)
    dialog.filter_edit.setText("drug x")
    assert [dialog.table.isRowHidden(r) for r in range(3)].count(False) == 2
    dialog.select_all_shown()
    assert dialog.selected_ids() == ["subject-s1-001", "subject-s1-002"]
    assert dialog.suspect_box.currentData() == "Drug X"
    target = tmp_path / "two"  # no suffix: .caseline.yaml is added
    with qtbot.waitSignal(dialog.imported, timeout=10000):
        dialog.save_to(str(target))
    path = tmp_path / "two.caseline.yaml"
    assert path.exists() and "caseset:" in path.read_text()
    assert [c.case.id for c in caseline.load(path)] == ["subject-s1-001", "subject-s1-002"]
    tab = window.find_tab(str(path))
    assert tab is not None and tab.is_comparison


def test_cancel_stops_the_conversion_and_writes_nothing(qtbot, window, tmp_path: Path) -> None:
    study = _study(tmp_path)
    dialog = _dialog(qtbot, window, [study])
    qtbot.mouseClick(dialog.convert_button, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentIndex() == PROGRESS_PAGE and dialog.running
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentIndex() == SOURCE_PAGE and not dialog.running and dialog.isVisible()
    assert "cancelled" in dialog.message.text()
    QThreadPool.globalInstance().waitForDone(30000)
    QApplication.processEvents()  # a result that arrives after Cancel is ignored
    assert dialog.pages.currentIndex() == SOURCE_PAGE and dialog.converted is None
    assert sorted(p.name for p in study.iterdir()) == ["ae.csv", "dm.csv", "ex.csv"]
    # the worker itself stops at the next subject once cancelled
    signals, cancel = dialog_module._Signals(), threading.Event()
    seen: list[int] = []
    signals.progress.connect(lambda _n, done, _t, _m: seen.append(done), Qt.ConnectionType.DirectConnection)
    signals.done.connect(lambda *_: seen.append(-1), Qt.ConnectionType.DirectConnection)
    cancel.set()
    dialog_module._ConvertTask(Job((str(study),), ImportOptions()), 1, signals, cancel).run()
    assert seen == []
    # Esc (reject) during a conversion cancels it and closes the dialog
    qtbot.mouseClick(dialog.convert_button, Qt.MouseButton.LeftButton)
    dialog.reject()
    assert not dialog.running and not dialog.isVisible()


def test_problems_are_messages_never_tracebacks(qtbot, window, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("nothing clinical here\n")
    dialog = _dialog(qtbot, window, [notes])
    assert not dialog.convert_button.isEnabled()
    assert "not a file of a standard caseline imports" in dialog.inputs_list.item(0).text()
    assert dialog.message.isVisible() and "None of these" in dialog.message.text()
    evil = tmp_path / "evil.xml"
    evil.write_text('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e "e">]>\n<MCCI_IN200100UV01 xmlns="urn:hl7-org:v3">'
                    "<PORR_IN049016UV/></MCCI_IN200100UV01>")
    dialog.set_inputs([str(evil)])
    assert dialog.convert_button.isEnabled() and not dialog.message.isVisible()  # an ICSR batch by its root
    qtbot.mouseClick(dialog.convert_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() != PROGRESS_PAGE, timeout=30000)
    assert dialog.pages.currentIndex() == SOURCE_PAGE  # back to the inputs, with the reader's message
    assert "refused" in dialog.message.text() and "DOCTYPE" in dialog.message.text()
    assert "Traceback" not in dialog.message.text()
    timeline = tmp_path / "data_timeline.txt"
    original = "PATIENT_ID\tSTART_DATE\tSTOP_DATE\tEVENT_TYPE\tAGENT\nP1\t0\t10\tTREATMENT\tDrug X\n"
    timeline.write_text(original)
    dialog.set_inputs([str(timeline)])
    _convert(qtbot, dialog)
    assert dialog.suspect_box.currentData() is None  # cBioPortal names no suspected drug
    assert dialog.suspect_box.currentText().startswith("None")
    # never over an input, whatever its name: the message says why and the dialog stays open
    copy = tmp_path / "input.yaml"
    copy.write_text(original)
    dialog.set_inputs([str(timeline), str(copy)])
    _convert(qtbot, dialog)
    dialog.save_to(str(copy))
    assert dialog.message.isVisible() and dialog.message.text().startswith("Not saved:")
    assert "is an input" in dialog.message.text() and dialog.isVisible() and not dialog.written
    assert timeline.read_text() == original and copy.read_text() == original
    dialog.save_to(str(tmp_path / "data_timeline.caseline.yaml"))  # a new file next to them is fine
    assert dialog.written and not dialog.isVisible()


def test_file_menu_opens_the_dialog(qtbot, window, monkeypatch) -> None:
    shown: list[ImportDialog] = []
    monkeypatch.setattr(ImportDialog, "exec", lambda self: shown.append(self) or 0)
    file_menu = window.menuBar().actions()[0].menu()
    assert window.import_action in file_menu.actions()
    assert window.import_action.shortcut().toString() == "Ctrl+I"
    window.import_action.trigger()
    assert len(shown) == 1 and shown[0].pages.currentIndex() == SOURCE_PAGE
    filters = dialog_module.file_filter()
    assert "*.xpt" in filters and "*.xml" in filters and "HL7 FHIR R4" in filters


def test_the_picker_shows_what_the_converter_found(qtbot, window, tmp_path: Path) -> None:
    study = _study(tmp_path)
    dialog = _dialog(qtbot, window, [study])
    _convert(qtbot, dialog)
    expected = convert_paths([study])
    for summary in expected.summaries:
        cells = _cells(dialog, _row_of(dialog, summary.subject))
        assert cells[:5] == [summary.subject, summary.arm, str(summary.events), summary.first_exposure,
                             summary.suspect]
    dialog.table.clearSelection()
    assert not dialog.save_button.isEnabled()


# ---------------------------------------------------------------------------- the shared CDISC studies

def _shared(folder: str) -> Path:
    path = STANDARDS / folder
    if not path.is_dir():
        pytest.skip(f"third-party test data not available: {path}")
    return path


def test_whole_pilot_study_shows_progress(qtbot, window, tmp_path: Path) -> None:
    study = _shared("sdtm_pilot01_xpt")
    dialog = _dialog(qtbot, window, [study])
    seen: list[tuple[int, int]] = []
    dialog._signals.progress.connect(lambda _n, done, total, _m: seen.append((done, total)))
    _convert(qtbot, dialog)
    expected = convert_paths([study])
    assert dialog.table.rowCount() == len(expected.cases) > 200
    total = seen[-1][1]
    assert total >= len(expected.cases) and seen[-1] == (total, total) and len(seen) > total  # a step per subject
    assert (dialog.progress.maximum(), dialog.progress.value()) == (total, total)
    assert "screen failures" in dialog.notes.toPlainText()
    row = _row_of(dialog, "01-701-1028")
    assert _cells(dialog, row)[1:5] == ["Xanomeline High Dose", "3", "2013-07-19", "Xanomeline"]
    dialog.table.clearSelection()
    dialog.table.selectRow(row)
    target = tmp_path / "1028.caseline.yaml"
    with qtbot.waitSignal(dialog.imported, timeout=10000):
        dialog.save_to(str(target))
    (resolved,) = _opened_case(qtbot, window, str(target))
    doses = [e.dose for e in resolved.case.events if e.kind == "drug"]
    assert doses == [54, 81, 54]


def test_msg_study_all_subjects_open_with_suspect_and_reactions(qtbot, window, tmp_path: Path) -> None:
    study = _shared("sdtm_msg_datasetjson")
    dialog = _dialog(qtbot, window, [study])
    _convert(qtbot, dialog)
    dialog.select_all_shown()
    count = len(dialog.selected_ids())
    assert count == dialog.table.rowCount() == 18
    target = tmp_path / "msg.caseline.yaml"
    with qtbot.waitSignal(dialog.imported, timeout=10000):
        dialog.save_to(str(target))
    cases = _opened_case(qtbot, window, str(target))
    assert len(cases) == 18
    first = next(c for c in cases if c.case.id == "subject-cdisc001")
    assert first.case.suspect is not None and first.case.suspect.drug and first.case.suspect.reaction_event
    onset = first.item(first.case.suspect.reaction_event)
    assert onset is not None and onset.start.best > 0


def _shared_inputs() -> list[str]:
    if not STANDARDS.is_dir():
        return []
    files = [p for p in sorted(STANDARDS.glob("*/*")) if p.is_file() and "sdtm" not in p.parent.name]
    return [str(p.relative_to(STANDARDS)) for p in files] + ["sdtm_msg_datasetjson", "sdtm_pilot01_xpt"]


@pytest.mark.skipif(not STANDARDS.is_dir(), reason="third-party test data not available")
@pytest.mark.parametrize("relative", _shared_inputs())
def test_every_shared_file_opens_in_the_window(qtbot, window, tmp_path: Path, relative: str) -> None:
    """Each file (and each SDTM study folder) of ../shared/testdata/standards, imported through the
    dialog, opens with no error, its suspected drug and reaction as the standard names them."""
    dialog = _dialog(qtbot, window, [STANDARDS / relative])
    _convert(qtbot, dialog)
    expected = convert_paths([STANDARDS / relative])
    dialog.table.clearSelection()
    dialog.table.selectRow(_row_of(dialog, expected.summaries[0].subject or expected.summaries[0].case_id))
    (summary,) = [s for s in expected.summaries if s.case_id in dialog.selected_ids()]
    target = tmp_path / "imported.caseline.yaml"
    with qtbot.waitSignal(dialog.imported, timeout=10000):
        dialog.save_to(str(target))
    (resolved,) = _opened_case(qtbot, window, str(target))
    source = expected.cases[expected.summaries.index(summary)]
    suspect = source.get("suspect", {})
    assert (resolved.case.suspect.drug if resolved.case.suspect else "") == suspect.get("drug", "")
    assert (resolved.case.suspect.reaction_event if resolved.case.suspect else "") == suspect.get("reaction_event", "")
    for event in source["events"]:  # every time as the source states it, at its precision
        opened = next(e for e in resolved.case.events if e.id == event["id"])
        for key, field in (("start", "start"), ("end", "end"), ("at", "start")):  # a point's 'at' is its start
            if isinstance(event.get(key), dict):
                assert getattr(opened, field).text == event[key]["time"], (event["id"], key)
