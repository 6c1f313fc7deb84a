"""caseline: interactive swimlane timelines of clinical cases."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from caseline.timeline.resolved import ResolvedCase

__version__ = "0.1.0"

# numpy advises its large arrays as transparent huge pages. Where the kernel meets that advice with synchronous
# compaction (THP defrag "madvise", the default of many distributions), the fresh arrays of a layout of a
# million events stalled 0.3-0.7 s in page faults on the GUI thread (issue 18; numpy/numpy#31590). A desktop
# app prefers no stalls: off unless the environment says otherwise (numpy reads it when first imported).
os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")


def load(path: str | os.PathLike[str]) -> list[ResolvedCase]:
    """Return the cases in a case file, resolved. Raises CaseFileError listing every error."""
    from caseline.timeline.load import load_cases

    return load_cases(path)


__all__ = ["__version__", "load"]
