"""Centrality of organisations: degree, betweenness, closeness, eigenvector, cut points.

Every function takes a :class:`~samverkan.graph.projection.CollaborationGraph` and returns pandas
objects indexed by node position 0..n-1. Ties are undirected here (a one-way direct tie counts
as a tie). Path-based measures use igraph (C) or scipy.sparse, never a dense n × n matrix, so
the same code runs on a 300-organisation region and on Horizon 2020 (35,871 organisations,
796,670 ties). Beyond a documented size, betweenness and closeness are *estimated* from a
uniform sample of source organisations; the result says so, with the sample size, the seed
and a standard error.

Conventions (where libraries disagree; see ``shared/notes/metrics-pitfalls.md``)
---------------------------------------------------------------------------------
* betweenness: networkx's ``normalized=True`` for undirected graphs, i.e. shortest paths over
  unordered pairs divided by (n−1)(n−2)/2; weighted paths use length 1 / weight;
* closeness: networkx's Wasserman–Faust scaling on disconnected graphs, isolates 0;
* eigenvector: unit Euclidean length (networkx, sna), computed on the largest component;
* articulation points, bridges: as networkx and igraph (they agree).

References
----------
Freeman, L. C. (1977). A set of measures of centrality based on betweenness. Sociometry 40, 35–41.
Brandes, U. (2001). A faster algorithm for betweenness centrality. J. Math. Sociol. 25, 163–177.
Brandes, U. & Pich, C. (2007). Centrality estimation in large networks. Int. J. Bifurcation and
Chaos 17(7), 2303–2318.
Eppstein, D. & Wang, J. (2004). Fast approximation of centrality. J. Graph Algorithms Appl. 8(1), 39–45.
Wasserman, S. & Faust, K. (1994). Social Network Analysis. Cambridge University Press, ch. 5.
Bonacich, P. (1987). Power and centrality: a family of measures. Am. J. Sociol. 92, 1170–1182.
Newman, M. E. J. (2001). Scientific collaboration networks II. Phys. Rev. E 64, 016132.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse import csgraph

__all__ = [
    "degree",
    "weighted_degree",
    "strength",
    "betweenness",
    "closeness",
    "eigenvector",
    "articulation_points",
    "bridges",
    "removal_impact",
    "BetweennessResult",
    "ClosenessResult",
    "EXACT_BETWEENNESS_MAX_NODES",
    "EXACT_MAX_WORK",
    "DEFAULT_SOURCES",
    "DEFAULT_SOURCES_WEIGHTED",
]

# Exact path-based measures run one search per organisation: O(n·m). Measured on the 2-core
# reference machine with igraph 1.0 on Horizon 2020 (796,670 ties), an unweighted betweenness
# search costs about 1.2e-8 s per tie, a weighted (Dijkstra) one 4e-8 s. Up to these limits
# exact betweenness takes at most ~1.7 s unweighted and ~6 s weighted (a 300-organisation
# region: milliseconds); beyond either, sources are sampled.
EXACT_BETWEENNESS_MAX_NODES = 5_000
EXACT_MAX_WORK = 150_000_000  # n · m
# Sampled sources beyond the limits (metrics.betweenness_estimate: twins merged, bisection
# shares, compiled searches on every core; closeness from the same searches). On Horizon 2020,
# 512 unweighted sources cost ≈ 5.5 CPU-seconds and find 49 of the exact 50 highest with a
# median relative error of 2.7 % (benchmarks/betweenness-accuracy.md); 128 weighted ≈ 4 CPU-s.
DEFAULT_SOURCES = 512
DEFAULT_SOURCES_WEIGHTED = 128
# How far to trust a sampled estimate's standard error, as measured by
# tests/metrics/test_centrality.py::test_stated_error_of_sampled_estimates_on_a_mid_size_graph
# (2,500 organisations, 18,411 ties, 200 sources, seeds 1-6). A node's value is a sum of
# heavy-tailed per-source contributions, so batch standard errors understate the error a little
# (unweighted) or more (weighted: shortest paths are mostly unique, fewer sources carry a value).
WITHIN_3_SE_TOP50 = {False: 0.86, True: 0.76}


@dataclass
class _Estimate:
    values: pd.Series
    exact: bool
    sources: int | None
    note: str
    standard_error: pd.Series | None = None
    facts: dict = field(default_factory=dict)


@dataclass
class BetweennessResult(_Estimate):
    """Betweenness of every organisation and how it was obtained.

    Attributes
    ----------
    values : pandas.Series
        Normalised betweenness by node position.
    exact : bool
        False when estimated from sampled sources.
    sources : int or None
        Number of sampled source organisations (None when exact).
    note : str
        Plain-language account of the method, for reports.
    standard_error : pandas.Series or None
        Per-organisation standard error of a sampled estimate (zeros when exact).
    facts : dict
        How the values were obtained, as plain values for reports: ``method`` ("exact" or
        "sampled sources per component"), ``exact`` (bool), ``sources`` (None when exact),
        ``sampled_organisations``, ``exact_organisations``, ``seed``, ``weighted``,
        ``median_relative_se_top50`` (None when exact), ``guarantee`` (None: source sampling
        gives a standard error, not a bound; see :mod:`samverkan.metrics.betweenness_estimate`).
    """


@dataclass
class ClosenessResult(_Estimate):
    """Closeness of every organisation and how it was obtained (fields as :class:`BetweennessResult`)."""


def _ends(G) -> tuple[np.ndarray, np.ndarray]:
    return G.edges["i"].to_numpy(dtype=np.int64), G.edges["j"].to_numpy(dtype=np.int64)


def _series(values, name: str, n: int) -> pd.Series:
    return pd.Series(values, index=pd.RangeIndex(n), name=name)


def _igraph(G, edges_mask: np.ndarray | None = None):
    """Undirected igraph Graph on positions; edge k is row k of ``G.edges`` (or of the mask)."""
    from ..graph.igraph_module import igraph_module

    ig = igraph_module()

    i, j = _ends(G)
    if edges_mask is not None:
        i, j = i[edges_mask], j[edges_mask]
    return ig.Graph(n=G.n, edges=list(zip(i.tolist(), j.tolist())), directed=False)


def degree(G) -> pd.Series:
    """Number of partners of every organisation.

    Parameters
    ----------
    G : CollaborationGraph

    Returns
    -------
    pandas.Series
        ``degree`` (int) by node position: distinct organisations it shares a project or a
        direct tie with.

    References
    ----------
    Freeman, L. C. (1979). Centrality in social networks: conceptual clarification. Social
    Networks 1, 215–239.
    """
    i, j = _ends(G)
    return _series(np.bincount(i, minlength=G.n) + np.bincount(j, minlength=G.n), "degree", G.n)


def weighted_degree(G) -> pd.Series:
    """Sum of shared projects over an organisation's ties.

    Parameters
    ----------
    G : CollaborationGraph

    Returns
    -------
    pandas.Series
        ``weighted_degree`` (int) by node position: Σ over partners of the number of projects
        shared with that partner, i.e. the number of (partner, project) pairs. One project
        with four other partners counts 4; a direct tie without a shared project counts 0.

    Notes
    -----
    Definition: ``Σ_j shared_projects_ij`` (the row sums of ``B·Bᵀ`` off the diagonal).

    References
    ----------
    Opsahl, T., Agneessens, F. & Skvoretz, J. (2010). Node centrality in weighted networks:
    generalizing degree and shortest paths. Social Networks 32, 245–251.
    """
    return strength(G, weight="shared_projects").round().astype(np.int64).rename("weighted_degree")


def strength(G, *, weight: str = "weight") -> pd.Series:
    """Sum of an edge column over an organisation's ties (node strength).

    Parameters
    ----------
    G : CollaborationGraph
    weight : str, keyword-only
        Edge column; default ``"weight"`` = Newman collaboration weight + direct tie weight.

    Returns
    -------
    pandas.Series
        ``strength`` (float) by node position; 0 for isolates.

    Notes
    -----
    Definition: ``s_i = Σ_j w_ij``. With Newman weights, each project of size p gives each
    member 1 in total (p − 1 partners × 1/(p − 1)), so the strength counts projects with at
    least one partner, plus direct tie weights.

    References
    ----------
    Barrat, A., Barthélemy, M., Pastor-Satorras, R. & Vespignani, A. (2004). The architecture
    of complex weighted networks. PNAS 101, 3747–3752.
    """
    i, j = _ends(G)
    w = G.edges[weight].to_numpy(dtype=float)
    return _series(np.bincount(i, weights=w, minlength=G.n) + np.bincount(j, weights=w, minlength=G.n), "strength", G.n)


def _exact_possible(G) -> bool:
    return G.n <= EXACT_BETWEENNESS_MAX_NODES and G.n * G.m <= EXACT_MAX_WORK


def _sample_size(sample) -> int:
    k = int(sample)
    if k != sample or k < 1:
        raise ValueError(f"sample must be a positive whole number of source organisations, not {sample!r}")
    return k


def _relative_error_text(values: np.ndarray, se: np.ndarray, *, top: int = 50) -> str:
    positive = values > 0
    if not positive.any():
        return "all estimates are 0"
    order = np.argsort(-values, kind="stable")[: min(top, int(positive.sum()))]
    relative = np.median(se[order] / values[order])
    if not np.isfinite(relative):
        return "no standard error (fewer than two sources)"
    return f"median relative standard error {100 * relative:.1f} % among the {len(order)} highest"


def _median_relative_se(values: np.ndarray, se: np.ndarray, *, top: int = 50) -> float | None:
    positive = values > 0
    if not positive.any():
        return None
    order = np.argsort(-values, kind="stable")[: min(top, int(positive.sum()))]
    relative = float(np.median(se[order] / values[order]))
    return relative if np.isfinite(relative) else None


def betweenness(G, *, weighted: bool = False, sample: int | None = None, seed: int = 42) -> BetweennessResult:
    """Normalised betweenness: the share of shortest paths between others that pass through.

    Parameters
    ----------
    G : CollaborationGraph
    weighted : bool, keyword-only
        False (default): every tie has length 1. True: a tie's length is ``1 / weight``
        (weight = Newman + direct), so strong collaborations are short; ties of weight 0 are
        left out.
    sample : int or None, keyword-only
        Number of source organisations to estimate from. None (default): exact when
        ``n ≤ EXACT_BETWEENNESS_MAX_NODES`` and ``n·m ≤ EXACT_MAX_WORK``, otherwise
        ``DEFAULT_SOURCES`` (unweighted) or ``DEFAULT_SOURCES_WEIGHTED`` (weighted) sources.
        A sample ≥ n gives the exact values.
    seed : int, keyword-only
        Seed of ``numpy.random.default_rng`` that draws the sources.

    Returns
    -------
    BetweennessResult
        ``values`` (Series ``betweenness`` or ``betweenness_weighted``), ``exact``,
        ``sources``, ``note``, ``standard_error``.

    Notes
    -----
    Definition: ``b(v) = Σ_{s<t, s≠v≠t} σ_st(v) / σ_st`` over unordered pairs, divided by
    ``(n−1)(n−2)/2``: networkx's ``betweenness_centrality(normalized=True)`` on an undirected
    graph (0 when n ≤ 2). Counting ordered pairs (as if the graph were directed) would double
    every raw value; the normalisation makes both conventions agree.

    Exactness: computed with igraph (Brandes' algorithm), which compares weighted path
    lengths with a relative tolerance, so paths of mathematically equal length
    (1/10 + 1/5 = 3/10) are ties. networkx on float lengths misses such ties; the tests
    compare with networkx run on exact ``fractions.Fraction`` lengths.

    Sampling (Brandes & Pich 2007), per component
    (:func:`samverkan.metrics.betweenness_estimate.component_sampled_betweenness`):
    components with at most k members are computed exactly; in each larger component
    (size r) k sources are drawn uniformly without replacement from its members, and their
    dependencies are summed and scaled by r/k, an unbiased estimate of the exact value
    (sources elsewhere add nothing to its members, so no source is spent on isolates or
    small components). The sources are split into 16 batches; the standard error is the
    spread of the batch estimates / √16, with the finite-population correction
    √((r−k)/(r−1)). ``facts`` gives the method, sample size and seed as plain values. The note
    gives the median relative standard error of the 50 highest values. The standard error is
    itself estimated: a node whose betweenness comes from a few sources that were not drawn
    gets too small an error; in the tests about 80–90 % of the 50 highest values lie within
    two standard errors of the exact value, and all but a few within three. Rankings are far
    more stable than values: on Horizon 2020-sized graphs 256 sources rank organisations like
    the exact values (Spearman ≈ 0.99, top-50 overlap ≈ 0.9; ``shared/notes/performance.md``).
    Report sampled values with their error, or as ranks.

    References
    ----------
    Freeman, L. C. (1977). A set of measures of centrality based on betweenness. Sociometry 40, 35–41.
    Brandes, U. (2001). A faster algorithm for betweenness centrality. J. Math. Sociol. 25, 163–177.
    Brandes, U. & Pich, C. (2007). Centrality estimation in large networks. Int. J.
    Bifurcation and Chaos 17(7), 2303–2318.
    Newman, M. E. J. (2001). Scientific collaboration networks II (length = 1 / weight).

    Examples
    --------
    A path a – b – c: b lies on the only path between a and c, so b = 1/1.

    >>> import pandas as pd, scipy.sparse as sp
    >>> from samverkan.graph.projection import CollaborationGraph
    >>> edges = pd.DataFrame({"i": [0, 1], "j": [1, 2], "weight": [1.0, 1.0]})
    >>> G = CollaborationGraph(pd.DataFrame({"id": list("abc")}), edges, pd.DataFrame(), sp.csr_matrix((3, 0)), pd.DataFrame())
    >>> betweenness(G).values.tolist()
    [0.0, 1.0, 0.0]
    """
    return _betweenness(G, None, weighted=weighted, sample=sample, seed=seed)


def _betweenness(G, g, *, weighted: bool, sample: int | None, seed: int, sampled=None) -> BetweennessResult:
    """:func:`betweenness` on a prebuilt igraph ``g`` of all ties (None: build it when exact).

    ``sampled``: the :class:`~samverkan.metrics.betweenness_estimate.SampledPaths` of this
    measure when already searched (path_measures shares one search with closeness).
    """
    n = G.n
    name = "betweenness_weighted" if weighted else "betweenness"
    kind = "weighted (tie length 1/weight)" if weighted else "unweighted"
    scale = (n - 1) * (n - 2) / 2 if n > 2 else 1.0
    if sample is None:
        k = None if _exact_possible(G) else (DEFAULT_SOURCES_WEIGHTED if weighted else DEFAULT_SOURCES)
    else:
        k = _sample_size(sample)
    if n == 0:
        return BetweennessResult(_series(np.zeros(0), name, 0), True, None, "no organisations", _series(np.zeros(0), name, 0))
    if k is None or k >= n:
        if weighted:
            w = G.edges["weight"].to_numpy(dtype=float)
            keep = w > 0
            if g is None or not keep.all():
                g = _igraph(G, keep)
            lengths = (1.0 / w[keep]).tolist()
        else:
            g = _igraph(G) if g is None else g
            lengths = None
        raw = np.asarray(g.betweenness(directed=False, weights=lengths), dtype=float)
        values = raw / scale if n > 2 else np.zeros(n)
        note = f"{kind} betweenness, exact (Brandes' algorithm, igraph), normalised by (n−1)(n−2)/2 with n = {n:,}"
        facts = {"method": "exact", "exact": True, "sources": None, "weighted": weighted, "seed": seed, "guarantee": None}
        return BetweennessResult(_series(values, name, n), True, None, note, _series(np.zeros(n), name, n), facts)
    if sampled is None:
        sampled = _sampled_paths(G, k, seed, weighted=weighted)
    values = sampled.betweenness / scale
    se = sampled.betweenness_se / scale
    facts = dict(sampled.facts)
    if facts["sampled_organisations"] == 0:  # every component is small: the values are exact
        note = f"{kind} betweenness, exact (Brandes' algorithm with organisations of equal partners merged; every component has at most {k:,} members), normalised by (n−1)(n−2)/2 with n = {n:,}"
        facts = {"method": "exact", "exact": True, "sources": None, "weighted": weighted, "seed": seed, "guarantee": None}
        return BetweennessResult(_series(values, name, n), True, None, note, _series(np.zeros(n), name, n), facts)
    shares = "the linear share d(s,v)/d(s,t) of each pair" if weighted else "each pair from its end farther from the organisation (bisection)"
    method = (
        f"{kind} betweenness estimated from {k:,} of {n:,} organisations sampled uniformly as sources "
        f"in each component larger than {k:,} (seed {seed}; Brandes & Pich 2007), organisations with the same partners searched once, "
        f"crediting {shares} (Geisberger, Sanders & Schultes 2008), unbiased; exact for the {facts['exact_organisations']:,} organisations in smaller components. "
    )
    if weighted:
        # weighted shortest paths are mostly unique: a pair's credit hangs on few sources, and the
        # batch spread can miss it entirely, so no confidence statement is made; the error is a guide
        facts.update(exact=False, weighted=True, median_relative_se_top50=_median_relative_se(values, se), guarantee=None)
        error_text = _relative_error_text(values, se) if facts["batches"] > 1 else "no standard error (fewer than two sources)"
        note = method + (
            f"Standard error from {facts['batches']} batches: {error_text}; the standard error is a guide, not a bound: on a test graph "
            f"{100 * WITHIN_3_SE_TOP50[True]:.0f} % or more of the 50 highest lay within 3 standard errors of the exact value, "
            "so read ranks rather than decimals"
        )
    else:
        from .betweenness_estimate import ranking_confidence

        guarantee = {**ranking_confidence(values, se), "batches": facts["batches"]} if facts["batches"] > 1 and k > 1 else None
        facts.update(exact=False, weighted=False, median_relative_se_top50=_median_relative_se(values, se), guarantee=guarantee)
        note = method + (_guarantee_text(guarantee, facts["batches"]) if guarantee else "No confidence statement: fewer than two sources.")
    return BetweennessResult(_series(values, name, n), False, k, note, _series(se, name, n), facts)


def _guarantee_text(guarantee: dict, batches: int) -> str:
    """The confidence statement of a sampled ranking, in English (Swedish: ``text.notes``)."""
    confidence = f"{100 * guarantee['confidence']:.0f} %"
    parts = []
    for top in ("10", "50"):
        fact = guarantee.get(top)
        if not fact:
            continue
        size = fact["size"]
        if fact["shared_places"] is None:
            parts.append("the highest is the true highest" if size == 1 else f"the {size} highest are the true {size} highest")
        else:
            first, last = fact["shared_places"]
            parts.append(f"{fact['certain']} of the {size} highest are certainly among the true {size} highest; places {first}–{last} are shared within the margin with {fact['sharing_count']} more")
    return (
        f"With {confidence} confidence (simultaneous intervals from {batches} independent batches of sources, approximate): "
        + "; ".join(parts)
        + f"; values within ±{guarantee['margin']:.2g} (normalised)."
    )


def _sampled_paths(G, k: int, seed: int, *, weighted: bool, twin_class: np.ndarray | None = None):
    """One sampled search of G's ties (weighted: length 1 / weight, ties of weight 0 left out).

    ``twin_class``: the closed-twin classes of an unweighted search of all of G's ties, reused by
    the weighted search when no tie is left out (the same ties, so the same classes).
    """
    from .betweenness_estimate import sampled_paths

    i, j = _ends(G)
    if weighted:
        w = G.edges["weight"].to_numpy(dtype=float)
        keep = w > 0
        reuse = twin_class if keep.all() else None
        return sampled_paths(G.n, i[keep], j[keep], k=k, seed=seed, lengths=1.0 / w[keep], twin_class=reuse)
    return sampled_paths(G.n, i, j, k=k, seed=seed)


# Below this many ties the path measures take well under a second and a worker process
# would cost more than it saves; above it they run beside the counting measures.
BACKGROUND_MIN_TIES = 50_000


def path_measures(G, g=None, *, sample: int | None = None, seed: int = 42) -> tuple[BetweennessResult, BetweennessResult, ClosenessResult]:
    """Betweenness (unweighted, weighted) and closeness: the measures that search paths.

    They are grouped because together they are the slow half of an analysis and need only the
    ties, so :func:`path_measures_in_background` can run them in a worker process.
    """
    k = DEFAULT_SOURCES if sample is None else _sample_size(sample)
    if (sample is None and not _exact_possible(G)) or (sample is not None and k < G.n):
        # one compiled search gives unweighted betweenness and closeness (no igraph needed)
        shared = _sampled_paths(G, k, seed, weighted=False)
        close_exact = _exact_possible(G)  # closeness is cheap: exact whenever betweenness could be
        # the weighted search starts from the twin classes the unweighted one found
        weighted = _sampled_paths(G, DEFAULT_SOURCES_WEIGHTED if sample is None else k, seed, weighted=True, twin_class=shared.twin_class)
        return (
            _betweenness(G, None, weighted=False, sample=k, seed=seed, sampled=shared),
            _betweenness(G, None, weighted=True, sample=sample, seed=seed, sampled=weighted),
            _closeness(G, None, sample=None if close_exact else k, seed=seed, sampled=None if close_exact else shared),
        )
    g = _igraph(G) if g is None else g
    return (
        _betweenness(G, g, weighted=False, sample=sample, seed=seed),
        _betweenness(G, g, weighted=True, sample=sample, seed=seed),
        _closeness(G, g, sample=None, seed=seed),
    )


def _path_measures_from_ties(n: int, i: np.ndarray, j: np.ndarray, weight: np.ndarray, sample, seed):
    """Worker side of :func:`path_measures_in_background`: rebuild a graph of ties only."""
    from ..graph.projection import CollaborationGraph

    edges = pd.DataFrame({"i": i, "j": j, "weight": weight})
    G = CollaborationGraph(pd.DataFrame(index=pd.RangeIndex(n)), edges, pd.DataFrame(), sp.csr_matrix((n, 0)), pd.DataFrame())
    return path_measures(G, sample=sample, seed=seed)


def path_measures_in_background(G, *, sample: int | None = None, seed: int = 42, standby=None):
    """Start :func:`path_measures` on the second core; ``.result()`` returns the same triple.

    Small graphs (fewer than ``BACKGROUND_MIN_TIES`` ties) are computed on ``.result()`` in
    this process. Only positions and weights travel to the worker, so the cost is the same
    with fork (Linux) and spawn (Windows, macOS). ``standby``: a worker of
    :func:`path_worker_on_standby`, forked earlier, that is sent the ties (or let go when the
    graph is small).
    """
    from ..parallel import Background

    i, j = _ends(G)
    weight = G.edges["weight"].to_numpy(dtype=float) if G.m else np.zeros(0)
    start = G.m >= BACKGROUND_MIN_TIES
    if standby is not None:
        if start:
            standby.send(G.n, i, j, weight, sample, seed)
            return standby
        standby.cancel()
    return Background(_path_measures_from_ties, (G.n, i, j, weight, sample, seed), start=start)


def path_worker_on_standby():
    """The path searches' worker forked now, before the package is read (a :class:`~samverkan.parallel.Standby`).

    While this process reads the package and builds the graph (H2020: 1.7 s on one core), the
    worker loads numba and the compiled searches from their cache (about 0.8 s that would
    otherwise come first on the analysis' longest path); :func:`path_measures_in_background`
    then sends it the ties. None where no worker can be forked.
    """
    from ..parallel import Standby, can_fork

    if not can_fork():
        return None
    return Standby(_path_measures_from_ties, prepare=_load_path_kernels)


def _load_path_kernels() -> None:
    """Import and load the compiled searches: sampled betweenness and closeness, unweighted and weighted, on a small graph."""
    n = 24
    ring = np.arange(n, dtype=np.int64)
    i, j = np.concatenate([ring, ring[:-2]]), np.concatenate([(ring + 1) % n, ring[:-2] + 2])
    ends = pd.DataFrame({"i": np.minimum(i, j), "j": np.maximum(i, j)}).drop_duplicates()
    weight = 1.0 + (ends["i"].to_numpy() % 3).astype(float)  # unequal: the weighted searches too
    _path_measures_from_ties(n, ends["i"].to_numpy(dtype=np.int64), ends["j"].to_numpy(dtype=np.int64), weight, 4, 1)


def _components(G) -> tuple[np.ndarray, np.ndarray]:
    """Component label of every node and component sizes (scipy, labels by smallest member)."""
    i, j = _ends(G)
    A = sp.coo_matrix((np.ones(len(i)), (i, j)), shape=(G.n, G.n)).tocsr()
    _, labels = csgraph.connected_components(A, directed=False)
    return labels, np.bincount(labels, minlength=labels.max() + 1 if len(labels) else 0)


def closeness(G, *, sample: int | None = None, seed: int = 42) -> ClosenessResult:
    """Closeness: how near an organisation is, on average, to those it can reach.

    Parameters
    ----------
    G : CollaborationGraph
    sample : int or None, keyword-only
        Number of sources for the estimate. None (default): exact within the limits of
        :func:`betweenness`, otherwise ``DEFAULT_SOURCES`` per large component.
    seed : int, keyword-only
        Seed of ``numpy.random.default_rng`` that draws the sources.

    Returns
    -------
    ClosenessResult
        ``values`` (Series ``closeness``, no NaN), ``exact``, ``sources``, ``note``,
        ``standard_error``.

    Notes
    -----
    Definition (networkx's ``closeness_centrality`` with ``wf_improved=True``): with ``r`` the
    size of v's component and ``S_v`` the sum of distances from v to the others in it,
    ``C(v) = (r − 1)/S_v · (r − 1)/(n − 1)``; isolates 0. Unweighted. The second factor is
    the Wasserman–Faust scaling that keeps organisations in small components from looking
    central; igraph's ``closeness(normalized=True)`` is only the first factor (and NaN for
    isolates), sna's is 0 everywhere on disconnected graphs.

    Estimate (beyond the limits, or with ``sample``): components with at most k members are
    computed exactly; in each larger component, k sources are drawn uniformly and
    ``S_v ≈ (r/k) Σ_{s sampled} d(s, v)`` (Eppstein & Wang 2004), unbiased for ``S_v``;
    closeness is the inverse, with a standard error from 16 batches (delta method). The
    estimate never is NaN: a node whose sampled distances are all 0 is computed exactly.

    References
    ----------
    Wasserman, S. & Faust, K. (1994). Social Network Analysis, pp. 200–201.
    Eppstein, D. & Wang, J. (2004). Fast approximation of centrality. J. Graph Algorithms
    Appl. 8(1), 39–45.
    """
    return _closeness(G, None, sample=sample, seed=seed)


def _closeness(G, g, *, sample: int | None, seed: int, sampled=None) -> ClosenessResult:
    """:func:`closeness` on a prebuilt igraph ``g`` of all ties (None: build it when exact).

    ``sampled``: an unweighted :class:`~samverkan.metrics.betweenness_estimate.SampledPaths`
    already searched with ``sample`` sources (shared with betweenness).
    """
    n = G.n
    if sample is None:
        k = None if _exact_possible(G) else DEFAULT_SOURCES
    else:
        k = _sample_size(sample)
    if n == 0:
        empty = _series(np.zeros(0), "closeness", 0)
        return ClosenessResult(empty, True, None, "no organisations", empty.copy())
    labels, sizes = _components(G)
    r = sizes[labels].astype(float)
    scale = np.where(r > 1, (r - 1) / max(n - 1, 1), 0.0)
    if k is None or k >= n:
        g = _igraph(G) if g is None else g
        values = np.nan_to_num(np.asarray(g.closeness(normalized=True), dtype=float), nan=0.0) * scale
        note = f"closeness exact (igraph breadth-first search), Wasserman–Faust scaling for {len(sizes):,} components, isolates 0"
        return ClosenessResult(_series(values, "closeness", n), True, None, note, _series(np.zeros(n), "closeness", n))
    if sampled is None:
        sampled = _sampled_paths(G, k, seed, weighted=False)
    total = sampled.distance_sum
    positive = total > 0
    values = np.zeros(n)
    se = np.zeros(n)
    values[positive] = (r[positive] - 1) / total[positive] * scale[positive]
    se[positive] = values[positive] * sampled.distance_sum_se[positive] / total[positive]
    sampled_nodes = sampled.facts["sampled_organisations"]
    if sampled_nodes == 0:
        note = f"closeness exact (breadth-first search; every component has at most {k:,} members), Wasserman–Faust scaling, isolates 0"
        return ClosenessResult(_series(values, "closeness", n), True, None, note, _series(np.zeros(n), "closeness", n))
    note = (
        f"closeness estimated for the {sampled_nodes:,} organisations in components larger than {k:,} "
        f"from {k:,} sources sampled uniformly per component (seed {seed}; Eppstein & Wang 2004), the same searches as betweenness; "
        f"exact for the other {n - sampled_nodes:,}; Wasserman–Faust scaling, isolates 0; "
        f"{_relative_error_text(values, se)}"
    )
    return ClosenessResult(_series(values, "closeness", n), False, k, note, _series(se, "closeness", n))


def _largest_component(labels: np.ndarray, sizes: np.ndarray) -> int:
    """Label of the largest component; ties go to the one whose smallest member comes first."""
    # scipy labels components in order of their smallest member, so argmax's first hit is it
    return int(np.argmax(sizes))


def eigenvector(G, *, weight: str | None = None) -> pd.Series:
    """Eigenvector centrality: being tied to organisations that are themselves central.

    Parameters
    ----------
    G : CollaborationGraph
    weight : str or None, keyword-only
        Edge column of tie strengths; None (default) = binary ties.

    Returns
    -------
    pandas.Series
        ``eigenvector`` by node position, unit Euclidean length, ≥ 0; 0 outside the largest
        component and everywhere when there are no ties.

    Notes
    -----
    Definition: the Perron eigenvector ``x`` of the adjacency matrix (``A x = λ_max x``),
    scaled to ``‖x‖₂ = 1`` as networkx and sna do (igraph scales the maximum to 1).

    Disconnected graphs: the leading eigenvector of the whole graph lives on one component only
    (the one with the largest λ_max) and is not unique when two components tie. samverkan
    computes it on the **largest connected component** (most organisations; ties: the one
    with the earliest node) and gives 0 elsewhere. On connected graphs this equals networkx's
    ``eigenvector_centrality_numpy``; on disconnected graphs networkx 3.6's numpy version
    refuses (``AmbiguousSolution``) and its power iteration converges to our vector whenever
    the largest component also has the largest λ_max, as in every collaboration network we
    have seen. Ties of weight 0 are left out. Solved with scipy's ``eigsh`` (ARPACK, Lanczos)
    on the component's sparse adjacency (dense ``eigh`` up to 64 members).

    References
    ----------
    Bonacich, P. (1987). Power and centrality: a family of measures. Am. J. Sociol. 92,
    1170–1182.
    """
    n = G.n
    out = np.zeros(n)
    if G.m == 0:
        return _series(out, "eigenvector", n)
    i, j = _ends(G)
    w = np.ones(G.m) if weight is None else G.edges[weight].to_numpy(dtype=float)
    keep = w > 0
    i, j, w = i[keep], j[keep], w[keep]
    if not len(i):
        return _series(out, "eigenvector", n)
    A = sp.coo_matrix((np.concatenate([w, w]), (np.concatenate([i, j]), np.concatenate([j, i]))), shape=(n, n)).tocsr()
    _, labels = csgraph.connected_components(A, directed=False)
    sizes = np.bincount(labels)
    members = np.flatnonzero(labels == _largest_component(labels, sizes))
    sub = A[members][:, members]
    size = len(members)
    if size <= 64:
        vals, vecs = np.linalg.eigh(sub.toarray())  # small: a dense size × size block is fine
        x = vecs[:, np.argmax(vals)]
    else:
        from scipy.sparse.linalg import eigsh

        start = np.asarray(sub.sum(axis=1)).ravel()
        vals, vecs = eigsh(sub, k=1, which="LA", v0=start / np.linalg.norm(start), tol=0)
        x = vecs[:, 0]
    x = x * np.sign(x.sum())
    x = np.clip(x, 0.0, None)
    out[members] = x / np.linalg.norm(x)
    return _series(out, "eigenvector", n)


def articulation_points(G) -> pd.Series:
    """Whether each organisation is an articulation point (cut vertex).

    Parameters
    ----------
    G : CollaborationGraph

    Returns
    -------
    pandas.Series
        ``articulation_point`` (bool) by node position: True when removing the organisation
        splits its component into more pieces.

    References
    ----------
    Hopcroft, J. & Tarjan, R. (1973). Algorithm 447: efficient algorithms for graph
    manipulation. Commun. ACM 16(6), 372–378.
    """
    return _articulation_points(G, None)


def _articulation_points(G, g) -> pd.Series:
    out = np.zeros(G.n, dtype=bool)
    if G.m:
        out[(_igraph(G) if g is None else g).articulation_points()] = True
    return _series(out, "articulation_point", G.n)


def bridges(G) -> pd.DataFrame:
    """Ties whose removal splits a component.

    Parameters
    ----------
    G : CollaborationGraph

    Returns
    -------
    pandas.DataFrame
        Columns ``i``, ``j`` (node positions, i < j), one row per bridge, sorted.

    References
    ----------
    Tarjan, R. E. (1974). A note on finding the bridges of a graph. Inf. Process. Lett. 2(6),
    160–161.
    """
    if not G.m:
        return pd.DataFrame({"i": pd.Series([], dtype=np.int64), "j": pd.Series([], dtype=np.int64)})
    rows = np.sort(np.asarray(_igraph(G).bridges(), dtype=np.int64))
    i, j = _ends(G)
    frame = pd.DataFrame({"i": np.minimum(i[rows], j[rows]), "j": np.maximum(i[rows], j[rows])})
    return frame.sort_values(["i", "j"]).reset_index(drop=True)


def removal_impact(G) -> pd.Series:
    """How many organisations lose contact with the main network if this one leaves.

    Parameters
    ----------
    G : CollaborationGraph

    Returns
    -------
    pandas.Series
        ``removal_disconnects`` (int) by node position.

    Notes
    -----
    Definition: for an articulation point v of the largest connected component L (most
    organisations; ties: the one with the earliest node), removing v splits L into pieces;
    the count is ``|L| − 1 − |largest piece|``: the organisations no longer connected to the
    biggest remaining part. 0 for every other organisation, including articulation points of
    smaller components (they cut nothing off the main network).

    Computed for all organisations at once on the block–cut tree of L (biconnected
    components from igraph): each non-cut vertex is counted in its block, each cut vertex by
    itself, and the size of every piece left by a cut vertex is a subtree sum. Linear time.

    References
    ----------
    Hopcroft, J. & Tarjan, R. (1973). Efficient algorithms for graph manipulation. Commun.
    ACM 16(6), 372–378.
    Harary, F. (1969). Graph Theory. Addison-Wesley, ch. 3 (block–cut trees).
    """
    return _removal_impact(G, None)


def _removal_impact(G, g) -> pd.Series:
    n = G.n
    out = np.zeros(n, dtype=np.int64)
    if G.m < 2:
        return _series(out, "removal_disconnects", n)
    labels, sizes = _components(G)
    main = _largest_component(labels, sizes)
    size_main = int(sizes[main])
    g = _igraph(G) if g is None else g
    blocks, cut = g.biconnected_components(return_articulation_points=True)
    cut = np.asarray([v for v in cut if labels[v] == main], dtype=np.int64)
    if not len(cut):
        return _series(out, "removal_disconnects", n)
    block_members = [np.asarray(b, dtype=np.int64) for b in blocks]
    block_members = [b for b in block_members if labels[b[0]] == main]
    nb = len(block_members)
    # tree nodes: 0..nb-1 blocks, nb.. cut vertices
    cut_index = np.full(n, -1, dtype=np.int64)
    cut_index[cut] = np.arange(len(cut)) + nb
    lengths = np.array([len(b) for b in block_members])
    flat = np.concatenate(block_members)
    owner = np.repeat(np.arange(nb), lengths)
    is_cut = cut_index[flat] >= 0
    weight = np.concatenate([np.bincount(owner[~is_cut], minlength=nb), np.ones(len(cut), dtype=np.int64)])
    tree = sp.coo_matrix((np.ones(int(is_cut.sum())), (owner[is_cut], cut_index[flat[is_cut]])), shape=(nb + len(cut),) * 2)
    tree = (tree + tree.T).tocsr()
    order, parent = csgraph.breadth_first_order(tree, 0, directed=False, return_predecessors=True)
    subtree = weight.astype(np.int64).copy()
    for node in order[::-1][:-1]:  # leaves first; one step per tree node (≤ 2n), cheap
        subtree[parent[node]] += subtree[node]
    # pieces left by cut vertex c: each child block's subtree, and the rest above c
    child = order[1:]
    child_parent = parent[child]
    from_cut = child_parent >= nb
    largest_child = np.zeros(nb + len(cut), dtype=np.int64)
    np.maximum.at(largest_child, child_parent[from_cut], subtree[child[from_cut]])
    tree_cut = np.arange(len(cut)) + nb
    above = size_main - subtree[tree_cut]
    largest_piece = np.maximum(largest_child[tree_cut], above)
    out[cut] = size_main - 1 - largest_piece
    return _series(out, "removal_disconnects", n)
