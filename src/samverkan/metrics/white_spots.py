"""White spots: needs that no effort and no active project covers.

Phase 2 of the Örebro pre-study (2014) looks for *vita fläckar*, target groups and places nobody
covers; the Södertörn project (2009) builds a map of efforts so that every newcomer reaches the
region's combined offer whatever the home municipality. :func:`coverage_matrix` counts, for every
target group and municipality, the efforts and active projects that reach it;
:func:`white_spots` lists the gaps, with a sentence a person understands.

Definitions
-----------
Active project
    See :func:`samverkan.timeline.active` (the rule the ownership findings use too): the data's
    status wins; without status, ``start ≤ as_of ≤ end`` (open bounds allowed); ``cancelled``
    never. ``as_of`` defaults to the latest date in the package; :func:`samverkan.analyse` passes
    :func:`samverkan.timeline.reference_date`.
A project addresses a target group
    The group's id is in the project's own ``target_groups`` (sub-projects do not inherit their
    parent's target groups).
Target groups
    The ids of the ``target_groups`` table, in its order, then ids that only projects or efforts
    name (sorted).
Municipalities
    The union of (i) the ``municipality`` of every organisation of type ``municipality`` that is
    not only a benchmarking contact (organisations with no participation at all count), and (ii)
    every entry of ``efforts.municipalities``. Values are normalised to one key: a code of one to
    four digits is zero-padded to four (``126`` → ``0126``, as Excel drops the leading zero); a
    name is matched, case- and space-insensitively and without a trailing ``kommun``/``stad``, to a
    municipality organisation's name or alias and replaced by that organisation's code; any other
    name stays a name. The ``municipality_name`` of a code is the name of the municipality
    organisation with that code (one without a parent organisation first, then the shortest name),
    or else the municipality's official name (:func:`samverkan.geo.municipality_name`).
A cell (target group g, municipality k) is covered
    by an effort whose ``target_groups`` include g and whose ``municipalities`` include k, and by an
    active project that addresses g and in which an organisation of type ``municipality`` with
    municipality k takes part (any role but benchmarking, the participation itself active at
    ``as_of``).

Kinds of white spot, in this order
----------------------------------
``target-group-without-project``
    No active project addresses the target group. ``detail``: ``|``-joined ids of the projects
    that address it but are not active at ``as_of``.
``target-group-only-gap-projects``
    Every active project that addresses the target group has a finding of severity ``error`` in
    :func:`~samverkan.metrics.ownership.ownership_findings` (no owner or no steering group by
    default). ``detail``: those projects' ids.
``white-spot``
    A target group × municipality cell that no effort and no active project covers (a 0 in
    :func:`coverage_matrix`).
``effort-gap``
    A cell that no effort covers but active projects do: the need is met only while the projects
    run. ``detail``: the projects' ids. Leave out with ``include_effort_gaps=False``.

The two cell kinds need a map of efforts: when the ``efforts`` table is empty nothing is said about
cells, because the absence of an effort cannot be told from the absence of the map.

References
----------
Region Örebro (2014). Socialfonden och kompetensförsörjning i Region Örebro, spår 1 (seed document
``000_6eb9809ed9ea75c1.txt``): phase 2, analysis of white spots.
Huddinge kommun (2009). Projekt Introduktion Södertörn (seed document ``004_af4adb399b65c3d9.txt``):
the shared map of efforts.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from ..graph.projection import active_participations
from .. import timeline
from ..geo.names import municipality_name
from ..text.format import sort_key
from .ownership import date_column, participation_rows, resolve_as_of, text_column, ownership_findings, project_frame

__all__ = ["WHITE_SPOT_KINDS", "WHITE_SPOT_COLUMNS", "Municipalities", "white_spots", "coverage_matrix", "coverage_matrices", "municipality_key", "municipalities"]

WHITE_SPOT_KINDS = ("target-group-without-project", "target-group-only-gap-projects", "white-spot", "effort-gap")
WHITE_SPOT_COLUMNS = ["kind", "target_group", "target_group_name", "municipality", "municipality_name", "detail", "as_of"]

_CODE = re.compile(r"^\d{1,4}$")
_SPACE = re.compile(r"[\s\-–_.,]+")
_SUFFIX = re.compile(r" (kommun|stad|municipality)$")


def municipality_key(value) -> str:
    """A comparison key for a municipality written as a code or a name.

    Examples
    --------
    >>> municipality_key("126"), municipality_key(" 0126 ")
    ('0126', '0126')
    >>> municipality_key("Nynäshamns  Kommun"), municipality_key("NACKA")
    ('nynäshamns', 'nacka')
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    text = unicodedata.normalize("NFC", str(value)).strip()
    if not text:
        return ""
    if _CODE.match(text):
        return text.zfill(4)
    text = _SPACE.sub(" ", text.casefold()).strip()
    return _SUFFIX.sub("", text)


