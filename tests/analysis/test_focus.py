"""The focus on the story (caseline.analysis.focus): the default time window of every sample case and of
the case set runs from shortly before the first suspected dose to the last outcome of the reaction."""

from __future__ import annotations

import pytest

from caseline.analysis import landmarks
from caseline.analysis.focus import focus_range, story_span
from caseline.timeline.load import load_inputs
from caseline.view_state import ViewState
from support import CASESET, INFLIXIMAB, SAMPLES

SAMPLE_FILES = sorted(p for p in SAMPLES.glob("*.yaml"))


def view_of(path) -> ViewState:
    inputs = load_inputs([str(path)])
    assert inputs.ok
    return ViewState(tuple(inputs.cases), align=inputs.spec.align, sort=inputs.spec.sort)


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_story_fills_at_least_half_the_default_window(path):
    view = view_of(path)
    shown = view.shown()
    lo, hi = view.default_range()
    stories = [story_span(c) for c in shown.cases]
    starts = [s[0] + shown.options.shifts.get(c.id, 0.0) for c, s in zip(shown.cases, stories, strict=True) if s]
    ends = [s[1] + shown.options.shifts.get(c.id, 0.0) for c, s in zip(shown.cases, stories, strict=True) if s]
    assert starts, "every sample has a story to focus on"
    story = max(ends) - min(starts)
    assert lo < min(starts) and hi > max(ends), "the story is in the window, with a margin"
    assert story >= 0.5 * (hi - lo), f"{path.name}: the story gets {story / (hi - lo):.0%} of the width"


def test_infliximab_case_starts_shortly_before_the_first_dose():
    view = view_of(INFLIXIMAB)
    case = view.shown().cases[0]
    first = landmarks.first_suspect_dose(case)
    assert first is not None and first.start is not None
    lo, _ = view.default_range()
    assert first.start.best - 40 < lo < first.start.best
    found = focus_range(view.shown().cases)
    assert found is not None and found.cuts_earlier, "the diagnosis a year earlier is outside, and says so"
    assert found.full_lo < -300  # ... but not forgotten: the whole extent is known


def test_case_set_focus_ends_at_the_last_outcome_not_at_a_late_death():
    view = view_of(CASESET)
    lo, hi = view.default_range()
    # bz-mm: partial recovery on day 304 is the reaction's last outcome; death from sepsis on day 821
    # (the myeloma's) is marked as later history, not stretched into the window
    assert 300 < hi < 400
    assert lo < 0
    found = focus_range(view.shown().cases, view.shown().options.shifts)
    assert found is not None and found.cuts_earlier and found.cuts_later


def test_an_explicit_range_wins():
    view = view_of(CASESET)
    view.time_range = (-10.0, 90.0)
    assert view.default_range() == (-10.0, 90.0)


def test_focus_follows_the_alignment():
    view = view_of(CASESET)
    view.align = "reaction-onset"
    lo, _ = view.default_range()
    assert lo < -91  # bz-mm's first dose lies 91 days (63-119) before its onset, now day 0


def test_a_case_file_can_store_its_range(tmp_path):
    text = INFLIXIMAB.read_text(encoding="utf-8")
    assert "\n  range:" not in text
    stored = tmp_path / "ifx.caseline.yaml"
    stored.write_text(text.replace("  suspect:\n", "  range: [-30, 90]\n  suspect:\n", 1), encoding="utf-8")
    view = view_of(stored)
    assert view.shown().cases[0].case.time_range == (-30.0, 90.0)
    assert view.default_range() == (-30.0, 90.0)
    view.time_range = (0.0, 60.0)  # --range (or a zoom saved by a case set) still wins
    assert view.default_range() == (0.0, 60.0)


def test_a_case_range_is_not_the_comparison_s(tmp_path):
    text = INFLIXIMAB.read_text(encoding="utf-8")
    stored = tmp_path / "ifx.caseline.yaml"
    stored.write_text(text.replace("  suspect:\n", "  range: [-30, 90]\n  suspect:\n", 1), encoding="utf-8")
    inputs = load_inputs([str(stored), str(CASESET.parent / "bortezomib-myeloma.caseline.yaml")])
    view = ViewState(tuple(inputs.cases))
    assert view.default_range() != (-30.0, 90.0)


def test_a_wrong_range_is_an_error_with_its_place(tmp_path):
    text = INFLIXIMAB.read_text(encoding="utf-8")
    bad = tmp_path / "bad.caseline.yaml"
    bad.write_text(text.replace("  suspect:\n", "  range: [90, -30]\n  suspect:\n", 1), encoding="utf-8")
    inputs = load_inputs([str(bad)])
    assert not inputs.ok
    assert any("'range' must be [first_day, last_day]" in str(d) for d in inputs.diagnostics)
