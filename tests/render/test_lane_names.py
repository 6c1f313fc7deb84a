"""The lane names of a narrow figure at small fixed heights, as exported (the SVG's text): each on no more
lines than its row holds, none running into another or out of its row, none dropped; a name shortened with
'…' is given in full in the footnotes; a figure too short for that says by how much."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QFontMetricsF

from caseline.render.exporters import EXPORTERS, export_figure
from caseline.render.figure import ExportError, FigureRequest, built_figure, resolve_spec
from figure_support import SAMPLE_FILES, sample_view, short
from support import SAMPLES, svg_texts

HEIGHTS_MM = (70.0, 90.0, 100.0, 102.0, 110.0, 130.0, None)  # None: as tall as the lanes need (102: rows just a line)
PYODERMA = SAMPLES / "infliximab-pyoderma.caseline.yaml"
TOO_SHORT = r"is not tall enough for \d+ rows .*\((\d+) mm short\).*hide lanes"


def lane_name_layout(path, height_mm):  # type: ignore[no-untyped-def]
    """(lines drawn by the lane axis as (text, top, bottom) in figure px from the SVG, the rows' (top, bottom),
    the axis's texts, the names elided, the footnotes' text) of the sample at 85 mm wide; None when the
    figure cannot be made, with the ExportError's text."""
    view, title = sample_view(path)
    request = FigureRequest(width_mm=85, height_mm=height_mm, theme="print", title=title)
    try:
        figure_cm = built_figure(resolve_spec(view, request))
        figure = figure_cm.__enter__()
    except ExportError as exc:
        return None, str(exc)
    try:
        svg = EXPORTERS["svg"].write(figure)
        plot, top = figure.plot, figure.plot_top
        axis = plot.lane_axis
        vb = plot.viewbox
        fm = QFontMetricsF(axis.style["tickFont"])
        box = axis.sceneBoundingRect()
        rows = [(vb.mapViewToScene(QPointF(0, r)).y() + top, vb.mapViewToScene(QPointF(0, r + 1)).y() + top)
                for r in range(plot.content_rows())]
        drawn = [str(text) for _pos, text in axis._tickLevels[0]]
        wanted = {line for text in drawn for line in text.split("\n")}
        lines = [(text, y - fm.ascent(), y + fm.descent()) for text, x, y, _size in svg_texts(ET.fromstring(svg))
                 if text in wanted and box.left() - 1 <= x <= box.right() and rows[0][0] <= y <= rows[-1][1]]
        regions = figure.regions()
        notes = ""
        if "footnotes" in regions:
            r = regions["footnotes"]
            notes = " ".join(t for t, _x, y, _s in svg_texts(ET.fromstring(svg)) if r.top() <= y <= r.bottom() + 1)
        return (sorted(lines, key=lambda t: t[1]), rows, drawn, list(figure.elided_lanes),
                " ".join(notes.split())), ""
    finally:
        figure_cm.__exit__(None, None, None)


@pytest.mark.parametrize("height_mm", HEIGHTS_MM, ids=lambda h: f"{h:g}mm" if h else "auto")
@pytest.mark.parametrize("path", SAMPLE_FILES, ids=short)
def test_lane_names_keep_to_their_rows(path, height_mm) -> None:
    layout, problem = lane_name_layout(path, height_mm)
    if layout is None:
        assert height_mm is not None and re.search(TOO_SHORT, problem), problem
        return
    lines, rows, drawn, elided, notes = layout
    assert len(lines) == sum(text.count("\n") + 1 for text in drawn), "a lane name was not drawn"
    for (a, _top, a_bottom), (b, b_top, _bottom) in itertools.pairwise(lines):
        assert b_top >= a_bottom - 0.5, f"{a!r} runs into {b!r} at {height_mm} mm"
    for text, line_top, line_bottom in lines:
        assert any(top - 0.5 <= line_top and line_bottom <= bottom + 0.5 for top, bottom in rows), \
            f"{text!r} is not inside a row at {height_mm} mm"
    shortened = [text for text in drawn if "…" in text]
    assert bool(shortened) == bool(elided)
    for name in elided:
        assert name in notes, f"{name!r} is elided but not in the footnotes"


def test_the_reported_figure_has_its_lane_names_on_one_line_each() -> None:
    """The figure of the report (85 x 110 mm): 'Methylpredni-' 'solone' ran into 'Local therapy' in rows one
    line tall. Now each name is on one line, shortened where even a wider name column cannot hold it, and in
    full in the footnotes."""
    layout, problem = lane_name_layout(PYODERMA, 110.0)
    assert layout is not None, problem
    _lines, _rows, drawn, elided, notes = layout
    assert all("\n" not in text for text in drawn)
    assert "Local therapy" in drawn and "Methylprednisolone" in elided
    assert any(text.startswith("Methylpred") and text.endswith("…") for text in drawn)
    assert notes.startswith("Lane names in full: Methylprednisolone;")


def test_a_figure_too_short_for_its_lane_names_says_by_how_much_and_that_is_enough(tmp_path) -> None:
    layout, problem = lane_name_layout(PYODERMA, 90.0)
    assert layout is None
    more = int(re.search(TOO_SHORT, problem).group(1))  # type: ignore[union-attr]
    view, title = sample_view(PYODERMA)
    export_figure(view, tmp_path / "taller.png", FigureRequest(width_mm=85, height_mm=90.0 + more, title=title))
