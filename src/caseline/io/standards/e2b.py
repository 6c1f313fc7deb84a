"""ICH E2B(R3) ICSR XML -> one caseline case per safety report (a batch gives several).

What is read: the patient (D: initials, sex, age at onset, birth date, death), reactions
(E.i: reported term, dates, duration, outcome, seriousness), drugs (G.k: role, dosage blocks
with dates, dose, route and frequency, action taken, indication, time to onset, recurrence on
re-administration), per-pair causality assessments (G.k.9.i.2), tests (F.r), medical and drug
history (D.7, D.8), the literature reference (C.4) and the narrative (H.1). MedDRA codes stay in
the provenance: caseline bundles no terminology, so a reaction is labelled with the reporter's
words (E.i.1.1a, else E.i.1.2), or with its code when there are none.

Seriousness, outcome, the suspected drug's action taken and indication, the causality assessments
and a cause of death that is a reaction go to the case format's fields (:mod:`e2b_codes` maps the
codes); a note keeps only what the format has no field for.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import Element

from caseline.io.standards import e2b_codes as c
from caseline.io.standards import e2b_xml as x
from caseline.io.standards.casebuild import CaseDraft, apply_suspect, finish_into, legible, slug
from caseline.io.standards.dates import quantity_duration
from caseline.io.standards.model import ImportOptions, ImportResult, ImportWarning
from caseline.io.standards.provenance import coded, set_source, timed


def identify(head: bytes) -> bool:
    return b"urn:hl7-org:v3" in head and (b"PORR_IN049016UV" in head or b"MCCI_IN200100UV01" in head)


def convert(path: str, options: ImportOptions, subject: str | None = None, suspect: str | None = None) -> ImportResult:
    """Every ICSR of an E2B(R3) file (or batch); ``subject`` picks one by report id."""
    with open(path, "rb") as stream:
        raw = stream.read()
    root = x.parse(path, raw)
    result = ImportResult()
    reports = list(root.iter(f"{x.NS}investigationEvent"))
    if not reports:
        result.warnings.append(ImportWarning(path, "no ICSR (investigationEvent) in the file", error=True))
    for number, report in enumerate(reports, 1):
        ids = x.record_ids(report)
        report_id = ids.get("3.1") or ids.get("3.2") or f"ICSR {number}"
        if subject is not None and subject.lower() not in {i.lower() for i in ids.values()}:
            continue
        reader = _Report(path, report, report_id, options, result.warnings)
        draft = reader.build()
        if suspect is not None and not apply_suspect(draft, suspect):
            result.warnings.append(ImportWarning(path, f"no drug named {suspect!r}", record=f"ICSR {report_id}"))
        reader.settle()
        finish_into(draft, options, result)
    if subject is not None and not result.cases:
        result.warnings.append(ImportWarning(path, f"no ICSR with report id {subject!r}", error=True))
    return result


class _Report:
    """One ICSR being read into a case draft."""

    def __init__(
        self, path: str, report: Element, report_id: str, options: ImportOptions, warnings: list[ImportWarning]
    ) -> None:
        self.path, self.report, self.report_id, self.options, self.warnings = path, report, report_id, options, warnings
        self.file = os.path.basename(path)
        self.assessment = x.find(report, "component/adverseEventAssessment")
        self.role = x.find(self.assessment, "subject1/primaryRole")
        self.draft = CaseDraft("e2b", report_id, f"ICSR {report_id}", (self.file,), "icsr")
        self.reactions: dict[str, dict[str, Any]] = {}  # reaction id root -> event
        self.meddra: dict[str, dict[str, Any]] = {}  # MedDRA code of a reaction -> its event
        self.drugs: dict[str, dict[str, Any]] = {}  # drug id root -> first event of that drug
        self.given: list[_Given] = []  # what each drawn drug says that depends on which drug is suspected
        self.death: dict[str, Any] | None = None
        self.causes: list[tuple[str, str]] = []  # D.9.2.r reported causes of death: (MedDRA code, words)
        self.assessments: list[dict[str, Any]] = []  # the case's causality list (G.k.9.i.2)

    def where(self, what: str) -> str:
        return f"ICSR {self.report_id} {what}"

    def details(self, *values: str) -> list[str]:
        return [f"from {self.file}", *values]

    def build(self) -> CaseDraft:
        self.patient()
        organizers = {x.code_of(o): o for o in x.findall(self.role, "subjectOf2/organizer")}
        for number, observation in enumerate(x.by_code(self.role, "subjectOf2/observation", "29"), 1):
            self.reaction(number, observation)
        characterization = self.characterizations()
        drugs = x.findall(organizers.get("4"), "component/substanceAdministration")
        for number, drug in enumerate(drugs, 1):
            self.drug(number, drug, characterization.get(x.attr(x.find(drug, "id"), "root"), ""))
        self.causes_of_death()
        self.history(organizers.get("1"))
        self.drug_history(organizers.get("2"))
        self.tests(organizers.get("3"))
        self.case_level()
        return self.draft

    # ------------------------------------------------------------------ patient and case
    def patient(self) -> None:
        player = x.find(self.role, "player1")
        draft = self.draft
        name = x.find(player, "name")
        if x.text_of(name):
            draft.identify(x.text_of(name))
        draft.identify(self.report_id)
        sex = x.attr(x.find(player, "administrativeGenderCode"), "code")
        if sex in c.SEX:
            draft.patient["sex"] = c.SEX[sex]
        birth, _ = x.ts(x.find(player, "birthTime"), "D.2.1")
        if birth:
            draft.identify(f"born {birth}")
        for identified in x.findall(player, "asIdentifiedEntity"):
            draft.identify(x.attr(x.find(identified, "id"), "extension"))
        age = x.first_by_code(self.role, "subjectOf2/observation", "3")
        value = x.find(age, "value")
        if x.attr(value, "value"):
            unit = c.AGE_UNITS.get(x.attr(value, "unit"), x.attr(value, "unit"))
            draft.patient["age"] = f"{x.attr(value, 'value')} {unit}".strip()
        death, stated = x.ts(x.find(player, "deceasedTime"), "D.9.1")
        for observation in x.by_code(self.role, "subjectOf2/observation", "32"):
            value = x.find(observation, "value")
            cause = (x.attr(value, "code"), x.value_text(value))
            if any(cause):
                self.causes.append(cause)
        if death or x.attr(x.find(player, "deceasedInd"), "value") == "true" or self.causes:
            event = {"id": "death", "kind": "milestone", "type": "death", "label": "Death", "at": timed(death, stated)}
            self.death = self.draft.add(set_source(event, self.where("patient D.9"), self.details()))

    def case_level(self) -> None:
        narrative = x.text_of(x.find(self.report, "text"))
        if narrative:
            self.draft.case["summary"] = narrative
        for document in x.findall(self.report, "reference/document"):
            citation = x.text_of(x.find(document, "bibliographicDesignationText"))
            if citation and x.code_of(document) == "2":
                self.draft.case["citation"] = {"note": citation}
        reactions = list(self.reactions.values())
        suspect_id = self.draft.suspect.get("drug", "")
        drug = next((e for e in self.draft.events if e["id"] == suspect_id), None)
        if reactions:
            first = reactions[0]
            self.draft.suspect["reaction_event"] = first["id"]
            self.draft.suspect["reaction"] = first["label"]
        if drug is not None:
            self.draft.case["title"] = f"{reactions[0]['label'] if reactions else 'Reaction'} after {drug['drug']}"
        self.draft.case["title"] += f" (ICSR {self.report_id})"

    # ------------------------------------------------------------------ reactions
    def reaction(self, number: int, observation: Element) -> None:
        value = x.find(observation, "value")
        reported = x.text_of(x.find(value, "originalText"))
        translated = x.value_text(
            x.find(x.first_by_code(observation, "outboundRelationship2/observation", "30"), "value")
        )
        meddra = x.attr(value, "code")
        label = legible(reported or translated or (f"MedDRA {meddra}" if meddra else "Reaction"))
        times = x.interval(x.find(observation, "effectiveTime"))
        start, start_stated = x.ts(times["low"], "E.i.4")
        end, end_stated = x.ts(times["high"], "E.i.5")
        event: dict[str, Any] = {
            "id": f"reaction-{number}",
            "kind": "symptom",
            "label": label,
            "start": timed(start, start_stated),
        }
        if end:
            event["end"] = timed(end, end_stated)
        elif times["width"] is not None:
            duration = quantity_duration(x.attr(times["width"], "value"), x.attr(times["width"], "unit"))
            if duration and start:
                event["duration"] = duration
        flags: dict[str, Element] = {}
        notes = []
        for flag in x.findall(observation, "outboundRelationship2/observation"):
            if x.attr(x.find(flag, "code"), "codeSystem") != c.FDA_CRITERIA:
                flags[x.code_of(flag)] = flag
            elif x.code_of(flag) == c.FDA_INTERVENTION and x.attr(x.find(flag, "value"), "value") == "true":
                notes.append("Required intervention (FDA.E.i.3.2h), an FDA criterion the seriousness list has not.")
        criteria = c.seriousness({code: x.attr(x.find(flags.get(code), "value"), "value") for code in c.SERIOUS})
        if criteria:
            event["seriousness"] = criteria
        outcome_value = x.find(flags.get("27"), "value")
        outcome = x.attr(outcome_value, "code")
        if outcome in c.OUTCOME:
            event["outcome"] = c.OUTCOME[outcome]
            if outcome in ("2", "3") and "end" not in event and "duration" not in event:
                event["ongoing"] = True
        elif outcome:  # not an E2B(R3) code: which outcome the sender meant is not guessed
            words = x.attr(outcome_value, "displayName")
            notes.append(f"Outcome (E.i.7): code {outcome}{f' ({words})' if words else ''}, not an E2B(R3) code.")
            self.warnings.append(ImportWarning(self.path, f"E.i.7 outcome code {outcome!r} is not an E2B(R3) code: "
                                               "kept in the note", record=self.where(f"reaction {number}")))
        if notes:
            event["note"] = " ".join(notes)
        codes = [
            coded("MedDRA", meddra, "")
            + (
                f" (version {x.attr(value, 'codeSystemVersion')})"
                if meddra and x.attr(value, "codeSystemVersion")
                else ""
            ),
            f"E.i.1.1a {reported!r}" if reported else "",
            f"E.i.1.2 {translated!r}" if translated else "",
        ]
        added = self.draft.add(set_source(event, self.where(f"reaction {number}"), self.details(*codes)))
        if outcome in ("1", "4") and "end" in added:
            added["course"] = [{"at": f"{added['id']}.end", "state": "resolution"}]
        if outcome == "5" and not any(e["kind"] == "milestone" and e.get("type") == "death" for e in self.draft.events):
            death = {
                "id": "death",
                "kind": "milestone",
                "type": "death",
                "label": f"Death ({label})",
                "at": timed(end, end_stated)
                if end
                else timed(f"after {added['id']}", "E.i.7 fatal; date of death not given"),
            }
            death = set_source(death, self.where(f"reaction {number}"), self.details("E.i.7 fatal"))
            self.death = self.draft.add(death)
        self.reactions[x.attr(x.find(observation, "id"), "root") or added["id"]] = added
        if meddra:
            self.meddra.setdefault(meddra, added)

    # ------------------------------------------------------------------ drugs
    def characterizations(self) -> dict[str, str]:
        roles: dict[str, str] = {}
        for assessment in x.by_code(self.assessment, "component/causalityAssessment", "20"):
            drug = x.attr(x.find(assessment, "subject2/productUseReference/id"), "root")
            roles[drug] = x.attr(x.find(assessment, "value"), "code")
        return roles

    def drug(self, number: int, drug: Element, role_code: str) -> None:
        product = x.find(drug, "consumable/instanceOfKind/kindOfProduct")
        name = x.text_of(x.find(product, "name")) or f"drug {number}"
        record = self.where(f"drug {number} (G.k)")
        if role_code == "4":
            self.warnings.append(
                ImportWarning(self.path, "drug not administered (G.k.1 = 4): not drawn", record=record)
            )
            return
        role = c.ROLE.get(role_code, "")
        dosages = [d for d in x.findall(drug, "outboundRelationship2/substanceAdministration")]
        indications = [
            (x.attr(x.find(o, "value"), "code"), x.value_text(x.find(o, "value")))
            for o in x.by_code(drug, "inboundRelationship/observation", "19")
        ]
        action = ""
        for relationship in x.findall(drug, "inboundRelationship"):
            if x.attr(relationship, "typeCode") == "CAUS":
                action = x.code_of(x.find(relationship, "act"))
        notes = []
        if role == "interacting":  # the format's roles have no "interacting": drawn as suspected, said here
            notes.append("Interacting drug (G.k.1).")
        ingredients = [x.text_of(i) for i in findall_names(product)]
        codes = [
            coded("product code", x.attr(x.find(product, "code"), "code")),
            "ingredients " + ", ".join(ingredients) if ingredients else "",
            f"G.k.1 {role}" if role else "",
        ]
        events: list[dict[str, Any]] = []
        blocks: list[Element | None] = list(dosages) or [None]
        for block in blocks:
            event = self.dosage(name, block, role)
            if notes:
                event["note"] = " ".join(notes)
            events.append(self.draft.add(set_source(event, record, self.details(*codes))))
        first = events[0]
        self.drugs[x.attr(x.find(drug, "id"), "root")] = first
        self.given.append(_Given(events, action, [i for i in indications if i[1]]))
        if role in ("suspect", "interacting") and not self.draft.suspect.get("drug"):
            self.draft.suspect["drug"] = first["id"]
        self.onset_and_recurrence(drug, first, events)
        if action == "1":
            last = events[-1]
            at = (
                last["end"]
                if "end" in last
                else timed(
                    f"after {next(iter(self.reactions.values()))['id']}" if self.reactions else None,
                    "G.k.8 drug withdrawn; the date is not given",
                )
            )
            stop = {
                "id": f"{first['id']}-stop",
                "kind": "dechallenge",
                "target": first["id"],
                "at": at,
                "label": "Withdrawn",
            }
            self.draft.add(set_source(stop, record, self.details("G.k.8 1 (drug withdrawn)")))
        self.causality(drug, first)

    def dosage(self, name: str, block: Element | None, role: str) -> dict[str, Any]:
        times = x.interval(x.find(block, "effectiveTime"))
        flavor = x.null_flavor(times["self"])
        start, start_stated = x.ts(times["low"], "G.k.4.r.4")
        if flavor and times["low"] is None:
            start_stated = f"G.k.4.r.4 nullFlavor {flavor}"
        end, end_stated = x.ts(times["high"], "G.k.4.r.5")
        event: dict[str, Any] = {
            "id": slug(name, "drug"),
            "kind": "drug",
            "drug": legible(name),
            "lane": legible(name),
            "start": timed(start, start_stated),
        }
        if role in ("suspect", "interacting"):
            event["role"] = "suspected"
        elif role == "concomitant":
            event["role"] = "concomitant"
        if end:
            event["end"] = timed(end, end_stated)
        elif times["width"] is not None and start:
            duration = quantity_duration(x.attr(times["width"], "value"), x.attr(times["width"], "unit"))
            if duration:
                event["duration"] = duration
        dose = x.find(block, "doseQuantity")
        if x.attr(dose, "value"):
            try:
                event["dose"] = (
                    float(x.attr(dose, "value")) if "." in x.attr(dose, "value") else int(x.attr(dose, "value"))
                )
            except ValueError:
                event["dose"] = x.attr(dose, "value")
            if x.attr(dose, "unit") not in ("", "1"):
                event["unit"] = x.attr(dose, "unit")
        route = x.find(block, "routeCode")
        if route is not None and x.value_text(route):
            event["route"] = x.value_text(route)
        period = times["period"]
        if x.attr(period, "value"):
            every = quantity_duration(x.attr(period, "value"), x.attr(period, "unit"))
            event["frequency"] = (
                f"every {every}" if every else f"every {x.attr(period, 'value')} {x.attr(period, 'unit')}"
            )
        dosage_text = x.text_of(x.find(block, "text"))
        if dosage_text:
            event["frequency"] = f"{event['frequency']}; {dosage_text}" if "frequency" in event else dosage_text
        return event

    def onset_and_recurrence(self, drug: Element, first: dict[str, Any], events: list[dict[str, Any]]) -> None:
        """G.k.9.i.3 (time from first and last dose to onset) places a time the dates leave
        unknown; G.k.9.i.4 (recurrence on re-administration) adds the rechallenge."""
        for relationship in x.findall(drug, "outboundRelationship1"):
            pause = x.find(relationship, "pauseQuantity")
            reaction = self.reactions.get(x.attr(x.find(relationship, "actReference/id"), "root"))
            duration = quantity_duration(x.attr(pause, "value"), x.attr(pause, "unit"))
            if reaction is None or duration is None:
                continue
            kind = x.attr(relationship, "typeCode")
            label = "G.k.9.i.3.1 (first dose to onset)" if kind == "SAS" else "G.k.9.i.3.2 (last dose to onset)"
            stated = f"{label} {x.attr(pause, 'value')} {x.attr(pause, 'unit')}"
            reaction_start = reaction["start"]["time"]
            if kind == "SAS" and reaction_start == "unknown" and first["start"]["time"] != "unknown":
                reaction["start"] = timed(f"{duration} after {first['id']}", stated)
            elif kind == "SAS" and first["start"]["time"] == "unknown" and reaction_start != "unknown":
                first["start"] = timed(f"{duration} before {reaction['id']}", stated)
            else:
                reaction["note"] = " ".join(
                    filter(None, [reaction.get("note", ""), f"{label}: {duration} after {first['drug']}."])
                )
        for observation in x.by_code(drug, "outboundRelationship2/observation", "31"):
            code = x.attr(x.find(observation, "value"), "code")
            reaction = self.reactions.get(x.attr(x.find(observation, "outboundRelationship1/actReference/id"), "root"))
            if code not in c.RECURRENCE or code == "4":
                continue
            target = reaction or next(iter(self.reactions.values()), None)
            again = {
                "id": f"{first['id']}-again",
                "kind": "rechallenge",
                "target": first["id"],
                "label": "Readministered",
                "at": timed(f"after {target['id']}" if target else None, f"G.k.9.i.4 {code} ({c.RECURRENCE[code]})"),
            }
            again = self.draft.add(set_source(again, self.where("G.k.9.i.4"), self.details(c.RECURRENCE[code])))
            if code == "1" and target is not None:
                recurred = {
                    "id": f"{target['id']}-recurred",
                    "kind": "symptom",
                    "label": f"{target['label']} (recurred)",
                    "lane": target["label"],
                    "start": timed(f"after {again['id']}", "G.k.9.i.4 1: recurred"),
                }
                self.draft.add(
                    set_source(recurred, self.where("G.k.9.i.4"), self.details("recurrence on readministration"))
                )

    def causality(self, drug: Element, event: dict[str, Any]) -> None:
        """Each G.k.9.i.2.r assessment of this drug as an entry of the case's ``causality`` list (result,
        source and method); one whose reaction cannot be found stays in the drug's note."""
        root = x.attr(x.find(drug, "id"), "root")
        notes: list[str] = []
        for assessment in x.by_code(self.assessment, "component/causalityAssessment", "39"):
            if x.attr(x.find(assessment, "subject2/productUseReference/id"), "root") != root:
                continue
            reaction = self.reactions.get(x.attr(x.find(assessment, "subject1/adverseEffectReference/id"), "root"))
            result = x.value_text(x.find(assessment, "value"))
            method = x.text_of(x.find(assessment, "methodCode/originalText")) or x.value_text(
                x.find(assessment, "methodCode")
            )
            source = x.text_of(x.find(assessment, "author/assignedEntity/code/originalText")) or x.value_text(
                x.find(assessment, "author/assignedEntity/code")
            )
            if reaction is not None and result:
                self.assessments.append(c.causality_entry(event["id"], reaction["id"], result, method, source))
            elif result or method or source:
                about = reaction["label"] if reaction else "a reaction not in the report"
                how = ", ".join(s for s in (method, c.assessor(source)) if s)
                notes.append(f"{about}: {result or 'no result'}" + (f" ({how})" if how else ""))
        if notes:
            event["note"] = " ".join(
                filter(None, [event.get("note", ""), "Causality (G.k.9.i.2): " + "; ".join(notes) + "."])
            )

    def causes_of_death(self) -> None:
        """D.9.2.r: a reported cause of death that is a reaction of the report (same MedDRA code, else the
        same words) links the death to it (``caused_by``); any other cause stays in the death's note."""
        if self.death is None or not self.causes:
            return
        links: list[dict[str, str]] = []
        others: list[str] = []
        for code, words in self.causes:
            target = self.meddra.get(code) if code else None
            if target is None and words:
                same = legible(words).lower()
                target = next((r for r in self.reactions.values() if r["label"].lower() == same), None)
            if target is None:
                others.append(words or f"MedDRA {code}")
            elif all(link["target"] != target["id"] for link in links):
                links.append({"type": "caused_by", "target": target["id"], "note": "reported cause of death (D.9.2)"})
        if links:
            self.death["links"] = links
        if others:
            note = "Reported cause of death (D.9.2): " + "; ".join(others) + "."
            self.death["note"] = " ".join(filter(None, [self.death.get("note", ""), note]))

    def settle(self) -> None:
        """What depends on which drug is the suspected one (``--suspect`` may change it after the build):
        its G.k.8 action becomes ``action_taken`` of the reactions and its G.k.7 indication the case's
        ``diagnosis``. The format has ``action_taken`` only for the suspected drug and no indication
        field on a drug, so those of the other drugs stay in their notes."""
        suspect = self.draft.suspect.get("drug")
        for given in self.given:
            suspected = suspect in {e["id"] for e in given.events}
            indications = [words for _, words in given.indications]
            if suspected and not self.draft.case.get("diagnosis"):
                known = [w for code, w in given.indications
                         if code != c.UNKNOWN_INDICATION and "unknown indication" not in w.lower()]
                if known:
                    self.draft.case["diagnosis"] = "; ".join(known)
                    indications = [w for w in indications if w not in known]
            notes = [f"Indication (G.k.7): {'; '.join(indications)}."] if indications else []
            action = c.ACTION.get(given.action)
            if action is not None and suspected:
                for reaction in self.reactions.values():
                    reaction["action_taken"] = action[1]
            elif action is not None:
                notes.append(f"Action taken (G.k.8): {action[0]}.")
            elif given.action:  # not an E2B(R3) code
                notes.append(f"Action taken (G.k.8): code {given.action}, not an E2B(R3) code.")
            for event in given.events:  # an exact repeat of another G.k shares its event: say things once
                fresh = [n for n in notes if n not in event.get("note", "")]
                if fresh:
                    event["note"] = " ".join(filter(None, [*fresh, event.get("note", "")]))
        if self.assessments:
            self.draft.case["causality"] = list(self.assessments)

    # ------------------------------------------------------------------ history and tests
    def history(self, organizer: Element | None) -> None:
        for number, observation in enumerate(x.findall(organizer, "component/observation"), 1):
            code = x.code_of(observation)
            if code in ("18", "11"):  # D.7.2 free text, D.7.3 concomitant therapies
                text = x.value_text(x.find(observation, "value"))
                if code == "18" and text:
                    self.draft.patient["note"] = f"Medical history (D.7.2): {text}"
                continue
            comment = x.value_text(
                x.find(x.first_by_code(observation, "outboundRelationship2/observation", "10"), "value")
            )
            times = x.interval(x.find(observation, "effectiveTime"))
            start, stated = x.ts(times["low"], "D.7.1.r.2")
            label = comment or (f"MedDRA {code}" if code else "Medical history")
            event = {
                "id": f"history-{number}",
                "kind": "milestone",
                "type": "diagnosis",
                "label": legible(label),
                "lane": "Medical history",
                "at": timed(start, stated),
            }
            self.draft.add(
                set_source(event, self.where(f"history {number} (D.7.1.r)"), self.details(coded("MedDRA", code)))
            )

    def drug_history(self, organizer: Element | None) -> None:
        for number, administration in enumerate(x.findall(organizer, "component/substanceAdministration"), 1):
            name = x.text_of(x.find(administration, "consumable/instanceOfKind/kindOfProduct/name")) or "previous drug"
            times = x.interval(x.find(administration, "effectiveTime"))
            start, start_stated = x.ts(times["low"], "D.8.r.4")
            end, end_stated = x.ts(times["high"], "D.8.r.5")
            event: dict[str, Any] = {
                "id": f"past-{slug(name)}",
                "kind": "drug",
                "drug": legible(name),
                "role": "prior",
                "start": timed(start, start_stated),
            }
            if end:
                event["end"] = timed(end, end_stated)
            self.draft.add(set_source(event, self.where(f"drug history {number} (D.8.r)"), self.details()))

    def tests(self, organizer: Element | None) -> None:
        for number, observation in enumerate(x.findall(organizer, "component/observation"), 1):
            code_element = x.find(observation, "code")
            name = (
                x.text_of(x.find(code_element, "originalText"))
                or x.attr(code_element, "displayName")
                or (f"MedDRA {x.attr(code_element, 'code')}" if x.attr(code_element, "code") else "test")
            )
            when, stated = x.ts(x.find(observation, "effectiveTime"), "F.r.1")
            event: dict[str, Any] = {
                "id": f"test-{number}",
                "kind": "investigation",
                "test": legible(name),
                "lane": legible(name),
                "at": timed(when, stated),
            }
            value = x.find(observation, "value")
            kind = x.attr(value, x.XSI_TYPE)
            amount = x.find(value, "center") if kind == "IVL_PQ" else value
            if kind in ("PQ", "IVL_PQ") and x.attr(amount, "value"):
                try:
                    event["value"] = float(x.attr(amount, "value"))
                except ValueError:
                    event["result"] = x.attr(amount, "value")
                if x.attr(amount, "unit") not in ("", "1"):
                    event["value_unit"] = x.attr(amount, "unit")
            elif x.value_text(value):
                event["result"] = x.value_text(value)
            outcome = x.attr(x.find(observation, "interpretationCode"), "code")
            if outcome in c.TEST_RESULT:
                event["result"] = " ".join(filter(None, [event.get("result", ""), c.TEST_RESULT[outcome]]))
                if outcome == "3":
                    event["interpretation"] = "borderline"
            reference: dict[str, float] = {}
            for bound in x.findall(observation, "referenceRange/observationRange"):
                side = {"L": "low", "H": "high"}.get(x.attr(x.find(bound, "interpretationCode"), "code"))
                try:
                    if side:
                        reference[side] = float(x.attr(x.find(bound, "value"), "value"))
                except ValueError:
                    pass
            if reference and not ("low" in reference and "high" in reference and reference["low"] >= reference["high"]):
                event["reference"] = reference
            self.draft.add(
                set_source(
                    event,
                    self.where(f"test {number} (F.r)"),
                    self.details(coded("MedDRA", x.attr(code_element, "code"))),
                )
            )


def findall_names(product: Element | None) -> list[Element]:
    return [n for n in x.findall(product, "ingredient/ingredientSubstance/name") if x.text_of(n)]


@dataclass
class _Given:
    """A drawn drug's events, G.k.8 action code and G.k.7.r indications ((MedDRA code, words) each)."""

    events: list[dict[str, Any]]
    action: str
    indications: list[tuple[str, str]]
