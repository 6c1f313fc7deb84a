"""load_file reads a file without source positions first, and again with them when it has something to say.

Positions only place messages: the cases of a file without problems resolve exactly as with positions,
and a file with problems gets every message with its FILE:LINE:COL, as a reader with positions gives them.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from caseline.io import registry
from caseline.io.located import keeps_positions, without_positions
from caseline.model import SourcePos
from caseline.timeline.load import load_file
from caseline.timeline.resolved import Item, ResolvedCase
from caseline.timeline.resolver import resolve_case
from standards_support import standard_file
from support import SAMPLES

ITEM_FIELDS = [f.name for f in dataclasses.fields(Item) if f.name != "event"]


def resolved_with_positions(path: Path) -> list[ResolvedCase]:
    read = registry.read(str(path))
    assert keeps_positions()
    return [resolve_case(case) for case in read.cases]


def rows(case: ResolvedCase) -> list[tuple[object, ...]]:
    return [tuple(getattr(item, name) for name in ITEM_FIELDS) for item in case.items]


@pytest.mark.parametrize("name", ["infliximab-pyoderma.caseline.yaml", "infliximab-pyoderma.events.csv",
                                  "bortezomib-myeloma.caseline.yaml", "crps-infliximab.caseline.yaml"])
def test_a_file_without_problems_resolves_the_same_without_positions(name: str) -> None:
    path = SAMPLES / name
    result = load_file(path)
    assert result.ok and not result.diagnostics
    full = resolved_with_positions(path)
    assert [rows(c) for c in result.cases] == [rows(c) for c in full]
    assert [c.anchor_description for c in result.cases] == [c.anchor_description for c in full]
    # no positions kept: every event is at the file's (line 0) position
    nowhere = SourcePos(str(path))
    assert all(e.pos == nowhere for c in result.cases for e in c.case.events)
    assert all(e.pos.line >= 1 for c in full for e in c.case.events)


def test_without_positions_says_whether_a_reader_left_them_out() -> None:
    assert keeps_positions()
    with without_positions() as dropped:
        assert not dropped.used
        assert not keeps_positions() and dropped.used
    assert keeps_positions()


YAML = """\
caseline: 1
case:
  id: t
  title: T
  events:
    - {id: a, kind: drug, label: A, start: day 0}
    - id: b
      kind: symptom
      label: B
      start: day 5
      end: day 2
"""


def test_a_file_with_a_problem_is_read_again_with_positions(tmp_path: Path) -> None:
    path = tmp_path / "t.caseline.yaml"
    path.write_text(YAML, encoding="utf-8")
    result = load_file(path)
    assert not result.ok
    assert [str(d) for d in result.errors] == [
        f"{path}:11:12: 'b' ends (day 2) before it starts (day 5): b.start 'day 5' ({path}:10:14); "
        f"b.end 'day 2' ({path}:11:12) (check 'start', 'end' and 'duration')"]
    # the cases of such a file keep their positions (the messages of the window and the CLI use them)
    assert [e.pos.line for e in result.cases[0].case.events] == [6, 7]


def test_a_table_with_a_warning_keeps_its_positions(tmp_path: Path) -> None:
    path = tmp_path / "t.events.csv"
    path.write_text("id,kind,label,start,schedule_at\nd,drug,D,day 0,\nw,drug,W,,day 1; day 3\n", encoding="utf-8")
    result = load_file(path)
    assert result.diagnostics and all(d.pos.line >= 1 for d in result.diagnostics), result.diagnostics
    w = result.cases[0].case.event("w")
    assert w is not None and w.pos.line == 3
    assert [t.pos.col for t in w.schedule.times if t.pos] == [11, 18]  # type: ignore[union-attr]


def test_an_import_with_warnings_is_converted_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import caseline.io.standards as standards

    conversions: list[object] = []
    convert = standards.convert_paths

    def counting(*args: object, **kwargs: object) -> object:
        conversions.append(args)
        return convert(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(standards, "convert_paths", counting)
    result = load_file(standard_file("fhir_r4/synthea_covid_juvenile_Cris921.json"))
    assert result.ok and [d for d in result.diagnostics if not d.is_error]  # the converter's warnings
    assert len(conversions) == 1  # the converted document kept its positions: no second conversion
    assert all(e.pos.line >= 1 for c in result.cases for e in c.case.events)
