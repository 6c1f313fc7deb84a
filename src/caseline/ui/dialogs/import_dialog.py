"""File > Import…: convert files of a clinical standard into a case file, then open it.

Three steps in one dialog: choose files or a folder (the standards the reader registry lists);
convert them on a worker thread with a progress bar (Cancel stops at the next subject and the window
never waits); then pick the subjects or reports to keep (arm, number of events, first exposure) and
the suspected drug (preselected as the standard names it), and save an ordinary ``.caseline.yaml``
where the user chooses (never over an input), which the window then opens. The conversion is the
one ``caseline import`` runs (``caseline.io.standards.convert_paths``). Problems are messages in the
dialog, never tracebacks.
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QObject, QRunnable, QSettings, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from caseline.io.standards import STANDARDS, ImportOptions, ImportResult, convert_paths, identify, write_import
from caseline.io.standards.model import CaseSummary

CASE_FILTER = "caseline case files (*.caseline.yaml)"
LAB_CHOICES = (("abnormal", "Abnormal only (flagged or out of range)"), ("all", "All results"), ("none", "None"))
COLUMNS = ("Subject / report", "Arm", "Events", "First exposure", "Suspected drug", "Standard")
SOURCE_PAGE, PROGRESS_PAGE, PICK_PAGE = range(3)


def standard_readers() -> list[tuple[str, tuple[str, ...]]]:
    """(label, patterns) of every registered reader of a standard, as the registry lists them."""
    from caseline.io.registry import readers

    return [(r.label, r.patterns) for r in readers() if r.name in STANDARDS]


def file_filter() -> str:
    """The file dialog's filter: every standard together, then each one, then all files."""
    entries = standard_readers()
    everything: list[str] = []
    for _label, patterns in entries:
        everything.extend(p for p in patterns if p not in everything)
    return ";;".join([f"Every standard caseline imports ({' '.join(everything)})",
                      *(f"{label} ({' '.join(patterns)})" for label, patterns in entries), "All files (*)"])


def describe_input(path: str) -> tuple[str, bool]:
    """What an input is, in words, and whether caseline can import it."""
    name = os.path.basename(path.rstrip(os.sep)) or path
    standard = identify(path)
    if standard is not None:
        return f"{name}: {STANDARDS[standard].label}", True
    if os.path.isdir(path):
        inner = [os.path.join(path, n) for n in sorted(os.listdir(path)) if not n.startswith(".")]
        found = Counter(STANDARDS[s].label for s in (identify(p) for p in inner) if s is not None)
        if found:
            return f"{name}/: " + "; ".join(f"{count} × {label}" for label, count in found.items()), True
        return f"{name}/: no file of a standard caseline imports", False
    if not os.path.exists(path):
        return f"{name}: no such file", False
    return f"{name}: not a file of a standard caseline imports", False


def default_name(paths: Sequence[str], summaries: Sequence[CaseSummary]) -> str:
    """``subject-01-701-1015.caseline.yaml`` for one case, else named after the first input."""
    if len(summaries) == 1:
        return f"{summaries[0].case_id}.caseline.yaml"
    stem = os.path.basename(paths[0].rstrip(os.sep)) if paths else "import"
    while os.path.splitext(stem)[1]:
        stem = os.path.splitext(stem)[0]
    return f"{stem or 'import'}.caseline.yaml"


def drug_names(cases: Sequence[dict]) -> Counter[str]:
    """How many of ``cases`` have each drug (by the name its events give)."""
    counts: Counter[str] = Counter()
    for case in cases:
        counts.update({str(e["drug"]) for e in case.get("events", []) if e.get("kind") == "drug" and e.get("drug")})
    return counts


@dataclass(frozen=True)
class Job:
    """One conversion: inputs, options and the suspected drug to name (None: as the standard says)."""

    paths: tuple[str, ...]
    options: ImportOptions
    suspect: str | None = None
    target: str = ""  # a re-conversion for a chosen suspect writes here when it ends


class _Cancelled(Exception):
    """Raised inside the conversion, from its progress callback, when the user cancelled."""


class _Signals(QObject):
    progress = Signal(int, int, int, str)  # job number, done, total, message
    done = Signal(int, object)  # job number, ImportResult
    failed = Signal(int, str)


