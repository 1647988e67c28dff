"""Ownership and steering gaps in projects: who owns the change, who steers it, who takes up the results.

The Örebro pre-study (2014) names the lessons of the previous ESF programme period: weak
ownership and steering in projects, changes not owned by those who must carry them out, and
results nobody takes up. :func:`ownership_findings` turns those lessons into rules that run on
the participations of a package (who takes part in which project, in which role) and returns one
row per finding, with the facts that triggered it (the words are made by :mod:`samverkan.text`).

Rules
-----
Each rule has a stable English code, a default severity (``error`` = a serious gap, ``warning``,
``info``; override with ``severities=``) and a definition. *Organisations* are distinct
organisation ids; participations in an excluded role (benchmarking by default) never count.

================================  ========  ===============================================================
rule                              severity  fires when
================================  ========  ===============================================================
``no-owner``                      error     no organisation has the role ``owner`` in the project, nor in
                                            any ancestor project (sub-projects inherit, see below)
``owner-from-parent``             info      a sub-project has no owner of its own and inherits its nearest
                                            ancestor's owner(s)
``multiple-owners``               warning   two or more organisations are ``owner`` of the project itself
``no-steering-group``             error     no organisation has the role ``steering`` in the project, nor in
                                            any ancestor project
``steering-from-parent``          info      a sub-project has no steering group of its own and is covered
                                            by its nearest ancestor's
``owner-not-in-steering``         warning   an (effective) owner organisation is not in the (effective)
                                            steering group; only when both exist, and not when both are
                                            inherited (the ancestor's finding covers it)
``implementers-outside-steering`` warning   at least ``implementers_outside_min`` organisations in the
                                            project's own ``working``/``lead`` roles are absent from its
                                            (effective) steering group; only when a steering group exists
``role-without-contact``          info      an organisation has an ``owner``/``lead``/``steering`` role in
                                            the project and none of its participations in that role names
                                            a contact; one finding per project listing them all
``key-person-dependency``         warning   (a) one contact carries every participation of an organisation,
                                            across at least ``key_person_min_projects`` projects: one finding
                                            per organisation, with ``project`` empty; or (b) one contact
                                            carries more than ``key_person_project_share`` of a project's
                                            participations, in projects with at least
                                            ``key_person_min_participations`` participations
``single-organisation-project``   warning   at most ``single_organisation_max`` distinct organisations take
                                            part in the project
``ended-without-receiver``        warning   see below
================================  ========  ===============================================================

Sub-projects (``projects.parent``)
----------------------------------
A sub-project without an owner of its own is owned by its nearest ancestor that has one; a
sub-project without a steering group of its own is steered by its nearest ancestor's steering
group. Inheritance gives an ``info`` finding instead of ``no-owner``/``no-steering-group``, and
the inherited owners and steering group are used by ``owner-not-in-steering`` and
``implementers-outside-steering``. ``inherit_from_parent=False`` in the thresholds turns it off.

Partners listed in part (``projects.partial``)
----------------------------------------------
When a table lists only some of a project's partners (the Swedish partners of an Interreg
project), ``no-owner``, ``no-steering-group``, ``single-organisation-project`` and
``ended-without-receiver`` are ``info`` on that project and say so: the missing role may lie with
a partner the data does not list.

Ended without receiver (a heuristic, "as far as the data shows")
---------------------------------------------------------------
A project *has ended* at ``as_of`` as :func:`samverkan.timeline.ended` decides (the data's status
wins; the end date decides only where status is missing); cancelled projects are left out. The rule looks at top-level projects only: a
sub-project's results belong to its top-level project. An ended project P *has a receiver* when
one of its owner or steering organisations is ``owner`` or ``steering`` in another project Q outside
P's family (P and its sub-projects), Q not cancelled, where Q is *later or ongoing*: Q starts after
P starts, or Q ends after P ends, or Q has not ended at ``as_of`` (status planned/active/empty and
not ended by the same rule). The rule fires for ended projects without a receiver, including
those with neither owner nor steering group. A receiver in the data does not prove that results
were taken up, and a receiver outside the data is not seen.

``as_of``
---------
Defaults to the latest date in the package (project and participation start and end dates), never
the wall clock, so the same package always gives the same findings. Without any date, only the
statuses are used.

References
----------
Brulin, G. & Svensson, L. (2012). Managing Sustainable Development Programmes: A Learning Approach
to Change. Gower (ownership, steering and the uptake of results in Swedish ESF and regional
development projects).
Region Örebro (2014). Socialfonden och kompetensförsörjning i Region Örebro, spår 1 (the seed
document ``000_6eb9809ed9ea75c1.txt``): lessons from the 2007–2013 programme period.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import timeline

__all__ = [
    "OwnershipThresholds",
    "DEFAULT_THRESHOLDS",
    "RULES",
    "SEVERITIES",
    "SEVERITY_ORDER",
    "FINDING_COLUMNS",
    "PROJECT_TABLE_COLUMNS",
    "ownership_findings",
    "project_table",
    "default_as_of",
    "project_frame",
    "active_projects",
]

RULES = (
    "no-owner",
    "owner-from-parent",
    "multiple-owners",
    "no-steering-group",
    "steering-from-parent",
    "owner-not-in-steering",
    "implementers-outside-steering",
    "role-without-contact",
    "key-person-dependency",
    "single-organisation-project",
    "ended-without-receiver",
)

SEVERITIES = {
    "no-owner": "error",
    "owner-from-parent": "info",
    "multiple-owners": "warning",
    "no-steering-group": "error",
    "steering-from-parent": "info",
    "owner-not-in-steering": "warning",
    "implementers-outside-steering": "warning",
    "role-without-contact": "info",
    "key-person-dependency": "warning",
    "single-organisation-project": "warning",
    "ended-without-receiver": "warning",
}

SEVERITY_ORDER = ("error", "warning", "info")
MAX_DEPTH = 1000  # levels of sub-projects followed upwards
FINDING_COLUMNS = ["rule", "severity", "project", "project_name", "organisations", "facts"]
PROJECT_TABLE_COLUMNS = [
    "id",
    "name",
    "parent",
    "start",
    "end",
    "status",
    "organisations",
    "owners",
    "owner_names",
    "leads",
    "lead_names",
    "steering",
    "working",
    "findings",
    "worst_severity",
]


@dataclass(frozen=True)
class OwnershipThresholds:
    """Thresholds and role sets of the ownership rules; every default is documented in the module.

    Attributes
    ----------
    key_person_min_projects : int
        ``key-person-dependency`` (a): an organisation whose participations in at least this many
        distinct projects are all carried by one contact (default 2).
    key_person_project_share : float
        ``key-person-dependency`` (b): one contact carries strictly more than this share of a
        project's participations (default 0.5).
    key_person_min_participations : int
        ``key-person-dependency`` (b) applies to projects with at least this many participations
        (default 3).
    single_organisation_max : int
        ``single-organisation-project`` fires for projects with at most this many distinct
        organisations (default 1).
    implementers_outside_min : int
        ``implementers-outside-steering`` fires when at least this many implementing organisations
        are outside the steering group (default 1).
    excluded_roles : tuple of str
        Roles that never count as taking part (default: benchmarking).
    contact_roles : tuple of str
        Roles that should name a contact person (``role-without-contact``).
    implementer_roles : tuple of str
        Roles of the organisations that carry out the change (``implementers-outside-steering``).
    receiver_roles : tuple of str
        Roles that can take up results (``ended-without-receiver``).
    inherit_from_parent : bool
        Sub-projects inherit owner and steering group from their nearest ancestor (default True).
    """

    key_person_min_projects: int = 2
    key_person_project_share: float = 0.5
    key_person_min_participations: int = 3
    single_organisation_max: int = 1
    implementers_outside_min: int = 1
    excluded_roles: tuple[str, ...] = ("benchmark",)
    contact_roles: tuple[str, ...] = ("owner", "lead", "steering")
    implementer_roles: tuple[str, ...] = ("lead", "working")
    receiver_roles: tuple[str, ...] = ("owner", "steering")
    inherit_from_parent: bool = True


DEFAULT_THRESHOLDS = OwnershipThresholds()


# ----------------------------------------------------------------------------------------------
# Table access shared with white_spots


def text_column(frame: pd.DataFrame, column: str) -> pd.Series:
    """A text column as object strings, stripped, ``""`` where empty or absent."""
    if column not in frame.columns:
        return pd.Series([""] * len(frame), index=frame.index, dtype=object)
    values = frame[column].to_numpy(dtype=object)
    if pd.api.types.infer_dtype(values, skipna=False) == "string":  # all str: only stripping is left
        return pd.Series(list(map(str.strip, values.tolist())), index=frame.index, dtype=object)
    text = ["" if v is None or v is pd.NA or (isinstance(v, float) and v != v) else (v if isinstance(v, str) else str(v)).strip() for v in values]
    return pd.Series(text, index=frame.index, dtype=object)


def date_column(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    return pd.to_datetime(frame[column], errors="coerce")


def default_as_of(package) -> pd.Timestamp | None:
    """The latest start or end date of any project or participation; None when there is none."""
    candidates = []
    for table in ("projects", "participations"):
        frame = package.tables.get(table)
        if frame is None:
            continue
        for column in ("start", "end"):
            latest = date_column(frame, column).max()
            if pd.notna(latest):
                candidates.append(pd.Timestamp(latest))
    return max(candidates) if candidates else None


def resolve_as_of(package, as_of) -> pd.Timestamp | None:
    if as_of is None:
        return default_as_of(package)
    return pd.Timestamp(as_of).normalize()


def _nearest(index: pd.Index, parent: pd.Series, has: np.ndarray) -> pd.Series:
    """For each project the nearest of itself and its ancestors where `has` holds (None if none).

    One vectorised step per level of ancestry; chains are followed up to ``MAX_DEPTH`` levels, so a
    cycle of parents (which the reader rejects) ends as "none found" instead of looping.
    """
    ids = index.to_numpy(dtype=object)
    source = pd.Series(np.where(has, ids, None), index=index, dtype=object)
    has_by_id = pd.Series(has, index=index)
    current = parent.where(parent != "", None).astype(object)
    for _ in range(min(len(index), MAX_DEPTH) + 1):
        pending = source.isna().to_numpy() & current.notna().to_numpy()
        if not pending.any():
            break
        ancestors = current[pending]
        hit = has_by_id.reindex(ancestors.to_numpy()).fillna(False).to_numpy(dtype=bool)
        source.loc[ancestors.index[hit]] = ancestors.to_numpy()[hit]
        step = ancestors.map(parent)
        current.loc[ancestors.index] = step.where(step.notna() & (step != ""), None).to_numpy()
        current.loc[ancestors.index[hit]] = None
    return source


def project_frame(package) -> pd.DataFrame:
    """The projects indexed by id: name, parent (``""`` when absent or unknown), start, end, status, root.

    ``root`` is the top-level ancestor (the project itself when it has no parent, or when its
    parents form a cycle).
    """
    raw = package.projects.reset_index(drop=True)
    ids = text_column(raw, "id")
    keep = (ids != "") & ~ids.duplicated()
    raw, ids = raw[keep.to_numpy()], ids[keep]
    index = pd.Index(ids.to_numpy(dtype=object), name="id")
    parent = text_column(raw, "parent").to_numpy(dtype=object)
    valid = pd.Index(index).get_indexer(parent) >= 0
    parent = np.where(valid & (parent != index.to_numpy(dtype=object)), parent, "")
    frame = pd.DataFrame(
        {
            "name": text_column(raw, "name").to_numpy(dtype=object),
            "parent": parent.astype(object),
            "start": date_column(raw, "start").to_numpy(),
            "end": date_column(raw, "end").to_numpy(),
            "status": text_column(raw, "status").str.lower().to_numpy(dtype=object),
            "target_groups": text_column(raw, "target_groups").to_numpy(dtype=object),
        },
        index=index,
    )
    root = _nearest(index, frame["parent"], (frame["parent"] == "").to_numpy())
    frame["root"] = root.where(root.notna(), pd.Series(index.to_numpy(dtype=object), index=index)).astype(object)
    return frame


def _ended(projects: pd.DataFrame, as_of) -> np.ndarray:
    # one rule for ownership and white spots: the data's status wins, dates decide where it is missing
    return timeline.ended(projects["status"], projects["start"], projects["end"], as_of)


def active_projects(projects: pd.DataFrame, as_of) -> pd.Series:
    """Whether each project (a :func:`project_frame`) is active at `as_of`.

    A project with a start or end date is active when ``start ≤ as_of ≤ end`` (a missing bound is
    open), except that status ``ended`` without an end date means it is over. A project without
    dates is active when its status is ``active``, ``planned`` or empty. ``cancelled`` is never
    active. With ``as_of`` None only the status is used.
    """
    status = projects["status"].to_numpy(dtype=object)
    by_status = np.isin(status, ["", "active", "planned"])
    if as_of is None:
        return pd.Series(by_status, index=projects.index)
    start, end = projects["start"], projects["end"]
    dated = (start.notna() | end.notna()).to_numpy()
    by_dates = ((start.isna() | (start <= as_of)) & (end.isna() | (end >= as_of))).to_numpy(dtype=bool, copy=True)
    by_dates &= ~(end.isna().to_numpy() & (status == "ended"))
    active = np.where(dated, by_dates, by_status) & (status != "cancelled")
    return pd.Series(active, index=projects.index)


def participation_rows(raw: pd.DataFrame, projects: pd.DataFrame, excluded_roles) -> pd.DataFrame:
    """Participations (project, organisation, contact, role) of known projects, excluded roles dropped, deduplicated."""
    return _participations(raw, projects, excluded_roles).frame


@dataclass
class _Participations:
    """:func:`participation_rows` and, for each of its rows, integer codes: the project's position in
    the projects, and the organisation, contact and role as codes into their distinct texts.

    The table of texts (:attr:`frame`) is made when first read: most rules read only the codes, and
    typing four text columns of H2020's 145,000 rows costs more than the rules that need none.
    """

    texts: dict  # column -> (codes by row, distinct texts): the frame's columns
    position: np.ndarray
    organisation: np.ndarray
    organisations: np.ndarray
    contact: np.ndarray
    contacts: np.ndarray
    role: np.ndarray
    roles: np.ndarray
    _frame: pd.DataFrame | None = None

    @property
    def frame(self) -> pd.DataFrame:
        if self._frame is None:
            self._frame = pd.DataFrame({column: values[codes] for column, (codes, values) in self.texts.items()})
        return self._frame


def _participations(raw: pd.DataFrame, projects: pd.DataFrame, excluded_roles) -> _Participations:
    columns = ("project", "organisation", "contact", "role")
    coded = {column: _text_codes(raw, column) for column in columns}  # text as in text_column, as codes
    (project, projects_named), (organisation, organisations), (contact, contacts), (role, roles) = coded.values()
    position = projects.index.get_indexer(projects_named)[project]  # the index is unique
    dropped = pd.Index(roles).isin(list(excluded_roles))[role]
    keep = np.flatnonzero((position >= 0) & (organisations != "")[organisation] & ~dropped)
    # the first of equal rows stays: compared as integer codes, which is quicker than as text
    codes = (position[keep], organisation[keep], contact[keep], role[keep])
    sizes = (len(projects), len(organisations), len(contacts), len(roles))
    if np.prod([float(n) for n in sizes]) < 2.0**62:  # one integer per row
        key = np.zeros(len(keep), dtype=np.int64)
        for code, n in zip(codes, sizes):
            key = key * n + code
        first = ~pd.Series(key).duplicated().to_numpy()
    else:
        first = ~pd.DataFrame(dict(zip(columns, codes))).duplicated().to_numpy()
    rows = keep[first]
    texts = {column: (codes_of[rows], values) for column, (codes_of, values) in coded.items()}
    return _Participations(texts, position[rows], organisation[rows], organisations, contact[rows], contacts, role[rows], roles)


def _text_codes(frame: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    """A text column as :func:`text_column` reads it, as codes into its distinct values: ``values[codes]`` is the text.

    Stripping and comparing distinct values only is quicker than per row, as ids repeat.
    """
    raw = frame[column].to_numpy(dtype=object) if column in frame.columns else None
    codes, distinct = pd.factorize(raw) if raw is not None else (None, None)  # missing values (None, NaN) get -1, which picks the "" put last
    distinct = distinct.tolist() if raw is not None else None
    if raw is None or not all(type(v) is str for v in distinct) or not all(v is None or v is pd.NA or (isinstance(v, float) and v != v) for v in raw[codes < 0].tolist()):
        # other values (1 and 1.0 are one to factorize, NaT is missing to it and "NaT" as text): as text_column reads them
        codes, values = pd.factorize(text_column(frame, column).to_numpy(dtype=object))
        return codes, values.astype(object)
    stripped = [*map(str.strip, distinct), ""]
    merged, values = pd.factorize(np.array(stripped, dtype=object))
    return merged[codes], values.astype(object)


def _pairs(parts: pd.DataFrame, roles) -> pd.DataFrame:
    return parts.loc[parts["role"].isin(list(roles)), ["project", "organisation"]].drop_duplicates().reset_index(drop=True)


def _pair_rows(coded: _Participations, roles=None) -> np.ndarray:
    """The rows of the first of each (project, organisation) pair, in `roles` (all roles when None), in row order."""
    rows = np.arange(len(coded.position)) if roles is None else np.flatnonzero(np.isin(coded.roles, list(roles))[coded.role])
    pair = coded.position[rows].astype(np.int64) * max(len(coded.organisations), 1) + coded.organisation[rows]
    return rows[~pd.Series(pair).duplicated().to_numpy()]


def _coded_pairs(coded: _Participations, ids: np.ndarray, roles) -> pd.DataFrame:
    """:func:`_pairs` from the codes (no text compared): ``ids`` are the projects' ids by position."""
    rows = _pair_rows(coded, roles)
    return pd.DataFrame({"project": ids[coded.position[rows]], "organisation": coded.organisations[coded.organisation[rows]]})


