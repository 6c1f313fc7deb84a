"""Doses as numbers: ranges, units as clinicians write them, cumulative doses, phases and regimens.

A drug course may be given in **phases** (induction, then maintenance at another dose and
schedule): :class:`Phased` is then the course's schedule, its administrations numbered once
across all phases (``ifx#5`` is the fifth dose overall) and each phase addressable as
``ifx/maintenance`` (its start), ``ifx/maintenance.end`` (its last administration) and
``ifx/maintenance#2`` (its second). A **regimen** gives several drugs together under one name and
schedule (:class:`RegimenDrug`). Pure Python.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from caseline.model.diagnostics import SourcePos
from caseline.model.numbers import Written

if TYPE_CHECKING:
    from caseline.model.case import AtList, Cycles, Repeat
    from caseline.model.time_expressions import TimeExpr

#: '10-20', '10 - 20', '10 to 20', '10–20': a dose range.
DOSE_RANGE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:-|–|to)\s*(\d+(?:\.\d+)?)\s*(?P<unit>[^\d\s].*)?$")
#: '5 mg/kg', '2 x10^6 cells/kg', '375 mg/m2': a number followed by its unit.
DOSE_UNIT_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?P<unit>[^\d\s.\-–].*)$")
#: Units that are a rate (per day, per week, per hour), not an amount per administration: a
#: cumulative dose cannot be computed as dose x administrations for them.
RATE_UNIT_RE = re.compile(r"/\s*(?:day|d|24\s*h|week|wk|w|h|hr|hour|month|mo)\b|\b(?:daily|weekly)\b", re.I)
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
#: A stated cumulative dose this far (relative) from the computed one is reported.
CUMULATIVE_TOLERANCE = 0.01


def display_unit(unit: str) -> str:
    """A unit as it is printed: 'mg/m2' -> 'mg/m²', 'x10^6 cells/kg' -> '×10⁶ cells/kg', 'mcg' -> 'µg'."""
    text = unit.strip()
    text = re.sub(r"(?i)^(?:x|\*)\s*10\s*\^\s*(-?\d+)", lambda m: "×10" + m.group(1).translate(_SUPERSCRIPT), text)
    text = re.sub(r"(?i)\bx\s*10\s*\^\s*(-?\d+)", lambda m: "×10" + m.group(1).translate(_SUPERSCRIPT), text)
    text = re.sub(r"\bm2\b", "m²", text)
    text = re.sub(r"^mcg\b", "µg", text)
    return text


def same_unit(a: str, b: str) -> bool:
    return display_unit(a).replace(" ", "").lower() == display_unit(b).replace(" ", "").lower()


def format_amount(value: float) -> str:
    """A dose as it reads: 1200, 1.3, 0.25 (never '1200.0'); as the source wrote it where it did ('0.50')."""
    if isinstance(value, Written):
        return value.text
    return f"{value:,.6g}".replace(",", " ") if abs(value) >= 10_000 else f"{value:g}"


@dataclass(frozen=True, slots=True)
class Dose:
    """One dose: a number, a range (``low``-``high``) or text, and its unit."""

    value: float | None = None
    low: float | None = None
    high: float | None = None
    text: str = ""
    unit: str = ""

    @property
    def is_range(self) -> bool:
        return self.low is not None and self.high is not None

    def describe(self) -> str:
        """'5 mg/kg', '10-20 mg', '0.5 g then tapered'; empty when nothing is known."""
        if self.is_range:
            assert self.low is not None and self.high is not None
            amount = f"{format_amount(self.low)}-{format_amount(self.high)}"
        elif self.value is not None:
            amount = format_amount(self.value)
        else:
            amount = self.text
        return " ".join(p for p in (amount, display_unit(self.unit)) if p)


@dataclass(frozen=True, slots=True)
class CumulativeDose:
    """A cumulative (total) dose as the source states it."""

    value: float
    unit: str
    stated: str = ""  # the source's words ("a total of 1.2 g")
    pos: SourcePos | None = None

    def describe(self) -> str:
        return " ".join(p for p in (format_amount(self.value), display_unit(self.unit)) if p)


@dataclass(frozen=True, slots=True)
class Phase:
    """One phase of a drug course: its own dose, unit, route, frequency and schedule.

    ``start`` None: the first phase starts with the course, a later one at its first
    administration (after the previous phase's last one). ``schedule`` None: a dose change only
    (the drug given continuously at a new dose from ``start``).
    """

    name: str
    label: str
    pos: SourcePos
    start: TimeExpr | None = None
    dose: Dose = Dose()
    route: str = ""
    frequency: str = ""
    schedule: AtList | Repeat | Cycles | None = None
    note: str = ""

    def describe(self) -> str:
        """'5 mg/kg IV, every 8 weeks'."""
        parts = [self.dose.describe(), self.route, self.frequency]
        return ", ".join(p for p in parts if p)


@dataclass(frozen=True, slots=True)
class Phased:
    """A course given in phases; administrations are numbered across them."""

    phases: tuple[Phase, ...]

    def phase(self, name: str) -> Phase | None:
        for phase in self.phases:
            if phase.name == name:
                return phase
        return None


@dataclass(frozen=True, slots=True)
class RegimenDrug:
    """One drug of a regimen, with its own dose."""

    drug: str
    dose: Dose = Dose()
    route: str = ""
    brand: str = ""
    note: str = ""

    def describe(self) -> str:
        name = f"{self.drug} ({self.brand})" if self.brand else self.drug
        return " ".join(p for p in (name, ", ".join(q for q in (self.dose.describe(), self.route) if q)) if p)


def is_rate(unit: str) -> bool:
    """A unit per day/week/hour: the dose is a rate, not an amount per administration."""
    return bool(RATE_UNIT_RE.search(unit))


def total(doses: list[tuple[Dose, int]]) -> tuple[float, float, str] | None:
    """(low, high, unit) of ``sum(dose x count)``; None when a dose is not a number, a rate, or the
    units differ."""
    low = high = 0.0
    unit = ""
    for dose, count in doses:
        if count <= 0:
            continue
        if dose.is_range:
            assert dose.low is not None and dose.high is not None
            a, b = dose.low, dose.high
        elif dose.value is not None:
            a = b = dose.value
        else:
            return None
        if not dose.unit or is_rate(dose.unit) or (unit and not same_unit(unit, dose.unit)):
            return None
        unit = unit or dose.unit
        low += a * count
        high += b * count
    if not unit or not (math.isfinite(low) and math.isfinite(high)):
        return None
    return low, high, unit


@dataclass(frozen=True, slots=True)
class ConflictValue:
    """One of the values the source states for a fact, and where it states it."""

    value: str
    source: str = ""  # where in the source ('Abstract', 'Case report, paragraph 2', 'Table 1')
    note: str = ""


@dataclass(frozen=True, slots=True)
class Conflict:
    """A fact the source states two (or more) ways: ``about`` names it ('patient.age', 'rash.start').

    caseline uses the value written in the fact's own field (the documented choice); ``values`` keeps
    every statement with its source, and validation warns.
    """

    about: str
    used: str  # the value in the fact's own field, the one caseline uses
    values: tuple[ConflictValue, ...]
    note: str = ""
    pos: SourcePos | None = None

    def describe(self) -> str:
        """"'38' (Abstract) or '39' (Case report); '38' used"."""
        stated = " or ".join(f"{v.value!r}" + (f" ({v.source})" if v.source else "") for v in self.values)
        return f"{stated}; {self.used!r} used" + (f" ({self.note})" if self.note else "")
