"""Diagnostics: every problem found in a file, with file:line:col and what to do about it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from caseline.model.case import SourcePos


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    pos: SourcePos
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        tail = f" ({self.hint})" if self.hint else ""
        prefix = "" if self.severity is Severity.ERROR else "warning: "
        return f"{self.pos}: {prefix}{self.message}{tail}"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


class UnreadableFile(Exception):
    """The file cannot be read at all (missing, binary, not UTF-8, too big)."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic


class CaseFileError(Exception):
    """The file was read but has errors; ``diagnostics`` lists every one."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(str(d) for d in diagnostics))
        self.diagnostics = diagnostics
