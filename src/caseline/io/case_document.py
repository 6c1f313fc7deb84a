"""Build the case model from located YAML/JSON values (or CSV rows shaped like them), collecting every
problem with its FILE:LINE:COL. What each mapping may hold is in caseline.io.case_fields."""

from __future__ import annotations

import math
import re
from typing import Any, TypeVar

from caseline.io.case_fields import (
    CASE_KEYS,
    CASESET_KEYS,
    CITATION_KEYS,
    COURSE_KEYS,
    CYCLE_KEYS,
    EVENT_KEYS,
    PATIENT_KEYS,
    SCHEDULE_KEYS,
    SEVERITY_KEYS,
    SEVERITY_POINT_KEYS,
    SOURCE_KEYS,
    SUSPECT_KEYS,
    TOP_KEYS,
)
from caseline.io.clinical_fields import ClinicalFields, reexposure_label
from caseline.io.conflict_fields import publication_type, read_conflicts
from caseline.io.dose_fields import DoseReader, default_dose_label
from caseline.io.located import MAX_EVENTS, MAX_ITEMS, LList, LMap, too_many_events
from caseline.io.naranjo_reader import NaranjoReader
from caseline.model.case import (
    FORMAT_VERSION,
    MAX_ADMINISTRATIONS,
    AtList,
    Case,
    Citation,
    CoursePoint,
    Cycles,
    Event,
    Patient,
    Provenance,
    Repeat,
    Schedule,
    SeverityPoint,
    SeverityScale,
    Suspect,
)
from caseline.model.caseset import ALIGN_MODES, LAYOUTS, SORT_KEYS, CaseSet, CaseSetEntry
from caseline.model.diagnostics import Diagnostic, SourcePos
from caseline.model.finalize import finalize_events, id_hint
from caseline.model.kinds import (
    KIND_SPECS,
    Category,
    CourseState,
    DrugRole,
    FieldGroup,
    Interpretation,
    Kind,
    KindSpec,
    MilestoneType,
)
from caseline.model.numbers import written
from caseline.model.time_expressions import ID_RE

_EVENT_WHAT = {kind: f"a {kind.value} event" for kind in Kind}
_NO_SOURCE = Provenance()
_UNKNOWN = frozenset({"unknown", "not stated", "unstated", "?"})
_DAYS_RANGE = re.compile(r"^\s*(\d{1,9})\s*(?:-|–|to)\s*(\d{1,9})\s*$")
_ORDER = [k.value for k in Kind]

E = TypeVar("E")


