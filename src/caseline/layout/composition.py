"""What composing layouts of the same cases keeps from one to the next (caseline.layout.timeline_layout's
build_layout(reuse=)): the label strings of all their cases in one table, the lane order of each order of the
cases, their columns concatenated in the last two orders, and their rows for the last few orders and lane
choices (a switch of alignment has the same rows). Pure numpy, no Qt."""

from __future__ import annotations

import bisect
import itertools
import operator
from collections.abc import Iterator, Sequence
from typing import Any, overload

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
        self.tracks: tuple[Any, ...] | None = None  # (rows, columns, their tracks in order: layout.tracks)

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
        if self.tracks is not None and any(id(c) not in current for c in self.tracks[1]):
            self.tracks = None

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
        lane_counts = [len(col.lanes) for col in columns]
        self.lane_base = np.cumsum([0, *lane_counts])[:-1].astype(np.int32)
        self.n_lanes = int(sum(lane_counts))
        self.lane_case = np.repeat(np.arange(n_cases, dtype=np.int32), lane_counts)
        self.lane_lo = gather([c.lane_lo for c in columns], np.float64)
        self.lane_hi = gather([c.lane_hi for c in columns], np.float64)
        self.item_base = np.cumsum([0] + [col.n_items for col in columns])[:-1].astype(np.int32)
        self.items = CaseItems([case.items for case in cases], self.item_base)
        self.item_case = np.repeat(np.arange(n_cases, dtype=np.int32), [col.n_items for col in columns])
        # the lane of every item drawn on its lane; n_lanes (a row of its own, always -1) for every other item,
        # so that one lookup gives each item's row
        self.item_lane = gather([np.where(c.item_dated, c.item_lane + base, self.n_lanes).astype(np.int32)
                                 for c, base in zip(columns, self.lane_base.tolist(), strict=True)], np.int32)
        undated = [np.flatnonzero(c.item_undated).astype(np.int32) for c in columns]
        self.undated_item = gather([u + base for u, base in zip(undated, self.item_base.tolist(), strict=True)],
                                   np.int32)
        self.undated_lane = gather([c.item_lane[u] + base for c, u, base in
                                    zip(columns, undated, self.lane_base.tolist(), strict=True)], np.int32)
        self.marks: dict[str, tuple[np.ndarray, ...]] = {}
        for kind in ("bars", "brackets", "points", "whiskers"):
            parts = [getattr(c, kind) for c in columns]
            case_of = np.repeat(np.arange(n_cases, dtype=np.int32), [len(m) for m in parts])
            self.marks[kind] = (
                case_of, _offset([m.lane for m in parts], self.lane_base),
                gather([m.x0 for m in parts], np.float64), gather([m.x1 for m in parts], np.float64),
                gather([m.color for m in parts], np.int32), _offset([m.item for m in parts], self.item_base),
                gather([m.style for m in parts], np.int32))
        case_of = np.repeat(np.arange(n_cases, dtype=np.int32), [c.label_x.shape[0] for c in columns])
        self.label_case = case_of
        self.label_lane = _offset([c.label_lane for c in columns], self.lane_base)
        self.label_x = gather([c.label_x for c in columns], np.float64)
        self.label_x_end = gather([c.label_x_end for c in columns], np.float64)
        self.label_priority = gather([c.label_priority for c in columns], np.int64)
        self.label_item = _offset([c.label_item.astype(np.int32, copy=False) for c in columns], self.item_base)
        self.label_text = gather([kept.texts_of(c) for c in columns], np.int64)
        self.rule_case = np.repeat(np.arange(n_cases, dtype=np.int32), [c.rule_x.shape[0] for c in columns])
        self.rule_x = gather([c.rule_x for c in columns], np.float64)
        self.rule_lane = _offset([c.rule_lane for c in columns], self.lane_base)
        self.rule_item = _offset([c.rule_item.astype(np.int32, copy=False) for c in columns], self.item_base)


class CaseItems(Sequence[Item]):
    """The items of cases in one order, as one sequence (indexed as the layout's items), without copying the
    cases' lists into one (a million-event layout: 27 ms of copies)."""

    def __init__(self, parts: list[Sequence[Item]], base: np.ndarray) -> None:
        self._parts = parts
        self._base = base.tolist()
        self._len = sum(len(p) for p in parts)

    def __len__(self) -> int:
        return self._len

    @overload
    def __getitem__(self, index: int) -> Item: ...
    @overload
    def __getitem__(self, index: slice) -> list[Item]: ...

    def __getitem__(self, index: int | slice) -> Item | list[Item]:
        if isinstance(index, slice):
            return [self[k] for k in range(*index.indices(self._len))]
        index = operator.index(index)
        if index < 0:
            index += self._len
        if not 0 <= index < self._len:
            raise IndexError(index)
        part = bisect.bisect_right(self._base, index) - 1
        while not self._parts[part] and part > 0:  # (an empty case shares its base with the next)
            part -= 1
        return self._parts[part][index - self._base[part]]

    def __iter__(self) -> Iterator[Item]:
        return itertools.chain.from_iterable(self._parts)


def _offset(parts: Sequence[np.ndarray], base: np.ndarray) -> np.ndarray:
    """Case-local indices (int32) made global: each part plus its case's base, concatenated."""
    if len(parts) == 1:
        return parts[0] + base[0] if base.size and base[0] else parts[0]
    if not parts:
        return np.zeros(0, dtype=np.int32)
    out = np.concatenate(parts).astype(np.int32, copy=False)
    start = 0
    for part, b in zip(parts, base.tolist(), strict=True):
        if b:
            out[start:start + part.shape[0]] += b
        start += part.shape[0]
    return out


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
