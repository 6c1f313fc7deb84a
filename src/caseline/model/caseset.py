"""Case sets: several case files opened together, with how to compare them. Pure Python."""

from __future__ import annotations

from dataclasses import dataclass

from caseline.model.diagnostics import SourcePos

#: How a comparison can align its cases (plus "event:LABEL") and sort them; used by case set
#: files, the comparison view and the command line alike.
ALIGN_MODES = ("anchor", "first-suspect-dose", "reaction-onset", "suspect-stop", "first-rescue", "calendar")
SORT_KEYS = ("none", "latency", "improvement", "date", "title")
#: How a comparison lays its cases out: stacked lanes (every event) or a swimmer plot (one row per case).
LAYOUTS = ("lanes", "swimmer")


@dataclass(frozen=True, slots=True)
class CaseSetEntry:
    path: str
    case_ids: tuple[str, ...] = ()  # empty: every case in the file


@dataclass(frozen=True, slots=True)
class CaseSet:
    """A list of case files to open together, with how to compare them."""

    title: str
    entries: tuple[CaseSetEntry, ...]
    pos: SourcePos
    align: str = "anchor"
    sort: str = "none"
    hidden_lanes: tuple[str, ...] = ()
    shared_lanes_only: bool = False
    time_range: tuple[float, float] | None = None
    description: str = ""
    layout: str = "lanes"
