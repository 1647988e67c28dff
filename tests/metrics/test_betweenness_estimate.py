"""Sampled betweenness per component: exact where components are small, unbiased where sampled,
with a confidence statement that holds as often as it promises."""

import sys
from fractions import Fraction
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from graphs_bridging import make_graph, random_graph

from graphs_bridging import collaboration_graph

from samverkan.metrics.betweenness_estimate import ranking_confidence, sampled_paths
from samverkan.metrics.centrality import betweenness, closeness
from samverkan.metrics.twins import merge_twins


def big_and_small_components():
    # a 30-node random component, a path of 5, a triangle and 3 isolates
    big = nx.gnp_random_graph(30, 0.15, seed=3)
    assert nx.is_connected(big)
    edges = [(a, b) for a, b in big.edges()]
    edges += [(30, 31), (31, 32), (32, 33), (33, 34)]  # path of 5
    edges += [(35, 36), (36, 37), (35, 37)]  # triangle
    return make_graph(range(41), edges)  # 38, 39, 40 isolates


def test_small_components_are_exact_and_isolates_zero_when_sampling():
    G = big_and_small_components()
    exact = betweenness(G).values.to_numpy()
    sampled = betweenness(G, sample=10, seed=4)
    values = sampled.values.to_numpy()
    small = np.arange(30, 41)
    assert values[small] == pytest.approx(exact[small])
    assert (sampled.standard_error.to_numpy()[small] == 0).all()
    assert sampled.facts["sampled_organisations"] == 30 and sampled.facts["exact_organisations"] == 11
    assert sampled.facts["sources"] == 10 and sampled.facts["method"] == "sampled sources per component"
    assert "in each component larger than 10" in sampled.note


def test_the_estimate_is_unbiased_over_seeds():
    # the mean over many seeds approaches the exact value in the sampled component
    G = big_and_small_components()
    exact = betweenness(G).values.to_numpy()[:30]
    runs = np.mean([betweenness(G, sample=8, seed=s).values.to_numpy()[:30] for s in range(400)], axis=0)
    top = np.argsort(-exact)[:5]
    assert runs[top] == pytest.approx(exact[top], rel=0.1)
    assert runs.sum() == pytest.approx(exact.sum(), rel=0.03)


def test_all_components_small_gives_exact_values():
    G = big_and_small_components()
    result = betweenness(G, sample=35)
    assert result.exact and result.sources is None and result.facts["method"] == "exact"
    assert result.values.tolist() == pytest.approx(betweenness(G).values.tolist())


@pytest.mark.parametrize("weighted", [False, True])
def test_facts_of_exact_and_sampled_results(weighted):
    G, _ = random_graph(50, 0.12, seed=6)
    exact = betweenness(G, weighted=weighted)
    assert exact.facts == {"method": "exact", "exact": True, "sources": None, "weighted": weighted, "seed": 42, "guarantee": None}
    sampled = betweenness(G, weighted=weighted, sample=20, seed=3)
    assert sampled.facts["exact"] is False and sampled.facts["sources"] == 20 and sampled.facts["seed"] == 3
    assert sampled.facts["median_relative_se_top50"] > 0
    if weighted:  # weighted: the standard error is a guide, no confidence statement
        assert sampled.facts["guarantee"] is None
    else:
        guarantee = sampled.facts["guarantee"]
        assert guarantee["confidence"] == 0.9 and guarantee["margin"] > 0
        assert 0 <= guarantee["10"]["certain"] <= 10 and 0 <= guarantee["50"]["certain"] <= 50


def _promise_kept(values, exact, guarantee) -> bool:
    """Everything the statement says, checked against the exact values."""
    true = np.argsort(-exact, kind="stable")
    estimated = np.argsort(-values, kind="stable")
    for t in (10, 50):
        fact = guarantee[str(t)]
        top = estimated[:t]
        certain = [x for x in top if x not in fact["uncertain"]]
        if not set(certain) <= set(true[:t]):  # a "certain" member outside the true top t
            return False
        if not set(true[:t]) <= set(top) | set(fact["sharing"]):  # a true member not named at all
            return False
    return bool((np.abs(values[estimated[:50]] - exact[estimated[:50]]) <= guarantee["margin"]).all())


