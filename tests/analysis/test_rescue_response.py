"""Response to rescue therapies on small purpose-written cases: time from each rescue start to the first
documented improvement as an interval, with 'no response' and 'unknown' kept apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseline.analysis.metrics import case_metrics, comparison_table
from caseline.model.case import Event
from caseline.timeline.load import load_file
from caseline.timeline.resolved import ResolvedCase

TEXT = """\
caseline: 1
case:
  id: r
  title: Rescue test
  suspect: {{drug: drg, reaction: Neuropathy, reaction_event: rx}}
  events:
    - {{id: drg, kind: drug, drug: testamab, role: suspected, start: day 0, end: day 30}}
    - {{id: rx, kind: symptom, label: Neuropathy, start: day 20, course: [{course}]}}
    - {{id: ivig, kind: therapy, label: IVIG, lane: IVIG, start: day 32, end: day 36{extra}}}
"""


def case(tmp_path: Path, course: str, extra: str = "") -> ResolvedCase:
    path = tmp_path / "r.caseline.yaml"
    path.write_text(TEXT.format(course=course, extra=extra), encoding="utf-8")
    result = load_file(path)
    assert result.ok, [str(d) for d in result.diagnostics]
    return result.cases[0]


def test_improvement_after_the_rescue_is_timed_from_its_start(tmp_path) -> None:
    (response,) = case_metrics(case(tmp_path, "{at: day 40, state: improvement}")).rescues
    assert response.outcome == "improved"
    assert response.time_to_improvement is not None and response.time_to_improvement.best == 8
    assert response.text() == "IVIG: 8 d"


def test_worsening_only_is_no_response_and_nothing_is_unknown(tmp_path) -> None:
    (response,) = case_metrics(case(tmp_path, "{at: day 40, state: worsening}")).rescues
    assert (response.outcome, response.time_to_improvement) == ("no response", None)
    assert response.text() == "IVIG: no response"
    (response,) = case_metrics(case(tmp_path, "")).rescues
    assert response.outcome == "unknown" and response.text() == "IVIG: unknown"
    frame = comparison_table([case(tmp_path, "")])
    assert frame["time to improvement"].iloc[0] == "IVIG: unknown"


@pytest.mark.skipif("response" not in Event.__dataclass_fields__, reason="issue 13 fields")
def test_stated_response_is_kept(tmp_path) -> None:
    (response,) = case_metrics(case(tmp_path, "", ", response: none")).rescues
    assert response.outcome == "no response"
    (response,) = case_metrics(case(tmp_path, "{at: day 40, state: improvement}", ", response: partial")).rescues
    assert response.outcome == "partial response" and response.text() == "IVIG: 8 d (partial response)"
    (response,) = case_metrics(case(tmp_path, "{at: day 40, state: worsening}", ", response: unknown")).rescues
    assert response.outcome == "unknown"
