"""Load benchmark worker: parse + validate + resolve one file in a fresh process.

``python -m benchmarks.loading FILE`` prints {"seconds", "rss_delta_bytes", "items", "ok"}.
Everything the reader imports is imported first by loading the sample case in the same format,
so the time is the load alone. Memory is the growth of the process's peak resident set
(``ru_maxrss``) across the load: everything the load allocated at its peak, including the
resolved result it returns, and no tracing overhead on the timing.
"""

from __future__ import annotations

import os
import resource
import sys
import time

from benchmarks.measure import SAMPLES, emit


def _peak_rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB


def main(path: str) -> None:
    from caseline.timeline.load import load_file

    warm = "infliximab-pyoderma.events.csv" if path.endswith(".csv") else "infliximab-pyoderma.caseline.yaml"
    load_file(os.path.join(SAMPLES, warm))
    before = _peak_rss_bytes()
    t0 = time.perf_counter()
    result = load_file(path)
    seconds = time.perf_counter() - t0
    after = _peak_rss_bytes()
    emit({"seconds": seconds, "rss_delta_bytes": after - before, "ok": result.ok,
          "items": sum(len(c.items) for c in result.cases),
          "errors": [str(d) for d in result.errors[:3]]})


if __name__ == "__main__":
    main(sys.argv[1])
