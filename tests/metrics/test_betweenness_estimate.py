"""Sampled betweenness per component: exact where components are small, unbiased where sampled."""

import sys
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from graphs_bridging import make_graph, random_graph

from samverkan.metrics.centrality import betweenness


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
    assert sampled.facts["median_relative_se_top50"] > 0 and sampled.facts["guarantee"] is None
