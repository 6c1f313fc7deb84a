"""Numeric tracks on the plot (caseline.layout.tracks): what each track measures at its left end, the value
beside each step where there is room, a value's uncertain time as a span, and an investigation's results
as a step line over its reference range drawn as a band. The same painter draws the window and every
exported figure, so both say the same thing."""

from __future__ import annotations

import bisect
import functools
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen

from caseline.layout.tracks import NumericTrack, TrackList, numeric_tracks
from caseline.model.kinds import CATEGORY_ORDER
from caseline.render.painting import SPRITE_MIN_GLYPHS

if TYPE_CHECKING:
    from caseline.render.painting import Frame, LayerItem, RenderState

#: The track's band within its row: values are drawn from TOP (its high end) to TOP + HEIGHT (its low end).
TOP, HEIGHT = 0.12, 0.8
#: Length in pixels of the stub that stands for an open side of a value's time.
OPEN_STUB_PX = 12.0
#: More tracks than this on screen (a big case at full view) are too dense to read: each row names what its
#: first track measures, and values and spans wait for a closer zoom (the step lines are still drawn).
MAX_DETAILED_TRACKS = 120


def track_legend(layout: object) -> list[tuple[str, str]]:
    """Legend entries of the numeric tracks a layout draws."""
    from caseline.layout import timeline_layout as L

    if not isinstance(layout, L.TimelineLayout):
        return []
    tracks = numeric_tracks(layout)
    out = []
    if len(tracks):
        out.append(("▁▃", "values over time (scale or unit at the left)"))
    if tracks.has_reference:
        out.append(("░", "reference range"))
    return out


@dataclass
class LabelBoxes:
    """The mark labels drawn in one row, left to right (they never overlap): a track's value keeps clear of them."""

    x0: list[float]
    x1: list[float]
    top: list[float]
    height: float

    def hit(self, box: QRectF) -> bool:
        """``box`` overlaps one of the labels: the last starting before its right end is the only candidate (the
        ones before it end before that one starts)."""
        return self.hits(box.left(), box.right(), box.top(), box.bottom())

    def hits(self, left: float, right: float, top: float, bottom: float) -> bool:
        """``hit`` for the box from ``left`` to ``right``, ``top`` to ``bottom``."""
        k = bisect.bisect_left(self.x0, right) - 1
        return k >= 0 and self.x1[k] > left and self.top[k] < bottom and self.top[k] + self.height > top


@dataclass(slots=True)
class Word:
    """One caption or value a numeric track writes: ``box`` is what it takes in its row (what later words and
    a hover look at), ``plate`` the background drawn under it, ``at`` the start of its baseline."""

    row: int
    box: QRectF
    plate: QRectF
    at: QPointF
    text: str
    color: QColor
    caption: bool

    def moved(self, dx: float) -> Word:
        return Word(self.row, self.box.translated(dx, 0.0), self.plate.translated(dx, 0.0),
                    QPointF(self.at.x() + dx, self.at.y()), self.text, self.color, self.caption)


def draw_numeric_tracks(layer: LayerItem, p: QPainter, f: Frame) -> None:
    """Every numeric track with a row on screen (a teaching view's hidden values are not told): its lines, band
    and spans, with the marks. Its caption and values are written over the labels by the label layer
    (plan_words, paint_words), so a lane's label never hides what the track measures."""
    state = layer.state
    tracks, shown, _dense, f = _on_screen(layer, f, False)
    if shown is None:
        return
    p.save()
    for index in shown.tolist():
        track = tracks[index]
        # (a severity scale with no reference range and no uncertain time has nothing to draw here: skipped,
        # at a full view of 10,000 events 625 tracks were 5 ms of Python a paint)
        if track.has_lines and not (state.ghosted and any(pt.item in state.ghosted for pt in track.points)):
            _draw_track(layer, p, f, track, _color(state, track), max(1.0, state.theme.line_px))
    p.restore()


def _on_screen(layer: LayerItem, f: Frame, text: bool) -> tuple[TrackList, np.ndarray | None, bool, Frame]:
    """The tracks, those on screen in frame ``f`` (None: nothing to draw), whether too many are to be read, and
    the frame (for words: within the history bands)."""
    state = layer.state
    tracks: TrackList = state.derived("numeric_tracks", lambda: numeric_tracks(state.layout))
    if not len(tracks):
        return tracks, None, False, f
    if text and (state.label_inset_left or state.label_inset_right):  # words keep clear of the history bands
        left, right = f.left + state.label_inset_left, f.right - state.label_inset_right
        if right - left > 1.0:
            f = replace(f, left=left, right=right)
    row, x_min, x_max = tracks.row, tracks.extent[:, 0] - 1.0, tracks.extent[:, 1] + 1.0
    shown = np.nonzero((row >= f.row_lo) & (row <= f.row_hi) & (x_max * f.sx + f.dx >= f.left)
                       & (x_min * f.sx + f.dx <= f.right))[0]  # tracks on screen (rows, then time)
    dense = shown.size > MAX_DETAILED_TRACKS
    if dense:  # too many to read: no spans or values, one caption per row (its first track on screen)
        if not text:
            return tracks, None, dense, f
        shown = shown[np.unique(row[shown], return_index=True)[1]]
    return tracks, shown, dense, f


