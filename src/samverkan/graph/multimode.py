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

from ..io.values import split_list
from .projection import active_participations, incidence, newman_scale, upper_pairs

__all__ = ["multimode_graph", "two_mode_graph", "contact_graph", "node_key"]


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

    participations = active_participations(package.participations, package.projects, start=start, end=end)
    participations = participations[~participations["role"].isin(list(exclude_roles))]
    graph = nx.Graph()
    for row in package.organisations.itertuples(index=False):
        graph.add_node(node_key("org", row.id), kind="organisation", name=row.name, type=row.type, municipality=row.municipality, region=row.region)
    for row in package.projects.itertuples(index=False):
        graph.add_node(node_key("project", row.id), kind="project", name=row.name, type="project", region=row.region)
    pairs = participations[["organisation", "project", "role"]].drop_duplicates().sort_values(["organisation", "project", "role"], kind="stable")
    roles = pairs.groupby(["organisation", "project"], sort=True)["role"].agg("|".join)
    graph.add_edges_from((node_key("org", org), node_key("project", project), {"role": role}) for (org, project), role in roles.items())
    return graph


def contact_graph(package, *, start=None, end=None) -> pd.DataFrame:
    """Contacts tied by shared projects: source, target (contact ids), shared_projects, newman_weight.

    The same sparse projection as for organisations, over contacts × projects.
    """
    participations = active_participations(package.participations, package.projects, start=start, end=end)
    participations = participations[participations["contact"] != ""]
    contacts = pd.Index(package.contacts["id"])
    B = incidence(participations, contacts, pd.Index(package.projects["id"]), rows="contact")
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
    return frame.sort_values(["source", "target"]).reset_index(drop=True)
