"""The organisation–organisation collaboration graph: a one-mode projection of organisations × projects.

With B the binary organisations × projects incidence matrix, ``B·Bᵀ`` counts the projects each
pair shares, and ``B·D·Bᵀ`` with ``D = diag(1/(n_p − 1))`` gives Newman's collaboration weight.
Both are single sparse products, so the whole of Horizon 2020 (36k organisations, 800k pairs)
projects in well under a second. Direct ties from the ``ties`` table add their weight.

References
----------
Newman, M. E. J. (2001). Scientific collaboration networks. II. Shortest paths, weighted
networks, and centrality. Physical Review E 64, 016132.
Borgatti, S. P. & Everett, M. G. (1997). Network analysis of 2-mode data. Social Networks 19, 243–269.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..model import ROLES

__all__ = ["CollaborationGraph", "project_organisations", "incidence", "newman_scale", "upper_pairs", "active_participations", "time_window", "DEFAULT_EXCLUDED_ROLES"]

# Benchmarking contacts watch a project from another region; they do not collaborate in it.
DEFAULT_EXCLUDED_ROLES = ("benchmark",)


@dataclass
class CollaborationGraph:
    """Organisations (nodes, by position) and the ties between them, as columnar tables.

    Attributes
    ----------
    nodes : DataFrame
        One row per organisation, position = row number: id, name, type, level, municipality, region...
    edges : DataFrame
        One row per tied pair with ``i < j`` (positions), ``source``/``target`` (ids),
        ``shared_projects`` (int), ``newman_weight``, ``direct_weight``, ``weight``
        (newman + direct), ``shared_roles`` (roles both held in a shared project, ``|``-joined),
        ``tie_type`` (types of direct ties), ``directed`` (a direct tie that goes one way).
    arcs : DataFrame
        Directed direct ties (positions ``i`` → ``j``, ``weight``), for metrics that use direction.
    incidence : scipy.sparse.csr_matrix
        Binary organisations × projects matrix the projection came from.
    projects : DataFrame
        The projects (columns of ``incidence``), with ``size`` = number of organisations.
    """

    nodes: pd.DataFrame
    edges: pd.DataFrame
    arcs: pd.DataFrame
    incidence: sp.csr_matrix
    projects: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.nodes)

    @property
    def m(self) -> int:
        return len(self.edges)

    def adjacency(self, weight: str | None = None) -> sp.csr_matrix:
        """Symmetric n × n sparse adjacency; ``weight`` names an edge column (None = binary)."""
        values = np.ones(self.m) if weight is None else self.edges[weight].to_numpy(dtype=float)
        i = self.edges["i"].to_numpy()
        j = self.edges["j"].to_numpy()
        matrix = sp.coo_matrix((np.concatenate([values, values]), (np.concatenate([i, j]), np.concatenate([j, i]))), shape=(self.n, self.n))
        return matrix.tocsr()

    def to_networkx(self, *, node_attributes: bool = True):
        """A networkx Graph keyed by organisation id, with node and edge attributes."""
        import networkx as nx

        graph = nx.Graph()
        ids = self.nodes["id"].tolist()
        if node_attributes:
            records = self.nodes.to_dict("records")
            graph.add_nodes_from((r["id"], {k: v for k, v in r.items() if k != "id"}) for r in records)
        else:
            graph.add_nodes_from(ids)
        columns = ["shared_projects", "newman_weight", "direct_weight", "weight", "shared_roles", "tie_type"]
        data = self.edges[columns].to_dict("records")
        graph.add_edges_from((ids[i], ids[j], d) for i, j, d in zip(self.edges["i"], self.edges["j"], data))
        return graph

    def to_igraph(self, *, weight: str | None = "weight"):
        """An undirected igraph Graph on positions 0..n-1 (attribute ``weight`` when asked)."""
        import igraph as ig

        graph = ig.Graph(n=self.n, edges=list(zip(self.edges["i"].tolist(), self.edges["j"].tolist())), directed=False)
        if weight is not None and self.m:
            graph.es["weight"] = self.edges[weight].to_numpy(dtype=float).tolist()
        return graph


def time_window(as_of=None, period=None) -> tuple:
    """(start, end) of ``--period FROM TO`` or ``--as-of DATE`` (both ends that day); (None, None) for all."""
    if period is not None:
        return tuple(period)
    if as_of is not None:
        return as_of, as_of
    return None, None


def active_participations(participations: pd.DataFrame, projects: pd.DataFrame, *, start=None, end=None) -> pd.DataFrame:
    """Participations active at some time in [start, end] (inclusive; None = open).

    A participation's own dates win; where it has none, its project's dates are used; where
    neither has a date, it counts as active.
    """
    if start is None and end is None:
        return participations
    if participations.empty:
        return participations
    dates = projects.set_index("id")[["start", "end"]]
    p_start = pd.to_datetime(participations["start"]).fillna(participations["project"].map(dates["start"]).astype("datetime64[ns]"))
    p_end = pd.to_datetime(participations["end"]).fillna(participations["project"].map(dates["end"]).astype("datetime64[ns]"))
    keep = pd.Series(True, index=participations.index)
    if end is not None:
        keep &= ~(p_start > pd.Timestamp(end))
    if start is not None:
        keep &= ~(p_end < pd.Timestamp(start))
    return participations[keep.to_numpy()]


def incidence(participations: pd.DataFrame, row_ids: pd.Index, project_ids: pd.Index, *, rows: str = "organisation", roles=None) -> sp.csr_matrix:
    """Binary ``rows`` × projects matrix (organisations by default, or contacts).

    ``roles`` restricts to participations in those roles; references to unknown ids are skipped.
    """
    if roles is not None:
        participations = participations[participations["role"].isin(list(roles))]
    i = row_ids.get_indexer(participations[rows])
    j = project_ids.get_indexer(participations["project"])
    ok = (i >= 0) & (j >= 0)
    return _binary(i[ok], j[ok], (len(row_ids), len(project_ids)))


def newman_scale(B: sp.spmatrix) -> tuple[np.ndarray, sp.spmatrix]:
    """Project sizes n_p and the diagonal 1/(n_p − 1) of Newman's weight (0 for single-member projects)."""
    sizes = np.asarray(B.sum(axis=0)).ravel()
    inverse = np.zeros(len(sizes))
    inverse[sizes > 1] = 1.0 / (sizes[sizes > 1] - 1)
    return sizes, sp.diags(inverse)


