"""The case model: pure Python, immutable, no Qt."""

from caseline.model.case import (
    CATEGORY_ORDER,
    CATEGORY_TITLES,
    FORMAT_VERSION,
    AtList,
    Case,
    CaseSet,
    CaseSetEntry,
    Category,
    Citation,
    CoursePoint,
    CourseState,
    Cycles,
    Event,
    Interpretation,
    Kind,
    MilestoneType,
    Patient,
    Provenance,
    Repeat,
    Role,
    Schedule,
    Severity,
    SeverityPoint,
    Suspect,
)
from caseline.model.pos import SourcePos
from caseline.model.time_expressions import Amount, EventRef, Precision, TimeExpr, TimeSyntaxError, parse_time

__all__ = [
    "CATEGORY_ORDER", "CATEGORY_TITLES", "FORMAT_VERSION", "Amount", "AtList", "Case", "CaseSet",
    "CaseSetEntry", "Category", "Citation", "CoursePoint", "CourseState", "Cycles", "Event",
    "EventRef", "Interpretation", "Kind", "MilestoneType", "Patient", "Precision", "Provenance",
    "Repeat", "Role", "Schedule", "Severity", "SeverityPoint", "SourcePos", "Suspect", "TimeExpr",
    "TimeSyntaxError", "parse_time",
]
