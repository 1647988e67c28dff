"""The same key figures for every region: one row of stable columns per region.

Every figure is computed on the region's own sub-network (see :mod:`samverkan.compare.regions`)
by the functions of :mod:`samverkan.metrics`; nothing here re-implements a metric. This module
adds only what a comparison needs on top of them.

Columns (``comparison.csv``)
----------------------------
region, source
    The region's name and where it came from (a package, or ``country = SE``).
organisations
    Organisations of the region (all of them, also those without projects in the window).
projects
    Projects in which at least one organisation of the region takes part (in the window).
participations
    Distinct organisation–project pairs of the region (two roles in one project count once;
    benchmarking roles left out, as in the projection). This is the size of the null model's data.
ties, density, mean_degree, components, largest_component_share, transitivity, degree_centralization
    :func:`samverkan.metrics.density.network_summary` of the region's collaboration graph
    (co-participation plus direct ties).
ei_index, ei_index_expected
    Krackhardt–Stern E-I index of the ties between organisation types (``network`` of
    :func:`samverkan.metrics.groups.ei_index`), and its value if ties fell at random
    (``network_expected``): −1 all ties within a type, +1 all across types.
cross_type_share
    Share of ties that join organisations of different types
    (:func:`samverkan.metrics.density.cross_type_share`).
share_<rule>
    For every ownership rule code found in any region (``share_no_owner``,
    ``share_no_steering_group``...): the share of the region's projects with at least one finding
    of that rule. Ownership is judged on the *whole* project (the package the region was cut
    from), because an owner in another region is still an owner.
white_spots
    Number of white spots (:func:`samverkan.metrics.white_spots.white_spots` on the region's
    sub-package: needs that none of the region's own efforts or projects cover).
brokerage_concentration
    Share of shortest paths that run through the three organisations with the highest
    betweenness: ``(b₁ + b₂ + b₃) / P``, where bₖ is the k-th highest *raw* betweenness (unweighted
    shortest paths, every unordered pair once, fractional when several shortest paths tie) and P
    the number of unordered pairs of organisations connected by a path (``Σ_c n_c (n_c − 1) / 2``
    over components). Each pair contributes at most 1 to each bₖ, so the value is between 0 and 3;
    it is at most 1 unless shortest paths run through two of the three. 0 when every connected
    pair is tied directly (a clique), near 1 for a star (the centre lies on every path between
    leaves). NaN without connected pairs. Large regions use sampled betweenness, as
    :func:`samverkan.metrics.centrality.betweenness` decides (``betweenness_sources`` says how
    many sources; empty when exact).
top_brokers
    Names of those three organisations.
outside_share, outside_organisations, linked_regions
    See :mod:`samverkan.compare.regions`: share (and number) of the region's organisations that
    share a project with an organisation of another region, and the regions it is linked to.
density_null_mean, density_z, transitivity_null_mean, transitivity_z
    From the null model (:mod:`samverkan.compare.nullmodel`); the full table is ``null_model.csv``.
too_thin
    True when the region has fewer than ``min_organisations`` organisations (default 10): its
    figures are shown but it is not ranked, because a handful of organisations makes density and
    clustering swing with every single tie.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.sparse.csgraph import connected_components

from ..graph.projection import CollaborationGraph, project_organisations

__all__ = ["RegionFigures", "region_figures", "ownership_table", "ownership_shares", "brokerage_concentration", "rule_column", "BASE_COLUMNS", "TAIL_COLUMNS", "DEFAULT_MIN_ORGANISATIONS"]

DEFAULT_MIN_ORGANISATIONS = 10

BASE_COLUMNS = [
    "region",
    "source",
    "organisations",
    "projects",
    "participations",
    "ties",
    "density",
    "mean_degree",
    "components",
    "largest_component_share",
    "transitivity",
    "degree_centralization",
    "ei_index",
    "ei_index_expected",
    "cross_type_share",
]
TAIL_COLUMNS = [
    "white_spots",
    "brokerage_concentration",
    "top_brokers",
    "betweenness_sources",
    "outside_share",
    "outside_organisations",
    "linked_regions",
    "density_null_mean",
    "density_z",
    "transitivity_null_mean",
    "transitivity_z",
    "too_thin",
]


@dataclass
class RegionFigures:
    """One region's row, the graph it came from, and notes on how it was computed."""

    row: dict
    graph: CollaborationGraph
    notes: list[str] = field(default_factory=list)


def rule_column(rule: str) -> str:
    """``share_`` + the rule code in lower case with non-alphanumerics as ``_``.

    >>> rule_column("no-steering-group"), rule_column("no_owner")
    ('share_no_steering_group', 'share_no_owner')
    """
    return "share_" + re.sub(r"[^0-9a-z]+", "_", str(rule).lower()).strip("_")


