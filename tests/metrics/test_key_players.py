"""Key-player sets (Borgatti 2006): hand-checked graphs, brute force over every set, the heuristic's hit rate."""

import itertools
import math

import networkx as nx
import numpy as np
import pytest

from samverkan.metrics.key_players import (
    KEY_PLAYER_COLUMNS,
    _Fragment,
    binary_adjacency,
    fragmentation,
    key_players,
    two_step_reach,
)

from .graphs_density import graph


def adjacency(n, edges):
    G = nx.Graph()
    G.add_nodes_from(range(n))
    G.add_edges_from(edges)
    return nx.to_scipy_sparse_array(G, nodelist=range(n))


def brute_force(A, k, kind):
    """The best score over every set of size k."""
    score = fragmentation if kind == "fragment" else two_step_reach
    return max(score(A, c) for c in itertools.combinations(range(A.shape[0]), k))


def test_fragmentation_by_hand():
    # path 0–1–2–3–4: without 2 two parts of 2: F = 1 − (2·1 + 2·1)/(4·3) = 1 − 4/12 = 2/3
    path = adjacency(5, [(0, 1), (1, 2), (2, 3), (3, 4)])
    assert fragmentation(path) == 0.0
    assert fragmentation(path, [2]) == pytest.approx(2 / 3)
    # without 1: parts {0} and {2,3,4}: F = 1 − 3·2/(4·3) = 1/2
    assert fragmentation(path, [1]) == pytest.approx(0.5)
    assert math.isnan(fragmentation(path, [0, 1, 2, 3]))  # one left: no pair


def test_reach_by_hand():
    # path 0–1–2–3–4: from {0}: 1, 2 within two steps of 4 outside → 1/2; from {2}: all 4
    path = adjacency(5, [(0, 1), (1, 2), (2, 3), (3, 4)])
    assert two_step_reach(path, [0]) == pytest.approx(0.5)
    assert two_step_reach(path, [2]) == pytest.approx(1.0)
    assert two_step_reach(path, [0, 4]) == 1.0  # 1, 2 from 0 and 2, 3 from 4: all 3 outside
    assert two_step_reach(path, [0, 1]) == pytest.approx(2 / 3)  # 2 and 3 of 2, 3, 4


def test_two_stars_joined_by_a_bridge():
    # centres 0 and 5, leaves 1–4 and 6–9, bridge 0–5 (10 organisations)
    edges = [(0, i) for i in range(1, 5)] + [(5, i) for i in range(6, 10)] + [(0, 5)]
    A = adjacency(10, edges)
    table = key_players(A, max_size=2).table
    assert list(table.columns) == KEY_PLAYER_COLUMNS
    frag = table[table["kind"] == "fragment"].set_index("size")
    # without 0: {5,6,7,8,9} and four isolates: F = 1 − 5·4/(9·8) = 1 − 20/72 = 0.7222; 0 wins the tie with 5 (first)
    assert frag.loc[1, "organisations"] == "0"
    assert frag.loc[1, "score"] == pytest.approx(1 - 20 / 72)
    # without both centres: eight isolates, F = 1
    assert frag.loc[2, "organisations"] == "0|5" and frag.loc[2, "score"] == 1.0
    reach = table[table["kind"] == "reach"].set_index("size")
    # from 0: 1–4 and 5 in one step, 6–9 in two: all 9 others
    assert reach.loc[1, "score"] == 1.0 and reach.loc[1, "method"] == "exact"


def test_star_example_and_names_from_a_collaboration_graph():
    G = graph(4, [(0, 1), (0, 2), (0, 3)])
    result = key_players(G, max_size=1)
    assert result.table["organisations"].tolist() == [G.nodes["id"][0]] * 2
    assert result.table["names"].tolist() == [G.nodes["name"][0]] * 2
    fact = result.facts[0]
    assert (fact["components_before"], fact["components_after"], fact["largest_after"]) == (1, 3, 1)


@pytest.mark.parametrize("seed", range(12))
def test_exact_sets_equal_brute_force(seed):
    A = nx.to_scipy_sparse_array(nx.gnp_random_graph(11, 0.22, seed=seed))
    table = key_players(A, max_size=3).table
    assert (table["method"] == "exact").all()
    for row in table.itertuples():
        assert row.score == pytest.approx(brute_force(A, row.size, row.kind))


