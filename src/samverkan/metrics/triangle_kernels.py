"""Compiled triangle passes for large graphs: structural holes and brokerage sums in one walk,
and the triangles at each organisation (local clustering, :func:`triangles_per_vertex`).

Used by :mod:`samverkan.metrics.triangles` only when the graph has many candidate triangles,
so small packages never import numba. It computes exactly what the numpy path
(:func:`samverkan.metrics.structural_holes._arc_triangle_batches` feeding
``_HolesAccumulator.add`` and ``_BrokerageAccumulator.add``) computes, bit for bit:

* Triangles are found by the forward algorithm (Schank & Wagner 2005) on the same degree-ordered
  arcs, with a marker array instead of binary search: for each vertex ``x`` its up-neighbours are
  marked, and for each up-arc ``x → y`` the up-neighbours ``z`` of ``y`` that are marked close a
  triangle. This meets the triangles in the numpy path's order (by arc ``x → y``, then arc
  ``x → z``).
* Floating-point sums are formed in the numpy path's order. That path adds, per batch of about a
  million examined pairs, one ``numpy.bincount`` per corner role (a sequential sum from 0 in
  triangle order) to the running totals. The kernel keeps the same per-batch partial sums, one
  per role, and adds them to the totals at the same batch boundaries in the same role order, so
  every redundancy and indirect-investment total has the same rounding as the numpy path.
* Brokerage counts closed two-paths by role (integers: the order does not matter); when every
  tie is mutual, one count per corner and triangle (its group pattern) instead of six readings.
* Arrays follow degree rank (nodes) and sorted up-arcs (ties), so the walk reads memory in order;
  binary ties use shorter formulas that are exactly equal (a product with 1 is exact).

References
----------
Schank, T. & Wagner, D. (2005). Finding, counting and listing all triangles in large graphs,
an experimental study. WEA 2005, LNCS 3503, 606–609.
Burt, R. S. (1992). Structural Holes. Harvard University Press, ch. 2.
Gould, R. V. & Fernandez, R. M. (1989). Structures of mediation. Sociological Methodology 19, 89–126.
"""

from __future__ import annotations

import numba as nb
import numpy as np

__all__ = ["forward_arcs", "triangle_sums", "PATTERN_ROLES", "triangles_per_vertex"]


@nb.njit(cache=True, nogil=True)
def forward_arcs(i, j, rank):  # pragma: no cover - compiled
    """The arcs of ``structural_holes._forward_arcs``: ``indptr``, ``tail``, ``head``, ``edge_of``.

    Every edge ``(i[e], j[e])`` becomes the arc from its lower to its higher ``rank``; arcs are
    sorted by (tail, head) and, for equal keys, by edge row (the stable sort of the numpy path):
    two stable counting sorts, by head and then by tail.
    """
    n = len(rank)
    m = len(i)
    lo = np.empty(m, dtype=np.int64)
    hi = np.empty(m, dtype=np.int64)
    by_head = np.zeros(n + 1, dtype=np.int64)
    indptr = np.zeros(n + 1, dtype=np.int64)
    for e in range(m):
        a = rank[i[e]]
        b = rank[j[e]]
        lo[e] = min(a, b)
        hi[e] = max(a, b)
        by_head[hi[e] + 1] += 1
        indptr[lo[e] + 1] += 1
    for r in range(n):
        by_head[r + 1] += by_head[r]
        indptr[r + 1] += indptr[r]
    # edge rows in order of head (stable)
    head_order = np.empty(m, dtype=np.int64)
    for e in range(m):
        head_order[by_head[hi[e]]] = e
        by_head[hi[e]] += 1
    # then by tail (stable): sorted by (tail, head, edge row)
    fill = indptr[:-1].copy()
    tail = np.empty(m, dtype=np.int64)
    head = np.empty(m, dtype=np.int64)
    edge_of = np.empty(m, dtype=np.int64)
    for k in range(m):
        e = head_order[k]
        p = fill[lo[e]]
        fill[lo[e]] += 1
        tail[p] = lo[e]
        head[p] = hi[e]
        edge_of[p] = e
    return indptr, tail, head, edge_of


# columns of the per-rank holes array ``node``
INV_STRENGTH, INV_LARGEST, PART_Y, PART_Z = range(4)

# Mutual ties: the closed readings through corner b of a triangle (a, b, c), by b's pattern
# 0: a, b, c in three groups: two liaison readings; 1: b shares its group with one of a, c: one
# representative and one gatekeeper reading; 2: one group: two coordinator readings; 3: a and c
# share a group that b is not in: two itinerant readings. Rows: pattern; columns: the role codes
# of :mod:`samverkan.metrics.brokerage` (coordinator, itinerant, representative, gatekeeper,
# liaison).
PATTERN_ROLES = np.array([[0, 0, 0, 0, 2], [0, 0, 1, 1, 0], [2, 0, 0, 0, 0], [0, 2, 0, 0, 0]], dtype=np.int64)


