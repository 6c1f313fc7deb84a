"""Doses as numbers, phases of a course, regimens, results as limits, citation details and the checks that
catch encoding mistakes (issue 13): real files, read, resolved and worded."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseline.analysis.wording import describe_case, describe_item, item_title
from caseline.model.dosing import display_unit
from caseline.timeline.load import LoadResult, load_file
from caseline.timeline.resolved import ItemRole


def load(tmp_path: Path, events: str, extra: str = "", name: str = "c.caseline.yaml") -> LoadResult:
    path = tmp_path / name
    path.write_text("caseline: 1\ncase:\n  id: c\n  title: T\n  suspect: {drug: ifx}\n" + extra
                    + "  events:\n" + events, encoding="utf-8")
    return load_file(path)


IFX = """    - id: ifx
      kind: drug
      drug: infliximab
      unit: mg/kg
      phases:
        - {name: induction, dose: 3, schedule: {at: [week 0, week 2, week 6]}}
        - {name: maintenance, dose: 5, schedule: {every: 8 weeks, count: 4, start: 8 weeks after ifx/induction.end}}
"""


def test_phases_number_administrations_once_and_are_addressable(tmp_path: Path) -> None:
    result = load(tmp_path, IFX + "    - {id: crp, kind: investigation, test: CRP, at: ifx/maintenance#2}\n"
                  "    - {id: esr, kind: investigation, test: ESR, at: ifx/induction.end}\n"
                  "    - {id: alb, kind: investigation, test: albumin, at: 1 day after ifx#5}\n")
    assert result.ok and result.diagnostics == [], [str(d) for d in result.diagnostics]
    (case,) = result.cases
    doses = [i for i in case.items if i.role is ItemRole.DOSE]
    assert [i.item_id for i in doses] == [f"ifx#{n}" for n in range(1, 8)]
    assert [i.start.best for i in doses if i.start] == [0, 14, 42, 98, 154, 210, 266]
    assert [i.phase for i in doses] == ["induction"] * 3 + ["maintenance"] * 4
    assert case.item("ifx/maintenance").start.best == 98  # type: ignore[union-attr]
    assert case.item("crp").start.best == 154  # type: ignore[union-attr]
    assert case.item("esr").start.best == 42  # type: ignore[union-attr]
    assert case.item("alb").start.best == 155  # type: ignore[union-attr]
    course = case.item("ifx")
    assert course is not None and course.end is not None and course.end.best == 266
    fifth = case.item("ifx#5")
    assert fifth is not None
    assert item_title(fifth) == "Infliximab (administration 5, maintenance)"
    rows = dict(describe_item(case, fifth))
    assert rows["Dose"] == "5 mg/kg" and rows["Phase"] == "maintenance"
    assert dict(describe_item(case, case.item("ifx#2")))["Dose"] == "3 mg/kg"  # type: ignore[arg-type]
    details = dict(describe_item(case, course))
    assert details["Cumulative dose"] == "29 mg/kg computed (3 × 3 mg/kg + 4 × 5 mg/kg)"
    assert details["Phases"] == "induction: 3 mg/kg; maintenance: 5 mg/kg"


def test_a_later_repeat_without_its_own_start_follows_the_previous_phase(tmp_path: Path) -> None:
    result = load(tmp_path, """    - id: ifx
      kind: drug
      drug: infliximab
      phases:
        - {name: induction, schedule: {at: [week 0, week 2, week 6]}}
        - {name: maintenance, schedule: {every: 8 weeks, count: 2}}
""")
    assert result.ok, [str(d) for d in result.diagnostics]
    (case,) = result.cases
    fourth, fifth = case.item("ifx#4"), case.item("ifx#5")
    assert fourth is not None and fifth is not None and fourth.start is not None and fifth.start is not None
    assert fourth.start.lo == 42 and fourth.placed  # after the induction, gap not stated
    assert fifth.start.best - fourth.start.best == pytest.approx(56)


def test_dose_changes_are_phases_without_schedules(tmp_path: Path) -> None:
    result = load(tmp_path, """    - {id: ifx, kind: drug, drug: infliximab, start: day 0}
    - id: pred
      kind: drug
      drug: prednisolone
      unit: mg/day
      start: day 0
      end: day 60
      cumulative_dose: 900 mg
      phases:
        - {name: initial, dose: 60}
        - {name: taper, dose: 30, start: day 14}
