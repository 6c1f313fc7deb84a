"""Reading doses as numbers: a dose, a range or text; the brand; a stated cumulative dose; the
phases of a course and the drugs of a regimen (caseline.model.dosing); a result given as a limit.
For the case-document builder (caseline.io.case_document.Builder)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from caseline.io.case_fields import CUMULATIVE_KEYS, PHASE_KEYS, REGIMEN_DRUG_KEYS
from caseline.io.located import LList, LMap
from caseline.io.value_reader import ValueReader
from caseline.model.case import AtList, Cycles, Repeat, Schedule
from caseline.model.diagnostics import SourcePos
from caseline.model.dosing import DOSE_RANGE_RE, DOSE_UNIT_RE, CumulativeDose, Dose, Phase, Phased, RegimenDrug
from caseline.model.numbers import written
from caseline.model.time_expressions import ID_RE


class DoseReader:
    """Readers of the dose fields of drug and therapy events, reporting through ``reader``; ``schedule``
    reads a schedule mapping (the builder's)."""

    def __init__(self, reader: ValueReader, schedule: Callable[[LMap], Schedule | None]) -> None:
        self.r = reader
        self.schedule = schedule

    def dose_of(self, data: LMap, unit_key: str = "unit") -> Dose:
        """``dose`` (a number, ``'10-20'``, ``'5 mg/kg'`` or text) with ``unit`` (a unit written in the dose
        itself is used when ``unit`` is not given)."""
        raw = data.get("dose")
        unit = self.r.text(data, unit_key)
        if raw is None:
            return Dose(unit=unit)
        if isinstance(raw, str):
            text = raw.strip()
            if len(text) > 1000:
                self.r.text(data, "dose")  # reports the length
                return Dose(unit=unit)
            try:
                value = written(text)  # '0.50' stays 0.50
            except ValueError:
                value = math.nan
            if math.isfinite(value):
                return Dose(value, text=text, unit=unit)
            m = DOSE_RANGE_RE.match(text)
            if m and math.isfinite(float(m.group(1))) and math.isfinite(float(m.group(2))):
                low, high = written(m.group(1)), written(m.group(2))
                if low > high:
                    self.r.error(data.where("dose"), f"the dose range {text!r} runs backwards",
                               f"write the lower dose first: {m.group(2)}-{m.group(1)}")
                    low, high = high, low
                return Dose(None, low, high, text, unit or (m.group("unit") or "").strip())
            m = DOSE_UNIT_RE.match(text)
            if m and not unit and math.isfinite(float(m.group(1))):
                return Dose(written(m.group(1)), text=text, unit=m.group("unit").strip())
            return Dose(text=text, unit=unit)
        value_f = self.r.number(data, "dose")
        return Dose(value_f, unit=unit)

    def dose_fields(self, data: LMap) -> dict[str, Any]:
        """The model fields of a drug's or therapy's dose, brand, cumulative dose and regimen."""
        dose = self.dose_of(data)
        fields: dict[str, Any] = {
            "dose": dose.value, "dose_text": dose.text, "dose_min": dose.low, "dose_max": dose.high,
            "unit": dose.unit, "brand": self.r.text(data, "brand"), "regimen": self.r.text(data, "regimen"),
            "cumulative": self.cumulative(data, dose.unit), "components": self.regimen_drugs(data),
            "expand": self.r.flag(data, "expand"),
        }
        if fields["expand"] and not fields["components"]:
            self.r.error(data.where("expand"), "'expand' draws the drugs of a regimen: this event lists none",
                         "list them in 'drugs', or remove 'expand'")
        if fields["components"] and not fields["regimen"]:
            self.r.error(data.where("drugs"), "'drugs' lists the drugs of a regimen: give the regimen a name",
                       "add 'regimen: R-CHOP' (the name the paper uses)")
        return fields

    def cumulative(self, data: LMap, dose_unit: str) -> CumulativeDose | None:
        """``cumulative_dose``: a number (in the dose's unit), '1.2 g', or {value, unit, stated}."""
        if "cumulative_dose" not in data:
            return None
        raw, where = data["cumulative_dose"], data.where("cumulative_dose")
        if isinstance(raw, LMap):
            self.r.check_keys(raw, CUMULATIVE_KEYS, "'cumulative_dose'")
            value = self.r.number(raw, "value")
            if value is None:
                self.r.error(raw.pos, "'cumulative_dose' needs a numeric 'value'", "write {value: 1200, unit: mg}")
                return None
            return CumulativeDose(value, self.r.text(raw, "unit") or dose_unit, self.r.text(raw, "stated"), where)
        if isinstance(raw, str):
            m = DOSE_UNIT_RE.match(raw)
            if m and math.isfinite(float(m.group(1))):
                return CumulativeDose(written(m.group(1)), m.group("unit").strip(), "", where)
        value = self.r.number(data, "cumulative_dose")
        if value is None:
            return None
        if not dose_unit:
            self.r.error(where, "'cumulative_dose' needs a unit", "write '1200 mg', or give the drug a 'unit'")
        return CumulativeDose(value, dose_unit, "", where)

    def regimen_drugs(self, data: LMap) -> tuple[RegimenDrug, ...]:
        if "drugs" not in data:
            return ()
        items = data["drugs"]
        if not isinstance(items, LList) or not items:
            self.r.error(data.where("drugs"), "'drugs' must be a list of {drug, dose, unit, route}",
                       "- {drug: rituximab, dose: 375, unit: mg/m2}")
            return ()
        out: list[RegimenDrug] = []
        for i, item in enumerate(items):
            entry = self.r.mapping(item, items.where(i), "a drug of a regimen")
            if entry is None:
                continue
            self.r.check_keys(entry, REGIMEN_DRUG_KEYS, "a drug of a regimen")
            name = self.r.text(entry, "drug", required=True, what="a drug of a regimen")
            if name:
                out.append(RegimenDrug(name, self.dose_of(entry), self.r.text(entry, "route"),
                                       self.r.text(entry, "brand"), self.r.text(entry, "note")))
        return tuple(out)

    def phases(self, data: LMap, event_id: str) -> Phased | None:
        """``phases``: the course's phases, each with its own dose and schedule."""
        if "phases" not in data:
            return None
        items = data["phases"]
        if "schedule" in data:
            self.r.error(data.where("phases"), "a course has either 'schedule' or 'phases', not both",
                       "move the schedule into its phase")
            return None
        if not isinstance(items, LList) or not items:
            self.r.error(data.where("phases"), "'phases' must be a list of phases",
                       "- {name: induction, dose: 5, unit: mg/kg, schedule: {at: [week 0, week 2, week 6]}}")
            return None
        out: list[Phase] = []
        seen: set[str] = set()
        unit = _unit_of(data)  # a phase without a unit of its own takes the course's
        for i, item in enumerate(items):
            phase = self.phase(item, items.where(i), i, event_id, unit)
            if phase is None:
                continue
            if phase.name in seen:
                self.r.error(phase.pos, f"two phases of {event_id!r} are called {phase.name!r}",
                           "give each phase its own name")
                continue
            seen.add(phase.name)
            out.append(phase)
        return Phased(tuple(out)) if len(out) == len(items) else None

    def phase(self, value: Any, pos: SourcePos, index: int, event_id: str, unit: str) -> Phase | None:
        entry = self.r.mapping(value, pos, "a phase")
        if entry is None:
            return None
        self.r.check_keys(entry, PHASE_KEYS, "a phase")
        name = self.r.text(entry, "name", required=True, what="a phase")
        if name and not ID_RE.match(name):
            self.r.error(entry.where("name"), f"phase name {name!r} has characters names cannot have",
                       "use letters, digits, '-' and '_', starting with a letter (it is written ID/NAME)")
            return None
        schedule = self.schedule(entry)
        if isinstance(schedule, Repeat) and (schedule.count is None):
            self.r.error(entry.where("schedule"), f"a repeat in a phase of {event_id!r} needs a stated 'count'",
                       "phases number their administrations one after the other: say how many each phase has")
            return None
        if isinstance(schedule, Cycles) and schedule.count is None:
            self.r.error(entry.where("schedule"), f"cycles in a phase of {event_id!r} need a stated 'count'",
                       "phases number their administrations one after the other: say how many each phase has")
            return None
        start = self.r.time(entry, "start")
        if index and start is None and schedule is None:
            self.r.error(entry.pos, f"phase {name!r} of {event_id!r} needs a 'start' or a 'schedule'",
                       "write start: TIME (a change of dose), or a schedule of its administrations")
        if not name:
            return None
        dose = self.dose_of(entry)
        return Phase(
            name=name, label=self.r.text(entry, "label") or name, pos=entry.pos, start=start,
            dose=dose if dose.unit else replace(dose, unit=unit),
            route=self.r.text(entry, "route"), frequency=self.r.text(entry, "frequency"),
            schedule=schedule if isinstance(schedule, AtList | Repeat | Cycles) else None,
            note=self.r.text(entry, "note"),
        )

    def result_value(self, data: LMap) -> tuple[float | None, str]:
        """An investigation's ``value``: a number, or a limit as the report gives it ('> 20', '< 0.5',
        '>= 3'): (the number, the qualifier '>', '<', '≥' or '≤'; empty for a plain number)."""
        raw = data.get("value")
        if isinstance(raw, str):
            m = VALUE_LIMIT_RE.match(raw)
            if m and math.isfinite(float(m.group("n"))):
                return written(m.group("n")), QUALIFIERS[m.group("q")]
        return self.r.number(data, "value"), ""


#: '> 20', '<0.5', '≥ 3', '>= 3', '<= 1.2': a result reported as a limit.
VALUE_LIMIT_RE = re.compile(r"^\s*(?P<q>>=|<=|≥|≤|>|<)\s*(?P<n>\d+(?:\.\d+)?|\.\d+)\s*$")
QUALIFIERS = {">": ">", "<": "<", ">=": "≥", "<=": "≤", "≥": "≥", "≤": "≤"}


def default_dose_label(label: str, fields: dict[str, Any]) -> str:
    """A drug's default label with its brand beside the name ('Infliximab (Remicade)'); a regimen's, its name."""
    if fields.get("regimen") and not fields.get("drug"):
        return str(fields["regimen"])
    if fields.get("brand") and label:
        return f"{label} ({fields['brand']})"
    return label


def _unit_of(data: LMap) -> str:
    """The course's unit, without reporting (dose_of reports): 'unit', else a unit written in the dose."""
    unit = data.get("unit")
    if isinstance(unit, str) and unit.strip():
        return unit.strip()
    dose = data.get("dose")
    m = (DOSE_RANGE_RE.match(dose) or DOSE_UNIT_RE.match(dose)) if isinstance(dose, str) else None
    return (m.group("unit") or "").strip() if m else ""
