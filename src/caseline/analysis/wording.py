"""Words for what the timeline shows: tooltips, the details panel, intervals. Pure Python."""

from __future__ import annotations

import math

from caseline.analysis.clinical_wording import case_causality_rows, clinical_rows
from caseline.analysis.dose_wording import (
    case_detail_rows,
    dose_rows,
    dose_text,
    interpretation_text,
    phase_of,
    value_text,
)
from caseline.model.case import Case
from caseline.model.kinds import KIND_SPECS, FieldGroup
from caseline.model.time_expressions import Precision
from caseline.timeline.resolved import Interval, Item, ItemRole, ResolvedCase


def format_day(day: float) -> str:
    """'day 56' (rounded to a tenth when fractional)."""
    if not math.isfinite(day):
        return "?"
    value = round(day, 1)
    return f"day {value:g}"


def format_interval_days(days: float) -> str:
    """A duration as people say it: '8 weeks 0 days', '3 days', '1 year 2 weeks'."""
    if not math.isfinite(days):
        return "unknown"
    sign = "-" if days < 0 else ""
    total = abs(days)
    whole = round(total)
    if abs(total - whole) > 0.05:
        return f"{sign}{total:.1f} days"
    if whole < 14:
        return f"{sign}{whole} day{'s' if whole != 1 else ''}"
    weeks, rest = divmod(whole, 7)
    if weeks < 104:
        return f"{sign}{weeks} weeks {rest} day{'s' if rest != 1 else ''}"
    years, rem = divmod(whole, 365)
    return f"{sign}{years} years {rem // 7} weeks"


def format_resolved(interval: Interval | None, precision: Precision) -> str:
    """How a resolved time reads: 'day 56', 'day 0-30 (best 15)', 'day 56 or later'."""
    if interval is None:
        return "time not stated"
    lo, best, hi = interval.lo, interval.best, interval.hi
    if interval.is_exact:
        return format_day(best)
    if not math.isfinite(hi) and math.isfinite(lo):
        return f"{format_day(lo)} or later"
    if not math.isfinite(lo) and math.isfinite(hi):
        return f"{format_day(hi)} or earlier"
    if not math.isfinite(lo) and not math.isfinite(hi):
        return "time not stated"
    return f"between {format_day(lo)} and {format_day(hi)} (best {format_day(best)})"


def item_title(item: Item) -> str:
    if item.role is ItemRole.DOSE:
        cycle = f", cycle {item.cycle}" if item.cycle else ""
        phase = f", {phase_of(item)}" if item.phase else ""
        return f"{item.label} (administration {item.index}{cycle}{phase})"
    if item.role is ItemRole.PHASE:
        return f"{item.label}: {phase_of(item)}"
    if item.role is ItemRole.STATE:
        return f"{item.label}: {item.state}"
    if item.role is ItemRole.SEVERITY and item.value is not None and item.event.severity is not None:
        return f"{item.label}: {item.value:g} on {item.event.severity.scale}"
    return item.label


def severity_value_text(item: Item) -> str:
    """'1 on MRC muscle strength (legs), 0-5, higher is better; as stated: Distal legs MRC 0-2/5'."""
    sev = item.event.severity
    assert sev is not None and item.value is not None
    better = "higher is worse" if sev.higher_is_worse else "higher is better"
    text = f"{item.value:g} on {sev.scale}, {sev.minimum:g}-{sev.maximum:g}, {better}"
    number = item.item_id.rpartition("~")[2]  # the item of the n-th value is 'EVENT~n' (timeline.resolver)
    if number.isdigit() and 0 < int(number) <= len(sev.points) and sev.points[int(number) - 1].text:
        text += f"; as stated: {sev.points[int(number) - 1].text}"
    return text


