"""The text of a mark's label: a phase's dose, an investigation's result, and what the report says of the event
(a pertinent negative, a therapy's response, a re-exposure's outcome, values the sources state differently).
Pure Python; the layout (caseline.layout.timeline_layout, case_columns) places it."""

from __future__ import annotations

from caseline.model.clinical import RechallengeOutcome, Response
from caseline.model.dosing import Phased
from caseline.model.kinds import KIND_SPECS, Category, FieldGroup
from caseline.timeline.resolved import Item, ItemRole


def label_text(item: Item) -> str:
    """'IVIG · partial response', 'EMG: Mixed polyneuropathy', 'Sensory loss (absent)'."""
    event = item.event
    if item.role is ItemRole.PHASE and isinstance(event.schedule, Phased):  # 'maintenance 5 mg/kg, every 8 weeks'
        phase = event.schedule.phase(item.phase)
        return " ".join(p for p in (phase.label, phase.describe()) if p) if phase is not None else item.phase
    if KIND_SPECS[item.kind].has(FieldGroup.RESULT) and event.result:
        short = event.result if len(event.result) <= 40 else event.result[:38] + "…"
        return f"{item.label}: {short}"
    if KIND_SPECS[item.kind].has(FieldGroup.RESULT) and event.value is not None and not event.absent:
        return f"{item.label} {result_value(item)}"  # 'CSF protein 1.8 g/L': the value a numeric track draws
    differ = " (sources differ)" if event.conflicts and item.role in (ItemRole.COURSE, ItemRole.POINT) else ""
    return item.label + clinical_words(item) + differ


def result_value(item: Item) -> str:
    """An investigation's numeric value as the file states it, with its unit: '1.8 g/L', '< 0.5 mg/dL'."""
    event = item.event
    qualifier = f"{event.value_qualifier} " if event.value_qualifier else ""
    return " ".join(p for p in (f"{qualifier}{event.value:g}", event.value_unit) if p)


def clinical_words(item: Item) -> str:
    """What a label adds for a pertinent negative, a therapy's response, a re-exposure's outcome."""
    event = item.event
    if event.absent:
        return "" if item.label.lower().startswith(("no ", "absent")) else " (absent)"
    if (event.response is not None and event.response is not Response.UNKNOWN and item.role is ItemRole.COURSE
            and item.category in (Category.RESCUE, Category.PROCEDURE)):  # other drugs: in their details
        return " · no response" if event.response is Response.NONE else f" · {event.response.value} response"
    if event.rechallenge_outcome is not None and event.rechallenge_outcome is not RechallengeOutcome.UNKNOWN:
        return " · " + event.rechallenge_outcome.value.replace("_", " ")
    return ""
