"""What composing layouts of the same cases keeps from one to the next (caseline.layout.timeline_layout's
build_layout(reuse=)): the label strings of all their cases in one table, the lane order of each order of the
cases, their columns concatenated in the last two orders, and their rows for the last few orders and lane
choices (a switch of alignment has the same rows). Pure numpy, no Qt."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from caseline.layout.case_columns import CaseColumns
from caseline.model.kinds import CATEGORY_ORDER, Category
from caseline.timeline.resolved import Item, ResolvedCase

CATEGORY_INDEX = {category: i for i, category in enumerate(CATEGORY_ORDER)}


class Kept:
    """What composing layouts of the same cases keeps from one to the next: the label strings of all their
    cases in one table (a label's text is an int, compared without touching the strings), and the lane order
    of each order of the cases seen."""

    def __init__(self) -> None:
        self.strings: list[str] = []
        self.index: dict[str, int] = {}
        self.text_ids: dict[int, tuple[CaseColumns, np.ndarray]] = {}  # id(columns) -> their texts in the table
        self.orders: dict[tuple[int, ...], tuple[list[CaseColumns], list[tuple[Category, str]]]] = {}
        self.last: Gathered | None = None
        self.before: Gathered | None = None
        self.rows: dict[tuple[object, ...], tuple[list[CaseColumns], tuple[Any, ...]]] = {}  # see _compose

    def texts_of(self, col: CaseColumns) -> np.ndarray:
        found = self.text_ids.get(id(col))
        if found is None or found[0] is not col:
            index, strings = self.index, self.strings
            ids = np.empty(len(col.label_texts), dtype=np.int64)
            for k, text in enumerate(col.label_texts):
                found_id = index.get(text)
                if found_id is None:
                    found_id = index[text] = len(strings)
                    strings.append(text)
                ids[k] = found_id
            found = self.text_ids[id(col)] = (col, ids)
        return found[1][col.label_text] if col.label_text.size else np.zeros(0, dtype=np.int64)

    def order(self, columns: list[CaseColumns]) -> list[tuple[Category, str]]:
        key = tuple(id(c) for c in columns)
        found = self.orders.get(key)
        if found is None or any(a is not b for a, b in zip(found[0], columns, strict=True)):
            if len(self.orders) >= 16:
                self.orders.clear()
            found = self.orders[key] = (list(columns), lane_order_of(columns))
        return found[1]

    def forget_others(self, columns: list[CaseColumns]) -> None:
        """Keep only what serves these columns: cases no longer shown are not held by the next layouts."""
        current = {id(c) for c in columns}
        self.text_ids = {k: v for k, v in self.text_ids.items() if k in current}
        self.orders = {k: v for k, v in self.orders.items() if all(c in current for c in k)}
        if self.before is not None and any(id(c) not in current for c in self.before.columns):
            self.before = None

    def gathered(self, cases: list[ResolvedCase], columns: list[CaseColumns]) -> Gathered:
        """The columns of the cases in this order, concatenated (kept for the last two orders)."""
        found = self.last
        if found is None or len(found.columns) != len(columns) or any(
                a is not b for a, b in zip(found.columns, columns, strict=True)):
            found, self.last = self.before, found
            if found is None or len(found.columns) != len(columns) or any(
                    a is not b for a, b in zip(found.columns, columns, strict=True)):
                found = Gathered(cases, columns, self)
            self.before, self.last = self.last, found
        return found


class Gathered:
    """The per-case columns of cases in one order as single arrays: items and lanes numbered across cases
    (``lane`` indexes the concatenation of the cases' lanes), days unshifted. What a layout of this order
    adds: the row of each lane (hidden: -1) and each case's shift."""

    def __init__(self, cases: list[ResolvedCase], columns: list[CaseColumns], kept: Kept) -> None:
        self.columns = list(columns)
        n_cases = len(columns)
        self.lane_base = np.cumsum([0] + [len(col.lanes) for col in columns])[:-1].astype(np.int64)
        self.item_base = np.cumsum([0] + [col.n_items for col in columns])[:-1].astype(np.int64)
        self.items: list[Item] = []
        for case in cases:
            self.items.extend(case.items)
        self.item_case = np.repeat(np.arange(n_cases, dtype=np.int32), [col.n_items for col in columns])
        self.item_lane = self.lane_base[self.item_case] + gather([c.item_lane for c in columns], np.int32)
        self.item_dated = gather([c.item_dated for c in columns], bool)
        self.item_undated = gather([c.item_undated for c in columns], bool)
        self.item_min = gather([c.item_min for c in columns], np.float64)
        self.item_max = gather([c.item_max for c in columns], np.float64)
        self.marks: dict[str, tuple[np.ndarray, ...]] = {}
        for kind in ("bars", "brackets", "points", "whiskers"):
            parts = [getattr(c, kind) for c in columns]
            case_of = np.repeat(np.arange(n_cases, dtype=np.int64), [len(m) for m in parts])
            self.marks[kind] = (
                case_of, self.lane_base[case_of] + gather([m.lane for m in parts], np.int32),
                gather([m.x0 for m in parts], np.float64), gather([m.x1 for m in parts], np.float64),
                gather([m.color for m in parts], np.int32),
                (gather([m.item for m in parts], np.int32) + self.item_base[case_of]).astype(np.int32),
                gather([m.style for m in parts], np.int32))
        case_of = np.repeat(np.arange(n_cases, dtype=np.int64), [c.label_x.shape[0] for c in columns])
        self.label_case = case_of
        self.label_lane = self.lane_base[case_of] + gather([c.label_lane for c in columns], np.int32)
        self.label_x = gather([c.label_x for c in columns], np.float64)
        self.label_x_end = gather([c.label_x_end for c in columns], np.float64)
        self.label_priority = gather([c.label_priority for c in columns], np.int64)
        self.label_item = gather([c.label_item for c in columns], np.int64) + self.item_base[case_of]
        self.label_text = gather([kept.texts_of(c) for c in columns], np.int64)


def lane_order_of(columns: Sequence[CaseColumns]) -> list[tuple[Category, str]]:
    """lane_order from the columns: by category, then a case's explicit lane order, then first appearance."""
    seen: dict[tuple[Category, str], tuple[int, int, int]] = {}
    for case_index, col in enumerate(columns):
        for key, (explicit, first) in zip(col.lanes, col.lane_rank, strict=True):
            rank = (CATEGORY_INDEX[key[0]], explicit, case_index * 1_000_000 + first)
            if key not in seen or rank < seen[key]:
                seen[key] = rank
    return sorted(seen, key=lambda k: seen[k])


def gather(parts: Sequence[np.ndarray], dtype: type) -> np.ndarray:
    if len(parts) == 1:
        return parts[0]  # (read only: one case's own array)
    return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)