""")
    assert result.ok and result.diagnostics == [], [str(d) for d in result.diagnostics]
    (case,) = result.cases
    phases = [i for i in case.items if i.role is ItemRole.PHASE]
    assert [(i.item_id, i.start.best if i.start else None) for i in phases] == [("pred/initial", 0), ("pred/taper", 14)]
    assert dict(describe_item(case, phases[1]))["Dose"] == "30 mg/day"
    # a rate: the cumulative dose cannot be computed, so the stated one is shown alone, without a warning
    assert dict(describe_item(case, case.item("pred")))["Cumulative dose"] == "900 mg stated"  # type: ignore[arg-type]


@pytest.mark.parametrize(("at", "message"), [
    ("ifx/maint", "'ifx/maint' refers to a phase 'maint' that 'ifx' does not have (its phases: induction, "
                  "maintenance)"),
    ("ifx/maintenance#5", "ifx/maintenance#5 asks for administration 5 of phase 'maintenance', which has 4 "
                          "(use a number from 1 to 4)"),
    ("crp2/x", "'crp2/x' refers to a phase of 'crp2', which has no phases (give 'crp2' 'phases', or refer to "
               "the event itself)"),
    ("nope/x", "'nope/x' refers to an event 'nope' that does not exist"),
])
def test_a_reference_to_a_phase_that_does_not_exist_is_an_error(tmp_path: Path, at: str, message: str) -> None:
    result = load(tmp_path, IFX + f"    - {{id: crp, kind: investigation, test: CRP, at: {at}}}\n"
                  "    - {id: crp2, kind: investigation, test: CRP, at: day 3}\n")
    assert not result.ok
    assert any(message in str(d) for d in result.errors), [str(d) for d in result.diagnostics]


@pytest.mark.parametrize(("phases", "message"), [
    ("[{name: a, schedule: {every: 1 week, until: day 20, start: day 0}}]", "a repeat in a phase of 'ifx' needs a "
                                                                            "stated 'count'"),
    ("[{name: a, dose: 1}, {name: b, dose: 2}]", "phase 'b' of 'ifx' needs a 'start' or a 'schedule'"),
    ("[{name: a, dose: 1}, {name: a, dose: 2, start: day 3}]", "two phases of 'ifx' are called 'a'"),
    ("[{name: 'a b', dose: 1}]", "phase name 'a b' has characters names cannot have"),
])
def test_phases_are_checked(tmp_path: Path, phases: str, message: str) -> None:
    result = load(tmp_path, f"    - {{id: ifx, kind: drug, drug: infliximab, start: day 0, phases: {phases}}}\n")
    assert any(message in str(d) for d in result.errors), [str(d) for d in result.diagnostics]


def test_dose_forms_units_and_brand(tmp_path: Path) -> None:
    result = load(tmp_path, """    - {id: ifx, kind: drug, drug: infliximab, brand: Remicade, dose: 5 mg/kg,
       start: day 0}
    - {id: pred, kind: drug, drug: prednisolone, dose: 10-20, unit: mg, start: day 0}
    - {id: cart, kind: therapy, drug: CAR-T, dose: 2, unit: x10^6 cells/kg, start: day 9}
    - {id: ritux, kind: therapy, drug: rituximab, dose: 375, unit: mg/m2, start: day 9}
""")
    assert result.ok and result.diagnostics == [], [str(d) for d in result.diagnostics]
    (case,) = result.cases
    ifx = case.item("ifx")
    assert ifx is not None and ifx.label == "Infliximab (Remicade)" and ifx.lane == "Infliximab"
    assert dict(describe_item(case, ifx))["Brand"] == "Remicade"
    words = {i: dict(describe_item(case, case.item(i)))["Dose"]  # type: ignore[arg-type]
             for i in ("ifx", "pred", "cart", "ritux")}
    assert words == {"ifx": "5 mg/kg", "pred": "10-20 mg", "cart": "2 ×10⁶ cells/kg", "ritux": "375 mg/m²"}
    assert display_unit("mcg/kg") == "µg/kg" and display_unit("IU") == "IU" and display_unit("mL/kg") == "mL/kg"


def test_a_backwards_dose_range_is_an_error(tmp_path: Path) -> None:
    result = load(tmp_path, "    - {id: ifx, kind: drug, drug: x, dose: 20-10, unit: mg, start: day 0}\n")
    assert ["the dose range '20-10' runs backwards" in d.message for d in result.errors] == [True]


def test_cumulative_dose_stated_computed_and_checked(tmp_path: Path) -> None:
    events = """    - id: ifx
      kind: drug
      drug: infliximab
      dose: {dose}
      unit: mg
      schedule: {{every: 2 weeks, count: 4, start: day 0}}
      cumulative_dose: {stated}
