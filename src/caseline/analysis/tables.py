"""The resolved timeline as a table (pandas), one row per event or administration."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

from caseline.model.time_expressions import Precision
from caseline.timeline.resolved import Interval, Item, ResolvedCase

if TYPE_CHECKING:
    import pandas as pd

TABLE_COLUMNS = [
    "case_id", "event_id", "item_id", "kind", "role", "lane", "category", "label",
    "start_day", "end_day", "start_day_min", "start_day_max", "end_day_min", "end_day_max",
    "start_date", "end_date", "precision", "approximate", "stated", "dose", "state", "value",
]


def _num(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(value, 3)


def _date_text(case: ResolvedCase, interval: Interval | None, precision: Precision) -> str:
    if interval is None or case.anchor_date is None or not math.isfinite(interval.best):
        return ""
    day = case.day_to_date(interval.best)
    if day is None:
        return ""
    if precision is Precision.YEAR:
        return f"{day.year:04d}"
    if precision is Precision.MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def item_row(case: ResolvedCase, item: Item) -> dict[str, object]:
    start, end = item.start, item.end
    return {
        "case_id": item.case_id,
        "event_id": item.event_id,
        "item_id": item.item_id,
        "kind": item.kind.value,
        "role": item.role.value,
        "lane": item.lane,
        "category": item.category.value,
        "label": item.label,
        "start_day": _num(start.best) if start else None,
        "end_day": _num(end.best) if end else None,
        "start_day_min": _num(start.lo) if start else None,
        "start_day_max": _num(start.hi) if start else None,
        "end_day_min": _num(end.lo) if end else None,
        "end_day_max": _num(end.hi) if end else None,
        "start_date": _date_text(case, start, item.precision),
        "end_date": _date_text(case, end, item.precision),
        "precision": item.precision.value,
        "approximate": item.approximate,
        "stated": item.stated,
        "dose": item.event.dose_description() if item.role.value in ("course", "dose") else "",
        "state": item.state,
        "value": item.value,
    }


def timeline_table(cases: Iterable[ResolvedCase]) -> pd.DataFrame:
    """One row per event or administration of every case, columns as TABLE_COLUMNS."""
    import pandas as pd

    rows = [item_row(case, item) for case in cases for item in case.items]
    frame = pd.DataFrame(rows, columns=TABLE_COLUMNS)
    for column in ("start_day", "end_day", "start_day_min", "start_day_max", "end_day_min", "end_day_max",
                   "value"):
        frame[column] = frame[column].astype("Float64")
    return frame