class Builder(ClinicalFields, NaranjoReader):
    """Collects diagnostics while turning located values into model objects."""

    def document(self, root: Any) -> tuple[list[Case], CaseSet | None]:
        pos = SourcePos(self.path, 1, 1)
        top = self.mapping(root, getattr(root, "pos", pos), "the file")
        if top is None:
            return [], None
        self.check_keys(top, TOP_KEYS, "the file")
        self.version(top)
        cases: list[Case] = []
        caseset = None
        if "caseset" in top:
            caseset = self.caseset(top["caseset"], top.where("caseset"))
        if "case" in top and "cases" in top:
            self.error(top.key_pos["cases"], "the file has both 'case' and 'cases'", "use one 'cases:' list")
        if "case" in top:
            case = self.case(top["case"], top.where("case"))
            if case:
                cases.append(case)
        elif "cases" in top:
            items = top["cases"]
            if not isinstance(items, LList) or not items:
                self.error(top.where("cases"), "'cases' must be a non-empty list of cases")
            else:
                for i, item in enumerate(items):
                    case = self.case(item, items.where(i))
                    if case:
                        cases.append(case)
        elif caseset is None:
            self.error(top.pos, "the file has no 'case', 'cases' or 'caseset'", "add 'case:' with the case")
        seen: dict[str, SourcePos] = {}
        for case in cases:
            if case.id in seen:
                self.error(case.pos, f"duplicate case id {case.id!r} (first at line {seen[case.id].line})",
                           "give each case its own id")
            seen.setdefault(case.id, case.pos)
        return cases, caseset

    def version(self, top: LMap) -> None:
        if "caseline" not in top:
            self.error(top.pos, "missing format version", f"add 'caseline: {FORMAT_VERSION}' as the first line")
            return
        version = top["caseline"]
        if isinstance(version, bool) or not isinstance(version, int):
            self.error(top.where("caseline"), f"format version must be a whole number, got {version!r}",
                       f"write 'caseline: {FORMAT_VERSION}'")
        elif version > FORMAT_VERSION:
            self.error(top.where("caseline"),
                       f"format version {version} is newer than this caseline reads ({FORMAT_VERSION})",
                       "update caseline")
        elif version < 1:
            self.error(top.where("caseline"), f"format version {version} does not exist",
                       f"write 'caseline: {FORMAT_VERSION}'")

    def caseset(self, value: Any, pos: SourcePos) -> CaseSet | None:
        data = self.mapping(value, pos, "'caseset'")
        if data is None:
            return None
        self.check_keys(data, CASESET_KEYS, "the case set")
        entries: list[CaseSetEntry] = []
        files = data.get("files")
        if not isinstance(files, LList) or not files:
            self.error(data.where("files"), "a case set needs 'files': a list of case files",
                       "write files: [a.caseline.yaml, b.caseline.yaml]")
        else:
            for i, item in enumerate(files):
                if isinstance(item, str):
                    entries.append(CaseSetEntry(item))
                elif isinstance(item, LMap):
                    self.check_keys(item, {"path", "cases"}, "a case set file entry")
                    path = self.text(item, "path", required=True, what="a case set entry")
                    if path:
                        entries.append(CaseSetEntry(path, self.string_list(item, "cases")))
                else:
                    self.error(files.where(i), "each entry of 'files' is a path or {path, cases}")
        align = self.text(data, "align") or "anchor"
        if align not in ALIGN_MODES and not align.startswith("event:"):
            self.error(data.where("align"), f"unknown alignment {align!r}",
                       "use one of " + ", ".join(ALIGN_MODES) + ", or 'event:LABEL'")
        sort = self.text(data, "sort") or "none"
        if sort not in SORT_KEYS:
            self.error(data.where("sort"), f"unknown sort {sort!r}", "use one of " + ", ".join(SORT_KEYS))
        layout = self.text(data, "layout") or "lanes"
        if layout not in LAYOUTS:
            self.error(data.where("layout"), f"unknown layout {layout!r}", "use one of " + ", ".join(LAYOUTS))
            layout = "lanes"
        time_range = self.time_range(data)
        return CaseSet(
            title=self.text(data, "title"),
            entries=tuple(entries),
            pos=data.pos,
            align=align,
            sort=sort,
            hidden_lanes=self.string_list(data, "hidden_lanes"),
            shared_lanes_only=self.flag(data, "shared_lanes_only"),
            time_range=time_range,
            description=self.text(data, "description"),
            layout=layout,
        )

    # ------------------------------------------------------------------ cases
    def case(self, value: Any, pos: SourcePos) -> Case | None:
        data = self.mapping(value, pos, "a case")
        if data is None:
            return None
        self.check_keys(data, CASE_KEYS, "a case")
        case_id = self.text(data, "id", required=True, what="a case")
        if case_id and not ID_RE.match(case_id):
            self.error(data.where("id"), f"case id {case_id!r} has characters ids cannot have",
                       "use letters, digits, '-' and '_', starting with a letter")
        events = self.events(data)
        patient = Patient()
        if "patient" in data:
            p = self.mapping(data["patient"], data.where("patient"), "'patient'")
            if p is not None:
                self.check_keys(p, PATIENT_KEYS, "'patient'")
                patient = Patient(self.text(p, "age"), self.text(p, "sex"),
                                  self.string_list(p, "identifiers"), self.text(p, "note"), self.text(p, "ethnicity"))
        citation = Citation()
        if "citation" in data:
            c = self.mapping(data["citation"], data.where("citation"), "'citation'")
            if c is not None:
                self.check_keys(c, CITATION_KEYS, "'citation'")
                year = self.number(c, "year")
                if year is not None and not (year.is_integer() and 1000 <= year <= 9999):
                    self.error(c.where("year"), f"'year' must be a year such as 2014, not {c['year']!r}",
                               "write the publication year in four digits")
                    year = None
                citation = Citation(
                    self.string_list(c, "authors"), self.text(c, "title"), self.text(c, "journal"),
                    int(year) if year else None, self.text(c, "volume"), self.text(c, "pages"),
                    self.text(c, "doi"), self.text(c, "pmid"), self.text(c, "url"), self.text(c, "note"),
                    publication_type(self, c), self.text(c, "issue"), self.text(c, "epub_date"),
                    self.text(c, "article_number"), self.text(c, "pmcid"),
                )
        suspect = Suspect()
        if "suspect" in data:
            s = self.mapping(data["suspect"], data.where("suspect"), "'suspect'")
            if s is not None:
                self.check_keys(s, SUSPECT_KEYS, "'suspect'")
                suspect = Suspect(self.text(s, "drug"), self.text(s, "reaction"),
                                  self.text(s, "reaction_event"), self.text(s, "causality"))
                ids = {e.id for e in events}
                for key in ("drug", "reaction_event"):
                    ref = getattr(suspect, key)
                    if ref and ref not in ids:
                        self.error(s.where(key), f"suspect {key} {ref!r} is not an event of this case",
                                   id_hint(ref, ids))
        causality = self.causality(data, events)
        naranjo = self.naranjo(data, events)  # caseline.io.naranjo_reader
        events, problems = finalize_events(events, suspect)
        self.diagnostics.extend(problems)
        events, conflicts = read_conflicts(self, data, events, patient, self.text(data, "diagnosis"))
        return Case(
            id=case_id or "case",
            title=self.text(data, "title", required=True, what="a case"),
            pos=data.pos,
            events=tuple(events),
            patient=patient,
            diagnosis=self.text(data, "diagnosis"),
            citation=citation,
            suspect=suspect,
            anchor=self.time(data, "anchor"),
            anchor_date=self.time(data, "anchor_date"),
            anchor_label=self.text(data, "anchor_label"),
            summary=self.text(data, "summary"),
            lanes=self.string_list(data, "lanes"),
            time_range=self.time_range(data),
            causality=causality,
            conflicts=conflicts,
            naranjo=naranjo,
        )

    def time_range(self, data: LMap) -> tuple[float, float] | None:
        """``range: [first_day, last_day]`` of a case or a case set (None when not given or wrong)."""
        if "range" not in data:
            return None
        rng = data["range"]
        if (isinstance(rng, LList) and len(rng) == 2
                and all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in rng)
                and rng[0] < rng[1]):
            return (float(rng[0]), float(rng[1]))
        self.error(data.where("range"), "'range' must be [first_day, last_day] with first < last")
        return None

    def too_many(self, n: int, where: SourcePos, what: str, things: str) -> bool:
        """Report (and return True) when one list asks for more than MAX_ADMINISTRATIONS items, or the
        file's schedules, courses and severity values together for more than MAX_ITEMS."""
        if n > MAX_ADMINISTRATIONS:
            self.error(where, f"{what} {n:,} {things}, more than the {MAX_ADMINISTRATIONS:,} one event may have",
                       "check the number; split a long record into several events")
            return True
        self.n_items += n
        if self.n_items > MAX_ITEMS:
            self.error(where, f"the file's schedules, courses and severity values come to more than {MAX_ITEMS:,} "
                              "points", "split the cases into several files")
            return True
        return False

    def events(self, data: LMap) -> list[Event]:
        items = data.get("events")
        if items is None:
            self.error(data.pos, "the case has no 'events'", "add 'events:' with at least one event")
            return []
        if not isinstance(items, LList):
            self.error(data.where("events"), "'events' must be a list", "start each event with '- id: ...'")
            return []
        self.n_events += len(items)
        if self.n_events > MAX_EVENTS:
            self.diagnostics.append(too_many_events(data.where("events"), self.n_events))
            return []
        events: list[Event] = []
        seen: dict[str, SourcePos] = {}
        for i, item in enumerate(items):
            event = self.event(item, items.where(i))
            if event is None:
                continue
            if event.id in seen:
                self.error(event.pos, f"duplicate event id {event.id!r} (first at line {seen[event.id].line})",
                           "give each event its own id")
                continue
            seen[event.id] = event.pos
            events.append(event)
        return events

    def event(self, value: Any, pos: SourcePos) -> Event | None:
        data = self.mapping(value, pos, "an event")
        if data is None:
            return None
        event_id = self.text(data, "id", required=True, what="an event")
        if event_id and not ID_RE.match(event_id):
            self.error(data.where("id"), f"event id {event_id!r} has characters ids cannot have",
                       "use letters, digits, '-' and '_', starting with a letter")
            return None
        kind = self.enum(data, "kind", Kind, "event kind")
        if kind is None:
            if "kind" not in data:
                self.error(data.pos, f"event {event_id!r} needs a 'kind'", "one of: " + ", ".join(_ORDER))
            return None
        spec = KIND_SPECS[kind]
        self.check_keys(data, EVENT_KEYS[kind], _EVENT_WHAT[kind])
        where = data.pos
        fields: dict[str, Any] = {}
        if spec.point:
            if "at" not in data:
                self.error(where, f"{kind.value} event {event_id!r} needs 'at'",
                           "write 'at: unknown' if the source gives no time")
            fields["start"] = self.time(data, "at")
        else:
            fields["start"] = self.time(data, "start")
            fields["end"] = self.time(data, "end")
            fields["duration"] = self.duration(data, "duration")
            fields["ongoing"] = self.flag(data, "ongoing")
            if fields["start"] and fields["end"] and fields["duration"]:
                self.error(data.where("duration"), "give two of 'start', 'end' and 'duration', not all three",
                           "remove 'duration' or 'end'")
            if spec.has(FieldGroup.DRUG):
                if not {"start", "schedule", "end", "phases"} & set(data):
                    self.error(where, f"{kind.value} event {event_id!r} needs 'start' or 'schedule'",
                               "write 'start: unknown' if the source does not say")
            elif "start" not in data and ("end" not in data or spec.has(FieldGroup.COURSE)):  # a procedure: end
                self.error(where, f"{kind.value} {event_id!r} needs 'start'"
                                  + (" (its onset)" if spec.has(FieldGroup.COURSE) else ""),
                           "write 'start: unknown' if the source does not say")
        for group in spec.groups:
            fields.update(self.group_fields(group, data, kind))
        label = self.text(data, "label") or default_dose_label(_default_label(spec, fields), fields)
        if not label:
            self.error(where, f"event {event_id!r} needs a 'label'", "add 'label: ...', the text the timeline shows")
            label = event_id
        lane = self.text(data, "lane") or (fields.get("drug") or "").capitalize() or label
        category = self.enum(data, "category", Category, "category") or _default_category(spec, fields)
        source = _NO_SOURCE
        if "source" in data:
            src = self.mapping(data["source"], data.where("source"), "'source'")
            if src is not None:
                self.check_keys(src, SOURCE_KEYS, "'source'")
                source = Provenance(*(self.text(src, k) for k in ("section", "paragraph", "figure", "page", "note")))
        return Event(
            id=event_id or "event", kind=kind, label=label, lane=lane, category=category, pos=where,
            source=source, note=self.text(data, "note"), identifying=self.string_list(data, "identifying"),
            links=self.links(data), **fields,
        )

    def group_fields(self, group: FieldGroup, data: LMap, kind: Kind) -> dict[str, Any]:
        """The model fields of one field group of the kind table (caseline.model.kinds.GROUP_KEYS)."""
        clinical = self.clinical_fields(group, data, kind)
        if clinical is not None:
            return clinical
        if group is FieldGroup.DRUG:
            return self.drug_fields(data)
        if group is FieldGroup.ROLE:
            return {"role": self.enum(data, "role", DrugRole, "drug role")}
        if group is FieldGroup.TARGET:
            return {"target": self.text(data, "target", required=True, what=f"a {kind.value} event")}
        if group is FieldGroup.DOSE:
            return {"dose": self.number(data, "dose"), "unit": self.text(data, "unit"),
                    "route": self.text(data, "route")}
        if group is FieldGroup.COURSE:
            return {"course": self.course(data)}
        if group is FieldGroup.SEVERITY:
            return {"severity": self.severity(data)}
        if group is FieldGroup.RESULT:
            low, high = self.reference(data)
            value, qualifier = DoseReader(self, self.schedule).result_value(data)
            return {"test": self.text(data, "test"), "result": self.text(data, "result"),
                    "interpretation": self.enum(data, "interpretation", Interpretation, "interpretation"),
                    "value": value, "value_qualifier": qualifier, "value_unit": self.text(data, "value_unit"),
                    "reference_low": low, "reference_high": high}
        if group is FieldGroup.MILESTONE:
            return {"milestone": self.enum(data, "type", MilestoneType, "milestone type") or MilestoneType.OTHER}
        raise AssertionError(f"no reader for field group {group}")  # tests/model/test_kinds.py keeps this complete

    def drug_fields(self, data: LMap) -> dict[str, Any]:
        doses = DoseReader(self, self.schedule)  # a dose, a range or text; brand, cumulative dose, regimen, phases
        phases = doses.phases(data, self.text(data, "id"))
        return {
            "drug": self.text(data, "drug"),
            **doses.dose_fields(data),
            "route": self.text(data, "route"),
            "frequency": self.text(data, "frequency"),
            "schedule": phases if phases is not None or "phases" in data else self.schedule(data),
        }

    def schedule(self, data: LMap) -> Schedule | None:
        if "schedule" not in data:
            return None
        s = self.mapping(data["schedule"], data.where("schedule"), "'schedule'")
        if s is None:
            return None
        self.check_keys(s, SCHEDULE_KEYS, "'schedule'")
        forms = [k for k in ("at", "every", "cycles") if k in s]
        if len(forms) != 1:
            self.error(s.pos, "a schedule has exactly one of 'at', 'every' or 'cycles'",
                       "at: [week 0, week 2] | every: 8 weeks | cycles: {count: 4, length: 21 days}")
            return None
        if forms[0] == "at":
            times = s["at"]
            if not isinstance(times, LList) or not times:
                self.error(s.where("at"), "'at' must be a non-empty list of times",
                           "write at: [week 0, week 2, week 6]")
                return None
            if self.too_many(len(times), s.where("at"), "'at' lists", "administrations"):
                return None
            parsed = [self.time_value(t, times.where(i)) for i, t in enumerate(times)]
            return AtList(tuple(t for t in parsed if t is not None)) if all(parsed) else None
        if forms[0] == "every":
            spacing_unknown = _is_unknown(s["every"])
            every = None if spacing_unknown else self.duration(s, "every")
            count = self.count(s, "count")
            until = self.time(s, "until")
            if "count" not in s and "until" not in s:
                self.error(s.where("every"), "a repeat needs 'count' or 'until'",
                           "write count: 13, or until: a time (or count: unknown)")
            if every is not None and every.best <= 0:
                self.error(s.where("every"), "'every' must be longer than zero")
                return None
            if every is None and not spacing_unknown:
                return None
            if count is not None and self.too_many(count, s.where("count"), "'count' asks for", "administrations"):
                return None
            return Repeat(every, self.time(s, "start"), count, until)
        c = self.mapping(s["cycles"], s.where("cycles"), "'cycles'")
        if c is None:
            return None
        self.check_keys(c, CYCLE_KEYS, "'cycles'")
        length = None if _is_unknown(c.get("length")) else self.duration(c, "length")
        if length is not None and length.best <= 0:
            self.error(c.where("length"), "cycle 'length' must be longer than zero")
        days = self.cycle_days(c)
        if length is not None and length.best > 0 and days and days[-1] > length.best + 1e-9:
            self.error(c.where("days"), f"dose day {days[-1]} falls outside a {length.text} cycle",
                       "days count from 1 within each cycle")
        count = self.count(c, "count")
        if "count" not in c:
            self.error(c.pos, "cycles need a 'count'", "write count: 4 (how many cycles), or count: unknown")
        elif count is not None and count * len(days) > MAX_ADMINISTRATIONS:
            self.error(c.where("count"), f"{count} cycles of {len(days)} administrations are more than "
                                         f"{MAX_ADMINISTRATIONS:,}",
                       f"a schedule may have at most {MAX_ADMINISTRATIONS:,} administrations")
        if count is not None and count * len(days) <= MAX_ADMINISTRATIONS and self.too_many(
                count * len(days), c.where("count"), "the cycles ask for", "administrations"):
            return None
        return Cycles(count, length, days, self.time(c, "start"))

    def cycle_days(self, c: LMap) -> tuple[int, ...]:
        raw = c.get("days", 1)
        if isinstance(raw, int) and not isinstance(raw, bool):
            values = [raw]
        elif isinstance(raw, str) and _DAYS_RANGE.match(raw):
            m = _DAYS_RANGE.match(raw)
            assert m is not None
            a, b = int(m.group(1)), int(m.group(2))
            if b - a + 1 > MAX_ADMINISTRATIONS:
                self.error(c.where("days"), f"'days' {raw} has {b - a + 1:,} days, more than "
                                            f"{MAX_ADMINISTRATIONS:,}",
                           f"a schedule may have at most {MAX_ADMINISTRATIONS:,} administrations")
                return (1,)
            values = list(range(a, b + 1))
        elif isinstance(raw, LList) and all(isinstance(v, int) and not isinstance(v, bool) for v in raw):
            values = list(raw)
            if len(values) > MAX_ADMINISTRATIONS:
                self.error(c.where("days"), f"'days' lists more than {MAX_ADMINISTRATIONS:,} days")
                return (1,)
        else:
            self.error(c.where("days"), "'days' must be a day number, a list [1, 4, 8, 11] or a range '1-5'")
            return (1,)
        if not values or min(values) < 1 or values != sorted(set(values)):
            self.error(c.where("days"), "cycle days count from 1, in increasing order, without repeats")
            return (1,)
        return tuple(values)

    def course(self, data: LMap) -> tuple[CoursePoint, ...]:
        items = data.get("course")
        if items is None:
            return ()
        if not isinstance(items, LList):
            self.error(data.where("course"), "'course' must be a list", "- {at: ..., state: improvement}")
            return ()
        if self.too_many(len(items), data.where("course"), "'course' lists", "points"):
            return ()
        out: list[CoursePoint] = []
        for i, item in enumerate(items):
            point = self.mapping(item, items.where(i), "a course point")
            if point is None:
                continue
            self.check_keys(point, COURSE_KEYS, "a course point")
            at = self.time(point, "at")
            state = self.enum(point, "state", CourseState, "course state")
            if "at" not in point or "state" not in point:
                self.error(point.pos, "a course point needs 'at' and 'state'")
            if at is not None and state is not None:
                out.append(CoursePoint(at, state, self.text(point, "note")))
        return tuple(out)

    def severity(self, data: LMap) -> SeverityScale | None:
        if "severity" not in data:
            return None
        s = self.mapping(data["severity"], data.where("severity"), "'severity'")
        if s is None:
            return None
        self.check_keys(s, SEVERITY_KEYS, "'severity'")
        scale = self.text(s, "scale", required=True, what="'severity'")
        low, high = self.number(s, "min"), self.number(s, "max")
        if low is None or high is None or low >= high:
            self.error(s.pos, "'severity' needs numbers 'min' < 'max' for its scale", "e.g. min: 0, max: 5 for MRC")
            return None
        points: list[SeverityPoint] = []
        values = s.get("values")
        if not isinstance(values, LList) or not values:
            self.error(s.where("values"), "'severity' needs 'values': a list of {at, value}")
            return None
        if self.too_many(len(values), s.where("values"), "'values' lists", "values"):
            return None
        for i, item in enumerate(values):
            point = self.mapping(item, values.where(i), "a severity value")
            if point is None:
                continue
            self.check_keys(point, SEVERITY_POINT_KEYS, "a severity value")
            if "at" not in point:
                self.error(point.pos, "a severity value needs 'at'", "write {at: TIME, value: N}")
                continue
            at = self.time(point, "at")
            value = self.number(point, "value")
            if value is None:
                self.error(point.pos, "a severity value needs a numeric 'value'")
                continue
            if not low <= value <= high:
                self.error(point.where("value"), f"severity {value:g} is outside the scale {low:g}-{high:g}")
                continue
            if at is not None:
                points.append(SeverityPoint(at, value, self.text(point, "text")))
        higher_is_worse = self.flag(s, "higher_is_worse", default=True)
        return SeverityScale(scale, low, high, tuple(points), higher_is_worse)

    def reference(self, data: LMap) -> tuple[float | None, float | None]:
        if "reference" not in data:
            return None, None
        ref = data["reference"]
        if isinstance(ref, str) and _DAYS_RANGE.match(ref.replace(".", "0")):
            parts = re.split(r"\s*(?:-|–|to)\s*", ref.strip())
            try:
                return written(parts[0]), written(parts[1])
            except (ValueError, IndexError):
                pass
        if isinstance(ref, LMap):
            self.check_keys(ref, {"low", "high"}, "'reference'")
            return self.number(ref, "low"), self.number(ref, "high")
        self.error(data.where("reference"), "'reference' must be {low: 0, high: 5} or '0-5'")
        return None, None


