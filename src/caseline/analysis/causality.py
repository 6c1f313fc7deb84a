"""A causality aid for each suspected drug - reaction pair: what the timeline says about the temporal items
of the Naranjo scale, the dechallenge and rechallenge, and the WHO-UMC category. Pure Python.

This is an aid to a clinician's judgement, never a verdict (docs/causality.md). Each item the timeline can
answer is answered Yes / No / Don't know *with the events it rests on*; the items only a reader of the
literature can answer (previous reports, alternative causes, placebo, drug levels, a previous similar
reaction) come from the case file's ``naranjo:`` answers (caseline.io.naranjo_reader) and are "Don't know"
until a user answers them. A user's answer to a derived item is used, and the timeline's answer is shown
beside it. The reported assessment (``causality:`` or ``suspect.causality``) is set beside the computed
one, and a difference is pointed out.

References: Naranjo CA et al. A method for estimating the probability of adverse drug reactions. Clin
Pharmacol Ther 1981;30:239-45. WHO-UMC. The use of the WHO-UMC system for standardised case causality
assessment (Uppsala Monitoring Centre).
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from caseline.analysis import landmarks
from caseline.analysis.metrics import RescueResponse, duration_between, interval_text, rescue_responses
from caseline.model.case import Event
from caseline.model.clinical import Causality, CausalityScale
from caseline.model.kinds import Category, CourseState, DrugRole, Interpretation, Kind
from caseline.timeline.resolved import Interval, Item, ItemRole, ResolvedCase

YES, NO, DONT_KNOW = "yes", "no", "unknown"
ANSWER_WORDS = {YES: "Yes", NO: "No", DONT_KNOW: "Don't know"}

# challenge outcomes
POSITIVE, NEGATIVE, CONFOUNDED, NOT_DONE, UNKNOWN = "positive", "negative", "confounded", "not done", "unknown"


@dataclass(frozen=True, slots=True)
class NaranjoItem:
    number: int
    key: str  # the key of the case file's ``naranjo: answers``
    question: str
    scores: tuple[int, int, int]  # yes, no, don't know
    derived: bool  # the timeline can answer it


NARANJO_ITEMS: tuple[NaranjoItem, ...] = (
    NaranjoItem(1, "previous_reports", "Are there previous conclusive reports on this reaction?", (1, 0, 0), False),
    NaranjoItem(2, "reaction_after_drug", "Did the adverse event appear after the suspected drug was given?",
                (2, -1, 0), True),
    NaranjoItem(3, "improved_on_stopping", "Did the adverse reaction improve when the drug was discontinued "
                "or a specific antagonist was given?", (1, 0, 0), True),
    NaranjoItem(4, "reappeared_on_readministration", "Did the adverse reaction reappear when the drug was "
                "readministered?", (2, -1, 0), True),
    NaranjoItem(5, "alternative_causes", "Are there alternative causes that could on their own have caused "
                "the reaction?", (-1, 2, 0), False),
    NaranjoItem(6, "placebo", "Did the reaction reappear when a placebo was given?", (-1, 1, 0), False),
    NaranjoItem(7, "drug_levels", "Was the drug detected in blood or other fluids in toxic concentrations?",
                (1, 0, 0), False),
    NaranjoItem(8, "dose_response", "Was the reaction more severe when the dose was increased, or less severe "
                "when the dose was decreased?", (1, 0, 0), True),
    NaranjoItem(9, "previous_similar_reaction", "Did the patient have a similar reaction to the same or similar "
                "drugs in any previous exposure?", (1, 0, 0), False),
    NaranjoItem(10, "confirmed_by_objective_evidence", "Was the adverse event confirmed by any objective "
                "evidence?", (1, 0, 0), True),
)
#: The answer keys of ``naranjo:`` in a case file (every item may be answered; the derived ones override).
NARANJO_KEYS = tuple(item.key for item in NARANJO_ITEMS)
#: The items only a user can answer (the timeline cannot).
USER_KEYS = tuple(item.key for item in NARANJO_ITEMS if not item.derived)


def naranjo_category(total: int) -> str:
    """Naranjo et al. 1981: >= 9 definite, 5-8 probable, 1-4 possible, <= 0 doubtful."""
    return "definite" if total >= 9 else "probable" if total >= 5 else "possible" if total >= 1 else "doubtful"


@dataclass(frozen=True, slots=True)
class Challenge:
    """A dechallenge or rechallenge outcome, why, and the events (item ids) it rests on."""

    outcome: str  # POSITIVE, NEGATIVE, CONFOUNDED, NOT_DONE, UNKNOWN
    reason: str
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Answer:
    item: NaranjoItem
    answer: str  # YES, NO, DONT_KNOW
    reason: str
    evidence: tuple[str, ...] = ()
    by_user: bool = False
    timeline_answer: str = ""  # a derived item the user answered: what the timeline says

    @property
    def score(self) -> int:
        return self.item.scores[(YES, NO, DONT_KNOW).index(self.answer)]


@dataclass(frozen=True, slots=True)
class Reported:
    scale: str  # "naranjo", "who-umc", ...
    value: str
    text: str  # as shown: "Naranjo 7 (by the authors)"


@dataclass(frozen=True, slots=True)
class Assessment:
    case_id: str
    drug: str  # event id
    drug_name: str
    reaction: str  # event id
    reaction_name: str
    latency: Interval | None  # first dose to onset
    latency_last: Interval | None  # last dose before onset to onset
    dechallenge: Challenge
    rechallenge: Challenge
    answers: tuple[Answer, ...]
    who_umc: str
    who_criteria: tuple[str, ...]  # the criteria met
    who_missing: tuple[str, ...]  # what the next category would need
    reported: tuple[Reported, ...] = ()
    differences: tuple[str, ...] = ()
    note: str = ""  # the user's note on the answers
    labels: dict[str, str] = field(default_factory=dict)  # item id -> 'EMG (day 56 or later)'
    rescues: tuple[RescueResponse, ...] = ()  # each rescue therapy and the reaction's response to it

    @property
    def total(self) -> int:
        return sum(a.score for a in self.answers)

    @property
    def category(self) -> str:
        return naranjo_category(self.total)

    @property
    def unanswered(self) -> tuple[str, ...]:
        return tuple(a.item.key for a in self.answers if not a.item.derived and not a.by_user)


# ---------------------------------------------------------------------------- a case indexed once

T = TypeVar("T")


class _Indexed(ResolvedCase):
    """A case whose items are looked up by event (``items_of`` is a lookup, not a scan) and whose lists the aid
    asks for are made once: the aid of every pair of a big case is not a scan of every item per question (625
    suspected drugs of a 17,000-item case took 31 s)."""

    def items_of(self, event_id: str) -> list[Item]:
        return list(_kept(self, "by_event", lambda: _group(self.items, lambda i: i.event_id)).get(event_id, ()))


def _group(items: Sequence[Item], key: Callable[[Item], str]) -> dict[str, list[Item]]:
    out: dict[str, list[Item]] = {}
    for item in items:
        out.setdefault(key(item), []).append(item)
    return out


def _kept(case: ResolvedCase, name: str, make: Callable[[], T]) -> T:
    """``make()``, kept on an indexed case under ``name`` (made each time for a plain one)."""
    store: dict[str, Any] | None = getattr(case, "__dict__", None)
    if store is None:
        return make()
    if name not in store:
        store[name] = make()
    return store[name]  # type: ignore[no-any-return]


def indexed(case: ResolvedCase) -> ResolvedCase:
    """The case with its items indexed (the same data, a lookup per question)."""
    if isinstance(case, _Indexed):
        return case
    return _Indexed(**{f.name: getattr(case, f.name) for f in dataclasses.fields(case) if f.init})


# ---------------------------------------------------------------------------- pairs


def pairs(case: ResolvedCase) -> list[tuple[str, str]]:
    """The suspected drug - reaction pairs of a case: each suspected drug with the reaction, and each pair a
    reported causality or the user's Naranjo answers name."""
    model = case.case
    out: list[tuple[str, str]] = []
    reaction = model.suspect.reaction_event
    drugs = [model.suspect.drug] if model.suspect.drug else []
    drugs += [e.id for e in model.events if e.role is DrugRole.SUSPECTED and e.kind is Kind.DRUG and e.id not in drugs]
    if reaction:
        out += [(d, reaction) for d in drugs]
    for entry in [*getattr(model, "causality", ()), *getattr(model, "naranjo", ())]:
        pair = (entry.drug, entry.reaction)
        if pair not in out and model.event(entry.drug) is not None and model.event(entry.reaction) is not None:
            out.append(pair)
    return out


