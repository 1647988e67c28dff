"""Deterministic node positions shared by the interactive pages and the static figures.

Each connected component is laid out on its own (networkx ``spring_layout`` up to
:data:`SPRING_MAX_NODES` nodes, igraph's Fruchterman–Reingold above, both seeded), scaled so that
nodes sit about as densely in every component, and the components are packed in rows, largest
first, with the isolates in a grid at the end. A view therefore shows the structure instead of a
main cluster squeezed into the middle by isolates pushed to the rim.
"""

from __future__ import annotations

import math
import sys
from bisect import bisect_right

import networkx as nx

__all__ = ["SPRING_MAX_NODES", "OVERLAP_FILTER_MIN_NODES", "OVERLAP_COMPILED_MIN_NODES", "OVERLAP_IMPORT_NUMBA_MIN_NODES", "compute_layout", "remove_overlaps"]

SPRING_MAX_NODES = 300

OVERLAP_FILTER_MIN_NODES = 500
"""From this many nodes :func:`remove_overlaps` looks only at the pairs that can overlap
(:func:`_sweeps_filtered`): the same result, a third of the CPU on an H2020 view."""

OVERLAP_COMPILED_MIN_NODES = 200
"""From this many nodes :func:`remove_overlaps` runs its compiled sweeps
(:mod:`samverkan.views.overlap_kernel`, the same bits) when numba is already loaded."""

OVERLAP_IMPORT_NUMBA_MIN_NODES = 3000
"""From this many nodes :func:`remove_overlaps` loads numba for its compiled sweeps: loading it
costs more than the sweeps of smaller views (the views of ``analyse`` have at most 1,500 nodes)."""


def compute_layout(G, *, seed: int = 42) -> dict:
    """Positions for every node of `G`, the same for the same graph and seed.

    Parameters
    ----------
    G : networkx.Graph
        Any graph (directed graphs are laid out as undirected). Node keys must sort as strings.
    seed : int, optional
        Seed of the layout algorithms.

    Returns
    -------
    dict
        ``{node: (x, y)}`` with the drawing centred on (0, 0) and its larger side spanning
        [-1, 1]; the aspect ratio is kept. The result does not depend on the order in which nodes
        or edges were added.

    Notes
    -----
    igraph's layout draws from igraph's random number generator, which is set to a
    ``random.Random(seed)`` for the call and reset to the :mod:`random` module afterwards
    (igraph's default).

    Examples
    --------
    >>> pos = compute_layout(nx.path_graph(4), seed=1)
    >>> pos == compute_layout(nx.path_graph(4), seed=1)
    True
    >>> round(max(max(abs(x), abs(y)) for x, y in pos.values()), 6)
    1.0
    """
    nodes = sorted(G.nodes, key=str)
    if not nodes:
        return {}
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    U = G.to_undirected(as_view=True) if G.is_directed() else G
    components = [sorted(c, key=str) for c in nx.connected_components(U)]
    components.sort(key=lambda c: (-len(c), str(c[0])))
    singles = [c[0] for c in components if len(c) == 1]
    # blocks: (width, height, {node: (x, y)} with the box's lower-left corner at 0, 0)
    blocks = [_component_block(U, comp, seed) for comp in components if len(comp) > 1]
    raw = _pack(blocks, singles)
    xs = [p[0] for p in raw.values()]
    ys = [p[1] for p in raw.values()]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    half = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 or 1.0
    return {n: ((x - cx) / half, (y - cy) / half) for n, (x, y) in raw.items()}


