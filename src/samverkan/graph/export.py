"""Export the collaboration graph for other tools: GraphML, GEXF (Gephi) and node-link JSON.

Every node carries its organisation attributes and metrics, every edge its shared projects,
weights, shared roles and direct-tie type. Values are plain str/int/float/bool (missing numbers
are left out of the element rather than written as NaN), so Gephi, igraph and networkx read them.
The three files are written here as text straight from the graph's attribute dicts rather than
through networkx's writers, which build one XML element per value (H2020: ~30 s for 36,000
organisations with ~30 attributes each), and :func:`write_graph_exports` writes the same bytes
straight from the graph's tables, a column at a time, without building a networkx graph at all
(H2020: ~1 s rather than ~4 s). What networkx reads back is the same as from its own writers:
the same keys and types (a name holding ints and floats is one ``double`` key rather than two
keys), ``label`` is the node id, and edge ``weight`` is GEXF's own weight attribute. Unlike
networkx's GEXF writer there is no ``name`` on ``<graph>`` (the official 1.2draft schema does not
allow it) and no date in ``<meta>``, so the same graph always gives the same bytes.
"""

from __future__ import annotations

import io
import json
import math
import re
from dataclasses import dataclass
from itertools import chain, repeat
from json.encoder import encode_basestring
from operator import is_not, itemgetter

import numpy as np
import pandas as pd

from ..io.output import atomic_write_bytes, atomic_write_text

__all__ = [
    "strongest_edges",
    "EXPORT_MAX_EDGES",
    "EDGE_COLUMNS",
    "graph_with_metrics",
    "write_graph_exports",
    "write_graphml",
    "write_gexf",
    "write_node_link_json",
]

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
    shared = edges["shared_projects"].to_numpy()
    if shared.dtype.kind in "iu" and limit > 0:
        # only ties with at least the limit-th most shared projects can be among the strongest
        # (H2020: 55,000 of 800,000 to sort); the sort is stable, so their order is the same
        edges = edges[shared >= np.partition(shared, len(shared) - limit)[len(shared) - limit]]
    ranked = edges.sort_values(["shared_projects", "weight", "i", "j"], ascending=[False, False, True, True], kind="stable")
    return ranked.head(limit).sort_values(["i", "j"], kind="stable")


EDGE_COLUMNS = ("shared_projects", "newman_weight", "direct_weight", "weight", "shared_roles", "tie_type", "directed")
"""The tie attributes the exports and views carry, in this order."""


def graph_with_metrics(graph, metrics: pd.DataFrame | None = None, *, edges: pd.DataFrame | None = None, nodes=None):
    """A networkx Graph of organisations with their attributes and, when given, metrics.

    Parameters
    ----------
    graph : CollaborationGraph
        The organisations (``graph.nodes``) and their ties.
    metrics : pandas.DataFrame, optional
        One row per organisation, in the order of ``graph.nodes``; its columns that
        ``graph.nodes`` lacks become node attributes.
    edges : pandas.DataFrame, optional
        Replaces the graph's ties (e.g. only the strongest of a very large graph).
    nodes : sequence of int, optional
        Positions (rows of ``graph.nodes``) of the organisations to include, by default all; ties
        with an end outside them are left out. The nodes keep the order of ``graph.nodes``.

    Returns
    -------
    networkx.Graph
        Keyed by organisation id. Values are plain str/int/float/bool; missing, NaN, infinite and
        empty values are left out, and so are ``email`` and ``aliases``.
    """
    import networkx as nx

    tables = _tables(graph, metrics, edges=edges, nodes=nodes)
    out = nx.Graph()
    out.add_nodes_from(zip(tables.ids, _row_dicts(tables.node_columns, len(tables.ids))))
    ids = tables.edge_ids
    out.add_edges_from(zip(ids[tables.first_end], ids[tables.second_end], _row_dicts(tables.edge_columns, len(tables.first_end))))
    return out


def _row_dicts(columns, n: int):
    """One attribute dict per row: the columns' present (not None) values, in column order."""
    if not columns:
        return ({} for _ in range(n))
    names = [name for name, _ in columns]
    return ({k: v for k, v in zip(names, row) if v is not None} for row in zip(*(values for _, values in columns)))