def split_cells(cells: pd.Series) -> pd.Series:
    """``|``-joined list cells exploded to one stripped, non-empty entry per row (index kept)."""
    parts = cells.astype("string").fillna("").str.split("|").explode()
    parts = parts.astype("string").str.strip().fillna("")
    return parts[parts != ""].astype(object)


class MunicipalityResolver:
    """Resolves municipality spellings to keys, names the keys, and lists the universe."""

    def __init__(self, package, *, excluded_roles=("benchmark",)):
        orgs = package.organisations
        ids = text_column(orgs, "id")
        kinds = text_column(orgs, "type")
        values = text_column(orgs, "municipality")
        parents = text_column(orgs, "parent")
        names = text_column(orgs, "name")
        aliases = text_column(orgs, "aliases")
        municipal = (kinds == "municipality").to_numpy()
        # Names and aliases of municipality organisations with a code resolve to that code.
        lookup: dict[str, set] = {}
        for name, alias_cell, value in zip(names[municipal], aliases[municipal], values[municipal]):
            key = municipality_key(value)
            if not key.isdigit():
                continue
            for spelling in [name, *alias_cell.split("|")]:
                spelled = municipality_key(spelling)
                if not spelled or spelled.isdigit():
                    continue
                variants = {spelled}
                if spelled.endswith("s") and _SUFFIX.search(_SPACE.sub(" ", unicodedata.normalize("NFC", spelling).casefold()).strip()):
                    variants.add(spelled[:-1])  # "Nynäshamns kommun" -> "nynäshamn"
                for v in variants:
                    lookup.setdefault(v, set()).add(key)
        self._lookup = {k: next(iter(v)) for k, v in lookup.items() if len(v) == 1}
        self._labels: dict[str, str] = {}
        self.organisation_keys = pd.Series(self.resolve_all(values).to_numpy(dtype=object), index=ids.to_numpy(dtype=object), dtype=object)
        self.is_municipality = pd.Series(municipal, index=ids.to_numpy(dtype=object))
        # Names of codes: municipality organisations with that code, top-level first, then shortest name.
        keys, names, parents = self.organisation_keys[municipal], names[municipal], parents[municipal]
        named = pd.DataFrame({"key": keys.to_numpy(dtype=object), "name": names.to_numpy(dtype=object), "child": (parents != "").to_numpy(), "length": names.str.len().to_numpy()})
        named = named[(named["key"] != "").to_numpy() & (named["name"] != "").to_numpy()]
        named = named.sort_values(["key", "child", "length", "name"], kind="stable").drop_duplicates("key")
        self._names = dict(zip(named["key"], named["name"]))
        # Universe: municipality organisations that are not only benchmarking contacts, then efforts' entries.
        efforts = package.tables.get("efforts")
        universe = []
        if municipal.any():  # (most EU data has no municipality organisations: nothing to look up)
            parts = package.participations
            roles = pd.DataFrame({"organisation": text_column(parts, "organisation"), "role": text_column(parts, "role")})
            taking_part = set(roles.loc[~roles["role"].isin(list(excluded_roles)), "organisation"])
            only_watching = set(roles["organisation"]) - taking_part
            offering = set(text_column(efforts, "organisation")) if efforts is not None else set()
            keep = municipal & ~ids.isin(only_watching - offering).to_numpy()
            universe = [k for k in self.organisation_keys[keep].tolist() if k]
        if efforts is not None and len(efforts):
            universe += self.resolve_all(split_cells(text_column(efforts, "municipalities"))).tolist()
        self.universe = sorted(dict.fromkeys(k for k in universe if k), key=lambda k: (sort_key(self.name(k)), k))

    def resolve(self, value) -> str:
        key = municipality_key(value)
        if not key or key.isdigit():
            return key
        key = self._lookup.get(key, key)
        if not key.isdigit():
            self._labels.setdefault(key, str(value).strip())
        return key

    def resolve_all(self, values: pd.Series) -> pd.Series:
        """:meth:`resolve` for every value, computed once per distinct spelling."""
        distinct = pd.unique(values.to_numpy(dtype=object))
        mapping = {v: self.resolve(v) for v in distinct}
        return values.map(mapping).astype(object)

    def name(self, key: str) -> str:
        if key in self._names:
            return self._names[key]
        if key in self._labels:
            return self._labels[key]
        return municipality_name(key) or key if key.isdigit() else key  # Sweden's official name of a code (bundled), else the key


