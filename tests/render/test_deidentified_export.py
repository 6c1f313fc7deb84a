"""Every de-identified output, read back as text: the SVG's text and metadata, the PDF's text (pdftotext, or
its decompressed streams) and metadata, the PNG's chunks, the slides' captions. The case full of identifying
details (tests/fixtures) and every sample case; none of their names, dates, ids or citations may be in them."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
import zlib
from datetime import date
from pathlib import Path

import pytest

from caseline.analysis import deidentify as deid
from caseline.render.exporters import export_figure
from caseline.render.figure import ExportError, FigureRequest
from caseline.timeline.load import load_file, load_inputs
from caseline.view_state import ViewState
from support import CASESET, SAMPLES, no_date

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
IDENTIFYING = FIXTURES / "identifying.caseline.yaml"
PNG_CHUNKS_ALLOWED = {b"IHDR", b"pHYs", b"IDAT", b"IEND", b"sRGB", b"gAMA", b"PLTE", b"tRNS", b"sBIT"}


def forbidden_strings() -> list[str]:
    lines = (FIXTURES / "identifying_strings.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def leaks(text: str, forbidden: list[str]) -> list[str]:
    flat = " ".join(text.split()).casefold()
    return [s for s in forbidden if re.search(rf"(?<!\w){re.escape(s.casefold())}(?!\w)", flat)]


def svg_text(data: bytes) -> str:
    """Every text of an SVG: <title>, <desc>, <text> and attribute values."""
    root = ET.fromstring(data)
    parts = list(root.itertext())
    parts += [value for element in root.iter() for value in element.attrib.values()]
    return "\n".join(parts)


def pdf_text(path: Path) -> str:
    """The text a reader extracts (pdftotext when installed), the decompressed content streams, and the
    metadata strings (Info dictionary in UTF-16, XMP)."""
    data = path.read_bytes()
    parts: list[str] = []
    if shutil.which("pdftotext"):
        parts.append(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                    check=True).stdout)
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            parts.append(zlib.decompressobj().decompress(stream).decode("latin-1"))
        except zlib.error:
            parts.append(stream.decode("latin-1"))
    for raw in re.findall(rb"\((\xfe\xff(?:[^)\\]|\\.)*)\)", data, re.S):
        parts.append(raw.replace(b"\\", b"").decode("utf-16-be", errors="ignore"))
    parts.append(data.decode("latin-1"))
    return "\n".join(parts)


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at:at + 4])
        kind = data[at + 4:at + 8]
        chunks.append((kind, data[at + 8:at + 8 + length]))
        at += 12 + length
    return chunks


def assert_neutral_metadata(path: Path) -> None:
    data = path.read_bytes()
    if path.suffix == ".pdf":
        assert b"/CreationDate" not in data and b"/ModDate" not in data
        assert b"CreateDate" not in data and b"ModifyDate" not in data and b"MetadataDate" not in data
        assert re.search(rb"/Title\s*\(\xfe\xff\x00c\x00a\x00s\x00e\x00l\x00i\x00n\x00e\x00 \x00f", data)
        assert b"/ID [ <" + b"00000000-0000-4000-8000-000000000000".hex().encode() in data  # not a random id
        if shutil.which("pdfinfo"):  # the file still reads
            info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
            assert "caseline figure" in info and "CreationDate" not in info
    elif path.suffix == ".svg":
        root = ET.fromstring(data)
        assert root.findtext("{http://www.w3.org/2000/svg}title") == "caseline figure"
    else:
        kinds = {kind for kind, _ in png_chunks(data)}
        assert kinds <= PNG_CHUNKS_ALLOWED, kinds  # no tEXt, iTXt, zTXt, eXIf or tIME chunk


def output_text(path: Path) -> str:
    if path.suffix == ".svg":
        return svg_text(path.read_bytes())
    if path.suffix == ".pdf":
        return pdf_text(path)
    return "".join(body.decode("latin-1") for kind, body in png_chunks(path.read_bytes()) if kind != b"IDAT")


def export_deidentified(cases, path: Path, **request) -> Path:
    view = ViewState(tuple(cases), deidentified=True)
    export_figure(view, path, FigureRequest(**{"caption": "auto", "dpi": 150, **request}))
    return path


@pytest.fixture(scope="module")
def identifying(qapp):
    result = load_file(IDENTIFYING)
    assert result.ok
    return result.cases


@pytest.mark.parametrize("suffix", [".svg", ".pdf", ".png"])
def test_the_identifying_case_leaves_nothing_in_any_format(identifying, tmp_path, suffix) -> None:
    identified = tmp_path / f"identified{suffix}"
    export_figure(ViewState(tuple(identifying)), identified, FigureRequest(caption="auto", dpi=150))
    if suffix != ".png":  # the check can see them: the identified figure is full of them
        assert len(leaks(output_text(identified), forbidden_strings())) > 10
    out = export_deidentified(identifying, tmp_path / f"figure{suffix}")
    assert leaks(output_text(out), forbidden_strings()) == []
    assert_neutral_metadata(out)
    text = output_text(out)
    if suffix != ".png":
        assert "Milestone (withheld)" in text  # the lane named after an identifying label, renamed
        assert "Vancomycin" in text and "day 0" in text  # what does not identify is still there


def test_a_title_and_caption_typed_in_are_scrubbed_too(identifying, tmp_path) -> None:
    out = export_deidentified(identifying, tmp_path / "f.svg", title="Hilda Quistorp, 14/02/2010",
                              caption="Seen by Dr Ormerod (MRN 0012345) in Feb-2010")
    assert leaks(svg_text(out.read_bytes()), forbidden_strings()) == []


def sample_forbidden(cases) -> list[str]:
    """What a sample case's de-identified figure must not hold: its citations and calendar dates."""
    found: list[str] = []
    for case in cases:
        citation = case.case.citation
        found += [a.split(",")[0].split()[0] for a in citation.authors if a]
        found += [s for s in (citation.doi, citation.pmid, citation.journal, citation.url) if s]
        if citation.year:
            found.append(str(citation.year))
        if case.anchor_date is not None:
            found.append(case.anchor_date.isoformat())
    return found


