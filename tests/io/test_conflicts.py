"""Facts a paper states two ways (issue 13): encoded with both values and their sources, shown, warned."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseline.analysis.deidentify import deidentify_case
from caseline.analysis.wording import describe_case, describe_item
from caseline.layout.timeline_layout import build_layout
from caseline.timeline.load import LoadResult, load_file

CASE = """caseline: 1
case:
  id: c
  title: T
  patient: {{age: 95}}
  anchor_date: 2010-02-01
  suspect: {{drug: ifx}}
  conflicts:
{conflicts}
  events:
    - {{id: ifx, kind: drug, drug: infliximab, start: 2010-02-01}}
    - {{id: rash, kind: symptom, label: Rash, start: 2010-02-14}}
"""
GOOD = """    - about: patient.age
      values: [{value: 95, source: Abstract}, {value: 96, source: Case report}]
    - about: rash.start
      values: [{value: 2010-02-14, source: Case report}, {value: 2010-02-20, source: Table 1}]
      note: the table is probably a typo"""


def load(tmp_path: Path, conflicts: str) -> LoadResult:
    path = tmp_path / "c.caseline.yaml"
    path.write_text(CASE.format(conflicts=conflicts), encoding="utf-8")
    return load_file(path)


def test_both_values_are_kept_shown_and_warned(tmp_path: Path) -> None:
    result = load(tmp_path, GOOD)
    assert result.ok
    assert [d.message for d in result.diagnostics] == [
        "patient.age is stated in 2 ways: '95' (Abstract) or '96' (Case report); '95' used",
        "rash.start is stated in 2 ways: '2010-02-14' (Case report) or '2010-02-20' (Table 1); '2010-02-14' used "
        "(the table is probably a typo)"]
    assert all(d.level.value == "warning" for d in result.diagnostics)
    (case,) = result.cases
    rash = case.item("rash")
    assert rash is not None and rash.start is not None and rash.start.best == 13  # the value in the field is used
    assert ("Sources differ", "start: '2010-02-14' (Case report) or '2010-02-20' (Table 1); '2010-02-14' used "
            "(the table is probably a typo)") in describe_item(case, rash)
    assert ("Sources differ", "patient.age: '95' (Abstract) or '96' (Case report); '95' used") in describe_case(
        case.case)
    assert "Rash (sources differ)" in {label.text for label in build_layout([case]).labels}


def test_the_deidentified_view_rewrites_their_dates_and_leaves_out_ages(tmp_path: Path) -> None:
    (case,) = load(tmp_path, GOOD).cases
    shown = deidentify_case(case)
    text = repr(describe_item(shown, shown.item("rash"), deidentified=True)) + repr(  # type: ignore[arg-type]
        describe_case(shown.case, deidentified=True))
    assert "2010" not in text and "96" not in text
    assert "day 13" in text and "day 19" in text


@pytest.mark.parametrize(("conflicts", "message"), [
    ("    - {about: rash.colour, values: [{value: red}, {value: blue}]}", "a conflict about 'rash.colour', which is "
                                                                           "not a fact of this case"),
    ("    - {about: rahs.start, values: [{value: day 1}, {value: day 2}]}", "a conflict about 'rahs.start', which is "
                                                                            "not a fact of this case"),
    ("    - {about: rash.start, values: [{value: day 1}]}", "a conflict needs 'values': at least two values, each "
                                                            "with its source"),
    ("    - {about: rash.start, values: [{value: day 1}, {value: fortnight}]}", "'fortnight' refers to an event "
                                                                           "'fortnight' that does not exist"),
])
def test_mistakes_in_a_conflict_are_errors(tmp_path: Path, conflicts: str, message: str) -> None:
    result = load(tmp_path, conflicts)
    assert any(d.message == message for d in result.errors), [str(d) for d in result.diagnostics]
