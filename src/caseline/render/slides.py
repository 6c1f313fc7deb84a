"""Teaching slides: one PNG per reveal step (``caseline export --reveal-steps DIR``).

Each slide is the export figure (caseline.render.figure) of the same cases with the events of
that step revealed, the new ones ringed, and the step's caption under the plot. Every slide
keeps the whole time range of the case, so the axis does not move between clicks.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter

from caseline.analysis.reveal import RevealPlan, Step, reveal_key
from caseline.layout.timeline_layout import build_layout
from caseline.render.exporters import encode_png
from caseline.render.qt_app import ensure_app
from caseline.timeline.resolved import ResolvedCase
from caseline.view_state import ViewState, reveal_changes

#: Type sizes tried, largest first, until the lanes fit the slide (144 dpi: 20 pt labels are
#: 40 px on a 1080 px slide; 96 dpi, 27 px, is the smallest that still reads from the back of a
#: room, so a case with more lanes than that is refused rather than shrunk).
SLIDE_DPIS = (144.0, 132.0, 120.0, 108.0, 96.0)


@dataclass(frozen=True)
class SlideInfo:
    path: str
    step: int  # 1-based
    width_px: int
    height_px: int
    dpi: float


def slide_name(step: int) -> str:
    return f"step-{step:03d}.png"


def write_reveal_slides(view: ViewState, directory: str | os.PathLike[str], width_px: int = 1920,
                        height_px: int = 1080, theme: str = "projector", hold_back: bool = False,
                        ghost: bool = False) -> list[SlideInfo]:
    """Write step-001.png, step-002.png, … of ``view`` into ``directory`` (created if missing).

    The view gives the cases, their arrangement, the lanes, the axis, the time range (None: every
    slide shows the whole range) and whether it is de-identified. ``ghost`` draws the events still to
    come faintly instead of leaving them out; ``hold_back`` keeps the suspected drug and the outcome for
    the last slide. Slides of earlier runs with higher numbers are removed, so the folder holds exactly
    this deck. Raises render.figure.ExportError when the cases cannot be drawn on a slide.
    """
    from caseline.io.atomic_write import atomic_write_bytes
    from caseline.render import figure as export

    if not view.cases:
        raise export.ExportError("nothing to export: no cases")
    directory = os.fspath(directory)
    if os.path.exists(directory) and not os.path.isdir(directory):
        raise export.ExportError(f"{directory} is not a folder")
    os.makedirs(directory, exist_ok=True)
    base = view.copy(hold_back=False, revealed=None, ghosted=frozenset(), highlighted=frozenset(), selected=None)
    shown = base.shown()
    if shown.problem:  # the de-identified view could not be made: no slide is written (fails closed)
        raise export.ExportError(shown.problem)
    plan = plan_of(base, hold_back)
    if base.time_range is None:
        lo, hi = build_layout(shown.cases, shown.options).x_range
        pad = 0.03 * (hi - lo)
        base = base.copy(time_range=(lo - pad, hi + pad))
    written: list[SlideInfo] = []
    ensure_app()
    bar = CaptionBar(width_px, plan.steps)
    figure_h = height_px - bar.height
    dpi = _fitting_dpi(base, width_px, figure_h, theme)
    for number, (step, step_view) in enumerate(step_views(base, plan, ghost), start=1):
        request = export.FigureRequest(width_px=width_px, height_px=figure_h, dpi=dpi, theme=theme, title="",
                                       caption="")
        with export.built_figure(export.resolve_spec(step_view, request)) as figure:
            figure.plot.set_legend_full_width(True)
            export.settle()
            image = QImage(width_px, height_px, QImage.Format.Format_RGB32)
            image.fill(QColor(figure.spec.theme.background))
            painter = QPainter(image)
            try:
                painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
                painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
                figure.paint(painter)
                bar.paint(painter, figure_h, step, number, len(plan.steps), _title(figure.plot.cases))
            finally:
                painter.end()
        path = os.path.join(directory, slide_name(number))
        atomic_write_bytes(path, encode_png(image, dpi))
        written.append(SlideInfo(path, number, width_px, height_px, dpi))
    _remove_stale(directory, len(plan.steps))
    return written


class CaptionBar:
    """The band under a slide: the step's time in large type, what is new, the step count."""

    PAD = 14
    HEADING_PX = 46  # about 23 pt on a 16:9 slide: readable from the back of a room
    BODY_PX = 38
    MIN_BODY_PX = 24  # a step with many events gets smaller type rather than "… and 3 more"
    MAX_BODY_LINES = 3

    def __init__(self, width_px: int, steps: Sequence[Step] = ()) -> None:
        self.width_px = width_px
        self.heading_font = _font(self.HEADING_PX, bold=True)
        self.body_font = _font(self.BODY_PX)
        self.small_font = _font(round(self.BODY_PX * 0.8))
        self.heading_h = math.ceil(QFontMetricsF(self.heading_font).height())
        self.body_h = math.ceil(QFontMetricsF(self.body_font).lineSpacing())
        inner = width_px - 2 * self.PAD
        fm = QFontMetricsF(self.body_font)
        # the band is as tall as the deck's longest caption needs (up to three lines), on every slide
        self.body_lines = max([1, *(min(self.MAX_BODY_LINES, len(_wrap(_body(step), fm, inner, 99)))
                                    for step in steps)])
        self.height = self.PAD * 2 + self.heading_h + self.body_lines * self.body_h + 6

    def body_font_for(self, text: str) -> QFont:
        """The largest body type at which ``text`` fits the band's lines."""
        inner = self.width_px - 2 * self.PAD
        for px in range(self.BODY_PX, self.MIN_BODY_PX - 1, -2):
            font = _font(px)
            if len(_wrap(text, QFontMetricsF(font), inner, 99)) * QFontMetricsF(font).lineSpacing() \
                    <= self.body_lines * self.body_h + 0.5:
                return font
        return _font(self.MIN_BODY_PX)

    def paint(self, p: QPainter, top: float, step: Step, number: int, total: int, title: str) -> None:
        width = float(self.width_px)
        p.fillRect(QRectF(0, top, width, self.height), QColor("#1F1F1F"))
        inner = width - 2 * self.PAD
        y = top + self.PAD
        p.setPen(QColor("#FFFFFF"))
        p.setFont(self.heading_font)
        heading = step.title
        p.drawText(QRectF(self.PAD, y, inner, self.heading_h), int(Qt.AlignmentFlag.AlignLeft), heading)
        heading_w = QFontMetricsF(self.heading_font).horizontalAdvance(heading) + 40
        right = f"{title}  ·  {number}/{total}"
        if step.neutral:
            right = f"outcome and culprit drug held back  ·  {right}"
        p.setFont(self.small_font)
        p.setPen(QColor("#D0D0D0"))
        fm_small = QFontMetricsF(self.small_font)
        right = fm_small.elidedText(right, Qt.TextElideMode.ElideMiddle, max(10.0, inner - heading_w))
        p.drawText(QRectF(self.PAD, y, inner, self.heading_h),
                   int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), right)
        y += self.heading_h + 6
        p.setPen(QColor("#FFFFFF"))
        text = _body(step)
        font = self.body_font_for(text)
        p.setFont(font)
        fm = QFontMetricsF(font)
        line_h = fm.lineSpacing()
        lines = max(1, int((self.body_lines * self.body_h + 0.5) // line_h))
        for line in _wrap(text, fm, inner, lines):
            p.drawText(QRectF(self.PAD, y, inner, line_h), int(Qt.AlignmentFlag.AlignLeft), line)
            y += line_h


def _body(step: Step) -> str:
    """Every event a step reveals, in one paragraph."""
    return "   ·   ".join(step.caption.split("\n")[1:])


def _wrap(text: str, fm: QFontMetricsF, width: float, max_lines: int) -> list[str]:
    """Words in lines no wider than ``width``; the last line elided when there is more."""
    lines: list[list[str]] = []
    for word in text.split(" "):
        if lines and fm.horizontalAdvance(" ".join([*lines[-1], word])) <= width:
            lines[-1].append(word)
        else:
            lines.append([word])
    out = [" ".join(words) for words in lines[: max_lines - 1]]
    rest = " ".join(" ".join(words) for words in lines[max_lines - 1:])
    if rest:
        out.append(fm.elidedText(rest, Qt.TextElideMode.ElideRight, width))
    return out


def _font(pixels: int, bold: bool = False) -> QFont:
    from caseline.theme import PROJECTOR

    font = QFont(PROJECTOR.font_family)
    font.setPixelSize(pixels)
    font.setBold(bold)
    return font


def _title(cases: Sequence[ResolvedCase]) -> str:
    return cases[0].case.title if len(cases) == 1 else f"{len(cases)} cases"


def plan_of(view: ViewState, hold_back: bool) -> RevealPlan:
    """The reveal plan of what ``view`` draws outside teaching (de-identified or not)."""
    shown = view.copy(hold_back=False, revealed=None, ghosted=frozenset(), highlighted=frozenset()).shown()
    return RevealPlan.build(shown.cases, shown.options.shifts, hold_back=hold_back)


def step_views(view: ViewState, plan: RevealPlan, ghost: bool) -> list[tuple[Step, ViewState]]:
    """Each step of ``plan`` with the view its slide draws (the same fields presentation mode sets)."""
    shown = view.shown()
    every = frozenset(reveal_key(item) for case in shown.cases for item in case.items)
    return [(step, view.copy(**reveal_changes(step, every, ghost))) for step in plan.steps]


def _fitting_dpi(view: ViewState, width_px: int, height_px: int, theme: str) -> float:
    """The largest type (dpi) at which every lane fits the slide."""
    from caseline.render import figure as export

    problem: export.ExportError | None = None
    for dpi in SLIDE_DPIS:
        request = export.FigureRequest(width_px=width_px, height_px=height_px, dpi=dpi, theme=theme, title="",
                                       caption="")
        try:
            with export.built_figure(export.resolve_spec(view, request)):
                return dpi
        except export.ExportError as exc:
            problem = exc
    assert problem is not None
    raise export.ExportError(f"{problem} (slides: export fewer cases, or hide lanes)")


def _remove_stale(directory: str, count: int) -> None:
    """Remove slides numbered past ``count`` left by an earlier, longer deck."""
    for name in os.listdir(directory):
        match = re.fullmatch(r"step-(\d{3,})\.png", name)
        if match and int(match.group(1)) > count:
            os.remove(os.path.join(directory, name))
