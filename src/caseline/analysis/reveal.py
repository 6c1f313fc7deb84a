"""Teaching reveal: the events of one or more cases shown step by step, as the story is told. Pure Python.

A case is told in phases, one step each (empty phases are skipped): what came before the suspected
drug (history), the exposure, the reaction, its work-up, the rescue therapy, the response, the later
course, then what the source gives no time for, and the outcome. An event is one unit: a schedule
and its administrations come in one step (never one infusion per click). Several cases are told one
after the other, in the order the view shows them, so every step is about one case.

Each caption line says an event and its time *as the file states it* (its ``stated`` text: "in
2013", "two weeks after the third dose"), or, where the file states none, a day worded at the
precision the resolver gives ("day 56 or later"; never "day -273.9" for "in 2013"). A step lists
every event it reveals: the caption bars wrap, nothing hides behind "and 3 more".

Holding back (``hold_back=True``) keeps two things from the audience until one extra, last step:

- the outcome: milestones of type outcome, death and last follow-up stay hidden;
- which drug is suspected: ``held_back_view`` gives copies of the cases in which the suspected
  drug is drawn as one drug among the others (the colour of other drugs, its lane named by the
  drug, no 'suspected' role), the title, summary, suspect and causality are left out, and notes
  that speak of suspicion, attribution or causality read "held back until the last step".
  Phase titles stay neutral ("New symptoms", not "Reaction").

The held-back view is honest: it leaves things out and says so (``HOLD_BACK_NOTICE``), but
never states something false. The suspected drug is not called concomitant or prior (its role
is simply not shown), every event keeps its true time and label, and the lane keeps the same
events. Held-back items are told apart by a key, ``reveal_key(item)``: "case id/item id".
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum

from caseline.analysis.landmarks import earliest, first_suspect_dose, reaction_onset
from caseline.analysis.wording import item_title
from caseline.model.case import Event, Suspect
from caseline.model.kinds import KIND_SPECS, Category, CourseState, DrugRole, FieldGroup, Kind, MilestoneType
from caseline.model.time_expressions import Precision
from caseline.timeline.resolved import Item, ItemRole, ResolvedCase

#: Milestones that tell how the case ended: held back until the last step.
OUTCOME_MILESTONES = frozenset({MilestoneType.OUTCOME, MilestoneType.DEATH, MilestoneType.LAST_FOLLOW_UP})
HOLD_BACK_NOTICE = "Held back until the last step: the outcome, and which drug is thought to be the cause."
HELD_NOTE = "(held back until the last step)"
_SPOILER = re.compile(r"suspect|attribut|causal|caus(?:ed|ing) by|induced|adverse", re.IGNORECASE)
#: Legend wording while the suspected drug is held back: it is drawn as one of the drugs, not "other" drugs.
HELD_BACK_CATEGORY_TITLES = {Category.DRUG: "Drugs"}
HELD_BACK_AXIS_SUBJECT = "the aligned day 0"
HELD_BACK_NOT_ALIGNED = "not aligned"


def gives_away(text: str) -> bool:
    """True when ``text`` tells which drug is suspected, or that a reaction is attributed to a drug."""
    return bool(_SPOILER.search(text))


def held_back_labels(header_notes: Mapping[str, str], axis_subject: str) -> tuple[dict[str, str], str]:
    """Case-header notes and the axis subject as a held-back view words them (nothing gives the suspect away)."""
    notes = {cid: (HELD_BACK_NOT_ALIGNED if gives_away(note) else note) for cid, note in header_notes.items()}
    return notes, (HELD_BACK_AXIS_SUBJECT if gives_away(axis_subject) else axis_subject)


def reveal_key(item: Item) -> str:
    """The key a reveal plan and LayoutOptions.revealed use for an item: 'case id/item id'."""
    return f"{item.case_id}/{item.item_id}"


def is_held_back(item: Item) -> bool:
    """Outcome milestones: what hold-back keeps hidden until the last step."""
    return item.kind is Kind.MILESTONE and item.event.milestone in OUTCOME_MILESTONES


class Phase(IntEnum):
    """The parts of a case's story, in the order they are told."""

    HISTORY = 0
    EXPOSURE = 1
    REACTION = 2
    WORKUP = 3
    RESCUE = 4
    RESPONSE = 5
    COURSE = 6
    UNDATED = 7
    OUTCOME = 8


