"""The columnar layout (issue 18) gives exactly what the per-item layout gave, array for array, and a layout
reusing another's per-case columns (a switch of alignment, sort or hidden lanes) equals one built afresh."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from benchmarks.generate import write_yaml

from caseline.layout import timeline_layout as L
from caseline.model.kinds import Category
from caseline.timeline.load import load_file
from layout_reference import reference_layout
from support import SAMPLES


@pytest.fixture(scope="module")
def samples():
    cases = []
    for path in sorted(SAMPLES.glob("*.caseline.yaml")):
        result = load_file(path)
        assert result.ok
        cases += result.cases
    assert len(cases) > 1
    return cases


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """Two generated cases of 300 events: every kind and time form the benchmarks use (open ends, whiskers,
    uncertainty bands, cycles, severity, rules)."""
    path = tmp_path_factory.mktemp("gen") / "two.caseline.yaml"
    write_yaml(str(path), 2, 300)
    result = load_file(path)
    assert result.ok
    return list(result.cases)


def same_marks(a: L.Marks, b: L.Marks) -> None:
    for name in ("x0", "x1", "y", "color", "item", "style"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype, name
        np.testing.assert_array_equal(x, y, err_msg=name)


def same_layout(fast: L.TimelineLayout, old: L.TimelineLayout) -> None:
    assert fast.rows == old.rows
    assert [id(i) for i in fast.items] == [id(i) for i in old.items]
    np.testing.assert_array_equal(fast.item_case, old.item_case)
    assert fast.item_case.dtype == old.item_case.dtype
    np.testing.assert_array_equal(fast.item_row, old.item_row)
    same_marks(fast.bars, old.bars)
    same_marks(fast.points, old.points)
    same_marks(fast.whiskers, old.whiskers)
    assert len(fast.severity) == len(old.severity)
    for (r1, x1, v1, lo1, hi1), (r2, x2, v2, lo2, hi2) in zip(fast.severity, old.severity, strict=True):
        assert (r1, lo1, hi1) == (r2, lo2, hi2)
        np.testing.assert_array_equal(x1, x2)
        np.testing.assert_array_equal(v1, v2)
    assert len(fast.labels) == len(old.labels)
    for a, b in zip(fast.labels, old.labels, strict=True):
        assert (a.x, a.y, a.text, a.item, a.priority) == (b.x, b.y, b.text, b.item, b.priority)
        assert a.x_end == b.x_end or (math.isnan(a.x_end) and math.isnan(b.x_end))
    c1, c2 = fast.label_columns(), L.LabelColumns.from_labels(list(old.labels))
    for name in ("x", "x_end", "y", "row", "priority", "item", "text"):
        np.testing.assert_array_equal(getattr(c1, name), getattr(c2, name), err_msg=name)
    assert c1.texts == c2.texts
    assert fast.undated == old.undated
    assert fast.shifts == old.shifts
    assert fast.rules == old.rules
    assert fast.x_range == old.x_range


def option_sets(cases):
    ids = [c.id for c in cases]
    lanes = sorted({item.lane for c in cases for item in c.items})
    some_items = [item.item_id for c in cases for item in c.items[::3]]
    rng = random.Random(18)
    return [
        L.LayoutOptions(),
        L.LayoutOptions(shifts={i: rng.uniform(-400, 400) for i in ids}),
        L.LayoutOptions(shifts={ids[0]: 0.1}, hidden_lanes=frozenset(lanes[::2])),
        L.LayoutOptions(hidden_categories=frozenset({Category.DRUG}), headers=False, undated_strip=False),
        L.LayoutOptions(shared_lanes_only=True, shifts={ids[-1]: -3.5}),
        L.LayoutOptions(revealed=frozenset(some_items), shifts={ids[0]: 7.0}),
    ]


@pytest.mark.parametrize("which", ["samples", "generated"])
def test_the_columnar_layout_is_the_per_item_layout(which, request):
    cases = request.getfixturevalue(which)
    for options in option_sets(cases):
        same_layout(L.build_layout(cases, options), reference_layout(cases, options))
    for case in cases:  # one case alone, as the window shows it
        same_layout(L.build_layout([case]), reference_layout([case]))
    same_layout(L.build_layout([]), reference_layout([]))


@pytest.mark.parametrize("which", ["samples", "generated"])
def test_a_layout_reusing_columns_equals_one_built_afresh(which, request):
    cases = request.getfixturevalue(which)
    first = L.build_layout(cases)
    previous = first
    for options in option_sets(cases):  # switching alignment, sort, lanes: each from the previous layout
        order = list(reversed(cases)) if options.shared_lanes_only else cases
        again = L.build_layout(order, options, reuse=previous)
        same_layout(again, L.build_layout(order, options))
        same_layout(again, reference_layout(order, options))
        if options.revealed is None:  # nothing walked the items again: the columns are the very same objects
            assert all(any(a is b for b in first.columns) for a in again.columns)
        previous = again


def test_lane_order_of_the_columns_is_lane_order(samples):
    layout = L.build_layout(samples)
    lanes = [(r.category, r.lane) for r in layout.rows if r.kind == L.RowKind.LANE]
    order = L.lane_order(samples)
    assert sorted(set(lanes), key=order.index) == [k for k in order if k in set(lanes)]


@pytest.mark.parametrize("which", ["samples", "generated"])
def test_item_events_are_numbered_by_first_appearance(which, request):
    cases = request.getfixturevalue(which)
    for layout in (L.build_layout(cases), L.build_layout(cases + cases[:1])):  # a case shown twice: one set of events
        keys: dict[tuple[str, str], int] = {}
        expected = [keys.setdefault((item.case_id, item.event_id), len(keys)) for item in layout.items]
        assert layout.item_event().tolist() == expected


def test_a_reused_layout_holds_no_case_it_no_longer_shows(samples):
    first = L.build_layout(samples)
    again = L.build_layout(samples[1:], L.LayoutOptions(shifts={samples[1].id: 2.0}), reuse=first)
    kept = again.__dict__["_kept"]
    shown = {id(c) for c in again.columns}
    assert set(kept.text_ids) <= shown
    assert all(id(c) in shown for key in kept.orders for c in kept.orders[key][0])
    for gathered in (kept.last, kept.before):
        assert gathered is None or all(id(c) in shown for c in gathered.columns)
    assert all(c.case is not samples[0] for c in again.columns)


def test_columns_prepared_on_a_loading_thread_are_the_ones_a_layout_uses() -> None:
    """A (re)load makes each case's columns on its loading thread (ui.documents): the layout takes those very
    columns, and draws exactly what it draws when it makes them itself."""
    import threading

    from caseline.layout.case_columns import PREPARED, prepare_columns
    from caseline.timeline.load import load_file

    fresh = list(load_file(SAMPLES / "bortezomib-myeloma.caseline.yaml").cases)
    made_here = L.build_layout(fresh)
    loaded = list(load_file(SAMPLES / "bortezomib-myeloma.caseline.yaml").cases)
    worker = threading.Thread(target=prepare_columns, args=(loaded,))
    worker.start()
    worker.join()
    prepared = [PREPARED.take(case, None) for case in loaded]
    assert all(col is not None and col.case is case for col, case in zip(prepared, loaded, strict=True))
    assert all("_numeric_tracks" in col.__dict__ for col in prepared)  # found on the loading thread too
    layout = L.build_layout(loaded)
    assert all(a is b for a, b in zip(layout.columns, prepared, strict=True))
    for name in ("bars", "points", "whiskers"):
        for field in ("x0", "x1", "y", "color", "item", "style"):
            assert np.array_equal(getattr(getattr(layout, name), field), getattr(getattr(made_here, name), field))
    assert [r.lane for r in layout.rows] == [r.lane for r in made_here.rows]
    # a teaching reveal draws only some items: those columns are made for it, not taken
    some = frozenset({loaded[0].items[0].item_id})
    revealed = L.build_layout(loaded, L.LayoutOptions(revealed=some))
    assert revealed.columns[0] is not prepared[0] and revealed.columns[0].revealed == some
    # another load of the same file is other case objects: never given this one's columns
    assert PREPARED.take(fresh[0], None) is None
    # a closed document lets its columns go (the layouts showing its cases keep their own)
    PREPARED.forget(loaded)
    assert all(PREPARED.take(case, None) is None for case in loaded)
    assert layout.columns[0] is prepared[0]


def test_the_items_of_cases_in_one_order_index_as_one_list() -> None:
    """A layout's items are its cases' own tuples seen as one sequence (not copied into one list): every index,
    negative indices and slices give what the concatenated list gives, empty cases included."""
    from caseline.layout.composition import CaseItems

    parts = [("a", "b"), (), ("c",), (), (), ("d", "e", "f"), ()]
    flat = [x for p in parts for x in p]
    base = np.cumsum([0, *[len(p) for p in parts]])[:-1]
    seq = CaseItems(parts, base)  # type: ignore[arg-type]
    assert len(seq) == len(flat) and list(seq) == flat
    assert [seq[k] for k in range(-len(flat), len(flat))] == flat + flat
    assert seq[1:5] == flat[1:5] and seq[::-2] == flat[::-2]
    for bad in (len(flat), -len(flat) - 1):
        with pytest.raises(IndexError):
            seq[bad]
