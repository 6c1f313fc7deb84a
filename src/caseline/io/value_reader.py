"""Reading located values (caseline.io.located) into typed values, collecting every problem.

The base of the case-document builder: text, numbers, flags, enums, lists, times, durations and
counts, each checked and reported with the FILE:LINE:COL of the value it is about.
"""

from __future__ import annotations

import difflib
import math
import re
from typing import Any, TypeVar

from caseline.io.case_fields import (
    TIME_KEYS,
)
from caseline.io.located import LABEL_KEYS, MAX_LABEL_CHARS, MAX_TEXT_CHARS, LList, LMap, keeps_positions
from caseline.model.case import (
    MAX_ADMINISTRATIONS,
    Provenance,
)
from caseline.model.diagnostics import Diagnostic, DiagnosticLevel, SourcePos
from caseline.model.kinds import (
    Kind,
)
from caseline.model.numbers import Written, written
from caseline.model.time_expressions import Amount, TimeExpr, TimeSyntaxError, parse_duration_value, parse_time

_EVENT_WHAT = {kind: f"a {kind.value} event" for kind in Kind}
_NO_SOURCE = Provenance()
_UNKNOWN = frozenset({"unknown", "not stated", "unstated", "?"})
_DAYS_RANGE = re.compile(r"^\s*(\d+)\s*(?:-|–|to)\s*(\d+)\s*$")
_ORDER = [k.value for k in Kind]

E = TypeVar("E")


