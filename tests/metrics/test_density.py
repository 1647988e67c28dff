"""network_summary, cross_sector_breadth and cross_type_share: hand-checked graphs, then networkx."""

import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samverkan.graph.projection import project_organisations
from samverkan.metrics.density import cross_sector_breadth, cross_type_share, degrees, network_summary
from samverkan.metrics.groups import ei_index

from .graphs_density import from_networkx, graph, org, package, part, random_graphs

KEYS = [
    "organisations",
    "ties",
    "density",
    "weighted_density",
    "mean_degree",
    "isolates",
    "components",
    "largest_component_size",
    "largest_component_share",
    "transitivity",
    "average_clustering",
    "degree_centralization",
]


def test_summary_has_every_key_as_plain_python_values():
    s = network_summary(graph(3, [(0, 1)]))
    assert list(s) == KEYS
    assert all(type(v) in (int, float) for v in s.values())


def test_star_has_centralization_one():
    # centre 0 with leaves 1, 2, 3: degrees (3, 1, 1, 1)
    s = network_summary(graph(4, [(0, 1), (0, 2), (0, 3)]))
    assert s["organisations"] == 4 and s["ties"] == 3
    assert s["density"] == pytest.approx(0.5)  # 2·3/(4·3) = 0.5
    assert s["mean_degree"] == pytest.approx(1.5)  # 2·3/4
    assert s["degree_centralization"] == pytest.approx(1.0)  # ((3−3)+3·(3−1))/((4−1)(4−2)) = 6/6
    assert s["transitivity"] == 0.0  # 3 triples at the centre, none closed
    assert s["average_clustering"] == 0.0
    assert (s["isolates"], s["components"], s["largest_component_size"], s["largest_component_share"]) == (0, 1, 4, 1.0)


def test_complete_graph():
    # K5: every pair tied
    s = network_summary(graph(5, [(a, b) for a in range(5) for b in range(a + 1, 5)]))
    assert s["ties"] == 10  # 5·4/2
    assert s["density"] == pytest.approx(1.0)  # 2·10/(5·4)
    assert s["transitivity"] == pytest.approx(1.0)  # every triple closed
    assert s["average_clustering"] == pytest.approx(1.0)
    assert s["degree_centralization"] == pytest.approx(0.0)  # all degrees 4
    assert s["mean_degree"] == pytest.approx(4.0)


def test_path():
    # 0–1–2–3: degrees (1, 2, 2, 1)
    s = network_summary(graph(4, [(0, 1), (1, 2), (2, 3)]))
    assert s["density"] == pytest.approx(0.5)  # 2·3/(4·3)
    assert s["degree_centralization"] == pytest.approx(2 / 6)  # ((2−1)+0+0+(2−1))/(3·2) = 0.333
    assert s["transitivity"] == 0.0  # 2 triples (at 1 and 2), no triangle
    assert s["average_clustering"] == 0.0
    assert s["components"] == 1


def test_empty_graph():
    s = network_summary(graph(0, []))
    assert (s["organisations"], s["ties"], s["isolates"], s["components"], s["largest_component_size"]) == (0, 0, 0, 0, 0)
    for key in ("density", "weighted_density", "mean_degree", "largest_component_share", "transitivity", "average_clustering", "degree_centralization"):
        assert math.isnan(s[key]), key


def test_graph_with_isolates():
    # triangle 0–1–2 and isolates 3, 4
    s = network_summary(graph(5, [(0, 1), (1, 2), (0, 2)]))
    assert s["density"] == pytest.approx(0.3)  # 2·3/(5·4) = 0.3
    assert s["isolates"] == 2
    assert s["components"] == 3  # the triangle and two isolates
    assert s["largest_component_size"] == 3
    assert s["largest_component_share"] == pytest.approx(0.6)  # 3/5: isolates count in the denominator
    assert s["transitivity"] == pytest.approx(1.0)
    assert s["average_clustering"] == pytest.approx(0.6)  # (1+1+1+0+0)/5: isolates count as 0
    assert s["degree_centralization"] == pytest.approx(4 / 12)  # (0+0+0+2+2)/(4·3)
    assert s["mean_degree"] == pytest.approx(1.2)  # 2·3/5


def test_tiny_graphs_give_nan_where_undefined():
    one = network_summary(graph(1, []))
    assert math.isnan(one["density"]) and math.isnan(one["degree_centralization"])
    assert one["isolates"] == 1 and one["components"] == 1 and one["average_clustering"] == 0.0
    two = network_summary(graph(2, [(0, 1)]))
    assert two["density"] == 1.0 and math.isnan(two["degree_centralization"])  # n < 3
    assert math.isnan(two["transitivity"])  # no connected triple: undefined (networkx says 0)


def test_weighted_density_is_mean_strength_over_all_pairs():
    # triangle with weights 0.5, 1, 1.5 and one isolate: 3.0 over 4·3/2 = 6 pairs = 0.5
    s = network_summary(graph(4, [(0, 1), (1, 2), (0, 2)], weights=[0.5, 1.0, 1.5]))
    assert s["weighted_density"] == pytest.approx(0.5)
    assert s["density"] == pytest.approx(0.5)  # 3/6


