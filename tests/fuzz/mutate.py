"""Structure-aware mutations of the sample case files, for fuzzing the readers (issue 11).

A mutant starts from a sample file (YAML case file or CSV events table), keeps a random part of one
case, and changes what a case file can ask for: time expressions, references, schedules, numbers,
unicode text, value types and keys; then, on the text, YAML tags, line ends and stray characters.
Everything is driven by one ``random.Random``, so a seed reproduces a mutant exactly.

Used by ``tests/fuzz/test_fuzz_load.py`` (a few seconds, in ``make test``) and by ``tests/fuzz/run.py``
(``make fuzz``: many inputs, a time budget, the slowest input reported).
"""

from __future__ import annotations

import copy
import csv
import io
import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

SAMPLES = Path(__file__).resolve().parents[2] / "sample_cases"

#: Numbers that have broken parsers before (unicode digits, Python's 4,300-digit limit, NaN, huge).
NUMBERS = ("0", "-1", "1", "3", "21", "10000", "10001", "10000000", "1e999", "-1e999", "nan", ".nan", ".inf",
           "²", "①", "٣", "３", "1_000", "0x1F", "9" * 5000, "9" * 400, "0.5", "1.", ".5", "-0", "1e-400",
           "99999999999999999999")
UNITS = ("day", "days", "week", "weeks", "month", "months", "year", "years", "hours", "minutes", "d", "wk",
         "fortnight", "sec")
WORDS = ("after", "before", "about", "between", "and", "to", "within", "at least", "at most", "shortly after",
         "then", "later", "or more", "±", "+", "-", "~", "unknown", "dose", "of", "early", "mid", "late", "but")
DATES = ("2010-02-14", "2010-02", "2010", "February 2010", "14 February 2010", "2010-02-30", "0001-01-01",
         "9999-12-31", "10000-01-01", "2010-13-01", "2010-0²-01", "2010-02-14T25:00", "early 2010", "1799",
         "2201", "Feb 2010", "2010-02-14 14:30")
UNICODE = ("²", "①", "٣", "\u200f", "\u202e", "\x00", "\x7f", "\ufeff", "é", "💊", "\u0301", "\t", "\r", "\\",
           '"', "'", "#", ": ", "- ", "{", "}", "[", "]", "&a", "*a", "!!", "%", "@", "`", "|", ">")
TAGS = ("!!float", "!!int", "!!bool", "!!str", "!!null", "!!timestamp", "!!binary", "!!set", "!!omap", "!!seq",
        "!!map", "!foo", "!!python/object")
TEXT_INSERTS = ("\r", "\r\n", "\n", "\t", "\x00", "  ", "- ", ": ", "? ", "---\n", "...\n", "&a ", "*a", "<<: ",
                "{", "[", "'", '"', "#", "%YAML 1.1\n", "\ufeff")
KEYS = ("id", "kind", "label", "lane", "start", "end", "at", "duration", "schedule", "cycles", "every", "count",
        "until", "days", "length", "dose", "unit", "drug", "role", "target", "course", "severity", "anchor",
        "anchor_date", "suspect", "events", "case", "cases", "caseline", "year", "citation", "patient", "age",
        "stated", "ongoing", "identifying", "reference", "value", "caseset", "files", "range", "strat")


@dataclass(frozen=True)
class Mutant:
    """One fuzzed input: the file name to write it under, its text, and what was done to it."""

    name: str
    text: str
    steps: tuple[str, ...]


def _load_samples() -> list[tuple[str, str]]:
    return [(p.name, p.read_text(encoding="utf-8")) for p in sorted(SAMPLES.iterdir())
            if p.name.endswith((".caseline.yaml", ".csv")) and p.is_file()]


_SAMPLES: list[tuple[str, str]] = []
_PARSED: dict[str, Any] = {}


def samples() -> list[tuple[str, str]]:
    """(file name, text) of every sample case file and events table."""
    if not _SAMPLES:
        _SAMPLES.extend(_load_samples())
    return _SAMPLES


