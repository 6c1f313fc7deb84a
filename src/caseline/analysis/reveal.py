"""Teaching reveal: the events of one or more cases shown step by step in time order. Pure Python.

Step ``k`` reveals every item whose start (its best day, plus its case's alignment shift) is at
or before the ``k``-th distinct start time, so several cases step through time together. Items
whose time the source does not give come in one step after the dated ones.

Holding back (``hold_back=True``) keeps two things from the audience until one extra, last step:

- the outcome: milestones of type outcome, death and last follow-up stay hidden;
- which drug is suspected: ``held_back_view`` gives copies of the cases in which the suspected
  drug is drawn as one drug among the others (the colour of other drugs, its lane named by the
  drug, no 'suspected' role), the title, summary, suspect and causality are left out, and notes
  that speak of suspicion, attribution or causality read "held back until the last step".

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

from caseline.analysis.wording import format_day, item_title
from caseline.model.case import Event, Suspect
from caseline.model.kinds import KIND_SPECS, Category, DrugRole, FieldGroup, Kind, MilestoneType
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
MAX_CAPTION_ENTRIES = 3


def reveal_key(item: Item) -> str:
    """The key a reveal plan and LayoutOptions.revealed use for an item: 'case id/item id'."""
    return f"{item.case_id}/{item.item_id}"


def is_held_back(item: Item) -> bool:
    """Outcome milestones: what hold-back keeps hidden until the last step."""
    return item.kind is Kind.MILESTONE and item.event.milestone in OUTCOME_MILESTONES


@dataclass(frozen=True, slots=True)
class Step:
    """One click of a reveal: what is shown, what is new, and the words for the caption bar."""

    revealed_item_ids: frozenset[str]  # reveal keys of every item shown at this step
    new_item_ids: frozenset[str]  # reveal keys of the items this step adds
    caption: str  # title line, then one line per new event
    title: str  # "Day 91", "Time not stated", "Revealed: …"
    time: float | None  # the step's time on the shared axis (None: undated or the final reveal)
    neutral: bool  # True while the suspected drug is still held back


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


def build_plan(cases: Sequence[ResolvedCase], shifts: Mapping[str, float] | None = None,
               hold_back: bool = False) -> RevealPlan:
    """The reveal steps of ``cases`` (see the module docstring)."""
    shifts = shifts or {}
    cases = list(cases)
    shown = held_back_view(cases) if hold_back else cases
    texts = {reveal_key(item): (case_index, item) for case_index, case in enumerate(shown) for item in case.items}
    dated: dict[float, list[str]] = {}
    undated: list[str] = []
    held: list[str] = []
    for case in cases:
        for item in case.items:
            key = reveal_key(item)
            if hold_back and is_held_back(item):
                held.append(key)
                continue
            t = _time(item, shifts)
            if t is None:
                undated.append(key)
            else:
                dated.setdefault(t, []).append(key)
    multi = len(cases) > 1
    steps: list[Step] = []
    revealed: set[str] = set()

    def add(new: list[str], title: str, time: float | None, neutral: bool, lines: list[str] | None = None) -> None:
        revealed.update(new)
        body = lines if lines is not None else _entries(new, texts, shown, multi)
        steps.append(Step(frozenset(revealed), frozenset(new), "\n".join([title, *body]), title, time, neutral))

    for t in sorted(dated):
        add(dated[t], format_day(t).capitalize(), t, hold_back)
    if undated:
        add(undated, "Time not stated", None, hold_back)
    if hold_back:
        final = _final_lines(cases, held, shifts, multi)
        add(held, "Revealed: suspected drug and outcome", None, False, final)
    return RevealPlan(tuple(steps), hold_back)


def _entries(keys: list[str], texts: Mapping[str, tuple[int, Item]], cases: Sequence[ResolvedCase],
             multi: bool) -> list[str]:
    """One line per new event (its most telling item), at most MAX_CAPTION_ENTRIES, then 'and N more'."""
    by_event: dict[tuple[int, str], list[Item]] = {}
    for key in keys:
        case_index, item = texts[key]
        by_event.setdefault((case_index, item.event_id), []).append(item)
    chosen = sorted(((min(items, key=_rank), case_index) for (case_index, _e), items in by_event.items()),
                    key=lambda pair: _importance(pair[0]))
    lines = []
    for item, case_index in chosen:
        text = describe_new(item)
        if multi:
            text = f"{_case_name(cases[case_index], case_index)}: {text}"
        lines.append(text)
    if len(lines) > MAX_CAPTION_ENTRIES:
        rest = len(lines) - (MAX_CAPTION_ENTRIES - 1)
        lines = [*lines[: MAX_CAPTION_ENTRIES - 1], f"… and {rest} more"]
    return lines


def _rank(item: Item) -> int:
    return {ItemRole.COURSE: 0, ItemRole.POINT: 0, ItemRole.DOSE: 1, ItemRole.STATE: 2, ItemRole.SEVERITY: 3}[item.role]


def _importance(item: Item) -> int:
    """Caption order: what changes the story first (onsets, stops), routine doses last."""
    if item.role is ItemRole.DOSE:
        return 5
    if item.role in (ItemRole.STATE, ItemRole.SEVERITY):
        return 6 if item.role is ItemRole.STATE else 7
    return KIND_SPECS[item.kind].caption_order


def describe_new(item: Item) -> str:
    """A caption line for a newly revealed item: 'Needle EMG: Active denervation in distal leg muscles'."""
    event = item.event
    if item.role is ItemRole.COURSE:
        text = f"{item.label} {KIND_SPECS[item.kind].start_words}"
    elif item.role is ItemRole.POINT and KIND_SPECS[item.kind].has(FieldGroup.RESULT) and event.result:
        text = f"{item.label}: {event.result}"
    else:
        text = item_title(item)
    text = " ".join(text.split())
    return text if len(text) <= 110 else text[:108].rstrip() + "…"


def _case_name(case: ResolvedCase, index: int) -> str:
    title = case.case.title or f"Case {index + 1}"
    return title if len(title) <= 40 else title[:38].rstrip() + "…"


def _final_lines(cases: Sequence[ResolvedCase], held: list[str], shifts: Mapping[str, float],
                 multi: bool) -> list[str]:
    lines = []
    held_set = set(held)
    for index, case in enumerate(cases):
        suspect = case.case.event(case.case.suspect.drug) if case.case.suspect.drug else None
        outcomes = [i for i in case.items if reveal_key(i) in held_set]
        bits = []
        if suspect is not None:
            bits.append(f"Suspected drug: {suspect.drug or suspect.label}")
        if outcomes:
            told = []
            for item in outcomes:
                t = _time(item, shifts)
                told.append(f"{item.label} ({format_day(round(t)) if t is not None else 'time not stated'})")
            bits.append("Outcome: " + "; ".join(told))
        if bits:
            prefix = f"{_case_name(case, index)}: " if multi else ""
            lines.append(prefix + " · ".join(bits))
    if len(lines) > MAX_CAPTION_ENTRIES:
        lines = [*lines[: MAX_CAPTION_ENTRIES - 1], f"… and {len(lines) - MAX_CAPTION_ENTRIES + 1} more cases"]
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
    anchor = case.anchor_description
    if _SPOILER.search(anchor):
        anchor = "the case's day 0"
    return dataclasses.replace(case, case=new_case, items=tuple(items), anchor_description=anchor)