def test_the_confidence_statement_holds_as_often_as_promised():
    # The acceptance check of the statement "with 90 % confidence: these places are certain, these
    # are shared, values within ±margin": on a graph small enough for exact values (2,500
    # organisations, 18,411 ties), over 40 seeds of 200 sources, all of it holds in at least 90 %.
    G, _ = collaboration_graph(2500, 1600, seed=21)
    exact = betweenness(G).values.to_numpy()
    kept = found10 = 0
    for seed in range(40):
        sampled = betweenness(G, sample=200, seed=seed)
        guarantee = sampled.facts["guarantee"]
        assert guarantee["confidence"] == 0.9
        kept += _promise_kept(sampled.values.to_numpy(), exact, guarantee)
        found10 += len(set(np.argsort(-exact)[:10]) & set(np.argsort(-sampled.values.to_numpy())[:10]))
        assert "With 90 % confidence" in sampled.note
    assert kept >= 36
    assert found10 / 40 >= 9  # on average 9 of the true 10 highest are in the estimate's top 10


def test_ranking_confidence_on_hand_made_values():
    # three clear leaders, then two within each other's margin around place 4
    values = np.array([10.0, 9.0, 8.0, 5.0, 4.95, 1.0, 0.5])
    se = np.array([0.01, 0.01, 0.01, 0.1, 0.1, 0.01, 0.01])
    out = ranking_confidence(values, se, tops=(3, 4))
    assert out["3"] == {"size": 3, "certain": 3, "shared_places": None, "sharing_count": 0, "sharing": [], "uncertain": []}
    assert out["4"]["certain"] == 3 and out["4"]["shared_places"] == [4, 4] and out["4"]["sharing"] == [4] and out["4"]["sharing_count"] == 1
    assert out["margin"] == pytest.approx(out["z"] * 0.1)
    # Bonferroni over the contenders: z grows with their number
    assert out["z"] > 1.645
    # "the 10 highest" among organisations with a value: here only three
    few = ranking_confidence(np.array([3.0, 2.0, 1.0, 0.0, 0.0]), np.full(5, 0.01), tops=(10,))
    assert few["10"]["size"] == 3 and few["10"]["certain"] == 3


def test_merged_twins_give_exact_paths_and_distance_sums():
    # a projection full of twins: every source, weight 1 per organisation, reproduces networkx
    rng = np.random.default_rng(3)
    edges = set()
    for _ in range(25):
        members = sorted(rng.choice(60, size=int(rng.integers(2, 6)), replace=False).tolist())
        edges |= {(a, b) for k, a in enumerate(members) for b in members[k + 1 :]}
    i, j = np.array(sorted(edges)).T
    twins = merge_twins(60, i, j)
    assert twins.classes < 60
    G = nx.Graph(list(zip(i.tolist(), j.tolist())))
    G.add_nodes_from(range(60))
    result = sampled_paths(60, i, j, k=60, seed=1)
    expected = nx.betweenness_centrality(G, normalized=False)
    assert result.betweenness == pytest.approx([expected[v] for v in range(60)], abs=1e-9)
    distances = dict(nx.all_pairs_shortest_path_length(G))
    assert result.distance_sum == pytest.approx([sum(distances[v].values()) for v in range(60)])


def test_pairs_farther_apart_than_the_stored_levels_use_linear_shares_exactly():
    # a long path (eccentricity 40 > LEVELS) with shortcuts: every source gives the exact values
    G = nx.path_graph(41)
    G.add_edges_from([(3, 41), (41, 20), (10, 42), (42, 43), (43, 38)])
    i, j = np.array(list(G.edges())).T
    result = sampled_paths(44, i, j, k=44, seed=1)
    expected = nx.betweenness_centrality(G, normalized=False)
    assert result.betweenness == pytest.approx([expected[v] for v in range(44)], abs=1e-9)


