"""Exports for Gephi, igraph and networkx: readable, complete, and valid against the GEXF schema."""

import os
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from samverkan.graph.export import graph_with_metrics, strongest_edges, write_gexf, write_graph_exports, write_graphml, write_node_link_json
from samverkan.graph.projection import project_organisations

from .test_projection import make_package

# the official schemas live beside the repository (../shared/schemas); SAMVERKAN_SHARED names another place
_SHARED = [Path(os.environ["SAMVERKAN_SHARED"])] if os.environ.get("SAMVERKAN_SHARED") else []
_SHARED += [Path(__file__).resolve().parents[2].parent / "shared", Path(__file__).resolve().parents[3] / "shared"]
SCHEMAS = next((p / "schemas" / "gexf-1.2draft" for p in _SHARED if (p / "schemas" / "gexf-1.2draft" / "gexf.xsd").exists()), _SHARED[0] / "schemas" / "gexf-1.2draft")


def _need_schemas():
    """Skip on a machine without ../shared/schemas; under CI (the CI variable set) that is a failure."""
    if not (SCHEMAS / "gexf.xsd").exists():
        if os.environ.get("CI"):
            pytest.fail(f"the GEXF schemas are not at {SCHEMAS}; CI must check them")
        pytest.skip(f"the GEXF schemas are not at {SCHEMAS}")


@pytest.fixture
def graph():
    pkg = make_package([("p1", "a", "owner"), ("p1", "b", "steering"), ("p2", "b", "owner"), ("p2", "c", "partner")], organisations=["a", "b", "c", "d"])
    pkg.tables["organisations"]["name"] = ["Huddinge kommun", "Arbetsförmedlingen", "<img src=x onerror=alert(1)>", "Ö"]
    G = project_organisations(pkg)
    metrics = pd.DataFrame({"id": G.nodes["id"], "degree": [1, 2, 1, 0], "constraint": [1.0, 0.5, 1.0, float("nan")], "articulation_point": [False, True, False, False]})
    return graph_with_metrics(G, metrics)


def test_graphml_round_trips_through_networkx_and_igraph(graph, tmp_path):
    path = tmp_path / "g.graphml"
    write_graphml(graph, path)
    back = nx.read_graphml(path)
    assert sorted(back.nodes) == ["a", "b", "c", "d"]
    assert back.nodes["b"]["name"] == "Arbetsförmedlingen" and back.nodes["b"]["articulation_point"] is True
    assert "constraint" not in back.nodes["d"]  # NaN is left out, not written as 'nan'
    assert back["a"]["b"]["shared_projects"] == 1 and back["a"]["b"].get("shared_roles", "") == ""
    import igraph

    ig = igraph.Graph.Read_GraphML(str(path))
    assert ig.vcount() == 4 and ig.ecount() == 2


def test_gexf_is_valid_against_the_official_schema(graph, tmp_path):
    from lxml import etree

    _need_schemas()
    path = tmp_path / "g.gexf"
    write_gexf(graph, path)
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "gexf.xsd")))
    schema.assertValid(etree.parse(str(path)))
    back = nx.read_gexf(path)
    assert back.number_of_nodes() == 4 and back.nodes["c"]["label"] == "c"


def test_node_link_json(graph, tmp_path):
    path = tmp_path / "g.json"
    write_node_link_json(graph, path)
    back = nx.node_link_graph(__import__("json").loads(path.read_text(encoding="utf-8")), edges="links")
    assert back.nodes["c"]["name"] == "<img src=x onerror=alert(1)>"
    assert back.number_of_edges() == 2


# --- the hand-written writers read back as networkx's own writers' output does -----------------

HOSTILE = ["<img src=x onerror=alert(1)>", "A & B \"quoted\" 'single'", "]]> end", "tab\there\nnew line\r\nCRLF", "Ö ünïcødé 北京"]


