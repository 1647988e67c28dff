"""More of the same: how often partners repeat from project to project.

Facts only (numbers); the words are in :mod:`samverkan.text.report`.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

__all__ = ["repetition"]


def repetition(participations: pd.DataFrame, projects: pd.DataFrame | None = None, *, shared_projects=None) -> dict:
    """How much of the collaboration repeats earlier collaboration.

    Parameters
    ----------
    participations : pandas.DataFrame
        One row per (project, organisation), columns ``project`` and ``organisation`` (more rows
        for one pair, e.g. several roles, count once).
    projects : pandas.DataFrame, optional
        Columns ``id`` and ``start``: the order in which projects began. Without it (or without
        dates) the second measure is not computed.
    shared_projects : array-like of int, optional
        The analysed graph's ties' shared-project counts (``CollaborationGraph.edges["shared_projects"]``).
        When given, the tie measure counts those ties (ties with at least one shared project), so it
        agrees with every other count of the analysis (benchmarking roles and the time window left
        out, dense projects set aside); otherwise it is counted from ``participations``.

    Returns
    -------
    dict
        ``ties``: pairs of organisations that share at least one project;
        ``repeated_ties``: of those, pairs that share two or more projects;
        ``repeated_tie_share``: ``repeated_ties / ties`` (None when there are no ties);
        ``dated_projects``: projects with a start date and at least two organisations;
        ``repeat_projects``: of those, projects whose set of organisations is contained in the set of
        a project that started strictly earlier (every partner has already worked with every other
        partner in one earlier project: nothing new is brought together);
        ``repeat_project_share``: ``repeat_projects / dated_projects`` (None when 0).

    Notes
    -----
    The tie measure is the share of edges of the one-mode projection (organisation × organisation
    via shared projects) whose weight (number of shared projects) is at least 2; it says how much of
    the network rests on repeated collaboration rather than one-off contact. The project measure is
    a strict "nothing new" test: a project with one new partner is not a repeat. Sub-projects count
    as their own projects, so a main project and its sub-activities make repeated ties (see the
    ``sub_projects`` option). Cf. Borgatti, Everett & Johnson (2018), *Analyzing Social Networks*,
    ch. 13 (two-mode projections and tie weights).
    """
    pairs = participations[["project", "organisation"]].dropna().astype(str).drop_duplicates()
    members = pairs.groupby("project", sort=True)["organisation"].apply(lambda s: frozenset(s))
    if shared_projects is not None:
        shared = np.asarray(shared_projects, dtype=np.int64)
        ties, repeated = int((shared >= 1).sum()), int((shared >= 2).sum())
    else:
        weight: dict[tuple[str, str], int] = {}
        for orgs in members:
            for a, b in combinations(sorted(orgs), 2):
                weight[(a, b)] = weight.get((a, b), 0) + 1
        ties = len(weight)
        repeated = sum(1 for w in weight.values() if w >= 2)
    out = {
        "ties": ties,
        "repeated_ties": repeated,
        "repeated_tie_share": repeated / ties if ties else None,
        "dated_projects": 0,
        "repeat_projects": 0,
        "repeat_project_share": None,
    }
    if projects is None or not len(projects) or not {"id", "start"} <= set(projects.columns):
        return out
    starts = pd.to_datetime(projects["start"], errors="coerce")
    dated = pd.DataFrame({"id": projects["id"].astype(str), "start": starts}).dropna()
    dated = dated[dated["id"].isin(members.index)]
    enough = np.array([len(members[p]) >= 2 for p in dated["id"]], dtype=bool)  # (an empty list would select columns)
    dated = dated.loc[enough].sort_values(["start", "id"], kind="mergesort")
    seen_by_org: dict[str, list[tuple[pd.Timestamp, frozenset]]] = {}
    repeats = 0
    for project, start in zip(dated["id"], dated["start"]):
        orgs = members[project]
        anchor = min(orgs)
        if any(earlier < start and orgs <= other for earlier, other in seen_by_org.get(anchor, ())):
            repeats += 1
        for org in orgs:
            seen_by_org.setdefault(org, []).append((start, orgs))
    out["dated_projects"] = len(dated)
    out["repeat_projects"] = repeats
    out["repeat_project_share"] = repeats / len(dated) if len(dated) else None
    return out
