"""Who could close a white spot, and which organisations should know each other.

Phase 3 of the Örebro pre-study (2014) turns the white spots into "coming projects, mobilisation",
owned by those who can realise them. :func:`suggestions` names, for every uncovered cell of
:func:`~samverkan.metrics.white_spots.white_spots`, the organisations closest to covering it;
:func:`missing_ties` lists pairs of organisations that do the same work in the same places but
have never worked together. Both return reason *codes*; the words come from the text catalogue.

Definitions
-----------
An organisation *serves* (target group g, municipality k)
    when it offers an effort whose ``target_groups`` include g and whose ``municipalities``
    include k, or takes part (any role but benchmarking) in an active project that addresses g
    while its own ``municipality`` is k. Active projects, municipality keys and the day ``as_of``
    are those of :mod:`samverkan.metrics.white_spots` (the same resolver, so codes and names match).
An organisation *serves g* when it serves (g, k) for some k, or takes part in an active project
    addressing g (its place unknown when it has no municipality, as for most state agencies).
An organisation is *present in* k
    when its own ``municipality`` is k or it offers an effort in k (any target group).

Suggestions, for each cell of kind ``white-spot`` (nothing covers it) and ``effort-gap`` (only
projects cover it, no lasting effort), white spots first
-----------------------------------------------------------------------------------------
``reason``
    ``serves-group-and-present``: serves g elsewhere and is present in k;
    ``serves-group-elsewhere``: serves g, not present in k;
    ``present-in-municipality``: present in k and serves other target groups, not g.
    For an ``effort-gap`` the organisations taking part in the covering projects count too: they
    already serve the cell and could make it lasting.
``score``
    ``2·[offers an effort for g] (or 1·[serves g only through active projects]) + 1·[present in
    k] + places/K``: a lasting offer for the group counts most, taking part in a project for it
    half as much, being there one; then the share of the K municipalities of the package in
    which it serves g (a wider offer is easier to extend). Ranked by score, then name and id; at most
    ``per_spot`` (5) per cell.

Missing ties
------------
Every organisation has a *profile*: the set of (g, k) cells it serves. For two organisations
with profiles P and Q, ``overlap`` is the Jaccard index |P ∩ Q| / |P ∪ Q| (1 = the same work in
the same places). Pairs with at least ``min_shared`` common cells that share no project (any
time, any role but benchmarking) and no direct tie are listed, highest overlap first (then more
common cells, then ids).

References
----------
Region Örebro (2014). Socialfonden och kompetensförsörjning i Region Örebro, spår 1 (seed document
``000_6eb9809ed9ea75c1.txt``): phase 2 white spots, phase 3 coming projects and mobilisation.
Jaccard, P. (1912). The distribution of the flora in the alpine zone. New Phytologist 11, 37–50.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..graph.projection import project_organisations
from .ownership import (
    participation_rows,
    resolve_as_of,
    text_column,
    active_projects,
    project_frame,
)
from .white_spots import MunicipalityResolver, names_target_groups, split_cells, white_spots

__all__ = ["MISSING_TIE_COLUMNS", "REASONS", "SUGGESTION_COLUMNS", "missing_ties", "served_cells", "suggestions"]

SUGGESTION_COLUMNS = ["target_group", "municipality", "organisation", "reason", "score"]
MISSING_TIE_COLUMNS = ["organisation_a", "organisation_b", "overlap", "shared", "target_groups", "municipalities"]
REASONS = ("serves-group-and-present", "serves-group-elsewhere", "present-in-municipality")
SPOT_KINDS = ("white-spot", "effort-gap")


def served_cells(package, *, as_of=None, resolver=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What every organisation serves and where it is present (definitions in the module docstring).

    Returns
    -------
    (cells, groups) : DataFrames
        ``cells``: organisation, target_group, municipality, source (``effort`` or ``project``),
        one row per distinct combination; ``groups``: organisation, target_group for every
        target group an organisation serves (with or without a known place).
    """
    as_of = resolve_as_of(package, as_of)
    resolver = resolver or MunicipalityResolver(package)
    efforts = package.tables.get("efforts")
    rows = []
    if efforts is not None and len(efforts):
        efforts = efforts.reset_index(drop=True)
        groups = split_cells(text_column(efforts, "target_groups")).rename("target_group")
        places = resolver.resolve_all(split_cells(text_column(efforts, "municipalities"))).rename("municipality")
        cells = pd.DataFrame({"target_group": groups}).join(pd.DataFrame({"municipality": places}), how="inner")
        cells["organisation"] = text_column(efforts, "organisation").reindex(cells.index).to_numpy(dtype=object)
        cells["source"] = "effort"
        rows.append(cells)
    projects = project_frame(package)
    active = active_projects(projects, as_of)
    addressed = split_cells(projects["target_groups"]) if len(projects) else pd.Series([], dtype=object)
    addressed = pd.DataFrame({"project": addressed.index.to_numpy(dtype=object), "target_group": addressed.to_numpy(dtype=object)})
    addressed = addressed[addressed["project"].map(active).fillna(False).to_numpy(dtype=bool)]
    parts = participation_rows(package.participations.reset_index(drop=True), projects, ("benchmark",))[["project", "organisation"]].drop_duplicates()
    by_project = addressed.merge(parts, on="project")[["organisation", "target_group"]].drop_duplicates()
    if len(by_project):
        place = by_project["organisation"].map(resolver.organisation_keys).fillna("").to_numpy(dtype=object)
        project_cells = by_project.assign(municipality=place, source="project")
        rows.append(project_cells[project_cells["municipality"] != ""])
    columns = ["organisation", "target_group", "municipality", "source"]
    cells = pd.concat([r[columns] for r in rows], ignore_index=True).drop_duplicates(ignore_index=True) if rows else pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
    groups = pd.concat([cells[["organisation", "target_group"]], by_project[["organisation", "target_group"]]], ignore_index=True).drop_duplicates(ignore_index=True)
    return cells, groups