def _anti(left: pd.DataFrame, right: pd.DataFrame, on=("project", "organisation")) -> pd.DataFrame:
    merged = left.merge(right[list(on)].drop_duplicates(), on=list(on), how="left", indicator=True)
    return merged.loc[merged["_merge"] == "left_only", left.columns].reset_index(drop=True)


def _lists(pairs: pd.DataFrame, key: str = "project", value: str = "organisation") -> dict:
    """``{key: [values in row order]}``, keys in order of first appearance (vectorised grouping)."""
    if pairs.empty:
        return {}
    codes, uniques = pd.factorize(pairs[key].to_numpy(dtype=object))
    values = pairs[value].to_numpy(dtype=object)[np.argsort(codes, kind="stable")].tolist()
    ends = np.cumsum(np.bincount(codes, minlength=len(uniques))).tolist()
    return {k: values[start:end] for k, start, end in zip(uniques.tolist(), [0, *ends[:-1]], ends)}


def _effective(projects: pd.DataFrame, own: pd.DataFrame, inherit: bool) -> tuple[pd.Series, pd.DataFrame]:
    """Nearest project (itself or an ancestor) holding the role, and the effective (project, organisation) pairs."""
    has = projects.index.isin(own["project"])
    if inherit:
        source = _nearest(projects.index, projects["parent"], has)
    else:
        source = pd.Series(np.where(has, projects.index.to_numpy(dtype=object), None), index=projects.index, dtype=object)
    links = pd.DataFrame({"project": projects.index.to_numpy(dtype=object), "source": source.to_numpy(dtype=object)}).dropna()
    pairs = links.merge(own.rename(columns={"project": "source"}), on="source")[["project", "organisation"]]
    return source, pairs


