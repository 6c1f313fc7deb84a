"""Alignment of several cases on one time axis, and the words every view uses for it. Pure Python.

Each mode picks, in every case, the landmark that becomes the shared day 0
(caseline.analysis.landmarks). A case without it keeps its own day 0 and gets a note saying so: it
is never silently misplaced. :func:`alignment_labels` gives the case-header notes and the axis
subject, so the window, ``caseline export`` and the reveal slides word an alignment alike.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from caseline.analysis import landmarks
from caseline.model.caseset import ALIGN_MODES
from caseline.timeline.resolved import Item, ResolvedCase

ALIGN_TITLES = {
    "anchor": "each case's day 0",
    "first-suspect-dose": "first dose of the suspected drug",
    "reaction-onset": "onset of the adverse reaction",
    "suspect-stop": "discontinuation of the suspected drug",
    "first-rescue": "first rescue therapy",
    "calendar": "calendar dates",
}
NO_CALENDAR_NOTE = "no calendar date: shown on its own day 0"


@dataclass
class Alignment:
    mode: str
    shifts: dict[str, float] = field(default_factory=dict)  # case id -> days added to its times
    notes: dict[str, str] = field(default_factory=dict)  # case id -> why it is not aligned
    origin_date: date | None = None  # calendar mode: date of the shared day 0

    @property
    def title(self) -> str:
        if self.mode.startswith("event:"):
            return f"first '{self.mode[6:]}'"
        return ALIGN_TITLES.get(self.mode, self.mode)

    def aligned(self, case_id: str) -> bool:
        return case_id not in self.notes


@dataclass(frozen=True)
class AlignmentLabels:
    """How an alignment is worded in a view: a note per case that is not aligned, the axis subject
    ("Days since <subject>"; empty: each case's own anchor) and the calendar date of the shared day 0."""

    header_notes: dict[str, str] = field(default_factory=dict)
    axis_subject: str = ""
    shared_origin: date | None = None


def check_mode(mode: str) -> str:
    if mode in ALIGN_MODES or (mode.startswith("event:") and len(mode) > 6):
        return mode
    raise ValueError(f"unknown alignment {mode!r}: use one of {', '.join(ALIGN_MODES)} or event:LABEL")


def _day(item: Item | None) -> float | None:
    return item.start.best if item is not None and item.start is not None else None


def _stop_day(case: ResolvedCase) -> float | None:
    stop = landmarks.suspect_stop(case)
    return landmarks.stop_time(stop) if stop is not None else None


FINDERS: dict[str, tuple[Callable[[ResolvedCase], float | None], str]] = {
    "first-suspect-dose": (lambda c: _day(landmarks.first_suspect_dose(c)), "no suspected-drug dose"),
    "reaction-onset": (lambda c: _day(landmarks.reaction_onset(c)), "no dated adverse-reaction onset"),
    "suspect-stop": (_stop_day, "no dated discontinuation of the suspected drug"),
    "first-rescue": (lambda c: _day(landmarks.first_rescue(c)), "no dated rescue therapy"),
}


def align_cases(cases: Sequence[ResolvedCase], mode: str = "anchor") -> Alignment:
    """Shifts that put the chosen landmark of every case at day 0 (notes for cases without it)."""
    check_mode(mode)
    alignment = Alignment(mode)
    if mode == "anchor":
        alignment.shifts = {c.id: 0.0 for c in cases}
        return alignment
    if mode == "calendar":
        dated = [c.anchor_date for c in cases if c.anchor_date is not None]
        origin = min(dated) if dated else None
        alignment.origin_date = origin
        for c in cases:
            if c.anchor_date is None or origin is None:
                alignment.shifts[c.id] = 0.0
                alignment.notes[c.id] = NO_CALENDAR_NOTE
            else:
                alignment.shifts[c.id] = float((c.anchor_date - origin).days)
        return alignment
    if mode.startswith("event:"):
        label = mode[6:]
        finder: Callable[[ResolvedCase], float | None] = lambda c: _day(landmarks.first_matching(c, label))  # noqa: E731
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


def not_aligned_note(note: str) -> str:
    """'no dated adverse-reaction onset: shown on ...' -> 'not aligned: no dated adverse-reaction onset'."""
    reason = note.split(":", 1)[0].strip()
    return f"not aligned: {reason}"


def alignment_labels(alignment: Alignment) -> AlignmentLabels:
    """The one wording of an alignment for headers and the axis (window, export and slides)."""
    notes = {cid: not_aligned_note(note) for cid, note in alignment.notes.items()}
    if alignment.mode == "anchor":
        subject = ""  # the plot names a shared anchor, or "each case's day 0"
    elif alignment.mode == "calendar":
        origin = alignment.origin_date
        subject = f"{origin} (earliest day 0)" if origin is not None else ALIGN_TITLES["anchor"]
    else:
        subject = alignment.title
    return AlignmentLabels(notes, subject, alignment.origin_date)