@pytest.fixture
def hostile():
    """Hostile names and every value type: bool, int, float, str, NaN left out, empty roles."""
    orgs = ["a", "b", "c", "d", "e", "f"]
    pkg = make_package(
        [("p1", "a", "owner"), ("p1", "b", "steering"), ("p2", "b", "owner"), ("p2", "c", "partner"), ("p3", "d", "partner"), ("p3", "e", "partner"), ("p3", "a", "partner")], organisations=orgs
    )
    pkg.tables["organisations"]["name"] = HOSTILE + ["ctrl\x0bchar\ufffe end"]
    G = project_organisations(pkg)
    metrics = pd.DataFrame(
        {
            "id": G.nodes["id"],
            "degree": [2, 2, 1, 1, 1, 0],
            "constraint": [1.0, 0.5, float("nan"), 0.25, 1e-7, float("nan")],
            "articulation_point": [False, True, False, False, True, False],
            "roles": ["owner: P1", "", "x & y", "<b>", "]]>", ""],
        }
    )
    return graph_with_metrics(G, metrics)


def _networkx_bytes(G, kind):
    import io

    buffer = io.BytesIO()
    if kind == "graphml":
        nx.write_graphml(G, buffer, encoding="utf-8", prettyprint=True)
    else:
        nx.write_gexf(G, buffer, encoding="utf-8", prettyprint=True, version="1.2draft")
    buffer.seek(0)
    return buffer


def _typed(G):
    """Nodes, node attributes and edge attributes with each value's type, for exact comparison."""
    nodes = {n: {k: (type(v), v) for k, v in d.items()} for n, d in G.nodes(data=True)}
    edges = {frozenset((u, v)): {k: (type(x), x) for k, x in d.items()} for u, v, d in G.edges(data=True)}
    return nodes, edges


def test_graphml_reads_back_as_networkx_own_output(hostile, tmp_path):
    path = tmp_path / "g.graphml"
    write_graphml(hostile, path)
    ours = nx.read_graphml(path)
    theirs = nx.read_graphml(_networkx_bytes(hostile, "graphml"))
    assert _typed(ours) == _typed(theirs)
    assert ours.nodes["a"]["name"] == HOSTILE[0] and ours.nodes["d"]["name"] == "tab\there\nnew line\r\nCRLF"
    assert ours.nodes["f"]["name"] == "ctrl char  end"  # XML-invalid characters become spaces
    assert "constraint" not in ours.nodes["c"] and ours.nodes["e"]["constraint"] == 1e-7
    assert ours.nodes["b"]["articulation_point"] is True and type(ours.nodes["a"]["degree"]) is int


def test_graphml_reads_back_in_igraph_like_networkx_output(hostile, tmp_path):
    import igraph

    ours_path, theirs_path = tmp_path / "ours.graphml", tmp_path / "theirs.graphml"
    write_graphml(hostile, ours_path)
    theirs_path.write_bytes(_networkx_bytes(hostile, "graphml").getvalue())
    ours, theirs = igraph.Graph.Read_GraphML(str(ours_path)), igraph.Graph.Read_GraphML(str(theirs_path))
    assert ours.vcount() == theirs.vcount() == 6 and ours.ecount() == theirs.ecount()
    assert sorted(ours.vertex_attributes()) == sorted(theirs.vertex_attributes())
    assert sorted(ours.edge_attributes()) == sorted(theirs.edge_attributes())

    def same(a, b):
        return a == b or (a != a and b != b)  # igraph fills missing numbers with NaN

    for attribute in ours.vertex_attributes():
        assert all(same(x, y) for x, y in zip(ours.vs[attribute], theirs.vs[attribute], strict=True)), attribute
    for attribute in ours.edge_attributes():
        assert all(same(x, y) for x, y in zip(ours.es[attribute], theirs.es[attribute], strict=True)), attribute


def test_gexf_reads_back_as_networkx_own_output(hostile, tmp_path):
    path = tmp_path / "g.gexf"
    write_gexf(hostile, path)
    ours = nx.read_gexf(path)
    theirs = nx.read_gexf(_networkx_bytes(hostile, "gexf"))
    assert _typed(ours) == _typed(theirs)
    # label is the node id, as networkx writes it; the organisation name is the `name` attribute
    assert ours.nodes["a"]["label"] == "a" and ours.nodes["a"]["name"] == HOSTILE[0]
    assert ours.nodes["d"]["name"] == "tab\there\nnew line\r\nCRLF"


