"""Words for what a case report says about an event beyond its time (caseline.model.clinical): the rows the
tooltip and the details panel add for a therapy's response, a re-exposure, a pertinent negative, a reaction's
seriousness, outcome, grade and action taken, reported causality and links between events. Pure Python."""

from __future__ import annotations

from caseline.model.case import Case, Event
from caseline.model.clinical import Causality, Exposure, LinkType, Response, Seriousness, words

_LINK_WORDS = {
    LinkType.IMPROVED_AFTER: "Improved after",
    LinkType.ATTRIBUTED_TO: "Attributed to",
    LinkType.RESIDUAL_DUE_TO: "Residual due to",
    LinkType.CAUSED_BY: "Caused by",
}
_EXPOSURE_WORDS = {
    Exposure.DELIBERATE: "deliberate rechallenge",
    Exposure.INADVERTENT: "inadvertent further dose after the first symptoms",
    Exposure.CLASS_SWITCH: "switch to another drug of the same class",
}


def response_text(response: Response) -> str:
    """'no response', 'partial response', 'response not stated'."""
    if response is Response.NONE:
        return "no response"
    if response is Response.UNKNOWN:
        return "response unknown"
    return f"{response.value} response"


def seriousness_text(criteria: tuple[Seriousness, ...]) -> str:
    """'serious: hospitalisation, disability' or 'not serious'."""
    if criteria == (Seriousness.NOT_SERIOUS,):
        return "not serious"
    return "serious: " + ", ".join(words(c) for c in criteria)


def causality_text(case: Case, assessment: Causality) -> str:
    """'Infliximab – Weakness: Naranjo 7 (by the authors)'."""
    drug, reaction = case.event(assessment.drug), case.event(assessment.reaction)
    pair = " – ".join(e.label if e is not None else ref
                      for e, ref in ((drug, assessment.drug), (reaction, assessment.reaction)))
    note = f"; {assessment.note}" if assessment.note else ""
    return f"{pair}: {assessment.describe()}{note}"


def clinical_rows(case: Case, event: Event) -> list[tuple[str, str]]:
    """(field, text) rows of the event's clinical attributes, in reading order (none when it has none)."""
    rows: list[tuple[str, str]] = []
    if event.absent:
        rows.append(("Finding", "stated as absent (a pertinent negative)"))
    if event.procedure is not None:
        rows.append(("Procedure", words(event.procedure)))
    if event.exposure is not None:
        form = _EXPOSURE_WORDS[event.exposure]
        if event.exposure is Exposure.CLASS_SWITCH and event.drug:
            form += f" ({event.drug})"
        rows.append(("Re-exposure", form))
    if event.rechallenge_outcome is not None:
        rows.append(("Reaction after re-exposure", words(event.rechallenge_outcome)))
    if event.response is not None:
        rows.append(("Response", response_text(event.response)))
    if event.seriousness:
        rows.append(("Seriousness", seriousness_text(event.seriousness)))
    if event.outcome is not None:
        rows.append(("Outcome", words(event.outcome)))
    if event.grade is not None:
        rows.append(("Grade", event.grade.describe()))
    if event.action_taken is not None:
        rows.append(("Action taken with the drug", words(event.action_taken)))
    for assessment in case.causality:
        if event.id in (assessment.drug, assessment.reaction):
            rows.append(("Causality", causality_text(case, assessment)))
    for link in event.links:
        target = case.event(link.target)
        text = target.label if target is not None else link.target
        rows.append((_LINK_WORDS[link.type], text + (f" ({link.note})" if link.note else "")))
    return rows


def case_causality_rows(case: Case) -> list[tuple[str, str]]:
    """The case's reported causality assessments, one row each."""
    return [("Causality", causality_text(case, a)) for a in case.causality]