class _ConvertTask(QRunnable):
    """``convert_paths`` on a pool thread; the result or the failure comes back as a signal."""

    def __init__(self, job: Job, number: int, signals: _Signals, cancel: threading.Event) -> None:
        super().__init__()
        self.job, self.number, self.signals, self.cancel = job, number, signals, cancel

    def _progress(self, done: int, total: int, message: str) -> None:
        if self.cancel.is_set():
            raise _Cancelled
        self.signals.progress.emit(self.number, done, total, message)

    def run(self) -> None:
        try:
            result = convert_paths(list(self.job.paths), suspect=self.job.suspect, options=self.job.options,
                                   progress=self._progress)
        except _Cancelled:
            return
        except Exception as exc:  # a converter's slip must be a message, never a traceback or a hang
            self.signals.failed.emit(self.number, f"The conversion failed: {exc!r}. Please report this with the file.")
            return
        if not self.cancel.is_set():
            self.signals.done.emit(self.number, result)


class ImportDialog(QDialog):
    """Choose inputs, convert with progress, pick cases and the suspected drug, save and open."""

    imported = Signal(str)  # the case file written

    def __init__(self, parent: QWidget | None = None, folder: str = "", settings: QSettings | None = None,
                 open_file: Callable[[str], object] | None = None, paths: Sequence[str] = ()) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import cases")
        self.folder = folder or os.path.expanduser("~")
        self.settings = settings
        self.open_file = open_file
        self.paths: list[str] = []
        self.converted: ImportResult | None = None
        self.options = ImportOptions()
        self.written = ""
        self.job: Job | None = None
        self._number = 0  # the running job's number; results of older (cancelled) jobs are ignored
        self._cancel = threading.Event()
        self._signals = _Signals()
        self._signals.progress.connect(self._on_progress)
        self._signals.done.connect(self._on_done)
        self._signals.failed.connect(self._on_failed)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._source_page())
        self.pages.addWidget(self._progress_page())
        self.pages.addWidget(self._pick_page())
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.message)
        self.resize(820, 560)
        self._show_page(SOURCE_PAGE)
        if paths:
            self.set_inputs(list(paths))

    # ------------------------------------------------------------------ pages
    def _source_page(self) -> QWidget:
        page = QWidget()
        intro = QLabel("Convert files of a clinical standard into a caseline case file that you can keep, "
                       "correct and open like any other. The files you import are never changed.")
        intro.setWordWrap(True)
        known = QLabel("caseline imports: " + "; ".join(label for label, _ in standard_readers()) + ".")
        known.setWordWrap(True)
        self.files_button = QPushButton("Choose &files…")
        self.folder_button = QPushButton("Choose f&older…")
        self.files_button.setToolTip("One or more files: an ICSR, a FHIR Bundle, a phenopacket, SDTM datasets…")
        self.folder_button.setToolTip("An SDTM study, a FHIR Bulk export, or a folder of such files")
        self.files_button.clicked.connect(self.choose_files)
        self.folder_button.clicked.connect(self.choose_folder)
        choose = QHBoxLayout()
        choose.addWidget(self.files_button)
        choose.addWidget(self.folder_button)
        choose.addStretch(1)
        self.inputs_list = QListWidget()
        self.inputs_list.setMinimumHeight(90)
        self.labs_box = QComboBox()
        for mode, text in LAB_CHOICES:
            self.labs_box.addItem(text, mode)
        self.relative_box = QCheckBox("Days from day 0 only (no calendar dates, no identifiers)")
        self.duplicates_box = QCheckBox("Keep records that repeat another exactly")
        self.noise_box = QCheckBox("Keep visits, surveys, social history and protocol milestones")
        form = QFormLayout()
        form.addRow("Lab results", self.labs_box)
        form.addRow("", self.relative_box)
        form.addRow("", self.duplicates_box)
        form.addRow("", self.noise_box)
        self.convert_button = QPushButton("&Convert")
        self.convert_button.setEnabled(False)
        self.convert_button.clicked.connect(self.convert)
        close = QPushButton("Cancel")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.convert_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)  # the dialog's margins, as the message line under it
        layout.addWidget(intro)
        layout.addWidget(known)
        layout.addLayout(choose)
        layout.addWidget(self.inputs_list, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        return page

    def _progress_page(self) -> QWidget:
        page = QWidget()
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)  # the dialog's margins, as the message line under it
        layout.addStretch(1)
        layout.addWidget(self.status_label)
        layout.addWidget(self.progress)
        layout.addStretch(1)
        layout.addLayout(buttons)
        return page

    def _pick_page(self) -> QWidget:
        page = QWidget()
        self.found_label = QLabel()
        self.found_label.setWordWrap(True)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter by subject, arm or drug")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._apply_filter)
        self.all_button = QPushButton("Select &all")
        self.all_button.clicked.connect(self.select_all_shown)
        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.all_button)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._on_selection)
        self.suspect_box = QComboBox()
        self.suspect_box.setToolTip("The drug whose first dose, stop and restart the timeline measures from")
        self.chosen_label = QLabel()
        form = QFormLayout()
        form.addRow("Suspected drug", self.suspect_box)
        self.notes_label = QLabel()
        self.notes = QPlainTextEdit()
        self.notes.setReadOnly(True)
        self.notes.setMaximumHeight(84)
        self.back_button = QPushButton("&Back")
        self.back_button.clicked.connect(lambda: self._show_page(SOURCE_PAGE))
        self.save_button = QPushButton("&Save and open…")
        self.save_button.clicked.connect(self.save)
        close = QPushButton("Cancel")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.chosen_label, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)  # the dialog's margins, as the message line under it
        layout.addWidget(self.found_label)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.notes_label)
        layout.addWidget(self.notes)
        layout.addLayout(buttons)
        return page

    def _show_page(self, page: int) -> None:
        self.pages.setCurrentIndex(page)
        # Enter runs the shown step's main button (a dialog has one default button, and a hidden one is ignored)
        self.convert_button.setDefault(page == SOURCE_PAGE)
        self.save_button.setDefault(page == PICK_PAGE)

    def show_message(self, text: str, error: bool = True) -> None:
        """A line under the steps: a problem in dark red, news (a cancelled import) in the usual colour."""
        self.message.setStyleSheet("QLabel { color: #9B1C1C; }" if error else "")
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # ------------------------------------------------------------------ step 1: inputs
    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Import files", self.folder, file_filter())
        if paths:
            self.set_inputs(paths)

    def choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Import a folder (an SDTM study, a FHIR Bulk export)",
                                                self.folder)
        if path:
            self.set_inputs([path])

    def set_inputs(self, paths: list[str]) -> None:
        """Show what each input is; Convert is enabled when at least one can be imported."""
        self.paths = [os.path.abspath(p) for p in paths]
        self.inputs_list.clear()
        usable = 0
        for path in self.paths:
            text, ok = describe_input(path)
            self.inputs_list.addItem(text)
            self.inputs_list.item(self.inputs_list.count() - 1).setToolTip(path)
            usable += ok
        self.folder = os.path.dirname(self.paths[0]) if self.paths else self.folder
        self.convert_button.setEnabled(usable > 0)
        self.show_message("" if usable or not self.paths else
                          "None of these is a file of a standard caseline imports.")
        self._show_page(SOURCE_PAGE)

    def chosen_options(self) -> ImportOptions:
        return ImportOptions(labs=str(self.labs_box.currentData()), relative_days=self.relative_box.isChecked(),
                             keep_duplicates=self.duplicates_box.isChecked(),
                             include_noise=self.noise_box.isChecked())

    def convert(self) -> None:
        """Convert the inputs on a worker thread; the picker follows."""
        if not self.paths:
            return
        self.options = self.chosen_options()
        self._start(Job(tuple(self.paths), self.options))

    # ------------------------------------------------------------------ step 2: the worker
    @property
    def running(self) -> bool:
        return self.job is not None

    def _start(self, job: Job) -> None:
        self._cancel.set()  # an older job, if any, stops at its next subject
        self._cancel = threading.Event()
        self._number += 1
        self.job = job
        self.show_message("")
        self.status_label.setText("Saving the cases with the chosen suspected drug…" if job.target else
                                  "Reading " + ", ".join(os.path.basename(p.rstrip(os.sep)) for p in job.paths)
                                  + "…")
        self.progress.setRange(0, 0)  # busy until the first subject: reading the datasets
        self._show_page(PROGRESS_PAGE)
        QThreadPool.globalInstance().start(_ConvertTask(job, self._number, self._signals, self._cancel))

    def cancel(self) -> None:
        """Stop the running conversion (at its next subject) and go back; the dialog stays open."""
        if not self.running:
            return
        target = self.job.target if self.job is not None else ""
        self._cancel.set()
        self._number += 1
        self.job = None
        self._show_page(PICK_PAGE if target else SOURCE_PAGE)
        self.show_message("Import cancelled: nothing was written.", error=False)

    def reject(self) -> None:
        self.cancel()
        super().reject()

    def _on_progress(self, number: int, done: int, total: int, message: str) -> None:
        if number != self._number:
            return
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"%v of %m ({message})" if message and done < total else "%v of %m")
        self.status_label.setText(f"Converting {total} subject{'s' if total != 1 else ''}…" if total > 1
                                  else "Converting…")

    def _on_failed(self, number: int, text: str) -> None:
        if number != self._number:
            return
        target = self.job.target if self.job is not None else ""
        self.job = None
        self._show_page(PICK_PAGE if target else SOURCE_PAGE)
        self.show_message(text)

    def _on_done(self, number: int, result: ImportResult) -> None:
        if number != self._number or self.job is None:
            return
        job, self.job = self.job, None
        if job.target:
            self._write(result, job.target)
            return
        if not result.cases:
            self._show_page(SOURCE_PAGE)
            problems = [str(w) for w in result.warnings if w.error] or [str(w) for w in result.warnings]
            self.show_message("Nothing to import:\n" + "\n".join(problems[:6]))
            return
        self.converted = result
        self._fill_picker(result)
        self._show_page(PICK_PAGE)

    # ------------------------------------------------------------------ step 3: pick and save
    def _fill_picker(self, result: ImportResult) -> None:
        count = len(result.cases)
        self.found_label.setText(f"{count} case{'s' if count != 1 else ''} (one per subject or report). Choose the "
                                 "ones to keep: one opens as a case, several as a comparison.")
        self.filter_edit.clear()
        self.table.setSortingEnabled(False)
        self.table.clearContents()
        self.table.setRowCount(count)
        for row, summary in enumerate(result.summaries):
            values: tuple[object, ...] = (summary.subject or summary.case_id, summary.arm, summary.events,
                                          (summary.first_exposure or "unknown") if summary.suspect else "",
                                          summary.suspect, STANDARDS[summary.standard].label.split(" (")[0])
            for column, value in enumerate(values):
                item = QTableWidgetItem()
                item.setData(Qt.ItemDataRole.DisplayRole, value)
                item.setToolTip(summary.title)
                if column == 0:
                    item.setData(Qt.ItemDataRole.UserRole, summary.case_id)
                self.table.setItem(row, column, item)
        self.table.setSortingEnabled(True)
        self.table.sortItems(0, Qt.SortOrder.AscendingOrder)  # Qt's initial indicator is descending
        self.table.clearSelection()
        self.table.selectRow(0)
        warnings = [str(w) for w in result.warnings]
        self.notes_label.setText(f"Notes from the conversion ({len(warnings)})" if warnings else
                                 "The conversion left no notes.")
        self.notes.setPlainText("\n".join(warnings))
        self.notes.setVisible(bool(warnings))

    def _apply_filter(self, text: str) -> None:
        wanted = text.strip().lower()
        for row in range(self.table.rowCount()):
            cells = (self.table.item(row, c) for c in range(self.table.columnCount()))
            shown = not wanted or any(wanted in c.text().lower() for c in cells if c is not None)
            self.table.setRowHidden(row, not shown)

    def select_all_shown(self) -> None:
        self.table.selectAll()
        for row in range(self.table.rowCount()):  # selectAll also takes hidden rows: keep only the shown
            if self.table.isRowHidden(row):
                self.table.selectionModel().select(
                    self.table.model().index(row, 0),
                    self.table.selectionModel().SelectionFlag.Deselect
                    | self.table.selectionModel().SelectionFlag.Rows)

    def selected_ids(self) -> list[str]:
        """The chosen cases' ids, in the order of the conversion."""
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        items = [self.table.item(r, 0) for r in rows]
        chosen = {item.data(Qt.ItemDataRole.UserRole) for item in items if item is not None}
        order = [c["id"] for c in self.converted.cases] if self.converted is not None else []
        return [case_id for case_id in order if case_id in chosen]

    def _selected(self) -> tuple[list[dict], list[CaseSummary]]:
        if self.converted is None:
            return [], []
        ids = set(self.selected_ids())
        picked = [i for i, case in enumerate(self.converted.cases) if case["id"] in ids]
        return [self.converted.cases[i] for i in picked], [self.converted.summaries[i] for i in picked]

    def _on_selection(self) -> None:
        cases, summaries = self._selected()
        self.save_button.setEnabled(bool(cases))
        self.chosen_label.setText(f"{len(cases)} chosen" if len(cases) != 1 else "1 chosen")
        self.suspect_box.clear()
        counts = drug_names(cases)
        defaults = list(dict.fromkeys(s.suspect for s in summaries if s.suspect))
        if len(defaults) > 1 or (defaults and any(not s.suspect for s in summaries)):
            self.suspect_box.addItem("As each source names it (" + ", ".join(defaults[:3])
                                     + (", …" if len(defaults) > 3 else "") + ")", None)
        elif not defaults:
            self.suspect_box.addItem("None: the source names no suspected drug", None)
        names = sorted(counts, key=lambda n: (n not in defaults, -counts[n], n.lower()))
        for name in names:
            where = f" (in {counts[name]} of {len(cases)} cases)" if counts[name] < len(cases) else ""
            named = " — as the source names it" if defaults == [name] else ""
            self.suspect_box.addItem(f"{name}{where}{named}", name)
        if len(defaults) == 1 and all(s.suspect for s in summaries):
            self.suspect_box.setCurrentIndex(max(0, self.suspect_box.findData(defaults[0])))
        self.suspect_box.setEnabled(self.suspect_box.count() > 1)

    def chosen_suspect(self) -> str | None:
        """The drug to make the suspect, or None when each case keeps the one its standard names."""
        name = self.suspect_box.currentData()
        if not name:
            return None
        _cases, summaries = self._selected()
        return None if all(s.suspect == name for s in summaries) else str(name)

    def save(self) -> None:
        """Ask where to save (a new file, never an input), then write and open it."""
        if self.converted is None or not self.selected_ids():
            return
        _cases, summaries = self._selected()
        start = os.path.join(self.folder, default_name(self.paths, summaries))
        path, _ = QFileDialog.getSaveFileName(self, "Save the imported cases", start, CASE_FILTER)
        if path:
            self.save_to(path)

    def save_to(self, path: str) -> None:
        """Write the chosen cases to ``path`` (``.caseline.yaml`` added when it has no YAML suffix) and
        open it. A suspect other than the standard's converts again first, on the worker thread."""
        if self.converted is None:
            return
        if not path.lower().endswith((".yaml", ".yml")):
            path += ".caseline.yaml"
        path = os.path.abspath(path)
        suspect = self.chosen_suspect()
        if suspect is not None:
            self._start(Job(tuple(self.paths), self.options, suspect=suspect, target=path))
            return
        self._write(self.converted, path)

    def _write(self, result: ImportResult, path: str) -> None:
        ids = set(self.selected_ids())
        chosen = result.select(ids)
        if not chosen.cases:
            self._show_page(PICK_PAGE)
            self.show_message("The chosen cases were not found again in the conversion: nothing was written.")
            return
        try:
            written = write_import(chosen, path, self.paths, caseset_limit=self.options.caseset_limit)
        except (ValueError, OSError) as exc:
            self._show_page(PICK_PAGE)
            self.show_message(f"Not saved: {exc}")
            return
        self.written = written
        if self.settings is not None:
            from caseline.ui import window_settings as ws

            ws.remember_folder(self.settings, written)
        self.imported.emit(written)
        if self.open_file is not None:
            self.open_file(written)
        self.accept()
