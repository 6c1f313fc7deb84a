"""Readers: one per file type, registered by extension; all return the same model.

Qt-free. ``load_file`` never raises on bad content: it returns diagnostics.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from caseline.model.case import Case
from caseline.model.caseset import CaseSet
from caseline.model.diagnostics import CaseFileError, Diagnostic, SourcePos, UnreadableFile

#: A reader turns a file into (cases, case set or None, diagnostics); it may raise UnreadableFile.
Reader = Callable[[str], tuple[list[Case], CaseSet | None, list[Diagnostic]]]
READERS: dict[str, Reader] = {}


def reader(*extensions: str) -> Callable[[Reader], Reader]:
    """Register a reader for file name endings (lower case, with the dot)."""

    def register(func: Reader) -> Reader:
        for ext in extensions:
            READERS[ext] = func
        return func

    return register


@reader(".yaml", ".yml")
def read_yaml(path: str) -> tuple[list[Case], CaseSet | None, list[Diagnostic]]:
    from caseline.io.build import build_document
    from caseline.io.located import load_yaml, read_text

    text, warnings = read_text(path)
    root, problems = load_yaml(path, text)
    cases, caseset, diagnostics = build_document(path, root)
    return cases, caseset, warnings + problems + diagnostics


@reader(".json")
def read_json(path: str) -> tuple[list[Case], CaseSet | None, list[Diagnostic]]:
    from caseline.io.build import build_document
    from caseline.io.located import load_json, read_text

    text, warnings = read_text(path)
    root, problems = load_json(path, text)
    cases, caseset, diagnostics = build_document(path, root)
    return cases, caseset, warnings + problems + diagnostics


@reader(".csv", ".tsv")
def read_csv(path: str) -> tuple[list[Case], CaseSet | None, list[Diagnostic]]:
    from caseline.io.csv_reader import read_events_table

    return read_events_table(path)


def reader_for(path: str) -> Reader | None:
    name = path.lower()
    for ext in sorted(READERS, key=len, reverse=True):
        if name.endswith(ext):
            return READERS[ext]
    return None


@dataclass
class LoadResult:
    """What one file holds, resolved, with every problem found on the way."""

    path: str
    cases: list[Any] = field(default_factory=list)  # list[ResolvedCase]
    caseset: CaseSet | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    unreadable: bool = False

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def ok(self) -> bool:
        return not self.unreadable and not self.errors


def load_file(path: str | os.PathLike[str]) -> LoadResult:
    """Read, validate and resolve one file. Never raises for bad content."""
    from caseline.timeline.resolver import resolve_case

    path = os.fspath(path)
    result = LoadResult(path)
    read = reader_for(path)
    if read is None:
        result.unreadable = True
        result.diagnostics.append(
            Diagnostic(SourcePos(path), "unknown file type",
                       "caseline reads .yaml/.yml, .json and .csv case files")
        )
        return result
    # Reading makes millions of small acyclic objects; the cyclic collector would rescan them
    # again and again (a third of the time of a 100,000-event file). Pause it meanwhile.
    collecting = gc.isenabled()
    gc.disable()
    try:
        try:
            cases, caseset, diagnostics = read(path)
        except UnreadableFile as exc:
            result.unreadable = True
            result.diagnostics.append(exc.diagnostic)
            return result
        result.diagnostics.extend(diagnostics)
        result.caseset = caseset
        if not any(d.is_error for d in diagnostics):
            for case in cases:
                resolved = resolve_case(case)
                result.diagnostics.extend(resolved.diagnostics)
                result.cases.append(resolved)
        return result
    finally:
        if collecting:
            gc.enable()


def load_cases(path: str | os.PathLike[str]) -> list[Any]:
    """Resolved cases of a file; raises CaseFileError listing every error."""
    result = load_file(path)
    if not result.ok:
        raise CaseFileError(result.errors)
    return result.cases


__all__ = ["READERS", "CaseFileError", "Diagnostic", "LoadResult", "UnreadableFile", "load_cases",
           "load_file", "reader", "reader_for"]