def _event(case: ResolvedCase, event_id: str) -> Event | None:
    return _kept(case, "events", lambda: {e.id: e for e in case.case.events}).get(event_id)


def _name(case: ResolvedCase, event_id: str) -> str:
    event = _event(case, event_id)
    return (event.drug or event.label) if event is not None else event_id


def _day(item: Item) -> float:
    return item.start.best if item.start is not None else math.inf


def _reaction_states(case: ResolvedCase, reaction: str, day: float) -> list[Item]:
    """The reaction's course points (not its onset) at or after ``day``, in time then file order."""
    states = [(i.start.best, n, i) for n, i in enumerate(case.items_of(reaction))
              if i.event_id == reaction and i.role is ItemRole.STATE and i.start is not None
              and math.isfinite(i.start.best) and i.start.best >= day and i.state != CourseState.ONSET.value]
    return [s[2] for s in sorted(states, key=lambda s: (s[0], s[1]))]


_IMPROVED = (CourseState.IMPROVEMENT.value, CourseState.RESOLUTION.value)
_WORSE = (CourseState.WORSENING.value, CourseState.RELAPSE.value)


def _rescues_between(case: ResolvedCase, start: float, end: float, onset: float | None) -> list[Item]:
    """Rescue therapies running between ``start`` and ``end`` (begun by ``end``, not ended before ``start``,
    begun at or after the onset), except those the file says brought no response."""
    out = []
    courses = _kept(case, "rescues", lambda: [i for i in landmarks.dated(case.items)
                                              if i.category is Category.RESCUE and i.role is ItemRole.COURSE])
    for item in courses:
        if onset is not None and _day(item) < onset:
            continue
        ended = item.end is not None and not item.open_end and math.isfinite(item.end.best) and item.end.best < start
        if _day(item) <= end and not ended and str(getattr(item.event, "response", "") or "") != "none":
            out.append(item)
    return out