def _color(state: RenderState, track: NumericTrack) -> QColor:
    colors: dict[int, QColor] = state.derived("track_colors", dict)  # (one per track and layout: each paint asks)
    found = colors.get(id(track))
    if found is None:
        category = state.layout.items[track.points[0].item].category
        found = colors[id(track)] = QColor(state.colors[CATEGORY_ORDER.index(category)]).darker(150)
    return found


def plan_words(layer: LayerItem, f: Frame, labels: Callable[[], dict[int, LabelBoxes]] | None = None,
               values: bool = True) -> tuple[list[Word], bool]:
    """What the numeric tracks with a row on screen write in frame ``f``, in order: each track's caption at its
    left end and, with ``values``, each severity value beside its step (a teaching view's hidden values are not
    told); and whether the tracks on screen are too many to read (then one caption per row and no values). A
    value that would cover one of its row's ``labels`` (asked for once, when a value is first written) goes to
    the other side of its step, or is left out: its mark and tooltip still tell it."""
    state = layer.state
    tracks, shown, dense, f = _on_screen(layer, f, True)
    if shown is None:
        return [], dense
    font = state.small_font  # in print no smaller than 6 pt (tests/render/test_figure_labels.py)
    fm = QFontMetricsF(font)
    if f.row_h < fm.height() * 1.2:  # rows too thin for text: the lines alone
        return [], dense
    shown = _unghosted(state, tracks, shown)
    captions = _caption_words(state, tracks, shown, f, fm)
    glyph = min(state.theme.glyph_px * state.px_per_pt * 0.75, f.row_h * 0.6)  # a value's mark (PointLayer)
    taken: dict[int, list[tuple[QRectF, str]]] = {}
    out: list[Word] = []

    def measure(words: str) -> float:
        return state.text_width(words, font)

    label_boxes = functools.cache(labels) if labels is not None else None  # made when a value is first written
    for index in shown.tolist():
        track = tracks[index]
        caption = captions.get(index)
        if caption is not None:
            out.append(caption)
            taken.setdefault(track.row, []).append((caption.box, caption.text))
        if values and not dense and track.severity:  # a result's value is in its mark's label
            _plan_values(f, track, _color(state, track), fm, glyph / 2 + 2.0, measure, taken, out,
                         labels=label_boxes().get(track.row) if label_boxes else None)
    return out, dense


def plan_captions(layer: LayerItem, f: Frame) -> tuple[list[Word], bool]:
    """``plan_words(layer, f, values=False)``: each track's caption at its left end (what a pan step writes
    before the values it moves with the view)."""
    state = layer.state
    tracks, shown, dense, f = _on_screen(layer, f, True)
    if shown is None:
        return [], dense
    fm = QFontMetricsF(state.small_font)
    if f.row_h < fm.height() * 1.2:  # rows too thin for text: the lines alone
        return [], dense
    return list(_caption_words(state, tracks, _unghosted(state, tracks, shown), f, fm).values()), dense


def _unghosted(state: RenderState, tracks: TrackList, shown: np.ndarray) -> np.ndarray:
    """``shown`` without the tracks a teaching view has not revealed yet."""
    if not state.ghosted:
        return shown
    return np.array([k for k in shown.tolist() if not any(pt.item in state.ghosted for pt in tracks[k].points)],
                    dtype=np.int64)


