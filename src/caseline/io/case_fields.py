"""The field tables: the single definition of what a case file may say.

The JSON Schema in resources/ and docs/case-format.md describe the same fields (a test keeps them
in step); the builder (caseline.io.case_document) checks every mapping against these sets.
"""

from __future__ import annotations

from caseline.model.kinds import KIND_SPECS, Kind

TOP_KEYS = {"caseline", "case", "cases", "caseset", "$schema"}
CASE_KEYS = {
    "id", "title", "patient", "diagnosis", "summary", "citation", "suspect", "anchor",
    "anchor_date", "anchor_label", "lanes", "events", "range", "causality", "naranjo", "conflicts",
}
PATIENT_KEYS = {"age", "sex", "identifiers", "note", "ethnicity"}
CITATION_KEYS = {"authors", "title", "journal", "year", "volume", "pages", "doi", "pmid", "url", "note",
                 "type", "issue", "epub_date", "article_number", "pmcid"}
#: Publication types a citation's 'type' may name.
PUBLICATION_TYPES = ("case-report", "case-series", "letter", "meeting-abstract", "image", "review", "other")
SUSPECT_KEYS = {"drug", "reaction", "reaction_event", "causality"}
SOURCE_KEYS = {"section", "paragraph", "figure", "page", "note"}
CASESET_KEYS = {
    "title", "description", "files", "align", "sort", "hidden_lanes", "shared_lanes_only", "range", "layout",
}

#: The keys of each kind of event, from the kind table (caseline.model.kinds.KIND_SPECS).
EVENT_KEYS: dict[Kind, set[str]] = {kind: set(spec.keys) for kind, spec in KIND_SPECS.items()}
SCHEDULE_KEYS = {"at", "every", "count", "until", "start", "cycles"}
CYCLE_KEYS = {"count", "length", "days", "start"}
COURSE_KEYS = {"at", "state", "note"}
SEVERITY_KEYS = {"scale", "min", "max", "higher_is_worse", "values"}
SEVERITY_POINT_KEYS = {"at", "value", "text"}
TIME_KEYS = {"time", "stated"}
#: Doses as numbers (caseline.io.dose_fields): a stated cumulative dose, a phase, a regimen's drug.
CUMULATIVE_KEYS = {"value", "unit", "stated"}
PHASE_KEYS = {"name", "label", "start", "dose", "unit", "route", "frequency", "schedule", "note"}
REGIMEN_DRUG_KEYS = {"drug", "dose", "unit", "route", "brand", "note"}
#: A fact the source states two ways (caseline.io.conflict_fields).
CONFLICT_KEYS = {"about", "values", "note"}
CONFLICT_VALUE_KEYS = {"value", "source", "note"}
#: Clinical attributes (caseline.io.clinical_fields): an event's links, a reaction's grade, the case's causality.
LINK_KEYS = {"type", "target", "note"}
GRADE_KEYS = {"scale", "value"}
CAUSALITY_KEYS = {"drug", "reaction", "scale", "value", "by", "note"}

