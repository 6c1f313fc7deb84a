"""Culling by row and time with binary search, and levels of detail. Pure numpy, no Qt.

A paint shows a few dozen rows and one time span. :class:`RowIndex` sorts marks by (row, start)
once, so the marks of rows ``r0..r1`` that reach into ``[lo, hi]`` are found by ``searchsorted``:
the work of a paint depends on what is on screen, not on how many marks or rows the layout has
(200 cases or the 10,000 of a swimmer plot cost the same ~40 visible rows). Any layout that puts
marks in rows can reuse it: give it each mark's row, start and end.

:class:`Culler` adds levels of detail: where many marks share a pixel column of a row, a paint
needs only one of them per (row, pixel column, group), as map renderers and pyqtgraph's
downsampling do. Level ``k`` keeps, of the marks shorter than ``bin_k = base * 2**k`` days, the
first (lowest index) of each (row, bin, group), and every longer mark. Levels are built lazily,
each from the one below (the first of firsts is the first), and a paint picks the coarsest level
whose bin is at most ``max_bin_px`` pixels wide. Where the rows on screen hold fewer than
``LOD_MIN_MARKS`` marks in all, a paint takes them all (no level is built: a comparison of 200 cases
shows ~40 of its rows, a few hundred marks, and a level there saved nothing but cost ~4 ms per switch).
"""

from __future__ import annotations

import math

import numpy as np

#: Rows are keys ``row * _ROW_KEY + position``, with positions squeezed into [0, 3] (see _norm).
_ROW_KEY = 4.0
#: Below this many marks a level of detail saves nothing worth its memory.
LOD_MIN_MARKS = 4096