# --- the graph as plain columns ---------------------------------------------------------------


@dataclass
class _Tables:
    """A graph as graph_with_metrics would hold it, a column at a time.

    Nodes in the order of the node table, each column's values plain (as ``_plain`` makes them)
    with None where the value is left out. Edges in the order of the edge table (networkx's
    insertion order), as positions into ``ids``; ``order`` is the order in which networkx reports
    them (from the end that comes first among the nodes), which is the order written.
    """

    ids: list
    node_columns: list
    edge_ids: np.ndarray
    first_end: np.ndarray  # positions into edge_ids as the edge table gives them (i)
    second_end: np.ndarray  # (j)
    edge_columns: list
    source: np.ndarray  # positions into ids, networkx's edge order: the end that comes first
    target: np.ndarray
    order: np.ndarray  # rows of the edge table in networkx's edge order
    simple: bool  # no node or tie twice, names all text: the columns say everything networkx would


def _node_frame(graph, metrics):
    nodes = graph.nodes
    if metrics is not None:
        extra = [c for c in metrics.columns if c not in nodes.columns]
        nodes = nodes.join(metrics[extra].reset_index(drop=True))
    return nodes


def _tables(graph, metrics=None, *, edges=None, nodes=None) -> _Tables:
    frame = _node_frame(graph, metrics)
    n_all = len(frame)
    edges = graph.edges if edges is None else edges
    i = edges["i"].to_numpy(dtype=np.int64)
    j = edges["j"].to_numpy(dtype=np.int64)
    edge_ids = graph.nodes["id"].to_numpy()
    keep_rows = None
    if nodes is not None:
        kept = np.unique(np.asarray(list(nodes), dtype=np.int64))
        frame = frame.iloc[kept]
        inside = np.zeros(n_all, dtype=bool)
        inside[kept] = True
        keep_rows = np.flatnonzero(inside[i] & inside[j])
        i, j = i[keep_rows], j[keep_rows]
        position = np.full(n_all, -1, dtype=np.int64)
        position[kept] = np.arange(len(kept))
    else:
        position = np.arange(n_all, dtype=np.int64)
    ids = _cell_values(frame["id"])
    node_columns = [(name, _plain_values(frame[name])) for name in frame.columns if name != "id" and name not in _PRIVATE]
    edge_frame = edges[list(EDGE_COLUMNS)]
    if keep_rows is not None:
        edge_frame = edge_frame.iloc[keep_rows]
    edge_columns = [(name, _plain_values(edge_frame[name])) for name in EDGE_COLUMNS]
    # networkx reports an edge from whichever end was added first, in the order its ties were added
    a, b = position[i], position[j]
    first, second = np.minimum(a, b), np.maximum(a, b)
    order = np.lexsort((np.arange(len(first)), first))
    simple = len(set(ids)) == len(ids) and len(np.unique(first * max(1, len(ids)) + second)) == len(first) and all(isinstance(name, str) for name, _ in node_columns)
    return _Tables(ids, node_columns, edge_ids, i, j, edge_columns, first[order], second[order], order, simple)


def _cell_values(series) -> list:
    """The column's cells as DataFrame.to_dict("records") gives them."""
    if _boxed(series.dtype):
        cells = _cells(series)
        if set(map(type, cells)) <= {str}:  # text only (the ids): nothing for _native to change
            return cells
        return [_native(v) for v in cells]
    return list(series)


def _cells(series) -> list:
    """The cells as iterating the column yields them (text columns without pandas' per-cell overhead)."""
    if series.dtype == np.dtype(object) or isinstance(series.dtype, pd.StringDtype):
        return series.to_numpy(dtype=object).tolist()
    return list(series)


def _boxed(dtype) -> bool:
    return dtype == np.dtype(object) or isinstance(dtype, pd.api.extensions.ExtensionDtype)


def _native(value):
    """numpy datetimes as pandas', pd.NA as None: what to_dict does to object and extension cells
    beyond what :func:`_plain` does anyway (numpy numbers become Python numbers in both)."""
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value)
    if isinstance(value, np.timedelta64):
        return pd.Timedelta(value)
    if value is pd.NA:
        return None
    return value


