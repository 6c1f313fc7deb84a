"""What a swimmer plot shows of each case (as R's swimplot/ggswim draw one row per patient). Pure Python.

Every landmark comes from the one definition of its question (caseline.analysis.landmarks and
caseline.analysis.metrics): the suspected drug's exposure and doses, the reaction onset with its
uncertainty and the latency, the rescue therapies and the first improvement after each, the outcome
milestones, and whether the story was still going on when the report ended. The geometry is
caseline.layout.swimmer's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from caseline.analysis import landmarks
from caseline.analysis.metrics import case_metrics, interval_text
from caseline.model.kinds import Kind, MilestoneType
from caseline.timeline.resolved import Interval, Item, ItemRole, ResolvedCase

#: Milestones a swimmer row marks as an outcome (a diagnosis or an admission is history, not outcome).
OUTCOME_MILESTONES = (MilestoneType.REMISSION, MilestoneType.OUTCOME, MilestoneType.DEATH,
                      MilestoneType.LAST_FOLLOW_UP, MilestoneType.DISCHARGE, MilestoneType.RELAPSE)
#: Row labels longer than this are shortened (the label column must leave the plot its width).
LABEL_CHARS = 22


@dataclass(frozen=True)
class SwimmerFacts:
    """The marks of one case's swimmer row, as resolved items (their times are the case's days)."""

    label: str  # "Jeter 2008", else a shortened title
    exposure: tuple[Item, ...]  # the suspected drug's courses
    doses: tuple[Item, ...]  # its administrations
    stops: tuple[Item, ...]  # its dechallenges and rechallenges
    onset: Item | None  # the reaction's onset
    latency: Interval | None  # first suspected dose to onset
    latency_text: str  # "56 d", "63-119 d", "≥ 15 d"
    rescues: tuple[Item, ...]  # first course of each rescue therapy given after the onset
    improvements: tuple[Item, ...]  # the first improvement after each rescue therapy
    outcomes: tuple[Item, ...]  # the last outcome milestone after the first suspected dose, and a death
    ongoing: bool  # the reaction or the suspected drug still going on at the end of the report
    end_day: float  # the last day the row reaches (its arrow, when ongoing)


def row_label(case: ResolvedCase) -> str:
    """First author and year of the case's source ('Jeter 2008'); else its title when short; else the
    suspected drug and the patient ('Infliximab, 38 F'); else the title, shortened."""
    citation = case.case.citation
    if citation.authors and citation.authors[0]:
        name = citation.authors[0].split(",")[0].split()[-1]
        return f"{name} {citation.year}" if citation.year else name
    title = case.case.title or case.id
    if len(title) <= LABEL_CHARS:
        return title
    drug_event = case.case.event(case.case.suspect.drug) if case.case.suspect.drug else None
    drug = (drug_event.drug or drug_event.label) if drug_event is not None else ""
    patient = case.case.patient
    who = " ".join(p for p in (patient.age if patient.age[:1].isdigit() else "",
                               patient.sex[:1].upper() if patient.sex else "") if p)
    if drug and len(drug) <= LABEL_CHARS - 8:
        return drug[:1].upper() + drug[1:] + (f", {who}" if who else "")
    cut = title[:LABEL_CHARS - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:-") + "…"


def swimmer_facts(case: ResolvedCase) -> SwimmerFacts:
    """The swimmer row of one case."""
    metrics = case_metrics(case)
    drug = case.case.suspect.drug
    items = case.items_of(drug) if drug else []
    dated = landmarks.dated
    exposure = tuple(dated(i for i in items if i.role is ItemRole.COURSE))
    doses = tuple(dated(i for i in items if i.role is ItemRole.DOSE))
    stops = tuple(dated(i for i in case.items if i.kind in (Kind.DECHALLENGE, Kind.RECHALLENGE)
                        and drug and i.event.target == drug))
    onset = landmarks.reaction_onset(case)
    first = landmarks.first_suspect_dose(case)
    start = first.start.best if first is not None and first.start is not None else -math.inf
    rescues = tuple(r.item for r in metrics.rescues if r.item is not None)
    improvements: list[Item] = []
    for response in metrics.rescues:
        if response.improvement is not None and response.improvement not in improvements:
            improvements.append(response.improvement)
    outcomes = _last_outcomes(dated(case.items), start)
    reaction = case.case.suspect.reaction_event
    story = [*exposure, *doses, *stops, *rescues, *improvements, *outcomes]
    if onset is not None:
        story.append(onset)
    ends = [day for item in story for day in _days(item)]
    ongoing = any(i.ongoing for i in (*exposure, *(case.items_of(reaction) if reaction else [])))
    return SwimmerFacts(
        label=row_label(case), exposure=exposure, doses=doses, stops=stops, onset=onset,
        latency=metrics.latency, latency_text=interval_text(metrics.latency) if metrics.latency else "",
        rescues=rescues, improvements=tuple(improvements), outcomes=outcomes, ongoing=ongoing,
        end_day=max(ends) if ends else 0.0)


def _last_outcomes(items: list[Item], start: float) -> tuple[Item, ...]:
    """The last outcome milestone at or after ``start`` (a row says where the story ended), and a death."""
    found = [i for i in items if i.kind is Kind.MILESTONE and i.event.milestone in OUTCOME_MILESTONES
             and i.start is not None and i.start.best >= start]
    deaths = [i for i in found if i.event.milestone is MilestoneType.DEATH]
    others = [i for i in found if i.event.milestone is not MilestoneType.DEATH]
    last = max(others, key=lambda i: i.start.best if i.start is not None else 0.0) if others else None
    return tuple(i for i in found if i is last or i in deaths)


def _days(item: Item) -> list[float]:
    out = []
    for interval in (item.start, item.end):
        if interval is not None and math.isfinite(interval.best):
            out.append(interval.best)
    return out

