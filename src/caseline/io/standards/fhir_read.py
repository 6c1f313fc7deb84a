"""Reading FHIR R4 JSON: Bundles (collection, transaction, batch, searchset, ...), single
resources, NDJSON files and Bulk Data export folders, grouped by the patient they are about.

Plain ``json`` is enough: the importer reads a few well-known elements of each resource and never
validates against a FHIR profile (a Synthea bundle and an EHR export differ in what they fill in).
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from caseline.io.standards.dates import iso_date
from caseline.io.standards.model import ImportWarning, UnreadableInput
from caseline.io.standards.provenance import timed

Resource = dict[str, Any]
SYSTEMS = {
    "http://snomed.info/sct": "SNOMED CT",
    "http://loinc.org": "LOINC",
    "http://www.nlm.nih.gov/research/umls/rxnorm": "RxNorm",
    "http://hl7.org/fhir/sid/ndc": "NDC",
    "http://hl7.org/fhir/sid/cvx": "CVX",
    "http://hl7.org/fhir/sid/icd-10": "ICD-10",
    "http://hl7.org/fhir/sid/icd-10-cm": "ICD-10-CM",
    "http://www.whocc.no/atc": "ATC",
    "http://unitsofmeasure.org": "UCUM",
}


@dataclass
class Located:
    """A resource and where it is: ``bundle.json entry 12`` or ``Observation.ndjson:40``."""

    resource: Resource
    where: str
    file: str
    line: int | None = None


@dataclass
class FhirData:
    """Every resource read, indexed by ``Type/id`` and by ``fullUrl``, and grouped by patient."""

    items: list[Located] = field(default_factory=list)
    index: dict[str, Resource] = field(default_factory=dict)
    warnings: list[ImportWarning] = field(default_factory=list)

    def add(self, item: Located, full_url: str = "") -> None:
        resource = item.resource
        self.items.append(item)
        key = f"{resource.get('resourceType')}/{resource.get('id')}"
        self.index[key] = resource
        if full_url:
            self.index[full_url] = resource

    def resolve(self, reference: str, container: Resource | None = None) -> Resource | None:
        """The resource a reference points to: contained (``#id``), ``Type/id``, or a ``fullUrl``."""
        if reference.startswith("#") and container is not None:
            return next((c for c in container.get("contained", []) if c.get("id") == reference[1:]), None)
        if reference in self.index:
            return self.index[reference]
        tail = "/".join(reference.rstrip("/").split("/")[-2:])  # absolute URLs
        return self.index.get(tail)

    def key_of(self, reference: str) -> str:
        """A patient reference normalised to ``Patient/id``."""
        target = self.resolve(reference)
        if target is not None and target.get("resourceType") and target.get("id"):
            return f"{target['resourceType']}/{target['id']}"
        return "/".join(reference.split("/")[-2:]) if "/" in reference else reference

    def by_patient(self) -> dict[str, list[Located]]:
        groups: dict[str, list[Located]] = defaultdict(list)
        for item in self.items:  # patients in the order their Patient resources come, then the others
            if item.resource.get("resourceType") == "Patient":
                groups[f"Patient/{item.resource.get('id')}"] = []
        for item in self.items:
            resource = item.resource
            if resource.get("resourceType") == "Patient":
                groups[f"Patient/{resource.get('id')}"].append(item)
                continue
            reference = (resource.get("subject") or resource.get("patient") or {}).get("reference", "")
            if reference:
                groups[self.key_of(reference)].append(item)
        return groups


def identify_head(head: bytes) -> bool:
    return b'"resourceType"' in head


def is_bulk_folder(folder: str) -> bool:
    """A folder of ``*.ndjson`` files whose first line is a FHIR resource (a Bulk Data export)."""
    for name in sorted(os.listdir(folder)):
        if name.lower().endswith(".ndjson"):
            try:
                with open(os.path.join(folder, name), "rb") as stream:
                    if b'"resourceType"' in stream.readline(1 << 16):
                        return True
            except OSError:
                continue
    return False


def load(path: str) -> FhirData:
    """Every resource of a Bundle/resource JSON file, an NDJSON file, or a Bulk export folder."""
    data = FhirData()
    if os.path.isdir(path):
        for name in sorted(os.listdir(path)):
            if name.lower().endswith(".ndjson"):
                _load_ndjson(os.path.join(path, name), data)
        return data
    if path.lower().endswith(".ndjson"):
        _load_ndjson(path, data)
        return data
    try:
        with open(path, encoding="utf-8-sig") as stream:
            document = json.load(stream)
    except json.JSONDecodeError as exc:
        raise UnreadableInput(path, f"not valid JSON: {exc.msg}", line=exc.lineno, column=exc.colno) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise UnreadableInput(path, f"cannot read the file: {exc}") from exc
    _add_document(document, path, os.path.basename(path), data)
    return data


def _add_document(document: Any, path: str, where: str, data: FhirData) -> None:
    if not isinstance(document, dict) or "resourceType" not in document:
        raise UnreadableInput(path, "not a FHIR resource (no resourceType)")
    if document["resourceType"] == "Bundle":
        for number, entry in enumerate(document.get("entry") or [], 1):
            resource = entry.get("resource")
            if isinstance(resource, dict) and resource.get("resourceType"):
                if resource["resourceType"] == "Bundle":
                    _add_document(resource, path, f"{where} entry {number}", data)
                else:
                    data.add(Located(resource, f"{where} entry {number}", path), entry.get("fullUrl", ""))
        return
    data.add(Located(document, where, path))


def _load_ndjson(path: str, data: FhirData) -> None:
    name = os.path.basename(path)
    with open(path, encoding="utf-8-sig") as stream:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                resource = json.loads(line)
            except json.JSONDecodeError as exc:
                data.warnings.append(ImportWarning(path, f"not valid JSON: {exc.msg}", line=number, column=exc.colno))
                continue
            if isinstance(resource, dict) and resource.get("resourceType"):
                data.add(Located(resource, f"{name}:{number}", path, number))


# ---------------------------------------------------------------------- element helpers
def concept_text(concept: Any) -> str:
    """The words of a CodeableConcept: ``text``, else the first coding's display, else its code."""
    if not isinstance(concept, dict):
        return ""
    if concept.get("text"):
        return str(concept["text"])
    for coding in concept.get("coding") or []:
        if coding.get("display"):
            return str(coding["display"])
    for coding in concept.get("coding") or []:
        if coding.get("code"):
            return str(coding["code"])
    return ""


def codes(concept: Any) -> str:
    """The codings of a CodeableConcept, kept for provenance: ``SNOMED CT 304386008 'O/E - itchy rash'``."""
    if not isinstance(concept, dict):
        return ""
    parts = []
    for coding in concept.get("coding") or []:
        system = SYSTEMS.get(coding.get("system", ""), coding.get("system", "code"))
        code = coding.get("code", "")
        if code:
            parts.append(f"{system} {code}" + (f" {coding['display']!r}" if coding.get("display") else ""))
    return ", ".join(parts)


def coding_codes(concept: Any) -> set[str]:
    return {str(c.get("code", "")) for c in (concept or {}).get("coding") or [] if isinstance(c, dict)}


def category_codes(resource: Resource) -> set[str]:
    categories = resource.get("category") or []
    if isinstance(categories, dict):
        categories = [categories]
    found: set[str] = set()
    for category in categories:
        found |= coding_codes(category)
        if isinstance(category, dict) and category.get("text"):
            found.add(str(category["text"]).lower())
    return found


def when(value: Any, label: str) -> dict[str, str]:
    """A FHIR date/dateTime/instant at its precision: the local date as written (the offset is
    not applied); the time of day stays in ``stated`` only."""
    raw = str(value or "").strip()
    if not raw:
        return timed(None, f"{label} not given")
    expr = iso_date(raw)
    suffix = " (time of day not shown)" if expr and "T" in raw else ""
    return timed(expr, f"{label} {raw}{suffix}" if expr else f"{label} {raw} (not a date: unknown)")


def choice(resource: Resource, stem: str) -> tuple[str, Any]:
    """A ``value[x]``-style choice element: (suffix, value) of ``stem`` + DateTime/Period/..."""
    for key, value in resource.items():
        if key.startswith(stem) and key != stem and key[len(stem)].isupper():
            return key[len(stem) :], value
    return "", None


def time_choice(resource: Resource, stem: str, label: str) -> tuple[dict[str, str], dict[str, str] | None]:
    """(start, end or None) of ``onset[x]``, ``effective[x]``, ``performed[x]``, ``occurrence[x]``."""
    kind, value = choice(resource, stem)
    name = f"{label}.{stem}{kind}"
    if kind in ("DateTime", "Instant", "Date"):
        return when(value, name), None
    if kind == "Period" and isinstance(value, dict):
        end = when(value.get("end"), f"{name}.end") if value.get("end") else None
        return when(value.get("start"), f"{name}.start"), end
    if kind == "String":
        return timed(None, f"{name} {value!r}"), None
    if kind == "Age" and isinstance(value, dict):
        return timed(None, f"{name} {value.get('value')} {value.get('unit', '')} (age: relative to birth)"), None
    if kind == "Range" and isinstance(value, dict):
        return timed(None, f"{name} {json.dumps(value)}"), None
    return timed(None, f"{label}.{stem} not given"), None
