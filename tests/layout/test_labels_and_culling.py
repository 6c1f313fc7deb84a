"""place_labels gives exactly what the naive greedy gives; row culling finds exactly what a scan finds."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import caseline.layout.labels as labels_module
from caseline.layout.labels import place_labels
from caseline.layout.row_index import Culler, RowIndex, concat_ranges, merge_spans


def naive_greedy(x, width, row, priority, gap, left, right):
    """The definition: by priority (high first), then row, then x, then input order; keep a label when
    its box does not come within ``gap`` of a kept box in its row. An empty box (no text) is never kept."""
    order = sorted(range(len(x)), key=lambda i: (-priority[i], row[i], x[i], i))
    kept: list[int] = []
    keep = [False] * len(x)
    for i in order:
        x0, x1 = x[i], x[i] + width[i]
        if x1 <= left or x0 >= right or width[i] <= 0:
            continue
        if any(row[k] == row[i] and x[k] + width[k] + gap > x0 and x[k] < x1 + gap for k in kept):
            continue
        kept.append(i)
        keep[i] = True
    return keep


labels = st.integers(0, 60).flatmap(lambda n: st.tuples(
    st.lists(st.integers(-50, 400).map(float) | st.floats(-50, 400, allow_nan=False), min_size=n, max_size=n),
    st.lists(st.integers(0, 80).map(float), min_size=n, max_size=n),
    st.lists(st.integers(0, 3), min_size=n, max_size=n),
    st.lists(st.integers(0, 3), min_size=n, max_size=n)))


@settings(max_examples=300, deadline=None)
@given(labels, st.sampled_from([0.0, 6.0, 8.0]), st.sampled_from([(-np.inf, np.inf), (0.0, 300.0)]),
       st.sampled_from([0, labels_module.FEW]))
def test_place_labels_is_the_naive_greedy(data, gap, bounds, few):
    """Both ways of placing: vectorised, and one at a time for the few labels of a pan step's edges."""
    x, width, row, priority = data
    left, right = bounds
    saved, labels_module.FEW = labels_module.FEW, few
    try:
        got = place_labels(np.array(x), np.array(width), np.array(row), np.array(priority), gap_px=gap,
                           left_px=left, right_px=right)
    finally:
        labels_module.FEW = saved
    assert got.tolist() == naive_greedy(x, width, row, priority, gap, left, right)


def test_concat_ranges():
    starts, stops = np.array([3, 0, 7, 7]), np.array([5, 0, 9, 8])
    assert concat_ranges(starts, stops).tolist() == [3, 4, 7, 8, 7]
    assert concat_ranges(np.array([2]), np.array([1])).tolist() == []


def test_an_empty_box_is_never_kept():
    """Found by the property test: a box of width 0 at the start of a kept box did not collide with it
    in the definition (half-open boxes) but was skipped by the walk; an empty label has nothing to draw."""
    got = place_labels(np.array([0.0, 0.0]), np.array([1.0, 0.0]), np.array([0, 0]), np.array([0, 0]), gap_px=0.0)
    assert got.tolist() == [True, False]


marks = st.integers(0, 80).flatmap(lambda n: st.tuples(
    st.lists(st.integers(0, 6), min_size=n, max_size=n),
    st.lists(st.floats(-100, 100, allow_nan=False), min_size=n, max_size=n),
    st.lists(st.floats(0, 60, allow_nan=False), min_size=n, max_size=n)))


@settings(max_examples=300, deadline=None)
@given(marks, st.integers(0, 6), st.integers(0, 6), st.floats(-120, 120), st.floats(0, 100))
def test_row_index_select_finds_what_a_scan_finds(data, r0, r1, lo, width):
    row, x0, length = (np.array(v) for v in data)
    x1 = x0 + length
    hi = lo + width
    index = RowIndex(row.astype(np.int64), x0, x1)
    found = index.select(min(r0, r1), max(r0, r1), lo, hi)
    found = found[(x1[found] >= lo) & (x0[found] <= hi)]
    scan = np.nonzero((row >= min(r0, r1)) & (row <= max(r0, r1)) & (x1 >= lo) & (x0 <= hi))[0]
    assert found.tolist() == scan.tolist()