def remove_overlaps(positions: dict, radii: dict, *, padding: float = 4.0, iterations: int = 60) -> dict:
    """Push apart nodes whose discs overlap, moving each as little as possible.

    Parameters
    ----------
    positions : dict
        ``{node: (x, y)}`` in the same unit as `radii` (pixels for the pages, points for figures).
    radii : dict
        ``{node: radius}``.
    padding : float, optional
        Space to keep between two discs.
    iterations : int, optional
        Upper bound on the number of sweeps; it stops early once nothing overlaps.

    Returns
    -------
    dict
        New ``{node: (x, y)}``; deterministic (nodes are visited in id order, a spatial grid keeps
        it near linear; each sweep pushes the overlapping pairs apart one after another, so a
        push moves the nodes that later pairs are measured from). From
        :data:`OVERLAP_COMPILED_MIN_NODES` nodes when numba is already loaded (a large package's
        analysis loads it), or from :data:`OVERLAP_IMPORT_NUMBA_MIN_NODES` nodes, the sweeps run
        compiled (:mod:`samverkan.views.overlap_kernel`): the same operations in the same order,
        the same bits, about 25 times faster on a 1,500-node view.

    Examples
    --------
    >>> out = remove_overlaps({"a": (0.0, 0.0), "b": (1.0, 0.0)}, {"a": 5, "b": 5}, padding=0)
    >>> round(out["b"][0] - out["a"][0], 6)
    10.0
    """
    nodes = sorted(positions, key=str)
    count = len(nodes)
    if count < 2:
        return dict(positions)
    # nodes by number in id order; a pair (n, m) is looked at from n when m's id sorts after n's
    keys = [str(n) for n in nodes]
    xs = [float(positions[n][0]) for n in nodes]
    ys = [float(positions[n][1]) for n in nodes]
    rs = [radii[n] for n in nodes]
    last = [bisect_right(keys, key) - 1 for key in keys]  # the last node whose id sorts no later
    cell = 2 * max(rs) + padding
    if _compiled_pays(count) and _sweeps_compiled(keys, xs, ys, rs, last, padding, cell, iterations):
        pass  # the compiled sweeps moved them
    elif count >= OVERLAP_FILTER_MIN_NODES and cell > 0 and _filter_is_safe(xs, ys, cell):
        _sweeps_filtered(keys, xs, ys, rs, last, padding, cell, iterations)
    else:
        _sweeps(keys, xs, ys, rs, last, padding, cell, iterations)
    return {n: (xs[k], ys[k]) for k, n in enumerate(nodes)}


def _compiled_pays(count: int) -> bool:
    """True when the compiled sweeps cost less than the Python ones: numba is loaded (or worth loading) and the view is not small."""
    return count >= OVERLAP_IMPORT_NUMBA_MIN_NODES or (count >= OVERLAP_COMPILED_MIN_NODES and "numba" in sys.modules)


def _plain_number(value) -> bool:
    """A radius or padding the kernel adds as Python does: a finite float, or an int small enough that its squares stay exact."""
    if isinstance(value, float):
        return math.isfinite(value)
    return type(value) is int and abs(value) <= 2**24


def _sweeps_compiled(keys, xs, ys, rs, last, padding, cell, iterations) -> bool:
    """:func:`_sweeps` compiled (:func:`samverkan.views.overlap_kernel.sweeps`, the same bits), moving
    ``xs`` and ``ys`` in place; False (nothing moved) when the numbers are not ones the kernel
    computes with exactly as Python does (e.g. numpy float32 radii, coordinates beyond 2**50 cells)."""
    if not (cell > 0 and math.isfinite(cell) and _plain_number(padding) and all(map(_plain_number, rs))):
        return False
    extent = max(max(map(abs, xs)), max(map(abs, ys)))
    if not (math.isfinite(extent) and extent / cell < 2.0**50):
        return False
    import numpy as np

    from samverkan.views import overlap_kernel

    angles = range(360)
    cos_deg = np.array([math.cos(math.radians(a)) for a in angles])
    sin_deg = np.array([math.sin(math.radians(a)) for a in angles])
    angle_of = np.array([_angle_seed(key) % 360 for key in keys], dtype=np.int64)  # (a·7 + b·13) mod 360 is unchanged by a mod 360 first
    x_arr, y_arr = np.array(xs, dtype=np.float64), np.array(ys, dtype=np.float64)
    radius = np.array(rs, dtype=np.float64)
    done = overlap_kernel.sweeps(x_arr, y_arr, radius, np.array(last, dtype=np.int64), angle_of, cos_deg, sin_deg, float(padding), float(cell), int(iterations))
    if not done:
        return False
    xs[:] = x_arr.tolist()
    ys[:] = y_arr.tolist()
    return True


def _angle_seed(key: str) -> int:
    """A node's share of the direction that parts two nodes on the same spot (fixed by its id)."""
    return sum(map(ord, key))


def _part(keys, k, m, need):
    """The push that parts nodes ``k`` and ``m`` on the same spot: a direction fixed by their ids, and the distance each moves."""
    angle = (_angle_seed(keys[k]) * 7 + _angle_seed(keys[m]) * 13) % 360
    return math.cos(math.radians(angle)), math.sin(math.radians(angle)), need / 2


