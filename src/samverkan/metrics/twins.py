"""Closed twins: organisations with the same partners, merged before path searches.

Two organisations u, v are *closed twins* when they are tied to each other and to exactly the
same other organisations (N[u] = N[v]). The projection of a two-mode network is full of them:
every organisation whose only project is P is a closed twin of every other such member of P.
Horizon 2020 has 22,670 classes for 35,871 organisations, and 564,073 ties between classes
instead of 796,670.

Merging a class into one vertex of multiplicity m preserves shortest paths exactly: a shortest
path never passes through two members of one class (the member before the first could step
straight to the vertex after the second), so every path through a class is one of m equally
long paths through its members. Path counts on the merged graph multiply by the
multiplicities of interior vertices, and each member of a class has the class's betweenness
(Puzis, Elovici & Dolev 2007; Sariyüce, Saule, Kaya & Çatalyürek 2013).

For weighted paths (length 1/weight) the same holds when the members' ties to every outside
organisation have equal weights and their ties to each other are at least as strong as any
outside route between them; classes that fail this are split back into single organisations.

References
----------
Puzis, R., Elovici, Y. & Dolev, S. (2007). Fast algorithm for successive computation of group
betweenness centrality. Phys. Rev. E 76, 056709 (equivalence classes of vertices).
Sariyüce, A. E., Saule, E., Kaya, K. & Çatalyürek, Ü. V. (2013). Shattering and compressing
networks for betweenness centrality. SIAM Data Mining (SDM), 686–694 (identical vertices).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

__all__ = ["TwinGraph", "merge_twins", "by_degree"]


@dataclass(frozen=True)
class TwinGraph:
    """A graph with closed twins merged.

    Attributes
    ----------
    indptr, indices : numpy.ndarray
        CSR adjacency of the merged graph (int64 / int32, neighbours sorted, no self-loops).
    lengths : numpy.ndarray or None
        Tie lengths aligned with ``indices`` (weighted graphs), else None.
    multiplicity : numpy.ndarray
        Members per class (float64).
    twin_class : numpy.ndarray
        Class of every original organisation (int64, classes numbered by smallest member).
    internal_length : numpy.ndarray
        Length of the ties inside each class (1.0 unweighted; 0.0 for single organisations).
    """

    indptr: np.ndarray
    indices: np.ndarray
    lengths: np.ndarray | None
    multiplicity: np.ndarray
    twin_class: np.ndarray
    internal_length: np.ndarray

    @property
    def classes(self) -> int:
        return len(self.multiplicity)


def _symmetric(n: int, i: np.ndarray, j: np.ndarray, values: np.ndarray) -> sp.csr_matrix:
    keep = i != j
    i, j, values = i[keep], j[keep], values[keep]
    A = sp.csr_matrix((np.r_[values, values], (np.r_[i, j], np.r_[j, i])), shape=(n, n))
    A.sum_duplicates()
    A.sort_indices()
    return A


def _classes_by_rows(C: sp.csr_matrix) -> np.ndarray:
    """Class of every row: rows with equal (indices, data) share a class, numbered by first row."""
    n = C.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    keys = [C.indices[C.indptr[k] : C.indptr[k + 1]].tobytes() + b"|" + C.data[C.indptr[k] : C.indptr[k + 1]].tobytes() for k in range(n)]
    first: dict[bytes, int] = {}
    out = np.empty(n, dtype=np.int64)
    for k, key in enumerate(keys):  # exact bytes as keys: no hash collision can merge unequal rows
        out[k] = first.setdefault(key, len(first))
    return out


def merge_twins(n: int, i: np.ndarray, j: np.ndarray, lengths: np.ndarray | None = None, *, classes: np.ndarray | None = None) -> TwinGraph:
    """Merge the closed twins of the undirected graph with ties (i, j) on nodes 0..n-1.

    With ``lengths`` (positive tie lengths, aligned with i, j; parallel ties keep the shortest)
    the classes are refined so that weighted shortest paths are preserved too. ``classes``: the
    closed-twin classes of these same ties when already found (``twin_class`` of the unweighted
    merge, any numbering), so the weighted merge does not find them again.
    """
    i = np.asarray(i, dtype=np.int64)
    j = np.asarray(j, dtype=np.int64)
    A = _symmetric(n, i, j, np.ones(len(i)))
    A.data[:] = 1.0
    if classes is None:
        closed = (A + sp.identity(n, format="csr")).tocsr()
        closed.sort_indices()
        cls = _classes_by_rows(closed)
    else:
        cls = _by_first_member(np.asarray(classes, dtype=np.int64))
    internal = np.where(np.bincount(cls, minlength=cls.max() + 1 if n else 0) > 1, 1.0, 0.0)
    L = None
    if lengths is not None:
        lengths = np.asarray(lengths, dtype=float)
        # parallel ties: the shortest counts (scipy sums duplicates, so take the minimum first)
        order = np.lexsort((lengths, np.maximum(i, j), np.minimum(i, j)))
        a, b, ln = np.minimum(i, j)[order], np.maximum(i, j)[order], lengths[order]
        first = np.r_[True, (a[1:] != a[:-1]) | (b[1:] != b[:-1])]
        L = _symmetric(n, a[first], b[first], ln[first])
        cls, internal = _refine_weighted(L, cls)
    k = int(cls.max()) + 1 if n else 0
    mult = np.bincount(cls, minlength=k).astype(float)
    P = sp.csr_matrix((np.ones(n), (np.arange(n), cls)), shape=(n, k))
    B = (P.T @ A @ P).tocsr()
    B.setdiag(0)
    B.eliminate_zeros()
    B.sort_indices()
    merged_lengths = None
    if L is not None:
        # every member pair of two classes has the same length: read it from one representative
        rep = np.full(k, -1, dtype=np.int64)
        rep[cls[::-1]] = np.arange(n)[::-1]
        rows = np.repeat(np.arange(k), np.diff(B.indptr))
        merged_lengths = np.asarray(L[rep[rows], rep[B.indices]]).ravel()
    return TwinGraph(B.indptr.astype(np.int64), B.indices.astype(np.int32), merged_lengths, mult, cls, internal)


def _by_first_member(classes: np.ndarray) -> np.ndarray:
    """The same partition numbered 0, 1, ... in the order of each class's first member."""
    if not len(classes):
        return classes
    _, first, inverse = np.unique(classes, return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    return rank[inverse.ravel()]


def _group_spread(keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct keys with the minimum and maximum value of each."""
    order = np.lexsort((values, keys))
    keys, values = keys[order], values[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else np.zeros(0, dtype=np.int64)
    ends = np.r_[starts[1:], len(keys)] - 1 if len(keys) else np.zeros(0, dtype=np.int64)
    return keys[starts], values[starts], values[ends]


def _refine_weighted(L: sp.csr_matrix, cls: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Split unweighted twin classes whose members differ in weighted paths.

    Members of an unweighted class have the same partners, so it remains to check, per class:
    every outside partner is equally far from every member; the ties inside are all equally
    long, and shorter than twice the shortest tie to an outsider (so no detour through an
    outsider is as short as the direct tie).
    """
    n = L.shape[0]
    k = int(cls.max()) + 1 if n else 0
    sizes = np.bincount(cls, minlength=k)
    coo = L.tocoo()
    u, x, length = coo.row.astype(np.int64), coo.col.astype(np.int64), coo.data
    grouped = sizes[cls[u]] > 1
    u, x, length = u[grouped], x[grouped], length[grouped]
    c = cls[u]
    inside = cls[x] == c
    bad = np.zeros(k, dtype=bool)
    # outside: one length per (class, partner)
    keys, low, high = _group_spread(c[~inside] * np.int64(n) + x[~inside], length[~inside])
    bad[(keys[low != high] // n)] = True
    outer_min = np.full(k, np.inf)
    np.minimum.at(outer_min, keys // n, low)
    # inside: one length per class, strictly shorter than two outside ties
    classes, inner_low, inner_high = _group_spread(c[inside], length[inside])
    bad[classes[inner_low != inner_high]] = True
    bad[classes[~(inner_low < 2 * outer_min[classes])]] = True
    internal = np.zeros(k)
    internal[classes] = inner_low
    internal[bad] = 0.0
    # members of a bad class become single organisations (new class ids after the old ones)
    new = cls.copy()
    split = np.flatnonzero(bad[cls])
    first_member = np.full(k, n, dtype=np.int64)
    np.minimum.at(first_member, cls, np.arange(n))
    split = split[split != first_member[cls[split]]]  # the first member keeps the class id
    new[split] = k + np.arange(len(split))
    internal = np.r_[internal, np.zeros(len(split))]
    # renumber by smallest member, so classes come in organisation order
    renumbered = _by_first_member(new)
    internal_by_class = np.zeros(int(renumbered.max()) + 1 if n else 0)
    internal_by_class[renumbered] = internal[new]  # every member of a class carries its class's value
    return renumbered, internal_by_class


def by_degree(graph: TwinGraph) -> TwinGraph:
    """The same graph with classes renumbered by decreasing degree (ties: by class number).

    Searches touch the neighbours of the busiest vertices most often; numbering those first keeps
    their entries close together in memory (12–25 % faster searches on Horizon 2020). Every
    organisation keeps its class through ``twin_class``, so nothing else changes.
    """
    degree = np.diff(graph.indptr)
    order = np.argsort(-degree, kind="stable")
    new_id = np.empty_like(order)
    new_id[order] = np.arange(len(order))
    k = graph.classes
    A = sp.csr_matrix((np.arange(1, len(graph.indices) + 1, dtype=np.int64), graph.indices, graph.indptr), shape=(k, k))
    P = A[order][:, order].tocsr()
    P.sort_indices()
    position = P.data - 1  # where each permuted tie was in the original arrays
    lengths = None if graph.lengths is None else graph.lengths[position]
    return TwinGraph(P.indptr.astype(np.int64), P.indices.astype(np.int32), lengths, graph.multiplicity[order], new_id[graph.twin_class], graph.internal_length[order])
