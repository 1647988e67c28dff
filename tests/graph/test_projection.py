"""The sparse projection against hand values and networkx's bipartite projections."""

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from networkx.algorithms import bipartite

from samverkan.graph.multimode import contact_graph, multimode_graph, two_mode_graph
from samverkan.graph.projection import project_organisations
from samverkan.io.package import empty_package
from samverkan.model import ROLES


def make_package(participations, organisations=None, ties=None, projects=None):
    pkg = empty_package("test")
    rows = pd.DataFrame(participations, columns=["project", "organisation", "role"])
    orgs = organisations or sorted(set(rows["organisation"]))
    pkg.tables["organisations"] = pd.DataFrame({"id": orgs, "name": [o.upper() for o in orgs], "type": "other", "level": "", "municipality": "", "region": "", "parent": "", "aliases": ""})
    project_ids = sorted(set(rows["project"]))
    pkg.tables["projects"] = (
        projects if projects is not None else pd.DataFrame({"id": project_ids, "name": project_ids, "start": pd.NaT, "end": pd.NaT, "parent": "", "target_groups": "", "region": ""})
    )
    rows["contact"] = ""
    rows["start"] = pd.NaT
    rows["end"] = pd.NaT
    pkg.tables["participations"] = rows
    if ties is not None:
        pkg.tables["ties"] = pd.DataFrame(ties, columns=["source", "target", "type", "weight", "directed"])
    return pkg


def edge_dict(G):
    return {(r.source, r.target): r for r in G.edges.itertuples()}


def test_hand_computed_counts_and_newman_weights():
    # p1 = {a, b, c}: each pair gets 1/(3-1) = 0.5; p2 = {a, b}: 1/(2-1) = 1; p3 = {d} alone: no tie.
    pkg = make_package([("p1", "a", "owner"), ("p1", "b", "steering"), ("p1", "c", "steering"), ("p2", "a", "partner"), ("p2", "b", "partner"), ("p3", "d", "owner")])
    G = project_organisations(pkg)
    e = edge_dict(G)
    assert set(e) == {("a", "b"), ("a", "c"), ("b", "c")}
    assert e["a", "b"].shared_projects == 2 and e["a", "b"].newman_weight == pytest.approx(1.5)  # 0.5 + 1
    assert e["a", "c"].shared_projects == 1 and e["a", "c"].newman_weight == pytest.approx(0.5)
    assert e["b", "c"].shared_roles == "steering"  # both in p1's steering group
    assert e["a", "b"].shared_roles == "partner"  # both partners in p2
    assert e["a", "c"].shared_roles == ""
    assert G.n == 4  # d is an isolate, still a node


def test_direct_ties_add_weight_and_keep_direction():
    pkg = make_package([("p1", "a", "owner"), ("p1", "b", "partner")], organisations=["a", "b", "c"], ties=[("a", "b", "agreement", 2.0, False), ("c", "a", "funding", float("nan"), True)])
    G = project_organisations(pkg)
    e = edge_dict(G)
    assert e["a", "b"].weight == pytest.approx(1.0 + 2.0)  # Newman 1/(2-1) + direct 2
    assert e["a", "b"].tie_type == "agreement"
    assert e["a", "c"].shared_projects == 0 and e["a", "c"].weight == 1.0  # empty weight counts 1
    assert bool(e["a", "c"].directed)
    assert G.arcs[["i", "j"]].values.tolist() == [[2, 0]]  # c -> a keeps its direction


def test_repeated_participation_counts_once_and_benchmark_excluded():
    pkg = make_package([("p1", "a", "owner"), ("p1", "a", "steering"), ("p1", "b", "working"), ("p1", "x", "benchmark")])
    G = project_organisations(pkg)
    e = edge_dict(G)
    assert set(e) == {("a", "b")}
    assert e["a", "b"].shared_projects == 1 and e["a", "b"].newman_weight == 1.0  # n_p = 2 without the benchmark


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_matches_networkx_bipartite_projections(seed):
    rng = np.random.default_rng(seed)
    rows = {(f"p{rng.integers(15)}", f"o{rng.integers(30)}", "partner") for _ in range(80)}
    pkg = make_package(sorted(rows))
    G = project_organisations(pkg)
    B = nx.Graph()
    orgs = sorted({r[1] for r in rows})
    B.add_nodes_from(orgs, bipartite=0)
    B.add_nodes_from(sorted({r[0] for r in rows}), bipartite=1)
    B.add_edges_from((o, p) for p, o, _ in rows)
    counts = bipartite.weighted_projected_graph(B, orgs)
    newman = bipartite.collaboration_weighted_projected_graph(B, orgs)
    ours = edge_dict(G)
    assert len(ours) == counts.number_of_edges()
    for (s, t), r in ours.items():
        assert counts[s][t]["weight"] == r.shared_projects
        assert newman[s][t]["weight"] == pytest.approx(r.newman_weight)


