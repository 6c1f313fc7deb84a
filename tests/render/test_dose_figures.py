"""The docs examples of doses, phases, regimens, results as limits, citation details and conflicting
statements (issue 13, items 1-3 and 9-12) render: each is exported as a real SVG figure whose text shows what
the timeline draws for it and the legend entry that explains its mark."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from caseline.render.exporters import EXPORTERS
from caseline.render.figure import built_figure, resolve_spec
from figure_support import sample_request
from support import svg_texts

DOC = Path(__file__).resolve().parents[2] / "docs" / "case-format.md"

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


def example(case_id: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    for block in re.findall(r"^```yaml(?: warning)?\n(.*?)^```", text, re.MULTILINE | re.DOTALL):
        if re.search(rf"^  id: {re.escape(case_id)}$", block, re.MULTILINE):
            return block
    raise AssertionError(f"docs/case-format.md has no example with case id {case_id!r}")


@pytest.mark.parametrize("case_id", sorted(EXPECTED))
def test_the_docs_example_renders_its_doses_phases_and_conflicts(case_id: str, tmp_path: Path, qapp) -> None:
    path = tmp_path / f"{case_id}.caseline.yaml"
    path.write_text(example(case_id), encoding="utf-8")
    view, request = sample_request(path, "double")
    with built_figure(resolve_spec(view, request)) as figure:
        svg = EXPORTERS["svg"].write(figure)
    words = " ".join(" ".join(t for t, *_ in svg_texts(ET.fromstring(svg))).split())
    for expected in EXPECTED[case_id]:
        assert expected in words, (expected, words)
