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

__all__ = [
    "DENSE_PROJECT_PARTNERS",
    "dense_contacts",
    "dense_projects",
    "CollaborationGraph",
    "project_organisations",
    "incidence",
    "newman_scale",
    "upper_pairs",
    "active_participations",
    "time_window",
    "DEFAULT_EXCLUDED_ROLES",
    "SUB_PROJECT_MODES",
    "merge_sub_projects",
]

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
        from .igraph_module import igraph_module

        ig = igraph_module()

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


SUB_PROJECT_MODES = ("separate", "merge")


def merge_sub_projects(package):
    """The package with every sub-project's participations counted in its top-level project, once.

    How sub-projects count (``--sub-projects``):

    ``separate`` (the default, the data as given)
        Every sub-project is a project of its own. Two organisations in a project and in one of
        its sub-projects share two projects, which raises their tie's weight and pulls them into
        the same community.
    ``merge`` (this function)
        A sub-project's participants count as participants of its top-level project (followed
        up the ``parent`` chain), and an organisation in a project and any of its sub-projects
        counts once there (the incidence is binary). The sub-projects stay in the projects
        table (ownership findings still look at them); only the participations move. A
        participation without its own dates keeps its sub-project's dates, so ``--as-of`` and
        ``--period`` select the same participations as before.

    >>> from types import SimpleNamespace as NS
    >>> projects = pd.DataFrame({"id": ["p", "p1"], "parent": ["", "p"], "start": pd.to_datetime([None, None]), "end": pd.to_datetime([None, None])})
    >>> parts = pd.DataFrame({"organisation": ["a", "b", "a", "b"], "project": ["p", "p", "p1", "p1"], "role": ["owner", "partner", "partner", "partner"],
    ...                       "start": pd.to_datetime([None] * 4), "end": pd.to_datetime([None] * 4)})
    >>> merged = merge_sub_projects(NS(tables={"projects": projects, "participations": parts}, projects=projects, participations=parts))
    >>> merged.participations["project"].tolist()
    ['p', 'p', 'p', 'p']
    >>> project_organisations(NS(organisations=pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"]}), projects=projects,
    ...     participations=merged.participations, ties=pd.DataFrame(columns=["source", "target", "weight"]))).edges["shared_projects"].tolist()
    [1]
    """
    import copy

    projects, parts = package.projects, package.participations
    if not len(parts) or "parent" not in projects.columns:
        return package
    ids = projects["id"].astype(str).tolist()
    parent = dict(zip(ids, projects["parent"].fillna("").astype(str).tolist()))
    root: dict[str, str] = {}
    for pid in ids:
        seen, current = [pid], pid
        while parent.get(current, "") and parent[current] in parent and parent[current] not in seen:
            current = parent[current]
            seen.append(current)
        root[pid] = current
    if all(root[p] == p for p in ids):
        return package
    dates = projects.set_index("id")[["start", "end"]] if {"start", "end"} <= set(projects.columns) else None
    parts = parts.copy()
    if dates is not None and {"start", "end"} <= set(parts.columns):
        for column in ("start", "end"):
            parts[column] = pd.to_datetime(parts[column]).fillna(parts["project"].map(dates[column]).astype("datetime64[ns]"))
    parts["project"] = parts["project"].map(lambda p: root.get(p, p))
    merged = copy.copy(package)
    tables = dict(package.tables)
    tables["participations"] = parts
    merged.tables = tables
    if "participations" in getattr(merged, "__dict__", {}):
        merged.participations = parts
    return merged


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
    matrix = sp.csr_matrix(matrix)
    n = matrix.shape[0]
    rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(matrix.indptr))
    keep = matrix.indices > rows  # straight on the CSR arrays: no COO round trip as in sp.triu
    rows = rows[keep]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    upper = sp.csr_matrix((matrix.data[keep], matrix.indices[keep], indptr), shape=matrix.shape)
    upper.sort_indices()  # a product's columns come unsorted within each row
    return rows, upper.indices.astype(np.int64), upper.data


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
    rows = org_ids.get_indexer(participations["organisation"])
    cols = project_ids.get_indexer(participations["project"])
    roles = participations["role"].to_numpy()
    ok = (rows >= 0) & (cols >= 0) & ~np.isin(roles, list(exclude_roles))
    rows, cols, roles = rows[ok], cols[ok], roles[ok]
    shape = (len(org_ids), len(project_ids))
    B = _binary(rows, cols, shape)
    sizes, _ = newman_scale(B)
    dense = sizes > DENSE_PROJECT_PARTNERS
    # a programme-wide project (thousands of partners) would add millions of ties that say only
    # "all took part": it is set aside from the projection and said so (dense_projects, worded in text.notes)
    role_index, present = pd.factorize(roles)
    role_names = [r for r in ROLES if r in set(present.tolist())]
    # roles as small integers in role_names order: comparisons on ints, not on 145k strings
    role_codes = np.array([role_names.index(r) if r in role_names else -1 for r in present.tolist()], dtype=np.int64)[role_index] if len(roles) else np.zeros(0, dtype=np.int64)
    projected, p_rows, p_cols, p_roles = B, rows, cols, role_codes
    if dense.any():
        keep = ~dense[cols]
        p_rows, p_cols, p_roles = rows[keep], cols[keep], role_codes[keep]
        projected = _binary(p_rows, p_cols, shape)
    i, j, shared, newman = _counts_and_newman(projected, np.where(dense, 0, sizes))
    codes = _shared_role_codes(p_rows, p_cols, p_roles, len(role_names), projected, i, j, shared)
    edges = _add_direct_ties(pd.DataFrame({"i": i, "j": j, "shared_projects": shared, "newman_weight": newman, "shared_roles": _role_labels(codes, role_names)}, copy=False), package.ties, org_ids)
    ids = pd.Series(org_ids.to_numpy()).array  # typed once; take() below skips re-inferring 800k strings
    edges.insert(0, "source", ids.take(edges["i"].to_numpy()) if len(edges) else pd.Series([], dtype=object))
    edges.insert(1, "target", ids.take(edges["j"].to_numpy()) if len(edges) else pd.Series([], dtype=object))
    arcs = _arcs(package.ties, org_ids)
    project_table = projects.copy()
    project_table["size"] = sizes.astype(np.int64)
    project_table["dense"] = dense
    return CollaborationGraph(organisations, edges, arcs, B, project_table)