@pytest.mark.parametrize("path", [*sorted(SAMPLES.glob("*.caseline.yaml")), CASESET], ids=lambda p: p.name)
def test_sample_cases_leave_no_date_or_citation(qapp, tmp_path, path) -> None:
    inputs = load_inputs([str(path)])
    assert inputs.ok
    forbidden = sample_forbidden(inputs.cases)
    suffixes = (".svg", ".pdf", ".png") if path == CASESET else (".svg",)
    for suffix in suffixes:
        out = export_deidentified(inputs.cases, tmp_path / f"figure{suffix}")
        text = output_text(out) if suffix != ".pdf" else subprocess.run(
            ["pdftotext", str(out), "-"], capture_output=True, text=True).stdout if shutil.which("pdftotext") \
            else ""
        assert leaks(text, forbidden) == [], (path.name, suffix)
        if suffix == ".svg":  # no date or year in any text drawn (coordinates in attributes are numbers)
            drawn = "\n".join(ET.fromstring(out.read_bytes()).itertext())
            assert no_date(drawn), [line for line in drawn.splitlines() if not no_date(line)]
        assert_neutral_metadata(out)


def test_slides_are_de_identified(identifying, tmp_path) -> None:
    from caseline.render.slides import plan_of, write_reveal_slides

    view = ViewState(tuple(identifying), deidentified=True)
    plan = plan_of(view, hold_back=False)
    words = "\n".join(f"{step.title}\n{step.caption}" for step in plan.steps)
    assert "Recovered" in words and leaks(words, forbidden_strings()) == []
    slides = write_reveal_slides(view, tmp_path / "deck", width_px=960, height_px=540)
    assert slides
    for slide in slides:
        data = Path(slide.path).read_bytes()
        assert {kind for kind, _ in png_chunks(data)} <= PNG_CHUNKS_ALLOWED


def test_a_case_that_cannot_be_de_identified_is_not_exported(identifying, tmp_path, monkeypatch) -> None:
    from caseline.render.slides import write_reveal_slides

    def broken(case):
        raise deid.DeidentifyError(f"case {case.id}: could not be de-identified (test)")

    monkeypatch.setattr(deid, "deidentify_case", broken)
    view = ViewState(tuple(identifying), deidentified=True)
    for suffix in (".png", ".svg", ".pdf"):
        with pytest.raises(ExportError, match="de-identified view cannot be shown"):
            export_figure(view, tmp_path / f"figure{suffix}")
    with pytest.raises(ExportError, match="de-identified view cannot be shown"):
        write_reveal_slides(view, tmp_path / "deck")
    assert sorted(p.name for p in tmp_path.iterdir()) in ([], ["deck"])
    assert not list((tmp_path / "deck").glob("*.png")) if (tmp_path / "deck").exists() else True


def test_every_registered_format_carries_no_identifying_text(identifying, tmp_path) -> None:
    """Formats added later (a TIFF, say) are checked too: their bytes hold none of the longer identifying
    strings, as Latin-1 or UTF-16 (metadata tags, titles), and no creation time."""
    from caseline.render.exporters import EXPORTERS

    longer = [s for s in forbidden_strings() if len(s) >= 6]
    for fmt, entry in EXPORTERS.items():
        out = export_deidentified(identifying, tmp_path / f"figure{entry.extensions[0]}", width_mm=60.0)
        data = out.read_bytes()
        for text in (data.decode("latin-1"), data.decode("utf-16-be", errors="ignore"),
                     data.decode("utf-16-le", errors="ignore")):
            assert not [s for s in longer if s in text], fmt
        today = date.today()
        for stamp in (today.isoformat(), today.strftime("%Y%m%d"), today.strftime("%Y:%m:%d")):
            assert stamp.encode() not in data, (fmt, stamp)  # no time stamp of the export


def test_a_de_identified_pdf_x_keeps_its_standard_with_a_fixed_date(identifying, tmp_path) -> None:
    from caseline.render.exporters import EXPORTERS

    if "pdfx" not in EXPORTERS:  # pragma: no cover - PDF/X-4 is registered
        pytest.skip("no PDF/X exporter")
    out = tmp_path / "print.pdf"
    export_figure(ViewState(tuple(identifying), deidentified=True), out, FigureRequest(dpi=150), fmt="pdfx")
    data = out.read_bytes()
    assert re.findall(rb"/(?:CreationDate|ModDate)\s*\((D:[^)]*)\)", data) == [b"D:20000101000000Z"] * 2
    assert b'GTS_PDFXVersion="PDF/X-4"' in data and b"CreateDate=\"2000-01-01T00:00:00Z\"" in data
    assert leaks(pdf_text(out), forbidden_strings()) == []
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
        assert "caseline figure" in info and "2000" in info
