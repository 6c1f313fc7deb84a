"""What case reports say about events (issue 13, items 4-8): re-exposure, response, links, pertinent
negatives, a reaction's attributes, reported causality and procedures, read from YAML and CSV files, with
a FILE:LINE:COL message for each mistake an encoder makes."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from caseline.model.clinical import (
    ActionTaken,
    CausalityScale,
    Exposure,
    GradeScale,
    LinkType,
    ProcedureType,
    ReactionOutcome,
    RechallengeOutcome,
    Response,
    Seriousness,
)
from caseline.model.kinds import Category, DrugRole, Kind
from caseline.timeline.load import load_file
from yamltext import load_yaml_text

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "resources" / "caseline.schema.json").read_text("utf-8"))

HEAD = """caseline: 1
case:
  id: c
  title: T
  suspect: {drug: ifx, reaction_event: weakness}
"""
EVENTS = """  events:
    - {id: ifx, kind: drug, drug: infliximab, schedule: {at: [week 0, week 2, week 6]}}
    - id: weakness
      kind: symptom
      label: Weakness
      start: 2 weeks after ifx#2
      seriousness: [hospitalisation, disability]
      outcome: recovered_with_sequelae
      grade: {scale: ctcae, value: 3}
      action_taken: withdrawn
      links: [{type: improved_after, target: ivig, note: within a week}]
    - {id: sensory, kind: symptom, label: Sensory loss, start: weakness, absent: true}
    - {id: infection, kind: investigation, test: Preceding infection, at: before weakness, absent: true}
    - {id: more, kind: rechallenge, target: ifx, at: ifx#3, exposure: inadvertent, outcome: worse}
    - {id: ada, kind: rechallenge, target: ifx, at: week 30, exposure: class_switch, drug: adalimumab,
       outcome: recurred}
    - {id: mp, kind: therapy, drug: methylprednisolone, start: week 5, duration: 5 days, response: none}
    - {id: ivig, kind: therapy, drug: IVIG, start: week 7, duration: 5 days, response: complete}
    - {id: plex, kind: procedure, type: plasma_exchange, start: week 8, duration: 10 days, response: partial}
    - {id: rtx, kind: drug, drug: rituximab, role: subsequent, start: week 20}
"""
CAUSALITY = """  causality:
    - {drug: ifx, reaction: weakness, scale: naranjo, value: 7, by: authors}
    - {drug: ifx, reaction: weakness, scale: who-umc, value: probable}
"""


def load(tmp_path: Path, text: str, name: str = "c.caseline.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_file(path)


def messages(tmp_path: Path, text: str) -> list[str]:
    return [str(d).split(": ", 1)[1] for d in load(tmp_path, text).diagnostics]


def test_every_attribute_is_read(tmp_path: Path) -> None:
    result = load(tmp_path, HEAD + CAUSALITY + EVENTS)
    assert result.diagnostics == [], [str(d) for d in result.diagnostics]
    case = result.cases[0].case
    weakness = case.event("weakness")
    assert weakness is not None
    assert weakness.seriousness == (Seriousness.HOSPITALISATION, Seriousness.DISABILITY)
    assert weakness.outcome is ReactionOutcome.RECOVERED_WITH_SEQUELAE
    assert weakness.grade is not None and weakness.grade.scale is GradeScale.CTCAE and weakness.grade.value == "3"
    assert weakness.action_taken is ActionTaken.WITHDRAWN
    assert [(link.type, link.target, link.note) for link in weakness.links] == [
        (LinkType.IMPROVED_AFTER, "ivig", "within a week")]
    assert not weakness.absent
    assert case.event("sensory").absent and case.event("infection").absent  # type: ignore[union-attr]
    more, ada = case.event("more"), case.event("ada")
    assert more is not None and ada is not None
    assert (more.exposure, more.rechallenge_outcome, more.label) == (
        Exposure.INADVERTENT, RechallengeOutcome.WORSE, "Further dose (inadvertent)")
    assert (ada.exposure, ada.drug, ada.rechallenge_outcome, ada.label) == (
        Exposure.CLASS_SWITCH, "adalimumab", RechallengeOutcome.RECURRED, "Switched to adalimumab")
    assert ada.category is Category.SUSPECT  # a re-exposure takes its target's category
    assert [case.event(e).response for e in ("mp", "ivig", "plex")] == [  # type: ignore[union-attr]
        Response.NONE, Response.COMPLETE, Response.PARTIAL]
    plex = case.event("plex")
    assert plex is not None and plex.kind is Kind.PROCEDURE and plex.procedure is ProcedureType.PLASMA_EXCHANGE
    assert plex.label == "Plasma exchange" and plex.category is Category.PROCEDURE
    rtx = case.event("rtx")
    assert rtx is not None and rtx.role is DrugRole.SUBSEQUENT and rtx.category is Category.DRUG
    assert [(c.drug, c.reaction, c.scale, c.value, c.by) for c in case.causality] == [
        ("ifx", "weakness", CausalityScale.NARANJO, "7", "authors"),
        ("ifx", "weakness", CausalityScale.WHO_UMC, "probable", ""),
    ]
    assert case.causality[0].describe() == "Naranjo 7 (by the authors)"


def test_the_schema_accepts_what_caseline_reads() -> None:
    document = load_yaml_text(HEAD + CAUSALITY + EVENTS.replace("scale: ctcae", "scale: CTCAE"))
    errors = list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(document))
    assert errors == []


@pytest.mark.parametrize(("old", "new"), [
    ("response: none", "response: maybe"),
    ("exposure: inadvertent", "exposure: accidental"),
    ("outcome: worse", "outcome: better"),
    ("seriousness: [hospitalisation, disability]", "seriousness: [not_serious, disability]"),
    ("action_taken: withdrawn", "action_taken: stopped"),
    ("type: plasma_exchange", "type: dialysis"),
    ("type: improved_after", "type: helped"),
])
def test_the_schema_rejects_wrong_values(old: str, new: str) -> None:
    text = HEAD + EVENTS
    assert old in text
    document = load_yaml_text(text.replace(old, new))
    assert list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(document)) != []


@pytest.mark.parametrize(("old", "new", "message"), [
    ("response: none", "response: maybe", "'maybe' is not a valid response"),
    ("drug: adalimumab,", "", "a class switch names the other drug in 'drug'"),
    ("exposure: inadvertent,", "exposure: deliberate, drug: etanercept,",
     "'drug' on a rechallenge names the other drug of a class switch"),
    ("[hospitalisation, disability]", "[not_serious, disability]",
     "a reaction is either not_serious or meets seriousness criteria"),
    ("[hospitalisation, disability]", "[hospitalised]", "'hospitalised' is not a valid seriousness criterion"),
    ("grade: {scale: ctcae, value: 3}", "grade: {scale: WHO, value: 3}", "'WHO' is not a grade scale caseline knows"),
    ("grade: {scale: ctcae, value: 3}", "grade: {scale: CTCAE}", "'grade' needs a 'value'"),
    ("target: ivig, note", "target: ivg, note", "link target 'ivg' is not an event of this case"),
    ("outcome: recovered_with_sequelae", "outcome: cured", "'cured' is not a valid reaction outcome"),
    ("start: weakness, absent: true}", "start: weakness, absent: true, course: [{at: week 9, state: improvement}]}",
     "a finding stated as absent has no 'course' or 'severity'"),
])
def test_mistakes_are_named(tmp_path: Path, old: str, new: str, message: str) -> None:
    text = HEAD + EVENTS
    assert text.count(old) == 1, old
    found = messages(tmp_path, text.replace(old, new))
    assert any(m.startswith(message) for m in found), found


@pytest.mark.parametrize(("entry", "message"), [
    ("{drug: ifxx, reaction: weakness, scale: naranjo, value: 7}", "causality drug 'ifxx' is not an event"),
    ("{drug: ifx, reaction: ivig, scale: naranjo, value: 7}", "causality reaction 'ivig' is a therapy event"),
    ("{drug: ifx, reaction: weakness, scale: naranjo}", "a causality assessment needs a 'value'"),
    ("{drug: ifx, reaction: weakness, value: 7}", "a causality assessment needs a 'scale'"),
    ("{drug: ifx, reaction: weakness, scale: karch, value: 7}", "'karch' is not a valid causality scale"),
    ("{drug: ifx, reaction: weakness, scale: naranjo, value: 7, score: 7}", "unknown"),
])
def test_causality_mistakes_are_named(tmp_path: Path, entry: str, message: str) -> None:
    found = messages(tmp_path, HEAD + f"  causality:\n    - {entry}\n" + EVENTS)
    assert any(message in m for m in found), found


def test_a_mistake_points_at_its_line(tmp_path: Path) -> None:
    text = HEAD + EVENTS.replace("response: complete", "response: total")
    (diagnostic,) = load(tmp_path, text).diagnostics
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "response: total" in t)
    assert diagnostic.pos.line == line and diagnostic.is_error


def test_csv_columns_carry_the_attributes(tmp_path: Path) -> None:
    table = (
        "# caseline: 1\n# id: t\n# title: T\n# suspect: ifx\n# reaction_event: rash\n"
        "id,kind,label,drug,start,at,target,response,exposure,outcome,absent,seriousness,action_taken,type\n"
        "ifx,drug,,infliximab,day 0,,,,,,,,,\n"
        "rash,symptom,Rash,,day 10,,,,,recovering,,hospitalisation; other_medically_important,withdrawn,\n"
        "fever,symptom,Fever,,day 10,,,,,,yes,,,\n"
        "ivig,therapy,,IVIG,day 12,,,partial,,,,,,\n"
        "ada,rechallenge,,adalimumab,,day 40,ifx,,class_switch,did_not_recur,,,,\n"
        "plex,procedure,,,day 14,,,none,,,,,,plasma_exchange\n"
    )
    result = load(tmp_path, table, "t.events.csv")
    assert result.diagnostics == [], [str(d) for d in result.diagnostics]
    case = result.cases[0].case
    rash = case.event("rash")
    assert rash is not None and rash.outcome is ReactionOutcome.RECOVERING
    assert rash.seriousness == (Seriousness.HOSPITALISATION, Seriousness.OTHER_MEDICALLY_IMPORTANT)
    assert rash.action_taken is ActionTaken.WITHDRAWN
    assert case.event("fever").absent  # type: ignore[union-attr]
    assert case.event("ivig").response is Response.PARTIAL  # type: ignore[union-attr]
    ada = case.event("ada")
    assert ada is not None and ada.exposure is Exposure.CLASS_SWITCH and ada.drug == "adalimumab"
    assert ada.rechallenge_outcome is RechallengeOutcome.DID_NOT_RECUR
    plex = case.event("plex")
    assert plex is not None and plex.procedure is ProcedureType.PLASMA_EXCHANGE and plex.response is Response.NONE
