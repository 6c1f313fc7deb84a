"""A number as the source writes it.

A report gives "CSF protein 1.50 g/L" or "0.1234567 mg": read as a float and shown with ``:g``, those became
1.5 and 0.123457, a precision the source did not state (or less than it did). A :class:`Written` number is
the float, and it formats (``f"{x:g}"``, ``str(x)``) as its text. Arithmetic gives plain floats: a computed
value (a shifted day, a sum) claims no written precision. Only plain decimal notation is kept
('1.50', '10.0', '1234567'); other spellings ('1e3', '.5', '007') read as their value.
"""

from __future__ import annotations

import re

#: Plain decimal notation without leading zeros: the spellings whose digits state a precision.
_DECIMAL = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?")


class Written(float):
    """A float that formats as the text it was read from (see the module docstring)."""

    __slots__ = ("text",)
    text: str

    def __new__(cls, value: float, text: str = "") -> Written:
        number = super().__new__(cls, value)
        number.text = text
        return number

    def __getnewargs__(self) -> tuple[float, str]:  # type: ignore[override]
        return float(self), self.text

    def __format__(self, spec: str) -> str:
        return self.text if spec in ("", "g") and self.text else float.__format__(self, spec)

    def __str__(self) -> str:
        return self.text or float.__repr__(self)


def written(text: str) -> float:
    """The number ``text`` spells (ValueError when none), keeping its written digits where ``:g`` would not."""
    return as_written(float(text), text)


def as_written(value: float, text: str) -> float:
    """``value`` (read from ``text``), as a Written number when its digits say more than ``:g`` shows."""
    t = text.strip().removeprefix("+")
    if _DECIMAL.fullmatch(t) and f"{value:g}" != t:
        return Written(value, t)
    return value