def _plain_values(series) -> list:
    """``_plain`` of every cell as to_dict gives it, with None for a value left out (missing, NaN,
    infinite, empty text); numbers and text a column at a time."""
    dtype = series.dtype
    kind = dtype.kind if isinstance(dtype, np.dtype) else None
    if kind in ("b", "i", "u"):
        return series.tolist()
    if kind == "f":
        array = series.to_numpy()
        out = array.tolist()
        for k in np.flatnonzero(~np.isfinite(array)).tolist():
            out[k] = None
        return out
    boxed = _boxed(dtype)
    cells = _cells(series)
    only_text = set(map(type, cells)) <= {str}
    texts = cells if only_text else [v for v in cells if type(v) is str]
    if texts and _XML_INVALID.search("\n".join(texts)) is not None:
        return [(_XML_INVALID.sub(" ", v) or None) if type(v) is str else _plain_other(v, boxed) for v in cells]
    if only_text:
        return [v or None for v in cells] if "" in cells else cells
    return [(v or None) if type(v) is str else _plain_other(v, boxed) for v in cells]


def _plain_other(value, boxed: bool):
    """``_plain`` of a cell that is not text, None where it is left out."""
    value = _plain(_native(value) if boxed else value)
    return None if value is None or value == "" else value


# characters that must be escaped in XML text or attribute values (attribute values also keep
# tabs and line breaks, which a parser would otherwise turn into spaces)
_XML_SPECIAL = re.compile('[&<>"\t\n\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]')
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
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;")


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
    text = f'{{\n "directed": {dump(G.is_directed())},\n "graph": {dump(_public_graph_data(G))},\n "links": [\n  {links}\n ],\n "multigraph": false,\n "nodes": [\n  {nodes}\n ]\n}}\n'
    atomic_write_text(path, text)


# --- writing straight from the tables -----------------------------------------------------------


def write_graph_exports(graph, metrics: pd.DataFrame | None = None, *, edges: pd.DataFrame | None = None, graphml=None, gexf=None, node_link=None) -> None:
    """Write the graph as GraphML, GEXF and node-link JSON straight from its tables.

    Parameters
    ----------
    graph, metrics, edges
        As for :func:`graph_with_metrics`.
    graphml, gexf, node_link : str or os.PathLike, optional
        Where to write each format; a format without a path is not written.

    Notes
    -----
    The files are the same bytes as :func:`write_graphml`, :func:`write_gexf` and
    :func:`write_node_link_json` write for ``graph_with_metrics(graph, metrics, edges=edges)``, but
    no networkx graph is built: each column is made plain, typed, escaped and formatted once, for
    all rows at a time, and the rows are put together from those pieces (H2020: ~1 s for the
    three files rather than ~4 s). A graph whose tables name a node or a tie twice (networkx would
    merge them) goes through networkx as before.
    """
    tables = _tables(graph, metrics, edges=edges)
    if not tables.simple:
        G = graph_with_metrics(graph, metrics, edges=edges)
        for path, write in ((graphml, write_graphml), (gexf, write_gexf), (node_link, write_node_link_json)):
            if path is not None:
                write(G, path)
        return
    nodes = _Scope.of(tables.node_columns)
    ties = _Scope.of([(name, [values[k] for k in tables.order.tolist()]) for name, values in tables.edge_columns])
    node_ids = [_escape(str(node)) for node in tables.ids]
    source = tables.source.tolist()
    target = tables.target.tolist()
    if graphml is not None:
        _write_graphml_tables(graphml, nodes, ties, node_ids, source, target)
    if gexf is not None:
        if _GEXF_NODE_SPECIAL & set(nodes.kinds) or _GEXF_EDGE_SPECIAL & set(ties.kinds):
            write_gexf(graph_with_metrics(graph, metrics, edges=edges), gexf)
        else:
            _write_gexf_tables(gexf, nodes, ties, node_ids, source, target)
    if node_link is not None:
        _write_node_link_tables(node_link, nodes, ties, tables.ids, source, target)


