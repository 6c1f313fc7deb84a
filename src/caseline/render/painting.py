"""What every paint layer shares: the render state (layout, theme, fonts, caches), batched QPainter calls
from numpy arrays, glyph shapes and the layer base class that paints in device pixels."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPaintEngine,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QPolygonF,
    QStaticText,
)

from caseline.layout import timeline_layout as L
from caseline.layout.row_index import Culler
from caseline.model.kinds import Glyph
from caseline.render.batch import Batch
from caseline.render.tiles import TileCache
from caseline.theme import Theme

MARK_CENTER = 0.66  # where marks sit within a row (labels above them)


#: Above this many glyphs of one kind and colour in view, glyphs are stamped from a cached
#: sprite (one drawPixmapFragments call) instead of filling one path with thousands of
#: subpaths, which costs Qt's rasteriser ~50 µs per glyph. Raster targets only: SVG and PDF
#: keep vector glyphs.
SPRITE_MIN_GLYPHS = 32


@dataclass(frozen=True)
class LabelArrays:
    """TimelineLayout.labels as columns, with text widths in one font (see RenderState.label_arrays)."""

    x: np.ndarray
    x_end: np.ndarray
    y: np.ndarray
    row: np.ndarray
    priority: np.ndarray
    item: np.ndarray
    width: np.ndarray
    text: np.ndarray  # index into texts
    texts: list[str]

    @functools.cached_property
    def widest(self) -> float:
        """The widest label's width (0 with none)."""
        return float(self.width.max()) if self.width.size else 0.0


@dataclass(frozen=True)
class Frame:
    """One paint's geometry: data -> device is ``X = x * sx + dx``, ``Y = y * sy + dy``.

    ``view`` is the data rectangle on screen; ``lo``/``hi`` and ``row_lo``/``row_hi`` bound what
    this paint must draw (the exposed part of the view: a moving cursor line exposes a strip of a
    few pixels, and only marks there are drawn); ``left``/``right`` are the device x of the view's
    edges, ``clip_left``/``clip_right`` those of the exposed part."""

    view: QRectF
    sx: float
    dx: float
    sy: float
    dy: float
    lo: float
    hi: float
    row_lo: int
    row_hi: int
    left: float
    right: float
    clip_left: float
    clip_right: float
    raster: bool
    dpr: float

    @property
    def days_per_px(self) -> float:
        return 1.0 / abs(self.sx) if self.sx else math.inf

    @property
    def row_h(self) -> float:
        return abs(self.sy)

    def scale_key(self) -> tuple[float, ...]:
        """This frame's geometry but for the pan: equal for two paints of one view moved sideways (pan tiles and
        panned labels key on it). The scales to 9 significant digits: a pan recomputes them with rounding noise
        in the last bits."""
        y0, y1 = self.view.top() * self.sy + self.dy, self.view.bottom() * self.sy + self.dy
        return (float(f"{self.sx:.9g}"), float(f"{self.sy:.9g}"), round(self.dy, 3), self.dpr, round(min(y0, y1), 3),
                round(abs(y1 - y0), 3), round(self.right - self.left, 3))

    @property
    def partial(self) -> bool:
        return self.clip_left > self.left + 0.5 or self.clip_right < self.right - 0.5

    def margin(self, px: float) -> tuple[float, float]:
        """The data range to cull to, widened by ``px`` device pixels each side (marks have extent)."""
        pad = px * self.days_per_px
        return self.lo - pad, self.hi + pad


