"""Where each imported fact came from, written in one place.

The case format has no dedicated provenance fields yet, so an imported event carries:

- ``source.section``: the record it came from (``AE AESEQ=3``, ``MedicationRequest/5c1``,
  ``ICSR US-X-1 reaction 2``);
- ``source.note``: the file, the codes (MedDRA, SNOMED, LOINC codes stay here; the label shows the
  reported term), and other values as the source wrote them;
- each time's ``stated``: the element and its original value (``AESTDTC 2013-02``).

When the format gains dedicated fields (record, original value, codes), only this module changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

UNKNOWN = "unknown"


def timed(expr: str | None, stated: str) -> dict[str, str]:
    """A time with the source's wording: ``{"time": expr, "stated": "AESTDTC 2013-02"}``.
    A missing expression is ``unknown``, never a made-up date."""
    return {"time": expr or UNKNOWN, "stated": stated}


def set_source(event: dict[str, Any], record: str, details: Iterable[str] = ()) -> dict[str, Any]:
    """Record where ``event`` came from: its record key and the source's own values and codes."""
    note = "; ".join(d for d in details if d)
    source: dict[str, str] = {"section": record}
    if note:
        source["note"] = note
    event["source"] = source
    return event


def add_source_detail(event: dict[str, Any], detail: str) -> None:
    """Append one more detail (an exact repeat merged into this event, say) to its provenance."""
    source = event.setdefault("source", {})
    note = source.get("note", "")
    source["note"] = f"{note}; {detail}" if note else detail


def record_of(event: dict[str, Any]) -> str:
    """The record key an event was made from (for messages)."""
    source = event.get("source") or {}
    return str(source.get("section", ""))


def coded(system: str, code: Any, display: Any = "") -> str:
    """A code kept for provenance: ``MedDRA 10019211 'Headache'``. Empty when there is no code."""
    code_text = "" if code is None else str(code).strip()
    if not code_text:
        return ""
    shown = str(display or "").strip()
    return f"{system} {code_text}" + (f" {shown!r}" if shown else "")
