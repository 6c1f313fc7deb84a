"""The causality aid on small purpose-written cases: dechallenge and rechallenge outcomes (positive, negative,
confounded, not done, unknown), the derived Naranjo items with the events they rest on, the total, the WHO-UMC
category and the reported assessment beside the computed one."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseline.analysis.causality import (
    CONFOUNDED,
    DONT_KNOW,
    NEGATIVE,
    NO,
    NOT_DONE,
    POSITIVE,
    UNKNOWN,
    YES,
    assess,
    naranjo_category,
)
from caseline.model.case import Event
from caseline.timeline.load import load_file
from caseline.timeline.resolved import ResolvedCase

HEAD = """\
caseline: 1
case:
  id: t
  title: Test case
  suspect: {{drug: drg, reaction: Neuropathy, reaction_event: rx{causality}}}
  events:
    - {{id: drg, kind: drug, drug: testamab, role: suspected, schedule: {{at: [day 0, day 14]}}}}
    - id: rx
      kind: symptom
      label: Neuropathy
      start: day 20
      course: [{course}]
"""


def case_file(tmp_path: Path, course: str = "", events: str = "", causality: str = "") -> ResolvedCase:
    lines = "".join(f"    {line.strip()}\n" for line in events.splitlines() if line.strip())  # one-line events
    text = HEAD.format(course=course, causality=causality) + lines
    path = tmp_path / "t.caseline.yaml"
    path.write_text(text, encoding="utf-8")
    result = load_file(path)
    assert result.ok, [str(d) for d in result.diagnostics]
    return result.cases[0]


def one(case: ResolvedCase):
    found = assess(case)
    assert len(found) == 1
    return found[0]


def answer(assessment, number: int):
    return next(a for a in assessment.answers if a.item.number == number)


STOP = "- {id: stop, kind: dechallenge, target: drg, at: day 30}\n"


def test_positive_dechallenge_answers_item_3_yes_with_its_events(tmp_path) -> None:
    a = one(case_file(tmp_path, "{at: day 40, state: improvement}", STOP))
    assert a.dechallenge.outcome == POSITIVE
    assert a.dechallenge.evidence == ("stop", "rx@1")
    q3 = answer(a, 3)
    assert (q3.answer, q3.score, q3.evidence) == (YES, 1, ("stop", "rx@1"))
    assert a.latency is not None and (a.latency.lo, a.latency.hi) == (20, 20)
    assert a.latency_last is not None and a.latency_last.best == 6  # from the dose of day 14
    q2 = answer(a, 2)
    assert (q2.answer, q2.score, q2.evidence) == (YES, 2, ("drg#1", "rx"))


def test_negative_dechallenge(tmp_path) -> None:
    a = one(case_file(tmp_path, "{at: day 40, state: worsening}", STOP))
    assert a.dechallenge.outcome == NEGATIVE
    assert answer(a, 3).answer == NO and answer(a, 3).score == 0


def test_rescue_before_the_improvement_confounds_the_dechallenge(tmp_path) -> None:
    events = STOP + "- {id: ivig, kind: therapy, label: IVIG, lane: IVIG, start: day 32, end: day 36}\n"
    a = one(case_file(tmp_path, "{at: day 40, state: improvement}", events))
    assert a.dechallenge.outcome == CONFOUNDED
    assert "IVIG" in a.dechallenge.reason and "ivig" in a.dechallenge.evidence
    assert answer(a, 3).answer == DONT_KNOW
    # a rescue therapy begun after the improvement does not confound it
    events = STOP + "- {id: ivig, kind: therapy, label: IVIG, lane: IVIG, start: day 45, end: day 50}\n"
    assert one(case_file(tmp_path, "{at: day 40, state: improvement}", events)).dechallenge.outcome == POSITIVE


def test_no_stop_is_not_done_and_no_course_after_the_stop_is_unknown(tmp_path) -> None:
    a = one(case_file(tmp_path, "{at: day 40, state: improvement}"))
    assert a.dechallenge.outcome == NOT_DONE and a.rechallenge.outcome == NOT_DONE
    assert answer(a, 3).answer == DONT_KNOW and answer(a, 4).answer == DONT_KNOW
    assert one(case_file(tmp_path, "", STOP)).dechallenge.outcome == UNKNOWN


def test_reaction_before_the_drug_answers_item_2_no(tmp_path) -> None:
    text = HEAD.format(course="", causality="").replace("start: day 20", "start: day -10")
    path = tmp_path / "before.caseline.yaml"
    path.write_text(text, encoding="utf-8")
    a = one(load_file(path).cases[0])
    assert answer(a, 2).answer == NO and answer(a, 2).score == -1
    assert a.who_umc == "unlikely"


def test_later_dose_after_the_stop_with_a_relapse_is_a_positive_rechallenge(tmp_path) -> None:
    events = """\
    - {id: stop, kind: dechallenge, target: drg, at: day 30}
    - {id: again, kind: rechallenge, target: drg, at: day 60}
    """
    a = one(case_file(tmp_path, "{at: day 40, state: improvement}, {at: day 65, state: relapse}", events))
    assert a.rechallenge.outcome == POSITIVE
    assert a.rechallenge.evidence == ("again", "rx@2")
    assert answer(a, 4).answer == YES and answer(a, 4).score == 2
    assert one(case_file(tmp_path, "{at: day 40, state: improvement}", events)).rechallenge.outcome == UNKNOWN


@pytest.mark.skipif("rechallenge_outcome" not in Event.__dataclass_fields__, reason="issue 13 fields")
def test_stated_rechallenge_outcomes(tmp_path) -> None:
    base = "- {{id: again, kind: rechallenge, target: drg, at: day 60, outcome: {o}{x}}}\n"
    a = one(case_file(tmp_path, "{at: day 40, state: improvement}", STOP + base.format(o="did_not_recur", x="")))
    assert a.rechallenge.outcome == NEGATIVE and answer(a, 4).answer == NO and answer(a, 4).score == -1
    a = one(case_file(tmp_path, "", STOP + base.format(o="recurred", x="")))
    assert a.rechallenge.outcome == POSITIVE
    switch = base.format(o="recurred", x=", exposure: class_switch, drug: othermab")
    a = one(case_file(tmp_path, "", STOP + switch))
    assert a.rechallenge.outcome == CONFOUNDED and "othermab" in a.rechallenge.reason


def test_objective_evidence_and_the_totals(tmp_path) -> None:
    events = STOP + """\
    - {id: emg, kind: investigation, test: EMG, at: day 25, result: axonal, interpretation: abnormal}
    - {id: old, kind: investigation, test: EMG, at: day -5, result: axonal, interpretation: abnormal}
    """
    a = one(case_file(tmp_path, "{at: day 40, state: improvement}", events, causality=", causality: Naranjo 7"))
    q10 = answer(a, 10)
    assert (q10.answer, q10.evidence) == (YES, ("emg",)), "only investigations after the onset count"
    assert a.total == 2 + 1 + 1 and a.category == "possible"
    assert [r.value for r in a.reported] == ["7"]
    assert a.differences and "reported Naranjo 7" in a.differences[0] and "computed 4" in a.differences[0]
    assert a.who_umc == "possible"
    assert any("item 5 is not answered" in m for m in a.who_missing)
    assert set(a.unanswered) == {"previous_reports", "alternative_causes", "placebo", "drug_levels",
                                 "previous_similar_reaction"}


def test_naranjo_categories() -> None:
    assert [naranjo_category(n) for n in (13, 9, 8, 5, 4, 1, 0, -4)] == [
        "definite", "definite", "probable", "probable", "possible", "possible", "doubtful", "doubtful"]


def test_user_answers_from_the_case_file_count_and_override(tmp_path) -> None:
    text = HEAD.format(course="{at: day 40, state: improvement}", causality=", causality: Naranjo 7") + \
        "    - {id: stop, kind: dechallenge, target: drg, at: day 30}\n" \
        "    - {id: ivig, kind: therapy, label: IVIG, lane: IVIG, start: day 32, end: day 36}\n" \
        "  naranjo:\n" \
        "    - drug: drg\n" \
        "      reaction: rx\n" \
        "      answers: {previous_reports: yes, alternative_causes: no, placebo: unknown, " \
        "improved_on_stopping: yes}\n" \
        "      note: reviewed by the tester\n"
    path = tmp_path / "answered.caseline.yaml"
    path.write_text(text, encoding="utf-8")
    result = load_file(path)
    assert result.ok, [str(d) for d in result.diagnostics]
    a = one(result.cases[0])
    assert a.dechallenge.outcome == CONFOUNDED
    q3 = answer(a, 3)
    assert (q3.answer, q3.by_user, q3.timeline_answer) == (YES, True, DONT_KNOW)
    assert "the timeline says Don't know" in q3.reason
    assert answer(a, 1).score == 1 and answer(a, 5).score == 2 and answer(a, 6).by_user
    assert a.total == 1 + 2 + 1 + 2 and a.category == "probable"  # Q1, Q2, Q3 (user), Q5
    assert a.unanswered == ("drug_levels", "previous_similar_reaction")
    assert a.note == "reviewed by the tester"
    assert a.differences[0].startswith("reported Naranjo 7 (probable), computed 6 (probable): differs by +1")
    # item 5 answered No but the dechallenge (as the timeline sees it) is confounded: possible
    assert a.who_umc == "possible"


def test_bad_naranjo_answers_are_reported_with_their_place(tmp_path) -> None:
    text = HEAD.format(course="", causality="") + \
        "  naranjo:\n    - {drug: drg, reaction: nope, answers: {previous_reports: perhaps, colour: red}}\n"
    path = tmp_path / "bad.caseline.yaml"
    path.write_text(text, encoding="utf-8")
    result = load_file(path)
    messages = " | ".join(str(d) for d in result.diagnostics)
    assert not result.ok
    assert "naranjo reaction 'nope' is not an event of this case" in messages
    assert "the answer to 'previous_reports' must be yes, no or unknown" in messages
    assert "colour" in messages


def test_model_and_analysis_name_the_same_items() -> None:
    from caseline.analysis.causality import NARANJO_KEYS as ANALYSIS_KEYS
    from caseline.model.naranjo import NARANJO_KEYS as MODEL_KEYS

    assert ANALYSIS_KEYS == MODEL_KEYS


@pytest.mark.skipif("links" not in Event.__dataclass_fields__, reason="issue 13 fields")
def test_an_improvement_linked_to_another_therapy_confounds_the_dechallenge(tmp_path) -> None:
    text = HEAD.format(course="{at: day 40, state: improvement}", causality="").replace(
        "      course:", "      links: [{type: improved_after, target: pe}]\n      course:") + \
        "    - {id: stop, kind: dechallenge, target: drg, at: day 30}\n" \
        "    - {id: pe, kind: drug, drug: prednisolone, role: concomitant, start: day 10, end: day 50}\n"
    path = tmp_path / "linked.caseline.yaml"
    path.write_text(text, encoding="utf-8")
    result = load_file(path)
    assert result.ok, [str(d) for d in result.diagnostics]
    a = one(result.cases[0])
    assert a.dechallenge.outcome == CONFOUNDED and "pe" in a.dechallenge.evidence


def test_a_reported_assessment_on_no_named_scale_says_its_method(tmp_path) -> None:
    """The Causality tab words each reported entry; one on scale ``other`` keeps its method in the note
    (an E2B import: "method: Global Introspection"), which the tab shows beside the value. A named scale
    is its own method: its note is left to the details panel."""
    text = HEAD.format(course="", causality="") + \
        "  causality:\n" \
        "    - {drug: drg, reaction: rx, scale: other, value: Suspected, by: primary source reporter,\n" \
        "       note: 'method: Global Introspection (G.k.9.i.2.r.2)'}\n" \
        "    - {drug: drg, reaction: rx, scale: naranjo, value: '6', by: authors, note: table 2}\n"
    path = tmp_path / "reported.caseline.yaml"
    path.write_text(text, encoding="utf-8")
    result = load_file(path)
    assert result.ok and not result.diagnostics, [str(d) for d in result.diagnostics]
    a = one(result.cases[0])
    assert [r.text for r in a.reported] == [
        "other scale Suspected (by primary source reporter); method: Global Introspection (G.k.9.i.2.r.2)",
        "Naranjo 6 (by the authors)",
    ]
    from caseline.analysis.causality_report import reported_words, text_lines
    assert "method: Global Introspection" in reported_words(a)  # the tab's "Reported" line
    assert any("Reported: other scale Suspected" in line and "Global Introspection" in line for line in text_lines(a))