def concat_ranges(starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """``np.concatenate([np.arange(a, b) for a, b in zip(starts, stops)])`` without a Python loop."""
    lengths = np.maximum(stops - starts, 0)
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    keep = lengths > 0
    starts, lengths = starts[keep], lengths[keep]
    ends = np.cumsum(lengths)
    out = np.ones(total, dtype=np.int64)
    out[0] = starts[0]
    # at the first element of each range, jump from the previous range's last element to its start
    out[ends[:-1]] = starts[1:] - (starts[:-1] + lengths[:-1] - 1)
    return np.cumsum(out)


def merge_spans(x0: np.ndarray, x1: np.ndarray, row: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The union of the spans ``[x0, x1]`` (finite) of each row (equal ``row`` values), as disjoint spans
    ``(x0, x1, row)`` sorted by row, then start: what a dense view draws for overlapping translucent bands."""
    if x0.size == 0:
        return x0, x1, row
    order = np.lexsort((x0, row))
    x0, x1, row = x0[order], np.maximum(x1[order], x0[order]), row[order]
    new_row = np.r_[True, row[1:] != row[:-1]]
    # positions as ranks (exact integers), each row lifted above every row before it, so one
    # maximum.accumulate gives the furthest end so far within each row
    values, rank = np.unique(np.concatenate([x0, x1]), return_inverse=True)
    r0, r1 = rank[: x0.size], rank[x0.size:]
    lift = (np.cumsum(new_row) - 1) * (values.size + 1)
    reach = np.maximum.accumulate(r1 + lift) - lift
    starts = new_row.copy()
    starts[1:] |= r0[1:] > reach[:-1]  # a band beginning past everything before it in its row
    first = np.flatnonzero(starts)
    last = np.r_[first[1:], x0.size] - 1
    return x0[first], values[reach[last]], row[first]


class RowIndex:
    """Marks sorted by (row, start), with each row's running maximum end, for culling by search."""

    def __init__(self, row: np.ndarray, x0: np.ndarray, x1: np.ndarray, hint: np.ndarray | None = None) -> None:
        """``hint``: an order that may already sort the marks (the last layout's, before a switch of
        alignment, which shifts every row's marks alike): taken when it does, checked in O(n)."""
        self.n = int(row.shape[0])
        row = np.asarray(row, dtype=np.int64)
        x0 = np.asarray(x0, dtype=np.float64)
        x1 = np.maximum(np.asarray(x1, dtype=np.float64), x0)
        finite = np.concatenate([x0[np.isfinite(x0)], x1[np.isfinite(x1)]])
        self.x_lo = float(finite.min()) if finite.size else 0.0
        self.x_span = max(1e-9, float(finite.max()) - self.x_lo) if finite.size else 1.0
        # sorted by one float key (row, then position): a single argsort, about 10x cheaper than
        # lexsort((x0, row)) at 66,000 marks (8 -> 0.8 ms), and searched with the same key
        start_key = row * _ROW_KEY + self._norm(x0)
        self.order = np.zeros(0, dtype=np.int64)
        self.hinted = False  # whether the hint sorted the marks (tests read it)
        if hint is not None and hint.shape[0] == self.n and self.n:
            keys = start_key[hint]
            if not (keys[1:] < keys[:-1]).any():  # a permutation (the last order) sorting the keys
                self.order, self.hinted = hint, True
        if self.n and not self.hinted:
            self.order = np.argsort(start_key, kind="stable")
        srow = row[self.order]
        self.start_key = start_key[self.order]
        # running maximum of the end within each row: monotonic, so searchable too
        reach = self._norm(x1[self.order])
        # each row is offset by a multiple of the key, above anything of the rows before it, so one
        # maximum.accumulate over all rows restarts at every row
        self.reach_key = np.maximum.accumulate(reach + srow * _ROW_KEY) if self.n else reach

    def _norm(self, x: np.ndarray | float) -> np.ndarray:
        """Positions in [0, 3], monotonic in x (non-finite and far values clamp to the ends)."""
        v = (np.asarray(x, dtype=np.float64) - self.x_lo) / self.x_span
        return np.clip(np.nan_to_num(v, nan=0.0, posinf=2.0, neginf=-1.0), -1.0, 2.0) + 1.0

    def select(self, row_lo: int, row_hi: int, lo: float, hi: float) -> np.ndarray:
        """Indices (into the arrays given, ascending) of marks in rows ``row_lo..row_hi`` (inclusive)
        whose [start, end] may meet [lo, hi]. A superset by at most what clamping merges; callers
        that need exactness filter the (small) result."""
        if self.n == 0 or row_hi < row_lo:
            return np.zeros(0, dtype=np.int64)
        rows = np.arange(max(0, row_lo), row_hi + 1, dtype=np.float64) * _ROW_KEY
        first = np.searchsorted(self.reach_key, rows + self._norm(lo), side="left")
        last = np.searchsorted(self.start_key, rows + self._norm(hi), side="right")
        picked = self.order[concat_ranges(first, last)]
        picked.sort()
        return picked


class Culler:
    """A RowIndex per level of detail over one set of marks (see the module docstring)."""

    def __init__(self, row: np.ndarray, x0: np.ndarray, x1: np.ndarray, group: np.ndarray | None = None,
                 bin_x: np.ndarray | None = None, hints: dict[int, np.ndarray] | None = None) -> None:
        """``hints``: orders of the same marks' levels in the last layout (:meth:`orders`), tried first."""
        self.hints = hints or {}
        self.row = np.asarray(row, dtype=np.int64)
        self.x0 = np.asarray(x0, dtype=np.float64)
        self.x1 = np.asarray(x1, dtype=np.float64)
        self.group = np.zeros(self.row.shape[0], dtype=np.int64) if group is None else np.asarray(group, np.int64)
        # where a mark falls for binning (labels: their start; default: the mark's start)
        self.bin_x = self.x0 if bin_x is None else np.asarray(bin_x, dtype=np.float64)
        self.n = int(self.row.shape[0])
        finite = self.bin_x[np.isfinite(self.bin_x)]
        span = float(finite.max() - finite.min()) if finite.size else 1.0
        self.base = max(span, 1.0) / float(1 << 16)  # level 0: 65,536 bins over the whole span
        self.origin = float(finite.min()) if finite.size else 0.0
        self._levels: dict[int, tuple[np.ndarray | None, RowIndex]] = {}
        self._row_starts: np.ndarray | None = None  # marks of rows < r: _row_starts[r] (made when asked for)

    def marks_in_rows(self, row_lo: int, row_hi: int) -> int:
        """How many marks rows ``row_lo..row_hi`` (inclusive) hold: a bound on what a paint of them draws."""
        if self._row_starts is None:
            counts = np.bincount(np.clip(self.row, 0, None)) if self.n else np.zeros(0, dtype=np.int64)
            self._row_starts = np.concatenate(([0], np.cumsum(counts)))
        last = len(self._row_starts) - 1
        lo, hi = min(max(0, row_lo), last), min(max(0, row_hi + 1), last)
        return int(self._row_starts[hi] - self._row_starts[lo]) if hi > lo else 0

    def level_for(self, days_per_px: float, max_bin_px: float = 1.0) -> int:
        """The coarsest level whose bin is at most ``max_bin_px`` pixels; -1 for every mark."""
        if self.n < LOD_MIN_MARKS or not math.isfinite(days_per_px) or days_per_px <= 0:
            return -1
        k = math.floor(math.log2(days_per_px * max_bin_px / self.base))
        return min(k, 30) if k >= 0 else -1

    def _level(self, k: int) -> tuple[np.ndarray | None, RowIndex]:
        found = self._levels.get(k)
        if found is not None:
            return found
        if k < 0:
            found = (None, RowIndex(self.row, self.x0, self.x1, self.hints.pop(k, None)))
        else:
            below = self._levels.get(k - 1)
            members = below[0] if below is not None and below[0] is not None else None
            if members is None:
                members = np.arange(self.n, dtype=np.int64)
            members = self.representatives(members, self.base * float(1 << k))
            found = (members, RowIndex(self.row[members], self.x0[members], self.x1[members], self.hints.pop(k, None)))
        self._levels[k] = found
        return found

    def orders(self) -> dict[int, np.ndarray]:
        """Each built level's sorted order: hints for the next layout's culler of the same marks."""
        return {k: index.order for k, (_members, index) in self._levels.items()}

    def representatives(self, members: np.ndarray, bin_days: float) -> np.ndarray:
        """Of ``members`` (ascending), every mark at least a bin long, and the first of the others
        in each (row, bin, group); ascending."""
        length = self.x1[members] - self.x0[members]
        long = members[~(length < bin_days)]  # nan lengths (open ends) count as long
        short = members[length < bin_days]
        if short.size == 0:
            return members
        cell = np.floor((self.bin_x[short] - self.origin) / bin_days)
        cell = np.nan_to_num(cell, nan=-1.0, posinf=-1.0, neginf=-1.0).astype(np.int64)
        cell -= cell.min()
        _, group = np.unique(self.group[short], return_inverse=True)
        key = (self.row[short] * (int(cell.max()) + 1) + cell) * (int(group.max()) + 1) + group
        _, first = np.unique(key, return_index=True)
        out = np.concatenate([long, short[first]])
        out.sort()
        return out

    def select(self, row_lo: int, row_hi: int, lo: float, hi: float, days_per_px: float,
               max_bin_px: float = 1.0) -> np.ndarray:
        """Indices (ascending) of the marks to paint: at the level of detail for ``days_per_px``,
        in rows ``row_lo..row_hi``, reaching into [lo, hi]; every one of them when those rows hold fewer
        than ``LOD_MIN_MARKS``."""
        k = self.level_for(days_per_px, max_bin_px)
        if k >= 0 and k not in self._levels and self.marks_in_rows(row_lo, row_hi) < LOD_MIN_MARKS:
            k = -1
        members, index = self._level(k)
        found = index.select(row_lo, row_hi, lo, hi)
        return found if members is None else members[found]
