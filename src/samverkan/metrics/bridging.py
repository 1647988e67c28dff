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

from . import brokerage as _brokerage
from . import centrality, communities
from . import structural_holes as _holes

__all__ = ["organisation_metrics", "rank_bridging_actors", "METRIC_COLUMNS", "SCORE_COMPONENTS"]

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
        Seed for Louvain and for any sampled sources.
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
    if group_by not in G.nodes.columns:
        raise ValueError(f"cannot group by '{group_by}': organisations have no such column; use one of {', '.join(map(str, G.nodes.columns))}")
    # the path searches run on the second core (large graphs) while this process counts
    paths = centrality.path_measures_in_background(G, sample=sample, seed=seed)
    try:
        return _assemble(G, paths, group_by=group_by, seed=seed)
    finally:
        paths.cancel()


def _assemble(G, paths, *, group_by: str, seed: int) -> tuple[pd.DataFrame, dict]:
    """The counting measures here, then the path measures from ``paths``, in one table."""
    n = G.n
    notes: list[str] = []
    g = centrality._igraph(G)  # shared by communities, cut points and removal impact

    holes = _holes._HolesAccumulator(G, None)
    broker = _brokerage._BrokerageAccumulator(G, group_by)
    for batch in _holes._triangle_batches(holes.i, holes.j, n):
        holes.add(batch)
        broker.add(batch)
    holes_frame = holes.result()
    broker_frame = broker.result()

    found = communities._louvain(G, g, weight="weight", seed=seed, resolution=1.0)
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
    notes.append(
        f"eigenvector centrality on binary ties within the largest connected component ({in_main:,} organisations), "
        "scaled to unit length; 0 outside it"
    )

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


_GROUP_WORDS = {
    "sv": {"type": ("organisationstyp", "organisationstyper"), "level": ("nivå", "nivåer"), "municipality": ("kommun", "kommuner"), "region": ("region", "regioner")},
    "en": {"type": ("organisation type", "organisation types"), "level": ("level", "levels"), "municipality": ("municipality", "municipalities"), "region": ("region", "regions")},
}


def _number(value: float, lang: str, digits: int = 2) -> str:
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "sv" else text


def _count(value: int, lang: str) -> str:
    """Whole numbers with thousands separated: 12,345 (en) or 12 345 (sv, narrow no-break space)."""
    text = f"{int(value):,}"
    return text.replace(",", "\u202f") if lang == "sv" else text


def _share_exceeded(values: pd.Series) -> pd.Series:
    """For each value, the share of the other values that are strictly smaller (0..1)."""
    count = len(values)
    if count <= 1:
        return pd.Series(np.zeros(count), index=values.index)
    below = values.rank(method="min") - 1
    return below / (count - 1)


def rank_bridging_actors(metrics: pd.DataFrame, *, top: int = 10, lang: str = "sv") -> pd.DataFrame:
    """The organisations that bridge the network best, with the reasons in plain language.

    Parameters
    ----------
    metrics : pandas.DataFrame
        As returned by :func:`organisation_metrics`.
    top : int, keyword-only
        How many to list (fewer when fewer organisations have partners).
    lang : {"sv", "en"}, keyword-only
        Language of the reasons.

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``name``, ``score`` (0..1), ``reasons`` (``"; "``-joined sentences),
        best first, index 0..top−1.

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
    if lang not in ("sv", "en"):
        raise ValueError(f"lang must be 'sv' or 'en', not {lang!r}")
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
    reasons = [_reasons(row, shares.loc[index], {c: int(r.loc[index]) for c, r in ranks.items()}, count, group_by, lang) for index, row in ranked.iterrows()]
    out = pd.DataFrame({"id": ranked["id"].to_numpy(), "name": ranked["name"].to_numpy(), "score": ranked["score"].round(4).to_numpy(), "reasons": reasons})
    return out.reset_index(drop=True)


def _reasons(row, shares, ranks, count, group_by, lang) -> str:
    sv = lang == "sv"
    singular, plural = _GROUP_WORDS[lang].get(group_by, (group_by, group_by))
    of = _count(count, lang)
    texts = []
    if row["removal_disconnects"] > 0:
        k = int(row["removal_disconnects"])
        texts.append(
            f"skärningspunkt: utan den förlorar {_count(k, lang)} organisation{'er' if k != 1 else ''} kontakten med det största nätverket"
            if sv
            else f"articulation point: removing it cuts off {_count(k, lang)} organisation{'s' if k != 1 else ''} from the main network"
        )
    if shares["betweenness"] >= REASON_SHARE and row["betweenness"] > 0:
        value = _number(row["betweenness"], lang, 3)
        texts.append(
            f"hög mellanhetscentralitet ({value}, plats {_count(ranks['betweenness'], lang)} av {of})"
            if sv
            else f"high betweenness ({value}, rank {_count(ranks['betweenness'], lang)} of {of})"
        )
    if shares["constraint"] >= REASON_SHARE and np.isfinite(row["constraint"]):
        value = _number(row["constraint"], lang)
        texts.append(
            f"låg begränsning ({value}): länkar samman partner som inte samverkar med varandra"
            if sv
            else f"low constraint ({value}): spans structural holes between partners who do not work together"
        )
    cross = int(row["cross_group_brokerage"])
    if shares["cross_group_brokerage"] >= REASON_SHARE and cross > 0:
        liaison = int(row["brokerage_liaison"])
        texts.append(
            f"förmedlar kontakt {_count(cross, lang)} gånger över gränsen mellan {plural}, varav {_count(liaison, lang)} som länk mellan två andra {plural}"
            if sv
            else f"brokers {_count(cross, lang)} times across {singular} boundaries, {_count(liaison, lang)} of them as liaison between two other {plural}"
        )
    if shares["participation_coefficient"] >= REASON_SHARE and row["participation_coefficient"] > 0:
        value = _number(row["participation_coefficient"], lang)
        texts.append(
            f"deltagandekoefficient {value}: samverkar över flera grupperingar (communities)"
            if sv
            else f"participation coefficient {value}: works across communities"
        )
    if not texts:
        best = max(SCORE_COMPONENTS, key=lambda c: (shares[c], -list(SCORE_COMPONENTS).index(c)))
        labels = {
            "sv": {"betweenness": "mellanhetscentralitet", "constraint": "låg begränsning", "cross_group_brokerage": f"förmedling mellan {plural}",
                   "participation_coefficient": "deltagandekoefficient", "removal_disconnects": "skärningspunkt"},
            "en": {"betweenness": "betweenness", "constraint": "low constraint", "cross_group_brokerage": f"brokerage between {plural}",
                   "participation_coefficient": "participation coefficient", "removal_disconnects": "cut point"},
        }[lang]
        percent = int(round(100 * shares[best]))
        texts.append(
            f"starkast på {labels[best]}: högre än {percent} % av de andra organisationerna med partner"
            if sv
            else f"strongest on {labels[best]}: above {percent} % of the other organisations with partners"
        )
    return "; ".join(texts)
