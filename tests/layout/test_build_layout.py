"""build_layout on real cases, tested directly (the plot's tests only see it through pixels)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from caseline.layout import timeline_layout as L
from caseline.timeline.load import load_file
from support import SAMPLES


@pytest.fixture(scope="module")
def pyoderma():
    result = load_file(SAMPLES / "infliximab-pyoderma.caseline.yaml")
    assert result.ok
    return result.cases


@pytest.fixture(scope="module")
def neuropathy():
    cases = []
    for path in sorted(SAMPLES.glob("*.caseline.yaml")):
        result = load_file(path)
        assert result.ok
        cases += result.cases
    assert len(cases) > 1
    return cases


def test_every_mark_points_at_a_drawn_item_in_its_row(pyoderma):
    layout = L.build_layout(pyoderma)
    assert layout.rows[0].kind == L.RowKind.HEADER
    for marks in (layout.bars, layout.points, layout.whiskers):
        assert len(marks) and marks.x0.dtype == np.float64 and marks.item.dtype == np.int32
        rows = layout.item_row[marks.item]
        assert np.all(rows >= 0)
        assert np.all(marks.y == rows + 0.5)
        assert np.all(marks.x0 <= marks.x1)
        assert np.all(np.isfinite(marks.x0)) and np.all(np.isfinite(marks.x1))
    lo, hi = layout.x_range
    assert lo <= layout.bars.x0.min() and layout.bars.x1.max() <= hi


def test_points_sit_at_the_best_start_and_labels_follow_them(pyoderma):
    layout = L.build_layout(pyoderma)
    for k in range(len(layout.points)):
        item = layout.items[int(layout.points.item[k])]
        assert layout.points.x0[k] == item.start.best
    columns = layout.label_columns()
    assert len(columns) == len(layout.labels)
    for k, label in enumerate(layout.labels):
        assert columns.texts[int(columns.text[k])] == label.text
        assert columns.row[k] == math.floor(label.y)
        assert columns.x_end[k] == (label.x if math.isnan(label.x_end) else label.x_end)


def test_shifts_move_every_mark_of_their_case_only(neuropathy):
    plain = L.build_layout(neuropathy)
    first = neuropathy[0].id
    shifted = L.build_layout(neuropathy, L.LayoutOptions(shifts={first: 10.0}))
    in_first = plain.item_case[plain.points.item] == 0
    delta = shifted.points.x0 - plain.points.x0
    assert np.all(delta[in_first] == 10.0) and np.all(delta[~in_first] == 0.0)
    assert [lab.x for lab in shifted.labels if plain.item_case[lab.item] == 0] == \
        [lab.x + 10.0 for lab in plain.labels if plain.item_case[lab.item] == 0]


def test_each_case_is_a_header_then_its_lanes_in_one_shared_order(neuropathy):
    layout = L.build_layout(neuropathy)
    order = [key for key in L.lane_order(neuropathy)]
    for case_index in range(len(neuropathy)):
        rows = [layout.rows[r] for r in layout.case_rows(case_index)]
        assert rows[0].kind == L.RowKind.HEADER
        lanes = [(r.category, r.lane) for r in rows if r.kind == L.RowKind.LANE]
        assert lanes == sorted(lanes, key=order.index)
    assert [r.y for r in layout.rows] == [float(i) for i in range(layout.n_rows)]


def test_hidden_lanes_and_no_headers(pyoderma):
    full = L.build_layout(pyoderma)
    lane = next(r.lane for r in full.rows if r.kind == L.RowKind.LANE)
    hidden = L.build_layout(pyoderma, L.LayoutOptions(hidden_lanes=frozenset({lane}), headers=False))
    assert all(r.lane != lane for r in hidden.rows) and all(r.kind != L.RowKind.HEADER for r in hidden.rows)
    gone = [i for i, item in enumerate(hidden.items) if item.lane == lane]
    assert gone and all(hidden.item_row[i] == -1 for i in gone)
    assert not np.isin(hidden.points.item, gone).any() and not np.isin(hidden.bars.item, gone).any()


def test_revealed_keeps_only_the_revealed_items(pyoderma):
    case = pyoderma[0]
    keep = frozenset({case.items[0].item_id})
    layout = L.build_layout(pyoderma, L.LayoutOptions(revealed=keep))
    drawn = set(layout.bars.item.tolist()) | set(layout.points.item.tolist())
    assert drawn and all(layout.items[i].item_id in keep for i in drawn)


def test_hit_finds_the_point_under_the_cursor(pyoderma):
    layout = L.build_layout(pyoderma)
    k = 0
    index = int(layout.points.item[k])
    assert layout.hit(float(layout.points.x0[k]), float(layout.points.y[k]), days_per_px=0.01) == index
    assert layout.hit(float(layout.points.x0[k]), -5.0, days_per_px=0.01) is None


def test_no_cases_is_an_empty_layout():
    """Eight weeks from day -7, then the margin open-ended courses run into."""
    layout = L.build_layout([])
    assert layout.n_rows == 0 and len(layout.points) == 0 and layout.x_range == (-7.0, 63.0)
