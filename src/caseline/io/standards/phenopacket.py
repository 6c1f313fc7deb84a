"""GA4GH Phenopackets v2 -> one caseline case per phenopacket (a Family or Cohort gives several).

Times in a phenopacket are mostly ages, so day 0 is the birth (a ``birth`` milestone; with a
``dateOfBirth`` it also becomes the anchor date, kept among the identifiers). HPO onset classes
become the age span they define (``Infantile onset``: 28 days to 1 year); open-ended ones (adult
onset, 16 years or later) stay unknown with their wording, since the time grammar has no "at
least N after" form. An excluded feature is a pertinent negative: the case format has no
construct for one yet, so it becomes an investigation whose result says the feature was absent.
"""

from __future__ import annotations

import json
import os
from typing import Any

from caseline.io.standards.casebuild import CaseDraft, apply_suspect, finish_into
from caseline.io.standards.dates import iso_date, iso_duration
from caseline.io.standards.model import ImportOptions, ImportResult, ImportWarning, UnreadableInput
from caseline.io.standards.provenance import set_source, timed

BIRTH = "birth"
#: HPO onset classes (HP:0003674 subclasses) as spans of age; None: no bounded span.
ONSETS: dict[str, str | None] = {
    "HP:0003577": BIRTH,  # congenital onset: present at birth
    "HP:0030674": f"before {BIRTH}",  # antenatal
    "HP:0011460": f"before {BIRTH}",  # embryonal
    "HP:0011461": f"before {BIRTH}",  # fetal
    "HP:0003623": f"between {BIRTH} and 28 days after {BIRTH}",  # neonatal
    "HP:0003593": f"between 28 days after {BIRTH} and 1 year after {BIRTH}",  # infantile
    "HP:0011463": f"between 1 year after {BIRTH} and 5 years after {BIRTH}",  # childhood
    "HP:0003621": f"between 5 years after {BIRTH} and 15 years after {BIRTH}",  # juvenile
    "HP:0410280": f"between {BIRTH} and 16 years after {BIRTH}",  # pediatric
    "HP:0011462": f"between 16 years after {BIRTH} and 40 years after {BIRTH}",  # young adult
    "HP:0003596": f"between 40 years after {BIRTH} and 60 years after {BIRTH}",  # middle age
    "HP:0003581": None,  # adult onset: 16 years or later
    "HP:0003584": None,  # late onset: 60 years or later
    "HP:0003674": None,  # onset, unspecified
}
_SEX = {"FEMALE": "female", "MALE": "male", "OTHER_SEX": "other", "UNKNOWN_SEX": "unknown"}


def identify(head: bytes) -> bool:
    return b'"phenotypicFeatures"' in head or b'"phenopacketSchemaVersion"' in head or b'"proband"' in head


def time_element(element: Any, label: str) -> dict[str, str]:
    """A phenopacket TimeElement (age, age range, ontology class, timestamp, interval,
    gestational age) as a time from birth, at the precision it states."""
    if not isinstance(element, dict) or not element:
        return timed(None, f"{label} not given")
    if "age" in element:
        raw = (element["age"] or {}).get("iso8601duration", "")
        duration = iso_duration(raw)
        return timed(f"{duration} after {BIRTH}" if duration else None, f"{label} age {raw}")
    if "ageRange" in element:
        start = iso_duration(((element["ageRange"] or {}).get("start") or {}).get("iso8601duration", ""))
        end = iso_duration(((element["ageRange"] or {}).get("end") or {}).get("iso8601duration", ""))
        expr = f"between {start} after {BIRTH} and {end} after {BIRTH}" if start and end else None
        return timed(expr, f"{label} ageRange {json.dumps(element['ageRange'])}")
    if "ontologyClass" in element:
        term = element["ontologyClass"] or {}
        stated = f"{label} {term.get('label', '')} ({term.get('id', '')})"
        return timed(ONSETS.get(str(term.get("id", ""))), stated)
    if "timestamp" in element:
        return timed(iso_date(element["timestamp"]), f"{label} timestamp {element['timestamp']}")
    if "interval" in element:
        start = (element["interval"] or {}).get("start")
        return timed(iso_date(start), f"{label} interval start {start}")
    if "gestationalAge" in element:
        weeks = (element["gestationalAge"] or {}).get("weeks", "?")
        days = (element["gestationalAge"] or {}).get("days")
        return timed(f"before {BIRTH}", f"{label} gestational age {weeks} weeks" + (f" {days} days" if days else ""))
    return timed(None, f"{label} {json.dumps(element)}")