def test_summary_of_a_projected_package_leaves_out_benchmarking():
    # p1 = {a, b, c}, p2 = {c, d}; e only benchmarks p1: ties ab, ac, bc, cd; e is an isolate
    pkg = package(
        organisations=[org(x) for x in "abcde"],
        projects=[{"id": "p1", "name": "Förstudie"}, {"id": "p2", "name": "Öppna jobb"}],
        participations=[part("p1", "a", "owner"), part("p1", "b", "steering"), part("p1", "c", "working"), part("p1", "e", "benchmark"), part("p2", "c", "owner"), part("p2", "d", "partner")],
    )
    s = network_summary(project_organisations(pkg))
    assert (s["organisations"], s["ties"], s["isolates"]) == (5, 4, 1)
    assert s["density"] == pytest.approx(0.4)  # 2·4/(5·4)
    assert s["transitivity"] == pytest.approx(3 / 5)  # 1 triangle: 3·1/(1+1+3+0) triples (a:1, b:1, c:3)


@pytest.mark.parametrize("nx_graph", random_graphs(), ids=lambda g: f"n{g.number_of_nodes()}m{g.number_of_edges()}")
def test_against_networkx_on_seeded_random_graphs(nx_graph):
    s = network_summary(from_networkx(nx_graph))
    assert s["density"] == pytest.approx(nx.density(nx_graph))
    assert s["average_clustering"] == pytest.approx(nx.average_clustering(nx_graph))
    assert s["transitivity"] == pytest.approx(nx.transitivity(nx_graph))
    assert s["components"] == nx.number_connected_components(nx_graph)
    assert s["isolates"] == nx.number_of_isolates(nx_graph)
    assert s["largest_component_size"] == max(len(c) for c in nx.connected_components(nx_graph))
    k = np.array([d for _, d in nx_graph.degree()])
    n = len(k)
    assert s["degree_centralization"] == pytest.approx((k.max() - k).sum() / ((n - 1) * (n - 2)))


def test_centralization_against_networkx_degree_centrality():
    # Freeman with normalised degree centrality C_i = k_i/(n−1): Σ(C_max − C_i)/(n−2),
    # the same as Σ(k_max − k_i)/((n−1)(n−2)). (python-igraph has no centralization function.)
    nx_graph = nx.gnp_random_graph(25, 0.2, seed=11)
    c = np.array(list(nx.degree_centrality(nx_graph).values()))
    expected = (c.max() - c).sum() / (25 - 2)
    assert network_summary(from_networkx(nx_graph))["degree_centralization"] == pytest.approx(expected)


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=12).flatmap(lambda n: st.tuples(st.just(n), st.sets(st.tuples(st.integers(0, max(n - 1, 0)), st.integers(0, max(n - 1, 0))), max_size=30))))
def test_random_small_graphs_match_networkx(case):
    n, raw = case
    edges = {(min(a, b), max(a, b)) for a, b in raw if a != b and n}
    nx_graph = nx.Graph()
    nx_graph.add_nodes_from(range(n))
    nx_graph.add_edges_from(edges)
    s = network_summary(graph(n, sorted(edges)))
    assert s["ties"] == nx_graph.number_of_edges()
    if n >= 2:
        assert s["density"] == pytest.approx(nx.density(nx_graph))
    if n:
        assert s["average_clustering"] == pytest.approx(nx.average_clustering(nx_graph))
        assert s["components"] == nx.number_connected_components(nx_graph)
    if not math.isnan(s["transitivity"]):
        assert s["transitivity"] == pytest.approx(nx.transitivity(nx_graph))
    else:
        assert nx.transitivity(nx_graph) == 0  # networkx's 0 where no triple exists


def test_degrees():
    assert degrees(graph(4, [(0, 1), (0, 2)])).tolist() == [2, 1, 1, 0]


# --- cross_sector_breadth ------------------------------------------------------------------


def sector_graph():
    # Malmö kommun (0) with partners Lunds universitet (1, academia), IKEA (2, business),
    # Region Skåne (3, region), Östra Göinge kommun (4, municipality), Förening X (5, type empty);
    # plus 1–2 tied; 6 is an isolate.
    return graph(
        ["malmo", "lu", "ikea", "skane", "ostra-goinge", "forening", "ensam"],
        [(0, 1), (0, 2), (0, 3), (0, 4), (0, 5), (1, 2)],
        type=["municipality", "academia", "business", "region", "municipality", "", "ngo"],
    )


def test_cross_sector_breadth_counts_distinct_known_partner_types():
    breadth = cross_sector_breadth(sector_graph())
    # malmo: academia, business, region, municipality (Förening's empty type not counted) = 4
    # lu: municipality, business = 2; ikea: municipality, academia = 2; others: 1; isolate 0
    assert breadth.tolist() == [4, 2, 2, 1, 1, 1, 0]
    assert breadth.name == "cross_sector_breadth"


