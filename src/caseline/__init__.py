"""caseline: interactive swimlane timelines of clinical cases."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from caseline.timeline.resolved import ResolvedCase

__version__ = "0.1.0"


def load(path: str | os.PathLike[str]) -> list[ResolvedCase]:
    """Return the cases in a case file, resolved. Raises CaseFileError listing every error."""
    from caseline.timeline.load import load_cases

    return load_cases(path)


__all__ = ["__version__", "load"]