def _term(value: Any) -> tuple[str, str]:
    value = value if isinstance(value, dict) else {}
    return str(value.get("label") or value.get("id") or ""), str(value.get("id") or "")


def convert(path: str, options: ImportOptions, subject: str | None = None, suspect: str | None = None) -> ImportResult:
    """A Phenopacket, Family (proband and relatives) or Cohort (members) JSON file."""
    try:
        with open(path, encoding="utf-8-sig") as stream:
            document = json.load(stream)
    except json.JSONDecodeError as exc:
        raise UnreadableInput(path, f"not valid JSON: {exc.msg}", line=exc.lineno, column=exc.colno) from exc
    packets = [document]
    if isinstance(document, dict) and "proband" in document:
        packets = [document["proband"], *(document.get("relatives") or [])]
    elif isinstance(document, dict) and "members" in document:
        packets = list(document["members"])
    result = ImportResult()
    for packet in packets:
        key = str((packet.get("subject") or {}).get("id") or packet.get("id") or "individual")
        if subject is not None and subject.lower() not in (key.lower(), str(packet.get("id", "")).lower()):
            continue
        draft = _Packet(path, packet, key, result.warnings).build()
        if suspect is not None and not apply_suspect(draft, suspect):
            result.warnings.append(ImportWarning(path, f"no medical action with {suspect!r}", record=key))
        finish_into(draft, options, result)
    if not result.cases:
        result.warnings.append(
            ImportWarning(path, "no phenopacket" + (f" for {subject!r}" if subject else ""), error=True)
        )
    return result


