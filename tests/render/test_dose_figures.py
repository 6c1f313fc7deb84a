"""The docs examples of doses, phases, regimens, results as limits, citation details and conflicting
statements (issue 13, items 1-3 and 9-12) render: each is exported as a real SVG figure whose text shows what
the timeline draws for it and the legend entry that explains its mark."""

from __future__ import annotations

from pathlib import Path

import pytest

from figure_support import docs_example_figure_words

#: example case id -> texts its figure must show (labels, or the footnotes of labels without room; legend)
EXPECTED = {
    "doses": ["Rituximab (MabThera)", "CAR-T cells", "Prednisolone"],
    "phases": ["Infliximab (Remicade)", "maintenance 5 mg/kg", "taper 30 mg/day", "new phase / dose change"],
    "regimen": ["R-CHOP · rituximab", "R-CHOP · vincristine", "vincristine 1.4 mg/m², IV"],
    "limits": ["anti-PF4 antibodies", "investigation, not interpreted"],
    "letter-details": ["Rash after carbamazepine (letter)"],
    "two-ages": ["skin biopsy (sources differ)"],
    "slips": ["Steroids", "Methylprednisolone"],
}


@pytest.mark.parametrize("case_id", sorted(EXPECTED))
def test_the_docs_example_renders_its_doses_phases_and_conflicts(case_id: str, tmp_path: Path, qapp) -> None:
    words = docs_example_figure_words(case_id, tmp_path)
    for expected in EXPECTED[case_id]:
        assert expected in words, (expected, words)
