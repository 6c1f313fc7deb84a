"""Panning by blitting: a layer whose marks move only by translation while the view pans (bars, glyphs) is
drawn once into a tile wider than the view, and each pan step copies the part on screen (as map renderers
and image viewers do). A change of zoom, rows, size, marks or selection draws afresh.

Only on screen (raster paints of the interactive window): figures and exports always draw their marks.
Layers next to each other in the paint order can share one tile (:meth:`TileCache.share`: the bars and the
glyphs), drawn into it one after the other: a pan step then costs one copy for both, and the first of them
to paint copies it while the others skip their paint. Copying a view-sized pixmap with its transparency
costs 0.6-0.9 ms of CPU here (a 1,500 x 800 px view), so the layers are tiled only while it is worth it
(their last draws took at least ``MIN_DRAW_MS`` together). The first pan step at a new zoom draws the tile
(twice the view's width: about two frames' work, once), the next ones copy it until the view nears its
edge; a zoom step, which changes the scale, draws directly as before.
One difference shows: an open course fading out beyond the view fades where the tile ends, not at the
view's edge (tests/render/test_tiles.py bounds it to a few dozen pixels).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPixmap

if TYPE_CHECKING:
    from caseline.render.painting import Frame

#: Layers whose draws took less than this many ms together are drawn directly (a copy costs about 0.8 ms).
MIN_DRAW_MS = 1.2
#: The tile is this many times the view's width, the view in its middle.
TILE_WIDTHS = 2.0


@dataclass
class _Tile:
    pixmap: QPixmap
    key: tuple[object, ...]
    left_day: float  # the data x at the tile's left edge
    width: float  # logical px


class TileCache:
    """The tile of one layer, or of a few layers drawn into it in paint order (:meth:`share`), and the cost of
    their last direct draws."""

    def __init__(self) -> None:
        self.tile: _Tile | None = None
        self.members: list[Any] = []  # the layers drawn into the tile, in paint order (empty: one layer)
        self._draw_ms: dict[int, float] = {}  # each layer's last direct draw
        self._last_scale: dict[int, tuple[object, ...]] = {}
        self._copied: tuple[object, ...] | None = None  # the copy the first layer made in this paint
        self.blits = 0  # pan steps served from the tile (tests and benchmarks read it)

    @property
    def draw_ms(self) -> float:
        """The last direct draws of the layers sharing the tile, together."""
        return sum(self._draw_ms.values())

    def share(self, *layers: Any) -> None:
        """Draw ``layers`` (in paint order, adjacent in it: nothing painted between them) into one tile, this one."""
        self.members = list(layers)
        for layer in layers:
            layer.tiles = self
        self.clear()

    def clear(self) -> None:
        self.tile = None
        self._last_scale.clear()
        self._copied = None

    def paint(self, p: QPainter, f: Frame, key: tuple[object, ...], draw: Callable[[QPainter, Frame], None],
              layer: object = None) -> None:
        """Paint frame ``f`` of a layer drawn by ``draw``; ``key`` names everything but the pan that it depends
        on; ``layer``: which of the sharing layers this is (None or the first: the one that copies)."""
        y0, y1 = f.view.top() * f.sy + f.dy, f.view.bottom() * f.sy + f.dy
        top, height = min(y0, y1), abs(y1 - y0)
        width = f.right - f.left
        scale = (*key, *f.scale_key())
        index = self.members.index(layer) if layer is not None and layer in self.members else 0
        tile = self.tile
        if tile is not None and tile.key == scale:
            offset = f.left - (tile.left_day * f.sx + f.dx)  # the view's left edge within the tile
            offset = round(offset * f.dpr) / f.dpr  # whole device pixels: a copy, no resampling
            if offset >= 0 and offset + width <= tile.width:
                x0, x1 = max(f.clip_left, f.left), min(f.clip_right, f.right)
                copy = (scale, offset, x0, x1, top, height)
                if index > 0:  # a later sharing layer: in the copy the first one made in this paint
                    if self._copied == copy:
                        if index == len(self.members) - 1:
                            self._copied = None  # (the paint is over: a later paint copies again)
                        return
                else:
                    if x1 > x0:
                        target = QRectF(x0, top, x1 - x0, height)
                        source = QRectF((x0 - f.left + offset) * f.dpr, 0.0, (x1 - x0) * f.dpr, height * f.dpr)
                        p.drawPixmap(target, tile.pixmap, source)
                    self._copied = copy if self.members else None
                    self.blits += 1
                    return
        if index == 0:
            self._copied = None
        panning = self._last_scale.get(index) == scale and not f.partial
        self._last_scale[index] = scale
        if index > 0 or not panning or self.draw_ms < MIN_DRAW_MS or width <= 0 or height <= 0:
            t0 = time.perf_counter()
            draw(p, f)
            if not f.partial:
                self._draw_ms[index] = (time.perf_counter() - t0) * 1e3
            return
        draws = [draw] if not self.members else [m.draw for m in self.members]
        self.tile = self._render(f, scale, top, height, width, draws)
        self.paint(p, f, key, draw, layer)

    @staticmethod
    def _render(f: Frame, scale: tuple[object, ...], top: float, height: float, width: float,
                draws: list[Callable[[QPainter, Frame], None]]) -> _Tile:
        tile_w = math.ceil(width * TILE_WIDTHS)
        left = math.floor(f.left - (tile_w - width) / 2)  # logical px in the view's coordinates
        pixmap = QPixmap(max(1, math.ceil(tile_w * f.dpr)), max(1, math.ceil(height * f.dpr)))
        pixmap.setDevicePixelRatio(f.dpr)
        pixmap.fill(Qt.GlobalColor.transparent)
        left_day = (left - f.dx) / f.sx
        right_day = (left + tile_w - f.dx) / f.sx
        lo, hi = sorted((left_day, right_day))
        view = QRectF(lo, f.view.top(), hi - lo, f.view.height())
        rows_top, rows_bottom = sorted((f.view.top(), f.view.bottom()))
        tile_frame = replace(f, view=view, dx=f.dx - left, dy=f.dy - top, lo=lo, hi=hi, left=0.0,
                             right=float(tile_w), clip_left=0.0, clip_right=float(tile_w),
                             row_lo=max(0, math.floor(rows_top) - 1),
                             row_hi=max(f.row_hi, math.floor(rows_bottom) + 1) if f.row_hi >= 0 else f.row_hi)
        painter = QPainter(pixmap)
        try:
            for draw in draws:  # each as LayerItem.paint sets the painter up for it
                painter.save()
                painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
                draw(painter, tile_frame)
                painter.restore()
        finally:
            painter.end()
        return _Tile(pixmap, scale, left_day, float(tile_w))