def dechallenge(case: ResolvedCase, drug: str, reaction: str) -> Challenge:
    """positive (the reaction improved after the stop), negative (it did not), confounded (it improved, but a
    rescue therapy had been started before the improvement, or the file links the improvement to another
    therapy: ``links: [{type: improved_after, target: ...}]``), not done (no stop) or unknown."""
    return _dechallenge(indexed(case), drug, reaction, landmarks.suspect_stop(case, drug))


def _dechallenge(case: ResolvedCase, drug: str, reaction: str, stop: Item | None) -> Challenge:
    reaction_event = _event(case, reaction)
    action = str(getattr(reaction_event, "action_taken", "") or "") if reaction_event is not None else ""
    if stop is None:
        if action == "withdrawn":
            return Challenge(UNKNOWN, f"{_name(case, drug)} was withdrawn (action taken), but when is not recorded")
        return Challenge(NOT_DONE, f"no stop of {_name(case, drug)} is recorded")
    day = landmarks.stop_time(stop)
    if day is None or not math.isfinite(day):
        return Challenge(UNKNOWN, "the stop has no time relative to the reaction", (stop.item_id,))
    states = _reaction_states(case, reaction, day)
    if not states:
        return Challenge(UNKNOWN, "no course of the reaction is recorded after the stop", (stop.item_id,))
    first = states[0]
    if first.state in _WORSE or first.state == CourseState.PLATEAU.value:
        return Challenge(NEGATIVE, f"the reaction did not improve after the stop (first recorded: {first.state})",
                         (stop.item_id, first.item_id))
    onset = landmarks.reaction_onset(case, reaction)
    rescues = _rescues_between(case, day, _day(first), _day(onset) if onset is not None else None)
    linked = [link.target for link in getattr(reaction_event, "links", ())
              if str(link.type) == "improved_after" and link.target != drug]
    tied = [i for t in dict.fromkeys(linked) for i in case.items_of(t)
            if i.role is ItemRole.COURSE and i not in rescues]
    if rescues or tied:
        why = []
        if rescues:
            why.append(f"{', '.join(dict.fromkeys(r.lane for r in rescues))} was started before the improvement")
        if tied:
            why.append(f"the file links the improvement to {', '.join(dict.fromkeys(t.lane for t in tied))}")
        return Challenge(CONFOUNDED, f"the reaction improved after the stop, but {' and '.join(why)}",
                         (stop.item_id, *[r.item_id for r in [*rescues, *tied]], first.item_id))
    return Challenge(POSITIVE, f"the reaction improved after the stop ({first.state})", (stop.item_id, first.item_id))


