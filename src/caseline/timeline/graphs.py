"""Shortest paths and strongly connected components on sparse weighted graphs (CSR lists).

The graph algorithms behind :mod:`caseline.timeline.constraints`, on plain Python lists: a
label-correcting search (FIFO queue, Bellman-Ford-Moore) that reports a negative cycle as its
edges, and Tarjan's components, both iterative (no recursion limit) and linear in practice on
the tree-like graphs case files make. Pure Python and numpy.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np

INF = math.inf
#: Tolerance of the arithmetic (days): bounds closer than this are equal. Months are 30.4375
#: days, so sums of stated times are not exact in binary floating point.
EPS = 1e-7


@dataclass(frozen=True, slots=True)
class Graph:
    """CSR adjacency of the distance graph on components, forward or reversed.

    Edge ``e`` goes from ``tail`` to ``head[e]`` (for ``indptr[tail] <= e < indptr[tail + 1]``),
    weighs ``weight[e]`` and comes from edge ``source[e]`` of :class:`Components`.
    """

    n: int
    indptr: list[int]
    head: list[int]
    weight: list[float]
    source: list[int]


def shortest_paths(graph: Graph, dist: list[float], queue: list[int]) -> tuple[list[float], list[int], list[int]]:
    """Label-correcting shortest paths from the labels ``dist`` of the nodes in ``queue``.

    Returns ``(dist, pred, cycle)``: distances (improved in place), the edge each node was last
    reached by (-1: none) and, when the graph has a negative cycle reachable from the start,
    that cycle's edges (else empty). Relaxing from arbitrary starting labels also gives the
    greatest solution below them (see :mod:`caseline.timeline.estimates`).
    """
    n = graph.n
    indptr, head, weight = graph.indptr, graph.head, graph.weight
    pred = [-1] * n
    tail_of = tails(graph)
    waiting = bytearray(n)
    for node in queue:
        waiting[node] = 1
    todo = deque(queue)
    relaxed = 0
    budget = n + 1
    while todo:
        u = todo.popleft()
        waiting[u] = 0
        du = dist[u]
        for e in range(indptr[u], indptr[u + 1]):
            v = head[e]
            candidate = du + weight[e]
            if candidate < dist[v] - EPS * (1.0 + abs(candidate)):
                dist[v] = candidate
                pred[v] = e
                relaxed += 1
                if not waiting[v]:
                    waiting[v] = 1
                    todo.append(v)
        if relaxed >= budget:
            relaxed = 0
            cycle = _predecessor_cycle(pred, tail_of)
            if cycle:
                return dist, pred, cycle
    return dist, pred, []


def tails(graph: Graph) -> list[int]:
    counts = np.diff(np.asarray(graph.indptr, dtype=np.int64)).astype(np.int64)
    tails = np.repeat(np.arange(graph.n, dtype=np.int64), counts)
    return tails.tolist()  # type: ignore[no-any-return]


def _predecessor_cycle(pred: list[int], tail_of: list[int]) -> list[int]:
    """Edges of a cycle in the predecessor graph (each node -> the tail of its pred edge), if any."""
    n = len(pred)
    walk = [0] * n  # 0: unvisited; otherwise the id of the walk that visited it
    for start in range(n):
        if walk[start]:
            continue
        walk_id = start + 1
        node = start
        while node >= 0 and not walk[node]:
            walk[node] = walk_id
            e = pred[node]
            node = tail_of[e] if e >= 0 else -1
        if node >= 0 and walk[node] == walk_id:
            cycle = []
            first = node
            while True:
                e = pred[node]
                cycle.append(e)
                node = tail_of[e]
                if node == first:
                    return cycle[::-1]
    return []


def within_components(graph: Graph, components: list[list[int]]) -> tuple[Graph, list[int]]:
    """The subgraph of edges whose ends share a strongly connected component, and one node of
    each component with more than one node."""
    label = np.zeros(graph.n, dtype=np.int64)
    starts = []
    for number, members in enumerate(components):
        label[members] = number
        if len(members) > 1:
            starts.append(members[0])
    tail = np.asarray(tails(graph), dtype=np.int64)
    heads = np.asarray(graph.head, dtype=np.int64)
    keep = label[tail] == label[heads] if len(heads) else np.zeros(0, dtype=bool)
    kept_tails = tail[keep]
    indptr = np.zeros(graph.n + 1, dtype=np.int64)
    np.cumsum(np.bincount(kept_tails, minlength=graph.n), out=indptr[1:])
    weights = np.asarray(graph.weight, dtype=np.float64)[keep]
    sources = np.asarray(graph.source, dtype=np.int64)[keep]
    # tails are already sorted (CSR order), so the kept edges stay grouped by tail
    return Graph(graph.n, indptr.tolist(), heads[keep].tolist(), weights.tolist(), sources.tolist()), starts


def strongly_connected(graph: Graph) -> list[list[int]]:
    """Strongly connected components (Tarjan's algorithm, iterative: no recursion limit)."""
    n = graph.n
    indptr, head = graph.indptr, graph.head
    index = [-1] * n
    low = [0] * n
    on_stack = bytearray(n)
    stack: list[int] = []
    out: list[list[int]] = []
    counter = 0
    for root in range(n):
        if index[root] >= 0:
            continue
        work = [(root, indptr[root])]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = 1
        while work:
            v, e = work[-1]
            if e < indptr[v + 1]:
                work[-1] = (v, e + 1)
                w = head[e]
                if index[w] < 0:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = 1
                    work.append((w, indptr[w]))
                elif on_stack[w] and index[w] < low[v]:
                    low[v] = index[w]
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                if low[v] < low[parent]:
                    low[parent] = low[v]
            if low[v] == index[v]:
                members = []
                while True:
                    w = stack.pop()
                    on_stack[w] = 0
                    members.append(w)
                    if w == v:
                        break
                out.append(members)
    return out
