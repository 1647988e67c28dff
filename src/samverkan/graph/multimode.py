"""The multi-mode network of a package, and the contact–contact projection.

Nodes are organisations, contacts, projects and target groups (ids prefixed by kind so that an
organisation and a project may share an id); edges are participation (organisation → project,
with role and dates, and contact → project where a contact is named), employment (contact →
organisation), project nesting (sub-project → parent), target groups (project → target group),
organisational units (unit → parent organisation) and direct ties.

References
----------
Borgatti, S. P. & Everett, M. G. (1997). Network analysis of 2-mode data. Social Networks 19, 243–269.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..io.values import split_list
from .projection import DENSE_PROJECT_PARTNERS, active_participations, incidence, newman_scale, upper_pairs

__all__ = ["multimode_graph", "two_mode_graph", "two_mode_ties", "contact_graph", "node_key"]


def node_key(kind: str, identifier: str) -> str:
    """``org:huddinge``, ``project:p1``, ``contact:c1``, ``target_group:tg1``."""
    return f"{kind}:{identifier}"


def multimode_graph(package, *, start=None, end=None):
    """A networkx MultiDiGraph with every kind of node and relation in the package."""
    import networkx as nx

    graph = nx.MultiDiGraph()
    for row in package.organisations.itertuples(index=False):
        graph.add_node(node_key("org", row.id), kind="organisation", name=row.name, type=row.type, municipality=row.municipality, region=row.region)
    for row in package.projects.itertuples(index=False):
        graph.add_node(node_key("project", row.id), kind="project", name=row.name, region=row.region)
    for row in package.contacts.itertuples(index=False):
        graph.add_node(node_key("contact", row.id), kind="contact", name=row.name, title=row.title)
        graph.add_edge(node_key("contact", row.id), node_key("org", row.organisation), relation="employment")
    for row in package.target_groups.itertuples(index=False):
        graph.add_node(node_key("target_group", row.id), kind="target_group", name=row.name)
    participations = active_participations(package.participations, package.projects, start=start, end=end)
    for row in participations.itertuples(index=False):
        dates = {"start": row.start, "end": row.end}
        graph.add_edge(node_key("org", row.organisation), node_key("project", row.project), relation="participation", role=row.role, **dates)
        if row.contact:
            graph.add_edge(node_key("contact", row.contact), node_key("project", row.project), relation="participation", role=row.role, **dates)
    for row in package.projects.itertuples(index=False):
        if row.parent:
            graph.add_edge(node_key("project", row.id), node_key("project", row.parent), relation="part_of")
        for group in split_list(row.target_groups):
            graph.add_edge(node_key("project", row.id), node_key("target_group", group), relation="addresses")
    for row in package.organisations.itertuples(index=False):
        if row.parent:
            graph.add_edge(node_key("org", row.id), node_key("org", row.parent), relation="unit_of")
    for row in package.ties.itertuples(index=False):
        graph.add_edge(node_key("org", row.source), node_key("org", row.target), relation="tie", type=row.type, weight=1.0 if pd.isna(row.weight) else row.weight, directed=bool(row.directed))
    return graph


def two_mode_graph(package, *, start=None, end=None, exclude_roles=()):
    """Organisations and projects as an undirected networkx Graph; roles on the edges.

    An organisation with several roles in one project has one edge whose ``role`` lists them.
    """
    import networkx as nx

    graph = nx.Graph()
    organisations, projects = package.organisations, package.projects
    graph.add_nodes_from(
        (node_key("org", i), {"kind": "organisation", "name": name, "type": kind, "municipality": municipality, "region": region})
        for i, name, kind, municipality, region in zip(*(organisations[c] for c in ("id", "name", "type", "municipality", "region")))
    )
    graph.add_nodes_from((node_key("project", i), {"kind": "project", "name": name, "type": "project", "region": region}) for i, name, region in zip(*(projects[c] for c in ("id", "name", "region"))))
    ties = two_mode_ties(package, start=start, end=end, exclude_roles=exclude_roles)
    graph.add_edges_from((node_key("org", org), node_key("project", project), {"role": role}) for org, project, role in zip(ties["organisation"], ties["project"], ties["role"]))
    return graph


def two_mode_ties(package, *, start=None, end=None, exclude_roles=()) -> pd.DataFrame:
    """The edges of :func:`two_mode_graph` as a table: organisation, project, role.

    One row per organisation and project it takes part in (in the time window, without the
    excluded roles), sorted by organisation and project; ``role`` lists its roles there, sorted and
    joined by ``|``.
    """
    participations = active_participations(package.participations, package.projects, start=start, end=end)
    participations = participations[~participations["role"].isin(list(exclude_roles))]
    # distinct (organisation, project, role) rows sorted by the three, as
    # drop_duplicates().sort_values(..., kind="stable") sorts them, on integer codes
    values, codes, missing = [], [], []
    for name in ("organisation", "project", "role"):
        column = participations[name].to_numpy(dtype=object)
        code, n = _sorted_codes(column)
        values.append(column)
        codes.append(code)
        missing.append(n)
    order = np.lexsort(codes[::-1])
    organisation, project, role = (c[order] for c in codes)
    distinct = np.ones(len(order), dtype=bool)
    distinct[1:] = (organisation[1:] != organisation[:-1]) | (project[1:] != project[:-1]) | (role[1:] != role[:-1])
    order = order[distinct]
    # groupby's keys leave out pairs with a missing organisation or project
    order = order[(codes[0][order] != missing[0]) & (codes[1][order] != missing[1])]
    organisation, project = codes[0][order], codes[1][order]
    role = values[2][order]
    # rows of one pair are adjacent: a pair with one role keeps it, several are joined
    new = np.ones(len(order), dtype=bool)
    new[1:] = (organisation[1:] != organisation[:-1]) | (project[1:] != project[:-1])
    starts = np.flatnonzero(new)
    roles = role[starts].tolist()
    ends = np.append(starts[1:], len(order))
    for k in np.flatnonzero(ends - starts > 1).tolist():
        roles[k] = "|".join(role[starts[k] : ends[k]].tolist())
    first = order[starts]
    return pd.DataFrame({"organisation": values[0][first], "project": values[1][first], "role": roles}, dtype=object)


def _sorted_codes(column: np.ndarray) -> tuple[np.ndarray, int]:
    """Codes numbering the column's distinct values in sorted order, as ``pd.factorize(sort=True)``
    numbers them, with missing values after all of them; and that code for missing values.

    Text is sorted by numpy's own strings (by code point, as Python sorts str) rather than one
    Python comparison at a time.
    """
    code, uniques = pd.factorize(column)
    try:
        keys = np.array(uniques.tolist(), dtype=np.dtypes.StringDType(coerce=False))
    except (TypeError, ValueError, UnicodeError):  # not all text, or not encodable
        code, uniques = pd.factorize(column, sort=True)
        return np.where(code < 0, len(uniques), code), len(uniques)
    rank = np.empty(len(uniques) + 1, dtype=np.intp)
    rank[np.argsort(keys, kind="stable")] = np.arange(len(uniques))
    rank[-1] = len(uniques)  # factorize's -1
    return rank[code], len(uniques)


def contact_graph(package, *, start=None, end=None) -> pd.DataFrame:
    """Contacts tied by shared projects: source, target (contact ids), shared_projects, newman_weight.

    The same sparse projection as for organisations, over contacts × projects.
    """
    participations = active_participations(package.participations, package.projects, start=start, end=end)
    participations = participations[participations["contact"] != ""]
    contacts = pd.Index(package.contacts["id"])
    projects = pd.Index(package.projects["id"])
    B = incidence(participations, contacts, projects, rows="contact")
    sizes, scale = newman_scale(B)
    dense = sizes > DENSE_PROJECT_PARTNERS  # a programme-wide project: millions of contact pairs, set aside
    if dense.any():
        B = sp.csr_matrix(B)[:, np.flatnonzero(~dense)]
        _, scale = newman_scale(B)
    i, j, counts = upper_pairs((B @ B.T).tocsr())
    _, _, newman = upper_pairs((B @ scale @ B.T).tocsr())
    ids = contacts.to_numpy()
    frame = pd.DataFrame(
        {
            "source": ids[i] if len(i) else pd.Series([], dtype=object),
            "target": ids[j] if len(j) else pd.Series([], dtype=object),
            "shared_projects": counts.astype(np.int64),
            "newman_weight": newman.astype(float),
        }
    )
    frame = frame.sort_values(["source", "target"]).reset_index(drop=True)
    frame.attrs["dense_projects"] = {str(p): int(n) for p, n in zip(projects[dense], sizes[dense])}  # set aside: said in the notes
    return frame