"""
    ok = load(tmp_path, events.format(dose=100, stated=400))
    assert ok.ok and ok.diagnostics == []
    (case,) = ok.cases
    assert dict(describe_item(case, case.item("ifx")))["Cumulative dose"] == (  # type: ignore[arg-type]
        "400 mg stated; 400 mg computed (4 × 100 mg)")
    wrong = load(tmp_path, events.format(dose=100, stated="{value: 0.6, unit: g}"))
    assert wrong.ok and wrong.diagnostics == []  # another unit: not compared
    wrong = load(tmp_path, events.format(dose=100, stated=600))
    assert wrong.ok
    assert [str(d).split(": ", 1)[1] for d in wrong.diagnostics] == [
        "warning: the stated cumulative dose of 'ifx', 600 mg, does not match 4 administrations: 400 mg computed "
        "(check the dose, the schedule and the stated total against the source)"]
    in_range = load(tmp_path, events.format(dose="50-150", stated=500))
    assert in_range.ok and in_range.diagnostics == []
    (case,) = in_range.cases
    rows = dict(describe_item(case, case.item("ifx")))  # type: ignore[arg-type]
    assert "200-600 mg computed" in rows["Cumulative dose"]


def test_regimen_is_one_event_with_each_drug_and_its_dose(tmp_path: Path) -> None:
    result = load(tmp_path, """    - {id: ifx, kind: drug, drug: infliximab, start: day 0}
    - id: vrd
      kind: therapy
      regimen: VRd
      drugs:
        - {drug: bortezomib, dose: 1.3, unit: mg/m2, route: SC, brand: Velcade}
        - {drug: lenalidomide, dose: 25, unit: mg, route: oral}
        - {drug: dexamethasone, dose: 20-40, unit: mg}
      schedule: {cycles: {count: 2, length: 21 days, days: [1, 4, 8, 11], start: day 10}}
""")
    assert result.ok and result.diagnostics == [], [str(d) for d in result.diagnostics]
    (case,) = result.cases
    course = case.item("vrd")
    assert course is not None and course.label == "VRd" and course.lane == "VRd"
    rows = dict(describe_item(case, course))
    assert rows["Regimen"] == "VRd"
    assert rows["Drugs"] == ("bortezomib (Velcade) 1.3 mg/m², SC; lenalidomide 25 mg, oral; "
                             "dexamethasone 20-40 mg")
    assert len([i for i in case.items_of("vrd") if i.role is ItemRole.DOSE]) == 8


def test_results_as_limits_and_results_not_interpreted(tmp_path: Path) -> None:
    result = load(tmp_path, """    - {id: ifx, kind: drug, drug: infliximab, start: day 0}
    - {id: plt, kind: investigation, test: platelets, at: day 3, value: "> 20", value_unit: G/l}
    - {id: pf4, kind: investigation, test: PF4, at: day 3, value: "<=0.5", interpretation: normal}
""")
    assert result.ok and result.diagnostics == [], [str(d) for d in result.diagnostics]
    (case,) = result.cases
    plt = dict(describe_item(case, case.item("plt")))  # type: ignore[arg-type]
    assert plt["Value"] == "> 20 G/l" and plt["Interpretation"] == "not stated"
    pf4 = dict(describe_item(case, case.item("pf4")))  # type: ignore[arg-type]
    assert pf4["Value"] == "≤ 0.5" and pf4["Interpretation"] == "normal"


def test_citation_and_patient_details(tmp_path: Path) -> None:
    result = load(tmp_path, "    - {id: ifx, kind: drug, drug: infliximab, start: day 0}\n", extra="""\
  patient: {age: 61, sex: female, ethnicity: Japanese}
  citation: {authors: [Doe J], journal: J Ex, year: 2021, volume: "9", issue: "2", article_number: e12,
             epub_date: 2020-12-01, type: meeting-abstract, pmid: "1", pmcid: PMC2}