def ownership_table(findings: pd.DataFrame | None) -> pd.DataFrame:
    """Projects × ``share_<rule>`` columns: True where the project has at least one finding of the rule.

    Every rule present in ``findings`` gets a column, also rules whose findings concern
    organisations only (``project`` empty): their share is 0. Computed once per whole package.

    >>> f = pd.DataFrame({"rule": ["no-owner", "no-owner", "key-person-dependency"], "project": ["p1", "p1", ""]})
    >>> ownership_table(f).to_dict("index")
    {'p1': {'share_key_person_dependency': False, 'share_no_owner': True}}
    """
    if findings is None or len(findings) == 0 or "rule" not in findings.columns:
        return pd.DataFrame(index=pd.Index([], dtype=object))
    rules = sorted(set(findings["rule"].astype(str)))
    projects = findings["project"].astype(str) if "project" in findings.columns else pd.Series([""] * len(findings))
    keep = (projects != "").to_numpy()
    pairs = pd.DataFrame({"project": projects[keep].to_numpy(), "rule": findings["rule"].astype(str)[keep].to_numpy()}).drop_duplicates()
    table = pd.crosstab(pairs["project"], pairs["rule"]).reindex(columns=rules, fill_value=0) > 0
    table.columns = [rule_column(r) for r in table.columns]
    table.index = table.index.astype(object)
    table.index.name = None
    table.columns.name = None
    return table


def ownership_shares(table: pd.DataFrame, projects) -> dict:
    """Per ``share_<rule>`` column of an :func:`ownership_table`, the share of ``projects`` (ids) flagged.

    >>> t = ownership_table(pd.DataFrame({"rule": ["no-owner", "no-owner", "weak"], "project": ["p1", "p1", "p9"]}))
    >>> ownership_shares(t, ["p1", "p2"])
    {'share_no_owner': 0.5, 'share_weak': 0.0}
    """
    if table is None or len(table.columns) == 0:
        return {}
    projects = pd.Index(pd.unique(pd.Series(list(projects), dtype=object).astype(str)))
    if not len(projects):
        return dict.fromkeys(table.columns, math.nan)
    flagged = table.reindex(projects, fill_value=False)
    return {c: float(flagged[c].to_numpy(dtype=bool).mean()) for c in table.columns}


def brokerage_concentration(raw_betweenness, graph: CollaborationGraph, *, top: int = 3) -> tuple[float, list[int]]:
    """(b₁ + … + b_top) / connected pairs, and the positions of the top organisations.

    ``raw_betweenness`` is by position, unnormalised, each unordered pair counted once.

    >>> import pandas as pd, scipy.sparse as sp
    >>> nodes = pd.DataFrame({"id": list("abcd")})
    >>> edges = pd.DataFrame({"i": [0, 0, 0], "j": [1, 2, 3], "weight": 1.0})
    >>> star = CollaborationGraph(nodes, edges, pd.DataFrame(), sp.csr_matrix((4, 0)), pd.DataFrame())
    >>> brokerage_concentration([3.0, 0.0, 0.0, 0.0], star)  # centre on the 3 leaf pairs of 6 connected pairs
    (0.5, [0, 1, 2])
    """
    values = np.asarray(raw_betweenness, dtype=float)
    n = graph.n
    if n < 2:
        return math.nan, []
    _, labels = connected_components(graph.adjacency(None), directed=False)
    sizes = np.bincount(labels).astype(float)
    pairs = float((sizes * (sizes - 1) / 2).sum())
    if pairs == 0:
        return math.nan, []
    order = np.lexsort((np.arange(n), -np.nan_to_num(values, nan=-1.0)))[:top]
    return float(np.nansum(values[order]) / pairs), [int(k) for k in order]


def _raw_betweenness(graph: CollaborationGraph, *, seed: int, sources: int | None) -> tuple[np.ndarray, int | None, list[str]]:
    """Raw (unnormalised) unweighted betweenness by position, the sampled sources (None = exact), notes.

    The caller writes the note on sampling (it knows the language).

    :func:`samverkan.metrics.centrality.betweenness` returns values normalised by
    ``(n − 1)(n − 2) / 2``; multiplying back gives the raw pair counts. Its sampling policy
    applies (exact up to 5,000 organisations and n·m ≤ 1.5·10⁸, else 256 sources) unless
    ``sources`` is given.
    """
    from ..metrics.centrality import betweenness

    n = graph.n
    result = betweenness(graph, weighted=False, sample=sources, seed=seed)
    values = result.values.to_numpy(dtype=float)
    if n > 2:
        values = values * (n - 1) * (n - 2) / 2
    return values, (None if result.exact else result.sources), []