def _caption_words(state: RenderState, tracks: TrackList, shown: np.ndarray, f: Frame, fm: QFontMetricsF
                   ) -> dict[int, Word]:
    """The caption of each of the tracks ``shown`` (by track index, in their order) at its left end: it ends
    where the track's first value (or that value's time) begins, held within the view; a caption saying what
    one before it in its row already says there is left out. Planned over arrays of the tracks made once per
    layout (a pan step plans every caption on screen: one by one, about 15 us a track)."""
    font = state.small_font
    columns: _Captions = state.derived(f"captions-{id(font)}", lambda: _Captions.of(state, tracks, font))
    glyph = min(state.theme.glyph_px * state.px_per_pt * 0.75, f.row_h * 0.6)  # a value's mark (PointLayer)
    beside = glyph / 2 + 2.0
    width = columns.width[shown]
    x_first = columns.first[shown] * f.sx + f.dx - columns.stub[shown]
    cap_x = np.minimum(np.maximum(f.left + 2.0, x_first - width - beside), f.right - width - 2.0)
    cap_y = columns.row[shown] * f.sy + f.dy + f.row_h - fm.descent() - 1.0
    ascent, text_h = fm.ascent(), fm.height()
    taken: dict[int, list[tuple[float, float, str]]] = {}
    out: dict[int, Word] = {}
    for k, x, y, w in zip(shown.tolist(), cap_x.tolist(), cap_y.tolist(), width.tolist(), strict=True):
        row, said = columns.rows[k], columns.texts[k]
        in_row = taken.setdefault(row, [])
        left = x - 2.0
        right = left + (w + 4.0)
        if any(a < right and left < b for a, b, text in in_row if text == said):  # (boxes of the same height)
            continue
        box = QRectF(left, y - ascent, w + 4.0, text_h)
        out[k] = Word(row, box, box, QPointF(x, y), said, _color(state, tracks[k]), True)
        in_row.append((left, right, said))
    return out


@dataclass(frozen=True)
class _Captions:
    """Each track's caption, its width, row, and where its first value (or that value's time) begins: the day
    (``first``) and a stub in px before it (an open start)."""

    texts: list[str]
    rows: list[int]
    row: np.ndarray
    width: np.ndarray
    first: np.ndarray
    stub: np.ndarray

    @staticmethod
    def of(state: RenderState, tracks: TrackList, font: QFont) -> _Captions:
        texts = [tracks[k].caption for k in range(len(tracks))]
        starts = [tracks[k].points[0] for k in range(len(tracks))]
        rows = [tracks[k].row for k in range(len(tracks))]
        return _Captions(texts, rows, np.array(rows, dtype=np.float64),
                         np.array([state.text_width(t, font) for t in texts], dtype=np.float64),
                         np.array([pt.lo if math.isfinite(pt.lo) else pt.x for pt in starts], dtype=np.float64),
                         np.array([0.0 if math.isfinite(pt.lo) else (OPEN_STUB_PX if pt.lo < pt.x else 0.0)
                                   for pt in starts], dtype=np.float64))


def paint_words(layer: LayerItem, p: QPainter, words: Sequence[Word]) -> dict[int, list[tuple[QRectF, str]]]:
    """Write ``words`` over plates of the background colour; returns their boxes and texts, by row."""
    state = layer.state
    plate = QColor(state.theme.background)
    plate.setAlpha(215)
    taken: dict[int, list[tuple[QRectF, str]]] = {}
    if not words:
        return taken
    p.save()
    p.setFont(state.small_font)
    pen = None
    for word in words:
        p.fillRect(word.plate, plate)  # readable over a band or a leader line
        if word.color != pen:
            pen = word.color
            p.setPen(pen)
        p.drawText(word.at, word.text)
        taken.setdefault(word.row, []).append((word.box, word.text))
    p.restore()
    return taken


def _y(f: Frame, track: NumericTrack, value: float) -> float:
    return track.row * f.sy + f.dy + f.row_h * (TOP + HEIGHT * (1.0 - track.fraction(value)))


