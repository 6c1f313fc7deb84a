"""Reading ``conflicts:``: facts a paper states two (or more) ways, each value with its source; and a
citation's publication type.

caseline uses the value written in the fact's own field (``patient.age``, the event's ``start``), lists
every stated value in the details, marks the event's label and warns (caseline.model.dosing.Conflict).
"""

from __future__ import annotations

from dataclasses import replace

from caseline.io.case_fields import CONFLICT_KEYS, CONFLICT_VALUE_KEYS, PUBLICATION_TYPES
from caseline.io.located import LList, LMap
from caseline.io.value_reader import ValueReader
from caseline.model.case import Event, Patient
from caseline.model.dosing import Conflict, ConflictValue
from caseline.model.finalize import id_hint
from caseline.model.time_expressions import PREVIOUS

#: What a conflict may be about: the patient's and case's fields, and these fields of an event.
CASE_FACTS = ("patient.age", "patient.sex", "patient.ethnicity", "diagnosis")
EVENT_FACTS = ("start", "end", "at", "duration", "dose", "value")
_TIME_FACTS = ("start", "end", "at")


def _used(event: Event, fact: str) -> str:
    """The value an event's own field states (what caseline uses)."""
    if fact in _TIME_FACTS:
        expr = event.end if fact == "end" else event.start
        return (expr.stated or expr.text) if expr is not None else ""
    if fact == "duration":
        return event.duration.text if event.duration is not None else ""
    if fact == "dose":
        return event.dose_description()
    if event.value is None:
        return ""
    return f"{event.value_qualifier}{event.value:g}"


def read_conflicts(r: ValueReader, data: LMap, events: list[Event], patient: Patient,
                   diagnosis: str) -> tuple[list[Event], tuple[Conflict, ...]]:
    """The case's conflicts; the events, each with its own conflicts attached."""
    if "conflicts" not in data:
        return events, ()
    items = data["conflicts"]
    if not isinstance(items, LList) or not items:
        r.error(data.where("conflicts"), "'conflicts' must be a list of {about, values}",
                "- {about: patient.age, values: [{value: 38, source: Abstract}, {value: 39, source: Case report}]}")
        return events, ()
    by_id = {e.id: e for e in events}
    out: list[Conflict] = []
    for i, item in enumerate(items):
        entry = r.mapping(item, items.where(i), "a conflict")
        if entry is None:
            continue
        r.check_keys(entry, CONFLICT_KEYS, "a conflict")
        about = r.text(entry, "about", required=True, what="a conflict")
        used = _case_value(about, patient, diagnosis)
        if used is None and about:
            event_id, _, fact = about.rpartition(".")
            event = by_id.get(event_id)
            if event is None or fact not in EVENT_FACTS:
                r.error(entry.where("about"), f"a conflict about {about!r}, which is not a fact of this case",
                        (id_hint(event_id, by_id) + "; " if event is None and event_id else "")
                        + "write patient.age, patient.sex, patient.ethnicity, diagnosis, or EVENT_ID.start, .end, "
                          ".at, .duration, .dose or .value")
                continue
            used = _used(event, fact)
        values = _values(r, entry, about.rpartition(".")[2] in _TIME_FACTS, set(by_id))
        if used is None or not values:
            continue
        conflict = Conflict(about, used, tuple(values), r.text(entry, "note"), entry.pos)
        out.append(conflict)
        r.warn(entry.pos, f"{about} is stated in {len(values)} ways: {conflict.describe()}",
               f"caseline uses the value in the file's {about.rpartition('.')[2]!r}; check it against the source")
    events = [replace(e, conflicts=tuple(c for c in out if c.about.rpartition(".")[0] == e.id))
              if any(c.about.rpartition(".")[0] == e.id for c in out) else e for e in events]
    return events, tuple(out)


def _case_value(about: str, patient: Patient, diagnosis: str) -> str | None:
    if about not in CASE_FACTS:
        return None
    if about == "diagnosis":
        return diagnosis
    return str(getattr(patient, about.split(".", 1)[1]))


def _values(r: ValueReader, entry: LMap, times: bool, ids: set[str]) -> list[ConflictValue]:
    items = entry.get("values")
    if not isinstance(items, LList) or len(items) < 2:
        r.error(entry.where("values") if "values" in entry else entry.pos,
                "a conflict needs 'values': at least two values, each with its source",
                "values: [{value: 38, source: Abstract}, {value: 39, source: Case report}]")
        return []
    out: list[ConflictValue] = []
    for i, item in enumerate(items):
        value = r.mapping(item, items.where(i), "a conflicting value")
        if value is None:
            continue
        r.check_keys(value, CONFLICT_VALUE_KEYS, "a conflicting value")
        text = r.text(value, "value", required=True, what="a conflicting value")
        if times and text and "value" in value:
            expr = r.time_value(value["value"], value.where("value"))  # reports a time that cannot be read
            for ref in expr.refs() if expr is not None else ():
                event_id = ref.event_id.partition("/")[0]
                if event_id not in ids and event_id != PREVIOUS:
                    r.error(value.where("value"), f"{text!r} refers to an event {event_id!r} that does not exist",
                            id_hint(event_id, ids))
        out.append(ConflictValue(text, r.text(value, "source"), r.text(value, "note")))
    return out


def publication_type(r: ValueReader, citation: LMap) -> str:
    """A citation's 'type' (case-report, letter, ...), checked."""
    kind = r.text(citation, "type")
    if kind and kind not in PUBLICATION_TYPES:
        r.error(citation.where("type"), f"unknown publication type {kind!r}",
                "use one of " + ", ".join(PUBLICATION_TYPES))
    return kind