def test_period_keeps_only_active_participations():
    projects = pd.DataFrame(
        {
            "id": ["old", "new"],
            "name": ["Old", "New"],
            "start": pd.to_datetime(["2010-01-01", "2015-01-01"]),
            "end": pd.to_datetime(["2011-12-31", "2016-12-31"]),
            "parent": "",
            "target_groups": "",
            "region": "",
        }
    )
    pkg = make_package([("old", "a", "owner"), ("old", "b", "partner"), ("new", "a", "owner"), ("new", "c", "partner")], projects=projects)
    assert set(edge_dict(project_organisations(pkg, start="2015-06-01", end="2015-06-01"))) == {("a", "c")}
    assert set(edge_dict(project_organisations(pkg, start="2011-01-01", end="2015-01-01"))) == {("a", "b"), ("a", "c")}
    assert set(edge_dict(project_organisations(pkg, start="2012-06-01", end="2014-06-01"))) == set()


def test_networkx_and_igraph_conversions_agree():
    pkg = make_package([("p1", "a", "owner"), ("p1", "b", "partner"), ("p2", "b", "owner"), ("p2", "c", "partner")])
    G = project_organisations(pkg)
    nxg = G.to_networkx()
    assert sorted(nxg.edges()) == [("a", "b"), ("b", "c")]
    assert nxg.nodes["a"]["name"] == "A"
    ig = G.to_igraph()
    assert ig.vcount() == 3 and ig.ecount() == 2 and ig.es["weight"] == [1.0, 1.0]
    A = G.adjacency()
    assert (A != A.T).nnz == 0 and A.sum() == 4


def test_multimode_two_mode_and_contacts():
    pkg = make_package([("p1", "a", "owner"), ("p1", "b", "partner")])
    pkg.tables["contacts"] = pd.DataFrame({"id": ["k1", "k2"], "name": ["Projektledare, A", "Samordnare, B"], "organisation": ["a", "b"], "title": "", "email": ""})
    pkg.tables["participations"]["contact"] = ["k1", "k2"]
    mm = multimode_graph(pkg)
    assert mm.has_edge("contact:k1", "org:a") and mm.has_edge("org:a", "project:p1")
    tm = two_mode_graph(pkg)
    assert tm["org:a"]["project:p1"]["role"] == "owner"
    ct = contact_graph(pkg)
    assert ct.to_dict("records") == [{"source": "k1", "target": "k2", "shared_projects": 1, "newman_weight": 1.0}]


def brute_force_pairs(rows):
    """Every tied pair's shared projects, Newman weight and roles both held, by plain loops."""
    members = {}
    for project, organisation, role in rows:
        members.setdefault(project, {}).setdefault(organisation, set()).add(role)
    pairs = {}
    for held in members.values():
        size = len(held)
        for a in held:
            for b in held:
                if a < b:
                    count, newman, roles = pairs.get((a, b), (0, 0.0, set()))
                    pairs[a, b] = (count + 1, newman + 1 / (size - 1), roles | (held[a] & held[b]))
    return pairs


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("one_role_each", [True, False])
def test_counts_newman_and_shared_roles_match_plain_loops(seed, one_role_each):
    # the fast path (commonest role derived by inclusion–exclusion) needs one role per
    # organisation and project; the general path takes one product per role
    rng = np.random.default_rng(seed)
    roles = ["owner", "steering", "partner", "partner", "partner", "working"]
    rows = {}
    for _ in range(150):
        key = (f"p{rng.integers(20)}", f"o{rng.integers(25)}")
        role = roles[rng.integers(len(roles))]
        if one_role_each:
            rows.setdefault(key, role)
        else:
            rows[key + (role,)] = role
    table = sorted((k[0], k[1], v) for k, v in rows.items())
    G = project_organisations(make_package(table))
    expected = brute_force_pairs(table)
    ours = edge_dict(G)
    assert set(ours) == set(expected)
    order = list(ROLES)
    for pair, (count, newman, both) in expected.items():
        assert ours[pair].shared_projects == count
        assert ours[pair].newman_weight == pytest.approx(newman)
        assert ours[pair].shared_roles == "|".join(sorted(both, key=order.index))
