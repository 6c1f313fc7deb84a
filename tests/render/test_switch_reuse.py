"""A switch of alignment keeps what does not depend on it (issue 18): the culling sorts of the last layout are
checked and taken (each row's marks move alike), the legend is not set again when its words are the same,
and the plot shows what a plot opened on that alignment shows."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage

from caseline.render.timeline_plot import TimelinePlot
from caseline.timeline.load import load_inputs
from support import CASESET


def _pixels(plot: TimelinePlot) -> np.ndarray:
    image = plot.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    data = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(image.height(), image.bytesPerLine())
    return data[:, : image.width() * 4].reshape(image.height(), image.width(), 4)[:, :, :3].astype(np.int16).copy()


def _plot(qtbot, cases, align: str) -> TimelinePlot:  # type: ignore[no-untyped-def]
    plot = TimelinePlot()
    qtbot.addWidget(plot)
    plot.resize(1200, 800)
    plot.show()
    plot.view.align = align
    plot.set_cases(cases)
    qtbot.waitUntil(lambda: plot.layout_ is not None)
    return plot


def test_a_switch_of_alignment_reuses_the_sorts_and_draws_what_a_fresh_plot_draws(qtbot) -> None:
    cases = load_inputs([str(CASESET)]).cases
    assert len(cases) == 7
    switched = _plot(qtbot, cases, "anchor")
    _pixels(switched)  # painted: its cullers are built
    before = {name: c.orders() for name, c in switched.paint_state._cullers.items()}
    assert before and all(before.values())
    legend = switched._legend_key
    switched.view.align = "reaction-onset"
    assert np.any(switched.layout_.bars.x0 != switched.layout_.bars.x0[0])
    shifts = switched.options.shifts
    assert any(shifts.values()), "the alignment moved no case: nothing was switched"
    after = _pixels(switched)
    state = switched.paint_state
    hinted = {name: [index.hinted for _members, index in c._levels.values()] for name, c in state._cullers.items()}
    assert hinted and all(all(h) for h in hinted.values()), hinted
    assert switched._legend_key == legend  # the same words: the title row was left as it was
    fresh = _plot(qtbot, cases, "reaction-onset")
    fresh.set_time_range(*switched.time_range())
    fresh.viewbox.setYRange(*switched.viewbox.viewRange()[1], padding=0)
    drawn = _pixels(fresh)
    assert drawn.shape == after.shape
    differ = np.abs(drawn - after).max(axis=2) > 48
    assert differ.sum() == 0, f"{differ.sum()} pixels differ"
    assert (np.abs(drawn - drawn[0, 0]).max(axis=2) > 48).mean() > 0.01  # there are marks to compare


def test_severity_lines_as_arrays_hold_each_line_in_its_slice() -> None:
    """SeverityArrays concatenates every severity line of a layout (each line's values as a fraction of its
    scale, in its row's slice); what a line-by-line reading of the layout gives, for several cases shifted."""
    from caseline.layout.timeline_layout import LayoutOptions, build_layout
    from caseline.render.layers import SeverityArrays
    from support import BORTEZOMIB

    cases = load_inputs([str(BORTEZOMIB), str(BORTEZOMIB)]).cases
    layout = build_layout(cases, LayoutOptions(shifts={cases[1].id: 12.5}))
    assert len(layout.severity) >= 2  # the case has a severity scale, twice
    sev = SeverityArrays.of(layout)
    assert sev.row.tolist() == [line[0] for line in layout.severity]
    for k, (_row, xs, values, low, high) in enumerate(layout.severity):
        part = slice(int(sev.start[k]), int(sev.stop[k]))
        assert sev.x[part].tolist() == list(map(float, xs))
        assert np.allclose(sev.frac[part], (np.asarray(values, dtype=float) - low) / (high - low))
    assert sev.stop[-1] == sev.x.size == sev.frac.size


def test_a_pan_step_sets_no_axis_title(qtbot) -> None:
    """pyqtgraph's hidden top and right axes are linked to the view too, and with SI prefixes on each range
    change set their title's HTML anew (and resized it): on every pan step, for a title nobody sees."""
    plot = _plot(qtbot, load_inputs([str(CASESET)]).cases, "anchor")
    _pixels(plot)
    calls: list[str] = []
    for name in ("left", "bottom", "top", "right"):
        label = plot.getPlotItem().getAxis(name).label
        label.setHtml = lambda html, name=name: calls.append(name)  # type: ignore[method-assign]
    lo, hi = plot.time_range()
    for k in range(1, 6):
        plot.set_time_range(lo + k, hi + k)
        plot.viewbox.setYRange(0.1 * k, 10 + 0.1 * k, padding=0)
        _pixels(plot)
    assert plot.time_range()[0] == lo + 5
    assert calls == []
