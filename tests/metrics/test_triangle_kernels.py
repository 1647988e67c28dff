"""The compiled triangle pass (large graphs) against the numpy batches (small graphs), forced on small graphs.

Both paths must give the same numbers bit for bit: the bridging table of a large package is
written from the compiled one and must not depend on which path ran. The hand values and the
networkx / brute-force references of test_structural_holes.py and test_brokerage.py are checked
on the compiled path too.
"""

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from graphs_bridging import collaboration_graph, make_graph, random_graph  # noqa: E402
from test_brokerage import ROLES, brute_force  # noqa: E402
from test_structural_holes import networkx_reference  # noqa: E402

from samverkan.metrics import brokerage as brokerage_module  # noqa: E402
from samverkan.metrics import structural_holes as holes_module  # noqa: E402
from samverkan.metrics import triangles  # noqa: E402
from samverkan.metrics.brokerage import brokerage  # noqa: E402
from samverkan.metrics.structural_holes import structural_holes  # noqa: E402


@pytest.fixture
def compiled(monkeypatch):
    """Every triangle pass takes the compiled path."""
    monkeypatch.setattr(triangles, "KERNEL_MIN_PAIRS", 0)


def both_paths(monkeypatch, compute):
    """``compute()`` on the numpy path, then on the compiled path."""
    monkeypatch.setattr(triangles, "KERNEL_MIN_PAIRS", 10**18)
    reference = compute()
    monkeypatch.setattr(triangles, "KERNEL_MIN_PAIRS", 0)
    return reference, compute()


def assert_identical(left: pd.DataFrame, right: pd.DataFrame) -> None:
    """Same columns, dtypes and bits (NaN where NaN)."""
    assert list(left.columns) == list(right.columns)
    for column in left.columns:
        a, b = left[column].to_numpy(), right[column].to_numpy()
        assert a.dtype == b.dtype, column
        if a.dtype.kind == "f":
            assert np.array_equal(a.view(np.uint64), b.view(np.uint64)), column
        else:
            assert np.array_equal(a, b), column


def one_way_graph(seed, *, weights=False):
    """A random graph whose ties are partly one-way (a few mutual through two directed ties)."""
    rng = np.random.default_rng(seed)
    G, _ = random_graph(30, 0.3, seed=seed, weights=weights, types=("a", "b", "c", "d"))
    pairs = [(int(a), int(b)) for a, b in zip(G.edges["i"], G.edges["j"])]
    chosen = [p for p in pairs if rng.random() < 0.4]
    arcs = [p if rng.random() < 0.5 else p[::-1] for p in chosen] + [p[::-1] for p in chosen if rng.random() < 0.15]
    weighted = [(a, b, w) for (a, b), w in zip(pairs, G.edges["weight"])]
    return make_graph(range(30), weighted, types=G.nodes["type"].tolist(), directed=chosen, arcs=arcs)


def test_hand_values_on_the_compiled_path(compiled):
    # the triangle with a pendant of test_structural_holes: c has 3 partners, one tie among them
    G = make_graph("abcd", [("a", "b"), ("a", "c"), ("b", "c"), ("c", "d")], types=["x", "x", "y", "z"])
    holes, broker = triangles.holes_and_brokerage(G, "type")
    assert holes.loc[2].tolist() == pytest.approx([7 / 3, 7 / 9, 11 / 18])
    assert holes.loc[0].tolist() == pytest.approx([1, 1 / 2, 145 / 144])
    # c brokers (a, d), (d, a), (b, d), (d, b): a, b of type x, c of y, d of z: liaison 4;
    # a–b is tied, so (a, b) is not brokered
    assert broker.loc[2, ROLES].tolist() == [0, 0, 0, 0, 4]
    assert (broker.loc[[0, 1, 3], "brokerage_total"] == 0).all()
    # weighted triangle a–b 2, a–c 1, b–c 1: ES_a = 7/6, C_a = (5/6)² + (5/9)² (worked out in test_structural_holes)
    G = make_graph("abc", [("a", "b", 2), ("a", "c", 1), ("b", "c", 1)])
    result = structural_holes(G, weight="weight")
    assert result.loc[0, "effective_size"] == pytest.approx(7 / 6)
    assert result.loc[0, "constraint"] == pytest.approx((5 / 6) ** 2 + (5 / 9) ** 2)


@pytest.mark.parametrize("chunk", [1, 7, 60, None])
@pytest.mark.parametrize("seed", range(4))
def test_compiled_path_is_bit_identical_to_numpy(monkeypatch, seed, chunk):
    # small chunks: many batch boundaries, some inside a vertex's arcs, where partial sums are added
    G, _ = collaboration_graph(80, 60, seed=seed)

    def compute():
        holes = holes_module._HolesAccumulator(G, None)
        broker = brokerage_module._BrokerageAccumulator(G, "type")
        triangles.triangle_pass(G.n, holes.i, holes.j, holes=holes, broker=broker, chunk=chunk)
        return holes.result(), broker.result()

    (holes_np, broker_np), (holes_nb, broker_nb) = both_paths(monkeypatch, compute)
    assert_identical(holes_np, holes_nb)
    assert_identical(broker_np, broker_nb)