def rechallenge(case: ResolvedCase, drug: str, reaction: str) -> Challenge:
    """positive (the reaction recurred on re-exposure), negative (it did not), confounded (the re-exposure was to
    another drug of the class), not done (no re-exposure) or unknown."""
    return _rechallenge(indexed(case), drug, reaction, landmarks.suspect_stop(case, drug))


def _rechallenge(case: ResolvedCase, drug: str, reaction: str, stop: Item | None) -> Challenge:
    by_target = _kept(case, "rechallenges", lambda: _group([i for i in case.items if i.kind is Kind.RECHALLENGE],
                                                            lambda i: i.event.target))
    events = list(by_target.get(drug, ()))
    day = landmarks.stop_time(stop) if stop is not None else None
    if not events and day is not None:  # a later dose after the stop is a re-exposure too
        events = [i for i in landmarks.dated(case.items_of(drug)) if i.role is ItemRole.DOSE and _day(i) > day]
    if not events:
        return Challenge(NOT_DONE, f"no re-exposure to {_name(case, drug)} is recorded")
    first = min(events, key=_day)
    outcome = str(getattr(first.event, "rechallenge_outcome", "") or "")
    exposure = str(getattr(first.event, "exposure", "") or "")
    if not outcome or outcome == "unknown":
        later = _reaction_states(case, reaction, _day(first)) if math.isfinite(_day(first)) else []
        worse = [i for i in later if i.state in _WORSE]
        if worse:
            outcome, evidence = "recurred", [first.item_id, worse[0].item_id]
        else:
            return Challenge(UNKNOWN, "what the reaction did after the re-exposure is not recorded", (first.item_id,))
    else:
        evidence = [first.item_id]
    if exposure == "class_switch":
        other = first.event.drug or "another drug of the class"
        return Challenge(CONFOUNDED, f"the re-exposure was to {other}, not to {_name(case, drug)} itself "
                                     f"(the reaction {outcome.replace('_', ' ')})", tuple(evidence))
    if outcome in ("recurred", "worse"):
        return Challenge(POSITIVE, f"the reaction {outcome} on re-exposure", tuple(evidence))
    return Challenge(NEGATIVE, "the reaction did not recur on re-exposure", tuple(evidence))


# ---------------------------------------------------------------------------- Naranjo items


def _q2(latency: Interval | None, dose: Item | None, onset: Item | None) -> tuple[str, str, tuple[str, ...]]:
    ids = tuple(i.item_id for i in (dose, onset) if i is not None)
    if latency is None:
        return DONT_KNOW, "the first dose or the onset has no time", ids
    if latency.lo >= 0:
        return YES, f"onset {interval_text(latency)} after the first dose", ids
    if latency.hi < 0:
        return NO, "the reaction began before the first dose", ids
    return DONT_KNOW, "the times stated allow the onset before or after the first dose", ids


def _challenge_answer(challenge: Challenge) -> tuple[str, str, tuple[str, ...]]:
    answer = {POSITIVE: YES, NEGATIVE: NO}.get(challenge.outcome, DONT_KNOW)
    return answer, f"{challenge.outcome}: {challenge.reason}", challenge.evidence


def _q8(case: ResolvedCase, reaction: str) -> tuple[str, str, tuple[str, ...]]:
    event = _event(case, reaction)
    action = str(getattr(event, "action_taken", "") or "") if event is not None else ""
    if action not in ("dose_reduced", "dose_increased"):
        return DONT_KNOW, "no change of dose with a following change of the reaction is recorded", ()
    states = _reaction_states(case, reaction, -math.inf)
    want = _IMPROVED if action == "dose_reduced" else _WORSE
    hit = [s for s in states if s.state in want]
    if hit:
        return YES, f"dose {action.split('_')[1]}, then {hit[0].state}", (hit[0].item_id,)
    return DONT_KNOW, f"dose {action.split('_')[1]}; no matching change of the reaction recorded", ()