def upper_pairs(matrix: sp.spmatrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row, column and value of every entry above the diagonal, in (row, column) order."""
    upper = sp.triu(matrix, k=1).tocsr()
    upper.sort_indices()
    upper = upper.tocoo()
    return upper.row.astype(np.int64), upper.col.astype(np.int64), upper.data


def project_organisations(package, *, start=None, end=None, exclude_roles=DEFAULT_EXCLUDED_ROLES) -> CollaborationGraph:
    """Build the organisation collaboration graph of a package.

    Parameters
    ----------
    package : samverkan.io.package.Package
    start, end : date-like, optional
        Keep only participations active at some time in this period (``--period``); both equal
        for ``--as-of``.
    exclude_roles : sequence of str
        Roles that do not make an organisation a collaborator (benchmarking by default).

    Returns
    -------
    CollaborationGraph
        Every organisation of the package is a node, tied or not.
    """
    organisations = package.organisations.reset_index(drop=True)
    projects = package.projects.reset_index(drop=True)
    org_ids = pd.Index(organisations["id"])
    project_ids = pd.Index(projects["id"])
    participations = active_participations(package.participations, projects, start=start, end=end)
    participations = participations[~participations["role"].isin(list(exclude_roles))]
    rows = org_ids.get_indexer(participations["organisation"])
    cols = project_ids.get_indexer(participations["project"])
    ok = (rows >= 0) & (cols >= 0)
    rows, cols, roles = rows[ok], cols[ok], participations["role"].to_numpy()[ok]
    shape = (len(org_ids), len(project_ids))
    B = _binary(rows, cols, shape)
    sizes, scale = newman_scale(B)
    # counts and shared-role codes travel in one integer matrix: count * 2^R + bitmask of the
    # roles both held in some shared project (each role's pattern is a subset of the count pattern)
    present = set(roles.tolist())
    role_names = [r for r in ROLES if r in present]
    shift = 2 ** len(role_names)
    packed = (B @ B.T).astype(np.int64) * shift
    for bit, role in enumerate(role_names):
        mask = roles == role
        Br = _binary(rows[mask], cols[mask], shape)
        both = (Br @ Br.T).tocsr()
        both.data[:] = 2**bit
        packed = packed + both
    i, j, values = upper_pairs(packed.tocsr())
    newman = (B @ scale @ B.T).tocsr()
    ni, nj, nw = upper_pairs(newman)
    if not (np.array_equal(ni, i) and np.array_equal(nj, j)):  # pragma: no cover - same pattern by construction
        raise AssertionError("count and Newman projections differ in pattern")
    edges = pd.DataFrame({"i": i, "j": j, "shared_projects": values // shift, "newman_weight": nw.astype(float)})
    edges["shared_roles"] = _role_labels(values % shift, role_names)
    edges = _add_direct_ties(edges, package.ties, org_ids)
    ids = org_ids.to_numpy()
    edges.insert(0, "source", ids[edges["i"].to_numpy()] if len(edges) else pd.Series([], dtype=object))
    edges.insert(1, "target", ids[edges["j"].to_numpy()] if len(edges) else pd.Series([], dtype=object))
    arcs = _arcs(package.ties, org_ids)
    project_table = projects.copy()
    project_table["size"] = sizes.astype(np.int64)
    return CollaborationGraph(organisations, edges, arcs, B, project_table)


def _binary(rows: np.ndarray, cols: np.ndarray, shape) -> sp.csr_matrix:
    matrix = sp.coo_matrix((np.ones(len(rows), dtype=np.int64), (rows, cols)), shape=shape).tocsr()
    matrix.data[:] = 1  # repeated participations count once
    return matrix


def _role_labels(codes: np.ndarray, role_names: list[str]) -> np.ndarray:
    """Bitmask codes → ``|``-joined role names (in the model's role order)."""
    if not len(codes):
        return np.array([], dtype=object)
    table = np.full(2 ** len(role_names), "", dtype=object)
    for code in np.flatnonzero(np.bincount(codes, minlength=len(table))):
        table[code] = "|".join(r for bit, r in enumerate(role_names) if int(code) >> bit & 1)
    return table[codes]


def _direct_pairs(ties: pd.DataFrame, org_ids: pd.Index) -> pd.DataFrame:
    if ties is None or ties.empty:
        return pd.DataFrame({"i": [], "j": [], "direct_weight": [], "tie_type": [], "directed": []})
    a = org_ids.get_indexer(ties["source"])
    b = org_ids.get_indexer(ties["target"])
    ok = (a >= 0) & (b >= 0) & (a != b)
    frame = pd.DataFrame(
        {
            "i": np.minimum(a, b)[ok],
            "j": np.maximum(a, b)[ok],
            "direct_weight": ties["weight"].fillna(1.0).to_numpy(dtype=float)[ok],
            "tie_type": ties["type"].replace("", "other").to_numpy()[ok] if "type" in ties else "other",
            "directed": ties["directed"].to_numpy(dtype=bool)[ok],
        }
    )
    grouped = frame.groupby(["i", "j"], sort=True).agg(
        direct_weight=("direct_weight", "sum"),
        tie_type=("tie_type", lambda s: "|".join(sorted(set(s)))),
        directed=("directed", "all"),
    )
    return grouped.reset_index()


def _add_direct_ties(edges: pd.DataFrame, ties: pd.DataFrame, org_ids: pd.Index) -> pd.DataFrame:
    """Edges plus direct ties, sorted by (i, j); without ties only the extra columns are added."""
    if ties is None or ties.empty:
        edges["direct_weight"] = 0.0
        edges["weight"] = edges["newman_weight"]
        edges["tie_type"] = ""
        edges["directed"] = False
        return edges[["i", "j", "shared_projects", "newman_weight", "direct_weight", "weight", "shared_roles", "tie_type", "directed"]]
    direct = _direct_pairs(ties, org_ids)
    merged = edges.merge(direct, on=["i", "j"], how="outer")
    merged["i"] = merged["i"].astype(np.int64)
    merged["j"] = merged["j"].astype(np.int64)
    merged["shared_projects"] = merged["shared_projects"].fillna(0).astype(np.int64)
    merged["newman_weight"] = merged["newman_weight"].fillna(0.0).astype(float)
    merged["direct_weight"] = merged["direct_weight"].fillna(0.0).astype(float)
    merged["weight"] = merged["newman_weight"] + merged["direct_weight"]
    for column in ("shared_roles", "tie_type"):
        merged[column] = merged[column].astype(object).where(merged[column].notna(), "")
    merged["directed"] = merged["directed"].eq(True)
    merged = merged.sort_values(["i", "j"], kind="stable").reset_index(drop=True)
    return merged[["i", "j", "shared_projects", "newman_weight", "direct_weight", "weight", "shared_roles", "tie_type", "directed"]]


def _arcs(ties: pd.DataFrame, org_ids: pd.Index) -> pd.DataFrame:
    if ties is None or ties.empty:
        return pd.DataFrame({"i": pd.Series([], dtype=np.int64), "j": pd.Series([], dtype=np.int64), "weight": pd.Series([], dtype=float)})
    a = org_ids.get_indexer(ties["source"])
    b = org_ids.get_indexer(ties["target"])
    directed = ties["directed"].to_numpy(dtype=bool)
    ok = (a >= 0) & (b >= 0) & (a != b) & directed
    return pd.DataFrame({"i": a[ok].astype(np.int64), "j": b[ok].astype(np.int64), "weight": ties["weight"].fillna(1.0).to_numpy(dtype=float)[ok]})
