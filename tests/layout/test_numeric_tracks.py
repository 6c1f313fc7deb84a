"""Numeric tracks (issue 16, item 4) from real case files: a symptom's severity values on their stated scale,
and several numeric results of one test on one lane with their unit and reference range."""

from __future__ import annotations

import math
from pathlib import Path

from caseline.analysis.swimmer import swimmer_facts
from caseline.analysis.wording import describe_item
from caseline.layout import timeline_layout as L
from caseline.layout.swimmer import build_swimmer_layout
from caseline.layout.tracks import numeric_tracks
from caseline.timeline.load import load_file
from support import SAMPLES

CSF_CASE = Path(__file__).resolve().parents[1] / "fixtures" / "csf-protein-track.caseline.yaml"


def _load(path: Path) -> L.TimelineLayout:
    result = load_file(path)
    assert result.ok, result
    return L.build_layout(result.cases)


def csf_layout() -> L.TimelineLayout:
    return _load(CSF_CASE)


def test_the_bortezomib_mrc_grades_are_a_track_that_names_its_scale() -> None:
    layout = _load(SAMPLES / "bortezomib-myeloma.caseline.yaml")
    tracks = [t for t in numeric_tracks(layout) if t.severity]
    assert len(tracks) == 1
    track = tracks[0]
    assert track.caption == "MRC muscle strength (legs) 0–5"
    assert layout.rows[track.row].lane == "Weakness"
    assert [p.text for p in track.points] == ["1", "3.5"]  # at the precision the file states
    assert [p.x for p in track.points] == sorted(p.x for p in track.points)
    # the examinations are dated only 'after weakness': each value's time is a span, not a hard edge
    first = track.points[0]
    assert first.lo < first.x and math.isinf(first.hi)


def test_three_csf_protein_values_make_a_track_with_unit_and_reference_range() -> None:
    layout = csf_layout()
    tracks = numeric_tracks(layout)
    assert [t.caption for t in tracks] == ["CSF protein, g/L"]  # one CK value is a mark, not a track
    track = tracks[0]
    assert not track.severity and track.unit == "g/L"
    assert (track.reference_low, track.reference_high) == (0.15, 0.45)
    assert [p.text for p in track.points] == ["0.62", "1.8", "< 0.5"]  # a limit keeps its sign
    assert track.low <= 0.15 and track.high >= 1.8
    assert track.fraction(1.8) > track.fraction(0.62) > track.fraction(0.15)
    second = track.points[1]  # 'between day 10 and day 14': a span
    assert second.hi - second.lo == 4.0 and second.lo <= second.x <= second.hi
    # each result's label carries its value as stated, with the unit
    texts = set(layout.label_columns().texts)
    assert {"CSF protein 0.62 g/L", "CSF protein 1.8 g/L", "CSF protein < 0.5 g/L", "CK 120 U/L"} <= texts, texts


def test_a_result_s_hover_gives_value_unit_time_and_source() -> None:
    layout = csf_layout()
    track = numeric_tracks(layout)[0]
    item = layout.items[track.points[0].item]
    text = " | ".join(f"{k}: {v}" for k, v in describe_item(layout.cases[0], item))
    assert "0.62" in text and "g/L" in text, text
    assert "day 2" in text.lower(), text
    assert "Case" in text, text  # the source's section


def test_a_swimmer_layout_has_no_tracks() -> None:
    result = load_file(SAMPLES / "bortezomib-myeloma.caseline.yaml")
    swimmer = build_swimmer_layout(result.cases, [swimmer_facts(c) for c in result.cases])
    assert numeric_tracks(swimmer) == []


def test_in_a_comparison_aligned_on_the_first_rescue_the_track_moves_with_its_case() -> None:
    from caseline.view_state import ViewState

    result = load_file(SAMPLES / "bortezomib-myeloma.caseline.yaml")
    shown = ViewState(tuple(result.cases), align="first-rescue").shown()
    layout = L.build_layout(shown.cases, shown.options)
    (track,) = [t for t in numeric_tracks(layout) if t.severity]
    steroid = next(i for i, item in enumerate(layout.items) if item.item_id == "mp")
    start = layout.item_position(steroid)
    assert start is not None and start[0] == 0.0  # the first rescue therapy is day 0
    plain = numeric_tracks(L.build_layout(result.cases))[0]
    shift = shown.options.shifts[layout.items[track.points[0].item].case_id]
    assert [p.x for p in track.points] == [p.x + shift for p in plain.points]  # grades read against the steroid
    assert track.points[0].x < 0 < track.points[1].x  # weaker before the steroid, stronger after it


