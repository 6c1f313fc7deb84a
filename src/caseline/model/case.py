"""The case model: what a case file says, immutable, with the source position of each part.

Pure Python; no Qt, no pandas. Readers build these; caseline.timeline resolves them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from caseline.model._fast_init import fast_frozen_init
from caseline.model.clinical import (
    ActionTaken,
    Causality,
    EventLink,
    Exposure,
    Grade,
    ProcedureType,
    ReactionOutcome,
    RechallengeOutcome,
    Response,
    Seriousness,
)
from caseline.model.diagnostics import SourcePos
from caseline.model.dosing import Conflict, CumulativeDose, Dose, Phased, RegimenDrug
from caseline.model.kinds import KIND_SPECS, Category, CourseState, DrugRole, Interpretation, Kind, MilestoneType
from caseline.model.naranjo import NaranjoAnswers
from caseline.model.time_expressions import Amount, TimeExpr

FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where in the source an event comes from, and a short note in the encoder's words."""

    section: str = ""
    paragraph: str = ""
    figure: str = ""
    page: str = ""
    note: str = ""

    def describe(self) -> str:
        parts = [
            f"{name} {value}" if name != "section" else value
            for name, value in (
                ("section", self.section),
                ("paragraph", self.paragraph),
                ("figure", self.figure),
                ("page", self.page),
            )
            if value
        ]
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class AtList:
    """Explicit administrations: "weeks 0, 2 and 6"."""

    times: tuple[TimeExpr, ...]


@dataclass(frozen=True, slots=True)
class Repeat:
    """A repeat rule: "every 8 weeks" from a start, for ``count`` doses or until a time.

    ``every`` None: the spacing is not stated ("10 sessions"). ``count`` None with ``until``
    None or unknown: the number of administrations is not stated.
    """

    every: Amount | None
    start: TimeExpr | None
    count: int | None
    until: TimeExpr | None


@dataclass(frozen=True, slots=True)
class Cycles:
    """Cycles: ``count`` cycles of ``length`` with doses on ``days`` (1-based) of each cycle.

    ``length`` None means the source does not say how far apart the cycles were: the first is
    placed, the later ones only ordered (each after the previous one). ``count`` None: the
    number of cycles is not stated.
    """

    count: int | None
    length: Amount | None
    days: tuple[int, ...]
    start: TimeExpr | None


Schedule = AtList | Repeat | Cycles | Phased

#: A schedule may expand to at most this many administrations, cycles included.
MAX_ADMINISTRATIONS = 10_000


@dataclass(frozen=True, slots=True)
class CoursePoint:
    at: TimeExpr
    state: CourseState
    note: str = ""


@dataclass(frozen=True, slots=True)
class SeverityPoint:
    at: TimeExpr
    value: float
    text: str = ""


@dataclass(frozen=True, slots=True)
class SeverityScale:
    scale: str
    minimum: float
    maximum: float
    points: tuple[SeverityPoint, ...]
    higher_is_worse: bool = True


@fast_frozen_init
@dataclass(frozen=True, slots=True)
class Event:
    """One event of a case. Kind-specific fields are None/empty where they do not apply."""

    id: str
    kind: Kind
    label: str
    lane: str
    category: Category
    pos: SourcePos
    start: TimeExpr | None = None
    end: TimeExpr | None = None
    duration: Amount | None = None
    ongoing: bool = False
    # drugs and therapies
    drug: str = ""
    role: DrugRole | None = None
    dose: float | None = None
    dose_text: str = ""
    unit: str = ""
    route: str = ""
    frequency: str = ""
    schedule: Schedule | None = None
    target: str = ""  # dechallenge / rechallenge: the id of the drug event
    # doses as numbers (caseline.model.dosing): a range, the brand, a stated cumulative dose, a regimen's drugs
    dose_min: float | None = None
    dose_max: float | None = None
    brand: str = ""
    cumulative: CumulativeDose | None = None
    regimen: str = ""  # the regimen's name ("R-CHOP"): several drugs under one name and schedule
    components: tuple[RegimenDrug, ...] = ()
    expand: bool = False  # draw a regimen's drugs on lanes of their own under the regimen's lane
    value_qualifier: str = ""  # an investigation's value as a limit: '>', '<', '≥', '≤'
    conflicts: tuple[Conflict, ...] = ()  # facts of this event the source states two ways (case 'conflicts:')
    # symptoms
    course: tuple[CoursePoint, ...] = ()
    severity: SeverityScale | None = None
    # investigations
    test: str = ""
    result: str = ""
    interpretation: Interpretation | None = None
    value: float | None = None
    value_unit: str = ""
    reference_low: float | None = None
    reference_high: float | None = None
    # milestones
    milestone: MilestoneType | None = None
    # clinical attributes (caseline.model.clinical): a therapy's response, a re-exposure, a pertinent negative,
    # a reaction's seriousness, outcome, grade and the action taken with the drug, a procedure's type
    response: Response | None = None
    exposure: Exposure | None = None  # a rechallenge's form ('drug' names the other drug of a class switch)
    rechallenge_outcome: RechallengeOutcome | None = None  # a rechallenge's 'outcome'
    absent: bool = False  # a finding stated as absent: drawn as a negative, never as something that happened
    seriousness: tuple[Seriousness, ...] = ()
    outcome: ReactionOutcome | None = None  # a reaction's (symptom's) 'outcome'
    grade: Grade | None = None
    action_taken: ActionTaken | None = None
    procedure: ProcedureType | None = None  # a procedure's 'type'
    links: tuple[EventLink, ...] = ()
    # everywhere
    source: Provenance = field(default_factory=Provenance)
    note: str = ""
    identifying: tuple[str, ...] = ()  # fields hidden by the de-identified view

    @property
    def is_point(self) -> bool:
        return KIND_SPECS[self.kind].point

    def dose_value(self) -> Dose:
        """The dose as a number, a range or text, with its unit."""
        return Dose(self.dose, self.dose_min, self.dose_max, self.dose_text, self.unit)

    def dose_description(self) -> str:
        """'5 mg/kg IV, weeks 0, 2, 6' style text; empty when nothing is known."""
        parts = [self.dose_value().describe(), self.route, self.frequency]
        return ", ".join(p for p in parts if p)


