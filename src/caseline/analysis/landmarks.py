"""The landmarks of a drug-reaction case, each defined once: first suspected dose, reaction onset,
suspect stop and first rescue therapy.

Alignment, the comparison metrics, the latency strip, the table and the teaching captions all ask
these questions; they ask them here, so the window, ``caseline export`` and the slides give one
answer. Each function returns the resolved item (None when the case does not say), from which a
caller takes the time it needs.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from caseline.model.kinds import Category, Kind
from caseline.timeline.resolved import Item, ItemRole, ResolvedCase


def dated(items: Iterable[Item]) -> list[Item]:
    """The items whose best time is a finite day."""
    return [i for i in items if i.start is not None and math.isfinite(i.start.best)]


def earliest(items: Iterable[Item]) -> Item | None:
    """The dated item with the earliest best start (the first in file order on ties)."""
    candidates = dated(items)
    return min(candidates, key=lambda i: i.start.best if i.start else 0.0) if candidates else None


def first_suspect_dose(case: ResolvedCase, drug: str | None = None) -> Item | None:
    """The first administration of the suspected drug (or of the drug event ``drug``), else the start of its
    course."""
    drug = case.case.suspect.drug if drug is None else drug
    if not drug:
        return None
    items = case.items_of(drug)
    doses = [i for i in items if i.role is ItemRole.DOSE]
    return earliest(doses) if doses else earliest(i for i in items if i.role is ItemRole.COURSE)


def reaction_onset(case: ResolvedCase, reaction: str | None = None) -> Item | None:
    """The start of the adverse reaction (the event named by ``suspect.reaction_event``, or ``reaction``)."""
    event = case.case.suspect.reaction_event if reaction is None else reaction
    if not event:
        return None
    return earliest(i for i in case.items_of(event) if i.role in (ItemRole.COURSE, ItemRole.POINT))


def last_suspect_dose_before(case: ResolvedCase, day: float, drug: str | None = None) -> Item | None:
    """The last administration of the suspected drug at or before ``day`` (best days), else the start of its
    last course begun by then: the dose a time to onset from the last dose counts from."""
    drug = case.case.suspect.drug if drug is None else drug
    if not drug:
        return None
    items = dated(case.items_of(drug))
    doses = [i for i in items if i.role is ItemRole.DOSE] or [i for i in items if i.role is ItemRole.COURSE]
    before = [i for i in doses if i.start is not None and i.start.best <= day]
    return max(before, key=lambda i: i.start.best if i.start else 0.0) if before else None


def suspect_stop(case: ResolvedCase, drug: str | None = None) -> Item | None:
    """When the suspected drug was stopped: its first dechallenge, else the end of its course *as stated*.

    A course whose ``end`` or ``duration`` the file gives was stopped then, whether or not the file
    also records a dechallenge; the returned item is then the course itself, and its ``end`` is the
    stop. The end of a schedule (its last administration) is not a stated stop: a source that gives
    two courses and does not say whether the drug was stopped has no stop. Use :func:`stop_time` for
    the time either way. ``drug``: another drug event than the suspected one.
    """
    drug = case.case.suspect.drug if drug is None else drug
    if not drug:
        return None
    stop = earliest(i for i in case.items if i.kind is Kind.DECHALLENGE and i.event.target == drug)
    if stop is not None:
        return stop
    ended = [i for i in case.items_of(drug) if i.role is ItemRole.COURSE and i.end is not None and not i.open_end
             and math.isfinite(i.end.best) and (i.event.end is not None or i.event.duration is not None)]
    return min(ended, key=lambda i: i.end.best if i.end else 0.0) if ended else None


def stop_time(item: Item) -> float | None:
    """The best day of a stop returned by :func:`suspect_stop`."""
    if item.kind is Kind.DECHALLENGE:
        return item.start.best if item.start is not None else None
    return item.end.best if item.end is not None else None


def first_rescue(case: ResolvedCase) -> Item | None:
    """The first course of a rescue therapy."""
    return earliest(i for i in case.items if i.category is Category.RESCUE and i.role is ItemRole.COURSE)


def first_matching(case: ResolvedCase, label: str) -> Item | None:
    """The first course or point whose label contains ``label``, or whose lane or id is ``label``."""
    needle = label.strip().lower()
    return earliest(i for i in case.items if i.role in (ItemRole.COURSE, ItemRole.POINT)
                    and (needle in i.label.lower() or needle == i.lane.lower() or needle == i.event_id.lower()))
