"""A simple temporal network: time points, constraints ``lo <= X - Y <= hi``, tightest bounds.

Dechter, Meiri & Pearl, "Temporal constraint networks", Artificial Intelligence 49 (1991). Each
constraint is two edges of a *distance graph* (``Y -> X`` weighing ``hi``: X <= Y + hi, and
``X -> Y`` weighing ``-lo``: Y <= X - lo). The network has a solution exactly when that graph has
no negative cycle, and the tightest bounds of every point relative to a source point S are
shortest paths: ``hi(X - S)`` is the distance from S to X, ``lo(X - S)`` minus the distance from
X to S (the same search on the reversed graph).

How it stays fast on big cases (100,000 events):

* Exact constraints (``lo == hi``: "day 14", "2 weeks after X", a schedule every 8 weeks) tie
  points rigidly. A union-find with offsets merges such points into one *component* first, so
  the graph searched only has the inexact constraints ("after X", "about 3 weeks", a month),
  usually a small fraction of them.
* Shortest paths are label-correcting (a FIFO queue, Bellman-Ford-Moore / SPFA, in
  :mod:`caseline.timeline.graphs`) on a CSR adjacency of that sparse graph: linear in practice
  on these tree-like graphs, never a dense n x n matrix. A negative cycle is detected by
  looking for a cycle in the predecessor graph once per ``n`` relaxations (a cycle there is
  always a negative cycle), and returned as the constraints it is made of, so a diagnostic can
  name every statement involved.

Points and constraints are numbered; a solution is numpy arrays indexed by point. Pure Python and
numpy: no Qt, nothing about cases (caseline.timeline.statements turns a case into a network).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from caseline.timeline.graphs import (
    EPS,
    INF,
    Graph,
    shortest_paths,
    strongly_connected,
    tails,
    within_components,
)

__all__ = ["EPS", "INF", "Bounds", "Components", "Distances", "Graph", "Inconsistency", "Mode", "Network", "Solver",
           "connected", "distance_graph", "merge_exact", "shortest_paths"]



class Mode(IntEnum):
    """How a constraint says the best estimate of its subject should be chosen."""

    STATED = 0  # the statement gives a best value ("2-3 weeks after": 17.5 days; a month: its middle)
    WINDOW = 1  # a stated span between two limits ("between A and B"): the middle of what is feasible
    BOUND = 2  # a stated limit without a best value ("at least 3 months after", "within a week")
    ORDER = 3  # order only ("after X", "then"): placed for order, not stated


@dataclass(frozen=True, slots=True)
class Inconsistency:
    """No time can satisfy these constraints together (indices into the network's constraints)."""

    constraints: tuple[int, ...]


class Network:
    """Points and constraints under construction. Constraint ``k`` says
    ``lo[k] <= point x[k] - point y[k] <= hi[k]``; ``x`` is the point the statement is about
    (its *subject*), ``y`` the point it refers to. ``pref``/``mode`` say how to choose a best
    estimate (:mod:`caseline.timeline.estimates`); ``gap`` scales the default spacing of an
    order-only constraint; ``tag`` is the caller's id of the statement (for diagnostics).
    ``links`` is False for a constraint the format implies (an end after its start): it narrows
    bounds but does not by itself place a point that nothing else places.
    """

    __slots__ = ("_columns", "_rows", "n_points")

    _FIELDS = ("x", "y", "lo", "hi", "tag", "pref", "mode", "gap", "links")

    def __init__(self) -> None:
        self.n_points = 0
        # one tuple per constraint while building (one append, not nine); the columns below are
        # made from them on first use
        self._rows: list[tuple[int, int, float, float, int, float, int, float, bool]] = []
        self._columns: tuple[list, ...] | None = None  # type: ignore[type-arg]

    def add_points(self, count: int = 1) -> int:
        """Add ``count`` points; returns the number of the first."""
        first = self.n_points
        self.n_points += count
        return first

    def constrain(self, x: int, y: int, lo: float, hi: float, tag: int = -1, pref: float = math.nan,
                  mode: Mode = Mode.STATED, gap: float = 1.0, links: bool = True) -> int:
        """Add ``lo <= x - y <= hi``; returns the constraint's number."""
        self._rows.append((x, y, lo, hi, tag, pref, mode, gap, links))
        self._columns = None
        return len(self._rows) - 1

    def set_aside(self, k: int) -> None:
        """Make constraint ``k`` say nothing (a statement dropped from a contradiction)."""
        x, y, _, _, tag, _, _, gap, _ = self._rows[k]
        self._rows[k] = (x, y, -INF, INF, tag, math.nan, Mode.ORDER, gap, False)
        self._columns = None

    def _column(self, index: int) -> list:  # type: ignore[type-arg]
        if self._columns is None:
            if self._rows:
                self._columns = tuple(list(column) for column in zip(*self._rows, strict=True))
            else:
                self._columns = tuple([] for _ in self._FIELDS)
        return self._columns[index]

    @property
    def x(self) -> list[int]:
        return self._column(0)

    @property
    def y(self) -> list[int]:
        return self._column(1)

    @property
    def lo(self) -> list[float]:
        return self._column(2)

    @property
    def hi(self) -> list[float]:
        return self._column(3)

    @property
    def tag(self) -> list[int]:
        return self._column(4)

    @property
    def pref(self) -> list[float]:
        return self._column(5)

    @property
    def mode(self) -> list[int]:
        return self._column(6)

    @property
    def gap(self) -> list[float]:
        return self._column(7)

    @property
    def links(self) -> list[bool]:
        return self._column(8)

    def __len__(self) -> int:
        return len(self._rows)


# ---------------------------------------------------------------------------- rigid components


@dataclass(frozen=True, slots=True)
class Components:
    """Points merged by exact constraints: point ``p`` = root of ``comp[p]`` + ``offset[p]``.

    ``edges`` are the inexact constraints between different components, restated on the roots:
    ``lo[k] <= root(a[k]) - root(b[k]) <= hi[k]`` for constraint ``index[k]`` of the network.
    """

    n: int
    comp: np.ndarray  # int64 per point
    offset: np.ndarray  # float64 per point
    index: np.ndarray  # network constraint of each edge
    a: np.ndarray  # subject component
    b: np.ndarray  # reference component
    lo: np.ndarray
    hi: np.ndarray
    forest: tuple[int, ...] = ()  # the exact constraints that merged points into components


def merge_exact(net: Network) -> Components | Inconsistency:
    """Merge points tied by exact constraints; an exact cycle that does not add up is reported."""
    n = net.n_points
    parent = list(range(n))
    off = [0.0] * n  # value(p) = value(parent[p]) + off[p]
    size = [1] * n

    def find(p: int) -> tuple[int, float]:
        total = 0.0
        q = p
        while parent[q] != q:
            total += off[q]
            q = parent[q]
        root = q
        # path compression: point every visited node straight at the root
        q, acc = p, total
        while parent[q] != root and q != root:
            nxt, step = parent[q], off[q]
            parent[q], off[q] = root, acc
            acc -= step
            q = nxt
        return root, total

    xs, ys, los, his = net.x, net.y, net.lo, net.hi
    inexact: list[int] = []
    merged: list[int] = []  # the exact constraints that joined two components: a forest over the points
    for k in range(len(xs)):
        lo, hi = los[k], his[k]
        if hi - lo > EPS:
            inexact.append(k)
            continue
        if lo > hi + EPS:
            return Inconsistency((k,))
        x, y = xs[k], ys[k]
        rx, ox = find(x)
        ry, oy = find(y)
        if rx == ry:
            if abs((ox - oy) - lo) > EPS * (1.0 + abs(lo)):
                # the forest path is what tied x to y: with k it is a contradiction (a path through a
                # constraint that merely agreed with the forest, such as a duplicate of k, would not be)
                return Inconsistency((*_exact_path(net, y, x, merged), k))
            continue
        # value(x) = value(y) + lo  =>  value(rx) = value(ry) + lo + oy - ox
        shift = lo + oy - ox
        if size[rx] > size[ry]:
            rx, ry, shift = ry, rx, -shift
        parent[rx], off[rx] = ry, shift
        size[ry] += size[rx]
        merged.append(k)

    roots = np.fromiter((find(p)[0] for p in range(n)), dtype=np.int64, count=n)
    offset = np.fromiter((off[p] if parent[p] != p else 0.0 for p in range(n)), dtype=np.float64, count=n)
    unique, comp = np.unique(roots, return_inverse=True)
    return _between_components(net, len(unique), comp.astype(np.int64), offset, inexact, merged)


def _between_components(net: Network, n: int, comp: np.ndarray, offset: np.ndarray, inexact: list[int],
                        merged: list[int]) -> Components | Inconsistency:
    """Restate the inexact constraints on component roots; check those inside one component."""
    idx = np.asarray(inexact, dtype=np.int64)
    x_pt = np.asarray(net.x, dtype=np.int64)[idx]
    y_pt = np.asarray(net.y, dtype=np.int64)[idx]
    shift = offset[y_pt] - offset[x_pt]
    lo = np.asarray(net.lo, dtype=np.float64)[idx] + shift
    hi = np.asarray(net.hi, dtype=np.float64)[idx] + shift
    a, b = comp[x_pt], comp[y_pt]
    inside = a == b
    if inside.any():
        bad = inside & ((lo > EPS * (1 + np.abs(lo))) | (hi < -EPS * (1 + np.abs(hi))))
        if bad.any():
            k = int(idx[np.argmax(bad)])
            return Inconsistency((*_exact_path(net, net.y[k], net.x[k], merged), k))
        keep = ~inside
        idx, a, b, lo, hi = idx[keep], a[keep], b[keep], lo[keep], hi[keep]
    return Components(n, comp, offset, idx, a, b, lo, hi, tuple(merged))


def _exact_path(net: Network, start: int, goal: int, forest: list[int]) -> list[int]:
    """The exact constraints of ``forest`` (those that merged components) linking two points: in a forest
    the path is unique, and its offsets are the ones the merge used (only used to explain a conflict)."""
    adjacency: dict[int, list[tuple[int, int]]] = {}
    for k in forest:
        adjacency.setdefault(net.x[k], []).append((net.y[k], k))
        adjacency.setdefault(net.y[k], []).append((net.x[k], k))
    came: dict[int, tuple[int, int]] = {start: (-1, -1)}
    queue = deque([start])
    while queue:
        p = queue.popleft()
        if p == goal:
            break
        for q, k in adjacency.get(p, ()):
            if q not in came:
                came[q] = (p, k)
                queue.append(q)
    path: list[int] = []
    p = goal
    while p in came and came[p][0] != -1:
        p, k = came[p]
        path.append(k)
    return path[::-1]


# ---------------------------------------------------------------------------- the distance graph


def distance_graph(parts: Components, reverse: bool = False) -> Graph:
    """``b -> a`` weighing ``hi`` and ``a -> b`` weighing ``-lo`` per edge (reversed: swapped)."""
    m = len(parts.a)
    edge = np.arange(m, dtype=np.int64)
    up = np.isfinite(parts.hi)
    down = np.isfinite(parts.lo)
    tails = np.concatenate([parts.b[up], parts.a[down]])
    heads = np.concatenate([parts.a[up], parts.b[down]])
    weights = np.concatenate([parts.hi[up], -parts.lo[down]])
    sources = np.concatenate([edge[up], edge[down]])
    if reverse:
        tails, heads = heads, tails
    order = np.argsort(tails, kind="stable")
    indptr = np.zeros(parts.n + 1, dtype=np.int64)
    np.cumsum(np.bincount(tails, minlength=parts.n), out=indptr[1:])
    return Graph(parts.n, indptr.tolist(), heads[order].tolist(), weights[order].tolist(), sources[order].tolist())


# ---------------------------------------------------------------------------- solving


@dataclass(frozen=True, slots=True)
class Bounds:
    """Tightest bounds of every point relative to one source point: ``lo <= X - S <= hi``."""

    source: int
    lo: np.ndarray  # float64 per point (-inf: no lower bound)
    hi: np.ndarray  # float64 per point (inf: no upper bound)


class Distances:
    """Shortest paths over a consistent network's rigid components: bounds between any points.

    What a resolved case keeps for latencies (:meth:`between`): the components and the two
    distance graphs, not the network's constraints.
    """

    __slots__ = ("backward", "forward", "parts")

    def __init__(self, parts: Components) -> None:
        self.parts = parts
        self.forward = distance_graph(parts)
        self.backward = distance_graph(parts, reverse=True)

    def kept(self) -> Distances:
        """What a resolved case keeps for its latencies: the same bounds from a smaller copy.

        The graphs as arrays (a search makes its lists, a few ms at 100,000 events, small beside the
        search), without the edges' sources and the merge forest, which only explain a contradiction.
        """
        out = Distances.__new__(Distances)
        parts = self.parts
        none = np.zeros(0, dtype=np.int64)
        out.parts = Components(parts.n, parts.comp, parts.offset, none, none, none, none.astype(np.float64),
                               none.astype(np.float64))
        out.forward, out.backward = _as_arrays(self.forward), _as_arrays(self.backward)
        return out

    def _from(self, root: int) -> tuple[list[float], list[float]]:
        n = self.parts.n
        up = [INF] * n
        up[root] = 0.0
        up, _, _ = shortest_paths(_as_lists(self.forward), up, [root])
        down = [INF] * n
        down[root] = 0.0
        down, _, _ = shortest_paths(_as_lists(self.backward), down, [root])
        return up, down

    def bounds(self, source: int) -> Bounds:
        """Bounds of every point relative to point ``source``."""
        parts = self.parts
        up, down = self._from(int(parts.comp[source]))
        shift = parts.offset - parts.offset[source]
        return Bounds(source, -np.asarray(down)[parts.comp] + shift, np.asarray(up)[parts.comp] + shift)

    def component_bounds(self, source: int) -> tuple[np.ndarray, np.ndarray]:
        """Bounds of each component's root relative to point ``source``."""
        up, down = self._from(int(self.parts.comp[source]))
        base = float(self.parts.offset[source])
        return -np.asarray(down) - base, np.asarray(up) - base

    def between(self, x: int, y: int) -> tuple[float, float]:
        """Tightest bounds of ``x - y`` (one search from ``y``'s component each way)."""
        parts = self.parts
        cx, cy = int(parts.comp[x]), int(parts.comp[y])
        shift = float(parts.offset[x] - parts.offset[y])
        if cx == cy:
            return shift, shift
        up, down = self._from(cy)
        return -down[cx] + shift, up[cx] + shift


def _as_arrays(graph: Graph) -> Graph:
    """``graph`` with its lists as compact arrays (and no edge sources)."""
    small = np.int32 if graph.n < 2**31 - 1 else np.int64
    return Graph(graph.n, np.asarray(graph.indptr, dtype=np.int64), np.asarray(graph.head, dtype=small),  # type: ignore[arg-type]
                 np.asarray(graph.weight, dtype=np.float64), [])  # type: ignore[arg-type]


def _as_lists(graph: Graph) -> Graph:
    """``graph`` as the lists a search walks (a graph kept as arrays, see :meth:`Distances.kept`)."""
    if isinstance(graph.head, list):
        return graph
    return Graph(graph.n, graph.indptr.tolist(), graph.head.tolist(), graph.weight.tolist(), [])  # type: ignore[attr-defined]


class Solver:
    """Bounds of a network's points relative to chosen source points.

    ``Solver(network)`` merges rigid components and checks consistency of the whole network;
    :attr:`inconsistency` is then None or the constraints of one contradiction, else
    :attr:`distances` answers bounds (:meth:`bounds`, :meth:`between`: two shortest-path searches).
    """

    def __init__(self, net: Network) -> None:
        self.net = net
        self.inconsistency: Inconsistency | None = None
        merged = merge_exact(net)
        if isinstance(merged, Inconsistency):
            self.inconsistency = merged
            return
        self.parts: Components = merged
        self.distances = Distances(merged)
        self.forward, self.backward = self.distances.forward, self.distances.backward
        # Feasibility: a negative cycle lies inside one strongly connected component, and a search
        # from any node of that component reaches it (reachable from day 0 or not). Starting every
        # node at 0 instead (a virtual source) would cascade along long chains: quadratic.
        # One search over the edges inside components, from one node of each, covers them all.
        inside, starts = within_components(self.forward, strongly_connected(self.forward))
        dist = [INF] * merged.n
        for node in starts:
            dist[node] = 0.0
        _, _, cycle = shortest_paths(inside, dist, starts)
        if cycle:
            self.inconsistency = Inconsistency(self._explain(inside, cycle))

    def bounds(self, source: int) -> Bounds:
        """Bounds of every point relative to point ``source`` (the network must be consistent)."""
        return self.distances.bounds(source)

    def component_bounds(self, source: int) -> tuple[np.ndarray, np.ndarray]:
        """Bounds of each component's root relative to point ``source``."""
        return self.distances.component_bounds(source)

    def between(self, x: int, y: int) -> tuple[float, float]:
        """Tightest bounds of ``x - y``."""
        return self.distances.between(x, y)

    def _explain(self, graph: Graph, cycle: list[int]) -> tuple[int, ...]:
        """The network constraints of a negative cycle, with the exact links inside components."""
        parts, net = self.parts, self.net
        comp = parts.comp
        tail_of = tails(graph)
        steps = [int(parts.index[graph.source[e]]) for e in cycle]
        explained: list[int] = []
        for i, e in enumerate(cycle):
            k, k_next = steps[i], steps[(i + 1) % len(steps)]
            explained.append(k)
            joint = graph.head[e]  # the component this edge enters and the next one leaves
            assert tail_of[cycle[(i + 1) % len(cycle)]] == joint
            out_point = net.x[k] if comp[net.x[k]] == joint else net.y[k]
            in_point = net.x[k_next] if comp[net.x[k_next]] == joint else net.y[k_next]
            if out_point != in_point:
                explained.extend(_exact_path(net, out_point, in_point, list(parts.forest)))
        seen: set[int] = set()
        unique = []
        for k in explained:
            if k not in seen:
                seen.add(k)
                unique.append(k)
        return tuple(unique)


def connected(net: Network, parts: Components, source: int) -> np.ndarray:
    """Whether each point is linked to ``source`` by any chain of constraints (bool per point)."""
    parent = list(range(parts.n))

    def find(c: int) -> int:
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    informative = (np.isfinite(parts.lo) | np.isfinite(parts.hi)) & np.asarray(net.links, dtype=bool)[parts.index]
    for a, b in zip(parts.a[informative].tolist(), parts.b[informative].tolist(), strict=True):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    roots = np.fromiter((find(c) for c in range(parts.n)), dtype=np.int64, count=parts.n)
    linked = roots == roots[parts.comp[source]]
    return linked[parts.comp]  # type: ignore[no-any-return]
