"""The per-region key figures: brokerage concentration by hand and against networkx, ownership shares."""

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from samverkan.compare.figures import BASE_COLUMNS, brokerage_concentration, ownership_shares, ownership_table, region_figures, rule_column
from samverkan.compare.regions import regions_from_packages, split_package
from samverkan.graph.projection import CollaborationGraph

from .helpers import example_paths, make_package


def graph_of(edges, n):
    frame = pd.DataFrame(edges, columns=["i", "j"]) if edges else pd.DataFrame({"i": pd.Series([], dtype=int), "j": pd.Series([], dtype=int)})
    frame["weight"] = 1.0
    return CollaborationGraph(pd.DataFrame({"id": [f"o{k}" for k in range(n)], "name": [f"O{k}" for k in range(n)]}), frame, pd.DataFrame(), sp.csr_matrix((n, 0)), pd.DataFrame())


def raw_networkx(G):
    H = nx.Graph()
    H.add_nodes_from(range(G.n))
    H.add_edges_from(zip(G.edges["i"], G.edges["j"]))
    values = nx.betweenness_centrality(H, normalized=False)
    return [values[k] for k in range(G.n)]


@pytest.mark.parametrize(
    "edges, n, expected",
    [
        # star, centre 0 and leaves 1–3: the centre is on the 3 leaf–leaf paths; 6 connected pairs
        ([(0, 1), (0, 2), (0, 3)], 4, 3 / 6),
        # path 0–1–2–3: b(1) = 2 (0–2, 0–3), b(2) = 2 (0–3, 1–3): (2 + 2 + 0) / 6
        ([(0, 1), (1, 2), (2, 3)], 4, 4 / 6),
        # a clique: every pair tied directly, nobody between
        ([(0, 1), (0, 2), (1, 2)], 3, 0.0),
        # two triangles' worth of path 0–1–2 plus an isolated pair 3–4: b(1) = 1; pairs 3 + 1
        ([(0, 1), (1, 2), (3, 4)], 5, 1 / 4),
        # 4-cycle: two shortest paths between opposite corners, each corner gets 1/2 twice: 4 × 0.5,
        # top three 0.5 + 0.5 + 0.5 over 6 pairs
        ([(0, 1), (1, 2), (2, 3), (0, 3)], 4, 1.5 / 6),
    ],
)
def test_brokerage_concentration_by_hand(edges, n, expected):
    G = graph_of(edges, n)
    value, top = brokerage_concentration(raw_networkx(G), G)
    assert value == pytest.approx(expected)
    assert len(top) == 3


def test_brokerage_concentration_undefined_without_pairs():
    assert math.isnan(brokerage_concentration([0.0, 0.0], graph_of([], 2))[0])
    assert math.isnan(brokerage_concentration([0.0], graph_of([], 1))[0])


def test_region_figures_use_raw_betweenness_like_networkx():
    # A random co-participation network: the region's brokerage concentration from samverkan's
    # betweenness (igraph, normalised, multiplied back) equals the one from networkx's raw values.
    rng = np.random.default_rng(3)
    rows = []
    for p in range(14):
        members = rng.choice(25, size=rng.integers(2, 5), replace=False)
        rows += [(f"p{p}", f"o{m:02d}", "partner") for m in members]
    package = make_package(rows, organisations=[{"id": f"o{k:02d}", "region": "R"} for k in range(25)])
    region = split_package(package, "region").regions[0]
    figures = region_figures(region, seed=1)
    expected, _ = brokerage_concentration(raw_networkx(figures.graph), figures.graph)
    assert figures.row["brokerage_concentration"] == pytest.approx(expected)
    assert figures.row["organisations"] == 25
    assert figures.row["participations"] == len({(p, o) for p, o, _ in rows})
    assert figures.row["too_thin"] is False


def test_ownership_shares_count_projects_not_findings():
    findings = pd.DataFrame(
        {
            "rule": ["no-owner", "no-owner", "no-steering-group", "key-person-dependency"],
            "project": ["p1", "p1", "p2", ""],  # p1 twice: still one project; the last is about an organisation
        }
    )
    table = ownership_table(findings)
    assert list(table.columns) == ["share_key_person_dependency", "share_no_owner", "share_no_steering_group"]
    shares = ownership_shares(table, ["p1", "p2", "p3", "p4"])
    assert shares == {"share_key_person_dependency": 0.0, "share_no_owner": 0.25, "share_no_steering_group": 0.25}
    assert rule_column("ended-without-receiver") == "share_ended_without_receiver"
    assert all(math.isnan(v) for v in ownership_shares(table, []).values())


def test_ownership_is_judged_on_whole_projects():
    # p1 is owned by a (region X); c (region Y) also takes part. Y's slice of p1 has no owner of
    # its own, but p1 has one: Y's share of projects without owner is 0, not 1.
    package = make_package([("p1", "a", "owner"), ("p1", "c", "partner"), ("p1", "a", "steering")], organisations=[{"id": "a", "region": "X"}, {"id": "c", "region": "Y"}])
    y = split_package(package, "region").regions[1]
    row = region_figures(y).row
    assert row.get("share_no_owner", 0.0) == 0.0


def test_example_rows_have_the_stable_columns():
    regions = regions_from_packages(example_paths())
    for region in regions.regions:
        row = region_figures(region, min_organisations=20).row
        assert [c for c in BASE_COLUMNS if c not in row] == []
        assert row["organisations"] == len(region.members)
        assert 0 < row["density"] <= 1
        assert row["too_thin"] == (row["organisations"] < 20)


def test_no_empty_small_multiple_and_rule_labels():
    """A metric no region has a value other than 0 for draws no panel; rule columns carry catalogue labels."""
    import pandas as pd

    from samverkan.compare.report import _header, figure_metrics, metric_text

    frame = pd.DataFrame(
        {"region": ["a", "b"], "too_thin": [False, False], "density": [0.5, 0.2], "transitivity": [0.0, 0.0], "share_no_steering_group": [0.0, float("nan")], "share_no_owner": [0.25, 0.0]}
    )
    assert figure_metrics(frame) == ["density", "share_no_owner"]
    assert _header("share_no_steering_group", "sv") == "Andel: saknar styrgrupp"
    assert metric_text("share_no_owner", "sv")[0] == "Andel projekt: saknar projektägare"
    assert "no-owner" not in metric_text("share_no_owner", "sv")[1]
    # brokerage concentration can exceed 1: never called a share
    title, sentence = metric_text("brokerage_concentration", "sv")
    assert "andel" not in title.lower() and "ingen andel" in sentence
