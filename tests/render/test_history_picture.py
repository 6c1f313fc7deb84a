"""The compressed history on screen (render.history_marker): drawn by pixel (runs of the columns a row's bars
cover, a dot once per pixel it falls on), and kept as a picture while a pan moves the break by less than a
quarter of a pixel of its compressed scale. What the kept picture shows is what drawing it afresh shows."""

from __future__ import annotations

import numpy as np
import pytest
from benchmarks.generate import write_yaml
from PySide6.QtCore import QPointF
from PySide6.QtGui import QImage

from caseline.render.history_marker import HistoryMarker
from caseline.render.painting import span_runs
from caseline.render.timeline_plot import TimelinePlot
from figure_support import shown_plot


@pytest.fixture(scope="module")
def case_file(tmp_path_factory):
    """A generated case of 3,000 events: zoomed in, thousands lie behind each break."""
    path = tmp_path_factory.mktemp("history") / "history.caseline.yaml"
    write_yaml(str(path), 1, 3000)
    return path


def pixels(plot: TimelinePlot) -> np.ndarray:
    image = plot.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    data = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(image.height(), image.bytesPerLine())
    return data[:, : image.width() * 4].reshape(image.height(), image.width(), 4)[:, :, :3].astype(np.int16).copy()


def test_span_runs_cover_what_the_spans_cover_in_maximal_runs() -> None:
    rng = np.random.default_rng(7)
    width, n_lines = 40, 5
    for _ in range(300):
        n = int(rng.integers(0, 30))
        line = rng.integers(0, n_lines, n)
        start = rng.integers(0, width - 2, n)
        stop = np.minimum(start + rng.integers(0, 9, n), width - 1)  # an empty span still covers its column
        want = np.zeros((n_lines, width), dtype=bool)
        for k, a, b in zip(line.tolist(), start.tolist(), np.maximum(stop, start + 1).tolist(), strict=True):
            want[k, a:b] = True
        got = np.zeros_like(want)
        runs = span_runs(line, start, stop, width)
        for k, a, length in zip(*(r.tolist() for r in runs), strict=True):
            assert length >= 1 and not got[k, a:a + length].any(), "runs do not overlap"
            got[k, a:a + length] = True
            assert (a == 0 or not want[k, a - 1]) and not want[k, a + length], "a run is as long as it can be"
        assert (got == want).all()
        order = runs[0] * width + runs[1]
        assert (np.diff(order) > 0).all(), "ascending by line, then column"


def test_a_pan_within_a_quarter_pixel_keeps_the_picture_and_shows_what_drawing_afresh_shows(qtbot, case_file,
                                                                                          monkeypatch) -> None:
    plot = shown_plot(qtbot, case_file, 1300, 700)
    lo, hi = plot.layout_.x_range
    span = (hi - lo) / 8
    start = (lo + hi) / 2 - span / 2
    plot.set_time_range(start, start + span)
    pixels(plot)
    history = plot.history
    earlier, later = history.last_counts
    assert earlier > 1000 and later > 1000, "thousands of events behind each break"
    held = dict(history._pictures)
    assert set(held) == {True, False} and held[True].quantum > 0
    # the band's compressed history, in the viewport's pixels
    left = plot.mapFromScene(plot.viewbox.mapViewToScene(QPointF(start, 0.0))).x()
    x0, x1 = int(left + history.text_px()) + 2, int(left + history.band_px(plot.viewbox.width())) - 2

    step = held[True].quantum / 3
    plot.set_time_range(start + step, start + span + step)
    kept = pixels(plot)[:, x0:x1]
    assert history._pictures[True] is held[True], "a step within the quantum keeps the picture"
    with monkeypatch.context() as m:  # the same view, the history drawn straight onto the viewport
        m.setattr(HistoryMarker, "_history_picture",
                  lambda self, p, f, area, extents, out, *a: self._history(p, f, area, out, *a))
        plot.viewport().update()
        fresh = pixels(plot)[:, x0:x1]
        m.setattr(HistoryMarker, "_cells", lambda *a: False)  # and each event's own mark, not by pixel
        plot.viewport().update()
        each = pixels(plot)[:, x0:x1]
    background = np.median(fresh.reshape(-1, 3), axis=0)

    def marks(image: np.ndarray) -> np.ndarray:
        return np.abs(image - background).max(axis=2) > 48

    assert marks(fresh).mean() > 0.02, "the history is drawn in the band"
    # the same picture, but where a mark's edge crossed a pixel's middle: each mark within a pixel of one
    assert _within_a_pixel(marks(kept), marks(fresh)) and _within_a_pixel(marks(fresh), marks(kept))
    assert _within_a_pixel(marks(each), marks(fresh)) and _within_a_pixel(marks(fresh), marks(each))
    assert not _within_a_pixel(np.roll(marks(fresh), 2, axis=1), marks(fresh)), "the check sees 2 px"

    far = held[True].quantum * 32  # 8 px of the compressed scale: drawn afresh for the new break
    plot.set_time_range(start + step + far, start + span + step + far)
    pixels(plot)
    assert history._pictures[True] is not held[True]
    assert history._pictures[True].day - held[True].day == pytest.approx(step + far, rel=1e-6)


def _within_a_pixel(a: np.ndarray, b: np.ndarray) -> bool:
    """Every marked pixel of ``a`` has a marked pixel of ``b`` at most a pixel left or right of it."""
    near = b.copy()
    near[:, 1:] |= b[:, :-1]
    near[:, :-1] |= b[:, 1:]
    return not (a & ~near).any()
