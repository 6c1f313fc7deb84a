"""The exporter registry: each figure format registers a name, a label and its file extensions, and turns
a Figure into bytes (the pyqtgraph ``Exporter.register`` and glue ``data_exporter`` pattern). The command
line's choices and the export dialog's filters come from here; :func:`export_figure` is the one export
path, rendering to memory first and writing with an atomic rename, so a failed export never leaves a
half-written file and never touches an existing one."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMarginsF,
    QRect,
    QSize,
    QSizeF,
    QUuid,
)
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPdfWriter

from caseline.render.figure import (
    MM_PER_INCH,
    ExportError,
    Figure,
    FigureRequest,
    built_figure,
    figure_image,
    px_to_mm,
    resolve_spec,
)
from caseline.view_state import ViewState

#: Turns a laid-out figure into the bytes of a file.
WriteFunction = Callable[["Figure"], bytes]


@dataclass(frozen=True)
class Exporter:
    """One registered figure format."""

    format: str  # "png"
    label: str  # "PNG image"
    extensions: tuple[str, ...]  # (".png",)
    write: WriteFunction
    raster: bool  # a pixel image (DPI in its metadata), not vector drawing


EXPORTERS: dict[str, Exporter] = {}


def exporter(fmt: str, label: str, extensions: tuple[str, ...], raster: bool = False
             ) -> Callable[[WriteFunction], WriteFunction]:
    """Register ``write(figure) -> bytes`` as the exporter of ``fmt``."""

    def register(write: WriteFunction) -> WriteFunction:
        EXPORTERS[fmt] = Exporter(fmt, label, extensions, write, raster)
        return write

    return register


def formats() -> tuple[str, ...]:
    """The registered format names, in registration order."""
    return tuple(EXPORTERS)


def file_filters() -> dict[str, str]:
    """A QFileDialog filter per format: {'png': 'PNG image (*.png)', ...}."""
    return {fmt: f"{e.label} ({' '.join('*' + ext for ext in e.extensions)})" for fmt, e in EXPORTERS.items()}


@dataclass(frozen=True)
class ExportInfo:
    """What was written."""

    path: str
    fmt: str
    width_px: int
    height_px: int
    dpi: float
    width_mm: float
    height_mm: float
    n_bytes: int
    seconds: float


def format_of(path: str | os.PathLike[str], fmt: str | None = None) -> str:
    """The registered format named by ``fmt``, or else by the file name's suffix."""
    if fmt is None:
        suffix = os.path.splitext(os.fspath(path))[1].lower()
        fmt = next((name for name, e in EXPORTERS.items() if suffix in e.extensions), suffix.lstrip("."))
    fmt = fmt.lower()
    if fmt not in EXPORTERS:
        suffixes = sorted({ext for e in EXPORTERS.values() for ext in e.extensions})
        raise ExportError(f"cannot export to {fmt or 'a file without a suffix'!r}: use a {', '.join(suffixes)} "
                          f"file, or --format {', '.join(EXPORTERS)}")
    return fmt


@exporter("png", "PNG image", (".png",), raster=True)
def png_bytes(figure: Figure) -> bytes:
    return encode_png(figure_image(figure), figure.spec.dpi)


def encode_png(image: QImage, dpi: float) -> bytes:
    """``image`` as PNG bytes, opaque, with ``dpi`` in its pHYs chunk."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    dots_per_meter = round(dpi / MM_PER_INCH * 1000)
    image.setDotsPerMeterX(dots_per_meter)
    image.setDotsPerMeterY(dots_per_meter)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]
        raise ExportError("PNG encoding failed")
    buffer.close()
    return bytes(data.data())


@exporter("tiff", "TIFF image (LZW)", (".tif", ".tiff"), raster=True)
def tiff_bytes(figure: Figure) -> bytes:
    """The PNG's pixels as a TIFF many journals ask for: LZW-compressed, with the DPI in its resolution tags."""
    from PySide6.QtGui import QImageWriter

    image = figure_image(figure).convertToFormat(QImage.Format.Format_RGB32)
    dots_per_meter = round(figure.spec.dpi / MM_PER_INCH * 1000)
    image.setDotsPerMeterX(dots_per_meter)
    image.setDotsPerMeterY(dots_per_meter)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, QByteArray(b"tiff"))
    writer.setCompression(1)  # Qt's TIFF plugin: 0 none, 1 LZW
    if not writer.write(image):
        raise ExportError(f"TIFF encoding failed: {writer.errorString()}")
    buffer.close()
    return bytes(data.data())