def test_weighted_twins_are_split_when_their_weights_differ():
    # 0 and 1 are tied to each other and to 2 and 3: closed twins, unless 0's tie to 2 is stronger
    i = np.array([0, 0, 0, 1, 1])
    j = np.array([1, 2, 3, 2, 3])
    assert merge_twins(4, i, j).twin_class.tolist() == [0, 0, 1, 2]
    assert merge_twins(4, i, j, np.ones(5)).twin_class.tolist() == [0, 0, 1, 2]
    assert merge_twins(4, i, j, np.array([1.0, 0.5, 1.0, 1.0, 1.0])).twin_class.tolist() == [0, 1, 2, 3]
    # a tie between the twins longer than a detour through a partner: not merged either
    assert merge_twins(4, i, j, np.array([3.0, 1.0, 1.0, 1.0, 1.0])).classes == 4


def test_weighted_searches_over_merged_twins_are_exact():
    # Newman-like lengths on a projection with twins; networkx on exact fractions as reference
    rng = np.random.default_rng(8)
    shared = {}
    for _ in range(30):
        members = sorted(rng.choice(50, size=int(rng.integers(2, 6)), replace=False).tolist())
        for k, a in enumerate(members):
            for b in members[k + 1 :]:
                shared[(a, b)] = shared.get((a, b), 0) + 1
    pairs = sorted(shared)
    i, j = np.array(pairs).T
    lengths = [Fraction(1, shared[p]) for p in pairs]
    G = nx.Graph()
    G.add_nodes_from(range(50))
    G.add_weighted_edges_from(((a, b, ln) for (a, b), ln in zip(pairs, lengths)), weight="length")
    expected = nx.betweenness_centrality(G, normalized=False, weight="length")
    result = sampled_paths(50, i, j, k=50, seed=1, lengths=np.array([float(x) for x in lengths]))
    assert result.betweenness == pytest.approx([expected[v] for v in range(50)], abs=1e-9)


def test_ties_beaten_by_a_detour_are_left_out_and_paths_stay_exact():
    # Newman-like lengths: the inverse of Σ 1/(size − 1) over shared projects, so the ties of a
    # large project are long and mostly beaten by two short ties through a small project's partner
    from samverkan.metrics import path_kernels
    from samverkan.metrics.twins import by_degree

    rng = np.random.default_rng(4)
    weight = {}
    for _ in range(40):
        members = sorted(rng.choice(60, size=int(rng.choice([2, 3, 4, 12])), replace=False).tolist())
        for k, a in enumerate(members):
            for b in members[k + 1 :]:
                weight[(a, b)] = weight.get((a, b), 0) + Fraction(1, len(members) - 1)
    pairs = sorted(weight)
    i, j = np.array(pairs).T
    lengths = [1 / weight[p] for p in pairs]
    graph = by_degree(merge_twins(60, i, j, np.array([float(x) for x in lengths])))
    pruned = path_kernels.without_detoured_ties(graph)
    assert 0 < len(pruned.indices) < len(graph.indices)
    # a left-out tie is longer than some two-step detour; every kept tie is in the graph
    full = {(a, b): ln for a in range(graph.classes) for b, ln in zip(graph.indices[graph.indptr[a] : graph.indptr[a + 1]], graph.lengths[graph.indptr[a] : graph.indptr[a + 1]])}
    kept = {(a, b) for a in range(pruned.classes) for b in pruned.indices[pruned.indptr[a] : pruned.indptr[a + 1]]}
    assert kept <= set(full) and all((b, a) in kept for a, b in kept)
    for a, b in set(full) - kept:
        assert any((a, x) in full and (x, b) in full and full[(a, x)] + full[(x, b)] < full[(a, b)] for x in range(graph.classes))
    G = nx.Graph()
    G.add_nodes_from(range(60))
    G.add_weighted_edges_from(((a, b, ln) for (a, b), ln in zip(pairs, lengths)), weight="length")
    expected = nx.betweenness_centrality(G, normalized=False, weight="length")
    result = sampled_paths(60, i, j, k=60, seed=1, lengths=np.array([float(x) for x in lengths]))
    assert result.betweenness == pytest.approx([float(expected[v]) for v in range(60)], abs=1e-9)


