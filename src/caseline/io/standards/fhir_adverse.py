"""FHIR R4 AdverseEvent codes and how each maps onto a field of the case format.

``AdverseEvent.seriousness`` and ``outcome`` (HL7 code systems adverse-event-seriousness and
adverse-event-outcome) become the reaction's ``seriousness`` and ``outcome``, and each
``suspectEntity.causality`` an entry of the case's ``causality`` list (docs/case-format.md, "A
reaction's seriousness, outcome, grade and action taken" and "Reported causality"): the details
panel, the Causality tab, ``caseline table`` and the exports read those fields, not notes. A code
with no exact value in the format stays in the note, in words.
"""

from __future__ import annotations

from typing import Any

from caseline.io.standards import e2b_codes as c
from caseline.io.standards import fhir_read as fr

#: The code systems of R4 (terminology.hl7.org) and of the R4 ballots (hl7.org/fhir); a coding without a
#: system is read too (the codes are distinctive). A coding of another system is not taken for these.
_SERIOUSNESS_SYSTEMS = {
    "",
    "http://terminology.hl7.org/CodeSystem/adverse-event-seriousness",
    "http://hl7.org/fhir/adverse-event-seriousness",
}
_OUTCOME_SYSTEMS = {
    "",
    "http://terminology.hl7.org/CodeSystem/adverse-event-outcome",
    "http://hl7.org/fhir/adverse-event-outcome",
}
#: adverse-event-seriousness -> the format's ``seriousness``. The five criteria are ICH E2A's (the values
#: of e2b_codes.SERIOUS). Not mapped, so kept in the note: "Serious" names no criterion (which one is not
#: guessed) and "SeriousRequiresPreventImpairment" (requires intervention to prevent permanent impairment)
#: is FDA's "required intervention", which the list has not (the E2B import keeps it in the note too).
SERIOUSNESS = {
    "Non-serious": "not_serious",
    "SeriousResultsInDeath": c.SERIOUS["34"],
    "SeriousIsLifeThreatening": c.SERIOUS["21"],
    "SeriousResultsInHospitalization": c.SERIOUS["33"],
    "SeriousResultsInDisability": c.SERIOUS["35"],
    "SeriousIsBirthDefect": c.SERIOUS["12"],
}
#: adverse-event-outcome -> the format's ``outcome``: each is one of E2B(R3) E.i.7 ("ongoing" is its
#: "not recovered/not resolved/ongoing").
OUTCOME = {
    "resolved": c.OUTCOME["1"],
    "recovering": c.OUTCOME["2"],
    "ongoing": c.OUTCOME["3"],
    "resolvedWithSequelae": c.OUTCOME["4"],
    "fatal": c.OUTCOME["5"],
    "unknown": c.OUTCOME["0"],
}


def _codes(concept: Any, systems: set[str]) -> list[str]:
    return [str(coding.get("code", "")) for coding in (concept or {}).get("coding") or []
            if isinstance(coding, dict) and coding.get("code") and str(coding.get("system", "")) in systems]


def reaction_fields(resource: fr.Resource) -> tuple[dict[str, Any], list[str]]:
    """The ``seriousness`` and ``outcome`` of an AdverseEvent, and the notes for what has no value."""
    fields: dict[str, Any] = {}
    notes: list[str] = []
    serious = resource.get("seriousness")
    criteria = [SERIOUSNESS[code] for code in _codes(serious, _SERIOUSNESS_SYSTEMS) if code in SERIOUSNESS]
    if criteria:
        fields["seriousness"] = ["not_serious"] if criteria == ["not_serious"] else list(dict.fromkeys(
            v for v in criteria if v != "not_serious"))
    elif fr.concept_text(serious):
        notes.append(f"Seriousness: {fr.concept_text(serious)}.")
    outcome = next((OUTCOME[code] for code in _codes(resource.get("outcome"), _OUTCOME_SYSTEMS) if code in OUTCOME),
                   None)
    if outcome is not None:
        fields["outcome"] = outcome
    elif fr.concept_text(resource.get("outcome")):
        notes.append(f"Outcome: {fr.concept_text(resource.get('outcome'))}.")
    return fields, notes


def causality_entries(entity: dict[str, Any], drug: str, reaction: str) -> list[dict[str, Any]]:
    """Each ``suspectEntity.causality`` as an entry of the case's ``causality`` list: the assessment
    (else the product relatedness) as ``value``, the author as ``by``, the method as ``scale`` when it
    names Naranjo, WHO-UMC or RUCAM, else ``scale: other`` with the method in the ``note``.

    The R4 methods (ProbabilityScale, Bayesian, Checklist) name no scale; the assessment codes
    (Certain, Probably-Likely, ...) look like WHO-UMC's but FHIR does not say they are, so they are not
    taken for it."""
    entries = []
    for causality in entity.get("causality") or []:
        if not isinstance(causality, dict):
            continue
        assessment = fr.concept_text(causality.get("assessment"))
        related = str(causality.get("productRelatedness") or "").strip()
        value = assessment or related
        if not value:
            continue
        method = fr.concept_text(causality.get("method"))
        scale = c.causality_scale(method)
        entry: dict[str, Any] = {"drug": drug, "reaction": reaction, "scale": scale, "value": value}
        author = causality.get("author") or {}
        by = str(author.get("display") or author.get("reference") or "").strip()
        if by:
            entry["by"] = by
        notes = [f"method: {method}" if method and scale == "other" else "",
                 f"product relatedness: {related}" if assessment and related else ""]
        if any(notes):
            entry["note"] = "; ".join(n for n in notes if n)
        entries.append(entry)
    return entries
