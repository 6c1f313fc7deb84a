"""Panning by copying (render.tiles): a pan step served from the tile shows what drawing the marks afresh shows,
and anything that changes the marks (a selection, a new zoom) draws afresh."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QImage

import caseline.render.tiles as tiles
from caseline.render.timeline_plot import TimelinePlot
from figure_support import shown_plot
from support import BORTEZOMIB


def pixels(plot: TimelinePlot) -> np.ndarray:
    image = plot.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    data = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(image.height(), image.bytesPerLine())
    return data[:, : image.width() * 4].reshape(image.height(), image.width(), 4)[:, :, :3].astype(np.int16).copy()


@pytest.fixture
def plot(qtbot, monkeypatch):
    monkeypatch.setattr(tiles, "MIN_DRAW_MS", 0.0)  # the sample case draws fast: tile it anyway
    return shown_plot(qtbot, BORTEZOMIB, 900, 600)


def test_a_pan_copied_from_the_tile_shows_what_drawing_afresh_shows(plot) -> None:
    lo, hi = plot.layout_.x_range
    span = (hi - lo) / 3
    start = lo + span
    plot.set_time_range(start, start + span)
    pixels(plot)  # a first paint at this zoom draws directly
    px_per_day = plot.viewbox.width() / span
    shifted = start + 37 / px_per_day  # a pan of 37 px: the next paint makes the tile and copies from it
    plot.set_time_range(shifted, shifted + span)
    copied = pixels(plot)
    assert plot.points.tiles is plot.bars.tiles  # one tile for both layers
    blits = plot.bars.tiles.blits
    assert plot.bars.tiles.tile is not None and blits >= 1
    plot.set_time_range(shifted + 11 / px_per_day, shifted + span + 11 / px_per_day)
    again = pixels(plot)  # served from the same tile
    assert plot.bars.tiles.blits >= blits + 1
    for layer in (plot.bars, plot.points):
        layer.tiled = False
    plot.set_time_range(shifted, shifted + span)
    drawn = pixels(plot)
    plot.set_time_range(shifted + 11 / px_per_day, shifted + span + 11 / px_per_day)
    drawn_again = pixels(plot)
    for a, b in ((copied, drawn), (again, drawn_again)):
        differ = np.abs(a - b).max(axis=2) > 48
        # the same picture, but for a few dozen pixels where an open course fades at the view's edge (copied
        # from the tile, it fades where the tile ends); a copy 3 px off differs in about 2,000
        assert differ.sum() < 200, f"{differ.sum()} pixels differ"
        assert np.abs(a - b).max(axis=2).mean() < 0.5
    assert (np.abs(drawn - drawn[0, 0]).max(axis=2) > 48).mean() > 0.01  # there are marks in view to compare


def test_a_selection_or_a_zoom_draws_afresh(plot) -> None:
    lo, hi = plot.layout_.x_range
    plot.set_time_range(lo, hi)
    pixels(plot)
    plot.set_time_range(lo + 1, hi + 1)
    pixels(plot)
    tile = plot.bars.tiles.tile
    assert tile is not None
    plot.select(int(plot.layout_.bars.item[0]))  # the selection outline is part of the marks
    pixels(plot)
    assert plot.bars.tiles.tile is tile  # not served: its key no longer matches (drawn directly)
    blits = plot.bars.tiles.blits
    plot.set_time_range(lo, lo + (hi - lo) / 2)  # a zoom: drawn directly, no new tile yet
    pixels(plot)
    assert plot.bars.tiles.blits == blits


def test_the_bars_and_glyphs_share_one_tile_copied_once_a_pan_step(plot, monkeypatch) -> None:
    lo, hi = plot.layout_.x_range
    span = (hi - lo) / 3
    plot.set_time_range(lo + span, lo + 2 * span)
    pixels(plot)
    plot.set_time_range(lo + span * 1.01, lo + span * 2.01)
    pixels(plot)  # the first pan step: the tile is drawn (both layers into it) and copied
    drawn: list[str] = []

    def counted(layer):  # type: ignore[no-untyped-def]
        real, name = layer.draw, type(layer).__name__
        return lambda p, f: (drawn.append(name), real(p, f))

    for layer in (plot.bars, plot.points):
        monkeypatch.setattr(layer, "draw", counted(layer))
    caches = {id(layer.tiles): layer.tiles for layer in (plot.bars, plot.points)}.values()
    copies: list[int] = []
    blits = sum(cache.blits for cache in caches)
    for k in range(2, 6):
        plot.set_time_range(lo + span * (1 + k / 100), lo + span * (2 + k / 100))
        pixels(plot)
        copies.append(sum(cache.blits for cache in caches))
    assert drawn == []  # neither layer drew: both came from the tile
    assert copies == [blits + 1, blits + 2, blits + 3, blits + 4]  # one copy a step for the two layers
    plot.set_time_range(lo + span, lo + span * 1.5)  # a zoom: each layer draws itself, once
    pixels(plot)
    assert sorted(drawn) == ["BarLayer", "PointLayer"]
