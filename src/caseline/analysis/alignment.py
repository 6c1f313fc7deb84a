"""Alignment of several cases on one time axis. Pure Python.

Each mode picks, in every case, the event that becomes the shared day 0. A case without that
event keeps its own day 0 and gets a note saying so: it is never silently misplaced.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from caseline.model.caseset import ALIGN_MODES
from caseline.model.kinds import Category, Kind
from caseline.timeline.resolved import Item, ItemRole, ResolvedCase

ALIGN_TITLES = {
    "anchor": "each case's day 0",
    "first-suspect-dose": "first dose of the suspected drug",
    "reaction-onset": "onset of the adverse reaction",
    "suspect-stop": "discontinuation of the suspected drug",
    "first-rescue": "first rescue therapy",
    "calendar": "calendar dates",
}


@dataclass
class Alignment:
    mode: str
    shifts: dict[str, float] = field(default_factory=dict)  # case id -> days added to its times
    notes: dict[str, str] = field(default_factory=dict)  # case id -> why it is not aligned
    origin_date: object | None = None  # calendar mode: date of the shared day 0

    @property
    def title(self) -> str:
        if self.mode.startswith("event:"):
            return f"first '{self.mode[6:]}'"
        return ALIGN_TITLES.get(self.mode, self.mode)

    def aligned(self, case_id: str) -> bool:
        return case_id not in self.notes


def check_mode(mode: str) -> str:
    if mode in ALIGN_MODES or (mode.startswith("event:") and len(mode) > 6):
        return mode
    raise ValueError(f"unknown alignment {mode!r}: use one of {', '.join(ALIGN_MODES)} or event:LABEL")


def _first(items: list[Item]) -> float | None:
    days = [i.start.best for i in items if i.start is not None and math.isfinite(i.start.best)]
    return min(days) if days else None


def first_suspect_dose(case: ResolvedCase) -> float | None:
    drug = case.case.suspect.drug
    if not drug:
        return None
    doses = [i for i in case.items_of(drug) if i.role is ItemRole.DOSE]
    return _first(doses) if doses else _first([i for i in case.items_of(drug) if i.role is ItemRole.COURSE])


def reaction_onset(case: ResolvedCase) -> float | None:
    event = case.case.suspect.reaction_event
    if not event:
        return None
    return _first([i for i in case.items_of(event) if i.role in (ItemRole.COURSE, ItemRole.POINT)])


def suspect_stop(case: ResolvedCase) -> float | None:
    drug = case.case.suspect.drug
    if not drug:
        return None
    stops = [i for i in case.items if i.kind is Kind.DECHALLENGE and i.event.target == drug]
    if stops:
        return _first(stops)
    course = [i for i in case.items_of(drug) if i.role is ItemRole.COURSE and i.end is not None and not i.open_end]
    ends = [i.end.best for i in course if i.end is not None and math.isfinite(i.end.best)]
    return min(ends) if ends else None


def first_rescue(case: ResolvedCase) -> float | None:
    return _first([i for i in case.items if i.category is Category.RESCUE and i.role is ItemRole.COURSE])


def first_matching(case: ResolvedCase, label: str) -> float | None:
    needle = label.strip().lower()
    return _first([i for i in case.items if i.role in (ItemRole.COURSE, ItemRole.POINT)
                   and (needle in i.label.lower() or needle == i.lane.lower() or needle == i.event_id.lower())])


FINDERS = {
    "first-suspect-dose": (first_suspect_dose, "no suspected-drug dose"),
    "reaction-onset": (reaction_onset, "no dated adverse-reaction onset"),
    "suspect-stop": (suspect_stop, "no dated discontinuation of the suspected drug"),
    "first-rescue": (first_rescue, "no dated rescue therapy"),
}


def align_cases(cases: Sequence[ResolvedCase], mode: str = "anchor") -> Alignment:
    """Shifts that put the chosen event of every case at day 0 (notes for cases without it)."""
    check_mode(mode)
    alignment = Alignment(mode)
    if mode == "anchor":
        alignment.shifts = {c.id: 0.0 for c in cases}
        return alignment
    if mode == "calendar":
        dated = [c for c in cases if c.anchor_date is not None]
        if not dated:
            for c in cases:
                alignment.shifts[c.id] = 0.0
                alignment.notes[c.id] = "no calendar date: shown on its own day 0"
            return alignment
        origin = min(c.anchor_date for c in dated if c.anchor_date is not None)
        alignment.origin_date = origin
        for c in cases:
            if c.anchor_date is None:
                alignment.shifts[c.id] = 0.0
                alignment.notes[c.id] = "no calendar date: shown on its own day 0"
            else:
                alignment.shifts[c.id] = float((c.anchor_date - origin).days)
        return alignment
    if mode.startswith("event:"):
        label = mode[6:]
        def finder(c):
            return (first_matching(c, label))
        missing = f"no dated event matching '{label}'"
    else:
        finder, missing = FINDERS[mode]
    for c in cases:
        day = finder(c)
        if day is None:
            alignment.shifts[c.id] = 0.0
            alignment.notes[c.id] = f"{missing}: shown on its own day 0 (not aligned)"
        else:
            alignment.shifts[c.id] = -day
    return alignment
