"""The story's window takes in what reports say follows the reaction: a re-exposure (the causality aid's
evidence) and a procedure given for the reaction widen the focus like a rescue therapy does."""

from __future__ import annotations

from pathlib import Path

from caseline.analysis.focus import story_span
from caseline.timeline.load import load_file

CASE = """caseline: 1
case:
  id: c
  title: T
  suspect: {drug: ifx, reaction_event: rash}
  events:
    - {id: ifx, kind: drug, drug: infliximab, start: day 0, end: day 20}
    - {id: rash, kind: symptom, label: Rash, start: day 14, end: day 40}
"""


def span(tmp_path: Path, extra: str = "") -> tuple[float, float] | None:
    path = tmp_path / "c.caseline.yaml"
    path.write_text(CASE + extra, encoding="utf-8")
    result = load_file(path)
    assert result.diagnostics == [], [str(d) for d in result.diagnostics]
    return story_span(result.cases[0])


def test_a_reexposure_is_part_of_the_story(tmp_path: Path) -> None:
    assert span(tmp_path) == (0.0, 40.0)
    again = "    - {id: again, kind: rechallenge, target: ifx, at: day 200, exposure: deliberate, outcome: recurred}\n"
    assert span(tmp_path, again) == (0.0, 200.0)


def test_a_procedure_is_part_of_the_story_as_a_rescue_therapy_is(tmp_path: Path) -> None:
    plex = "    - {id: plex, kind: procedure, type: plasma_exchange, start: day 30, end: day 90}\n"
    assert span(tmp_path, plex) == (0.0, 90.0)
