"""The reveal plan, the held-back view and de-identified copies of cases (pure)."""

from __future__ import annotations

import re

from caseline.analysis.deidentify import contains_date, deidentify_case, deidentify_cases, scrub_dates
from caseline.analysis.reveal import RevealPlan, held_back_view, is_held_back, reveal_key
from caseline.analysis.wording import describe_case, describe_item, header_lines
from caseline.layout import timeline_layout as L
from caseline.timeline.load import load_file
from support import BORTEZOMIB, bortezomib_index_case, no_date

# a year, unless it is a quantity ("2000 mg/day"); a month name; "May 3"






def _infliximab():
    from support import INFLIXIMAB

    return load_file(INFLIXIMAB).cases[0]


def _step_of(plan, key: str):
    return next(step for step in plan.steps if key in step.new_item_ids)


def test_reveal_steps_tell_the_story_in_order():
    case = _infliximab()
    plan = RevealPlan.build([case])
    assert [s.title for s in plan.steps] == ["History", "Exposure", "Reaction", "Work-up", "Rescue therapy",
                                             "Response", "Later course", "Outcome"]
    # what each step reveals is what the story says comes then
    assert _step_of(plan, "ifx-pg/presentation").title == "History"
    assert _step_of(plan, "ifx-pg/hbo").title == "History"  # a therapy before the suspect is history, not rescue
    assert _step_of(plan, "ifx-pg/weakness").title == "Reaction"
    assert _step_of(plan, "ifx-pg/ifx-stop").title == "Reaction"
    assert {_step_of(plan, k).title for k in ("ifx-pg/exam", "ifx-pg/emg")} == {"Work-up"}
    assert _step_of(plan, "ifx-pg/ivig").title == "Rescue therapy"
    assert _step_of(plan, "ifx-pg/weakness@1").title == "Response"
    assert _step_of(plan, "ifx-pg/last-fu").title == "Outcome"
    # every step adds to the last; the last shows everything; nothing is revealed twice
    seen: set[str] = set()
    for step in plan.steps:
        assert step.new_item_ids and not step.new_item_ids & seen
        seen |= step.new_item_ids
        assert step.revealed_item_ids == seen
        assert step.case_id == "ifx-pg" and not step.neutral
    assert seen == {reveal_key(i) for i in case.items}


def test_a_schedule_is_one_step_not_one_per_administration():
    case = _infliximab()
    plan = RevealPlan.build([case])
    ivig = {reveal_key(i) for i in case.items if i.event_id == "ivig"}
    assert len(ivig) == 11  # the course and its 10 administrations
    assert ivig <= _step_of(plan, "ifx-pg/ivig").new_item_ids
    ifx = {reveal_key(i) for i in case.items if i.event_id == "ifx"}
    assert ifx <= _step_of(plan, "ifx-pg/ifx").new_item_ids
    assert len(plan.steps) <= 9


def test_captions_word_times_as_the_file_states_them():
    plan = RevealPlan.build([_infliximab()])
    text = "\n".join(step.caption for step in plan.steps)
    assert "in 2013 (no closer date given)" in text  # the file's words, not "day -273.9"
    assert "two weeks after the third dose" in text
    assert "week 0, week 2, week 6" in text
    assert "spacing not stated" in text  # the IVIG administrations have no stated days
    assert not re.search(r"day -?\d+\.\d", text), "no fractional days the source never gave"
    assert "#" not in text  # no expressions naming items by id
    assert "more" not in text.split("Later course")[0]  # nothing hidden behind "and N more"
    work_up = next(s for s in plan.steps if s.title == "Work-up")
    assert "Neurological exam" in work_up.caption and "EMG" in work_up.caption


def test_when_words_a_time_at_its_precision():
    from caseline.analysis.reveal import when

    case = _infliximab()
    by_id = {i.item_id: i for i in case.items}
    assert when(by_id["ifx#2"]) == "week 2"
    assert when(by_id["weakness@1"]) == "day 65 or later"  # 'after ivig#last': an expression, not words
    assert when(by_id["csa"]) == "by day -243"  # an upper bound only, rounded so it stays true
    assert when(by_id["last-fu"]) == "time not stated"


