"""What one view shows, apart from the cases themselves: the view state. Pure Python.

Also the one definition of how a comparison arranges its cases (sort, then align), which the
window, ``caseline export`` and the reveal slides share.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from caseline.analysis.alignment import Alignment, AlignmentLabels, align_cases, alignment_labels, check_mode
from caseline.analysis.metrics import sort_cases
from caseline.layout.timeline_layout import LayoutOptions
from caseline.timeline.resolved import ResolvedCase

#: Units of the time axis: days, weeks or months from day 0, or calendar dates.
AXIS_MODES = ("days", "weeks", "months", "dates")


@dataclass(frozen=True)
class Arranged:
    """Cases sorted and aligned as a comparison shows them, with the words for it and the layout options."""

    cases: list[ResolvedCase]
    alignment: Alignment
    labels: AlignmentLabels
    options: LayoutOptions


def arrange(cases: Sequence[ResolvedCase], align: str = "anchor", sort: str = "none",
            options: LayoutOptions | None = None) -> Arranged:
    """Sort, then align ``cases``; ``options`` (hidden lanes, shared lanes) get the alignment's shifts.

    Raises ValueError for an unknown alignment or sort.
    """
    mode = check_mode(align)
    ordered = sort_cases(cases, sort)
    alignment = align_cases(ordered, mode)
    base = options or LayoutOptions()
    return Arranged(ordered, alignment, alignment_labels(alignment),
                    dataclasses.replace(base, shifts=dict(alignment.shifts)))
