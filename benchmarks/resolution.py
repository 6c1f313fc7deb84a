"""Resolution benchmark worker: the constraint engine against the old resolver, same process.

``python -m benchmarks.resolution FILE [--runs N]`` reads and builds the file's case once, then
resolves it ``N`` times with each resolver, interleaved (old, new, new, old, ...: neither always
runs first, so warm caches and the allocator favour neither). The garbage collector is paused
while resolving, as ``caseline.timeline.load.load_file`` does. Prints
{"events", "items", "runs", "old_s", "new_s", "old_median_s", "new_median_s", "ratio", ...};
``ratio`` is new / old of the medians.

The old resolver is ``benchmarks/baseline_resolver.py``, a copy of the interval-arithmetic
resolver caseline used before issue 12 (it knows none of the phrases added since, so the
benchmark files use only forms both understand).
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable
from typing import Any

from benchmarks.measure import emit, median


def _read(path: str) -> Any:
    from caseline.io.case_document import build_document
    from caseline.io.located import load_yaml, read_text

    text, _ = read_text(path)
    root, _ = load_yaml(path, text)
    cases, _, diagnostics = build_document(path, root)
    assert not [d for d in diagnostics if d.is_error], diagnostics[:3]
    return cases[0]


def _once(resolve: Callable[[Any], Any], case: Any) -> tuple[float, Any]:
    gc.collect()
    gc.disable()
    try:
        t0 = time.perf_counter()
        resolved = resolve(case)
        return time.perf_counter() - t0, resolved
    finally:
        gc.enable()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    from benchmarks import baseline_resolver
    from caseline.timeline.resolver import resolve_case

    case = _read(args.path)
    resolvers = {"old": baseline_resolver.resolve_case, "new": resolve_case}
    times: dict[str, list[float]] = {"old": [], "new": []}
    items: dict[str, int] = {}
    for name, resolve in resolvers.items():  # untimed warm-up of each
        _, resolved = _once(resolve, case)
        items[name] = len(resolved.items)
    for run in range(args.runs):
        order = ("old", "new") if run % 2 == 0 else ("new", "old")
        for name in order:
            seconds, resolved = _once(resolvers[name], case)
            times[name].append(seconds)
            del resolved
    old, new = median(times["old"]), median(times["new"])
    emit({"events": len(case.events), "items": items["new"], "old_items": items["old"], "runs": args.runs,
          "old_s": times["old"], "new_s": times["new"], "old_median_s": old, "new_median_s": new,
          "old_min_s": min(times["old"]), "old_max_s": max(times["old"]), "new_min_s": min(times["new"]),
          "new_max_s": max(times["new"]), "ratio": new / old, "new_us_per_event": new / len(case.events) * 1e6,
          "old_us_per_event": old / len(case.events) * 1e6})


if __name__ == "__main__":
    main()
