"""One table per organisation, and the ranked bridging actors with reasons."""

import sys
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from samverkan.errors import UsageError

sys.path.insert(0, str(Path(__file__).parent))
from graphs_bridging import collaboration_graph, make_graph, positional_networkx  # noqa: E402

from samverkan.metrics import brokerage, centrality, communities, structural_holes  # noqa: E402
from samverkan.metrics.bridging import METRIC_COLUMNS, organisation_metrics, rank_bridging_actors  # noqa: E402

EXPECTED_COLUMNS = [
    "id",
    "name",
    "type",
    "degree",
    "weighted_degree",
    "betweenness",
    "betweenness_weighted",
    "closeness",
    "eigenvector",
    "effective_size",
    "efficiency",
    "constraint",
    "articulation_point",
    "community",
    "participation_coefficient",
    "brokerage_coordinator",
    "brokerage_itinerant",
    "brokerage_gatekeeper",
    "brokerage_representative",
    "brokerage_liaison",
    "removal_disconnects",
]


def two_clusters():
    # K4 a-b-c-d (municipalities) and K4 e-f-g-h (academia), joined only through x (business),
    # tied to d and e; z is isolated.
    k4 = lambda nodes: [(p, q) for k, p in enumerate(nodes) for q in nodes[k + 1 :]]  # noqa: E731
    edges = k4("abcd") + k4("efgh") + [("d", "x"), ("x", "e")]
    types = ["municipality"] * 4 + ["business"] + ["academia"] * 4 + ["ngo"]
    return make_graph(list("abcdxefghz"), edges, types=types)


def test_columns_and_values_agree_with_the_single_functions():
    G = two_clusters()
    metrics, notes = organisation_metrics(G)
    assert list(metrics.columns[: len(EXPECTED_COLUMNS)]) == EXPECTED_COLUMNS == METRIC_COLUMNS
    assert metrics["id"].tolist() == list("abcdxefghz")
    assert metrics["degree"].tolist() == centrality.degree(G).tolist()
    assert metrics["betweenness"].tolist() == pytest.approx(centrality.betweenness(G).values.tolist())
    assert metrics["betweenness_weighted"].tolist() == pytest.approx(centrality.betweenness(G, weighted=True).values.tolist())
    assert metrics["closeness"].tolist() == pytest.approx(centrality.closeness(G).values.tolist())
    assert metrics["eigenvector"].tolist() == pytest.approx(centrality.eigenvector(G).tolist())
    holes = structural_holes.structural_holes(G)
    for column in ("effective_size", "efficiency", "constraint"):
        np.testing.assert_allclose(metrics[column], holes[column])
    roles = brokerage.brokerage(G, "type")
    for column in roles.columns:
        assert metrics[column].tolist() == roles[column].tolist()
    found = communities.leiden(G)
    assert metrics["community"].tolist() == found.membership.tolist()
    assert metrics["participation_coefficient"].tolist() == pytest.approx(communities.participation_coefficient(G, found.membership).tolist())
    # by hand: x cuts off 4 (9 in the main component, pieces of 4 and 4: 9 − 1 − 4); d and e 3 each
    assert metrics["removal_disconnects"].tolist() == [0, 0, 0, 3, 4, 3, 0, 0, 0, 0]
    assert metrics["articulation_point"].tolist() == [False, False, False, True, True, True, False, False, False, False]
    # x brokers d → x → e and e → x → d between two other types: liaison 2
    assert metrics.loc[4, "brokerage_liaison"] == 2
    assert np.isnan(metrics.loc[9, "constraint"]) and metrics.loc[9, "closeness"] == 0
    assert notes["betweenness_exact"] and notes["closeness_exact"] and notes["communities_min2"] == 2
    assert notes["communities"] == 3 and notes["modularity"] == pytest.approx(found.modularity)
    assert all(isinstance(text, str) for text in notes["notes"]) and len(notes["notes"]) >= 4


def test_betweenness_by_hand_in_the_table():
    metrics, _ = organisation_metrics(two_clusters())
    # x lies on all 4·4 = 16 paths between the clusters; d on 3·5 = 15 (a, b, c to x, e..h);
    # normalised by (10 − 1)(10 − 2)/2 = 36
    assert metrics.loc[4, "betweenness"] == pytest.approx(16 / 36)
    assert metrics.loc[3, "betweenness"] == pytest.approx(15 / 36)


