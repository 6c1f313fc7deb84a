"""The sample figures the render tests check: every sample at every size preset, as `caseline export` makes them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QRectF
from PySide6.QtGui import QColor, QImage, QPainter

from caseline.render.figure import FigureRequest
from caseline.timeline.load import load_inputs
from caseline.view_state import ViewState

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_FILES = sorted((ROOT / "sample_cases").glob("*.caseline.yaml")) + sorted(
    (ROOT / "sample_cases").glob("*.caseset.yaml"))
PRESET_KEYS = ("single", "double", "slide")


def sample_view(path: Path) -> tuple[ViewState, str | None]:
    """The view and title `caseline export PATH` draws (a case set's arrangement and title)."""
    inputs = load_inputs([str(path)])
    assert inputs.ok, inputs.diagnostics
    spec = inputs.spec
    view = ViewState(tuple(inputs.cases), align=spec.align, sort=spec.sort, hidden_lanes=spec.hidden_lanes,
                     shared_lanes_only=spec.shared_lanes_only, time_range=spec.time_range)
    return view, spec.title or None


def sample_request(path: Path, preset: str, **changes: object) -> tuple[ViewState, FigureRequest]:
    view, title = sample_view(path)
    return view, FigureRequest.of_preset(preset, title=title, **changes)


def short(path: Path) -> str:
    return path.name.split(".")[0]


def rasterise(fmt: str, data: bytes, width_px: int, height_px: int, tmp_path: Path) -> QImage:
    """The exported bytes as an image of the figure's pixel size."""
    if fmt == "png":
        image = QImage()
        assert image.loadFromData(data, "PNG")
        return image
    if fmt == "svg":
        from PySide6.QtSvg import QSvgRenderer

        renderer = QSvgRenderer(QByteArray(data))
        assert renderer.isValid()
        image = QImage(width_px, height_px, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        renderer.render(painter, QRectF(0, 0, width_px, height_px))
        painter.end()
        return image
    assert fmt == "pdf"
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is needed to rasterise PDF figures")
    pdf = tmp_path / "figure.pdf"
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-singlefile", "-scale-to-x", str(width_px), "-scale-to-y",
                    str(height_px), str(pdf), str(tmp_path / "pdf")], check=True, timeout=60)
    image = QImage(str(tmp_path / "pdf.png"))
    assert not image.isNull()
    return image


def docs_example(case_id: str) -> str:
    """The YAML of the docs/case-format.md example whose case has ``case_id`` (plain or ``yaml warning``)."""
    import re

    text = (Path(__file__).resolve().parents[1] / "docs" / "case-format.md").read_text(encoding="utf-8")
    for block in re.findall(r"^```yaml(?: warning)?\n(.*?)^```", text, re.MULTILINE | re.DOTALL):
        if re.search(rf"^  id: {re.escape(case_id)}$", block, re.MULTILINE):
            return block
    raise AssertionError(f"docs/case-format.md has no example with case id {case_id!r}")


def docs_example_figure_words(case_id: str, tmp_path: Path) -> str:
    """Every word of the SVG figure (174 mm preset) of a docs example, in order, one space apart."""
    import xml.etree.ElementTree as ET

    from caseline.render.exporters import EXPORTERS
    from caseline.render.figure import built_figure, resolve_spec
    from support import svg_texts

    path = tmp_path / f"{case_id}.caseline.yaml"
    path.write_text(docs_example(case_id), encoding="utf-8")
    view, request = sample_request(path, "double")
    with built_figure(resolve_spec(view, request)) as figure:
        svg = EXPORTERS["svg"].write(figure)
    return " ".join(" ".join(t for t, *_ in svg_texts(ET.fromstring(svg))).split())


def shown_plot(qtbot, path: Path, width: int, height: int):  # type: ignore[no-untyped-def]
    """A window's timeline plot of the case file at ``path``, shown at ``width`` x ``height`` and laid out."""
    from caseline.render.timeline_plot import TimelinePlot
    from caseline.timeline.load import load_file

    plot = TimelinePlot()
    qtbot.addWidget(plot)
    plot.resize(width, height)
    plot.show()
    plot.set_cases(load_file(path).cases)
    qtbot.waitUntil(lambda: plot.layout_ is not None)
    return plot
