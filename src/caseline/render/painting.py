"""What every paint layer shares: the render state (layout, theme, fonts, caches), batched QPainter calls
from numpy arrays, glyph shapes and the layer base class that paints in device pixels."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QPolygonF,
    QStaticText,
)

from caseline.layout import timeline_layout as L
from caseline.model.kinds import Glyph
from caseline.theme import Theme

MARK_CENTER = 0.66  # where marks sit within a row (labels above them)


#: Above this many glyphs of one kind and colour in view, glyphs are stamped from a cached
#: sprite (one drawPixmapFragments call) instead of filling one path with thousands of
#: subpaths, which costs Qt's rasteriser ~50 µs per glyph. Raster targets only: SVG and PDF
#: keep vector glyphs.
SPRITE_MIN_GLYPHS = 32


try:  # pyqtgraph's zero-copy arrays of QRectF/QLineF/PixmapFragment for QPainter.draw*s()
    from pyqtgraph.Qt.internals import PrimitiveArray
except ImportError:  # pragma: no cover - older pyqtgraph: Python lists of Qt objects
    PrimitiveArray = None


class _Batch:
    """Reusable arrays handed to drawRects/drawLines/drawPixmapFragments without Python objects."""

    def __init__(self) -> None:
        self._arrays: dict[str, object] = {}

    def _array(self, kind: str, n: int) -> object | None:
        if PrimitiveArray is None:
            return None
        array = self._arrays.get(kind)
        if array is None:
            klass, fields = {"rect": (QRectF, 4), "line": (QLineF, 4),
                             "frag": (QPainter.PixmapFragment, 10)}[kind]
            array = self._arrays[kind] = PrimitiveArray(klass, fields)
        array.resize(n)  # type: ignore[attr-defined]
        return array

    def rects(self, p: QPainter, x: np.ndarray, y: np.ndarray, w: np.ndarray | float, h: np.ndarray | float) -> None:
        n = int(np.shape(x)[0])
        if n == 0:
            return
        array = self._array("rect", n)
        if array is None:
            xs, ys = np.broadcast_arrays(x, y)
            ws, hs = np.broadcast_to(w, (n,)), np.broadcast_to(h, (n,))
            p.drawRects([QRectF(*v) for v in zip(xs.tolist(), ys.tolist(), ws.tolist(), hs.tolist(), strict=True)])
            return
        nd = array.ndarray()  # type: ignore[attr-defined]
        nd[:, 0] = x
        nd[:, 1] = y
        nd[:, 2] = w
        nd[:, 3] = h
        p.drawRects(*array.drawargs())  # type: ignore[attr-defined]

    def lines(self, p: QPainter, x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray) -> None:
        n = int(np.shape(x0)[0])
        if n == 0:
            return
        array = self._array("line", n)
        if array is None:
            p.drawLines([QLineF(*v) for v in zip(*(np.broadcast_to(a, (n,)).tolist() for a in (x0, y0, x1, y1)),
                                                 strict=True)])
            return
        nd = array.ndarray()  # type: ignore[attr-defined]
        nd[:, 0] = x0
        nd[:, 1] = y0
        nd[:, 2] = x1
        nd[:, 3] = y1
        p.drawLines(*array.drawargs())  # type: ignore[attr-defined]

    def stamps(self, p: QPainter, sprite: QPixmap, x: np.ndarray, y: np.ndarray) -> bool:
        """Draw ``sprite`` centred on each (x, y); False when this pyqtgraph cannot."""
        n = int(np.shape(x)[0])
        array = self._array("frag", n)
        if array is None:
            return False
        if n == 0:
            return True
        nd = array.ndarray()  # type: ignore[attr-defined]
        dpr = sprite.devicePixelRatio()
        nd[:, 0] = x
        nd[:, 1] = y
        nd[:, 2:6] = (0.0, 0.0, sprite.width(), sprite.height())
        nd[:, 6:10] = (1.0 / dpr, 1.0 / dpr, 0.0, 1.0)
        p.drawPixmapFragments(*array.drawargs(), sprite)  # type: ignore[attr-defined,call-arg]
        return True


@dataclass(frozen=True)
class LabelArrays:
    """TimelineLayout.labels as columns (see RenderState.label_arrays)."""

    x: np.ndarray
    x_end: np.ndarray
    y: np.ndarray
    row: np.ndarray
    priority: np.ndarray
    item: np.ndarray
    width: np.ndarray


@dataclass
class RenderState:
    """What every layer needs: the layout, the theme, and derived Qt resources."""

    layout: L.TimelineLayout
    theme: Theme
    px_per_pt: float = 96.0 / 72.0
    selected: int | None = None
    highlighted: set[int] = field(default_factory=set)
    ghosted: set[int] = field(default_factory=set)
    show_labels: bool = True
    draw_header_text: bool = True  # False: an exported figure draws case headers across its width
    header_lines: dict[int, list[str]] = field(default_factory=dict)  # row -> lines of text

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

    def label_arrays(self, font: QFont) -> LabelArrays:
        """The layout's labels as arrays, made once per layout and font (labels are placed on every
        paint): x and course end in data units (the layout has already applied each case's
        alignment shift), row centre, row, priority, item, and text width in ``font``."""
        if self._label_arrays is None or self._label_arrays_font != id(font):
            layout = self.layout
            labels = layout.labels
            self._label_arrays = LabelArrays(
                x=np.array([lab.x for lab in labels], dtype=np.float64),
                x_end=np.array([lab.x if math.isnan(lab.x_end) else lab.x_end for lab in labels],
                               dtype=np.float64),
                y=np.array([lab.y for lab in labels], dtype=np.float64),
                row=np.array([int(lab.y) for lab in labels], dtype=np.int64),
                priority=np.array([lab.priority for lab in labels], dtype=np.int64),
                item=np.array([lab.item for lab in labels], dtype=np.int64),
                width=np.array([self.text_width(lab.text, font) for lab in labels], dtype=np.float64),
            )
            self._label_arrays_font = id(font)
        return self._label_arrays

    def text_width(self, text: str, font: QFont) -> float:
        key = (text, id(font))
        w = self._widths.get(key)
        if w is None:
            w = QFontMetricsF(font).horizontalAdvance(text)
            self._widths[key] = w
        return w


class LayerItem(pg.GraphicsObject):
    """Base: paints in device pixels after reading the data->device transform."""

    def __init__(self, state: RenderState) -> None:
        super().__init__()
        self.state = state
        self.batch = _Batch()
        self.setFlag(self.GraphicsItemFlag.ItemUsesExtendedStyleOption, False)

    def set_state(self, state: RenderState) -> None:
        self.prepareGeometryChange()
        self.state = state
        self.update()

    def boundingRect(self) -> QRectF:
        x_lo, x_hi = self.state.layout.x_range
        pad = max(30.0, x_hi - x_lo)
        return QRectF(x_lo - pad, -0.5, (x_hi - x_lo) + 2 * pad, self.state.layout.n_rows + 1.0)

    def paint(self, painter: QPainter, *args: object) -> None:
        t = painter.transform()
        vb = self.getViewBox()
        if vb is None:
            return
        view = vb.viewRect()
        sx, dx, sy, dy = t.m11(), t.m31(), t.m22(), t.m32()
        if sx == 0 or sy == 0:
            return
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        try:
            self.draw(painter, view, sx, dx, sy, dy)
        finally:
            painter.restore()

    def draw(self, p: QPainter, view: QRectF, sx: float, dx: float, sy: float, dy: float) -> None:
        raise NotImplementedError

    @staticmethod
    def visible(marks: L.Marks, view: QRectF) -> np.ndarray:
        top, bottom = min(view.top(), view.bottom()), max(view.top(), view.bottom())
        return np.nonzero((marks.x1 >= view.left()) & (marks.x0 <= view.right())
                          & (marks.y >= top - 1) & (marks.y <= bottom + 1))[0]


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
    elif code == Glyph.DOSE:  # a tick
        path.addRect(QRectF(-max(1.5, s * 0.22), -s * 1.05, max(3.0, s * 0.44), s * 2.1))
    else:
        raise ValueError(f"no shape for glyph {code!r}")  # tests/render/test_glyphs.py keeps this complete
    return path


def _unique_cells(column: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (pixel column, row centre) pairs, without sorting: a bitmap of the cells hit.

    ``column`` holds whole pixel columns of marks in view, ``y`` row centres (row + 0.5).
    """
    col = column.astype(np.int64)
    row = np.floor(y).astype(np.int64)
    c0, r0 = int(col.min()), int(row.min())
    width = int(col.max()) - c0 + 1
    hit = np.zeros(width * (int(row.max()) - r0 + 1), dtype=bool)
    hit[(row - r0) * width + (col - c0)] = True
    cells = np.flatnonzero(hit)
    return (cells % width + c0).astype(np.float64), (cells // width + r0) + 0.5


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
