"""The same figure drawn with matplotlib: the yardstick for caseline's export times.

Draws what caseline's export draws from the same TimelineLayout: alternate lane bands, a row
per lane with its name, course bars (lighter for symptoms), one marker per point mark shaped
like caseline's glyph, uncertainty whiskers, the day-0 rule, a title and one label per labelled
mark (greedy non-overlapping per row, as caseline places them). 174 mm wide at 300 dpi.

``python -m benchmarks.matplotlib_equivalent FILE... -o OUT.png|svg|pdf`` (a whole process,
like ``caseline export``); ``draw(cases, path)`` in-process.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import numpy as np

MM_PER_INCH = 25.4
MARKERS = {0: "|", 1: "D", 2: "^", 3: "P", 4: "_", 5: ">", 6: "o", 7: "X"}


def draw(cases: Sequence[object], path: str, width_mm: float = 174.0, height_mm: float | None = None,
         dpi: float = 300.0) -> None:
    """Lay the cases out (caseline.layout.timeline_layout) and save them as a figure with matplotlib."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection, PolyCollection

    from caseline.layout.labels import place_labels
    from caseline.layout.timeline_layout import GLYPH_MASK, BarStyle, RowKind, build_layout
    from caseline.theme import PRINT

    layout = build_layout(list(cases))  # type: ignore[arg-type]
    n = max(1, layout.n_rows)
    if height_mm is None:
        height_mm = 20 + 6.5 * n
    fig = plt.figure(figsize=(width_mm / MM_PER_INCH, height_mm / MM_PER_INCH), dpi=dpi)
    ax = fig.add_axes((0.2, 0.08, 0.78, 0.84))
    colors = PRINT.colors()
    x_lo, x_hi = layout.x_range
    pad = 0.03 * (x_hi - x_lo)
    ax.set_xlim(x_lo - pad, x_hi + pad)
    ax.set_ylim(n, 0)
    # lane bands and names
    for r, row in enumerate(layout.rows):
        if row.kind == RowKind.HEADER:
            ax.axhspan(r, r + 1, color=PRINT.header_band, lw=0)
            ax.text(x_lo - pad, r + 0.5, layout.cases[row.case_index].case.title, va="center", fontsize=8,
                    fontweight="bold")
        elif r % 2 == 0:
            ax.axhspan(r, r + 1, color=PRINT.band, lw=0)
    ax.set_yticks([r + 0.5 for r, row in enumerate(layout.rows) if row.kind == RowKind.LANE])
    ax.set_yticklabels([row.lane for row in layout.rows if row.kind == RowKind.LANE], fontsize=6)
    ax.axvline(0, color="black", lw=0.6, ls="--")
    # bars
    b = layout.bars
    for c in np.unique(b.color):
        for symptom in (False, True):
            m = (b.color == c) & (((b.style & BarStyle.BAND) != 0) == symptom) & ((b.style & BarStyle.UNCERTAIN) == 0)
            if not m.any():
                continue
            h = 0.3 * (0.8 if symptom else 1.0)
            yc = b.y[m] + 0.16
            verts = np.stack([np.stack([b.x0[m], yc - h / 2], 1), np.stack([b.x1[m], yc - h / 2], 1),
                              np.stack([b.x1[m], yc + h / 2], 1), np.stack([b.x0[m], yc + h / 2], 1)], 1)
            ax.add_collection(PolyCollection(verts, facecolors=colors[int(c)], alpha=0.45 if symptom else 0.85,
                                             linewidths=0))
    # whiskers
    w = layout.whiskers
    if len(w):
        segs = np.stack([np.stack([w.x0, w.y + 0.16], 1), np.stack([w.x1, w.y + 0.16], 1)], 1)
        ax.add_collection(LineCollection(segs, colors=[colors[int(c)] for c in w.color], linewidths=0.8))
    # points, one scatter per glyph and colour
    p = layout.points
    codes = p.style & GLYPH_MASK
    for code in np.unique(codes):
        for c in np.unique(p.color[codes == code]):
            m = (codes == code) & (p.color == c)
            marker = MARKERS.get(int(code), "o")
            edge = {} if marker in "|_" else {"edgecolors": "white"}
            ax.scatter(p.x0[m], p.y[m] + 0.16, s=12, marker=marker, c=colors[int(c)], linewidths=0.4,
                       zorder=3, **edge)
    # labels: greedy per row, widths estimated from the font size (matplotlib cannot measure cheaply)
    if layout.labels:
        width_px = width_mm / MM_PER_INCH * dpi * 0.78
        px_per_day = width_px / (x_hi - x_lo + 2 * pad)
        char_px = 6 * dpi / 72 * 0.55
        xs = np.array([(lab.x - (x_lo - pad)) * px_per_day for lab in layout.labels])
        widths = np.array([len(lab.text) * char_px for lab in layout.labels])
        rows = np.array([int(lab.y) for lab in layout.labels])
        prio = np.array([lab.priority for lab in layout.labels])
        keep = place_labels(xs, widths, rows, prio, gap_px=8.0, left_px=0, right_px=width_px)
        for k in np.nonzero(keep)[0]:
            lab = layout.labels[int(k)]
            ax.text(lab.x, lab.y - 0.12, lab.text, fontsize=6, va="center", clip_on=True,
                    bbox={"facecolor": "white", "alpha": 0.8, "lw": 0, "pad": 0.5})
    ax.set_xlabel("Days since day 0", fontsize=7)
    ax.tick_params(labelsize=6)
    title = layout.cases[0].case.title if len(layout.cases) == 1 else "Comparison"
    fig.suptitle(title, fontsize=9, x=0.02, ha="left")
    fig.savefig(path, dpi=dpi)
    plt.close(fig)


def load_all(paths: Sequence[str]) -> list[object]:
    """Cases of case files and case sets (a case set's entries are loaded and filtered)."""
    import os

    from caseline.timeline.load import load_file

    cases: list[object] = []
    for path in paths:
        result = load_file(path)
        cases.extend(result.cases)
        if result.caseset is not None:
            folder = os.path.dirname(os.path.abspath(path))
            for entry in result.caseset.entries:
                sub = load_file(os.path.normpath(os.path.join(folder, entry.path)))
                wanted = set(entry.case_ids)
                cases.extend(c for c in sub.cases if not wanted or c.id in wanted)
    return cases


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="matplotlib_equivalent")
    parser.add_argument("files", nargs="+")
    parser.add_argument("-o", "--output", required=True)
    parser.add_argument("--height-mm", type=float)
    args = parser.parse_args(argv)
    draw(load_all(args.files), args.output, height_mm=args.height_mm)
    return 0


if __name__ == "__main__":
    sys.exit(main())