def test_levels_of_detail_keep_one_mark_per_row_bin_and_group():
    rng = np.random.default_rng(7)
    n = 50_000
    row = rng.integers(0, 4, n)
    x0 = rng.uniform(0, 10_000, n)
    x1 = x0 + np.where(rng.random(n) < 0.01, 500.0, 0.1)
    group = rng.integers(0, 2, n)
    culler = Culler(row, x0, x1, group)
    days_per_px = 10_000 / 1600
    level = culler.level_for(days_per_px)
    assert level >= 0
    bin_days = culler.base * 2**level
    assert bin_days <= days_per_px
    picked = culler.select(0, 3, 0.0, 10_000.0, days_per_px)
    assert np.all(np.diff(picked) > 0)
    # every long mark is kept, and every short one shares its (row, bin, group) with a kept one
    long = np.nonzero(x1 - x0 >= bin_days)[0]
    assert set(long.tolist()) <= set(picked.tolist())
    cell = lambda i: (row[i], int((x0[i] - culler.origin) // bin_days), group[i])  # noqa: E731
    kept_cells = {cell(i) for i in picked}
    assert all(cell(i) in kept_cells for i in range(0, n, 97))
    assert picked.size <= len(kept_cells) + long.size and picked.size < n / 2
    # zoomed in far enough, every mark in view is there
    few = culler.select(3, 3, 5000.0, 5010.0, 0.001)
    scan = np.nonzero((row == 3) & (x1 >= 5000.0) & (x0 <= 5010.0))[0]
    assert set(scan.tolist()) <= set(few.tolist())



def test_rows_holding_few_marks_are_drawn_whole_without_building_a_level():
    """A comparison shows a few of its many rows: when they hold fewer than LOD_MIN_MARKS marks a paint takes
    every mark in view (a level would save nothing there) and no level of detail is built; when the rows on
    screen hold many, the level is built and thins them as before."""
    rng = np.random.default_rng(3)
    rows = 400
    row = np.repeat(np.arange(rows), 200)  # 80,000 marks, 200 a row (a comparison of many cases)
    x0 = rng.uniform(0, 10_000, row.size)
    x1 = x0 + 0.1
    culler = Culler(row, x0, x1)
    days_per_px = 10_000 / 1600
    assert culler.level_for(days_per_px) >= 0  # the whole culler is big enough for levels
    assert culler.marks_in_rows(10, 29) == 20 * 200
    assert culler.marks_in_rows(-5, 1) == 400 and culler.marks_in_rows(399, 1000) == 200
    few = culler.select(10, 19, 0.0, 10_000.0, days_per_px)  # 2,000 marks on screen
    scan = np.nonzero((row >= 10) & (row <= 19))[0]
    assert few.tolist() == scan.tolist()
    assert set(culler._levels) == {-1}
    many = culler.select(0, 99, 0.0, 10_000.0, days_per_px)  # 20,000 marks on screen: thinned
    assert set(culler._levels) == {-1, culler.level_for(days_per_px)}
    assert many.size < 20_000 and np.all(row[many] <= 99)



def test_a_switch_of_alignment_keeps_the_last_sort_and_a_wrong_hint_is_not_taken():
    """An alignment switch shifts every row's marks alike: the last layout's order still sorts them and is
    taken (no argsort); an order that no longer sorts (a sort switch of cases of different sizes) is checked
    and not taken, and either way a search finds exactly what a scan does."""
    rng = np.random.default_rng(11)
    n, rows = 20_000, 300
    row = rng.integers(0, rows, n)
    x0 = rng.uniform(-500, 500, n).round()  # whole days: ties, as real marks have
    x1 = x0 + rng.choice([0.0, 3.0, 40.0], n)
    before = RowIndex(row, x0, x1)
    shift = rng.uniform(-300, 300, rows).round(1)[row]  # one shift per row (its case's)
    after = RowIndex(row, x0 + shift, x1 + shift, hint=before.order)
    assert after.hinted and after.order is before.order
    fresh = RowIndex(row, x0 + shift, x1 + shift)
    for r0, r1, lo, hi in ((0, 299, -1e9, 1e9), (40, 80, -100.0, 20.0), (7, 7, 0.0, 0.0)):
        assert after.select(r0, r1, lo, hi).tolist() == fresh.select(r0, r1, lo, hi).tolist()
    shuffled = RowIndex(row, x0, x1, hint=rng.permutation(n))
    assert not shuffled.hinted
    assert shuffled.select(40, 80, -100.0, 20.0).tolist() == before.select(40, 80, -100.0, 20.0).tolist()
    assert not RowIndex(row[1:], x0[1:], x1[1:], hint=before.order).hinted  # not the same marks


spans = st.lists(st.tuples(st.integers(0, 3), st.floats(0, 200), st.floats(0, 40)), min_size=0, max_size=60)


@settings(max_examples=200, deadline=None)
@given(spans)
def test_merge_spans_is_the_union_of_each_rows_spans(data):
    """A dense view draws each row's overlapping uncertainty bands as their union: the same pixels covered,
    each once, in disjoint spans."""
    row = np.array([d[0] for d in data], dtype=np.float64)
    x0 = np.array([d[1] for d in data], dtype=np.float64)
    x1 = x0 + np.array([d[2] for d in data], dtype=np.float64)
    m0, m1, mrow = merge_spans(x0, x1, row)
    for r in set(row.tolist()):
        got = sorted(zip(m0[mrow == r].tolist(), m1[mrow == r].tolist(), strict=True))
        # the naive union: sort by start, extend while the next starts within the current span
        want: list[list[float]] = []
        for a, b in sorted(zip(x0[row == r].tolist(), x1[row == r].tolist(), strict=True)):
            if want and a <= want[-1][1]:
                want[-1][1] = max(want[-1][1], b)
            else:
                want.append([a, b])
        assert got == [tuple(w) for w in want]
    assert set(mrow.tolist()) == set(row.tolist())
