"""Burt's structural holes: hand values, and networkx's per-node (UCINET-correct) path as the reference."""

import sys
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from graphs_bridging import collaboration_graph, make_graph, positional_networkx, random_graph  # noqa: E402

from samverkan.metrics.structural_holes import (  # noqa: E402
    _triangle_batches,
    constraint,
    effective_size,
    efficiency,
    structural_holes,
)


def test_star_by_hand():
    # hub 0 with three leaves that are not tied to each other: no redundancy.
    G = make_graph(range(4), [(0, 1), (0, 2), (0, 3)])
    result = structural_holes(G)
    # hub: ES = 3, efficiency 3/3 = 1, constraint = 3 · (1/3)² = 1/3
    assert result.loc[0].tolist() == pytest.approx([3, 1, 1 / 3])
    # leaf: one partner, p = 1, nothing indirect: ES = 1, efficiency 1, constraint 1
    for leaf in (1, 2, 3):
        assert result.loc[leaf].tolist() == pytest.approx([1, 1, 1])


def test_triangle_with_pendant_by_hand():
    G = make_graph("abcd", [("a", "b"), ("a", "c"), ("b", "c"), ("c", "d")])
    result = structural_holes(G)
    # c: 3 partners, one tie among them (a–b): ES = 3 − 2·1/3 = 7/3, efficiency 7/9.
    # constraint c: to a: (1/3 + p_cb p_ba = 1/3 · 1/2)² = (1/2)² = 1/4; same to b;
    # to d: (1/3)² = 1/9 → 1/4 + 1/4 + 1/9 = 11/18
    assert result.loc[2].tolist() == pytest.approx([7 / 3, 7 / 9, 11 / 18])
    # a: partners b, c, tied: ES = 2 − 2·1/2 = 1, efficiency 1/2.
    # constraint a: to b: (1/2 + p_ac p_cb = 1/2 · 1/3)² = 4/9; to c: (1/2 + 1/2 · 1/2)² = 9/16
    # → 4/9 + 9/16 = 145/144
    assert result.loc[0].tolist() == pytest.approx([1, 1 / 2, 145 / 144])
    # d: single partner: ES 1, efficiency 1, constraint 1
    assert result.loc[3].tolist() == pytest.approx([1, 1, 1])


def test_weighted_triangle_by_hand():
    # a–b 2, a–c 1, b–c 1. For a: s = 3, p_ab = 2/3, p_ac = 1/3; max_b = 2, max_c = 1.
    # redundancy of b for a: p_ac m_bc = 1/3 · 1/2 = 1/6; of c: p_ab m_cb = 2/3 · 1/1 = 2/3
    # ES_a = (1 − 1/6) + (1 − 2/3) = 7/6
    G = make_graph("abc", [("a", "b", 2), ("a", "c", 1), ("b", "c", 1)])
    assert effective_size(G, weight="weight")[0] == pytest.approx(7 / 6)
    # constraint a: to b (2/3 + 1/3 · p_cb = 1/3 · 1/2)² = (5/6)²; to c (1/3 + 2/3 · p_bc = 2/3 · 1/3)² = (5/9)²
    assert constraint(G, weight="weight")[0] == pytest.approx((5 / 6) ** 2 + (5 / 9) ** 2)


def test_isolates_are_nan_and_series_are_named():
    G = make_graph("abcd", [("a", "b"), ("b", "c")])
    assert np.isnan(effective_size(G)[3]) and np.isnan(efficiency(G)[3]) and np.isnan(constraint(G)[3])
    assert effective_size(G).name == "effective_size" and efficiency(G).name == "efficiency" and constraint(G).name == "constraint"


def networkx_reference(G, weight):
    H = positional_networkx(G, weight=weight)
    w = None if weight is None else "w"
    # nodes=list(H): networkx's per-node path; its default fast path is wrong on weighted graphs
    es = nx.effective_size(H, nodes=list(H), weight=w)
    c = nx.constraint(H, nodes=list(H), weight=w)
    return np.array([es[k] for k in range(G.n)]), np.array([c[k] for k in range(G.n)])


@pytest.mark.parametrize("weight", [None, "weight", "shared_projects"])
@pytest.mark.parametrize("seed", range(6))
def test_matches_networkx_on_random_graphs(seed, weight):
    G, _ = random_graph(25, 0.25, seed=seed, weights=True)
    es, c = networkx_reference(G, weight)
    result = structural_holes(G, weight=weight)
    np.testing.assert_allclose(result["effective_size"], es, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(result["constraint"], c, rtol=1e-12, atol=1e-12)
    degree = np.array([d for _, d in sorted(positional_networkx(G).degree())], dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        np.testing.assert_allclose(result["efficiency"], es / degree, rtol=1e-12)  # Burt: ES / degree


def test_matches_networkx_on_collaboration_graph():
    G, _ = collaboration_graph(50, 25, seed=2)
    for weight in (None, "weight"):
        es, c = networkx_reference(G, weight)
        result = structural_holes(G, weight=weight)
        np.testing.assert_allclose(result["effective_size"], es, rtol=1e-11, atol=1e-12)
        np.testing.assert_allclose(result["constraint"], c, rtol=1e-11, atol=1e-12)


@pytest.mark.parametrize("chunk", [1, 3, 50, 10_000])
def test_triangle_listing_finds_every_triangle_once(chunk):
    G, _ = random_graph(30, 0.3, seed=9)
    i, j = G.edges["i"].to_numpy(), G.edges["j"].to_numpy()
    batches = list(_triangle_batches(i, j, G.n, chunk=chunk))
    found = {tuple(sorted(t)) for b in batches for t in zip(b.x.tolist(), b.y.tolist(), b.z.tolist())}
    assert sum(len(b) for b in batches) == len(found)
    H = positional_networkx(G)
    expected = {tuple(sorted(c)) for c in nx.enumerate_all_cliques(H) if len(c) == 3}
    assert found == expected
    # the edge rows belong to the triangle's corners
    for b in batches:
        for x, y, z, exy, exz, eyz in zip(b.x, b.y, b.z, b.exy, b.exz, b.eyz):
            assert {G.edges["i"][exy], G.edges["j"][exy]} == {x, y}
            assert {G.edges["i"][exz], G.edges["j"][exz]} == {x, z}
            assert {G.edges["i"][eyz], G.edges["j"][eyz]} == {y, z}


def test_bad_weight_column():
    G = make_graph("ab", [("a", "b")])
    with pytest.raises(ValueError, match="no edge column 'strength'"):
        structural_holes(G, weight="strength")
