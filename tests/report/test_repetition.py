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


def _repetition_before(participations, projects=None):
    """The first implementation (a groupby of frozensets, every pair in a dict, the first organisation as anchor)."""
    from itertools import combinations

    import numpy as np

    pairs = participations[["project", "organisation"]].dropna().astype(str).drop_duplicates()
    members = pairs.groupby("project", sort=True)["organisation"].apply(lambda s: frozenset(s))
    weight = {}
    for orgs in members:
        for a, b in combinations(sorted(orgs), 2):
            weight[(a, b)] = weight.get((a, b), 0) + 1
    ties, repeated = len(weight), sum(1 for w in weight.values() if w >= 2)
    out = {"ties": ties, "repeated_ties": repeated, "repeated_tie_share": repeated / ties if ties else None, "dated_projects": 0, "repeat_projects": 0, "repeat_project_share": None}
    if projects is None:
        return out
    starts = pd.to_datetime(projects["start"], errors="coerce")
    dated = pd.DataFrame({"id": projects["id"].astype(str), "start": starts}).dropna()
    dated = dated[dated["id"].isin(members.index)]
    enough = np.array([len(members[p]) >= 2 for p in dated["id"]], dtype=bool)
    dated = dated.loc[enough].sort_values(["start", "id"], kind="mergesort")
    seen_by_org, repeats = {}, 0
    for project, start in zip(dated["id"], dated["start"]):
        orgs = members[project]
        if any(earlier < start and orgs <= other for earlier, other in seen_by_org.get(min(orgs), ())):
            repeats += 1
        for org in orgs:
            seen_by_org.setdefault(org, []).append((start, orgs))
    out.update(dated_projects=len(dated), repeat_projects=repeats, repeat_project_share=repeats / len(dated) if len(dated) else None)
    return out


import pytest  # noqa: E402


@pytest.mark.parametrize("seed", range(8))
def test_the_same_facts_as_the_first_implementation_on_random_tables(seed):
    import numpy as np

    rng = np.random.default_rng(seed)
    n_projects, n_orgs = int(rng.integers(5, 60)), int(rng.integers(3, 25))
    rows = []
    for p in range(n_projects):
        size = int(rng.integers(1, 6))
        # a few hubs in many projects, and projects that copy an earlier one's partners (repeats)
        if rows and rng.random() < 0.3:
            earlier = [o for q, o in rows if q == rows[int(rng.integers(0, len(rows)))][0]]
            chosen = list(rng.choice(earlier, min(len(earlier), size), replace=False))
        else:
            chosen = [f"o{int(k)}" for k in rng.integers(0, n_orgs, size)]
        rows += [(f"P{p}", str(o)) for o in chosen]
    rows += [rows[int(k)] for k in rng.integers(0, len(rows), 5)] + [(None, "o1"), ("P0", None)]
    parts = _table(rows)
    days = rng.integers(0, 12, n_projects)  # many projects start on the same day
    projects = pd.DataFrame({"id": [f"P{p}" for p in range(n_projects)], "start": [None if d == 11 else f"2020-01-{d + 1:02d}" for d in days]})
    assert repetition(parts, projects) == _repetition_before(parts, projects)
    assert repetition(parts) == _repetition_before(parts)


def test_the_same_facts_as_the_first_implementation_with_repeated_ids_and_numbers():
    """A project listed twice in the projects table counts twice (its later start repeats the
    earlier one); ids that are numbers compare as text, as before."""
    parts = pd.DataFrame({"project": ["P1", "P1", "P2", "P2", "P2", 7, 7, "7"], "organisation": ["A", "B", "A", "B", "C", "A", 3, "3"]})
    projects = pd.DataFrame({"id": ["P1", "P2", "P1", 7, "P2"], "start": ["2020-01-02", "2020-01-01", "2020-03-01", "2020-02-01", "2020-01-01"]})
    assert repetition(parts, projects) == _repetition_before(parts, projects)
    assert repetition(parts, projects)["repeat_projects"] == 2  # P1 (twice) inside P2 that started earlier; 7 = {A, 3} is new