""")
    assert result.ok and result.diagnostics == []
    (case,) = result.cases
    rows = dict(describe_case(case.case))
    assert rows["Ethnicity"] == "Japanese" and rows["Publication type"] == "meeting abstract"
    assert rows["Citation"] == "Doe J. J Ex. 2021. 9(2):e12. Epub 2020-12-01. PMID 1. PMCID PMC2"
    bad = load(tmp_path, "    - {id: ifx, kind: drug, drug: x, start: day 0}\n", extra="  citation: {type: blog}\n")
    assert [d.message for d in bad.errors] == ["unknown publication type 'blog'"]


def test_lane_in_two_categories_warns_once_and_an_end_before_start_is_an_error(tmp_path: Path) -> None:
    result = load(tmp_path, """    - {id: ifx, kind: drug, drug: infliximab, start: day 0}
    - {id: a, kind: drug, drug: prednisolone, lane: Steroids, start: day 0}
    - {id: b, kind: therapy, drug: methylprednisolone, lane: Steroids, start: day 5}
    - {id: c, kind: therapy, drug: methylprednisolone, lane: Steroids, start: day 9}
""")
    assert result.ok
    assert [d.message for d in result.diagnostics] == [
        "lane 'Steroids' is in two categories: drug ('a') and rescue ('b'); it is drawn as two rows"]
    backwards = load(tmp_path, "    - {id: ifx, kind: drug, drug: infliximab, start: day 10, end: day 2}\n")
    assert [d.message.split(":")[0] for d in backwards.errors] == ["'ifx' ends (day 2) before it starts (day 10)"]


def test_an_expanded_regimen_draws_each_drug_on_a_lane_under_the_regimen(tmp_path: Path) -> None:
    from caseline.layout.timeline_layout import build_layout

    result = load(tmp_path, """    - {id: ifx, kind: drug, drug: infliximab, start: day 0}
    - id: vrd
      kind: therapy
      regimen: VRd
      expand: true
      drugs:
        - {drug: bortezomib, dose: 1.3, unit: mg/m2, route: SC, brand: Velcade}
        - {drug: dexamethasone, dose: 20-40, unit: mg}
      schedule: {cycles: {count: 2, length: 21 days, days: [1, 8], start: day 10}}
    - {id: after, kind: symptom, label: Neuropathy, start: day 40}
""")
    assert result.ok and result.diagnostics == [], [str(d) for d in result.diagnostics]
    (case,) = result.cases
    drugs = [i for i in case.items if i.component]
    assert [(i.item_id, i.lane, i.label) for i in drugs] == [
        ("vrd:1", "VRd · bortezomib", "bortezomib (Velcade) 1.3 mg/m², SC"),
        ("vrd:2", "VRd · dexamethasone", "dexamethasone 20-40 mg")]
    course = case.item("vrd")
    assert course is not None and all(i.start == course.start and i.end == course.end for i in drugs)
    rows = dict(describe_item(case, drugs[1]))
    assert rows["Dose"] == "20-40 mg" and rows["Regimen"] == "VRd" and "Cumulative dose" not in rows
    lanes = [row.lane for row in build_layout([case]).rows if row.lane]
    assert lanes.index("VRd · bortezomib") == lanes.index("VRd") + 1
    assert lanes.index("VRd · dexamethasone") == lanes.index("VRd") + 2
    collapsed = load(tmp_path, "    - {id: ifx, kind: drug, drug: x, start: day 0, expand: true}\n")
    assert [d.message for d in collapsed.errors] == ["'expand' draws the drugs of a regimen: this event lists none"]


def test_wrong_dose_values_are_reported_once_each_and_never_raise(tmp_path: Path) -> None:
    huge = "9" * 400  # a number no float holds
    result = load(tmp_path, f"""    - {{id: ifx, kind: drug, drug: x, start: day 0, cumulative_dose: "{huge} mg"}}
    - {{id: b, kind: investigation, test: t, at: day 1, value: "> {huge}"}}
    - {{id: c, kind: drug, drug: x, dose: [1], cumulative_dose: true, start: day 0,
       phases: [{{name: a, dose: {{x: 1}}}}], drugs: 3}}
