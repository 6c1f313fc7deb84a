"""HL7 FHIR R4 resources -> one caseline case per patient (texts as written: FHIR is not all capitals).

Mapped: MedicationAdministration, MedicationStatement, MedicationRequest (its date is a
prescription date, not an exposure: the event says so), Immunization, AdverseEvent
(``suspectEntity`` -> the suspected drug), Condition, Observation (laboratory and vital signs,
abnormal only by default), DiagnosticReport, Procedure, Encounter (admissions; ambulatory visits
are noise by default) and Patient. Social-history findings and surveys are skipped; billing and
administrative resources (Claim, ExplanationOfBenefit, Organization, ...) are counted in one warning.
"""

from __future__ import annotations

import os
from collections import Counter
from typing import Any

from caseline.io.standards import fhir_adverse as fa
from caseline.io.standards import fhir_read as fr
from caseline.io.standards.casebuild import CaseDraft, apply_suspect, finish_into, first_time
from caseline.io.standards.dates import date_span, day_number
from caseline.io.standards.model import ImportOptions, ImportResult, ImportWarning
from caseline.io.standards.provenance import set_source, timed

_SKIP_STATUS = {"entered-in-error", "not-done", "not-taken", "refuted"}
_INPATIENT = {"IMP", "ACUTE", "NONAC", "EMER", "OBSENC", "PRENC", "SS", "inpatient", "emergency"}
_NORMAL_CODES = {"N", "NEG", "ND", "260385009", "260415000"}  # normal, negative, not detected
_ABNORMAL_CODES = {"H", "L", "A", "HH", "LL", "AA", "HU", "LU", "POS", "DET", "R", "260373001", "10828004"}
_NOISE_CATEGORIES = {"social-history", "survey"}
_SDOH_WORDS = (
    "employment",
    "education",
    "labor force",
    "housing",
    "social isolation",
    "social contact",
    "stress",
    "risk activity",
    "criminal record",
    "unemploy",
    "intimate partner",
    "refugee",
    "transport",
    "(situation)",
    "high school",
    "higher education",
)
_SEVERITY = {"mild": 1, "moderate": 2, "severe": 3}
_DRUG_TYPES = ("MedicationAdministration", "MedicationStatement", "MedicationRequest", "Immunization")
_MAPPED = {
    *_DRUG_TYPES,
    "AdverseEvent",
    "Condition",
    "Observation",
    "DiagnosticReport",
    "Procedure",
    "Encounter",
    "Patient",
    "Medication",
}


def convert(path: str, options: ImportOptions, subject: str | None = None, suspect: str | None = None) -> ImportResult:
    """A Bundle, a resource, an NDJSON file or a Bulk export folder: one case per patient."""
    data = fr.load(path)
    result = ImportResult(warnings=list(data.warnings))
    ignored = Counter(
        item.resource["resourceType"] for item in data.items if item.resource["resourceType"] not in _MAPPED
    )
    if ignored:
        listed = ", ".join(f"{count} {kind}" for kind, count in sorted(ignored.items()))
        result.warnings.append(
            ImportWarning(
                path,
                f"resources not imported: {listed}",
                hint="billing, care-team and administrative resources have no timeline",
            )
        )
    groups = data.by_patient()
    for key, items in groups.items():
        if subject is not None and subject.lower() not in (key.lower(), key.split("/")[-1].lower()):
            continue
        builder = _Patient(path, key, items, data, options, result.warnings)
        draft = builder.build()
        if suspect is not None and not apply_suspect(draft, suspect):
            result.warnings.append(ImportWarning(path, f"no drug named {suspect!r}", record=key))
        finish_into(draft, options, result)
    if not result.cases:
        result.warnings.append(
            ImportWarning(
                path,
                "no patient" + (f" {subject!r}" if subject else "") + " with clinical resources in the file",
                error=True,
            )
        )
    return result