def test_cross_sector_breadth_excluding_own_type():
    breadth = cross_sector_breadth(sector_graph(), exclude_own=True)
    # malmo loses "municipality" (Östra Göinge); Östra Göinge's only partner is a municipality
    assert breadth.tolist() == [3, 2, 2, 1, 0, 1, 0]


def test_cross_sector_breadth_by_region():
    G = graph(3, [(0, 1), (0, 2)], region=["Örebro län", "Örebro län", "Västmanlands län"])
    assert cross_sector_breadth(G, "region").tolist() == [2, 1, 1]


def test_cross_type_share():
    G = sector_graph()
    # 6 ties; the tie to Förening (empty type) is left out: 5 known ties, of which
    # malmo–lu, malmo–ikea, malmo–skane, lu–ikea cross (4) and malmo–ostra-goinge does not: 4/5
    assert cross_type_share(G) == pytest.approx(0.8)


def test_cross_type_share_weighted_and_undefined():
    G = graph(3, [(0, 1), (0, 2)], weights=[3.0, 1.0], type=["kommun", "kommun", "företag"])
    assert cross_type_share(G, weight="weight") == pytest.approx(0.25)  # 1/(3+1)
    assert math.isnan(cross_type_share(graph(2, []), "type"))


def test_cross_type_share_matches_ei_index_without_unknowns():
    nx_graph = nx.gnp_random_graph(30, 0.2, seed=7)
    kinds = ["academia", "business", "municipality"]
    G = from_networkx(nx_graph, type=[kinds[k % 3] for k in range(30)])
    share = cross_type_share(G)
    assert share == pytest.approx((1 + ei_index(G, "type")["network"]) / 2)
    crossing = sum(1 for a, b in nx_graph.edges() if a % 3 != b % 3)
    assert share == pytest.approx(crossing / nx_graph.number_of_edges())


# -- issue 16: the compiled triangle count of large graphs and the direct counts -----------------


def _random_collaboration_graphs():
    rng = np.random.default_rng(16)
    out = [graph(1, []), graph(3, []), graph(3, [(0, 1)])]
    for n, p in ((12, 0.3), (40, 0.15), (60, 0.5), (80, 0.04)):
        pairs = [(a, b) for a in range(n) for b in range(a + 1, n) if rng.random() < p]
        out.append(graph(n, pairs, type=[["academia", "business", "", "other"][int(rng.integers(4))] for _ in range(n)]))
    return out


@pytest.mark.parametrize("case", range(7))
def test_compiled_triangles_give_igraphs_summary_to_the_last_bit(case, monkeypatch):
    import samverkan.metrics.density as density

    G = _random_collaboration_graphs()[case]
    monkeypatch.setattr(density, "COMPILED_TRIANGLES_FROM", 10**12)  # igraph
    with_igraph = network_summary(G)
    monkeypatch.setattr(density, "COMPILED_TRIANGLES_FROM", 0)  # the numba kernel
    compiled = network_summary(G)
    assert list(compiled) == list(with_igraph)
    for key, value in with_igraph.items():
        assert compiled[key] == value or (math.isnan(value) and math.isnan(compiled[key])), key


def test_triangles_per_vertex_equal_networkx():
    from samverkan.metrics.triangle_kernels import triangles_per_vertex

    for G in _random_collaboration_graphs():
        nxg = nx.Graph()
        nxg.add_nodes_from(range(G.n))
        nxg.add_edges_from(zip(G.edges["i"].tolist(), G.edges["j"].tolist()))
        expected = [nx.triangles(nxg)[v] for v in range(G.n)]
        assert triangles_per_vertex(G.edges["i"].to_numpy(), G.edges["j"].to_numpy(), G.n).tolist() == expected


def _breadth_by_hand(G, attribute, exclude_own):
    values = [str(v).strip() if isinstance(v, str) else "" for v in G.nodes[attribute]]
    reached = [set() for _ in range(G.n)]
    for a, b in zip(G.edges["i"], G.edges["j"]):
        for x, y in ((a, b), (b, a)):
            if values[y] and not (exclude_own and values[y] == values[x]):
                reached[x].add(values[y])
    return [len(r) for r in reached]


@pytest.mark.parametrize("limit", [0, 10**9])
@pytest.mark.parametrize("exclude_own", [False, True])
def test_cross_sector_breadth_by_table_and_by_distinct_pairs(limit, exclude_own, monkeypatch):
    import samverkan.metrics.density as density

    monkeypatch.setattr(density, "BREADTH_TABLE_LIMIT", limit)
    for G in _random_collaboration_graphs():
        assert cross_sector_breadth(G, "type", exclude_own=exclude_own).tolist() == _breadth_by_hand(G, "type", exclude_own)


def test_attribute_codes_of_mixed_values_as_pandas_writes_them():
    # numbers, missing values and padded texts: not only str (the fast path) but pandas' text
    G = graph(5, [(0, 1), (1, 2), (2, 3), (3, 4)], type=[" a", 1, None, float("nan"), "a "])
    assert cross_sector_breadth(G, "type").tolist() == [1, 1, 1, 1, 0]
