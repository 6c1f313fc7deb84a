"""Teaching slides: one PNG per reveal step (``caseline export --reveal-steps DIR``).

Each slide is the export figure (caseline.render.export) of the same cases with the events of
that step revealed, the new ones ringed, and the step's caption under the plot. Every slide
keeps the whole time range of the case, so the axis does not move between clicks.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from dataclasses import dataclass

from caseline.model.case import Category
from caseline.timeline.layout import LayoutOptions, build_layout
from caseline.timeline.resolved import ResolvedCase
from caseline.timeline.reveal import HOLD_BACK_NOTICE, RevealPlan, held_back_view, reveal_key

#: Type sizes tried, largest first, until the lanes fit the slide (144 dpi: 20 pt labels are
#: 40 px on a 1080 px slide, readable from the back of a room).
SLIDE_DPIS = (144.0, 120.0, 108.0, 96.0)
#: While the suspected drug is held back, it is drawn as one of the drugs: not "other" drugs.
HELD_BACK_TITLES = {Category.DRUG: "Drugs"}


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
) -> list[SlideInfo]:
    """Write step-001.png, step-002.png, … into ``directory`` (created if missing).

    ``ghost`` draws the events still to come faintly instead of leaving them out. Slides of
    earlier runs with higher numbers are removed, so the folder holds exactly this deck.
    Raises render.export.ExportError when the cases cannot be drawn on a slide.
    """
    from caseline.render import export
    from caseline.render_safe import atomic_write_bytes

    cases = list(cases)
    if deidentified:
        from caseline.timeline.deidentify import deidentify_cases

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
    lo, hi = full.x_range
    pad = 0.03 * (hi - lo)
    time_range = (lo - pad, hi + pad)
    keys = [reveal_key(item) for item in full.items]
    written: list[SlideInfo] = []
    dpi = _fitting_dpi(cases, options, width_px, height_px, theme, time_range, plan)
    for number, step in enumerate(plan.steps, start=1):
        shown = neutral if step.neutral else cases
        step_options = options if ghost else dataclasses.replace(options, revealed=step.revealed_item_ids)
        caption = step.caption
        if step.neutral:
            caption = f"{caption}\n{HOLD_BACK_NOTICE}"
        spec = export.resolve_spec(shown, width_px=width_px, height_px=height_px, dpi=dpi, theme=theme,
                                   options=step_options, time_range=time_range, axis_mode=axis_mode,
                                   title=_title(shown, number, len(plan.steps)), caption=caption)
        with export.built_figure(shown, spec) as figure:
            plot = figure.plot
            if step.neutral:
                plot.category_titles = dict(HELD_BACK_TITLES)
                plot._update_legend()
            ghosted = {i for i, k in enumerate(keys) if k not in step.revealed_item_ids} if ghost else set()
            plot.set_reveal(ghosted, {i for i, k in enumerate(keys) if k in step.new_item_ids})
            export._settle()
            data = export._png_bytes(figure)
            height = figure.height_px
        path = os.path.join(directory, slide_name(number))
        atomic_write_bytes(path, data)
        written.append(SlideInfo(path, number, width_px, height, dpi))
    _remove_stale(directory, len(plan.steps))
    return written


def _title(cases: Sequence[ResolvedCase], number: int, total: int) -> str:
    what = cases[0].case.title if len(cases) == 1 else f"{len(cases)} cases"
    return f"{what}  ·  step {number} of {total}"


def _fitting_dpi(cases: list[ResolvedCase], options: LayoutOptions, width_px: int, height_px: int, theme: str,
                 time_range: tuple[float, float], plan: RevealPlan) -> float:
    """The largest type (dpi) at which the lanes and the longest caption fit the slide."""
    from caseline.render import export

    longest = max((s.caption for s in plan.steps), key=lambda c: (c.count("\n"), len(c)), default="")
    longest += "\n" + HOLD_BACK_NOTICE if plan.hold_back else ""
    problem: export.ExportError | None = None
    for dpi in SLIDE_DPIS:
        spec = export.resolve_spec(cases, width_px=width_px, height_px=height_px, dpi=dpi, theme=theme,
                                   options=options, time_range=time_range, title=_title(cases, 99, 99),
                                   caption=longest)
        try:
            with export.built_figure(cases, spec):
                return dpi
        except export.ExportError as exc:
            problem = exc
    assert problem is not None
    raise export.ExportError(f"{problem} (slides: export fewer cases, or hide lanes)")


def _remove_stale(directory: str, count: int) -> None:
    number = count + 1
    while os.path.exists(path := os.path.join(directory, slide_name(number))):
        os.remove(path)
        number += 1
