"""The reader registry: which reader turns a file (or a folder) into cases.

A reader registers a name, a label, the file patterns its dialog filter shows, an
``identify(path)`` that looks at the name and, where needed, the content, a priority and whether it
accepts folders (the glue ``data_factory`` and napari reader-manifest pattern). :func:`find_reader`
picks the highest priority reader that identifies the path, so a specialised reader can claim a
``.json`` or ``.csv`` before the generic case-file readers do. Every reader returns the same model.

Reading never blocks on what is not a regular file: :func:`check_readable` refuses FIFOs, devices
and sockets (their ``open()`` would wait forever) before any reader opens the path.
"""

from __future__ import annotations

import fnmatch
import os
import stat
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from caseline.model.case import Case
from caseline.model.caseset import CaseSet
from caseline.model.diagnostics import Diagnostic, SourcePos, UnreadableFile


@dataclass
class ReadResult:
    """What a reader found in a file: cases (not yet resolved), a case set, and every problem."""

    cases: list[Case] = field(default_factory=list)
    caseset: CaseSet | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)


ReadFunction = Callable[[str], ReadResult]


@dataclass(frozen=True)
class Reader:
    """One registered reader (see the module docstring)."""

    name: str
    label: str
    patterns: tuple[str, ...]
    read: ReadFunction
    identify: Callable[[str], bool]
    priority: int = 0
    accepts_directories: bool = False


_READERS: dict[str, Reader] = {}
_BUILTINS_LOADED = False
_BUILTINS_LOCK = threading.RLock()  # re-entrant: a reader module may ask for the registry while it loads
#: Modules whose import registers the built-in readers (imported on first use, keeping start-up light).
BUILTIN_READER_MODULES = ("caseline.io.yaml_json_reader", "caseline.io.csv_reader", "caseline.io.standards_reader")


def register_reader(reader: Reader) -> Reader:
    """Add (or replace, by name) a reader."""
    _READERS[reader.name] = reader
    return reader


def reader(name: str, label: str, patterns: tuple[str, ...], *, priority: int = 0,
           accepts_directories: bool = False,
           identify: Callable[[str], bool] | None = None) -> Callable[[ReadFunction], ReadFunction]:
    """Decorator form of :func:`register_reader`; ``identify`` defaults to matching ``patterns``."""

    def register(func: ReadFunction) -> ReadFunction:
        register_reader(Reader(name, label, patterns, func, identify or matches_patterns(patterns), priority,
                               accepts_directories))
        return func

    return register


def matches_patterns(patterns: tuple[str, ...]) -> Callable[[str], bool]:
    """An identify function that accepts file names matching any of ``patterns`` (case-insensitive)."""
    lowered = tuple(p.lower() for p in patterns)

    def identify(path: str) -> bool:
        name = os.path.basename(path.rstrip(os.sep)).lower()
        return any(fnmatch.fnmatch(name, p) for p in lowered)

    return identify


def readers() -> list[Reader]:
    """Every registered reader, highest priority first."""
    _load_builtins()
    return sorted(_READERS.values(), key=lambda r: -r.priority)


def _load_builtins() -> None:
    """Import the built-in reader modules once. The window loads files on several worker threads at once:
    the flag is set only after every module has registered (under a lock), or a second thread would see an
    empty registry and call a case file an 'unknown file type'."""
    global _BUILTINS_LOADED
    if _BUILTINS_LOADED:
        return
    with _BUILTINS_LOCK:
        if _BUILTINS_LOADED:
            return
        import importlib

        for module in BUILTIN_READER_MODULES:
            importlib.import_module(module)
        _BUILTINS_LOADED = True


def check_readable(path: str, directories: bool = False) -> None:
    """Raise UnreadableFile unless ``path`` is a regular file (or, with ``directories``, a folder).

    Uses ``stat`` only: a FIFO's ``open()`` blocks until a writer appears, a device may never end.
    """
    where = SourcePos(path)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise UnreadableFile(Diagnostic(where, "file not found", "check the path")) from None
    except OSError as exc:
        raise UnreadableFile(Diagnostic(where, f"cannot open: {exc.strerror or exc}")) from None
    if stat.S_ISDIR(mode):
        if directories:
            return
        raise UnreadableFile(Diagnostic(where, "is a folder, not a case file",
                                        "open a case file inside it, or a folder of a kind caseline reads "
                                        f"({supported_description(folders_only=True) or 'none'})"))
    if not stat.S_ISREG(mode):
        kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
                else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file")
        raise UnreadableFile(Diagnostic(where, f"is {kind}, not a case file",
                                        "caseline reads regular files only; save the data to a file first"))


def find_reader(path: str) -> Reader | None:
    """The highest-priority reader that identifies ``path`` (None: no reader does)."""
    is_dir = os.path.isdir(path)
    for candidate in readers():
        if is_dir and not candidate.accepts_directories:
            continue
        try:
            if candidate.identify(path):
                return candidate
        except OSError:
            continue
    return None


def read(path: str) -> ReadResult:
    """Read ``path`` with the reader that identifies it. Raises UnreadableFile."""
    check_readable(path, directories=True)
    found = find_reader(path)
    if found is None:
        if os.path.isdir(path):
            check_readable(path)  # raises the "is a folder" message
        raise UnreadableFile(Diagnostic(SourcePos(path), "unknown file type",
                                        f"caseline reads {supported_description()}"))
    return found.read(path)


def supported_description(folders_only: bool = False) -> str:
    """'caseline case files (.yaml, .yml), ...' for hints, from the registry."""
    parts = []
    for r in readers():
        if folders_only and not r.accepts_directories:
            continue
        suffixes = ", ".join(p.lstrip("*") for p in r.patterns)
        parts.append(f"{r.label} ({suffixes})" if suffixes else r.label)
    return "; ".join(parts)


def file_filter() -> str:
    """A QFileDialog filter string for every registered reader, from the registry."""
    entries = []
    everything: list[str] = []
    for r in readers():
        if r.patterns:
            entries.append(f"{r.label} ({' '.join(r.patterns)})")
            everything.extend(p for p in r.patterns if p not in everything)
    return ";;".join([f"Everything caseline reads ({' '.join(everything)})", *entries, "All files (*)"])


def peek(path: str, size: int = 65536) -> bytes:
    """The first ``size`` bytes of a regular file (b'' for anything else): for identify functions."""
    try:
        return read_regular(path, size)
    except (OSError, UnreadableFile):
        return b""


def read_regular(path: str, limit: int) -> bytes:
    """At most ``limit`` bytes of ``path``, which must be a regular file. Raises UnreadableFile or OSError.

    The file is opened without blocking (a FIFO's plain ``open()`` waits for a writer) and checked on the
    open descriptor, so a path swapped for a FIFO or a device after an earlier ``stat`` is still refused;
    reading stops at ``limit`` bytes whatever the file claims its size is.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            check_readable(path)  # names what it is
            raise UnreadableFile(Diagnostic(SourcePos(path), "is not a regular file, not a case file",
                                            "caseline reads regular files only; save the data to a file first"))
        chunks: list[bytes] = []
        left = limit
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


__all__ = ["ReadResult", "Reader", "check_readable", "file_filter", "find_reader", "matches_patterns", "peek",
           "read", "read_regular", "reader", "readers", "register_reader", "supported_description"]
