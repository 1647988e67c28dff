"""Follow one region's collaboration over time: two snapshots, what persisted, what is new.

A *snapshot* is a package seen in a time window: the participations active at some time in
``[start, end]`` (``as_of`` = one day; no window = everything), with benchmarking roles left out as
in the projection. Snapshots are the same package at two dates or periods, or two packages of the
same region (organisations and projects matched by id).

Definitions
-----------
tie
    A pair of organisations that share at least one project in the snapshot (direct ties from the
    ``ties`` table carry no dates and are left out, so that every tie can appear or disappear).
persisting / appearing / disappearing
    Ties in both snapshots / only in the second / only in the first. ``jaccard`` = persisting /
    ties in either snapshot (NaN when both have none).
new project
    A project active in the second snapshot that is not active in the first (matched by id); with
    two ordered periods these are the projects started after the first period.
repeat rate (of a new project with k ≥ 2 organisations)
    The share of its k (k − 1) / 2 organisation pairs that were already tied in the first
    snapshot. ``repeat_rate_mean`` is the mean over new projects, ``repeat_rate_pooled`` the
    repeated pairs over all pairs of all new projects (large projects weigh more).
    "Before" means *in the first snapshot*: with ``as_of`` that is one day, so use a first period
    (e.g. the whole earlier programme period) to mean the history.
same partner set
    A new project whose organisations all took part together in one project of the first snapshot
    (its partner set is contained in an earlier project's): ``share_same_partner_set`` over new
    projects with k ≥ 2. ``share_all_pairs_repeat`` is the weaker condition that every pair had
    worked together, not necessarily all in one project. Both measure "more of the same".
owners
    Organisations in the role ``owner`` in a project active in the snapshot: persisting (in
    both), new (only in the second), gone (only in the first).

Example
-------
A hand-made pair of snapshots with every number worked out is in
``tests/compare/test_overtime.py``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..graph.projection import DEFAULT_EXCLUDED_ROLES, active_participations, incidence

__all__ = ["Snapshot", "OverTimeResult", "compare_snapshots", "SUMMARY_COLUMNS"]

SUMMARY_COLUMNS = [
    "region",
    "snapshot_1",
    "snapshot_2",
    "organisations_1",
    "organisations_2",
    "projects_1",
    "projects_2",
    "ties_1",
    "ties_2",
    "ties_persisting",
    "ties_appearing",
    "ties_disappearing",
    "jaccard",
    "new_projects",
    "new_projects_with_pairs",
    "repeat_rate_mean",
    "repeat_rate_pooled",
    "share_same_partner_set",
    "share_all_pairs_repeat",
    "owners_1",
    "owners_2",
    "owners_persisting",
    "owners_new",
    "owners_gone",
]


@dataclass
class Snapshot:
    """A package in a time window (None = open)."""

    label: str
    package: object
    start: object = None
    end: object = None


@dataclass
class OverTimeResult:
    """What changed between two snapshots of one region."""

    summary: dict
    ties: pd.DataFrame  # region, source, target, source_name, target_name, status, shared_projects_1, shared_projects_2
    projects: pd.DataFrame  # region, project, name, start, organisations, pairs, repeat_pairs, repeat_rate, same_partner_set
    owners: pd.DataFrame  # region, organisation, name, status
    notes: list[str] = field(default_factory=list)


def _active(snapshot: Snapshot, exclude_roles) -> pd.DataFrame:
    package = snapshot.package
    parts = active_participations(package.participations, package.projects, start=snapshot.start, end=snapshot.end)
    return parts.assign(project=parts["project"].astype(str), organisation=parts["organisation"].astype(str), role=parts["role"].astype(str))


def _tie_counts(B: sp.csr_matrix) -> sp.csr_matrix:
    """Upper-triangular shared-project counts (i < j)."""
    return sp.triu(B @ B.T, k=1).tocsr()


def compare_snapshots(before: Snapshot, after: Snapshot, *, region: str = "", exclude_roles=DEFAULT_EXCLUDED_ROLES) -> OverTimeResult:
    """Ties, repeat collaboration and ownership from one snapshot to the next (definitions above).

    Parameters
    ----------
    before, after : Snapshot
    region : str
        The region's name, written in every output row.
    exclude_roles : sequence of str
        Roles that do not make an organisation a collaborator (benchmarking by default).

    Returns
    -------
    OverTimeResult
        ``summary`` (columns :data:`SUMMARY_COLUMNS`), and the lists behind it: ``ties`` with a
        ``status`` of persisting / appearing / disappearing, ``projects`` (the new projects with
        their repeat rates) and ``owners`` (persisting / new / gone).
    """
    excluded = list(exclude_roles)
    all_1 = _active(before, excluded)
    all_2 = _active(after, excluded)
    parts_1 = all_1[~all_1["role"].isin(excluded)].drop_duplicates(["project", "organisation"])
    parts_2 = all_2[~all_2["role"].isin(excluded)].drop_duplicates(["project", "organisation"])
    orgs = pd.Index(sorted(set(parts_1["organisation"]) | set(parts_2["organisation"])))
    projects_1 = pd.Index(sorted(set(parts_1["project"])))
    projects_2 = pd.Index(sorted(set(parts_2["project"])))
    B1 = incidence(parts_1, orgs, projects_1)
    B2 = incidence(parts_2, orgs, projects_2)
    T1 = _tie_counts(B1)
    T2 = _tie_counts(B2)
    names = _names(before.package, after.package)
    ids = orgs.to_numpy(dtype=object)

    # ties: persisting, appearing, disappearing
    t1 = T1.tocoo()
    t2 = T2.tocoo()
    n = len(orgs)
    key1 = t1.row.astype(np.int64) * max(n, 1) + t1.col
    key2 = t2.row.astype(np.int64) * max(n, 1) + t2.col
    frame_1 = pd.DataFrame({"key": key1, "shared_projects_1": t1.data.astype(np.int64)})
    frame_2 = pd.DataFrame({"key": key2, "shared_projects_2": t2.data.astype(np.int64)})
    ties = frame_1.merge(frame_2, on="key", how="outer")
    ties["status"] = np.where(ties["shared_projects_1"].isna(), "appearing", np.where(ties["shared_projects_2"].isna(), "disappearing", "persisting"))
    ties["shared_projects_1"] = ties["shared_projects_1"].fillna(0).astype(np.int64)
    ties["shared_projects_2"] = ties["shared_projects_2"].fillna(0).astype(np.int64)
    src = (ties["key"].to_numpy() // max(n, 1)).astype(np.int64)
    dst = (ties["key"].to_numpy() % max(n, 1)).astype(np.int64)
    ties.insert(0, "region", region)
    ties.insert(1, "source", ids[src] if len(ties) else [])
    ties.insert(2, "target", ids[dst] if len(ties) else [])
    ties.insert(3, "source_name", [names.get(x, x) for x in ties["source"]])
    ties.insert(4, "target_name", [names.get(x, x) for x in ties["target"]])
    status_order = {"persisting": 0, "appearing": 1, "disappearing": 2}
    ties = ties.assign(_s=ties["status"].map(status_order)).sort_values(["_s", "source", "target"]).drop(columns=["_s", "key"]).reset_index(drop=True)
    ties = ties[["region", "source", "target", "source_name", "target_name", "status", "shared_projects_1", "shared_projects_2"]]
    counts = ties["status"].value_counts()
    persisting = int(counts.get("persisting", 0))
    union = len(ties)

    # new projects: repeat rates and same partner sets
    new = pd.Index([p for p in projects_2 if p not in set(projects_1)])
    Bn = B2[:, projects_2.get_indexer(new)] if len(new) else sp.csr_matrix((n, 0), dtype=np.int64)
    sizes = np.asarray(Bn.sum(axis=0)).ravel().astype(np.int64)
    pairs = sizes * (sizes - 1) // 2
    A1 = (T1 + T1.T).tocsr()
    A1.data[:] = 1
    repeat = (np.asarray(Bn.multiply(A1 @ Bn).sum(axis=0)).ravel() // 2).astype(np.int64) if len(new) else np.zeros(0, dtype=np.int64)
    if len(new) and B1.shape[1]:
        overlap = (B1.T @ Bn).tocsc()
        best = np.asarray(overlap.max(axis=0).todense()).ravel().astype(np.int64)
    else:
        best = np.zeros(len(new), dtype=np.int64)
    same_set = (sizes >= 2) & (best >= sizes)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(pairs > 0, repeat / np.where(pairs > 0, pairs, 1), np.nan)
    project_names = _project_names(after.package)
    project_starts = _project_starts(after.package)
    project_table = pd.DataFrame(
        {
            "region": region,
            "project": new.to_numpy(dtype=object),
            "name": [project_names.get(p, p) for p in new],
            "start": [project_starts.get(p) for p in new],
            "organisations": sizes,
            "pairs": pairs,
            "repeat_pairs": repeat,
            "repeat_rate": rate,
            "same_partner_set": same_set,
        }
    )
    with_pairs = pairs > 0
    n_with_pairs = int(with_pairs.sum())

    # owners
    owners_1 = set(all_1.loc[all_1["role"] == "owner", "organisation"])
    owners_2 = set(all_2.loc[all_2["role"] == "owner", "organisation"])
    owner_rows = [(o, "persisting") for o in sorted(owners_1 & owners_2)] + [(o, "new") for o in sorted(owners_2 - owners_1)] + [(o, "gone") for o in sorted(owners_1 - owners_2)]
    owners = pd.DataFrame(
        {"region": region, "organisation": [o for o, _ in owner_rows], "name": [names.get(o, o) for o, _ in owner_rows], "status": [s for _, s in owner_rows]},
        columns=["region", "organisation", "name", "status"],
    )

    summary = {
        "region": region,
        "snapshot_1": before.label,
        "snapshot_2": after.label,
        "organisations_1": int(parts_1["organisation"].nunique()),
        "organisations_2": int(parts_2["organisation"].nunique()),
        "projects_1": int(len(projects_1)),
        "projects_2": int(len(projects_2)),
        "ties_1": int(T1.nnz),
        "ties_2": int(T2.nnz),
        "ties_persisting": persisting,
        "ties_appearing": int(counts.get("appearing", 0)),
        "ties_disappearing": int(counts.get("disappearing", 0)),
        "jaccard": persisting / union if union else math.nan,
        "new_projects": int(len(new)),
        "new_projects_with_pairs": n_with_pairs,
        "repeat_rate_mean": float(np.nanmean(rate[with_pairs])) if n_with_pairs else math.nan,
        "repeat_rate_pooled": float(repeat[with_pairs].sum() / pairs[with_pairs].sum()) if n_with_pairs else math.nan,
        "share_same_partner_set": float(same_set[with_pairs].mean()) if n_with_pairs else math.nan,
        "share_all_pairs_repeat": float((repeat[with_pairs] == pairs[with_pairs]).mean()) if n_with_pairs else math.nan,
        "owners_1": len(owners_1),
        "owners_2": len(owners_2),
        "owners_persisting": len(owners_1 & owners_2),
        "owners_new": len(owners_2 - owners_1),
        "owners_gone": len(owners_1 - owners_2),
    }
    return OverTimeResult(summary, ties, project_table, owners)


def _names(*packages) -> dict:
    names: dict = {}
    for package in packages:
        organisations = package.organisations
        for key, name in zip(organisations["id"].astype(str), organisations["name"].astype(str)):
            names.setdefault(key, name or key)
    return names


def _project_names(package) -> dict:
    projects = package.projects
    return dict(zip(projects["id"].astype(str), projects["name"].astype(str)))


def _project_starts(package) -> dict:
    projects = package.projects
    return {k: (None if pd.isna(v) else pd.Timestamp(v).date()) for k, v in zip(projects["id"].astype(str), projects["start"])}
