"""The timeline layout draws times known only by order in that order, never on one day (issue 12)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from caseline.layout.timeline_layout import build_layout
from caseline.timeline.load import load_file


def test_an_undated_chain_is_drawn_in_its_order(tmp_path: Path) -> None:
    path = tmp_path / "chain.caseline.yaml"
    path.write_text("caseline: 1\ncase:\n  id: chain\n  title: Chain\n" + textwrap.indent(textwrap.dedent("""
        suspect: {drug: ifx}
        events:
          - {id: ifx, kind: drug, drug: infliximab, start: day 0}
          - {id: weakness, kind: symptom, label: Weakness, start: 2 weeks after ifx}
          - {id: ivig, kind: therapy, drug: IVIG, start: after weakness}
          - {id: plex, kind: therapy, label: Plasma exchange, start: then}
          - {id: ivig-again, kind: therapy, drug: IVIG, start: then}
          - {id: better, kind: milestone, type: outcome, label: Improved, at: then}
    """), "  "), encoding="utf-8")
    result = load_file(path)
    assert result.ok, result.diagnostics
    layout = build_layout(result.cases)
    x = {}
    for index, item in enumerate(layout.items):
        position = layout.item_position(index)
        assert position is not None
        x[item.item_id] = position[0]
    order = ["weakness", "ivig", "plex", "ivig-again", "better"]
    assert [x[i] for i in order] == sorted(x[i] for i in order)
    assert len({x[i] for i in order}) == len(order)  # formerly all on day 14
