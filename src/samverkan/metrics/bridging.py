"""Bridging actors: one table of every organisation's network position, and a short ranked list.

:func:`organisation_metrics` assembles centrality, structural holes, brokerage, communities
and cut points into one DataFrame per organisation (the table development officers read);
:func:`rank_bridging_actors` picks the organisations that hold the network together or link its
parts, each with the reasons in plain Swedish or English.

References
----------
Burt, R. S. (2005). Brokerage and Closure. Oxford University Press (bridging and brokerage).
Gould, R. V. & Fernandez, R. M. (1989). Structures of mediation. Sociological Methodology 19.
Guimerà, R. & Amaral, L. A. N. (2005). Functional cartography of complex metabolic networks.
Nature 433, 895–900.
Freeman, L. C. (1977). A set of measures of centrality based on betweenness. Sociometry 40.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import centrality, communities, triangles

__all__ = ["organisation_metrics", "start_organisation_metrics", "rank_bridging_actors", "METRIC_COLUMNS", "SCORE_COMPONENTS"]

METRIC_COLUMNS = [
    "id",
    "name",
    "type",
    "degree",
    "weighted_degree",
    "betweenness",
    "betweenness_weighted",
    "closeness",
    "eigenvector",
    "effective_size",
    "efficiency",
    "constraint",
    "articulation_point",
    "community",
    "participation_coefficient",
    "brokerage_coordinator",
    "brokerage_itinerant",
    "brokerage_gatekeeper",
    "brokerage_representative",
    "brokerage_liaison",
    "removal_disconnects",
]
EXTRA_COLUMNS = [
    "strength",
    "brokerage_total",
    "betweenness_se",
    "betweenness_weighted_se",
    "closeness_se",
]

# The bridging score averages, over these measures, the share of other connected organisations
# that an organisation exceeds (direction: +1 higher is more bridging, −1 lower is).
SCORE_COMPONENTS = {
    "betweenness": +1,
    "constraint": -1,
    "cross_group_brokerage": +1,
    "participation_coefficient": +1,
    "removal_disconnects": +1,
}

# A measure is named as a reason when the organisation exceeds at least this share of the others.
REASON_SHARE = 0.9


def organisation_metrics(G, *, group_by: str = "type", seed: int = 42, sample: int | None = None) -> tuple[pd.DataFrame, dict]:
    """Every organisation's network position in one table.

    Parameters
    ----------
    G : CollaborationGraph
    group_by : str, keyword-only
        Column of ``G.nodes`` whose values are the groups for brokerage roles (default
        organisation ``type``).
    seed : int, keyword-only
        Seed for the Leiden communities and for any sampled sources.
    sample : int or None, keyword-only
        Sources for estimated betweenness (both kinds); None = exact up to the limits in
        :mod:`samverkan.metrics.centrality`, sampled beyond them. Closeness follows its own
        limits.

    Returns
    -------
    metrics : pandas.DataFrame
        One row per organisation in node order, columns exactly ``METRIC_COLUMNS``
        (id, name, type, degree, weighted_degree, betweenness, betweenness_weighted,
        closeness, eigenvector, effective_size, efficiency, constraint, articulation_point,
        community, participation_coefficient, brokerage_coordinator, brokerage_itinerant,
        brokerage_gatekeeper, brokerage_representative, brokerage_liaison,
        removal_disconnects), then ``EXTRA_COLUMNS`` (strength, brokerage_total and the
        standard errors of estimated values, 0 when exact). ``metrics.attrs["group_by"]``
        records the grouping.
    notes : dict
        ``notes`` (list of plain-language sentences on methods and sampling) and plain values:
        ``betweenness_exact``, ``betweenness_sources``, ``betweenness_weighted_exact``,
        ``betweenness_weighted_sources``, ``closeness_exact``, ``closeness_sources``,
        ``modularity``, ``communities`` (all, isolates included), ``communities_min2``
        (two or more members), ``community_seed``, ``brokerage_group_by``.

    Notes
    -----
    Conventions: every unsuffixed measure treats a tie as 1 (degree, betweenness, closeness,
    eigenvector, effective size, efficiency, constraint, participation coefficient, brokerage);
    ``weighted_degree`` sums shared projects, ``strength`` the Newman + direct weight,
    ``betweenness_weighted`` uses tie length 1/weight, communities use ``weight``. See each
    function for its definition and reference. The triangles of the graph are listed once and
    shared by structural holes and brokerage.
    """
    pending = start_organisation_metrics(G, group_by=group_by, seed=seed, sample=sample)
    try:
        return pending.result()
    finally:
        pending.cancel()


class PendingMetrics:
    """The bridging table under way: the path searches run in a worker while the caller goes on.

    :meth:`result` computes the counting measures in this process, collects the path measures
    and returns what :func:`organisation_metrics` returns; :meth:`cancel` stops the worker.
    """

    def __init__(self, G, *, group_by: str, seed: int, sample: int | None, path_worker=None):
        if group_by not in G.nodes.columns:
            if path_worker is not None:
                path_worker.cancel()
            raise ValueError(f"cannot group by '{group_by}': organisations have no such column; use one of {', '.join(map(str, G.nodes.columns))}")
        self._G, self._group_by, self._seed = G, group_by, seed
        # the path searches run on the second core (large graphs) while this process counts
        self._paths = centrality.path_measures_in_background(G, sample=sample, seed=seed, standby=path_worker)

    def result(self) -> tuple[pd.DataFrame, dict]:
        return _assemble(self._G, self._paths, group_by=self._group_by, seed=self._seed)

    def cancel(self) -> None:
        self._paths.cancel()


def start_organisation_metrics(G, *, group_by: str = "type", seed: int = 42, sample: int | None = None, path_worker=None) -> PendingMetrics:
    """Start :func:`organisation_metrics`: the caller may do other work before ``.result()``.

    On a large graph the path searches (betweenness, closeness) take the longest; started
    first, they run in a worker process while the caller computes what does not need them.
    ``path_worker``: one forked earlier (:func:`samverkan.metrics.centrality.path_worker_on_standby`).
    Call ``.cancel()`` when done (or on error) so no worker outlives the analysis.
    """
    return PendingMetrics(G, group_by=group_by, seed=seed, sample=sample, path_worker=path_worker)


def _assemble(G, paths, *, group_by: str, seed: int) -> tuple[pd.DataFrame, dict]:
    """The counting measures here, then the path measures from ``paths``, in one table."""
    n = G.n
    notes: list[str] = []
    g = centrality._igraph(G)  # shared by communities, cut points and removal impact

    holes_frame, broker_frame = triangles.holes_and_brokerage(G, group_by)

    found = communities.leiden(G, weight="weight", seed=seed, resolution=1.0, prebuilt=g)
    notes.append(found.note)
    notes.append(
        "structural holes (Burt 1992) on binary ties over the whole network; brokerage roles "
        f"(Gould & Fernandez 1989) by '{group_by}', each shared-project tie counted as two arcs "
        "(as R sna / UCINET), so representative = gatekeeper on undirected ties"
    )

    eigen = centrality.eigenvector(G)
    between, between_w, close = paths.result()
    notes = [between.note, between_w.note, close.note] + notes
    labels, sizes = centrality._components(G)
    in_main = int(sizes.max()) if G.m else 0
    notes.append(f"eigenvector centrality on binary ties within the largest connected component ({in_main:,} organisations), scaled to unit length; 0 outside it")

    nodes = G.nodes.reset_index(drop=True)
    frame = pd.DataFrame(
        {
            "id": nodes["id"].to_numpy(),
            "name": nodes["name"].to_numpy() if "name" in nodes else nodes["id"].to_numpy(),
            "type": nodes["type"].to_numpy() if "type" in nodes else np.full(n, ""),
            "degree": centrality.degree(G).to_numpy(),
            "weighted_degree": centrality.weighted_degree(G).to_numpy(),
            "betweenness": between.values.to_numpy(),
            "betweenness_weighted": between_w.values.to_numpy(),
            "closeness": close.values.to_numpy(),
            "eigenvector": eigen.to_numpy(),
            "effective_size": holes_frame["effective_size"].to_numpy(),
            "efficiency": holes_frame["efficiency"].to_numpy(),
            "constraint": holes_frame["constraint"].to_numpy(),
            "articulation_point": centrality._articulation_points(G, g).to_numpy(),
            "community": found.membership.to_numpy(),
            "participation_coefficient": communities.participation_coefficient(G, found.membership).to_numpy(),
            "brokerage_coordinator": broker_frame["brokerage_coordinator"].to_numpy(),
            "brokerage_itinerant": broker_frame["brokerage_itinerant"].to_numpy(),
            "brokerage_gatekeeper": broker_frame["brokerage_gatekeeper"].to_numpy(),
            "brokerage_representative": broker_frame["brokerage_representative"].to_numpy(),
            "brokerage_liaison": broker_frame["brokerage_liaison"].to_numpy(),
            "removal_disconnects": centrality._removal_impact(G, g).to_numpy(),
            "strength": centrality.strength(G).to_numpy(),
            "brokerage_total": broker_frame["brokerage_total"].to_numpy(),
            "betweenness_se": between.standard_error.to_numpy(),
            "betweenness_weighted_se": between_w.standard_error.to_numpy(),
            "closeness_se": close.standard_error.to_numpy(),
        },
        index=pd.RangeIndex(n),
    )
    frame.attrs["group_by"] = group_by
    sizes = np.bincount(found.membership.to_numpy()) if n else np.zeros(0, dtype=np.int64)
    summary = {
        "notes": notes,
        "betweenness_exact": bool(between.exact),
        "betweenness_sources": between.sources,
        "betweenness_guarantee": _guarantee_by_id((between.facts or {}).get("guarantee"), nodes["id"].to_numpy()),
        "betweenness_weighted_exact": bool(between_w.exact),
        "betweenness_weighted_sources": between_w.sources,
        "closeness_exact": bool(close.exact),
        "closeness_sources": close.sources,
        "modularity": None if not np.isfinite(found.modularity) else float(found.modularity),
        "communities": int(len(sizes)),
        "communities_min2": int((sizes > 1).sum()),
        "community_seed": int(seed),
        "brokerage_group_by": group_by,
    }
    return frame, summary


def _share_exceeded(values: pd.Series) -> pd.Series:
    """For each value, the share of the other values that are strictly smaller (0..1)."""
    count = len(values)
    if count <= 1:
        return pd.Series(np.zeros(count), index=values.index)
    below = values.rank(method="min") - 1
    return below / (count - 1)


def rank_bridging_actors(metrics: pd.DataFrame, *, top: int = 10) -> pd.DataFrame:
    """The organisations that bridge the network best, with the reasons as facts.

    Parameters
    ----------
    metrics : pandas.DataFrame
        As returned by :func:`organisation_metrics`.
    top : int, keyword-only
        How many to list (fewer when fewer organisations have partners).

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``name``, ``score`` (0..1), ``reasons`` (a list of facts per organisation:
        dicts with ``reason`` (``cut_point``, ``betweenness``, ``constraint``, ``brokerage``,
        ``participation``, ``strongest``) and the numbers behind it; the words are made by
        :func:`samverkan.text.catalogue.bridging_in_words`), best first, index 0..top−1.

    Notes
    -----
    Only organisations with at least one partner (degree > 0) are candidates. For each of
    five measures, each candidate gets the share of the other candidates it beats (strictly):
    betweenness (higher), constraint (lower: spans structural holes), cross-group brokerage
    (itinerant + gatekeeper + representative + liaison; higher), participation coefficient
    (higher: ties across communities) and removal_disconnects (higher: a cut point). The
    score is the mean of the five shares, so 1 means best on every measure. Ties in score go
    to the smaller ``id``. Reasons name each measure on which the organisation beats at least
    90 % of the others (and every cut point that disconnects someone), with its value and
    rank; a listed organisation with none of these gets its best measure.

    References
    ----------
    Burt, R. S. (2005). Brokerage and Closure. Oxford University Press.
    Gould, R. V. & Fernandez, R. M. (1989). Structures of mediation. Sociological Methodology 19.
    """
    if top < 0:
        raise ValueError("top must be 0 or more")
    columns = ["id", "name", "score", "reasons"]
    candidates = metrics[metrics["degree"] > 0].reset_index(drop=True)
    if candidates.empty or top == 0:
        return pd.DataFrame({c: pd.Series([], dtype=object if c != "score" else float) for c in columns})
    brokerage_columns = ["brokerage_itinerant", "brokerage_gatekeeper", "brokerage_representative", "brokerage_liaison"]
    candidates["cross_group_brokerage"] = candidates[brokerage_columns].sum(axis=1)
    shares = pd.DataFrame(index=candidates.index)
    for column, direction in SCORE_COMPONENTS.items():
        values = candidates[column].astype(float) * direction
        shares[column] = _share_exceeded(values.fillna(-np.inf))
    candidates["score"] = shares.mean(axis=1)
    candidates["_id"] = candidates["id"].astype(str)
    ranked = candidates.sort_values(["score", "_id"], ascending=[False, True], kind="mergesort").head(top)
    group_by = metrics.attrs.get("group_by", "type")
    count = len(candidates)
    ranks = {column: (candidates[column].astype(float) * -direction).rank(method="min").astype(int) for column, direction in SCORE_COMPONENTS.items()}
    reasons = [_reasons(row, shares.loc[index], {c: int(r.loc[index]) for c, r in ranks.items()}, count, group_by) for index, row in ranked.iterrows()]
    out = pd.DataFrame({"id": ranked["id"].to_numpy(), "name": ranked["name"].to_numpy(), "score": ranked["score"].round(4).to_numpy(), "reasons": reasons})
    return out.reset_index(drop=True)


def _reasons(row, shares, ranks, count, group_by) -> list[dict]:
    """Why an organisation is listed: facts about each measure on which it stands out."""
    facts = []
    if row["removal_disconnects"] > 0:
        facts.append({"reason": "cut_point", "k": int(row["removal_disconnects"])})
    if shares["betweenness"] >= REASON_SHARE and row["betweenness"] > 0:
        facts.append({"reason": "betweenness", "value": float(row["betweenness"]), "rank": ranks["betweenness"], "of": int(count)})
    if shares["constraint"] >= REASON_SHARE and np.isfinite(row["constraint"]):
        facts.append({"reason": "constraint", "value": float(row["constraint"])})
    cross = int(row["cross_group_brokerage"])
    if shares["cross_group_brokerage"] >= REASON_SHARE and cross > 0:
        facts.append({"reason": "brokerage", "cross": cross, "liaison": int(row["brokerage_liaison"]), "group_by": group_by})
    if shares["participation_coefficient"] >= REASON_SHARE and row["participation_coefficient"] > 0:
        facts.append({"reason": "participation", "value": float(row["participation_coefficient"])})
    if not facts:
        best = max(SCORE_COMPONENTS, key=lambda c: (shares[c], -list(SCORE_COMPONENTS).index(c)))
        facts.append({"reason": "strongest", "measure": best, "percent": int(round(100 * shares[best])), "group_by": group_by})
    return facts


def _median_relative_error(values: np.ndarray, se: np.ndarray, *, top: int = 50) -> tuple[float | None, int]:
    """The median of standard error / value among the `top` highest positive values, and how many were used."""
    positive = values > 0
    if not positive.any():
        return None, 0
    order = np.argsort(-values, kind="stable")[: min(top, int(positive.sum()))]
    relative = float(np.median(se[order] / values[order]))
    return (relative if np.isfinite(relative) else None), len(order)


def _guarantee_by_id(guarantee: dict | None, ids) -> dict | None:
    """The confidence statement with organisation ids instead of positions (for summary.json)."""
    if not guarantee:
        return guarantee
    out = dict(guarantee)
    for key, fact in guarantee.items():
        if isinstance(fact, dict):
            out[key] = {**fact, "sharing": [str(ids[p]) for p in fact["sharing"]], "uncertain": [str(ids[p]) for p in fact["uncertain"]]}
    return out


def method_facts(summary: dict, metrics: pd.DataFrame, *, n: int, group_by: str) -> dict:
    """How each measure was computed, as facts for the computation notes (:mod:`samverkan.text.notes`).

    Parameters
    ----------
    summary : dict
        The second value of :func:`organisation_metrics`.
    metrics : pandas.DataFrame
        Its first value (the standard errors of sampled measures are columns ``*_se``).
    n : int
        Number of organisations.
    group_by : str
        The attribute brokerage roles were counted by.

    Returns
    -------
    dict
        ``n``, ``group_by``, ``seed``, ``modularity``, ``communities_min2``, ``notes`` (the metric
        modules' own English sentences) and ``measures``: for ``betweenness``,
        ``betweenness_weighted`` and ``closeness`` whether it is ``exact``, its ``sources``, the
        ``relative_error`` (median standard error / value among the ``top`` highest) and, for
        betweenness, the measured ``calibration`` (share of the 50 highest within 3 standard errors)
        or, where the estimate makes one, its confidence statement ``guarantee``
        (:func:`samverkan.metrics.betweenness_estimate.ranking_confidence`).
    """
    measures = {}
    for key, calibration in (("betweenness", centrality.WITHIN_3_SE_TOP50[False]), ("betweenness_weighted", centrality.WITHIN_3_SE_TOP50[True]), ("closeness", None)):
        exact = bool(summary.get(f"{key}_exact", True))
        fact = {"exact": exact, "sources": summary.get(f"{key}_sources"), "relative_error": None, "top": 0, "calibration": None, "guarantee": None}
        if not exact and key in metrics.columns and f"{key}_se" in metrics.columns:
            fact["relative_error"], fact["top"] = _median_relative_error(metrics[key].to_numpy(dtype=float), metrics[f"{key}_se"].to_numpy(dtype=float))
            fact["guarantee"] = summary.get(f"{key}_guarantee")
            # a confidence statement replaces the calibration of a standard error that is only a guide
            fact["calibration"] = None if fact["guarantee"] else calibration
        measures[key] = fact
    return {
        "n": int(n),
        "group_by": group_by,
        "seed": summary.get("community_seed", 42),
        "modularity": summary.get("modularity"),
        "communities_min2": int(summary.get("communities_min2", 0) or 0),
        "measures": measures,
        "notes": [str(note) for note in summary.get("notes", [])],
    }
