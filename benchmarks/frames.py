"""Pan/zoom and label benchmark worker: ms per frame at 1600x900, DPR 1, in a fresh process.

``python -m benchmarks.frames FILE --frames N --naive-frames M [--labels]``

A frame is one step of a pan: ``set_time_range`` (pyqtgraph ``setXRange``) moves the view by 1 %
of its width, then ``QApplication.processEvents()`` delivers the update and paints the viewport.
A counter on the label layer checks that every frame painted exactly once. Views: "full" is
what ``fit()`` shows (the whole time range); "zoomed" is 1/20 of it around the middle.
"""

from __future__ import annotations

import argparse
import os
import time

from benchmarks.measure import VIEW_H, VIEW_W, emit, median

ZOOM = 20.0


def _app():  # type: ignore[no-untyped-def]
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["QT_SCALE_FACTOR"] = "1"
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication(["caseline-bench"])


def _show(widget) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    widget.resize(VIEW_W, VIEW_H)
    widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    widget.show()


def pan_frames(app, set_range, full: tuple[float, float], zoom: float, n: int,  # type: ignore[no-untyped-def]
               paints: list[int] | None = None) -> dict[str, float]:
    """Median ms per frame of ``n`` pan steps (after 3 untimed ones)."""
    lo, hi = full
    span = (hi - lo) / zoom
    start = (lo + hi) / 2 - span / 2
    times = []
    if paints is not None:
        paints[0] = 0
    for i in range(n + 3):
        a = start + span * 0.01 * (i % 10 if (i // 10) % 2 == 0 else 10 - i % 10)
        t0 = time.perf_counter()
        set_range(a, a + span)
        app.processEvents()
        if i >= 3:
            times.append(time.perf_counter() - t0)
    out = {"ms": median(times) * 1e3, "frames": n}
    if paints is not None:
        out["paints_per_frame"] = paints[0] / (n + 3)
    return out


def load_cases(path: str) -> list:
    from caseline.timeline.load import load_file

    result = load_file(path)
    if not result.ok:
        raise SystemExit(f"{path}: {[str(d) for d in result.errors[:3]]}")
    return result.cases


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--frames", type=int, default=30)
    parser.add_argument("--naive-frames", type=int, default=0)
    parser.add_argument("--labels", action="store_true", help="labels on vs off instead of naive")
    args = parser.parse_args(argv)
    app = _app()
    from caseline.render.timeline_plot import TimelinePlot

    cases = load_cases(args.file)
    plot = TimelinePlot()
    _show(plot)
    app.processEvents()
    t0 = time.perf_counter()
    plot.set_cases(cases)
    app.processEvents()
    build_s = time.perf_counter() - t0
    layout = plot.layout_
    assert layout is not None and plot.paint_state is not None
    dpr = plot.devicePixelRatioF()
    paints = [0]
    original_paint = plot.labels.paint

    def counted_paint(*a):  # type: ignore[no-untyped-def]
        paints[0] += 1
        return original_paint(*a)

    plot.labels.paint = counted_paint
    full = plot.time_range()
    y_range = tuple(plot.viewbox.viewRange()[1])
    result: dict[str, object] = {
        "cases": len(cases), "items": len(layout.items), "marks": len(layout.bars) + len(layout.points)
        + len(layout.whiskers), "labels": len(layout.labels), "rows": layout.n_rows, "dpr": dpr,
        "viewport": [plot.viewport().width(), plot.viewport().height()], "build_s": build_s,
    }
    views = {"full": 1.0, "zoomed": ZOOM}
    if args.labels:
        for on in (True, False):
            plot.paint_state.show_labels = on
            key = "labels_on" if on else "labels_off"
            result[key] = pan_frames(app, plot.set_time_range, full, 1.0, args.frames, paints)
        plot.paint_state.show_labels = True
        emit(result)
        return
    for name, zoom in views.items():
        result[name] = pan_frames(app, plot.set_time_range, full, zoom, args.frames, paints)
    plot.close()
    if args.naive_frames:
        from benchmarks.naive import naive_plot

        t0 = time.perf_counter()
        naive = naive_plot(layout)
        _show(naive)
        naive.setYRange(*y_range, padding=0)
        app.processEvents()
        result["naive_build_s"] = time.perf_counter() - t0
        for name, zoom in views.items():
            result[f"naive_{name}"] = pan_frames(
                app, lambda a, b: naive.setXRange(a, b, padding=0), full, zoom, args.naive_frames)
        naive.close()
    emit(result)


if __name__ == "__main__":
    main()
