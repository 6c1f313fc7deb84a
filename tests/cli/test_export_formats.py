"""Formats journals ask for, through ``caseline export`` as a real subprocess: TIFF with LZW and its DPI, a PDF
(and PDF/X-4) with embedded fonts, a font family of one's choice, and the settings saved beside the figure so
the same figure can be made again."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from support import svg_texts


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """``caseline export ARGS`` with no display, as tests/cli/test_export.py runs it."""
    env = {"PATH": os.path.dirname(sys.executable) + os.pathsep + "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "caseline", "export", *args], env=env, capture_output=True,
                          text=True, timeout=120)


def tiff_tags(data: bytes) -> dict[int, tuple[int, int, bytes]]:
    """The first IFD's tags: {tag: (type, count, value or offset bytes)}, and rationals read out."""
    order = {b"II": "<", b"MM": ">"}[data[:2]]
    (magic, ifd) = struct.unpack(order + "HI", data[2:8])
    assert magic == 42
    (n,) = struct.unpack(order + "H", data[ifd:ifd + 2])
    tags = {}
    for k in range(n):
        tag, kind, count, value = struct.unpack(order + "HHI4s", data[ifd + 2 + 12 * k:ifd + 14 + 12 * k])
        tags[tag] = (kind, count, value)
    return {"order": order, **tags}  # type: ignore[dict-item]


def short_value(tags: dict, tag: int) -> int:
    kind, _count, raw = tags[tag]
    fmt = tags["order"] + ("H" if kind == 3 else "I")
    return struct.unpack(fmt, raw[: struct.calcsize(fmt)])[0]


def rational(data: bytes, tags: dict, tag: int) -> float:
    (offset,) = struct.unpack(tags["order"] + "I", tags[tag][2])
    num, den = struct.unpack(tags["order"] + "II", data[offset:offset + 8])
    return num / den


def test_tiff_is_lzw_compressed_and_says_its_dpi(samples_dir, tmp_path) -> None:
    out = tmp_path / "figure.tif"
    done = run_cli(str(samples_dir / "infliximab-pyoderma.caseline.yaml"), "-o", str(out), "--preset", "single",
                   "--dpi", "600")
    assert done.returncode == 0, done.stderr
    data = out.read_bytes()
    tags = tiff_tags(data)
    assert short_value(tags, 259) == 5  # Compression: LZW
    assert short_value(tags, 256) == round(85 / 25.4 * 600)  # ImageWidth
    assert short_value(tags, 296) == 2  # ResolutionUnit: inch
    assert rational(data, tags, 282) == pytest.approx(600, abs=0.5)  # XResolution
    assert rational(data, tags, 283) == pytest.approx(600, abs=0.5)
    uncompressed = short_value(tags, 256) * short_value(tags, 257) * 3
    assert len(data) < uncompressed / 4  # compressed indeed


@pytest.mark.parametrize("fmt", ["pdf", "pdfx"])
def test_pdf_embeds_its_fonts(samples_dir, tmp_path, fmt) -> None:
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) reads the PDF's font table")
    out = tmp_path / "figure.pdf"
    done = run_cli(str(samples_dir / "infliximab-pyoderma.caseline.yaml"), "-o", str(out), "--format", fmt)
    assert done.returncode == 0, done.stderr
    table = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    fonts = table.splitlines()[2:]
    assert fonts, table
    for line in fonts:
        assert line.split()[-5] == "yes", line  # the 'emb' column (then sub, uni, object, generation)
    if fmt == "pdfx":
        info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
        assert "PDF version:     1.6" in info
        assert b"GTS_PDFX" in out.read_bytes()  # the PDF/X output intent


def test_font_family_is_used_for_all_text_and_a_missing_one_is_an_error(samples_dir, tmp_path) -> None:
    case = str(samples_dir / "neurosarcoidosis-infliximab.caseline.yaml")
    out = tmp_path / "serif.svg"
    done = run_cli(case, "-o", str(out), "--font", "DejaVu Serif")
    assert done.returncode == 0, done.stderr
    families = {element.get("font-family") for element in ET.parse(out).getroot().iter()
                if element.get("font-family") and element.tag.endswith("text")}
    assert families == {"DejaVu Serif"}, families
    assert svg_texts(ET.parse(out).getroot())
    missing = tmp_path / "missing.png"
    done = run_cli(case, "-o", str(missing), "--font", "No Such Font Family")
    assert done.returncode == 3
    assert "font 'No Such Font Family' is not installed" in done.stderr
    assert not missing.exists()


def test_settings_are_saved_beside_the_figure_and_make_it_again(samples_dir, tmp_path) -> None:
    case = str(samples_dir / "infliximab-pyoderma.caseline.yaml")
    out = tmp_path / "fig.png"
    done = run_cli(case, "-o", str(out), "--preset", "single", "--range", "-20", "160", "--title", "",
                   "--font", "DejaVu Serif", "--caption", "auto")
    assert done.returncode == 0, done.stderr
    sidecar = tmp_path / "fig.png.caseline-export.json"
    settings = json.loads(sidecar.read_text(encoding="utf-8"))
    assert settings["options"]["preset"] == "single" and settings["options"]["range"] == [-20.0, 160.0]
    assert settings["options"]["font"] == "DejaVu Serif" and settings["options"]["title"] == ""
    assert settings["figure"]["format"] == "png" and settings["figure"]["dpi"] == 300.0
    assert settings["made_by"].startswith("caseline ")
    # the saved command makes the same figure again
    command = shlex.split(settings["command"])
    assert command[:2] == ["caseline", "export"]
    again = tmp_path / "again.png"
    command[command.index("-o") + 1] = str(again)
    done = run_cli(*command[2:])
    assert done.returncode == 0, done.stderr
    assert again.read_bytes() == out.read_bytes()
    # --no-settings-file writes none; a de-identified figure never gets one (it would name the inputs)
    for extra, name in ((["--no-settings-file"], "plain.png"), (["--deidentified"], "deid.png")):
        done = run_cli(case, "-o", str(tmp_path / name), *extra)
        assert done.returncode == 0, done.stderr
        assert not (tmp_path / (name + ".caseline-export.json")).exists()


def test_an_unknown_format_lists_the_registry(samples_dir, tmp_path) -> None:
    from caseline.render.exporters import EXPORTERS

    done = run_cli(str(samples_dir / "infliximab-pyoderma.caseline.yaml"), "-o", str(tmp_path / "f.png"),
                   "--format", "bmp")
    assert done.returncode == 2
    for fmt in EXPORTERS:
        assert fmt in done.stderr
    assert {"png", "tiff", "svg", "pdf", "pdfx"} <= set(EXPORTERS)


def test_a_tall_comparison_says_what_to_do_and_by_how_much(samples_dir, tmp_path) -> None:
    done = run_cli(str(samples_dir / "drug-induced-neuropathy.caseset.yaml"), "-o", str(tmp_path / "set.png"),
                   "--width-mm", "174", "--layout", "lanes", "--dpi", "100")
    assert done.returncode == 0, done.stderr
    assert "a journal page holds about 240 mm" in done.stderr
    assert "use --layout swimmer" in done.stderr
    assert re.search(r"the figure is \d+ mm tall; .*\(\d+ mm too tall\)", done.stderr)