class LabelAtlas:
    """Distinct label strings rendered once into one pixmap (shelf-packed, grown as strings come), so a
    paint draws every label with one ``drawPixmapFragments`` call (docs/qt-notes.md). With a ``halo``, each
    string sits on its halo (a box one pixel wider each side, a line high, one pixel below the cell's top):
    a fragment then draws what the halo's rectangle and the text over it draw."""

    WIDTH = 2048

    def __init__(self, font: QFont, color: QColor, dpr: float, halo: QColor | None = None) -> None:
        self.font = font
        self.color = color
        self.dpr = dpr
        self.halo = halo
        self.metrics = QFontMetricsF(font)
        self.line_h = math.ceil(self.metrics.height()) + 2
        self.rects: dict[str, tuple[float, float, float, float]] = {}  # source rect in device pixels
        self._pending: list[tuple[str, float, float]] = []
        self._x = 0.0
        self._y = 0.0
        self.pixmap: QPixmap | None = None
        self._height = 0

    def source(self, texts: list[str]) -> np.ndarray:
        """(n, 4) source rectangles of ``texts`` in the atlas (device pixels), adding the new ones."""
        rects = self.rects
        try:
            found = [rects[text] for text in texts]  # (a row assigned per text cost 0.6 ms a paint of 1,000)
        except KeyError:
            found = [rects.get(text) or self._place(text) for text in texts]
            self._render()
        return np.array(found, dtype=np.float64).reshape(len(texts), 4)

    def _place(self, text: str) -> tuple[float, float, float, float]:
        width = math.ceil(self.metrics.horizontalAdvance(text)) + 2
        if self._x + width > self.WIDTH:
            self._x, self._y = 0.0, self._y + self.line_h
        rect = (self._x * self.dpr, self._y * self.dpr, width * self.dpr, self.line_h * self.dpr)
        self._pending.append((text, self._x, self._y))
        self._x += width
        self.rects[text] = rect
        return rect

    def _render(self) -> None:
        height = int(self._y + self.line_h)
        if self.pixmap is None or height > self._height:
            self._height = max(height, 2 * self._height, self.line_h * 4)
            grown = QPixmap(int(self.WIDTH * self.dpr), int(self._height * self.dpr))
            grown.setDevicePixelRatio(self.dpr)
            grown.fill(Qt.GlobalColor.transparent)
            if self.pixmap is not None:
                painter = QPainter(grown)
                painter.drawPixmap(0, 0, self.pixmap)
                painter.end()
            self.pixmap = grown
        painter = QPainter(self.pixmap)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        painter.setFont(self.font)
        painter.setPen(self.color)
        ascent = self.metrics.ascent()
        for text, x, y in self._pending:
            if self.halo is not None:
                painter.fillRect(QRectF(x, y + 1, round(self.metrics.horizontalAdvance(text) + 2),
                                        round(self.metrics.height())), self.halo)
            painter.drawText(QPointF(x + 1, y + 1 + ascent), text)
        painter.end()
        self._pending = []


