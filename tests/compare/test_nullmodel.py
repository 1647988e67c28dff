"""The curveball null model: degrees kept exactly, uniform sampling, cases whose expectation is known."""

import math
from collections import Counter

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from networkx.algorithms import bipartite

from samverkan.compare import nullmodel
from samverkan.compare.nullmodel import curveball_step, null_model, plan_chain, projection_density_transitivity, rewire, summarise_null


def degrees(matrix):
    m = sp.csr_matrix(matrix)
    return np.asarray(m.sum(axis=1)).ravel().tolist(), np.asarray(m.sum(axis=0)).ravel().tolist()


@pytest.fixture(params=["parallel", "chain"])
def mode(request, monkeypatch):
    """Run each null-model test in both sampling modes (independent chains side by side, one thinned chain)."""
    if request.param == "chain":
        monkeypatch.setattr(nullmodel, "PARALLEL_ENTRIES", 0)
    return request.param


def test_complete_bipartite_every_rewiring_is_the_same(mode):
    # 4 organisations all in 3 projects: K(4,3) is the only matrix with these degrees, so every
    # sample projects to the complete graph K4: density 1, transitivity 1, sd 0 and z undefined.
    result = null_model(sp.csr_matrix(np.ones((4, 3))), samples=20, seed=3)
    assert result.plan.parallel == (mode == "parallel")
    for metric in ("density", "transitivity"):
        s = result.summary[metric]
        assert s["observed"] == 1.0
        assert s["null_mean"] == s["observed"]
        assert s["null_sd"] == 0.0
        assert math.isnan(s["z"])
        assert s["percentile"] == 50.0


def test_star_degree_sequences_force_the_projection(mode):
    # Organisation h is in all 4 projects, each project also has one leaf of its own (degrees
    # h: 4, leaves: 1; every project: 2). The leaves can swap projects, but every rewiring projects
    # to the same star: 4 ties of C(5,2) = 10 pairs, density 0.4; 6 two-paths at h, no triangle,
    # transitivity 0.
    rows = [0, 0, 0, 0, 1, 2, 3, 4]
    cols = [0, 1, 2, 3, 0, 1, 2, 3]
    B = sp.csr_matrix((np.ones(8), (rows, cols)), shape=(5, 4))
    result = null_model(B, samples=25, seed=11)
    assert result.summary["density"]["observed"] == pytest.approx(0.4)
    assert result.summary["transitivity"]["observed"] == 0.0
    for metric in ("density", "transitivity"):
        s = result.summary[metric]
        assert s["null_mean"] == pytest.approx(s["observed"])
        assert s["null_sd"] == 0.0 and math.isnan(s["z"])


def test_pure_star_has_one_matrix_only():
    # One organisation in every project and nobody else: the matrix is fixed, no tie at all.
    B = sp.csr_matrix(np.ones((1, 5)))
    assert (rewire(B, steps=20, seed=1) != B).nnz == 0
    result = null_model(B, samples=10, seed=1)
    assert math.isnan(result.summary["density"]["observed"])  # n = 1: no pair of organisations
    B2 = sp.csr_matrix(np.array([[1, 1, 1], [0, 0, 0]]))  # a second organisation without projects
    result = null_model(B2, samples=10, seed=1)
    assert result.summary["density"]["observed"] == 0.0 and result.summary["density"]["null_sd"] == 0.0
    assert math.isnan(result.summary["transitivity"]["observed"])  # no connected triple


matrices = st.integers(min_value=1, max_value=9).flatmap(
    lambda n_rows: st.integers(min_value=1, max_value=9).flatmap(lambda n_cols: st.lists(st.lists(st.booleans(), min_size=n_cols, max_size=n_cols), min_size=n_rows, max_size=n_rows))
)


@settings(max_examples=150, deadline=None)
@given(matrix=matrices, steps=st.integers(min_value=0, max_value=8), seed=st.integers(min_value=0, max_value=2**32 - 1), side=st.sampled_from(["rows", "columns", "auto"]))
def test_rewiring_preserves_both_degree_sequences(matrix, steps, seed, side):
    B = sp.csr_matrix(np.array(matrix, dtype=int))
    R = rewire(B, steps=steps, seed=seed, trade_on=side)
    assert R.shape == B.shape
    assert R.max() <= 1 if R.nnz else True  # still binary: no column twice in a row
    assert degrees(R) == degrees(B)


