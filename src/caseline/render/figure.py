"""Publication figures: the timeline laid out at a size in mm and a DPI, with its title and caption.

An offscreen TimelinePlot, laid out at the target pixel size, is painted by hand onto any QPainter
device (pyqtgraph's exporters mis-size figures, tag PNGs as 96 dpi and its SVG exporter crashes
on Qt 6.11; see docs/qt-notes.md). Type is sized in points: fonts get ``dpi / 72`` pixels per point, so
7 pt stays 7 pt at any DPI. The exporters (caseline.render.exporters) turn a Figure into bytes."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from PySide6.QtCore import (
    QRectF,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QTextDocument
from PySide6.QtWidgets import QApplication

from caseline.layout import timeline_layout as L
from caseline.render.figure_text import (
    LANE_COLUMN_FRACTION,
    LANE_COLUMN_MAX_FRACTION,
    LANE_COLUMN_MIN_MM,
    figure_caption,
    fit_lane_names,
    missing_font,
    paint_case_headers,
)
from caseline.render.legend import plot_legend_html
from caseline.render.qt_app import ensure_app
from caseline.theme import PRESETS, THEMES, Theme
from caseline.timeline.resolved import ResolvedCase
from caseline.view_state import ViewState

MM_PER_INCH = 25.4


MIN_DPI, MAX_DPI = 36.0, 2400.0


MAX_SIDE_PX = 20000  # a 1.7 m wide figure at 300 dpi: anything larger is a typo


MAX_PIXELS = 200_000_000  # about 800 MB of ARGB32


MIN_SIDE_PX = 64


#: The tallest figure most journals print (an A4 / Letter text block).
PAGE_HEIGHT_MM = 240.0

#: Printed type is never smaller than this (journals ask for 6-8 pt at print size).
MIN_PRINT_PT = 6.0

#: Where a figure's marks sit in their row: under a band of one line of labels (see _min_row_px).
FIGURE_MARK_CENTER = 0.72

#: A figure's rows are at least this many label lines tall: the label band, then the marks.
FIGURE_ROW_LINES = 2.4

#: Where a figure's legend goes: above the plot (as in the window), below it (over the caption), or nowhere
#: (the journal's caption explains the symbols).
LEGEND_PLACEMENTS = ("top", "bottom", "none")


class ExportError(ValueError):
    """A figure that cannot be made as asked (bad size, format, path or content)."""


@dataclass(frozen=True)
class FigureRequest:
    """What a figure should be: its size (mm or pixels; height None: as tall as the lanes need), DPI,
    theme, title (None: the case's title; '': none), caption ('auto': cite the cases' sources), font family
    (None: the theme's) and where the legend goes (LEGEND_PLACEMENTS)."""

    width_mm: float | None = None
    height_mm: float | None = None
    width_px: int | None = None
    height_px: int | None = None
    dpi: float = 300.0
    theme: str | Theme = "print"
    title: str | None = None
    caption: str | None = None
    font: str | None = None
    legend: str = "top"

    @staticmethod
    def of_preset(key: str, **changes: object) -> FigureRequest:
        """The request of a size preset (caseline.theme.PRESETS), with ``changes``."""
        preset = PRESETS[key]
        request = FigureRequest(preset.width_mm, preset.height_mm, preset.width_px, preset.height_px, preset.dpi,
                                preset.theme)
        return dataclasses.replace(request, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class FigureSpec:
    """A fully resolved request: pixel size, DPI, theme in device pixels, the text lines and the view."""

    width_px: int
    height_px: int | None  # None: as tall as the lanes need
    dpi: float
    theme: Theme
    title: str
    caption: str
    view: ViewState
    legend: str = "top"  # LEGEND_PLACEMENTS

    @property
    def px_per_pt(self) -> float:
        return self.dpi / 72.0

    def px(self, mm: float) -> float:
        return mm / MM_PER_INCH * self.dpi


def mm_to_px(mm: float, dpi: float) -> int:
    return round(mm / MM_PER_INCH * dpi)


def px_to_mm(px: float, dpi: float) -> float:
    return px / dpi * MM_PER_INCH


def default_title(cases: Sequence[ResolvedCase]) -> str:
    """A single case's title; none for several (their headers name them; a case set has one)."""
    return cases[0].case.title if len(cases) == 1 else ""


def resolve_spec(view: ViewState, request: FigureRequest | None = None) -> FigureSpec:
    """Check a request and turn it into pixels. Raises ExportError with a readable message."""
    request = request or FigureRequest()
    width_mm, height_mm, width_px, height_px = request.width_mm, request.height_mm, request.width_px, request.height_px
    dpi, theme, title, caption = request.dpi, request.theme, request.title, request.caption
    cases = view.cases
    if not cases:
        raise ExportError("nothing to export: no cases")
    if not _finite_positive(dpi) or not MIN_DPI <= dpi <= MAX_DPI:
        raise ExportError(f"DPI must be between {MIN_DPI:g} and {MAX_DPI:g}, not {dpi!r}")
    if width_mm is not None and width_px is not None:
        raise ExportError("give the width in mm or in pixels, not both")
    if height_mm is not None and height_px is not None:
        raise ExportError("give the height in mm or in pixels, not both")
    for name, value in (("width", width_mm), ("height", height_mm)):
        if value is not None and not _finite_positive(value):
            raise ExportError(f"{name} must be a positive number of mm, not {value!r}")
    for name, value in (("width", width_px), ("height", height_px)):
        if value is not None and (not _finite_positive(value) or int(value) != value):
            raise ExportError(f"{name} must be a positive whole number of pixels, not {value!r}")
    if width_mm is None and width_px is None:
        width_mm = PRESETS["double"].width_mm
    width = int(width_px) if width_px is not None else mm_to_px(float(width_mm or 0), dpi)
    height: int | None = None
    if height_px is not None:
        height = int(height_px)
    elif height_mm is not None:
        height = mm_to_px(height_mm, dpi)
    for name, value in (("width", width), ("height", height)):
        if value is None:
            continue
        if value < MIN_SIDE_PX:
            raise ExportError(f"{name} of {value} px is too small for a figure (at least {MIN_SIDE_PX} px)")
        if value > MAX_SIDE_PX:
            raise ExportError(f"{name} of {value} px is too large (at most {MAX_SIDE_PX} px)")
    if height is not None and width * height > MAX_PIXELS:
        raise ExportError(f"{width} x {height} px is too large an image")
    if request.legend not in LEGEND_PLACEMENTS:
        raise ExportError(f"legend must be one of {', '.join(LEGEND_PLACEMENTS)}, not {request.legend!r}")
    if isinstance(theme, str):
        if theme not in THEMES:
            raise ExportError(f"unknown theme {theme!r}: use one of {', '.join(THEMES)}")
        theme = THEMES[theme]
    time_range = view.time_range
    if time_range is not None:
        lo, hi = (float(v) for v in time_range)
        if not (math.isfinite(lo) and math.isfinite(hi) and hi > lo):
            raise ExportError(f"time range must be START END with END after START, not {lo:g} {hi:g}")
        time_range = (lo, hi)
    if request.font is not None:
        if not request.font.strip():
            raise ExportError("font must name a font family, not ''")
        theme = dataclasses.replace(theme, font_family=request.font.strip())
    # lines and marks keep their on-screen thickness in physical units (theme sizes are 96 dpi px)
    device_theme = dataclasses.replace(theme, line_px=theme.line_px * dpi / 96.0)
    shown = view.shown()
    if shown.problem:  # the de-identified view could not be made: nothing is written (fails closed)
        raise ExportError(shown.problem)
    # title and caption from the de-identified cases when de-identified; text typed in is scrubbed too
    worded = shown.cases if view.deidentified else list(cases)
    title_text = shown.scrub(default_title(worded) if title is None else title)
    caption_text = shown.scrub(figure_caption(worded, caption))
    if len(cases) == 1 and title_text.strip() and view.case_headers:
        view = view.copy(case_headers=False)  # the title line names the case: a header row would repeat it
    if view.time_range != time_range:
        view = view.copy(time_range=time_range)
    return FigureSpec(width, height, float(dpi), device_theme, title_text.strip(), caption_text.strip(), view,
                      request.legend)


def _finite_positive(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and value > 0


class Figure:
    """An offscreen plot laid out for one figure, plus the title and caption around it."""

    #: a fixed height too small for the rows shrinks type and marks, down to this factor
    MIN_SCALE = 0.45

    def __init__(self, spec: FigureSpec) -> None:
        from caseline.render.timeline_plot import TimelinePlot

        ensure_app()
        problem = missing_font(spec.theme.font_family)
        if problem:
            raise ExportError(problem)
        self.spec = spec
        self.margin = max(2.0, round(spec.px(1.5)))
        self.plot = TimelinePlot(theme=spec.theme, interactive=False)
        plot = self.plot
        plot.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        plot.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        plot.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        plot.setFrameShape(plot.Shape.NoFrame)
        # the plot runs to the figure's edges; the margin is inside the plot item
        plot.getPlotItem().setContentsMargins(self.margin, 0, self.margin, 0)
        for axis in (plot.time_axis, plot.lane_axis):
            axis.paint_direct = True  # no QPicture: it rescales pixel fonts on 300 dpi devices
            # keep the spine and labels inside the axis: no 15 px overhang into legend or margin
            axis.setStyle(hideOverlappingLabels=True)
        plot.set_legend_full_width(True)
        if spec.legend != "top":  # the figure draws it under the plot (paint), or not at all
            plot.set_legend_visible(False)
        self.legend_doc: QTextDocument | None = None
        self.legend_h = 0.0
        self.elided_lanes: list[str] = []  # lane names too long for their rows: given in full in the footnotes
        self.widen_lanes = True  # a lane name may widen the name column (else it is elided) to fit its row
        self._lane_ticks: tuple[object, object] = (None, None)  # (the plot's lane names, as wrapped)
        plot.resize(spec.width_px, max(200, spec.height_px or 1000))
        plot.show()
        self.scale = 1.0
        plot.set_view(spec.view)
        self.compact = False
        # rows at least a line of lane names tall under the footnotes: type shrinks, then lane names that
        # need a wider name column are elided instead (full names are worth a little smaller type)
        while short := self._fit_with_footnotes():
            if self.scale > self.least_scale:
                self.scale = max(self.least_scale, self.scale * 0.95)
            elif self.widen_lanes:
                self.widen_lanes = False
            else:
                raise ExportError(
                    f"{px_to_mm(self.height_px, spec.dpi):.0f} mm is not tall enough for {plot.content_rows()} "
                    f"rows and the footnotes of the labels that do not fit by their marks ({short} mm short): make "
                    "the figure taller or wider, hide lanes, export fewer cases, or leave the height out")

    def _fit_with_footnotes(self) -> int:
        """Lay the figure out with the footnotes (labels that cannot sit by their mark, numbered) under the plot;
        a fixed height gives the list's lines to it and lays the plot out again (a smaller plot may number more)
        until the list fits: how many mm short of rows a line of lane names tall it is (0 when it fits)."""
        spec, plot = self.spec, self.plot
        plot_h = self._fit_type()
        self.footnote_text, self.footnote_h = "", 0.0
        self._fit_plot(plot_h)
        font = plot.lane_axis.style.get("tickFont")
        line = QFontMetricsF(font).lineSpacing() if font is not None else 0.0
        for _attempt in range(4):
            self.footnote_text = self._footnotes()
            height = self._text_height(self.footnote_text, self.caption_font, spec.width_px - 2 * self.margin)
            if spec.height_px is None:
                self.footnote_h = height
                self.height_px += round(self._block(height))
                return 0
            if height <= self.footnote_h:
                return 0
            self.footnote_h = height
            self._fit_plot(plot_h - self._block(height))
            need = max(1, plot.content_rows()) * line - plot.viewbox.height()
            if need > 0:
                return math.ceil(px_to_mm(need, spec.dpi))
        self.footnote_text = self._footnotes()  # still growing after four tries: the list of the plot as it is
        return 0

    def _fit_type(self) -> float:
        """The plot's height for a fixed height: type shrinks to keep a label band above the marks in every
        row; only when that is not enough do rows get as low as 1.6 lines (labels then sit over the marks, on
        a halo). Raises ExportError when even that does not fit."""
        spec, plot = self.spec, self.plot
        while True:
            plot_h, needed_h = self._lay_out(self.scale)
            if plot_h >= needed_h:
                return plot_h
            least = self.least_scale
            if self.scale <= least and not self.compact:
                self.compact, self.scale = True, 1.0
                continue
            if self.scale <= least:
                short = math.ceil(px_to_mm(needed_h - plot_h, spec.dpi))
                raise ExportError(
                    f"{px_to_mm(self.height_px, spec.dpi):.0f} mm is not tall enough for "
                    f"{plot.content_rows()} rows even with type at {self.scale:.0%} "
                    f"({short} mm short): make the figure taller, hide lanes, export fewer cases "
                    "(or a case set as a swimmer plot), or leave the height out")
            self.scale = max(least, self.scale * min(0.95, plot_h / needed_h))

    @property
    def least_scale(self) -> float:
        """How far type may shrink for a fixed height: MIN_SCALE, but a printed figure's type never below
        MIN_PRINT_PT (its smallest type is the 0.9 x label size of header details and undated chips)."""
        theme = self.spec.theme
        if theme.name != "print":
            return self.MIN_SCALE
        smallest = min(theme.font_pt * 0.9, theme.axis_font_pt, theme.title_font_pt)
        return max(self.MIN_SCALE, min(1.0, MIN_PRINT_PT / smallest))

    def _fit_plot(self, plot_h: float) -> None:
        """The plot at ``plot_h`` px: every row, the whole time span (arrowheads included) or the asked range."""
        spec, plot = self.spec, self.plot
        plot.resize(spec.width_px, round(plot_h))
        settle()
        self._wrap_lane_names()
        rows = max(1, plot.content_rows())
        plot.fit_story()  # the asked range, else the story's (caseline.analysis.focus)
        if spec.view.time_range is None:
            self._room_for_arrows()
        plot.viewbox.setYRange(0, rows, padding=0)
        settle()
        state = plot.paint_state
        if state is not None:
            state.draw_header_text = False  # paint_headers draws them across the figure
            state.footnotes = True  # no label is dropped: numbered and listed under the figure
            if not self.compact:
                state.mark_center = FIGURE_MARK_CENTER  # marks under a band of one line of labels
            plot.labels.set_state(state)

    def _wrap_lane_names(self) -> None:
        """Long lane names on two lines (or more), so the name column takes about a fifth of the width (at 85 mm
        'EMG / nerve conduction' took 40 % of the figure), but never on more lines than their row is tall: a
        name that needs more widens the column (up to LANE_COLUMN_MAX_FRACTION), else is elided and given in
        full in the footnotes (short rows of a fixed height ran 'Methylpredni-' 'solone' into the next name)."""
        spec, plot, axis = self.spec, self.plot, self.plot.lane_axis
        levels = getattr(axis, "_tickLevels", None)
        if levels is not None and levels is self._lane_ticks[1]:
            levels = self._lane_ticks[0]  # the names as the plot gave them, not as last wrapped
        font = axis.style.get("tickFont")
        self.elided_lanes = []
        if not levels or not levels[0] or font is None:
            return
        fm = QFontMetricsF(font)
        lines = max(1, int(plot.viewbox.height() / max(1, plot.content_rows()) / fm.lineSpacing() + 1e-6))
        cap = max(spec.px(LANE_COLUMN_MIN_MM), LANE_COLUMN_FRACTION * spec.width_px)
        pad = 12 * plot.px_per_pt * plot.theme.axis_font_pt / 9 + 8  # the ticks and the gap to the names
        most = LANE_COLUMN_MAX_FRACTION * spec.width_px - pad if self.widen_lanes else cap
        names = [str(name) for _, name in levels[0]]
        drawn, self.elided_lanes = fit_lane_names(names, fm, cap, most, lines)
        width = int(max(fm.horizontalAdvance(line) for name in drawn for line in name.split("\n")) + pad)
        ticks = [[(pos, text) for (pos, _), text in zip(levels[0], drawn, strict=True)], *levels[1:]]
        if ticks != axis._tickLevels or width != axis.width():
            self._lane_ticks = (levels, ticks)
            axis.setTicks(ticks)
            axis.setWidth(width)
            settle()

    def _room_for_arrows(self) -> None:
        """Widen the time range so arrows of fixed length (a gap not stated) end inside the plot: at 85 mm
        the arrowheads at the right edge were cut."""
        plot = self.plot
        layout = plot.layout_
        width = float(plot.viewbox.width())
        if layout is None or width <= 1 or not len(layout.whiskers):
            return
        theme = plot.theme
        arrow = max(24.0, 3.0 * theme.glyph_px * plot.px_per_pt) + 4 * max(1.0, theme.line_px)
        a = min(0.4 * width, arrow)
        lo, hi = plot.time_range()
        w = layout.whiskers
        inside = (w.x1 >= lo) & (w.x0 <= hi)  # history outside the story's window stays outside
        open_end = ((w.style & L.WhiskerEnd.OPEN_END) != 0) & inside
        open_start = ((w.style & L.WhiskerEnd.OPEN_START) != 0) & inside
        need_hi = float(w.x0[open_end].max()) if open_end.any() else -math.inf
        need_lo = float(w.x1[open_start].min()) if open_start.any() else math.inf
        # the view after widening must still give each arrow ``a`` px: solve hi' = need + a (hi' - lo') / width
        for _ in range(3):
            per_px = (hi - lo) / width
            hi = max(hi, need_hi + (a + 2) * per_px)
            lo = min(lo, need_lo - (a + 2) * per_px)
        plot.set_time_range(lo, hi)

    def _footnotes(self) -> str:
        """Paint the plot once (offscreen) and word the labels it had to number, and undated items cut
        from the strip: '' when every label sits by its mark."""
        plot = self.plot
        image = QImage(max(1, plot.width()), max(1, plot.height()), QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(0)
        painter = QPainter(image)
        try:
            plot.scene().render(painter, QRectF(image.rect()), QRectF(0, 0, plot.width(), plot.height()))
        finally:
            painter.end()
        lines = [f"Lane names in full: {'; '.join(self.elided_lanes)}"] if self.elided_lanes else []
        lines += [note.line() for note in plot.labels.footnotes]
        if plot.layout_ is not None and plot.labels.undated_hidden:
            items = plot.layout_.items
            lines.append("Time not stated: " + "; ".join(items[i].label for i in plot.labels.undated_hidden))
        return "   ".join(lines)

    def _lay_out(self, scale: float) -> tuple[float, float]:
        """Fonts and plot at ``scale``: (height left for the plot, least height its rows need)."""
        spec, plot = self.spec, self.plot
        theme = spec.theme if scale == 1.0 else spec.theme.scaled(scale)
        self.theme = theme
        self.title_font = _font(theme, theme.title_font_pt * spec.px_per_pt, bold=True)
        self.caption_font = _font(theme, theme.font_pt * spec.px_per_pt)
        self.gap = round(theme.font_pt * spec.px_per_pt * 0.6)
        inner = spec.width_px - 2 * self.margin
        self.title_h = self._text_height(spec.title, self.title_font, inner)
        self.caption_h = self._text_height(spec.caption, self.caption_font, inner)
        plot.apply_theme(theme, spec.px_per_pt)
        settle()
        rows = max(1, plot.content_rows())
        overhead = plot.height() - plot.viewbox.height()
        if spec.legend == "bottom":  # its lines are taken from the plot's height, as the caption's are
            self.legend_doc = self._legend_document(theme, inner)
            self.legend_h = math.ceil(self.legend_doc.size().height()) if self.legend_doc is not None else 0.0
        chrome = self.margin * 2 + self._block(self.title_h) + self._block(self.caption_h) + self._block(self.legend_h)
        if spec.height_px is None:
            row_px = max(theme.row_px * spec.px_per_pt * 0.75, _min_row_px(plot))
            self.height_px = math.ceil(chrome + overhead + rows * row_px)
        else:
            self.height_px = spec.height_px
        self.plot_top = self.margin + self._block(self.title_h)
        floor = _least_row_px(plot) if self.compact else _min_row_px(plot)
        return self.height_px - chrome, overhead + rows * floor

    def _legend_document(self, theme: Theme, width: float) -> QTextDocument | None:
        """The legend the plot would draw above itself, as a document ``width`` px wide for under the plot
        (None when the layout draws nothing to explain)."""
        plot = self.plot
        if plot.layout_ is None:
            return None
        titles = plot.shown.category_titles if plot.shown is not None else None
        html = plot_legend_html(plot.layout_, theme, titles)
        if not html:
            return None
        font = _font(theme, theme.font_pt * self.spec.px_per_pt)
        document = QTextDocument()
        document.setDocumentMargin(0)
        document.setDefaultFont(font)
        document.setHtml(f"<span style='color: {theme.foreground}; font-size: {font.pixelSize()}px'>{html}</span>")
        document.setTextWidth(width)
        return document

    def _block(self, h: float) -> float:  # a text block and the gap before the next
        return h + self.gap if h else 0.0

    def _text_height(self, text: str, font: QFont, width: float) -> float:
        if not text:
            return 0.0
        fm = QFontMetricsF(font)
        rect = fm.boundingRect(QRectF(0, 0, width, 1e6), int(Qt.TextFlag.TextWordWrap), text)
        return math.ceil(rect.height())

    @property
    def width_px(self) -> int:
        return self.spec.width_px

    def paint(self, painter: QPainter) -> None:
        """Paint the whole figure with painter coordinates in figure pixels."""
        spec = self.spec
        width, height = float(spec.width_px), float(self.height_px)
        painter.fillRect(QRectF(0, 0, width, height), QColor(spec.theme.background))
        inner = width - 2 * self.margin
        fg = QColor(spec.theme.foreground)
        if spec.title:
            painter.setPen(fg)
            painter.setFont(self.title_font)
            painter.drawText(QRectF(self.margin, self.margin, inner, self.title_h),
                             int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft), spec.title)
        plot_h = float(self.plot.height())
        source = QRectF(0, 0, width, plot_h)
        target = QRectF(0, self.plot_top, width, plot_h)
        self.plot.scene().render(painter, target, source, Qt.AspectRatioMode.IgnoreAspectRatio)
        self.paint_headers(painter)
        regions = self.regions()
        if "legend" in regions and self.legend_doc is not None:
            rect = regions["legend"]
            painter.save()
            painter.translate(rect.topLeft())
            self.legend_doc.drawContents(painter, QRectF(0, 0, rect.width(), rect.height()))
            painter.restore()
        for name, text in (("footnotes", self.footnote_text), ("caption", spec.caption)):
            if name in regions:
                painter.setPen(fg)
                painter.setFont(self.caption_font)
                painter.drawText(regions[name], int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft), text)

    def regions(self) -> dict[str, QRectF]:
        """Where each part of the figure is drawn, in figure pixels: 'title', 'legend', 'plot', 'footnotes' and
        'caption' (a part the figure does not have is left out). The legend is above the plot (the plot's
        own title row) or under it, before the footnotes and the caption."""
        spec = self.spec
        width = float(spec.width_px)
        inner = width - 2 * self.margin
        plot_h = float(self.plot.height())
        regions: dict[str, QRectF] = {}
        if spec.title:
            regions["title"] = QRectF(self.margin, self.margin, inner, self.title_h)
        regions["plot"] = QRectF(0, self.plot_top, width, plot_h)
        label = self.plot.getPlotItem().titleLabel
        if spec.legend == "top" and label.isVisible() and label.item.toPlainText().strip():
            regions["legend"] = label.item.sceneBoundingRect().translated(0, self.plot_top)
        top = self.plot_top + plot_h + self.gap
        for name, shown, h in (("legend", spec.legend == "bottom" and self.legend_h > 0, self.legend_h),
                               ("footnotes", bool(self.footnote_text), self.footnote_h),
                               ("caption", bool(spec.caption), self.caption_h)):
            if shown:
                regions[name] = QRectF(self.margin, top, inner, h)
                top += self._block(h)
        return regions

    def paint_headers(self, painter: QPainter) -> None:
        """Case header rows as bands across the whole width, lane-name column included (figure_text)."""
        paint_case_headers(painter, self.plot, self.plot_top, float(self.margin), self.spec.theme)

    def close(self) -> None:
        self.plot.hide()
        self.plot.setParent(None)
        self.plot.deleteLater()


def _font(theme: Theme, pixels: float, bold: bool = False) -> QFont:
    font = QFont(theme.font_family)
    font.setPixelSize(max(1, round(pixels)))
    font.setBold(bold)
    return font


def _min_row_px(plot: object) -> float:
    """Rows shorter than this would put labels over the marks: the layout's floor."""
    state = plot.paint_state  # type: ignore[attr-defined]
    return QFontMetricsF(state.label_font).height() * FIGURE_ROW_LINES if state is not None else 8.0


def _least_row_px(plot: object) -> float:
    """The floor of a fixed height: rows of 1.6 label lines (labels then sit over the marks, on a halo), and
    at least one line of the lane names (fewer would run a name into the next)."""
    state = plot.paint_state  # type: ignore[attr-defined]
    font = plot.lane_axis.style.get("tickFont")  # type: ignore[attr-defined]
    name_line = QFontMetricsF(font).lineSpacing() if font is not None else 0.0
    return max(QFontMetricsF(state.label_font).height() * 1.6 if state is not None else 8.0, name_line)


def settle() -> None:
    app = QApplication.instance()
    if app is not None:
        app.processEvents()


@contextmanager
def built_figure(spec: FigureSpec) -> Iterator[Figure]:
    """A laid-out Figure, closed (its offscreen plot deleted) on leaving."""
    figure = Figure(spec)
    try:
        yield figure
    finally:
        figure.close()


def figure_image(figure: Figure) -> QImage:
    image = QImage(figure.width_px, figure.height_px, QImage.Format.Format_ARGB32_Premultiplied)
    if image.isNull():
        raise ExportError(f"cannot allocate a {figure.width_px} x {figure.height_px} px image")
    dots_per_meter = round(figure.spec.dpi / MM_PER_INCH * 1000)
    image.setDotsPerMeterX(dots_per_meter)
    image.setDotsPerMeterY(dots_per_meter)
    image.setDevicePixelRatio(1.0)
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        figure.paint(painter)
    finally:
        painter.end()
    return image


def render_figure(view: ViewState, request: FigureRequest | None = None) -> QImage:
    """The figure as a QImage (what a PNG export writes): for previews."""
    spec = resolve_spec(view, request)
    with built_figure(spec) as figure:
        return figure_image(figure)
