"""The latency strip keeps each case's worded row across a switch of alignment or sort (issue 18): what it
draws after a switch is what a strip made afresh for that alignment draws."""

from __future__ import annotations

from caseline.render.latency_strip import LatencyStrip
from caseline.timeline.load import load_inputs
from support import CASESET


def _drawn(strip: LatencyStrip) -> tuple[object, ...]:
    bars = [(tuple(item.opts["x0"].tolist()), tuple(item.opts["y"].tolist())) for item in strip._items
            if hasattr(item, "opts") and "x0" in item.opts]
    labels = [(left, right, y, text) for left, right, y, text, _ in strip._labels]
    return tuple(bars), tuple(labels), tuple(strip.rows_text)


def test_a_switch_draws_what_a_fresh_strip_draws(qtbot) -> None:
    cases = load_inputs([str(CASESET)]).cases
    assert len(cases) == 7
    kept = LatencyStrip()
    qtbot.addWidget(kept)
    kept.set_cases(cases, {}, {}, (-60.0, 400.0))
    shifts = {c.id: -7.5 * k for k, c in enumerate(cases)}
    notes = {cases[1].id: "no dated event matching 'IVIG'"}
    reordered = list(reversed(cases))
    kept.set_cases(reordered, shifts, notes, (-60.0, 400.0))
    fresh = LatencyStrip()
    qtbot.addWidget(fresh)
    fresh.set_cases(reordered, shifts, notes, (-60.0, 400.0))
    assert _drawn(kept) == _drawn(fresh)
    # its marks items are kept, not made and added again: the scene does not grow with switches
    items = len(kept.viewbox.addedItems)
    kept.set_cases(cases, {}, {}, (-60.0, 400.0))
    kept.set_cases(reordered, shifts, notes, (-60.0, 400.0))
    assert len(kept.viewbox.addedItems) == items and _drawn(kept) == _drawn(fresh)
    bars, labels, rows_text = _drawn(kept)
    assert bars and labels  # the case set has latencies and rescues to draw
    noted = rows_text[reordered.index(cases[1])]
    assert "not aligned" in noted and noted.index("not aligned") < noted.index("Dechallenge")
    # the shift moved the marks: the first row's latency bar starts where the unshifted one did, plus its shift
    kept.set_cases(reordered, {}, {}, (-60.0, 400.0))
    unshifted = _drawn(kept)[1]
    moved = {text: left for left, _, _, text in labels}
    for left, _, y, text in unshifted:
        case = reordered[int(y)]
        assert moved[text] == left + shifts[case.id]


def test_hundreds_of_cases_fit_the_strip_as_thin_rows(qtbot) -> None:
    """A comparison of hundreds of cases keeps the strip within its height (it once grew 13 px a case: 2,606 px
    for 200 cases, pushing the timeline out of the window): thin rows, every k-th case named, no summaries,
    and each row still answers its tooltip."""
    cases = load_inputs([str(CASESET)]).cases * 30
    strip = LatencyStrip()
    qtbot.addWidget(strip)
    strip.max_height = 260
    strip.set_cases(cases, {}, {}, (-60.0, 400.0))
    assert strip.dense and strip.height() == 260
    assert strip._labels == []
    named = strip.left_axis._tickLevels[0]
    assert 0 < len(named) <= (260 - 6) // LatencyStrip.MIN_TEXT_ROW_PX
    assert len(strip.rows_text) == len(cases)
    few = LatencyStrip()
    qtbot.addWidget(few)
    few.set_cases(cases[:7], {}, {}, (-60.0, 400.0))
    assert not few.dense and few._labels and len(few.left_axis._tickLevels[0]) == 7
