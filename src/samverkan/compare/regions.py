"""Regions to compare: several packages, or one package split by an organisation attribute.

Two ways to get regions
-----------------------
:func:`regions_from_packages`
    Each package is a region (named after its folder, or a label). An organisation is *of* every
    package that lists it; organisations and projects are matched across packages by id (the
    bundled examples both list Arbetsförmedlingen as ``af``: it is of both regions).
:func:`split_package`
    One package split by an organisations column (``region``, ``municipality``, or an extra column
    such as ``nuts2``, ``nuts3`` or ``country``). Values equal after trimming and case-folding
    are one region, named by their most common spelling ("Småland och öarna" and "Småland och
    Öarna" are one region). Organisations with an empty value belong to no region; they are left
    out of every sub-network and counted in a note.

A region's sub-network
----------------------
The region's organisations; the participations **of those organisations**; the projects with at
least one participant from the region (a project run with partners elsewhere is kept, with only
the region's own participants); the direct ties with both ends in the region; the region's
contacts and efforts; every target group. Partners from elsewhere are not part of the region's
network: they show up in ``outside_share`` and in the inter-region links instead.

The inter-region graph
----------------------
Regions are nodes; regions A and B are linked when an organisation of A and a *different*
organisation of B take part in the same project (with packages as regions: a project whose id both
packages list; an organisation listed in two packages does not make their projects joint) (in the time window, benchmarking roles left out,
as in the projection). A link carries

* ``shared_projects``: the number of such projects;
* ``organisation_pairs``: the number of distinct pairs {a, b} (a of A, b of B, a ≠ b) that share
  at least one project;
* ``organisations_a`` / ``organisations_b``: how many organisations of each side have a partner
  on the other side;
* ``shared_organisations``: organisations that are of both regions (only with packages);
* ``bridging_organisations``: the organisations with the most partners on the other side
  (``top`` of them, default 3), as ``name (partners)``, most partners first.

For each region, ``outside_share`` is the share of its organisations (all of them, also those
without projects) that share a project with an organisation of another region, and
``linked_regions`` the number of regions it is linked to. With ``select``, only the selected
regions are compared, but collaboration with organisations of the other regions still counts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..errors import UsageError
from ..graph.projection import DEFAULT_EXCLUDED_ROLES, active_participations
from ..io.package import Package, read_package
from ..model import canonical_column
from .config import note_text

__all__ = ["Region", "RegionSet", "InterRegion", "regions_from_packages", "split_package", "inter_region", "SPLIT_ALIASES", "load_packages", "region_key_figure_tables", "key_figure_columns"]

# Names a user may give for --by that are not organisations columns themselves.
SPLIT_ALIASES = {"län": "region", "lan": "region", "county": "region", "kommun": "municipality", "land": "country"}


@dataclass
class Region:
    """One region: its name, its sub-network as a package, and the organisations that are of it."""

    name: str
    package: Package
    members: list[str]
    source: str = ""
    whole: Package | None = None  # the package the region was cut from: ownership is judged on whole projects

    @property
    def organisations(self) -> int:
        return len(self.members)


@dataclass
class RegionSet:
    """The regions compared, and everything needed to link them to each other.

    ``membership`` has one row per (organisation, region) an organisation is of, for every region
    (also regions not selected); ``participations``/``projects`` hold all of them combined.
    """

    regions: list[Region]
    membership: pd.DataFrame
    participations: pd.DataFrame
    projects: pd.DataFrame
    names: dict
    by: str | None = None
    notes: list[str] = field(default_factory=list)
    # packages as regions: (project, region) for every project a region's package lists; an
    # organisation of several packages is of a region only in that region's own projects
    project_regions: pd.DataFrame | None = None

    @property
    def labels(self) -> list[str]:
        return [r.name for r in self.regions]


def load_packages(packages) -> list[Package]:
    """Packages as given: :class:`Package` objects are kept, paths are read (``InputError`` on bad data)."""
    out = []
    for item in packages:
        if isinstance(item, Package):
            out.append(item)
        else:
            path = Path(item)
            if not path.exists():
                raise UsageError(f"no such package: {path}; give a folder of CSV files or an .xlsx workbook")
            out.append(read_package(path))
    return out


def _participation_frame(frame: pd.DataFrame) -> pd.DataFrame:
    columns = ["project", "organisation", "role", "start", "end"]
    return frame[columns].copy()


def regions_from_packages(packages, labels=None, *, lang: str = "en") -> RegionSet:
    """Each package is a region.

    Parameters
    ----------
    packages : sequence of Package or path
    labels : sequence of str, optional
        Region names in the same order; by default the package (folder) names.
    lang : {"en", "sv"}
        Language of the notes.

    Raises
    ------
    UsageError
        Fewer than one package, labels of the wrong length, or two regions with the same name.
    """
    packages = load_packages(packages)
    if not packages:
        raise UsageError("give at least one package to compare")
    if labels is not None:
        labels = [str(label).strip() for label in labels]
        if len(labels) != len(packages):
            raise UsageError(f"{len(labels)} labels for {len(packages)} packages: give one label per package")
    else:
        labels = [p.name or f"region {i + 1}" for i, p in enumerate(packages)]
    duplicates = [name for name, n in Counter(labels).items() if n > 1]
    if duplicates:
        raise UsageError(f"two packages are both named '{duplicates[0]}'; give each a label (label = \"...\" in samverkan.toml)")
    if any(not label for label in labels):
        raise UsageError("a region label is empty; give every package a label")
    regions, membership, participations, projects, names, project_lists = [], [], [], [], {}, []
    for package, label in zip(packages, labels):
        members = [str(i) for i in package.organisations["id"]]
        regions.append(Region(label, package, members, source=Path(package.source).name if package.source else package.name, whole=package))  # no user's folders in outputs
        membership.append(pd.DataFrame({"organisation": members, "region": label}))
        participations.append(_participation_frame(package.participations))
        projects.append(package.projects[["id", "start", "end"]])
        project_lists.append(pd.DataFrame({"project": package.projects["id"].astype(str).to_numpy(), "region": label}))
        for key, name in zip(package.organisations["id"], package.organisations["name"]):
            names.setdefault(str(key), str(name) or str(key))
    membership_frame = pd.concat(membership, ignore_index=True).drop_duplicates()
    participation_frame = pd.concat(participations, ignore_index=True).drop_duplicates(["project", "organisation", "role"])
    project_frame = pd.concat(projects, ignore_index=True).drop_duplicates("id")
    notes = []
    shared = membership_frame.groupby("organisation")["region"].nunique()
    shared = shared[shared > 1]
    if len(shared):
        listed = ", ".join(sorted(names.get(o, o) for o in shared.index)[:5])
        notes.append(note_text("shared-organisations", lang, n=len(shared), names=listed + ("…" if len(shared) > 5 else "")))
    project_regions = pd.concat(project_lists, ignore_index=True).drop_duplicates() if project_lists else None
    return RegionSet(regions, membership_frame, participation_frame, project_frame, names, None, notes, project_regions=project_regions)


def resolve_attribute(organisations: pd.DataFrame, by: str) -> str:
    """The organisations column ``by`` stands for (canonical names, Swedish aliases, extra columns)."""
    by = str(by).strip()
    if by in organisations.columns:
        return by
    lowered = {str(c).lower(): c for c in organisations.columns}
    if by.lower() in lowered:
        return lowered[by.lower()]
    alias = SPLIT_ALIASES.get(by.lower())
    if alias and alias in organisations.columns:
        return alias
    canonical = canonical_column("organisations", by)
    if canonical and canonical in organisations.columns:
        return canonical
    usable = [str(c) for c in organisations.columns if c not in ("id", "name", "aliases", "parent")]
    raise UsageError(f"cannot split by '{by}': organisations have no such column; use one of {', '.join(usable)}")


def _clean_values(values: pd.Series) -> pd.Series:
    text = values.astype(object).where(values.notna(), "").map(lambda v: str(v).strip())
    return text.where(~text.str.lower().isin(["nan", "none", "nat", "<na>"]), "")


def split_package(package: Package, by: str, *, select=None, labels=None, lang: str = "en") -> RegionSet:
    """Split one package into regions by an organisations column.

    Parameters
    ----------
    package : Package
    by : str
        An organisations column: ``region``, ``municipality``, ``nuts2``, ``nuts3``, ``country``...
    select : sequence of str, optional
        Compare only these values (matched after case-folding); the other regions still count as
        "elsewhere" for ``outside_share`` and links.
    labels : mapping of str to str, optional
        Display names for values (``{"SE": "Sverige"}``).
    lang : {"en", "sv"}
        Language of the notes.

    Raises
    ------
    UsageError
        No such column, no organisation with a value, or a selected value that no organisation has.

    Examples
    --------
    >>> from samverkan.io.package import empty_package
    >>> p = empty_package("demo")
    >>> p.tables["organisations"] = pd.DataFrame({"id": ["a", "b", "c"], "name": ["A", "B", "C"], "region": ["X", "x ", "Y"]})
    >>> p.tables["participations"] = pd.DataFrame({"project": ["p", "p", "p"], "organisation": ["a", "b", "c"], "role": "partner", "start": pd.NaT, "end": pd.NaT})
    >>> p.tables["projects"] = pd.DataFrame({"id": ["p"], "name": ["P"], "start": pd.NaT, "end": pd.NaT})
    >>> [(r.name, r.members) for r in split_package(p, "region").regions]
    [('X', ['a', 'b']), ('Y', ['c'])]
    """
    organisations = package.organisations.reset_index(drop=True)
    column = resolve_attribute(organisations, by)
    values = _clean_values(organisations[column])
    keys = values.str.casefold()
    assigned = values != ""
    if not assigned.any():
        raise UsageError(f"no organisation has a value in '{column}'; fill in the column or split by another one")
    # the label of a key is its most common spelling (then the first in sort order)
    spelling = pd.DataFrame({"key": keys[assigned], "value": values[assigned]})
    counts = spelling.groupby(["key", "value"]).size().reset_index(name="n").sort_values(["key", "n", "value"], ascending=[True, False, True])
    label_of = dict(zip(counts.drop_duplicates("key")["key"], counts.drop_duplicates("key")["value"]))
    notes = []
    merged = counts.groupby("key")["value"].nunique()
    for key in merged[merged > 1].index:
        variants = sorted(counts.loc[counts["key"] == key, "value"])
        notes.append(note_text("merged-values", lang, column=column, variants=", ".join(repr(v) for v in variants), label=label_of[key]))
    if labels:
        label_of = {k: str(labels.get(v, labels.get(k, v))) for k, v in label_of.items()}
    unassigned = int((~assigned).sum())
    if unassigned:
        notes.append(note_text("unassigned", lang, n=unassigned, column=column))
    org_ids = organisations["id"].astype(str)
    membership = pd.DataFrame({"organisation": org_ids[assigned].to_numpy(), "region": keys[assigned].map(label_of).to_numpy()})
    all_keys = sorted(label_of, key=lambda k: (label_of[k].casefold(), label_of[k]))
    if select is not None:
        wanted = [str(s).strip().casefold() for s in select]
        by_label = {label_of[k].casefold(): k for k in label_of}
        missing = [s for s, w in zip(select, wanted) if w not in label_of and w not in by_label]
        if missing:
            raise UsageError(f"no organisation has {column} = '{missing[0]}'; the values are: {', '.join(label_of[k] for k in all_keys[:20])}{'…' if len(all_keys) > 20 else ''}")
        chosen = {w if w in label_of else by_label[w] for w in wanted}
        region_keys = [k for k in all_keys if k in chosen]
    else:
        region_keys = all_keys

    region_of_org = pd.Series(keys.to_numpy(), index=org_ids.to_numpy())
    participations = package.participations
    part_key = participations["organisation"].astype(str).map(region_of_org).fillna("")
    projects = package.projects
    project_pos = pd.Index(projects["id"].astype(str))
    ties = package.ties
    tie_source = ties["source"].astype(str).map(region_of_org) if len(ties) else pd.Series([], dtype=object)
    tie_target = ties["target"].astype(str).map(region_of_org) if len(ties) else pd.Series([], dtype=object)
    contacts = package.contacts
    contact_key = contacts["organisation"].astype(str).map(region_of_org) if len(contacts) else pd.Series([], dtype=object)
    efforts = package.efforts
    effort_key = efforts["organisation"].astype(str).map(region_of_org) if len(efforts) else pd.Series([], dtype=object)
    org_groups = dict(iter(pd.Series(np.arange(len(keys)))[assigned.to_numpy()].groupby(keys[assigned].to_numpy())))
    part_groups = {k: idx.to_numpy() for k, idx in pd.Series(np.arange(len(part_key))).groupby(part_key.to_numpy()) if k}

    regions = []
    for key in region_keys:
        rows = part_groups.get(key, np.array([], dtype=int))
        sub_parts = participations.iloc[rows]
        wanted_projects = pd.unique(sub_parts["project"].astype(str))
        positions = np.sort(project_pos.get_indexer(wanted_projects))
        positions = positions[positions >= 0]
        tables = dict(package.tables)
        tables["organisations"] = organisations.iloc[org_groups[key].to_numpy()].reset_index(drop=True)
        tables["participations"] = sub_parts.reset_index(drop=True)
        tables["projects"] = projects.iloc[positions].reset_index(drop=True)
        tables["ties"] = ties[((tie_source == key) & (tie_target == key)).to_numpy()].reset_index(drop=True) if len(ties) else ties
        tables["contacts"] = contacts[(contact_key == key).to_numpy()].reset_index(drop=True) if len(contacts) else contacts
        tables["efforts"] = efforts[(effort_key == key).to_numpy()].reset_index(drop=True) if len(efforts) else efforts
        label = label_of[key]
        sub = Package(tables, source=package.source, name=label)
        members = tables["organisations"]["id"].astype(str).tolist()
        regions.append(Region(label, sub, members, source=f"{column} = {label}", whole=package))
    names = dict(zip(org_ids, organisations["name"].astype(str).where(organisations["name"].astype(str) != "", org_ids)))
    return RegionSet(
        regions,
        membership,
        _participation_frame(participations),
        projects[["id", "start", "end"]],
        names,
        column,
        notes,
    )


@dataclass
class InterRegion:
    """Links between regions and, per region, how much it collaborates with organisations elsewhere."""

    links: pd.DataFrame
    per_region: pd.DataFrame  # region, outside_organisations, outside_share, linked_regions


LINK_COLUMNS = ["region_a", "region_b", "shared_projects", "organisation_pairs", "organisations_a", "organisations_b", "shared_organisations", "bridging_organisations"]


def inter_region(region_set: RegionSet, *, start=None, end=None, top: int = 3, exclude_roles=DEFAULT_EXCLUDED_ROLES) -> InterRegion:
    """The inter-region graph and each region's outside collaboration (definitions in the module docstring).

    Links are kept when at least one end is a compared region; regions are ordered as compared
    (then the others by name), and ``region_a`` comes first in that order.
    """
    compared = region_set.labels
    membership = region_set.membership
    others = sorted(set(membership["region"]) - set(compared), key=lambda s: (s.casefold(), s))
    order = compared + others
    region_pos = {name: i for i, name in enumerate(order)}
    parts = active_participations(region_set.participations, region_set.projects, start=start, end=end)
    parts = parts[~parts["role"].isin(list(exclude_roles))]
    parts = parts.assign(organisation=parts["organisation"].astype(str), project=parts["project"].astype(str)).drop_duplicates(["project", "organisation"])
    member_rows = membership[membership["organisation"].isin(set(parts["organisation"]))].reset_index(drop=True)
    empty_links = pd.DataFrame({c: pd.Series([], dtype=object if c in ("region_a", "region_b", "bridging_organisations") else np.int64) for c in LINK_COLUMNS})
    per_region = pd.DataFrame({"region": compared, "outside_organisations": 0, "outside_share": np.nan, "linked_regions": 0})
    sizes = {r.name: r.organisations for r in region_set.regions}
    per_region["outside_share"] = [0.0 if sizes[r] else np.nan for r in compared]
    if member_rows.empty or parts.empty:
        return InterRegion(empty_links, per_region)

    org_index = pd.Index(pd.unique(parts["organisation"]))
    project_index = pd.Index(pd.unique(parts["project"]))
    B = sp.csr_matrix(
        (np.ones(len(parts), dtype=np.int32), (org_index.get_indexer(parts["organisation"]), project_index.get_indexer(parts["project"]))),
        shape=(len(org_index), len(project_index)),
    )
    row_org = org_index.get_indexer(member_rows["organisation"]).astype(np.int64)
    row_region = member_rows["region"].map(region_pos).to_numpy(dtype=np.int64)
    X = B[row_org]  # membership rows × projects
    if region_set.project_regions is not None:
        # packages as regions: a project is joint only when the same project id is in both
        # packages; an organisation listed in two packages does not make their projects joint
        pr = region_set.project_regions
        pr = pr[pr["project"].isin(project_index) & pr["region"].isin(region_pos)]
        listed = sp.csr_matrix(
            (np.ones(len(pr), dtype=np.int32), (pr["region"].map(region_pos).to_numpy(dtype=np.int64), project_index.get_indexer(pr["project"]))), shape=(len(order), len(project_index))
        )
        X = X.multiply(listed[row_region]).tocsr()
        X.eliminate_zeros()
    pairs = sp.triu(X @ X.T, k=1).tocoo()
    a, b = pairs.row.astype(np.int64), pairs.col.astype(np.int64)
    keep = (row_org[a] != row_org[b]) & (row_region[a] != row_region[b])
    a, b = a[keep], b[keep]
    ra, rb = row_region[a], row_region[b]
    oa, ob = row_org[a], row_org[b]
    swap = ra > rb
    ra, rb = np.where(swap, rb, ra), np.where(swap, ra, rb)
    oa, ob = np.where(swap, ob, oa), np.where(swap, oa, ob)
    cross = pd.DataFrame({"ra": ra, "rb": rb, "oa": oa, "ob": ob})
    cross = cross.assign(lo=np.minimum(cross["oa"], cross["ob"]), hi=np.maximum(cross["oa"], cross["ob"]))
    n_compared = len(compared)
    cross = cross[(cross["ra"] < n_compared)]  # ra < rb, so at least one end is compared
    if cross.empty:
        return InterRegion(empty_links, per_region)

    # shared projects: regions × projects presence, then the degenerate case of one organisation of both regions
    R = sp.csr_matrix((np.ones(len(row_org), dtype=np.int32), (row_region, np.arange(len(row_org)))), shape=(len(order), len(row_org))) @ X
    R = R.tocsr()
    present = R.copy()
    present.data[:] = 1
    shared_projects = (present @ present.T).tocsr()
    correction = _same_organisation_only(member_rows, row_org, row_region, B, R)

    keys = ["ra", "rb"]
    links = cross.drop_duplicates(["ra", "rb", "lo", "hi"]).groupby(keys).size().rename("organisation_pairs").to_frame()
    links["organisations_a"] = cross.drop_duplicates(["ra", "rb", "oa"]).groupby(keys).size()
    links["organisations_b"] = cross.drop_duplicates(["ra", "rb", "ob"]).groupby(keys).size()
    links = links.reset_index()
    ra_links = links["ra"].to_numpy(dtype=np.int64)
    rb_links = links["rb"].to_numpy(dtype=np.int64)
    links["shared_projects"] = np.asarray(shared_projects[ra_links, rb_links]).ravel().astype(np.int64) - np.array([correction.get((a, b), 0) for a, b in zip(ra_links, rb_links)], dtype=np.int64)
    links["shared_organisations"] = _shared_organisations(membership, region_pos, ra_links, rb_links)
    # bridging organisations: most partners on the other side first, then by name
    partners = pd.concat(
        [
            cross[["ra", "rb", "oa", "ob"]].set_axis(["ra", "rb", "org", "partner"], axis=1),
            cross[["ra", "rb", "ob", "oa"]].set_axis(["ra", "rb", "org", "partner"], axis=1),
        ],
        ignore_index=True,
    ).drop_duplicates()
    counts = partners.groupby(["ra", "rb", "org"]).size().reset_index(name="n")
    ids = org_index.to_numpy(dtype=object)
    org_names = np.array([region_set.names.get(str(i), str(i)) for i in ids], dtype=object)
    counts["name"] = org_names[counts["org"].to_numpy()]
    counts = counts.sort_values(["ra", "rb", "n", "name"], ascending=[True, True, False, True], kind="mergesort")
    top_rows = counts.groupby(keys, sort=False).head(top)
    labels = top_rows["name"].astype(str) + " (" + top_rows["n"].astype(str) + ")"
    bridging = labels.groupby([top_rows["ra"], top_rows["rb"]], sort=False).agg("; ".join).rename("bridging_organisations")
    links = links.merge(bridging.reset_index(), on=keys, how="left")
    links["bridging_organisations"] = links["bridging_organisations"].fillna("")
    links["region_a"] = [order[i] for i in ra_links]
    links["region_b"] = [order[i] for i in rb_links]
    link_frame = links.sort_values(["shared_projects", "organisation_pairs", "ra", "rb"], ascending=[False, False, True, True], kind="mergesort")[LINK_COLUMNS].reset_index(drop=True)

    # per region: organisations with a partner of another region, and the regions it is linked to
    ends = pd.concat([cross[["ra", "oa", "rb"]].set_axis(["r", "o", "other"], axis=1), cross[["rb", "ob", "ra"]].set_axis(["r", "o", "other"], axis=1)], ignore_index=True)
    outside = ends.drop_duplicates(["r", "o"]).groupby("r").size()
    linked = ends.drop_duplicates(["r", "other"]).groupby("r").size()
    per_region["outside_organisations"] = [int(outside.get(i, 0)) for i in range(n_compared)]
    per_region["outside_share"] = [outside.get(i, 0) / sizes[name] if sizes[name] else np.nan for i, name in enumerate(compared)]
    per_region["linked_regions"] = [int(linked.get(i, 0)) for i in range(n_compared)]
    return InterRegion(link_frame, per_region)


def _shared_organisations(membership: pd.DataFrame, region_pos: dict, ra: np.ndarray, rb: np.ndarray) -> np.ndarray:
    """For each link (ra, rb), the organisations that are of both regions (only with packages)."""
    out = np.zeros(len(ra), dtype=np.int64)
    positions = membership.assign(r=membership["region"].map(region_pos))
    multi = positions[positions.groupby("organisation")["r"].transform("size") > 1]
    if multi.empty:
        return out
    both = multi.merge(multi, on="organisation")
    both = both[both["r_x"] < both["r_y"]].groupby(["r_x", "r_y"]).size()
    for k, (a, b) in enumerate(zip(ra, rb)):
        out[k] = int(both.get((int(a), int(b)), 0))
    return out


def _same_organisation_only(member_rows, row_org, row_region, B, R) -> dict:
    """Projects counted as shared by A and B only because one organisation of both is their sole member there."""
    correction: dict = {}
    multi = member_rows.groupby("organisation")["region"].transform("size").to_numpy() > 1
    if not multi.any():
        return correction
    for org in np.unique(row_org[multi]):
        regions = np.sort(row_region[row_org == org])
        projects = B[org].indices
        if not len(projects):
            continue
        counts = R[regions][:, projects].toarray()
        sole = counts == 1
        for x in range(len(regions)):
            for y in range(x + 1, len(regions)):
                n = int((sole[x] & sole[y]).sum())
                if n:
                    key = (int(regions[x]), int(regions[y]))
                    correction[key] = correction.get(key, 0) + n
    return correction


def region_key_figure_tables(region_set: RegionSet) -> dict[str, pd.DataFrame]:
    """Each region's key figures (:func:`samverkan.metrics.key_figures.region_key_figures`), by region name.

    A package compared as a region: the county's own value when its table holds exactly one
    county, else the median over the package's municipalities (``how`` says which). A region cut
    from one package (``--by``): only the rows of its own county (when the region's name is a
    county, e.g. "Västerbottens län") and of its own municipalities count, so one county's value
    never stands for another's.
    """
    from ..geo.names import county_code
    from ..io.key_figures import key_figures_of
    from ..metrics.key_figures import region_key_figures
    from ..metrics.white_spots import municipalities as package_municipalities

    out = {}
    for region in region_set.regions:
        figures = key_figures_of(region.package)
        if figures.empty:
            out[region.name] = region_key_figures(region.package, figures)
            continue
        places = package_municipalities(region.package)["municipality"].astype(str).tolist()
        if region.whole is not None:
            county = county_code(region.name)
            figures = figures[figures["area"].isin(set(places) | ({county} if county else set()))]
        out[region.name] = region_key_figures(region.package, figures, municipalities=places)
    return out


def key_figure_columns(tables: dict[str, pd.DataFrame], regions: list[str], *, gender: str = "T") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Comparison columns ``kf_<indicator>`` (each region's latest value; rankable with ``--rank-by``)
    and the long table ``key_figures.csv`` of a comparison (region, indicator, period, value, how, n_areas, rank).

    Only gender `gender` (T, the total, by default) enters the columns; the long table has every row.
    """
    from ..metrics.key_figures import rank_regions as rank_by_key_figure

    frames = [t.assign(region=name) for name, t in tables.items() if len(t)]
    long = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["region", "indicator", "indicator_name", "unit", "period", "gender", "value", "how", "n_areas", "areas"])
    long = long[["region"] + [c for c in long.columns if c != "region"]]
    columns = pd.DataFrame({"region": regions})
    for indicator in sorted(set(long["indicator"].astype(str))) if len(long) else []:
        ranked = rank_by_key_figure(tables, indicator, gender=gender).set_index("region")
        columns[f"kf_{indicator}"] = [float(ranked.at[r, "value"]) if r in ranked.index else np.nan for r in regions]
        columns[f"kf_{indicator}_period"] = [str(ranked.at[r, "period"]) if r in ranked.index else "" for r in regions]
        columns[f"kf_{indicator}_how"] = [str(ranked.at[r, "how"]) if r in ranked.index else "" for r in regions]
        columns[f"kf_{indicator}_n"] = [int(ranked.at[r, "n_areas"]) if r in ranked.index else 0 for r in regions]
    return columns, long
