"""analysis.ties_table: the ties with both ends' names, as the dict lookup made them before."""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from samverkan.analysis import ties_table
from samverkan.graph.projection import CollaborationGraph


def _by_lookup(graph):
    """What analyse did before: every end's id looked up in a dict of names."""
    ties = graph.edges.drop(columns=["i", "j"]).copy()
    names = dict(zip(graph.nodes["id"], graph.nodes["name"]))
    ties.insert(1, "source_name", ties["source"].map(names))
    ties.insert(3, "target_name", ties["target"].map(names))
    return ties


def _graph(ids, names, i, j, source=None, target=None):
    nodes = pd.DataFrame({"id": ids, "name": names})
    ids_array = np.array(ids, dtype=object)
    edges = pd.DataFrame(
        {
            "source": list(ids_array[i]) if source is None else source,
            "target": list(ids_array[j]) if target is None else target,
            "i": i,
            "j": j,
            "shared_projects": np.ones(len(i), dtype=np.int64),
            "weight": np.ones(len(i)),
        }
    )
    return CollaborationGraph(nodes, edges, pd.DataFrame(), sp.csr_matrix((len(ids), 0)), pd.DataFrame())


@pytest.mark.parametrize(
    "names, source",
    [
        (["Alfa", "Beta", "Gamma", "Ö"], None),  # names by position
        (["Alfa", None, "Gamma", "Ö"], None),  # a missing name: looked up as before
        (["Alfa", "Beta", 3, "Ö"], None),  # a name that is not text
        (["Alfa", "Beta", "Gamma", "Ö"], ["b", "a", "a", "x"]),  # ends that are not the ids at i: looked up
    ],
)
def test_ties_table_is_the_lookup_of_before(names, source):
    graph = _graph(["a", "b", "c", "d"], names, np.array([0, 0, 1, 2]), np.array([1, 2, 3, 3]), source=source)
    got, expected = ties_table(graph), _by_lookup(graph)
    pd.testing.assert_frame_equal(got, expected)
    got.loc[0, "weight"] = 5.0  # the table is the analysis' own: the graph's ties stay as they were
    assert graph.edges.loc[0, "weight"] == 1.0


def test_ties_table_without_ties():
    graph = _graph(["a", "b"], ["A", "B"], np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    pd.testing.assert_frame_equal(ties_table(graph), _by_lookup(graph))
