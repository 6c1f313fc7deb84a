"""Batched rectangles (render.batch): on screen, aliased rectangles go to Qt as integer rectangles, which must
fill exactly the pixels Qt fills for the same rectangles given as QRectF (2-4x faster, issue 18)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from caseline.render.batch import Batch, _whole_pixels
from caseline.render.painting import cell_runs


def _image(draw, antialiased: bool = False, dpr: float = 1.0) -> np.ndarray:
    image = QImage(420, 320, QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(dpr)
    image.fill(0xFFFFFFFF)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, antialiased)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(200, 50, 50, 140))  # translucent: a pixel filled twice shows
    draw(p)
    p.end()
    return np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.width(), 4).copy()


def _away_from_half(values: np.ndarray) -> np.ndarray:
    """Nudged off exact half pixels, where Qt's own float path rounds either way."""
    frac = values - np.floor(values)
    return np.where(np.abs(frac - 0.5) < 0.02, values + 0.05, values)


@pytest.mark.parametrize("seed", range(4))
def test_integer_rectangles_fill_the_pixels_qt_fills_for_the_same_float_rectangles(qapp, seed) -> None:
    rng = np.random.default_rng(seed)
    n = 400
    x = _away_from_half(rng.uniform(-20, 430, n))
    y = _away_from_half(rng.uniform(-5, 320, n))
    w = rng.uniform(0.05, 40, n)
    h = rng.uniform(0.2, 12, n)
    w = _away_from_half(x + w) - x
    h = _away_from_half(y + h) - y
    w[:10] = 1.0  # whole-pixel columns (merged bars narrower than a pixel)
    x[:10] = np.floor(x[:10])
    batch = Batch()
    calls = []

    def batched(p: QPainter) -> None:
        calls.append(_whole_pixels(p))
        batch.rects(p, x, y, w, h)

    got = _image(batched)
    expected = _image(lambda p: p.drawRects([QRectF(*v) for v in zip(x, y, w, h, strict=True)]))
    assert calls == [True], "the integer path is taken on an aliased raster image"
    assert (got != expected).any(axis=2).sum() == 0
    assert (got != 255).any(), "something was drawn"


def test_integer_rectangles_only_where_they_are_the_same_pixels(qapp) -> None:
    seen = []
    _image(lambda p: seen.append(_whole_pixels(p)), antialiased=True)  # smooth edges: float rectangles
    _image(lambda p: seen.append(_whole_pixels(p)), dpr=2.0)  # device pixels are half a logical pixel
    _image(lambda p: (p.translate(0.5, 0.0), seen.append(_whole_pixels(p))))  # a transform moves the grid
    assert seen == [False, False, False]


@pytest.mark.parametrize(("seed", "antialiased"), [(0, False), (1, False), (2, True)])
def test_runs_of_cells_paint_what_the_cells_side_by_side_paint(qapp, seed, antialiased) -> None:
    """Bars narrower than a pixel are drawn one rectangle per run of neighbouring pixel columns of a row
    (painting.cell_runs), not one per column: translucent, a pixel painted twice or missed would show."""
    rng = np.random.default_rng(seed)
    column = rng.integers(0, 400, 8000).astype(np.float64)  # dense: most cells in runs, and repeats
    column[:50] = 399.0  # at a row's last column: a run must not go on into the next row
    column[50:100] = float(column.min())
    y = rng.integers(0, 12, 8000) + 0.5
    starts, widths, rows = cell_runs(column, y)
    cells = {(int(c), int(r)) for c, r in zip(column, np.floor(y), strict=True)}
    covered = [(int(s) + k, int(r))
               for s, w, r in zip(starts, widths, np.floor(rows), strict=True) for k in range(int(w))]
    assert sorted(covered) == sorted(cells)  # every cell once, no other
    assert len(starts) < len(cells) / 3  # runs, not cells
    order = np.lexsort((starts, rows))
    assert (order == np.arange(order.size)).all()  # ascending by row, then column
    same_row = np.diff(rows) == 0
    assert (starts[1:][same_row] > (starts + widths)[:-1][same_row]).all()  # maximal: a gap between runs

    def as_cells(p: QPainter) -> None:
        cs, rs = zip(*sorted(cells), strict=True)
        Batch().rects(p, np.array(cs, dtype=np.float64), np.array(rs) * 25.0 + 5, 1.0, 14.0)

    def as_runs(p: QPainter) -> None:
        Batch().rects(p, starts, np.floor(rows) * 25.0 + 5, widths, 14.0)

    cells_image, runs_image = _image(as_cells, antialiased), _image(as_runs, antialiased)
    assert (cells_image != 255).any()
    assert np.abs(cells_image.astype(np.int16) - runs_image).max() <= (2 if antialiased else 0)


@pytest.mark.parametrize("alpha", [120, 200])
def test_a_label_on_its_halo_from_the_atlas_paints_what_the_halo_then_the_text_paint(qapp, alpha) -> None:
    """The label layer's screen path: each text stamped with its halo from one atlas, instead of the halos as
    rectangles and then the texts (over stripes of colour, as labels sit over marks and bands)."""
    from PySide6.QtGui import QFont, QFontMetricsF

    from caseline.render.painting import LabelAtlas

    font = QFont("DejaVu Sans")
    font.setPixelSize(13)
    fm = QFontMetricsF(font)
    halo = QColor(255, 255, 255, alpha)
    texts = ["Infliximab 5 mg/kg", "EMG", "…", "IVIG 0.4 g/kg/day"]
    x = np.array([3.0, 150.0, 190.0, 40.4])
    y = np.array([4.0, 4.0, 30.0, 29.6])
    plain, haloed = LabelAtlas(font, QColor("#202020"), 1.0), LabelAtlas(font, QColor("#202020"), 1.0, halo)

    def stripes(p: QPainter) -> None:
        for k, color in enumerate(["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"]):
            p.fillRect(QRectF(k * 60.0, 0.0, 30.0, 60.0), QColor(color))

    def separately(p: QPainter) -> None:
        stripes(p)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(halo)
        widths = np.array([fm.horizontalAdvance(t) for t in texts])
        Batch().rects(p, x - 1, y, widths + 2, fm.height())
        source = plain.source(texts)
        assert plain.pixmap is not None and Batch().fragments(p, plain.pixmap, x - 1, y - 1, source)

    def together(p: QPainter) -> None:
        stripes(p)
        source = haloed.source(texts)
        assert haloed.pixmap is not None and Batch().fragments(p, haloed.pixmap, x - 1, y - 1, source)

    a, b = _image(separately).astype(np.int16), _image(together).astype(np.int16)
    differ = np.abs(a - b).max(axis=-1) > 24
    assert differ.sum() <= 8, f"{differ.sum()} pixels differ"
    assert (np.abs(a - _image(stripes).astype(np.int16)).max(axis=-1) > 24).sum() > 200, "labels were drawn"
