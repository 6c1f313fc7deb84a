"""The swimmer layout: one row per case with its exposure, onset and latency, rescue, outcome."""

from __future__ import annotations

import numpy as np
import pytest

from caseline.analysis.metrics import case_metrics, interval_text
from caseline.analysis.swimmer import row_label, swimmer_facts
from caseline.layout.swimmer import LATENCY_PRIORITY, build_swimmer_layout
from caseline.layout.timeline_layout import CATEGORY_INDEX, BarStyle, RowKind
from caseline.model.kinds import Category, Glyph
from caseline.timeline.load import load_inputs
from caseline.view_state import ViewState
from support import CASESET, LATENCY_ORDER


@pytest.fixture(scope="module")
def shown():
    inputs = load_inputs([str(CASESET)])
    view = ViewState(tuple(inputs.cases), align=inputs.spec.align, sort=inputs.spec.sort, layout="swimmer")
    return view.shown()


@pytest.fixture(scope="module")
def layout(shown):
    return build_swimmer_layout(shown.cases, [swimmer_facts(c) for c in shown.cases], shown.options)


def test_one_row_per_case_in_latency_order(layout):
    assert [row.case_id for row in layout.rows] == LATENCY_ORDER
    assert all(row.kind is RowKind.LANE for row in layout.rows)
    labels = [row.lane for row in layout.rows]
    assert "Jeter 2008" in labels or any(label.startswith("Jeter") for label in labels)
    assert all(len(label) <= 23 for label in labels)


def test_each_case_has_its_latency_label_at_its_onset(layout, shown):
    for row_index, case in enumerate(shown.cases):
        metrics = case_metrics(case)
        text = interval_text(metrics.latency)
        found = [lab for lab in layout.labels if lab.text == text and lab.priority == LATENCY_PRIORITY
                 and lab.y == row_index + 0.5]
        assert found, f"{case.id}: no latency label {text!r}"
        onset = layout.items[found[0].item]
        assert onset.event_id == case.case.suspect.reaction_event
        assert found[0].x == pytest.approx(onset.start.best + shown.options.shifts.get(case.id, 0.0))
    assert layout.latency_labels["ifx-pg"] == "56 d"
    assert layout.latency_labels["bz-mm"] == "63-119 d"
    assert layout.latency_labels["bz-xu"] == "≥ 15 d"


def test_marks_exposure_doses_onset_rescue(layout):
    points, bars = layout.points, layout.bars
    ifx_row = 0.5  # ifx-pg sorts first
    suspect = CATEGORY_INDEX[Category.SUSPECT]
    on_row = bars.y == ifx_row
    assert np.any(on_row & (bars.color == suspect)), "the exposure bar"
    doses = points.x0[(points.y == ifx_row) & ((points.style & 255) == Glyph.DOSE)]
    assert sorted(doses.tolist()) == [0.0, 14.0, 42.0]
    onset = (points.y == ifx_row) & ((points.style & 255) == Glyph.TRIANGLE)
    assert points.x0[onset].tolist() == [56.0]
    rescue = (points.y == ifx_row) & (points.color == CATEGORY_INDEX[Category.RESCUE])
    assert rescue.sum() == 1
    # bz-mm's onset is a span (63-119 days): a closed whisker; bz-xu's only "after": an arrow
    whiskers = layout.whiskers
    assert np.any((whiskers.y == 1.5) & (whiskers.x0 == 63.0) & (whiskers.x1 == 119.0))


def test_every_drawn_mark_maps_to_its_row(layout):
    for marks in (layout.bars, layout.points, layout.whiskers):
        rows = layout.item_row[marks.item]
        assert np.all(rows == np.floor(marks.y).astype(int))


def test_legend_lists_only_what_is_drawn(layout):
    meanings = [text for _, _, text in layout.legend]
    assert any("reaction onset" in m for m in meanings)
    assert "rescue therapy" in meanings
    assert not any("restarted" in m for m in meanings), "no case in the set is rechallenged"


def test_row_label_prefers_author_and_year(shown):
    by_id = {c.id: c for c in shown.cases}
    assert row_label(by_id["bz-xu"]).startswith("Xu")
    # no author or year in the source: the suspected drug and the patient
    assert row_label(by_id["ifx-pg"]) == "Infliximab, 38 F"
    assert row_label(by_id["bz-mm"]) == "Bortezomib, 59 M"


def test_an_exposure_whose_end_is_not_stated_fades_after_its_last_dose(layout):
    saifee = layout.rows[[r.case_id for r in layout.rows].index("bz-saifee")]
    y = saifee.y + 0.5
    bars = layout.bars
    on_row = np.nonzero(bars.y == y)[0]
    assert on_row.size == 1
    k = int(on_row[0])
    assert bars.style[k] & BarStyle.OPEN_END
    # not across the whole figure to the outcome on day 318: a fade of a tenth of the days shown
    assert bars.x1[k] - bars.x0[k] < 0.2 * (layout.x_range[1] - layout.x_range[0])


def test_a_teaching_step_shows_only_what_it_has_revealed(shown):
    import dataclasses

    case = shown.cases[0]  # ifx-pg: the doses revealed, the onset and everything after it not yet
    doses = frozenset(i.item_id for i in case.items if i.event_id == case.case.suspect.drug)
    options = dataclasses.replace(shown.options, revealed=doses)
    layout = build_swimmer_layout([case], [swimmer_facts(case)], options)
    assert len(layout.points) and all(layout.items[k].event_id == case.case.suspect.drug for k in layout.points.item)
    assert not layout.labels, "no latency before the onset is revealed"
    assert not any(text.startswith("reaction onset") for _, _, text in layout.legend)


def test_empty():
    layout = build_swimmer_layout([], [])
    assert layout.n_rows == 0 and len(layout.points) == 0