def test_a_teaching_reveal_draws_only_the_values_revealed_so_far() -> None:
    result = load_file(CSF_CASE)
    layout = L.build_layout(result.cases, L.LayoutOptions(revealed=frozenset({"ivig", "csf1", "csf2"})))
    assert [[p.text for p in t.points] for t in numeric_tracks(layout)] == [["0.62", "1.8"]]  # not the '< 0.5' to come
    early = L.build_layout(result.cases, L.LayoutOptions(revealed=frozenset({"ivig", "csf1"})))
    assert numeric_tracks(early) == []  # one value so far: a mark, not yet a track


def test_tracks_composed_per_case_are_the_tracks_found_over_the_whole_layout() -> None:
    """A switch of alignment or sort reuses each case's tracks (found once, in its own lanes and days): placed
    on the layout's rows with its shift, they are the tracks a scan of every item of that layout finds."""
    from caseline.layout.tracks import _tracks

    cases = [c for path in (SAMPLES / "bortezomib-myeloma.caseline.yaml", CSF_CASE)
             for c in load_file(path).cases]
    assert len(cases) > 2
    first = L.build_layout(cases)
    options = [L.LayoutOptions(shifts={c.id: 3.5 * k for k, c in enumerate(cases)}),
               L.LayoutOptions(shifts={cases[0].id: -40.0}, hidden_lanes=frozenset({"Weakness"})),
               L.LayoutOptions(shifts={c.id: -7.0 for c in cases})]
    layouts = [first] + [L.build_layout(list(reversed(cases)) if k % 2 else cases, o, reuse=first)
                         for k, o in enumerate(options)]
    seen_severity = seen_results = False
    for layout in layouts:
        assert len(layout.columns) == len(layout.cases)  # the per-case path, not the scan
        composed = numeric_tracks(layout)
        scanned = _tracks(layout.items, layout.item_row.tolist(), layout.shifts)
        assert [(t.row, t.caption, t.points, t.extent) for t in composed] == \
            [(t.row, t.caption, t.points, t.extent) for t in scanned]
        seen_severity |= any(t.severity for t in composed)
        seen_results |= any(not t.severity for t in composed)
    assert seen_severity and seen_results
    hidden = numeric_tracks(layouts[2])
    assert all(layouts[2].rows[t.row].lane != "Weakness" for t in hidden)
    # a switch of alignment keeps the rows: the tracks' order is taken as it was, only shifted again
    aligned = L.build_layout(cases, L.LayoutOptions(shifts={c.id: 11.0 * k for k, c in enumerate(cases)}))
    numeric_tracks(aligned)
    ordered = aligned.__dict__["_kept"].tracks[2]
    again = L.build_layout(cases, L.LayoutOptions(shifts={c.id: -5.0 * k for k, c in enumerate(cases)}), reuse=aligned)
    assert again.rows is aligned.rows
    composed = numeric_tracks(again)
    assert again.__dict__["_kept"].tracks[2] is ordered, "the kept order was used"
    scanned = _tracks(again.items, again.item_row.tolist(), again.shifts)
    assert [(t.row, t.caption, t.points, t.extent) for t in composed] == \
        [(t.row, t.caption, t.points, t.extent) for t in scanned]


def test_a_step_beyond_the_edge_is_not_drawn_at_the_edge() -> None:
    """A value that changes beyond the drawn area (past the view, or under a history band) must not show as a
    rise at the edge: that would date the change where the source does not."""
    import numpy as np

    from caseline.layout.tracks import clip_steps, step_vertices

    x, y = step_vertices(np.array([10.0, 50.0, 130.0]), np.array([5.0, 1.0, 3.5]))
    x0, y0, x1, y1 = clip_steps(x[:-1], y[:-1], x[1:], y[1:], 0.0, 100.0)
    vertical = x0 == x1
    assert sorted(x0[vertical].tolist()) == [50.0]  # the change at 50 is drawn; the one at 130 is not
    assert x1.max() == 100.0 and x0.min() == 10.0  # the last value runs on to the edge
    assert (y0[~vertical] == y1[~vertical]).all()
