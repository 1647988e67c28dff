"""Structural holes and brokerage roles from one listing of the graph's triangles.

Both measures reduce to sums over triangles (see :mod:`samverkan.metrics.structural_holes`
and :mod:`samverkan.metrics.brokerage` for the definitions and references), so the bridging
table lists the triangles once and feeds both.

Two interchangeable paths walk the triangles. Small graphs use numpy batches
(``structural_holes._arc_triangle_batches``); graphs with at least ``KERNEL_MIN_PAIRS``
candidate pairs (pairs of up-arcs examined by the forward algorithm: 20 million on Horizon
2020) use the compiled kernel of :mod:`samverkan.metrics.triangle_kernels`, which gives the same
numbers bit for bit (same triangles, same order of every floating-point sum). On Horizon 2020
:func:`holes_and_brokerage` takes about 1 CPU second that way instead of 7 (the first run
compiles the kernel, about 9 CPU seconds, cached on disk for later runs). numba is imported only
on that path.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import brokerage as _brokerage
from . import structural_holes as _holes

__all__ = ["holes_and_brokerage", "KERNEL_MIN_PAIRS"]

# From this many examined pairs of up-arcs on, the compiled kernel walks the triangles (the numpy
# path takes about 0.3 µs per pair; below a million pairs it finishes in well under a second).
KERNEL_MIN_PAIRS = 1_000_000


def holes_and_brokerage(G, group_by: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Burt's measures on binary ties and Gould–Fernandez roles by ``group_by``, in node order.

    Returns the frames of :func:`structural_holes.structural_holes` (effective_size,
    efficiency, constraint) and :func:`brokerage.brokerage` (the five roles and
    brokerage_total), computed from one pass over the triangles.
    """
    holes = _holes._HolesAccumulator(G, None)
    broker = _brokerage._BrokerageAccumulator(G, group_by)
    triangle_pass(G.n, holes.i, holes.j, holes=holes, broker=broker)
    return holes.result(), broker.result()


def triangle_pass(n: int, i: np.ndarray, j: np.ndarray, *, holes=None, broker=None, chunk: int | None = None) -> None:
    """Feed every triangle of the graph with edges ``(i[e], j[e])`` to the given accumulators.

    ``holes`` is a ``structural_holes._HolesAccumulator``, ``broker`` a
    ``brokerage._BrokerageAccumulator`` (either may be None); ``chunk`` is the batch size in
    examined pairs (default ``structural_holes._WEDGE_CHUNK``). Both paths give identical totals.
    """
    chunk = _holes._WEDGE_CHUNK if chunk is None else chunk
    i = np.asarray(i, dtype=np.int64)
    j = np.asarray(j, dtype=np.int64)
    if len(i) < 3 or (holes is None and broker is None):
        return
    order, rank = _holes.degree_order(i, j, n)
    up_degree = np.bincount(np.minimum(rank[i], rank[j]), minlength=n)
    if int((up_degree * (up_degree - 1) // 2).sum()) >= KERNEL_MIN_PAIRS:
        _kernel_pass(i, j, n, order, rank, holes, broker, chunk)
        return
    arcs = _holes._forward_arcs(i, j, n, (order, rank))
    for batch in _holes._arc_triangle_batches(arcs, chunk):
        if holes is not None:
            holes.add(batch)
        if broker is not None:
            broker.add(batch)


def _kernel_pass(i, j, n, order, rank, holes, broker, chunk: int) -> None:
    """The compiled path: same triangles, same batches, same sums as the numpy path.

    The kernel works in degree-rank space (node arrays permuted by ``order``, edge arrays by
    ``arcs.edge_of``) so that its memory accesses follow the arcs; the permutations are exact.
    """
    from .triangle_kernels import forward_arcs, triangle_sums

    # writable contiguous copies: one compiled signature whatever the caller's arrays are
    indptr, tail, head, edge_of = forward_arcs(np.array(i, dtype=np.int64), np.array(j, dtype=np.int64), np.array(rank, dtype=np.int64))
    arcs = _holes._ForwardArcs(n, order, tail, head, None, edge_of, indptr)
    m = len(head)
    stops = np.array([stop for _, stop in arcs.batches(chunk)], dtype=np.int64)
    no_float = np.zeros(0)
    no_int = np.zeros(0, dtype=np.int64)
    no_bool = np.zeros(0, dtype=bool)
    # positions of each arc's tail and head
    tail_pos = order[arcs.tail]
    head_pos = order[arcs.head]
    if holes is not None:
        redundancy = holes.redundancy[order]
        node = np.zeros((n, 4))
        node[:, 0] = holes.inv_strength[order]
        node[:, 1] = holes.inv_largest[order]
        up = np.zeros(m)
        down = np.zeros(m)
        unit = bool((holes.w == 1.0).all())  # binary ties: the kernel's shorter exact formulas (w unread)
        holes_args = (True, unit, no_float if unit else holes.w[edge_of], node, np.zeros(n), redundancy, up, down)
    else:
        holes_args = (False, False, no_float, np.zeros((0, 4)), no_float, no_float, no_float, no_float)
    if broker is not None:
        closed = np.zeros((n, 5), dtype=np.int64)
        if broker.all_mutual:
            along = against = no_bool
        else:
            # whether tail → head and head → tail exist (edge row e holds the arc i → j as forward)
            tail_is_i = broker.i[edge_of] == tail_pos
            along = np.where(tail_is_i, broker.forward[edge_of], broker.backward[edge_of])
            against = np.where(tail_is_i, broker.backward[edge_of], broker.forward[edge_of])
        broker_args = (True, broker.g[order], _brokerage._ROLE_TABLE, broker.all_mutual, along, against, closed)
    else:
        broker_args = (False, no_int, _brokerage._ROLE_TABLE, True, no_bool, no_bool, np.zeros((0, 5), dtype=np.int64))
    triangle_sums(arcs.indptr, arcs.head, stops, *holes_args, *broker_args)
    if holes is not None:
        holes.redundancy[order] = redundancy
        # edge row e holds (i, j): slot 2e is i → j when i < j (the numpy path's convention)
        along_slot = 2 * edge_of + (tail_pos > head_pos)
        holes.indirect[along_slot] += up
        holes.indirect[along_slot ^ 1] += down
    if broker is not None:
        if broker.all_mutual:
            from .triangle_kernels import PATTERN_ROLES

            closed = closed[:, :4] @ PATTERN_ROLES
        broker.closed.reshape(n, 5)[order] += closed