PHASE_TITLES = {
    Phase.HISTORY: "History", Phase.EXPOSURE: "Exposure", Phase.REACTION: "Reaction", Phase.WORKUP: "Work-up",
    Phase.RESCUE: "Rescue therapy", Phase.RESPONSE: "Response", Phase.COURSE: "Later course",
    Phase.UNDATED: "Time not stated", Phase.OUTCOME: "Outcome",
}
#: Titles that name no suspect or reaction: with hold-back, and for a case without a suspected drug.
NEUTRAL_PHASE_TITLES = {
    **PHASE_TITLES, Phase.HISTORY: "Before day 0", Phase.EXPOSURE: "From day 0", Phase.REACTION: "New symptoms",
    Phase.RESCUE: "Treatment", Phase.RESPONSE: "Course after treatment",
}
_TOLERANCE = 1e-6


@dataclass(frozen=True, slots=True)
class Step:
    """One click of a reveal: what is shown, what is new, and the words for the caption bar."""

    revealed_item_ids: frozenset[str]  # reveal keys of every item shown at this step
    new_item_ids: frozenset[str]  # reveal keys of the items this step adds
    caption: str  # title line, then one line per new event
    title: str  # "Exposure", "Case 2: Reaction", "Revealed: …"
    time: float | None  # the earliest time of its events on the shared axis (None: undated or the final reveal)
    neutral: bool  # True while the suspected drug is still held back
    case_id: str = ""  # the case the step is about ("" for the final reveal of several cases)


@dataclass(frozen=True, slots=True)
class RevealPlan:
    steps: tuple[Step, ...]
    hold_back: bool

    def __len__(self) -> int:
        return len(self.steps)

    @staticmethod
    def build(cases: Sequence[ResolvedCase], shifts: Mapping[str, float] | None = None,
              hold_back: bool = False) -> RevealPlan:
        """Plan the steps for ``cases`` aligned by ``shifts`` (case id -> days added)."""
        return build_plan(cases, shifts, hold_back)


def _time(item: Item, shifts: Mapping[str, float]) -> float | None:
    if item.start is None or not math.isfinite(item.start.best):
        return None
    return round(item.start.best + shifts.get(item.case_id, 0.0), 3)


@dataclass(frozen=True)
class _Unit:
    """One event as the story tells it: a course with its administrations, or one point or state."""

    items: tuple[Item, ...]

    @property
    def lead(self) -> Item:
        return min(self.items, key=_rank)

    @property
    def start(self) -> float | None:
        times = [i.start.best for i in self.items if i.start is not None and math.isfinite(i.start.best)]
        return min(times) if times else None


def units_of(case: ResolvedCase) -> list[_Unit]:
    """The case's events as units: administrations join their course; course states stay their own."""
    grouped: dict[tuple[str, str], list[Item]] = {}
    for item in case.items:
        own = item.item_id if item.role in (ItemRole.STATE, ItemRole.SEVERITY) else ""
        grouped.setdefault((item.event_id, own), []).append(item)
    return [_Unit(tuple(items)) for items in grouped.values()]


def phase_of(unit: _Unit, case: ResolvedCase) -> Phase:
    """Where ``unit`` comes in the story of ``case`` (see the module docstring)."""
    lead, t = unit.lead, unit.start
    suspect = case.case.suspect
    t_dose = _best(first_suspect_dose(case))
    t_onset = _best(reaction_onset(case))
    rescue = story_rescue(case)
    t_rescue = _best(rescue)
    if is_held_back(lead) and (t is None or t_onset is None or t >= t_onset - _TOLERANCE):
        return Phase.OUTCOME
    if t is None:
        return Phase.UNDATED
    if suspect.drug and lead.event_id == suspect.drug and lead.kind is not Kind.DECHALLENGE:
        return Phase.EXPOSURE
    if t_dose is None:  # no suspected drug: presentation, work-up, treatment, response, later course
        first_treatment = _best(_first_treatment(case))
        onset_of_symptom = lead.category is Category.SYMPTOM and lead.role is ItemRole.COURSE
        if first_treatment is None or t < first_treatment - _TOLERANCE or (
                onset_of_symptom and t <= first_treatment + _TOLERANCE):
            return Phase.WORKUP if lead.kind is Kind.INVESTIGATION else Phase.HISTORY
        if lead.category in (Category.DRUG, Category.RESCUE, Category.SUSPECT) and lead.role is ItemRole.COURSE:
            return Phase.RESCUE if abs(t - first_treatment) <= _TOLERANCE else Phase.COURSE
        return Phase.RESPONSE if lead.role is ItemRole.STATE else Phase.COURSE
    if t < t_dose - _TOLERANCE:
        return Phase.HISTORY
    if suspect.reaction_event and lead.event_id == suspect.reaction_event and lead.role is not ItemRole.STATE:
        return Phase.REACTION
    if t_onset is None or t < t_onset - _TOLERANCE:
        return Phase.EXPOSURE
    before_rescue = t_rescue is None or t <= t_rescue + _TOLERANCE
    if lead.kind is Kind.INVESTIGATION:
        return Phase.WORKUP if before_rescue else Phase.COURSE
    if lead.category is Category.RESCUE and lead.role is ItemRole.COURSE:
        return Phase.RESCUE if rescue is not None and lead.event_id == rescue.event_id else _later(case, t)
    if t_rescue is not None and t >= t_rescue - _TOLERANCE and not (
            lead.kind is Kind.DECHALLENGE or (lead.event_id == suspect.drug)):
        if lead.role is ItemRole.STATE and lead.event_id == suspect.reaction_event:
            return Phase.RESPONSE
        if t > t_rescue + _TOLERANCE or lead.role is ItemRole.STATE:
            return Phase.COURSE
    return Phase.REACTION