def _presence(package, cells: pd.DataFrame, resolver) -> set:
    present = {(o, k) for o, k in resolver.organisation_keys.items() if k}
    efforts = package.tables.get("efforts")
    if efforts is not None and len(efforts):
        efforts = efforts.reset_index(drop=True)
        places = resolver.resolve_all(split_cells(text_column(efforts, "municipalities")))
        owners = text_column(efforts, "organisation").reindex(places.index)
        present |= set(zip(owners.tolist(), places.tolist()))
    return present


def suggestions(package, *, spots: pd.DataFrame | None = None, as_of=None, per_spot: int = 5) -> pd.DataFrame:
    """Organisations that could close each white spot (definitions, reasons and score in the module docstring).

    Parameters
    ----------
    package : Package
    spots : DataFrame, optional
        :func:`~samverkan.metrics.white_spots.white_spots` of the package (computed when absent).
    as_of : date-like, optional
        The day that decides which projects are active; default the latest date in the package.
    per_spot : int
        At most this many suggestions per cell.

    Returns
    -------
    pandas.DataFrame
        Columns ``target_group``, ``municipality`` (key), ``organisation`` (id), ``reason`` (code),
        ``score``; cells in the order of ``spots``, best suggestion first within a cell.
    """
    as_of = resolve_as_of(package, as_of)
    if spots is None:
        spots = white_spots(package, as_of=as_of)
    if not len(spots) or not spots["kind"].isin(SPOT_KINDS).any():  # no cell to close
        return _suggestion_frame([])
    resolver = MunicipalityResolver(package)
    cells, groups = served_cells(package, as_of=as_of, resolver=resolver)
    present = _presence(package, cells, resolver)
    universe = max(1, len(resolver.universe))
    names = dict(zip(text_column(package.organisations, "id"), text_column(package.organisations, "name")))
    serving = groups.groupby("target_group")["organisation"].agg(lambda s: sorted(set(s))).to_dict()
    offering = set(zip(cells.loc[cells["source"] == "effort", "organisation"], cells.loc[cells["source"] == "effort", "target_group"]))
    places = cells.groupby(["organisation", "target_group"])["municipality"].nunique().to_dict()
    active_orgs = set(groups["organisation"]) | set(cells["organisation"])
    present_by_place: dict[str, set] = {}
    for organisation, key in present:
        if organisation in active_orgs:
            present_by_place.setdefault(key, set()).add(organisation)
    rows = []
    order = {k: n for n, k in enumerate(SPOT_KINDS)}
    todo = spots[spots["kind"].isin(SPOT_KINDS)] if len(spots) else spots
    todo = todo.assign(_k=todo["kind"].map(order)).sort_values("_k", kind="stable") if len(todo) else todo
    for spot in todo.itertuples(index=False):
        g, k = spot.target_group, spot.municipality
        group_orgs = set(serving.get(g, []))
        if spot.kind == "effort-gap":  # those in the covering projects already serve the cell
            group_orgs |= set(cells.loc[(cells["target_group"] == g) & (cells["municipality"] == k), "organisation"])
        here = present_by_place.get(k, set())
        candidates = []
        for organisation in group_orgs | here:
            serves, there = organisation in group_orgs, organisation in here
            reason = "serves-group-and-present" if serves and there else "serves-group-elsewhere" if serves else "present-in-municipality"
            weight = 2.0 if (organisation, g) in offering else 1.0 if serves else 0.0
            score = weight + 1.0 * there + places.get((organisation, g), 0) / universe
            candidates.append((-score, names.get(organisation, organisation), organisation, reason, score))
        for _, _, organisation, reason, score in sorted(candidates)[:per_spot]:
            rows.append((g, k, organisation, reason, round(score, 6)))
    return _suggestion_frame(rows)