@dataclass
class RenderState:
    """What every layer needs: the layout, the theme, and derived Qt resources and arrays.

    Everything a paint would otherwise recompute from the layout (label columns and widths, the
    culling indexes and levels of detail, severity steps, rules, row bands) is made here once per
    layout, lazily, so a paint does numpy over what is on screen."""

    layout: L.TimelineLayout
    theme: Theme
    px_per_pt: float = 96.0 / 72.0
    selected: int | None = None
    highlighted: set[int] = field(default_factory=set)
    ghosted: set[int] = field(default_factory=set)
    show_labels: bool = True
    draw_header_text: bool = True  # False: an exported figure draws case headers across its width
    header_lines: dict[int, list[str]] = field(default_factory=dict)  # row -> lines of text
    mark_center: float = MARK_CENTER  # a figure sets its marks lower, under a label band of one line
    footnotes: bool = False  # a figure: labels that cannot be placed get numbers and footnotes
    screen: bool = False  # the window (not a figure): bars drawn on whole pixels, without antialiasing
    # device px at the data area's left and right edges that labels keep clear of (the history bands:
    # caseline.render.history_marker sets them before the labels are placed)
    label_inset_left: float = 0.0
    label_inset_right: float = 0.0

    def __post_init__(self) -> None:
        self.colors = [QColor(c) for c in self.theme.colors()]
        self.fg = QColor(self.theme.foreground)
        self.bg = QColor(self.theme.background)
        self.muted = QColor(self.theme.muted)
        self.label_font = self.font(self.theme.font_pt)
        self.title_font = self.font(self.theme.title_font_pt, bold=True)
        self.small_font = self.font(self.theme.font_pt * 0.9)
        self._static: dict[tuple[str, int], QStaticText] = {}
        self._widths: dict[tuple[str, int], float] = {}
        self._sprites: dict[tuple[int, int, int], QPixmap] = {}
        self._label_arrays: LabelArrays | None = None
        self._label_arrays_font = 0
        self._cullers: dict[str, Culler] = {}
        self._order_hints: dict[str, dict[int, np.ndarray]] = {}  # the last layout's (follow)
        self._atlases: dict[tuple[int, float, int | None], LabelAtlas] = {}
        self._derived: dict[str, object] = {}
        self.marks_version = 0  # bumped when selection, ghosts or highlights change

    def marks_changed(self) -> None:
        self.marks_version += 1

    def font(self, pt: float, bold: bool = False) -> QFont:
        font = QFont(self.theme.font_family)
        font.setPixelSize(max(1, round(pt * self.px_per_pt)))
        font.setBold(bold)
        return font

    def static_text(self, text: str, font: QFont) -> QStaticText:
        key = (text, id(font))
        st = self._static.get(key)
        if st is None:
            st = QStaticText(text)
            st.setTextFormat(Qt.TextFormat.PlainText)
            st.prepare(font=font)
            self._static[key] = st
        return st

    def sprite(self, path: QPainterPath, pen: QPen, brush: QBrush, key: tuple[int, int, int]) -> QPixmap:
        """``path`` (centred on 0, 0) filled and stroked into a cached, antialiased pixmap."""
        sprite = self._sprites.get(key)
        if sprite is None:
            pad = pen.widthF() if pen.style() != Qt.PenStyle.NoPen else 0.0
            box = path.boundingRect().adjusted(-pad - 1, -pad - 1, pad + 1, pad + 1)
            half_w = math.ceil(max(abs(box.left()), abs(box.right())))
            half_h = math.ceil(max(abs(box.top()), abs(box.bottom())))
            sprite = QPixmap(2 * half_w, 2 * half_h)
            sprite.fill(Qt.GlobalColor.transparent)
            painter = QPainter(sprite)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setPen(pen)
            painter.setBrush(brush)
            painter.drawPath(path.translated(half_w, half_h))
            painter.end()
            self._sprites[key] = sprite
        return sprite

    def atlas(self, font: QFont, dpr: float, halo: QColor | None = None) -> LabelAtlas:
        key = (id(font), dpr, halo.rgba() if halo is not None else None)
        atlas = self._atlases.get(key)
        if atlas is None:
            atlas = self._atlases[key] = LabelAtlas(font, self.fg, dpr, halo)
        return atlas

    def label_arrays(self, font: QFont) -> LabelArrays:
        """The layout's labels as arrays, made once per layout and font (labels are placed on every
        paint): x and course end in data units (the layout has already applied each case's
        alignment shift), row centre, row, priority, item, text and its width in ``font``."""
        if self._label_arrays is None or self._label_arrays_font != id(font):
            columns = self.layout.label_columns()
            text_widths = np.array([self.text_width(t, font) for t in columns.texts], dtype=np.float64)
            self._label_arrays = LabelArrays(
                x=columns.x, x_end=columns.x_end, y=columns.y, row=columns.row, priority=columns.priority,
                item=columns.item, width=text_widths[columns.text] if len(columns) else np.zeros(0),
                text=columns.text, texts=columns.texts)
            self._label_arrays_font = id(font)
        return self._label_arrays

    def follow(self, previous: RenderState | None) -> None:
        """This layout replaces ``previous``'s (a switch): its culling orders are tried first. A switch of
        alignment shifts each row's marks alike, so the last sort still holds (checked, not assumed)."""
        if previous is not None:
            self._order_hints = {name: c.orders() for name, c in previous._cullers.items()}

    def culler(self, name: str) -> Culler:
        """The culling index (with levels of detail) of one set of marks: bars, points, whiskers, labels."""
        found = self._cullers.get(name)
        if found is None:
            if name == "labels":
                c = self.layout.label_columns()
                found = Culler(c.row, c.x, c.x_end, c.priority, bin_x=c.x, hints=self._order_hints.get(name))
            else:
                marks: L.Marks = getattr(self.layout, name)
                group = marks.style.astype(np.int64) * 256 + marks.color
                found = Culler(np.floor(marks.y).astype(np.int64), marks.x0, marks.x1, group,
                               hints=self._order_hints.get(name))
            self._cullers[name] = found
        return found

    def derived(self, name: str, make: Callable[[], object]) -> Any:
        """A value derived from the layout once (rows as arrays, severity steps, rules)."""
        found = self._derived.get(name)
        if found is None:
            found = self._derived[name] = make()
        return found

    def text_width(self, text: str, font: QFont) -> float:
        key = (text, id(font))
        w = self._widths.get(key)
        if w is None:
            w = QFontMetricsF(font).horizontalAdvance(text)
            self._widths[key] = w
        return w