DENSE_PROJECT_PARTNERS = 500
"""A project with more organisations than this is set aside from the collaboration graph.

Its partners would form a clique of n(n−1)/2 ties (3,000 partners: 4.5 million) that says only
that all of them took part; such programme-wide projects are listed in projects.csv and named in
the notes, and every other project is projected as usual. The largest projects of the bundled
data sets (H2020, Interreg) have far fewer partners, so their results do not change.
"""


def dense_projects(graph: CollaborationGraph) -> list[tuple[str, int]]:
    """(name or id, organisations) of every project set aside by :data:`DENSE_PROJECT_PARTNERS`: facts
    for the notes (:func:`samverkan.text.notes.dense_project_notes` words them)."""
    projects = graph.projects
    if "dense" not in projects.columns or not projects["dense"].any():
        return []
    return [(str(row.get("name") or row["id"]), int(row["size"])) for _, row in projects[projects["dense"]].iterrows()]


def dense_contacts(set_aside: dict, projects: pd.DataFrame) -> list[tuple[str, int]]:
    """(name or id, contacts) of every project whose contacts were left out of the contact network
    (``set_aside``: project id -> number of contacts, more than :data:`DENSE_PROJECT_PARTNERS`)."""
    names = dict(zip(projects["id"], projects["name"])) if "name" in projects.columns else {}
    return [(str(names.get(project) or project), int(n)) for project, n in sorted(set_aside.items())]


def _binary(rows: np.ndarray, cols: np.ndarray, shape) -> sp.csr_matrix:
    matrix = sp.coo_matrix((np.ones(len(rows), dtype=np.int64), (rows, cols)), shape=shape).tocsr()
    matrix.data[:] = 1  # repeated participations count once
    return matrix