def _default_label(spec: KindSpec, fields: dict[str, Any]) -> str:
    """The label an event gets when the file gives none: from the kind's label field, else its default."""
    if fields.get("exposure") is not None:
        return reexposure_label(fields["exposure"], fields.get("drug", ""))
    type_field = "procedure" if spec.kind is Kind.PROCEDURE else "milestone"
    value = fields.get({"type": type_field}.get(spec.label_field, spec.label_field)) if spec.label_field else None
    if value:
        text = str(getattr(value, "value", value))
        return text.replace("-", " ").replace("_", " ").capitalize() if spec.label_field == "type" else (
            text.capitalize() if spec.label_field == "drug" else text)
    return spec.default_label


def _is_unknown(value: Any) -> bool:
    return isinstance(value, str) and value.strip().lower() in _UNKNOWN


def _default_category(spec: KindSpec, fields: dict[str, Any]) -> Category:
    if fields.get("role") is DrugRole.SUSPECTED:
        return Category.SUSPECT
    return spec.default_category


def build_document(path: str, root: Any) -> tuple[list[Case], CaseSet | None, list[Diagnostic]]:
    builder = Builder(path)
    cases, caseset = builder.document(root)
    return cases, caseset, builder.diagnostics


__all__ = ["Builder", "build_document"]
