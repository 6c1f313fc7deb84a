"""``make fuzz``: many structure-aware mutants of the sample files through ``caseline.load``.

Run from the repository root with the tests folder on the path::

    PYTHONPATH=tests python -m fuzz.run --inputs 100000 --seed 11 --budget 3600

Each input is written to a temporary file and loaded through ``caseline.load`` (the CLI's, the window's
and the library's way in); a ``CaseFileError`` is the expected answer to a broken file. Anything else that
escapes, a diagnostic without a file position, an "internal error" diagnostic (the last-resort guard
caught a bug) or an input slower than ``--slow`` seconds is a finding: the input is saved under
``--findings`` with its seed, to become a regression test; the five slowest inputs are saved under
``--findings``/slowest. The report gives inputs, seed, time, the slowest inputs and every finding.
Exit status: 0 no findings, 1 findings, 2 the budget ran out first.
"""

from __future__ import annotations

import argparse
import heapq
import os
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

import caseline
from caseline.model.diagnostics import CaseFileError
from fuzz.mutate import SAMPLES, Mutant, mutant


def check(path: str) -> str | None:
    """None when ``path`` loads or is refused with positioned diagnostics; else what went wrong."""
    try:
        caseline.load(path)
    except CaseFileError as exc:
        for diagnostic in exc.diagnostics:
            if "internal error" in diagnostic.message:
                return diagnostic.message
            if diagnostic.pos.file != path:
                return f"diagnostic without this file's position: {diagnostic}"
    except Exception:  # what the promise rules out: a traceback
        return traceback.format_exc(limit=-6)
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--inputs", type=int, default=100_000, help="how many mutants (default 100,000)")
    parser.add_argument("--seed", type=int, default=11, help="the seed of the whole run (default 11)")
    parser.add_argument("--budget", type=float, default=3600.0, help="stop after this many seconds (default 3600)")
    parser.add_argument("--slow", type=float, default=1.0, help="an input slower than this is a finding (s)")
    parser.add_argument("--findings", default="fuzz-findings", help="folder for the inputs that found something")
    parser.add_argument("--progress", type=int, default=10_000, help="print a line every N inputs")
    args = parser.parse_args(argv)

    rng = random.Random(args.seed)
    folder = tempfile.mkdtemp(prefix="caseline-fuzz-")
    for sample in sorted(SAMPLES.glob("*.caseline.yaml")):  # warm up: imports and caches are not an input's time
        check(str(sample))
    slowest: list[tuple[float, int, str, tuple[str, ...]]] = []
    slow_texts: dict[int, str] = {}  # the slowest inputs' text, saved with the report
    findings: list[tuple[int, str, Mutant]] = []
    kinds: Counter[str] = Counter()
    started = time.perf_counter()
    done = 0
    load_time = 0.0
    for index in range(args.inputs):
        if time.perf_counter() - started > args.budget:
            break
        state = rng.getstate()
        item = mutant(rng)
        kinds[item.steps[0]] += 1
        path = os.path.join(folder, item.name)
        with open(path, "w", encoding="utf-8", errors="surrogatepass", newline="") as handle:
            handle.write(item.text)
        t0 = time.perf_counter()
        problem = check(path)
        elapsed = time.perf_counter() - t0
        load_time += elapsed
        done += 1
        entry = (elapsed, index, item.name, item.steps)
        if len(slowest) < 5:
            heapq.heappush(slowest, entry)
            slow_texts[index] = item.text
        elif elapsed > slowest[0][0]:
            dropped = heapq.heappushpop(slowest, entry)
            slow_texts.pop(dropped[1], None)
            slow_texts[index] = item.text
        if elapsed > args.slow:
            problem = (problem + "; " if problem else "") + f"took {elapsed:.2f} s"
        if problem is not None:
            findings.append((index, problem, item))
            _save(Path(args.findings), args.seed, index, item, problem, state)
        if args.progress and done % args.progress == 0:
            print(f"{done:,} inputs, {time.perf_counter() - started:.0f} s, {len(findings)} findings, slowest "
                  f"{max(slowest)[0]:.3f} s", file=sys.stderr, flush=True)
    total = time.perf_counter() - started
    slow_folder = Path(args.findings) / "slowest"
    slow_folder.mkdir(parents=True, exist_ok=True)
    for _elapsed, index, name, _steps in slowest:
        (slow_folder / f"seed{args.seed}-input{index}-{name}").write_text(
            slow_texts[index], encoding="utf-8", errors="surrogatepass")
    _report(args, done, total, load_time, slowest, findings, kinds)
    if findings:
        return 1
    return 2 if done < args.inputs else 0


def _save(folder: Path, seed: int, index: int, item: Mutant, problem: str, state: object) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"seed{seed}-input{index}"
    (folder / f"{stem}-{item.name}").write_text(item.text, encoding="utf-8", errors="surrogatepass")
    (folder / f"{stem}.txt").write_text(f"steps: {' | '.join(item.steps)}\n\n{problem}\n", encoding="utf-8")


def _report(args: argparse.Namespace, done: int, total: float, load_time: float,
            slowest: list[tuple[float, int, str, tuple[str, ...]]], findings: list[tuple[int, str, Mutant]],
            kinds: Counter[str]) -> None:
    print(f"caseline fuzz: {done:,} inputs, seed {args.seed}, {total:.0f} s in all "
          f"({load_time:.0f} s loading, {1000 * load_time / max(done, 1):.2f} ms per input)")
    print("inputs per sample: " + ", ".join(f"{name} {n:,}" for name, n in sorted(kinds.items())))
    print("slowest inputs:")
    for elapsed, index, name, steps in sorted(slowest, reverse=True):
        print(f"  {elapsed:.3f} s  input {index} ({name}): {' | '.join(steps)}")
    print(f"findings: {len(findings)}")
    for index, problem, item in findings[:50]:
        print(f"  input {index} ({' | '.join(item.steps)}): {problem.strip().splitlines()[-1][:300]}")


if __name__ == "__main__":
    sys.exit(main())