def story_rescue(case: ResolvedCase) -> Item | None:
    """The rescue therapy of the story: the first rescue course from the reaction's onset on (a therapy
    given before the suspected drug is history, not rescue)."""
    onset = _best(reaction_onset(case))
    dose = _best(first_suspect_dose(case))
    start = onset if onset is not None else dose
    return earliest(i for i in case.items if i.category is Category.RESCUE and i.role is ItemRole.COURSE
                    and (start is None or (i.start is not None and i.start.best >= start - _TOLERANCE)))


def _later(case: ResolvedCase, t: float) -> Phase:
    """A rescue therapy after the first: part of the rescue until the reaction improves, then later course."""
    improved = [i.start.best for i in case.items if i.role is ItemRole.STATE and i.start is not None
                and i.event_id == case.case.suspect.reaction_event and math.isfinite(i.start.best)
                and i.state in (CourseState.IMPROVEMENT.value, CourseState.RESOLUTION.value)]
    return Phase.RESCUE if not improved or t < min(improved) else Phase.COURSE


def _best(item: Item | None) -> float | None:
    if item is None or item.start is None or not math.isfinite(item.start.best):
        return None
    return item.start.best


def _first_treatment(case: ResolvedCase) -> Item | None:
    return earliest(i for i in case.items if i.role is ItemRole.COURSE
                    and i.category in (Category.DRUG, Category.RESCUE, Category.SUSPECT))


def build_plan(cases: Sequence[ResolvedCase], shifts: Mapping[str, float] | None = None,
               hold_back: bool = False) -> RevealPlan:
    """The reveal steps of ``cases`` (see the module docstring)."""
    shifts = shifts or {}
    cases = list(cases)
    shown = held_back_view(cases) if hold_back else cases
    multi = len(cases) > 1
    steps: list[Step] = []
    revealed: set[str] = set()
    held: list[str] = []
    for index, (case, shown_case) in enumerate(zip(cases, shown, strict=True)):
        shown_items = {reveal_key(i): i for i in shown_case.items}
        phases: dict[Phase, list[_Unit]] = {}
        for unit in units_of(case):
            if hold_back and is_held_back(unit.lead):
                held.extend(reveal_key(i) for i in unit.items)
                continue
            phases.setdefault(phase_of(unit, case), []).append(unit)
        neutral_titles = hold_back or not case.case.suspect.drug
        titles = NEUTRAL_PHASE_TITLES if neutral_titles else PHASE_TITLES
        for phase in sorted(phases):
            units = sorted(phases[phase], key=lambda u: (u.start if u.start is not None else math.inf,
                                                         _importance(u.lead)))
            keys = [reveal_key(i) for u in units for i in u.items]
            revealed.update(keys)
            title = titles[phase]
            if multi:
                title = f"{_case_name(shown_case, index)} · {title}"
            ids = frozenset(e.id for e in case.case.events)
            lines = [caption_line(_Unit(tuple(shown_items[reveal_key(i)] for i in u.items)), ids) for u in units]
            times = [t for u in units if (t := _time(u.lead, shifts)) is not None]
            steps.append(Step(frozenset(revealed), frozenset(keys), "\n".join([title, *lines]), title,
                              min(times) if times else None, hold_back, case.id))
    if hold_back:
        revealed.update(held)
        final = _final_lines(cases, held, multi)
        title = "Revealed: suspected drug and outcome"
        steps.append(Step(frozenset(revealed), frozenset(held), "\n".join([title, *final]), title, None, False,
                          cases[0].id if len(cases) == 1 else ""))
    return RevealPlan(tuple(steps), hold_back)