@dataclass
class _Scope:
    """The nodes' or the edges' columns, with the type and the XML and JSON text of each."""

    columns: dict  # {name: values}, values plain or None, in the attributes' order
    kinds: dict  # {name: bool/int/float/str} in order of first appearance (the key order)
    types: dict  # {name: set of the Python types of its values}

    @classmethod
    def of(cls, columns):
        present = []
        types = {}
        for position, (name, values) in enumerate(columns):
            first = next((k for k, v in enumerate(values) if v is not None), None)
            if first is None:
                continue
            types[name] = set(map(type, values)) - {type(None)}
            present.append((first, position, name))
        kinds = {name: _kind_of(types[name]) for _, _, name in sorted(present)}
        return cls({name: values for name, values in columns if name in kinds}, kinds, types)

    def __post_init__(self):
        self._xml: dict = {}
        self._json: dict = {}

    def xml_texts(self, name) -> list:
        """The column's values as escaped XML text (None where left out), as ``_formatter`` writes them."""
        if name not in self._xml:
            self._xml[name] = self._xml_texts(self.columns[name], self.kinds[name], self.types[name])
        return self._xml[name]

    @staticmethod
    def _xml_texts(values, kind, types) -> list:
        if kind is bool:
            return [None if v is None else ("true" if v else "false") for v in values]
        if kind is float:
            if types == {float}:
                return _float_texts(values)
            text = lambda v: repr(float(v))  # noqa: E731
        elif kind is int:
            text = int.__repr__ if types == {int} else (lambda v: str(int(v)))
        elif types == {str} and _XML_SPECIAL.search("".join(v for v in values if v is not None)) is None:
            return values
        else:
            text = lambda v: _escape(str(v))  # noqa: E731
        return [None if v is None else text(v) for v in values]

    def json_texts(self, name) -> list:
        """The column's values as JSON (None where left out), as json.dumps writes them."""
        if name not in self._json:
            types = self.types[name]
            if len(types) == 1 and types <= {bool, int, float}:
                self._json[name] = self.xml_texts(name)  # true/false, int and float reprs: the same text
            else:
                text = encode_basestring if types == {str} else _json_text
                self._json[name] = [None if v is None else text(v) for v in self.columns[name]]
        return self._json[name]


def _float_texts(values: list) -> list:
    """``repr`` of each float (None stays None), worked out once for each distinct value.

    The distinct values are found by hashing (``pd.factorize``), not by sorting, and the texts are
    spread back to the rows by one ``take`` on an object array.
    """
    present = [v for v in values if v is not None]
    array = np.array(present, dtype=float)
    if not len(array) or np.signbit(array[array == 0]).any():  # a hash table takes -0.0 for 0.0
        return [None if v is None else float.__repr__(v) for v in values]
    codes, distinct = pd.factorize(array)
    if len(codes) and codes.min() < 0:  # NaN (not from _plain_values, which leaves it out)
        return [None if v is None else float.__repr__(v) for v in values]
    texts = np.empty(len(distinct), dtype=object)
    texts[:] = list(map(float.__repr__, distinct.tolist()))
    if len(present) == len(values):
        return texts.take(codes).tolist()
    out = np.full(len(values), None, dtype=object)
    out[np.fromiter(map(is_not, values, repeat(None)), dtype=bool, count=len(values))] = texts.take(codes)
    return out.tolist()


def _kind_of(types: set) -> type:
    """What ``_key_types`` makes of a name whose values have these Python types."""
    kinds = {_kind(t) for t in types}
    if kinds == {bool}:
        return bool
    if kinds <= {bool, int}:
        return int
    if kinds <= {bool, int, float}:
        return float
    return str


def _json_text(value) -> str:
    if type(value) is str:
        return encode_basestring(value)
    return _dump(value)


_dump = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=lambda v: v.item() if isinstance(v, np.generic) else v).encode


_SLOT = "\x00"  # where a row's value goes in a row template: no escaped XML or JSON text holds it