def municipalities(package) -> pd.DataFrame:
    """The municipalities of a package (see the module docstring): ``municipality`` (key) and ``municipality_name``."""
    resolver = MunicipalityResolver(package)
    return pd.DataFrame({"municipality": resolver.universe, "municipality_name": [resolver.name(k) for k in resolver.universe]}, dtype=object)


def _target_groups(package, projects: pd.DataFrame, efforts: pd.DataFrame) -> tuple[list[str], dict]:
    table = package.tables.get("target_groups")
    ids = text_column(table, "id").tolist() if table is not None else []
    names = dict(zip(ids, text_column(table, "name"))) if table is not None else {}
    named = [i for i in dict.fromkeys(ids) if i]
    extra = set(split_cells(projects["target_groups"])) | (set(split_cells(text_column(efforts, "target_groups"))) if len(efforts) else set())
    return named + sorted(extra - set(named), key=lambda v: (sort_key(v), v)), names


def names_target_groups(package) -> bool:
    """Whether any table names a target group: the ``target_groups`` table, a project or an effort.

    False means nothing can be a white spot, a covered cell or a suggestion, so the work of
    finding them is skipped (Horizon 2020 names none). A quick look at the raw tables: a cell
    holding only ``|`` and spaces names nothing, as :func:`split_cells` reads it; rows that the
    analysis leaves out (a project without id) may still answer True, which only costs time.
    """
    tables = getattr(package, "tables", {})
    for table, column in (("target_groups", "id"), ("projects", "target_groups"), ("efforts", "target_groups")):
        frame = tables.get(table)
        if frame is None or not len(frame) or column not in frame.columns:
            continue
        cells = text_column(frame, column)
        if any(cell.replace("|", "").strip() for cell in pd.unique(cells.to_numpy(dtype=object)).tolist()):
            return True
    return False


Municipalities = MunicipalityResolver  # public name (the map page resolves municipalities as the white spots do)


def _coverage_parts(package, as_of, resolver: MunicipalityResolver, excluded_roles=("benchmark",)):
    """Rows (target_group, municipality, source) of every effort and active project covering a cell."""
    projects = project_frame(package)
    active = pd.Series(timeline.active(projects["status"], projects["start"], projects["end"], as_of), index=projects.index)
    efforts = package.tables.get("efforts")
    efforts = efforts.reset_index(drop=True) if efforts is not None else pd.DataFrame(columns=["id", "target_groups", "municipalities"])
    effort_ids = text_column(efforts, "id")
    groups = split_cells(text_column(efforts, "target_groups")).rename("target_group")
    places = resolver.resolve_all(split_cells(text_column(efforts, "municipalities"))).rename("municipality")
    effort_cells = pd.DataFrame({"target_group": groups}).join(pd.DataFrame({"municipality": places}), how="inner")
    effort_cells["source"] = effort_ids.reindex(effort_cells.index).to_numpy(dtype=object)
    effort_cells["kind"] = "effort"

    addressed = split_cells(projects["target_groups"]).rename("target_group")
    addressed = pd.DataFrame({"project": addressed.index.to_numpy(dtype=object), "target_group": addressed.to_numpy(dtype=object)})
    live = addressed[addressed["project"].map(active).fillna(False).to_numpy(dtype=bool)]
    raw = package.participations.reset_index(drop=True)
    if as_of is not None and len(raw):
        frame = pd.DataFrame({"project": text_column(raw, "project"), "start": date_column(raw, "start"), "end": date_column(raw, "end")})
        # a project's status wins over its dates (timeline): its participations inherit its dates only without status
        by_dates = (projects["status"] == "").to_numpy()
        dates = pd.DataFrame({"id": projects.index.to_numpy(dtype=object), "start": projects["start"].where(by_dates).to_numpy(), "end": projects["end"].where(by_dates).to_numpy()})
        raw = raw[raw.index.isin(active_participations(frame, dates, start=as_of, end=as_of).index)]
    parts = participation_rows(raw, projects, excluded_roles)
    parts = parts[parts["organisation"].map(resolver.is_municipality).fillna(False).to_numpy(dtype=bool)]
    parts = parts.assign(municipality=parts["organisation"].map(resolver.organisation_keys).fillna("").to_numpy(dtype=object))
    parts = parts.loc[parts["municipality"] != "", ["project", "municipality"]].drop_duplicates()
    project_cells = live.merge(parts, on="project")[["target_group", "municipality", "project"]].rename(columns={"project": "source"})
    project_cells["kind"] = "project"
    cells = pd.concat([effort_cells[["target_group", "municipality", "source", "kind"]], project_cells], ignore_index=True)
    return cells.drop_duplicates(ignore_index=True), projects, active, addressed, efforts


