"""Sampled betweenness and closeness for large graphs, with a stated confidence for the ranking.

Used beyond the exact limits of :mod:`samverkan.metrics.centrality` (Horizon 2020: 35,871
organisations, 796,670 ties, where exact betweenness takes minutes). Four things make the
estimate both fast and close:

* **Twins merged** (:mod:`samverkan.metrics.twins`): organisations with the same partners are
  one vertex of the search graph; exact for shortest paths (H2020: 22,670 vertices, 564,073 ties).
* **Per component** (Brandes & Pich 2007, applied per component): components with at most k
  members are computed exactly; in each larger component (r members) k sources are drawn
  uniformly without replacement and weighted r / k. No source is spent on isolates.
* **Bisection shares** (:mod:`samverkan.metrics.path_kernels`, Geisberger, Sanders & Schultes
  2008): a source credits an organisation only with pairs whose other end is nearer to it, so
  no single source dominates a hub's estimate. Unbiased; weighted betweenness uses linear
  shares (distances are not levels there).
* **Compiled searches on every core** (numba), closeness from the same searches
  (Eppstein & Wang 2004: S_v ≈ (r/k) Σ_s d(s, v)).

**Confidence.** The sources are dealt into 32 interleaved batches; each batch gives an
independent unbiased estimate, and their spread gives a standard error per organisation. The
*statement* is built on simultaneous intervals ``estimate ± z·SE`` over the contenders for the
top places (every organisation whose estimate lies within reach of the 50th), with ``z`` from
the normal distribution and a Bonferroni correction so that all intervals hold together with
the stated confidence (90 %). From them: how many of the 10 and 50 highest are *certainly* in
place (their interval lies above every outsider's), which organisations share the last places
within the margin, and the largest half-width among the 50 highest ("values within ±x"). The
intervals are approximate (central limit theorem over the batches), not worst-case bounds;
``tests/metrics/test_betweenness_estimate.py`` checks over many seeds, on graphs with exact
values, that the promise holds at least as often as stated.

References
----------
Brandes, U. (2001). A faster algorithm for betweenness centrality. J. Math. Sociol. 25, 163–177.
Brandes, U. & Pich, C. (2007). Centrality estimation in large networks. Int. J. Bifurcation and
Chaos 17(7), 2303–2318.
Geisberger, R., Sanders, P. & Schultes, D. (2008). Better approximation of betweenness
centrality. ALENEX 2008, 90–100.
Eppstein, D. & Wang, J. (2004). Fast approximation of centrality. J. Graph Algorithms Appl. 8(1), 39–45.
Sariyüce, A. E. et al. (2013). Shattering and compressing networks for betweenness centrality. SDM 2013.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse import csgraph
from scipy.special import ndtri  # the standard normal quantile: scipy.stats.norm.ppf to the bit, without importing scipy.stats (~0.9 s)

__all__ = ["ERROR_BATCHES", "CONFIDENCE", "SampledPaths", "sampled_paths", "ranking_confidence"]

ERROR_BATCHES = 32
CONFIDENCE = 0.90


@dataclass
class SampledPaths:
    """Raw sampled values by organisation and how they were obtained.

    ``betweenness`` is the unnormalised sum over unordered pairs, ``betweenness_se`` its standard
    error (0 where exact); ``distance_sum``/``distance_sum_se`` estimate each organisation's sum
    of distances to the others in its component (None for weighted searches); ``facts`` say how.
    """

    betweenness: np.ndarray
    betweenness_se: np.ndarray
    distance_sum: np.ndarray | None
    distance_sum_se: np.ndarray | None
    facts: dict
    twin_class: np.ndarray | None = None


def _components(n: int, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    A = sp.coo_matrix((np.ones(len(i)), (i, j)), shape=(n, n)).tocsr()
    return csgraph.connected_components(A, directed=False)[1]


def _batches(graph, membership, sizes, k: int, rng, batches: int):
    """Sources per batch as (classes, weights): exact components whole, large ones sampled."""
    cls = graph.twin_class
    n = len(cls)
    weight = np.zeros(n)
    large = np.flatnonzero(sizes > k)
    # small components: every organisation is a source with weight 1 (exact)
    groups = [np.flatnonzero(sizes[membership] <= k)]
    weight[groups[0]] = 1.0
    sampled = 0
    for component in large:  # in order of smallest member: the same seed draws the same sources
        members = np.flatnonzero(membership == component)
        picks = rng.choice(members, size=k, replace=False)
        weight[picks] = len(members) / k
        groups.append(picks)
        sampled += len(members)
    out = []
    for b in range(batches):  # each group dealt in turn: batches of equal size per component
        part = np.concatenate([group[b::batches] for group in groups])
        classes, inverse = np.unique(cls[part], return_inverse=True)
        out.append((classes.astype(np.int64), np.bincount(inverse, weights=weight[part] * batches, minlength=len(classes))))
    return out, large, sampled


def sampled_paths(n: int, i: np.ndarray, j: np.ndarray, *, k: int, seed: int, lengths: np.ndarray | None = None, batches: int = ERROR_BATCHES, twin_class: np.ndarray | None = None) -> SampledPaths:
    """Betweenness (and, unweighted, distance sums for closeness) from k sources per large component.

    Parameters
    ----------
    n : int
        Organisations, positions 0..n-1.
    i, j : numpy.ndarray
        Ends of the ties (undirected).
    k : int
        Sources per component larger than ``k``; smaller components are computed exactly.
    seed : int
        Seed of ``numpy.random.default_rng`` (the same seed draws the same sources).
    lengths : numpy.ndarray, optional
        Positive tie lengths for weighted betweenness (linear shares, Dijkstra).
    batches : int
        Independent batches for the standard error.
    twin_class : numpy.ndarray, optional
        Closed-twin classes of the same ties (``twin_class`` of an unweighted result), reused by
        a weighted search instead of found again.
    """
    from . import path_kernels
    from .twins import by_degree, merge_twins

    i = np.asarray(i, dtype=np.int64)
    j = np.asarray(j, dtype=np.int64)
    batches = max(1, min(batches, k))  # no empty batch: each must estimate the whole
    graph = by_degree(merge_twins(n, i, j, lengths, classes=twin_class))
    if lengths is not None:  # ties beaten by a two-step detour are on no shortest path
        graph = path_kernels.without_detoured_ties(graph)
    membership = _components(n, i, j)
    sizes = np.bincount(membership, minlength=membership.max() + 1 if n else 0)
    rng = np.random.default_rng(seed)
    plan, large, sampled = _batches(graph, membership, sizes, k, rng, batches)
    cls = graph.twin_class
    if lengths is None:
        credit, dsum = path_kernels.unweighted_searches(graph, plan, "bisection")
        # members of the source's own class are at the class's internal distance
        own = np.zeros_like(dsum)
        for b, (classes, weights) in enumerate(plan):
            m = graph.multiplicity[classes]
            own[b, classes] = weights * graph.internal_length[classes] * (m - 1) / m
        dsum = dsum + own
    else:
        credit = path_kernels.weighted_searches(graph, plan, "linear")
        dsum = None
    # each batch estimates the whole (weights were multiplied by the number of batches)
    estimate = credit[:, cls]
    raw = estimate.mean(axis=0)
    fpc = np.ones(n)
    r = sizes[membership].astype(float)
    in_large = np.isin(membership, large)
    fpc[in_large] = np.sqrt(np.clip((r[in_large] - k) / np.maximum(r[in_large] - 1, 1), 0, 1))
    se = estimate.std(axis=0, ddof=1) / np.sqrt(batches) * fpc if batches > 1 else np.full(n, np.nan)
    se[~in_large] = 0.0
    distance_sum = distance_se = None
    if dsum is not None:
        d = dsum[:, cls]
        distance_sum = d.mean(axis=0)
        distance_se = d.std(axis=0, ddof=1) / np.sqrt(batches) * fpc if batches > 1 else np.full(n, np.nan)
        distance_se[~in_large] = 0.0
    facts = {
        "method": "sampled sources per component",
        "sources": int(k),
        "sampled_components": int(len(large)),
        "sampled_organisations": int(sampled),
        "exact_organisations": int(n - sampled),
        "batches": int(batches),
        "seed": int(seed),
        "search_vertices": int(graph.classes),
        "shares": "linear" if lengths is not None else "bisection",
    }
    return SampledPaths(raw, se, distance_sum, distance_se, facts, cls)


def ranking_confidence(values: np.ndarray, se: np.ndarray, *, tops=(10, 50), confidence: float = CONFIDENCE) -> dict:
    """What the estimate says for certain about the highest places, at ``confidence``.

    Contenders are the organisations whose estimate lies within 6 standard errors of the
    ``max(tops)``-th value (the others cannot reach the top places at any reasonable
    confidence). Simultaneous intervals ``value ± z·SE`` over the contenders use
    ``z = Φ⁻¹(1 − (1 − confidence) / (2·contenders))`` (Bonferroni). For each top size t: the
    organisations of the estimated top t whose lower bound lies above the upper bound of every
    organisation outside it are *certain*; the rest of the top t ``share`` its last places with
    the outsiders whose intervals reach them.

    Returns
    -------
    dict
        ``confidence``, ``z``, ``contenders``, ``margin`` (the largest half-width z·SE among
        the max(tops) highest, in the units of ``values``), and per top size t, under the key
        ``str(t)``: ``size`` (t, or fewer when fewer organisations have a value above 0),
        ``certain`` (how many of the estimated top places are certain), ``shared_places``
        ([first, last] place shared within the margin, or None), ``sharing_count`` and
        ``sharing`` (up to 20 positions of outsiders within reach) and ``uncertain`` (positions
        of the top members that are not certain).
    """
    n = len(values)
    order = np.argsort(-values, kind="stable")
    out = {"confidence": confidence, "z": None, "contenders": 0, "margin": 0.0}
    if n == 0:
        return out
    deepest = min(max(tops), n)
    threshold = values[order[deepest - 1]]
    contenders = order[values[order] + 6 * se[order] >= threshold - 6 * se[order[deepest - 1]]]
    contenders = contenders[values[contenders] > 0] if (values[contenders] > 0).any() else contenders
    count = max(len(contenders), 1)
    z = float(ndtri(1 - (1 - confidence) / (2 * count)))
    low = values - z * se
    high = values + z * se
    out.update(z=z, contenders=int(len(contenders)), margin=float((z * se[order[:deepest]]).max()) if deepest else 0.0)
    positives = int((values > 0).sum())
    sizes = set()
    for top in tops:
        t = min(top, n, positives)  # "the 10 highest" among organisations with a value at all
        if t == 0 or t in sizes:  # one statement per size
            continue
        sizes.add(t)
        members = order[:t]
        rest = order[t:]
        best_outside = high[rest].max() if len(rest) else -np.inf
        certain = low[members] > best_outside
        uncertain = members[~certain]
        sharing = np.zeros(0, dtype=np.int64)
        places = None
        if len(uncertain):
            # outsiders whose interval reaches the lowest interval among the uncertain members
            sharing = rest[high[rest] >= low[uncertain].min()]
            places = [int(np.flatnonzero(~certain).min()) + 1, t]
        out[str(top)] = {
            "size": int(t),
            "certain": int(certain.sum()),
            "shared_places": places,
            "sharing_count": int(len(sharing)),
            "sharing": [int(x) for x in sharing[:20]],
            "uncertain": [int(x) for x in uncertain],
        }
    return out
