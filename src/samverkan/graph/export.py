"""Export the collaboration graph for other tools: GraphML, GEXF (Gephi) and node-link JSON.

Every node carries its organisation attributes and metrics, every edge its shared projects,
weights, shared roles and direct-tie type. Values are plain str/int/float/bool (missing numbers
are left out of the element rather than written as NaN), so Gephi, igraph and networkx read them.
The three files are written here as text straight from the graph's attribute dicts rather than
through networkx's writers, which build one XML element per value (H2020: ~30 s for 36,000
organisations with ~30 attributes each). What networkx reads back is the same as from its own
writers: the same keys and types (a name holding ints and floats is one ``double`` key rather than
two keys), ``label`` is the node id, and edge ``weight`` is GEXF's own weight attribute. Unlike
networkx's GEXF writer there is no ``name`` on ``<graph>`` (the official 1.2draft schema does not
allow it) and no date in ``<meta>``, so the same graph always gives the same bytes.
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
# (and lone surrogates, which UTF-8 cannot encode)
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


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


# characters that must be escaped in XML text or attribute values (attribute values also keep
# tabs and line breaks, which a parser would otherwise turn into spaces)
_XML_SPECIAL = re.compile("[&<>\"\t\n\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_GRAPHML_TYPE = {bool: "boolean", int: "long", float: "double", str: "string"}
# keys networkx's GEXF writer takes from the attribute dicts into XML attributes of their own;
# ``label`` (nodes) and ``weight`` (edges) are handled here, a graph with the others goes to networkx
_GEXF_NODE_SPECIAL = {"id", "pid", "start", "end", "viz", "parents", "spells"}
_GEXF_EDGE_SPECIAL = {"id", "label", "type", "start", "end", "viz", "spells", "key"}


def _escape(value: str) -> str:
    """``value`` safe inside XML text or a double-quoted attribute; XML-invalid characters become spaces."""
    if _XML_SPECIAL.search(value) is None:
        return value
    value = _XML_INVALID.sub(" ", value)
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
        .replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;")
    )


def _kind(t: type) -> type:
    """bool, int, float or str: the type a value of Python type ``t`` is written as."""
    if issubclass(t, (bool, np.bool_)):
        return bool
    if issubclass(t, (int, np.integer)):
        return int
    if issubclass(t, (float, np.floating)):
        return float
    return str


def _key_types(dicts) -> dict:
    """For each attribute name in order of first appearance, the one type its values are written as.

    A name whose values are all bool is boolean, all int (or int and bool) int, any mix of numbers
    with a float is float, anything else str.
    """
    seen: dict = {}
    for data in dicts:
        for k, v in data.items():
            types = seen.get(k)
            if types is None:
                seen[k] = types = set()
            types.add(type(v))
    out = {}
    for k, types in seen.items():
        kinds = {_kind(t) for t in types}
        if kinds == {bool}:
            out[k] = bool
        elif kinds <= {bool, int}:
            out[k] = int
        elif kinds <= {bool, int, float}:
            out[k] = float
        else:
            out[k] = str
    return out


def _formatter(kind):
    """A function writing one value of a key of type ``kind`` as escaped XML text."""
    if kind is bool:
        return lambda v: "true" if v else "false"
    if kind is int:
        return lambda v: str(v) if type(v) is int else str(int(v))
    if kind is float:
        return lambda v: repr(v) if type(v) is float else repr(float(v))
    return lambda v: _escape(v) if type(v) is str else _escape(str(v))


def _node_id(node) -> str:
    return _escape(str(node))


def _public_graph_data(G) -> dict:
    return {k: v for k, v in G.graph.items() if not str(k).startswith("_") and k not in ("node_default", "edge_default")}


def write_graphml(G, path) -> None:
    """GraphML as networkx writes it: a ``<key>`` per attribute name (d0, d1, … nodes first), then the graph.

    Only ``<data>`` is indented, which keeps H2020's file small.
    """
    if G.is_multigraph():
        return _write_with_networkx_graphml(G, path)
    graph_data = _public_graph_data(G)
    scopes = [("graph", _key_types([graph_data])), ("node", _key_types(d for _, d in G.nodes(data=True))), ("edge", _key_types(d for _, _, d in G.edges(data=True)))]
    keys = {}
    lines = [
        "<?xml version='1.0' encoding='utf-8'?>",
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ]
    for scope, types in scopes:
        keys[scope] = {}
        for name, kind in types.items():
            key = f"d{sum(len(k) for k in keys.values())}"
            keys[scope][name] = (f'<data key="{key}">', _formatter(kind))
            lines.append(f'<key id="{key}" for="{scope}" attr.name="{_escape(str(name))}" attr.type="{_GRAPHML_TYPE[kind]}" />')
    lines.append(f'<graph edgedefault="{"directed" if G.is_directed() else "undirected"}">')
    append = lines.append

    def data(scope_keys, attributes, indent):
        for k, v in attributes.items():
            tag, fmt = scope_keys[k]
            append(f"{indent}{tag}{fmt(v)}</data>")

    data(keys["graph"], graph_data, "  ")
    node_keys, edge_keys = keys["node"], keys["edge"]
    for node, attributes in G.nodes(data=True):
        if attributes:
            append(f'<node id="{_node_id(node)}">')
            data(node_keys, attributes, "  ")
            append("</node>")
        else:
            append(f'<node id="{_node_id(node)}" />')
    for u, v, attributes in G.edges(data=True):
        if attributes:
            append(f'<edge source="{_node_id(u)}" target="{_node_id(v)}">')
            data(edge_keys, attributes, "  ")
            append("</edge>")
        else:
            append(f'<edge source="{_node_id(u)}" target="{_node_id(v)}" />')
    lines += ["</graph>", "</graphml>", ""]
    atomic_write_text(path, "\n".join(lines))


def _write_with_networkx_graphml(G, path) -> None:
    import networkx as nx

    G = G.copy()
    G.graph = _public_graph_data(G) | {k: v for k, v in G.graph.items() if k in ("node_default", "edge_default")}
    buffer = io.BytesIO()
    nx.write_graphml(G, buffer, encoding="utf-8", prettyprint=True)
    atomic_write_bytes(path, buffer.getvalue())


def write_gexf(G, path) -> None:
    """GEXF 1.2draft, valid against the official schema, read by networkx as from its own writer.

    Node ``label`` is the node's ``label`` attribute or else its id (as networkx writes it; the
    organisation's name is the ``name`` attribute), edge ``weight`` is the GEXF edge weight.
    """
    node_types = _key_types(d for _, d in G.nodes(data=True))
    edge_types = _key_types(d for _, _, d in G.edges(data=True))
    if G.is_multigraph() or _GEXF_NODE_SPECIAL & set(node_types) or _GEXF_EDGE_SPECIAL & set(edge_types) or G.graph.get("mode") == "dynamic":
        return _write_with_networkx_gexf(G, path)
    node_types.pop("label", None)
    edge_types.pop("weight", None)
    gexf_type = {bool: "boolean", int: "long", float: "double", str: "string"}
    lines = [
        "<?xml version='1.0' encoding='utf-8'?>",
        '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">',
        "  <meta>",
        "    <creator>samverkan</creator>",
        "  </meta>",
        f'  <graph defaultedgetype="{"directed" if G.is_directed() else "undirected"}" mode="static">',
    ]
    ids = {}
    for scope, types in (("node", node_types), ("edge", edge_types)):
        ids[scope] = {}
        if not types:
            continue
        lines.append(f'    <attributes mode="static" class="{scope}">')
        for name, kind in types.items():
            key = str(sum(len(k) for k in ids.values()))
            ids[scope][name] = (f'          <attvalue for="{key}" value="', _formatter(kind))
            lines.append(f'      <attribute id="{key}" title="{_escape(str(name))}" type="{gexf_type[kind]}" />')
        lines.append("    </attributes>")
    append = lines.append

    def attvalues(scope_ids, attributes):
        if attributes:
            append("        <attvalues>")
            for k, v in attributes.items():
                start, fmt = scope_ids[k]
                append(f'{start}{fmt(v)}" />')
            append("        </attvalues>")

    node_ids = ids["node"]
    append("    <nodes>")
    for node, attributes in G.nodes(data=True):
        node_id = _node_id(node)
        if "label" in attributes:
            attributes = dict(attributes)
            label = _escape(str(attributes.pop("label")))
        else:
            label = node_id
        if attributes:
            append(f'      <node id="{node_id}" label="{label}">')
            attvalues(node_ids, attributes)
            append("      </node>")
        else:
            append(f'      <node id="{node_id}" label="{label}" />')
    append("    </nodes>")
    edge_ids = ids["edge"]
    append("    <edges>")
    for number, (u, v, attributes) in enumerate(G.edges(data=True)):
        start = f'      <edge source="{_node_id(u)}" target="{_node_id(v)}" id="{number}"'
        if "weight" in attributes:
            attributes = dict(attributes)
            start += f' weight="{_escape(str(attributes.pop("weight")))}"'
        if attributes:
            append(start + ">")
            attvalues(edge_ids, attributes)
            append("      </edge>")
        else:
            append(start + " />")
    lines += ["    </edges>", "  </graph>", "</gexf>", ""]
    atomic_write_text(path, "\n".join(lines))


def _write_with_networkx_gexf(G, path) -> None:
    import networkx as nx

    G = G.copy()
    G.graph = _public_graph_data(G) | {k: v for k, v in G.graph.items() if k in ("node_default", "edge_default", "mode")}
    buffer = io.BytesIO()
    nx.write_gexf(G, buffer, encoding="utf-8", prettyprint=True, version="1.2draft")
    text = buffer.getvalue().decode("utf-8")
    text = re.sub(r'(<graph\b[^>]*?)\s+name="[^"]*"', r"\1", text, count=1)
    text = re.sub(r'\s+lastmodifieddate="[^"]*"', "", text, count=1)
    atomic_write_text(path, text)


def _json_value(value):
    if isinstance(value, np.generic):
        return value.item()
    return value


def write_node_link_json(G, path) -> None:
    """networkx's node-link data (``edges="links"``), one node or link per line, keys sorted."""
    if G.is_multigraph():
        import networkx as nx

        data = nx.node_link_data(G, edges="links")
        data["graph"] = _public_graph_data(G)
        atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True, default=_json_value) + "\n")
        return
    dump = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=_json_value).encode
    nodes = ",\n  ".join(dump({**attributes, "id": node}) for node, attributes in G.nodes(data=True))
    links = ",\n  ".join(dump({**attributes, "source": u, "target": v}) for u, v, attributes in G.edges(data=True))
    text = (
        "{\n"
        f' "directed": {dump(G.is_directed())},\n'
        f' "graph": {dump(_public_graph_data(G))},\n'
        f' "links": [\n  {links}\n ],\n'
        f' "multigraph": false,\n'
        f' "nodes": [\n  {nodes}\n ]\n'
        "}\n"
    )
    atomic_write_text(path, text)
