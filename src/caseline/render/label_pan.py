"""Labels while the view pans on screen: placed once for a span three views wide, then each pan step draws
the ones that lie in view and places only the few its edges change (a course's label held at the left edge,
a label turned back or shortened at the right); once the panning stops, the view's own placement.

Placing the labels of a big case costs a few ms (100,000 events: 3-4 ms of a 10-15 ms pan step), the
largest part of a pan step once the marks are copied from their tile (render.tiles). What a pan step shows
can differ from the view's own placement near its edges: a label kept in the wide placement stays while it
is in view (a label that a mark now out of view had kept out does not come back until the panning stops),
which also keeps labels from jumping while the view moves. SETTLE_MS after the last pan step the view is
placed afresh, so a view at rest is placed the same however it was reached (tests/render/test_label_pan.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np
import shiboken6
from PySide6.QtCore import QRectF, QTimer

from caseline.layout.labels import place_labels
from caseline.render.painting import elide
from caseline.render.track_labels import Word, plan_captions, plan_words

if TYPE_CHECKING:
    from caseline.render.label_layer import LabelLayer, _Placed
    from caseline.render.painting import Frame

#: ms after the last pan step at which the view's labels are placed afresh.
SETTLE_MS = 150


@dataclass
class _Wide:
    scale: tuple[object, ...]
    placed: _Placed
    dx: float  # the frame's dx when it was placed
    lo: float  # days: the span placed
    hi: float
    frame: Frame  # the wide frame
    candidates: np.ndarray  # the labels competing in the wide span (LabelLayer.candidates): edges pick from them
    values: list[Word] | None = None  # the numeric tracks' values written beside these labels (track_words)
    value_boxes: list[tuple[float, float, float, float]] = field(default_factory=list)  # (x, width, top, bottom)
    dense: bool = False  # too many tracks in the wide span to write values


class LabelPan:
    """One label layer's placement for panning (see the module docstring)."""

    def __init__(self, layer: LabelLayer, settled: Callable[[], None]) -> None:
        self.layer = layer
        self._settled = settled  # places the view afresh and repaints it
        self._scale: tuple[object, ...] | None = None
        self._wide: _Wide | None = None
        self.timer = QTimer()
        self.timer.setSingleShot(True)
        self.timer.setInterval(SETTLE_MS)
        self.timer.timeout.connect(self.settle)
        self.hidden = 0  # labels hidden in the view placed before the panning began
        self.steps = 0  # pan steps served from a wide placement (tests read it)

    @property
    def panning(self) -> bool:
        """This layer's labels come from a wide placement (a pan step), until the panning stops."""
        return self._wide is not None

    def forget(self) -> None:
        self._scale = None
        self._wide = None
        self.timer.stop()

    def settle(self) -> None:
        """The panning stopped: the view's own placement, painted now."""
        if self._wide is None:
            return
        self.forget()
        if shiboken6.isValid(self.layer):
            self._settled()

    def placed(self, f: Frame, fm_h: float, key: tuple[object, ...], left: float, right: float) -> _Placed | None:
        """The labels of this pan step, or None when this paint is not a pan step (a first paint at this scale,
        rows or size: the caller places the view)."""
        state = self.layer.state
        scale = (*f.scale_key(), state.marks_version, id(state), state.show_labels)
        panning = scale == self._scale
        self._scale = scale
        if not panning:
            self._wide = None
            return None
        lo, hi = sorted((f.view.left(), f.view.right()))
        wide = self._wide
        if wide is None or wide.scale != scale or lo < wide.lo or hi > wide.hi:
            if wide is None:  # (what the view's own placement hid, told while it pans: a count is not redone)
                last = self.layer.last_placed
                self.hidden = last.hidden if last is not None else 0
            wide = self._wide = self._place_wide(f, fm_h, scale)
        self.timer.start()
        self.steps += 1
        return self._step(f, fm_h, wide, key, left, right)

    def _place_wide(self, f: Frame, fm_h: float, scale: tuple[object, ...]) -> _Wide:
        width = f.right - f.left
        days = width / abs(f.sx)
        view = f.view
        lo, hi = sorted((view.left(), view.right()))
        wide_view = QRectF(lo - days, view.top(), (hi - lo) + 2 * days, view.height())
        wf = replace(f, view=wide_view, lo=lo - days, hi=hi + days, left=f.left - width, right=f.right + width,
                     clip_left=f.left - width, clip_right=f.right + width)
        candidates = self.layer.candidates(wf)
        placed = self.layer.placement(wf, fm_h, ("wide",), wf.left, wf.right, candidates)
        return _Wide(scale, placed, f.dx, lo - days, hi + days, wf, candidates)

    def track_words(self, f: Frame) -> list[Word] | None:
        """The numeric tracks' words of this pan step: the captions placed for the view (they hold at its left
        edge), and the values planned once beside the wide placement's labels, moved with the view; a value
        not wholly in view, or running into a caption or a label of this step, is left out. None when this is
        not a pan step (the caller plans the view's own)."""
        wide, state = self._wide, self.layer.state
        if wide is None or wide.scale != (*f.scale_key(), state.marks_version, id(state), state.show_labels):
            return None
        if wide.values is None:
            planned, wide.dense = plan_words(self.layer, wide.frame, lambda: self.layer._row_boxes(wide.placed))
            wide.values = [w for w in planned if not w.caption]
            wide.value_boxes = [(w.box.left(), w.box.width(), w.box.top(), w.box.bottom()) for w in wide.values]
        captions, dense = plan_captions(self.layer, f)
        if dense != wide.dense:  # the view holds few enough tracks to write values, the wide span not
            return None
        left, right = f.left + state.label_inset_left, f.right - state.label_inset_right
        boxes = self.layer._row_boxes()  # this step's labels (edge labels too)
        taken: dict[int, list[tuple[float, float, float, float]]] = {}  # the captions' boxes by row
        for word in captions:
            box = word.box
            taken.setdefault(word.row, []).append((box.left(), box.right(), box.top(), box.bottom()))
        out = list(captions)
        shift = f.dx - wide.dx
        for word, (x, w, top, bottom) in zip(wide.values, wide.value_boxes, strict=True):  # (a box made if drawn)
            x += shift
            if x < left or x + w > right:
                continue
            row_boxes = boxes.get(word.row)
            if (row_boxes is not None and row_boxes.hits(x, x + w, top, bottom)) \
                    or any(a < x + w and x < b and c < bottom and top < d for a, b, c, d in taken.get(word.row, ())):
                continue
            out.append(word.moved(shift))
        return out

    def _step(self, f: Frame, fm_h: float, wide: _Wide, key: tuple[object, ...], left: float, right: float
              ) -> _Placed:
        from caseline.render.label_layer import _Placed

        layer = self.layer
        state = layer.state
        font = state.label_font
        arrays = state.label_arrays(font)
        w = wide.placed
        # the wide placement's labels (and '…' markers) wholly in view, moved with the view
        x = w.x + (f.dx - wide.dx)
        inside = np.flatnonzero((x >= left + 4) & (x + w.width <= right - 2))  # (a direct placement: the same)
        index, x, y, width = w.index[inside], x[inside], w.y[inside], w.width[inside]
        texts = [w.text[k] for k in inside.tolist()]
        # the labels this view's edges move (held at the left edge, turned back at the right), placed around
        # them: those reaching into a strip at each edge (a history band's width, and at the right the longest
        # label's)
        glyph = state.theme.glyph_px * state.px_per_pt * 0.5
        lo, hi = sorted((f.view.left(), f.view.right()))
        per_px = f.days_per_px
        # (of the wide span's candidates, the same level of detail: a step searches no culling index)
        start, end = arrays.x[wide.candidates], arrays.x_end[wide.candidates]
        near_left = start <= lo + (left - f.left + glyph + 4.0) * per_px
        near_right = end >= hi - (f.right - right + arrays.widest + glyph + 2.0) * per_px
        chosen = wide.candidates[(end >= lo) & (start <= hi) & (near_left | near_right)]
        natural = arrays.x[chosen] * f.sx + f.dx + glyph
        inside_view = np.zeros(arrays.x.size, dtype=bool)  # (a mask over the labels: np.isin sorts both)
        inside_view[index] = True
        edge = chosen[((natural < left + 4) | (natural + arrays.width[chosen] > right - 2)) & ~inside_view[chosen]]
        if edge.size:
            xs, widths, _, rows, priority = layer.positions(f, edge, left, right)
            # among themselves, as the greedy places them
            kept = np.flatnonzero(place_labels(xs, widths, rows, priority, gap_px=8.0, left_px=left,
                                               right_px=right + 1))
            fixed = np.ones(index.size, dtype=bool)
            if index.size:  # against the labels in view: an edge label displaces those it outranks, else gives way
                won, fixed = self._contest(index, x, width, texts, edge[kept], xs[kept], widths[kept], rows[kept],
                                           priority[kept])
                kept = kept[won]
            index, x, y, width = index[fixed], x[fixed], y[fixed], width[fixed]
            texts = [t for t, k in zip(texts, fixed.tolist(), strict=True) if k]
            add, add_x, add_w = edge[kept], xs[kept], widths[kept].copy()
            add_texts = [arrays.texts[int(t)] for t in arrays.text[add]]
            for k in np.flatnonzero(add_x + add_w > right - 2).tolist():  # shortened at the right edge
                add_texts[k], add_w[k] = elide(state, add_texts[k], font, right - 2 - float(add_x[k]))
            shown = add_w > 0
            add, add_x, add_w = add[shown], add_x[shown], add_w[shown]
            label_top_frac = 0.04 if f.row_h > fm_h * 2.2 else max(0.0, state.mark_center - 0.5)
            add_y = (arrays.y[add] - 0.5) * f.sy + f.dy + f.row_h * label_top_frac
            index = np.concatenate([index, add]).astype(np.int64)
            x, y, width = np.concatenate([x, add_x]), np.concatenate([y, add_y]), np.concatenate([width, add_w])
            texts += [t for t, s in zip(add_texts, shown.tolist(), strict=True) if s]
        return _Placed(key, index, x, y, width, texts, [], self.hidden, None)

    def _contest(self, index: np.ndarray, x: np.ndarray, width: np.ndarray, texts: list[str], edge: np.ndarray,
                 xs: np.ndarray, widths: np.ndarray, rows: np.ndarray, priority: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
        """Which edge labels are drawn, and which labels in view stay. An edge label takes its place where it
        outranks every label it runs into (a higher priority, or as high and further left: the greedy placement's
        order; a '…' marker ranks lowest), and those give way; otherwise it gives way. Returns (won, stays)."""
        state = self.layer.state
        arrays = state.label_arrays(state.label_font)
        ranks = self.layer.priorities(index).astype(np.float64)
        ranks[np.array([t == "…" for t in texts], dtype=bool)] = -1.0
        # the labels in view by row, then x (boxes of a row never overlap: their ends are in order too); the
        # ones an edge label runs into (an 8 px gap, as placed) are a run of that order, found by two searches
        order = np.lexsort((x, arrays.row[index]))
        row_key = arrays.row[index][order].astype(np.float64) * 1e7
        first = np.searchsorted(row_key + (x + width)[order] + 8.0, rows * 1e7 + xs, side="right")
        last = np.searchsorted(row_key + x[order], rows * 1e7 + xs + widths + 8.0, side="left")
        # (in Python: an edge label runs into none or one or two others, too few for numpy's per-call cost)
        order_, first_, last_ = order.tolist(), first.tolist(), last.tolist()
        ranks_, x_, priority_, xs_ = ranks.tolist(), x.tolist(), priority.tolist(), xs.tolist()
        stays = [True] * index.size
        won = [False] * edge.size
        for k in np.lexsort((xs, -priority)).tolist():  # as the greedy visits them: priority, then left to right
            hit = [h for h in order_[first_[k]:last_[k]] if stays[h]]
            mine, at = priority_[k], xs_[k]
            if all(mine > ranks_[h] or (mine == ranks_[h] and at < x_[h]) for h in hit):
                for h in hit:
                    stays[h] = False
                won[k] = True
        return np.array(won, dtype=bool), np.array(stays, dtype=bool)
