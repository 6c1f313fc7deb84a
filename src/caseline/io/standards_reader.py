"""The standards importers (caseline.io.standards) as readers: a file or folder of SDTM, E2B(R3),
openFDA, FHIR R4, Phenopackets or cBioPortal opens like a case file, converted in memory.

The conversion gives case-file text, which goes through the same located reader and builder as a
``.caseline.yaml``, so it is checked alike. Nothing is written: ``caseline import`` (or File > Import)
writes a case file to keep and edit. Positions in diagnostics name the converted text
(``PATH [converted]:LINE:COL``), since the source's own records are named in each event's source.
"""

from __future__ import annotations

import functools
import os
import stat

from caseline.io.case_document import build_document
from caseline.io.located import load_yaml, with_positions
from caseline.io.registry import Reader, ReadResult, register_reader
from caseline.model.diagnostics import Diagnostic, DiagnosticLevel, SourcePos, UnreadableFile


@functools.lru_cache(maxsize=256)
def _identify(path: str, mtime_ns: int) -> str | None:
    from caseline.io import standards

    del mtime_ns  # part of the cache key only: a file that changes is identified again
    return standards.identify(path)


def identify_standard(path: str) -> str | None:
    """The standard ``path`` holds (None: none), for regular files and folders only (never blocks)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    if not (stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode)):
        return None
    return _identify(os.path.abspath(path), info.st_mtime_ns)


def read_standard(path: str) -> ReadResult:
    """Convert ``path`` in memory and build its cases. Raises UnreadableFile."""
    from caseline.io.standards import convert_paths, to_yaml

    result = convert_paths([path])
    diagnostics = [Diagnostic(SourcePos(w.file, w.line or 0, w.column or 0),
                              (f"record {w.record}: " if w.record else "") + w.message, w.hint,
                              DiagnosticLevel.ERROR if w.error else DiagnosticLevel.WARNING)
                   for w in result.warnings]
    if any(w.unreadable for w in result.warnings) and not result.cases:
        raise UnreadableFile(diagnostics[0])
    if not result.cases:
        return ReadResult([], None, diagnostics)
    document = result.document()
    document.pop("caseset", None)  # it lists the written file; nothing is written here
    label = f"{path} [converted]"
    # Converters usually have something to say (warnings): reading again with positions would convert
    # the whole study twice, so the converted document keeps its positions from the start.
    with with_positions():
        root, problems = load_yaml(label, to_yaml(document, [path]))
        cases, _caseset, built = build_document(label, root)
    return ReadResult(cases, None, [d for d in diagnostics if not d.is_error] + problems + built)


def _register() -> None:
    from caseline.io.standards import STANDARDS

    for name, standard in STANDARDS.items():
        register_reader(Reader(
            name=name, label=standard.label, patterns=tuple(f"*{ext}" for ext in standard.extensions),
            read=read_standard, identify=lambda p, n=name: identify_standard(p) == n,  # type: ignore[misc]
            priority=10 + standard.priority, accepts_directories=standard.accepts_folders))


_register()
