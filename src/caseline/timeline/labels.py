"""Label placement in pixel space: labels never overlap one another.

Greedy by priority, then left to right: a label is kept when its box does not overlap a box
already kept in its row. Zoomed out, low-priority labels drop; zoomed in, they come back.
"""

from __future__ import annotations

import bisect

import numpy as np


def place_labels(
    x_px: np.ndarray, width_px: np.ndarray, row: np.ndarray, priority: np.ndarray, gap_px: float = 6.0,
    left_px: float = -np.inf, right_px: float = np.inf,
) -> np.ndarray:
    """Boolean mask of the labels to draw. Boxes span [x, x + width) in their row."""
    n = int(x_px.shape[0])
    keep = np.zeros(n, dtype=bool)
    if n == 0:
        return keep
    order = np.lexsort((x_px, -priority))
    starts: dict[int, list[float]] = {}
    ends: dict[int, list[float]] = {}
    for i in order:
        x0 = float(x_px[i])
        x1 = x0 + float(width_px[i])
        if x1 <= left_px or x0 >= right_px:
            continue
        r = int(row[i])
        row_starts = starts.setdefault(r, [])
        row_ends = ends.setdefault(r, [])
        k = bisect.bisect_left(row_starts, x0)
        if k > 0 and row_ends[k - 1] + gap_px > x0:
            continue
        if k < len(row_starts) and row_starts[k] < x1 + gap_px:
            continue
        row_starts.insert(k, x0)
        row_ends.insert(k, x1)
        keep[i] = True
    return keep
