"""The cross-reference rules every reader applies once a case's events are read.

- The suspected drug (``suspect.drug``) gets the suspected role and the suspected-drug category.
- A stop or restart (a kind with the TARGET field group) must name a drug or therapy of the case, and is
  drawn on that drug's lane, in its category.

They live in the model, not in one reader, so a reader that builds model objects (FHIR, SDTM, ...) is
one module: it calls :func:`finalize_events` and gets the same case the YAML reader would build.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterable, Sequence

from caseline.model.case import Event, Suspect
from caseline.model.diagnostics import Diagnostic
from caseline.model.kinds import KIND_SPECS, Category, DrugRole, FieldGroup


def finalize_events(events: Sequence[Event], suspect: Suspect) -> tuple[list[Event], list[Diagnostic]]:
    """The events with the cross-reference rules applied, and a diagnostic for each broken reference."""
    diagnostics: list[Diagnostic] = []
    out: list[Event] = []
    for event in events:
        if suspect.drug and event.id == suspect.drug and KIND_SPECS[event.kind].has(FieldGroup.ROLE):
            event = dataclasses.replace(event, role=event.role or DrugRole.SUSPECTED, category=Category.SUSPECT)
        out.append(event)
    by_id = {e.id: e for e in out}
    hints = IdHints(by_id)
    linked: list[Event] = []
    for event in out:
        if KIND_SPECS[event.kind].has(FieldGroup.TARGET) and event.target:
            target = by_id.get(event.target)
            if target is None or not KIND_SPECS[target.kind].has(FieldGroup.DRUG):
                diagnostics.append(Diagnostic(event.pos, f"{event.kind.value} target {event.target!r} is not a drug "
                                                         "or therapy event of this case", hints(event.target)))
            else:
                event = dataclasses.replace(event, lane=event.lane if event.lane != event.label else target.lane,
                                            category=target.category)
        linked.append(event)
    return linked, diagnostics


def id_hint(ref: str, ids: Iterable[str]) -> str:
    """'did you mean ...?' for an id that names no event (the closest id, if one is close)."""
    close = difflib.get_close_matches(ref, sorted(ids), n=1)
    return f"did you mean {close[0]!r}?" if close else "use the 'id' of an event in this case"


class IdHints:
    """'did you mean' hints for ids that name no event, within a budget of comparisons.

    Each hint compares the id with every id of the case; thousands of unknown ids in a file of thousands
    of events would take minutes. Past ``budget`` comparisons the hint is the plain advice.
    """

    BUDGET = 200_000

    def __init__(self, ids: Iterable[str], budget: int = BUDGET) -> None:
        self.ids = sorted(ids)
        self.left = budget

    def __call__(self, ref: str) -> str:
        if self.left < len(self.ids) or len(ref) > 200:
            return "use the 'id' of an event in this case"
        self.left -= len(self.ids)
        return id_hint(ref, self.ids)
