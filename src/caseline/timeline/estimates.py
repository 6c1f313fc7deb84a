"""Best estimates: one time per point that satisfies every constraint and keeps stated order.

The bounds of a point say what the source allows; a drawing also needs one position. Points are
placed one rigid component at a time, each after the components its statements refer to where
possible, inside the window that the solved bounds and the already placed components leave:

* a statement that gives a best value ("2-3 weeks after X": 17.5 days; "March 2011": the middle
  of the month) puts the point there;
* a stated span between two limits ("between A and B") puts it in the middle of the window;
* a statement of order or of a limit only ("after X", "then", "at least 3 months after X",
  "within a week") has no best value: the point is *placed for order, not stated*. With a window
  closed on both sides it goes in evenly: a chain of k such points between two times divides the
  window into k + 1 equal gaps. With one side open it goes one *order step* past the known side.

The result is then made feasible (the greatest solution below the placement, by relaxing the
distance graph from it), so ``lo <= best <= hi`` and every constraint hold even where the greedy
placement met a dead end. Each component also gets the weakest :class:`~Mode` it was placed by,
inherited along the statements it was placed from: a time stated relative to a time placed for
order is itself placed for order.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np

from caseline.timeline.constraints import EPS, INF, Components, Graph, Mode, Network, Solver, connected, shortest_paths

#: The default gap of an order-only statement: this fraction of the span of the case's stated
#: times, at least a day and at most a month (so the order reads at any case length).
ORDER_STEP_FRACTION = 1.0 / 20.0
ORDER_STEP_MIN = 1.0
ORDER_STEP_MAX = 30.4375


@dataclass(frozen=True, slots=True)
class Placement:
    """Every point relative to a source point: bounds, best estimate and how it was placed.

    Arrays per point. ``linked``: tied to the source by some chain of statements (else its
    bounds are infinite and ``best`` is nan). ``mode``: the weakest :class:`Mode` the best
    estimate rests on (ORDER or BOUND: placed for order, not stated).
    """

    lo: np.ndarray
    hi: np.ndarray
    best: np.ndarray
    mode: np.ndarray
    linked: np.ndarray
    step: float


def estimate(solver: Solver, source: int, also_first: tuple[int, ...] = (), exclude: tuple[int, ...] = ()
             ) -> Placement:
    """Solve bounds relative to ``source`` and place every linked point.

    ``also_first``: points placed right after the source (the calendar epoch, so calendar dates
    are placed from day 0's own date); ``exclude``: points left out of the order step's extent.
    The network must be consistent (``solver.inconsistency is None``).
    """
    parts = solver.parts
    lo_c, hi_c = solver.component_bounds(source)
    lo = lo_c[parts.comp] + parts.offset
    hi = hi_c[parts.comp] + parts.offset
    linked = connected(solver.net, parts, source)
    linked_c = np.zeros(parts.n, dtype=bool)
    linked_c[parts.comp[linked]] = True
    keep = linked.copy()
    keep[list(exclude)] = False
    step = order_step(lo[keep], hi[keep])
    first = [int(parts.comp[source])] + [int(parts.comp[p]) for p in also_first if linked[p]]
    values, kinds = place(solver.net, parts, lo_c, hi_c, linked_c, first, step, solver.forward, solver.backward)
    best = values[parts.comp] + parts.offset
    best[~linked] = np.nan
    best = np.minimum(np.maximum(best, lo), hi)
    return Placement(lo, hi, best, kinds[parts.comp], linked, step)


def order_step(lo: np.ndarray, hi: np.ndarray) -> float:
    """The default gap for a case whose points have these bounds (days)."""
    finite = np.concatenate([lo[np.isfinite(lo)], hi[np.isfinite(hi)]])
    extent = float(finite.max() - finite.min()) if len(finite) else 0.0
    return min(ORDER_STEP_MAX, max(ORDER_STEP_MIN, extent * ORDER_STEP_FRACTION))


def _incidence(parts: Components) -> tuple[list[int], list[int]]:
    """CSR of the edges touching each component (each edge listed under both its ends)."""
    m = len(parts.a)
    ends = np.concatenate([parts.a, parts.b])
    edges = np.concatenate([np.arange(m), np.arange(m)])
    order = np.argsort(ends, kind="stable")
    indptr = np.zeros(parts.n + 1, dtype=np.int64)
    np.cumsum(np.bincount(ends, minlength=parts.n), out=indptr[1:])
    return indptr.tolist(), edges[order].tolist()


def placement_order(parts: Components, links: np.ndarray, linked: np.ndarray, first: list[int]) -> list[int]:
    """Components in the order they are placed: ``first`` (day 0, then the calendar), then each
    component once every component its statements refer to is placed, else (a loop of
    references, or a time only referred to) as soon as something it is linked with is placed."""
    indptr, incident = _incidence(parts)
    a, b = parts.a.tolist(), parts.b.tolist()
    waiting_refs = np.bincount(parts.a[links], minlength=parts.n).tolist()
    placed = bytearray(parts.n)
    order: list[int] = []
    ready: deque[int] = deque(c for c in first if linked[c])
    touched: deque[int] = deque()
    link = links.tolist()
    while ready or touched:
        c = ready.popleft() if ready else touched.popleft()
        if placed[c]:
            continue
        placed[c] = 1
        order.append(c)
        for i in range(indptr[c], indptr[c + 1]):
            e = incident[i]
            if not link[e]:
                continue
            other = a[e] if b[e] == c else b[e]
            if placed[other]:
                continue
            if b[e] == c:  # c is what ``other`` refers to
                waiting_refs[other] -= 1
                if waiting_refs[other] == 0:
                    ready.append(other)
                    continue
            touched.append(other)
    return order


#: How many constraints away the placement of a time narrows the windows of times not yet
#: placed. More would follow long chains (quadratic); the final repair keeps it exact anyway.
PROPAGATION_DEPTH = 3


def place(net: Network, parts: Components, lo_c: np.ndarray, hi_c: np.ndarray, linked: np.ndarray,
          first: list[int], step: float, forward: Graph, backward: Graph) -> tuple[np.ndarray, np.ndarray]:
    """Best value and :class:`Mode` of each component's root (nan / -1 where not linked to day 0).

    ``lo_c``/``hi_c`` are the roots' solved bounds relative to day 0; ``forward``/``backward``
    the distance graph and its reverse.
    """
    n = parts.n
    edge_index = parts.index
    mode_all = np.asarray(net.mode, dtype=np.int64)
    gap_all = np.asarray(net.gap, dtype=np.float64)
    pref_all = np.asarray(net.pref, dtype=np.float64)
    links = np.asarray(net.links, dtype=bool)[edge_index] if len(edge_index) else np.zeros(0, bool)
    # restate each edge's preference on the component roots, like its bounds
    x = np.asarray(net.x, dtype=np.int64)[edge_index] if len(edge_index) else np.zeros(0, np.int64)
    y = np.asarray(net.y, dtype=np.int64)[edge_index] if len(edge_index) else np.zeros(0, np.int64)
    pref = (pref_all[edge_index] + parts.offset[y] - parts.offset[x]) if len(edge_index) else np.zeros(0)
    order = placement_order(parts, links, linked, first)
    spacing = _chain_lengths(parts, links, order, mode_all[edge_index] if len(edge_index) else mode_all[:0], hi_c)

    indptr, incident = _incidence(parts)
    a, b = parts.a.tolist(), parts.b.tolist()
    e_lo, e_hi, e_pref = parts.lo.tolist(), parts.hi.tolist(), pref.tolist()
    e_mode = mode_all[edge_index].tolist() if len(edge_index) else []
    e_gap = gap_all[edge_index].tolist() if len(edge_index) else []
    lo_l, hi_l = lo_c.tolist(), hi_c.tolist()
    lo_now, hi_now = list(lo_l), list(hi_l)  # windows narrowed by what is already placed
    link = links.tolist()
    value = [math.nan] * n
    kind = [-1] * n
    for position, c in enumerate(order):
        if position == 0:
            value[c], kind[c] = lo_l[c], int(Mode.STATED)  # day 0's component: exact
            continue
        low, high = lo_now[c], hi_now[c]
        low_gap = high_gap = 1.0
        own_low = own_high = False  # the sides the time's own statements bound
        stated, stated_kind, stated_subject = math.nan, -1, False
        window = False
        kinds = [[-1, int(Mode.STATED)], [-1, int(Mode.STATED)]]  # [own mode, inherited] reversed / subject
        for i in range(indptr[c], indptr[c + 1]):
            e = incident[i]
            subject = a[e] == c
            other = b[e] if subject else a[e]
            base = value[other]
            if math.isnan(base):
                continue
            if subject:  # c is the statement's subject: c - other in [lo, hi]
                d_lo, d_hi, d_pref = e_lo[e], e_hi[e], e_pref[e]
            else:  # c is what the statement refers to: c - other in [-hi, -lo]
                d_lo, d_hi, d_pref = -e_hi[e], -e_lo[e], -e_pref[e]
            if base + d_lo >= low - EPS:
                low, low_gap = base + d_lo, e_gap[e]
            if base + d_hi <= high + EPS:
                high, high_gap = base + d_hi, e_gap[e]
            if subject:
                own_low = own_low or math.isfinite(d_lo)
                own_high = own_high or math.isfinite(d_hi)
            mode = e_mode[e]
            if mode == Mode.STATED and not math.isnan(d_pref) and (math.isnan(stated) or subject > stated_subject):
                stated, stated_kind, stated_subject = base + d_pref, max(kind[other], int(Mode.STATED)), subject
            elif mode == Mode.WINDOW:
                window = True
            if link[e]:
                slot = kinds[subject]
                slot[0] = max(slot[0], mode)
                slot[1] = max(slot[1], kind[other])
        own_kind, inherited = kinds[1] if kinds[1][0] >= 0 else kinds[0]
        if not math.isnan(stated):
            v = stated
            kind[c] = stated_kind
        elif window:
            v = (low + high) / 2.0 if math.isfinite(low) and math.isfinite(high) else _open_side(low, high, step)
            kind[c] = max(int(Mode.WINDOW), inherited)
        else:
            # Its own statements open on one side ("after X"): one step past the stated side,
            # unless the window (closed by other statements) is too narrow; closed on both
            # sides: an even share of the window.
            finite = math.isfinite(low) and math.isfinite(high)
            shared = low + (high - low) / (spacing[c] + 2.0) if finite else math.nan
            if own_low and not own_high and math.isfinite(low):
                v = low + step * low_gap
                v = v if not finite or v <= shared else shared
            elif own_high and not own_low and math.isfinite(high):
                v = high - step * high_gap
                v = v if not finite or v >= low + (high - low) / 2.0 else low + (high - low) / 2.0
            elif finite:
                v = shared
            else:
                v = _open_side(low, high, step * (low_gap if math.isfinite(low) else high_gap))
            kind[c] = max(own_kind if own_kind >= 0 else int(Mode.ORDER), inherited)
        if low <= high + EPS:
            v = min(max(v, low), high)
        v = min(max(v, lo_l[c]), hi_l[c])
        value[c] = v if math.isfinite(v) else 0.0
        _narrow(c, value[c], value, lo_now, hi_now, forward, backward)
    return _feasible(value, forward, order, lo_c, hi_c), np.asarray(kind, dtype=np.int64)


def _narrow(c: int, v: float, value: list[float], lo_now: list[float], hi_now: list[float], forward: Graph,
            backward: Graph) -> None:
    """Narrow the windows of unplaced components near ``c`` now that it is placed at ``v``."""
    for graph, bound, sign in ((forward, hi_now, 1.0), (backward, lo_now, -1.0)):
        indptr, head, weight = graph.indptr, graph.head, graph.weight
        frontier = [(c, v)]
        for _ in range(PROPAGATION_DEPTH):
            following = []
            for u, at in frontier:
                for e in range(indptr[u], indptr[u + 1]):
                    w = head[e]
                    if not math.isnan(value[w]):
                        continue
                    candidate = at + sign * weight[e]
                    if (candidate < bound[w] - EPS) if sign > 0 else (candidate > bound[w] + EPS):
                        bound[w] = candidate
                        following.append((w, candidate))
            if not following:
                break
            frontier = following


def _open_side(low: float, high: float, step: float) -> float:
    if math.isfinite(low):
        return low + step
    if math.isfinite(high):
        return high - step
    return 0.0


def _chain_lengths(parts: Components, links: np.ndarray, order: list[int], modes: np.ndarray,
                   hi_c: np.ndarray) -> list[int]:
    """For each component, the longest chain of order-only times that follow it and must fit
    before an upper bound: the window is shared among them (even spacing)."""
    n = parts.n
    follows: list[list[int]] = [[] for _ in range(n)]
    bounded = np.isfinite(hi_c)
    del links  # implied order (an end after its start) shares the window too
    chain = (modes >= Mode.BOUND) & np.isfinite(parts.lo) & ~np.isfinite(parts.hi)
    for e in np.nonzero(chain)[0].tolist():
        later, earlier = int(parts.a[e]), int(parts.b[e])
        if bounded[later]:
            follows[earlier].append(later)
    rank = {c: i for i, c in enumerate(order)}
    length = [0] * n
    for c in reversed(order):
        here = rank[c]
        best = 0
        for d in follows[c]:
            if rank.get(d, -1) > here:
                best = max(best, length[d] + 1)
        length[c] = best
    return length


def _feasible(value: list[float], forward: Graph, order: list[int], lo_c: np.ndarray, hi_c: np.ndarray) -> np.ndarray:
    """The greatest solution not above ``value`` (relax every constraint downwards from it).

    A consistent network always has one at or above the lower bounds, so it stays within
    ``[lo, hi]``; when the placement already satisfies everything nothing moves.
    """
    start = [value[c] if not math.isnan(value[c]) else INF for c in range(len(value))]
    relaxed, _, _ = shortest_paths(forward, start, order)
    out = np.asarray(relaxed, dtype=np.float64)
    out[np.isinf(out)] = np.nan
    linked = ~np.isnan(np.asarray(value, dtype=np.float64))
    out[linked] = np.minimum(np.maximum(out[linked], lo_c[linked]), hi_c[linked])
    return out
