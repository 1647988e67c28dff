"""More of the same: how often partners repeat from project to project.

Facts only (numbers); the words are in :mod:`samverkan.text.report`.
"""

from __future__ import annotations

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
    members = _members(pairs)
    if shared_projects is not None:
        shared = np.asarray(shared_projects, dtype=np.int64)
        ties, repeated = int((shared >= 1).sum()), int((shared >= 2).sum())
    else:
        ties, repeated = _pair_counts(pairs)
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
    dated = dated[dated["id"].isin(members.keys())]
    enough = np.array([len(members[p]) >= 2 for p in dated["id"].tolist()], dtype=bool)  # (an empty list would select columns)
    dated = dated.loc[enough].sort_values(["start", "id"], kind="mergesort")
    # every project that started, in order, under each of its organisations; a project is a repeat
    # when an earlier one holds all its organisations, and such a project is listed under each of
    # them, so looking under the organisation with the shortest list finds it as well as any other
    seen_by_org: dict[str, list[tuple[int, frozenset]]] = {}
    no_projects: list = []
    repeats = 0
    for project, start in zip(dated["id"].tolist(), dated["start"].to_numpy(dtype="datetime64[ns]").astype(np.int64).tolist()):
        orgs = members[project]
        lists = [seen_by_org.get(org, no_projects) for org in orgs]
        shortest = min(lists, key=len)
        if any(earlier < start and orgs <= other for earlier, other in shortest):
            repeats += 1
        entry = (start, orgs)
        for org, listed in zip(orgs, lists):
            if listed is no_projects:
                seen_by_org[org] = [entry]
            else:
                listed.append(entry)
    out["dated_projects"] = len(dated)
    out["repeat_projects"] = repeats
    out["repeat_project_share"] = repeats / len(dated) if len(dated) else None
    return out


def _members(pairs: pd.DataFrame) -> dict[str, frozenset]:
    """``{project: frozenset of its organisations}`` from distinct (project, organisation) rows of text."""
    if not len(pairs):
        return {}
    codes, projects = pd.factorize(pairs["project"].to_numpy(dtype=object))
    order = np.argsort(codes, kind="stable")
    organisations = pairs["organisation"].to_numpy(dtype=object)[order].tolist()
    bounds = np.flatnonzero(np.diff(codes[order])) + 1
    starts, ends = [0, *bounds.tolist()], [*bounds.tolist(), len(order)]
    return {project: frozenset(organisations[a:b]) for project, a, b in zip(projects.tolist(), starts, ends)}


def _pair_counts(pairs: pd.DataFrame) -> tuple[int, int]:
    """Pairs of organisations sharing at least one project, and of those the pairs sharing two or more.

    The upper triangle of B·Bᵀ, B the organisations × projects incidence of the distinct rows.
    """
    if not len(pairs):
        return 0, 0
    import scipy.sparse as sp

    rows, _ = pd.factorize(pairs["organisation"].to_numpy(dtype=object))
    cols, _ = pd.factorize(pairs["project"].to_numpy(dtype=object))
    B = sp.csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, cols)), shape=(rows.max() + 1, cols.max() + 1))
    shared = sp.triu(B @ B.T, k=1).tocsr().data
    return int((shared >= 1).sum()), int((shared >= 2).sum())
