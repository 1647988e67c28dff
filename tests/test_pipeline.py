"""The pipeline's choices for large views: what is drawn stays honest."""

import numpy as np
import pandas as pd

from samverkan.pipeline import _view_edges


def test_view_edges_keep_the_strongest_and_every_organisations_own_strongest_tie():
    rng = np.random.default_rng(1)
    pairs = {tuple(sorted(rng.choice(60, 2, replace=False))) for _ in range(400)}
    edges = pd.DataFrame(sorted(pairs), columns=["i", "j"])
    edges["shared_projects"] = rng.integers(1, 6, len(edges))
    edges["weight"] = rng.random(len(edges))
    chosen = _view_edges(edges, 20)
    strongest = edges.sort_values(["shared_projects", "weight"], ascending=False).head(20)
    assert set(strongest.index) <= set(chosen.index)
    tied = set(edges["i"]) | set(edges["j"])
    assert tied == set(chosen["i"]) | set(chosen["j"])  # nobody with ties is drawn as an isolate
    assert len(chosen) < len(edges)
    assert _view_edges(edges, 10_000) is edges


def test_swedish_method_notes_say_what_was_sampled_and_its_error():
    from samverkan.analysis import method_notes_sv

    facts = {
        "betweenness_exact": False,
        "betweenness_sources": 256,
        "betweenness_weighted_exact": True,
        "closeness_exact": True,
        "modularity": 0.409,
        "communities_min2": 258,
        "community_seed": 42,
        "notes": ["unweighted betweenness estimated from 256 of 35,871 organisations ...; median relative standard error 22.3 % among the 50 highest"],
    }
    notes = method_notes_sv(facts, 35871, "type")
    assert notes[0].endswith("skattad från 256 slumpvis valda startorganisationer av 35 871 (frö 42); mediant relativt standardfel 22,3 % bland de 50 högsta")
    assert "exakt beräknad för alla 35 871" in notes[1]
    assert "258 grupper med minst två organisationer; modularitet 0,409" in notes[3]
