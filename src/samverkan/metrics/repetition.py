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
    project, project_ids, organisation = _distinct_pairs(participations)
    if shared_projects is not None:
        shared = np.asarray(shared_projects, dtype=np.int64)
        ties, repeated = int((shared >= 1).sum()), int((shared >= 2).sum())
    else:
        ties, repeated = _pair_counts(project, organisation)
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
    size = np.bincount(project, minlength=len(project_ids))
    starts = pd.to_datetime(projects["start"], errors="coerce")
    dated = pd.DataFrame({"id": projects["id"].astype(str), "start": starts}).dropna()
    code = pd.Index(project_ids, dtype=object).get_indexer(dated["id"].to_numpy(dtype=object))
    known = code >= 0
    enough = known & (size[np.maximum(code, 0)] >= 2) if len(size) else known
    dated = dated.loc[enough].sort_values(["start", "id"], kind="mergesort")
    code = pd.Index(project_ids, dtype=object).get_indexer(dated["id"].to_numpy(dtype=object))
    start = dated["start"].to_numpy(dtype="datetime64[ns]").astype(np.int64)
    repeats = _repeats(code, start, project, organisation, len(project_ids))
    out["dated_projects"] = len(dated)
    out["repeat_projects"] = repeats
    out["repeat_project_share"] = repeats / len(dated) if len(dated) else None
    return out


def _distinct_pairs(participations: pd.DataFrame) -> tuple[np.ndarray, list, np.ndarray]:
    """The distinct (project, organisation) rows, both as text (missing ones left out), as codes:
    the project code of each pair, the project ids by code, the organisation code of each pair."""
    pairs = participations[["project", "organisation"]].dropna()
    coded = []
    for column in ("project", "organisation"):
        codes, values = pd.factorize(pairs[column].to_numpy(dtype=object))
        values = values.tolist()
        if not all(type(v) is str for v in values):  # compared as text (1 and "1" are one)
            codes, values = pd.factorize(pairs[column].astype(str).to_numpy(dtype=object))
            values = values.tolist()
        coded.append((codes.astype(np.int64), values))
    (project, project_ids), (organisation, organisations) = coded
    key = np.sort(project * max(len(organisations), 1) + organisation)
    key = key[np.r_[True, key[1:] != key[:-1]]] if len(key) else key
    return key // max(len(organisations), 1), project_ids, key % max(len(organisations), 1)


def _repeats(code: np.ndarray, start: np.ndarray, project: np.ndarray, organisation: np.ndarray, n_projects: int) -> int:
    """How many of the projects ``code`` (rows in order of start, ``start`` in ns) have all their
    organisations in one project of an earlier row that started strictly earlier.

    Such an earlier project holds every organisation of the row, so it is among the earlier rows
    of any one of them: the organisation found in the fewest rows is enough to look under. The
    rows of an organisation that started strictly earlier than a row are a prefix of its rows.
    """
    rows = len(code)
    if rows < 2:
        return 0
    n_orgs = int(organisation.max()) + 1
    by_project = np.argsort(project, kind="stable")
    indptr = np.r_[0, np.cumsum(np.bincount(project, minlength=n_projects))]
    members = organisation[by_project]
    # every row's organisations: row r holds members[indptr[code[r]]:indptr[code[r] + 1]]
    length = indptr[code + 1] - indptr[code]
    row_of, org_of = _expand(np.arange(rows), indptr[code], indptr[code + 1], members)
    count = np.bincount(org_of, minlength=n_orgs)
    # the organisation in fewest rows, for each row (each row has two or more)
    firsts = np.cumsum(length) - length
    anchor = np.minimum.reduceat(count[org_of] * n_orgs + org_of, firsts) % n_orgs
    # each organisation's rows in row order, ranked by start: the strictly earlier ones are a prefix
    start_rank = np.r_[0, np.cumsum(start[1:] != start[:-1])]  # (rows are in order of start)
    by_org = np.lexsort((row_of, org_of))
    listed_rows = row_of[by_org]
    keys = org_of[by_org] * (rows + 1) + start_rank[listed_rows]
    first = np.searchsorted(keys, anchor * (rows + 1), side="left")
    stop = np.searchsorted(keys, anchor * (rows + 1) + start_rank, side="left")
    look = np.flatnonzero(stop > first)
    if not len(look):
        return 0
    # every (row, earlier row) pair to test, and the test: the earlier project holds each organisation
    pair_row, earlier = _expand(look, first[look], stop[look], listed_rows)
    size = indptr[1:] - indptr[:-1]
    mine, theirs = code[pair_row], code[earlier]
    big_enough = size[theirs] >= size[mine]
    pair_row, mine, theirs = pair_row[big_enough], mine[big_enough], theirs[big_enough]
    pair, org = _expand(np.arange(len(mine)), indptr[mine], indptr[mine + 1], members)
    held = np.sort(project * n_orgs + organisation)
    wanted = theirs[pair] * n_orgs + org
    at = np.minimum(np.searchsorted(held, wanted), len(held) - 1)
    missing = np.bincount(pair[held[at] != wanted], minlength=len(mine))
    return len(np.unique(pair_row[missing == 0]))


def _expand(owner: np.ndarray, start: np.ndarray, stop: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``values[start[k]:stop[k]]`` for every k, concatenated, and beside each the ``owner[k]`` it belongs to."""
    length = stop - start
    offset = np.arange(int(length.sum())) - np.repeat(np.cumsum(length) - length, length)
    return np.repeat(owner, length), values[np.repeat(start, length) + offset]


def _pair_counts(project: np.ndarray, organisation: np.ndarray) -> tuple[int, int]:
    """Pairs of organisations sharing at least one project, and of those the pairs sharing two or more.

    The upper triangle of B·Bᵀ, B the organisations × projects incidence of the distinct pairs (codes).
    """
    if not len(project):
        return 0, 0
    import scipy.sparse as sp

    B = sp.csr_matrix((np.ones(len(project), dtype=np.int64), (organisation, project)), shape=(organisation.max() + 1, project.max() + 1))
    shared = sp.triu(B @ B.T, k=1).tocsr().data
    return int((shared >= 1).sum()), int((shared >= 2).sum())
