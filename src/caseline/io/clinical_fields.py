"""The builder's readers for the clinical attributes of events (caseline.model.clinical): a therapy's
``response``, ``links`` between events, a re-exposure's form and outcome, a pertinent negative
(``absent``), a reaction's seriousness, outcome, grade and action taken, a procedure's ``type``, and the
case's reported ``causality`` list. :class:`caseline.io.case_document.Builder` inherits them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from caseline.io.case_fields import CAUSALITY_KEYS, GRADE_KEYS, LINK_KEYS
from caseline.io.located import LList, LMap
from caseline.io.value_reader import ValueReader
from caseline.model.case import Event
from caseline.model.clinical import (
    ActionTaken,
    Causality,
    CausalityScale,
    EventLink,
    Exposure,
    Grade,
    GradeScale,
    LinkType,
    ProcedureType,
    ReactionOutcome,
    RechallengeOutcome,
    Response,
    Seriousness,
)
from caseline.model.diagnostics import SourcePos
from caseline.model.finalize import IdHints
from caseline.model.kinds import FieldGroup, Kind

#: At most this many links on one event and causality entries in one case (a list a file could grow).
MAX_LINKS = 1_000


#: What each side of a drug - reaction pair (a reported causality, a user's Naranjo answers) may name.
PAIR_KINDS = (("drug", (Kind.DRUG, Kind.THERAPY)), ("reaction", (Kind.SYMPTOM, Kind.INVESTIGATION, Kind.MILESTONE)))


def pair_refs_ok(reader: ValueReader, entry: LMap, what: str, drug: str, reaction: str, ids: dict[str, Event],
                 hints: IdHints) -> bool:
    """Report (at their place) a pair's drug or reaction that is not an event of the case, or not of a kind
    that side may name; True when both are fine."""
    ok = True
    for (key, kinds), ref in zip(PAIR_KINDS, (drug, reaction), strict=True):
        event = ids.get(ref)
        if ref and event is None:
            reader.error(entry.where(key), f"{what} {key} {ref!r} is not an event of this case", hints(ref))
            ok = False
        elif event is not None and event.kind not in kinds:
            reader.error(entry.where(key), f"{what} {key} {ref!r} is a {event.kind.value} event",
                         f"name a {' or '.join(k.value for k in kinds)} event")
            ok = False
    return ok


class ClinicalFields(ValueReader):
    """Readers of the clinical field groups; event ids named by links are checked once the case is read."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.link_refs: list[tuple[str, SourcePos]] = []  # (target id, where) of the case being read

    def clinical_fields(self, group: FieldGroup, data: LMap, kind: Kind) -> dict[str, Any] | None:
        """The model fields of a clinical field group (None: not one of them)."""
        if group is FieldGroup.RESPONSE:
            return {"response": self.enum(data, "response", Response, "response")}
        if group is FieldGroup.PROCEDURE:
            return {"procedure": self.enum(data, "type", ProcedureType, "procedure type") or ProcedureType.OTHER}
        if group is FieldGroup.ABSENT:
            absent = self.flag(data, "absent")
            if absent and ("course" in data or "severity" in data):
                self.error(data.where("absent"), "a finding stated as absent has no 'course' or 'severity'",
                           "make the finding that was present its own event")
            return {"absent": absent}
        if group is FieldGroup.REEXPOSURE:
            return self.reexposure(data)
        if group is FieldGroup.REACTION:
            return {"seriousness": self.seriousness(data),
                    "outcome": self.enum(data, "outcome", ReactionOutcome, "reaction outcome"),
                    "grade": self.grade(data),
                    "action_taken": self.enum(data, "action_taken", ActionTaken, "action taken")}
        return None

    def reexposure(self, data: LMap) -> dict[str, Any]:
        exposure = self.enum(data, "exposure", Exposure, "re-exposure")
        drug = self.text(data, "drug")
        if exposure is Exposure.CLASS_SWITCH and not drug:
            self.error(data.where("exposure"), "a class switch names the other drug in 'drug'",
                       "add 'drug: ...', the drug of the same class that was given")
        elif drug and exposure is not Exposure.CLASS_SWITCH:
            self.error(data.where("drug"), "'drug' on a rechallenge names the other drug of a class switch",
                       "add 'exposure: class_switch', or remove 'drug' (the rechallenge gives its target again)")
        return {"exposure": exposure, "drug": drug,
                "rechallenge_outcome": self.enum(data, "outcome", RechallengeOutcome, "re-exposure outcome")}

    def seriousness(self, data: LMap) -> tuple[Seriousness, ...]:
        if "seriousness" not in data:
            return ()
        raw = data["seriousness"]
        values = [raw] if isinstance(raw, str) else raw if isinstance(raw, LList) else None
        if values is None or not values or len(values) > len(Seriousness):
            self.error(data.where("seriousness"), "'seriousness' must be a list of criteria, or not_serious",
                       "write seriousness: [hospitalisation, disability]")
            return ()
        out: list[Seriousness] = []
        for i, value in enumerate(values):
            where = values.where(i) if isinstance(values, LList) else data.where("seriousness")
            holder = LMap(where)
            holder["seriousness"] = value
            holder.val_pos["seriousness"] = where
            member = self.enum(holder, "seriousness", Seriousness, "seriousness criterion")
            if member is not None and member not in out:
                out.append(member)
        if Seriousness.NOT_SERIOUS in out and len(out) > 1:
            self.error(data.where("seriousness"), "a reaction is either not_serious or meets seriousness criteria",
                       "remove not_serious, or the criteria")
            return ()
        return tuple(out)

    def grade(self, data: LMap) -> Grade | None:
        if "grade" not in data:
            return None
        g = self.mapping(data["grade"], data.where("grade"), "'grade'")
        if g is None:
            return None
        self.check_keys(g, GRADE_KEYS, "'grade'")
        scale_text = self.text(g, "scale", required=True, what="'grade'")
        value = self.text(g, "value", required=True, what="'grade'")
        scale = {s.value.lower(): s for s in GradeScale}.get(scale_text.lower())
        if scale_text and scale is None:
            self.error(g.where("scale"), f"{scale_text!r} is not a grade scale caseline knows",
                       "use one of: " + ", ".join(s.value for s in GradeScale) + " (other: say which in 'value')")
        return Grade(scale, value) if scale is not None and value else None

    def links(self, data: LMap) -> tuple[EventLink, ...]:
        """``links: [{type, target, note}]`` of an event (targets are checked by :meth:`check_links`)."""
        items = data.get("links")
        if items is None:
            return ()
        if not isinstance(items, LList) or len(items) > MAX_LINKS:
            self.error(data.where("links"), f"'links' must be a list (at most {MAX_LINKS:,})",
                       "- {type: improved_after, target: ivig}")
            return ()
        out: list[EventLink] = []
        for i, item in enumerate(items):
            link = self.mapping(item, items.where(i), "a link")
            if link is None:
                continue
            self.check_keys(link, LINK_KEYS, "a link")
            kind = self.enum(link, "type", LinkType, "link type")
            target = self.text(link, "target", required=True, what="a link")
            if "type" not in link:
                self.error(link.pos, "a link needs a 'type'", "one of: " + ", ".join(t.value for t in LinkType))
            if kind is not None and target:
                self.link_refs.append((target, link.where("target")))
                out.append(EventLink(kind, target, self.text(link, "note")))
        return tuple(out)

    def causality(self, data: LMap, events: Sequence[Event]) -> tuple[Causality, ...]:
        """The case's ``causality:`` list; also checks the link targets of its events."""
        ids = {e.id: e for e in events}
        hints = IdHints(ids)
        for ref, where in self.link_refs:
            if ref not in ids:
                self.error(where, f"link target {ref!r} is not an event of this case", hints(ref))
        self.link_refs = []
        items = data.get("causality")
        if items is None:
            return ()
        if not isinstance(items, LList) or len(items) > MAX_LINKS:
            self.error(data.where("causality"), "'causality' must be a list of assessments",
                       "- {drug: ifx, reaction: weakness, scale: naranjo, value: 7}")
            return ()
        out: list[Causality] = []
        for i, item in enumerate(items):
            c = self.mapping(item, items.where(i), "a causality assessment")
            if c is None:
                continue
            self.check_keys(c, CAUSALITY_KEYS, "a causality assessment")
            what = "a causality assessment"
            drug, reaction = self.text(c, "drug", True, what), self.text(c, "reaction", True, what)
            scale = self.enum(c, "scale", CausalityScale, "causality scale")
            value = self.text(c, "value", True, what)
            if "scale" not in c:
                self.error(c.pos, "a causality assessment needs a 'scale'",
                           "one of: " + ", ".join(s.value for s in CausalityScale))
            ok = pair_refs_ok(self, c, "causality", drug, reaction, ids, hints)
            if ok and drug and reaction and scale is not None and value:
                out.append(Causality(drug, reaction, scale, value, self.text(c, "by"), self.text(c, "note")))
        return tuple(out)


def reexposure_label(exposure: Exposure, drug: str) -> str:
    """The label of a re-exposure the file does not label: 'Switched to adalimumab'."""
    if exposure is Exposure.CLASS_SWITCH:
        return f"Switched to {drug}" if drug else "Switched within the class"
    return "Further dose (inadvertent)" if exposure is Exposure.INADVERTENT else "Rechallenged"
