"""Case set files (``caseset:``): recognising one, expanding case sets into their entries, writing one.

One definition serves the window and the command line: the first case set among the inputs gives
the title, alignment, sort, hidden lanes, shared-lanes flag and time range; several inputs make a
new comparison that no one saved range or title speaks for.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from caseline.io import registry
from caseline.model.diagnostics import Diagnostic, UnreadableFile

_CASESET_KEY = re.compile(rb"^caseset\s*:", re.MULTILINE)
_CASESET_JSON_KEY = re.compile(rb'"caseset"\s*:')
SAVED_HEADER = "# Saved by caseline: the cases compared, and how (alignment, sort, lanes, time range).\n"


def is_caseset_file(path: str) -> bool:
    """True for a YAML/JSON file whose top level has a ``caseset`` key (peeks at a regular file only)."""
    name = path.lower()
    if not name.endswith((".yaml", ".yml", ".json")):
        return False
    head = registry.peek(path)
    return bool((_CASESET_JSON_KEY if name.endswith(".json") else _CASESET_KEY).search(head))


@dataclass
class CaseSetSpec:
    """What a comparison shows: files (absolute paths, optional case ids) and the view options."""

    entries: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    title: str = ""
    description: str = ""
    align: str = "anchor"
    sort: str = "none"
    hidden_lanes: frozenset[str] = frozenset()
    shared_lanes_only: bool = False
    time_range: tuple[float, float] | None = None
    caseset_path: str | None = None  # the first case set among the inputs
    n_casesets: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)  # warnings of the case set files read


def expand_inputs(paths: Sequence[str], align: str | None = None, sort: str | None = None) -> CaseSetSpec:
    """Expand case set files into their entries; ``align``/``sort`` override what a case set says.

    A case set that cannot be read, or has errors, stays an entry of its own, so whoever loads the
    entries reports its problems.
    """
    spec = CaseSetSpec()
    for path in paths:
        path = os.path.abspath(path)
        if not is_caseset_file(path):
            spec.entries.append((path, ()))
            continue
        try:
            result = registry.read(path)
        except UnreadableFile:
            spec.entries.append((path, ()))
            continue
        caseset = result.caseset
        if caseset is None or any(d.is_error for d in result.diagnostics):
            spec.entries.append((path, ()))
            continue
        spec.diagnostics.extend(result.diagnostics)
        spec.n_casesets += 1
        folder = os.path.dirname(path)
        for entry in caseset.entries:
            spec.entries.append((os.path.normpath(os.path.join(folder, entry.path)), tuple(entry.case_ids)))
        if spec.caseset_path is None:
            spec.caseset_path = path
            spec.title = caseset.title
            spec.description = caseset.description
            spec.align = caseset.align
            spec.sort = caseset.sort
            spec.hidden_lanes = frozenset(caseset.hidden_lanes)
            spec.shared_lanes_only = caseset.shared_lanes_only
            spec.time_range = caseset.time_range
    if len(paths) > 1:  # a case set plus more files: a new comparison, not the saved view of the set
        spec.title, spec.time_range = "", None
    if align is not None:
        spec.align = align
    if sort is not None:
        spec.sort = sort
    return spec


def caseset_text(target: str, files: Sequence[tuple[str, tuple[str, ...]]], *, title: str, description: str = "",
                 align: str = "anchor", sort: str = "none", hidden_lanes: Sequence[str] = (),
                 shared_lanes_only: bool = False, time_range: tuple[float, float] | None = None) -> str:
    """A case set file to be saved at ``target``: ``files`` are (absolute path, case ids), written
    relative to the target's folder."""
    import yaml

    folder = os.path.dirname(os.path.abspath(target))
    entries: list[Any] = []
    for path, wanted in files:
        try:
            rel = os.path.relpath(path, folder)
        except ValueError:  # another drive: keep it absolute
            rel = path
        rel = rel.replace(os.sep, "/")
        entries.append({"path": rel, "cases": list(wanted)} if wanted else rel)
    caseset: dict[str, Any] = {"title": title}
    if description:
        caseset["description"] = description
    caseset.update({"files": entries, "align": align, "sort": sort, "hidden_lanes": sorted(hidden_lanes),
                    "shared_lanes_only": shared_lanes_only})
    if time_range is not None:
        caseset["range"] = [round(time_range[0], 2), round(time_range[1], 2)]
    body = yaml.safe_dump({"caseline": 1, "caseset": caseset}, sort_keys=False, allow_unicode=True,
                          default_flow_style=None, width=100)
    return SAVED_HEADER + body