# ----------------------------------------------------------------------------------------------
# The rules


@dataclass
class _Context:
    """What every rule reads: the projects, the participations and the effective roles."""

    t: OwnershipThresholds
    as_of: object
    projects: pd.DataFrame
    ids: list
    owners_own: pd.DataFrame
    owners: pd.DataFrame
    steering: pd.DataFrame
    owner_source: pd.Series
    steering_source: pd.Series
    owner_sources: list
    steering_sources: list
    has_parent: list
    coded: _Participations | None = None

    @property
    def parts(self) -> pd.DataFrame:
        """The participations as texts (:func:`participation_rows`), made when a rule first reads them."""
        return self.coded.frame


def _context(package, t: OwnershipThresholds, as_of) -> _Context:
    projects = project_frame(package)
    coded = _participations(package.participations, projects, t.excluded_roles)
    ids = projects.index.to_numpy(dtype=object)
    owners_own = _coded_pairs(coded, ids, ["owner"])
    owner_source, owners = _effective(projects, owners_own, t.inherit_from_parent)
    steering_source, steering = _effective(projects, _coded_pairs(coded, ids, ["steering"]), t.inherit_from_parent)
    return _Context(
        t=t,
        as_of=as_of,
        projects=projects,
        ids=projects.index.tolist(),  # plain str: iterating the index itself is slow
        owners_own=owners_own,
        owners=owners,
        steering=steering,
        owner_source=owner_source,
        steering_source=steering_source,
        owner_sources=owner_source.to_numpy(dtype=object).tolist(),
        steering_sources=steering_source.to_numpy(dtype=object).tolist(),
        has_parent=((projects["parent"] != "").to_numpy() & t.inherit_from_parent).tolist(),
        coded=coded,
    )