def _parsed(name: str, text: str) -> Any:
    if name not in _PARSED:
        _PARSED[name] = yaml.safe_load(text)
    return _PARSED[name]


# --------------------------------------------------------------------------- values

def number(rng: random.Random) -> str:
    return rng.choice(NUMBERS) if rng.random() < 0.7 else str(rng.randint(-10**6, 10**7))


def event_id(rng: random.Random, ids: list[str]) -> str:
    roll = rng.random()
    if ids and roll < 0.6:
        return rng.choice(ids)
    if ids and roll < 0.8:  # a typo of a real id
        base = list(rng.choice(ids))
        if base:
            base[rng.randrange(len(base))] = rng.choice("abcxyz_-0")
        return "".join(base)
    return rng.choice(("zz", "unknown_event", "a-b", "x" * rng.randint(1, 300), "1abc", "ifx", "e0"))


def reference(rng: random.Random, ids: list[str]) -> str:
    ref = event_id(rng, ids)
    roll = rng.random()
    if roll < 0.25:
        return f"{ref}#{rng.choice(('1', '3', 'last', 'first', '0', '10001', '9' * 5000, '²', number(rng)))}"
    if roll < 0.4:
        return f"{ref}.{rng.choice(('start', 'end', 'middle'))}"
    if roll < 0.45:
        return f"dose {number(rng)} of {ref}"
    return ref


def duration(rng: random.Random) -> str:
    if rng.random() < 0.1:
        return rng.choice(("P2W", "PT30M", "P1Y6M", "P" + "9" * 400 + "D", "P", "PT"))
    parts = [f"{number(rng)} {rng.choice(UNITS)}" for _ in range(rng.choice((1, 1, 1, 2, 3)))]
    if rng.random() < 0.15:
        parts[0] = f"{number(rng)}-{number(rng)} {rng.choice(UNITS)}"
    text = " ".join(parts)
    if rng.random() < 0.1:
        text = rng.choice(("about ", "several ", "a few ", "two ", "~")) + text
    return text


def time_expression(rng: random.Random, ids: list[str]) -> str:
    """A time expression from the grammar of docs/case-format.md, often subtly wrong."""
    roll = rng.random()
    if roll < 0.15:
        text = rng.choice(DATES)
    elif roll < 0.3:
        text = f"{rng.choice(('day', 'week', 'month', 'year'))} {rng.choice(('', '-', '+'))}{number(rng)}"
    elif roll < 0.6:
        text = f"{duration(rng)} {rng.choice(('after', 'before', 'later than'))} {reference(rng, ids)}"
    elif roll < 0.7:
        text = f"{rng.choice(('after', 'before', 'shortly after', 'not before'))} {reference(rng, ids)}"
    elif roll < 0.78:
        text = f"between {time_expression(rng, ids)} and {time_expression(rng, ids)}"
    elif roll < 0.84:
        text = f"after {reference(rng, ids)} and before {reference(rng, ids)}"
    elif roll < 0.9:
        text = " ".join(rng.choice(WORDS + UNITS + tuple(ids or ["x"])) for _ in range(rng.randint(1, 8)))
    elif roll < 0.94:
        text = rng.choice(("then", "later", "2 weeks later", "unknown", "?", "", " ", "shortly afterwards"))
    else:
        text = f"{reference(rng, ids)} {rng.choice(('+', '-'))} {duration(rng)}"
    if rng.random() < 0.08:
        text = f"about {text}"
    if rng.random() < 0.05:
        text = f"{text} ± {duration(rng)}"
    if rng.random() < 0.01:
        text = text * rng.randint(50, 2000)  # very long times
    return text


