"""Pan/zoom, drag, hover and click benchmark worker, caseline against its baselines in one process.

``python -m benchmarks.frames FILE [--tile N] --reps R --frames K [--naive] [--interactions]``

Every plot (caseline's TimelinePlot, the bare batched baseline with and without the eager matrix
update, and optionally the naive one-item-per-mark plot) is shown at 1600x900, DPR 1, with the same
layout and view. Measurements are interleaved: repetition r runs a block of K frames on each plot in
turn, so load on the machine hits all of them alike, and a ratio is taken per repetition.

A *frame* is one pan step: the view moves by 1 % of its width (``setXRange``), then
``processEvents`` applies the range and paints. A *drag step* is a real mouse move through the
viewport with the left button held (synthesized QMouseEvents: pyqtgraph's own drag handling pans
the view). Every paint of the viewport is counted (an event filter), so a step that costs two
paints shows as two. "full" is what ``fit()`` shows; "zoomed" is 1/20 of that span.

``--tile N`` lays the file out once and repeats its marks N times along the time axis (the
1,000,000-event scene: 10 x 100,000; loading a million events is phase 2's benchmark, not this one's).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from benchmarks.measure import VIEW_H, VIEW_W, emit

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


class PaintCounter:
    """Counts the paint events of a viewport: every paint a step costs."""

    def __init__(self, viewport) -> None:  # type: ignore[no-untyped-def]
        from PySide6.QtCore import QEvent, QObject

        counter = self

        class Filter(QObject):
            def eventFilter(self, obj, event):  # type: ignore[no-untyped-def]
                if event.type() == QEvent.Type.Paint:
                    counter.count += 1
                return False

        self.count = 0
        self.filter = Filter()
        viewport.installEventFilter(self.filter)


@dataclasses.dataclass
class Subject:
    name: str
    widget: Any
    set_range: Callable[[float, float], None]
    counter: PaintCounter


def tile_layout(layout, times: int):  # type: ignore[no-untyped-def]
    """``layout`` repeated ``times`` times along the time axis (marks, labels, severity, rules)."""
    from caseline.layout import timeline_layout as L

    if times <= 1:
        return layout
    lo, hi = layout.x_range
    span = hi - lo
    offsets = np.arange(times, dtype=np.float64) * span
    n_items = len(layout.items)

    def marks(m: L.Marks) -> L.Marks:
        n = len(m)
        shift = np.repeat(offsets, n)
        return L.Marks(np.tile(m.x0, times) + shift, np.tile(m.x1, times) + shift, np.tile(m.y, times),
                       np.tile(m.color, times), np.tile(m.item, times) + np.repeat(np.arange(times) * n_items, n)
                       .astype(np.int32), np.tile(m.style, times))

    labels = [dataclasses.replace(lab, x=lab.x + off, x_end=lab.x_end + off, item=lab.item + t * n_items)
              for t, off in enumerate(offsets) for lab in layout.labels]
    severity = [(row, np.concatenate([xs + off for off in offsets]), np.tile(values, times), low, high)
                for row, xs, values, low, high in layout.severity]
    rules = [(x + off, first, last, item + t * n_items) for t, off in enumerate(offsets)
             for x, first, last, item in layout.rules]
    return dataclasses.replace(
        layout, items=list(layout.items) * times, item_case=np.tile(layout.item_case, times),
        item_row=np.tile(layout.item_row, times), bars=marks(layout.bars), points=marks(layout.points),
        whiskers=marks(layout.whiskers), severity=severity, labels=labels, rules=rules,
        undated=list(layout.undated), x_range=(lo, lo + span * times), columns=[])


def caseline_plot(cases, tile: int):  # type: ignore[no-untyped-def]
    import caseline.render.timeline_plot as tp

    real = tp.L.build_layout
    if tile > 1:
        tp.L.build_layout = lambda *a, **k: tile_layout(real(*a, **k), tile)  # type: ignore[assignment]
    try:
        plot = tp.TimelinePlot()
        _show(plot)
        _app().processEvents()
        t0 = time.perf_counter()
        plot.set_cases(cases)
        _app().processEvents()
        build_s = time.perf_counter() - t0
    finally:
        tp.L.build_layout = real
    return plot, build_s


def pan_block(app, subject: Subject, full: tuple[float, float], zoom: float, frames: int,  # type: ignore[no-untyped-def]
              phase: int) -> tuple[list[float], float]:
    """ms of each of ``frames`` pan steps and paints per step, after 2 untimed steps."""
    lo, hi = full
    span = (hi - lo) / zoom
    start = (lo + hi) / 2 - span / 2
    times = []
    subject.set_range(start, start + span)
    app.processEvents()
    counted = 0
    for i in range(frames + 2):
        step = (phase + i) % 20
        a = start + span * 0.01 * (step if step < 10 else 20 - step)
        if i == 2:
            counted = subject.counter.count
        t0 = time.perf_counter()
        subject.set_range(a, a + span)
        app.processEvents()
        if i >= 2:
            times.append((time.perf_counter() - t0) * 1e3)
    return times, (subject.counter.count - counted) / frames


def zoom_block(app, subject: Subject, full: tuple[float, float], frames: int,  # type: ignore[no-untyped-def]
               phase: int) -> tuple[list[float], float]:
    """ms of each of ``frames`` zoom steps (the span 2 % narrower, then wider again, about the middle of the
    full view, as a wheel zooms) and paints per step: every step changes the scale, so nothing drawn at the
    last one can be copied (caseline's pan tiles do not serve a zoom)."""
    lo, hi = full
    mid, half = (lo + hi) / 2, (hi - lo) / 2
    times = []
    counted = 0
    for i in range(frames + 2):
        step = (phase + i) % 20
        k = 0.98 ** (step if step < 10 else 20 - step)
        if i == 2:
            counted = subject.counter.count
        t0 = time.perf_counter()
        subject.set_range(mid - half * k, mid + half * k)
        app.processEvents()
        if i >= 2:
            times.append((time.perf_counter() - t0) * 1e3)
    return times, (subject.counter.count - counted) / frames


#: pyqtgraph drops mouse moves closer than 1 / mouseRateLimit (10 ms) to the last one; a real hand at
#: 60 frames/s moves every 16.7 ms. Steps are spaced so none is dropped; only the work is timed.
MOVE_SPACING_S = 0.012


def _spaced(last: list[float]) -> None:
    wait = last[0] + MOVE_SPACING_S - time.perf_counter()
    if wait > 0:
        time.sleep(wait)


def _mouse(viewport, kind, pos, buttons) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    button = {"press": Qt.MouseButton.LeftButton, "release": Qt.MouseButton.LeftButton}.get(kind,
                                                                                         Qt.MouseButton.NoButton)
    etype = {"press": QMouseEvent.Type.MouseButtonPress, "release": QMouseEvent.Type.MouseButtonRelease,
             "move": QMouseEvent.Type.MouseMove}[kind]
    local = QPointF(*pos)
    event = QMouseEvent(etype, local, viewport.mapToGlobal(local), button, buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, event)


def drag_block(app, subject: Subject, steps: int) -> tuple[list[float], float]:  # type: ignore[no-untyped-def]
    """ms of each mouse-move step of a left-button drag across the view, and paints per step."""
    from PySide6.QtCore import Qt

    viewport = subject.widget.viewport()
    y = viewport.height() * 0.55
    x = viewport.width() * 0.5
    held = Qt.MouseButton.LeftButton
    _mouse(viewport, "move", (x, y), Qt.MouseButton.NoButton)
    _mouse(viewport, "press", (x, y), held)
    app.processEvents()
    times = []
    counted = subject.counter.count
    last = [time.perf_counter()]
    time.sleep(0.55)  # past pyqtgraph's minDragTime: the press is a drag, not a click
    before = subject.widget.getViewBox().viewRange()[0]
    for i in range(steps + 2):
        x += 8 if (i // 10) % 2 == 0 else -8
        if i == 2:
            counted = subject.counter.count
        _spaced(last)
        t0 = last[0] = time.perf_counter()
        _mouse(viewport, "move", (x, y), held)
        app.processEvents()
        if i >= 2:
            times.append((time.perf_counter() - t0) * 1e3)
    if subject.widget.getViewBox().viewRange()[0] == before:
        raise RuntimeError(f"{subject.name}: the drag did not pan the view: measured nothing")
    _mouse(viewport, "release", (x, y), Qt.MouseButton.NoButton)
    app.processEvents()
    return times, (subject.counter.count - counted) / steps


def hover_block(app, plot, counter: PaintCounter, steps: int) -> tuple[list[float], float]:  # type: ignore[no-untyped-def]
    """ms from a mouse move (no button) to its feedback painted: the cursor line, hover signal, tooltip."""
    from PySide6.QtCore import Qt

    viewport = plot.viewport()
    y = viewport.height() * 0.4
    times = []
    counted = counter.count
    last = [time.perf_counter()]
    for i in range(steps + 2):
        x = viewport.width() * (0.3 + 0.002 * (i % 50))
        if i == 2:
            counted = counter.count
        _spaced(last)
        t0 = last[0] = time.perf_counter()
        _mouse(viewport, "move", (x, y), Qt.MouseButton.NoButton)
        app.processEvents()
        if i >= 2:
            times.append((time.perf_counter() - t0) * 1e3)
    if counter.count == counted:
        raise RuntimeError("hover painted nothing: the cursor line did not move")
    return times, (counter.count - counted) / steps


def click_block(app, plot, steps: int) -> list[float]:  # type: ignore[no-untyped-def]
    """ms from a click on a mark to its details (the item's HTML) and the selection repainted."""
    from PySide6.QtCore import Qt

    layout = plot.layout_
    lo, hi = plot.time_range()
    candidates = [int(i) for i in layout.points.item[(layout.points.x0 > lo) & (layout.points.x0 < hi)][:400]]
    details: list[str] = []

    def on_click(index, _modifiers) -> None:  # type: ignore[no-untyped-def]
        if index is not None:
            plot.select(index)
            details.append(plot.tooltip_html(index))

    plot.sigItemClicked.connect(on_click)
    viewport = plot.viewport()
    times = []
    for k in range(steps):
        index = candidates[(k * 37) % len(candidates)]
        scene = plot.scene_pos_of_item(index)
        if scene is None:
            continue
        pos = plot.mapFromScene(scene)
        t0 = time.perf_counter()
        _mouse(viewport, "press", (pos.x(), pos.y()), Qt.MouseButton.LeftButton)
        _mouse(viewport, "release", (pos.x(), pos.y()), Qt.MouseButton.NoButton)
        app.processEvents()
        times.append((time.perf_counter() - t0) * 1e3)
    plot.sigItemClicked.disconnect(on_click)
    if not details:
        raise RuntimeError("no click reached a mark: the click benchmark measured nothing")
    return times


def reload_block(app, plot, path: str, counter: PaintCounter) -> tuple[list[float], float]:  # type: ignore[no-untyped-def]
    """ms from a live reload's result reaching the window to its timeline painted: the file loaded again (new
    case objects) and the loading thread's head start made (caseline.ui.documents.head_start: columns, reveal
    keys), untimed; then the plot shown those cases and painted, timed (what the GUI thread does after the
    load; the click block before it left an item selected, which the reload keeps)."""
    from caseline.timeline.load import load_file
    from caseline.ui.documents import head_start

    result = load_file(path)
    head_start(result)
    counted = counter.count
    t0 = time.perf_counter()
    plot.set_cases(result.cases)
    app.processEvents()
    ms = (time.perf_counter() - t0) * 1e3
    if counter.count == counted or plot.cases[0] is not result.cases[0]:
        raise RuntimeError("reload painted nothing, or not the reloaded cases: measured nothing")
    return [ms], float(counter.count - counted)


def record_switches(app, plot, record, reps: int) -> None:  # type: ignore[no-untyped-def]
    """ms to switch the alignment or the sort of a comparison and paint it, with the latency strip's
    rows recomputed as the comparison tab does (render.latency_strip.LatencyStrip.set_cases)."""
    from caseline.render.latency_strip import LatencyStrip

    strip = LatencyStrip()
    _show(strip)
    strip.resize(VIEW_W, 260)

    def refresh() -> None:
        strip.set_cases(plot.cases, plot.options.shifts, plot.shown.alignment.notes, plot.layout_.x_range)
        app.processEvents()

    refresh()
    for _ in range(reps):
        for field, values in (("align", ("reaction-onset", "anchor")), ("sort", ("latency", "none"))):
            for value in values:
                t0 = time.perf_counter()
                setattr(plot.view, field, value)
                refresh()
                record(f"switch_{field}", "caseline", [(time.perf_counter() - t0) * 1e3], 1.0)
    strip.close()


def summary(values: list[float]) -> dict[str, float]:
    if not values:
        raise RuntimeError("empty measurement")
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--tile", type=int, default=1)
    parser.add_argument("--repeat-cases", type=int, default=1, help="the file's cases repeated N times")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--frames", type=int, default=10)
    parser.add_argument("--naive", action="store_true")
    parser.add_argument("--interactions", action="store_true", help="also hover and click (caseline only)")
    parser.add_argument("--labels", action="store_true", help="also caseline with labels off, interleaved")
    args = parser.parse_args(argv)
    app = _app()
    from benchmarks.baseline import batched_plot
    from caseline.timeline.load import load_file, settle_loaded

    result_load = load_file(args.file)
    if not result_load.ok:
        raise SystemExit(f"{args.file}: {[str(d) for d in result_load.errors[:3]]}")
    settle_loaded()  # as the window's loading thread does (caseline.ui.documents)
    cases = list(result_load.cases) * args.repeat_cases
    plot, build_s = caseline_plot(cases, args.tile)
    layout = plot.layout_
    assert layout is not None and plot.paint_state is not None
    full = plot.time_range()
    y_range = tuple(plot.viewbox.viewRange()[1])
    subjects = [Subject("caseline", plot, plot.set_time_range, PaintCounter(plot.viewport()))]
    builds = {"caseline": build_s}
    makers = [("batched", lambda: batched_plot(layout, eager=True)),
              ("batched_lazy", lambda: batched_plot(layout, eager=False))]
    if args.naive:
        from benchmarks.naive import naive_plot

        makers.append(("naive", lambda: naive_plot(layout)))
    for name, make in makers:
        t0 = time.perf_counter()
        widget = make()
        _show(widget)
        widget.setYRange(*y_range, padding=0)
        app.processEvents()
        builds[name] = time.perf_counter() - t0
        subjects.append(Subject(name, widget, lambda a, b, w=widget: w.setXRange(a, b, padding=0),
                                PaintCounter(widget.viewport())))
    views = {"full": 1.0, "zoomed": ZOOM}
    raw: dict[str, dict[str, list[float]]] = {}
    paints: dict[str, dict[str, list[float]]] = {}
    state = plot.paint_state

    def record(kind: str, name: str, times: list[float], per_step: float) -> None:
        raw.setdefault(kind, {}).setdefault(name, []).append(statistics.median(times))
        paints.setdefault(kind, {}).setdefault(name, []).append(per_step)

    for rep in range(args.reps):
        for view, zoom in views.items():
            for subject in subjects:
                times, per = pan_block(app, subject, full, zoom, args.frames, rep)
                record(view, subject.name, times, per)
            if args.labels:
                state.show_labels = False
                plot.labels.update()
                times, per = pan_block(app, subjects[0], full, zoom, args.frames, rep)
                record(view, "caseline_no_labels", times, per)
                state.show_labels = True
                plot.labels.update()
        for subject in subjects:
            if subject.name == "naive" and len(layout.items) > 20_000:
                continue
            times, per = zoom_block(app, subject, full, args.frames, rep)
            record("zoom", subject.name, times, per)
        for subject in subjects:
            if subject.name == "naive" and len(layout.items) > 20_000:
                continue  # seconds per step: the frame figures say enough
            subject.set_range(*full)
            app.processEvents()
            times, per = drag_block(app, subject, args.frames)
            record("drag", subject.name, times, per)
        if args.interactions:
            plot.set_time_range(*full)
            app.processEvents()
            times, per = hover_block(app, plot, subjects[0].counter, args.frames)
            record("hover", "caseline", times, per)
            # a full repaint of the same view, for comparison with what a hover step costs
            t0 = time.perf_counter()
            plot.viewport().repaint()
            record("repaint", "caseline", [(time.perf_counter() - t0) * 1e3], 1.0)
            record("click", "caseline", click_block(app, plot, args.frames), 1.0)
            if args.tile == 1 and args.repeat_cases == 1 and len(layout.items) <= 50_000:
                times, per = reload_block(app, plot, args.file, subjects[0].counter)
                record("reload", "caseline", times, per)
    if args.interactions and len(cases) > 1:
        record_switches(app, plot, record, args.reps)
    out: dict[str, Any] = {
        "cases": len(cases), "tile": args.tile, "items": len(layout.items),
        "marks": len(layout.bars) + len(layout.points) + len(layout.whiskers), "labels": len(layout.labels),
        "rows": layout.n_rows, "dpr": plot.devicePixelRatioF(),
        "viewport": [plot.viewport().width(), plot.viewport().height()], "build_s": builds,
        "reps": args.reps, "frames_per_block": args.frames, "measurements": {},
    }
    for kind, by_name in raw.items():
        entry: dict[str, Any] = {}
        for name, blocks in by_name.items():
            entry[name] = {"ms": summary(blocks), "paints_per_step": summary(paints[kind][name])}
        for name in by_name:
            if name != "caseline" and "caseline" in by_name and name.startswith(("batched", "naive")):
                ratios = [c / b for c, b in zip(by_name["caseline"], by_name[name], strict=True)]
                entry[f"ratio_to_{name}"] = summary(ratios)
        out["measurements"][kind] = entry
    for subject in subjects:
        subject.widget.close()
    emit(out)


if __name__ == "__main__":
    main()
