"""The legend of a swimmer figure: what each mark of a row means, in the colours it is drawn in."""

from __future__ import annotations

import html

from caseline.layout.swimmer import SwimmerLayout
from caseline.theme import Theme


def swimmer_legend_parts(layout: SwimmerLayout, theme: Theme) -> list[tuple[str, str]]:
    """(html, plain text) of each entry the layout uses."""
    parts = []
    for category, symbol, meaning in layout.legend:
        color = theme.category_color(category) if category is not None else theme.foreground
        text = html.escape(meaning).replace(" ", "&nbsp;")
        parts.append((f"<span style='color:{color}'>{html.escape(symbol)}</span>&nbsp;{text}", f"{symbol} {meaning}"))
    return parts


def swimmer_legend_html(layout: SwimmerLayout, theme: Theme) -> str:
    """The legend as HTML; entries never break inside, lines wrap between entries."""
    return "&nbsp;&nbsp;&nbsp; ".join(h for h, _ in swimmer_legend_parts(layout, theme))
