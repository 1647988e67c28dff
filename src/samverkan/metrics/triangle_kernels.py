"""Compiled triangle count per organisation, for large graphs only (numba).

:func:`samverkan.metrics.density.network_summary` uses it above
:data:`samverkan.metrics.density.COMPILED_TRIANGLES_FROM` ties, so small packages never import
numba; below that, igraph counts. Both give the same counts (tests force either path).

Vertices are ranked by degree (ties by position) and every tie points from the lower to the
higher rank, so a vertex has at most about ``sqrt(2m)`` "up" partners. A triangle is found once,
from its lowest vertex ``x``: ``y`` an up partner of ``x`` and ``z`` an up partner of both (marked
beforehand). The cost is the number of up-partner pairs examined, not the two-step paths through
hubs (Schank & Wagner 2005, "forward" algorithm).

References
----------
Schank, T. & Wagner, D. (2005). Finding, counting and listing all triangles in large graphs, an
experimental study. Proc. 4th Workshop on Experimental and Efficient Algorithms (WEA), LNCS 3503, 606–609.
"""

from __future__ import annotations

import numba as nb
import numpy as np

__all__ = ["triangles_per_vertex"]


@nb.njit(cache=True, nogil=True)
def _count(indptr, indices, n):  # pragma: no cover - compiled
    counts = np.zeros(n, dtype=np.int64)
    mark = np.full(n, -1, dtype=np.int64)
    for x in range(n):
        for p in range(indptr[x], indptr[x + 1]):
            mark[indices[p]] = x
        for p in range(indptr[x], indptr[x + 1]):
            y = indices[p]
            for q in range(indptr[y], indptr[y + 1]):
                z = indices[q]
                if mark[z] == x:
                    counts[x] += 1
                    counts[y] += 1
                    counts[z] += 1
    return counts


def triangles_per_vertex(i: np.ndarray, j: np.ndarray, n: int) -> np.ndarray:
    """The number of triangles at each of the ``n`` vertices of the simple undirected graph with
    edges ``(i[e], j[e])`` (each pair once, no loops): an int64 array of length ``n``."""
    i = np.asarray(i, dtype=np.int64)
    j = np.asarray(j, dtype=np.int64)
    degree = np.bincount(i, minlength=n) + np.bincount(j, minlength=n)
    order = np.lexsort((np.arange(n), degree))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    ri, rj = rank[i], rank[j]
    low = np.minimum(ri, rj)  # vertices are numbered by rank from here on: hubs share the cache
    high = np.maximum(ri, rj)
    sort = np.argsort(low * n + high)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(low, minlength=n), out=indptr[1:])
    return _count(indptr, high[sort], n)[rank]
