"""How dense and how connected the collaboration network is, and how widely organisations reach across sectors.

Graph in (a :class:`~samverkan.graph.projection.CollaborationGraph`), plain values out. Every
figure is computed from the sparse edge list, so the whole of Horizon 2020 (36k organisations,
800k ties) takes about a second; triangles are counted by igraph's C core
(by a compiled kernel on large graphs).

Conventions (see ``/work/shared/notes/metrics-pitfalls.md``)
-----------------------------------------------------------
- A *tie* is an edge of the collaboration graph: a pair of organisations that share at least one
  project (benchmarking excluded by the projection) or have a direct tie. It counts once, however
  many projects the pair shares; ``weighted_density`` uses the strengths.
- Freeman degree centralization divides by ``(n−1)(n−2)``, the star's sum (R igraph's default
  ``loops=TRUE`` divides by ``n(n−1)`` and gives a different number).
- Transitivity is NaN when the graph has no connected triple (undefined); networkx returns 0 there.
  Where it is defined the two agree.
- Average clustering follows networkx: organisations with fewer than two partners count as 0.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

__all__ = ["network_summary", "degrees", "cross_sector_breadth", "cross_type_share"]


def degrees(G) -> np.ndarray:
    """Number of partners of every organisation, by position (an int array of length ``G.n``)."""
    n = G.n
    i = G.edges["i"].to_numpy(dtype=np.int64)
    j = G.edges["j"].to_numpy(dtype=np.int64)
    return np.bincount(i, minlength=n) + np.bincount(j, minlength=n)


def _igraph(G):
    from ..graph.igraph_module import igraph_module

    ig = igraph_module()

    edges = np.column_stack([G.edges["i"].to_numpy(dtype=np.int64), G.edges["j"].to_numpy(dtype=np.int64)])
    graph = ig.Graph(n=G.n, directed=False)
    graph.add_edges(edges)  # from a numpy array: about 3x faster than the constructor's list path
    return graph


COMPILED_TRIANGLES_FROM = 200_000
"""From this many ties on, triangles are counted by the compiled kernel
(:mod:`samverkan.metrics.triangle_kernels`, numba); below it by igraph, so small packages never
import numba. Both give the same counts, and the same local clustering to the last bit. A graph
this large is beyond exact betweenness (metrics.centrality), whose estimate loads numba anyway."""


BREADTH_TABLE_LIMIT = 50_000_000
"""cross_sector_breadth marks (organisation, kind) pairs in a boolean table up to this many cells;
beyond (nearly as many kinds as organisations) it counts the distinct pairs instead."""


def _local_clustering(G, k: np.ndarray) -> np.ndarray:
    """Each organisation's local clustering coefficient, 0 with fewer than two partners.

    As igraph's ``transitivity_local_undirected(mode="zero")`` computes it, to the last bit:
    ``t / k / (k − 1) · 2`` with ``t`` the ties among the organisation's ``k`` partners.
    """
    if G.m < COMPILED_TRIANGLES_FROM:
        return np.asarray(_igraph(G).transitivity_local_undirected(mode="zero"), dtype=float)
    from .triangle_kernels import triangles_per_vertex

    t = triangles_per_vertex(G.edges["i"].to_numpy(dtype=np.int64), G.edges["j"].to_numpy(dtype=np.int64), G.n).astype(float)
    kf = k.astype(float)
    local = np.zeros(len(k))
    many = k >= 2
    local[many] = t[many] / kf[many] / (kf[many] - 1) * 2.0
    return local


def network_summary(G) -> dict:
    """Size, density, connectedness, clustering and centralization of the collaboration network.

    Parameters
    ----------
    G : samverkan.graph.projection.CollaborationGraph
        The organisation collaboration graph (``project_organisations``).

    Returns
    -------
    dict
        Plain Python numbers (NaN where a figure is undefined):

        ``organisations``
            n, the number of organisations (tied or not).
        ``ties``
            m, the number of tied pairs.
        ``density``
            Share of possible pairs that are tied: ``2m / (n(n−1))``; NaN for n < 2.
        ``weighted_density``
            Sum of the ``weight`` column (Newman collaboration weight plus direct-tie weight) over
            all tied pairs, divided by the number of possible pairs ``n(n−1)/2``: the mean tie
            strength over every pair, untied pairs counting 0. NaN for n < 2. Not bounded by 1.
        ``mean_degree``
            Mean number of partners ``2m / n``; NaN for n = 0.
        ``isolates``
            Organisations without any partner.
        ``components``
            Connected components, isolates included (each is a component of one).
        ``largest_component_size``, ``largest_component_share``
            Organisations in the largest component, and that number divided by n (all organisations,
            isolates included).
        ``transitivity``
            Global clustering: ``3 × triangles / connected triples`` (the share of two-paths that are
            closed). NaN when there is no connected triple.
        ``average_clustering``
            Mean over all organisations of the local clustering coefficient (Watts & Strogatz),
            organisations with fewer than two partners counting 0 (networkx's convention). NaN for n = 0.
        ``degree_centralization``
            Freeman: ``Σ (k_max − k_i) / ((n−1)(n−2))``; 1 for a star, 0 when every organisation has
            the same number of partners; NaN for n < 3.

    Examples
    --------
    A star with a centre and three leaves:

    >>> from samverkan.graph.projection import CollaborationGraph
    >>> import pandas as pd, scipy.sparse as sp
    >>> nodes = pd.DataFrame({"id": list("abcd")})
    >>> edges = pd.DataFrame({"i": [0, 0, 0], "j": [1, 2, 3], "weight": [1.0, 1.0, 1.0]})
    >>> G = CollaborationGraph(nodes, edges, pd.DataFrame(), sp.csr_matrix((4, 0)), pd.DataFrame())
    >>> s = network_summary(G)
    >>> s["density"], s["degree_centralization"], s["largest_component_share"]
    (0.5, 1.0, 1.0)

    References
    ----------
    Wasserman, S. & Faust, K. (1994). Social Network Analysis: Methods and Applications. Cambridge
    University Press, sections 4.2 (density) and 5.2 (Freeman's group degree centralization).
    Freeman, L. C. (1978/79). Centrality in social networks: conceptual clarification. Social
    Networks 1, 215–239.
    Newman, M. E. J. (2003). The structure and function of complex networks. SIAM Review 45,
    167–256 (transitivity, eq. 3).
    Watts, D. J. & Strogatz, S. H. (1998). Collective dynamics of 'small-world' networks. Nature
    393, 440–442 (local clustering).
    """
    n = int(G.n)
    m = int(G.m)
    pairs = n * (n - 1) / 2
    k = degrees(G)
    summary: dict = {"organisations": n, "ties": m}
    summary["density"] = m / pairs if n >= 2 else math.nan
    total_weight = float(G.edges["weight"].to_numpy(dtype=float).sum()) if m else 0.0
    summary["weighted_density"] = total_weight / pairs if n >= 2 else math.nan
    summary["mean_degree"] = 2 * m / n if n else math.nan
    summary["isolates"] = int((k == 0).sum())
    if n:
        i = G.edges["i"].to_numpy(dtype=np.int64)
        ties = sp.csr_matrix((np.ones(m, dtype=np.int8), (i, G.edges["j"].to_numpy(dtype=np.int64))), shape=(n, n))
        count, labels = connected_components(ties, directed=False)  # each tie once: undirected reads it both ways
        sizes = np.bincount(labels)
        summary["components"] = int(count)
        summary["largest_component_size"] = int(sizes.max())
        summary["largest_component_share"] = float(sizes.max() / n)
    else:
        summary["components"] = 0
        summary["largest_component_size"] = 0
        summary["largest_component_share"] = math.nan
    node_triples = k * (k - 1) / 2  # connected triples centred on each organisation
    triples = float(node_triples.sum())
    if n and m:
        local = _local_clustering(G, k)
        closed = np.rint(local * node_triples).sum()  # 3 × triangles: each is closed at its three corners
        summary["transitivity"] = float(closed / triples) if triples > 0 else math.nan
        summary["average_clustering"] = float(local.mean())
    else:
        summary["transitivity"] = math.nan
        summary["average_clustering"] = 0.0 if n else math.nan
    if n >= 3:
        summary["degree_centralization"] = float((k.max() - k).sum() / ((n - 1) * (n - 2)))
    else:
        summary["degree_centralization"] = math.nan
    return summary


def _codes(values: pd.Series) -> np.ndarray:
    """Integer codes of the attribute values by position; -1 where the value is empty or missing."""
    cells = values.to_numpy(dtype=object)
    if all(type(v) is str for v in cells):  # the usual case, read from a package
        text = np.array([v.strip() for v in cells], dtype=object) if len(cells) else cells
    else:  # numbers, missing values, other objects: as pandas writes them as text
        text = values.astype("string").str.strip().fillna("").to_numpy(dtype=object)
    codes, _ = pd.factorize(text)
    codes = codes.astype(np.int64)
    codes[text == ""] = -1
    return codes


def cross_sector_breadth(G, attribute: str = "type", *, exclude_own: bool = False) -> pd.Series:
    """Number of different kinds of partner each organisation has (sector breadth).

    Parameters
    ----------
    G : CollaborationGraph
    attribute : str
        A column of ``G.nodes``: ``type`` (sector), ``level``, ``municipality``, ``region`` ...
    exclude_own : bool
        When True, partners of the organisation's own kind are not counted (the number of *other*
        sectors reached).

    Returns
    -------
    pandas.Series
        By position (the index of ``G.nodes``), name ``cross_sector_breadth``: the number of distinct
        non-empty values of `attribute` among the organisation's partners. Partners whose value is
        empty are not counted (an unknown kind is not a sector reached); ``other`` is a value like any
        other (the reader fills empty organisation types with ``other``). Isolates have 0.

    Examples
    --------
    >>> from samverkan.graph.projection import CollaborationGraph
    >>> import pandas as pd, scipy.sparse as sp
    >>> nodes = pd.DataFrame({"id": list("abcd"), "type": ["municipality", "academia", "business", "academia"]})
    >>> edges = pd.DataFrame({"i": [0, 0, 0], "j": [1, 2, 3], "weight": [1.0, 1.0, 1.0]})
    >>> G = CollaborationGraph(nodes, edges, pd.DataFrame(), sp.csr_matrix((4, 0)), pd.DataFrame())
    >>> cross_sector_breadth(G).tolist()
    [2, 1, 1, 1]

    References
    ----------
    Burt, R. S. (1983). Range. In R. S. Burt & M. J. Minor (eds), Applied Network Analysis, 176–194.
    Sage (network range as the number of distinct kinds of contacts).
    """
    values = _codes(G.nodes[attribute])
    n = G.n
    i = G.edges["i"].to_numpy(dtype=np.int64)
    j = G.edges["j"].to_numpy(dtype=np.int64)
    node = np.concatenate([i, j])
    value = np.concatenate([values[j], values[i]])
    keep = value >= 0
    if exclude_own:
        keep &= value != values[node]
    kinds = max(int(values.max()) + 1, 1) if len(values) else 1
    pairs = node[keep] * kinds + value[keep]  # (organisation, kind of partner), each counted once:
    if n * kinds <= BREADTH_TABLE_LIMIT:  # marked in a table of organisations × kinds
        seen = np.zeros(n * kinds, dtype=bool)
        seen[pairs] = True
        out = seen.reshape(n, kinds).sum(axis=1).astype(np.int64)
    else:  # nearly as many kinds as organisations: the distinct pairs
        out = np.bincount(pd.unique(pairs) // kinds, minlength=n).astype(np.int64)
    return pd.Series(out, index=G.nodes.index, name="cross_sector_breadth")


def cross_type_share(G, attribute: str = "type", *, weight: str | None = None) -> float:
    """Share of ties that join organisations of different kinds.

    Parameters
    ----------
    G : CollaborationGraph
    attribute : str
        A column of ``G.nodes`` (``type``, ``level``, ``municipality``, ``region`` ...).
    weight : str, optional
        An edge column (``shared_projects``, ``newman_weight``, ``weight``): the share of tie
        strength instead of the share of ties.

    Returns
    -------
    float
        Ties between different values / ties whose two ends both have a known (non-empty) value.
        Ties with an unknown end are left out of both counts. NaN when no tie qualifies. It equals
        ``(1 + E-I) / 2`` of :func:`samverkan.metrics.groups.ei_index` when no value is empty.

    Examples
    --------
    >>> from samverkan.graph.projection import CollaborationGraph
    >>> import pandas as pd, scipy.sparse as sp
    >>> nodes = pd.DataFrame({"id": list("abc"), "type": ["municipality", "municipality", "academia"]})
    >>> edges = pd.DataFrame({"i": [0, 0, 1], "j": [1, 2, 2], "weight": [1.0, 1.0, 1.0]})
    >>> G = CollaborationGraph(nodes, edges, pd.DataFrame(), sp.csr_matrix((3, 0)), pd.DataFrame())
    >>> round(cross_type_share(G), 3)  # a-c and b-c cross, a-b does not: 2/3
    0.667

    References
    ----------
    Krackhardt, D. & Stern, R. N. (1988). Informal networks and organizational crises: an
    experimental simulation. Social Psychology Quarterly 51(2), 123–140.
    """
    values = _codes(G.nodes[attribute])
    i = G.edges["i"].to_numpy(dtype=np.int64)
    j = G.edges["j"].to_numpy(dtype=np.int64)
    w = np.ones(len(i)) if weight is None else G.edges[weight].to_numpy(dtype=float)
    a, b = values[i], values[j]
    known = (a >= 0) & (b >= 0)
    total = w[known].sum()
    if not known.any() or total == 0:
        return math.nan
    cross = w[known & (a != b)].sum()
    return float(cross / total)