def _rows(args: list, template_of) -> list:
    """One text per row: ``template_of(present)`` with its slots filled by the row's present args.

    ``args`` are per-row texts (None where absent), all of one length; ``present`` says which
    args a row has, and the template has a :data:`_SLOT` for each. Rows are put together a group
    at a time, one group per pattern of absent args (few in practice: a column is missing for
    some organisations, most have all), each row by one ``str.join`` run from C.
    """
    n = len(args[0])
    partial = [k for k, a in enumerate(args) if type(None) in set(map(type, a))]
    if not partial:
        return _filled(template_of((True,) * len(args)), args, n)
    code = np.zeros(n, dtype=object if len(partial) > 62 else np.int64)
    for bit, k in enumerate(partial):
        there = np.fromiter(map(is_not, args[k], repeat(None)), dtype=bool, count=n)
        code = code + (there.astype(code.dtype) << bit)
    patterns, inverse = np.unique(code, return_inverse=True)
    by_pattern = np.argsort(inverse, kind="stable")
    bounds = np.searchsorted(inverse[by_pattern], np.arange(len(patterns) + 1))
    texts = []
    for p, pattern in enumerate(patterns.tolist()):
        rows = by_pattern[bounds[p] : bounds[p + 1]].tolist()
        present = [True] * len(args)
        for bit, k in enumerate(partial):
            present[k] = bool((pattern >> bit) & 1)
        get = itemgetter(*rows) if len(rows) > 1 else (lambda a, r=rows[0]: (a[r],))
        texts += _filled(template_of(tuple(present)), [get(a) for a, there in zip(args, present) if there], len(rows))
    out = np.empty(n, dtype=object)
    out[by_pattern] = texts
    return out.tolist()


_ROWS_AT_A_TIME = 8192  # rows put together before they are written (keeps memory flat)


def _row_chunks(args: list, template_of):
    """:func:`_rows` for ``_ROWS_AT_A_TIME`` rows at a time: lists of row texts, in row order."""
    n = len(args[0])
    for start in range(0, n, _ROWS_AT_A_TIME):
        yield _rows([a[start : start + _ROWS_AT_A_TIME] for a in args], template_of)


def _filled(template: str, columns: list, n: int) -> list:
    """The template's slots filled from ``columns``, for each of the ``n`` rows."""
    literals = template.split(_SLOT)
    parts = []
    for k, literal in enumerate(literals):
        if literal:
            parts.append(repeat(literal, n))
        if k < len(columns):
            parts.append(columns[k])
    return list(map("".join, zip(*parts)))


def _write_lines(path, parts) -> None:
    """Write the strings of ``parts`` one after another, atomically."""
    from ..io.output import atomic_write

    with atomic_write(path, "w", encoding="utf-8", newline="") as handle:
        handle.writelines(parts)


def _element_rows(start: list, heads: list, pieces: list, *, open_end: str, close: str, empty: str):
    """Rows of XML elements: ``start`` (a template with slots, e.g. for the id) and its args, then the
    optional attribute-like ``heads`` (template, texts), then the child ``pieces`` (template, texts);
    written ``…{open_end}{children}{close}`` with children, ``…{empty}`` without; an iterator of
    texts, each the rows of one chunk."""
    fixed, fixed_args = start
    args = [*fixed_args, *(texts for _, texts in heads), *(texts for _, texts in pieces)]
    n_fixed, n_heads = len(fixed_args), len(heads)

    def template_of(present):
        text = fixed + "".join(t for (t, _), there in zip(heads, present[n_fixed:]) if there)
        children = "".join(t for (t, _), there in zip(pieces, present[n_fixed + n_heads :]) if there)
        return text + (open_end + children + close if children else empty)

    return map("".join, _row_chunks(args, template_of))  # one text per chunk: one write each


def _write_graphml_tables(path, nodes: _Scope, ties: _Scope, node_ids, source, target) -> None:
    keys = {}
    head = [
        "<?xml version='1.0' encoding='utf-8'?>\n",
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n',
    ]
    for scope, table in (("node", nodes), ("edge", ties)):
        for name, kind in table.kinds.items():
            keys[scope, name] = key = f"d{len(keys)}"
            head.append(f'<key id="{key}" for="{scope}" attr.name="{_escape(str(name))}" attr.type="{_GRAPHML_TYPE[kind]}" />\n')
    head.append('<graph edgedefault="undirected">\n')

    def data(scope, table):
        return [(f'\n  <data key="{keys[scope, name]}">{_SLOT}</data>', table.xml_texts(name)) for name in table.columns]

    node_lines = _element_rows((f'<node id="{_SLOT}"', [node_ids]), [], data("node", nodes), open_end=">", close="\n</node>\n", empty=" />\n")
    edge_lines = _element_rows(
        (f'<edge source="{_SLOT}" target="{_SLOT}"', [[node_ids[u] for u in source], [node_ids[v] for v in target]]), [], data("edge", ties), open_end=">", close="\n</edge>\n", empty=" />\n"
    )
    _write_lines(path, chain(head, node_lines, edge_lines, ["</graph>\n", "</graphml>\n"]))


