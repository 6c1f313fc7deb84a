"""The text of a figure beyond the plot's own: its caption, case titles across the full width (on two lines
when long), lane names wrapped (and long words hyphenated) to a share of the width, and the check that a font
is installed."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter

from caseline.layout import timeline_layout as L
from caseline.render.painting import RenderState, elide
from caseline.theme import Theme
from caseline.timeline.resolved import ResolvedCase

if TYPE_CHECKING:
    from caseline.render.timeline_plot import TimelinePlot


#: The lane-name column wraps names longer than this share of the figure's width (or this many mm) ...
LANE_COLUMN_FRACTION = 0.2
LANE_COLUMN_MIN_MM = 18.0
#: ... and widens up to this share (ticks included) for a name that needs more lines than its row is tall; one
#: that does not fit even then is elided and given in full in the figure's footnotes.
LANE_COLUMN_MAX_FRACTION = 0.3


def citation_caption(cases: Sequence[ResolvedCase]) -> str:
    """'Source: …' listing each distinct citation of the cases once ('' when none is given)."""
    seen: list[str] = []
    for case in cases:
        citation = case.case.citation
        text = citation.full() or citation.short()
        if text and text not in seen:
            seen.append(text)
    if not seen:
        return ""
    return ("Source: " if len(seen) == 1 else "Sources: ") + "; ".join(seen)


#: Caption words a request may give instead of text: cite the sources, the time to onset across the cases, both.
CAPTION_KEYWORDS = ("auto", "onset", "auto+onset")


def figure_caption(cases: Sequence[ResolvedCase], caption: str | None) -> str:
    """The caption text of a request: its own text as typed, or what a keyword of CAPTION_KEYWORDS asks for
    ('onset': the time to onset across the cases, caseline.analysis.onset_summary), each part a sentence:
    'Sources: …; Schmitt. Time to onset …' (not '… Schmitt Time to onset …')."""
    if caption not in CAPTION_KEYWORDS:
        return caption or ""
    parts = [citation_caption(cases)] if caption.startswith("auto") else []
    if caption.endswith("onset"):
        from caseline.analysis.onset_summary import summary_sentence

        parts.append(summary_sentence(cases))
    return " ".join(as_sentence(p) for p in parts if p.strip())


def as_sentence(text: str) -> str:
    """``text`` ending in a full stop, unless it already ends a sentence ('… 2019.', '… (PMID 1).', '…?')."""
    text = text.strip()
    return text if re.search(r"[.!?…][\"'”’)\]]*$", text) else text + "."


def wrap_text(text: str, fm: QFontMetricsF, width: float, hyphenate: bool = False) -> str:
    """``text`` on lines no wider than ``width`` where it can break (after spaces, slashes and hyphens);
    a word wider than that keeps its line, or with ``hyphenate`` is broken with a hyphen."""
    if fm.horizontalAdvance(text) <= width:
        return text
    words: list[str] = []
    glue = False  # a word of one or two letters keeps to the next ('38 F', not '38' then 'F')
    for word in re.findall(r"[^\s/-]+[/-]?\s*|[/-]\s*", text):
        if glue and words:
            words[-1] += word
        else:
            words.append(word)
        glue = len(word.strip()) <= 2
    if len(words) > 1 and len(words[-1].strip()) <= 2:  # nor ends a name on a line of its own
        words[-2:] = [words[-2] + words[-1]]
    if hyphenate:
        words = [part for word in words for part in _hyphenated(word, fm, width)]
    lines: list[str] = []
    line = ""
    for word in words:
        if line and fm.horizontalAdvance((line + word).rstrip()) > width:
            lines.append(line.rstrip())
            line = ""
        line += word
    if line.strip():
        lines.append(line.rstrip())
    return "\n".join(lines)


def fit_lane_names(names: Sequence[str], fm: QFontMetricsF, cap: float, most: float, lines: int
                   ) -> tuple[list[str], list[str]]:
    """``names`` as the lane axis draws them: wrapped to a column ``cap`` px wide (a name wraps only past the
    widest word any name has, unless that word is much wider than ``cap``: then it is hyphenated), on at most
    ``lines`` lines each (what their row's height holds: more would run into the next row's name). A name that
    needs more lines gets a column as much wider as it needs, up to ``most``; one that does not fit even then is
    elided ('Methylpredni…'). Returns the drawn texts and the names elided (once each, for the footnotes)."""
    words = [w for name in names for w in re.split(r"[\s/-]+", name) if w]
    widest_word = max([0.0, *(fm.horizontalAdvance(w) for w in words)])
    hyphenate = widest_word > cap * 1.15
    if not hyphenate:
        cap = max(cap, widest_word)
    most = max(most, cap)

    def fits(name: str, width: float) -> bool:
        return wrap_text(name, fm, width, hyphenate).count("\n") < lines

    width = cap
    for name in dict.fromkeys(names):
        if fits(name, width):
            continue
        if not fits(name, most):
            width = most
            continue
        lo, hi = width, most
        while hi - lo > 1.0:  # the narrowest column that holds it (fewer lines never need a narrower one)
            mid = (lo + hi) / 2
            lo, hi = (lo, mid) if fits(name, mid) else (mid, hi)
        width = hi
    drawn, elided = [], []
    for name in names:
        text = wrap_text(name, fm, width, hyphenate)
        if text.count("\n") >= lines:
            text = _elided(name, fm, width, lines)
            if name not in elided:
                elided.append(name)
        drawn.append(text)
    return drawn, elided


def _elided(name: str, fm: QFontMetricsF, width: float, lines: int) -> str:
    """``name`` on ``lines`` lines of at most ``width``, its last line ending in '…' where the rest is cut."""
    wrapped = wrap_text(name, fm, width).split("\n")  # not hyphenated: each line is a piece of the name
    kept: list[str] = []
    at = 0
    for line in wrapped[: lines - 1]:
        at = name.index(line, at) + len(line)
        kept.append(fm.elidedText(line, Qt.TextElideMode.ElideRight, width))
    rest = name[at:].strip()
    return "\n".join([*kept, fm.elidedText(rest, Qt.TextElideMode.ElideRight, width)])


def _hyphenated(word: str, fm: QFontMetricsF, width: float) -> list[str]:
    """``word`` in pieces of at most ``width`` each ending in a hyphen, broken after a vowel that a consonant
    follows where one is near the limit (at least three letters each side)."""
    pieces: list[str] = []
    while fm.horizontalAdvance(word.rstrip()) > width and len(word.rstrip()) > 6:
        fits = [i for i in range(3, len(word.rstrip()) - 2) if fm.horizontalAdvance(word[:i] + "-") <= width]
        if not fits:
            break
        nice = [i for i in fits if word[i - 1].lower() in "aeiouy" and word[i].lower() not in "aeiouy"]
        cut = max(nice) if nice and max(nice) >= fits[-1] - 3 else fits[-1]
        pieces.append(word[:cut] + "-")
        word = word[cut:]
    return [*pieces, word]


def missing_font(family: str) -> str:
    """Why ``family`` cannot be used ('' when it is installed): Qt would quietly draw another font."""
    from PySide6.QtGui import QFontDatabase

    families = QFontDatabase.families()
    if family in families or any(f.lower() == family.lower() for f in families):
        return ""
    near = sorted(f for f in families if family.lower().split()[0] in f.lower())[:6]
    hint = f": installed families like it: {', '.join(near)}" if near else " (fc-list : family lists them)"
    return f"font {family!r} is not installed{hint}"


def paint_case_headers(painter: QPainter, plot: TimelinePlot, plot_top: float, left: float, theme: Theme) -> None:
    """Case header rows as bands across the whole width of a figure, lane-name column included (the plot
    at ``plot_top``).

    In the plot a header is clipped to the data area; a narrow figure would cut most titles.
    """
    state = plot.paint_state
    if plot.layout_ is None or state is None:
        return
    vb = plot.viewbox
    data_rect = vb.sceneBoundingRect()
    right = data_rect.right()
    title_fm, small_fm = QFontMetricsF(state.title_font), QFontMetricsF(state.small_font)
    band = QColor(theme.header_band)
    shown = plot.shown
    assert shown is not None
    for r, row in enumerate(plot.layout_.rows):
        if row.kind != L.RowKind.HEADER:
            continue
        top = vb.mapViewToScene(QPointF(0, r)).y() + plot_top
        bottom = vb.mapViewToScene(QPointF(0, r + 1)).y() + plot_top
        painter.fillRect(QRectF(left, top, right - left, bottom - top), band)
        lines = shown.header_lines(plot.layout_.cases[row.case_index])
        pad = 0.6 * title_fm.averageCharWidth()
        title, width = lines[0], state.text_width(lines[0], state.title_font)
        too_long = left + pad + width > right - pad
        if too_long and _header_on_two_lines(painter, state, theme, title, left + pad, top, bottom,
                                             right - left - 2 * pad):
            continue
        if left + pad + width > right - pad:
            title, width = elide(state, title, state.title_font, right - left - 2 * pad)
        baseline = top + (bottom - top - title_fm.height()) / 2 + title_fm.ascent()
        painter.setPen(QColor(theme.foreground))
        painter.setFont(state.title_font)
        painter.drawText(QPointF(left + pad, baseline), title)
        rest = " · ".join(lines[1:])
        x_rest = left + pad + width + 2 * pad
        if rest and title == lines[0] and x_rest + state.text_width(rest, state.small_font) < right - pad:
            painter.setPen(QColor(theme.muted))
            painter.setFont(state.small_font)
            painter.drawText(QPointF(x_rest, baseline - (title_fm.descent() - small_fm.descent())), rest)


def _header_on_two_lines(painter: QPainter, state: RenderState, theme: Theme, title: str, x: float, top: float,
                         bottom: float, width: float) -> bool:
    """A case title too long for its band, on two lines of bold label type where they fit (a narrow
    figure cut most titles short); False when they do not."""
    font = QFont(state.label_font)
    font.setBold(True)
    fm = QFontMetricsF(font)
    text = wrap_text(title, fm, width)
    lines = text.split("\n")
    if len(lines) > 2 or 2 * fm.height() > bottom - top or any(fm.horizontalAdvance(t) > width for t in lines):
        return False
    painter.setPen(QColor(theme.foreground))
    painter.setFont(font)
    y = top + (bottom - top - 2 * fm.height()) / 2 + fm.ascent()
    for k, line in enumerate(lines):
        painter.drawText(QPointF(x, y + k * fm.height()), line)
    return True
