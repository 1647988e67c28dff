"""Compiled triangle pass for large graphs: structural holes and brokerage sums in one walk.

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
* Brokerage counts closed two-paths by role (integers: the order does not matter).

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

__all__ = ["triangle_sums"]


@nb.njit(cache=True, nogil=True)
def _has_arc(edge, a, edge_i, forward, backward):  # pragma: no cover - compiled
    """Whether the arc from ``a`` to the other end of edge row ``edge`` exists."""
    if edge_i[edge] == a:
        return forward[edge]
    return backward[edge]


@nb.njit(cache=True, nogil=True)
def _close(closed, broker, category, keep):  # pragma: no cover - compiled
    if keep:
        closed[5 * broker + category] += 1


@nb.njit(cache=True, nogil=True)
def triangle_sums(
    indptr,
    head,
    order,
    edge_of,
    stops,
    do_holes,
    w,
    inv_strength,
    inv_largest,
    redundancy,
    up,
    down,
    do_brokerage,
    g,
    role,
    edge_i,
    forward,
    backward,
    all_mutual,
    closed,
):  # pragma: no cover - compiled
    """Add every triangle's share to the holes totals and the closed brokerage counts, in place.

    Parameters (rank space unless said otherwise): ``indptr``, ``head``: the up-arcs of each rank,
    sorted by head rank; ``order``: rank → node position; ``edge_of``: arc → edge row; ``stops``:
    the end (exclusive) of each batch of first arcs, the last one = number of arcs.
    Holes (when ``do_holes``): ``w`` strength by edge row, ``inv_strength`` and ``inv_largest`` by
    position; totals updated: ``redundancy`` by position, ``up``/``down`` by arc: the indirect
    investment along the arc (tail → head) and against it. Brokerage (when ``do_brokerage``):
    ``g`` group code by position, ``role`` the role table, ``edge_i`` first end of each edge row,
    ``forward``/``backward`` arc existence by edge row; ``closed`` (5 per position) counts the
    closed two-paths by role.
    """
    n = len(indptr) - 1
    m = len(head)
    mark = np.full(n, -1, dtype=np.int64)
    holes_n = n if do_holes else 0
    holes_m = m if do_holes else 0
    # per-batch partial sums, one per corner role (the numpy path's bincounts)
    part_x = np.zeros(holes_n)
    part_y = np.zeros(holes_n)
    part_z = np.zeros(holes_n)
    up_xy = np.zeros(holes_m)
    down_xy = np.zeros(holes_m)
    up_xz = np.zeros(holes_m)
    down_xz = np.zeros(holes_m)
    up_yz = np.zeros(holes_m)
    down_yz = np.zeros(holes_m)
    touched = np.empty(holes_m, dtype=np.int64)  # arcs y → z met in this batch
    stamp = np.full(holes_m, -1, dtype=np.int64)
    n_touched = 0
    batch = 0
    batch_first = 0  # first arc x → y of this batch
    batch_last = -1  # last arc x → z met in this batch
    for r in range(n):
        a0 = indptr[r]
        a1 = indptr[r + 1]
        for p in range(a0, a1):
            mark[head[p]] = p
        x = order[r]
        for p1 in range(a0, a1):
            ry = head[p1]
            y = order[ry]
            exy = edge_of[p1]
            for p3 in range(indptr[ry], indptr[ry + 1]):
                p2 = mark[head[p3]]
                if p2 < 0:
                    continue
                z = order[head[p3]]
                exz = edge_of[p2]
                eyz = edge_of[p3]
                if do_holes:
                    wxy = w[exy]
                    wxz = w[exz]
                    wyz = w[eyz]
                    sx = inv_strength[x]
                    sy = inv_strength[y]
                    sz = inv_strength[z]
                    pxy = wxy * sx
                    pyx = wxy * sy
                    pxz = wxz * sx
                    pzx = wxz * sz
                    pyz = wyz * sy
                    pzy = wyz * sz
                    lx = inv_largest[x]
                    ly = inv_largest[y]
                    lz = inv_largest[z]
                    part_x[x] += pxz * wyz * ly + pxy * wyz * lz
                    part_y[y] += pyz * wxz * lx + pyx * wxz * lz
                    part_z[z] += pzy * wxy * lx + pzx * wxy * ly
                    up_xy[p1] += pxz * pzy  # x → y through z
                    down_xy[p1] += pyz * pzx  # y → x through z
                    up_xz[p2] += pxy * pyz  # x → z through y
                    down_xz[p2] += pzy * pyx  # z → x through y
                    up_yz[p3] += pyx * pxz  # y → z through x
                    down_yz[p3] += pzx * pxy  # z → y through x
                    if p2 > batch_last:
                        batch_last = p2
                    if stamp[p3] != batch:
                        stamp[p3] = batch
                        touched[n_touched] = p3
                        n_touched += 1
                if do_brokerage:
                    gx = g[x]
                    gy = g[y]
                    gz = g[z]
                    sxy = 1 if gx == gy else 0
                    sxz = 1 if gx == gz else 0
                    syz = 1 if gy == gz else 0
                    if all_mutual:
                        closed[5 * y + role[4 * sxy + 2 * syz + sxz]] += 1  # x → y → z
                        closed[5 * y + role[4 * syz + 2 * sxy + sxz]] += 1  # z → y → x
                        closed[5 * x + role[4 * sxy + 2 * sxz + syz]] += 1  # y → x → z
                        closed[5 * x + role[4 * sxz + 2 * sxy + syz]] += 1  # z → x → y
                        closed[5 * z + role[4 * sxz + 2 * syz + sxy]] += 1  # x → z → y
                        closed[5 * z + role[4 * syz + 2 * sxz + sxy]] += 1  # y → z → x
                    else:
                        # s → b → c counts as closed when s → b, b → c and s → c all exist
                        _close(closed, y, role[4 * sxy + 2 * syz + sxz], _has_arc(exy, x, edge_i, forward, backward) and _has_arc(eyz, y, edge_i, forward, backward) and _has_arc(exz, x, edge_i, forward, backward))
                        _close(closed, y, role[4 * syz + 2 * sxy + sxz], _has_arc(eyz, z, edge_i, forward, backward) and _has_arc(exy, y, edge_i, forward, backward) and _has_arc(exz, z, edge_i, forward, backward))
                        _close(closed, x, role[4 * sxy + 2 * sxz + syz], _has_arc(exy, y, edge_i, forward, backward) and _has_arc(exz, x, edge_i, forward, backward) and _has_arc(eyz, y, edge_i, forward, backward))
                        _close(closed, x, role[4 * sxz + 2 * sxy + syz], _has_arc(exz, z, edge_i, forward, backward) and _has_arc(exy, x, edge_i, forward, backward) and _has_arc(eyz, z, edge_i, forward, backward))
                        _close(closed, z, role[4 * sxz + 2 * syz + sxy], _has_arc(exz, x, edge_i, forward, backward) and _has_arc(eyz, z, edge_i, forward, backward) and _has_arc(exy, x, edge_i, forward, backward))
                        _close(closed, z, role[4 * syz + 2 * sxz + sxy], _has_arc(eyz, y, edge_i, forward, backward) and _has_arc(exz, z, edge_i, forward, backward) and _has_arc(exy, y, edge_i, forward, backward))
            if p1 + 1 == stops[batch]:
                # end of a batch: add its partial sums to the totals, in the numpy path's order
                if do_holes:
                    for v in range(n):
                        redundancy[v] = ((redundancy[v] + part_x[v]) + part_y[v]) + part_z[v]
                        part_x[v] = 0.0
                        part_y[v] = 0.0
                        part_z[v] = 0.0
                    for p in range(batch_first, max(batch_last + 1, p1 + 1)):
                        _flush_arc(p, up, down, up_xy, down_xy, up_xz, down_xz, up_yz, down_yz)
                    for k in range(n_touched):
                        _flush_arc(touched[k], up, down, up_xy, down_xy, up_xz, down_xz, up_yz, down_yz)
                    n_touched = 0
                batch += 1
                batch_first = p1 + 1
                batch_last = -1
        for p in range(a0, a1):
            mark[head[p]] = -1


@nb.njit(cache=True, nogil=True)
def _flush_arc(p, up, down, up_xy, down_xy, up_xz, down_xz, up_yz, down_yz):  # pragma: no cover - compiled
    # the numpy path adds its six bincounts in the order x→y, y→x, x→z, z→x, y→z, z→y; an arc
    # is met tail-first in every role, so along it come x→y, x→z, y→z and against it the others
    up[p] = ((up[p] + up_xy[p]) + up_xz[p]) + up_yz[p]
    down[p] = ((down[p] + down_xy[p]) + down_xz[p]) + down_yz[p]
    up_xy[p] = 0.0
    up_xz[p] = 0.0
    up_yz[p] = 0.0
    down_xy[p] = 0.0
    down_xz[p] = 0.0
    down_yz[p] = 0.0
