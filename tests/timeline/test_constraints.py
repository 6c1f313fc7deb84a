"""The simple temporal network engine, against brute force on small random networks.

Point 0 is the source. Bounds are small integers (or open), so a consistent network has an
integer solution within a few bound-lengths of the source: enumerating every integer assignment
in that box finds all the solutions the solver must contain, and proves a network inconsistent.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseline.timeline.constraints import EPS, INF, Mode, Network, Solver
from caseline.timeline.estimates import estimate

BOX = 24  # the search box: finite bounds are at most 3 hops of 4 days from point 0 (12)
FAR = 12  # an open bound lets a solution run at least this far (clipped only by the box)
MAX_POINTS = 4


@st.composite
def networks(draw: st.DrawFn) -> tuple[int, list[tuple[int, int, float, float, Mode]]]:
    n = draw(st.integers(2, MAX_POINTS))
    constraints = []
    for _ in range(draw(st.integers(1, 6))):
        x, y = draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))
        kind = draw(st.sampled_from(["exact", "range", "after", "before", "at least", "at most"]))
        a = draw(st.integers(-4, 4))
        b = a + draw(st.integers(0, 4))
        lo, hi, mode = {
            "exact": (a, a, Mode.STATED), "range": (a, b, Mode.STATED), "after": (0, INF, Mode.ORDER),
            "before": (-INF, 0, Mode.ORDER), "at least": (a, INF, Mode.BOUND), "at most": (-INF, b, Mode.BOUND),
        }[kind]
        constraints.append((x, y, float(lo), float(hi), mode))
    return n, constraints


def build(n: int, constraints: list[tuple[int, int, float, float, Mode]]) -> Network:
    net = Network()
    net.add_points(n)
    for tag, (x, y, lo, hi, mode) in enumerate(constraints):
        pref = (lo + hi) / 2 if mode is Mode.STATED else math.nan
        net.constrain(x, y, lo, hi, tag, pref=pref, mode=mode)
    return net


def solutions(n: int, constraints: list[tuple[int, int, float, float, Mode]]) -> np.ndarray:
    """Every integer solution with point 0 at 0 and the others within the box (rows)."""
    grid = np.array(list(itertools.product(range(-BOX, BOX + 1), repeat=n - 1)), dtype=float)
    values = np.hstack([np.zeros((len(grid), 1)), grid])
    ok = np.ones(len(values), dtype=bool)
    for x, y, lo, hi, _ in constraints:
        d = values[:, x] - values[:, y]
        ok &= (d >= lo) & (d <= hi)
    return values[ok]  # type: ignore[no-any-return]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks())
def test_bounds_contain_every_solution_and_are_tight(network: tuple[int, list]) -> None:
    n, constraints = network
    found = solutions(n, constraints)
    solver = Solver(build(n, constraints))
    if not len(found):
        assert solver.inconsistency is not None  # an inconsistent set is reported, not solved
        involved = [constraints[k] for k in solver.inconsistency.constraints]
        assert not len(solutions(n, involved)), "the constraints named must themselves be contradictory"
        return
    assert solver.inconsistency is None
    bounds = solver.bounds(0)
    for p in range(n):
        assert bounds.lo[p] - EPS <= found[:, p].min() and found[:, p].max() <= bounds.hi[p] + EPS
        # tight: a finite bound is reached by some solution; an open one lets them run far
        if math.isfinite(bounds.lo[p]):
            assert found[:, p].min() == pytest.approx(bounds.lo[p])
        else:
            assert found[:, p].min() <= -FAR
        if math.isfinite(bounds.hi[p]):
            assert found[:, p].max() == pytest.approx(bounds.hi[p])
        else:
            assert found[:, p].max() >= FAR


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks())
def test_the_distances_a_resolved_case_keeps_give_the_same_bounds(network: tuple[int, list]) -> None:
    n, constraints = network
    solver = Solver(build(n, constraints))
    if solver.inconsistency is not None:
        return
    kept = solver.distances.kept()
    assert kept.forward.source == [] and kept.parts.forest == ()  # only what latencies need
    for x, y in itertools.product(range(n), repeat=2):
        assert kept.between(x, y) == solver.between(x, y)
    for source in range(n):
        assert np.array_equal(kept.bounds(source).lo, solver.bounds(source).lo)
        assert np.array_equal(kept.bounds(source).hi, solver.bounds(source).hi)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks())
def test_best_estimates_are_a_solution_within_the_bounds(network: tuple[int, list]) -> None:
    n, constraints = network
    net = build(n, constraints)
    solver = Solver(net)
    if solver.inconsistency is not None:
        return
    placed = estimate(solver, 0)
    best = placed.best
    for p in range(n):
        if placed.linked[p]:
            assert placed.lo[p] - EPS <= best[p] <= placed.hi[p] + EPS
        else:
            assert math.isnan(best[p])
    for x, y, lo, hi, _ in constraints:
        if placed.linked[x] and placed.linked[y]:
            # every statement holds for the best estimates together; "after" keeps the order
            assert lo - 1e-6 <= best[x] - best[y] <= hi + 1e-6


def test_order_without_a_gap_is_kept_with_visible_spacing() -> None:
    net = Network()
    net.add_points(5)
    net.constrain(1, 0, 14, 14)  # day 14
    for p in (2, 3, 4):  # then, then, then
        net.constrain(p, p - 1, 0, INF, mode=Mode.ORDER)
    placed = estimate(Solver(net), 0)
    assert list(placed.lo[1:]) == [14, 14, 14, 14] and math.isinf(placed.hi[2])
    gaps = np.diff(placed.best[1:])
    assert (gaps > 0).all() and np.allclose(gaps, gaps[0])
    assert placed.mode[2] == Mode.ORDER and placed.mode[1] == Mode.STATED


def test_order_inside_a_closed_window_is_spaced_evenly() -> None:
    net = Network()
    net.add_points(5)
    net.constrain(1, 0, 30, 30)  # B = day 30
    for p in (2, 3, 4):  # after the previous one, before B
        net.constrain(p, p - 1 if p > 2 else 0, 0, INF, mode=Mode.ORDER)
        net.constrain(p, 1, -INF, 0, mode=Mode.ORDER)
    placed = estimate(Solver(net), 0)
    assert list(placed.best[2:]) == pytest.approx([7.5, 15, 22.5])


def test_a_contradiction_names_its_constraints() -> None:
    net = Network()
    net.add_points(4)
    net.constrain(1, 0, 2, 2, tag=10)  # a = day 2
    net.constrain(2, 1, 0, INF, tag=11, mode=Mode.ORDER)  # b after a
    net.constrain(3, 2, 1, 3, tag=12)  # c 1-3 days after b
    net.constrain(3, 0, -INF, 4, tag=13, mode=Mode.BOUND)  # c no later than day 4
    net.constrain(2, 0, 3.5, INF, tag=14, mode=Mode.BOUND)  # b at least 3.5 days in
    solver = Solver(net)
    assert solver.inconsistency is not None
    assert sorted(net.tag[k] for k in solver.inconsistency.constraints) == [12, 13, 14]


def test_an_exact_loop_that_does_not_add_up() -> None:
    net = Network()
    net.add_points(3)
    net.constrain(1, 0, 2, 2, tag=0)
    net.constrain(2, 1, 3, 3, tag=1)
    net.constrain(0, 2, 1, 1, tag=2)  # 0 = 2 + 1 = 0 + 6: no
    solver = Solver(net)
    assert solver.inconsistency is not None and sorted(solver.inconsistency.constraints) == [0, 1, 2]


def test_interval_between_two_uncertain_times_is_not_their_difference() -> None:
    """Two times 2 weeks apart, both only known to lie in a month: 14 days apart exactly."""
    net = Network()
    net.add_points(3)
    net.constrain(1, 0, 0, 30)  # X: some day of a month
    net.constrain(2, 1, 14, 14)  # Y = X + 14
    solver = Solver(net)
    assert solver.between(2, 1) == (14, 14)
    bounds = solver.bounds(0)
    assert (bounds.lo[2], bounds.hi[2]) == (14, 44)  # the naive difference would say -16..44


def test_large_chains_are_linear_not_quadratic() -> None:
    """100,000 'then' links and 100,000 inexact ones solve (no n x n matrix, no deep recursion)."""
    n = 100_000
    net = Network()
    net.add_points(n)
    for p in range(1, n):
        if p % 2:
            net.constrain(p, p - 1, 0, INF, mode=Mode.ORDER)
        else:
            net.constrain(p, p - 1, 1, 3, pref=2)
    placed = estimate(Solver(net), 0)
    assert placed.lo[-1] == pytest.approx((n - 1) // 2)  # one day per inexact link, none per 'then'
    assert math.isinf(placed.hi[-1])
    assert (np.diff(placed.best) > 0).all()  # every 'then' visibly after the time before it


def test_a_contradiction_is_named_by_the_statements_that_make_it() -> None:
    """x1 = x2, x2 = x0 and x0 - x1 = 2 (stated twice): the three disagree, the two copies agree.
    Found by the property test above: the duplicate once stood in for the chain x1 = x2 = x0."""
    constraints = [(1, 2, 0.0, 0.0, Mode.STATED), (2, 0, 0.0, 0.0, Mode.STATED),
                   (0, 1, 2.0, 2.0, Mode.STATED), (0, 1, 2.0, 2.0, Mode.STATED)]
    solver = Solver(build(3, constraints))
    assert solver.inconsistency is not None
    named = [constraints[k] for k in solver.inconsistency.constraints]
    assert not len(solutions(3, named))
    assert sorted(solver.inconsistency.constraints)[:2] == [0, 1]
