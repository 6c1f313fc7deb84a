"""What case reports say about an event beyond its time: response to a therapy, links between events,
re-exposure and its outcome, a reaction's seriousness, outcome, grade and the action taken with the drug,
the reported causality of a drug-reaction pair, and the type of a procedure.

The words are the agreed field values of the case format (docs/case-format.md, "Clinical attributes");
issue 16's causality aid reads them. Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Response(StrEnum):
    """How the reaction (or the condition treated) responded to a therapy."""

    NONE = "none"
    PARTIAL = "partial"
    COMPLETE = "complete"
    UNKNOWN = "unknown"


class LinkType(StrEnum):
    """How one event relates to another: 'improved after IVIG', 'attributed to X', 'residual due to Y'."""

    IMPROVED_AFTER = "improved_after"
    ATTRIBUTED_TO = "attributed_to"
    RESIDUAL_DUE_TO = "residual_due_to"
    CAUSED_BY = "caused_by"


class Exposure(StrEnum):
    """The form of a re-exposure (a ``rechallenge`` event)."""

    DELIBERATE = "deliberate"  # the same drug given again on purpose
    INADVERTENT = "inadvertent"  # a further dose given after the first symptoms
    CLASS_SWITCH = "class_switch"  # another drug of the same class (named in 'drug')


class RechallengeOutcome(StrEnum):
    """What the reaction did after a re-exposure."""

    RECURRED = "recurred"
    DID_NOT_RECUR = "did_not_recur"
    WORSE = "worse"
    UNKNOWN = "unknown"


class Seriousness(StrEnum):
    """The seriousness criteria of a reaction (ICH E2A); ``not_serious`` alone says none applies."""

    DEATH = "death"
    LIFE_THREATENING = "life_threatening"
    HOSPITALISATION = "hospitalisation"
    DISABILITY = "disability"
    CONGENITAL_ANOMALY = "congenital_anomaly"
    OTHER_MEDICALLY_IMPORTANT = "other_medically_important"
    NOT_SERIOUS = "not_serious"


class ReactionOutcome(StrEnum):
    RECOVERED = "recovered"
    RECOVERING = "recovering"
    NOT_RECOVERED = "not_recovered"
    RECOVERED_WITH_SEQUELAE = "recovered_with_sequelae"
    FATAL = "fatal"
    UNKNOWN = "unknown"


class GradeScale(StrEnum):
    """Severity scales a grade is reported on."""

    CTCAE = "CTCAE"
    MRC = "MRC"
    INCAT = "INCAT"
    ONLS = "ONLS"
    MRS = "mRS"
    OTHER = "other"


class ActionTaken(StrEnum):
    """What was done with the suspected drug because of the reaction."""

    WITHDRAWN = "withdrawn"
    DOSE_REDUCED = "dose_reduced"
    DOSE_INCREASED = "dose_increased"
    UNCHANGED = "unchanged"
    NOT_APPLICABLE = "not_applicable"
    UNKNOWN = "unknown"


class CausalityScale(StrEnum):
    NARANJO = "naranjo"
    WHO_UMC = "who-umc"
    RUCAM = "rucam"
    OTHER = "other"


class ProcedureType(StrEnum):
    """Non-drug treatments (a ``procedure`` event's ``type``)."""

    SURGERY = "surgery"
    RADIOTHERAPY = "radiotherapy"
    TRANSPLANTATION = "transplantation"
    REHABILITATION = "rehabilitation"
    VENTILATION = "ventilation"
    PLASMA_EXCHANGE = "plasma_exchange"
    OTHER = "other"


def words(value: StrEnum) -> str:
    """'did_not_recur' -> 'did not recur'; 'who-umc' -> 'WHO-UMC'."""
    if isinstance(value, CausalityScale):
        return {"naranjo": "Naranjo", "who-umc": "WHO-UMC", "rucam": "RUCAM", "other": "other scale"}[value.value]
    return value.value.replace("_", " ")


@dataclass(frozen=True, slots=True)
class EventLink:
    """``links: [{type, target, note}]`` on an event: this event relates to ``target`` (an event id)."""

    type: LinkType
    target: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Grade:
    """``grade: {scale: CTCAE, value: 3}``: a reaction's grade on a severity scale."""

    scale: GradeScale
    value: str  # '3', '4/5': as reported

    def describe(self) -> str:
        return f"{self.scale.value} {self.value}" if self.scale is not GradeScale.OTHER else self.value


@dataclass(frozen=True, slots=True)
class Causality:
    """A reported causality assessment of one drug-reaction pair (the case's ``causality:`` list)."""

    drug: str  # event id of the drug
    reaction: str  # event id of the reaction
    scale: CausalityScale
    value: str  # '7', 'probable': as reported
    by: str = ""  # 'authors', or who assessed it
    note: str = ""

    def describe(self) -> str:
        """'Naranjo 7 (by the authors)'."""
        by = "the authors" if self.by == "authors" else self.by
        return f"{words(self.scale)} {self.value}" + (f" (by {by})" if by else "")