@exporter("svg", "SVG drawing", (".svg",))
def svg_bytes(figure: Figure) -> bytes:
    from PySide6.QtSvg import QSvgGenerator

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # SVG Tiny 1.2, which has no clipping: the paint layers clip their own geometry to the data area.
    # (Qt 6.11's SVG 1.1 output writes clipPaths but keeps a stale one after painter.restore(), which
    # clipped away the axes' spines and ticks.)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(QSize(figure.width_px, figure.height_px))
    generator.setViewBox(QRect(0, 0, figure.width_px, figure.height_px))
    generator.setResolution(round(figure.spec.dpi))
    title, _creator = document_metadata(figure)
    generator.setTitle(title)
    generator.setDescription("Made with caseline")
    painter = QPainter()
    if not painter.begin(generator):
        raise ExportError("cannot start the SVG writer")
    try:
        figure.paint(painter)
    finally:
        painter.end()
    buffer.close()
    return bytes(data.data())


@exporter("pdf", "PDF document", (".pdf",))
def pdf_bytes(figure: Figure) -> bytes:
    """A PDF page of the figure's size; Qt embeds the fonts (subsets) it uses."""
    return _pdf(figure, None)


@exporter("pdfx", "PDF/X-4 document (print)", (".pdf",))
def pdfx_bytes(figure: Figure) -> bytes:
    """PDF/X-4, the print standard that allows transparency (the fades): fonts embedded, sRGB output intent.
    (PDF/A-1b forbids transparency: the fade of an open end would become a hard end.)"""
    return _pdf(figure, QPdfWriter.PdfVersion.PdfVersion_X4)


def _pdf(figure: Figure, version: QPdfWriter.PdfVersion | None) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    if version is not None:
        writer.setPdfVersion(version)
    dpi = figure.spec.dpi
    page = QPageSize(QSizeF(px_to_mm(figure.width_px, dpi), px_to_mm(figure.height_px, dpi)),
                     QPageSize.Unit.Millimeter, "caseline figure", QPageSize.SizeMatchPolicy.ExactMatch)
    writer.setPageLayout(QPageLayout(page, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0),
                                     QPageLayout.Unit.Millimeter))
    writer.setResolution(round(dpi))
    title, creator = document_metadata(figure)
    writer.setTitle(title)
    writer.setCreator(creator)
    deidentified = figure.spec.view.deidentified
    if deidentified:  # no random document id, no dates: nothing ties the file to a time or a machine
        writer.setDocumentId(NEUTRAL_DOCUMENT_ID)
        writer.setDocumentXmpMetadata(neutral_xmp(title, creator, pdfx=version is not None))
    painter = QPainter()
    if not painter.begin(writer):
        raise ExportError("cannot start the PDF writer")
    try:
        # the device is the page at `dpi`; scale in case rounding made it a pixel off
        scale_x = writer.width() / figure.width_px
        scale_y = writer.height() / figure.height_px
        if abs(scale_x - 1) > 1e-3 or abs(scale_y - 1) > 1e-3:
            painter.scale(scale_x, scale_y)
        figure.paint(painter)
    finally:
        painter.end()
    buffer.close()
    pdf = bytes(data.data())
    if not deidentified:
        return pdf
    # PDF/X requires the two dates: a fixed one then (the same for every file), else none
    return strip_pdf_dates(pdf, NEUTRAL_PDF_DATE if version is not None else None)


