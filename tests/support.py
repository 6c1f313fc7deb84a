"""Paths of the sample cases and small readers of exported files, shared by the test modules.

(On pytest's ``pythonpath``: ``from support import SAMPLES``.)
"""

from __future__ import annotations

import re
import struct
import unicodedata
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

from caseline.timeline.load import load_file

ROOT = Path(__file__).resolve().parents[1]

SAMPLES = ROOT / "sample_cases"

CASESET = SAMPLES / "drug-induced-neuropathy.caseset.yaml"

INFLIXIMAB = SAMPLES / "infliximab-pyoderma.caseline.yaml"

BORTEZOMIB = SAMPLES / "bortezomib-myeloma.caseline.yaml"

ALL_IDS = {"ifx-pg", "bz-mm", "bz-jeter-kang", "bz-xu", "bz-mauermann", "bz-saifee", "bz-schmitt"}

LATENCY_ORDER = ["ifx-pg", "bz-mm", "bz-jeter-kang", "bz-mauermann", "bz-saifee", "bz-schmitt", "bz-xu"]

MONTHS = ("January|February|March|April|June|July|August|September|October|November|December"
          "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")

DATE_RE = re.compile(rf"\b(19|20)\d\d\b(?!\s*(?:mg|g|mcg|ml|IU|units?|%|/))|\b(?:{MONTHS})\b|\bMay\s+\d")

def no_date(text: str) -> bool:
    return DATE_RE.search(text) is None

def bortezomib_index_case():
    result = load_file(BORTEZOMIB)
    assert result.ok
    return result.cases[0]

def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])

MM_PER_PT = 25.4 / 72

SVG_NS = "{http://www.w3.org/2000/svg}"

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