class ValueReader:
    """Collects diagnostics while turning located values into model objects."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.diagnostics: list[Diagnostic] = []
        self.n_events = 0  # events read so far, all cases (MAX_EVENTS)
        self.n_items = 0  # administrations, course points and severity values stated so far (MAX_ITEMS)
        self.positions = keeps_positions()  # False: read without positions (caseline.io.located.without_positions)

    # ------------------------------------------------------------------ reporting
    def error(self, pos: SourcePos, message: str, hint: str = "") -> None:
        self.diagnostics.append(Diagnostic(pos, message, hint))

    def warn(self, pos: SourcePos, message: str, hint: str = "") -> None:
        self.diagnostics.append(Diagnostic(pos, message, hint, DiagnosticLevel.WARNING))

    def check_keys(self, mapping: LMap, allowed: set[str], what: str) -> None:
        for key in mapping:
            if key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1)
                hint = f"did you mean {close[0]!r}?" if close else "allowed: " + ", ".join(sorted(allowed))
                if mapping[key] is None and (" " in key or not close):
                    # {at: after ivig, then plex, state: ...}: a comma inside {...} ends the text
                    hint = (f"a comma inside {{...}} ends a value: if {key!r} belongs to the text before it, "
                            "put that text in quotes, e.g. at: \"after a, then b\"")
                self.error(mapping.key_pos.get(key, mapping.pos), f"unknown field {key!r} in {what}", hint)

    # ------------------------------------------------------------------ typed getters
    def mapping(self, value: Any, pos: SourcePos, what: str) -> LMap | None:
        if isinstance(value, LMap):
            return value
        self.error(pos, f"{what} must be a mapping (key: value lines)", f"got {kind_of(value)}")
        return None

    def text(self, mapping: LMap, key: str, required: bool = False, what: str = "") -> str:
        value = mapping.get(key)
        if value.__class__ is str:  # the common case, first
            if len(value) > MAX_LABEL_CHARS:
                limit = MAX_LABEL_CHARS if key in LABEL_KEYS else MAX_TEXT_CHARS
                if len(value) > limit:
                    self.error(mapping.where(key), f"{key!r} is {len(value):,} characters long, more than the "
                               f"{limit:,} it may have", "shorten it; put longer text in 'note'"
                               if key in LABEL_KEYS else "shorten it (was a document pasted in?)")
                    return value[:limit].strip()  # the error stands; no second one for a missing value
            return value.strip()  # type: ignore[no-any-return]
        if value is None:
            if required:
                article = "an" if key[:1] in "aeiou" else "a"
                self.error(mapping.pos, f"{what} needs {article} {key!r}", f"add '{key}: ...'")
            return ""
        value = mapping[key]
        if isinstance(value, (bool, LMap | LList)):
            self.error(mapping.where(key), f"{key!r} must be text", f"got {kind_of(value)}")
            return ""
        if isinstance(value, Written):
            return value.text
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()

    def flag(self, mapping: LMap, key: str, default: bool = False) -> bool:
        value = mapping.get(key)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        self.error(mapping.where(key), f"{key!r} must be true or false", f"got {kind_of(value)}")
        return default

    def number(self, mapping: LMap, key: str) -> float | None:
        if key not in mapping or mapping[key] is None:
            return None
        value = mapping[key]
        try:
            if isinstance(value, Written):
                number: float = value  # (float() would drop the digits it was written with)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                number = float(value)
            else:
                number = written(str(value))  # a table's cell: '1.50' stays 1.50
        except (ValueError, OverflowError):
            self.error(mapping.where(key), f"{key!r} must be a number", f"got {shown(value)}")
            return None
        if not math.isfinite(number):
            self.error(mapping.where(key), f"{key!r} must be a finite number", f"got {value!r}")
            return None
        return number

    def enum(self, mapping: LMap, key: str, enum: type[E], what: str) -> E | None:
        raw = self.text(mapping, key)
        if not raw:
            return None
        member = enum._value2member_map_.get(raw.lower())  # type: ignore[attr-defined]
        if member is not None:
            return member  # type: ignore[no-any-return]
        try:
            return enum(raw.lower())  # type: ignore[call-arg]
        except ValueError:
            options = [e.value for e in enum]  # type: ignore[attr-defined]
            close = difflib.get_close_matches(raw.lower(), options, n=1) if len(raw) <= 100 else []
            hint = f"did you mean {close[0]!r}?" if close else "use one of: " + ", ".join(options)
            self.error(mapping.where(key), f"{shown(raw)} is not a valid {what}", hint)
            return None

    def string_list(self, mapping: LMap, key: str) -> tuple[str, ...]:
        value = mapping.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, LList) or any(isinstance(v, LMap | LList) for v in value):
            self.error(mapping.where(key), f"{key!r} must be a list of text", "write [a, b, c]")
            return ()
        if sum(len(str(v)) for v in value) > MAX_TEXT_CHARS:
            self.error(mapping.where(key), f"{key!r} is longer than the {MAX_TEXT_CHARS:,} characters a text field "
                                           "may have", "shorten it")
            return ()
        return tuple(str(v) for v in value)

    def time(self, mapping: LMap, key: str) -> TimeExpr | None:
        if key not in mapping:
            return None
        return self.time_value(mapping[key], mapping.where(key))

    def time_value(self, value: Any, pos: SourcePos) -> TimeExpr | None:
        stated = ""
        if isinstance(value, LMap):
            self.check_keys(value, TIME_KEYS, "a time")
            stated = self.text(value, "stated")
            if "time" not in value:
                self.error(value.pos, "a time mapping needs 'time'", "write {time: week 2, stated: ...}")
                return None
            pos = value.where("time")
            value = value["time"]
        if value is None:
            self.error(pos, "the time is empty", "write a time, or 'unknown' if the source does not say")
            return None
        try:
            expr = parse_time(value)
        except TimeSyntaxError as exc:
            self.error(pos, exc.message, exc.hint)
            return None
        if not self.positions and not stated:
            return expr  # the parsed time as it is (shared by every time of the same text)
        return TimeExpr(expr.node, expr.text, expr.approximate, expr.widen, stated, pos, expr.vague)

    def duration(self, mapping: LMap, key: str) -> Amount | None:
        if key not in mapping:
            return None
        try:
            return parse_duration_value(mapping[key])
        except TimeSyntaxError as exc:
            self.error(mapping.where(key), exc.message, exc.hint)
            return None

    def count(self, mapping: LMap, key: str) -> int | None:
        value = mapping.get(key)
        if value is None or (isinstance(value, str) and value.strip().lower() in _UNKNOWN):
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.error(mapping.where(key), f"{key!r} must be a whole number of 1 or more", f"got {shown(value)}")
            return None
        if value > MAX_ADMINISTRATIONS:
            self.error(mapping.where(key), f"{key!r} of {value} is more than {MAX_ADMINISTRATIONS:,}",
                       f"a schedule may have at most {MAX_ADMINISTRATIONS:,} administrations; check the number")
            return None
        return value

    # ------------------------------------------------------------------ documents


def shown(value: Any) -> str:
    """repr of a value for a message, cut to 40 characters (a pasted paragraph stays readable)."""
    text = repr(value) if not isinstance(value, LMap | LList) else kind_of(value)
    return text if len(text) <= 40 else text[:37] + "..."


def kind_of(value: Any) -> str:
    if isinstance(value, LMap):
        return "a mapping"
    if isinstance(value, LList):
        return "a list"
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {value!r}"


