"""Load benchmark worker: parse + validate + resolve one file in a fresh process.

``python -m benchmarks.loading FILE [--trace]`` prints {"seconds", "cpu_seconds", "rss_delta_bytes",
"retained_bytes", "layout_s", "items", "ok"} (``cpu_seconds``: the load's CPU time, which other work on
a busy machine shakes less than the wall-clock ``seconds``).
Everything the reader imports is imported first by loading the sample case in the same format,
so the time is the load alone. Memory is the growth of the process's peak resident set
(``ru_maxrss``) across the load: everything the load allocated at its peak, including the
resolved result it returns, and no tracing overhead on the timing. With ``--trace`` the file is
loaded a second time under tracemalloc and ``retained_bytes`` is what that load still holds after a
``gc.collect()`` (the resolved cases; garbage is not retained): a peak-RSS delta rounds to 0 for a
small file (the warm-up already raised the peak), so it cannot show whether a memory target is met.
Layout: ``layout_unprepared_s`` is one ``build_layout`` of the loaded cases making each case's columns on the
spot (a command-line export); ``columns_s`` making them ahead as the window's loading thread does
(``prepare_columns``, then ``settle_loaded``); ``layout_s`` the layout the GUI thread then makes, composing
them (3 runs); ``layout_1m_s`` the same for a million events (the file's cases repeated, 3 runs) when the file
has 100,000.
"""

from __future__ import annotations

import gc
import os
import resource
import sys
import time

from benchmarks.measure import SAMPLES, emit


def _peak_rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB


def main(path: str, trace: bool = False) -> None:
    import tracemalloc

    from caseline.layout.case_columns import prepare_columns
    from caseline.layout.timeline_layout import build_layout
    from caseline.timeline.load import load_file, settle_loaded

    warm = "infliximab-pyoderma.events.csv" if path.endswith(".csv") else "infliximab-pyoderma.caseline.yaml"
    load_file(os.path.join(SAMPLES, warm))
    before = _peak_rss_bytes()
    t0, c0 = time.perf_counter(), time.process_time()
    result = load_file(path)
    seconds, cpu_seconds = time.perf_counter() - t0, time.process_time() - c0
    after = _peak_rss_bytes()
    # a layout with nothing made ahead (a command-line export): each case's columns made on the spot
    t0 = time.perf_counter()
    build_layout(result.cases)
    unprepared_s = time.perf_counter() - t0
    # the window: its loading thread makes each case's columns after resolving (ui.documents), and the layout
    # on the GUI thread composes them
    t0 = time.perf_counter()
    prepare_columns(result.cases)
    settle_loaded()  # as the window's loading thread does (ui.documents)
    columns_s = time.perf_counter() - t0
    layout_s = []
    for _ in range(3):
        t0 = time.perf_counter()
        build_layout(result.cases)
        layout_s.append(time.perf_counter() - t0)
    # a million events composed: the file's cases repeated (a file holds at most 100,000 events)
    layout_1m_s = []
    events = sum(len(c.case.events) for c in result.cases)
    if events >= 100_000:
        repeated = list(result.cases) * max(1, round(1_000_000 / events))
        for _ in range(3):
            t0 = time.perf_counter()
            composed = build_layout(repeated)
            layout_1m_s.append(time.perf_counter() - t0)
        del composed
    retained = None
    if trace:
        del result
        gc.collect()
        tracemalloc.start()
        start = tracemalloc.get_traced_memory()[0]
        result = load_file(path)
        gc.collect()  # garbage (cycles the load left behind) is not retained
        retained = tracemalloc.get_traced_memory()[0] - start
        tracemalloc.stop()
    emit({"seconds": seconds, "cpu_seconds": cpu_seconds, "rss_delta_bytes": after - before, "retained_bytes": retained,
          "layout_s": layout_s, "layout_unprepared_s": unprepared_s, "columns_s": columns_s,
          "layout_1m_s": layout_1m_s, "layout_1m_events": events * max(1, round(1_000_000 / events)) if layout_1m_s
          else 0, "ok": result.ok,
          "items": sum(len(c.items) for c in result.cases),
          "errors": [str(d) for d in result.errors[:3]]})


if __name__ == "__main__":
    main(sys.argv[1], "--trace" in sys.argv[2:])
