"""How the timeline draws what reports say (issue 13, items 4-8): a pertinent negative is a crossed empty mark on
its lane, never a band or an onset; a therapy's label says its response; a re-exposure's mark is hollow when the
reaction did not recur and its label says the outcome; a procedure is drawn in its own category."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from caseline.analysis.swimmer import swimmer_facts
from caseline.layout import timeline_layout as L
from caseline.layout.swimmer import build_swimmer_layout
from caseline.model.kinds import Category, Glyph
from caseline.timeline.load import load_file
from caseline.timeline.resolved import ResolvedCase

CASE = """caseline: 1
case:
  id: c
  title: T
  suspect: {drug: ifx, reaction_event: weakness}
  events:
    - {id: ifx, kind: drug, drug: infliximab, schedule: {at: [week 0, week 2, week 6]}}
    - {id: weakness, kind: symptom, label: Weakness, start: 2 weeks after ifx#3, end: week 20}
    - {id: sensory, kind: symptom, label: Sensory loss, start: weakness, end: week 20, absent: true}
    - {id: fever, kind: investigation, test: Fever, at: before weakness, absent: true}
    - {id: mp, kind: therapy, drug: methylprednisolone, start: week 9, duration: 5 days, response: none}
    - {id: ivig, kind: therapy, label: IVIG, drug: IVIG, start: week 10, duration: 5 days, response: partial}
    - {id: again, kind: rechallenge, target: ifx, at: week 30, exposure: deliberate, outcome: did_not_recur}
    - {id: ada, kind: rechallenge, target: ifx, at: week 40, exposure: class_switch, drug: adalimumab,
       outcome: recurred}
    - {id: plex, kind: procedure, type: plasma_exchange, start: week 12, duration: 10 days}
"""


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> ResolvedCase:
    path = tmp_path_factory.mktemp("marks") / "c.caseline.yaml"
    path.write_text(CASE, encoding="utf-8")
    result = load_file(path)
    assert result.diagnostics == [], [str(d) for d in result.diagnostics]
    return result.cases[0]


def marks_of(layout: L.TimelineLayout, marks: L.Marks, event_id: str) -> np.ndarray:
    """Indices into ``marks`` of the event's items."""
    own = [i for i, item in enumerate(layout.items) if item.event_id == event_id]
    return np.flatnonzero(np.isin(marks.item, own))


def labels_of(layout: L.TimelineLayout, event_id: str) -> list[str]:
    return [lab.text for lab in layout.labels if layout.items[lab.item].event_id == event_id]


def test_a_pertinent_negative_is_a_crossed_mark_not_a_band(case: ResolvedCase) -> None:
    layout = L.build_layout([case])
    for event_id in ("sensory", "fever"):
        assert len(marks_of(layout, layout.bars, event_id)) == 0, event_id  # nothing drawn as having happened
        points = marks_of(layout, layout.points, event_id)
        assert [int(layout.points.style[i]) & L.GLYPH_MASK for i in points] == [Glyph.ABSENT], event_id
    assert labels_of(layout, "sensory") == ["Sensory loss (absent)"]
    assert labels_of(layout, "fever") == ["Fever (absent)"]
    # the reaction itself is still a band with an onset triangle
    assert len(marks_of(layout, layout.bars, "weakness")) == 1
    onset = marks_of(layout, layout.points, "weakness")
    assert [int(layout.points.style[i]) & L.GLYPH_MASK for i in onset] == [Glyph.TRIANGLE]


def test_a_therapy_label_says_its_response(case: ResolvedCase) -> None:
    layout = L.build_layout([case])
    assert labels_of(layout, "mp") == ["Methylprednisolone · no response"]
    assert labels_of(layout, "ivig") == ["IVIG · partial response"]


def test_a_reexposure_mark_is_hollow_when_the_reaction_did_not_recur(case: ResolvedCase) -> None:
    layout = L.build_layout([case])
    (again,) = marks_of(layout, layout.points, "again")
    (ada,) = marks_of(layout, layout.points, "ada")
    assert int(layout.points.style[again]) == Glyph.RESTART  # no fill flag: hollow
    assert int(layout.points.style[ada]) == Glyph.RESTART | L.PointFlag.ABNORMAL
    assert labels_of(layout, "again") == ["Rechallenged · did not recur"]
    assert labels_of(layout, "ada") == ["Switched to adalimumab · recurred"]
    assert {layout.rows[layout.item_row[layout.points.item[i]]].lane for i in (again, ada)} == {
        "Infliximab", "Adalimumab"}


def test_a_procedure_has_its_own_category_and_colour(case: ResolvedCase) -> None:
    layout = L.build_layout([case])
    (bar,) = marks_of(layout, layout.bars, "plex")
    assert int(layout.bars.color[bar]) == L.CATEGORY_INDEX[Category.PROCEDURE]
    assert layout.rows[int(layout.bars.y[bar])].category is Category.PROCEDURE
    assert labels_of(layout, "plex") == ["Plasma exchange"]


def test_the_swimmer_keeps_restart_marks_filled_unless_the_reaction_did_not_recur(case: ResolvedCase) -> None:
    layout = build_swimmer_layout([case], [swimmer_facts(case)])
    restarts = [int(s) for s in layout.points.style if int(s) & L.GLYPH_MASK == Glyph.RESTART]
    assert Glyph.RESTART in restarts  # the deliberate rechallenge that did not recur
    assert Glyph.RESTART | L.PointFlag.ABNORMAL in restarts
    assert ("▷", "restarted, reaction did not recur") in [(sym, text) for _, sym, text in layout.legend]


def test_the_sample_encodes_negatives_that_are_drawn(tmp_path: Path) -> None:
    from support import SAMPLES

    (ifx,) = load_file(SAMPLES / "infliximab-pyoderma.caseline.yaml").cases
    layout = L.build_layout([ifx])
    assert any(int(s) & L.GLYPH_MASK == Glyph.ABSENT for s in layout.points.style)
