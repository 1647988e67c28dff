"""Compiled search for the key-player ``fragment`` step on large networks (numba).

:class:`samverkan.metrics.key_players._Fragment` scores, for every organisation v, the network
without a removed set T and v. That needs, per v, the components its removal leaves of its own
component. Up to :data:`samverkan.metrics.key_players.COMPILED_ABOVE` organisations igraph finds
them (biconnected components and the block–cut tree); above, one depth-first search here does
(Hopcroft & Tarjan 1973), so small packages never import numba. Both give the same numbers.

In the search tree, a child c of v whose subtree reaches no vertex above v (``low[c] ≥ disc[v]``)
is cut off when v goes: it is one piece of ``size[c]`` vertices. The rest of v's component, less
v, is one more piece (the side of v's parent; empty for a root). ``pieces[v]`` is the sum of
``s (s − 1)`` over these pieces, as the block–cut tree gives it.

References
----------
Hopcroft, J. & Tarjan, R. (1973). Algorithm 447: efficient algorithms for graph manipulation.
Communications of the ACM 16, 372–378.
"""

from __future__ import annotations

import numba as nb
import numpy as np

__all__ = ["pieces_after_each"]


@nb.njit(cache=True, nogil=True)
def _search(indptr, indices, alive):  # pragma: no cover - compiled
    n = len(alive)
    disc = np.full(n, -1, dtype=np.int64)
    low = np.zeros(n, dtype=np.int64)
    parent = np.full(n, -1, dtype=np.int64)
    size = np.zeros(n, dtype=np.int64)  # vertices in the search subtree
    cut = np.zeros(n, dtype=np.int64)  # vertices in the children's subtrees that removal cuts off
    squares = np.zeros(n, dtype=np.int64)  # sum of s (s - 1) over those subtrees
    component = np.zeros(n, dtype=np.int64)  # size of the component (0 for removed vertices)
    pieces = np.zeros(n, dtype=np.int64)
    nxt = np.zeros(n, dtype=np.int64)  # next adjacency position to look at, per vertex
    stack = np.empty(n, dtype=np.int64)
    members = np.empty(n, dtype=np.int64)
    clock = 0
    for root in range(n):
        if not alive[root] or disc[root] >= 0:
            continue
        top = 0
        stack[0] = root
        disc[root] = clock
        low[root] = clock
        clock += 1
        size[root] = 1
        nxt[root] = indptr[root]
        count = 0
        members[count] = root
        count += 1
        while top >= 0:
            v = stack[top]
            descended = False
            while nxt[v] < indptr[v + 1]:
                w = indices[nxt[v]]
                nxt[v] += 1
                if not alive[w]:
                    continue
                if disc[w] < 0:
                    parent[w] = v
                    disc[w] = clock
                    low[w] = clock
                    clock += 1
                    size[w] = 1
                    nxt[w] = indptr[w]
                    top += 1
                    stack[top] = w
                    members[count] = w
                    count += 1
                    descended = True
                    break
                if w != parent[v] and disc[w] < low[v]:
                    low[v] = disc[w]
            if descended:
                continue
            top -= 1
            p = parent[v]
            if p >= 0:
                if low[v] < low[p]:
                    low[p] = low[v]
                size[p] += size[v]
                if low[v] >= disc[p]:
                    cut[p] += size[v]
                    squares[p] += size[v] * (size[v] - 1)
        total = size[root]
        for k in range(count):
            v = members[k]
            component[v] = total
            rest = total - 1 - cut[v]
            pieces[v] = squares[v] + rest * (rest - 1)
    return component, pieces


def pieces_after_each(indptr: np.ndarray, indices: np.ndarray, alive: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each vertex of the symmetric CSR graph restricted to ``alive``: the size of its
    component (0 where not alive) and ``Σ s (s − 1)`` over the components its removal leaves of
    that component (0 where not alive); both as float arrays."""
    component, pieces = _search(np.asarray(indptr, dtype=np.int64), np.asarray(indices, dtype=np.int64), np.asarray(alive, dtype=np.bool_))
    return component.astype(float), pieces.astype(float)
