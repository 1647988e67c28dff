"""Key figures beside the network: each area's value next to the collaboration found there.

Facts in, facts out: no sentence is made here. The key figures come from the package's
``key_figures`` table (see :mod:`samverkan.io.key_figures` for its conventions); the network
figures from an analysis (:class:`~samverkan.analysis.AnalysisResult`) or from its pieces.

Conventions, stated once
------------------------
- **Which organisations are "in" an area.** A municipality code (``0126``): organisations whose
  ``municipality`` is that code, or a name that a municipality organisation of the package
  resolves to that code (as :mod:`samverkan.metrics.white_spots` resolves them). A county code
  (``01``): organisations whose municipality code starts with it, or whose ``region`` names the
  county ("Stockholms län", "Region Stockholm"). Any other area: the organisation with that id.
  An area with no organisation, no effort and no white spot is kept, with ``matched`` False and
  ``area_kind`` "none".
- **Projects there**: distinct projects in which an organisation of the area takes part in any
  role but benchmarking (watching from outside is not taking part), over the package's whole
  time. **Efforts there**: efforts open to a municipality of the area (``municipalities``) or
  offered by one of its organisations.
- **Share in the largest component**: of the area's organisations, the share that lies in the
  largest connected component of the collaboration graph (ties of any kind). NaN without
  organisations.
- **White spots there**: rows of the white-spot table whose municipality is in the area.
- **Mean betweenness**: the plain mean of the normalised betweenness (as in ``organisations.csv``)
  of the area's organisations; NaN without organisations.
- **Before / during / after**: the projects that cover a municipality are those an organisation of
  it takes part in (benchmarking excluded) that have a start date; their span runs from the
  earliest start to the latest end (no end: still running). A yearly period is *before* when the
  year ends before the span starts, *after* when it starts after the span ends, else *during*; a
  month is compared as a month. Without dated projects the phase is empty.
- **Region summary** (for compare): per indicator × period × gender, the county's own value when
  the table has one (``how`` = "value"), else the median over the region's municipalities
  (``how`` = "median", ``n_areas`` says over how many).

The figures show association, never effect: the report must say so (the engine returns ``n``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.sparse.csgraph import connected_components

from ..io.key_figures import COUNTIES, county_of, key_figures_of
from ..model import normalise_key

__all__ = [
    "KEY_FIGURE_TABLE_COLUMNS",
    "area_network_figures",
    "area_organisations",
    "change_since_first",
    "coverage_spans",
    "key_figure_outputs",
    "key_figure_phases",
    "key_figure_scatter",
    "key_figure_table",
    "phase_summary",
    "rank_regions",
    "region_key_figures",
]

KEY_FIGURE_TABLE_COLUMNS = [
    "area",
    "area_kind",
    "area_name",
    "indicator",
    "indicator_name",
    "unit",
    "period",
    "gender",
    "value",
    "source",
    "matched",
    "organisations",
    "projects",
    "efforts",
    "share_in_largest_component",
    "white_spots",
    "mean_betweenness",
]


def _text(frame, column: str) -> pd.Series:
    if frame is None or column not in getattr(frame, "columns", ()):
        return pd.Series([""] * (0 if frame is None else len(frame)), dtype=object)
    return frame[column].fillna("").astype(str).str.strip()


def _county_of_region(text: str) -> str | None:
    key = normalise_key(text)
    if not key:
        return None
    for code, name in COUNTIES.items():
        short = normalise_key(name.removesuffix(" län"))
        if key in (normalise_key(name), short, short.removesuffix("s"), "region_" + short.removesuffix("s"), "region_" + short):
            return code
    return None


def area_organisations(package) -> dict[str, set[str]]:
    """Area → ids of the organisations in it, for every municipality code, county code and id.

    >>> from samverkan.io.package import empty_package
    >>> pkg = empty_package()
    >>> pkg.tables["organisations"] = pd.DataFrame({"id": ["hu", "lst"], "name": ["Huddinge kommun", "Länsstyrelsen"],
    ...     "type": ["municipality", "county_admin_board"], "municipality": ["0126", ""], "region": ["", "Stockholms län"],
    ...     "parent": ["", ""], "aliases": ["", ""]})
    >>> sorted(area_organisations(pkg)["01"]), sorted(area_organisations(pkg)["0126"])
    (['hu', 'lst'], ['hu'])
    """
    from .white_spots import MunicipalityResolver

    orgs = package.organisations
    resolver = MunicipalityResolver(package)
    ids = _text(orgs, "id").tolist()
    keys = resolver.organisation_keys.reindex(ids).fillna("").tolist() if len(ids) else []
    regions = _text(orgs, "region").tolist()
    areas: dict[str, set[str]] = {}
    for org, key, region in zip(ids, keys, regions):
        areas.setdefault(org, set()).add(org)
        if key and key.isdigit() and len(key) == 4:
            areas.setdefault(key, set()).add(org)
        county = county_of(key) if key else None
        county = county or _county_of_region(region)
        if county:
            areas.setdefault(county, set()).add(org)
    return areas


def _largest_component(graph) -> set[str]:
    if graph is None or graph.n == 0:
        return set()
    from scipy.sparse import coo_matrix

    i = graph.edges["i"].to_numpy(dtype=np.int64)
    j = graph.edges["j"].to_numpy(dtype=np.int64)
    matrix = coo_matrix((np.ones(len(i)), (i, j)), shape=(graph.n, graph.n))
    _, labels = connected_components(matrix, directed=False)
    biggest = np.bincount(labels).argmax()
    return set(graph.nodes["id"].to_numpy()[labels == biggest])


def _pieces(result, package, organisations, white_spots, graph):
    if result is not None:
        package = package if package is not None else result.package
        organisations = organisations if organisations is not None else result.organisations
        white_spots = white_spots if white_spots is not None else result.white_spots
        graph = graph if graph is not None else result.graph
    if package is None:
        raise ValueError("give an analysis result or a package")
    return package, organisations, white_spots, graph


def key_figure_table(result=None, *, package=None, organisations=None, white_spots=None, graph=None, key_figures=None) -> pd.DataFrame:
    """One row per area × indicator × period × gender: the value and the area's network figures.

    Parameters
    ----------
    result : AnalysisResult, optional
        Gives ``package``, ``organisations`` (with ``betweenness``), ``white_spots`` and ``graph``;
        any of them may instead (or also) be given by keyword.
    key_figures : DataFrame, optional
        Default: the package's ``key_figures`` table.

    Returns
    -------
    DataFrame
        Columns :data:`KEY_FIGURE_TABLE_COLUMNS`: ``area_kind`` is "municipality", "county",
        "organisation" or "none"; ``matched`` False when no organisation, effort or white spot is
        in the area (its network figures are then 0, or NaN for the share and the mean). Sorted by indicator,
        area, period, gender. ``attrs["unmatched_areas"]`` lists the areas that matched nothing.
    """
    package, organisations, white_spots, graph = _pieces(result, package, organisations, white_spots, graph)
    figures = key_figures_of(package) if key_figures is None else key_figures
    if figures.empty:
        frame = pd.DataFrame({c: pd.Series([], dtype=object) for c in KEY_FIGURE_TABLE_COLUMNS})
        frame.attrs["unmatched_areas"] = []
        return frame
    network = area_network_figures(package, sorted(set(figures["area"])), organisations=organisations, white_spots=white_spots, graph=graph)
    out = figures.merge(network, on="area", how="left")
    out["source"] = out["source"] if "source" in out.columns else ""
    out = out[KEY_FIGURE_TABLE_COLUMNS].sort_values(["indicator", "area", "period", "gender"], kind="stable").reset_index(drop=True)
    out.attrs["unmatched_areas"] = sorted(network.loc[~network["matched"], "area"])
    return out


def area_network_figures(package, areas, *, organisations=None, white_spots=None, graph=None) -> pd.DataFrame:
    """The network figures of each area (see the module's conventions), one row per area."""
    from .white_spots import MunicipalityResolver

    members = area_organisations(package)
    resolver = MunicipalityResolver(package)
    names = dict(zip(_text(package.organisations, "id"), _text(package.organisations, "name")))
    parts = package.participations
    taking = parts[_text(parts, "role") != "benchmark"] if len(parts) else parts
    projects_of: dict[str, set] = {}
    for org, project in zip(_text(taking, "organisation"), _text(taking, "project")):
        projects_of.setdefault(org, set()).add(project)
    efforts = package.tables.get("efforts")
    effort_places: list[tuple[str, str, list[str]]] = []
    if efforts is not None and len(efforts):
        for effort, org, cell in zip(_text(efforts, "id"), _text(efforts, "organisation"), _text(efforts, "municipalities")):
            places = [resolver.resolve(p) for p in cell.split("|") if p.strip()]
            effort_places.append((effort, org, places))
    betweenness = {}
    if organisations is not None and "betweenness" in getattr(organisations, "columns", ()):
        betweenness = dict(zip(organisations["id"], organisations["betweenness"]))
    largest = _largest_component(graph)
    spot_places = _text(white_spots, "municipality").tolist() if white_spots is not None else []

    rows = []
    for area in areas:
        orgs = members.get(area, set())
        if area in COUNTIES:
            kind = "county"

            def inside(place, area=area):
                return county_of(place) == area
        elif len(area) == 4 and area.isdigit():
            kind = "municipality"

            def inside(place, area=area):
                return place == area
        else:
            kind = "organisation" if area in names else "none"

            def inside(place):
                return False

        if not orgs and kind == "organisation":
            kind = "none"
        projects = set().union(*(projects_of.get(o, set()) for o in orgs)) if orgs else set()
        efforts_there = {e for e, org, places in effort_places if org in orgs or any(inside(p) for p in places)}
        spots = sum(1 for p in spot_places if inside(p))
        values = [betweenness[o] for o in orgs if o in betweenness and pd.notna(betweenness[o])]
        if area in COUNTIES:
            area_name = COUNTIES[area]
        elif kind == "municipality":
            area_name = resolver.name(area)
        else:
            area_name = names.get(area, area)
        matched = bool(orgs) or bool(efforts_there) or spots > 0
        rows.append(
            {
                "area": area,
                "area_kind": kind if matched else "none",
                "area_name": area_name,
                "matched": matched,
                "organisations": len(orgs),
                "projects": len(projects),
                "efforts": len(efforts_there),
                "share_in_largest_component": (sum(o in largest for o in orgs) / len(orgs)) if orgs and graph is not None else np.nan,
                "white_spots": spots,
                "mean_betweenness": float(np.mean(values)) if values else np.nan,
            }
        )
    return pd.DataFrame(rows, columns=["area", "area_kind", "area_name", "matched", "organisations", "projects", "efforts", "share_in_largest_component", "white_spots", "mean_betweenness"])


def _period_bounds(period: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    if len(period) == 4:
        return pd.Timestamp(f"{period}-01-01"), pd.Timestamp(f"{period}-12-31")
    start = pd.Timestamp(f"{period}-01")
    return start, start + pd.offsets.MonthEnd(0)


def coverage_spans(package) -> pd.DataFrame:
    """Per municipality code: the span of the dated projects its organisations take part in.

    Columns: ``area``, ``start``, ``end`` (NaT = still running), ``projects`` (how many dated).
    """
    members = area_organisations(package)
    projects = package.projects
    dated = {p: (s, e) for p, s, e in zip(_text(projects, "id"), projects["start"], projects["end"]) if pd.notna(s)}
    parts = package.participations
    taking = parts[_text(parts, "role") != "benchmark"] if len(parts) else parts
    projects_of: dict[str, set] = {}
    for org, project in zip(_text(taking, "organisation"), _text(taking, "project")):
        projects_of.setdefault(org, set()).add(project)
    rows = []
    for area, orgs in sorted(members.items()):
        if not (len(area) == 4 and area.isdigit()):
            continue
        covering = sorted({p for o in orgs for p in projects_of.get(o, ()) if p in dated})
        if not covering:
            continue
        starts = [dated[p][0] for p in covering]
        ends = [dated[p][1] for p in covering]
        end = pd.NaT if any(pd.isna(e) for e in ends) else max(ends)
        rows.append({"area": area, "start": min(starts), "end": end, "projects": len(covering)})
    return pd.DataFrame(rows, columns=["area", "start", "end", "projects"])


def key_figure_phases(package, key_figures=None) -> pd.DataFrame:
    """Each key figure of a municipality with its phase: before, during or after the projects
    that cover it (see the module's conventions); ``phase`` is "" where no dated project covers
    the area (counties and organisations included).

    Columns: area, indicator, period, gender, value, phase, coverage_start, coverage_end, projects.
    """
    figures = key_figures_of(package) if key_figures is None else key_figures
    columns = ["area", "indicator", "period", "gender", "value", "phase", "coverage_start", "coverage_end", "projects"]
    if figures.empty:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
    spans = coverage_spans(package).set_index("area")
    phases, starts, ends, counts = [], [], [], []
    for area, period in zip(figures["area"], figures["period"]):
        if area not in spans.index:
            phases.append("")
            starts.append(pd.NaT)
            ends.append(pd.NaT)
            counts.append(0)
            continue
        start, end, n = spans.loc[area, "start"], spans.loc[area, "end"], int(spans.loc[area, "projects"])
        first, last = _period_bounds(period)
        if last < start:
            phase = "before"
        elif pd.notna(end) and first > end:
            phase = "after"
        else:
            phase = "during"
        phases.append(phase)
        starts.append(start)
        ends.append(end)
        counts.append(n)
    out = figures[["area", "indicator", "period", "gender", "value"]].copy()
    out["phase"] = phases
    out["coverage_start"] = pd.to_datetime(pd.Series(starts, dtype="datetime64[ns]")).to_numpy()
    out["coverage_end"] = pd.to_datetime(pd.Series(ends, dtype="datetime64[ns]")).to_numpy()
    out["projects"] = counts
    return out.sort_values(["indicator", "area", "gender", "period"], kind="stable").reset_index(drop=True)


def phase_summary(phases: pd.DataFrame) -> pd.DataFrame:
    """Per area × indicator × gender × phase: ``periods`` (how many with a value), ``mean``,
    ``first_period``/``first_value`` and ``last_period``/``last_value``. Missing periods are simply
    absent (no value is invented for them)."""
    columns = ["area", "indicator", "gender", "phase", "periods", "mean", "first_period", "first_value", "last_period", "last_value"]
    known = phases[phases["phase"] != ""] if len(phases) else phases
    if known.empty:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
    rows = []
    order = {"before": 0, "during": 1, "after": 2}
    for (area, indicator, gender, phase), group in known.groupby(["area", "indicator", "gender", "phase"], sort=False):
        group = group.sort_values("period")
        rows.append(
            {
                "area": area,
                "indicator": indicator,
                "gender": gender,
                "phase": phase,
                "periods": len(group),
                "mean": float(group["value"].mean()),
                "first_period": group["period"].iloc[0],
                "first_value": float(group["value"].iloc[0]),
                "last_period": group["period"].iloc[-1],
                "last_value": float(group["value"].iloc[-1]),
            }
        )
    out = pd.DataFrame(rows, columns=columns)
    out["_o"] = out["phase"].map(order)
    return out.sort_values(["indicator", "area", "gender", "_o"], kind="stable").drop(columns="_o").reset_index(drop=True)


def region_key_figures(package, key_figures=None, *, municipalities=None) -> pd.DataFrame:
    """The region's key figures for compare: per indicator × period × gender, the county's value
    (``how`` "value", when the table holds exactly one county) or the median over municipalities
    (``how`` "median").

    Parameters
    ----------
    municipalities : iterable of str, optional
        The municipality codes that make up the region. Default: the package's municipalities
        (as white spots count them: municipality organisations that take part, and the places
        efforts are open to), so benchmarking contacts elsewhere do not count.

    Returns
    -------
    DataFrame
        indicator, indicator_name, unit, period, gender, value, how, n_areas, areas (``|``-joined).
    """
    columns = ["indicator", "indicator_name", "unit", "period", "gender", "value", "how", "n_areas", "areas"]
    figures = key_figures_of(package) if key_figures is None else key_figures
    if figures.empty:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
    if municipalities is None:
        from .white_spots import municipalities as package_municipalities

        municipalities = package_municipalities(package)["municipality"].tolist()
    municipalities = {m for m in municipalities if len(str(m)) == 4 and str(m).isdigit()}
    counties = sorted({a for a in figures["area"] if a in COUNTIES})
    own_county = counties[0] if len(counties) == 1 else None
    rows = []
    for (indicator, period, gender), group in figures.groupby(["indicator", "period", "gender"], sort=True):
        name = next((n for n in group["indicator_name"] if n), "")
        unit = next((u for u in group["unit"] if u), "")
        county = group[group["area"] == own_county] if own_county else group.iloc[0:0]
        if len(county):
            rows.append([indicator, name, unit, period, gender, float(county["value"].iloc[0]), "value", 1, own_county])
            continue
        local = group[group["area"].isin(municipalities)]
        if local.empty:
            continue
        rows.append([indicator, name, unit, period, gender, float(local["value"].median()), "median", len(local), "|".join(sorted(local["area"]))])
    return pd.DataFrame(rows, columns=columns)


def rank_regions(regions: dict[str, pd.DataFrame], indicator: str, *, period: str | None = None, gender: str = "T", descending: bool = True) -> pd.DataFrame:
    """Rank regions by one key figure (the latest period each region has, unless ``period`` is given).

    ``regions`` maps a region's name to its :func:`region_key_figures`. Returns region, period,
    value, how, n_areas, rank (1 = highest when ``descending``; ties share the lowest rank);
    regions without the figure are listed last with rank NaN.
    """
    rows = []
    for region, table in regions.items():
        chosen = table[(table["indicator"] == indicator) & (table["gender"] == gender)] if len(table) else table
        if period is not None and len(chosen):
            chosen = chosen[chosen["period"] == period]
        if len(chosen) == 0:
            rows.append({"region": region, "period": period or "", "value": np.nan, "how": "", "n_areas": 0})
            continue
        latest = chosen.sort_values("period").iloc[-1]
        rows.append({"region": region, "period": latest["period"], "value": float(latest["value"]), "how": latest["how"], "n_areas": int(latest["n_areas"])})
    out = pd.DataFrame(rows, columns=["region", "period", "value", "how", "n_areas"])
    out["rank"] = out["value"].rank(ascending=not descending, method="min")
    return out.sort_values(["rank", "region"], na_position="last", kind="stable").reset_index(drop=True)


def change_since_first(figures: pd.DataFrame) -> pd.DataFrame:
    """Each value with its change since the area's first period of that indicator and gender.

    Adds ``first_period``, ``change`` (value − first value) and ``change_share`` (change / |first
    value|, NaN when the first value is 0). Missing periods stay missing: nothing is filled in.
    """
    if figures.empty:
        return figures.assign(first_period=pd.Series([], dtype=object), change=pd.Series([], dtype=float), change_share=pd.Series([], dtype=float))
    out = figures.sort_values(["indicator", "area", "gender", "period"], kind="stable").copy()
    groups = out.groupby(["indicator", "area", "gender"], sort=False)
    first_value = groups["value"].transform("first")
    out["first_period"] = groups["period"].transform("first")
    out["change"] = out["value"] - first_value
    out["change_share"] = out["change"] / first_value.abs().where(first_value != 0)
    return out.reset_index(drop=True)


SCATTER_MINIMUM = 5  # fewer municipalities than this: no scatter (the rule)


def key_figure_scatter(table: pd.DataFrame, indicator: str, *, network: str = "mean_betweenness", period: str | None = None, gender: str = "T") -> dict:
    """Points for a scatter of one network figure against one key figure across municipalities.

    ``table`` is :func:`key_figure_table`. Uses municipality areas that match the network, in
    ``period`` (default: the latest period with values), one gender. Returns a dict of facts:
    ``points`` (DataFrame area, area_name, x = the network figure, y = the value), ``n``,
    ``period``, ``network``, ``enough`` (n ≥ :data:`SCATTER_MINIMUM`) and ``association_only``
    True (the page must say the chart shows association, not effect).
    """
    rows = table[(table["indicator"] == indicator) & (table["gender"] == gender) & (table["area_kind"] == "municipality") & table["matched"]]
    rows = rows[rows[network].notna()] if network in rows.columns else rows.iloc[0:0]
    if period is None and len(rows):
        period = max(rows["period"])
    rows = rows[rows["period"] == period] if period is not None else rows
    points = pd.DataFrame(
        {
            "area": rows["area"].to_numpy(),
            "area_name": rows["area_name"].to_numpy(),
            "x": rows[network].to_numpy(dtype=float) if len(rows) else [],
            "y": rows["value"].to_numpy(dtype=float) if len(rows) else [],
        }
    )
    return {"points": points, "n": len(points), "period": period, "network": network, "indicator": indicator, "gender": gender, "enough": len(points) >= SCATTER_MINIMUM, "association_only": True}


def key_figure_outputs(result) -> dict[str, pd.DataFrame]:
    """Every key-figure table an analysis writes, by file name: ``key_figures.csv`` (the table
    beside the network, with change since the first period), ``key_figure_phases.csv`` (before /
    during / after) and ``key_figure_phase_summary.csv``. Empty tables when the package has none.
    """
    table = key_figure_table(result)
    unmatched = table.attrs.get("unmatched_areas", [])
    if len(table):
        changes = change_since_first(table[["indicator", "area", "gender", "period", "value"]])
        table = table.merge(changes[["indicator", "area", "gender", "period", "first_period", "change", "change_share"]], on=["indicator", "area", "gender", "period"], how="left")
    table.attrs["unmatched_areas"] = unmatched
    phases = key_figure_phases(result.package)
    return {"key_figures.csv": table, "key_figure_phases.csv": phases, "key_figure_phase_summary.csv": phase_summary(phases)}