def _sweeps(keys, xs, ys, rs, last, padding, cell, iterations) -> None:
    """The sweeps of :func:`remove_overlaps`, moving ``xs`` and ``ys`` in place: every pair in
    neighbouring grid cells is measured."""
    floor = math.floor
    count = len(xs)
    for _ in range(iterations):
        grid: dict = {}
        for k in range(count):
            grid.setdefault((floor(xs[k] / cell), floor(ys[k] / cell)), []).append(k)
        around: dict = {}  # the nodes in a cell and the eight around it, as the sweep began
        moved = False
        for k in range(count):
            x, y, r = xs[k], ys[k], rs[k]
            here = (floor(x / cell), floor(y / cell))
            near = around.get(here)
            if near is None:
                near = around[here] = _near(grid, here)
            after = last[k]
            for m in near:
                if m <= after:
                    continue
                dx = xs[m] - x
                dy = ys[m] - y
                need = r + rs[m] + padding
                dist2 = dx * dx + dy * dy
                if dist2 >= need * need:
                    continue
                x, y = _push_apart(keys, xs, ys, k, m, x, y, dist2, need)
                moved = True
        if not moved:
            break


def _push_apart(keys, xs, ys, k, m, x, y, dist2, need):
    """Part the overlapping nodes ``k`` (at ``x, y``) and ``m`` (``need`` apart at least, ``dist2``
    the squared distance now), each by half the overlap, in ``xs`` and ``ys``; return k's new place."""
    dist = math.sqrt(dist2)
    if dist < 1e-9:  # same spot
        ux, uy, push = _part(keys, k, m, need)
    else:
        ux, uy, push = (xs[m] - x) / dist, (ys[m] - y) / dist, (need - dist) / 2
    x -= ux * push
    y -= uy * push
    xs[k], ys[k] = x, y
    xs[m] += ux * push
    ys[m] += uy * push
    return x, y


def _cells_around(here) -> list:
    """Grid cell ``here`` and the eight around it, by column then row."""
    cx, cy = here
    return [(gx, gy) for gx in (cx - 1, cx, cx + 1) for gy in (cy - 1, cy, cy + 1)]


def _near(grid, here) -> list:
    """The nodes (in grid order) of cell ``here`` and the eight around it, the order the sweeps measure them in."""
    return [m for cell in _cells_around(here) for m in grid.get(cell, ())]


def _grid(cells) -> dict:
    """The nodes (by number, in order) of each grid cell."""
    grid: dict = {}
    for k, here in enumerate(cells):
        grid.setdefault(here, []).append(k)
    return grid


def _filter_is_safe(xs, ys, cell) -> bool:
    """True when every coordinate is finite and rounding this far from 0 stays far below the filter's margin."""
    extent = max(max(map(abs, xs)), max(map(abs, ys)))
    return math.isfinite(extent + sum(xs) + sum(ys)) and extent * 1e-9 < cell * 0.01


# the filter's reach (a share of a grid cell) and when its reference is taken again (a 1/RECOMPUTE share of the nodes moved further than half the reach)
GAP, RECOMPUTE = 0.2, 50