class LayerItem(pg.GraphicsObject):
    """Base: paints in device pixels after reading the data->device transform.

    The extended style option gives the exposed rectangle: a paint draws only what lies there (a
    cursor line moving exposes a few pixels; panning exposes the whole view)."""

    #: Marks that only translate while the view pans: on screen, a pan step copies them from a wider tile.
    tiled = False
    #: Marks drawn only between the history bands (which count and compress what lies under them).
    inside_bands = False

    def __init__(self, state: RenderState) -> None:
        super().__init__()
        self.state = state
        self.batch = Batch()
        self.paints = 0  # paints so far (benchmarks count every paint a step costs)
        self.tiles = TileCache()
        self.setFlag(self.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)

    def set_state(self, state: RenderState) -> None:
        self.tiles.clear()
        self.prepareGeometryChange()
        self.state = state
        self.update()

    def boundingRect(self) -> QRectF:
        x_lo, x_hi = self.state.layout.x_range
        pad = max(30.0, x_hi - x_lo)
        return QRectF(x_lo - pad, -0.5, (x_hi - x_lo) + 2 * pad, self.state.layout.n_rows + 1.0)

    def paint(self, painter: QPainter, option: object = None, *args: object) -> None:
        self.paints += 1
        t = painter.transform()
        vb = self.getViewBox()
        if vb is None:
            return
        view = vb.viewRect()
        sx, dx, sy, dy = t.m11(), t.m31(), t.m22(), t.m32()
        if sx == 0 or sy == 0:
            return
        exposed = getattr(option, "exposedRect", None)
        clip = view.intersected(exposed) if isinstance(exposed, QRectF) and not exposed.isEmpty() else view
        if clip.isEmpty():
            clip = view
        top, bottom = min(clip.top(), clip.bottom()), max(clip.top(), clip.bottom())
        engine = painter.paintEngine()
        device = painter.device()
        frame = Frame(view=view, sx=sx, dx=dx, sy=sy, dy=dy, lo=clip.left(), hi=clip.right(),
                      row_lo=max(0, math.floor(top) - 1), row_hi=max(-1, min(self.state.layout.n_rows - 1,
                                                                             math.floor(bottom) + 1)),
                      left=view.left() * sx + dx, right=view.right() * sx + dx,
                      clip_left=clip.left() * sx + dx, clip_right=clip.right() * sx + dx,
                      raster=engine is not None and engine.type() == QPaintEngine.Type.Raster,
                      dpr=float(device.devicePixelRatioF()) if device is not None else 1.0)
        state = self.state
        if self.inside_bands and (state.label_inset_left or state.label_inset_right):
            # marks stop at the history bands (render.history_marker), which count and compress what lies
            # under them: drawn there too, a course ran into the band's compressed history like part of it
            left, right = frame.left + state.label_inset_left, frame.right - state.label_inset_right
            if right - left > 1.0:
                frame = replace(frame, left=left, right=right, clip_left=max(frame.clip_left, left),
                                clip_right=min(frame.clip_right, right), lo=max(frame.lo, (left - dx) / sx),
                                hi=min(frame.hi, (right - dx) / sx))
        painter.save()
        painter.resetTransform()
        if self.inside_bands and frame.raster:  # glyphs are culled by their centre: the clip cuts one at the edge
            y0, y1 = view.top() * sy + dy, view.bottom() * sy + dy
            painter.setClipRect(QRectF(frame.left, min(y0, y1), frame.right - frame.left, abs(y1 - y0)),
                                Qt.ClipOperation.IntersectClip)
        if not frame.raster:
            # PDF: clip to the data area in device pixels (the view box's clip of its children does not
            # reach vector engines: arrows ran over the lane names); SVG Tiny has no clip, so the
            # layers also clip their geometry (Frame.clip_x)
            y0, y1 = view.top() * sy + dy, view.bottom() * sy + dy
            painter.setClipRect(QRectF(frame.left, min(y0, y1), frame.right - frame.left, abs(y1 - y0)),
                                Qt.ClipOperation.IntersectClip)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        try:
            if self.tiled and frame.raster and self.state.screen:  # panning copies (caseline.render.tiles)
                self.tiles.paint(painter, frame, (id(self.state), self.state.marks_version), self.draw, self)
            else:
                self.draw(painter, frame)
        finally:
            painter.restore()

    def draw(self, p: QPainter, f: Frame) -> None:
        raise NotImplementedError

    @staticmethod
    def visible(marks: L.Marks, view: QRectF) -> np.ndarray:
        """Every mark in ``view`` by a full scan (tests and small layouts; paints use RenderState.culler)."""
        top, bottom = min(view.top(), view.bottom()), max(view.top(), view.bottom())
        return np.nonzero((marks.x1 >= view.left()) & (marks.x0 <= view.right())
                          & (marks.y >= top - 1) & (marks.y <= bottom + 1))[0]

    def cull(self, name: str, f: Frame, pad_px: float, max_bin_px: float = 1.0) -> np.ndarray:
        """Indices of the marks of ``name`` to paint in this frame (culled, at the level of detail)."""
        marks: L.Marks = getattr(self.state.layout, name)
        lo, hi = f.margin(pad_px)
        sel = self.state.culler(name).select(f.row_lo, f.row_hi, lo, hi, f.days_per_px, max_bin_px)
        if sel.size:
            sel = sel[(marks.x1[sel] >= lo) & (marks.x0[sel] <= hi)]
        return sel


