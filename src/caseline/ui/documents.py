"""Open documents: load off the GUI thread, watch for changes, keep the last good timeline.

A Document never writes to its file. Reloads are debounced; an invalid edit keeps the last good
cases on screen and reports the new problems. Loading goes through ``load_file``, which refuses what is
not a regular file without opening it (a FIFO would block the worker, and quitting, forever) and turns a
bug into an "internal error, please report" problem shown in the tab.
"""

from __future__ import annotations

import contextlib
import os

from PySide6.QtCore import QFileSystemWatcher, QObject, QRunnable, QThreadPool, QTimer, Signal

from caseline.layout.case_columns import PREPARED, prepare_columns
from caseline.model.caseset import CaseSet
from caseline.timeline.load import LoadResult, internal_error, load_file, release_loaded, settle_loaded


class _LoadSignals(QObject):
    done = Signal(object, int)  # LoadResult, generation


class _LoadTask(QRunnable):
    def __init__(self, path: str, generation: int, signals: _LoadSignals) -> None:
        super().__init__()
        self.path = path
        self.generation = generation
        self.signals = signals

    def run(self) -> None:
        try:
            result = load_file(self.path)  # never raises for a file: the last-resort guard is inside
        except Exception as exc:  # e.g. MemoryError while building the diagnostic itself: still no dead tab
            result = internal_error(self.path, exc)
        if result.ok:
            head_start(result)
        self.signals.done.emit(result, self.generation)


def head_start(result: LoadResult) -> None:
    """On the loading thread, after a load: the per-case part of the layout, here rather than on the GUI thread
    (issue 18), then the collector told to leave the loaded cases alone. Only a head start: on a failure the
    window makes the columns itself (and reports what went wrong)."""
    with contextlib.suppress(Exception):
        prepare_columns(result.cases)
    settle_loaded()  # no collector pass over the loaded cases on the GUI thread later


class Document(QObject):
    """One open file. ``cases`` holds the last good resolved cases."""

    loaded = Signal(object)  # LoadResult of the latest (re)load
    changed_on_disk = Signal()

    RELOAD_DEBOUNCE_MS = 150

    def __init__(self, path: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = os.path.abspath(path)
        self.cases: list = []
        self.caseset: CaseSet | None = None
        self.last_result: LoadResult | None = None
        self.loading = False
        self._generation = 0
        self._signals = _LoadSignals()
        self._signals.done.connect(self._on_done)
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._on_file_changed)
        self._watcher.directoryChanged.connect(self._on_file_changed)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(self.RELOAD_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.reload)
        self._watch()

    @property
    def name(self) -> str:
        return os.path.basename(self.path)

    @property
    def has_errors(self) -> bool:
        return self.last_result is not None and not self.last_result.ok

    def _watch(self) -> None:
        if os.path.exists(self.path) and self.path not in self._watcher.files():
            self._watcher.addPath(self.path)
        folder = os.path.dirname(self.path)
        # editors that save by rename replace the file: watch the folder too
        if os.path.isdir(folder) and folder not in self._watcher.directories():
            self._watcher.addPath(folder)

    def _on_file_changed(self, _path: str) -> None:
        self._watch()
        self.changed_on_disk.emit()
        self._debounce.start()

    def reload(self, blocking: bool = False) -> None:
        """Load (again) in a worker thread; ``blocking`` loads on this thread (CLI, tests)."""
        self._generation += 1
        self.loading = True
        if blocking:
            self._on_done(load_file(self.path), self._generation)
            return
        QThreadPool.globalInstance().start(_LoadTask(self.path, self._generation, self._signals))

    def _on_done(self, result: LoadResult, generation: int) -> None:
        if generation != self._generation:
            return  # a newer reload is on its way
        self.loading = False
        self.last_result = result
        if result.ok:
            new = {id(c) for c in result.cases}
            PREPARED.forget([c for c in self.cases if id(c) not in new])  # a reload: the old cases' columns
            self.cases = list(result.cases)
            self.caseset = result.caseset
        self.loaded.emit(result)

    def close(self) -> None:
        self._debounce.stop()
        PREPARED.forget(self.cases)  # the columns made for its cases on the loading thread
        release_loaded()
        paths = self._watcher.files() + self._watcher.directories()
        if paths:
            self._watcher.removePaths(paths)
