"""block_density and ei_index on hand-checked graphs, then against networkx on seeded random graphs."""

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from samverkan.metrics.groups import block_density, ei_index, group_labels, group_order
from samverkan.text.catalogue import label_groups

from .graphs_density import from_networkx, graph, random_graphs


def three_groups():
    # kommun = {0, 1, 2}, region = {3, 4}, akademi = {5}
    # ties: 0–1, 1–2 (kommun), 3–4 (region), 0–3 (kommun–region), 2–5 (kommun–akademi)
    return graph(6, [(0, 1), (1, 2), (3, 4), (0, 3), (2, 5)], type=["kommun", "kommun", "kommun", "region", "region", "akademi"])


def test_block_density_by_hand():
    table = block_density(three_groups(), "type")
    assert list(table.index) == ["akademi", "kommun", "region"] == list(table.columns)
    assert table.loc["kommun", "kommun"] == pytest.approx(2 / 3)  # 2 ties / (3·2/2)
    assert table.loc["region", "region"] == pytest.approx(1.0)  # 1 / (2·1/2)
    assert math.isnan(table.loc["akademi", "akademi"])  # a single member: no pair
    assert table.loc["kommun", "region"] == pytest.approx(1 / 6)  # 1 / (3·2)
    assert table.loc["kommun", "akademi"] == pytest.approx(1 / 3)  # 1 / (3·1)
    assert table.loc["region", "akademi"] == 0.0  # 0 / (2·1)
    assert np.allclose(table.to_numpy(), table.to_numpy().T, equal_nan=True)


def test_block_density_weighted_is_mean_strength_per_pair():
    G = graph(4, [(0, 1), (0, 2), (2, 3)], weights=[2.0, 0.5, 3.0], type=["a", "a", "b", "b"])
    table = block_density(G, "type", weight="weight")
    assert table.loc["a", "a"] == pytest.approx(2.0)  # 2.0 / 1 pair
    assert table.loc["b", "b"] == pytest.approx(3.0)
    assert table.loc["a", "b"] == pytest.approx(0.125)  # 0.5 / (2·2)


def test_block_density_groups_empty_values_as_unknown_last():
    G = graph(4, [(0, 1), (2, 3), (1, 2)], municipality=["0126", "", "0126", None])
    table = block_density(G, "municipality")
    assert list(table.index) == ["0126", ""]  # the empty code: no words in the metrics
    assert table.loc["", ""] == 0.0  # positions 1 and 3: not tied
    assert table.loc["0126", ""] == pytest.approx(3 / 4)  # 0–1, 1–2 and 2–3 of 2·2 pairs
    assert table.loc["0126", "0126"] == 0.0  # positions 0 and 2: not tied
    labelled = label_groups(table, "en")
    assert list(labelled.index) == list(labelled.columns) == ["0126", "(unknown)"]
    assert list(label_groups(table, "sv").index) == ["0126", "(okänd)"]


def test_group_order_is_swedish_alphabetical_with_unknown_last():
    assert group_order(["", "Örebro län", "Västmanlands län", "Älvsborg", "Uppsala län"]) == ["Uppsala län", "Västmanlands län", "Älvsborg", "Örebro län", ""]


def test_groups_given_as_values_or_by_id():
    G = three_groups()
    by_column = block_density(G, "type")
    values = ["kommun", "kommun", "kommun", "region", "region", "akademi"]
    pd.testing.assert_frame_equal(block_density(G, values), by_column)
    by_id = pd.Series(values[::-1], index=G.nodes["id"].tolist()[::-1])
    pd.testing.assert_frame_equal(block_density(G, by_id), by_column)
    with pytest.raises(ValueError, match="3 values for 6 organisations"):
        block_density(G, ["a", "b", "c"])
    with pytest.raises(ValueError, match="no such column"):
        block_density(G, "sector")


def test_group_labels_by_position():
    labels = group_labels(graph(3, [], region=["Örebro län", " ", None]), "region")
    assert labels.tolist() == ["Örebro län", "", ""]


@pytest.mark.parametrize("nx_graph", random_graphs(), ids=lambda g: f"n{g.number_of_nodes()}m{g.number_of_edges()}")
def test_block_density_against_networkx(nx_graph):
    nodes = list(nx_graph)
    kinds = ["kommun", "region", "företag", "akademi"]
    group = {v: kinds[(v * 7) % 11 % 4] for v in nodes}  # a fixed, uneven assignment
    G = from_networkx(nx_graph, type=[group[v] for v in nodes])
    table = block_density(G, "type")
    for g in table.index:
        members = [v for v in nodes if group[v] == g]
        if len(members) >= 2:
            assert table.loc[g, g] == pytest.approx(nx.density(nx_graph.subgraph(members)))
        for h in table.columns:
            if h == g:
                continue
            others = [v for v in nodes if group[v] == h]
            between = sum(1 for a, b in nx_graph.edges() if {group[a], group[b]} == {g, h})
            assert table.loc[g, h] == pytest.approx(between / (len(members) * len(others)))


# --- E-I index ---------------------------------------------------------------------------------


def two_groups():
    # A = {a, b, c}, B = {d, e}; internal a–b, b–c, d–e; external a–d, c–e
    return graph(list("abcde"), [(0, 1), (1, 2), (3, 4), (0, 3), (2, 4)], type=["A", "A", "A", "B", "B"])


def test_ei_network_by_hand():
    r = ei_index(two_groups(), "type")
    assert (r["external"], r["internal"]) == (2.0, 3.0)  # each tie counted once
    assert r["network"] == pytest.approx(-0.2)  # (2 − 3)/5
    # random expectation: 10 pairs, within 3 + 1 = 4, between 3·2 = 6: (6 − 4)/10
    assert r["network_expected"] == pytest.approx(0.2)


