"""Teaching slides: one PNG per reveal step (``caseline export --reveal-steps DIR``).

Each slide is the export figure (caseline.render.figure) of the same cases with the events of
that step revealed, the new ones ringed, and the step's caption under the plot. Every slide
keeps the whole time range of the case, so the axis does not move between clicks.
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter

from caseline.analysis.reveal import (
    HELD_BACK_CATEGORY_TITLES,
    RevealPlan,
    Step,
    held_back_labels,
    held_back_view,
    reveal_key,
)
from caseline.layout.timeline_layout import LayoutOptions, build_layout
from caseline.render.exporters import encode_png
from caseline.render.qt_app import ensure_app
from caseline.timeline.resolved import ResolvedCase

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


def write_reveal_slides(
    cases: Sequence[ResolvedCase],
    directory: str | os.PathLike[str],
    width_px: int = 1920,
    height_px: int = 1080,
    theme: str = "projector",
    hold_back: bool = False,
    deidentified: bool = False,
    options: LayoutOptions | None = None,
    ghost: bool = False,
    axis_mode: str = "days",
    time_range: tuple[float, float] | None = None,
    view: Mapping[str, object] | None = None,
) -> list[SlideInfo]:
    """Write step-001.png, step-002.png, … into ``directory`` (created if missing).

    ``ghost`` draws the events still to come faintly instead of leaving them out; ``time_range``
    (days) narrows every slide to the same window; ``view`` is render.figure's view settings
    (alignment title, header notes) of a comparison. Slides of
    earlier runs with higher numbers are removed, so the folder holds exactly this deck.
    Raises render.figure.ExportError when the cases cannot be drawn on a slide.
    """
    from caseline.io.atomic_write import atomic_write_bytes
    from caseline.render import figure as export

    cases = list(cases)
    if deidentified:
        from caseline.analysis.deidentify import deidentify_cases

        cases = deidentify_cases(cases)
    if not cases:
        raise export.ExportError("nothing to export: no cases")
    options = dataclasses.replace(options or LayoutOptions(), revealed=None)
    directory = os.fspath(directory)
    if os.path.exists(directory) and not os.path.isdir(directory):
        raise export.ExportError(f"{directory} is not a folder")
    os.makedirs(directory, exist_ok=True)
    plan = RevealPlan.build(cases, options.shifts, hold_back=hold_back)
    neutral = held_back_view(cases) if hold_back else cases
    full = build_layout(cases, options)
    if time_range is None:
        lo, hi = full.x_range
        pad = 0.03 * (hi - lo)
        time_range = (lo - pad, hi + pad)
    view = dict(view or {})
    if deidentified:
        view["deidentified"] = True
        view.pop("shared_origin", None)
    notes, subject = held_back_labels(dict(view.get("header_notes") or {}),  # type: ignore[call-overload]
                                      str(view.get("align_title") or ""))
    neutral_view = {**view, "header_notes": notes, "align_title": subject}
    keys = [reveal_key(item) for item in full.items]
    written: list[SlideInfo] = []
    ensure_app()
    bar = CaptionBar(width_px)
    figure_h = height_px - bar.height
    dpi = _fitting_dpi(cases, options, width_px, figure_h, theme, time_range)
    for number, step in enumerate(plan.steps, start=1):
        shown = neutral if step.neutral else cases
        step_options = options if ghost else dataclasses.replace(options, revealed=step.revealed_item_ids)
        spec = export.resolve_spec(shown, width_px=width_px, height_px=figure_h, dpi=dpi, theme=theme,
                                   options=step_options, time_range=time_range, axis_mode=axis_mode,
                                   title="", caption="", view=neutral_view if step.neutral else view)
        with export.built_figure(shown, spec) as figure:
            plot = figure.plot
            plot.set_legend_full_width(True)
            if step.neutral:
                plot.category_titles = dict(HELD_BACK_CATEGORY_TITLES)
                plot._update_legend()
            ghosted = {i for i, k in enumerate(keys) if k not in step.revealed_item_ids} if ghost else set()
            plot.set_reveal(ghosted, {i for i, k in enumerate(keys) if k in step.new_item_ids})
            export.settle()
            image = QImage(width_px, height_px, QImage.Format.Format_RGB32)
            image.fill(QColor(figure.spec.theme.background))
            painter = QPainter(image)
            try:
                painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
                painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
                figure.paint(painter)
                bar.paint(painter, figure_h, step, number, len(plan.steps), _title(shown))
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
    BODY_LINES = 1

    def __init__(self, width_px: int) -> None:
        self.width_px = width_px
        self.heading_font = _font(self.HEADING_PX, bold=True)
        self.body_font = _font(self.BODY_PX)
        self.small_font = _font(round(self.BODY_PX * 0.8))
        self.heading_h = math.ceil(QFontMetricsF(self.heading_font).height())
        self.body_h = math.ceil(QFontMetricsF(self.body_font).lineSpacing())
        self.height = self.PAD * 2 + self.heading_h + self.BODY_LINES * self.body_h + 6

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
        p.setFont(self.body_font)
        entries = step.caption.split("\n")[1:]
        fm = QFontMetricsF(self.body_font)
        for line in _wrap("   ·   ".join(entries), fm, inner, self.BODY_LINES):
            p.drawText(QRectF(self.PAD, y, inner, self.body_h), int(Qt.AlignmentFlag.AlignLeft), line)
            y += self.body_h


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


def _fitting_dpi(cases: list[ResolvedCase], options: LayoutOptions, width_px: int, height_px: int, theme: str,
                 time_range: tuple[float, float]) -> float:
    """The largest type (dpi) at which every lane fits the slide."""
    from caseline.render import figure as export

    problem: export.ExportError | None = None
    for dpi in SLIDE_DPIS:
        spec = export.resolve_spec(cases, width_px=width_px, height_px=height_px, dpi=dpi, theme=theme,
                                   options=options, time_range=time_range, title="", caption="")
        try:
            with export.built_figure(cases, spec):
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
