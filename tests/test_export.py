"""Figure export: sizes, DPI metadata, text kept as text, nothing outside the page, atomic writes.

One export path (caseline.render.figure) serves the dialog and ``caseline export``; these tests
read the written files back with independent parsers (PNG chunks, xml.etree, the PDF bytes).
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pytest

from caseline.render.exporters import export_figure
from caseline.render.figure import ExportError, render_figure
from caseline.timeline.load import load_file

SVG_NS = "{http://www.w3.org/2000/svg}"
MM_PER_PT = 25.4 / 72


def cases_of(path: Path) -> list:
    result = load_file(path)
    assert result.ok, [str(d) for d in result.diagnostics]
    return result.cases


@pytest.fixture(scope="module")
def pyoderma(qapp) -> list:  # the QApplication must exist first
    return cases_of(Path(__file__).resolve().parent.parent / "sample_cases" / "infliximab-pyoderma.caseline.yaml")


@pytest.fixture(scope="module")
def crps(qapp) -> list:
    return cases_of(Path(__file__).resolve().parent.parent / "sample_cases" / "crps-infliximab.caseline.yaml")


def lane_names(cases: list) -> set[str]:
    return {item.lane for case in cases for item in case.items if item.start is not None}


# ---------------------------------------------------------------------------- PNG


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
    info = export_figure(pyoderma, out, width_mm=width_mm, height_mm=100.0, dpi=dpi)
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
    export_figure(pyoderma, out, width_px=1920, height_px=1080, dpi=144, theme="projector")
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1920, 1080)
    assert image.dotsPerMeterX() == pytest.approx(144 / 0.0254, abs=1)


def test_default_height_follows_the_lanes(pyoderma) -> None:
    from caseline.layout.timeline_layout import LayoutOptions

    full = render_figure(pyoderma, width_mm=85.0)
    lanes = sorted(lane_names(pyoderma))
    fewer = render_figure(pyoderma, width_mm=85.0, options=LayoutOptions(hidden_lanes=frozenset(lanes[:4])))
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
    image = render_figure(crps, caption="auto", **preset)
    w, h = image.width(), image.height()
    border = [image.pixel(x, y) for x in range(w) for y in (0, 1, h - 2, h - 1)]
    border += [image.pixel(x, y) for y in range(h) for x in (0, 1, w - 2, w - 1)]
    assert all(is_background(p) for p in border), "something is drawn on the figure's edge"
    # the lane-name column: ink exists left of the plot, and it starts inside the margin
    ink_columns = [x for x in range(0, w // 2) if any(not is_background(image.pixel(x, y))
                                                       for y in range(h // 3, 2 * h // 3, 2))]
    assert ink_columns, "no lane names"
    assert ink_columns[0] >= 2


# ---------------------------------------------------------------------------- SVG


def svg_texts(root: ET.Element) -> list[tuple[str, float, float, float]]:
    """(text, x, baseline y, font size) of every <text>, with ancestor transforms applied."""
    out: list[tuple[str, float, float, float]] = []

    def walk(element: ET.Element, matrix: tuple[float, ...]) -> None:
        transform = element.get("transform")
        if transform:
            values = [float(v) for v in re.findall(r"-?[\d.]+(?:e-?\d+)?", transform)]
            if transform.startswith("matrix"):
                a, b, c, d, e, f = values
                ma, mb, mc, md, me, mf = matrix
                matrix = (ma * a + mc * b, mb * a + md * b, ma * c + mc * d, mb * c + md * d,
                          ma * e + mc * f + me, mb * e + md * f + mf)
        if element.tag == SVG_NS + "text":
            x, y = float(element.get("x", 0)), float(element.get("y", 0))
            a, b, c, d, e, f = matrix
            size = float(element.get("font-size", 0)) * abs(d)
            out.append(("".join(element.itertext()), a * x + c * y + e, b * x + d * y + f, size))
        for child in element:
            walk(child, matrix)

    walk(root, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0))
    return out


@pytest.mark.parametrize("width_mm", [85.0, 174.0])
def test_svg_is_xml_with_text_inside_the_page(crps, tmp_path, width_mm) -> None:
    from PySide6.QtGui import QFont, QFontMetricsF

    out = tmp_path / "figure.svg"
    info = export_figure(crps, out, width_mm=width_mm, dpi=300, caption="auto")
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
        export_figure(pyoderma, out, width_mm=174.0, dpi=dpi)
        sizes = {t: size for t, _x, _y, size in svg_texts(ET.parse(out).getroot())}
        # lane names use the print theme's 7 pt axis font: 7 pt = 7 * dpi / 72 px in the viewBox
        # (fonts are set in whole pixels: within half a pixel)
        assert sizes["Infliximab"] * 72 / dpi == pytest.approx(7.0, abs=0.5 * 72 / dpi + 1e-6)


# ---------------------------------------------------------------------------- PDF


def pdf_media_box(data: bytes) -> list[float]:
    match = re.search(rb"/MediaBox\s*\[\s*([-\d.\s]+)\]", data)
    assert match, "no MediaBox"
    return [float(v) for v in match.group(1).split()]


def pdf_unicode_text(data: bytes) -> str:
    """Characters the PDF's fonts map to Unicode (ToUnicode CMaps): text, not outlines."""
    chars: list[str] = []

    def utf16(token: bytes) -> str:
        return bytes.fromhex(token.decode()).decode("utf-16-be", errors="ignore")

    for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            body = zlib.decompressobj().decompress(stream)
        except zlib.error:
            body = stream
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", body, re.S):
            tokens = re.findall(rb"<([0-9A-Fa-f]+)>", block)
            chars.extend(utf16(t) for t in tokens[1::2])
        for block in re.findall(rb"beginbfrange(.*?)endbfrange", body, re.S):
            for lo, hi, dest in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^]]*\])",
                                           block):
                if dest.startswith(b"["):
                    chars.extend(utf16(t) for t in re.findall(rb"<([0-9A-Fa-f]+)>", dest))
                else:
                    first = int(dest[1:-1], 16)
                    chars.extend(chr(first + i) for i in range(int(hi, 16) - int(lo, 16) + 1))
    # ligatures (fl, fi) map to one character: spell them out
    return unicodedata.normalize("NFKC", "".join(chars))