@nb.njit(cache=True, nogil=True)
def triangle_sums(indptr, head, stops, do_holes, unit, w, node, part_x, redundancy, up, down, do_brokerage, g, role, all_mutual, along, against, counts):  # pragma: no cover - compiled
    """Add every triangle's share to the holes totals and the closed brokerage counts, in place.

    Everything is indexed by degree rank (nodes) and by sorted up-arc (ties): ``indptr``,
    ``head``: the up-arcs of each rank, sorted by head rank; ``stops``: the end (exclusive) of
    each batch of first arcs, the last one = number of arcs.

    Holes (when ``do_holes``): ``w`` strength by arc (not read when ``unit``: every strength 1);
    ``node`` (n × 4, by rank) holds 1 / strength, 1 / largest strength and two zero columns for a
    batch's partial sums of the y and z roles,
    ``part_x`` (zeros) those of the x role; after each batch they are added to ``redundancy``
    (by rank). ``up``/``down`` (by arc) receive the indirect investment along the arc
    (tail → head) and against it.

    Brokerage (when ``do_brokerage``): ``g`` group code by rank, ``role`` the role table. Unless
    ``all_mutual``, ``along``/``against`` say by arc whether tail → head and head → tail exist,
    and ``counts`` (n × 5, by rank) counts the closed two-paths s → b → c by the role of b.
    When ``all_mutual``, both readings s → b → c and c → b → s of every triangle are closed and
    their roles follow from the corner's pattern, so ``counts[b, k]`` counts b's triangles by
    pattern ``k`` (see :data:`PATTERN_ROLES`).
    """
    n = len(indptr) - 1
    m = len(head)
    holes_n = n if do_holes else 0
    holes_m = m if do_holes else 0
    mark = np.full(n, -1, dtype=np.int64)
    # per-batch partial sums by arc, two per role (along, against): the numpy path's six
    # bincounts x → y, y → x (first arcs), x → z, z → x (second arcs), y → z, z → y (third arcs)
    first = np.zeros((holes_m, 2))
    second = np.zeros((holes_m, 2))
    third = np.zeros((holes_m, 2))
    touched = np.empty(holes_n, dtype=np.int64)  # ranks y whose arcs y → z were met in this batch
    stamp = np.full(holes_n, -1, dtype=np.int64)
    n_touched = 0
    batch = 0
    batch_first = 0  # first arc x → y of this batch
    for x in range(n):
        a0 = indptr[x]
        a1 = indptr[x + 1]
        for p in range(a0, a1):
            mark[head[p]] = p
        sx = node[x, INV_STRENGTH] if do_holes else 0.0
        lx = node[x, INV_LARGEST] if do_holes else 0.0
        gx = g[x] if do_brokerage else 0
        sum_x = 0.0  # part_x[x] since the start of the row or of the batch
        for p1 in range(a0, a1):
            y = head[p1]
            wxy = w[p1] if do_holes else 0.0
            sy = node[y, INV_STRENGTH] if do_holes else 0.0
            ly = node[y, INV_LARGEST] if do_holes else 0.0
            sum_y = node[y, PART_Y] if do_holes else 0.0  # the triangles of x → y are consecutive
            pxy = wxy * sx
            pyx = wxy * sy
            qxy = sx * sy
            up_xy = 0.0
            down_xy = 0.0
            gy = g[y] if do_brokerage else 0
            sxy = 1 if gx == gy else 0
            hit = False
            for p3 in range(indptr[y], indptr[y + 1]):
                z = head[p3]
                p2 = mark[z]
                if p2 < 0:
                    continue
                hit = True
                if do_holes and unit:
                    # every strength 1 (binary ties): p(a→b) = 1 / s_a and m(b→q) = 1, so the
                    # general products below reduce exactly to these (x · 1 = x, ab = ba)
                    sz = node[z, INV_STRENGTH]
                    qxz = sx * sz
                    qyz = sy * sz
                    sum_x += sx + sx
                    sum_y += sy + sy
                    node[z, PART_Z] += sz + sz
                    up_xy += qxz  # x → y through z
                    down_xy += qyz  # y → x through z
                    second[p2, 0] += qxy  # x → z through y
                    second[p2, 1] += qyz  # z → x through y
                    third[p3, 0] += qxy  # y → z through x
                    third[p3, 1] += qxz  # z → y through x
                elif do_holes:
                    wxz = w[p2]
                    wyz = w[p3]
                    sz = node[z, INV_STRENGTH]
                    lz = node[z, INV_LARGEST]
                    pxz = wxz * sx
                    pzx = wxz * sz
                    pyz = wyz * sy
                    pzy = wyz * sz
                    sum_x += pxz * wyz * ly + pxy * wyz * lz
                    sum_y += pyz * wxz * lx + pyx * wxz * lz
                    node[z, PART_Z] += pzy * wxy * lx + pzx * wxy * ly
                    up_xy += pxz * pzy  # x → y through z
                    down_xy += pyz * pzx  # y → x through z
                    second[p2, 0] += pxy * pyz  # x → z through y
                    second[p2, 1] += pzy * pyx  # z → x through y
                    third[p3, 0] += pyx * pxz  # y → z through x
                    third[p3, 1] += pzx * pxy  # z → y through x
                if do_brokerage:
                    gz = g[z]
                    sxz = 1 if gx == gz else 0
                    syz = 1 if gy == gz else 0
                    if all_mutual:
                        # pattern of each corner b: partners in b's group, 3 if none but the two
                        # others share a group
                        counts[y, sxy + syz + (sxz if sxy + syz == 0 else 0) * 3] += 1
                        counts[x, sxy + sxz + (syz if sxy + sxz == 0 else 0) * 3] += 1
                        counts[z, sxz + syz + (sxy if sxz + syz == 0 else 0) * 3] += 1
                    else:
                        # s → b → c is closed when s → b, b → c and s → c all exist
                        f1, b1 = along[p1], against[p1]  # x → y, y → x
                        f2, b2 = along[p2], against[p2]  # x → z, z → x
                        f3, b3 = along[p3], against[p3]  # y → z, z → y
                        if f1 and f3 and f2:
                            counts[y, role[4 * sxy + 2 * syz + sxz]] += 1  # x → y → z
                        if b3 and b1 and b2:
                            counts[y, role[4 * syz + 2 * sxy + sxz]] += 1  # z → y → x
                        if b1 and f2 and f3:
                            counts[x, role[4 * sxy + 2 * sxz + syz]] += 1  # y → x → z
                        if b2 and f1 and b3:
                            counts[x, role[4 * sxz + 2 * sxy + syz]] += 1  # z → x → y
                        if f2 and b3 and f1:
                            counts[z, role[4 * sxz + 2 * syz + sxy]] += 1  # x → z → y
                        if f3 and b2 and b1:
                            counts[z, role[4 * syz + 2 * sxz + sxy]] += 1  # y → z → x
            if do_holes and hit:
                node[y, PART_Y] = sum_y
                first[p1, 0] = up_xy
                first[p1, 1] = down_xy
                if stamp[y] != batch:
                    stamp[y] = batch
                    touched[n_touched] = y
                    n_touched += 1
            if p1 + 1 == stops[batch]:
                # end of a batch: add its partial sums to the totals, in the numpy path's order
                if do_holes:
                    part_x[x] = sum_x
                    sum_x = 0.0
                    _flush(batch_first, a1, indptr, node, part_x, redundancy, up, down, first, second, third, touched, n_touched)
                    n_touched = 0
                batch += 1
                batch_first = p1 + 1
        if do_holes:
            part_x[x] = sum_x
        for p in range(a0, a1):
            mark[head[p]] = -1


