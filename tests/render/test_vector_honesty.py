"""PDF and SVG draw what PNG draws: the fade of an end not stated, and nothing outside the data area.

Qt's PDF writer drops a gradient's alpha (the fade became a solid bar with a hard end, a definite end the
source never gave) and SVG Tiny has no clip (arrows ran over the lane names). The figures are rasterised
(poppler's pdftoppm, QtSvg) and read pixel by pixel."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF

from caseline.layout import timeline_layout as L
from caseline.render.exporters import EXPORTERS
from caseline.render.figure import built_figure, resolve_spec
from figure_support import SAMPLE_FILES, rasterise, sample_request

INFLIXIMAB = next(p for p in SAMPLE_FILES if p.name.startswith("infliximab"))


def rgb(image) -> np.ndarray:
    from PySide6.QtGui import QImage

    flat = image.convertToFormat(QImage.Format.Format_RGB888)
    h, w, stride = flat.height(), flat.width(), flat.bytesPerLine()
    data = np.frombuffer(flat.constBits(), dtype=np.uint8, count=stride * h).reshape(h, stride)
    return data[:, :w * 3].reshape(h, w, 3).astype(np.int16)


def exported(preset: str, tmp_path):
    """(rasterised image per format, the open-ended bar's pixels (x0, x1, y), the data area's left x)."""
    view, request = sample_request(INFLIXIMAB, preset)
    with built_figure(resolve_spec(view, request)) as figure:
        plot = figure.plot
        layout, vb = plot.layout_, plot.viewbox
        bars = layout.bars
        lo, hi = plot.time_range()
        open_end = [k for k in range(len(bars)) if bars.style[k] & L.BarStyle.OPEN_END
                    and not bars.style[k] & (L.BarStyle.UNCERTAIN | L.BarStyle.BAND) and bars.x0[k] > lo]
        assert open_end, "the sample has an open-ended course in view"
        k = max(open_end, key=lambda k: min(float(bars.x1[k]), hi) - float(bars.x0[k]))
        y = float(bars.y[k]) - 0.5 + plot.paint_state.mark_center
        a = vb.mapViewToScene(QPointF(float(bars.x0[k]), y))
        b = vb.mapViewToScene(QPointF(min(float(bars.x1[k]), hi), y))
        bar = (a.x(), b.x(), a.y() + figure.plot_top)
        rows = (vb.sceneBoundingRect().top() + figure.plot_top, vb.sceneBoundingRect().bottom() + figure.plot_top)
        left = vb.sceneBoundingRect().left()
        size = (figure.width_px, figure.height_px)
        data = {fmt: EXPORTERS[fmt].write(figure) for fmt in ("png", "pdf", "svg")}
    images = {fmt: rgb(rasterise(fmt, raw, *size, tmp_path)) for fmt, raw in data.items()}
    return images, bar, rows, left


@pytest.mark.parametrize("preset", ["single", "double"])
def test_an_open_end_fades_out_in_every_format(preset, tmp_path) -> None:
    images, (x0, x1, y), _rows, _left = exported(preset, tmp_path)
    profiles = {}
    for fmt, image in images.items():
        line = image[round(y), round(x0) + 2:round(x1) - 1]
        darkness = 255 - line.min(axis=1)  # 0 on white, high on the bar's colour
        n = darkness.size
        start, end = darkness[: n // 5].mean(), darkness[-max(2, n // 12):].mean()
        profiles[fmt] = (start, end)
        assert start > 120, f"{fmt}: the bar's solid start ({start:.0f})"
        assert end < 0.45 * start, f"{fmt}: the bar ends at {end:.0f} of {start:.0f}: a hard end, not a fade"
    png_end = profiles["png"][1]
    for fmt in ("pdf", "svg"):
        assert abs(profiles[fmt][1] - png_end) < 60, f"{fmt} fades unlike the PNG: {profiles}"


@pytest.mark.parametrize("preset", ["single", "double"])
def test_nothing_is_drawn_in_colour_left_of_the_data_area(preset, tmp_path) -> None:
    images, _bar, (top, bottom), left = exported(preset, tmp_path)
    for fmt, image in images.items():
        column = image[round(top) + 2:round(bottom) - 2, : round(left) - 3]
        # lane names, ticks and bands are grey; marks are in category colours
        saturation = column.max(axis=2) - column.min(axis=2)
        coloured = int((saturation > 60).sum())
        assert coloured == 0, f"{fmt}: {coloured} coloured pixels over the lane names"