def glyph_path(code: int, size: float) -> QPainterPath:
    """The shape of a Glyph, centred on (0, 0), ``size`` px across."""
    s = size / 2.0
    path = QPainterPath()
    if code == Glyph.DIAMOND:
        path.addPolygon(QPolygonF([QPointF(0, -s), QPointF(s, 0), QPointF(0, s), QPointF(-s, 0), QPointF(0, -s)]))
    elif code == Glyph.TRIANGLE:
        path.addPolygon(QPolygonF([QPointF(-s, s * 0.8), QPointF(s, s * 0.8), QPointF(0, -s), QPointF(-s, s * 0.8)]))
    elif code == Glyph.FLAG:
        path.addRect(QRectF(-s * 0.12, -s * 1.2, s * 0.24, s * 2.2))
        path.addPolygon(QPolygonF([QPointF(0, -s * 1.2), QPointF(s * 1.3, -s * 0.75), QPointF(0, -s * 0.3)]))
    elif code == Glyph.STOP:
        path.addRect(QRectF(-s * 0.25, -s * 1.1, s * 0.5, s * 2.2))
        path.addRect(QRectF(-s * 0.9, -s * 1.1, s * 1.8, s * 0.4))
    elif code == Glyph.RESTART:
        path.addPolygon(QPolygonF([QPointF(-s * 0.6, -s), QPointF(s, 0), QPointF(-s * 0.6, s), QPointF(-s * 0.6, -s)]))
    elif code == Glyph.CIRCLE:
        path.addEllipse(QPointF(0, 0), s * 0.7, s * 0.7)
    elif code == Glyph.CROSS:
        path.addRect(QRectF(-s * 0.2, -s * 1.1, s * 0.4, s * 2.2))
        path.addRect(QRectF(-s * 0.75, -s * 0.55, s * 1.5, s * 0.4))
    elif code == Glyph.ABSENT:  # a pertinent negative: an empty circle crossed through
        path.addEllipse(QPointF(0, 0), s * 0.7, s * 0.7)
        path.moveTo(-s * 0.5, s * 0.5)
        path.lineTo(s * 0.5, -s * 0.5)
    elif code == Glyph.PHASE:  # a new phase or dose: a small triangle pointing down at the lane
        path.addPolygon(QPolygonF([QPointF(-s * 0.8, -s), QPointF(s * 0.8, -s), QPointF(0, s * 0.4),
                                   QPointF(-s * 0.8, -s)]))
    elif code == Glyph.DOSE:  # a tick
        path.addRect(QRectF(-max(1.5, s * 0.22), -s * 1.05, max(3.0, s * 0.44), s * 2.1))
    else:
        raise ValueError(f"no shape for glyph {code!r}")  # tests/render/test_glyphs.py keeps this complete
    return path


