"""Export the collaboration graph for other tools: GraphML, GEXF (Gephi) and node-link JSON.

Every node carries its organisation attributes and metrics, every edge its shared projects,
weights, shared roles and direct-tie type. Values are plain str/int/float/bool (missing numbers
are left out of the element rather than written as NaN), so Gephi, igraph and networkx read them.
networkx's GEXF writer puts a ``name`` attribute on ``<graph>`` that the official 1.2draft schema
does not allow; it is removed so strict readers accept the file.
"""

from __future__ import annotations

import io
import json
import math
import re

import numpy as np
import pandas as pd

from ..io.output import atomic_write_bytes, atomic_write_text

__all__ = ["strongest_edges", "EXPORT_MAX_EDGES", "graph_with_metrics", "write_graphml", "write_gexf", "write_node_link_json"]

_PRIVATE = {"email", "aliases"}
# Above this many ties the GraphML/GEXF/JSON exports keep the strongest ones (H2020's 800,000
# ties make a 245 MB GraphML file that takes minutes to write); ties.csv always has all of them.
EXPORT_MAX_EDGES = 50_000
# characters XML 1.0 cannot hold (control characters such as Word's manual line break \x0b)
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _plain(value):
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date().isoformat()
    if value is pd.NaT or value is None:
        return None
    if isinstance(value, str):
        return _XML_INVALID.sub(" ", value)
    if isinstance(value, (int, float, bool)):
        return value
    return str(value)


def strongest_edges(edges: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The ``limit`` strongest ties (most shared projects, then weight, then ids), in (i, j) order."""
    if len(edges) <= limit:
        return edges
    ranked = edges.sort_values(["shared_projects", "weight", "i", "j"], ascending=[False, False, True, True], kind="stable")
    return ranked.head(limit).sort_values(["i", "j"], kind="stable")


def graph_with_metrics(graph, metrics: pd.DataFrame | None = None, *, edges: pd.DataFrame | None = None):
    """A networkx Graph of organisations with their attributes and, when given, metrics.

    ``edges`` replaces the graph's ties (e.g. only the strongest of a very large graph).
    """
    import networkx as nx

    nodes = graph.nodes.copy()
    if metrics is not None:
        extra = [c for c in metrics.columns if c not in nodes.columns]
        nodes = nodes.join(metrics[extra].reset_index(drop=True))
    out = nx.Graph()
    for record in nodes.to_dict("records"):
        node_id = record.pop("id")
        out.add_node(node_id, **{k: v for k, v in ((k, _plain(v)) for k, v in record.items() if k not in _PRIVATE) if v is not None and v != ""})
    ids = graph.nodes["id"].to_numpy()
    edges = graph.edges if edges is None else edges
    columns = ["shared_projects", "newman_weight", "direct_weight", "weight", "shared_roles", "tie_type", "directed"]
    for record, i, j in zip(edges[columns].to_dict("records"), edges["i"], edges["j"]):
        out.add_edge(ids[i], ids[j], **{k: v for k, v in ((k, _plain(v)) for k, v in record.items()) if v is not None and v != ""})
    return out


def write_graphml(G, path) -> None:
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_graphml(G, buffer, encoding="utf-8", prettyprint=True)
    atomic_write_bytes(path, buffer.getvalue())


def write_gexf(G, path) -> None:
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_gexf(G, buffer, encoding="utf-8", prettyprint=True, version="1.2draft")
    text = buffer.getvalue().decode("utf-8")
    text = re.sub(r'(<graph\b[^>]*?)\s+name="[^"]*"', r"\1", text, count=1)
    atomic_write_text(path, text)


def write_node_link_json(G, path) -> None:
    import networkx as nx

    data = nx.node_link_data(G, edges="links")
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