def test_score_in_the_table_is_the_score_of_the_set_from_scratch():
    A = nx.to_scipy_sparse_array(nx.barabasi_albert_graph(40, 1, seed=3))
    for limit in (200_000, 0):
        result = key_players(A, max_size=3, exact_limit=limit)
        for row in result.table.itertuples():
            members = [int(x) for x in row.organisations.split("|")]
            again = fragmentation(A, members) if row.kind == "fragment" else two_step_reach(A, members)
            assert row.score == again  # the same number, not only close


@pytest.mark.parametrize("seed", range(6))
def test_every_single_removal_at_once_equals_removing_one_by_one(seed):
    A = nx.to_scipy_sparse_array(nx.gnp_random_graph(16, 0.15, seed=seed))
    fragment = _Fragment(binary_adjacency(A))
    for removed in ([], [0], [1, 5]):
        scores = fragment.after_each(removed)
        for v in range(16):
            if v in removed:
                assert math.isnan(scores[v])
            else:
                assert scores[v] == pytest.approx(fragmentation(A, removed + [v]))


def test_heuristic_finds_the_optimum_in_at_least_95_percent_of_seeds():
    """Random graphs of 30–60 organisations (sparse G(n, p) with mean degree 2.5, and
    Barabási–Albert with 1–3 ties per newcomer); the heuristic (forced with exact_limit=0) against
    every set, sizes 2 and 3 of both kinds. Measured over 100 seeds for the report; 10 seeds here."""
    hits, total = 0, 0
    for seed in range(10):
        n = int(np.random.default_rng(seed).integers(30, 61))
        G = nx.gnp_random_graph(n, 2.5 / n, seed=seed) if seed % 2 == 0 else nx.barabasi_albert_graph(n, 1 + seed % 3, seed=seed)
        A = nx.to_scipy_sparse_array(G)
        exact = key_players(A, max_size=3, seed=seed).table
        heuristic = key_players(A, max_size=3, exact_limit=0, seed=seed).table
        assert (heuristic.loc[heuristic["size"] > 1, "method"] == "heuristic").all()
        for e, h in zip(exact.itertuples(), heuristic.itertuples()):
            if e.size > 1:
                total += 1
                hits += h.score >= e.score - 1e-12
    assert hits / total >= 0.95, f"{hits} of {total}"


def test_heuristic_is_deterministic_for_a_seed():
    A = nx.to_scipy_sparse_array(nx.gnp_random_graph(50, 0.05, seed=7))
    first = key_players(A, exact_limit=0, seed=1).table
    assert first.equals(key_players(A, exact_limit=0, seed=1).table)


def test_large_network_reach_uses_a_pool_and_says_so():
    A = nx.to_scipy_sparse_array(nx.barabasi_albert_graph(120, 2, seed=1))
    result = key_players(A, max_size=2, dense_limit=100, pool=20)
    codes = [n["code"] for n in result.notes]
    assert "reach-pool" in codes and "single-start" in codes
    assert set(result.table["method"]) == {"exact", "heuristic"}  # fragment of size 1 stays exact


def test_fragment_on_a_large_network_is_greedy_and_says_so():
    A = nx.to_scipy_sparse_array(nx.barabasi_albert_graph(80, 1, seed=2))
    result = key_players(A, max_size=2, kinds=("fragment",), exact_limit=0, large_limit=50)
    assert {"code": "greedy-only", "kind": "fragment", "n": 80, "large_limit": 50} in result.notes
    row = result.table.iloc[1]
    assert row["method"] == "heuristic" and row["score"] == fragmentation(A, [int(x) for x in row["organisations"].split("|")])


def test_too_small_sizes_are_skipped_with_a_note():
    result = key_players(adjacency(3, [(0, 1), (1, 2)]), max_size=2)
    assert result.table["size"].tolist() == [1, 1]
    assert {"code": "skipped-size", "kind": "fragment", "size": 2, "n": 3} in result.notes


def test_bad_arguments():
    with pytest.raises(ValueError, match="unknown key-player kind"):
        key_players(adjacency(3, []), kinds=("betweenness",))
    with pytest.raises(ValueError, match="square"):
        key_players(np.zeros((2, 3)))


# -- issue 16: the compiled fragment search of large networks, the gathered reach rows -----------