class _Packet:
    def __init__(self, path: str, packet: dict[str, Any], key: str, warnings: list[ImportWarning]) -> None:
        self.path, self.packet, self.key, self.warnings = path, packet, key, warnings
        self.file = os.path.basename(path)
        self.draft = CaseDraft("phenopacket", key, str(packet.get("id") or key), (self.file,), "individual")

    def add(self, event: dict[str, Any], record: str, *details: str) -> dict[str, Any]:
        return self.draft.add(
            set_source(event, f"{self.packet.get('id', self.key)} {record}", [f"from {self.file}", *details])
        )

    def build(self) -> CaseDraft:
        draft = self.draft
        person = self.packet.get("subject") or {}
        draft.identify(person.get("id"))
        draft.patient["sex"] = _SEX.get(str(person.get("sex", "")), str(person.get("sex", "")).lower()) or "unknown"
        self.add(
            {
                "id": BIRTH,
                "kind": "milestone",
                "type": "other",
                "label": "Birth",
                "lane": "Life",
                "at": timed("day 0", "birth (phenopacket times are ages)"),
            },
            "subject",
        )
        draft.case["anchor"] = BIRTH
        draft.case["anchor_label"] = "birth"
        if person.get("dateOfBirth"):
            draft.identify(f"born {person['dateOfBirth']}")
            if iso_date(person["dateOfBirth"]):
                draft.case["anchor_date"] = iso_date(person["dateOfBirth"])
        for number, feature in enumerate(self.packet.get("phenotypicFeatures") or [], 1):
            self.feature(number, feature)
        for number, measurement in enumerate(self.packet.get("measurements") or [], 1):
            self.measurement(number, measurement)
        for number, disease in enumerate(self.packet.get("diseases") or [], 1):
            self.disease(number, disease)
        for number, action in enumerate(self.packet.get("medicalActions") or [], 1):
            self.medical_action(number, action)
        self.status(person)
        self.metadata()
        return draft

    def feature(self, number: int, feature: dict[str, Any]) -> None:
        label, code = _term(feature.get("type"))
        notes = [f"{_term(m)[0]}." for m in feature.get("modifiers") or []]
        if feature.get("severity"):
            notes.insert(0, f"Severity: {_term(feature['severity'])[0]}.")
        if feature.get("description"):
            notes.append(str(feature["description"]))
        evidence = ", ".join(_term(e.get("evidenceCode"))[0] for e in feature.get("evidence") or [])
        onset = time_element(feature.get("onset"), "onset")
        if feature.get("excluded"):
            event: dict[str, Any] = {
                "id": f"no-{code or number}",
                "kind": "investigation",
                "test": label,
                "lane": "Excluded features",
                "at": onset,
                "result": "absent (excluded)",
                "note": " ".join(
                    [
                        "Pertinent negative: the source states this feature was looked"
                        " for and not found (excluded: true).",
                        *notes,
                    ]
                ),
            }
        else:
            event = {"id": f"f-{code or number}", "kind": "symptom", "label": label or "Feature", "start": onset}
            resolution = time_element(feature.get("resolution"), "resolution")
            if feature.get("resolution") and resolution["time"] != "unknown":
                event["end"] = resolution
            if notes:
                event["note"] = " ".join(notes)
        self.add(event, f"phenotypicFeatures[{number - 1}]", code, f"evidence {evidence}" if evidence else "")

    def measurement(self, number: int, measurement: dict[str, Any]) -> None:
        label, code = _term(measurement.get("assay"))
        event: dict[str, Any] = {
            "id": f"m-{code or number}",
            "kind": "investigation",
            "test": label or "measurement",
            "lane": label or "Measurements",
            "at": time_element(measurement.get("timeObserved"), "timeObserved"),
        }
        value = measurement.get("value") or {}
        quantity = value.get("quantity") or {}
        if isinstance(quantity.get("value"), int | float):
            event["value"] = quantity["value"]
            unit = _term(quantity.get("unit"))[0]
            if unit:
                event["value_unit"] = unit
            bounds = quantity.get("referenceRange") or {}
            reference = {k: bounds[k] for k in ("low", "high") if isinstance(bounds.get(k), int | float)}
            if reference and not (len(reference) == 2 and reference["low"] >= reference["high"]):
                event["reference"] = reference
                outside = quantity["value"] < reference.get("low", float("-inf")) or quantity["value"] > reference.get(
                    "high", float("inf")
                )
                event["interpretation"] = "abnormal" if outside else "normal"
        elif value.get("ontologyClass"):
            event["result"] = _term(value["ontologyClass"])[0]
        elif measurement.get("complexValue"):
            event["result"] = json.dumps(measurement["complexValue"])
        self.add(event, f"measurements[{number - 1}]", code)

    def disease(self, number: int, disease: dict[str, Any]) -> None:
        label, code = _term(disease.get("term"))
        onset = time_element(disease.get("onset"), "onset")
        if disease.get("excluded"):
            event: dict[str, Any] = {
                "id": f"no-{code or number}",
                "kind": "investigation",
                "test": label,
                "lane": "Excluded features",
                "at": onset,
                "result": "absent (excluded)",
                "note": "Pertinent negative: the disease was excluded (excluded: true).",
            }
        else:
            event = {
                "id": f"dx-{code or number}",
                "kind": "milestone",
                "type": "diagnosis",
                "label": label,
                "lane": "Diagnoses",
                "at": onset,
            }
            self.draft.case.setdefault("diagnosis", label)
            stages = ", ".join(_term(s)[0] for s in disease.get("diseaseStage") or [])
            if stages:
                event["note"] = f"Stage: {stages}."
        self.add(event, f"diseases[{number - 1}]", code)

    def medical_action(self, number: int, action: dict[str, Any]) -> None:
        record = f"medicalActions[{number - 1}]"
        notes = [
            f"{name}: {_term(action[key])[0]}."
            for key, name in (
                ("treatmentTarget", "Target"),
                ("treatmentIntent", "Intent"),
                ("responseToTreatment", "Response"),
                ("treatmentTerminationReason", "Stopped because"),
            )
            if action.get(key)
        ]
        if action.get("adverseEvents"):
            notes.append("Adverse events: " + ", ".join(_term(a)[0] for a in action["adverseEvents"]) + ".")
        note = " ".join(notes)
        if "treatment" in action:
            self.treatment(action["treatment"], record, note)
        elif "procedure" in action:
            label, code = _term(action["procedure"].get("code"))
            event = {
                "id": f"proc-{code or number}",
                "kind": "therapy",
                "label": label or "Procedure",
                "lane": "Procedures",
                "schedule": {"at": [time_element(action["procedure"].get("performed"), "performed")]},
            }
            self.add({**event, **({"note": note} if note else {})}, record, code)
        elif "radiationTherapy" in action:
            therapy = action["radiationTherapy"]
            label = f"Radiation therapy ({_term(therapy.get('modality'))[0]})"
            detail = (
                f"{therapy.get('dosage', '?')} Gy in {therapy.get('fractions', '?')} fractions to "
                f"{_term(therapy.get('bodySite'))[0]}"
            )
            event = {
                "id": f"rt-{number}",
                "kind": "therapy",
                "label": label,
                "start": timed(None, "no time given"),
                "note": " ".join(filter(None, [detail + ".", note])),
            }
            self.add(event, record)
        elif "therapeuticRegimen" in action:
            regimen = action["therapeuticRegimen"]
            label = _term(regimen.get("ontologyClass"))[0] or (regimen.get("externalReference") or {}).get(
                "description", "Therapeutic regimen"
            )
            event = {
                "id": f"regimen-{number}",
                "kind": "therapy",
                "label": label,
                "start": time_element(regimen.get("startTime"), "startTime"),
            }
            end = time_element(regimen.get("endTime"), "endTime")
            if regimen.get("endTime") and end["time"] != "unknown":
                event["end"] = end
            self.add({**event, **({"note": note} if note else {})}, record)

    def treatment(self, treatment: dict[str, Any], record: str, note: str) -> None:
        agent, code = _term(treatment.get("agent"))
        route = _term(treatment.get("routeOfAdministration"))[0]
        intervals = treatment.get("doseIntervals") or [None]
        for interval in intervals:
            event: dict[str, Any] = {
                "id": f"drug-{agent or 'treatment'}",
                "kind": "drug",
                "drug": agent or "treatment",
                "lane": agent or "Treatment",
            }
            if route:
                event["route"] = route
            if interval is None:
                event["start"] = timed(None, "treatment without dose intervals")
            else:
                quantity = interval.get("quantity") or {}
                if isinstance(quantity.get("value"), int | float):
                    event["dose"] = quantity["value"]
                    if _term(quantity.get("unit"))[0]:
                        event["unit"] = _term(quantity.get("unit"))[0]
                if interval.get("scheduleFrequency"):
                    event["frequency"] = _term(interval["scheduleFrequency"])[0]
                span = interval.get("interval") or {}
                event["start"] = timed(iso_date(span.get("start")), f"doseIntervals interval start {span.get('start')}")
                if iso_date(span.get("end")):
                    event["end"] = timed(iso_date(span.get("end")), f"doseIntervals interval end {span.get('end')}")
            if note:
                event["note"] = note
            self.add(event, record, code)

    def status(self, person: dict[str, Any]) -> None:
        vital = person.get("vitalStatus") or {}
        if vital.get("status") == "DECEASED":
            cause = _term(vital.get("causeOfDeath"))[0]
            event = {
                "id": "death",
                "kind": "milestone",
                "type": "death",
                "label": "Death" + (f" ({cause})" if cause else ""),
                "at": time_element(vital.get("timeOfDeath"), "timeOfDeath"),
            }
            self.add(event, "subject.vitalStatus")
        if person.get("timeAtLastEncounter"):
            event = {
                "id": "last-encounter",
                "kind": "milestone",
                "type": "last-follow-up",
                "label": "Last encounter",
                "at": time_element(person["timeAtLastEncounter"], "timeAtLastEncounter"),
            }
            self.add(event, "subject.timeAtLastEncounter")

    def metadata(self) -> None:
        meta = self.packet.get("metaData") or {}
        for reference in meta.get("externalReferences") or []:
            ref_id = str(reference.get("id", ""))
            if ref_id.upper().startswith("PMID:") and "citation" not in self.draft.case:
                self.draft.case["citation"] = {
                    "pmid": ref_id.split(":", 1)[1],
                    "title": str(reference.get("description", "")),
                }
            elif ref_id.upper().startswith("DOI:") and "citation" not in self.draft.case:
                self.draft.case["citation"] = {
                    "doi": ref_id.split(":", 1)[1],
                    "title": str(reference.get("description", "")),
                }
        variants = []
        for interpretation in self.packet.get("interpretations") or []:
            for genomic in (interpretation.get("diagnosis") or {}).get("genomicInterpretations") or []:
                descriptor = (genomic.get("variantInterpretation") or {}).get("variationDescriptor") or {}
                gene = (descriptor.get("geneContext") or {}).get("symbol", "")
                hgvs = next(
                    (e["value"] for e in descriptor.get("expressions") or [] if e.get("syntax") == "hgvs.c"),
                    descriptor.get("label", ""),
                )
                zygosity = _term(descriptor.get("allelicState"))[0]
                variants.append(" ".join(filter(None, [gene, hgvs, f"({zygosity})" if zygosity else ""])))
        if variants:
            self.draft.case["summary"] = "Variants: " + "; ".join(variants) + "."
        diagnosis = self.draft.case.get("diagnosis")
        self.draft.case["title"] = (
            f"{diagnosis} ({self.packet.get('id', self.key)})" if diagnosis else str(self.packet.get("id") or self.key)
        )
