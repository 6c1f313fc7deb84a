"""Where a figure's legend goes: above the plot (the default), below it (over the footnotes and the caption) or
nowhere, in real exported PNG, SVG and PDF files of a sample case, at the exact size asked."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage

from caseline.render.exporters import EXPORTERS, export_figure
from caseline.render.figure import LEGEND_PLACEMENTS, ExportError, FigureRequest, built_figure, resolve_spec
from figure_support import rasterise, sample_request, sample_view
from support import SAMPLES, svg_texts

CRPS = SAMPLES / "crps-infliximab.caseline.yaml"

#: Words only the CRPS figure's legend says (its lane names, labels and caption never do).
LEGEND_WORDS = ("Symptoms and signs", "uncertain time", "gap not stated")


def figure_parts(legend: str, **changes: object) -> tuple[dict[str, QRectF], int, int, bytes, bytes, bytes]:
    """(regions, width, height, png, svg, pdf) of the CRPS sample at 85 mm with its sources as the caption."""
    view, request = sample_request(CRPS, "single", caption="auto", legend=legend, **changes)
    with built_figure(resolve_spec(view, request)) as figure:
        regions = figure.regions()
        files = tuple(EXPORTERS[fmt].write(figure) for fmt in ("png", "svg", "pdf"))
        return regions, figure.width_px, figure.height_px, *files  # type: ignore[return-value]


def svg_words(svg: bytes) -> list[tuple[str, float]]:
    """(text with plain spaces, baseline y) of every text of an SVG figure."""
    return [(" ".join(text.split()), y) for text, _x, y, _size in svg_texts(ET.fromstring(svg))]


def ink_rows(image: QImage) -> np.ndarray:
    """Per pixel row of ``image``: whether anything but the white background is drawn on it."""
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    array = np.frombuffer(gray.constBits(), np.uint8).reshape(gray.height(), gray.bytesPerLine())[:, :gray.width()]
    return (array < 200).any(axis=1)


@pytest.mark.parametrize("legend", LEGEND_PLACEMENTS)
def test_a_fixed_size_is_kept_exactly_with_every_placement(qapp, tmp_path, legend) -> None:
    view, title = sample_view(CRPS)
    out = tmp_path / f"{legend}.png"
    info = export_figure(view, out, FigureRequest(width_mm=85.0, height_mm=200.0, title=title, caption="auto",
                                                  legend=legend))
    image = QImage(str(out))
    expected = (round(85 / 25.4 * 300), round(200 / 25.4 * 300))
    assert (image.width(), image.height()) == expected == (info.width_px, info.height_px)


def test_the_legend_goes_below_the_plot_above_footnotes_and_caption(qapp, tmp_path) -> None:
    regions, width, height, png, svg, pdf = figure_parts("bottom")
    assert list(regions) == ["plot", "legend", "footnotes", "caption"]  # in this order, top to bottom
    plot, legend, footnotes, caption = (regions[k] for k in ("plot", "legend", "footnotes", "caption"))
    assert plot.bottom() < legend.top() < legend.bottom() < footnotes.top() < caption.top()
    assert caption.bottom() <= height and legend.height() > 0
    # the legend's words are drawn, inside its rectangle: under the time axis, above the footnotes
    words = svg_words(svg)
    for needle in LEGEND_WORDS:
        ys = [y for text, y in words if needle in text]
        assert ys, f"{needle!r} not drawn"
        assert all(legend.top() < y <= legend.bottom() for y in ys)
    axis_title = next(y for text, y in words if text.startswith("Days since"))
    assert axis_title < legend.top()
    # every format draws the legend there, and nothing else: blank rows part it from the plot and the footnotes
    for fmt, data in (("png", png), ("svg", svg), ("pdf", pdf)):
        rows = ink_rows(rasterise(fmt, data, width, height, tmp_path))
        assert rows[round(legend.top()):round(legend.bottom())].any(), fmt
        assert not rows[round(plot.bottom()) + 2:round(legend.top()) - 2].any(), fmt
        assert not rows[round(legend.bottom()) + 2:round(footnotes.top()) - 2].any(), fmt


def test_no_legend_draws_no_legend_text(qapp, tmp_path) -> None:
    regions, width, height, png, svg, pdf = figure_parts("none")
    assert "legend" not in regions
    texts = " | ".join(text for text, _y in svg_words(svg))
    assert not any(word in texts for word in LEGEND_WORDS), texts
    # the figure is the plot, the footnotes and the caption only: nothing drawn between them
    plot, footnotes = regions["plot"], regions["footnotes"]
    for fmt, data in (("png", png), ("svg", svg), ("pdf", pdf)):
        rows = ink_rows(rasterise(fmt, data, width, height, tmp_path))
        assert not rows[round(plot.bottom()) + 2:round(footnotes.top()) - 2].any(), fmt
    _regions, _width, top_height, *_files = figure_parts("top")
    assert height < top_height  # the legend's lines are not left blank


def test_the_default_legend_is_above_the_plot(qapp) -> None:
    assert FigureRequest().legend == "top"
    regions, _width, _height, _png, svg, _pdf = figure_parts("top")
    plot, legend = regions["plot"], regions["legend"]
    assert plot.top() <= legend.top() and legend.bottom() < plot.top() + plot.height() / 4
    ys = [y for text, y in svg_words(svg) if "uncertain time" in text]
    assert ys and all(legend.top() < y <= legend.bottom() for y in ys)


def test_a_fixed_height_shrinks_the_plot_for_a_legend_below_it(qapp) -> None:
    heights = {}
    for legend in ("none", "bottom"):
        regions, _width, height, *_files = figure_parts(legend, height_mm=200.0)
        assert height == round(200 / 25.4 * 300)
        assert max(r.bottom() for r in regions.values()) <= height  # nothing cut at the bottom edge
        heights[legend] = regions["plot"].height()
        if legend == "bottom":
            assert regions["plot"].height() + regions["legend"].height() < heights["none"] + 1
    assert heights["bottom"] < heights["none"]


def test_a_swimmer_figure_puts_its_own_legend_below(qapp) -> None:
    view, title = sample_view(SAMPLES / "drug-induced-neuropathy.caseset.yaml")
    view = view.copy(layout="swimmer")
    request = FigureRequest(width_mm=85.0, title=title, legend="bottom")
    with built_figure(resolve_spec(view, request)) as figure:
        regions = figure.regions()
        words = svg_words(EXPORTERS["svg"].write(figure))
    legend = regions["legend"]
    assert regions["plot"].bottom() < legend.top() and legend.bottom() <= figure.height_px
    assert any(legend.top() < y <= legend.bottom() for _text, y in words)


def test_an_unknown_placement_is_refused(qapp, tmp_path) -> None:
    view, _title = sample_view(CRPS)
    with pytest.raises(ExportError, match="legend must be one of top, bottom, none"):
        export_figure(view, tmp_path / "f.png", FigureRequest(legend="left"))
    assert not (tmp_path / "f.png").exists()