# Each rule is one function that adds its findings (structured facts, no words) to `found`;
# they run in the order of RULES. The words are made by samverkan.text.catalogue.finding_messages.
_RULE_FUNCTIONS: dict = {}


def _rule(*codes: str):
    def register(function):
        _RULE_FUNCTIONS[codes] = function
        return function

    return register


@_rule("no-owner", "owner-from-parent", "multiple-owners", "no-steering-group", "steering-from-parent")
def _owner_and_steering(c: _Context, found: _Findings) -> None:
    """Projects without an owner or steering group, inheriting them, or with several owners."""
    ids = c.ids
    position = np.arange(len(ids))
    # the projects with no source, and those that inherit (their source is another project), by position
    none = {"no-owner": c.owner_source.isna().to_numpy(), "no-steering-group": c.steering_source.isna().to_numpy()}
    owner_inherits = [k for k in position[~none["no-owner"]].tolist() if c.owner_sources[k] != ids[k]]
    steering_inherits = [k for k in position[~none["no-steering-group"]].tolist() if c.steering_sources[k] != ids[k]]
    owner_lists = _lists(c.owners[c.owners["project"].isin([ids[k] for k in owner_inherits])])
    steering_lists = _lists(c.steering[c.steering["project"].isin([ids[k] for k in steering_inherits])])
    owner_counts = c.owners_own["project"].value_counts()
    own_owner_lists = _lists(c.owners_own[c.owners_own["project"].isin(owner_counts.index[owner_counts.to_numpy() >= 2])])
    has_parent = np.array(c.has_parent, dtype=bool)
    for rule, missing in none.items():
        facts = {True: {"text": rule, "in_parents": True}, False: {"text": rule, "in_parents": False}}
        missing = position[missing]
        found.add_many(rule, [ids[k] for k in missing.tolist()], [""] * len(missing), [facts[h] for h in has_parent[missing].tolist()])
    for k in owner_inherits:
        p, listed = ids[k], owner_lists.get(ids[k], [])
        found.add("owner-from-parent", p, listed, {"text": "owner-from-parent", "parent": c.owner_sources[k], "owners": listed})
    for p, listed in own_owner_lists.items():
        if len(listed) >= 2:
            found.add("multiple-owners", p, listed, {"text": "multiple-owners", "n": len(listed), "owners": listed})
    for k in steering_inherits:
        found.add("steering-from-parent", ids[k], steering_lists.get(ids[k], []), {"text": "steering-from-parent", "parent": c.steering_sources[k]})


def _steering_of(c: _Context) -> dict:
    """The ancestor whose steering group a project uses (absent when its own or none)."""
    return {p: source for p, source in zip(c.ids, c.steering_sources) if source is not None and source != p}


@_rule("owner-not-in-steering")
def _owner_not_in_steering(c: _Context, found: _Findings) -> None:
    """Effective owners outside the effective steering group (not when both are inherited)."""
    if not len(c.steering):
        return
    missing = _anti(c.owners, c.steering)
    missing = missing[missing["project"].isin(c.steering["project"])]
    index = c.projects.index.to_series()
    both_inherited = (c.owner_source != index) & (c.steering_source != index)
    missing = missing[~missing["project"].map(both_inherited).fillna(False).to_numpy(dtype=bool)]
    steering_of = _steering_of(c)
    for p, listed in _lists(missing).items():
        found.add("owner-not-in-steering", p, listed, {"text": "owner-not-in-steering", "owners": listed, "steering_of": steering_of.get(p)})


