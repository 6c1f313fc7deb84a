"""The tables of "How caseline reasons about time" (docs/case-format.md) say what caseline does.

Each table follows the example it describes: its rows are checked against that example, resolved.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from caseline.analysis.tables import timeline_table
from caseline.timeline.load import load_file
from caseline.timeline.resolved import ResolvedCase

DOC = Path(__file__).resolve().parents[2] / "docs" / "case-format.md"
FENCE = re.compile(r"^```yaml\n(?P<body>.*?)^```", re.MULTILINE | re.DOTALL)


def section(title: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    return text.split(f"### {title}\n", 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]


def example(part: str, tmp_path: Path) -> ResolvedCase:
    match = FENCE.search(part)
    assert match is not None
    path = tmp_path / "example.caseline.yaml"
    path.write_text(match.group("body"), encoding="utf-8")
    result = load_file(path)
    assert result.ok and not result.diagnostics, result.diagnostics
    return result.cases[0]


def rows(part: str) -> list[list[str]]:
    table = [line for line in part.splitlines() if line.startswith("| `")]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in table]


def days(cell: str) -> tuple[float, float]:
    """'101.3 …' / '… 10' / '10 … 17' / '24' (text in parentheses ignored) as (lo, hi)."""
    cell = cell.split("(")[0].replace("each", "").strip()
    if "…" not in cell:
        return float(cell), float(cell)
    lo, hi = (part.strip() for part in cell.split("…"))
    return (float(lo) if lo else -math.inf), (float(hi) if hi else math.inf)


def check(case: ResolvedCase, item_id: str, cell: str) -> None:
    item = case.item(item_id)
    assert item is not None and item.start is not None, item_id
    lo, hi = days(cell)
    digits = 3 if "." in cell and len(cell.split(".")[1].split()[0]) > 1 else 1
    assert round(item.start.lo, digits) == lo or (math.isinf(lo) and math.isinf(item.start.lo)), item_id
    assert round(item.start.hi, digits) == hi or (math.isinf(hi) and math.isinf(item.start.hi)), item_id


def test_the_phrases_table(tmp_path: Path) -> None:
    part = section("The phrases papers use")
    case = example(part, tmp_path)
    by_phrase = {item.stated: item for item in case.items}
    frame = timeline_table([case]).set_index("item_id")
    table = rows(part)
    assert len(table) >= 15
    for phrase, span, known, vague, date in table:
        item = by_phrase[phrase.strip("`")]
        check(case, item.item_id, span)
        assert item.known.value == known and item.vague == (vague == "yes"), phrase
        assert frame.loc[item.item_id, "start_date"] == date.strip("`"), phrase


@pytest.mark.parametrize("title", ["Told in order: `then` and `N later`", "Partial dates of day 0"])
def test_the_narrative_and_partial_date_tables(title: str, tmp_path: Path) -> None:
    part = section(title)
    case = example(part, tmp_path)
    frame = timeline_table([case]).set_index("item_id")
    for row in rows(part):
        item_ids = [i.strip("`") for i in row[0].split(" … ")]
        for item_id in item_ids:
            check(case, item_id, row[1])
            if len(row) == 4:  # known, start_day
                assert case.item(item_id).known.value == row[2]  # type: ignore[union-attr]
                shown = frame.loc[item_id, "start_day"]
                if row[3] == "empty":
                    assert shown is frame["start_day"].dtype.na_value, item_id
                else:
                    assert shown == float(row[3]), item_id
            else:  # start_date
                assert frame.loc[item_id, "start_date"] == row[2].strip("`")


def test_the_repeats_example(tmp_path: Path) -> None:
    case = example(section("Repeats with unknown spacing or count"), tmp_path)
    assert case.item("btz#5").start.lo == 11 and case.item("btz#9").start.lo == 22  # type: ignore[union-attr]
    sessions = [case.item(f"plex#{n}") for n in range(1, 11)]
    assert all(s is not None and s.known.value == "ordered" and math.isinf(s.start.hi)  # type: ignore[union-attr]
               for s in sessions)
    between = case.between(case.item("better"), case.item("ifx#1"))  # type: ignore[arg-type]
    assert between is not None and (between.lo, between.hi) == (126, 126)
    assert case.item("better").known.value == "ordered"  # type: ignore[union-attr]
