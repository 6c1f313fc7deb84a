"""Panning by blitting: a layer whose marks move only by translation while the view pans (bars, glyphs) is
drawn once into a tile wider than the view, and each pan step copies the part on screen (as map renderers
and image viewers do). A change of zoom, rows, size, marks or selection draws afresh.

Only on screen (raster paints of the interactive window): figures and exports always draw their marks.
A layer is tiled only while it is worth it (its last draw took at least ``MIN_DRAW_MS``): copying a
view-sized pixmap costs 0.2-0.7 ms here, about what drawing a small case costs. The first pan step at a
new zoom draws the tile (twice the view's width: about two frames' work, once), the next ones copy it
until the view nears its edge; a zoom step, which changes the scale, draws directly as before.
One difference shows: an open course fading out beyond the view fades where the tile ends, not at the
view's edge (tests/render/test_tiles.py bounds it to a few dozen pixels).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPixmap

if TYPE_CHECKING:
    from caseline.render.painting import Frame

#: A layer whose draw took less than this many ms is drawn directly (copying costs about as much).
MIN_DRAW_MS = 2.0
#: The tile is this many times the view's width, the view in its middle.
TILE_WIDTHS = 2.0


@dataclass
class _Tile:
    pixmap: QPixmap
    key: tuple[object, ...]
    left_day: float  # the data x at the tile's left edge
    width: float  # logical px


class TileCache:
    """One layer's tile and the cost of its last direct draw."""

    def __init__(self) -> None:
        self.tile: _Tile | None = None
        self.draw_ms = 0.0
        self._last_scale: tuple[object, ...] | None = None
        self.blits = 0  # pan steps served from the tile (tests and benchmarks read it)

    def clear(self) -> None:
        self.tile = None
        self._last_scale = None

    def paint(self, p: QPainter, f: Frame, key: tuple[object, ...], draw: Callable[[QPainter, Frame], None]) -> None:
        """Paint frame ``f`` of a layer drawn by ``draw``; ``key`` names everything but the pan that it depends on."""
        y0, y1 = f.view.top() * f.sy + f.dy, f.view.bottom() * f.sy + f.dy
        top, height = min(y0, y1), abs(y1 - y0)
        width = f.right - f.left
        scale = (*key, *f.scale_key())
        tile = self.tile
        if tile is not None and tile.key == scale:
            offset = f.left - (tile.left_day * f.sx + f.dx)  # the view's left edge within the tile
            offset = round(offset * f.dpr) / f.dpr  # whole device pixels: a copy, no resampling
            if offset >= 0 and offset + width <= tile.width:
                x0, x1 = max(f.clip_left, f.left), min(f.clip_right, f.right)
                if x1 > x0:
                    target = QRectF(x0, top, x1 - x0, height)
                    source = QRectF((x0 - f.left + offset) * f.dpr, 0.0, (x1 - x0) * f.dpr, height * f.dpr)
                    p.drawPixmap(target, tile.pixmap, source)
                self.blits += 1
                return
        panning = self._last_scale == scale and not f.partial
        self._last_scale = scale
        if not panning or self.draw_ms < MIN_DRAW_MS or width <= 0 or height <= 0:
            t0 = time.perf_counter()
            draw(p, f)
            if not f.partial:
                self.draw_ms = (time.perf_counter() - t0) * 1e3
            return
        self.tile = self._render(f, scale, top, height, width, draw)
        self.paint(p, f, key, draw)

    @staticmethod
    def _render(f: Frame, scale: tuple[object, ...], top: float, height: float, width: float,
                draw: Callable[[QPainter, Frame], None]) -> _Tile:
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
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        try:
            draw(painter, tile_frame)
        finally:
            painter.end()
        return _Tile(pixmap, scale, left_day, float(tile_w))