def cell_runs(column: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct (pixel column, row centre) cells hit, without sorting (a bitmap of the cells), as runs of
    neighbouring columns of a row: (first column, columns, row centre), ascending by row then column. A run is
    one rectangle that paints what its cells side by side paint (a dense row at a million events: 31,000
    cells a frame in 13,000 runs).

    ``column`` holds whole pixel columns of marks in view, ``y`` row centres (row + 0.5).
    """
    col = column.astype(np.int64)
    row = np.floor(y).astype(np.int64)
    c0, r0 = int(col.min()), int(row.min())
    width = int(col.max()) - c0 + 2  # a column more than the cells span, never hit: a run ends with its row
    hit = np.zeros(width * (int(row.max()) - r0 + 1), dtype=bool)
    hit[(row - r0) * width + (col - c0)] = True
    line, first, length = _runs(hit, width)
    return (first + c0).astype(np.float64), length.astype(np.float64), (line + r0) + 0.5


def span_runs(line: np.ndarray, start: np.ndarray, stop: np.ndarray, width: int
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The runs of pixel columns the spans ``start``..``stop`` (exclusive, ``stop`` < ``width``) cover on each
    line, without sorting (a difference array, summed): (line, first column, columns), ascending by line then
    column. Spans that overlap or touch make one run."""
    if line.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    stop = np.maximum(stop, start + 1)
    size = (int(line.max()) + 1) * width
    edge = np.bincount(line * width + start, minlength=size) - np.bincount(line * width + stop, minlength=size)
    return _runs(np.cumsum(edge[:size]) > 0, width)  # (each line ends on a column no span reaches)


def _runs(covered: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The runs of True in ``covered``, lines of ``width`` columns one after another, each ending on a column
    that is False (so no run crosses into the next line): (line, first column, columns)."""
    step = np.diff(covered.astype(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts, stops = np.flatnonzero(step == 1), np.flatnonzero(step == -1)
    return starts // width, starts % width, stops - starts


def first_per_spot(x: np.ndarray, y: np.ndarray, code: np.ndarray, color: np.ndarray) -> np.ndarray:
    """Indices, ascending, of the first mark of each distinct (x, y, code, colour).

    Same result as ``np.unique(np.stack(...), axis=0, return_index=True)``, from one int64 key
    (a 1-D sort, several times faster). Falls back to that when coordinates are out of range.
    """
    if x.size == 0:
        return np.zeros(0, dtype=np.intp)
    xi = x.astype(np.int64)
    yi = y.astype(np.int64)
    xr = xi - xi.min()
    yr = yi - yi.min()
    if xr.max() >= 1 << 22 or yr.max() >= 1 << 22 or code.max() >= 1 << 10 or color.max() >= 1 << 8 \
            or code.min() < 0 or color.min() < 0:
        _, first = np.unique(np.stack([x, y, code, color], axis=1), axis=0, return_index=True)
        first.sort()
        return first
    key = (((xr << 22) | yr) << 18) | (code.astype(np.int64) << 8) | color.astype(np.int64)
    _, first = np.unique(key, return_index=True)
    first.sort()
    return first


def elide(state: RenderState, text: str, font: QFont, width: float) -> tuple[str, float]:
    """The longest prefix of ``text`` plus an ellipsis that fits ``width`` px ('' if none)."""
    if width < state.text_width("Abc…", font):
        return "", 0.0
    lo, hi = 1, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if state.text_width(text[:mid] + "…", font) <= width:
            lo = mid
        else:
            hi = mid - 1
    out = text[:lo].rstrip() + "…"
    return out, state.text_width(out, font)
