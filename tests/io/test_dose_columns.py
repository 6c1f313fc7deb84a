"""Issue 13 in tables: the CSV events table's new columns and metadata lines, and the resolved table's rows
and doses of a phased course."""

from __future__ import annotations

from pathlib import Path

from caseline.analysis.tables import item_row
from caseline.analysis.wording import describe_case, describe_item
from caseline.timeline.load import load_file

TABLE = """# caseline: 1
# id: csv-doses
# suspect: ifx
# patient_ethnicity: Turkish
# pmcid: PMC0000002
# publication_type: case-report
id,kind,label,drug,brand,dose,unit,cumulative_dose,regimen,start,at,schedule_at,test,value,value_unit
ifx,drug,,infliximab,Remicade,5,mg/kg,15,,,,week 0; week 2; week 6,,,
vad,therapy,,,,,,,VAD,day 60,,,,,
pred,drug,,prednisolone,,10-20,mg,,,day 0,,,,,
plt,investigation,,,,,,,,,day 3,,platelets,> 150,G/l
"""


def test_the_csv_events_table_carries_brand_dose_ranges_cumulative_dose_regimen_and_limits(tmp_path: Path) -> None:
    path = tmp_path / "doses.events.csv"
    path.write_text(TABLE, encoding="utf-8")
    result = load_file(path)
    assert result.ok and result.diagnostics == [], [str(d) for d in result.diagnostics]
    (case,) = result.cases
    ifx = dict(describe_item(case, case.item("ifx")))  # type: ignore[arg-type]
    assert ifx["Brand"] == "Remicade" and ifx["Cumulative dose"] == "15 mg/kg stated; 15 mg/kg computed (3 × 5 mg/kg)"
    assert case.item("vad").label == "VAD"  # type: ignore[union-attr]
    assert dict(describe_item(case, case.item("pred")))["Dose"] == "10-20 mg"  # type: ignore[arg-type]
    assert dict(describe_item(case, case.item("plt")))["Value"] == "> 150 G/l"  # type: ignore[arg-type]
    details = dict(describe_case(case.case))
    assert details["Ethnicity"] == "Turkish" and details["Publication type"] == "case report"
    assert case.case.citation.pmcid == "PMC0000002"


def test_the_resolved_table_has_a_row_per_phase_and_each_dose_of_its_phase(tmp_path: Path) -> None:
    path = tmp_path / "p.caseline.yaml"
    path.write_text("""caseline: 1
case:
  id: p
  title: Phases
  suspect: {drug: ifx}
  events:
    - id: ifx
      kind: drug
      drug: infliximab
      unit: mg/kg
      phases:
        - {name: induction, dose: 3, schedule: {at: [week 0, week 2, week 6]}}
        - {name: maintenance, dose: 5, schedule: {every: 8 weeks, count: 2, start: 8 weeks after ifx/induction.end}}
""", encoding="utf-8")
    result = load_file(path)
    assert result.ok
    (case,) = result.cases
    rows = {str(r["item_id"]): r for r in (item_row(case, item) for item in case.items)}
    assert rows["ifx"]["dose"] == "3 mg/kg then 5 mg/kg"
    assert rows["ifx/maintenance"]["role"] == "phase" and rows["ifx/maintenance"]["start_day"] == 98
    assert [rows[f"ifx#{n}"]["dose"] for n in range(1, 6)] == ["3 mg/kg"] * 3 + ["5 mg/kg"] * 2
