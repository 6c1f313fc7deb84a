"""The resolved timeline as a table (pandas), one row per event or administration.

Nothing is tabled more precisely than the file states it: ``start_day``/``end_day`` stay empty
when the best estimate is only *placed for order* (``start_known`` bounded or ordered; the
bounds columns say what is known), and calendar dates are written at the precision they are
known to: a day, a month, a year, or an ISO 8601 interval such as ``2011-03-01/2011-05-31``
(``..`` for an open side), also for day 0 when its date is partial.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from caseline.analysis.dose_wording import dose_text
from caseline.model.time_expressions import Precision
from caseline.timeline.resolved import Interval, Item, ResolvedCase
from caseline.timeline.resolver import calendar_precision

if TYPE_CHECKING:
    import pandas as pd

TABLE_COLUMNS = [
    "case_id", "event_id", "item_id", "kind", "role", "lane", "category", "label",
    "start_day", "end_day", "start_day_min", "start_day_max", "end_day_min", "end_day_max",
    "start_date", "end_date", "precision", "start_known", "end_known", "approximate", "vague", "stated", "dose",
    "state", "value", "absent", "response", "outcome",
]


def _num(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(value, 3)


def calendar_text(calendar: Interval | None, clock: bool = False) -> str:
    """A calendar span (ordinals) as text at the precision it is known to.

    ``2011-03-14`` (one day; with ``clock`` and a time of day ``2011-03-14T11:45``), ``2011-03``
    (exactly a month), ``2011`` (exactly a year), else ``2011-03-01/2011-05-31``, with ``..`` for
    an open side.
    """
    if calendar is None:
        return ""
    lo, hi = calendar.lo, calendar.hi
    if math.isfinite(lo) and math.isfinite(hi):
        precision = calendar_precision(lo, hi)
        first = _day(lo)
        if precision is Precision.DAY:
            fraction = lo - math.floor(lo + 1e-9)
            if clock and fraction > 1e-6:
                minutes = round(fraction * 1440)
                return f"{first.isoformat()}T{minutes // 60:02d}:{minutes % 60:02d}"
            return first.isoformat()
        if precision is Precision.MONTH:
            return f"{first.year:04d}-{first.month:02d}"
        if precision is Precision.YEAR:
            return f"{first.year:04d}"
    start = _day(lo).isoformat() if math.isfinite(lo) else ".."
    end = _day(hi).isoformat() if math.isfinite(hi) else ".."
    return f"{start}/{end}"


def _day(ordinal: float) -> date:
    try:
        return date.fromordinal(math.floor(ordinal + 1e-9))
    except (ValueError, OverflowError):  # pragma: no cover - years are checked to 1800-2200
        return date.min + timedelta(days=0)


def item_row(case: ResolvedCase, item: Item) -> dict[str, object]:
    start, end = item.start, item.end
    timing = case.timing
    return {
        "case_id": item.case_id,
        "event_id": item.event_id,
        "item_id": item.item_id,
        "kind": item.kind.value,
        "role": item.role.value,
        "lane": item.lane,
        "category": item.category.value,
        "label": item.label,
        "start_day": _num(start.best) if start and not item.placed else None,
        "end_day": _num(end.best) if end and not item.end_placed else None,
        "start_day_min": _num(start.lo) if start else None,
        "start_day_max": _num(start.hi) if start else None,
        "end_day_min": _num(end.lo) if end else None,
        "end_day_max": _num(end.hi) if end else None,
        "start_date": calendar_text(item.start_calendar, timing is not None and timing.is_clocked(item.start_point)),
        "end_date": calendar_text(item.end_calendar, timing is not None and timing.is_clocked(item.end_point)),
        "precision": item.precision.value,
        "start_known": item.known.value,
        "end_known": item.end_known.value if end is not None else "",
        "approximate": item.approximate,
        "vague": item.vague,
        "stated": item.stated,
        "dose": dose_text(item) if item.role.value in ("course", "dose", "phase") else "",  # a phase's own dose
        "state": item.state,
        "value": item.value,
        **_clinical(item),
    }


def _clinical(item: Item) -> dict[str, object]:
    """What the report says of the event, on its own row (not on its administrations or course points)."""
    event = item.event
    if item.role.value not in ("course", "point"):
        return {"absent": "", "response": "", "outcome": ""}
    outcome = event.outcome or event.rechallenge_outcome
    return {"absent": "true" if event.absent else "", "response": event.response.value if event.response else "",
            "outcome": outcome.value if outcome else ""}


def timeline_table(cases: Iterable[ResolvedCase]) -> pd.DataFrame:
    """One row per event or administration of every case, columns as TABLE_COLUMNS."""
    import pandas as pd

    rows = [item_row(case, item) for case in cases for item in case.items]
    frame = pd.DataFrame(rows, columns=TABLE_COLUMNS)
    for column in ("start_day", "end_day", "start_day_min", "start_day_max", "end_day_min", "end_day_max",
                   "value"):
        frame[column] = frame[column].astype("Float64")
    return frame