@_rule("implementers-outside-steering")
def _implementers_outside_steering(c: _Context, found: _Findings) -> None:
    """The project's own lead/working organisations outside its effective steering group."""
    if not len(c.steering):
        return
    implementers = _pairs(c.parts, c.t.implementer_roles)
    implementers = implementers[implementers["project"].isin(c.steering["project"])]
    totals = implementers.groupby("project").size()
    outside = _anti(implementers, c.steering)
    steering_of = _steering_of(c)
    for p, listed in _lists(outside).items():
        if len(listed) >= c.t.implementers_outside_min:
            found.add(
                "implementers-outside-steering", p, listed, {"text": "implementers-outside-steering", "n": len(listed), "total": int(totals[p]), "names": listed, "steering_of": steering_of.get(p)}
            )


@_rule("role-without-contact")
def _role_without_contact(c: _Context, found: _Findings) -> None:
    """An organisation in a contact role whose participations in it name nobody; one finding per project."""
    k = c.coded
    rows = np.flatnonzero(np.isin(k.roles, list(c.t.contact_roles))[k.role])
    if not len(rows):
        return
    # (project, organisation, role) groups as one integer each, numbered in order of first appearance
    key = (k.position[rows].astype(np.int64) * max(len(k.organisations), 1) + k.organisation[rows]) * max(len(k.roles), 1) + k.role[rows]
    group, firsts = pd.factorize(key)
    named = np.bincount(group, weights=(k.contacts != "")[k.contact[rows]], minlength=len(firsts)) > 0
    first = rows[np.unique(group, return_index=True)[1]]  # the first row of each group
    silent = first[~named]
    order = {r: n for n, r in enumerate(c.t.contact_roles)}
    # One finding per project, so projects may come in any order (here: by position); within a
    # project roles in the order of contact_roles, organisations as they first appear.
    position = k.position[silent]
    silent_roles = k.roles[k.role[silent]]
    rank = np.array([order[r] for r in silent_roles.tolist()], dtype=np.int64)
    by = np.lexsort((np.arange(len(silent)), rank, position))
    position, rank = position[by], rank[by]
    role_of = silent_roles[by].tolist()
    members = k.organisations[k.organisation[silent[by]]].tolist()
    role_start, role_end = _runs(position, rank)  # one item per (project, role)
    item_start, item_end = _runs(position[role_start])  # the items of each project
    row_start, row_end = role_start[item_start], role_end[item_end - 1]  # the rows of each project
    role_start, role_end = role_start.tolist(), role_end.tolist()
    organisations, facts = [], []
    for a, b, first, last in zip(row_start.tolist(), row_end.tolist(), item_start.tolist(), item_end.tolist()):
        if b - a == 1:  # one role of one organisation (most often)
            organisations.append(members[a])
            facts.append({"text": "role-without-contact", "items": [(role_of[a], [members[a]])]})
        else:
            organisations.append(members[a:b])
            facts.append({"text": "role-without-contact", "items": [(role_of[x], members[x:y]) for x, y in zip(role_start[first:last], role_end[first:last])]})
    found.add_many("role-without-contact", [c.ids[p] for p in position[row_start].tolist()], organisations, facts)


@_rule("key-person-dependency")
def _key_person_dependency(c: _Context, found: _Findings) -> None:
    """(a) one contact carries all of an organisation's participations; (b) most of a project's."""
    if not (c.coded.contacts != "")[c.coded.contact].any():  # without any contact named, neither (a) nor (b) can fire
        return
    t, parts = c.t, c.parts
    named = parts[parts["contact"] != ""]
    # only organisations with a named contact can be carried by one; all their rows count
    maybe = parts[parts["organisation"].isin(named["organisation"].unique())]
    by_org = maybe.groupby("organisation", sort=False).agg(contacts=("contact", "nunique"), contact=("contact", "first"), projects=("project", "nunique"), participations=("project", "size"))
    carried = by_org[(by_org["contacts"] == 1) & (by_org["contact"] != "") & (by_org["projects"] >= t.key_person_min_projects)]
    project_lists = _lists(maybe[maybe["organisation"].isin(carried.index)][["organisation", "project"]].drop_duplicates(), key="organisation", value="project")
    for o, n, k, contact in zip(carried.index, carried["participations"], carried["projects"], carried["contact"]):
        found.add("key-person-dependency", "", [o], {"text": "key-person-dependency.organisation", "organisation": o, "n": int(n), "k": int(k), "projects": project_lists[o], "contact": contact})

    sizes = parts[parts["project"].isin(named["project"].unique())].groupby("project", sort=False).size()
    per_contact = named.groupby(["project", "contact"], sort=False).size().rename("carried").reset_index()
    per_contact["participations"] = per_contact["project"].map(sizes).to_numpy()
    heavy = per_contact[(per_contact["participations"] >= t.key_person_min_participations) & (per_contact["carried"] > t.key_person_project_share * per_contact["participations"])]
    keys = list(zip(heavy["project"], heavy["contact"]))
    chosen = named[pd.MultiIndex.from_frame(named[["project", "contact"]]).isin(keys)] if keys else named.iloc[:0]
    carried_by = _lists(chosen.assign(key=list(zip(chosen["project"], chosen["contact"]))), key="key")
    for row in heavy.itertuples(index=False):
        found.add(
            "key-person-dependency",
            row.project,
            carried_by[(row.project, row.contact)],
            {"text": "key-person-dependency.project", "contact": row.contact, "c": int(row.carried), "n": int(row.participations)},
        )