@pytest.mark.parametrize(("width_mm", "height_mm"), [(85.0, 120.0), (174.0, None)])
def test_pdf_page_has_the_requested_size_and_real_text(crps, tmp_path, width_mm, height_mm) -> None:
    out = tmp_path / "figure.pdf"
    info = export_figure(crps, out, width_mm=width_mm, height_mm=height_mm, dpi=300)
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


# ---------------------------------------------------------------------------- failures


def test_bad_requests_raise_and_write_nothing(pyoderma, tmp_path) -> None:
    out = tmp_path / "figure.png"
    bad = [dict(width_mm=-5.0), dict(width_mm=0.0), dict(width_px=10), dict(width_mm=float("nan")),
           dict(dpi=0.0), dict(dpi=100000.0), dict(width_mm=85.0, width_px=1000),
           dict(width_mm=5000.0), dict(theme="neon"), dict(axis_mode="fortnights"),
           dict(time_range=(10.0, 5.0)), dict(width_mm=85.0, height_mm=8.0)]
    for kwargs in bad:
        with pytest.raises(ExportError):
            export_figure(pyoderma, out, **kwargs)
        assert not out.exists(), kwargs
    with pytest.raises(ExportError):
        export_figure(pyoderma, tmp_path / "figure.tiff")
    with pytest.raises(ExportError):
        export_figure([], out)
    with pytest.raises(ExportError):
        export_figure(pyoderma, tmp_path / "no-such-folder" / "figure.png")
    assert os.listdir(tmp_path) == []  # no temporary files left either


def test_failed_export_keeps_an_existing_file(pyoderma, tmp_path) -> None:
    out = tmp_path / "figure.pdf"
    out.write_bytes(b"previous figure")
    before = out.stat().st_mtime_ns
    with pytest.raises(ExportError):
        export_figure(pyoderma, out, width_mm=-1.0)
    with pytest.raises(ExportError):
        export_figure(pyoderma, out, dpi=1.0)
    assert out.read_bytes() == b"previous figure"
    assert out.stat().st_mtime_ns == before
    assert sorted(os.listdir(tmp_path)) == ["figure.pdf"]


def test_successful_export_replaces_an_existing_file(pyoderma, tmp_path) -> None:
    out = tmp_path / "figure.svg"
    out.write_bytes(b"old")
    export_figure(pyoderma, out, width_mm=85.0)
    assert ET.parse(out).getroot().tag == SVG_NS + "svg"
    assert sorted(os.listdir(tmp_path)) == ["figure.svg"]


# ---------------------------------------------------------------------------- command line


def clean_env() -> dict[str, str]:
    """No DISPLAY, no QT_QPA_PLATFORM, no HOME: what a cron job or a CI step has."""
    return {"PATH": os.path.dirname(sys.executable) + os.pathsep + "/usr/bin:/bin"}


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "caseline", "export", *args], env=clean_env(),
                          capture_output=True, text=True, timeout=120)


