"""Label placement in pixel space: labels never overlap one another.

Greedy by priority, then left to right: a label is kept when its box does not overlap a box
already kept in its row. Zoomed out, low-priority labels drop; zoomed in, they come back.

This runs on every paint with one candidate per labelled mark in view (100,000 at full view of
a big case), so it is vectorised while keeping exactly the greedy result: per priority level,
first drop (with numpy) the candidates that collide with a box of a higher priority, then walk
each row jumping straight to the next candidate that starts past the last kept box (bisect), so
the Python loop runs once per *kept* label, not per candidate.
"""

from __future__ import annotations

import bisect
import itertools

import numpy as np


def _collides(row: np.ndarray, x0: np.ndarray, x1: np.ndarray, kept_row: np.ndarray, kept_x0: np.ndarray,
              kept_x1: np.ndarray, gap_px: float) -> np.ndarray:
    """For each box, whether it collides with its neighbours among the kept boxes of its row.

    Kept boxes never overlap, so only the kept box starting last before ``x0`` and the one
    starting first at or after ``x0`` can collide (``bisect_left`` semantics). The kept boxes must come
    sorted by row, then start: their order is how the neighbours are found.
    """
    n_kept = kept_row.shape[0]
    rows = np.concatenate([kept_row, row])
    starts = np.concatenate([kept_x0, x0])
    # at equal starts the candidate sorts first: a kept box starting at x0 is its successor
    tag = np.concatenate([np.ones(n_kept, dtype=np.int8), np.zeros(row.shape[0], dtype=np.int8)])
    order = np.lexsort((tag, starts, rows))
    is_kept = order < n_kept
    previous = np.maximum.accumulate(np.where(is_kept, order, -1))
    following = np.minimum.accumulate(np.where(is_kept, order, n_kept)[::-1])[::-1]
    at = ~is_kept
    cand = order[at] - n_kept
    pred = previous[at]
    succ = following[at]
    out = np.zeros(row.shape[0], dtype=bool)
    has_pred = pred >= 0
    p = pred[has_pred]
    c = cand[has_pred]
    out[c[(kept_row[p] == row[c]) & (kept_x1[p] + gap_px > x0[c])]] = True
    has_succ = succ < n_kept
    s = succ[has_succ]
    c = cand[has_succ]
    out[c[(kept_row[s] == row[c]) & (kept_x0[s] < x1[c] + gap_px)]] = True
    return out


def place_labels(
    x_px: np.ndarray, width_px: np.ndarray, row: np.ndarray, priority: np.ndarray, gap_px: float = 6.0,
    left_px: float = -np.inf, right_px: float = np.inf,
) -> np.ndarray:
    """Boolean mask of the labels to draw. Boxes span [x, x + width) in their row; an empty box (width 0:
    no text) is never drawn, so it neither blocks nor is kept."""
    n = int(x_px.shape[0])
    if 0 < n <= FEW:
        return np.array(_place_few(x_px.tolist(), np.asarray(width_px, dtype=np.float64).tolist(),
                                   np.asarray(row).astype(np.int64).tolist(), np.asarray(priority).tolist(), gap_px,
                                   left_px, right_px), dtype=bool)
    keep = np.zeros(n, dtype=bool)
    if n == 0:
        return keep
    x0_all = np.asarray(x_px, dtype=np.float64)
    x1_all = x0_all + np.asarray(width_px, dtype=np.float64)
    row_all = np.asarray(row).astype(np.int64)
    prio_all = np.asarray(priority)
    live = ~((x1_all <= left_px) | (x0_all >= right_px)) & (x1_all > x0_all)
    kept_row = np.zeros(0, dtype=np.int64)
    kept_x0 = np.zeros(0, dtype=np.float64)
    kept_x1 = np.zeros(0, dtype=np.float64)
    for level in np.unique(prio_all[live])[::-1]:
        idx = np.nonzero(live & (prio_all == level))[0]
        # by row, then x, then input order (lexsort is stable), as the greedy visits them
        idx = idx[np.lexsort((x0_all[idx], row_all[idx]))]
        if kept_row.shape[0]:
            idx = idx[~_collides(row_all[idx], x0_all[idx], x1_all[idx], kept_row, kept_x0, kept_x1, gap_px)]
        if idx.shape[0] == 0:
            continue
        rows = row_all[idx]
        starts = x0_all[idx].tolist()
        ends = x1_all[idx].tolist()
        bounds = [0, *(np.flatnonzero(rows[1:] != rows[:-1]) + 1).tolist(), len(starts)]
        chosen: list[int] = []
        for lo, hi in itertools.pairwise(bounds):
            i = lo
            while i < hi:
                chosen.append(i)
                # the next same-level box must start at or past this one's end plus the gap
                i = max(i + 1, bisect.bisect_left(starts, ends[i] + gap_px, i + 1, hi))
        picked = idx[chosen]
        keep[picked] = True
        kept_row = np.concatenate([kept_row, row_all[picked]])
        kept_x0 = np.concatenate([kept_x0, x0_all[picked]])
        kept_x1 = np.concatenate([kept_x1, x1_all[picked]])
        order = np.lexsort((kept_x0, kept_row))
        kept_row, kept_x0, kept_x1 = kept_row[order], kept_x0[order], kept_x1[order]
    return keep


#: Up to this many candidates (the labels a pan step moves at the view's edges), the greedy runs in plain Python:
#: numpy's cost per call (a level's sorts and searches) is most of the work at a few dozen.
FEW = 48


def _place_few(x0: list[float], width: list[float], row: list[int], priority: list[float], gap_px: float,
               left_px: float, right_px: float) -> list[bool]:
    """``place_labels`` one candidate at a time, by its definition: in the greedy's order (priority, then row,
    then x, then input order), a box is kept when it comes within a gap of no kept box of its row."""
    n = len(x0)
    x1 = [a + w for a, w in zip(x0, width, strict=True)]
    keep = [False] * n
    live = [i for i in range(n) if x1[i] > x0[i] and not (x1[i] <= left_px or x0[i] >= right_px)]
    kept: dict[int, list[tuple[float, float]]] = {}
    for i in sorted(live, key=lambda i: (-priority[i], row[i], x0[i], i)):
        a, b = x0[i], x1[i]
        boxes = kept.setdefault(row[i], [])
        if any(k0 < b + gap_px and a < k1 + gap_px for k0, k1 in boxes):
            continue
        keep[i] = True
        boxes.append((a, b))
    return keep
