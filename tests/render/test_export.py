"""Exported figures: sizes in mm and pixels, DPI metadata, type in points, SVG text, PDF pages, atomic writes."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import unicodedata
import xml.etree.ElementTree as ET

import pytest

from caseline.render.exporters import export_figure
from caseline.render.figure import ExportError, FigureRequest, render_figure
from caseline.view_state import ViewState
from support import MM_PER_PT, SVG_NS, pdf_media_box, pdf_unicode_text, svg_texts


def export(cases: list, path, **kwargs):
    """export_figure of a view of ``cases`` with the FigureRequest ``kwargs``."""
    return export_figure(ViewState(tuple(cases)), path, FigureRequest(**kwargs))


def render(cases: list, view: dict | None = None, **kwargs):
    """render_figure of a view of ``cases`` (view fields in ``view``) with the FigureRequest ``kwargs``."""
    return render_figure(ViewState(tuple(cases), **(view or {})), FigureRequest(**kwargs))


def lane_names(cases: list) -> set[str]:
    return {item.lane for case in cases for item in case.items if item.start is not None}


def png_chunks(data: bytes) -> dict[bytes, bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks: dict[bytes, bytes] = {}
    pos = 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        chunks.setdefault(kind, data[pos + 8:pos + 8 + length])
        pos += 12 + length
    return chunks


@pytest.mark.parametrize(("width_mm", "dpi"), [(85.0, 300.0), (174.0, 300.0), (85.0, 600.0), (174.0, 150.0)])
def test_png_has_the_requested_size_and_says_its_dpi(pyoderma, tmp_path, width_mm, dpi) -> None:
    from PySide6.QtGui import QImage

    out = tmp_path / "figure.png"
    info = export(pyoderma, out, width_mm=width_mm, height_mm=100.0, dpi=dpi)
    expected_w = round(width_mm / 25.4 * dpi)
    expected_h = round(100.0 / 25.4 * dpi)
    image = QImage(str(out))
    assert (image.width(), image.height()) == (expected_w, expected_h)
    assert (info.width_px, info.height_px) == (expected_w, expected_h)
    assert image.dotsPerMeterX() == pytest.approx(dpi / 0.0254, abs=1)
    assert image.dotsPerMeterY() == pytest.approx(dpi / 0.0254, abs=1)
    chunks = png_chunks(out.read_bytes())
    ihdr_w, ihdr_h = struct.unpack(">II", chunks[b"IHDR"][:8])
    assert (ihdr_w, ihdr_h) == (expected_w, expected_h)
    per_m_x, per_m_y, unit = struct.unpack(">IIB", chunks[b"pHYs"])
    assert unit == 1  # metres
    assert per_m_x == per_m_y == round(dpi / 0.0254)


def test_png_in_pixels_is_exact(pyoderma, tmp_path) -> None:
    from PySide6.QtGui import QImage

    out = tmp_path / "slide.png"
    export(pyoderma, out, width_px=1920, height_px=1080, dpi=144, theme="projector")
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1920, 1080)
    assert image.dotsPerMeterX() == pytest.approx(144 / 0.0254, abs=1)


def test_default_height_follows_the_lanes(pyoderma) -> None:
    full = render(pyoderma, None, width_mm=85.0)
    lanes = sorted(lane_names(pyoderma))
    fewer = render(pyoderma, {"hidden_lanes": frozenset(lanes[:4])}, width_mm=85.0)
    assert full.width() == fewer.width() == round(85 / 25.4 * 300)
    # four rows fewer: at least four print rows (22 * 0.75 pt each) shorter (the legend may
    # lose entries too), not a fixed aspect ratio
    row_px = 22 * 0.75 * 300 / 72
    assert full.height() - fewer.height() >= 4 * row_px - 2


def is_background(rgb: int) -> bool:
    r, g, b = (rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255
    return min(r, g, b) >= 250


@pytest.mark.parametrize("preset", [{"width_mm": 85.0}, {"width_mm": 174.0},
                                    {"width_px": 1920, "height_px": 1080, "dpi": 144, "theme": "projector"}])
def test_png_border_is_background_and_lane_names_are_whole(crps, preset) -> None:
    image = render(crps, None, caption="auto", **preset)
    w, h = image.width(), image.height()
    border = [image.pixel(x, y) for x in range(w) for y in (0, 1, h - 2, h - 1)]
    border += [image.pixel(x, y) for y in range(h) for x in (0, 1, w - 2, w - 1)]
    assert all(is_background(p) for p in border), "something is drawn on the figure's edge"
    # the lane-name column: ink exists left of the plot, and it starts inside the margin
    ink_columns = [x for x in range(0, w // 2) if any(not is_background(image.pixel(x, y))
                                                       for y in range(h // 3, 2 * h // 3, 2))]
    assert ink_columns, "no lane names"
    assert ink_columns[0] >= 2




@pytest.mark.parametrize("width_mm", [85.0, 174.0])
def test_svg_is_xml_with_text_inside_the_page(crps, tmp_path, width_mm) -> None:
    from PySide6.QtGui import QFont, QFontMetricsF

    out = tmp_path / "figure.svg"
    info = export(crps, out, width_mm=width_mm, dpi=300, caption="auto")
    root = ET.parse(out).getroot()
    assert root.get("width") == f"{width_mm:g}mm" or float(root.get("width", "0mm")[:-2]) == pytest.approx(
        width_mm, abs=0.01)
    view_box = [float(v) for v in root.get("viewBox", "").split()]
    assert view_box == [0, 0, info.width_px, info.height_px]
    texts = svg_texts(root)
    strings = {t for t, *_ in texts}
    assert lane_names(crps) <= strings, "lane names are missing or not text"
    assert any("infliximab" in t.lower() for t in strings)  # axis title / labels
    assert any(t.startswith("Sources:") or t.startswith("Source:") for t in strings)
    for text, x, y, size in texts:
        font = QFont("DejaVu Sans")
        font.setPixelSize(max(1, round(size)))
        fm = QFontMetricsF(font)
        assert x >= 0 and x + fm.horizontalAdvance(text) <= info.width_px + 0.5, text
        assert y - fm.ascent() >= 0 and y + fm.descent() <= info.height_px + 0.5, text


def test_type_size_is_in_points_at_any_dpi(pyoderma, tmp_path) -> None:
    for dpi in (150, 300, 600):
        out = tmp_path / f"f{dpi}.svg"
        export(pyoderma, out, width_mm=174.0, dpi=dpi)
        sizes = {t: size for t, _x, _y, size in svg_texts(ET.parse(out).getroot())}
        # lane names use the print theme's 7 pt axis font: 7 pt = 7 * dpi / 72 px in the viewBox
        # (fonts are set in whole pixels: within half a pixel)
        assert sizes["Infliximab"] * 72 / dpi == pytest.approx(7.0, abs=0.5 * 72 / dpi + 1e-6)






@pytest.mark.parametrize(("width_mm", "height_mm"), [(85.0, 120.0), (174.0, None)])
def test_pdf_page_has_the_requested_size_and_real_text(crps, tmp_path, width_mm, height_mm) -> None:
    out = tmp_path / "figure.pdf"
    info = export(crps, out, width_mm=width_mm, height_mm=height_mm, dpi=300)
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    x0, y0, x1, y1 = pdf_media_box(data)
    assert (x1 - x0) * MM_PER_PT == pytest.approx(width_mm, abs=0.2)
    assert (y1 - y0) * MM_PER_PT == pytest.approx(info.height_mm, abs=0.2)
    if height_mm is not None:
        assert (y1 - y0) * MM_PER_PT == pytest.approx(height_mm, abs=0.2)
    assert b"/FontFile2" in data, "fonts are not embedded: text was drawn as outlines?"
    mapped = pdf_unicode_text(data)
    assert set("Infliximab") <= set(mapped)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
        flat = unicodedata.normalize("NFKC", " ".join(text.split()))
        for lane in lane_names(crps):
            assert lane in flat, lane


def test_bad_requests_raise_and_write_nothing(pyoderma, tmp_path) -> None:
    out = tmp_path / "figure.png"
    bad = [dict(width_mm=-5.0), dict(width_mm=0.0), dict(width_px=10), dict(width_mm=float("nan")),
           dict(dpi=0.0), dict(dpi=100000.0), dict(width_mm=85.0, width_px=1000),
           dict(width_mm=5000.0), dict(theme="neon"), dict(width_mm=85.0, height_mm=8.0)]
    for kwargs in bad:
        with pytest.raises(ExportError):
            export(pyoderma, out, **kwargs)
        assert not out.exists(), kwargs
    with pytest.raises(ExportError):
        export_figure(ViewState(tuple(pyoderma), time_range=(10.0, 5.0)), out)
    with pytest.raises(ValueError, match="time axis"):
        ViewState(tuple(pyoderma), axis_mode="fortnights")
    with pytest.raises(ExportError):
        export(pyoderma, tmp_path / "figure.bmp")  # not a registered format
    with pytest.raises(ExportError):
        export([], out)
    with pytest.raises(ExportError):
        export(pyoderma, tmp_path / "no-such-folder" / "figure.png")
    assert os.listdir(tmp_path) == []  # no temporary files left either


def test_failed_export_keeps_an_existing_file(pyoderma, tmp_path) -> None:
    out = tmp_path / "figure.pdf"
    out.write_bytes(b"previous figure")
    before = out.stat().st_mtime_ns
    with pytest.raises(ExportError):
        export(pyoderma, out, width_mm=-1.0)
    with pytest.raises(ExportError):
        export(pyoderma, out, dpi=1.0)
    assert out.read_bytes() == b"previous figure"
    assert out.stat().st_mtime_ns == before
    assert sorted(os.listdir(tmp_path)) == ["figure.pdf"]


def test_successful_export_replaces_an_existing_file(pyoderma, tmp_path) -> None:
    out = tmp_path / "figure.svg"
    out.write_bytes(b"old")
    export(pyoderma, out, width_mm=85.0)
    assert ET.parse(out).getroot().tag == SVG_NS + "svg"
    assert sorted(os.listdir(tmp_path)) == ["figure.svg"]