def _q10(case: ResolvedCase, onset: Item | None) -> tuple[str, str, tuple[str, ...]]:
    start = _day(onset) if onset is not None else -math.inf
    every = _kept(case, "investigations", lambda: [i for i in case.items if i.kind is Kind.INVESTIGATION])
    tests = [i for i in every if not getattr(i.event, "absent", False)
             and i.start is not None and math.isfinite(i.start.best) and i.start.best >= start]
    abnormal = [i for i in tests if i.event.interpretation is Interpretation.ABNORMAL]
    if abnormal:
        return YES, "abnormal: " + ", ".join(i.label for i in abnormal), tuple(i.item_id for i in abnormal)
    if tests and all(i.event.interpretation is Interpretation.NORMAL for i in tests):
        return NO, "every investigation after the onset was normal", tuple(i.item_id for i in tests)
    return DONT_KNOW, "no abnormal investigation after the onset is recorded", ()


def _user_answers(case: ResolvedCase, drug: str, reaction: str) -> tuple[dict[str, str], str]:
    for entry in getattr(case.case, "naranjo", ()):
        if entry.drug == drug and entry.reaction == reaction:
            return dict(entry.answers), entry.note
    return {}, ""


# ---------------------------------------------------------------------------- WHO-UMC


def who_umc(time: str, alternatives: str, dechallenge: Challenge, rechallenge: Challenge
            ) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """The WHO-UMC category the timeline and the answers support, the criteria met and what is missing."""
    met: list[str] = []
    missing: list[str] = []
    if time == NO:
        return "unlikely", ("time relationship to drug intake improbable",), ()
    if time != YES:
        return "unassessable/unclassifiable", (), ("a time relationship that can be told from the sources",)
    met.append("plausible time relationship to drug intake")
    if alternatives == NO:
        met.append("unlikely to be attributed to disease or other drugs (item 5 answered No)")
    elif alternatives == YES:
        met.append("could also be explained by disease or other drugs (item 5 answered Yes)")
    else:
        missing.append("disease and other drugs judged unlikely causes (item 5 is not answered)")
    if dechallenge.outcome == POSITIVE:
        met.append("clinically reasonable response to withdrawal")
    else:
        missing.append(f"a clinically reasonable response to withdrawal (dechallenge {dechallenge.outcome})")
    if alternatives == NO and dechallenge.outcome == POSITIVE:
        if rechallenge.outcome == POSITIVE:
            met.append("positive rechallenge")
            return "certain", tuple(met), ("the event definitive pharmacologically or phenomenologically "
                                           "(the clinician's judgement)",)
        return "probable/likely", tuple(met), ("a positive rechallenge (for 'certain', if necessary)",)
    return "possible", tuple(met), tuple(missing)


# ---------------------------------------------------------------------------- reported


_NARANJO_TEXT = re.compile(r"naranjo\D{0,20}?(-?\d{1,2})", re.IGNORECASE)
_WHO_WORDS = ("certain", "probable", "likely", "possible", "unlikely", "conditional", "unclassified",
              "unassessable", "unclassifiable")


def _reported_text(entry: Causality) -> str:
    """'Naranjo 7 (by the authors)'; an assessment on no named scale also says its note, where the method
    is kept ('other scale Suspected (by primary source reporter); method: Global Introspection'), as the
    details panel does: without it a reader cannot tell how the value was reached."""
    text = entry.describe()
    return f"{text}; {entry.note}" if entry.scale is CausalityScale.OTHER and entry.note else text


def reported(case: ResolvedCase, drug: str, reaction: str) -> tuple[Reported, ...]:
    out = [Reported(str(c.scale), c.value, _reported_text(c)) for c in getattr(case.case, "causality", ())
           if c.drug == drug and c.reaction == reaction]
    text = case.case.suspect.causality
    if text and drug == case.case.suspect.drug and reaction == case.case.suspect.reaction_event:
        match = _NARANJO_TEXT.search(text)
        if match and not any(r.scale == "naranjo" for r in out):
            out.append(Reported("naranjo", match.group(1), text))
        elif not out:
            out.append(Reported("other", text, text))
    return tuple(out)