@_rule("single-organisation-project")
def _single_organisation_project(c: _Context, found: _Findings) -> None:
    """At most ``single_organisation_max`` distinct organisations take part."""
    k, projects = c.coded, c.projects
    # distinct (project, organisation) pairs: project position and organisation code
    first = _pair_rows(k)
    position = k.position[first]
    sizes = np.bincount(position, minlength=len(projects))
    alone_at = np.flatnonzero(sizes <= c.t.single_organisation_max)
    alone = [c.ids[p] for p in alone_at.tolist()]
    rows = first[sizes[position] <= c.t.single_organisation_max]  # the pairs of those projects, in row order
    rows = rows[np.argsort(k.position[rows], kind="stable")]
    organisations = k.organisations[k.organisation[rows]].tolist()
    starts, ends = _runs(k.position[rows])
    members = dict(zip(k.position[rows][starts].tolist(), [organisations[a:b] for a, b in zip(starts.tolist(), ends.tolist())]))
    listed = [members.get(p, []) for p in alone_at.tolist()]  # each has at most single_organisation_max
    facts = {True: {"text": "single-organisation-project.one"}, False: {"text": "single-organisation-project.none"}}
    found.add_many("single-organisation-project", alone, listed, [facts[bool(organisations)] for organisations in listed])


@_rule("ended-without-receiver")
def _ended_without_receiver(c: _Context, found: _Findings) -> None:
    """Ended top-level projects none of whose owner/steering organisations holds such a role later."""
    unreceived, receivers = _without_receiver(c.projects, c.coded, c.t, c.as_of)
    ends = c.projects["end"].to_numpy(dtype="datetime64[ns]")[c.projects.index.get_indexer(unreceived)]
    facts: dict = {}

    def fact(k):
        key = (int(ends[k].view("int64")), bool(receivers[k]))
        if key not in facts:
            end = pd.Timestamp(ends[k])
            facts[key] = {"text": "ended-without-receiver" if receivers[k] else "ended-without-receiver.nobody", "ended": end if pd.notna(end) else None}
        return facts[key]

    found.add_many("ended-without-receiver", unreceived, receivers, [fact(k) for k in range(len(unreceived))])


def ownership_findings(package, *, thresholds: OwnershipThresholds = DEFAULT_THRESHOLDS, as_of=None, severities: dict | None = None) -> pd.DataFrame:
    """Ownership and steering gaps of every project in a package (rules in the module docstring).

    Parameters
    ----------
    package : samverkan.io.package.Package
        A validated package (participations, projects, organisations, contacts).
    thresholds : OwnershipThresholds
        Thresholds and role sets; :data:`DEFAULT_THRESHOLDS` by default.
    as_of : date-like, optional
        The day the findings describe; default the latest date in the package (never the wall clock).
    severities : dict, optional
        Override the severity of rules, e.g. ``{"no-steering-group": "warning"}``.

    Returns
    -------
    pandas.DataFrame
        Columns ``rule``, ``severity`` (``error`` | ``warning`` | ``info``), ``project`` (id; ``""`` for
        findings about an organisation across projects), ``project_name``, ``organisations``
        (``|``-joined ids of the organisations concerned, in the order of the participations table),
        ``facts`` (a dict: the sentence key ``text`` and the ids, dates and numbers that triggered the
        finding; ``partial`` when the project lists only some partners). No words:
        :func:`samverkan.text.catalogue.finding_messages` makes the sentences. Sorted by project id,
        then rule in the order of :data:`RULES`, then organisations.

    Raises
    ------
    ValueError
        When `severities` names an unknown rule or severity.

    References
    ----------
    Brulin, G. & Svensson, L. (2012). Managing Sustainable Development Programmes: A Learning
    Approach to Change. Gower.
    """
    severity = dict(SEVERITIES)
    for rule, level in (severities or {}).items():
        if rule not in SEVERITIES or level not in SEVERITY_ORDER:
            raise ValueError(f"cannot set the severity of {rule!r} to {level!r}; rules: {', '.join(RULES)}; severities: {', '.join(SEVERITY_ORDER)}")
        severity[rule] = level
    context = _context(package, thresholds, resolve_as_of(package, as_of))
    found = _Findings()
    for function in _RULE_FUNCTIONS.values():
        function(context, found)
    project_names = dict(zip(context.ids, context.projects["name"].tolist()))
    findings = _partial_projects_as_info(_finding_frame(found, severity, project_names), package.projects)
    _share(findings, package, thresholds.excluded_roles, context.projects, context.coded)
    return findings


# The projects and participations that ownership_findings read, kept for project_table of the same
# findings (the analysis calls one after the other): reading them again costs as much as the rules.
# Kept while the findings frame lives, and only used for the very same package tables.
_SHARED: dict[int, tuple] = {}


def _share(findings: pd.DataFrame, package, excluded_roles, projects: pd.DataFrame, coded) -> None:
    key = id(findings)
    if key not in _SHARED:
        weakref.finalize(findings, _SHARED.pop, key, None)
    _SHARED[key] = (weakref.ref(package.projects), weakref.ref(package.participations), tuple(excluded_roles), projects, coded)


def _shared(findings, package, excluded_roles):
    """``(projects, coded participations)`` that :func:`ownership_findings` read for `findings`, or None."""
    entry = _SHARED.get(id(findings)) if findings is not None else None
    if entry is None or entry[0]() is not package.projects or entry[1]() is not package.participations or entry[2] != tuple(excluded_roles):
        return None
    return entry[3], entry[4]


def keep_tables(findings: pd.DataFrame, source: pd.DataFrame) -> pd.DataFrame:
    """`findings` (e.g. `source` plus notes) reuse the tables :func:`ownership_findings` read for `source`."""
    if findings is not source and id(source) in _SHARED:
        entry = _SHARED[id(source)]
        key = id(findings)
        if key not in _SHARED:
            weakref.finalize(findings, _SHARED.pop, key, None)
        _SHARED[key] = entry
    return findings


# Gaps that a partner missing from the data may fill: on a project whose partners are listed only
# in part (projects.partial, e.g. Interreg's Swedish partners), they are shown as info.
PARTIAL_RULES = ("no-owner", "no-steering-group", "single-organisation-project", "ended-without-receiver")


