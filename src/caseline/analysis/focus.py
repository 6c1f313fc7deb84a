"""The focus of a case or a comparison: the time span that tells the story of the reaction. Pure Python.

A case report often starts years before the drug (the diagnosis, earlier treatments); fitted to all
of it, the weeks between the first dose and the outcome, where every latency lives, get a few
per cent of the width. The default time window of the window and of ``caseline export`` is
therefore the span this module gives, by ONE rule (:func:`focus_range`):

* it starts shortly before the **first suspected dose** (:func:`caseline.analysis.landmarks.first_suspect_dose`);
  a case that names no suspected drug starts at its own day 0 (the anchor its author chose). Events
  that begin shortly before that (within 30 days, or a quarter of the story's span if more: the
  indication, a relapse, a therapy that did not help) are part of the story, and move the start
  to them; what began earlier is history;
* it ends at the **last outcome of the reaction**: the latest of the reaction's own times (onset,
  course points, stated end), the suspect's stop, the rescue therapies and procedures (start and stated
  end), the re-exposures, the improvements and resolutions of any symptom, and the milestones that state an
  outcome (remission, outcome, last follow-up, discharge), each counted only at or after the start. A death is the
  patient's outcome, not necessarily the reaction's: it widens the focus only when the case
  records no other outcome;
* both ends get a margin of 5 % of the span, and at least 7 days (or a fifth of the span, for a
  story shorter than five weeks).

Across several cases the span runs from the earliest start to the latest end (in the view's
aligned days). A case with nothing dated at or after its start keeps its whole extent. History
outside the focus is never cut: the view marks how many events lie before (and after) it, and the
fit command (F) shows all of it. An explicit range (``--range``, a case set's ``range``) always
wins over the focus.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from caseline.analysis import landmarks
from caseline.model.kinds import Category, CourseState, Kind, MilestoneType
from caseline.timeline.resolved import Item, ItemRole, ResolvedCase

#: Margin before the first dose and after the last outcome: this fraction of the focused span ...
MARGIN_FRACTION = 0.05
#: ... and at least this many days (or a fifth of the span, if less: a three-day story keeps its width).
MARGIN_DAYS = 7.0
#: Events that begin this many days (or a quarter of the story's span, if more) before the start are
#: part of the story.
LEAD_DAYS = 30.0
#: A focus narrower than this (days) is widened to it.
MIN_SPAN_DAYS = 1.0

_OUTCOME_MILESTONES = (MilestoneType.REMISSION, MilestoneType.LAST_FOLLOW_UP, MilestoneType.OUTCOME,
                       MilestoneType.DISCHARGE)
_OUTCOME_STATES = (CourseState.IMPROVEMENT.value, CourseState.RESOLUTION.value)


@dataclass(frozen=True, slots=True)
class Focus:
    """The focused span (``lo``..``hi``, aligned days, margins included) and the whole extent it
    lies in (``full_lo``..``full_hi``)."""

    lo: float
    hi: float
    full_lo: float
    full_hi: float

    @property
    def cuts_earlier(self) -> bool:
        """Whether history before the focus exists (and is shown compressed or marked)."""
        return self.full_lo < self.lo

    @property
    def cuts_later(self) -> bool:
        return self.full_hi > self.hi


def story_span(case: ResolvedCase, lead: bool = True) -> tuple[float, float] | None:
    """(first suspected dose, last outcome of the reaction) of one case, in its own days; a case
    without a dated suspected drug starts at its day 0. None when nothing dated lies at or after
    the start. ``lead`` False: the events shortly before the start stay outside (a swimmer row starts
    at the first dose)."""
    dose = landmarks.first_suspect_dose(case)
    if dose is not None and dose.start is not None and math.isfinite(dose.start.best):
        start = dose.start.best
    else:
        start = 0.0
        if case.extent()[1] <= start:
            return None
    end = start
    stop = landmarks.suspect_stop(case)
    stop_day = landmarks.stop_time(stop) if stop is not None else None
    if stop_day is not None and math.isfinite(stop_day):
        end = max(end, stop_day)
    deaths: list[float] = []
    for item in case.items:
        if item.kind is Kind.MILESTONE and item.event.milestone is MilestoneType.DEATH:
            deaths.extend(d for d in _days(item) if d >= start)
        elif _in_story(case, item):
            for day in _days(item):
                if day >= start:
                    end = max(end, day)
    if deaths and end == start:
        end = max(deaths)
    if end == start:  # nothing of the story is dated after the start: all that follows it
        end = max(start, case.extent()[1])
    reach = max(LEAD_DAYS, 0.25 * (end - start)) if lead else 0.0
    before = [item.start.best for item in case.items if item.start is not None
              and start - reach <= item.start.best < start]
    return (min(before) if before else start), end


def _in_story(case: ResolvedCase, item: Item) -> bool:
    reaction = case.case.suspect.reaction_event
    if reaction and item.event_id == reaction:
        return True
    if item.category in (Category.RESCUE, Category.PROCEDURE) and item.role is ItemRole.COURSE:
        return True
    if item.kind is Kind.RECHALLENGE:  # a re-exposure and what followed it are the story's evidence
        return True
    if item.role is ItemRole.STATE and item.state in _OUTCOME_STATES:
        return True
    if item.kind is Kind.MILESTONE and item.event.milestone in _OUTCOME_MILESTONES:
        return True
    return item.category is Category.OUTCOME


def _days(item: Item) -> list[float]:
    """The best days of an item's start and (stated, finite) end."""
    days = []
    if item.start is not None and math.isfinite(item.start.best):
        days.append(item.start.best)
    if item.end is not None and math.isfinite(item.end.best) and not item.open_end:
        days.append(item.end.best)
    return days


def focus_range(cases: Sequence[ResolvedCase], shifts: Mapping[str, float] | None = None,
                lead: bool = True) -> Focus | None:
    """The default time window of ``cases`` (shifted by ``shifts``, case id -> days, as the view aligns
    them), by the rule of the module docstring; None when there is nothing dated to show. ``lead``
    False leaves out the events shortly before the start (a swimmer plot starts at the first dose)."""
    shifts = shifts or {}
    los: list[float] = []
    his: list[float] = []
    full_lo, full_hi = math.inf, -math.inf
    for case in cases:
        shift = float(shifts.get(case.id, 0.0))
        first, last = case.extent()
        if not any(i.start is not None for i in case.items):
            continue
        full_lo, full_hi = min(full_lo, first + shift), max(full_hi, last + shift)
        span = story_span(case, lead)
        if span is None:  # no story to focus on: the whole case
            los.append(first + shift)
            his.append(last + shift)
        else:
            los.append(span[0] + shift)
            his.append(span[1] + shift)
    if not los:
        return None
    lo, hi = min(los), max(his)
    if hi - lo < MIN_SPAN_DAYS:
        hi = lo + MIN_SPAN_DAYS
    width = hi - lo
    margin = max(MARGIN_FRACTION * width, min(MARGIN_DAYS, 0.2 * width))
    lo, hi = lo - margin, hi + margin
    return Focus(lo, hi, min(full_lo, lo), max(full_hi, hi))