""")
    assert sorted(d.message for d in result.errors) == sorted([
        "'cumulative_dose' must be a number", "'value' must be a number", "'dose' must be a number",
        "'dose' must be a number", "'cumulative_dose' must be a number",
        "'drugs' must be a list of {drug, dose, unit, route}"])


_PHASE_SCHEDULES = ("{at: [week 0, week 2, week 6]}", "{every: 8 weeks, count: 3}", "{every: unknown, count: 2}",
                    "{every: 1 week, count: 2, start: after ifx/p0}",
                    "{cycles: {count: 2, length: 21 days, days: [1, 8]}}", "{cycles: {count: 2, length: unknown}}",
                    "{every: 1 week, until: day 20}", "{at: [then, then]}")
_PHASE_STARTS = ("", "day 30", "after ifx#2", "ifx/p0.end", "2 weeks after ifx/p1#1", "ifx/p9", "unknown",
                 "before ifx/p0")
_REFS = ("ifx/p0", "ifx/p1.end", "ifx/p2#2", "ifx#4", "ifx/p1#last", "ifx.end", "ifx/nope", "x/p0")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(("", *_PHASE_SCHEDULES)), st.sampled_from(_PHASE_STARTS),
                          st.sampled_from(("", "3", "10-20", "5 mg/kg", "x"))), min_size=1, max_size=4),
       st.sampled_from(_REFS), st.booleans())
def test_any_phases_give_diagnostics_never_an_exception(tmp_path: Path, phases: list[tuple[str, str, str]], ref: str,
                                                        course_start: bool) -> None:
    lines = [f"        - {{name: p{k}" + (f", schedule: {s}" if s else "") + (f", start: {t}" if t else "")
             + (f", dose: {d}" if d else "") + "}" for k, (s, t, d) in enumerate(phases)]
    events = ("    - id: ifx\n      kind: drug\n      drug: infliximab\n      unit: mg\n      cumulative_dose: 30\n"
              + ("      start: day 0\n" if course_start else "") + "      phases:\n" + "\n".join(lines) + "\n"
              + f"    - {{id: crp, kind: investigation, test: CRP, at: {ref}}}\n")
    result = load(tmp_path, events, name="fuzz.caseline.yaml")
    assert not result.internal_error, [str(d) for d in result.diagnostics]
    if result.ok:
        (case,) = result.cases
        for item in case.items:
            describe_item(case, item)  # the words of every item, never an exception


def test_the_view_expands_a_regimen_the_file_keeps_as_one_group(tmp_path: Path) -> None:
    """View > Regimens' drugs: the view state draws a collapsed regimen's drugs on lanes of their own, with the
    same items the file's 'expand: true' gives, and collapses them again."""
    from caseline.view_state import ViewState

    events = """    - {id: ifx, kind: drug, drug: infliximab, start: day 0}
    - id: vrd
      kind: therapy
      regimen: VRd
      drugs:
        - {drug: bortezomib, dose: 1.3, unit: mg/m2}
        - {drug: dexamethasone, dose: 20-40, unit: mg}
      start: day 10
      end: day 52
"""
    result = load(tmp_path, events)
    assert result.ok, [str(d) for d in result.diagnostics]
    (collapsed,) = result.cases
    (expanded,) = load(tmp_path, events.replace("regimen: VRd", "regimen: VRd\n      expand: true"),
                       name="e.caseline.yaml").cases
    view = ViewState(cases=(collapsed,))

    def lanes() -> list[str]:
        return [item.lane for item in view.shown().cases[0].items if item.event_id == "vrd"]

    assert lanes() == ["VRd"]
    seen: list[frozenset[str]] = []
    view.changed.connect(seen.append)
    view.expand_regimens = True
    assert seen == [frozenset({"expand_regimens"})]
    assert lanes() == ["VRd", "VRd · bortezomib", "VRd · dexamethasone"]
    shown = [(i.item_id, i.lane, i.label, i.start, i.end) for i in view.shown().cases[0].items if i.component]
    assert shown == [(i.item_id, i.lane, i.label, i.start, i.end) for i in expanded.items if i.component]
    again = view.shown().cases[0]
    view.align = view.align  # no change: the same expanded case object is kept
    assert view.shown().cases[0] is again
    view.expand_regimens = False
    assert lanes() == ["VRd"]
