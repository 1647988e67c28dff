"""Compiled sweeps of :func:`samverkan.views.layout.remove_overlaps` for large views.

Used by :mod:`samverkan.views.layout` only when numba is already loaded in the process (a large
package's analysis loads it for the path searches) or the view is very large, so small packages
never import numba. It moves every node exactly as the pure-Python sweeps
(``layout._sweeps``, and ``layout._sweeps_filtered`` which gives the same bits) move it:

* Nodes are visited in id order; node ``k`` is measured against the nodes ``m`` that sort after
  it (``m > last[k]``) in the grid cell it is in when it is reached and the eight around it, by
  column then row, each cell's nodes in id order, with the grid as the sweep began. Here the
  grid is the nodes sorted (stably) by column, row and id; the three cells of one column are one
  run of that order, found by binary search.
* Every floating-point operation is the Python path's, in the same order (``dx * dx + dy * dy``,
  ``r + rs[m] + padding``, the same divisions and square root; numba is called without
  ``fastmath``, so nothing is reassociated or fused). Grid cells are ``floor(x / cell)`` as
  64-bit integers; the caller checks the coordinates are finite and far inside that range, and a
  node leaving it on the way makes the kernel give up (status ``False``) so the caller can run the
  Python path instead.
* The direction that parts two nodes on the same spot is read from tables of
  ``math.cos``/``math.sin`` of whole degrees made by the caller with the same functions, and the
  angle from each id's sum of character codes modulo 360: the same angle, the same bits.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

__all__ = ["sweeps", "CELL_LIMIT"]

CELL_LIMIT = 2.0**60
"""Grid cells (``floor(x / cell)``) beyond this size mean the kernel gives up (64-bit integers)."""

DENSE_CELLS_PER_NODE, DENSE_CELLS_MIN = 8, 4096
"""The grid is a table of every cell in the drawing's box when it has at most this many cells
per node (plus the minimum); otherwise (a few nodes far out) the nodes are sorted by cell and
searched."""


@nb.njit(cache=True, nogil=True)
def _first_at_or_after(sgx, sgy, qx, qy):  # pragma: no cover - compiled
    """The first place in the (column, row)-sorted grid whose cell is not before ``(qx, qy)``."""
    lo = 0
    hi = len(sgx)
    while lo < hi:
        mid = (lo + hi) >> 1
        if sgx[mid] < qx or (sgx[mid] == qx and sgy[mid] < qy):
            lo = mid + 1
        else:
            hi = mid
    return lo


@nb.njit(cache=True, nogil=True)
def _sort_by_cell(gx, gy, order, spare):  # pragma: no cover - compiled
    """Fill ``order`` with the nodes sorted by column ``gx``, row ``gy`` and number: a bottom-up merge sort."""
    count = len(gx)
    for k in range(count):
        order[k] = k
    width = 1
    in_spare = False  # whether the last pass wrote into `spare`
    while width < count:
        source = spare if in_spare else order
        target = order if in_spare else spare
        for low in range(0, count, 2 * width):
            middle = min(low + width, count)
            high = min(low + 2 * width, count)
            a = low
            b = middle
            for out in range(low, high):
                if a < middle and b < high:
                    i = source[a]
                    j = source[b]
                    take_a = gx[i] < gx[j] or (gx[i] == gx[j] and (gy[i] < gy[j] or (gy[i] == gy[j] and i < j)))
                else:
                    take_a = a < middle
                if take_a:
                    target[out] = source[a]
                    a += 1
                else:
                    target[out] = source[b]
                    b += 1
        in_spare = not in_spare
        width *= 2
    if in_spare:
        for k in range(count):  # a loop: slice assignment costs seconds of compiling
            order[k] = spare[k]


@nb.njit(cache=True, nogil=True)
def sweeps(xs, ys, rs, last, angle_of, cos_deg, sin_deg, padding, cell, iterations):  # pragma: no cover - compiled
    """The sweeps of ``layout._sweeps`` on arrays, moving ``xs`` and ``ys`` in place.

    Parameters
    ----------
    xs, ys : float64 arrays
        Positions, nodes numbered in id order.
    rs : float64 array
        Radii.
    last : int64 array
        ``last[k]``: the last node whose id sorts no later than node ``k``'s.
    angle_of : int64 array
        Each id's sum of character codes, modulo 360.
    cos_deg, sin_deg : float64 arrays
        ``math.cos(math.radians(a))`` and ``math.sin(math.radians(a))`` for ``a`` in 0..359.
    padding, cell : float
        As in ``layout.remove_overlaps`` (``cell > 0``).
    iterations : int
        Upper bound on the number of sweeps.

    Returns
    -------
    bool
        False when a grid cell left the 64-bit range (``xs`` and ``ys`` are then half-moved and
        must be thrown away).
    """
    count = len(xs)
    gx = np.empty(count, dtype=np.int64)
    gy = np.empty(count, dtype=np.int64)
    order = np.empty(count, dtype=np.int64)
    spare = np.empty(count, dtype=np.int64)
    sgx = np.empty(count, dtype=np.int64)
    sgy = np.empty(count, dtype=np.int64)
    dense_limit = DENSE_CELLS_PER_NODE * count + DENSE_CELLS_MIN
    for _ in range(iterations):
        for k in range(count):
            fx = np.floor(xs[k] / cell)
            fy = np.floor(ys[k] / cell)
            if not (abs(fx) < CELL_LIMIT and abs(fy) < CELL_LIMIT):
                return False
            gx[k] = np.int64(fx)
            gy[k] = np.int64(fy)
        # the grid as the sweep began: nodes by column, then row, then id
        x0 = gx[0]
        y0 = gy[0]
        x1 = gx[0]
        y1 = gy[0]
        for k in range(1, count):
            x0 = min(x0, gx[k])
            y0 = min(y0, gy[k])
            x1 = max(x1, gx[k])
            y1 = max(y1, gy[k])
        width = x1 - x0 + 1
        height = y1 - y0 + 1
        dense = width <= dense_limit and height <= dense_limit and width * height <= dense_limit
        if dense:  # a table of all cells in the drawing's box: a counting sort, and the three cells of a column found at once
            start = np.empty(width * height + 1, dtype=np.int64)
            for c in range(width * height + 1):
                start[c] = 0
            for k in range(count):
                start[(gx[k] - x0) * height + gy[k] - y0 + 1] += 1
            for c in range(width * height):
                start[c + 1] += start[c]
            fill = np.empty(width * height, dtype=np.int64)
            for c in range(width * height):
                fill[c] = start[c]
            for k in range(count):
                c = (gx[k] - x0) * height + gy[k] - y0
                order[fill[c]] = k
                fill[c] += 1
        else:  # a few nodes far from the rest: the nodes sorted by cell (a merge sort) and searched
            start = np.empty(1, dtype=np.int64)
            _sort_by_cell(gx, gy, order, spare)
            for p in range(count):
                sgx[p] = gx[order[p]]
                sgy[p] = gy[order[p]]
        moved = False
        for k in range(count):
            x = xs[k]
            y = ys[k]
            r = rs[k]
            fx = np.floor(x / cell)
            fy = np.floor(y / cell)
            if not (abs(fx) < CELL_LIMIT and abs(fy) < CELL_LIMIT):
                return False
            hx = np.int64(fx)
            hy = np.int64(fy)
            after = last[k]
            for column in range(hx - 1, hx + 2):
                if dense:
                    if column < x0 or column >= x0 + width:
                        continue
                    low = max(hy - 1 - y0, 0)
                    high = min(hy + 1 - y0, height - 1)
                    if low > high:
                        continue
                    first = start[(column - x0) * height + low]
                    stop = start[(column - x0) * height + high + 1]
                else:
                    first = _first_at_or_after(sgx, sgy, column, hy - 1)
                    stop = _first_at_or_after(sgx, sgy, column, hy + 2)
                for p in range(first, stop):
                    m = order[p]
                    if m <= after:
                        continue
                    dx = xs[m] - x
                    dy = ys[m] - y
                    need = r + rs[m] + padding
                    dist2 = dx * dx + dy * dy
                    if dist2 >= need * need:
                        continue
                    dist = math.sqrt(dist2)
                    if dist < 1e-9:  # same spot
                        angle = (angle_of[k] * 7 + angle_of[m] * 13) % 360
                        ux = cos_deg[angle]
                        uy = sin_deg[angle]
                        push = need / 2
                    else:
                        ux = (xs[m] - x) / dist
                        uy = (ys[m] - y) / dist
                        push = (need - dist) / 2
                    x -= ux * push
                    y -= uy * push
                    xs[k] = x
                    ys[k] = y
                    xs[m] += ux * push
                    ys[m] += uy * push
                    moved = True
        if not moved:
            break
    return True
