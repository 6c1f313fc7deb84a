"""Reading ICH E2B(R3) XML safely, and the small helpers that walk its HL7 v3 structure.

E2B files come from outside, so the parser refuses any ``<!DOCTYPE`` or entity declaration
outright (no entity expansion, no external fetches), then parses with defusedxml, which refuses
them a second time should the first check ever be bypassed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from caseline.io.standards.dates import hl7_ts
from caseline.io.standards.model import UnreadableInput

NS = "{urn:hl7-org:v3}"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
ICH_CODES = "2.16.840.1.113883.3.989.2.1.1.19"  # ICH observation codes (29 = reaction, 27 = outcome...)
ORGANIZER_CODES = "2.16.840.1.113883.3.989.2.1.1.20"  # 1 history, 2 drug history, 3 tests, 4 drugs
MEDDRA = "2.16.840.1.113883.6.163"
_DECLARATION = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_NULL_FLAVORS = {
    "NI": "no information",
    "UNK": "unknown",
    "ASKU": "asked, unknown",
    "NASK": "not asked",
    "MSK": "masked",
    "NA": "not applicable",
    "OTH": "other",
    "NAV": "not available",
    "NINF": "negative infinity",
    "PINF": "positive infinity",
}


def parse(path: str, raw: bytes) -> Element:
    """The document's root element; raises :class:`UnreadableInput` for refused or broken XML."""
    declared = _DECLARATION.search(raw)
    if declared is not None:
        at_line = raw.count(b"\n", 0, declared.start()) + 1
        at_column = declared.start() - (raw.rfind(b"\n", 0, declared.start()) + 1) + 1
        raise UnreadableInput(
            path,
            f"refused: the XML declares <!{declared.group(1).decode().upper()}",
            "E2B(R3) files need no DTD; caseline never expands entities or fetches anything",
            line=at_line,
            column=at_column,
        )
    try:
        return SafeET.fromstring(raw, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except ParseError as exc:
        position: tuple[int, int] | None = getattr(exc, "position", None)
        line = position[0] if position else None
        column = position[1] + 1 if position else None
        raise UnreadableInput(path, f"not well-formed XML: {exc}", line=line, column=column) from exc
    except DefusedXmlException as exc:
        raise UnreadableInput(path, f"refused: {exc}") from exc


def q(path: str) -> str:
    """An ElementTree path in the HL7 v3 namespace: ``a/b`` -> ``{urn:hl7-org:v3}a/{urn:...}b``."""
    return "/".join(part if part in (".", "..") or part.startswith("{") else NS + part for part in path.split("/"))


def find(element: Element | None, path: str) -> Element | None:
    return None if element is None else element.find(q(path))


def findall(element: Element | None, path: str) -> list[Element]:
    return [] if element is None else element.findall(q(path))


def text_of(element: Element | None) -> str:
    return " ".join((element.text or "").split()) if element is not None else ""


def attr(element: Element | None, name: str) -> str:
    return (element.get(name) or "").strip() if element is not None else ""


def code_of(element: Element | None) -> str:
    return attr(find(element, "code"), "code")


def by_code(parent: Element | None, path: str, code: str) -> Iterator[Element]:
    """Children at ``path`` whose ``code/@code`` is ``code`` (the ICH way of naming a field)."""
    for element in findall(parent, path):
        if code_of(element) == code:
            yield element


def first_by_code(parent: Element | None, path: str, code: str) -> Element | None:
    return next(by_code(parent, path, code), None)


def value_text(element: Element | None) -> str:
    """What a ``value`` says in words: its text, originalText, displayName, or value/unit."""
    if element is None:
        return ""
    own = text_of(element)
    if own:
        return own
    original = text_of(find(element, "originalText"))
    if original:
        return original
    for name in ("displayName", "value", "code"):
        if attr(element, name):
            return attr(element, name) + (
                f" {attr(element, 'unit')}" if name == "value" and attr(element, "unit") not in ("", "1") else ""
            )
    return ""


def null_flavor(element: Element | None) -> str:
    """``nullFlavor="ASKU"`` -> ``ASKU (asked, unknown)``; empty when the element has a value."""
    flavor = attr(element, "nullFlavor")
    return f"{flavor} ({_NULL_FLAVORS.get(flavor, 'no value')})" if flavor else ""


def ts(element: Element | None, label: str) -> tuple[str | None, str]:
    """A TS element as (date at its precision or None, stated text ``E.i.4 20141010``)."""
    if element is None:
        return None, f"{label} not given"
    flavor = null_flavor(element)
    if flavor:
        return None, f"{label} nullFlavor {flavor}"
    raw = attr(element, "value")
    if not raw:
        return None, f"{label} not given"
    value = hl7_ts(raw)
    suffix = " (time of day not shown)" if value and len(raw) > 8 else ""
    return value, f"{label} {raw}{suffix}" if value else f"{label} {raw} (not a date: unknown)"


def interval(element: Element | None) -> dict[str, Element | None]:
    """The low / high / width / period of an IVL_TS, PIVL_TS or SXPR_TS effectiveTime, wherever
    they sit (SXPR_TS nests them in ``comp`` elements)."""
    parts: dict[str, Element | None] = {"low": None, "high": None, "width": None, "period": None, "self": element}
    if element is None:
        return parts
    for child in element.iter():
        name = child.tag.removeprefix(NS)
        if name in parts and parts[name] is None:
            parts[name] = child
    return parts


def record_ids(element: Element | None) -> dict[str, str]:
    """``id`` children by the last part of their root OID (``3.1`` C.1.1, ``3.2`` C.1.8.1)."""
    ids: dict[str, str] = {}
    for child in findall(element, "id"):
        root = attr(child, "root")
        key = ".".join(root.split(".")[-2:]) if root.startswith("2.16.840.1.113883.3.989.2.1.3") else root
        ids[key] = attr(child, "extension") or root
    return ids


def describe(element: Element | None) -> dict[str, Any]:
    """A few attributes of an element, for messages."""
    return {} if element is None else dict(element.attrib)
