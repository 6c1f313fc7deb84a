"""Loading: read a file with the reader that identifies it, then resolve its cases.

The one seam between reading (caseline.io) and resolution (caseline.timeline.resolver): both
layers stay unaware of each other. ``load_file`` never raises for bad content; it returns every
problem as a diagnostic.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Sequence
from dataclasses import dataclass, field

from caseline.io import registry
from caseline.io.caseset_file import CaseSetSpec, expand_inputs
from caseline.io.located import without_positions
from caseline.model.caseset import CaseSet
from caseline.model.diagnostics import CaseFileError, Diagnostic, SourcePos, UnreadableFile
from caseline.timeline.resolved import ResolvedCase
from caseline.timeline.resolver import resolve_case


@dataclass
class LoadResult:
    """What one file holds, resolved, with every problem found on the way."""

    path: str
    cases: list[ResolvedCase] = field(default_factory=list)
    caseset: CaseSet | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    unreadable: bool = False
    #: Loading failed on a bug in caseline, not on the file (see :func:`load_file`): exit status 2.
    internal_error: bool = False

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def ok(self) -> bool:
        return not self.unreadable and not self.errors


def load_file(path: str | os.PathLike[str]) -> LoadResult:
    """Read, validate and resolve one file. Never raises for bad content.

    The last-resort guard of every read (the CLI, the window and ``caseline.load()`` come through here):
    an unexpected exception in a reader or the resolver becomes an "internal error, please report"
    diagnostic on the file, and the result is ``unreadable`` and ``internal_error`` (exit status 2).
    """
    path = os.fspath(path)
    try:
        return _load_file(path)
    except Exception as exc:  # a bug, not the file's fault: say so instead of a traceback
        return internal_error(path, exc)


def internal_error(path: str, exc: BaseException) -> LoadResult:
    """The LoadResult of a file whose loading raised ``exc`` (a bug in caseline)."""
    result = LoadResult(path, unreadable=True, internal_error=True)
    what = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if len(what) > 200:
        what = what[:197] + "..."
    result.diagnostics.append(Diagnostic(
        SourcePos(path), f"internal error, please report: caseline failed while reading this file ({what})",
        "please report this to the caseline maintainers with the file; the file itself may be fine"))
    return result


def _load_file(path: str) -> LoadResult:
    """Read without source positions first; a file with something to report is read again with them.

    Positions only place messages: a file without problems loads faster and keeps less without
    them (every position of its cases is then the file's, line 0), and the messages of a file with
    problems are the same as ever.
    """
    try:
        with without_positions() as dropped:
            result = _read_and_resolve(path)
    except Exception:  # read again with positions: a bug is then reported as it always was
        return _read_and_resolve(path)
    if dropped.used and result.diagnostics and not result.unreadable:
        return _read_and_resolve(path)
    return result


def _read_and_resolve(path: str) -> LoadResult:
    result = LoadResult(path)
    # Reading makes millions of small acyclic objects; the cyclic collector would rescan them
    # again and again (a third of the time of a 100,000-event file). Pause it meanwhile.
    collecting = gc.isenabled()
    gc.disable()
    try:
        try:
            read = registry.read(path)
        except UnreadableFile as exc:
            result.unreadable = True
            result.diagnostics.append(exc.diagnostic)
            return result
        result.diagnostics.extend(read.diagnostics)
        result.caseset = read.caseset
        if not any(d.is_error for d in read.diagnostics):
            for case in read.cases:
                resolved = resolve_case(case)
                result.diagnostics.extend(resolved.diagnostics)
                result.cases.append(resolved)
        return result
    finally:
        if collecting:
            gc.enable()


def settle_loaded() -> None:
    """After a load, on the loading thread: what was loaded lives until its document closes, so it is moved
    out of the cyclic collector's sight.

    A load pauses the collector (see ``_read_and_resolve``), so every object it made is young. Left so, the
    collector's next passes walk every ``Item`` and ``Event`` again, a full pass last, on whichever thread
    allocates next: the GUI thread's layout, 0.4-0.7 s at a million events (issue 18). One young-generation
    collection here frees the reader's own garbage cycles (PyYAML's composer leaves some), and
    ``gc.freeze()`` moves the survivors to the permanent generation. Resolved cases hold no reference
    cycles (``tests/timeline/test_settle.py``): when their document closes, reference counting frees them,
    frozen or not.
    """
    gc.collect(1)
    gc.freeze()


def release_loaded() -> None:
    """When a document closes: give the frozen objects back to the collector (``settle_loaded`` also froze
    whatever garbage cycles were waiting elsewhere, a closed dialog's, say: their next full pass frees them)."""
    gc.unfreeze()


def load_cases(path: str | os.PathLike[str]) -> list[ResolvedCase]:
    """Resolved cases of a file; raises CaseFileError listing every error."""
    result = load_file(path)
    if not result.ok:
        raise CaseFileError(result.errors)
    return result.cases




@dataclass
class LoadedInputs:
    """Every case of some files and case sets (expanded), with each file's result."""

    spec: CaseSetSpec
    results: list[LoadResult] = field(default_factory=list)
    cases: list[ResolvedCase] = field(default_factory=list)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.spec.diagnostics + [d for r in self.results for d in r.diagnostics]

    @property
    def unreadable(self) -> bool:
        return any(r.unreadable for r in self.results)

    @property
    def internal_error(self) -> bool:
        return any(r.internal_error for r in self.results)

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)


def load_inputs(paths: Sequence[str], align: str | None = None, sort: str | None = None) -> LoadedInputs:
    """Load files and case sets as a comparison would show them (case sets expand to their entries)."""
    spec = expand_inputs(paths, align, sort)
    loaded = LoadedInputs(spec)
    cache: dict[str, LoadResult] = {}
    for path, case_ids in spec.entries:
        result = cache.get(path)
        if result is None:
            result = cache[path] = load_file(path)
            loaded.results.append(result)
        wanted = set(case_ids)
        if result.ok:
            loaded.cases.extend(c for c in result.cases if not wanted or c.id in wanted)
    return loaded


__all__ = ["LoadResult", "LoadedInputs", "internal_error", "load_cases", "load_file", "load_inputs"]
