"""Small CollaborationGraphs built by hand, and their networkx / igraph twins, for metric tests."""

from __future__ import annotations

from fractions import Fraction

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from samverkan.graph.projection import CollaborationGraph


def make_graph(node_ids, edges, *, types=None, directed=(), arcs=()):
    """A CollaborationGraph on ``node_ids`` (positions = list order).

    ``edges``: (a, b) or (a, b, weight) by id or position; ``shared_projects`` = round(weight)
    at least 1, ``newman_weight`` = weight, ``direct_weight`` = 0. ``directed``: pairs whose
    tie is a one-way direct tie (no shared project); ``arcs``: their directions (a, b).
    """
    ids = list(node_ids)
    pos = {v: k for k, v in enumerate(ids)}
    n = len(ids)
    types = list(types) if types is not None else ["other"] * n
    nodes = pd.DataFrame(
        {
            "id": [str(v) for v in ids],
            "name": [f"Org {v}" for v in ids],
            "type": types,
            "level": "regional",
            "municipality": "",
            "region": "",
        }
    )
    rows = {}
    for edge in edges:
        a, b = pos[edge[0]], pos[edge[1]]
        w = float(edge[2]) if len(edge) > 2 else 1.0
        if a == b:
            raise ValueError("no loops")
        rows[(min(a, b), max(a, b))] = w
    keys = sorted(rows)
    one_way = {(min(pos[a], pos[b]), max(pos[a], pos[b])) for a, b in directed}
    frame = pd.DataFrame(
        {
            "i": np.array([k[0] for k in keys], dtype=np.int64),
            "j": np.array([k[1] for k in keys], dtype=np.int64),
        }
    )
    weights = np.array([rows[k] for k in keys], dtype=float)
    frame.insert(0, "source", [str(ids[k[0]]) for k in keys])
    frame.insert(1, "target", [str(ids[k[1]]) for k in keys])
    frame["shared_projects"] = [0 if k in one_way else max(1, int(round(rows[k]))) for k in keys]
    frame["newman_weight"] = [0.0 if k in one_way else rows[k] for k in keys]
    frame["direct_weight"] = [rows[k] if k in one_way else 0.0 for k in keys]
    frame["weight"] = weights
    frame["shared_roles"] = ""
    frame["tie_type"] = ["other" if k in one_way else "" for k in keys]
    frame["directed"] = [k in one_way for k in keys]
    arc_frame = pd.DataFrame(
        {
            "i": np.array([pos[a] for a, _ in arcs], dtype=np.int64),
            "j": np.array([pos[b] for _, b in arcs], dtype=np.int64),
            "weight": np.ones(len(arcs)),
        }
    )
    return CollaborationGraph(nodes, frame, arc_frame, sp.csr_matrix((n, 0)), pd.DataFrame({"id": [], "size": []}))


def positional_networkx(G, *, weight=None, distance=False, exact=None):
    """networkx Graph on positions 0..n-1; ``weight`` column as ``"w"``; ``distance`` adds ``"d" = 1/w``.

    ``exact``: a mapping (i, j) -> Fraction weight, used for exact distances instead of floats.
    """
    H = nx.Graph()
    H.add_nodes_from(range(G.n))
    for row in G.edges.itertuples(index=False):
        attrs = {}
        if weight is not None:
            attrs["w"] = getattr(row, weight)
        if distance:
            if exact is not None:
                attrs["d"] = 1 / Fraction(exact[(row.i, row.j)])
            else:
                attrs["d"] = 1.0 / row.weight
        H.add_edge(int(row.i), int(row.j), **attrs)
    return H


def random_graph(n, p, *, seed, weights=False, types=("a", "b", "c")):
    """A seeded Erdős–Rényi CollaborationGraph; weights are Newman-like sums of 1/(k-1)."""
    rng = np.random.default_rng(seed)
    edges = []
    exact = {}
    for a in range(n):
        for b in range(a + 1, n):
            if rng.random() < p:
                if weights:
                    parts = rng.integers(2, 7, size=rng.integers(1, 4))
                    w = sum(Fraction(1, int(k) - 1) for k in parts)
                else:
                    w = Fraction(1)
                exact[(a, b)] = w
                edges.append((a, b, float(w)))
    labels = [types[k] for k in rng.integers(0, len(types), size=n)]
    return make_graph(list(range(n)), edges, types=labels), exact


def collaboration_graph(n_orgs, n_projects, *, seed, types=("municipality", "academia", "business", "ngo")):
    """A seeded organisations × projects projection shaped like real data (hubs, cliques).

    Project sizes 2–8; organisations drawn with heavy-tailed activity. Returns the
    CollaborationGraph with Newman weights (``weight``) and shared-project counts.
    """
    rng = np.random.default_rng(seed)
    activity = rng.pareto(1.5, size=n_orgs) + 1.0
    activity /= activity.sum()
    shared = {}
    newman = {}
    for _ in range(n_projects):
        size = int(rng.integers(2, 9))
        members = np.sort(rng.choice(n_orgs, size=size, replace=False, p=activity))
        for x in range(size):
            for y in range(x + 1, size):
                key = (int(members[x]), int(members[y]))
                shared[key] = shared.get(key, 0) + 1
                newman[key] = newman.get(key, Fraction(0)) + Fraction(1, size - 1)
    labels = [types[k] for k in rng.integers(0, len(types), size=n_orgs)]
    G = make_graph(list(range(n_orgs)), [(a, b, float(newman[(a, b)])) for a, b in sorted(newman)], types=labels)
    G.edges["shared_projects"] = [shared[(a, b)] for a, b in zip(G.edges["i"], G.edges["j"])]
    return G, newman