@pytest.mark.parametrize("weight", [None, "weight", "shared_projects"])
@pytest.mark.parametrize("seed", range(3))
def test_weighted_holes_bit_identical_and_equal_to_networkx(monkeypatch, seed, weight):
    G, _ = random_graph(25, 0.3, seed=seed, weights=True)
    reference, result = both_paths(monkeypatch, lambda: structural_holes(G, weight=weight))
    assert_identical(reference, result)
    es, c = networkx_reference(G, weight)
    np.testing.assert_allclose(result["effective_size"], es, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(result["constraint"], c, rtol=1e-12, atol=1e-12)


def test_weighted_holes_with_zero_strength_ties(monkeypatch):
    # zero-strength ties are ties with proportion 0; an organisation with only such ties has NaN constraint
    G = make_graph("abcde", [("a", "b", 1), ("a", "c", 2), ("b", "c", 0), ("c", "d", 1), ("b", "d", 3), ("d", "e", 0)])
    reference, result = both_paths(monkeypatch, lambda: structural_holes(G, weight="weight"))
    assert_identical(reference, result)
    assert np.isnan(result.loc[4, "constraint"])


@pytest.mark.parametrize("seed", range(6))
def test_one_way_brokerage_on_the_compiled_path(monkeypatch, seed):
    G = one_way_graph(seed)
    reference, result = both_paths(monkeypatch, lambda: brokerage(G, "type"))
    assert_identical(reference, result)
    pd.testing.assert_frame_equal(result[ROLES], brute_force(G, G.nodes["type"]), check_dtype=False)


def test_mutual_brokerage_matches_brute_force_on_the_compiled_path(compiled):
    G, _ = collaboration_graph(60, 40, seed=3)
    groups = pd.Series(np.arange(G.n) % 3).astype(str)
    pd.testing.assert_frame_equal(brokerage(G, groups)[ROLES], brute_force(G, groups), check_dtype=False)
    holes, broker = triangles.holes_and_brokerage(G, "type")
    pd.testing.assert_frame_equal(broker[ROLES], brute_force(G, G.nodes["type"]), check_dtype=False)


def test_compiled_arcs_equal_the_numpy_arcs():
    from samverkan.metrics.triangle_kernels import forward_arcs

    G, _ = collaboration_graph(70, 50, seed=5)
    i, j = G.edges["i"].to_numpy(np.int64), G.edges["j"].to_numpy(np.int64)
    arcs = holes_module._forward_arcs(i, j, G.n)
    order, rank = holes_module.degree_order(i, j, G.n)
    indptr, tail, head, edge_of = forward_arcs(i, j, rank)
    for name, value in (("indptr", indptr), ("tail", tail), ("head", head), ("edge_of", edge_of)):
        assert np.array_equal(value, getattr(arcs, name)), name
    assert np.array_equal(order, arcs.order)


def test_tiny_and_triangle_free_graphs(compiled):
    # fewer than three ties: nothing to list; a star: no triangle, every leaf pair brokered by the hub
    G = make_graph("ab", [("a", "b")])
    holes, broker = triangles.holes_and_brokerage(G, "type")
    assert holes.loc[0].tolist() == [1, 1, 1] and (broker["brokerage_total"] == 0).all()
    G = make_graph(range(5), [(0, 1), (0, 2), (0, 3), (0, 4)])
    holes, broker = triangles.holes_and_brokerage(G, "type")
    assert holes.loc[0].tolist() == pytest.approx([4, 1, 1 / 4])
    assert broker.loc[0, "brokerage_coordinator"] == 12


def test_small_graphs_stay_on_the_numpy_path(monkeypatch):
    # the threshold keeps numba out of small runs (tests/test_lazy_imports.py)
    def fail(*args, **kwargs):
        raise AssertionError("compiled path taken")

    monkeypatch.setattr(triangles, "_kernel_pass", fail)
    G, _ = collaboration_graph(80, 60, seed=1)
    triangles.holes_and_brokerage(G, "type")


@pytest.mark.parametrize("seed", range(3))
def test_weighted_holes_and_one_way_brokerage_in_one_pass(monkeypatch, seed):
    # both accumulators on one compiled walk, with strengths and one-way ties: the general branches
    G = one_way_graph(seed, weights=True)
    assert (G.edges["weight"] != 1).any()

    def compute():
        holes = holes_module._HolesAccumulator(G, "weight")
        broker = brokerage_module._BrokerageAccumulator(G, "type")
        triangles.triangle_pass(G.n, holes.i, holes.j, holes=holes, broker=broker, chunk=5)
        return holes.result(), broker.result()

    (holes_np, broker_np), (holes_nb, broker_nb) = both_paths(monkeypatch, compute)
    assert_identical(holes_np, holes_nb)
    assert_identical(broker_np, broker_nb)
    pd.testing.assert_frame_equal(broker_nb[ROLES], brute_force(G, G.nodes["type"]), check_dtype=False)