def _sweeps_filtered(keys, xs, ys, rs, last, padding, cell, iterations) -> None:
    """:func:`_sweeps`, measuring only the pairs that can overlap when they are reached: the same pushes in the same order.

    A pair that is skipped because it does not overlap changes nothing, so leaving it out keeps
    every bit. At reference positions the pairs within ``gap`` (a fifth of a cell) of overlapping
    are found at once (scipy's KD-tree); two nodes each moved by less than ``gap / 2.2`` since
    then cannot have closed a larger gap. So a node that has moved further, or whose grid cell
    changed in the sweep, is measured against every node near it as in :func:`_sweeps`; any other
    is measured against its pairs found at the reference and against the nodes near it that have
    moved further, each list in the order :func:`_sweeps` visits it. The reference is taken again
    when a twentieth of the nodes have moved further. After the first sweeps most nodes move by
    less than a pixel, so few pairs are left to measure.
    """
    import numpy as np
    from scipy.spatial import cKDTree

    floor, hypot = math.floor, math.hypot
    count = len(xs)
    gap = cell * GAP
    far = gap / 2.2  # two nodes each moved less than this closed less than `gap` minus a margin for rounding
    radius = np.array(rs, dtype=float)
    later = np.array(last)
    far_moved = None
    for _ in range(iterations):
        sx, sy = np.array(xs), np.array(ys)
        if far_moved is None or sum(far_moved) * RECOMPUTE > count:
            # the reference: the pairs (a, b), b looked at from a, within `gap` of overlapping
            ref_x, ref_y = list(xs), list(ys)
            pair_a, pair_b = cKDTree(np.column_stack([sx, sy])).query_pairs(cell + gap, output_type="ndarray").T
            keep = pair_b > later[pair_a]
            pair_a, pair_b = pair_a[keep], pair_b[keep]
            keep = np.hypot(sx[pair_b] - sx[pair_a], sy[pair_b] - sy[pair_a]) < radius[pair_a] + radius[pair_b] + padding + gap
            pair_a, pair_b = pair_a[keep], pair_b[keep]
            far_moved = [False] * count
        gx, gy = np.floor(sx / cell).astype(np.int64), np.floor(sy / cell).astype(np.int64)
        cells = list(zip(gx.tolist(), gy.tolist()))
        grid = None  # the nodes by the cell they began this sweep in, when a node is measured against all near it
        # the pairs in neighbouring cells as this sweep began, in the order _sweeps visits them:
        # by a, then b's cell around a's, then b; node k's are close[bounds[k]:bounds[k + 1]]
        a, b = pair_a, pair_b
        keep = (np.abs(gx[a] - gx[b]) <= 1) & (np.abs(gy[a] - gy[b]) <= 1)
        a, b = a[keep], b[keep]
        slot = (gx[b] - gx[a] + 1) * 3 + (gy[b] - gy[a] + 1)
        order = np.argsort((a * 9 + slot) * count + b)
        a, close = a[order], b[order].tolist()
        bounds = np.searchsorted(a, np.arange(count + 1)).tolist()
        around: dict = {}
        movers_near: dict = {}  # the nodes moved further than `far`, by the cells around the one they began this sweep in
        moved = False

        def near_mover(m, cells=cells, movers_near=movers_near):
            for around_cell in _cells_around(cells[m]):
                movers_near.setdefault(around_cell, []).append(m)

        for m in range(count):
            if far_moved[m]:
                near_mover(m)

        for k in range(count):
            x, y, r = xs[k], ys[k], rs[k]
            here = (floor(x / cell), floor(y / cell))
            after = last[k]
            if here == cells[k] and not far_moved[k]:
                cx, cy = here
                listed = close[bounds[k] : bounds[k + 1]]
                extra = movers_near.get(here)
                if extra and any(m > after for m in extra):
                    extra = [m for m in extra if m > after]
                    listed = sorted(set(listed).union(extra), key=lambda m: ((cells[m][0] - cx + 1) * 3 + cells[m][1] - cy + 1, m))
                rest = None
                for m in listed:
                    dx = xs[m] - x
                    dy = ys[m] - y
                    need = r + rs[m] + padding
                    dist2 = dx * dx + dy * dy
                    if dist2 >= need * need:
                        continue
                    x, y = _push_apart(keys, xs, ys, k, m, x, y, dist2, need)
                    moved = True
                    if not far_moved[m] and hypot(xs[m] - ref_x[m], ys[m] - ref_y[m]) >= far:
                        far_moved[m] = True
                        near_mover(m)
                    if hypot(x - ref_x[k], y - ref_y[k]) >= far:  # from here on every node near it is measured
                        far_moved[k] = True
                        near_mover(k)
                        near = around.get(here)
                        if near is None:
                            grid = _grid(cells) if grid is None else grid
                            near = around[here] = _near(grid, here)
                        rest = near[near.index(m) + 1 :]
                        break
                if rest is None:
                    continue
            else:
                near = around.get(here)
                if near is None:
                    grid = _grid(cells) if grid is None else grid
                    near = around[here] = _near(grid, here)
                rest = near
            for m in rest:
                if m <= after:
                    continue
                dx = xs[m] - x
                dy = ys[m] - y
                need = r + rs[m] + padding
                dist2 = dx * dx + dy * dy
                if dist2 >= need * need:
                    continue
                x, y = _push_apart(keys, xs, ys, k, m, x, y, dist2, need)
                moved = True
                if not far_moved[m] and hypot(xs[m] - ref_x[m], ys[m] - ref_y[m]) >= far:
                    far_moved[m] = True
                    near_mover(m)
            if not far_moved[k] and hypot(x - ref_x[k], y - ref_y[k]) >= far:
                far_moved[k] = True
                near_mover(k)
        if not moved:
            break