def differences(total: int, category: str, who: str, reports: Sequence[Reported], unanswered: Sequence[str]
                ) -> tuple[str, ...]:
    out = []
    why = (f"; {len(unanswered)} item(s) only a reader can answer are not answered ({', '.join(unanswered)}) "
           "and count 0") if unanswered else ""
    for report in reports:
        if report.scale == "naranjo":
            try:
                value = int(report.value)
            except ValueError:
                continue
            if value != total:
                out.append(f"reported Naranjo {value} ({naranjo_category(value)}), computed {total} ({category}): "
                           f"differs by {value - total:+d}{why}")
        elif report.scale == "who-umc" and report.value.strip().lower() not in who:
            out.append(f"reported WHO-UMC '{report.value}', computed '{who}'")
    return tuple(out)


# ---------------------------------------------------------------------------- assess


def assess_pair(case: ResolvedCase, drug: str, reaction: str) -> Assessment:
    """The causality aid of one drug - reaction pair of ``case``."""
    case = indexed(case)
    dose = landmarks.first_suspect_dose(case, drug)
    onset = landmarks.reaction_onset(case, reaction)
    latency = last = None
    if dose is not None and onset is not None and dose.start is not None and onset.start is not None:
        latency = duration_between(dose.start, onset.start, at_least_zero=onset.start.best >= dose.start.best)
        last_dose = landmarks.last_suspect_dose_before(case, onset.start.best, drug)
        if last_dose is not None and last_dose.start is not None:
            last = duration_between(last_dose.start, onset.start, at_least_zero=True)
    stop = landmarks.suspect_stop(case, drug)
    de, re_ = _dechallenge(case, drug, reaction, stop), _rechallenge(case, drug, reaction, stop)
    derived = {
        "reaction_after_drug": _q2(latency, dose, onset),
        "improved_on_stopping": _challenge_answer(de),
        "reappeared_on_readministration": _challenge_answer(re_),
        "dose_response": _q8(case, reaction),
        "confirmed_by_objective_evidence": _q10(case, onset),
    }
    user, note = _user_answers(case, drug, reaction)
    answers = []
    for item in NARANJO_ITEMS:
        given = user.get(item.key)
        timeline = derived.get(item.key)
        if given in (YES, NO, DONT_KNOW):
            differs = timeline[0] if timeline is not None and timeline[0] != given else ""
            answers.append(Answer(item, given, "answered by the user" + (
                f" (the timeline says {ANSWER_WORDS[differs]}: {timeline[1]})" if timeline and differs else ""),
                timeline[2] if timeline else (), True, differs))
        elif timeline is not None:
            answers.append(Answer(item, timeline[0], timeline[1], timeline[2]))
        else:
            answers.append(Answer(item, DONT_KNOW, "not answered (the timeline cannot tell)"))
    by_key = {a.item.key: a.answer for a in answers}
    who, met, missing = who_umc(by_key["reaction_after_drug"], by_key["alternative_causes"], de, re_)
    cited = {*de.evidence, *re_.evidence, *(e for a in answers for e in a.evidence)}
    by_id = _kept(case, "by_id", lambda: {i.item_id: i for i in case.items})
    labels = {i: _item_words(by_id[i]) for i in cited if i in by_id}
    total = sum(a.score for a in answers)
    unanswered = [a.item.key for a in answers if not a.item.derived and not a.by_user]
    reports = reported(case, drug, reaction)
    diffs = differences(total, naranjo_category(total), who, reports, unanswered)
    rescues = _kept(case, f"rescue responses {reaction}",
                    lambda: rescue_responses(case, onset.start if onset is not None else None))
    return Assessment(case.id, drug, _name(case, drug), reaction, _name(case, reaction), latency, last, de, re_,
                      tuple(answers), who, met, missing, reports, diffs, note, labels, rescues)


def _item_words(item: Item) -> str:
    when = item.stated or (f"day {item.start.best:g}" if item.start is not None and not item.placed else "")
    state = f" {item.state}" if item.state else ""
    return f"{item.label}{state}" + (f" ({when})" if when else "")


def assess(case: ResolvedCase, limit: int | None = None) -> list[Assessment]:
    """One assessment per suspected drug - reaction pair of the case (the first ``limit`` pairs)."""
    case = indexed(case)
    return [assess_pair(case, drug, reaction) for drug, reaction in pairs(case)[:limit]]