def test_node_link_json_matches_networkx(hostile, tmp_path):
    import json

    path = tmp_path / "g.json"
    write_node_link_json(hostile, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data == json.loads(json.dumps(nx.node_link_data(hostile, edges="links")))
    assert _typed(nx.node_link_graph(data, edges="links")) == _typed(hostile)


def test_exports_are_byte_identical_for_the_same_graph(hostile, tmp_path):
    for name, write in (("g.graphml", write_graphml), ("g.gexf", write_gexf), ("g.json", write_node_link_json)):
        write(hostile, tmp_path / f"1{name}")
        write(hostile.copy(), tmp_path / f"2{name}")
        assert (tmp_path / f"1{name}").read_bytes() == (tmp_path / f"2{name}").read_bytes(), name
    assert b"lastmodifieddate" not in (tmp_path / "1g.gexf").read_bytes()


def test_hostile_gexf_is_valid_against_the_official_schema(hostile, tmp_path):
    from lxml import etree

    _need_schemas()
    path = tmp_path / "g.gexf"
    write_gexf(hostile, path)
    tree = etree.parse(str(path))
    etree.XMLSchema(etree.parse(str(SCHEMAS / "gexf.xsd"))).assertValid(tree)
    graph = tree.getroot().find("{http://www.gexf.net/1.2draft}graph")
    assert graph.get("defaultedgetype") == "undirected" and graph.get("name") is None
    types = {a.get("title"): a.get("type") for a in tree.iter("{http://www.gexf.net/1.2draft}attribute")}
    assert types["articulation_point"] == "boolean" and types["degree"] in ("integer", "long") and types["constraint"] == "double" and types["name"] == "string"


def test_raw_networkx_graph_with_invalid_characters_and_mixed_numbers(tmp_path):
    """A graph not built by graph_with_metrics: ids and values with XML-invalid characters, ints mixed with floats."""
    from lxml import etree

    G = nx.Graph()
    G.add_node("x\x0by", name="bad\x00\ufffe", size=1, flag=True)
    G.add_node("z&<", name="ok", size=2.5)
    G.add_edge("x\x0by", "z&<", weight=2, note="]]>")
    write_graphml(G, tmp_path / "g.graphml")
    write_gexf(G, tmp_path / "g.gexf")
    for name in ("g.graphml", "g.gexf"):
        etree.parse(str(tmp_path / name))  # well-formed
    back = nx.read_graphml(tmp_path / "g.graphml")
    assert sorted(back.nodes) == ["x y", "z&<"]
    assert back.nodes["x y"]["name"] == "bad  " and back.nodes["x y"]["flag"] is True
    assert back.nodes["x y"]["size"] == 1.0 and type(back.nodes["x y"]["size"]) is float  # ints and floats: one double key
    assert back["x y"]["z&<"] == {"weight": 2, "note": "]]>"}
    keys = {k.get("attr.name"): k.get("attr.type") for k in etree.parse(str(tmp_path / "g.graphml")).iter("{http://graphml.graphdrawing.org/xmlns}key")}
    assert keys == {"name": "string", "size": "double", "flag": "boolean", "weight": "long", "note": "string"}
    gexf = nx.read_gexf(tmp_path / "g.gexf")
    assert gexf.nodes["z&<"]["size"] == 2.5 and gexf["x y"]["z&<"]["weight"] == 2.0
    if (SCHEMAS / "gexf.xsd").exists():
        etree.XMLSchema(etree.parse(str(SCHEMAS / "gexf.xsd"))).assertValid(etree.parse(str(tmp_path / "g.gexf")))


# --- writing straight from the tables: the same bytes as through graph_with_metrics --------------

ODD_NAMES = ['odd "name" & <x>', "pct%s %d", "tab\tname", "ctrl\x0bname"]


def _hostile_tables():
    """A collaboration graph and metrics with every kind of value graph_with_metrics has to plain:
    hostile text, XML-invalid characters, NaN and infinities, empty text, one column of mixed
    types, one all missing, numpy scalars, pd.NA, dates, and odd column names."""
    orgs = ["a", "b", "c", "d", "e", "f"]
    pkg = make_package(
        [("p1", "a", "owner"), ("p1", "b", "steering"), ("p2", "b", "owner"), ("p2", "c", "partner"), ("p3", "d", "partner"), ("p3", "e", "partner"), ("p3", "a", "partner")], organisations=orgs
    )
    pkg.tables["organisations"]["name"] = HOSTILE + ["ctrl\x0bchar\ufffe end"]
    pkg.tables["organisations"]["municipality"] = ["Huddinge", "", None, float("nan"), "Tyresö", "x\x00y"]
    G = project_organisations(pkg)
    metrics = pd.DataFrame(
        {
            "id": G.nodes["id"],
            "degree": [2, 2, 1, 1, 1, 0],
            "constraint": [1.0, 0.5, float("nan"), -0.0, 1e-7, float("inf")],
            "articulation_point": [False, True, False, False, True, False],
            "roles": ["owner: P1", "", "x & y", "<b>", "]]>", ""],
            "mixed": pd.Series([1, 2.5, True, "text", np.int64(7), None], dtype=object),
            "nothing": [float("nan")] * 6,
            "count": pd.array([1, None, 3, 4, None, 6], dtype="Int64"),
            "since": pd.to_datetime(["2020-01-02", None, "2021-03-04", "2021-03-04", None, "2019-12-31"]),
            ODD_NAMES[0]: [0.1, 0.2, 0.30000000000000004, 1e300, 5e-324, 2.0],
            ODD_NAMES[1]: ["%s", "%d", "%%", "", "a", "b"],
            ODD_NAMES[2]: [True, False, True, True, False, False],
            ODD_NAMES[3]: [1, 2, 3, 4, 5, 6],
        }
    )
    return G, metrics


def _reference_bytes(G, metrics, tmp_path, edges=None):
    """The three files as written before: graph_with_metrics, then each networkx-graph writer."""
    graph = graph_with_metrics(G, metrics, edges=edges)
    out = {}
    for name, write in (("graphml", write_graphml), ("gexf", write_gexf), ("json", write_node_link_json)):
        write(graph, tmp_path / f"reference.{name}")
        out[name] = (tmp_path / f"reference.{name}").read_bytes()
    return out


def _table_bytes(G, metrics, tmp_path, edges=None):
    paths = {name: tmp_path / f"tables.{name}" for name in ("graphml", "gexf", "json")}
    write_graph_exports(G, metrics, edges=edges, graphml=paths["graphml"], gexf=paths["gexf"], node_link=paths["json"])
    return {name: path.read_bytes() for name, path in paths.items()}


def test_writing_from_the_tables_gives_the_bytes_of_the_graph_writers(tmp_path):
    G, metrics = _hostile_tables()
    ours, theirs = _table_bytes(G, metrics, tmp_path), _reference_bytes(G, metrics, tmp_path)
    for name in ("graphml", "gexf", "json"):
        assert ours[name] == theirs[name], name
    text = ours["graphml"].decode("utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;" in text and "\x0b" not in text and "\x00" not in text
    assert "<img" not in text and "\ufffe" not in text


def test_writing_from_the_tables_with_a_chosen_set_of_ties(tmp_path):
    """Ties given out of order and from the later end: written in networkx's order and direction."""
    G, metrics = _hostile_tables()
    edges = G.edges.iloc[::-1].copy()
    edges[["i", "j"]] = edges[["j", "i"]].to_numpy()
    edges.loc[edges.index[0], "shared_roles"] = "a\x0bb & <c>"
    edges.loc[edges.index[1], "weight"] = float("nan")  # GEXF then has no weight for that edge
    ours, theirs = _table_bytes(G, metrics, tmp_path, edges=edges), _reference_bytes(G, metrics, tmp_path, edges=edges)
    for name in ("graphml", "gexf", "json"):
        assert ours[name] == theirs[name], name


@pytest.mark.parametrize("change", ["duplicate_id", "duplicate_tie", "gexf_reserved", "label", "no_ties", "no_metrics"])
def test_writing_from_the_tables_in_the_cases_networkx_treats_specially(tmp_path, change):
    """Nodes or ties named twice (networkx merges them), GEXF's reserved names (networkx's own
    writer), a ``label`` column (the GEXF label), no ties, no metrics: still the same bytes."""
    G, metrics = _hostile_tables()
    edges = None
    if change == "duplicate_id":
        G.nodes.loc[3, "id"] = "a"
    elif change == "duplicate_tie":
        edges = pd.concat([G.edges, G.edges.iloc[[0]].assign(shared_projects=9)])
    elif change == "gexf_reserved":
        metrics["start"] = ["2020", "", "2021", "", "", "x"]
    elif change == "label":
        metrics["label"] = ["Etikett A", None, "B & <b>", "", 5, "F"]
    elif change == "no_ties":
        edges = G.edges.iloc[:0]
    else:
        metrics = None
    ours, theirs = _table_bytes(G, metrics, tmp_path, edges=edges), _reference_bytes(G, metrics, tmp_path, edges=edges)
    for name in ("graphml", "gexf", "json"):
        assert ours[name] == theirs[name], name


def test_tables_gexf_is_valid_against_the_official_schema(tmp_path):
    from lxml import etree

    _need_schemas()
    G, metrics = _hostile_tables()
    write_graph_exports(G, metrics, gexf=tmp_path / "g.gexf", graphml=tmp_path / "g.graphml")
    etree.XMLSchema(etree.parse(str(SCHEMAS / "gexf.xsd"))).assertValid(etree.parse(str(tmp_path / "g.gexf")))
    back = nx.read_graphml(tmp_path / "g.graphml")
    assert back.nodes["f"]["name"] == "ctrl char  end" and back.nodes["a"]["name"] == HOSTILE[0]
    assert "municipality" not in back.nodes["b"] and "municipality" not in back.nodes["d"]  # empty, NaN: left out
    assert back.nodes["f"]["municipality"] == "x y"


def test_graph_with_metrics_for_some_organisations_is_their_subgraph():
    G, metrics = _hostile_tables()
    whole = graph_with_metrics(G, metrics)
    some = graph_with_metrics(G, metrics, nodes=[4, 0, 1, 0])
    assert list(some.nodes) == ["a", "b", "e"]  # in the order of the node table
    assert list(some.nodes(data=True)) == [(n, whole.nodes[n]) for n in ("a", "b", "e")]
    assert sorted(some.edges(data=True)) == sorted((u, v, d) for u, v, d in whole.edges(data=True) if {u, v} <= {"a", "b", "e"})


def test_plain_values_are_what_to_dict_and_plain_give():
    from samverkan.graph.export import _plain, _plain_values

    G, metrics = _hostile_tables()
    frame = G.nodes.join(metrics.drop(columns="id"))
    for name in frame.columns:
        expected = [_plain(record[name]) for record in frame[[name]].to_dict("records")]
        expected = [None if v is None or v == "" else v for v in expected]
        got = _plain_values(frame[name])
        assert got == expected and [type(v) for v in got] == [type(v) for v in expected], name


def test_strongest_edges_are_those_of_a_full_sort():
    rng = np.random.default_rng(7)
    edges = pd.DataFrame({"i": np.arange(500), "j": np.arange(500) + 1, "shared_projects": rng.integers(1, 4, 500), "weight": rng.integers(1, 3, 500) / 2})
    for limit in (1, 37, 200, 499):
        ranked = edges.sort_values(["shared_projects", "weight", "i", "j"], ascending=[False, False, True, True], kind="stable")
        assert strongest_edges(edges, limit).equals(ranked.head(limit).sort_values(["i", "j"], kind="stable")), limit


def test_float_texts_are_the_repr_of_each_value():
    # distinct values found by hashing and spread back to the rows: the repr of each, None kept;
    # -0.0 (which hashing takes for 0.0) and NaN go value by value
    from samverkan.graph.export import _float_texts

    for values in ([0.1, None, 2.0, 0.1, 1e-300, 5e20, None], [1.5] * 4, [None, None], [], [0.0, -0.0, None, 3.25], [float("nan"), 1.0, None]):
        assert _float_texts(values) == [None if v is None else repr(v) for v in values]


def test_plain_values_of_text_columns():
    # text only: taken as it is, an empty text left out; with missing values: None
    import pandas as pd

    from samverkan.graph.export import _cell_values, _plain_values

    assert _plain_values(pd.Series(["a", "b"], dtype=object)) == ["a", "b"]
    assert _plain_values(pd.Series(["a", "", "b"], dtype=object)) == ["a", None, "b"]
    assert _plain_values(pd.Series(["a", None, "c\x01"], dtype="string")) == ["a", None, "c "]
    assert _cell_values(pd.Series(["x", "y"], dtype=object)) == ["x", "y"]
    assert _cell_values(pd.Series(["x", None], dtype="string")) == ["x", None]
