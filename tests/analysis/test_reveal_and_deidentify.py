"""The reveal plan, the held-back view and de-identified copies of cases (pure)."""

from __future__ import annotations

from caseline.analysis.deidentify import contains_date, deidentify_case, deidentify_cases, scrub_dates
from caseline.analysis.reveal import RevealPlan, held_back_view, is_held_back, reveal_key
from caseline.analysis.wording import describe_case, describe_item, header_lines
from caseline.layout import timeline_layout as L
from caseline.timeline.load import load_file
from support import BORTEZOMIB, bortezomib_index_case, no_date

# a year, unless it is a quantity ("2000 mg/day"); a month name; "May 3"






def test_reveal_steps_follow_distinct_start_times():
    case = bortezomib_index_case()
    plan = RevealPlan.build([case])
    times = sorted({round(i.start.best, 3) for i in case.items if i.start is not None})
    assert [s.time for s in plan.steps] == times  # this case has no undated item
    for k, step in enumerate(plan.steps):
        expected = {reveal_key(i) for i in case.items if i.start is not None and round(i.start.best, 3) <= times[k]}
        assert step.revealed_item_ids == expected
        assert step.new_item_ids <= step.revealed_item_ids
        assert not step.neutral
    assert plan.steps[-1].revealed_item_ids == {reveal_key(i) for i in case.items}
    assert plan.steps[0].caption.startswith("Day -1340.5")


def test_reveal_several_cases_step_together_and_undated_come_last():
    cases = load_file(BORTEZOMIB).cases
    plan = RevealPlan.build(cases)
    undated = {reveal_key(i) for c in cases for i in c.items if i.start is None}
    assert undated
    assert plan.steps[-1].title == "Time not stated"
    assert plan.steps[-1].new_item_ids == undated
    # day 0 reveals the first bortezomib dose of every case at once
    day0 = next(s for s in plan.steps if s.time == 0.0)
    assert {f"{c.id}/bz" for c in cases} <= day0.new_item_ids or all(
        any(k.startswith(f"{c.id}/bz") for k in day0.revealed_item_ids) for c in cases)


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