def caption_line(unit: _Unit, ids: frozenset[str] = frozenset()) -> str:
    """'Infliximab 5 mg/kg begins: 3 administrations (week 0, week 2, week 6)',
    'Presented with painful leg ulcer (in 2013 (no closer date given))'."""
    lead = unit.lead
    text = describe_new(lead)
    doses = [i for i in unit.items if i.role is ItemRole.DOSE]
    if doses:
        text += f": {len(doses)} administration{'s' if len(doses) != 1 else ''}"
        stated = [i.stated for i in doses if _readable(i.stated, ids)]
        if len(stated) == len(doses) and len(doses) <= 6:
            return f"{text} — {', '.join(stated)}"
        if all(i.precision is Precision.DAY and i.start is not None and i.start.is_exact for i in doses):
            first, last = doses[0], doses[-1]
            return f"{text} — {when(first, ids)} to {when(last, ids)}"
        return f"{text} — from {when(lead, ids)}, spacing not stated"
    return f"{text} — {when(lead, ids)}"


def when(item: Item, ids: frozenset[str] = frozenset()) -> str:
    """An item's time at the precision the file gives: its stated words, else the resolved day worded
    only as precisely as it is known ('day 56', 'day 56 or later', 'between day 0 and day 30')."""
    if _readable(item.stated, ids):
        return item.stated
    start = item.start
    if start is None or item.precision is Precision.UNKNOWN:
        return "time not stated"
    lo, best, hi = start.lo, start.best, start.hi
    if start.is_exact and item.precision is Precision.DAY:
        return _day(best)
    if item.precision is Precision.YEAR:
        return f"about {_day(best)} (the year is known, not the day)"
    if item.precision is Precision.MONTH:
        return f"about {_day(best)} (the month is known, not the day)"
    if math.isfinite(lo) and not math.isfinite(hi):
        return f"{_day(math.floor(lo))} or later"
    if math.isfinite(hi) and not math.isfinite(lo):
        return f"by {_day(math.ceil(hi))}"
    if math.isfinite(lo) and math.isfinite(hi):
        return f"between {_day(math.floor(lo))} and {_day(math.ceil(hi))}" if lo != hi else _day(lo)
    return "time not stated"


def _day(value: float) -> str:
    return f"day {round(value):d}"


_REFERENCE = re.compile(r"[A-Za-z0-9_-]+(?:#(?:\d+|last|first)|\.(?:start|end)\b)|^[a-z][a-z0-9_-]*$")
_NOT_STATED = frozenset({"", "not dated", "unknown", "not stated", "undated"})


def _readable(stated: str, ids: frozenset[str] = frozenset()) -> bool:
    """Whether the file's own words for a time read well in a caption: not empty, not an expression
    naming events by id ('ifx#1', 'pred.end', 'after bz-stop')."""
    text = stated.strip()
    if text.lower() in _NOT_STATED or _REFERENCE.search(text):
        return False
    words = [w.strip(".,;:()") for w in text.split()]
    return not (len(words) <= 4 and any(w in ids for w in words))


def _rank(item: Item) -> int:
    return {ItemRole.COURSE: 0, ItemRole.POINT: 0, ItemRole.DOSE: 1, ItemRole.STATE: 2, ItemRole.SEVERITY: 3}[item.role]


def _importance(item: Item) -> int:
    """Order within a step at one time: what changes the story first (onsets, stops), routine doses last."""
    if item.role is ItemRole.DOSE:
        return 5
    if item.role in (ItemRole.STATE, ItemRole.SEVERITY):
        return 6 if item.role is ItemRole.STATE else 7
    return KIND_SPECS[item.kind].caption_order