@nb.njit(cache=True, nogil=True)
def _flush(start, stop, indptr, node, part_x, redundancy, up, down, first, second, third, touched, n_touched):  # pragma: no cover - compiled
    """Add a batch's partial sums to the totals and clear them.

    The numpy path adds its bincounts in the order x, y, z (redundancy) and x→y, y→x, x→z,
    z→x, y→z, z→y (indirect). An arc is met tail-first in every role, so along it come its
    x→y, x→z and y→z sums, against it the others. The arcs with partial sums are the batch's
    arcs x → y and x → z (``start:stop``) and the arcs y → z out of the ranks y in ``touched``;
    an arc in both is cleared by the first flush, so adding it twice adds zeros.
    """
    for v in range(len(part_x)):
        redundancy[v] = ((redundancy[v] + part_x[v]) + node[v, PART_Y]) + node[v, PART_Z]
        part_x[v] = 0.0
        node[v, PART_Y] = 0.0
        node[v, PART_Z] = 0.0
    for p in range(start, stop):
        _flush_arc(p, up, down, first, second, third)
    for k in range(n_touched):
        y = touched[k]
        for p in range(indptr[y], indptr[y + 1]):
            _flush_arc(p, up, down, first, second, third)


@nb.njit(cache=True, nogil=True)
def _flush_arc(p, up, down, first, second, third):  # pragma: no cover - compiled
    up[p] = ((up[p] + first[p, 0]) + second[p, 0]) + third[p, 0]
    down[p] = ((down[p] + first[p, 1]) + second[p, 1]) + third[p, 1]
    first[p, 0] = 0.0
    first[p, 1] = 0.0
    second[p, 0] = 0.0
    second[p, 1] = 0.0
    third[p, 0] = 0.0
    third[p, 1] = 0.0


@nb.njit(cache=True, nogil=True)
def _triangle_counts(indptr, indices, n):  # pragma: no cover - compiled
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
    edges ``(i[e], j[e])`` (each pair once, no loops): an int64 array of length ``n``.

    On the degree-ordered arcs of :func:`forward_arcs` (vertices numbered by rank from here on:
    hubs share the cache)."""
    from .structural_holes import degree_order

    i = np.asarray(i, dtype=np.int64)
    j = np.asarray(j, dtype=np.int64)
    _, rank = degree_order(i, j, n)
    indptr, _, head, _ = forward_arcs(i, j, rank)
    return _triangle_counts(indptr, head, n)[rank]