@settings(max_examples=80, deadline=None)
@given(matrix=matrices, copies=st.integers(min_value=1, max_value=5), seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_stacked_copies_trade_only_within_their_block(matrix, copies, seed):
    # The parallel mode stacks copies as a block diagonal; rows pair only inside their copy.
    B = sp.coo_matrix(np.array(matrix, dtype=int))
    n_rows, n_cols = B.shape
    rows = np.concatenate([B.row + k * n_rows for k in range(copies)]).astype(np.int64)
    cols = np.concatenate([B.col + k * n_cols for k in range(copies)]).astype(np.int64)
    rng = np.random.default_rng(seed)
    for _ in range(4):
        rows = curveball_step(rows, cols, n_rows * copies, rng, blocks=copies)
    assert np.array_equal(rows // n_rows, cols // n_cols)  # every entry stays in its block
    big = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_rows * copies, n_cols * copies))
    assert big.max() <= 1 if big.nnz else True
    for k in range(copies):
        block = big[k * n_rows : (k + 1) * n_rows, k * n_cols : (k + 1) * n_cols]
        assert degrees(block) == degrees(B)


def test_sampling_is_uniform_over_the_matrices_with_given_degrees():
    # Row and column sums all 1 on 3 × 3: the 6 permutation matrices, each equally likely
    # (Carstens 2015). 1,200 independent rewirings: about 200 each; a bias of 30 % would show.
    B = sp.identity(3, format="csr")
    counts = Counter()
    for seed in range(1200):
        R = rewire(B, steps=6, seed=seed).toarray()
        counts[tuple(R.argmax(axis=1))] += 1
    assert len(counts) == 6
    assert all(140 <= c <= 260 for c in counts.values()), counts


def test_null_model_is_deterministic_with_a_seed(mode):
    rng = np.random.default_rng(0)
    B = sp.csr_matrix((rng.random((12, 9)) < 0.35).astype(int))
    a = null_model(B, samples=15, seed=[7, 1])
    b = null_model(B, samples=15, seed=[7, 1])
    c = null_model(B, samples=15, seed=[8, 1])
    assert np.array_equal(a.draws["density"], b.draws["density"], equal_nan=True)
    assert np.array_equal(a.draws["transitivity"], b.draws["transitivity"], equal_nan=True)
    assert not np.array_equal(a.draws["density"], c.draws["density"])


def test_observed_values_agree_with_networkx():
    rng = np.random.default_rng(5)
    dense = (rng.random((15, 10)) < 0.3).astype(int)
    B = sp.coo_matrix(dense)
    density, transitivity, ties = projection_density_transitivity(B.row, B.col, 15, 10)
    G = nx.Graph()
    G.add_nodes_from(("o", i) for i in range(15))
    G.add_nodes_from(("p", j) for j in range(10))
    G.add_edges_from((("o", i), ("p", j)) for i, j in zip(B.row, B.col))
    P = bipartite.projected_graph(G, [("o", i) for i in range(15)])
    assert ties == P.number_of_edges()
    assert density == pytest.approx(nx.density(P))
    assert transitivity == pytest.approx(nx.transitivity(P))


def test_null_distribution_of_a_random_region_is_sensible(mode):
    # Rewiring keeps degrees, so the null mean of density stays near the observed value for
    # random data (no structure to destroy), and z-scores stay moderate.
    rng = np.random.default_rng(2)
    B = sp.csr_matrix((rng.random((30, 20)) < 0.15).astype(int))
    result = null_model(B, samples=60, seed=4)
    s = result.summary["density"]
    assert s["valid_samples"] == 60
    assert abs(s["z"]) < 4
    assert 0 <= s["percentile"] <= 100


def test_summary_of_known_draws():
    # mean 2.5; sd (ddof 1) = sqrt(5/3) = 1.2910; z = 0.5 / 1.2910 = 0.3873;
    # percentile: one below (1, 2 → two below), one equal: (2 + 0.5) / 4 = 62.5
    s = summarise_null(3.0, [1.0, 2.0, 3.0, 4.0])
    assert s["null_mean"] == 2.5
    assert s["null_sd"] == pytest.approx(math.sqrt(5 / 3))
    assert s["z"] == pytest.approx(0.5 / math.sqrt(5 / 3))
    assert s["percentile"] == 62.5
    assert math.isnan(summarise_null(1.0, [float("nan")] * 3)["null_mean"])


def test_large_regions_get_fewer_samples_and_say_so():
    small = plan_chain(150)
    assert (small.samples, small.parallel, small.capped) == (100, True, False)
    middle = plan_chain(5_000)
    assert (middle.samples, middle.parallel, middle.capped) == (100, False, False)
    large = plan_chain(15_000)
    assert large.samples == 50 and large.capped and "50 null-model samples instead of 100" in large.note
    huge = plan_chain(150_000, samples=500)
    assert huge.samples == 20 and huge.burn_in == 30 and huge.capped
    assert plan_chain(150_000, samples=5).samples == 5 and not plan_chain(150_000, samples=5).capped
    with pytest.raises(ValueError):
        plan_chain(10, samples=-1)


def test_zero_samples_and_empty_data():
    assert null_model(sp.csr_matrix((3, 2)), samples=0).plan.samples == 0
    empty = null_model(sp.csr_matrix((3, 2)), samples=5)
    assert empty.summary["density"]["observed"] == 0.0 and empty.summary["density"]["null_sd"] == 0.0
