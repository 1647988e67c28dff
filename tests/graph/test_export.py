"""Exports for Gephi, igraph and networkx: readable, complete, and valid against the GEXF schema."""

from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from samverkan.graph.export import graph_with_metrics, write_gexf, write_graphml, write_node_link_json
from samverkan.graph.projection import project_organisations

from .test_projection import make_package

SCHEMAS = Path(__file__).resolve().parents[2].parent / "shared" / "schemas" / "gexf-1.2draft"


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
    igraph = pytest.importorskip("igraph")
    ig = igraph.Graph.Read_GraphML(str(path))
    assert ig.vcount() == 4 and ig.ecount() == 2


def test_gexf_is_valid_against_the_official_schema(graph, tmp_path):
    etree = pytest.importorskip("lxml.etree")
    if not (SCHEMAS / "gexf.xsd").exists():
        pytest.skip(f"the GEXF schemas are not at {SCHEMAS}")
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
