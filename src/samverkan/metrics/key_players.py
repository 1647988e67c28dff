"""Key-player sets: whom the network falls apart without, and who reaches everyone in two steps.

Borgatti (2006) asks two questions of a network. *KPP-Neg*: which set of k organisations, if it
left, would fragment the network most? *KPP-Pos*: which set of k organisations reaches most of
the others? :func:`key_players` answers both for k = 1 … K and returns one row per kind and size.

Definitions
-----------
``kind = "fragment"``
    F = 1 − Σ_c s_c(s_c − 1) / (n(n − 1)) on the network **without** the set, where n is the
    number of organisations left and s_c the sizes of the connected components they form
    (isolates are components of size 1). F is the share of pairs of remaining organisations that
    can no longer reach each other: 0 = still one connected whole, 1 = fully fragmented. Higher
    is more fragmenting; the set with the highest F is reported.
``kind = "reach"``
    The share of the n − k organisations outside the set that lie within distance 2 of at least
    one member (Borgatti's m-reach with m = 2), measured in the whole network (members stay in
    it, so a path may run through another member).

Conventions
-----------
Ties are undirected and binary: a pair is tied when it shares a project (benchmarking roles
excluded by the projection) or has a direct tie, whatever the weight or direction. Sizes k with
fewer than two organisations left (k > n − 2) are skipped with a note.

Search
------
``exact``
    Every set of size k is scored when C(n, k) ≤ ``exact_limit`` (200,000 by default; for
    ``reach`` also only up to ``dense_limit`` organisations). The best set wins; among sets with
    the same score, the one that cuts most ties (``fragment``) or has most direct partners outside
    it (``reach``), then the one whose positions come first in lexicographic order. Size 1 of
    ``fragment`` is exact at any n: one linear pass over the block–cut tree scores every removal.
``heuristic``
    Greedy (add the organisation that improves the score most), then Borgatti's swap
    improvement (replace a member by the outsider that improves the score most, until no swap
    improves it), from the greedy set and from ``starts − 1`` random sets drawn with ``seed``;
    the best result wins. Deterministic for a seed. For ``fragment`` every candidate swap is
    scored at once from the block–cut tree of the network without the other members
    (biconnected components, igraph), so one step costs O(n + m). For ``reach`` on networks of
    more than ``dense_limit`` organisations the candidates are the ``pool`` organisations with
    most partners (a note says so); otherwise every organisation is a candidate. Above
    ``large_limit`` organisations (10,000) ``fragment`` keeps the greedy set without swaps, and
    every heuristic uses one start (notes say so).

References
----------
Borgatti, S. P. (2006). Identifying sets of key players in a social network. Computational and
Mathematical Organization Theory 12, 21–34.
Hopcroft, J. & Tarjan, R. (1973). Algorithm 447: efficient algorithms for graph manipulation.
Communications of the ACM 16, 372–378 (articulation points and biconnected components).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import combinations, compress, pairwise

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

__all__ = [
    "KEY_PLAYERS_LIMIT",
    "benchmark_only",
    "compute_key_players",
    "EXACT_LIMIT",
    "KEY_PLAYER_COLUMNS",
    "KINDS",
    "KeyPlayers",
    "binary_adjacency",
    "fragmentation",
    "key_players",
    "two_step_reach",
]

KINDS = ("fragment", "reach")
KEY_PLAYER_COLUMNS = ["kind", "size", "organisations", "names", "score", "method"]
EXACT_LIMIT = 200_000
DENSE_LIMIT = 3_000
POOL = 50
LARGE_LIMIT = 10_000
COMPILED_ABOVE = 5_000
"""fragment: above this many organisations the compiled search (numba) replaces igraph's block–cut
tree; there betweenness is estimated by compiled searches too (metrics.centrality's exact limit),
so numba is loaded already."""
GATHER_LIMIT = 200  # reach: up to this many candidates, the rows within two steps are gathered (not a sparse product)


@dataclass
class KeyPlayers:
    """The result of :func:`key_players`.

    Attributes
    ----------
    table : DataFrame
        Columns ``kind``, ``size``, ``organisations`` (ids joined by ``|``), ``names`` (joined by
        ``|``), ``score`` (recomputed from scratch for the set found), ``method`` (``exact`` or
        ``heuristic``); one row per kind and size, kinds in the order asked, sizes ascending.
    facts : list of dict
        One per row, for the report's sentences: ``kind``, ``size``, ``positions``, and for
        ``fragment`` ``components_before``/``components_after`` (components among the organisations
        left, isolates counted), ``largest_before``/``largest_after``; for ``reach`` ``reached``
        (organisations outside the set within two steps) and ``outside`` (n − k).
    notes : list of dict
        Structured notes (``code`` plus values) that the text catalogue words: ``heuristic``
        (kind, size, starts, seed), ``reach-pool`` (pool, n), ``skipped-size`` (kind, size, n),
        ``single-start`` (n, dense_limit), ``greedy-only`` (kind, n, large_limit), ``no-fragmentation`` (kind, size: no set of that size
        splits the network; the set shown is the one that cuts most ties).
    """

    table: pd.DataFrame
    facts: list[dict] = field(default_factory=list)
    notes: list[dict] = field(default_factory=list)


def binary_adjacency(graph) -> sp.csr_matrix:
    """Symmetric binary CSR adjacency without loops, from a CollaborationGraph or any square sparse/dense matrix."""
    if hasattr(graph, "edges") and hasattr(graph, "nodes") and {"i", "j"} <= set(graph.edges.columns):
        i = graph.edges["i"].to_numpy(dtype=np.int64)
        j = graph.edges["j"].to_numpy(dtype=np.int64)
        keep = i != j
        rows, cols = np.concatenate([i[keep], j[keep]]), np.concatenate([j[keep], i[keep]])
        matrix = sp.csr_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(graph.n, graph.n))
        matrix.data[:] = 1  # a pair listed twice counts once
        matrix.sort_indices()
        return matrix
    if hasattr(graph, "adjacency") and hasattr(graph, "nodes"):
        matrix = graph.adjacency()
    else:
        matrix = sp.csr_matrix(graph)
    if matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"the adjacency matrix must be square, not {matrix.shape[0]} × {matrix.shape[1]}")
    matrix = sp.csr_matrix(matrix, dtype=float)
    matrix = ((matrix != 0) + (matrix.T != 0)).astype(np.int8).tocsr()
    matrix.setdiag(0)
    matrix.eliminate_zeros()
    matrix.sort_indices()
    return matrix


class _Binary(sp.csr_matrix):
    """An adjacency that is already as :func:`binary_adjacency` makes it (symmetric, binary int8,
    no loops, sorted indices): :func:`key_players` takes it as it is."""


def _edges(A: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    rows = np.repeat(np.arange(A.shape[0], dtype=np.int64), np.diff(A.indptr))
    keep = A.indices > rows
    return rows[keep], A.indices[keep].astype(np.int64)


def _components(n: int, i: np.ndarray, j: np.ndarray, alive: np.ndarray | None = None) -> tuple[int, np.ndarray]:
    keep = np.ones(len(i), dtype=bool) if alive is None else alive[i] & alive[j]
    matrix = sp.csr_matrix((np.ones(int(keep.sum()), dtype=np.int8), (i[keep], j[keep])), shape=(n, n))
    return connected_components(matrix, directed=False)


def fragmentation(graph, removed=()) -> float:
    """Borgatti's F of the network without ``removed`` (positions): 1 − Σ s_c(s_c − 1)/(n(n − 1)).

    n is the number of organisations left and s_c the sizes of their components; NaN when fewer
    than two are left. Computed from scratch (scipy connected components), for checking.

    Examples
    --------
    >>> import numpy as np
    >>> path = np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]])
    >>> fragmentation(path), fragmentation(path, [1])
    (0.0, 1.0)
    """
    return _fragmentation(binary_adjacency(graph), removed)


def _fragmentation(A: sp.csr_matrix, removed) -> float:
    n = A.shape[0]
    alive = np.ones(n, dtype=bool)
    alive[list(removed)] = False
    left = int(alive.sum())
    if left < 2:
        return math.nan
    i, j = _edges(A)
    _, labels = _components(n, i, j, alive)
    sizes = np.bincount(labels[alive]).astype(float)
    return float(1.0 - (sizes * (sizes - 1)).sum() / (left * (left - 1)))


def two_step_reach(graph, members) -> float:
    """Share of the organisations outside ``members`` (positions) within distance 2 of some member.

    NaN when no organisation is outside. Computed from scratch (two sparse products), for checking.

    Examples
    --------
    >>> import numpy as np
    >>> path = np.array([[0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 1], [0, 0, 1, 0]])
    >>> two_step_reach(path, [0])  # 1 and 2 within two steps, 3 not: 2 of 3
    0.6666666666666666
    """
    return _two_step_reach(binary_adjacency(graph), members)


def _two_step_reach(A: sp.csr_matrix, members) -> float:
    n = A.shape[0]
    members = list(members)
    outside = n - len(set(members))
    if outside <= 0:
        return math.nan
    x = np.zeros(n)
    x[members] = 1.0
    one = A @ x
    two = A @ one
    covered = (x > 0) | (one > 0) | (two > 0)
    covered[members] = False
    return float(covered.sum() / outside)


# ---------------------------------------------------------------------------------------------
# fragment: every single removal at once, from the block–cut tree


class _Fragment:
    """Scores F(G − T − v) for every v, given a removed set T, in O(n + m)."""

    def __init__(self, A: sp.csr_matrix):
        self.A = A
        self.n = A.shape[0]
        self.i, self.j = _edges(A)
        self._graph = None
        self._cache: dict[frozenset, np.ndarray] = {}
        self._best: dict[frozenset, tuple[int, tuple]] = {}

    def _igraph(self):
        from ..graph.igraph_module import igraph_module

        ig = igraph_module()

        if self._graph is None:  # built once; each removal works on a copy (C speed)
            self._graph = ig.Graph(n=self.n, edges=list(zip(self.i.tolist(), self.j.tolist())), directed=False)
        return self._graph

    def score_set(self, removed) -> float:
        alive = np.ones(self.n, dtype=bool)
        alive[list(removed)] = False
        left = int(alive.sum())
        if left < 2:
            return math.nan
        _, labels = _components(self.n, self.i, self.j, alive)
        sizes = np.bincount(labels[alive]).astype(float)
        return float(1.0 - (sizes * (sizes - 1)).sum() / (left * (left - 1)))

    def touched(self, removed) -> int:
        """Ties with at least one end in ``removed``."""
        alive = np.ones(self.n, dtype=bool)
        alive[list(removed)] = False
        return int(len(self.i) - (alive[self.i] & alive[self.j]).sum())

    def key(self, removed) -> tuple:
        """(F rounded to 12 decimals, ties removed): the heuristic's order; ties break a plateau of equal F."""
        return (round(self.score_set(removed), 12), self.touched(removed))

    def best_with(self, others) -> tuple[int, tuple]:
        """The organisation whose removal with ``others`` scores highest by :meth:`key`, and that key."""
        key = frozenset(int(r) for r in others)
        if key not in self._best:  # the greedy sets of sizes 1, 2, 3 ask for the same steps again
            self._best[key] = self._best_with(others)
        return self._best[key]

    def _best_with(self, others) -> tuple[int, tuple]:
        scores = np.round(self.after_each(others), 12)
        alive = np.ones(self.n, dtype=bool)
        alive[list(others)] = False
        degree = np.bincount(self.i[alive[self.j]], minlength=self.n) + np.bincount(self.j[alive[self.i]], minlength=self.n)
        top = np.nanmax(scores)
        tied = np.flatnonzero(scores == top)
        where = int(tied[np.argmax(degree[tied])])
        return where, (float(top), self.touched(list(others)) + int(degree[where]))

    def after_each(self, removed) -> np.ndarray:
        """F of the network without ``removed`` and v, for every position v (NaN for v in ``removed``)."""
        key = frozenset(int(r) for r in removed)
        if key not in self._cache:
            self._cache[key] = self._after_each(sorted(key))
        return self._cache[key]

    def _after_each(self, removed) -> np.ndarray:
        n = self.n
        alive = np.ones(n, dtype=bool)
        alive[list(removed)] = False
        if n > COMPILED_ABOVE:  # one compiled depth-first search (key_player_kernels), same numbers
            from .key_player_kernels import pieces_after_each

            size_of, pieces = pieces_after_each(self.A.indptr, self.A.indices, alive)
            total = float((size_of - 1)[alive].sum())  # Σ s (s − 1) over the components: s − 1 per member
        else:
            size_of, pieces, total = self._pieces(removed, alive)
        left = alive.sum() - 1
        after = total - size_of * (size_of - 1) + pieces
        with np.errstate(invalid="ignore", divide="ignore"):
            scores = 1.0 - after / (left * (left - 1)) if left >= 2 else np.full(n, np.nan)
        scores = np.asarray(scores, dtype=float)
        scores[~alive] = np.nan
        return scores

    def _pieces(self, removed, alive) -> tuple[np.ndarray, np.ndarray, float]:
        """Per vertex the size of its component (0 when removed) and Σ s (s − 1) over the pieces its
        removal leaves of it; and Σ s (s − 1) over all components. From igraph's block–cut tree."""
        from ..graph.igraph_module import igraph_module

        ig = igraph_module()

        n = self.n
        keep = alive[self.i] & alive[self.j]
        i, j = self.i[keep], self.j[keep]
        g = self._igraph()
        if len(removed):
            g = g.copy()
            g.delete_edges(np.flatnonzero(~keep).tolist())  # the remaining edges keep their order: i, j above
        labels = np.asarray(g.connected_components().membership, dtype=np.int64)
        sizes = np.bincount(labels, minlength=n)
        size_of = sizes[labels].astype(float)
        size_of[~alive] = 0
        alive_sizes = np.bincount(labels[alive], minlength=len(sizes)).astype(float)
        total = float((alive_sizes * (alive_sizes - 1)).sum())
        # default (v not an articulation point): its component shrinks by one
        pieces = (size_of - 1) * (size_of - 2)
        pieces[size_of <= 1] = 0.0
        edge_blocks, points = ig.GraphBase.biconnected_components(g, True)  # blocks as lists of edge ids
        if len(points):
            # block–cut tree: blocks 0..nb-1, articulation points nb.., a virtual root joining the trees
            points = np.asarray(points, dtype=np.int64)
            counts = np.fromiter((len(b) for b in edge_blocks), dtype=np.int64, count=len(edge_blocks))
            edge_ids = np.fromiter((e for b in edge_blocks for e in b), dtype=np.int64, count=int(counts.sum()))
            edge_block = np.repeat(np.arange(len(edge_blocks), dtype=np.int64), counts)
            pairs = np.unique(np.concatenate([edge_block * n + i[edge_ids], edge_block * n + j[edge_ids]]))
            block_of, flat = pairs // n, pairs % n  # the vertices of every block
            lengths = np.bincount(block_of, minlength=len(edge_blocks))
            ap_index = np.full(n, -1, dtype=np.int64)
            ap_index[points] = np.arange(len(points))
            is_ap = ap_index[flat] >= 0
            nb = len(edge_blocks)
            tree_n = nb + len(points)
            weight = np.zeros(tree_n + 1)
            weight[:nb] = lengths - np.bincount(block_of[is_ap], minlength=nb)
            weight[nb:tree_n] = 1.0
            tree = ig.Graph(n=tree_n + 1, directed=False)
            tree.add_edges(np.column_stack([block_of[is_ap], nb + ap_index[flat[is_ap]]]))
            tree_labels = np.asarray(tree.connected_components().membership, dtype=np.int64)[:tree_n]
            _, roots = np.unique(tree_labels, return_index=True)  # first node of each tree
            tree.add_edges(np.column_stack([np.full(len(roots), tree_n), roots]))
            order, layers, parent = tree.bfs(tree_n)
            order, parent = np.asarray(order, dtype=np.int64), np.asarray(parent, dtype=np.int64)
            sub = weight.copy()
            for start, stop in reversed(list(pairwise(layers[1:]))):  # deepest layer first
                level = order[start:stop]
                np.add.at(sub, parent[level], sub[level])
            parents = parent[:nb]  # a block's parent is an articulation point or the virtual root
            child_of_ap = parents < tree_n
            weights = sub[:nb][child_of_ap]
            sq = np.bincount(parents[child_of_ap], weights=weights * (weights - 1), minlength=tree_n + 1)
            total_child = np.bincount(parents[child_of_ap], weights=weights, minlength=tree_n + 1)
            tree_ap = nb + np.arange(len(points))
            rest = size_of[points] - 1 - total_child[tree_ap]
            pieces[points] = sq[tree_ap] + rest * (rest - 1)
        return size_of, pieces, total

    def touched_many(self, sets: np.ndarray) -> np.ndarray:
        """Ties with an end in each row of ``sets`` (the tie-breaker among equal F)."""
        degree = np.bincount(self.i, minlength=self.n) + np.bincount(self.j, minlength=self.n)
        total = degree[sets].sum(axis=1)
        for a, b in combinations(range(sets.shape[1]), 2):
            total -= np.asarray(self.A[sets[:, a], sets[:, b]]).ravel().astype(np.int64)
        return total

    def many(self, sets: np.ndarray) -> np.ndarray:
        """F of each row of ``sets`` (B × k positions), in batches of disjoint copies of the graph."""
        n, m = self.n, len(self.i)
        k = sets.shape[1]
        left = n - k
        out = np.empty(len(sets))
        batch = max(1, int(2_000_000 // (n + m + 1)))
        for start in range(0, len(sets), batch):
            chunk = sets[start : start + batch]
            b = len(chunk)
            removed = np.zeros((b, n), dtype=bool)
            removed[np.repeat(np.arange(b), k), chunk.ravel()] = True
            keep = ~removed[:, self.i] & ~removed[:, self.j]
            copy, edge = np.nonzero(keep)
            offset = copy.astype(np.int64) * n
            big = sp.csr_matrix((np.ones(len(edge), dtype=np.int8), (offset + self.i[edge], offset + self.j[edge])), shape=(b * n, b * n))
            _, labels = connected_components(big, directed=False)
            sizes = np.bincount(labels).astype(float)
            owner = np.zeros(len(sizes), dtype=np.int64)
            owner[labels] = np.arange(b * n) // n
            # removed organisations are components of one and add s(s − 1) = 0
            sums = np.bincount(owner, weights=sizes * (sizes - 1), minlength=b)
            out[start : start + b] = 1.0 - sums / (left * (left - 1))
        return out


# ---------------------------------------------------------------------------------------------
# reach: boolean "within two steps" rows of the candidates


class _Reach:
    def __init__(self, A: sp.csr_matrix, candidates: np.ndarray):
        self.n = A.shape[0]
        self.candidates = candidates
        if len(candidates) > GATHER_LIMIT:
            rows = sp.identity(self.n, format="csr", dtype=np.int8)[candidates] + A[candidates]
            two = (rows.astype(np.float32) @ A.astype(np.float32)) + rows
            dense = np.zeros((len(candidates), self.n), dtype=bool)
            two = two.tocoo()
            dense[two.row, two.col] = True
            self.within = dense  # within[c, u]: u within two steps of candidate c (c itself included)
            near = (rows.tocsr() != 0).tocoo()
            self.near = np.zeros((len(candidates), self.n), dtype=bool)
            self.near[near.row, near.col] = True  # near[c, u]: u is c or a partner of c
            return
        # a few candidates (the pool of a large network): one product of the sparse adjacency with
        # their dense "near" columns, instead of a sparse product that sorts millions of entries
        self.near = np.zeros((len(candidates), self.n), dtype=bool)
        indptr, indices = A.indptr, A.indices
        for row, c in enumerate(np.asarray(candidates, dtype=np.int64).tolist()):
            self.near[row, indices[indptr[c] : indptr[c + 1]]] = True
            self.near[row, c] = True
        reached = A.astype(np.float32) @ np.ascontiguousarray(self.near.T, dtype=np.float32)  # counts of two-step paths, exact
        self.within = (reached.T > 0) | self.near

    def direct_many(self, sets: np.ndarray) -> np.ndarray:
        """Organisations outside each set that are a partner of a member (the tie-breaker among equal reach)."""
        covered = self.near[sets[:, 0]].copy()
        for t in range(1, sets.shape[1]):
            covered |= self.near[sets[:, t]]
        return covered.sum(axis=1) - sets.shape[1]

    def score(self, picks) -> float:
        covered = self.within[list(picks)].any(axis=0)
        k = len(picks)
        return float((covered.sum() - k) / (self.n - k))

    def many(self, sets: np.ndarray) -> np.ndarray:
        k = sets.shape[1]
        out = np.empty(len(sets))
        batch = max(1, int(20_000_000 // (self.n * k + 1)))
        for start in range(0, len(sets), batch):
            chunk = sets[start : start + batch]
            covered = self.within[chunk[:, 0]].copy()
            for t in range(1, k):
                covered |= self.within[chunk[:, t]]
            out[start : start + len(chunk)] = (covered.sum(axis=1) - k) / (self.n - k)
        return out

    def key(self, picks) -> tuple:
        picks = np.asarray(sorted(picks), dtype=np.int64)[None, :]
        return (round(float(self.many(picks)[0]), 12), float(self.direct_many(picks)[0]))

    def best_with(self, others) -> tuple[int, tuple]:
        """The candidate that, added to ``others``, reaches most (then most directly), and its key."""
        scores = np.round(self.gains(others), 12)
        top = np.nanmax(scores)
        tied = np.flatnonzero(scores == top)
        sets = np.column_stack([np.tile(np.asarray(others, dtype=np.int64), (len(tied), 1)), tied]) if len(others) else tied[:, None]
        direct = self.direct_many(sets)
        where = int(tied[int(np.argmax(direct))])
        return where, (float(top), float(direct.max()))

    def gains(self, picks) -> np.ndarray:
        """Score of picks + c for every candidate index c (NaN for the picks themselves).

        Every row holds its own candidate, so the new set covers ``covered ∪ within[c]`` and
        reaches that many organisations less its k members.
        """
        k = len(picks) + 1
        covered = self.within[list(picks)].any(axis=0) if len(picks) else np.zeros(self.n, dtype=bool)
        reached = covered.sum() + self.within[:, ~covered].sum(axis=1).astype(float) - k
        scores = reached / (self.n - k)
        scores[list(picks)] = np.nan
        return scores


# ---------------------------------------------------------------------------------------------
# search


def _best(scores: np.ndarray) -> int:
    return int(np.nanargmax(scores))  # first position among ties


def _exact(evaluate, secondary, n: int, k: int) -> tuple[tuple, tuple]:
    """The best of every k-set by (score rounded to 12 decimals, ``secondary``), first in lexicographic order on ties."""
    best, best_key = None, None
    chunk = 50_000
    source = combinations(range(n), k)
    while True:
        sets = np.fromiter((x for c in _take(source, chunk) for x in c), dtype=np.int64)
        if not len(sets):
            break
        sets = sets.reshape(-1, k)
        scores = np.round(evaluate(sets), 12)
        tied = np.flatnonzero(scores == scores.max())
        second = secondary(sets[tied])
        where = int(tied[int(np.argmax(second))])
        key = (float(scores[where]), float(second.max()))
        if best_key is None or key > best_key:
            best, best_key = tuple(int(x) for x in sets[where]), key
    return best, best_key


def _take(iterator, count):
    for _, item in zip(range(count), iterator):
        yield item


def _local_search(start: list[int], score_of, best_with) -> tuple[list[int], tuple]:
    """Borgatti's swap: replace a member by the best outsider while the score improves.

    Scores are tuples compared in order (the score rounded to 12 decimals, then a tie-breaker),
    so that a plateau of equal scores still leads somewhere.
    """
    current = sorted(start)
    value = score_of(current)
    improved = True
    while improved:
        improved = False
        best_move = None
        for position, _member in enumerate(current):
            others = current[:position] + current[position + 1 :]
            candidate, candidate_score = best_with(others)
            if candidate is not None and candidate_score > value and (best_move is None or candidate_score > best_move[2]):
                best_move = (position, candidate, candidate_score)
        if best_move is not None:
            position, candidate, value = best_move
            current = sorted(current[:position] + current[position + 1 :] + [candidate])
            improved = True
    return current, value


def _greedy(first: list[int], k: int, best_with) -> list[int]:
    chosen = list(first)
    while len(chosen) < k:
        candidate, _ = best_with(chosen)
        chosen.append(candidate)
    return chosen


def _heuristic(k: int, universe: np.ndarray, score_of, best_with, starts: int, rng, single_scores, *, swap: bool = True) -> tuple[list[int], tuple]:
    """Best of the swap-improved starts: greedy sets opened by each of the ``(starts + 1) // 2``
    best single organisations, and ``starts // 2`` random sets (at least the greedy set); then
    ``starts`` kicks of the best set (one member swapped at random, then improved again)."""
    if not swap:
        return sorted(_greedy([], k, best_with)), None  # scored from scratch by the caller
    tops = [int(x) for x in np.argsort(-np.nan_to_num(single_scores, nan=-np.inf), kind="stable")[: max(1, (starts + 1) // 2)]]
    results, seen = [], set()
    for first in tops:
        start = tuple(sorted(_greedy([first], k, best_with)))
        if start not in seen:
            seen.add(start)
            results.append(_local_search(list(start), score_of, best_with))
    for _ in range(starts // 2):
        start = rng.choice(universe, size=k, replace=False).tolist()
        results.append(_local_search(start, score_of, best_with))
    results.sort(key=lambda r: (tuple(-x for x in r[1]), r[0]))
    best = results[0]
    for _ in range(starts):  # kicks: swap one random member for a random outsider, improve, keep if better
        members = list(best[0])
        outsiders = np.setdiff1d(universe, members)
        if not len(outsiders):
            break
        members[int(rng.integers(k))] = int(rng.choice(outsiders))
        found = _local_search(members, score_of, best_with)
        if found[1] > best[1] or (found[1] == best[1] and found[0] < best[0]):
            best = found
    results = [best]
    return results[0]


def key_players(
    graph,
    *,
    max_size: int = 3,
    kinds=KINDS,
    exact_limit: int = EXACT_LIMIT,
    starts: int = 20,
    seed: int = 42,
    ids=None,
    names=None,
    dense_limit: int = DENSE_LIMIT,
    pool: int = POOL,
    large_limit: int = LARGE_LIMIT,
) -> KeyPlayers:
    """Key-player sets of sizes 1 … ``max_size`` (definitions and search in the module docstring).

    Parameters
    ----------
    graph : CollaborationGraph or square sparse/dense matrix
        The organisation network; a matrix is read as undirected and binary.
    max_size : int
        Largest set size K (sizes 1 … K).
    kinds : sequence of {"fragment", "reach"}
    exact_limit : int
        Score every set when C(n, k) is at most this.
    starts : int
        Heuristic starts: the greedy set and ``starts − 1`` random sets (seeded). On networks of
        more than ``dense_limit`` organisations only the greedy start is used (a note says so).
    seed : int
    ids, names : sequence of str, optional
        Per position; default the graph's ``nodes.id``/``nodes.name``, else the positions.
    dense_limit, pool : int
        Above ``dense_limit`` organisations, ``reach`` searches among the ``pool`` organisations
        with most partners.
    large_limit : int
        Above this many organisations, ``fragment`` sets of two or more are the greedy sets,
        without swaps (each step is a pass over the whole network; a note says so).

    Returns
    -------
    KeyPlayers

    Examples
    --------
    >>> import numpy as np
    >>> star = np.zeros((4, 4)); star[0, 1:] = star[1:, 0] = 1
    >>> key_players(star, max_size=1).table[["kind", "organisations", "score", "method"]].values.tolist()
    [['fragment', '0', 1.0, 'exact'], ['reach', '0', 1.0, 'exact']]

    References
    ----------
    Borgatti, S. P. (2006). Identifying sets of key players in a social network. Computational
    and Mathematical Organization Theory 12, 21–34.
    """
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise ValueError(f"unknown key-player kind {unknown[0]!r}; use {' or '.join(KINDS)}")
    if max_size < 1:
        raise ValueError(f"max_size must be at least 1, not {max_size}")
    A = sp.csr_matrix(graph) if isinstance(graph, _Binary) else binary_adjacency(graph)
    n = A.shape[0]
    if ids is None:
        ids = graph.nodes["id"].astype(str).tolist() if hasattr(graph, "nodes") else [str(p) for p in range(n)]
    if names is None:
        names = graph.nodes["name"].astype(str).tolist() if hasattr(graph, "nodes") and "name" in graph.nodes else list(ids)
    ids, names = list(ids), list(names)
    rng_seed = seed
    rows, facts, notes = [], [], []
    large = n > dense_limit
    run_starts = 1 if large else starts
    if large and starts > 1:
        notes.append({"code": "single-start", "n": n, "dense_limit": dense_limit})
    if n > large_limit and "fragment" in kinds and max_size > 1:
        notes.append({"code": "greedy-only", "kind": "fragment", "n": n, "large_limit": large_limit})
    fragment = _Fragment(A) if "fragment" in kinds else None
    reach = None
    if "reach" in kinds and n:
        if large:
            degree = np.diff(A.indptr)
            candidates = np.sort(np.argsort(-degree, kind="stable")[: min(pool, n)])
            notes.append({"code": "reach-pool", "pool": len(candidates), "n": n})
        else:
            candidates = np.arange(n)
        reach = _Reach(A, candidates)
    edges = (fragment.i, fragment.j) if fragment is not None else _edges(A)
    _, labels0 = _components(n, *edges) if n else (0, np.zeros(0, dtype=np.int64))
    for kind in kinds:
        for k in range(1, max_size + 1):
            if k > n - 2:
                notes.append({"code": "skipped-size", "kind": kind, "size": k, "n": n})
                continue
            rng = np.random.default_rng([rng_seed, k, KINDS.index(kind)])
            if kind == "fragment":
                if k == 1:
                    picks, method = [fragment.best_with([])[0]], "exact"
                elif math.comb(n, k) <= exact_limit:
                    best, _ = _exact(fragment.many, fragment.touched_many, n, k)
                    picks, method = list(best), "exact"
                else:

                    def best_with(others, fragment=fragment):
                        return fragment.best_with(others)

                    picks, _ = _heuristic(k, np.arange(n), fragment.key, best_with, run_starts, rng, fragment.after_each([]), swap=n <= large_limit)
                    method = "heuristic"
            else:
                cands = reach.candidates
                exact = not large and math.comb(n, k) <= exact_limit
                if exact:
                    best, _ = _exact(reach.many, reach.direct_many, len(cands), k)
                    local = list(best)
                    method = "exact"
                else:

                    def best_with(others, reach=reach):
                        return reach.best_with(others)

                    local, _ = _heuristic(k, np.arange(len(cands)), reach.key, best_with, run_starts, rng, reach.gains([]))
                    method = "heuristic"
                picks = sorted(int(cands[c]) for c in local)
            picks = sorted(picks)
            if method == "heuristic":
                notes.append({"code": "heuristic", "kind": kind, "size": k, "starts": run_starts, "seed": seed})
            fact = {"kind": kind, "size": k, "positions": picks}
            if kind == "fragment":
                alive = np.ones(n, dtype=bool)
                alive[picks] = False
                _, labels = _components(n, *edges, alive)  # from scratch, not from the search
                after = np.bincount(labels[alive])
                after = after[after > 0].astype(np.int64)
                left = n - k
                score = float(1.0 - (after * (after - 1)).sum() / (left * (left - 1)))
                if score == 0:
                    notes.append({"code": "no-fragmentation", "kind": kind, "size": k})
                before = np.bincount(labels0)
                fact.update(components_before=len(before), components_after=len(after), largest_before=int(before.max()), largest_after=int(after.max()))
            else:
                score = _two_step_reach(A, picks)
                fact.update(reached=round(score * (n - k)), outside=n - k)
            rows.append((kind, k, "|".join(ids[p] for p in picks), "|".join(names[p] for p in picks), score, method))
            facts.append(fact)
    table = pd.DataFrame(rows, columns=KEY_PLAYER_COLUMNS)
    table["size"] = table["size"].astype(np.int64)
    table["score"] = table["score"].astype(float)
    return KeyPlayers(table, facts, notes)


# -- as the analysis runs it (samverkan.analysis.analyse) ----------------------------------------

# Above this many organisations the analysis skips key players (note ``skipped-network``). The engine
# does sizes 1-3 of both kinds on H2020 (35,871 organisations) in seconds, so the guard only protects
# against networks several times larger.
KEY_PLAYERS_LIMIT = 100_000


def benchmark_only(graph, package, *, degree: np.ndarray | None = None) -> np.ndarray:
    """Per graph node: True when every participation of the organisation is benchmarking and it has no tie.

    ``degree`` (partners per node, as :func:`binary_adjacency` counts them) is computed when not given.
    """
    ids = graph.nodes["id"].astype(str).to_numpy()
    parts = getattr(package, "participations", None)
    if parts is None or not len(parts) or "role" not in parts:
        return np.zeros(len(ids), dtype=bool)
    codes, roles = pd.factorize(parts["role"])  # each distinct role read once; missing: -1
    benchmark = np.array([str(role).strip().lower() == "benchmark" for role in roles.tolist()] + [False], dtype=bool)
    other = ~benchmark[codes]  # a missing role (code -1) reads as "" and is not benchmarking
    if degree is None:
        degree = np.diff(binary_adjacency(graph).indptr) if graph.n else np.zeros(0)
    isolated = np.flatnonzero(degree == 0)  # only an organisation without a tie can be left out
    out = np.zeros(len(ids), dtype=bool)
    if not len(isolated):
        return out
    org_codes, orgs = pd.factorize(parts["organisation"].to_numpy(dtype=object))
    orgs = orgs.tolist()
    if (org_codes < 0).any() or not all(type(o) is str for o in orgs):  # read as text, as astype(str) does
        org = parts["organisation"].astype(str).tolist()
        has_any, has_other = set(org), set(compress(org, other.tolist()))
        out[isolated] = [(i in has_any) and (i not in has_other) for i in ids[isolated].tolist()]
        return out
    # every organisation code has a participation; does one of them have another role?
    has_other = np.bincount(org_codes, weights=other, minlength=len(orgs)) > 0
    at = pd.Index(orgs, dtype=object).get_indexer(ids[isolated].astype(object))
    out[isolated] = (at >= 0) & ~has_other[np.maximum(at, 0)]
    return out


def compute_key_players(graph, package, options) -> KeyPlayers:
    """Key players of sizes 1 … ``options.key_players`` of both kinds, as ``samverkan analyse`` reports them.

    Candidates are the organisations of ``graph`` except the benchmark-only ones
    (:func:`benchmark_only`): the projection excludes benchmarking, so they are isolates that
    would only inflate n (a note ``benchmark-only`` gives their number). Fragment facts gain
    ``left`` (organisations left after the set). Above :data:`KEY_PLAYERS_LIMIT` organisations
    nothing is searched and the note ``skipped-network`` says so.
    """
    size = int(getattr(options, "key_players", 3) or 0)
    empty = pd.DataFrame({c: pd.Series([], dtype=object) for c in KEY_PLAYER_COLUMNS})
    if size < 1:
        return KeyPlayers(empty, [], [])
    if graph.n > KEY_PLAYERS_LIMIT:
        return KeyPlayers(empty, [], [{"code": "skipped-network", "n": int(graph.n), "limit": KEY_PLAYERS_LIMIT}])
    A = binary_adjacency(graph)
    left_out = benchmark_only(graph, package, degree=np.diff(A.indptr))
    keep = np.flatnonzero(~left_out)
    if left_out.any():
        A = A[keep][:, keep]  # still symmetric, binary and without loops
        A.sort_indices()
    A = _Binary(A)
    ids = graph.nodes["id"].astype(str).to_numpy()[keep].tolist()
    names = graph.nodes["name"].fillna("").astype(str).to_numpy()[keep].tolist() if "name" in graph.nodes else ids
    names = [n or i for n, i in zip(names, ids)]
    found = key_players(A, max_size=size, seed=int(getattr(options, "seed", 42)), ids=ids, names=names)
    for fact in found.facts:
        if fact.get("kind") == "fragment":
            fact["left"] = len(keep) - int(fact.get("size", 0))
    if left_out.any():
        found.notes.insert(0, {"code": "benchmark-only", "n": int(left_out.sum())})
    return found
