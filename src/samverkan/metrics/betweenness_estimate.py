"""Sampled betweenness by component: sources drawn only where paths can pass through others.

An estimate from k uniformly sampled sources (Brandes & Pich 2007) wastes every source that
lies in a small component or is an isolate: such a source adds nothing to the organisations of
the large component, whose betweenness is the one that is hard to compute. Horizon 2020 has
4,206 isolates and 4,416 small components among its 35,871 organisations, so 13 % of a sample
drawn from all organisations is spent on them.

:func:`component_sampled_betweenness` therefore

* computes betweenness **exactly** in every component with at most ``k`` members (their
  searches stay inside the component: cheap);
* in every larger component draws ``k`` sources uniformly *from that component* without
  replacement and scales their summed dependencies by ``r / k`` (r = component size). Sources
  in other components contribute nothing to its members, so this is an unbiased estimate of
  the exact value (Brandes & Pich 2007, applied per component);
* splits the sources into 16 batches for a standard error (spread of the batch estimates,
  finite-population correction ``√((r − k)/(r − 1))``).

The facts returned say how the values were obtained, for reports and the text catalogue.

References
----------
Brandes, U. (2001). A faster algorithm for betweenness centrality. J. Math. Sociol. 25, 163–177.
Brandes, U. & Pich, C. (2007). Centrality estimation in large networks. Int. J. Bifurcation and
Chaos 17(7), 2303–2318.
"""

from __future__ import annotations

import numpy as np

__all__ = ["ERROR_BATCHES", "component_sampled_betweenness"]

ERROR_BATCHES = 16


def component_sampled_betweenness(g, k: int, *, seed: int, lengths=None) -> tuple[np.ndarray, np.ndarray, dict]:
    """Raw betweenness (sum over unordered pairs, unnormalised), its standard error and facts.

    Parameters
    ----------
    g : igraph.Graph
        Undirected graph on positions 0..n-1.
    k : int
        Sources per component larger than ``k``; smaller components are computed exactly.
    seed : int
        Seed of ``numpy.random.default_rng``; components are visited in order of their
        smallest member, so the same seed gives the same sources.
    lengths : list of float or None
        Edge lengths (weighted betweenness), in edge order of ``g``.

    Returns
    -------
    raw : numpy.ndarray
        ``Σ_{s<t, s≠v≠t} σ_st(v)/σ_st`` (estimated in large components).
    standard_error : numpy.ndarray
        0 where exact.
    facts : dict
        ``method`` ("sampled sources per component"), ``sources`` (k), ``sampled_components``,
        ``sampled_organisations`` (members of components larger than k), ``exact_organisations``
        (the others, computed exactly), ``batches``, ``seed``.
    """
    n = g.vcount()
    raw = np.zeros(n)
    se = np.zeros(n)
    membership = np.asarray(g.connected_components().membership, dtype=np.int64)
    sizes = np.bincount(membership, minlength=membership.max() + 1 if n else 0)
    large = np.flatnonzero(sizes > k)
    small_nodes = np.flatnonzero((sizes[membership] <= k) & (sizes[membership] >= 3))
    if len(small_nodes):
        # sources restricted to the small components: their searches never leave them
        exact = np.asarray(g.betweenness(directed=False, weights=lengths, sources=small_nodes.tolist()), dtype=float)
        raw[small_nodes] = exact[small_nodes]
    rng = np.random.default_rng(seed)
    batches_used = 0
    sampled = 0
    for component in large:
        members = np.flatnonzero(membership == component)
        r = len(members)
        sources = np.sort(rng.choice(members, size=k, replace=False))
        batches = [b for b in np.array_split(sources, min(ERROR_BATCHES, k)) if len(b)]
        batches_used = max(batches_used, len(batches))
        parts = np.vstack([np.asarray(g.betweenness(directed=False, weights=lengths, sources=b.tolist()), dtype=float)[members] for b in batches])
        raw[members] = (r / k) * parts.sum(axis=0)
        if len(batches) > 1:
            batch_sizes = np.array([len(b) for b in batches], dtype=float)[:, None]
            estimates = (r / batch_sizes) * parts
            se[members] = estimates.std(axis=0, ddof=1) / np.sqrt(len(batches)) * np.sqrt((r - k) / (r - 1))
        else:
            se[members] = np.nan
        sampled += r
    facts = {
        "method": "sampled sources per component",
        "sources": k,
        "sampled_components": len(large),
        "sampled_organisations": int(sampled),
        "exact_organisations": int(n - sampled),
        "batches": int(batches_used),
        "seed": int(seed),
    }
    return raw, se, facts