def _partial_projects_as_info(findings: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    """Findings of :data:`PARTIAL_RULES` on partially listed projects become ``info``, and say why (``facts["partial"]``)."""
    marked = projects["partial"].eq(True).to_numpy() if "partial" in projects.columns else None  # empty cells: all listed
    if findings.empty or marked is None or not marked.any():
        return findings
    partial = set(projects.loc[marked, "id"])
    affected = (findings["rule"].isin(PARTIAL_RULES) & findings["project"].isin(partial)).to_numpy()
    if affected.any():
        findings.loc[affected, "severity"] = "info"
        findings.loc[affected, "facts"] = pd.Series([{**f, "partial": True} for f in findings.loc[affected, "facts"]], index=findings.index[affected], dtype=object)
    return findings


class _Findings:
    """The findings as columns, each rule's in the order it finds them (which breaks ties in sorting)."""

    def __init__(self):
        self.project: list[str] = []
        self.rule: list[str] = []
        self.organisations: list[str] = []  # |-joined ids, each once
        self.facts: list[dict] = []

    def add(self, rule: str, project: str, organisation_ids, facts: dict) -> None:
        self.add_many(rule, [project], [organisation_ids], [facts])

    def add_many(self, rule: str, projects: list[str], organisation_ids: list, facts: list[dict]) -> None:
        """One finding of `rule` per project; organisation ids as lists (or already |-joined)."""
        self.project += projects
        self.rule += [rule] * len(projects)
        # (ids are str, so one id joined is itself)
        self.organisations += [ids if isinstance(ids, str) else ids[0] if len(ids) == 1 else "|".join(dict.fromkeys(ids)) for ids in organisation_ids]
        self.facts += facts


def _runs(*keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The starts and the ends of the runs of rows where all `keys` (arrays of one length) stay the same."""
    n = len(keys[0])
    change = np.zeros(max(n - 1, 0), dtype=bool)
    for key in keys:
        change |= key[1:] != key[:-1]
    starts = np.flatnonzero(np.r_[n > 0, change])
    return starts, np.r_[starts[1:], n][: len(starts)]


def _finding_frame(found: _Findings, severity: dict, project_names: dict) -> pd.DataFrame:
    if not found.project:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in FINDING_COLUMNS})
    rank = {r: k for k, r in enumerate(RULES)}
    projects, organisations = (np.array(column, dtype=object) for column in (found.project, found.organisations))
    facts = np.empty(len(found.facts), dtype=object)
    facts[:] = found.facts
    # rules, projects and organisations as codes: sorted (the projects and organisations) or ranked (the rules)
    rule_code, rules = pd.factorize(np.array(found.rule, dtype=object))
    rules = rules.tolist()
    project_code, project_ids = _sorted_codes(projects)
    # by project, rule and organisations; equal keys keep the order in which they were found
    keys = (
        np.arange(len(projects)),
        _sorted_codes(organisations)[0],
        np.array([rank[r] for r in rules])[rule_code],
        project_code,
    )
    order = np.lexsort(keys)  # the last key sorts first
    rule_code, project_code = rule_code[order], project_code[order]
    columns = {
        "rule": np.array(rules, dtype=object)[rule_code],
        "severity": np.array([severity[r] for r in rules], dtype=object)[rule_code],
        "project": project_ids.astype(object)[project_code],
        "project_name": np.array([project_names.get(p, "") if p else "" for p in project_ids.tolist()], dtype=object)[project_code],
        "organisations": organisations[order],
        "facts": facts[order],
    }
    return pd.DataFrame({c: pd.Series(values, dtype=object) for c, values in columns.items()})


def _sorted_codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize(values, sort=True)`` of text; Python's sort of the distinct values is quicker than pandas'."""
    codes, distinct = pd.factorize(values)
    listed = distinct.tolist()
    if not all(type(v) is str for v in listed):
        return pd.factorize(values, sort=True)
    order = sorted(range(len(listed)), key=listed.__getitem__)
    rank = np.empty(len(listed), dtype=np.intp)
    rank[order] = np.arange(len(listed))
    return rank[codes], distinct[order]


def _without_receiver(projects, coded: _Participations, t: OwnershipThresholds, as_of) -> tuple[list[str], list[list[str]]]:
    """Top-level ended projects none of whose owner/steering organisations holds such a role later
    (see module), in the order of the projects, and the owner/steering organisations of each.

    Vectorised over the (project, organisation) pairs in receiver roles, with projects as positions
    and organisations as codes. An organisation receives the results of P when one of its other
    families (root ≠ P's root) started later or ended later than P, or is ongoing. The latest start
    among an organisation's other families is its latest start overall, unless that belongs to P's
    family: then it is the latest among the families with another root (ties give the same value
    whichever family is taken as the latest). The same for the end.
    """
    status = projects["status"].to_numpy(dtype=object)
    cancelled = status == "cancelled"
    ended = _ended(projects, as_of)
    candidate = ended & (projects["parent"] == "").to_numpy()
    if not candidate.any():
        return [], []
    rows = _pair_rows(coded, t.receiver_roles)  # the (project, organisation) pairs in receiver roles
    position, organisation, organisations = coded.position[rows], coded.organisation[rows], coded.organisations
    held = pd.DataFrame({"project": projects.index.to_numpy(dtype=object)[position], "organisation": organisations[organisation]})
    root = projects.index.get_indexer(projects["root"])[position]
    start = projects["start"].to_numpy(dtype="datetime64[ns]")[position]
    end = projects["end"].to_numpy(dtype="datetime64[ns]")[position]
    # Top-level projects inherit nothing: their receivers are their own owner/steering organisations.
    receiving = candidate[position]
    # What each organisation holds in receiver roles, in projects that are not cancelled.
    counted = ~cancelled[position]
    ongoing = counted & ~ended[position]
    n = len(organisations)
    org, own_root = organisation[receiving], root[receiving]
    later = _later(org, own_root, start[receiving], organisation[counted], root[counted], start[counted], n)
    outlasts = _later(org, own_root, end[receiving], organisation[counted], root[counted], end[counted], n)
    # another family is ongoing: the organisation's ongoing roots are not all P's root
    live = pd.DataFrame({"organisation": organisation[ongoing], "root": root[ongoing]}).groupby("organisation")["root"].agg(["min", "max"])
    low = np.full(n, -1)
    high = np.full(n, -1)
    low[live.index.to_numpy()] = live["min"].to_numpy()
    high[live.index.to_numpy()] = live["max"].to_numpy()
    other_live = (high[org] >= 0) & ((low[org] != own_root) | (high[org] != own_root))
    has_receiver = np.zeros(len(projects), dtype=bool)
    has_receiver[position[receiving][later | outlasts | other_live]] = True
    without = candidate & ~has_receiver
    receivers = held[receiving & without[position]]
    receiver_lists = _lists(receivers)
    unreceived = projects.index[without].tolist()
    return unreceived, [receiver_lists.get(p, []) for p in unreceived]


def _later(org: np.ndarray, own_root: np.ndarray, own: np.ndarray, organisation: np.ndarray, root: np.ndarray, value: np.ndarray, n: int) -> np.ndarray:
    """Whether, for each (org, own_root, own date), the organisation has a date later than ``own``
    in a family other than ``own_root`` (dates: ``datetime64[ns]``, NaT never later)."""
    valid = ~np.isnat(value)
    organisation, root, value = organisation[valid], root[valid], value[valid]
    best = _group_max(organisation, value, n)
    # the root of a family holding the latest date (the first such row)
    at_best = np.flatnonzero(value == best[organisation])
    best_root = np.full(n, -1)
    best_root[organisation[at_best][::-1]] = root[at_best][::-1]
    other = root != best_root[organisation]
    second = _group_max(organisation[other], value[other], n)
    latest_elsewhere = np.where(best_root[org] != own_root, best[org], second[org])
    return latest_elsewhere > own  # NaT on either side compares False


def _group_max(groups: np.ndarray, value: np.ndarray, n: int) -> np.ndarray:
    """The largest ``datetime64[ns]`` value of each group 0..n-1 (NaT for a group without values)."""
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    if len(value):
        order = np.lexsort((value, groups))  # by group, latest last
        last = np.flatnonzero(np.r_[groups[order][1:] != groups[order][:-1], True])
        out[groups[order][last]] = value[order][last]
    return out


# ----------------------------------------------------------------------------------------------


def project_table(package, findings: pd.DataFrame | None = None, *, thresholds: OwnershipThresholds = DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """One row per project: its roles at a glance and how many findings it has.

    Parameters
    ----------
    package : Package
    findings : DataFrame, optional
        From :func:`ownership_findings`; without it the counts are 0 and the severity empty. The
        projects and participations that call read are used again when `package` holds the same
        table objects (and the same ``excluded_roles``): change a table in place in between and pass
        findings made afterwards.
    thresholds : OwnershipThresholds
        Only ``excluded_roles`` is used (benchmarking does not count as taking part).

    Returns
    -------
    pandas.DataFrame
        In the order of the projects table: ``id``, ``name``, ``parent``, ``start``, ``end``,
        ``status``, ``organisations`` (distinct organisations taking part, excluded roles not
        counted), ``owners`` and ``leads`` (``|``-joined ids of the organisations with the role in the
        project itself, not inherited), ``owner_names``, ``lead_names`` (their names, ``; ``-joined),
        ``steering`` and ``working`` (number of distinct organisations in the steering group and in the
        working group), ``findings`` (number of findings about the project), ``worst_severity``
        (``error`` > ``warning`` > ``info``; ``""`` without findings).
    """
    shared = _shared(findings, package, thresholds.excluded_roles)
    if shared is not None:
        projects, coded = shared
    else:
        projects = project_frame(package)
        coded = _participations(package.participations, projects, thresholds.excluded_roles)
    n = len(projects)
    organisation_ids = coded.organisations.tolist()
    names = dict(zip(text_column(package.organisations, "id"), text_column(package.organisations, "name")))

    def distinct_pairs(roles=None) -> np.ndarray:
        return _pair_rows(coded, roles)

    def counts(rows: np.ndarray) -> np.ndarray:
        return np.bincount(coded.position[rows], minlength=n).astype(np.int64)

    def joined(role: str) -> tuple[np.ndarray, np.ndarray]:
        """``|``-joined ids and ``; ``-joined names of the organisations in `role`, per project (row order within)."""
        rows = distinct_pairs([role])
        rows = rows[np.argsort(coded.position[rows], kind="stable")]
        ids, labels = np.full(n, "", dtype=object), np.full(n, "", dtype=object)
        position = coded.position[rows]
        listed = [organisation_ids[k] for k in coded.organisation[rows].tolist()]
        named = [names.get(o) or o for o in listed]
        starts, ends = _runs(position)
        one = ends - starts == 1  # most projects have one organisation in a role: its id and name as they are
        ids[position[starts[one]]] = np.array(listed, dtype=object)[starts[one]]
        labels[position[starts[one]]] = np.array(named, dtype=object)[starts[one]]
        many = ~one
        for a, b, p in zip(starts[many].tolist(), ends[many].tolist(), position[starts[many]].tolist()):
            ids[p], labels[p] = "|".join(listed[a:b]), "; ".join(named[a:b])
        return ids, labels

    owners, owner_names = joined("owner")
    leads, lead_names = joined("lead")
    ids = projects.index
    table = pd.DataFrame(
        {
            "id": ids.to_numpy(dtype=object),
            "name": projects["name"].to_numpy(dtype=object),
            "parent": projects["parent"].to_numpy(dtype=object),
            "start": projects["start"].to_numpy(),
            "end": projects["end"].to_numpy(),
            "status": projects["status"].to_numpy(dtype=object),
            "organisations": counts(distinct_pairs()),
            "owners": owners,
            "owner_names": owner_names,
            "leads": leads,
            "lead_names": lead_names,
            "steering": counts(distinct_pairs(["steering"])),
            "working": counts(distinct_pairs(["working"])),
        }
    )
    if findings is not None and len(findings):
        about = findings[findings["project"] != ""]
        position = ids.get_indexer(about["project"])
        found = position >= 0
        rank = {s: k for k, s in enumerate(SEVERITY_ORDER)}
        unknown = len(SEVERITY_ORDER)  # a severity outside SEVERITY_ORDER counts, but is never the worst
        codes, severities = pd.factorize(about["severity"].to_numpy(dtype=object))  # (each distinct severity ranked once)
        ranks = np.array([rank.get(s, unknown) for s in severities.tolist()] + [unknown], dtype=np.int64)[codes][found]
        worst = np.full(n, unknown, dtype=np.int64)
        np.minimum.at(worst, position[found], ranks)
        table["findings"] = np.bincount(position[found], minlength=n).astype(np.int64)
        table["worst_severity"] = np.array([*SEVERITY_ORDER, ""], dtype=object)[worst]
    else:
        table["findings"] = np.zeros(len(ids), dtype=np.int64)
        table["worst_severity"] = ""
    return table[PROJECT_TABLE_COLUMNS]