def describe_new(item: Item) -> str:
    """A caption line for a newly revealed item: 'Needle EMG: Active denervation in distal leg muscles'."""
    event = item.event
    if event.absent:  # a pertinent negative: never an onset
        text = f"{item.label}: stated absent"
    elif item.role is ItemRole.COURSE:
        text = f"{item.label} {KIND_SPECS[item.kind].start_words}"
    elif item.role is ItemRole.POINT and KIND_SPECS[item.kind].has(FieldGroup.RESULT) and event.result:
        text = f"{item.label}: {event.result}"
    else:
        text = item_title(item)
    text = " ".join(text.split())
    return text if len(text) <= 110 else text[:108].rstrip() + "…"


def _case_name(case: ResolvedCase, index: int) -> str:
    title = case.case.title or f"Case {index + 1}"
    return title if len(title) <= 32 else title[:30].rstrip() + "…"


def _final_lines(cases: Sequence[ResolvedCase], held: list[str], multi: bool) -> list[str]:
    lines = []
    held_set = set(held)
    for index, case in enumerate(cases):
        suspect = case.case.event(case.case.suspect.drug) if case.case.suspect.drug else None
        outcomes = [i for i in case.items if reveal_key(i) in held_set]
        bits = []
        if suspect is not None:
            bits.append(f"Suspected drug: {suspect.drug or suspect.label}")
        if outcomes:
            ids = frozenset(e.id for e in case.case.events)
            bits.append("Outcome: " + "; ".join(f"{item.label} — {when(item, ids)}" for item in outcomes))
        if bits:
            prefix = f"{_case_name(case, index)}: " if multi else ""
            lines.append(prefix + " · ".join(bits))
    return lines


# --------------------------------------------------------------------------- the held-back view

def held_back_view(cases: Sequence[ResolvedCase]) -> list[ResolvedCase]:
    """Copies of ``cases`` that do not tell which drug is suspected (see the module docstring)."""
    return [_neutral_case(case, index) for index, case in enumerate(cases)]


def _neutral_event(event: Event, suspect_ids: frozenset[str]) -> Event:
    changes: dict[str, object] = {}
    if event.category is Category.SUSPECT:
        changes["category"] = Category.DRUG
        if "suspect" in event.lane.lower():
            changes["lane"] = _drug_name(event)
        if "suspect" in event.label.lower():
            drug_like = KIND_SPECS[event.kind].has(FieldGroup.DRUG)
            changes["label"] = _drug_name(event) if drug_like else event.kind.value.capitalize()
    if event.role is DrugRole.SUSPECTED:
        changes["role"] = None
    for name in ("note", "result"):
        if _SPOILER.search(getattr(event, name)):
            changes[name] = HELD_NOTE
    if _SPOILER.search(event.source.note):
        changes["source"] = dataclasses.replace(event.source, note=HELD_NOTE)
    if event.course and any(_SPOILER.search(p.note) for p in event.course):
        changes["course"] = tuple(dataclasses.replace(p, note=HELD_NOTE) if _SPOILER.search(p.note) else p
                                  for p in event.course)
    del suspect_ids
    return dataclasses.replace(event, **changes) if changes else event  # type: ignore[arg-type]


def _drug_name(event: Event) -> str:
    name = event.drug or re.sub(r"(?i)\bsuspect(?:ed)?\b\s*(?:drug)?[:\s-]*", "", event.label).strip()
    return name[:1].upper() + name[1:] if name else "Drug"


def _neutral_case(case: ResolvedCase, index: int) -> ResolvedCase:
    source = case.case
    suspect_ids = frozenset({source.suspect.drug} if source.suspect.drug else set())
    events = {e.id: _neutral_event(e, suspect_ids) for e in source.events}
    new_case = dataclasses.replace(source, events=tuple(events.values()), title=f"Case {index + 1}",
                                   summary="", suspect=Suspect())
    items = []
    for item in case.items:
        event = events.get(item.event_id, item.event)
        changes: dict[str, object] = {"event": event}
        if item.category is Category.SUSPECT:
            changes["category"] = Category.DRUG
            changes["lane"] = event.lane
            if item.label == item.event.label:
                changes["label"] = event.label
        if _SPOILER.search(item.stated):
            changes["stated"] = HELD_NOTE
        items.append(dataclasses.replace(item, **changes))  # type: ignore[arg-type]
    # "first infliximab dose" names the suspected drug: the axis says "Days since the case's day 0"
    anchor = "the case's day 0"
    return dataclasses.replace(case, case=new_case, items=tuple(items), anchor_description=anchor)
