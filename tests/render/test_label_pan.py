"""Labels while the view pans (render.label_pan): each pan step draws labels from a placement of a wider span
(never overlapping, never past the view's edges, a course's label still held at the left edge), and once the
panning stops the view is placed as if it had been opened there."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from benchmarks.generate import write_yaml
from PySide6.QtCore import QPointF

import caseline.render.label_pan as label_pan
from caseline.render.timeline_plot import TimelinePlot
from figure_support import shown_plot


@pytest.fixture(scope="module")
def case_file(tmp_path_factory):
    """A generated case of 3,000 events: courses crossing any view's edges, labels of every priority."""
    path = tmp_path_factory.mktemp("pan") / "pan.caseline.yaml"
    write_yaml(str(path), 1, 3000)
    return path


def labels_of(plot: TimelinePlot) -> dict[int, tuple[float, float, str]]:
    plot.viewport().grab()  # a paint
    placed = plot.labels.last_placed
    assert placed is not None
    return {int(i): (float(x), float(w), t) for i, x, w, t in
            zip(placed.index, placed.x, placed.width, placed.text, strict=True)}


def view_edges(plot: TimelinePlot) -> tuple[float, float]:
    lo, hi = plot.time_range()
    left = plot.mapFromScene(plot.viewbox.mapViewToScene(QPointF(lo, 0.0))).x()
    right = plot.mapFromScene(plot.viewbox.mapViewToScene(QPointF(hi, 0.0))).x()
    return float(left), float(right)


def course_across(plot: TimelinePlot, span: float) -> float:
    """A view start inside a labelled course near the middle of the case (its label is held at the view's left
    edge, and events lie before the view)."""
    columns = plot.layout_.label_columns()
    lo, hi = plot.layout_.x_range
    courses = np.flatnonzero((columns.priority == 2) & (columns.x_end > columns.x))
    assert courses.size
    k = courses[np.argmin(np.abs(columns.x[courses] - (lo + hi) / 2 + span / 2))]
    return float(columns.x[k] + (columns.x_end[k] - columns.x[k]) / 2)


def settled_plot(qtbot, case_file) -> TimelinePlot:  # type: ignore[no-untyped-def]
    """The plot shown, its geometry settled (its lane names' column is sized after the first paints)."""
    plot = shown_plot(qtbot, case_file, 760, 520)
    labels_of(plot)
    qtbot.wait(200)
    return plot


def test_pan_steps_draw_labels_from_a_wider_placement_and_a_pause_places_the_view(qtbot, case_file) -> None:
    plot = settled_plot(qtbot, case_file)
    lo, hi = plot.layout_.x_range
    span = (hi - lo) / 3
    start = course_across(plot, span)
    plot.set_time_range(start, start + span)
    labels_of(plot)  # a first paint at this zoom: the view's own placement
    edges = view_edges(plot)
    steps = plot.labels.pan.steps
    state = plot.labels.state
    rows = state.label_arrays(state.label_font).row
    px_per_day = plot.viewbox.width() / span
    held_seen = 0
    previous: set[int] | None = None
    kept: list[float] = []
    for k in range(1, 9):
        shift = start - k * 9 / px_per_day  # 9 px a step, leftwards: courses keep crossing the left edge
        plot.set_time_range(shift, shift + span)
        drawn = labels_of(plot)
        left, right = view_edges(plot)
        assert drawn, "a pan step draws labels"
        by_row: dict[int, list[tuple[float, float]]] = {}
        for index, (x, w, _) in drawn.items():
            assert x >= left + 1.5 and x + w <= right - 1.5, "every label wholly in view"
            by_row.setdefault(int(rows[index]), []).append((x, x + w))
        for boxes in by_row.values():
            boxes.sort()
            assert all(a[1] <= b[0] for a, b in itertools.pairwise(boxes)), "labels never overlap"
        inset = state.label_inset_left  # (the history band at the left edge)
        assert inset > 0, "a history band at the left edge: events lie before the view"
        held_seen += sum(abs(x - (left + inset + 4)) < 0.5 for x, _, _ in drawn.values())
        if previous is not None:
            kept.append(len(previous & drawn.keys()) / len(previous))
        previous = set(drawn)
    assert plot.labels.pan.steps >= steps + 7, "pan steps were served by the wide placement"
    assert held_seen >= 4, "a course crossing the left edge keeps its label there while the view pans"
    # labels stay put while the view moves (each step placing its own view kept about half: labels jumped)
    assert min(kept) > 0.75, kept

    # the panning stops: placed afresh, as a plot opened at this view places it
    assert view_edges(plot) == edges
    panned = labels_of(plot)
    panned_placement = plot.labels.last_placed
    assert plot.labels.pan.panning
    qtbot.waitUntil(lambda: not plot.labels.pan.panning, timeout=label_pan.SETTLE_MS * 20)
    settled = labels_of(plot)
    assert plot.labels.last_placed is not panned_placement, "the view was placed again"
    assert view_edges(plot) == edges
    fresh_plot = settled_plot(qtbot, case_file)
    fresh_plot.set_time_range(*plot.time_range())
    fresh = labels_of(fresh_plot)
    assert view_edges(fresh_plot) == edges
    assert settled.keys() == fresh.keys()
    for index, (x, w, text) in settled.items():
        assert fresh[index][2] == text and abs(fresh[index][0] - x) < 0.01 and abs(fresh[index][1] - w) < 0.01
    assert panned.keys() & settled.keys(), "the pan step's labels were the view's labels, mostly"
    left, _ = view_edges(plot)
    held = left + state.label_inset_left + 4

    def held_rows(labels: dict[int, tuple[float, float, str]]) -> set[int]:
        return {int(rows[i]) for i, (x, _, _) in labels.items() if abs(x - held) < 0.5}

    assert held_rows(settled), "labels are held at the left edge in this view"
    assert held_rows(settled) <= held_rows(panned), "the pan step held a label at the left edge of each such row"


def test_a_zoom_or_a_selection_places_the_view_itself(qtbot, case_file) -> None:
    plot = settled_plot(qtbot, case_file)
    lo, hi = plot.layout_.x_range
    span = (hi - lo) / 10
    start = lo + span
    plot.set_time_range(start, start + span)
    labels_of(plot)
    plot.set_time_range(start + span / 100, start + span + span / 100)
    labels_of(plot)
    steps = plot.labels.pan.steps
    assert steps >= 1
    plot.set_time_range(start, start + span * 0.9)  # a zoom step: a new scale
    labels_of(plot)
    assert plot.labels.pan.steps == steps
    plot.select(int(plot.layout_.points.item[len(plot.layout_.points) // 2]))  # the selection's label competes
    plot.set_time_range(start + span / 50, start + span * 0.9 + span / 50)
    labels_of(plot)
    assert plot.labels.pan.steps == steps, "the first paint after a selection is placed afresh"