class _Patient:
    """The resources of one patient being turned into a case draft."""

    def __init__(
        self,
        path: str,
        key: str,
        items: list[fr.Located],
        data: fr.FhirData,
        options: ImportOptions,
        warnings: list[ImportWarning],
    ) -> None:
        self.path, self.key, self.items, self.data, self.options, self.warnings = (
            path,
            key,
            items,
            data,
            options,
            warnings,
        )
        self.file = os.path.basename(path.rstrip(os.sep))
        self.draft = CaseDraft("fhir", key.split("/")[-1], f"FHIR {key}", (self.file,), "patient")
        self.draft.identify(key)
        self.events_by_ref: dict[str, dict[str, Any]] = {}
        self.labs: list[dict[str, Any]] = []
        self.skipped: Counter[str] = Counter()

    def ref(self, resource: fr.Resource) -> str:
        return f"{resource.get('resourceType')}/{resource.get('id', '?')}"

    def add(self, event: dict[str, Any], item: fr.Located, *details: str) -> dict[str, Any]:
        resource = item.resource
        record = self.ref(resource)
        location = f"{item.where}" if item.where != self.file else self.file
        added = self.draft.add(set_source(event, record, [f"from {location}", *details]), self.options.keep_duplicates)
        self.events_by_ref[record] = added
        return added

    def build(self) -> CaseDraft:
        handlers = {
            "Patient": self.patient,
            "MedicationAdministration": self.administration,
            "MedicationStatement": self.statement,
            "MedicationRequest": self.request,
            "Immunization": self.immunization,
            "Condition": self.condition,
            "Observation": self.observation,
            "DiagnosticReport": self.report,
            "Procedure": self.procedure,
            "Encounter": self.encounter,
        }
        for item in self.items:
            resource = item.resource
            self.draft.identify((resource.get("subject") or resource.get("patient") or {}).get("display"))
            status = str(resource.get("status", ""))
            verification = fr.coding_codes(resource.get("verificationStatus"))
            if status in _SKIP_STATUS or verification & _SKIP_STATUS:
                self.skipped[f"{resource['resourceType']} with status {status or '/'.join(verification)}"] += 1
                continue
            handler = handlers.get(resource["resourceType"])
            if handler is not None:
                handler(item)
        self.collapse_repeats()
        for item in self.items:  # last: suspectEntity refers to the drug events made above
            if item.resource["resourceType"] == "AdverseEvent":
                self.adverse_event(item)
        self.window_labs()
        if self.skipped:
            listed = ", ".join(f"{n} {what}" for what, n in sorted(self.skipped.items()))
            self.warnings.append(
                ImportWarning(
                    self.path,
                    f"skipped: {listed}",
                    record=self.key,
                    hint="use the option to include noise to keep them",
                )
            )
        return self.draft

    # ------------------------------------------------------------------ patient
    def patient(self, item: fr.Located) -> None:
        resource = item.resource
        draft = self.draft
        for name in resource.get("name") or []:
            text = name.get("text") or " ".join([*(name.get("given") or []), name.get("family", "")]).strip()
            draft.identify(text)
        for identifier in resource.get("identifier") or []:
            draft.identify(identifier.get("value"))
        draft.identify(resource.get("id"))
        if resource.get("birthDate"):
            draft.identify(f"born {resource['birthDate']}")
        if resource.get("gender"):
            draft.patient["sex"] = str(resource["gender"])
        kind, value = fr.choice(resource, "deceased")
        if kind == "DateTime" or value is True:
            at = (
                fr.when(value, "Patient.deceasedDateTime")
                if kind == "DateTime"
                else timed(None, "Patient.deceasedBoolean true")
            )
            self.add({"id": "death", "kind": "milestone", "type": "death", "label": "Death", "at": at}, item)

    # ------------------------------------------------------------------ medications
    def medication(self, resource: fr.Resource) -> tuple[str, str]:
        concept = resource.get("medicationCodeableConcept") or resource.get("vaccineCode")
        if concept is None and resource.get("medicationReference"):
            reference = resource["medicationReference"].get("reference", "")
            target = self.data.resolve(reference, resource) or {}
            concept = target.get("code")
            if concept is None:
                return resource["medicationReference"].get("display") or reference, ""
        return fr.concept_text(concept) or "medication", fr.codes(concept)

    def drug_event(
        self,
        item: fr.Located,
        start: dict[str, str],
        end: dict[str, str] | None,
        dosage: dict[str, Any] | None,
        single: bool = False,
    ) -> dict[str, Any]:
        name, codes = self.medication(item.resource)
        event: dict[str, Any] = {
            "id": f"{item.resource['resourceType'][:3].lower()}-{name}",
            "kind": "drug",
            "drug": name,
            "lane": name,
            "role": "concomitant",
            "start": start,
        }
        if end is not None and end["time"] != "unknown":
            event["end"] = end
        elif single and start["time"] != "unknown":
            event["schedule"] = {"at": [event.pop("start")]}  # one administration, not an open course
        dosage = dosage or {}
        dose = dosage.get("dose") or (dosage.get("doseAndRate") or [{}])[0].get("doseQuantity")
        if isinstance(dose, dict) and dose.get("value") is not None:
            event["dose"] = dose["value"]
            if dose.get("unit") or dose.get("code"):
                event["unit"] = str(dose.get("unit") or dose.get("code"))
        route = fr.concept_text(dosage.get("route"))
        if route:
            event["route"] = route
        if dosage.get("text"):
            event["frequency"] = str(dosage["text"])
        notes = [n.get("text", "") for n in item.resource.get("note") or [] if n.get("text")]
        reasons = [fr.concept_text(c) for c in item.resource.get("reasonCode") or [] if fr.concept_text(c)]
        if reasons and item.resource["resourceType"] != "MedicationAdministration":
            notes.append("Reason: " + ", ".join(reasons) + ".")
        if notes:
            event["note"] = " ".join(notes)
        return self.add(
            event, item, codes, f"status {item.resource.get('status')}" if item.resource.get("status") else ""
        )

    def administration(self, item: fr.Located) -> None:
        start, end = fr.time_choice(item.resource, "effective", "MedicationAdministration")
        single = "effectiveDateTime" in item.resource
        self.drug_event(item, start, end, item.resource.get("dosage"), single)

    def statement(self, item: fr.Located) -> None:
        start, end = fr.time_choice(item.resource, "effective", "MedicationStatement")
        event = self.drug_event(item, start, end, (item.resource.get("dosage") or [None])[0])
        if item.resource.get("status") == "active" and "end" not in event:
            event["ongoing"] = True
        if item.resource.get("dateAsserted"):
            event["source"]["note"] += f"; dateAsserted {item.resource['dateAsserted']}"

    def request(self, item: fr.Located) -> None:
        resource = item.resource
        start = fr.when(resource.get("authoredOn"), "MedicationRequest.authoredOn")
        start["stated"] += " (prescribed; when intake began is not recorded)"
        event = self.drug_event(item, start, None, (resource.get("dosageInstruction") or [None])[0])
        event["note"] = " ".join(
            filter(
                None,
                [
                    "Prescription date, not exposure: the request records when the drug was prescribed,"
                    " not when it was taken.",
                    event.get("note", ""),
                ],
            )
        )

    def immunization(self, item: fr.Located) -> None:
        start, _ = fr.time_choice(item.resource, "occurrence", "Immunization")
        name, codes = self.medication(item.resource)
        event: dict[str, Any] = {
            "id": f"imm-{name}",
            "kind": "drug",
            "drug": name,
            "lane": name,
            "role": "concomitant",
            "schedule": {"at": [start]},
        }
        if fr.concept_text(item.resource.get("route")):
            event["route"] = fr.concept_text(item.resource.get("route"))
        self.add(event, item, codes)

    def collapse_repeats(self) -> None:
        """Repeated single administrations of one drug or procedure (yearly vaccines, hundreds of
        doses charted one by one) become one event with a schedule of every time."""
        groups: dict[tuple[str, str, str, str], list[dict[str, Any]]] = {}
        for event in self.draft.events:
            if event["kind"] in ("drug", "therapy") and "schedule" in event:
                key = (
                    event["kind"],
                    str(event.get("drug") or event.get("label", "")),
                    str(event.get("dose", "")),
                    str(event.get("unit", "")),
                )
                groups.setdefault(key, []).append(event)
        for events in groups.values():
            if len(events) < 2:
                continue
            kept = events[0]
            times = [t for e in events for t in e["schedule"]["at"]]
            kept["schedule"] = {"at": sorted(times, key=lambda t: str(t["time"]) if isinstance(t, dict) else str(t))}
            kept["source"]["section"] = f"{kept['source']['section']} and {len(events) - 1} more"
            kept["source"]["note"] += "; repeats: " + ", ".join(e["source"]["section"] for e in events[1:])
            drop = {id(e) for e in events[1:]}
            self.draft.events = [e for e in self.draft.events if id(e) not in drop]
            for ref, event in list(self.events_by_ref.items()):
                if id(event) in drop:
                    self.events_by_ref[ref] = kept

    # ------------------------------------------------------------------ adverse events and conditions
    def adverse_event(self, item: fr.Located) -> None:
        resource = item.resource
        label = fr.concept_text(resource.get("event")) or "Adverse event"
        start = fr.when(resource.get("date") or resource.get("detected"), "AdverseEvent.date")
        event: dict[str, Any] = {"id": "ae", "kind": "symptom", "label": label, "start": start}
        outcome = next(iter(fr.coding_codes(resource.get("outcome"))), "")
        if outcome in ("ongoing", "recovering"):
            event["ongoing"] = True
        fields, notes = fa.reaction_fields(resource)  # seriousness and outcome; what has no value in notes
        event.update(fields)
        if resource.get("actuality") == "potential":
            notes.insert(0, "Potential adverse event (actuality: potential).")
        severity = _SEVERITY.get(next(iter(fr.coding_codes(resource.get("severity"))), "").lower())
        if severity is None and fr.concept_text(resource.get("severity")):  # else the severity scale holds it
            notes.append(f"Severity: {fr.concept_text(resource.get('severity'))}.")
        if notes:
            event["note"] = " ".join(notes)
        added = self.add(
            event,
            item,
            fr.codes(resource.get("event")),
            f"recordedDate {resource['recordedDate']}" if resource.get("recordedDate") else "",
        )
        if severity is not None:
            added["severity"] = {
                "scale": "Severity",
                "min": 1,
                "max": 3,
                "values": [{"at": added["id"], "value": severity, "text": fr.concept_text(resource.get("severity"))}],
            }
        if not self.draft.suspect.get("reaction_event"):
            self.draft.suspect["reaction_event"] = added["id"]
            self.draft.suspect["reaction"] = added["label"]
        for entity in resource.get("suspectEntity") or []:
            self.suspect_entity(item, entity, added)

    def suspect_entity(self, item: fr.Located, entity: dict[str, Any], reaction: dict[str, Any]) -> None:
        reference = (entity.get("instance") or {}).get("reference", "")
        target = self.data.resolve(reference, item.resource)
        key = f"{target.get('resourceType')}/{target.get('id')}" if target else reference
        drug = self.events_by_ref.get(key)
        if drug is None:
            name = (
                fr.concept_text((target or {}).get("code"))
                or (entity.get("instance") or {}).get("display")
                or reference
            )
            drug = {
                "id": f"suspect-{name}",
                "kind": "drug",
                "drug": name,
                "lane": name,
                "start": timed(None, f"AdverseEvent.suspectEntity {reference}: no administration in the file"),
                "note": f"Named as the suspected cause by {self.ref(item.resource)};"
                " when it was given is not recorded.",
            }
            drug = self.add(drug, item, f"suspectEntity {reference}")
        drug["role"] = "suspected"
        for event in self.draft.events:
            if event["kind"] == "drug" and event.get("lane") == drug.get("lane"):
                event["role"] = "suspected"
        if not self.draft.suspect.get("drug"):
            self.draft.suspect["drug"] = drug["id"]
            self.draft.case["title"] = f"{reaction['label']} after {drug['drug']}"
        # the case's causality list holds the assessments (suspect.causality would say them twice)
        listed = self.draft.case.setdefault("causality", [])  # an exact repeat of an AdverseEvent: said once
        listed.extend(e for e in fa.causality_entries(entity, drug["id"], reaction["id"]) if e not in listed)

    def condition(self, item: fr.Located) -> None:
        resource = item.resource
        label = fr.concept_text(resource.get("code")) or "Condition"
        if not self.options.include_noise and (
            fr.category_codes(resource) & _NOISE_CATEGORIES or any(w in label.lower() for w in _SDOH_WORDS)
        ):
            self.skipped["social-history findings"] += 1
            return
        start, _ = fr.time_choice(resource, "onset", "Condition")
        end, _ = fr.time_choice(resource, "abatement", "Condition")
        event: dict[str, Any] = {"id": f"cond-{label}", "kind": "symptom", "label": label, "start": start}
        if end["time"] != "unknown":
            event["end"] = end
        elif fr.coding_codes(resource.get("clinicalStatus")) & {"active", "recurrence", "relapse"}:
            event["ongoing"] = True
        self.add(event, item, fr.codes(resource.get("code")))

    # ------------------------------------------------------------------ observations and reports
    def interpretation(self, resource: fr.Resource) -> str:
        flags: set[str] = set()
        for concept in resource.get("interpretation") or []:
            flags |= fr.coding_codes(concept)
        flags |= fr.coding_codes(resource.get("valueCodeableConcept"))
        text = fr.concept_text(resource.get("valueCodeableConcept")).lower()
        if flags & _ABNORMAL_CODES or text.startswith(("positive", "detected")):
            return "abnormal"
        quantity = resource.get("valueQuantity") or {}
        for bounds in resource.get("referenceRange") or []:
            value = quantity.get("value")
            low, high = (bounds.get("low") or {}).get("value"), (bounds.get("high") or {}).get("value")
            if value is not None and ((low is not None and value < low) or (high is not None and value > high)):
                return "abnormal"
            if value is not None and (low is not None or high is not None):
                return "normal"
        if flags & _NORMAL_CODES or text.startswith(("negative", "not detected")):
            return "normal"
        return ""

    def observation(self, item: fr.Located) -> None:
        resource = item.resource
        categories = fr.category_codes(resource)
        if categories & _NOISE_CATEGORIES and not self.options.include_noise:
            self.skipped["social-history or survey observations"] += 1
            return
        name = fr.concept_text(resource.get("code")) or "observation"
        interpretation = self.interpretation(resource)
        chosen = {t.lower() for t in self.options.lab_tests}
        is_chosen = bool(chosen & ({name.lower()} | {c.lower() for c in fr.coding_codes(resource.get("code"))}))
        if not is_chosen and (
            self.options.labs == "none" or (self.options.labs == "abnormal" and interpretation != "abnormal")
        ):
            return
        at, _ = fr.time_choice(resource, "effective", "Observation")
        event: dict[str, Any] = {
            "id": f"obs-{name}",
            "kind": "investigation",
            "test": name,
            "lane": name,
            "at": at,
        }
        quantity = resource.get("valueQuantity") or {}
        if isinstance(quantity.get("value"), int | float):
            event["value"] = quantity["value"]
            if quantity.get("unit") or quantity.get("code"):
                event["value_unit"] = str(quantity.get("unit") or quantity.get("code"))
        elif fr.concept_text(resource.get("valueCodeableConcept")) or resource.get("valueString"):
            event["result"] = fr.concept_text(resource.get("valueCodeableConcept")) or str(resource["valueString"])
        elif resource.get("component"):
            event["result"] = "; ".join(self.component_text(c) for c in resource["component"])
        bounds = (resource.get("referenceRange") or [{}])[0]
        reference = {
            side: (bounds.get(side) or {}).get("value")
            for side in ("low", "high")
            if isinstance((bounds.get(side) or {}).get("value"), int | float)
        }
        if reference and not (len(reference) == 2 and float(reference["low"] or 0) >= float(reference["high"] or 0)):
            event["reference"] = reference
        if interpretation:
            event["interpretation"] = interpretation
        self.labs.append(
            self.add(
                event,
                item,
                fr.codes(resource.get("code")),
                "category " + ", ".join(sorted(categories)) if categories else "",
            )
        )

    def component_text(self, component: dict[str, Any]) -> str:
        quantity = component.get("valueQuantity") or {}
        value = quantity.get("value", fr.concept_text(component.get("valueCodeableConcept")))
        return f"{fr.concept_text(component.get('code'))} {value} {quantity.get('unit', '')}".strip()

    def report(self, item: fr.Located) -> None:
        resource = item.resource
        name = fr.concept_text(resource.get("code")) or "report"
        at, _ = fr.time_choice(resource, "effective", "DiagnosticReport")
        results: dict[str, list[str]] = {}
        flags = []
        for reference in resource.get("result") or []:
            member = self.data.resolve(reference.get("reference", ""), resource) or {}
            value = (
                fr.concept_text(member.get("valueCodeableConcept"))
                or str((member.get("valueQuantity") or {}).get("value", ""))
                or "no value"
            )
            results.setdefault(value.replace(" (qualifier value)", ""), []).append(
                fr.concept_text(member.get("code")) or reference.get("display", "result")
            )
            flags.append(self.interpretation(member) if member else "")
        event: dict[str, Any] = {
            "id": f"report-{name}",
            "kind": "investigation",
            "test": name,
            "lane": name,
            "at": at,
        }
        summary = resource.get("conclusion") or "; ".join(
            f"{value}: {len(tests)} test{'s' if len(tests) > 1 else ''}" if len(tests) > 1 else f"{value}: {tests[0]}"
            for value, tests in results.items()
        )
        if summary:
            event["result"] = str(summary)
        if "abnormal" in flags:
            event["interpretation"] = "abnormal"
        elif flags and all(f == "normal" for f in flags):
            event["interpretation"] = "normal"
        self.add(event, item, fr.codes(resource.get("code")), f"{len(flags)} results")

    # ------------------------------------------------------------------ procedures and encounters
    def procedure(self, item: fr.Located) -> None:
        resource = item.resource
        label = fr.concept_text(resource.get("code")) or "Procedure"
        start, end = fr.time_choice(resource, "performed", "Procedure")
        event: dict[str, Any] = {
            "id": f"proc-{label}",
            "kind": "therapy",
            "label": label,
            "lane": "Procedures",
            "start": start,
        }
        if end is not None and end["time"] not in ("unknown", start["time"]):
            event["end"] = end
        elif start["time"] != "unknown":
            event["schedule"] = {"at": [event.pop("start")]}  # done on one day: a mark, not an open course
        self.add(event, item, fr.codes(resource.get("code")))

    def encounter(self, item: fr.Located) -> None:
        resource = item.resource
        klass = (resource.get("class") or {}).get("code", "")
        kind = fr.concept_text((resource.get("type") or [{}])[0]) or "Encounter"
        period = resource.get("period") or {}
        if klass not in _INPATIENT:
            if not self.options.include_noise:
                self.skipped["ambulatory encounters"] += 1
                return
            event = {
                "id": "visit",
                "kind": "milestone",
                "type": "other",
                "label": kind,
                "lane": "Encounters",
                "at": fr.when(period.get("start"), "Encounter.period.start"),
            }
            self.add(event, item, f"class {klass}")
            return
        admission = {
            "id": "admission",
            "kind": "milestone",
            "type": "admission",
            "label": f"Admission ({kind})",
            "lane": "Hospital stays",
            "at": fr.when(period.get("start"), "Encounter.period.start"),
        }
        self.add(admission, item, f"class {klass}")
        if period.get("end"):
            discharge = {
                "id": "discharge",
                "kind": "milestone",
                "type": "discharge",
                "label": "Discharge",
                "lane": "Hospital stays",
                "at": fr.when(period["end"], "Encounter.period.end"),
            }
            self.add(discharge, item, f"class {klass}")

    def window_labs(self) -> None:
        """With a lab window, drop results outside it (days from the suspected drug's first date)."""
        if self.options.lab_window is None or not self.labs:
            return
        suspect = next((e for e in self.draft.events if e["id"] == self.draft.suspect.get("drug")), None)
        origin = day_number(first_time(suspect)) if suspect else None
        if origin is None:
            self.warnings.append(
                ImportWarning(
                    self.path, "lab window ignored: the suspected drug has no exact first date", record=self.key
                )
            )
            return
        first, last = self.options.lab_window
        drop = set()
        for event in self.labs:
            span = date_span(first_time(event))
            if span is None or span[1] - origin < first or span[0] - origin > last:
                drop.add(id(event))
        self.draft.events = [e for e in self.draft.events if id(e) not in drop]
