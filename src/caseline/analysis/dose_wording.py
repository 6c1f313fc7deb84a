"""Words for doses as numbers, phases, regimens, results given as limits, citation details and facts the
source states two ways: the rows the tooltip and the details panel add (caseline.analysis.wording). Pure
Python."""

from __future__ import annotations

from caseline.model.case import Case, Event
from caseline.model.dosing import Phased
from caseline.model.kinds import KIND_SPECS, FieldGroup, Kind
from caseline.timeline.case_checks import computed_cumulative, describe_computed, describe_terms
from caseline.timeline.resolved import Item, ItemRole, ResolvedCase

#: How a citation's publication type reads.
PUBLICATION_WORDS = {"case-report": "case report", "case-series": "case series", "meeting-abstract": "meeting abstract"}


def phase_of(item: Item) -> str:
    """The label of the phase an administration or phase item belongs to ('' outside phases)."""
    schedule = item.event.schedule
    if not item.phase or not isinstance(schedule, Phased):
        return ""
    phase = schedule.phase(item.phase)
    return phase.label if phase is not None else item.phase


def dose_text(item: Item) -> str:
    """The dose of what an item draws: a phase's own dose for its administrations, else the event's."""
    event = item.event
    schedule = event.schedule
    if item.component and item.component <= len(event.components):  # one drug of an expanded regimen
        drug = event.components[item.component - 1]
        return ", ".join(p for p in (drug.dose.describe(), drug.route) if p)
    if item.phase and isinstance(schedule, Phased):
        phase = schedule.phase(item.phase)
        if phase is not None:
            return phase.describe() or event.dose_description()
    own = event.dose_value()
    if isinstance(schedule, Phased) and own.value is None and not own.is_range and not own.text:
        return " then ".join(p.dose.describe() for p in schedule.phases if p.dose.describe())  # '3 then 5 mg/kg'
    return event.dose_description()


def value_text(event: Event) -> str:
    """'> 20 G/l', '640 U/L' (empty without a value)."""
    if event.value is None:
        return ""
    qualifier = f"{event.value_qualifier} " if event.value_qualifier else ""
    return f"{qualifier}{event.value:g} {event.value_unit}".strip()


def dose_rows(case: ResolvedCase, item: Item) -> list[tuple[str, str]]:
    """Phase, brand, regimen drugs and cumulative dose of a drug's or therapy's item."""
    event = item.event
    if not KIND_SPECS[event.kind].has(FieldGroup.DRUG):
        return conflict_rows(item)
    rows: list[tuple[str, str]] = conflict_rows(item)
    phase = phase_of(item)
    if phase:
        rows.append(("Phase", phase))
    elif isinstance(event.schedule, Phased) and item.role is ItemRole.COURSE:
        rows.append(("Phases", "; ".join(f"{p.label}: {p.describe()}" if p.describe() else p.label
                                         for p in event.schedule.phases)))
    if event.brand:
        rows.append(("Brand", event.brand))
    if event.regimen:
        rows.append(("Regimen", event.regimen))
    if event.components and not item.component:
        rows.append(("Drugs", "; ".join(c.describe() for c in event.components)))
    elif item.component and item.component <= len(event.components):
        drug = event.components[item.component - 1]
        rows.append(("Drug", drug.drug + (f" ({drug.brand})" if drug.brand else "")))
        if drug.note:
            rows.append(("Drug note", drug.note))
    if item.role is ItemRole.COURSE and not item.component:
        computed = computed_cumulative(event, case.items)
        parts = []
        if event.cumulative is not None:
            stated = f" ({event.cumulative.stated})" if event.cumulative.stated else ""
            parts.append(f"{event.cumulative.describe()} stated{stated}")
        if computed is not None:
            parts.append(f"{describe_computed(computed)} computed ({describe_terms(event, case.items)})")
        if parts:
            rows.append(("Cumulative dose", "; ".join(parts)))
    return rows


def interpretation_text(event: Event) -> str:
    """An investigation's interpretation; 'not stated' when the source gives none."""
    if event.kind is not Kind.INVESTIGATION or getattr(event, "absent", False):
        return event.interpretation.value if event.interpretation is not None else ""
    return event.interpretation.value if event.interpretation is not None else "not stated"


def case_detail_rows(case: Case) -> list[tuple[str, str]]:
    """Ethnicity, publication type and the case's facts stated two ways, for the case's details."""
    rows: list[tuple[str, str]] = []
    if case.patient.ethnicity:
        rows.append(("Ethnicity", case.patient.ethnicity))
    if case.citation.type:
        rows.append(("Publication type", PUBLICATION_WORDS.get(case.citation.type, case.citation.type)))
    rows.extend(("Sources differ", f"{c.about}: {c.describe()}") for c in case.conflicts if "." not in c.about
                or c.about.startswith("patient."))
    return rows


def conflict_rows(item: Item) -> list[tuple[str, str]]:
    """An event's facts stated two ways, each with its source, and the one caseline uses."""
    if item.role not in (ItemRole.COURSE, ItemRole.POINT):
        return []
    return [("Sources differ", f"{c.about.rpartition('.')[2]}: {c.describe()}") for c in item.event.conflicts]
