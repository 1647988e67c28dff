"""samverkan.metrics.repetition on small hand-checked tables."""

import pandas as pd

from samverkan.metrics.repetition import repetition


def _table(rows):
    return pd.DataFrame(rows, columns=["project", "organisation"])


def test_repeated_ties_and_repeat_projects_by_hand():
    # P1 {A,B,C} 2020, P2 {A,B} 2021 (inside P1: a repeat), P3 {A,D} 2021, P4 {B,C,D} 2022 (D new to B,C: not),
    # P5 {C} 2019 (one organisation: not counted), P6 {A,B} undated (not counted in the project measure)
    parts = _table(
        [("P1", "A"), ("P1", "B"), ("P1", "C"), ("P1", "C"), ("P2", "A"), ("P2", "B"), ("P3", "A"), ("P3", "D"), ("P4", "B"), ("P4", "C"), ("P4", "D"), ("P5", "C"), ("P6", "A"), ("P6", "B")]
    )
    projects = pd.DataFrame({"id": ["P1", "P2", "P3", "P4", "P5", "P6"], "start": ["2020-01-01", "2021-01-01", "2021-01-01", "2022-01-01", "2019-01-01", None]})
    facts = repetition(parts, projects)
    # ties: AB (P1,P2,P6 = 3), AC (1), BC (P1,P4 = 2), AD (1), BD (1), CD (1) -> 6 ties, 2 repeated
    assert facts["ties"] == 6 and facts["repeated_ties"] == 2
    assert facts["repeated_tie_share"] == 2 / 6
    # dated with >= 2 organisations: P1, P2, P3, P4; only P2 repeats
    assert facts["dated_projects"] == 4 and facts["repeat_projects"] == 1
    assert facts["repeat_project_share"] == 0.25


def test_same_start_is_not_earlier_and_empty_input():
    parts = _table([("P1", "A"), ("P1", "B"), ("P2", "A"), ("P2", "B")])
    projects = pd.DataFrame({"id": ["P1", "P2"], "start": ["2020-01-01", "2020-01-01"]})
    assert repetition(parts, projects)["repeat_projects"] == 0
    empty = repetition(_table([]))
    assert empty["ties"] == 0 and empty["repeated_tie_share"] is None and empty["repeat_project_share"] is None


def test_the_analysed_ties_are_counted_when_given():
    # the graph's ties: shared projects 1, 2, 0 (a direct tie only, not project collaboration), 3
    # -> 3 ties through projects, 2 of them on two or more projects
    facts = repetition(_table([]), shared_projects=[1, 2, 0, 3])
    assert (facts["ties"], facts["repeated_ties"], facts["repeated_tie_share"]) == (3, 2, 2 / 3)


def test_the_summary_counts_the_same_ties_as_the_report():
    from samverkan import analyse

    a = analyse("data/sodertorn-2009")
    # Södertörn: 121 ties, one of them a direct tie without a shared project
    assert a.summary["ties"] == len(a.ties) == 121
    assert a.summary["repetition"]["ties"] == int((a.ties["shared_projects"] >= 1).sum()) == 120


def test_no_dated_project_with_two_parties():
    # one dated project with one organisation: nothing to compare, no error (was a KeyError)
    projects = pd.DataFrame({"id": ["P1"], "start": ["2020-01-01"]})
    facts = repetition(_table([("P1", "A")]), projects)
    assert (facts["dated_projects"], facts["repeat_projects"], facts["repeat_project_share"]) == (0, 0, None)
