"""The vocabulary of a case: kinds of event, categories of lane, drug roles, course states, ...

These enums are what a case file may say in its ``kind``, ``category``, ``role``, ``state``,
``interpretation`` and milestone ``type`` fields. Pure Python.
"""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    """What an event is; it decides which fields it may carry and its default category."""

    DRUG = "drug"
    DECHALLENGE = "dechallenge"
    RECHALLENGE = "rechallenge"
    SYMPTOM = "symptom"
    INVESTIGATION = "investigation"
    THERAPY = "therapy"
    MILESTONE = "milestone"


class Category(StrEnum):
    """Drives lane grouping order, default colour and glyph (same in every case)."""

    SUSPECT = "suspected-drug"
    DRUG = "drug"
    SYMPTOM = "symptom"
    INVESTIGATION = "investigation"
    RESCUE = "rescue"
    OUTCOME = "outcome"


#: The stable order lanes are grouped in, top to bottom.
CATEGORY_ORDER: tuple[Category, ...] = (
    Category.SUSPECT,
    Category.DRUG,
    Category.SYMPTOM,
    Category.INVESTIGATION,
    Category.RESCUE,
    Category.OUTCOME,
)

CATEGORY_TITLES: dict[Category, str] = {
    Category.SUSPECT: "Suspected drug",
    Category.DRUG: "Other drugs",
    Category.SYMPTOM: "Symptoms and signs",
    Category.INVESTIGATION: "Investigations",
    Category.RESCUE: "Rescue therapies",
    Category.OUTCOME: "Outcomes",
}


class DrugRole(StrEnum):
    SUSPECTED = "suspected"
    CONCOMITANT = "concomitant"
    PRIOR = "prior"


class CourseState(StrEnum):
    ONSET = "onset"
    WORSENING = "worsening"
    PLATEAU = "plateau"
    IMPROVEMENT = "improvement"
    RESOLUTION = "resolution"
    RELAPSE = "relapse"


class Interpretation(StrEnum):
    NORMAL = "normal"
    ABNORMAL = "abnormal"
    BORDERLINE = "borderline"
    UNKNOWN = "unknown"


class MilestoneType(StrEnum):
    DIAGNOSIS = "diagnosis"
    ADMISSION = "admission"
    DISCHARGE = "discharge"
    REMISSION = "remission"
    RELAPSE = "relapse"
    DEATH = "death"
    LAST_FOLLOW_UP = "last-follow-up"
    OUTCOME = "outcome"
    OTHER = "other"