def coverage_matrix(package, *, as_of=None, include: tuple[str, ...] = ("effort", "project")) -> pd.DataFrame:
    """Number of efforts and active projects that reach each target group in each municipality.

    Parameters
    ----------
    package : Package
    as_of : date-like, optional
        The day that decides which projects are active; default the latest date in the package.
    include : tuple of {"effort", "project"}
        What to count (both by default).

    Returns
    -------
    pandas.DataFrame
        Index ``target_group`` (ids, see the module docstring for the order), columns
        ``municipality`` keys (codes or names, see the module), int counts; 0 = white spot.
        ``attrs["target_group_names"]`` and ``attrs["municipality_names"]`` map ids and keys to names.

    Examples
    --------
    >>> from samverkan.io.package import empty_package
    >>> pkg = empty_package()
    >>> pkg.tables["target_groups"] = pd.DataFrame({"id": ["unga"], "name": ["Unga"]})
    >>> pkg.tables["efforts"] = pd.DataFrame({"id": ["e1"], "name": ["Sommarjobb"], "organisation": ["x"],
    ...     "target_groups": ["unga"], "municipalities": ["1880|1881"]})
    >>> coverage_matrix(pkg).to_dict("index")  # columns in the order of the names: Kumla (1881), Örebro (1880)
    {'unga': {'1881': 1, '1880': 1}}

    References
    ----------
    Region Örebro (2014), phase 2: white spots (seed document ``000_6eb9809ed9ea75c1.txt``).
    """
    return coverage_matrices(package, as_of=as_of, includes=(tuple(include),))[0]


def coverage_matrices(package, *, as_of=None, includes=(("effort", "project"),), resolver: MunicipalityResolver | None = None) -> list[pd.DataFrame]:
    """:func:`coverage_matrix` for each of `includes`, from one pass over the package.

    The map counts efforts and projects apart; reading the cells once serves both.
    """
    as_of = resolve_as_of(package, as_of)
    resolver = resolver if resolver is not None else MunicipalityResolver(package)
    if not names_target_groups(package):  # no target group, so no cell: only the municipalities are left
        all_cells, groups, names = pd.DataFrame({c: pd.Series([], dtype=object) for c in ("target_group", "municipality", "source", "kind")}), [], {}
    else:
        all_cells, projects, *_, efforts = _coverage_parts(package, as_of, resolver)
        groups, names = _target_groups(package, projects, efforts)
    return [_matrix(all_cells[all_cells["kind"].isin(list(include))], groups, names, resolver) for include in includes]


def _matrix(cells: pd.DataFrame, groups: list, names: dict, resolver: MunicipalityResolver) -> pd.DataFrame:
    counts = cells.groupby(["target_group", "municipality"]).size()
    columns = list(resolver.universe) + sorted(set(cells["municipality"]) - set(resolver.universe))
    matrix = counts.unstack(fill_value=0).reindex(index=groups, columns=columns, fill_value=0) if len(counts) else pd.DataFrame(0, index=groups, columns=columns)
    matrix = matrix.fillna(0).astype(np.int64)
    matrix.index = pd.Index(groups, dtype=object, name="target_group")
    matrix.columns = pd.Index(columns, dtype=object, name="municipality")
    matrix.attrs["target_group_names"] = {g: names.get(g) or g for g in groups}
    matrix.attrs["municipality_names"] = {k: resolver.name(k) for k in columns}
    return matrix


