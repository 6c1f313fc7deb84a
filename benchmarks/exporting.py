"""Export benchmark worker: PNG (174 mm, 300 dpi), SVG and PDF, caseline vs matplotlib, in-process.

``python -m benchmarks.exporting FILE --runs N --out DIR`` prints, per format, the seconds of
``caseline.render.figure.export_figure`` and of the matplotlib equivalent drawing the same layout at the
same size (cases loaded once, before timing; both include layout and writing the file): each a median with
its min and max (``*_spread``), the two timed in turn (repetition r times caseline, then matplotlib, so load
on the machine hits both alike), and the ratio taken per repetition (``ratio``: the median of those, with
``ratio_spread``). If caseline's export is not available, its entries say so.
"""

from __future__ import annotations

import argparse
import os

from benchmarks.measure import emit, median, timed

FORMATS = ("png", "svg", "pdf")
WIDTH_MM = 174.0
DPI = 300.0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["QT_SCALE_FACTOR"] = "1"
    from benchmarks.matplotlib_equivalent import draw, load_all

    cases = load_all([args.file])
    stem = os.path.join(args.out, os.path.basename(args.file).split(".")[0])
    result: dict[str, object] = {"cases": len(cases)}
    try:
        from PySide6.QtWidgets import QApplication

        from caseline.render.exporters import export_figure
        from caseline.render.figure import FigureRequest
        from caseline.view_state import ViewState

        app = QApplication.instance() or QApplication(["caseline-bench"])
        del app
    except ImportError as exc:
        export_figure = None
        result["caseline_error"] = f"not available: {exc}"
    height_mm = None
    view = ViewState(tuple(cases)) if export_figure is not None else None
    request = FigureRequest(width_mm=WIDTH_MM, dpi=DPI) if export_figure is not None else None
    for fmt in FORMATS:
        entry: dict[str, object] = {}
        ours = f"{stem}-caseline.{fmt}"
        if export_figure is not None:
            info = export_figure(view, ours, request)  # (also the warm-up)
            height_mm = info.height_mm
            entry["size_px"] = [info.width_px, info.height_px]
            entry["bytes"] = info.n_bytes
        theirs = f"{stem}-matplotlib.{fmt}"
        draw(cases, theirs, WIDTH_MM, height_mm, DPI)  # warm-up
        times: dict[str, list[float]] = {"caseline": [], "matplotlib": []}
        for _ in range(args.runs):  # interleaved
            if export_figure is not None:
                times["caseline"] += timed(lambda p=ours: export_figure(view, p, request), 1, warmup=0)
            times["matplotlib"] += timed(lambda p=theirs, h=height_mm: draw(cases, p, WIDTH_MM, h, DPI), 1, warmup=0)
        for name, values in times.items():
            if values:
                entry[f"{name}_s"] = median(values)
                entry[f"{name}_spread"] = {"min": min(values), "max": max(values), "n": len(values)}
        if times["caseline"]:
            ratios = [a / b for a, b in zip(times["caseline"], times["matplotlib"], strict=True)]
            entry["ratio"] = median(ratios)
            entry["ratio_spread"] = {"min": min(ratios), "max": max(ratios), "n": len(ratios)}
        result[fmt] = entry
    result["height_mm"] = height_mm
    emit(result)


if __name__ == "__main__":
    main()
