"""Where a problem is and what it is: source positions, diagnostics and the errors that carry them.

Every layer reports problems this way (the readers, the builder, the resolver), so a message is
always ``FILE:LINE:COL: message (what to do)``. Pure Python; the base of the package.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from caseline.model._fast_init import fast_frozen_init


@fast_frozen_init
@dataclass(frozen=True, slots=True)
class SourcePos:
    """Where something stands in a file: 1-based line and column (0 = unknown)."""

    file: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.col or 1}"
        return self.file


class DiagnosticLevel(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in a file, with the position it is about and a hint on how to fix it."""

    pos: SourcePos
    message: str
    hint: str = ""
    level: DiagnosticLevel = DiagnosticLevel.ERROR

    def __str__(self) -> str:
        tail = f" ({self.hint})" if self.hint else ""
        prefix = "" if self.level is DiagnosticLevel.ERROR else "warning: "
        return f"{self.pos}: {prefix}{self.message}{tail}"

    @property
    def is_error(self) -> bool:
        return self.level is DiagnosticLevel.ERROR


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
