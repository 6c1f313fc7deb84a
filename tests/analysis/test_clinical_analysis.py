"""What the analysis makes of what reports say: the story's window takes in a re-exposure (the causality aid's
evidence) and a procedure given for the reaction, as it does a rescue therapy; de-identifying keeps reported
causality and links (ids) and scrubs their words."""

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


def test_deidentifying_keeps_the_reported_causality_and_links_and_scrubs_their_words(tmp_path: Path) -> None:
    from caseline.analysis.deidentify import contains_date, deidentify_case

    extra = ("  anchor_date: 2014-03-02\n"
             "  causality:\n"
             "    - {drug: ifx, reaction: rash, scale: naranjo, value: '6', by: authors, note: assessed 2014-05-01}\n")
    path = tmp_path / "d.caseline.yaml"
    path.write_text(CASE.replace("  events:\n", extra + "  events:\n") +
                    "    - {id: ivig, kind: therapy, drug: IVIG, start: day 20, response: partial,\n"
                    "       links: [{type: attributed_to, target: rash, note: given 2014-03-25}]}\n", encoding="utf-8")
    result = load_file(path)
    assert result.diagnostics == [], [str(d) for d in result.diagnostics]
    shown = deidentify_case(result.cases[0]).case
    (causality,) = shown.causality
    assert (causality.drug, causality.reaction, causality.value) == ("ifx", "rash", "6")
    assert not contains_date(causality.note)
    ivig = shown.event("ivig")
    assert ivig is not None and ivig.links[0].target == "rash" and not contains_date(ivig.links[0].note)
    assert ivig.response is not None and ivig.response.value == "partial"


def test_a_teaching_caption_never_calls_a_negative_an_onset(tmp_path: Path) -> None:
    from caseline.analysis.reveal import describe_new

    path = tmp_path / "n.caseline.yaml"
    path.write_text(CASE + "    - {id: sensory, kind: symptom, label: Sensory loss, start: day 20, absent: true}\n"
                    "    - {id: fever, kind: investigation, test: Fever, at: day 20, absent: true}\n", encoding="utf-8")
    case = load_file(path).cases[0]
    assert describe_new(case.items_of("sensory")[0]) == "Sensory loss: stated absent"
    assert describe_new(case.items_of("fever")[0]) == "Fever: stated absent"
    assert describe_new(case.items_of("rash")[0]) == "Rash (onset)"


def test_the_resolved_table_says_what_is_absent_and_how_things_responded_and_ended() -> None:
    from caseline.analysis.tables import timeline_table
    from support import SAMPLES

    frame = timeline_table(load_file(SAMPLES / "infliximab-pyoderma.caseline.yaml").cases)
    row = {item: frame[frame["item_id"] == item].iloc[0] for item in ("no-sensory-loss", "ivig", "weakness", "ivig#1")}
    assert row["no-sensory-loss"]["absent"] == "true"
    assert row["ivig"]["response"] == "partial" and row["ivig#1"]["response"] == ""  # not on each administration
    assert row["weakness"]["outcome"] == "recovering" and row["weakness"]["absent"] == ""