@dataclass(frozen=True, slots=True)
class Citation:
    authors: tuple[str, ...] = ()
    title: str = ""
    journal: str = ""
    year: int | None = None
    volume: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""
    url: str = ""
    note: str = ""
    type: str = ""  # publication type: case-report, case-series, letter, meeting-abstract, ...
    issue: str = ""
    epub_date: str = ""  # the e-publication date as stated (2019-03-14)
    article_number: str = ""  # an article number in place of pages (e0123)
    pmcid: str = ""  # PubMed Central id (PMC1234567)

    def short(self) -> str:
        """'Author et al., Journal 2018' for headers and captions."""
        if self.authors:
            first = self.authors[0].split(",")[0].split()[-1] if self.authors[0] else ""
            who = first + (" et al." if len(self.authors) > 1 else "")
        else:
            who = ""
        bits = [b for b in (who, self.journal, str(self.year) if self.year else "") if b]
        text = ", ".join(bits[:-1]) + (" " + bits[-1] if len(bits) > 1 else bits[0] if bits else "")
        return text.strip()

    def full(self) -> str:
        authors = ", ".join(self.authors)
        pieces = [authors, self.title, self.journal]
        if self.year:
            pieces.append(str(self.year))
        if self.volume:
            issue = f"({self.issue})" if self.issue else ""
            where = self.pages or self.article_number
            pieces.append(self.volume + issue + (f":{where}" if where else ""))
        elif self.article_number:
            pieces.append(self.article_number)
        if self.epub_date:
            pieces.append(f"Epub {self.epub_date}")
        if self.doi:
            pieces.append(f"doi:{self.doi}")
        if self.pmid:
            pieces.append(f"PMID {self.pmid}")
        if self.pmcid:
            pieces.append(f"PMCID {self.pmcid}")
        return ". ".join(p for p in pieces if p)


@dataclass(frozen=True, slots=True)
class Patient:
    age: str = ""  # "38", "59", "50s", "unknown": as the source states it
    sex: str = ""
    identifiers: tuple[str, ...] = ()  # names, record numbers: hidden when de-identified
    note: str = ""
    ethnicity: str = ""  # as the source states it

    def describe(self) -> str:
        age = f"{self.age}-year-old" if self.age and self.age.isdigit() else self.age
        return " ".join(p for p in (age, self.sex) if p)


@dataclass(frozen=True, slots=True)
class Suspect:
    """The suspected drug (an event id) and the adverse reaction (an event id and/or text)."""

    drug: str = ""
    reaction: str = ""
    reaction_event: str = ""
    causality: str = ""


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    title: str
    pos: SourcePos
    events: tuple[Event, ...]
    patient: Patient = field(default_factory=Patient)
    diagnosis: str = ""
    citation: Citation = field(default_factory=Citation)
    suspect: Suspect = field(default_factory=Suspect)
    anchor: TimeExpr | None = None  # None: first dose of the suspected drug
    anchor_date: TimeExpr | None = None  # pins day 0 to the calendar when known
    anchor_label: str = ""
    summary: str = ""
    lanes: tuple[str, ...] = ()  # optional explicit lane order within categories
    time_range: tuple[float, float] | None = None  # the time axis a view of this case alone opens at (days)
    causality: tuple[Causality, ...] = ()  # reported causality per drug-reaction pair
    conflicts: tuple[Conflict, ...] = ()  # facts the source states two ways (those of events are on the events too)
    naranjo: tuple[NaranjoAnswers, ...] = ()  # a user's answers to the Naranjo items (caseline.model.naranjo)

    def event(self, event_id: str) -> Event | None:
        for event in self.events:
            if event.id == event_id:
                return event
        return None


