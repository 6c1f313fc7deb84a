"""Checks that catch an encoder's mistakes once a case is resolved (warnings: the file still opens).

- a lane name written in the file (``lane:``) used in two categories (its events would be drawn on two
  rows of the same name);
- a stated cumulative dose that does not match dose x administrations, where the schedule
  allows computing it (:func:`computed_cumulative`).

An end before its start and a reference to a phase that does not exist are errors of the
time network (caseline.timeline.resolver, caseline.timeline.phases). Pure Python.
"""

from __future__ import annotations

from collections.abc import Sequence

from caseline.model.case import Case, Cycles, Event, Repeat
from caseline.model.diagnostics import Diagnostic, DiagnosticLevel
from caseline.model.dosing import CUMULATIVE_TOLERANCE, Dose, Phased, display_unit, format_amount, same_unit, total
from caseline.timeline.resolved import Item, ItemRole


def dose_terms(event: Event, items: Sequence[Item]) -> list[tuple[Dose, int]] | None:
    """(dose, number of administrations) of each part of ``event``'s course (one per phase); None when the
    schedule does not say how many administrations there were."""
    schedule = event.schedule
    if schedule is None or (isinstance(schedule, Repeat) and schedule.count is None and (
            schedule.until is None or schedule.until.is_unknown)) or (
            isinstance(schedule, Cycles) and schedule.count is None):
        return None
    doses = [item for item in items if item.role is ItemRole.DOSE and item.event_id == event.id]
    if not doses:
        return None
    if isinstance(schedule, Phased):
        if any(phase.schedule is None for phase in schedule.phases):
            return None  # a change of a continuous dose: not a count of administrations
        own = event.dose_value()
        return [(phase.dose if (phase.dose.value is not None or phase.dose.is_range or phase.dose.text) else own,
                 sum(1 for item in doses if item.phase == phase.name)) for phase in schedule.phases]
    return [(event.dose_value(), len(doses))]


def computed_cumulative(event: Event, items: Sequence[Item]) -> tuple[float, float, str] | None:
    """(low, high, unit) of dose x administrations of ``event`` (a range when a dose is a range); None when
    the schedule does not allow it: no schedule, a number of administrations not stated, a dose that is not
    a number or is a rate (mg/day), units that differ between phases."""
    terms = dose_terms(event, items)
    return total(terms) if terms is not None else None


def describe_terms(event: Event, items: Sequence[Item]) -> str:
    """'3 x 3 mg/kg + 4 x 5 mg/kg': how a computed cumulative dose is made (its assumption made visible)."""
    return " + ".join(f"{n} × {dose.describe()}" for dose, n in dose_terms(event, items) or () if n)


def describe_computed(computed: tuple[float, float, str]) -> str:
    low, high, unit = computed
    amount = format_amount(low) if abs(high - low) <= 1e-9 else f"{format_amount(low)}-{format_amount(high)}"
    return f"{amount} {display_unit(unit)}"


def _named_lane(event: Event) -> bool:
    """The lane is written in the file (not the drug name or the label it defaults to)."""
    return event.lane not in (event.drug.capitalize(), event.label)


def check_case(case: Case, items: Sequence[Item]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    categories: dict[str, Event] = {}
    for event in case.events:
        first = categories.setdefault(event.lane, event)
        if first.category is not event.category and (_named_lane(first) or _named_lane(event)):
            out.append(Diagnostic(
                event.pos, f"lane {event.lane!r} is in two categories: {first.category.value} ({first.id!r}) and "
                f"{event.category.value} ({event.id!r}); it is drawn as two rows",
                "give one of them another 'lane', or the same 'category'", DiagnosticLevel.WARNING))
            categories[event.lane] = event  # one warning per change
        stated = event.cumulative
        if stated is None:
            continue
        computed = computed_cumulative(event, items)
        if computed is None or not same_unit(stated.unit, computed[2]):
            continue
        low, high, _ = computed
        if not low * (1 - CUMULATIVE_TOLERANCE) <= stated.value <= high * (1 + CUMULATIVE_TOLERANCE):
            n = sum(1 for item in items if item.role is ItemRole.DOSE and item.event_id == event.id)
            out.append(Diagnostic(
                stated.pos or event.pos, f"the stated cumulative dose of {event.id!r}, {stated.describe()}, does not "
                f"match {n} administrations: {describe_computed(computed)} computed",
                "check the dose, the schedule and the stated total against the source", DiagnosticLevel.WARNING))
    return out