def _write_gexf_tables(path, nodes: _Scope, ties: _Scope, node_ids, source, target) -> None:
    labels = node_ids
    if "label" in nodes.kinds:
        labels = [nid if value is None else _escape(str(value)) for nid, value in zip(node_ids, nodes.columns["label"])]
    weights = [None] * len(source)
    if ties.types.get("weight") in ({float}, {int}):
        weights = ties.xml_texts("weight")  # str() of a float or an int is its repr
    elif "weight" in ties.kinds:
        weights = [None if value is None else _escape(str(value)) for value in ties.columns["weight"]]
    head = [
        "<?xml version='1.0' encoding='utf-8'?>\n",
        '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n',
        "  <meta>\n",
        "    <creator>samverkan</creator>\n",
        "  </meta>\n",
        '  <graph defaultedgetype="undirected" mode="static">\n',
    ]
    gexf_type = {bool: "boolean", int: "long", float: "double", str: "string"}
    keys = {}
    pieces = {}
    for scope, table, own in (("node", nodes, "label"), ("edge", ties, "weight")):
        names = [name for name in table.kinds if name != own]
        if names:
            head.append(f'    <attributes mode="static" class="{scope}">\n')
            for name in names:
                keys[scope, name] = key = str(len(keys))
                head.append(f'      <attribute id="{key}" title="{_escape(str(name))}" type="{gexf_type[table.kinds[name]]}" />\n')
            head.append("    </attributes>\n")
        pieces[scope] = [(f'\n          <attvalue for="{keys[scope, name]}" value="{_SLOT}" />', table.xml_texts(name)) for name in table.columns if name != own]
    node_lines = _element_rows(
        (f'      <node id="{_SLOT}" label="{_SLOT}"', [node_ids, labels]), [], pieces["node"], open_end=">\n        <attvalues>", close="\n        </attvalues>\n      </node>\n", empty=" />\n"
    )
    edge_lines = _element_rows(
        (f'      <edge source="{_SLOT}" target="{_SLOT}" id="{_SLOT}"', [[node_ids[u] for u in source], [node_ids[v] for v in target], [str(k) for k in range(len(source))]]),
        [(f' weight="{_SLOT}"', weights)],
        pieces["edge"],
        open_end=">\n        <attvalues>",
        close="\n        </attvalues>\n      </edge>\n",
        empty=" />\n",
    )
    _write_lines(path, chain(head, ["    <nodes>\n"], node_lines, ["    </nodes>\n", "    <edges>\n"], edge_lines, ["    </edges>\n", "  </graph>\n", "</gexf>\n"]))


def _write_node_link_tables(path, nodes: _Scope, ties: _Scope, ids, source, target) -> None:
    def objects(table, own):
        """One JSON object per row, keys sorted as json.dumps(sort_keys=True) sorts them."""
        columns = {name: table.json_texts(name) for name in table.columns if name not in own}
        columns.update(own)
        names = sorted(columns)
        keys = [encode_basestring(name) + ": " + _SLOT for name in names]
        rows = _row_chunks([columns[name] for name in names], lambda present: "{" + ", ".join(k for k, there in zip(keys, present) if there) + "}")
        for number, chunk in enumerate(rows):
            yield (",\n  " if number else "") + ",\n  ".join(chunk)

    id_texts = [_json_text(node) for node in ids]
    links = objects(ties, {"source": [id_texts[u] for u in source], "target": [id_texts[v] for v in target]})
    _write_lines(
        path,
        chain(
            ["{\n", ' "directed": false,\n', ' "graph": {},\n', ' "links": [\n  '],
            links,
            ["\n ],\n", ' "multigraph": false,\n', ' "nodes": [\n  '],
            objects(nodes, {"id": id_texts}),
            ["\n ]\n", "}\n"],
        ),
    )