def white_spots(package, *, findings: pd.DataFrame | None = None, as_of=None, include_effort_gaps: bool = True) -> pd.DataFrame:
    """Target groups and municipality × target group cells that nothing, or only weak projects, cover.

    Parameters
    ----------
    package : Package
    findings : DataFrame, optional
        From :func:`~samverkan.metrics.ownership.ownership_findings` (computed with the same
        `as_of` when not given); its ``error`` findings make a project's ownership gap serious.
    as_of : date-like, optional
        The day that decides which projects are active; default the latest date in the package.
    include_effort_gaps : bool
        List cells covered only by projects (``effort-gap``).

    Returns
    -------
    pandas.DataFrame
        Columns ``kind``, ``target_group`` (id), ``target_group_name``, ``municipality`` (key, ``""``
        for target-group kinds), ``municipality_name``, ``detail`` (``|``-joined project ids, see
        the module docstring), ``as_of`` (the day used, or None). No words: the sentences are made
        by :func:`samverkan.text.catalogue.white_spots_in_words`. Ordered by kind, then target
        group, then municipality.

    References
    ----------
    Region Örebro (2014), phase 2: white spots (seed document ``000_6eb9809ed9ea75c1.txt``).
    """
    as_of = resolve_as_of(package, as_of)
    if not names_target_groups(package):  # without target groups there is no white spot of any kind
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in WHITE_SPOT_COLUMNS})
    if findings is None:
        findings = ownership_findings(package, as_of=as_of)
    resolver = MunicipalityResolver(package)
    cells, projects, active, addressed, efforts = _coverage_parts(package, as_of, resolver)
    groups, names = _target_groups(package, projects, efforts)
    rows = []
    by_group = addressed.groupby("target_group", sort=False)["project"].agg(list).to_dict()
    is_active = active.to_dict()
    severe = set(findings.loc[(findings["severity"] == "error") & (findings["project"] != ""), "project"]) if len(findings) else set()
    for g in groups:
        listed = list(dict.fromkeys(by_group.get(g, [])))
        live = [p for p in listed if is_active.get(p, False)]
        if not live:
            idle = [p for p in listed if not is_active.get(p, False)]
            rows.append(("target-group-without-project", g, "", "|".join(idle)))
    for g in groups:
        live = [p for p in dict.fromkeys(by_group.get(g, [])) if is_active.get(p, False)]
        if live and all(p in severe for p in live):
            rows.append(("target-group-only-gap-projects", g, "", "|".join(live)))

    if len(efforts) and len(resolver.universe):
        efforts_by_cell = set(zip(*[cells.loc[cells["kind"] == "effort", c] for c in ("target_group", "municipality")]))
        project_cells = cells[cells["kind"] == "project"]
        projects_by_cell = project_cells.groupby(["target_group", "municipality"], sort=False)["source"].agg(list).to_dict()
        for g in groups:
            for k in resolver.universe:
                if (g, k) in efforts_by_cell:
                    continue
                covering = projects_by_cell.get((g, k), [])
                if not covering:
                    rows.append(("white-spot", g, k, ""))
                elif include_effort_gaps:
                    rows.append(("effort-gap", g, k, "|".join(covering)))

    if not rows:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in WHITE_SPOT_COLUMNS})
    frame = pd.DataFrame(rows, columns=["kind", "target_group", "municipality", "detail"])
    frame["as_of"] = as_of
    kind_rank = {k: n for n, k in enumerate(WHITE_SPOT_KINDS)}
    group_rank = {g: n for n, g in enumerate(groups)}
    place_rank = {k: n for n, k in enumerate(resolver.universe)}
    frame = frame.assign(_k=frame["kind"].map(kind_rank), _g=frame["target_group"].map(group_rank), _m=frame["municipality"].map(place_rank).fillna(-1)).sort_values(["_k", "_g", "_m"], kind="stable")
    frame["target_group_name"] = frame["target_group"].map(lambda g: names.get(g) or g)
    frame["municipality_name"] = frame["municipality"].map(lambda k: resolver.name(k) if k else "")
    return frame[WHITE_SPOT_COLUMNS].reset_index(drop=True).astype(object)
