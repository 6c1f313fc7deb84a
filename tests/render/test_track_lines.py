"""The numeric tracks' lines (render.track_labels.draw_numeric_tracks): a paint skips the tracks that draw
nothing there (a severity scale with no reference range and no value of uncertain time: its line is drawn with
the marks), and the picture is the same as when every track on screen is visited."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage

import caseline.render.tiles as tiles
import caseline.render.track_labels as track_labels
from caseline.layout.tracks import NumericTrack
from caseline.render.timeline_plot import TimelinePlot
from caseline.timeline.load import load_file


def _pixels(plot: TimelinePlot) -> np.ndarray:
    image = plot.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    data = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(image.height(), image.bytesPerLine())
    return data[:, : image.width() * 4].copy()


def test_tracks_that_draw_no_line_are_skipped_and_the_picture_is_the_same(qtbot, tmp_path, monkeypatch) -> None:
    from benchmarks.generate import generate

    cases = load_file(generate(str(tmp_path), 400, 1).yaml_path).cases
    monkeypatch.setattr(tiles, "MIN_DRAW_MS", 1e9)  # every paint draws the marks (none copied from a tile)
    plot = TimelinePlot()
    qtbot.addWidget(plot)
    plot.resize(900, 700)
    plot.show()
    plot.set_cases(cases)
    plot.set_time_range(0.0, 120.0)
    _pixels(plot)  # the first paint at this range (the labels' placement settles after it)
    drawn: list[bool] = []
    real_draw = track_labels._draw_track
    monkeypatch.setattr(track_labels, "_draw_track", lambda layer, p, f, track, *a: (
        drawn.append(track.severity), real_draw(layer, p, f, track, *a)))
    skipping = _pixels(plot)
    tracks = plot.points.state.derived("numeric_tracks", lambda: None)
    lines = [track.has_lines for track in tracks]
    assert any(lines) and not all(lines), "some tracks draw lines, some draw none here"
    assert drawn and not any(drawn), "only the results' tracks (a reference range, a step line) were visited"
    assert any(t.severity for t in tracks), "severity tracks are on screen"
    monkeypatch.setattr(NumericTrack, "has_lines", property(lambda track: True))  # visit every track, as before
    plot.points.update()
    drawn.clear()
    visiting = _pixels(plot)
    assert any(drawn), "now the severity tracks are visited too"
    assert np.array_equal(skipping, visiting)


def test_a_long_series_of_results_drawn_as_arrays_looks_as_drawn_value_by_value(qtbot, tmp_path, monkeypatch) -> None:
    """A results' track of many values (a year of labs) draws its step line in two batched calls and its values'
    dots from one sprite: the same picture, up to the dots' antialiasing, as a line and an ellipse per value."""
    from benchmarks.generate import generate

    import caseline.render.painting as painting

    cases = load_file(generate(str(tmp_path), 2000, 1).yaml_path).cases
    monkeypatch.setattr(tiles, "MIN_DRAW_MS", 1e9)
    plot = TimelinePlot()
    qtbot.addWidget(plot)
    plot.resize(1000, 800)
    plot.show()
    plot.set_cases(cases)
    plot.set_time_range(0.0, 700.0)  # fewer tracks than too many to read, each results' series long
    _pixels(plot)
    tracks = plot.points.state.derived("numeric_tracks", lambda: None)
    long_series = [t for t in tracks if t.has_lines and not t.severity
                   and sum(p.x <= 700 for p in t.points) >= painting.SPRITE_MIN_GLYPHS]
    assert long_series, "results' tracks with more values on screen than a sprite is worth"
    stamped = []
    real_stamps = plot.points.batch.stamps
    monkeypatch.setattr(plot.points.batch, "stamps", lambda *a: (stamped.append(len(a[2])), real_stamps(*a))[1])
    plot.points.update()
    arrays = _pixels(plot)
    assert stamped, "the values' dots were stamped"
    monkeypatch.setattr(track_labels, "SPRITE_MIN_GLYPHS", 10**9)  # a line and an ellipse per value, as before
    plot.points.update()
    by_value = _pixels(plot).reshape(arrays.shape[0], -1, 4)[:, :, :3].astype(np.int16)
    arrays = arrays.reshape(arrays.shape[0], -1, 4)[:, :, :3].astype(np.int16)
    differ = np.abs(arrays - by_value).max(axis=2)
    assert (np.abs(by_value - by_value[0, 0]).max(axis=2) > 48).mean() > 0.01, "there is a picture to compare"
    assert (differ > 96).sum() < 0.002 * differ.size, f"{(differ > 96).sum()} pixels differ much"
    assert differ.mean() < 0.5
    # where sprites cannot be stamped (a pyqtgraph without the fragment arrays) the batched step line is not drawn
    # again: only the dots are drawn one by one, the picture drawn value by value (glyphs unstamped in both)
    monkeypatch.setattr(plot.points.batch, "stamps", lambda *a: False)
    plot.points.update()
    unstamped_by_value = _pixels(plot).reshape(by_value.shape[0], -1, 4)[:, :, :3].astype(np.int16)
    monkeypatch.setattr(track_labels, "SPRITE_MIN_GLYPHS", painting.SPRITE_MIN_GLYPHS)
    plot.points.update()
    unstamped = _pixels(plot).reshape(by_value.shape[0], -1, 4)[:, :, :3].astype(np.int16)
    assert np.array_equal(unstamped, unstamped_by_value)