def _suggestion_frame(rows: list) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=SUGGESTION_COLUMNS)
    frame["score"] = frame["score"].astype(float)
    return frame


def missing_ties(package, *, as_of=None, min_shared: int = 1, graph=None) -> pd.DataFrame:
    """Pairs doing the same work in the same places that share no project and no tie (module docstring).

    Parameters
    ----------
    package : Package
    as_of : date-like, optional
    min_shared : int
        Least number of common (target group, municipality) cells.
    graph : CollaborationGraph, optional
        The package's collaboration graph over all time (built when absent); its edges are the
        shared projects and direct ties.

    Returns
    -------
    pandas.DataFrame
        Columns ``organisation_a``, ``organisation_b`` (ids, a before b in the organisations
        table), ``overlap`` (Jaccard), ``shared`` (common cells), ``target_groups`` and
        ``municipalities`` (the common ones, ``|``-joined, sorted); best first.
    """
    empty = pd.DataFrame({c: pd.Series([], dtype=object) for c in MISSING_TIE_COLUMNS})
    if not names_target_groups(package):  # nobody serves a cell
        return empty
    cells, _ = served_cells(package, as_of=as_of)
    if cells.empty:
        return empty
    ids = pd.Index(text_column(package.organisations, "id"))
    cells = cells[["organisation", "target_group", "municipality"]].drop_duplicates()
    cells = cells[ids.get_indexer(cells["organisation"]) >= 0]
    cell_codes, cell_keys = pd.factorize(pd.Series(list(zip(cells["target_group"], cells["municipality"])), dtype=object))
    rows = ids.get_indexer(cells["organisation"])
    P = sp.csr_matrix((np.ones(len(rows)), (rows, cell_codes)), shape=(len(ids), len(cell_keys)))
    common = sp.triu(P @ P.T, k=1).tocoo()
    keep = common.data >= min_shared
    a, b, shared = common.row[keep], common.col[keep], common.data[keep].astype(np.int64)
    if not len(a):
        return empty
    graph = graph if graph is not None else project_organisations(package)
    tied = set(zip(graph.edges["i"].tolist(), graph.edges["j"].tolist()))  # positions in the same organisations table
    untied = np.array([(x, y) not in tied for x, y in zip(a.tolist(), b.tolist())], dtype=bool)
    a, b, shared = a[untied], b[untied], shared[untied]
    sizes = np.asarray(P.sum(axis=1)).ravel()
    overlap = shared / (sizes[a] + sizes[b] - shared)
    profiles = [set(np.asarray(cell_keys, dtype=object)[P[r].indices].tolist()) if sizes[r] else set() for r in range(len(ids))] if len(a) < 5_000 else None
    groups_col, places_col = [], []
    for x, y in zip(a.tolist(), b.tolist()):
        both = (profiles[x] & profiles[y]) if profiles is not None else {tuple(c) for c in np.asarray(cell_keys, dtype=object)[np.intersect1d(P[x].indices, P[y].indices)]}
        groups_col.append("|".join(sorted({g for g, _ in both})))
        places_col.append("|".join(sorted({k for _, k in both})))
    frame = pd.DataFrame(
        {
            "organisation_a": ids.to_numpy(dtype=object)[a],
            "organisation_b": ids.to_numpy(dtype=object)[b],
            "overlap": overlap.astype(float),
            "shared": shared,
            "target_groups": groups_col,
            "municipalities": places_col,
        }
    )
    return frame.sort_values(["overlap", "shared", "organisation_a", "organisation_b"], ascending=[False, False, True, True], kind="stable").reset_index(drop=True)