def test_cli_exports_a_case_set_without_a_display(samples_dir, tmp_path) -> None:
    from PySide6.QtGui import QImage

    out = tmp_path / "set.png"
    done = run_cli(str(samples_dir / "drug-induced-neuropathy.caseset.yaml"), "--align", "first-suspect-dose",
                   "--width-mm", "85", "--dpi", "200", "--caption", "auto", "-o", str(out))
    assert done.returncode == 0, done.stderr
    image = QImage(str(out))
    assert image.width() == round(85 / 25.4 * 200)
    assert image.dotsPerMeterX() == pytest.approx(200 / 0.0254, abs=1)


def test_cli_svg_and_pdf(samples_dir, tmp_path) -> None:
    case = str(samples_dir / "neurosarcoidosis-infliximab.caseline.yaml")
    svg = tmp_path / "f.svg"
    pdf = tmp_path / "f.pdf"
    assert run_cli(case, "-o", str(svg), "--preset", "single", "--axis", "weeks").returncode == 0
    assert run_cli(case, "-o", str(pdf), "--width-mm", "120", "--height-mm", "60",
                   "--range", "-5", "30", "--title", "Figure 1").returncode == 0
    strings = {t.strip() for t, *_ in svg_texts(ET.parse(svg).getroot())}
    assert "Weeks since first infliximab infusion" in strings
    x0, y0, x1, y1 = pdf_media_box(pdf.read_bytes())
    assert ((x1 - x0) * MM_PER_PT, (y1 - y0) * MM_PER_PT) == (pytest.approx(120, abs=0.2), pytest.approx(60, abs=0.2))


def test_cli_invalid_case_file_exits_1_with_file_line_col(samples_dir, tmp_path) -> None:
    bad = tmp_path / "bad.caseline.yaml"
    text = (samples_dir / "neurosarcoidosis-infliximab.caseline.yaml").read_text(encoding="utf-8")
    assert "kind: symptom" in text
    bad.write_text(text.replace("kind: symptom", "kind: symptomm", 1), encoding="utf-8")
    out = tmp_path / "f.png"
    out.write_bytes(b"keep me")
    done = run_cli(str(bad), "-o", str(out))
    assert done.returncode == 1
    assert re.search(rf"{re.escape(str(bad))}:\d+:\d+", done.stderr), done.stderr
    assert out.read_bytes() == b"keep me"


def test_cli_unreadable_and_bad_requests(tmp_path, samples_dir) -> None:
    out = tmp_path / "f.png"
    missing = run_cli(str(tmp_path / "missing.caseline.yaml"), "-o", str(out))
    assert missing.returncode == 2
    case = str(samples_dir / "neurosarcoidosis-infliximab.caseline.yaml")
    too_small = run_cli(case, "-o", str(out), "--width-px", "5")
    assert too_small.returncode == 3 and "too small" in too_small.stderr
    assert run_cli(case, "-o", str(tmp_path / "f.bmp")).returncode == 2
    assert run_cli(case, "-o", str(tmp_path / "nowhere" / "f.png")).returncode == 3
    assert run_cli(case, "-o", str(out), "--align", "sideways").returncode == 2
    assert not out.exists()
    assert os.listdir(tmp_path) == []


# ---------------------------------------------------------------------------- dialog


def test_dialog_previews_and_saves_what_it_shows(qtbot, samples_dir, tmp_path) -> None:
    from PySide6.QtGui import QImage

    from caseline.ui.dialogs.export_dialog import ExportDialog
    from caseline.ui.documents import Document
    from caseline.ui.timeline_tab import TimelineTab

    document = Document(str(samples_dir / "crps-infliximab.caseline.yaml"))
    document.reload(blocking=True)
    tab = TimelineTab([document])
    qtbot.addWidget(tab)
    tab.resize(1200, 800)
    tab.refresh()
    tab.plot.set_time_range(-300.0, 200.0)
    dialog = ExportDialog(tab)
    qtbot.addWidget(dialog)
    preview = dialog.preview.pixmap()
    assert preview is not None and not preview.isNull()
    settings = dialog.settings()
    assert settings["time_range"] == pytest.approx((-300.0, 200.0))
    dialog.preset_box.setCurrentIndex(0)  # single column
    assert dialog.width_box.value() == pytest.approx(85.0)
    out = tmp_path / "dialog.png"
    info = dialog.save(str(out))
    assert info is not None
    image = QImage(str(out))
    assert image.width() == round(85 / 25.4 * 300)
    expected = render_figure(tab.plot.cases, **dialog.settings())
    assert (expected.width(), expected.height()) == (image.width(), image.height())
    document.close()
