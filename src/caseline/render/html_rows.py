"""(field, text) rows of caseline.analysis.wording as HTML: for tooltips and the details panel."""

from __future__ import annotations

import html
from collections.abc import Sequence


def rows_html(rows: Sequence[tuple[str, str]], style: str = "tooltip", heading_level: int = 3) -> str:
    """``style`` 'tooltip': compact lines; 'panel': a heading, then a paragraph per field."""
    out = []
    for key, value in rows:
        if style == "tooltip":
            out.append(f"<b>{html.escape(value)}</b>" if not key
                       else f"<span style='color:#555'>{html.escape(key)}:</span> {html.escape(value)}")
        elif not key:
            out.append(f"<h{heading_level}>{html.escape(value)}</h{heading_level}>")
        else:
            out.append(f"<p><b>{html.escape(key)}</b><br>{html.escape(value)}</p>")
    return "<br>".join(out) if style == "tooltip" else "\n".join(out)
