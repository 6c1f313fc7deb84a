"""The vocabulary of a case, and the kind table.

The enums are what a case file may say in its ``kind``, ``category``, ``role``, ``state``,
``interpretation`` and milestone ``type`` fields. :data:`KIND_SPECS` is the one place that says, per
kind of event, which fields it carries, whether it is a point or a course, its default category and
label, the glyph that marks it, the words for it and its place in teaching captions: the builder,
the resolver, the layout, the renderer, the wording and the reveal all read it, and a test fails when
a kind lacks an entry. Adding a kind is one entry here, plus the JSON Schema and docs/case-format.md.
Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum


class Kind(StrEnum):
    """What an event is; it decides which fields it may carry and its default category."""

    DRUG = "drug"
    DECHALLENGE = "dechallenge"
    RECHALLENGE = "rechallenge"
    SYMPTOM = "symptom"
    INVESTIGATION = "investigation"
    THERAPY = "therapy"
    MILESTONE = "milestone"
    PROCEDURE = "procedure"


class Category(StrEnum):
    """Drives lane grouping order, default colour and glyph (same in every case)."""

    SUSPECT = "suspected-drug"
    DRUG = "drug"
    SYMPTOM = "symptom"
    INVESTIGATION = "investigation"
    RESCUE = "rescue"
    PROCEDURE = "procedure"
    OUTCOME = "outcome"


#: The stable order lanes are grouped in, top to bottom.
CATEGORY_ORDER: tuple[Category, ...] = (
    Category.SUSPECT,
    Category.DRUG,
    Category.SYMPTOM,
    Category.INVESTIGATION,
    Category.RESCUE,
    Category.PROCEDURE,
    Category.OUTCOME,
)

CATEGORY_TITLES: dict[Category, str] = {
    Category.SUSPECT: "Suspected drug",
    Category.DRUG: "Other drugs",
    Category.SYMPTOM: "Symptoms and signs",
    Category.INVESTIGATION: "Investigations",
    Category.RESCUE: "Rescue therapies",
    Category.PROCEDURE: "Procedures",
    Category.OUTCOME: "Outcomes",
}


class DrugRole(StrEnum):
    SUSPECTED = "suspected"
    CONCOMITANT = "concomitant"
    PRIOR = "prior"
    SUBSEQUENT = "subsequent"  # a later therapy (after the reaction)


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


class Glyph(IntEnum):
    """The mark of a point event (or of the start of a course), by shape; the renderer draws each."""

    DOSE = 0  # vertical tick for an administration
    DIAMOND = 1  # investigation (hollow: normal)
    TRIANGLE = 2  # onset of a symptom
    FLAG = 3  # milestone
    STOP = 4  # a bar across the lane: the drug stopped
    RESTART = 5  # the drug given again
    CIRCLE = 6  # a change in a course (or a severity value)
    CROSS = 7  # death
    PHASE = 8  # a new phase of a drug course, or a change of its dose
    ABSENT = 12  # a pertinent negative: a finding stated as absent (a crossed empty circle)


class FieldGroup(StrEnum):
    """Fields that several kinds share; the builder has one reader per group."""

    DRUG = "drug"  # what was given and when: drug, dose, unit, route, frequency, schedule, phases, regimen
    ROLE = "role"  # the drug's role: suspected, concomitant, prior
    TARGET = "target"  # the drug event a stop or restart is about
    DOSE = "dose"  # one administration's dose: dose, unit, route
    COURSE = "course"  # course points: onset, worsening, improvement, ...
    SEVERITY = "severity"  # values on a severity scale
    RESULT = "result"  # test, result, interpretation, value, value_unit, reference
    MILESTONE = "milestone"  # the milestone's type
    RESPONSE = "response"  # how the reaction responded to a therapy
    REEXPOSURE = "reexposure"  # a re-exposure's form, the other drug of a class switch, its outcome
    ABSENT = "absent"  # a pertinent negative: the finding was looked for and is absent
    REACTION = "reaction"  # a reaction's seriousness, outcome, grade and the action taken with the drug
    PROCEDURE = "procedure"  # the procedure's type


#: The keys each group adds to an event.
GROUP_KEYS: dict[FieldGroup, frozenset[str]] = {
    FieldGroup.DRUG: frozenset({"drug", "dose", "unit", "route", "frequency", "schedule", "brand", "cumulative_dose",
                                "phases", "regimen", "drugs", "expand"}),
    FieldGroup.ROLE: frozenset({"role"}),
    FieldGroup.TARGET: frozenset({"target"}),
    FieldGroup.DOSE: frozenset({"dose", "unit", "route"}),
    FieldGroup.COURSE: frozenset({"course"}),
    FieldGroup.SEVERITY: frozenset({"severity"}),
    FieldGroup.RESULT: frozenset({"test", "result", "interpretation", "value", "value_unit", "reference"}),
    FieldGroup.MILESTONE: frozenset({"type"}),
    FieldGroup.RESPONSE: frozenset({"response"}),
    FieldGroup.REEXPOSURE: frozenset({"exposure", "drug", "outcome"}),
    FieldGroup.ABSENT: frozenset({"absent"}),
    FieldGroup.REACTION: frozenset({"seriousness", "outcome", "grade", "action_taken"}),
    FieldGroup.PROCEDURE: frozenset({"type"}),
}
#: Timing keys: a course has a start and an end (or a duration); a point happens ``at`` a time.
COURSE_TIMING_KEYS = frozenset({"start", "end", "duration", "ongoing"})
POINT_TIMING_KEYS = frozenset({"at"})
#: Keys every event may carry.
COMMON_EVENT_KEYS = frozenset({"id", "kind", "label", "lane", "category", "source", "note", "identifying", "links"})


@dataclass(frozen=True)
class KindSpec:
    """What one kind of event is (see the module docstring)."""

    kind: Kind
    point: bool  # True: one time ('at'); False: a course (start, end, duration, ongoing)
    groups: tuple[FieldGroup, ...]
    default_category: Category
    words: str  # how tooltips and the details panel name the kind
    glyph: Glyph | None  # a point's mark; for a course, the mark at its start (None: the bar alone)
    caption_order: int  # teaching captions list what changes the story first (lower first)
    label_field: str = ""  # the field whose value is the default label ('drug', 'test', 'type')
    default_label: str = ""  # the label when no field gives one
    start_words: str = "begins"  # teaching caption of a course's start: "Infliximab begins"
    ends_target: bool = False  # a stop: it ends the course of its target drug
    band: bool = False  # a course drawn as a light band (a symptom's course), not a solid bar

    @property
    def keys(self) -> frozenset[str]:
        """Every key an event of this kind may carry."""
        timing = POINT_TIMING_KEYS if self.point else COURSE_TIMING_KEYS
        return COMMON_EVENT_KEYS | timing | frozenset().union(*(GROUP_KEYS[g] for g in self.groups))

    def has(self, group: FieldGroup) -> bool:
        return group in self.groups


KIND_SPECS: dict[Kind, KindSpec] = {
    spec.kind: spec for spec in (
        KindSpec(Kind.DRUG, False, (FieldGroup.DRUG, FieldGroup.ROLE, FieldGroup.RESPONSE), Category.DRUG, "Drug",
                 None, 3, label_field="drug"),
        KindSpec(Kind.DECHALLENGE, True, (FieldGroup.TARGET,), Category.DRUG, "Drug stopped (dechallenge)",
                 Glyph.STOP, 1, default_label="Stopped", ends_target=True),
        KindSpec(Kind.RECHALLENGE, True, (FieldGroup.TARGET, FieldGroup.DOSE, FieldGroup.REEXPOSURE), Category.DRUG,
                 "Drug restarted (rechallenge)", Glyph.RESTART, 1, default_label="Restarted"),
        KindSpec(Kind.SYMPTOM, False, (FieldGroup.COURSE, FieldGroup.SEVERITY, FieldGroup.ABSENT, FieldGroup.REACTION),
                 Category.SYMPTOM, "Symptom / sign", Glyph.TRIANGLE, 0, start_words="(onset)", band=True),
        KindSpec(Kind.INVESTIGATION, True, (FieldGroup.RESULT, FieldGroup.ABSENT), Category.INVESTIGATION,
                 "Investigation", Glyph.DIAMOND, 4, label_field="test"),
        KindSpec(Kind.THERAPY, False, (FieldGroup.DRUG, FieldGroup.RESPONSE), Category.RESCUE, "Therapy", None, 3,
                 label_field="drug"),
        KindSpec(Kind.MILESTONE, True, (FieldGroup.MILESTONE,), Category.OUTCOME, "Milestone", Glyph.FLAG, 2,
                 label_field="type"),
        KindSpec(Kind.PROCEDURE, False, (FieldGroup.PROCEDURE, FieldGroup.RESPONSE), Category.PROCEDURE,
                 "Procedure", None, 3, label_field="type", default_label="Procedure"),
    )
}
#: Milestones with a mark of their own.
MILESTONE_GLYPHS: dict[MilestoneType, Glyph] = {MilestoneType.DEATH: Glyph.CROSS}


def kind_spec(kind: Kind) -> KindSpec:
    return KIND_SPECS[kind]
