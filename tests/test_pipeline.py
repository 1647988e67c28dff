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
