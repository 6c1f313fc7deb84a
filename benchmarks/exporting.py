"""Export benchmark worker: PNG (174 mm, 300 dpi), SVG and PDF, caseline vs matplotlib, in-process.

``python -m benchmarks.exporting FILE --runs N --out DIR`` prints, per format, the median
seconds of ``caseline.render.figure.export_figure`` and of the matplotlib equivalent drawing the
same layout at the same size (cases loaded once, before timing; both include layout and writing
the file). If caseline's export is not available, its entries say so.
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
        if export_figure is not None:
            path = f"{stem}-caseline.{fmt}"
            info = export_figure(view, path, request)
            height_mm = info.height_mm
            entry["caseline_s"] = median(timed(lambda p=path: export_figure(view, p, request), args.runs))
            entry["size_px"] = [info.width_px, info.height_px]
            entry["bytes"] = info.n_bytes
        path = f"{stem}-matplotlib.{fmt}"
        entry["matplotlib_s"] = median(timed(lambda p=path, h=height_mm: draw(cases, p, WIDTH_MM, h, DPI), args.runs))
        result[fmt] = entry
    result["height_mm"] = height_mm
    emit(result)


if __name__ == "__main__":
    main()