def test_several_cases_are_told_one_after_the_other():
    cases = load_file(BORTEZOMIB).cases
    plan = RevealPlan.build(cases)
    order = [step.case_id for step in plan.steps]
    assert order == sorted(order, key=[c.id for c in cases].index), "one case at a time, in view order"
    assert set(order) == {c.id for c in cases}
    for step in plan.steps:
        case = next(c for c in cases if c.id == step.case_id)
        assert all(key.startswith(case.id + "/") for key in step.new_item_ids)
        assert step.title.split(" · ")[0].rstrip("…") in case.case.title
    undated = {reveal_key(i) for c in cases for i in c.items if i.start is None}
    assert undated <= plan.steps[-1].revealed_item_ids


def test_hold_back_keeps_outcome_and_suspect_until_last_step():
    case = bortezomib_index_case()
    plan = RevealPlan.build([case], hold_back=True)
    held = {reveal_key(i) for i in case.items if is_held_back(i)}
    assert {f"{case.id}/recovery", f"{case.id}/death"} <= held
    for step in plan.steps[:-1]:
        assert not held & step.revealed_item_ids
        assert step.neutral
        assert "suspect" not in step.caption.lower()
    last = plan.steps[-1]
    assert not last.neutral and held <= last.new_item_ids
    assert "Suspected drug: bortezomib" in last.caption
    neutral = held_back_view([case])[0]
    assert [i.item_id for i in neutral.items] == [i.item_id for i in case.items]
    assert all(i.category is not L.Category.SUSPECT for i in neutral.items)
    assert neutral.item("bz").event.role is None
    text = " ".join(header_lines(neutral)) + " ".join(v for _, v in describe_case(neutral.case))
    text += " ".join(v for item in neutral.items for _, v in describe_item(neutral, item))
    assert "suspect" not in text.lower()


def test_scrub_dates_relative_wording():
    from datetime import date

    day0 = date(2009, 11, 15)
    assert scrub_dates("cycle 4: in February 2010", day0) == "cycle 4: in days 78 to 105"
    assert scrub_dates("on 2010-02-15", day0) == "on day 92"
    assert scrub_dates("in 2013 (no closer date given)", day0) == "in [year withheld] (no closer date given)"
    assert scrub_dates("Mycophenolate 2000 mg/day", day0) == "Mycophenolate 2000 mg/day"
    assert scrub_dates("seen in March", None) == "seen in [date withheld]"
    assert not contains_date(scrub_dates("Issue dated Sep-Oct 2014.", None))


def test_deidentified_case_has_no_date_or_identifier():
    case = bortezomib_index_case()
    assert case.anchor_date is not None and any(i.start_date for i in case.items)
    patient = case.case.patient
    marked = deidentify_case(case.__class__(
        case=case.case.__class__(**{**{f: getattr(case.case, f) for f in case.case.__slots__},
                                    "patient": patient.__class__(patient.age, patient.sex, ("J. Smith", "MRN 0012345")),
                                    "summary": case.case.summary + " Seen by Dr Example; J. Smith agreed."}),
        items=case.items, anchor_description=case.anchor_description, anchor_date=case.anchor_date,
        anchor_date_precision=case.anchor_date_precision, diagnostics=case.diagnostics))
    assert marked.anchor_date is None and marked.case.anchor_date is None
    assert all(i.start_date is None and i.end_date is None for i in marked.items)
    assert marked.case.patient.identifiers == ()
    texts = [marked.anchor_description, *header_lines(marked)]
    texts += [v for _, v in describe_case(marked.case, True)]
    texts += [v for item in marked.items for _, v in describe_item(marked, item, True)]
    for text in texts:
        assert no_date(text), text
        assert "Smith" not in text and "0012345" not in text and "Example" not in text
    assert "died of sepsis in days" in marked.case.summary
    assert [i.item_id for i in marked.items] == [i.item_id for i in case.items]
    assert deidentify_cases([marked]) == [marked]  # idempotent