def test_sampled_closeness_shares_the_searches_and_is_close():
    G, _ = collaboration_graph(2500, 1600, seed=21)
    exact = closeness(G).values.to_numpy()
    sampled = closeness(G, sample=200, seed=2)
    assert not sampled.exact and "the same searches as betweenness" in sampled.note
    assert np.median(np.abs(sampled.values.to_numpy() - exact) / exact.clip(1e-12)) < 0.02


def test_the_same_seed_gives_the_same_values_on_one_thread_or_several(monkeypatch):
    # each batch of sources is searched by one thread into its own row: no race, no order effect
    G, _ = collaboration_graph(600, 250, seed=11)
    i, j = G.edges["i"].to_numpy(), G.edges["j"].to_numpy()
    from samverkan.metrics import path_kernels

    monkeypatch.setattr(path_kernels, "threads", lambda: 1)
    one = sampled_paths(G.n, i, j, k=100, seed=7)
    one_weighted = sampled_paths(G.n, i, j, k=100, seed=7, lengths=1 / G.edges["weight"].to_numpy())
    monkeypatch.setattr(path_kernels, "threads", lambda: 3)
    many = sampled_paths(G.n, i, j, k=100, seed=7)
    many_weighted = sampled_paths(G.n, i, j, k=100, seed=7, lengths=1 / G.edges["weight"].to_numpy())
    assert np.array_equal(one.betweenness, many.betweenness) and np.array_equal(one.betweenness_se, many.betweenness_se)
    assert np.array_equal(one.distance_sum, many.distance_sum)
    assert np.array_equal(one_weighted.betweenness, many_weighted.betweenness)
    assert not np.array_equal(one.betweenness, sampled_paths(G.n, i, j, k=100, seed=8).betweenness)


@pytest.mark.parametrize("seed", range(4))
def test_weighted_merge_from_known_classes_equals_finding_them_again(seed):
    # the weighted search reuses the unweighted search's classes (numbered by degree there):
    # the merged graph must be the same array for array
    rng = np.random.default_rng(seed)
    edges = {}
    for _ in range(30):
        members = sorted(rng.choice(70, size=int(rng.integers(2, 7)), replace=False).tolist())
        for k, a in enumerate(members):
            for b in members[k + 1 :]:
                edges[a, b] = edges.get((a, b), 0) + 1.0 / (len(members) - 1)
    (i, j), weight = np.array(list(edges)).T, np.array(list(edges.values()))
    searched = sampled_paths(70, i, j, k=70, seed=1)
    for lengths in (None, 1.0 / weight):
        fresh = merge_twins(70, i, j, lengths)
        reused = merge_twins(70, i, j, lengths, classes=searched.twin_class)
        for name in ("indptr", "indices", "multiplicity", "twin_class", "internal_length"):
            assert np.array_equal(getattr(fresh, name), getattr(reused, name)), name
        assert (fresh.lengths is None and reused.lengths is None) or np.array_equal(fresh.lengths, reused.lengths)
    weighted = sampled_paths(70, i, j, k=70, seed=1, lengths=1.0 / weight)
    again = sampled_paths(70, i, j, k=70, seed=1, lengths=1.0 / weight, twin_class=searched.twin_class)
    assert np.array_equal(weighted.betweenness, again.betweenness)
