"""Communities of organisations (Leiden) and how much each organisation works across them.

Communities are groups of organisations that collaborate more among themselves than the
overall tie density would predict (modularity). The participation coefficient says how evenly
an organisation's ties are spread over communities: 0 when all its partners are in one
community, close to 1 when they are spread over many.

Communities are found with the Leiden method (Traag, Waltman & van Eck 2019) maximising
modularity. It refines the Louvain method (Blondel et al. 2008): Louvain can leave a community
that is internally disconnected, Leiden cannot, and Leiden reaches at least as high a modularity
at lower cost. Measured on this project's data (10 seeds each): Södertörn 0.060 against 0.059,
Örebro 0.367 against 0.360, Interreg 0.749 against 0.745, Horizon 2020 0.409–0.414 against
0.405–0.409, in 1.3 s instead of 2.2–3.2 s. :func:`louvain` is kept for comparison.

References
----------
Traag, V. A., Waltman, L. & van Eck, N. J. (2019). From Louvain to Leiden: guaranteeing
well-connected communities. Sci. Rep. 9, 5233.
Blondel, V. D., Guillaume, J.-L., Lambiotte, R. & Lefebvre, E. (2008). Fast unfolding of
communities in large networks. J. Stat. Mech. P10008.
Newman, M. E. J. & Girvan, M. (2004). Finding and evaluating community structure in networks.
Phys. Rev. E 69, 026113.
Guimerà, R. & Amaral, L. A. N. (2005). Functional cartography of complex metabolic networks.
Nature 433, 895–900.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

__all__ = ["CommunityResult", "leiden", "louvain", "modularity", "participation_coefficient"]


@dataclass
class CommunityResult:
    """A partition of the organisations into communities.

    Attributes
    ----------
    membership : pandas.Series
        ``community`` (int) by node position; 0 is the largest community.
    modularity : float
        Modularity of the partition (recomputed from it), NaN when there are no ties.
    seed : int
    resolution : float
    note : str
    """

    membership: pd.Series
    modularity: float
    seed: int = 42
    resolution: float = 1.0
    note: str = ""

    @property
    def count(self) -> int:
        """Number of communities, isolates (each its own community) included."""
        return int(self.membership.nunique())

    @property
    def sizes(self) -> pd.Series:
        """Members per community label."""
        return self.membership.value_counts().sort_index()


def _edge_weights(G, weight: str | None) -> np.ndarray:
    if weight is None:
        return np.ones(G.m)
    return G.edges[weight].to_numpy(dtype=float)


def _relabel(raw: np.ndarray) -> np.ndarray:
    """Labels 0, 1, ... by community size (descending), then by smallest member position."""
    n = len(raw)
    if n == 0:
        return raw.astype(np.int64)
    _, codes = np.unique(raw, return_inverse=True)
    sizes = np.bincount(codes)
    first = np.full(len(sizes), n, dtype=np.int64)
    np.minimum.at(first, codes, np.arange(n))
    order = np.lexsort((first, -sizes))
    new = np.empty(len(sizes), dtype=np.int64)
    new[order] = np.arange(len(sizes))
    return new[codes]


def modularity(G, membership, *, weight: str | None = "weight", resolution: float = 1.0) -> float:
    """Newman–Girvan modularity of a partition.

    Parameters
    ----------
    G : CollaborationGraph
    membership : sequence of int
        Community of every node position.
    weight : str or None, keyword-only
        Edge column of tie strengths; None = binary.
    resolution : float, keyword-only
        γ in the formula below (1 = classical modularity).

    Returns
    -------
    float
        NaN when the graph has no ties (or total weight 0).

    Notes
    -----
    Definition: ``Q = Σ_c [ W_c / W − γ (S_c / 2W)² ]`` with ``W`` the total tie weight,
    ``W_c`` the weight of ties inside community c and ``S_c`` the summed strengths of its
    members; equal to networkx's ``community.modularity(G, communities, weight, resolution)``.

    References
    ----------
    Newman, M. E. J. & Girvan, M. (2004). Finding and evaluating community structure in
    networks. Phys. Rev. E 69, 026113.
    """
    labels = np.asarray(membership, dtype=np.int64)
    if len(labels) != G.n:
        raise ValueError(f"membership has {len(labels)} entries for {G.n} organisations")
    w = _edge_weights(G, weight)
    total = w.sum()
    if G.m == 0 or total <= 0:
        return float("nan")
    i = G.edges["i"].to_numpy(dtype=np.int64)
    j = G.edges["j"].to_numpy(dtype=np.int64)
    inside = labels[i] == labels[j]
    k = int(labels.max()) + 1
    strength_by_community = np.bincount(labels[i], weights=w, minlength=k) + np.bincount(labels[j], weights=w, minlength=k)
    return float(w[inside].sum() / total - resolution * np.sum((strength_by_community / (2 * total)) ** 2))


def leiden(G, *, weight: str | None = "weight", seed: int = 42, resolution: float = 1.0, prebuilt=None) -> CommunityResult:
    """Communities by the Leiden method on modularity, reproducible from a seed.

    Parameters
    ----------
    G : CollaborationGraph
    weight : str or None, keyword-only
        Edge column of tie strengths, default ``"weight"`` (Newman + direct); None = binary.
    seed : int, keyword-only
        Seeds igraph's random choices (node order, refinement); the same seed gives the same
        partition.
    resolution : float, keyword-only
        Modularity resolution γ (1 = classical; larger gives more, smaller communities).
    prebuilt : igraph.Graph, optional, keyword-only
        The graph as igraph already holds it, edge k = row k of ``G.edges`` (saves building it).

    Returns
    -------
    CommunityResult
        ``membership`` (Series ``community``: 0 = largest community; ties in size broken by the
        smallest member position), ``modularity`` recomputed from the partition with
        :func:`modularity`.

    Notes
    -----
    igraph's ``community_leiden`` with the modularity objective and its default two iterations
    (as the reference implementation ``leidenalg``), with a private ``random.Random(seed)``
    installed as igraph's generator for the call (restored after). Every community is connected
    (Traag et al. 2019, guarantee of γ-connectivity). A heuristic like Louvain: another seed can
    give another partition of similar modularity; report the seed. Isolates each form their own
    community. Ties of weight 0 are left out.

    References
    ----------
    Traag, V. A., Waltman, L. & van Eck, N. J. (2019). From Louvain to Leiden: guaranteeing
    well-connected communities. Sci. Rep. 9, 5233.
    """
    return _partition(G, prebuilt, method="leiden", weight=weight, seed=seed, resolution=resolution)


def louvain(G, *, weight: str | None = "weight", seed: int = 42, resolution: float = 1.0) -> CommunityResult:
    """Communities by the Louvain (multilevel modularity) method, as :func:`leiden` otherwise.

    Kept to compare with earlier results; the analysis uses :func:`leiden`, which finds at least
    as high a modularity and never a disconnected community.

    Notes
    -----
    igraph's ``community_multilevel`` with a private ``random.Random(seed)`` (restored after).

    References
    ----------
    Blondel, V. D., Guillaume, J.-L., Lambiotte, R. & Lefebvre, E. (2008). Fast unfolding of
    communities in large networks. J. Stat. Mech. P10008.
    """
    return _partition(G, None, method="louvain", weight=weight, seed=seed, resolution=resolution)


_METHOD_NAMES = {"leiden": "Leiden communities (igraph, modularity", "louvain": "Louvain communities (igraph multilevel"}


def _partition(G, g, *, method: str = "leiden", weight: str | None, seed: int, resolution: float) -> CommunityResult:
    """:func:`leiden` or :func:`louvain` on a prebuilt igraph ``g`` whose edge k is row k of ``G.edges`` (None: build)."""
    from ..graph.igraph_module import igraph_module

    ig = igraph_module()

    n = G.n
    w = _edge_weights(G, weight)
    keep = w > 0
    if n == 0:
        return CommunityResult(pd.Series(np.zeros(0, dtype=np.int64), name="community"), float("nan"), seed, resolution, "no organisations")
    i = G.edges["i"].to_numpy(dtype=np.int64)[keep]
    if g is None or not keep.all():
        j = G.edges["j"].to_numpy(dtype=np.int64)[keep]
        g = ig.Graph(n=n, edges=list(zip(i.tolist(), j.tolist())), directed=False)
    weights = w[keep].tolist() if len(i) else None
    generator = random.Random(seed)
    ig.set_random_number_generator(generator)
    try:
        if method == "leiden":
            clustering = g.community_leiden(objective_function="modularity", weights=weights, resolution=resolution, n_iterations=2)
        else:
            clustering = g.community_multilevel(weights=weights, resolution=resolution)
    finally:
        ig.set_random_number_generator(random)
    labels = _relabel(np.asarray(clustering.membership, dtype=np.int64))
    membership = pd.Series(labels, index=pd.RangeIndex(n), name="community")
    q = modularity(G, labels, weight=weight, resolution=resolution)
    sizes = np.bincount(labels)
    note = (
        f"{_METHOD_NAMES[method]}, {'weight ' + repr(weight) if weight else 'binary ties'}, "
        f"resolution {resolution:g}, seed {seed}): {int((sizes > 1).sum()):,} communities of two or more "
        f"organisations, {int((sizes == 1).sum()):,} on their own; modularity {q:.3f}"
    )
    return CommunityResult(membership, q, seed, resolution, note)


def participation_coefficient(G, membership, *, weight: str | None = None) -> pd.Series:
    """Guimerà–Amaral participation coefficient: how evenly ties spread over communities.

    Parameters
    ----------
    G : CollaborationGraph
    membership : sequence of int or pandas.Series
        Community of every node position (e.g. ``louvain(G).membership``).
    weight : str or None, keyword-only
        Edge column of tie strengths; None (default) counts ties, as Guimerà & Amaral do.

    Returns
    -------
    pandas.Series
        ``participation_coefficient`` in [0, 1) by node position; 0 for isolates.

    Notes
    -----
    Definition: ``P_i = 1 − Σ_s (k_is / k_i)²`` with ``k_is`` the ties (or strength) of i to
    community s and ``k_i`` all its ties. 0: every partner in one community; the maximum
    ``1 − 1/N_C`` when spread evenly over ``N_C`` communities.

    References
    ----------
    Guimerà, R. & Amaral, L. A. N. (2005). Functional cartography of complex metabolic
    networks. Nature 433, 895–900.

    Examples
    --------
    A hub with two partners in community 0 and two in community 1: 1 − (½² + ½²) = 0.5.

    >>> import pandas as pd, scipy.sparse as sp
    >>> from samverkan.graph.projection import CollaborationGraph
    >>> edges = pd.DataFrame({"i": [0, 0, 0, 0], "j": [1, 2, 3, 4]})
    >>> G = CollaborationGraph(pd.DataFrame({"id": list("abcde")}), edges, pd.DataFrame(), sp.csr_matrix((5, 0)), pd.DataFrame())
    >>> participation_coefficient(G, [0, 0, 0, 1, 1]).tolist()
    [0.5, 0.0, 0.0, 0.0, 0.0]
    """
    n = G.n
    labels = np.asarray(membership, dtype=np.int64)
    if len(labels) != n:
        raise ValueError(f"membership has {len(labels)} entries for {n} organisations")
    if n == 0 or G.m == 0:
        return pd.Series(np.zeros(n), index=pd.RangeIndex(n), name="participation_coefficient")
    _, codes = np.unique(labels, return_inverse=True)
    k = int(codes.max()) + 1
    w = _edge_weights(G, weight)
    i = G.edges["i"].to_numpy(dtype=np.int64)
    j = G.edges["j"].to_numpy(dtype=np.int64)
    # k_is: strength of node i towards community s, as a sparse n × communities matrix
    by_community = sp.coo_matrix((np.concatenate([w, w]), (np.concatenate([i, j]), np.concatenate([codes[j], codes[i]]))), shape=(n, k)).tocsr()
    total = np.asarray(by_community.sum(axis=1)).ravel()
    squares = np.asarray(by_community.multiply(by_community).sum(axis=1)).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.where(total > 0, 1.0 - squares / total**2, 0.0)
    values = np.clip(values, 0.0, 1.0)
    return pd.Series(values, index=pd.RangeIndex(n), name="participation_coefficient")
