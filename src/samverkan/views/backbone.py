"""Ranking nodes by a metric, and the backbone of a graph too large to show whole."""

from __future__ import annotations

import math
from numbers import Real

__all__ = ["metric_values", "select_backbone"]


def metric_values(G, metric: str) -> dict:
    """The value of `metric` for every node, as floats.

    Parameters
    ----------
    G : networkx.Graph
        Graph whose nodes may carry `metric` as an attribute.
    metric : str
        Node attribute name, e.g. ``"degree"`` or ``"betweenness"``.

    Returns
    -------
    dict
        ``{node: float}``. Where the attribute is missing or not a finite number, ``"degree"``
        falls back to the node's degree in `G` and ``"weighted_degree"`` to the sum of
        ``shared_projects`` (else ``weight``, else 1) over its edges; other metrics fall back to 0.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.star_graph(3)
    >>> G.nodes[1]["betweenness"] = 0.5
    >>> metric_values(G, "degree")
    {0: 3.0, 1: 1.0, 2: 1.0, 3: 1.0}
    >>> metric_values(G, "betweenness")
    {0: 0.0, 1: 0.5, 2: 0.0, 3: 0.0}
    """
    out = {}
    for node, attrs in G.nodes(data=True):
        value = attrs.get(metric)
        if isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(float(value)):
            out[node] = float(value)
        elif metric == "degree":
            out[node] = float(G.degree(node))
        elif metric == "weighted_degree":
            out[node] = float(sum(_edge_strength(d) for _, _, d in G.edges(node, data=True)))
        else:
            out[node] = 0.0
    return out


def _edge_strength(data: dict) -> float:
    for key in ("shared_projects", "weight"):
        value = data.get(key)
        if isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(float(value)):
            return float(value)
    return 1.0


def select_backbone(G, max_nodes: int, *, size_by: str = "degree", values: dict | None = None) -> list:
    """The `max_nodes` nodes with the highest `size_by`, ties broken by id.

    Parameters
    ----------
    G : networkx.Graph
        The whole graph.
    max_nodes : int
        How many nodes to keep.
    size_by : str, optional
        The metric to rank by (see :func:`metric_values`).
    values : dict, optional
        ``{node: float}`` already computed (e.g. on a larger graph); `size_by` is then unused.

    Returns
    -------
    list
        The kept nodes, highest value first; among equal values the smaller id (as text) first.
        All nodes when `G` has no more than `max_nodes`.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b"), ("c", "b"), ("c", "d"), ("e", "f")])
    >>> select_backbone(G, 3)
    ['b', 'c', 'a']
    """
    if values is None:
        values = metric_values(G, size_by)
    ranked = sorted(G.nodes, key=lambda n: (-values[n], str(n)))
    return ranked[: max(0, int(max_nodes))]
