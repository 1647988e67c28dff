"""Small graphs and packages for the density, group, ownership and white-spot tests.

``graph`` builds a :class:`CollaborationGraph` straight from an edge list, so a test states the
graph it means without going through a projection; ``package`` builds a package with every model
column filled (text ``""``, dates NaT), as the reader returns it.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from samverkan.graph.projection import CollaborationGraph
from samverkan.io.package import empty_package
from samverkan.model import TABLES


def graph(nodes, edges, *, weights=None, **attributes) -> CollaborationGraph:
    """A collaboration graph on `nodes` (ids, or a count) with undirected `edges` between positions.

    ``attributes`` are node columns (``type=[...]``). Every edge gets ``shared_projects`` 1 and
    ``weight``/``newman_weight`` from `weights` (1 each by default).
    """
    ids = [f"o{k}" for k in range(nodes)] if isinstance(nodes, int) else list(nodes)
    n = len(ids)
    frame = pd.DataFrame({"id": pd.Series(ids, dtype=object)})
    for name in ("name", "type", "level", "municipality", "region"):
        frame[name] = pd.Series(attributes.pop(name, [""] * n if name != "name" else ids), dtype=object)
    for name, values in attributes.items():
        frame[name] = pd.Series(values, dtype=object)
    pairs = [(min(a, b), max(a, b)) for a, b in edges]
    w = np.ones(len(pairs)) if weights is None else np.asarray(weights, dtype=float)
    edge_frame = pd.DataFrame(
        {
            "i": pd.Series([a for a, _ in pairs], dtype=np.int64),
            "j": pd.Series([b for _, b in pairs], dtype=np.int64),
            "shared_projects": np.ones(len(pairs), dtype=np.int64),
            "newman_weight": w,
            "direct_weight": np.zeros(len(pairs)),
            "weight": w,
        }
    )
    edge_frame = edge_frame.sort_values(["i", "j"]).reset_index(drop=True)
    return CollaborationGraph(frame, edge_frame, pd.DataFrame(), sp.csr_matrix((n, 0)), pd.DataFrame())


def from_networkx(nx_graph: nx.Graph, **attributes) -> CollaborationGraph:
    """The same graph as a CollaborationGraph, nodes in ``list(nx_graph)`` order."""
    nodes = list(nx_graph)
    position = {v: k for k, v in enumerate(nodes)}
    edges = [(position[a], position[b]) for a, b in nx_graph.edges() if a != b]
    weights = [d.get("weight", 1.0) for a, b, d in nx_graph.edges(data=True) if a != b]
    return graph([str(v) for v in nodes], edges, weights=weights, **attributes)


def random_graphs():
    """Seeded random graphs of different shapes: sparse with isolates, dense, clustered, trees."""
    return [
        nx.gnp_random_graph(30, 0.08, seed=1),
        nx.gnp_random_graph(40, 0.3, seed=2),
        nx.powerlaw_cluster_graph(50, 3, 0.6, seed=3),
        nx.random_labeled_tree(25, seed=4),
        nx.connected_watts_strogatz_graph(36, 4, 0.2, seed=5),
        nx.gnp_random_graph(60, 0.03, seed=6),
    ]


def _table(name: str, rows) -> pd.DataFrame:
    table = TABLES[name]
    frame = pd.DataFrame(rows) if rows else pd.DataFrame({c: [] for c in table.column_names})
    for column in table.columns:
        if column.kind == "date":
            frame[column.name] = pd.to_datetime(frame[column.name]) if column.name in frame else pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
            frame[column.name] = frame[column.name].astype("datetime64[ns]")
        elif column.kind == "number":
            frame[column.name] = frame[column.name].astype(float) if column.name in frame else np.nan
        elif column.kind == "bool":
            frame[column.name] = frame[column.name].fillna(False).astype(bool) if column.name in frame else False  # empty: false, as the reader
        else:
            values = frame[column.name] if column.name in frame else pd.Series([""] * len(frame), index=frame.index)
            frame[column.name] = values.fillna("").astype(str).astype(object)
    return frame[table.column_names + [c for c in frame.columns if c not in table.column_names]]


def package(*, organisations=(), projects=(), participations=(), contacts=(), target_groups=(), efforts=(), ties=(), name="test"):
    """A package from lists of row dicts; missing columns are empty, as the reader makes them."""
    pkg = empty_package(name)
    for table, rows in (
        ("organisations", organisations),
        ("projects", projects),
        ("participations", participations),
        ("contacts", contacts),
        ("target_groups", target_groups),
        ("efforts", efforts),
        ("ties", ties),
    ):
        pkg.tables[table] = _table(table, list(rows))
    return pkg


def org(id, name=None, type="other", **extra) -> dict:
    return {"id": id, "name": name or id, "type": type, **extra}


def part(project, organisation, role, contact="", **extra) -> dict:
    return {"project": project, "organisation": organisation, "role": role, "contact": contact, **extra}
