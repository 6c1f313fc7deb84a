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
from caseline.model.diagnostics import Diagnostic

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
    layout: str = "lanes"  # stacked lanes or a swimmer plot
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
        except Exception:  # UnreadableFile, or a bug: the entry's own load reports it (timeline.load)
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
            spec.layout = caseset.layout
    if len(paths) > 1:  # a case set plus more files: a new comparison, not the saved view of the set
        spec.title, spec.time_range = "", None
    if align is not None:
        spec.align = align
    if sort is not None:
        spec.sort = sort
    return spec


def caseset_text(target: str, files: Sequence[tuple[str, tuple[str, ...]]], *, title: str, description: str = "",
                 align: str = "anchor", sort: str = "none", hidden_lanes: Sequence[str] = (),
                 shared_lanes_only: bool = False, time_range: tuple[float, float] | None = None,
                 layout: str = "lanes") -> str:
    """A case set file to be saved at ``target``: ``files`` are (absolute path, case ids), written
    relative to the target's folder."""
    import yaml

    entries = _relative_entries(target, files)
    caseset: dict[str, Any] = {"title": title}
    if description:
        caseset["description"] = description
    caseset.update({"files": entries, "align": align, "sort": sort, "hidden_lanes": sorted(hidden_lanes),
                    "shared_lanes_only": shared_lanes_only})
    if time_range is not None:
        caseset["range"] = [round(time_range[0], 2), round(time_range[1], 2)]
    if layout != "lanes":
        caseset["layout"] = layout
    body = yaml.safe_dump({"caseline": 1, "caseset": caseset}, sort_keys=False, allow_unicode=True,
                          default_flow_style=None, width=100)
    return SAVED_HEADER + body


def written_by_caseline(text: str) -> bool:
    """Whether a case set file's text is one caseline wrote (its header line), not a hand-written one."""
    return text.startswith(SAVED_HEADER)


def updated_caseset_text(existing: str, target: str, files: Sequence[tuple[str, tuple[str, ...]]], *,
                         title: str, description: str = "", align: str = "anchor", sort: str = "none",
                         hidden_lanes: Sequence[str] = (), shared_lanes_only: bool = False,
                         time_range: tuple[float, float] | None = None, layout: str = "lanes") -> str:
    """``existing`` (a case set file's text) with the view's values written into it, round trip: its
    comments, key order, quoting and the entries of ``files:`` that did not change stay as they were
    (a curator's notes in a hand-written case set survive "Save set..."). Raises ValueError when
    ``existing`` is not a case set mapping."""
    import io

    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.scalarstring import FoldedScalarString

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    try:
        document = yaml.load(existing)
    except YAMLError as exc:
        raise ValueError(f"not a readable case set: {exc}") from None
    if not isinstance(document, CommentedMap) or not isinstance(document.get("caseset"), CommentedMap):
        raise ValueError("not a case set: no 'caseset:' mapping at the top level")
    caseset = document["caseset"]
    fresh = {"files": _relative_entries(target, files)}

    def put(key: str, value: Any, keep_when: Any = None) -> None:
        if key not in caseset and value == keep_when:
            return  # a default the file did not state: leave it unstated
        if caseset.get(key) != value:
            caseset[key] = value

    put("title", title, "")
    old_description = caseset.get("description")
    if description.strip() != str(old_description or "").strip():
        if description:
            caseset["description"] = FoldedScalarString(description.strip() + "\n") \
                if isinstance(old_description, FoldedScalarString) else description
        elif "description" in caseset:
            del caseset["description"]
    old_files = [entry if isinstance(entry, str) else {"path": entry.get("path"), "cases": list(entry.get("cases", []))}
                 for entry in caseset.get("files", [])]
    if old_files != fresh["files"]:
        seq = CommentedSeq()
        for entry in fresh["files"]:
            seq.append(entry)
        caseset["files"] = seq
    put("align", align, "anchor")
    put("sort", sort, "none")
    put("hidden_lanes", sorted(hidden_lanes), [])
    put("shared_lanes_only", shared_lanes_only, False)
    put("layout", layout, "lanes")
    if time_range is not None:
        wanted = [round(time_range[0], 2), round(time_range[1], 2)]
        if list(caseset.get("range", [])) != wanted:
            flow = CommentedSeq(wanted)
            flow.fa.set_flow_style()
            caseset["range"] = flow
    elif "range" in caseset:
        del caseset["range"]
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()


def _relative_entries(target: str, files: Sequence[tuple[str, tuple[str, ...]]]) -> list[Any]:
    folder = os.path.dirname(os.path.abspath(target))
    entries: list[Any] = []
    for path, wanted in files:
        try:
            rel = os.path.relpath(path, folder)
        except ValueError:  # another drive: keep it absolute
            rel = path
        rel = rel.replace(os.sep, "/")
        entries.append({"path": rel, "cases": list(wanted)} if wanted else rel)
    return entries