def test_sampled_run_says_so():
    G, _ = collaboration_graph(120, 60, seed=1)
    metrics, notes = organisation_metrics(G, sample=20, seed=3)
    assert notes["betweenness_exact"] is False and notes["betweenness_sources"] == 20
    assert notes["betweenness_weighted_sources"] == 20
    assert any("20 of 120" in text for text in notes["notes"])
    assert (metrics["betweenness_se"] >= 0).all()
    again, _ = organisation_metrics(G, sample=20, seed=3)
    assert again.equals(metrics)


def test_cross_check_with_networkx_on_a_collaboration_graph():
    G, _ = collaboration_graph(100, 50, seed=4)
    metrics, _ = organisation_metrics(G)
    H = positional_networkx(G)
    truth = nx.betweenness_centrality(H)
    assert metrics["betweenness"].tolist() == pytest.approx([truth[k] for k in range(G.n)])
    truth = nx.closeness_centrality(H)
    assert metrics["closeness"].tolist() == pytest.approx([truth[k] for k in range(G.n)])
    c = nx.constraint(H, nodes=list(H))
    np.testing.assert_allclose(metrics["constraint"], [c[k] for k in range(G.n)])


def words(ranked, lang):
    from samverkan.text.catalogue import bridging_in_words

    return bridging_in_words(ranked, lang)


def test_ranking_puts_the_bridge_first_with_reasons():
    metrics, _ = organisation_metrics(two_clusters())
    ranked = words(rank_bridging_actors(metrics, top=3), "en")
    assert list(ranked.columns) == ["id", "name", "score", "reasons"]
    assert ranked["id"].tolist()[0] == "x"
    reasons = ranked.loc[0, "reasons"]
    assert "articulation point: removing it cuts off 4 organisations from the main network" in reasons
    assert "rank 1 of 9 organisations with at least one partner (betweenness 0.444)" in reasons
    swedish = words(rank_bridging_actors(metrics, top=3), "sv").loc[0, "reasons"]
    assert "skärningspunkt: utan den förlorar 4 organisationer kontakten" in swedish
    assert "plats 1 av 9 organisationer med minst en partner (mellanhetscentralitet 0,444)" in swedish
    assert (ranked["score"].diff().dropna() <= 0).all()


def test_only_connected_organisations_and_id_tie_breaks():
    G = make_graph(list("abcdez"), [("a", "b"), ("b", "c"), ("c", "d"), ("d", "e")])
    metrics, _ = organisation_metrics(G)
    ranked = rank_bridging_actors(metrics, top=10)
    assert "z" not in ranked["id"].tolist() and len(ranked) == 5  # isolates are never listed
    assert ranked["id"].tolist()[0] == "c"
    assert all(text for text in ranked["reasons"])
    assert rank_bridging_actors(metrics, top=0).empty
    with pytest.raises(UsageError, match="language"):
        words(rank_bridging_actors(metrics), "de")
    assert ranked.loc[0, "reasons"][0]["reason"] in ("cut_point", "betweenness")  # facts, not words
    # identical positions under different ids: equal scores, listed by id
    twins = metrics.iloc[[2, 2, 2, 0]].copy()
    twins["id"] = ["q", "b", "k", "a"]
    ranked = rank_bridging_actors(twins, top=4)
    assert ranked["id"].tolist() == ["b", "k", "q", "a"]
    assert ranked.loc[0, "score"] == ranked.loc[1, "score"] == ranked.loc[2, "score"]


def test_group_by_must_exist_and_edgeless_graphs_work():
    G = make_graph("abc", [])
    with pytest.raises(ValueError, match="cannot group by 'sector'"):
        organisation_metrics(G, group_by="sector")
    metrics, notes = organisation_metrics(G)
    assert len(metrics) == 3 and metrics["degree"].tolist() == [0, 0, 0]
    assert notes["modularity"] is None
    assert rank_bridging_actors(metrics).empty


def test_brokerage_reason_in_both_languages():
    metrics, _ = organisation_metrics(two_clusters())
    metrics.loc[4, "brokerage_liaison"] = 12345  # pretend x brokers a lot across types
    english = words(rank_bridging_actors(metrics, top=1), "en").loc[0, "reasons"]
    assert (
        "brokers 12,345 times between two partners who do not work together and belong to different organisation types (each pair counted both ways), and in all of these all three belong to different organisation types"
        in english
    )
    swedish = words(rank_bridging_actors(metrics, top=1), "sv").loc[0, "reasons"]
    assert "förmedlar kontakt 12\u202f345 gånger mellan två partner som inte själva samarbetar och som hör till olika organisationstyper" in swedish


def test_docstring_examples():
    import doctest

    from samverkan.metrics import bridging as module_bridging

    for module in (centrality, structural_holes, brokerage, communities, module_bridging):
        assert doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE).failed == 0