#: The document id of every de-identified PDF (Qt would write a random one, the same in /ID and the XMP).
NEUTRAL_DOCUMENT_ID = QUuid("00000000-0000-4000-8000-000000000000")
_PDF_DATE = re.compile(rb"/(?:CreationDate|ModDate)\s*\(D:[^)]*\)")


def document_metadata(figure: Figure) -> tuple[str, str]:
    """The title and creator a figure's file carries: its title line, or a neutral title when
    de-identified (the file's metadata is read by tools that never show the figure)."""
    if figure.spec.view.deidentified:
        return "caseline figure", "caseline"
    return figure.spec.title or "caseline timeline", "caseline"


#: The creation date of a de-identified PDF/X (the standard requires one): the same for every file.
NEUTRAL_PDF_DATE = b"D:20000101000000Z"


def neutral_xmp(title: str, creator: str, pdfx: bool = False) -> bytes:
    """XMP metadata with a title and the creating tool only: no dates, no document id (for PDF/X-4 also its
    version and the fixed date of NEUTRAL_PDF_DATE, which the standard requires)."""
    from xml.sax.saxutils import escape

    extra = ""
    if pdfx:
        extra = ('<rdf:Description rdf:about="" xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/" '
                 'pdfxid:GTS_PDFXVersion="PDF/X-4"/><rdf:Description rdf:about="" '
                 'xmp:CreateDate="2000-01-01T00:00:00Z" xmp:ModifyDate="2000-01-01T00:00:00Z" '
                 'xmp:MetadataDate="2000-01-01T00:00:00Z"/>')
    return ("<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?>"
            '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">'
            f'<rdf:Description rdf:about=""><dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}'
            f'</rdf:li></rdf:Alt></dc:title></rdf:Description><rdf:Description rdf:about="" '
            f'xmp:CreatorTool="{escape(creator)}"/>{extra}</rdf:RDF></x:xmpmeta>'
            "<?xpacket end='w'?>").encode()


def strip_pdf_dates(pdf: bytes, fixed: bytes | None = None) -> bytes:
    """``pdf`` without the creation and modification dates Qt writes into its Info dictionary (or with
    ``fixed`` for both). Qt has no setting for them; each entry is blanked with as many spaces (white space
    between a dictionary's entries), or its date overwritten with one as long, so every byte offset in the
    cross-reference table stays right."""
    def replace(match: re.Match[bytes]) -> bytes:
        entry = match.group(0)
        if fixed is None:
            return b" " * len(entry)
        start = entry.index(b"(D:") + 1
        date = fixed.ljust(len(entry) - start - 1)[: len(entry) - start - 1]
        return entry[:start] + date + b")"

    return _PDF_DATE.sub(replace, pdf)


def export_figure(view: ViewState, path: str | os.PathLike[str], request: FigureRequest | None = None,
                  fmt: str | None = None) -> ExportInfo:
    """Render ``view`` (its cases, arrangement, range and wording) as a figure and write it atomically.

    ``fmt`` None takes the format from the file's suffix. Width defaults to 174 mm (double column),
    height to what the lanes need. Raises ExportError (the output file is then untouched).
    """
    from caseline.io.atomic_write import atomic_write_bytes

    started = time.perf_counter()
    path = os.fspath(path)
    fmt = format_of(path, fmt)
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise ExportError(f"{path}: folder {folder} does not exist")
    if os.path.isdir(path):
        raise ExportError(f"{path} is a folder")
    spec = resolve_spec(view, request)
    with built_figure(spec) as figure:
        data = EXPORTERS[fmt].write(figure)
        height = figure.height_px
    if not data:
        raise ExportError(f"{fmt.upper()} rendering produced no data")
    try:
        atomic_write_bytes(path, data)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return ExportInfo(path=path, fmt=fmt, width_px=spec.width_px, height_px=height, dpi=spec.dpi,
                      width_mm=px_to_mm(spec.width_px, spec.dpi), height_mm=px_to_mm(height, spec.dpi),
                      n_bytes=len(data), seconds=time.perf_counter() - started)