def test_ei_groups_from_the_member_side_by_hand():
    r = ei_index(two_groups(), "type", group_internal="both")
    # A: E = 2 (a–d, c–e); I = 2 internal ties counted at both members = 4: (2 − 4)/6
    # B: E = 2; I = 1 tie × 2 = 2: (2 − 2)/4
    assert r["groups"]["A"] == pytest.approx(-1 / 3)
    assert r["groups"]["B"] == pytest.approx(0.0)
    assert r["group_counts"].loc["A", ["organisations", "external", "internal"]].tolist() == [3, 2, 4]
    assert r["group_internal"] == "both"


def test_ei_groups_counting_internal_ties_once_by_hand():
    r = ei_index(two_groups(), "type", group_internal="once")
    assert r["groups"]["A"] == pytest.approx(0.0)  # (2 − 2)/4
    assert r["groups"]["B"] == pytest.approx(1 / 3)  # (2 − 1)/3
    assert r["network"] == pytest.approx(-0.2)  # the network value does not depend on the convention


def test_ei_per_organisation_by_hand():
    G = graph(list("abcdef"), [(0, 1), (1, 2), (3, 4), (0, 3), (2, 4)], type=["A", "A", "A", "B", "B", "B"])
    per = ei_index(G, "type")["organisations"]
    # a: E 1 (d), I 1 (b) → 0; b: I 2 → −1; c: I 1, E 1 → 0; d, e: I 1, E 1 → 0; f isolate → NaN
    assert per.iloc[:5].tolist() == pytest.approx([0.0, -1.0, 0.0, 0.0, 0.0])
    assert math.isnan(per.iloc[5])


def test_ei_all_internal_and_all_external():
    internal = graph(4, [(0, 1), (2, 3)], type=["x", "x", "y", "y"])
    r = ei_index(internal, "type")
    assert r["network"] == -1.0 and r["groups"].tolist() == [-1.0, -1.0]
    assert r["organisations"].tolist() == [-1.0] * 4
    external = graph(4, [(0, 2), (1, 3), (0, 3)], type=["x", "x", "y", "y"])
    r = ei_index(external, "type")
    assert r["network"] == 1.0 and r["groups"].tolist() == [1.0, 1.0]
    assert r["organisations"].tolist() == [1.0] * 4


def test_ei_weighted_uses_strength():
    G = graph(3, [(0, 1), (0, 2)], weights=[3.0, 1.0], type=["kommun", "kommun", "företag"])
    assert ei_index(G, "type", weight="weight")["network"] == pytest.approx(-0.5)  # (1 − 3)/4
    assert ei_index(G, "type")["network"] == pytest.approx(0.0)  # (1 − 1)/2


def test_ei_without_ties_is_nan():
    r = ei_index(graph(3, [], type=["a", "b", "b"]), "type")
    assert math.isnan(r["network"])
    assert r["groups"].isna().all() and r["organisations"].isna().all()


def test_ei_member_side_groups_aggregate_to_the_network_value():
    nx_graph = nx.powerlaw_cluster_graph(60, 3, 0.4, seed=8)
    G = from_networkx(nx_graph, region=[["Örebro län", "Västmanlands län", "", "Uppsala län"][v % 4] for v in nx_graph])
    r = ei_index(G, "region")
    counts = r["group_counts"]
    assert counts["external"].sum() == pytest.approx(2 * r["external"])
    assert counts["internal"].sum() == pytest.approx(2 * r["internal"])
    assert "" == counts.index[-1]  # the empty code, labelled at the edge
    # per organisation: E_i and I_i sum to the member-side group counts
    group = {v: ["Örebro län", "Västmanlands län", "", "Uppsala län"][v % 4] for v in nx_graph}
    external = sum(1 for a, b in nx_graph.edges() if group[a] != group[b])
    assert r["external"] == external


def test_ei_rejects_an_unknown_convention():
    with pytest.raises(ValueError, match="group_internal"):
        ei_index(two_groups(), "type", group_internal="twice")


# -- issue 16: binary mixing counted from the ties, labels of text columns without pandas' string pass


def _mixing_by_product(G, labels):
    from samverkan.metrics.groups import _indicator

    order = group_order(labels)
    H, sizes = _indicator(labels, order)
    return (H.T @ G.adjacency(None) @ H).toarray(), sizes, order


def test_binary_mixing_equals_the_sparse_product():
    from samverkan.metrics.groups import _mixing

    rng = np.random.default_rng(3)
    for nx_graph in random_graphs():
        G = from_networkx(nx_graph)
        values = [["kommun", "företag", "", "region"][int(rng.integers(4))] for _ in range(G.n)]
        labels = group_labels(G, values)
        M, sizes, order = _mixing(G, labels, None)
        expected, expected_sizes, expected_order = _mixing_by_product(G, labels)
        assert order == expected_order
        assert np.array_equal(sizes, expected_sizes)
        assert M.dtype == expected.dtype and np.array_equal(M, expected)


def test_group_labels_of_mixed_values_as_pandas_writes_them():
    G = graph(6, [(0, 1)], type=[" kommun ", 7, None, float("nan"), 2.5, "\u00a0företag"])
    expected = pd.Series([" kommun ", 7, None, float("nan"), 2.5, "\u00a0företag"], dtype=object).astype("string").str.strip().fillna("").astype(object)
    assert group_labels(G, "type").tolist() == expected.tolist() == ["kommun", "7", "", "", "2.5", "företag"]
    assert group_labels(graph(3, [], type=[" a", "b ", ""]), "type").tolist() == ["a", "b", ""]
