"""Colours, fonts and sizes for the screen, print and projector themes.

Category colours come from the Okabe-Ito palette (safe for the common colour-vision
deficiencies) and are the same in every case and every theme, so a colour always means the
same category. Pure data: Qt objects are made from these by the render items.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from caseline.model.kinds import CATEGORY_ORDER, Category

#: Okabe & Ito (2008) colour-blind-safe palette.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
}

CATEGORY_COLORS: dict[Category, str] = {
    Category.SUSPECT: OKABE_ITO["vermillion"],
    Category.DRUG: OKABE_ITO["blue"],
    Category.SYMPTOM: OKABE_ITO["purple"],
    Category.INVESTIGATION: OKABE_ITO["green"],
    Category.RESCUE: OKABE_ITO["orange"],
    Category.PROCEDURE: OKABE_ITO["sky"],
    Category.OUTCOME: "#4D4D4D",
}


@dataclass(frozen=True)
class Theme:
    name: str
    background: str
    foreground: str
    muted: str  # secondary text, grid
    band: str  # alternate lane shading
    header_band: str
    font_family: str
    font_pt: float  # labels
    axis_font_pt: float
    title_font_pt: float
    line_px: float  # outline and whisker width
    glyph_px: float  # glyph size
    bar_fraction: float  # bar height as a fraction of a row
    row_px: float  # preferred row height on screen
    label_halo: bool = True

    def category_color(self, category: Category) -> str:
        return CATEGORY_COLORS[category]

    def colors(self) -> list[str]:
        return [CATEGORY_COLORS[c] for c in CATEGORY_ORDER]

    def scaled(self, factor: float) -> Theme:
        """The same theme with type and marks scaled (exports at a given size)."""
        return replace(
            self,
            font_pt=self.font_pt * factor,
            axis_font_pt=self.axis_font_pt * factor,
            title_font_pt=self.title_font_pt * factor,
            line_px=self.line_px * factor,
            glyph_px=self.glyph_px * factor,
            row_px=self.row_px * factor,
        )


SCREEN = Theme(
    name="screen", background="#FFFFFF", foreground="#1A1A1A", muted="#8A8A8A", band="#F3F4F6",
    header_band="#E4E7EC", font_family="DejaVu Sans", font_pt=9.0, axis_font_pt=9.0, title_font_pt=10.5,
    line_px=1.0, glyph_px=11.0, bar_fraction=0.36, row_px=30.0,
)
PRINT = replace(
    SCREEN, name="print", foreground="#000000", muted="#666666", band="#F5F5F5", header_band="#E6E6E6",
    font_pt=7.0, axis_font_pt=7.0, title_font_pt=8.0, glyph_px=9.0, row_px=22.0,
)
PROJECTOR = replace(
    SCREEN, name="projector", foreground="#000000", muted="#404040", band="#EDEDED", header_band="#D9D9D9",
    font_pt=20.0, axis_font_pt=18.0, title_font_pt=24.0, line_px=3.0, glyph_px=26.0, bar_fraction=0.46,
    row_px=64.0,
)
THEMES: dict[str, Theme] = {t.name: t for t in (SCREEN, PRINT, PROJECTOR)}


def theme(name: str) -> Theme:
    try:
        return THEMES[name]
    except KeyError:
        raise ValueError(f"unknown theme {name!r}: use one of {', '.join(THEMES)}") from None


@dataclass(frozen=True)
class Preset:
    """A figure size of the export dialog and ``caseline export --preset``: in mm (height None: as tall as
    the lanes need) or in exact pixels, at a DPI, in a theme."""

    label: str
    width_mm: float | None
    height_mm: float | None
    width_px: int | None
    height_px: int | None
    dpi: float
    theme: str


PRESETS: dict[str, Preset] = {
    "single": Preset("Single column (85 mm)", 85.0, None, None, None, 300.0, "print"),
    "double": Preset("Double column (174 mm)", 174.0, None, None, None, 300.0, "print"),
    # 1920 px over a 13.33 in (16:9) slide is 144 dpi: projector type stays readable from the back
    "slide": Preset("16:9 slide (1920 x 1080 px)", None, None, 1920, 1080, 144.0, "projector"),
}
