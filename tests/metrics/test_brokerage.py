"""Gould & Fernandez brokerage: hand examples, and brute-force enumeration of every (a, b, c)."""

import itertools
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from graphs_bridging import collaboration_graph, make_graph, random_graph  # noqa: E402

from samverkan.metrics.brokerage import BROKERAGE_COLUMNS, arc_directions, brokerage  # noqa: E402

ROLES = ["brokerage_coordinator", "brokerage_itinerant", "brokerage_gatekeeper", "brokerage_representative", "brokerage_liaison"]


def brute_force(G, groups):
    """Count every ordered (a, c) with a → b → c, a ≠ c, no a → c, by the groups of a, b, c."""
    n = G.n
    forward, backward = arc_directions(G)
    arc = np.zeros((n, n), dtype=bool)
    for e, (a, b) in enumerate(zip(G.edges["i"], G.edges["j"])):
        arc[a, b] |= forward[e]
        arc[b, a] |= backward[e]
    g = list(groups)
    counts = {role: np.zeros(n, dtype=int) for role in ROLES}
    for a, b, c in itertools.permutations(range(n), 3):
        if arc[a, b] and arc[b, c] and not arc[a, c]:
            if g[a] == g[b] == g[c]:
                role = "brokerage_coordinator"  # A A A
            elif g[a] == g[c]:
                role = "brokerage_itinerant"  # A B A
            elif g[a] == g[b]:
                role = "brokerage_representative"  # A A B
            elif g[b] == g[c]:
                role = "brokerage_gatekeeper"  # A B B
            else:
                role = "brokerage_liaison"  # A B C
            counts[role][b] += 1
    return pd.DataFrame(counts)


def test_star_by_hand():
    # hub h (type A); leaves l1, l2 (A) and l3 (B), undirected: the hub brokers all 6 ordered
    # leaf pairs. (l1,l2), (l2,l1): A A A coordinator 2; (l1,l3), (l2,l3): A A B representative 2;
    # (l3,l1), (l3,l2): B A A gatekeeper 2. Undirected ties count both ways, so
    # representative = gatekeeper (as in R sna::brokerage and UCINET).
    G = make_graph(["h", "l1", "l2", "l3"], [("h", "l1"), ("h", "l2"), ("h", "l3")], types=["A", "A", "A", "B"])
    result = brokerage(G, "type")
    assert list(result.columns) == BROKERAGE_COLUMNS
    assert result.loc[0, ROLES].tolist() == [2, 0, 2, 2, 0]
    assert result.loc[0, "brokerage_total"] == 6
    assert (result.loc[1:, "brokerage_total"] == 0).all()


def test_itinerant_and_liaison_by_hand():
    # hub of type B between two A's: A B A itinerant, both directions
    G = make_graph("abc", [("a", "b"), ("b", "c")], types=["A", "B", "A"])
    assert brokerage(G, "type").loc[1, ROLES].tolist() == [0, 2, 0, 0, 0]
    # three different types: liaison
    G = make_graph("abc", [("a", "b"), ("b", "c")], types=["x", "y", "z"])
    assert brokerage(G, "type").loc[1, ROLES].tolist() == [0, 0, 0, 0, 2]
    # a closed triangle brokers nothing
    G = make_graph("abc", [("a", "b"), ("b", "c"), ("a", "c")], types=["x", "y", "z"])
    assert (brokerage(G, "type")["brokerage_total"] == 0).all()


def test_one_way_ties_count_once():
    # a → b and b → c are one-way direct ties (no shared project): only (a, c) is brokered
    G = make_graph("abc", [("a", "b"), ("b", "c")], types=["x", "y", "z"], directed=[("a", "b"), ("b", "c")], arcs=[("a", "b"), ("b", "c")])
    assert brokerage(G, "type").loc[1, ROLES].tolist() == [0, 0, 0, 0, 1]
    # with a one-way a → c as well, the pair is closed
    G = make_graph("abc", [("a", "b"), ("b", "c"), ("a", "c")], types=["x", "y", "z"], directed=[("a", "b"), ("b", "c"), ("a", "c")], arcs=[("a", "b"), ("b", "c"), ("a", "c")])
    assert brokerage(G, "type").loc[1, "brokerage_total"] == 0
    # ... but c → a does not close a → b → c
    G = make_graph("abc", [("a", "b"), ("b", "c"), ("a", "c")], types=["x", "y", "z"], directed=[("a", "b"), ("b", "c"), ("a", "c")], arcs=[("a", "b"), ("b", "c"), ("c", "a")])
    assert brokerage(G, "type").loc[1, "brokerage_liaison"] == 1


def test_arc_directions():
    # a one-way tie between a pair that also shares a project runs both ways
    G = make_graph("abc", [("a", "b"), ("b", "c")], directed=[("a", "b")], arcs=[("b", "a")])
    forward, backward = arc_directions(G)
    assert forward.tolist() == [False, True] and backward.tolist() == [True, True]
    G.edges["shared_projects"] = [1, 1]
    forward, backward = arc_directions(G)
    assert forward.tolist() == [True, True] and backward.tolist() == [True, True]


@pytest.mark.parametrize("seed", range(25))
def test_matches_brute_force_on_random_graphs(seed):
    rng = np.random.default_rng(seed)
    G, _ = random_graph(12, 0.35, seed=seed, types=("a", "b", "c", "d"))
    if seed % 2:  # make some ties one-way, a few of them mutual through two directed ties
        pairs = [(int(a), int(b)) for a, b in zip(G.edges["i"], G.edges["j"])]
        chosen = [p for p in pairs if rng.random() < 0.4]
        arcs = [p if rng.random() < 0.5 else p[::-1] for p in chosen] + [p[::-1] for p in chosen if rng.random() < 0.15]
        G = make_graph(range(12), pairs, types=G.nodes["type"].tolist(), directed=chosen, arcs=arcs)
    result = brokerage(G, "type")
    expected = brute_force(G, G.nodes["type"])
    pd.testing.assert_frame_equal(result[ROLES], expected, check_dtype=False)
    assert (result["brokerage_total"] == expected.sum(axis=1)).all()
    if seed % 2 == 0:
        assert (result["brokerage_representative"] == result["brokerage_gatekeeper"]).all()


def test_matches_brute_force_on_collaboration_graph_with_other_grouping():
    G, _ = collaboration_graph(40, 25, seed=6)
    groups = pd.Series(np.arange(G.n) % 3).astype(str)
    pd.testing.assert_frame_equal(brokerage(G, groups)[ROLES], brute_force(G, groups), check_dtype=False)


def test_groups_must_fit():
    G = make_graph("abc", [("a", "b")])
    with pytest.raises(ValueError, match="one label per node"):
        brokerage(G, ["x", "y"])
    with pytest.raises(ValueError, match="no such column"):
        brokerage(G, "sector")
    # empty and missing labels are groups of their own
    G = make_graph("abc", [("a", "b"), ("b", "c")], types=["", "x", None])
    assert brokerage(G, "type").loc[1, "brokerage_liaison"] == 2
