"""The legend: the categories and glyphs a layout draws, as HTML for the plot's title row."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from caseline.layout import timeline_layout as L
from caseline.model.kinds import Category, Glyph
from caseline.render.track_labels import track_legend
from caseline.theme import Theme

#: What each glyph means, in legend order (a test checks every Glyph has an entry).
GLYPH_LEGEND = (
    (Glyph.DOSE, "▮", "administration"),
    (Glyph.TRIANGLE, "▲", "onset"),
    (Glyph.DIAMOND, "◆", "investigation (hollow ◇ = normal)"),
    (Glyph.CIRCLE, "○", "course change"),
    (Glyph.STOP, "┳", "drug stopped"),
    (Glyph.RESTART, "▶", "drug restarted"),
    (Glyph.FLAG, "⚑", "milestone"),
    (Glyph.CROSS, "✝", "death"),
    (Glyph.PHASE, "▼", "new phase / dose change"),
    (Glyph.ABSENT, "⊘", "stated absent"),
)


#: Shorter words for a printed figure's legend, where every line costs the plot height.
TERSE = {"investigation (hollow ◇ = normal)": "investigation (◇ normal)", "drug stopped": "stopped",
         "drug restarted": "restarted", "later, gap not stated": "gap not stated"}


def _present(*codes: np.ndarray) -> np.ndarray:
    """Of small non-negative integer codes, which occur (a boolean per code)."""
    seen = np.zeros(1, dtype=bool)
    for c in codes:
        if c.size:
            counts = np.bincount(np.asarray(c, dtype=np.int64))
            if counts.size > seen.size:
                seen = np.concatenate((seen, np.zeros(counts.size - seen.size, dtype=bool)))
            seen[: counts.size] |= counts > 0
    return seen


def legend_entries(layout: L.TimelineLayout, terse: bool = False) -> tuple[list[int], list[tuple[str, str]]]:
    """Categories (indices into CATEGORY_ORDER) and glyphs (symbol, meaning) present in a layout; ``terse``
    words them for a printed figure."""
    # which small codes occur: counts, not a sort (a switch of alignment at 200 cases asks for 80,000 marks)
    categories = np.flatnonzero(_present(layout.bars.color, layout.points.color)).tolist()
    styles = layout.points.style
    codes = set(np.flatnonzero(_present(styles & L.GLYPH_MASK)).tolist())
    glyphs = [(sym, text) for code, sym, text in GLYPH_LEGEND if code in codes]
    if np.any(((styles & L.GLYPH_MASK) == int(Glyph.RESTART)) & ((styles & int(L.PointFlag.ABNORMAL)) == 0)):
        glyphs.append(("▷", "re-exposure, reaction did not recur"))
    marks = layout.points.style
    if (((marks & L.GLYPH_MASK) == int(Glyph.DIAMOND)) & ((marks & int(L.PointFlag.UNSTATED)) != 0)).any():
        glyphs.append(("◌", "investigation, not interpreted"))  # dotted: a result the source does not interpret
    if len(layout.whiskers):
        glyphs.append(("├┤", "uncertain time"))
        if np.any(layout.whiskers.style & int(L.WhiskerEnd.OPEN_START | L.WhiskerEnd.OPEN_END)):
            glyphs.append(("⇢", "later, gap not stated"))
    glyphs.extend(track_legend(layout))  # numeric tracks (render.track_labels)
    if terse:
        glyphs = [(sym, TERSE.get(text, text)) for sym, text in glyphs]
    return categories, glyphs


def legend_parts(layout: L.TimelineLayout, theme: Theme,
                 titles: Mapping[Category, str] | None = None) -> list[tuple[str, str]]:
    """(html, plain text) of each legend entry, categories first; ``titles`` overrides category titles."""
    from caseline.model.kinds import CATEGORY_ORDER, CATEGORY_TITLES

    categories, glyphs = legend_entries(layout, terse=theme.name == "print")  # the print theme: figures
    parts = []
    for c in categories:
        category = CATEGORY_ORDER[c]
        color = theme.category_color(category)
        title = (titles or {}).get(category, CATEGORY_TITLES[category])
        parts.append((f"<span style='color:{color}'>■</span>&nbsp;{_nbsp(title)}", f"■ {title}"))
    for sym, text in glyphs:
        parts.append((f"{sym}&nbsp;{_nbsp(text)}", f"{sym} {text}"))
    return parts


def legend_html(layout: L.TimelineLayout, theme: Theme, titles: Mapping[Category, str] | None = None) -> str:
    """The legend as HTML; entries never break inside, lines wrap between entries."""
    # the break goes after the spacing, so a wrapped line never starts indented
    return "&nbsp;&nbsp;&nbsp; ".join(h for h, _ in legend_parts(layout, theme, titles))


def plot_legend_html(layout: object, theme: Theme, titles: Mapping[Category, str] | None = None) -> str:
    """The legend of a plot's layout, a swimmer plot's or a lanes plot's (what the plot draws above itself)."""
    from caseline.layout.swimmer import SwimmerLayout
    from caseline.render.swimmer_legend import swimmer_legend_html

    if isinstance(layout, SwimmerLayout):
        return swimmer_legend_html(layout, theme)
    assert isinstance(layout, L.TimelineLayout)
    return legend_html(layout, theme, titles)


def _nbsp(text: str) -> str:
    import html

    return html.escape(text).replace(" ", "&nbsp;")
