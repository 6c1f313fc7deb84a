"""The tooltip and the details panel say what the report says: a rescue therapy's response, the reported
causality, a reaction's outcome and seriousness, a pertinent negative, a re-exposure and links."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseline.analysis.wording import describe_case, describe_item
from caseline.timeline.load import load_file
from caseline.timeline.resolved import ItemRole, ResolvedCase

CASE = """caseline: 1
case:
  id: c
  title: T
  suspect: {drug: ifx, reaction_event: weakness}
  causality:
    - {drug: ifx, reaction: weakness, scale: naranjo, value: "7", by: authors, note: probable}
  events:
    - {id: ifx, kind: drug, drug: infliximab, schedule: {at: [week 0, week 2, week 6]}}
    - id: weakness
      kind: symptom
      label: Weakness
      start: 2 weeks after ifx#3
      seriousness: [hospitalisation]
      outcome: recovering
      grade: {scale: MRC, value: "4"}
      action_taken: withdrawn
      links: [{type: improved_after, target: ivig}]
    - {id: sensory, kind: symptom, label: Sensory loss, start: weakness, absent: true}
    - {id: mp, kind: therapy, drug: methylprednisolone, start: week 9, duration: 5 days, response: none}
    - {id: ivig, kind: therapy, label: IVIG, drug: IVIG, start: week 10, duration: 5 days, response: complete}
    - {id: ada, kind: rechallenge, target: ifx, at: week 30, exposure: class_switch, drug: adalimumab,
       outcome: did_not_recur}
    - {id: plex, kind: procedure, type: plasma_exchange, start: week 12, duration: 10 days, response: partial}
"""


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> ResolvedCase:
    path = tmp_path_factory.mktemp("wording") / "c.caseline.yaml"
    path.write_text(CASE, encoding="utf-8")
    result = load_file(path)
    assert result.diagnostics == [], [str(d) for d in result.diagnostics]
    return result.cases[0]


def rows(case: ResolvedCase, event_id: str) -> dict[str, list[str]]:
    item = next(i for i in case.items_of(event_id) if i.role in (ItemRole.COURSE, ItemRole.POINT))
    out: dict[str, list[str]] = {}
    for field, text in describe_item(case, item):
        out.setdefault(field, []).append(text)
    return out


def test_a_rescue_therapy_tooltip_shows_its_response(case: ResolvedCase) -> None:
    assert rows(case, "mp")["Response"] == ["no response"]
    assert rows(case, "ivig")["Response"] == ["complete response"]
    assert rows(case, "plex")["Response"] == ["partial response"]
    assert rows(case, "plex")["Procedure"] == ["plasma exchange"]


def test_the_reaction_details_show_causality_outcome_and_seriousness(case: ResolvedCase) -> None:
    found = rows(case, "weakness")
    assert found["Causality"] == ["Infliximab – Weakness: Naranjo 7 (by the authors); probable"]
    assert found["Outcome"] == ["recovering"]
    assert found["Seriousness"] == ["serious: hospitalisation"]
    assert found["Grade"] == ["MRC 4"]
    assert found["Action taken with the drug"] == ["withdrawn"]
    assert found["Improved after"] == ["IVIG"]
    assert rows(case, "ifx")["Causality"] == found["Causality"]  # the drug's details name it too


def test_a_pertinent_negative_is_listed_as_absent(case: ResolvedCase) -> None:
    found = rows(case, "sensory")
    assert found["Finding"] == ["stated as absent (a pertinent negative)"]
    assert "Ends" not in found  # nothing happened, so nothing ended


def test_a_reexposure_says_its_form_and_outcome(case: ResolvedCase) -> None:
    found = rows(case, "ada")
    assert found["Re-exposure"] == ["switch to another drug of the same class (adalimumab)"]
    assert found["Reaction after re-exposure"] == ["did not recur"]


def test_the_case_details_list_the_reported_causality(case: ResolvedCase) -> None:
    assert ("Causality", "Infliximab – Weakness: Naranjo 7 (by the authors); probable") in describe_case(case.case)


def test_events_without_attributes_get_no_new_rows(case: ResolvedCase, tmp_path: Path) -> None:
    path = tmp_path / "plain.caseline.yaml"
    path.write_text("caseline: 1\ncase:\n  id: p\n  title: P\n  events:\n"
                    "    - {id: d, kind: drug, drug: x, start: day 0}\n", encoding="utf-8")
    plain = load_file(path).cases[0]
    fields = {f for f, _ in describe_item(plain, plain.items_of("d")[0])}
    assert not fields & {"Response", "Causality", "Outcome", "Seriousness", "Finding", "Re-exposure"}