def region_figures(
    region,
    *,
    findings: pd.DataFrame | None = None,
    ownership: pd.DataFrame | None = None,
    start=None,
    end=None,
    as_of=None,
    seed: int = 42,
    betweenness_sources: int | None = None,
    min_organisations: int = DEFAULT_MIN_ORGANISATIONS,
    lang: str = "sv",
) -> RegionFigures:
    """The key figures of one region (columns in the module docstring, without the cross-region ones).

    Parameters
    ----------
    region : samverkan.compare.regions.Region
    findings : DataFrame, optional
        Ownership findings of the whole package the region was cut from (computed once per
        package by the caller); None computes them on ``region.whole``.
    ownership : DataFrame, optional
        :func:`ownership_table` of those findings (computed from them when None).
    start, end : date-like, optional
        Time window of the projection (``as_of`` = both the same date).
    seed : int
        Seed of sampled betweenness.
    betweenness_sources : int, optional
        Sampled sources; default: the policy of :func:`samverkan.metrics.centrality.betweenness`
        (exact up to 5,000 organisations, 256 sources above).
    min_organisations : int
        Regions with fewer organisations are flagged ``too_thin``.
    """
    from ..metrics import density, groups

    notes: list[str] = []
    graph = project_organisations(region.package, start=start, end=end)
    B = graph.incidence
    project_sizes = np.asarray(B.sum(axis=0)).ravel()
    project_ids = graph.projects["id"].astype(str).to_numpy()[project_sizes > 0]
    summary = density.network_summary(graph)
    row: dict = {
        "region": region.name,
        "source": region.source,
        "organisations": int(graph.n),
        "projects": int(len(project_ids)),
        "participations": int(B.nnz),
        "ties": int(summary.get("ties", graph.m)),
    }
    for key in ("density", "mean_degree", "components", "largest_component_share", "transitivity", "degree_centralization"):
        row[key] = summary.get(key, math.nan)
    types = graph.nodes["type"] if "type" in graph.nodes.columns else pd.Series([""] * graph.n)
    if graph.n:
        ei = groups.ei_index(graph, types.reset_index(drop=True))
        row["ei_index"] = ei.get("network", math.nan)
        row["ei_index_expected"] = ei.get("network_expected", math.nan)
        row["cross_type_share"] = density.cross_type_share(graph, "type") if "type" in graph.nodes.columns else math.nan
    else:
        row["ei_index"] = row["ei_index_expected"] = row["cross_type_share"] = math.nan

    if findings is None:
        findings = whole_findings(region.whole or region.package, as_of=as_of, lang=lang)
    if ownership is None:
        ownership = ownership_table(findings)
    row.update(ownership_shares(ownership, project_ids))
    row["white_spots"] = _white_spot_count(region.package, findings=findings, as_of=as_of, lang=lang)

    if graph.m:
        raw, sampled, bnotes = _raw_betweenness(graph, seed=seed, sources=betweenness_sources)
        notes += bnotes
        value, positions = brokerage_concentration(raw, graph)
        row["brokerage_concentration"] = value
        names = graph.nodes["name"].astype(str).to_numpy() if "name" in graph.nodes.columns else graph.nodes["id"].astype(str).to_numpy()
        row["top_brokers"] = "; ".join(names[p] for p in positions if raw[p] > 0)
        row["betweenness_sources"] = sampled
    else:
        row["brokerage_concentration"] = math.nan
        row["top_brokers"] = ""
        row["betweenness_sources"] = None
    row["too_thin"] = bool(graph.n < min_organisations)
    return RegionFigures(row, graph, notes)


def whole_findings(package, *, as_of=None, lang: str = "sv") -> pd.DataFrame | None:
    """Ownership findings of a whole package (the caller caches them per package)."""
    from ..metrics import ownership

    return ownership.ownership_findings(package, as_of=as_of)


def _white_spot_count(package, *, findings, as_of, lang) -> int:
    """White spots of the region's sub-package; ownership gaps judged on whole projects (``findings``)."""
    from ..metrics import white_spots

    if not _has_target_groups(package):  # white spots are target groups nobody covers: none without any
        return 0
    spots = white_spots.white_spots(package, findings=findings, as_of=as_of)
    return int(len(spots)) if spots is not None else 0


def _has_target_groups(package) -> bool:
    tables = package.tables
    if len(tables.get("target_groups", ())):
        return True
    for table in ("projects", "efforts"):
        frame = tables.get(table)
        if frame is not None and len(frame) and "target_groups" in frame.columns:
            if (frame["target_groups"].fillna("").astype(str).str.strip() != "").any():
                return True
    return False