def schedule(rng: random.Random, ids: list[str]) -> Any:
    roll = rng.random()
    if roll < 0.3:
        return {"at": [time_expression(rng, ids) for _ in range(rng.randint(0, 6))]}
    if roll < 0.6:
        out: dict[str, Any] = {"every": duration(rng)}
        if rng.random() < 0.6:
            out["count"] = rng.choice((1, 3, 0, -1, 10000, 10001, 10**7, "unknown", "²", 2.5, True))
        if rng.random() < 0.5:
            out["until"] = time_expression(rng, ids)
        if rng.random() < 0.7:
            out["start"] = time_expression(rng, ids)
        return out
    days: Any = rng.choice(([1, 4, 8, 11], "1-5", "1-10000000", "1-10000", 1, [3, 1], [], "0-3", "5-1", "1-²",
                            [1] * 5, list(range(1, 200))))
    cycles = {"count": rng.choice((2, 4, 10000, 10001, "unknown", 0, 10**6)), "days": days,
              "length": rng.choice(("21 days", "unknown", "0 days", "-1 days", duration(rng)))}
    return {"cycles": cycles, "start": time_expression(rng, ids)} if rng.random() < 0.7 else {"cycles": cycles}


def strange_value(rng: random.Random, ids: list[str]) -> Any:
    """A value of a type a field may not expect."""
    return rng.choice((None, True, False, 0, -3, 1.5, float("nan"), float("inf"), [], {}, ["a", 1], {"time": "day 1"},
                       {"x": None}, "", "²", date(2010, 2, 14), 10**30, "x" * rng.choice((1, 1000, 200_000)),
                       time_expression(rng, ids)))


def mangle_text(rng: random.Random, text: str) -> str:
    if not text:
        return rng.choice(UNICODE)
    i = rng.randrange(len(text) + 1)
    roll = rng.random()
    if roll < 0.5:
        return text[:i] + rng.choice(UNICODE) + text[i:]
    if roll < 0.7:
        return text[:i] + text[i + 1:]
    if roll < 0.85:
        return text.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    return text.replace("1", "¹").replace("2", "²")


# --------------------------------------------------------------------------- YAML documents

def _events_of(doc: Any) -> list[dict[str, Any]]:
    case = doc.get("case") if isinstance(doc, dict) else None
    if isinstance(case, dict) and isinstance(case.get("events"), list):
        return case["events"]  # type: ignore[no-any-return]
    return []