def _component_block(G, comp: list, seed: int):
    """Lay out one connected component in a box whose side grows with the root of its size."""
    n = len(comp)
    if n == 2:
        pos = {comp[0]: (0.0, 0.0), comp[1]: (1.0, 0.0)}
    else:
        H = nx.Graph()
        H.add_nodes_from(comp)
        whole = G if len(comp) == G.number_of_nodes() else G.subgraph(comp)  # (one component: the graph itself, not a filtered view)
        H.add_edges_from(sorted((tuple(sorted((u, v), key=str)) for u, v in whole.edges()), key=str))
        pos = _spring(H, seed) if n <= SPRING_MAX_NODES else _fruchterman_reingold(H, seed)
        pos = _pull_in_leaves(H, pos)
    side = 1.6 * math.sqrt(n)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    span = max(x1 - x0, y1 - y0) or 1.0
    k = side / span
    placed = {v: ((x - x0) * k, (y - y0) * k) for v, (x, y) in pos.items()}
    width = (x1 - x0) * k
    height = (y1 - y0) * k
    return width, height, placed


def _pull_in_leaves(H, pos: dict) -> dict:
    """Bring nodes with one tie back to a typical tie length from their neighbour.

    Force-directed layouts fling such leaves far out when their neighbour sits in a dense
    cluster (all of the cluster pushes them, one tie pulls), stretching the drawing.
    """
    lengths = sorted(math.dist(pos[u], pos[v]) for u, v in H.edges() if H.degree(u) > 1 and H.degree(v) > 1)
    if not lengths:
        return pos
    typical = lengths[len(lengths) // 2]
    out = dict(pos)
    for leaf in H.nodes:
        if H.degree(leaf) != 1:
            continue
        (anchor,) = H.neighbors(leaf)
        dx, dy = pos[leaf][0] - pos[anchor][0], pos[leaf][1] - pos[anchor][1]
        length = math.hypot(dx, dy)
        if length > 1.5 * typical > 0:
            k = 1.2 * typical / length
            out[leaf] = (pos[anchor][0] + dx * k, pos[anchor][1] + dy * k)
    return out


def _pack(blocks, singles):
    """Shelf packing: rows of boxes, largest first, about as wide as the whole is tall; then the
    isolates in rows of their own underneath, closer together than nodes in a component."""
    gap, step = 1.0, 0.8
    area = sum((w + gap) * (h + gap) for w, h, _ in blocks) + len(singles) * step * step
    row_width = max([w for w, _, _ in blocks] + [math.sqrt(area) * 1.3])
    out = {}
    x = y = row_height = 0.0
    for w, h, placed in blocks:
        if x > 0 and x + w > row_width:
            y -= row_height + gap
            x = row_height = 0.0
        for v, (px, py) in placed.items():
            out[v] = (x + px, y - h + py)
        x += w + gap
        row_height = max(row_height, h)
    if singles:
        per_row = max(1, int(row_width // step) + 1)
        top = y - row_height - gap if blocks else 0.0
        for i, v in enumerate(singles):
            out[v] = ((i % per_row) * step, top - (i // per_row) * step)
    return out


def _spring(H, seed: int) -> dict:
    pos = nx.spring_layout(H, seed=seed, iterations=100, weight=None)
    return {v: (float(p[0]), float(p[1])) for v, p in pos.items()}


def _fruchterman_reingold(H, seed: int) -> dict:
    import random

    from ..graph.igraph_module import igraph_module

    igraph = igraph_module()

    order = list(H.nodes)
    index = {v: i for i, v in enumerate(order)}
    g = igraph.Graph(n=len(order), edges=[(index[u], index[v]) for u, v in H.edges()])
    igraph.set_random_number_generator(random.Random(seed))
    try:
        coords = g.layout_fruchterman_reingold(niter=500).coords
    finally:
        igraph.set_random_number_generator(random)
    return {v: (float(coords[i][0]), float(coords[i][1])) for i, v in enumerate(order)}