@pytest.mark.parametrize("seed", range(8))
def test_compiled_search_gives_the_block_cut_trees_scores(seed, monkeypatch):
    import samverkan.metrics.key_players as kp

    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 70))
    nxg = nx.gnp_random_graph(n, float(rng.uniform(0.01, 0.2)), seed=seed)
    nxg.add_edges_from([(0, 1)] if n > 1 else [])
    A = binary_adjacency(nx.to_scipy_sparse_array(nxg, nodelist=range(n)))
    for removed in ([], [0], sorted({int(x) for x in rng.integers(0, n, size=3)})):
        monkeypatch.setattr(kp, "COMPILED_ABOVE", 10**9)  # igraph's biconnected components
        with_igraph = _Fragment(A)._after_each(removed)
        monkeypatch.setattr(kp, "COMPILED_ABOVE", -1)  # the numba search
        compiled = _Fragment(A)._after_each(removed)
        assert np.array_equal(compiled, with_igraph, equal_nan=True)  # the same numbers, bit for bit


@pytest.mark.parametrize("seed", range(4))
def test_reach_rows_gathered_equal_the_sparse_product(seed, monkeypatch):
    import samverkan.metrics.key_players as kp

    A = binary_adjacency(nx.to_scipy_sparse_array(nx.gnp_random_graph(60, 0.06, seed=seed)))
    candidates = np.sort(np.random.default_rng(seed).choice(60, size=12, replace=False))
    monkeypatch.setattr(kp, "GATHER_LIMIT", 0)
    product = kp._Reach(A, candidates)
    monkeypatch.setattr(kp, "GATHER_LIMIT", 10**9)
    gathered = kp._Reach(A, candidates)
    assert np.array_equal(gathered.within, product.within) and np.array_equal(gathered.near, product.near)


def test_compute_key_players_leaves_out_benchmark_only_organisations_with_one_adjacency():
    from types import SimpleNamespace

    import pandas as pd

    from samverkan.metrics.key_players import benchmark_only, compute_key_players

    G = graph(6, [(0, 1), (1, 2), (2, 3), (3, 0), (1, 4)])
    parts = pd.DataFrame({"organisation": ["o0", "o5", "o5", "o4", "o4"], "role": ["partner", " Benchmark", "benchmark", "benchmark", None]})
    package = SimpleNamespace(participations=parts)
    assert benchmark_only(G, package).tolist() == [False, False, False, False, False, True]  # o4 has a tie; a missing role is not benchmarking
    found = compute_key_players(G, package, SimpleNamespace(key_players=2, seed=1))
    assert found.notes[0] == {"code": "benchmark-only", "n": 1}
    expected = key_players(binary_adjacency(G)[:5][:, :5], max_size=2, seed=1, ids=[f"o{k}" for k in range(5)])
    assert found.table.equals(expected.table)


def _benchmark_only_before(G, parts):
    """What benchmark_only did before: sets of every organisation's id as text, one test per organisation."""
    from itertools import compress

    import pandas as pd

    ids = G.nodes["id"].astype(str).to_numpy()
    codes, roles = pd.factorize(parts["role"])
    benchmark = np.array([str(role).strip().lower() == "benchmark" for role in roles.tolist()] + [False], dtype=bool)
    other = ~benchmark[codes]
    org = parts["organisation"].astype(str).tolist()
    has_any, has_other = set(org), set(compress(org, other.tolist()))
    degree = np.diff(binary_adjacency(G).indptr)
    return np.array([(i in has_any) and (i not in has_other) for i in ids], dtype=bool) & (degree == 0)


@pytest.mark.parametrize("seed", range(6))
def test_benchmark_only_is_the_set_test_of_before(seed):
    from types import SimpleNamespace

    import pandas as pd

    from samverkan.metrics.key_players import benchmark_only

    rng = np.random.default_rng(seed)
    n = 12
    G = graph(n, [(0, 1), (1, 2), (3, 4)])
    organisations = [f"o{k}" for k in rng.integers(0, n + 2, 40)]  # o12, o13: not in the graph
    if seed % 3 == 1:
        organisations[0] = None  # a missing organisation reads as "None" (astype(str))
    if seed % 3 == 2:
        organisations[1] = 7  # a number, read as text
    roles = rng.choice(["benchmark", " Benchmark", "partner", "lead"], 40).tolist()
    roles[2] = None
    parts = pd.DataFrame({"organisation": pd.Series(organisations, dtype=object), "role": pd.Series(roles, dtype=object)})
    assert benchmark_only(G, SimpleNamespace(participations=parts)).tolist() == _benchmark_only_before(G, parts).tolist()