def _nodes(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    """Every (path, value) of a document, containers included."""
    out = [(path, value)]
    if isinstance(value, dict):
        for key, item in value.items():
            out.extend(_nodes(item, (*path, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out.extend(_nodes(item, (*path, index)))
    return out


def _set(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    return doc


def _case_document(rng: random.Random, name: str, text: str) -> dict[str, Any]:
    """One case of a sample file, with a random part of its events (small inputs fuzz faster)."""
    source = _parsed(name, text)
    cases = source.get("cases") or [source.get("case")]
    case = copy.deepcopy(rng.choice([c for c in cases if isinstance(c, dict)]))
    events = case.get("events") or []
    if events and rng.random() < 0.8:
        keep = rng.randint(1, min(len(events), 12))
        start = rng.randrange(len(events) - keep + 1)
        case["events"] = events[start:start + keep]
    return {"caseline": 1, "case": case}


def mutate_document(rng: random.Random, doc: dict[str, Any], steps: list[str]) -> dict[str, Any]:
    events = _events_of(doc)
    ids = [str(e.get("id")) for e in events if isinstance(e, dict) and e.get("id")]
    for _ in range(rng.randint(1, 4)):
        roll = rng.random()
        nodes = _nodes(doc)
        if roll < 0.3:  # a time expression
            timed = [(p, v) for p, v in nodes if p and p[-1] in ("start", "end", "at", "time", "until", "anchor")]
            if timed:
                path, _ = rng.choice(timed)
                doc = _set(doc, path, time_expression(rng, ids))
                steps.append(f"time {'.'.join(map(str, path))}")
        elif roll < 0.4 and events:  # a schedule
            event = rng.choice(events)
            if isinstance(event, dict):
                event["schedule"] = schedule(rng, ids)
                steps.append(f"schedule of {event.get('id')}")
        elif roll < 0.5:  # a value of a strange type
            path, _ = rng.choice(nodes)
            if path:
                doc = _set(doc, path, strange_value(rng, ids))
                steps.append(f"type {'.'.join(map(str, path))}")
        elif roll < 0.6:  # unicode inside text
            texts = [(p, v) for p, v in nodes if isinstance(v, str) and p]
            if texts:
                path, value = rng.choice(texts)
                doc = _set(doc, path, mangle_text(rng, value))
                steps.append(f"unicode {'.'.join(map(str, path))}")
        elif roll < 0.7:  # keys: rename, drop, add
            maps = [(p, v) for p, v in nodes if isinstance(v, dict) and v]
            if maps:
                path, mapping = rng.choice(maps)
                key = rng.choice(list(mapping))
                action = rng.choice(("rename", "drop", "add"))
                if action == "rename":
                    mapping[rng.choice(KEYS)] = mapping.pop(key)
                elif action == "drop":
                    del mapping[key]
                else:
                    mapping[rng.choice(KEYS)] = strange_value(rng, ids) if rng.random() < 0.5 \
                        else time_expression(rng, ids)
                steps.append(f"key {action} {key} at {'.'.join(map(str, path))}")
        elif roll < 0.78 and events:  # references: ring, chain, unknown targets
            kind = rng.choice(("ring", "unknown", "target", "many"))
            n = len(events)
            for i, event in enumerate(events):
                if not isinstance(event, dict):
                    continue
                if kind == "ring":
                    event["start"] = f"{rng.choice(('1 day ', '', '2 weeks '))}after {ids[(i + 1) % len(ids)]}" \
                        if ids else "after x"
                elif kind == "unknown":
                    event["start"] = f"1 day after {event_id(rng, [])}{i}"
                elif kind == "target":
                    event["target"] = event_id(rng, ids)
            if kind == "many":
                template = copy.deepcopy(rng.choice(events))
                for k in range(rng.choice((10, 50, 200))):
                    clone = copy.deepcopy(template)
                    if isinstance(clone, dict):
                        clone["id"] = f"m{k}"
                        clone["start"] = f"1 day after m{k - 1}" if k else "day 0"
                    events.append(clone)
            steps.append(f"references {kind} over {n} events")
        elif roll < 0.86:  # numbers
            numeric = [(p, v) for p, v in nodes if p and (isinstance(v, int | float) or p[-1] in
                                                          ("dose", "year", "age", "count", "value", "caseline"))]
            if numeric:
                path, _ = rng.choice(numeric)
                doc = _set(doc, path, number(rng) if rng.random() < 0.5 else strange_value(rng, ids))
                steps.append(f"number {'.'.join(map(str, path))}")
        elif roll < 0.93:  # a scalar anywhere becomes a time or a reference
            leaves = [(p, v) for p, v in nodes if p and not isinstance(v, dict | list)]
            if leaves:
                path, _ = rng.choice(leaves)
                doc = _set(doc, path, reference(rng, ids) if rng.random() < 0.5 else time_expression(rng, ids))
                steps.append(f"scalar {'.'.join(map(str, path))}")
        else:  # nesting
            path, _ = rng.choice(nodes)
            if path:
                deep: Any = "x"
                for _ in range(rng.choice((3, 30, 70))):
                    deep = [deep] if rng.random() < 0.5 else {"a": deep}
                doc = _set(doc, path, deep)
                steps.append(f"nesting {'.'.join(map(str, path))}")
    return doc


def mutate_text(rng: random.Random, text: str, steps: list[str]) -> str:
    """Byte-level changes after dumping: tags, line ends, stray characters, cut files."""
    lines = text.split("\n")
    for _ in range(rng.choice((0, 0, 1, 1, 2))):
        if not lines:
            break
        roll = rng.random()
        i = rng.randrange(len(lines))
        line = lines[i]
        if roll < 0.35 and ": " in line:
            key, _, value = line.partition(": ")
            lines[i] = f"{key}: {rng.choice(TAGS)} {rng.choice((value, 'r', repr(''), number(rng), '[1]'))}"
            steps.append(f"tag line {i + 1}")
        elif roll < 0.55:
            j = rng.randrange(len(line) + 1)
            lines[i] = line[:j] + rng.choice(TEXT_INSERTS) + line[j:]
            steps.append(f"insert line {i + 1}")
        elif roll < 0.7:
            lines.insert(i, lines[rng.randrange(len(lines))])
            steps.append(f"duplicate line {i + 1}")
        elif roll < 0.8:
            del lines[i]
            steps.append(f"delete line {i + 1}")
        elif roll < 0.9:
            lines = lines[:i]
            steps.append(f"cut at line {i + 1}")
        else:
            steps.append("line ends " + rng.choice(("CR", "CRLF")))
            return rng.choice(("\r", "\r\n")).join(lines)
    return "\n".join(lines)


_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _dump(doc: Any) -> str:
    try:
        return yaml.dump(doc, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=120)
    except (yaml.YAMLError, RecursionError, ValueError):
        return yaml.safe_dump({"caseline": 1, "case": "broken"})


# --------------------------------------------------------------------------- CSV tables

def mutate_csv(rng: random.Random, text: str, steps: list[str]) -> str:
    lines = text.splitlines()
    meta = [line for line in lines if line.startswith("#")]
    body = [line for line in lines if not line.startswith("#")]
    rows = list(csv.reader(io.StringIO("\n".join(body))))
    header, data = rows[0], rows[1:]
    if data and rng.random() < 0.8:
        keep = rng.randint(1, min(len(data), 10))
        start = rng.randrange(len(data) - keep + 1)
        data = data[start:start + keep]
    ids = [r[0] for r in data if r]
    columns = {name: k for k, name in enumerate(header)}
    for _ in range(rng.randint(1, 4)):
        roll = rng.random()
        if not data:
            break
        row = rng.choice(data)
        if roll < 0.35:
            column = rng.choice([c for c in ("start", "end", "at", "schedule_at", "schedule_start") if c in columns])
            row[columns[column]] = time_expression(rng, ids)
            steps.append(f"csv time {column}")
        elif roll < 0.5:
            for column, value in (("cycles", number(rng)), ("cycle_days", rng.choice(("1-5", "1-10000000", "1;4;8",
                                                                                       "²", "1;²", number(rng)))),
                                  ("cycle_length", duration(rng))):
                if column in columns:
                    row[columns[column]] = value
            steps.append("csv schedule")
        elif roll < 0.65:
            k = rng.randrange(len(row)) if row else 0
            if row:
                row[k] = number(rng) if rng.random() < 0.5 else mangle_text(rng, row[k])
            steps.append(f"csv cell {k}")
        elif roll < 0.75:
            meta.append(f"# {rng.choice(('patient_age', 'anchor', 'suspect', 'caseline', 'id', 'agee'))}: "
                        f"{rng.choice((number(rng), time_expression(rng, ids), '①'))}")
            steps.append("csv metadata")
        elif roll < 0.85:
            header = [mangle_text(rng, h) if rng.random() < 0.2 else h for h in header]
            steps.append("csv header")
        else:
            data.append([mangle_text(rng, c) for c in rng.choice(data)] + ([""] if rng.random() < 0.3 else []))
            steps.append("csv row")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(data)
    table = "\n".join(meta) + "\n" + out.getvalue()
    return mutate_text(rng, table, steps) if rng.random() < 0.3 else table


# --------------------------------------------------------------------------- entry

def mutant(rng: random.Random) -> Mutant:
    """One fuzzed input from a sample file, reproducible from ``rng``'s state."""
    name, text = rng.choice(samples())
    steps: list[str] = [name]
    if name.endswith(".csv"):
        return Mutant("fuzz.events.csv", mutate_csv(rng, text, steps), tuple(steps))
    doc = mutate_document(rng, _case_document(rng, name, text), steps)
    dumped = _dump(doc)
    if rng.random() < 0.5:
        dumped = mutate_text(rng, dumped, steps)
    if rng.random() < 0.1:
        import json

        try:
            return Mutant("fuzz.caseline.json", json.dumps(yaml.safe_load(dumped), default=str), tuple(steps))
        except Exception:
            pass
    return Mutant("fuzz.caseline.yaml", dumped, tuple(steps))