def _draw_track(layer: LayerItem, p: QPainter, f: Frame, track: NumericTrack, color: QColor, line: float) -> None:
    """One track's reference band, step line (of results: a severity line is drawn by render.layers) and
    the spans of its values' uncertain times."""
    sx, dx = f.sx, f.dx
    xs, fractions = track.arrays
    lo, hi = f.margin(40.0)
    first = max(0, int(np.searchsorted(xs, lo, side="left")) - 1)
    last = min(len(xs), int(np.searchsorted(xs, hi, side="right")) + 1)
    top = track.row * f.sy + f.dy
    if track.reference_low is not None or track.reference_high is not None:  # the reference range as a band
        y_hi = _y(f, track, track.reference_high) if track.reference_high is not None else top + f.row_h * TOP
        y_lo = _y(f, track, track.reference_low) if track.reference_low is not None else top + f.row_h * (TOP + HEIGHT)
        band = QColor(color)
        band.setAlpha(40)
        p.fillRect(QRectF(f.left, min(y_hi, y_lo), f.right - f.left, abs(y_lo - y_hi)), band)
    pen = QPen(color, line, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap)
    if not track.severity:  # the severity step line is drawn with the point marks (render.layers)
        step_pen = QPen(color, line * 1.5, Qt.PenStyle.SolidLine, Qt.PenCapStyle.SquareCap)
        p.setPen(step_pen)
        points = track.points[first:last]
        steps, dots = points, points
        if f.raster and len(points) >= SPRITE_MIN_GLYPHS:  # a long series (a year of labs): as arrays
            X = xs[first:last] * sx + dx
            Y = top + f.row_h * (TOP + HEIGHT * (1.0 - fractions[first:last]))
            from_x, to_x = np.clip(X[:-1], f.left, f.right), np.clip(X[1:], f.left, f.right)
            layer.batch.lines(p, from_x, Y[:-1], to_x, Y[:-1])
            change = (f.left <= X[1:]) & (X[1:] <= f.right)  # (not drawn at the edge: a time not stated)
            layer.batch.lines(p, to_x[change], Y[:-1][change], to_x[change], Y[1:][change])
            steps = ()
            dot = QPainterPath()
            dot.addEllipse(QPointF(0.0, 0.0), 2.0 * line, 2.0 * line)
            sprite = layer.state.sprite(dot, step_pen, QBrush(color), (-2, color.rgba(), round(line * 16)))
            if layer.batch.stamps(p, sprite, X, Y):
                dots = ()
        for a, b in itertools.pairwise(steps):
            xb_at = b.x * sx + dx
            xa, xb = _clip(f, a.x * sx + dx), _clip(f, xb_at)
            ya, yb = _y(f, track, a.value), _y(f, track, b.value)
            p.drawLine(QPointF(xa, ya), QPointF(xb, ya))
            if f.left <= xb_at <= f.right:  # a change beyond the edge is not drawn at the edge (a time not stated)
                p.drawLine(QPointF(xb, ya), QPointF(xb, yb))
        for pt in dots:  # each value's mark on the line
            p.setBrush(color)
            p.drawEllipse(QPointF(pt.x * sx + dx, _y(f, track, pt.value)), 2.0 * line, 2.0 * line)
        p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(pen)
    for pt in track.points[first:last]:  # an uncertain time: a span at the value's level, capped at each bound
        if pt.lo == pt.hi:
            continue
        y = _y(f, track, pt.value)
        x = pt.x * sx + dx
        x0 = pt.lo * sx + dx if math.isfinite(pt.lo) else x - OPEN_STUB_PX
        x1 = pt.hi * sx + dx if math.isfinite(pt.hi) else x + OPEN_STUB_PX
        p.drawLine(QPointF(_clip(f, x0), y), QPointF(_clip(f, x1), y))
        for bound, at in ((pt.lo, x0), (pt.hi, x1)):
            if math.isfinite(bound) and f.left <= at <= f.right:
                p.drawLine(QPointF(at, y - 3.0), QPointF(at, y + 3.0))


def _plan_values(f: Frame, track: NumericTrack, color: QColor, fm: QFontMetricsF, beside: float,
                 width: Callable[[str], float], taken: dict[int, list[tuple[QRectF, str]]], out: list[Word],
                 labels: LabelBoxes | None = None) -> None:
    """A severity track's values, each beside its mark (``beside`` px right of it). ``taken``: per row, the
    boxes (and texts) already written (captions, the values of the tracks before it): a value running into
    them is left out."""
    sx, dx = f.sx, f.dx
    top = track.row * f.sy + f.dy
    text_h = fm.height()
    in_row = taken.setdefault(track.row, [])
    xs = track.arrays[0]
    lo, hi = f.margin(40.0)
    first = max(0, int(np.searchsorted(xs, lo, side="left")) - 1)
    last = min(len(xs), int(np.searchsorted(xs, hi, side="right")) + 1)
    for pt in track.points[first:last]:  # the value beside its mark, where it runs into no other text
        x = pt.x * sx + dx + beside
        w = width(pt.text)
        if x < f.left or x + w > f.right:
            continue
        y = _y(f, track, pt.value)
        # above its step in the track's lower half, below it in the upper half (a lane's label is at its top);
        # where that runs into a mark's label (both unreadable), the other side; else left out (its mark and
        # tooltip still tell it)
        above, below = y - 2.0, y + fm.ascent() + 1.0
        for baseline in ((above, below) if track.fraction(pt.value) < 0.5 else (below, above)):
            baseline = min(max(baseline, top + fm.ascent()), top + f.row_h - fm.descent())
            box = QRectF(x, baseline - fm.ascent(), w, text_h)
            if labels is None or not labels.hit(box):
                break
        else:
            continue
        if any(box.intersects(other) for other, _ in in_row[-8:]):  # (boxes of a row come left to right)
            continue
        out.append(Word(track.row, box, box.adjusted(-1.0, 0.0, 1.0, 0.0), QPointF(x, baseline), pt.text, color,
                        False))
        in_row.append((box, pt.text))


def _clip(f: Frame, x: float) -> float:
    return min(max(x, f.left), f.right)
