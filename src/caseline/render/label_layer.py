"""The label layer: labels of marks, case headers and the undated strip.

Labels are placed so they never overlap (caseline.layout.labels) and, on raster targets, stamped with their
halos from an atlas of the distinct strings with one drawPixmapFragments call (with leader lines, which run
between a halo and its text, the halos go in one drawRects first); vector targets write real text."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

from caseline.analysis.wording import format_resolved
from caseline.layout import timeline_layout as L
from caseline.layout.labels import place_labels
from caseline.model.kinds import CATEGORY_ORDER
from caseline.render.label_pan import LabelPan
from caseline.render.painting import Frame, LabelArrays, LayerItem, RenderState, elide
from caseline.render.track_labels import LabelBoxes, paint_words, plan_words


@dataclass
class _Placed:
    """The labels a paint placed, kept for the next paint of the same view (a cursor strip)."""

    key: tuple[object, ...]
    index: np.ndarray  # label indices (into RenderState.label_arrays)
    x: np.ndarray  # device x of each label's text
    y: np.ndarray  # device y of the top of each label
    width: np.ndarray
    text: list[str]  # the text drawn (elided at the right edge where it had to be)
    footnotes: list[Footnote] = dataclasses.field(default_factory=list)
    hidden: int = 0  # labels of marks in view not drawn in full (each has a marker where room allows)
    leaders: np.ndarray | None = None  # (n, 4) x0, y0, x1, y1 of leader lines from far numbers to their marks


@dataclass(frozen=True)
class Footnote:
    """A label a figure could not place in full beside its mark: its number (drawn by the mark where room
    allows) and the text the footnote list under the figure gives."""

    number: int
    item: int
    text: str  # the label
    lane: str
    x: float  # the mark's time in axis units (days)
    case: str = ""  # which case, when the figure has several

    when: str = ""  # the mark's time worded as precisely as the source gives it ('day 56 or later')

    def line(self) -> str:
        day = f"{self.x:.0f}" if abs(self.x) >= 1 else f"{self.x:.1g}"
        where = f"{self.case}: " if self.case else ""
        return f"[{self.number}] {self.text} ({where}{self.lane}, {self.when or 'day ' + day})"


class LabelLayer(LayerItem):
    """Labels of marks (placed without overlaps), case headers and the undated strip."""

    def __init__(self, state: RenderState) -> None:
        super().__init__(state)
        self._placed: _Placed | None = None
        self.pan = LabelPan(self, self._settled)
        self._leaders: tuple[np.ndarray, np.ndarray, np.ndarray] = (np.zeros(0, dtype=np.int64), np.zeros(0),
                                                                     np.zeros(0))
        self._chips: list[tuple[int, QRectF]] = []  # undated chips of the last paint
        self.track_words: dict[int, list[tuple[QRectF, str]]] = {}  # numeric tracks' words of the last paint, by row
        self.undated_hidden: list[int] = []  # undated items whose chip did not fit (last full paint)

    def set_state(self, state: RenderState) -> None:
        self._placed = None
        self.pan.forget()
        super().set_state(state)

    @property
    def last_placed(self) -> _Placed | None:
        return self._placed

    def _settled(self) -> None:
        """A pan ended (render.label_pan): the view's own placement, painted now."""
        self._placed = None
        self.update()

    @property
    def drawn_chips(self) -> list[tuple[int, QRectF]]:
        """(item, device rect) of every undated chip the last full paint drew (what a hover looks for: the
        labels of marks are not asked for, a list of every one cost about 1 ms a mouse move at 100,000 events)."""
        return list(self._chips)

    @property
    def drawn_labels(self) -> list[tuple[int, QRectF]]:
        """(item, device rect) of every label and undated chip the last full paint drew."""
        out = list(self._chips)
        placed = self._placed
        if placed is not None and placed.index.size:
            arrays = self.state.label_arrays(self.state.label_font)
            h = QFontMetricsF(self.state.label_font).height()
            out += [(int(arrays.item[k]), QRectF(float(x) - 1, float(y), float(w) + 2, h))
                    for k, x, y, w in zip(placed.index, placed.x, placed.y, placed.width, strict=True)]
        return out

    def draw(self, p: QPainter, f: Frame) -> None:
        self._draw_labels(p, f)
        # what a numeric track measures, over the labels; on screen its values where they run into no label
        # (hovering tells both); a figure, which has no hover, keeps every value. A pan step moves the values
        # planned for the labels' wide placement (render.label_pan)
        words = self.pan.track_words(f) if self.pan.panning and self.state.screen else None
        if words is None:
            words = plan_words(self, f, self._row_boxes if self.state.screen else None)[0]
        self.track_words = paint_words(self, p, words)

    def _row_boxes(self, placed: _Placed | None = None) -> dict[int, LabelBoxes]:
        """The boxes of the labels a placement (the last one drawn) holds, by row, left to right (they never
        overlap)."""
        placed = self._placed if placed is None else placed
        if placed is None or placed.index.size == 0:
            return {}
        rows = self.state.label_arrays(self.state.label_font).row[placed.index]
        height = QFontMetricsF(self.state.label_font).height()
        order = np.lexsort((placed.x, rows))
        rows, x0, width, top = rows[order], placed.x[order], placed.width[order], placed.y[order]
        cuts = (np.flatnonzero(np.diff(rows)) + 1).tolist()
        return {int(rows[a]): LabelBoxes(x0[a:b].tolist(), (x0[a:b] + width[a:b]).tolist(), top[a:b].tolist(), height)
                for a, b in zip([0, *cuts], [*cuts, rows.size], strict=True)}

    def _draw_labels(self, p: QPainter, f: Frame) -> None:
        state = self.state
        layout = state.layout
        row_h = f.row_h
        left, right = f.left, f.right
        font = state.label_font
        fm_h = QFontMetricsF(font).height()
        if not f.partial:
            self._chips = []
            self.undated_hidden = []
        # headers and undated strips of the rows on screen
        title_h = QFontMetricsF(state.title_font).height()
        undated_only: dict[int, list[int]] = state.derived("undated-only-rows", lambda: undated_only_rows(layout))
        for r in range(f.row_lo, f.row_hi + 1):
            row = layout.rows[r]
            y = r * f.sy + f.dy
            if row.kind == L.RowKind.HEADER and state.draw_header_text:
                lines = state.header_lines.get(r, [layout.cases[row.case_index].case.title])
                ty = y + max(0.0, (row_h - title_h) / 2)
                p.setPen(state.fg)
                p.setFont(state.title_font)
                title = lines[0]
                if left + 6 + state.text_width(title, state.title_font) > right - 4:
                    title, _ = elide(state, title, state.title_font, right - 4 - left - 6)
                p.drawStaticText(QPointF(left + 6, ty), state.static_text(title, state.title_font))
                if len(lines) > 1 and title == lines[0]:
                    x_rest = left + 6 + state.text_width(lines[0], state.title_font) + 14
                    rest = " · ".join(lines[1:])
                    small_h = QFontMetricsF(state.small_font).height()
                    if x_rest + state.text_width(rest, state.small_font) < right - 4:
                        p.setPen(state.muted)
                        p.setFont(state.small_font)
                        p.drawStaticText(QPointF(x_rest, ty + (title_h - small_h) * 0.75),
                                         state.static_text(rest, state.small_font))
            elif row.kind == L.RowKind.UNDATED:
                self._draw_undated(p, r, y, row_h, left, right, record=not f.partial)
            elif row.kind == L.RowKind.LANE and r in undated_only:
                self._draw_undated_hint(p, undated_only[r], y, row_h, left)
        if not state.show_labels or row_h < fm_h * 0.9 or not len(layout.label_columns()):
            self._placed = None
            return
        placed = self._place(f, fm_h)
        if placed.index.size == 0:
            return
        # a partial paint (a cursor strip) draws only the labels it exposes, from the same placement
        shown = np.nonzero((placed.x + placed.width + 2 >= f.clip_left) & (placed.x - 2 <= f.clip_right))[0]
        if shown.size == 0:
            return
        halo = QColor(state.bg)
        label_band = row_h > fm_h * 2.2  # room for a label band above the marks
        # over the marks (short rows), a light halo keeps the text readable without hiding them
        halo.setAlpha(200 if label_band else 120)
        texts = [placed.text[int(k)] for k in shown]
        if f.raster and PIXMAP_LABELS and placed.leaders is None:  # each text on its halo, from the atlas
            atlas = state.atlas(font, f.dpr, halo)
            source = atlas.source(texts)
            assert atlas.pixmap is not None
            if self.batch.fragments(p, atlas.pixmap, placed.x[shown] - 1, placed.y[shown] - 1, source):
                return
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(halo)
        if state.screen and f.raster:  # on whole pixels: a halo's edge needs no antialiasing (2-4x cheaper)
            p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        self.batch.rects(p, placed.x[shown] - 1, placed.y[shown], placed.width[shown] + 2, fm_h)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if placed.leaders is not None:
            p.setPen(QPen(state.muted, max(1.0, state.theme.line_px * 0.8)))
            segments = placed.leaders
            self.batch.lines(p, segments[:, 0], segments[:, 1], segments[:, 2], segments[:, 3])
            p.setPen(Qt.PenStyle.NoPen)
        if f.raster and PIXMAP_LABELS:
            atlas = state.atlas(font, f.dpr)
            source = atlas.source(texts)
            assert atlas.pixmap is not None
            if self.batch.fragments(p, atlas.pixmap, placed.x[shown] - 1, placed.y[shown] - 1, source):
                return
        p.setPen(state.fg)
        p.setFont(font)
        for k, text in zip(shown, texts, strict=True):  # vector targets (SVG, PDF): real text
            p.drawStaticText(QPointF(float(placed.x[k]), float(placed.y[k])), state.static_text(text, font))

    @property
    def footnotes(self) -> list[Footnote]:
        """The labels of the last placement that have a number instead of (or after) their text."""
        return list(self._placed.footnotes) if self._placed is not None else []

    @property
    def hidden_labels(self) -> int:
        """How many labels of marks in view the last placement could not draw in full."""
        return self._placed.hidden if self._placed is not None else 0

    def _place(self, f: Frame, fm_h: float) -> _Placed:
        """Where the labels go in this view: the same answer for every paint of the same view. While the view
        pans on screen, the labels are taken from a placement of a wider span (render.label_pan), and placed
        afresh once the panning stops."""
        state = self.state
        key = (f.sx, f.dx, f.sy, f.dy, f.view.left(), f.view.right(), f.view.top(), f.view.bottom(),
               state.marks_version, id(state), state.label_inset_left, state.label_inset_right)
        placed = self._placed
        if placed is not None and placed.key == key:
            return placed
        left, right = f.left + state.label_inset_left, f.right - state.label_inset_right  # history bands
        found = self.pan.placed(f, fm_h, key, left, right) \
            if PAN_LABELS and state.screen and f.raster and not state.footnotes else None
        self._placed = found if found is not None else self.placement(f, fm_h, key, left, right)
        return self._placed

    def candidates(self, f: Frame, strip: tuple[float, float] | None = None) -> np.ndarray:
        """The labels that compete for a place in frame ``f``: of the rows on screen, their mark in view, at
        most one per LABEL_BIN_PX of a row and priority (the first, as the greedy placement would keep it).
        ``strip``: only those reaching into these days (the bins are the same: they start at the data's start)."""
        state = self.state
        arrays = state.label_arrays(state.label_font)
        view = f.view
        top, bottom = min(view.top(), view.bottom()), max(view.top(), view.bottom())
        x_left, x_right = view.left(), view.right()
        row_lo, row_hi = max(0, math.floor(top) - 1), min(state.layout.n_rows - 1, math.floor(bottom) + 1)
        if state.footnotes:  # a figure: every label competes (none is dropped by the level of detail)
            chosen = np.nonzero((arrays.row >= row_lo) & (arrays.row <= row_hi))[0]
        else:
            # at a level of detail, the first label per LABEL_BIN_PX of a row and priority: two labels
            # that close can never both be kept (a kept box is its text wide plus an 8 px gap)
            chosen = state.culler("labels").select(row_lo, row_hi, *(strip or (x_left, x_right)), f.days_per_px,
                                                   LABEL_BIN_PX)
        emphasised = self._emphasised()
        if emphasised:  # emphasised labels always compete, whatever the level of detail
            extra = np.nonzero(np.isin(arrays.item, list(emphasised)))[0]
            chosen = np.union1d(chosen, extra)
        in_view = ((arrays.y[chosen] >= top - 1) & (arrays.y[chosen] <= bottom + 1)
                   & ~(arrays.x_end[chosen] < x_left) & ~(arrays.x[chosen] > x_right))
        if state.ghosted:
            in_view &= ~np.isin(arrays.item[chosen], list(state.ghosted))
        return chosen[in_view]  # type: ignore[no-any-return]

    def _emphasised(self) -> set[int]:
        state = self.state
        return state.highlighted | ({state.selected} if state.selected is not None else set())

    def priorities(self, index: np.ndarray) -> np.ndarray:
        """The placement priority of each label of ``index``: a selected or highlighted one outranks the rest."""
        arrays = self.state.label_arrays(self.state.label_font)
        priority = arrays.priority[index]
        emphasised = self._emphasised()
        if emphasised:
            priority = priority + np.where(np.isin(arrays.item[index], list(emphasised)), 10, 0)
        return priority  # type: ignore[no-any-return]

    def positions(self, f: Frame, chosen: np.ndarray, left: float, right: float
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Where each of ``chosen`` would go, its width, whether the layout shortened it, its row and priority."""
        state = self.state
        font = state.label_font
        arrays = state.label_arrays(font)
        xs = arrays.x[chosen] * f.sx + f.dx
        # labels start just right of their mark; keep the start on screen for long courses
        glyph = state.theme.glyph_px * state.px_per_pt * 0.5
        xs = np.maximum(xs + glyph, left + 4)
        widths = arrays.width[chosen]
        # a figure keeps room for a footnote number after a label shortened by the layout (a long result)
        shortened = np.zeros(chosen.size, dtype=bool)
        if state.footnotes:
            shortened = np.array([arrays.texts[int(t)].endswith("…") for t in arrays.text[chosen]], dtype=bool)
            widths = widths + np.where(shortened, state.text_width(" [99]", font), 0.0)
        rows = arrays.row[chosen]
        priority = self.priorities(chosen)
        # a label that would run off the right edge goes to the left of its mark instead
        marks_x = xs - glyph
        overflow = xs + widths > right - 2
        xs = np.where(overflow, np.maximum(left + 4, marks_x - glyph - widths), xs)
        return xs, widths, shortened, rows, priority

    def placement(self, f: Frame, fm_h: float, key: tuple[object, ...], left: float, right: float,
                  chosen: np.ndarray | None = None) -> _Placed:
        """The labels of frame ``f`` placed between device x ``left`` and ``right``; ``chosen``: the frame's
        candidates, when the caller has them."""
        state = self.state
        font = state.label_font
        arrays = state.label_arrays(font)
        chosen = self.candidates(f) if chosen is None else chosen
        empty = np.zeros(0)
        if chosen.size == 0:
            return _Placed(key, chosen, empty, empty, empty, [])
        reserve = state.text_width(" [99]", font) if state.footnotes else 0.0
        xs, widths, shortened, rows, priority = self.positions(f, chosen, left, right)
        kept = place_labels(xs, widths, rows, priority, gap_px=8.0, left_px=left, right_px=right + 1)
        keep = np.nonzero(kept)[0]
        label_band = f.row_h > fm_h * 2.2
        label_top_frac = 0.04 if label_band else max(0.0, state.mark_center - 0.5)
        index = chosen[keep]
        x = xs[keep]
        width = widths[keep].copy()
        texts = [arrays.texts[int(t)] for t in arrays.text[index]]
        # the few labels still running off the right edge are elided (or dropped when nothing fits);
        # a figure keeps room for the footnote number after the ellipsis
        drop = np.zeros(index.size, dtype=bool)
        elided = shortened[keep].copy()
        width -= np.where(elided, reserve, 0.0)  # the number's room is added back with the number
        for k in np.nonzero(x + width > right - 2)[0]:
            text, w = elide(state, texts[int(k)], font, right - 2 - float(x[k]) - reserve)
            texts[int(k)], width[k], drop[k], elided[k] = text, w, not text, bool(text)
        n_hidden = int(chosen.size - keep.size + drop.sum())  # labels with no text drawn at all
        if state.footnotes or n_hidden <= MAX_MARKERS:
            hidden = np.union1d(chosen[~kept], index[drop])
        else:  # a zoomed-out big case: the level of detail hides most labels, and no marker is drawn
            hidden = np.zeros(0, dtype=np.int64)
        if drop.any():
            keep_k = np.nonzero(~drop)[0]
            index, x, width, elided = index[keep_k], x[keep_k], width[keep_k], elided[keep_k]
            texts = [texts[int(k)] for k in keep_k]
        self._leaders = (np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0))
        markers, footnotes = self._markers(f, arrays, chosen, xs, hidden, index, x, width, elided, texts)
        index = np.concatenate([index, markers[0]]).astype(np.int64)
        x = np.concatenate([x, markers[1]])
        width = np.concatenate([width, markers[2]])
        texts += markers[3]
        y = (arrays.y[index] - 0.5) * f.sy + f.dy + f.row_h * label_top_frac
        # leader lines: from under a far number down to the top of its mark, through the gap between the
        # label band and the marks
        lead, number_x, mark_x = self._leaders
        glyph_h = min(state.theme.glyph_px * state.px_per_pt * 0.75, f.row_h * 0.6)
        top = (arrays.y[lead] - 0.5) * f.sy + f.dy
        clear = min(state.mark_center * f.row_h - glyph_h * 0.6,
                    (state.mark_center - state.theme.bar_fraction / 2) * f.row_h) - 1.0  # above glyphs and bars
        band = f.row_h * label_top_frac + fm_h
        leaders = np.stack([number_x, top + band, mark_x, top + clear], axis=1) \
            if lead.size and clear > band + 1 else None
        return _Placed(key, index, x, y, width, texts, footnotes, n_hidden + int(elided.sum()), leaders)

    def _markers(self, f: Frame, arrays: LabelArrays, chosen: np.ndarray, xs: np.ndarray, hidden: np.ndarray,
                 index: np.ndarray, x: np.ndarray, width: np.ndarray, elided: np.ndarray, texts: list[str]
                 ) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray, list[str]], list[Footnote]]:
        """What marks a label that is not drawn in full. A figure numbers it (after the ellipsis of an
        elided label, else by its mark where room allows) and lists it in footnotes; the window puts a
        small "…" by the mark (its tooltip has the text). Returns the marker boxes (label index, x,
        width, text) and the footnotes."""
        state = self.state
        font = state.label_font
        none: tuple[np.ndarray, np.ndarray, np.ndarray, list[str]] = (
            np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0), [])
        if not state.footnotes and (hidden.size == 0 or hidden.size > MAX_MARKERS):
            return none, []
        layout = state.layout
        numbered = np.concatenate([hidden, index[elided]]) if state.footnotes else np.zeros(0, dtype=np.int64)
        order = np.lexsort((arrays.x[numbered], arrays.row[numbered])) if numbered.size else numbered
        numbers = {int(numbered[k]): n + 1 for n, k in enumerate(order)}
        footnotes = [Footnote(n, int(arrays.item[i]), full_text(layout, int(arrays.item[i]),
                                                                arrays.texts[int(arrays.text[i])]),
                              layout.rows[int(arrays.row[i])].lane, round(float(arrays.x[i]), 1),
                              case_name(layout, int(arrays.item[i])), item_when(layout, int(arrays.item[i])))
                     for i, n in sorted(numbers.items(), key=lambda kv: kv[1])]
        for k in np.nonzero(elided & state.footnotes)[0]:  # an elided label carries its number
            tag = f" [{numbers[int(index[k])]}]"
            texts[int(k)] += tag
            width[k] += state.text_width(tag, font)
        if hidden.size == 0:
            return none, footnotes
        # markers of labels with no text drawn: placed around the kept labels, never over them
        sorter = np.argsort(chosen)
        where = sorter[np.searchsorted(chosen, hidden, sorter=sorter)]
        tags = [f"[{numbers[int(i)]}]" if state.footnotes else "…" for i in hidden]
        mw = np.array([state.text_width(t, font) for t in tags])
        glyph = state.theme.glyph_px * state.px_per_pt * 0.5
        mark = arrays.x[hidden] * f.sx + f.dx
        left, right = f.left + state.label_inset_left, f.right - state.label_inset_right
        # right of the mark, else left of it; a figure then tries slots further along the row's label band
        # (joined to the mark by a leader line); else (a full band) the number is only in the footnotes
        step = np.maximum(mw, QFontMetricsF(font).height()) + 4.0
        candidates = [(np.maximum(xs[where], mark + glyph), False), (mark - glyph - mw, False)]
        if state.footnotes:
            for slot in range(1, LEADER_SLOTS + 1):
                candidates += [(mark + glyph + slot * step, True), (mark - glyph - mw - slot * step, True)]
        fixed_x, fixed_w, fixed_row = x, width, arrays.row[index]
        placed_x = np.full(hidden.size, np.nan)
        leader = np.zeros(hidden.size, dtype=bool)
        for mx, with_leader in candidates:
            todo = np.nonzero(np.isnan(placed_x) & (mx >= left + 2) & (mx + mw <= right - 2))[0]
            if todo.size == 0:
                continue
            fits = place_labels(np.concatenate([fixed_x, mx[todo]]), np.concatenate([fixed_w, mw[todo]]),
                                np.concatenate([fixed_row, arrays.row[hidden[todo]]]),
                                np.concatenate([np.ones(fixed_x.size), np.zeros(todo.size)]), gap_px=4.0,
                                left_px=left, right_px=right - 2)
            ok = todo[fits[fixed_x.size:]]
            placed_x[ok] = mx[ok]
            leader[ok] = with_leader
            fixed_x = np.concatenate([fixed_x, mx[ok]])
            fixed_w = np.concatenate([fixed_w, mw[ok]])
            fixed_row = np.concatenate([fixed_row, arrays.row[hidden[ok]]])
        ok = np.nonzero(~np.isnan(placed_x))[0]
        led = ok[leader[ok]]
        self._leaders = (hidden[led], placed_x[led] + mw[led] / 2, mark[led])
        return (hidden[ok], placed_x[ok], mw[ok], [tags[int(k)] for k in ok]), footnotes

    def _draw_undated_hint(self, p: QPainter, items: list[int], y: float, row_h: float, left: float) -> None:
        """A lane whose events all have no stated time would look empty: it says where they are (the case's
        'Time not stated' strip below). Not while the teaching view still hides them."""
        state = self.state
        if all(index in state.ghosted for index in items):
            return
        font = QFont(state.small_font)
        font.setItalic(True)
        fm = QFontMetricsF(font)
        p.setPen(state.muted)
        p.setFont(font)
        text = UNDATED_HINT if len(items) == 1 else UNDATED_HINT_MANY.format(len(items))
        p.drawText(QPointF(left + state.label_inset_left + 8, y + (row_h + fm.ascent() - fm.descent()) / 2), text)

    def _draw_undated(self, p: QPainter, r: int, y: float, row_h: float, left: float, right: float,
                      record: bool) -> None:
        state = self.state
        layout = state.layout
        font = state.small_font
        fm_h = QFontMetricsF(font).height()
        # clear of the history bands (render.history_marker), which cover the edges of every row but headers
        left, right = left + state.label_inset_left, right - state.label_inset_right
        x = left + 8
        case_index = layout.rows[r].case_index
        for index in layout.undated:  # chips of one case, cut at the right edge
            if int(layout.item_case[index]) != case_index or index in state.ghosted:
                continue
            item = layout.items[index]
            text = item.label
            w = state.text_width(text, font) + 12
            if x + w > right - 4:
                more = state.static_text("…", font)
                p.setPen(state.fg)
                p.drawStaticText(QPointF(x, y + (row_h - fm_h) / 2), more)
                if record:  # a figure lists these under it
                    rest = [i for i in layout.undated[layout.undated.index(index):]
                            if int(layout.item_case[i]) == case_index and i not in state.ghosted]
                    self.undated_hidden += rest
                break
            col = QColor(state.colors[CATEGORY_ORDER.index(item.category)])
            chip = QRectF(x, y + (row_h - fm_h) / 2 - 2, w, fm_h + 4)
            pen = QPen(col, max(1.5, state.theme.line_px * 1.5))
            pen.setStyle(Qt.PenStyle.DashLine)
            p.setPen(pen)
            fill = QColor(col)
            fill.setAlpha(30)
            base = QPen(pen)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(state.bg)  # opaque: rules behind the strip must not cross the text
            p.drawRoundedRect(chip, 4, 4)
            p.setPen(base)
            p.setBrush(fill)
            p.drawRoundedRect(chip, 4, 4)
            p.setPen(state.fg)
            p.setFont(font)
            p.drawStaticText(QPointF(x + 6, chip.top() + 2), state.static_text(text, font))
            if record:
                self._chips.append((index, chip))
            x += w + 8


#: What a lane with only undated events says (its events are chips in the case's "Time not stated" strip).
UNDATED_HINT = "time not stated: see below"
UNDATED_HINT_MANY = "{} events, time not stated: see below"


def undated_only_rows(layout: L.TimelineLayout) -> dict[int, list[int]]:
    """Lane rows with nothing dated whose events are in their case's undated strip: {row: those items}."""
    if not layout.undated:
        return {}
    lane_rows = {(row.case_index, row.category, row.lane): r
                 for r, row in enumerate(layout.rows) if row.kind == L.RowKind.LANE}
    placed = np.bincount(layout.item_row[layout.item_row >= 0], minlength=layout.n_rows)
    out: dict[int, list[int]] = {}
    for index in layout.undated:
        item = layout.items[index]
        r = lane_rows.get((int(layout.item_case[index]), item.category, item.lane))
        if r is not None and placed[r] == 0:
            out.setdefault(r, []).append(index)
    return out


def case_name(layout: L.TimelineLayout, item: int) -> str:
    """Which case an item belongs to, for a footnote of a figure of several: 'case N', the N-th case from the
    top (a citation would not do: two patients of one paper share it); '' for a single case."""
    if len(layout.cases) < 2:
        return ""
    return f"case {int(layout.item_case[item]) + 1}"


def item_when(layout: L.TimelineLayout, item: int) -> str:
    """An item's time on the figure's axis (alignment applied), worded only as precisely as it is known: a
    placed estimate of a time stated only by order or by one bound is never given as a day."""
    found = layout.items[item]
    if found.start is None:
        return "time not stated"
    return format_resolved(found.start.shifted(layout.shifts.get(found.case_id, 0.0)), found.precision)


def full_text(layout: L.TimelineLayout, item: int, text: str) -> str:
    """A label as the footnotes give it: in full where the layout shortened a long result."""
    if not text.endswith("…"):
        return text
    found = layout.items[item]
    result = getattr(found.event, "result", None)
    return f"{found.label}: {result}" if result and text.startswith(found.label) else text


#: Slots either side of a mark (each a number's width further) where a figure may put the number of a label
#: it could not place, joined to the mark by a leader line.
LEADER_SLOTS = 6

#: Above this many labels hidden in view (a zoomed-out big case), the window marks none of them.
MAX_MARKERS = 500

#: Raster paints stamp labels from the atlas; False draws each with drawStaticText (for comparison).
PIXMAP_LABELS = True
#: While the view pans on screen, labels come from a placement of a wider span (render.label_pan); False: each
#: pan step places its view (benchmarks compare the two).
PAN_LABELS = True

#: On screen, a dense view's label candidates are the first of each (row, priority) per this many pixels: two
#: labels that close cannot both be kept, so the greedy placement keeps the same ones unless the first was
#: pushed out by a label of higher priority (placement cost 40,000 -> 10,000 candidates at 100,000 events).
LABEL_BIN_PX = 8.0
