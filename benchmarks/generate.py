"""Synthetic case files of a controlled size, as YAML and as CSV events tables.

Events come in blocks of 16 that use every kind and the main time forms (days, relative times,
approximate times, "after X" with no stated gap, schedules, cycles, course points, severity):

==  ============  =============================================================  ===============
#   kind          what                                                           items drawn
==  ============  =============================================================  ===============
1   drug          course with start and end                                      bar
2   drug          course with no end (ended by the dechallenge, #7)              bar + stop
3   drug          repeat schedule, 3 administrations                             bar + 3 doses
4   therapy       rescue cycles: 2 cycles of 2 days, relative start              bar + 4 doses
5   symptom       approximate onset, end, 2 course points (+ 2 severity, YAML)   band + onset ...
6   symptom       onset and duration (ongoing in the last block)                 band + onset
7   dechallenge   stops #2                                                       stop glyph
8   rechallenge   restarts #2                                                    restart glyph
9   investigation abnormal, with result text                                     diamond
10  investigation normal, value and reference                                    diamond
11  investigation "after #5", gap not stated                                     diamond + arrow
12  milestone     admission                                                      flag
13  milestone     discharge, relative                                            flag
14  therapy       short course                                                   bar
15  drug          concomitant, approximate start                                 bar + whisker
16  milestone     outcome (remission, with its rule, in 1 block of 16)           flag
==  ============  =============================================================  ===============

Every event has a label. "Events" in the benchmark sizes are events in the file; the resolved
items (administrations, course points, severity values) are counted separately.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass

BLOCK = 16
#: Days between blocks: a block's marks span about 30 days, so neighbours overlap a little.
BLOCK_DAYS = 9

CSV_COLUMNS = (
    "id", "kind", "type", "label", "lane", "drug", "role", "dose", "unit", "route", "start", "end",
    "at", "ongoing", "every", "count", "schedule_start", "cycles", "cycle_length", "cycle_days",
    "duration", "target", "test", "result", "interpretation", "value", "value_unit", "reference", "course",
    "stated",
)


@dataclass(frozen=True)
class Generated:
    yaml_path: str
    csv_path: str
    n_cases: int
    events_per_case: int

    @property
    def n_events(self) -> int:
        return self.n_cases * self.events_per_case


def lane_groups(n_events: int) -> int:
    """How many lanes of each family a case gets: more lanes for bigger cases (2..6)."""
    return max(2, min(6, n_events // 2500))


def events(n_events: int) -> Iterator[dict[str, object]]:
    """The events of one case, as YAML-shaped mappings (``severity`` and ``course`` nested)."""
    groups = lane_groups(n_events)
    for k in range((n_events + BLOCK - 1) // BLOCK):
        t = k * BLOCK_DAYS
        g = k % groups
        block: list[dict[str, object]] = [
            {"id": f"d{k}", "kind": "drug", "label": f"Drug {g} 5 mg/kg", "lane": f"Drug {g}",
             "drug": f"drug{g}", "dose": 5, "unit": "mg/kg", "start": f"day {t}", "end": f"day {t + 6}"},
            {"id": f"e{k}", "kind": "drug", "label": f"Suspect {g}", "lane": f"Suspect {g}",
             "drug": f"suspect{g}", "role": "suspected", "start": f"day {t}"},
            {"id": f"s{k}", "kind": "drug", "label": f"Weekly {g}", "lane": f"Weekly {g}",
             "drug": f"weekly{g}", "route": "SC",
             "schedule": {"every": "2 days", "count": 3, "start": f"day {t + 1}"}},
            {"id": f"r{k}", "kind": "therapy", "label": f"IVIG {g}", "lane": f"IVIG {g}", "drug": "IVIG",
             "schedule": {"cycles": {"count": 2, "length": "4 days", "days": "1-2",
                                     "start": f"1 day after s{k}#last"}}},
            {"id": f"y{k}", "kind": "symptom", "label": f"Rash {g}", "lane": f"Rash {g}",
             "start": {"time": f"about 2 days after d{k}", "stated": "a couple of days later"},
             "end": f"day {t + 9}",
             "course": [{"at": f"day {t + 4}", "state": "worsening"},
                        {"at": f"day {t + 7}", "state": "improvement"}],
             "severity": {"scale": "NRS", "min": 0, "max": 10,
                          "values": [{"at": f"day {t + 3}", "value": 4}, {"at": f"day {t + 5}", "value": 7}]}},
            # ongoing only in the last block: a running course reaches the end of the case
            {"id": f"f{k}", "kind": "symptom", "label": f"Fever {g}", "lane": f"Fever {g}",
             "start": f"day {t + 2}",
             **({"ongoing": True} if (k + 1) * BLOCK >= n_events else {"duration": "3 days"})},
            {"id": f"x{k}", "kind": "dechallenge", "label": "Stopped", "target": f"e{k}", "at": f"day {t + 5}"},
            {"id": f"z{k}", "kind": "rechallenge", "label": "Restarted", "target": f"e{k}",
             "at": f"day {t + 8}", "dose": 2},
            {"id": f"a{k}", "kind": "investigation", "label": f"ALT {g}", "lane": f"Liver tests {g}",
             "test": "ALT", "result": "ALT 240 U/L", "interpretation": "abnormal", "at": f"day {t + 3}"},
            {"id": f"b{k}", "kind": "investigation", "label": f"CRP {g}", "lane": f"Inflammation {g}",
             "test": "CRP", "value": 4, "value_unit": "mg/L", "reference": "0-5",
             "interpretation": "normal", "at": f"day {t + 6}"},
            {"id": f"c{k}", "kind": "investigation", "label": f"Biopsy {g}", "lane": f"Biopsy {g}",
             "test": "skin biopsy", "result": "Interface dermatitis", "at": f"after y{k}"},
            {"id": f"h{k}", "kind": "milestone", "type": "admission", "label": "Admitted",
             "lane": f"Hospital {g}", "at": f"day {t + 2}"},
            {"id": f"o{k}", "kind": "milestone", "type": "discharge", "label": "Discharged",
             "lane": f"Hospital {g}", "at": f"3 days after h{k}"},
            {"id": f"p{k}", "kind": "therapy", "label": f"Prednisolone {g}", "lane": f"Steroid {g}",
             "drug": "prednisolone", "start": f"day {t + 4}", "end": f"day {t + 7}"},
            {"id": f"q{k}", "kind": "drug", "label": f"PPI {g}", "lane": f"PPI {g}", "drug": f"ppi{g}",
             "role": "concomitant", "start": f"about day {t + 1}", "end": f"day {t + 8}"},
            # a remission draws a rule across all the case's lanes: rare in a case, so 1 block in 16
            {"id": f"m{k}", "kind": "milestone", "type": "remission" if k % 16 == 0 else "outcome",
             "label": "Remission" if k % 16 == 0 else "Improved",
             "lane": f"Outcome {g}", "at": f"day {t + 10}"},
        ]
        remaining = n_events - k * BLOCK
        if remaining < BLOCK:
            # keep references valid in a partial last block: drop only events nothing refers to
            keep_order = ("d", "e", "x", "a", "b", "h", "m", "p", "q", "f", "s", "r", "y", "c", "o", "z")
            chosen = {prefix for prefix in keep_order[:remaining]}
            block = [e for e in block if str(e["id"])[0] in chosen]
        yield from block


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value)


def _flow(value: object) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return _scalar(value)


def _case_yaml(case_id: str, title: str, n_events: int, indent: str) -> Iterator[str]:
    yield f"{indent}id: {case_id}\n"
    yield f"{indent}title: {json.dumps(title)}\n"
    yield f"{indent}anchor: day 0\n"
    yield f"{indent}suspect: {{drug: e0, reaction_event: y0}}\n"
    yield f"{indent}events:\n"
    for event in events(n_events):
        first = True
        for key, value in event.items():
            yield f"{indent}  {'- ' if first else '  '}{key}: {_flow(value)}\n"
            first = False


def write_yaml(path: str, n_cases: int, events_per_case: int) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write("caseline: 1\n")
        if n_cases == 1:
            f.write("case:\n")
            f.writelines(_case_yaml("bench", f"Synthetic case, {events_per_case} events", events_per_case, "  "))
        else:
            f.write("cases:\n")
            for c in range(n_cases):
                lines = _case_yaml(f"bench-{c}", f"Synthetic case {c + 1}", events_per_case, "    ")
                first = next(lines)
                f.write("  - " + first.lstrip())
                f.writelines(lines)


def _csv_row(event: dict[str, object]) -> dict[str, str]:
    row: dict[str, str] = {}
    for key, value in event.items():
        if key == "severity":
            continue  # no CSV column for severity scales
        if key == "schedule":
            assert isinstance(value, dict)
            if "cycles" in value:
                cycles = value["cycles"]
                row.update(cycles=str(cycles["count"]), cycle_length=str(cycles["length"]),
                           cycle_days=str(cycles["days"]), schedule_start=str(cycles["start"]))
            else:
                row.update(every=str(value["every"]), count=str(value["count"]),
                           schedule_start=str(value["start"]))
        elif key == "course":
            assert isinstance(value, list)
            row["course"] = "; ".join(f"{p['at']}: {p['state']}" for p in value)
        elif isinstance(value, dict):  # {time, stated}
            row[key] = str(value["time"])
            row["stated"] = str(value["stated"])
        elif isinstance(value, bool):
            row[key] = "true" if value else "false"
        else:
            row[key] = str(value)
    return row


def write_csv(path: str, n_events: int) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("# caseline: 1\n# id: bench\n")
        f.write(f"# title: Synthetic case, {n_events} events\n# anchor: day 0\n# suspect: e0\n")
        f.write("# reaction_event: y0\n")
        writer = csv.DictWriter(f, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for event in events(n_events):
            writer.writerow(_csv_row(event))


def generate(directory: str, n_events: int, n_cases: int = 1) -> Generated:
    """Write ``N x M`` events as YAML (and, for one case, as CSV) into ``directory``."""
    os.makedirs(directory, exist_ok=True)
    stem = os.path.join(directory, f"bench-{n_cases}x{n_events}")
    yaml_path = stem + ".caseline.yaml"
    csv_path = stem + ".events.csv"
    write_yaml(yaml_path, n_cases, n_events)
    if n_cases == 1:
        write_csv(csv_path, n_events)
    return Generated(yaml_path, csv_path if n_cases == 1 else "", n_cases, n_events)


if __name__ == "__main__":
    import sys

    out = generate(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    print(out)