def describe_item(case: ResolvedCase, item: Item, deidentified: bool = False) -> list[tuple[str, str]]:
    """Everything known about an item, as (field, text) pairs in reading order."""
    event = item.event
    rows: list[tuple[str, str]] = [("", item_title(item))]
    spec = KIND_SPECS[item.kind]
    kind = spec.words
    if spec.has(FieldGroup.ROLE) and event.role is not None:
        kind += f" ({event.role.value})"
    if spec.has(FieldGroup.MILESTONE) and event.milestone is not None:
        kind += f" ({event.milestone.value.replace('-', ' ')})"
    rows.append(("Kind", kind))
    if event.drug and event.drug.lower() not in item.label.lower():
        rows.append(("Drug", event.drug))
    dose = dose_text(item)
    if dose and item.role in (ItemRole.COURSE, ItemRole.DOSE, ItemRole.POINT, ItemRole.PHASE):
        rows.append(("Dose", dose))
    rows.extend(dose_rows(case, item))
    if spec.has(FieldGroup.RESULT):
        if event.test:
            rows.append(("Test", event.test))
        if event.result:
            rows.append(("Result", event.result))
        if event.value is not None:
            ref = ""
            if event.reference_low is not None or event.reference_high is not None:
                ref = f" (reference {event.reference_low or 0:g}-{event.reference_high or 0:g})"
            rows.append(("Value", value_text(event) + ref))
        if interpretation_text(event):
            rows.append(("Interpretation", interpretation_text(event)))
    rows.extend(clinical_rows(case.case, event))
    if item.stated:
        rows.append(("As stated", item.stated))
    rows.append(("Resolved", format_resolved(item.start, item.precision)))
    if item.role is ItemRole.COURSE and item.end is not None:
        rows.append(("Ends", format_resolved(item.end, item.precision)))
    elif item.role is ItemRole.COURSE and item.open_end and not event.absent:
        rows.append(("Ends", "ongoing or not stated"))
    if item.start is not None and math.isfinite(item.start.best):
        rel = f"{format_day(item.start.best)} from {case.anchor_description} (day 0)"
        rows.append(("Relative to day 0", rel))
        if item.start_date is not None and not deidentified:
            rows.append(("Date", _date_text(item)))
    precision = item.precision.value + (", approximate" if item.approximate else "")
    rows.append(("Precision", precision))
    if event.severity is not None and item.role is ItemRole.SEVERITY and item.value is not None:
        rows.append(("Value", severity_value_text(item)))  # what the track's step shows, on its stated scale
    if event.severity is not None and item.role is ItemRole.COURSE:
        sev = event.severity
        values = ", ".join(f"{p.value:g}" for p in sev.points)
        rows.append(("Severity", f"{sev.scale} ({sev.minimum:g}-{sev.maximum:g}): {values}"))
    if event.note:
        rows.append(("Note", event.note))
    source = event.source.describe()
    if source or event.source.note:
        rows.append(("Source", "; ".join(p for p in (source, event.source.note) if p)))
    return rows


def _date_text(item: Item) -> str:
    assert item.start_date is not None
    if item.precision is Precision.YEAR:
        return f"{item.start_date.year} (year only)"
    if item.precision is Precision.MONTH:
        return item.start_date.strftime("%B %Y") + " (month only)"
    if item.precision in (Precision.RANGE, Precision.BOUNDED):
        return "about " + item.start_date.isoformat()
    return item.start_date.isoformat()


def describe_case(case: Case, deidentified: bool = False) -> list[tuple[str, str]]:
    """The case's metadata and citation for the details panel and headers."""
    rows: list[tuple[str, str]] = [("", case.title)]
    patient = case.patient.describe()
    if patient:
        rows.append(("Patient", patient))
    rows.extend(case_detail_rows(case))
    if case.patient.identifiers and not deidentified:
        rows.append(("Identifiers", ", ".join(case.patient.identifiers)))
    if case.diagnosis:
        rows.append(("Diagnosis", case.diagnosis))
    suspect = case.event(case.suspect.drug) if case.suspect.drug else None
    if suspect is not None:
        rows.append(("Suspected drug", suspect.drug or suspect.label))
    if case.suspect.reaction:
        rows.append(("Adverse reaction", case.suspect.reaction))
    if case.suspect.causality:
        rows.append(("Causality", case.suspect.causality))
    rows.extend(case_causality_rows(case))
    if case.summary:
        rows.append(("Summary", case.summary))
    citation = case.citation.full()
    if citation:
        rows.append(("Citation", citation))
    if case.citation.note:
        rows.append(("Citation note", case.citation.note))
    return rows


def header_lines(case: ResolvedCase) -> list[str]:
    """Title, then 'patient · suspected drug · citation' for case headers (made once per case)."""
    found = case.memo.get("header_lines")
    if found is None:
        found = case.memo["header_lines"] = tuple(_header_lines(case))
    return list(found)


def _header_lines(case: ResolvedCase) -> list[str]:
    c = case.case
    suspect = c.event(c.suspect.drug) if c.suspect.drug else None
    bits = [c.patient.describe(), f"suspected: {suspect.drug or suspect.label}" if suspect else "",
            c.citation.short()]
    return [c.title, *[b for b in bits if b]]
