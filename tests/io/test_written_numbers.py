"""Numbers keep the digits the source wrote: 'CSF protein 1.50 g/L' is not shown as 1.5, nor 0.1234567 mg as
0.123457 (caseline.model.numbers). From YAML and from an events table, in labels, details, numeric tracks and
an import written back out; arithmetic on them claims no written precision."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from caseline.analysis.wording import describe_item
from caseline.io.standards.writing import to_yaml
from caseline.layout.label_text import label_text
from caseline.model.dosing import format_amount
from caseline.model.numbers import Written, written
from caseline.timeline.load import load_file

CASE = """\
caseline: 1
case:
  id: wn
  title: Written numbers
  anchor: drug
  events:
    - id: drug
      kind: drug
      drug: methotrexate
      dose: 0.50
      unit: mg/kg
      start: day 0
      end: day 5
    - id: csf
      kind: investigation
      test: CSF protein
      at: day 3
      value: 1.50
      value_unit: g/L
      reference: 0.15-0.40
    - id: crp
      kind: investigation
      test: CRP
      at: day 4
      value: "< 0.50"
      value_unit: mg/dL
    - id: level
      kind: investigation
      test: Drug level
      at: day 5
      value: 0.1234567
      value_unit: mg/L
"""

TABLE = """\
# caseline: 1
# id: wn
# title: Written numbers
# anchor: drug
id,kind,drug,dose,unit,start,end,at,test,value,value_unit,reference
drug,drug,methotrexate,0.50,mg/kg,day 0,day 5,,,,,
csf,investigation,,,,,,day 3,CSF protein,1.50,g/L,0.15-0.40
crp,investigation,,,,,,day 4,CRP,< 0.50,mg/dL,
level,investigation,,,,,,day 5,Drug level,0.1234567,mg/L,
"""


@pytest.fixture(params=["yaml", "csv"])
def case(request, tmp_path: Path):
    path = tmp_path / ("wn.caseline.yaml" if request.param == "yaml" else "wn.events.csv")
    path.write_text(CASE if request.param == "yaml" else TABLE, encoding="utf-8")
    result = load_file(path)
    assert result.ok, [str(d) for d in result.diagnostics]
    return result.cases[0]


def item(case, event_id: str):  # type: ignore[no-untyped-def]
    return next(i for i in case.items if i.event_id == event_id)


def test_labels_and_details_show_the_written_digits(case) -> None:
    assert label_text(item(case, "csf")) == "CSF protein 1.50 g/L"
    assert label_text(item(case, "crp")) == "CRP < 0.50 mg/dL"
    assert label_text(item(case, "level")) == "Drug level 0.1234567 mg/L"
    details = " ".join(v for _, v in describe_item(case, item(case, "csf")))
    assert "1.50 g/L" in details and "0.15-0.40" in details, details
    dose = " ".join(v for _, v in describe_item(case, item(case, "drug")))
    assert "0.50 mg/kg" in dose, dose
    events = {e.id: e for e in case.case.events}
    assert events["csf"].value == 1.5 and events["drug"].dose == 0.5  # the same numbers


def test_arithmetic_and_other_spellings_claim_no_written_precision() -> None:
    x = written("1.50")
    assert isinstance(x, Written) and f"{x:g}" == "1.50" and str(x) == "1.50" and x == 1.5 and hash(x) == hash(1.5)
    for result in (x + 1, x * 2, -x, x - 0.5, abs(x)):
        assert type(result) is float
    assert f"{x + 1:g}" == "2.5"
    assert f"{x:.3f}" == "1.500"  # an explicit format is the float's
    for plain in ("1.5", "2", "+1.5", "1e3", ".5", "007"):
        assert type(written(plain)) is float, plain
    assert f"{written('1234567'):g}" == "1234567" and format_amount(written("12500.0")) == "12500.0"
    assert format_amount(written("12500")) == "12 500"
    copy = pickle.loads(pickle.dumps(x))
    assert isinstance(copy, Written) and copy.text == "1.50" and copy == 1.5
    with pytest.raises(ValueError):
        written("1.5 mg")


def test_an_import_written_out_keeps_the_digits(tmp_path: Path) -> None:
    text = to_yaml({"caseline": 1, "case": {"id": "w", "events": [{"id": "e", "value": written("1.50"),
                                                                   "dose": written("0.10"), "at": 2.5}]}})
    assert "value: 1.50" in text and "dose: 0.10" in text and "at: 2.5" in text
    path = tmp_path / "back.caseline.yaml"
    path.write_text(CASE, encoding="utf-8")
    first = load_file(path).cases[0]
    assert label_text(item(first, "csf")) == "CSF protein 1.50 g/L"
