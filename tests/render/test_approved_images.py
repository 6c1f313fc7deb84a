"""Approved images: each sample at each size preset, exported as PNG, PDF and SVG, rasterised and compared with
one stored image (the PNG's, downscaled), so a regression in a figure, or vector output drifting from raster
(a fade drawn as a hard end, arrows over the lane names), fails the suite.

Modelled on pyqtgraph's ``assertImageApproved``: the comparison allows a tolerance (text antialiasing differs
a little between Qt's raster engine, poppler and QtSvg). After an intended change to figures, write new
approved images with ``CASELINE_UPDATE_IMAGES=1 pytest tests/render/test_approved_images.py`` and look at
them (tests/render/approved/) before committing. A failing comparison leaves the image it got and a
difference image in pytest's temporary folder, named in the message.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from caseline.render.exporters import EXPORTERS
from caseline.render.figure import built_figure, resolve_spec
from figure_support import PRESET_KEYS, SAMPLE_FILES, rasterise, sample_request, short

APPROVED = Path(__file__).parent / "approved"
UPDATE = os.environ.get("CASELINE_UPDATE_IMAGES") == "1"

#: The approved images' width: enough to see bars, fades, arrows and where text is; small in the repository
#: (stored in grey levels: a third of the bytes, and a changed colour still changes its grey).
WIDTH = 220

#: A pixel differs when its grey differs by more than this (of 255) ...
PIXEL_TOLERANCE = 64
#: ... and the images differ when more than this fraction of pixels do, or the mean difference is above this
#: (of 255). PNG must match closely; poppler and QtSvg antialias text a little differently from Qt's raster
#: engine (a few tenths of a pixel at this size).
TOLERANCE = {"png": (0.002, 0.6), "svg": (0.02, 5.0), "pdf": (0.035, 8.5)}

#: Samples with too many lanes for one 16:9 slide: export refuses them (test_figure_labels checks the message).
TOO_TALL = {("bortezomib-myeloma", "slide"), ("drug-induced-neuropathy", "slide")}

FIGURES = [pytest.param(path, preset, id=f"{short(path)}-{preset}")
           for path in SAMPLE_FILES for preset in PRESET_KEYS if (short(path), preset) not in TOO_TALL]


def as_array(image: QImage) -> np.ndarray:
    """An image as an (h, w) array of grey levels, over white."""
    flat = QImage(image.size(), QImage.Format.Format_RGB32)
    flat.fill(QColor("white"))
    painter = QPainter(flat)
    painter.drawImage(0, 0, image)
    painter.end()
    flat = flat.convertToFormat(QImage.Format.Format_Grayscale8)
    h, w, stride = flat.height(), flat.width(), flat.bytesPerLine()
    data = np.frombuffer(flat.constBits(), dtype=np.uint8, count=stride * h).reshape(h, stride)
    return data[:, :w].copy()


def downscaled(image: QImage, size: QSize) -> QImage:
    return image.scaled(size, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation)


def compare(actual: np.ndarray, approved: np.ndarray) -> tuple[float, float]:
    """(fraction of pixels beyond PIXEL_TOLERANCE, mean difference per channel)."""
    diff = np.abs(actual.astype(np.int16) - approved.astype(np.int16))
    return float((diff > PIXEL_TOLERANCE).mean()), float(diff.mean())


@pytest.mark.parametrize(("path", "preset"), FIGURES)
def test_figures_match_their_approved_image_in_every_format(path, preset, tmp_path) -> None:
    view, request = sample_request(path, preset)
    with built_figure(resolve_spec(view, request)) as figure:
        width_px, height_px = figure.width_px, figure.height_px
        exported = {fmt: EXPORTERS[fmt].write(figure) for fmt in ("png", "pdf", "svg")}
    size = QSize(WIDTH, max(1, round(height_px * WIDTH / width_px)))
    name = f"{short(path)}-{preset}.png"
    approved_path = APPROVED / name
    png = downscaled(rasterise("png", exported["png"], width_px, height_px, tmp_path), size)
    if UPDATE:
        APPROVED.mkdir(exist_ok=True)
        assert png.convertToFormat(QImage.Format.Format_Grayscale8).save(str(approved_path), "PNG", 0)
    if not approved_path.exists():
        pytest.fail(f"no approved image {approved_path}: run with CASELINE_UPDATE_IMAGES=1 and look at it")
    approved_image = QImage(str(approved_path))
    approved = as_array(approved_image)
    problems = []
    for fmt, data in exported.items():
        image = png if fmt == "png" else downscaled(rasterise(fmt, data, width_px, height_px, tmp_path), size)
        if image.size() != approved_image.size():
            problems.append(f"{fmt}: {image.width()} x {image.height()} px, approved "
                            f"{approved_image.width()} x {approved_image.height()} px")
            continue
        actual = as_array(image)
        fraction, mean = compare(actual, approved)
        if fraction > TOLERANCE[fmt][0] or mean > TOLERANCE[fmt][1]:
            got = tmp_path / f"{fmt}-{name}"
            image.save(str(got))
            diff = np.abs(actual.astype(np.int16) - approved.astype(np.int16)).astype(np.uint8)
            diff_image = QImage(diff.tobytes(), diff.shape[1], diff.shape[0], diff.shape[1],
                                QImage.Format.Format_Grayscale8)
            diff_image.save(str(tmp_path / f"{fmt}-diff-{name}"))
            problems.append(f"{fmt}: {fraction:.1%} of pixels differ, mean {mean:.1f} (got {got})")
    assert not problems, f"{name} differs from the approved image: " + "; ".join(problems)


def test_approved_images_stay_small() -> None:
    total = sum(p.stat().st_size for p in APPROVED.glob("*.png"))
    assert len(list(APPROVED.glob("*.png"))) == len(FIGURES)
    # 520 kB: the samples' labels say more since issue 13 (responses, negatives), which compresses less
    assert total < 520_000, f"approved images take {total} bytes"