def _counts_and_newman(B: sp.csr_matrix, sizes: np.ndarray):
    """Upper-triangle pairs with their shared-project count and Newman weight, from one product.

    Each project carries ``1 + i/(n_p − 1)``, so the complex product ``B·D·Bᵀ`` holds the count
    in its real part and Newman's weight in its imaginary part: one symbolic and one numeric
    pass instead of two. The imaginary part sums the same terms in the same order as the real
    product ``(B·diag(1/(n_p − 1)))·Bᵀ`` (the count is an integer below 2^53, so exact).
    """
    inverse = np.zeros(len(sizes))
    inverse[sizes > 1] = 1.0 / (sizes[sizes > 1] - 1)
    left = B.astype(np.complex128) @ sp.diags(1.0 + 1j * inverse)
    i, j, values = upper_pairs(left @ B.T)
    return i, j, values.real.astype(np.int64), values.imag.astype(float)


def _shared_role_codes(rows, cols, roles, role_count, B, i, j, shared) -> np.ndarray:
    """Bitmask per pair (bit k = ``role_names[k]``): roles both held in some shared project.

    Each rarer role costs one small product of its own incidence. The commonest role (the
    ``partner`` of EU data, 80 % of H2020) would cost a full product, so where every
    organisation holds one role per project it is derived instead: both held it in
    ``count − X_ij − X_ji + Y_ij`` shared projects, with ``N`` the incidence of the other
    roles, ``X = N·Bᵀ`` and ``Y = N·Nᵀ`` (inclusion–exclusion over "not both common").
    """
    n = B.shape[0]
    codes = np.zeros(len(i), dtype=np.int64)
    if not len(i) or not role_count:
        return codes
    counts = np.bincount(roles[roles >= 0], minlength=role_count)
    common = int(np.argmax(counts))  # the first of the commonest roles
    one_role_each = B.nnz == len(rows)  # B merged repeated (organisation, project) cells
    keys = i * n + j
    for bit in range(role_count):
        if bit == common and one_role_each:
            continue
        mask = roles == bit
        Br = _binary(rows[mask], cols[mask], B.shape)
        a, b, _ = upper_pairs(Br @ Br.T)
        codes[np.searchsorted(keys, a * n + b)] |= 1 << bit
    if one_role_each:
        # only pairs that touch a rarer role's participation can miss the common role
        other = roles != common
        N = _binary(rows[other], cols[other], B.shape)
        positions, deltas = [], []
        for product, sign in ((N @ B.T, -1), (N @ N.T, +1)):  # X = N·Bᵀ counts on both sides; Y = N·Nᵀ once
            product = product.tocoo()
            a, b = product.row.astype(np.int64), product.col.astype(np.int64)
            keep = (a < b) if sign > 0 else (a != b)
            a, b = a[keep], b[keep]
            positions.append(np.searchsorted(keys, np.minimum(a, b) * n + np.maximum(a, b)))
            deltas.append(sign * product.data[keep].astype(np.int64))
        touched, where = np.unique(np.concatenate(positions), return_inverse=True)
        both = shared[touched] + np.bincount(where, weights=np.concatenate(deltas), minlength=len(touched)).astype(np.int64)
        bit = 1 << common
        codes |= bit
        codes[touched[both == 0]] &= ~bit
    return codes


def _role_labels(codes: np.ndarray, role_names: list[str]) -> np.ndarray:
    """Bitmask codes → ``|``-joined role names (in the model's role order)."""
    if not len(codes):
        return np.array([], dtype=object)
    table = np.full(2 ** len(role_names), "", dtype=object)
    for code in np.flatnonzero(np.bincount(codes, minlength=len(table))):
        table[code] = "|".join(r for bit, r in enumerate(role_names) if int(code) >> bit & 1)
    return pd.Series(table).array.take(codes)


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
        m = len(edges)
        return pd.DataFrame(
            {
                "i": edges["i"].to_numpy(),
                "j": edges["j"].to_numpy(),
                "shared_projects": edges["shared_projects"].to_numpy(),
                "newman_weight": edges["newman_weight"].to_numpy(),
                "direct_weight": np.zeros(m),
                "weight": edges["newman_weight"].to_numpy().copy(),
                "shared_roles": edges["shared_roles"].array,
                "tie_type": pd.Series([""]).array.take(np.zeros(m, dtype=np.int64)),
                "directed": np.zeros(m, dtype=bool),
            },
            copy=False,  # fresh arrays: no need to consolidate them into blocks
        )
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
