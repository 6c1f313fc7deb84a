"""Source positions, shared by the model and the time expressions."""

from __future__ import annotations

from dataclasses import dataclass

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
