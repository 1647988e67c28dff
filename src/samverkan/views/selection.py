"""What the views draw: the graphs and backbones chosen for the network and two-mode pages.

Chosen here, in views/, so the pipeline only asks for them: :func:`view_graph` (every
organisation, or the backbone of a large graph, with the metrics the node cards show),
:func:`view_two_mode` (organisations and projects, or their backbone) and the helpers they use.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["VIEW_MAX_NODES", "VIEW_MAX_EDGES", "view_graph", "view_edges", "view_metrics", "view_two_mode", "sorted_labels"]


VIEW_MAX_NODES = 1500  # the network view's backbone size (see views.network.write_network_html)
# vis-network stays fluid to a few thousand drawn ties (../shared/notes/pyvis.md); H2020's top
# 1,500 organisations share 128,000 ties, so a large view draws the strongest of them
VIEW_MAX_EDGES = 6000


def view_graph(result, metrics, *, size_by: str, max_nodes: int):
    """The graph the views draw: every organisation, or only the backbone when large.

    The view of a graph above ``max_nodes`` organisations shows the ``max_nodes`` highest by
    ``size_by`` (ties by id) and the ties among them (the strongest, see :func:`_view_edges`);
    only those organisations and ties are built here, so a graph of 36,000 organisations and
    800,000 ties does not become a networkx graph of that size. ``nodes_total`` and
    ``edges_total`` keep the true counts for the page's banner and the figure's caption.
    """
    from ..graph.export import graph_with_metrics

    graph = result.graph
    if graph.n <= max_nodes:
        return graph_with_metrics(graph, metrics)
    values = metrics[size_by].astype(float).where(lambda v: v.notna() & (v.abs() != float("inf")), 0.0).to_numpy()
    # only organisations at or above the max_nodes-th highest value can be among the highest
    candidates = np.flatnonzero(values >= np.partition(values, graph.n - max_nodes)[graph.n - max_nodes]).tolist()
    ids = graph.nodes["id"].to_numpy(dtype=object)
    keep = sorted(sorted(candidates, key=lambda k: (-values[k], str(ids[k])))[:max_nodes])
    inside = np.zeros(graph.n, dtype=bool)
    inside[keep] = True
    mask = inside[graph.edges["i"].to_numpy()] & inside[graph.edges["j"].to_numpy()]
    rows = np.flatnonzero(mask)
    strongest = _strongest_rows(graph.edges, rows, VIEW_MAX_EDGES) if graph.edges.index.equals(pd.RangeIndex(len(graph.edges))) else None
    # (the rows view_edges picks among the ties inside, taken at once instead of through a copy of them)
    edges = graph.edges.iloc[strongest] if strongest is not None else view_edges(graph.edges[mask], VIEW_MAX_EDGES)
    G = graph_with_metrics(graph, metrics, edges=edges, nodes=keep)
    G.graph["nodes_total"] = int(graph.n)
    G.graph["edges_total"] = int(graph.m)
    return G


def view_edges(edges, limit: int):
    """The strongest ``limit`` ties, plus each organisation's own strongest tie.

    Without the second part an organisation whose ties are all weaker than the cut would be
    drawn as if it had none.
    """
    if len(edges) <= limit:
        return edges
    # the order of graph.export.strongest_edges: its first `limit` are the strongest
    ranked = edges.sort_values(["shared_projects", "weight", "i", "j"], ascending=[False, False, True, True], kind="stable")
    own = set(ranked.drop_duplicates("i").index) | set(ranked.drop_duplicates("j").index)
    chosen = set(ranked.index[:limit]) | own
    return edges.loc[sorted(chosen)]


def _strongest_rows(edges, rows: np.ndarray, limit: int) -> np.ndarray | None:
    """The positions of ``view_edges(edges.iloc[rows], limit)`` in `edges`, in order, from the four
    sort keys alone (no copy of the other columns); None when a key is not a number column.

    The stable sort by shared projects and weight (both descending, a missing weight last), then
    ``i`` and ``j`` is ``numpy.lexsort`` of the negated numbers: equal keys keep their order.
    """
    if len(rows) <= limit:
        return rows
    columns = [edges[c].to_numpy() for c in ("shared_projects", "weight", "i", "j")]
    if not all(isinstance(c.dtype, np.dtype) and c.dtype.kind in ("iu" if k != 1 else "iuf") for k, c in enumerate(columns)):
        return None
    shared, weight, i, j = (c[rows] for c in columns)
    order = np.lexsort((j, i, -weight.astype(float), -shared.astype(np.int64)))
    own_i = order[np.unique(i[order], return_index=True)[1]]
    own_j = order[np.unique(j[order], return_index=True)[1]]
    return rows[np.unique(np.concatenate([order[:limit], own_i, own_j]))]


def view_metrics(result):
    """Per-organisation metrics plus roles, projects and bridging flags for tooltips and filters.

    ``roles`` is an organisation's distinct "role: project" labels, ``projects`` its distinct
    project names, each sorted and joined (by " | " and "|"); ``project_ids`` and
    ``project_names`` its projects by id with their names, in the same order, joined by "|".
    """
    metrics = result.organisations.copy()
    package = result.package
    columns = _label_columns(package.participations, package.projects, metrics["id"])
    if columns is None:  # a cell that is not text (or nothing to label): the general path
        columns = _label_columns_general(package.participations, package.projects, metrics["id"])
    for column, values in columns.items():
        metrics[column] = values
    metrics["bridging"] = metrics["id"].isin(set(result.bridging["id"]))
    return metrics


def _label_columns_general(participations, projects, ids: pd.Series) -> dict:
    """The four label columns of :func:`view_metrics`, by organisation id, for any cells."""
    names = dict(zip(projects["id"], projects["name"]))
    p = participations
    project_names = p["project"].map(names).fillna(p["project"])
    roles = sorted_labels(p["organisation"], p["role"] + ": " + project_names, " | ")
    listed = sorted_labels(p["organisation"], project_names, "|")
    # every project by id with its name, in the same order (by name, then id), so the page's
    # project filter tells apart projects that share a name (views.network reads these two)
    # a "|" inside a name or id would split it in two: written as "/" (as the flat import does)
    project_ids, project_names_ = _project_ids_and_names(p["organisation"], p["project"], project_names)
    return {
        "roles": ids.map(roles).fillna(""),
        "projects": ids.map(listed).fillna(""),
        "project_ids": ids.map(project_ids).fillna(""),
        "project_names": ids.map(project_names_).fillna(""),
    }


def _label_columns(participations, projects, ids: pd.Series) -> dict | None:
    """:func:`_label_columns_general` when every project, role and project name is text.

    The participations are factorized once and every label is made and sorted once per distinct
    value (a role and project, a project), not once per row; an organisation's labels are then
    one sort of integer keys. None when a cell is not text (or there is nothing to label), for
    the general path to handle as before.
    """
    p = participations
    organisation = p["organisation"].to_numpy(dtype=object)
    present = pd.notna(organisation)
    if not present.any() or not len(ids):
        return None
    org_codes, org_values = pd.factorize(organisation[present])
    project_codes, project_values = pd.factorize(p["project"].to_numpy(dtype=object)[present])
    role_codes, role_values = pd.factorize(p["role"].to_numpy(dtype=object)[present])
    if (project_codes < 0).any() or (role_codes < 0).any():
        return None
    project_values, role_values = project_values.tolist(), role_values.tolist()
    if not all(type(v) is str for v in project_values) or not all(type(v) is str for v in role_values):
        return None
    by_id = dict(zip(projects["id"], projects["name"]))  # (as Series.map of the dict: the last of equal ids)
    names = [by_id.get(v) for v in project_values]
    names = [v if n is None or (not isinstance(n, str) and pd.isna(n)) else n for v, n in zip(project_values, names)]
    if not all(type(n) is str for n in names):
        return None
    n_orgs, n_projects = len(org_values), len(project_values)
    # "role: project" labels: one per distinct (role, project)
    combo_codes, combos = pd.factorize(role_codes.astype(np.int64) * n_projects + project_codes)
    role_labels = [f"{role_values[c // n_projects]}: {names[c % n_projects]}" for c in combos.tolist()]
    roles = _joined(" | ", *_sorted_distinct(org_codes, n_orgs, combo_codes, role_labels), n_orgs)
    # (name, id) pairs, a "|" inside either written as "/" and the ends stripped
    clean_names = [n.replace("|", "/").strip() for n in names]
    groups, values, starts, ends = _sorted_distinct(org_codes, n_orgs, project_codes, list(zip(clean_names, [v.replace("|", "/").strip() for v in project_values])))
    id_texts, name_texts = [i for _, i in values], [n for n, _ in values]
    project_ids, project_names = _joined("|", groups, id_texts, starts, ends, n_orgs), _joined("|", groups, name_texts, starts, ends, n_orgs)
    if clean_names == names:  # the names in pairs order are the sorted names, each name's pairs together
        listed = [""] * n_orgs
        for o, a, b in zip(groups, starts, ends):
            listed[o] = "|".join(dict.fromkeys(name_texts[a:b]))
    else:
        listed = _joined("|", *_sorted_distinct(org_codes, n_orgs, project_codes, names), n_orgs)
    at = pd.Index(org_values, dtype=object).get_indexer(ids.to_numpy(dtype=object))
    found = at >= 0

    def aligned(values: list) -> pd.Series:
        out = np.full(len(at), "", dtype=object)
        out[found] = np.array(values, dtype=object)[at[found]]
        return pd.Series(out, index=ids.index)  # (the type Series.map gives the same texts)

    return {"roles": aligned(roles), "projects": aligned(listed), "project_ids": aligned(project_ids), "project_names": aligned(project_names)}


def _sorted_distinct(org_codes: np.ndarray, n_orgs: int, item_codes: np.ndarray, texts: list) -> tuple[list, list, list, list]:
    """Each organisation's distinct ``texts[item]`` of its rows, sorted: ``(organisations, values,
    starts, ends)``, organisation ``organisations[k]`` holding ``values[starts[k]:ends[k]]``.

    ``texts`` holds one value per item code (text, or tuples of text compared in order); equal
    texts of different items count once.
    """
    distinct = sorted(set(texts))
    rank_of = {t: k for k, t in enumerate(distinct)}
    rank = np.array([rank_of[t] for t in texts], dtype=np.int64)
    width = max(len(distinct), 1)
    keys = np.sort(org_codes.astype(np.int64) * width + rank[item_codes])
    keys = keys[np.r_[True, keys[1:] != keys[:-1]]]
    org, rank = keys // width, (keys % width).tolist()
    starts = np.flatnonzero(np.r_[True, org[1:] != org[:-1]])
    ends = np.r_[starts[1:], len(org)]
    return org[starts].tolist(), [distinct[r] for r in rank], starts.tolist(), ends.tolist()


def _joined(separator: str, organisations: list, values: list, starts: list, ends: list, n: int) -> list[str]:
    """``separator``-joined values of each organisation 0..n-1 (of :func:`_sorted_distinct`; ``""`` for one without)."""
    out = [""] * n
    for o, a, b in zip(organisations, starts, ends):
        out[o] = separator.join(values[a:b])
    return out


def _project_ids_and_names(organisations, projects, project_names) -> tuple[pd.Series, pd.Series]:
    """Each organisation's distinct (name, id) pairs of its projects, sorted, joined by "|".

    The same as dropping duplicate (organisation, name, id) rows, sorting them by all three and
    joining each organisation's ids and names (a "|" inside one written as "/", ends stripped),
    with one sort of integer codes instead of a Python join per organisation. A project's name
    depends only on its id, so the text clean-up runs once per project.
    """
    present = organisations.notna().to_numpy()
    project_codes, project_values = pd.factorize(projects.to_numpy(dtype=object)[present], use_na_sentinel=False)
    if not len(project_codes):
        empty = pd.Series([], dtype=object)
        return empty, empty

    def clean(values) -> np.ndarray:
        return pd.Series(values, dtype=object).astype(str).str.replace("|", "/", regex=False).str.strip().to_numpy(dtype=object)

    # (the name of the first row of each project: every row of a project has the same name)
    first_row = np.zeros(len(project_values), dtype=np.int64)
    first_row[project_codes[::-1]] = np.arange(len(project_codes))[::-1]
    names = clean(project_names.to_numpy(dtype=object)[present][first_row])
    ids = clean(project_values)
    org_codes, org_values = pd.factorize(organisations.to_numpy(dtype=object)[present], sort=True)
    name_codes, name_values = pd.factorize(names, sort=True)
    id_codes, id_values = pd.factorize(ids, sort=True)
    a, b, c = org_codes, name_codes[project_codes], id_codes[project_codes]
    order = np.lexsort((c, b, a))
    a, b, c = a[order], b[order], c[order]
    distinct = np.r_[True, (a[1:] != a[:-1]) | (b[1:] != b[:-1]) | (c[1:] != c[:-1])]
    a, b, c = a[distinct], b[distinct], c[distinct]
    starts = np.flatnonzero(np.r_[True, a[1:] != a[:-1]]).tolist()
    bounds = list(zip(starts, starts[1:] + [len(a)]))
    id_texts, name_texts = id_values[c].tolist(), name_values[b].tolist()
    index = pd.Index(org_values[a[starts]], dtype=object)
    return (
        pd.Series(["|".join(id_texts[s:e]) for s, e in bounds], index=index, dtype=object),
        pd.Series(["|".join(name_texts[s:e]) for s, e in bounds], index=index, dtype=object),
    )


def sorted_labels(keys, labels, separator: str) -> pd.Series:
    """For each key, its distinct labels in sorted order joined by ``separator``.

    The same as ``groupby(keys).agg(lambda s: separator.join(sorted(set(s))))`` (missing keys left
    out), with one sort of all labels instead of one per key. Labels are text.
    """
    key = keys.to_numpy(dtype=object)
    label = labels.to_numpy(dtype=object)
    present = keys.notna().to_numpy()
    key, label = key[present], label[present]
    if not len(key):
        return pd.Series([], dtype=object)
    codes, uniques = pd.factorize(key)
    try:  # numpy's own strings sort in C, by code point as Python's str does
        sortable = np.array(label.tolist(), dtype=np.dtypes.StringDType(coerce=False))
    except (TypeError, ValueError, UnicodeError):
        sortable = label
    by_label = np.argsort(sortable, kind="stable")
    order = by_label[np.argsort(codes[by_label], kind="stable")]
    codes, sortable = codes[order], sortable[order]
    first_of_key = np.r_[True, codes[1:] != codes[:-1]]
    distinct = first_of_key | np.r_[True, sortable[1:] != sortable[:-1]]
    texts = label[order][distinct].tolist()
    starts = np.flatnonzero(first_of_key[distinct]).tolist() + [len(texts)]
    joined = [separator.join(texts[a:b]) for a, b in zip(starts[:-1], starts[1:])]
    return pd.Series(joined, index=pd.Index(uniques[codes[first_of_key]], dtype=object), dtype=object)


def _cells(series) -> list:
    """The cells of a column as iterating it yields them (text without pandas' per-cell overhead)."""
    if series.dtype == object or isinstance(series.dtype, pd.StringDtype):
        return series.to_numpy(dtype=object).tolist()
    return list(series)


def view_two_mode(package, *, max_nodes: int, start=None, end=None):
    """The two-mode graph the view draws: whole, or the backbone when above ``max_nodes`` nodes.

    The backbone is what :func:`views.network.write_two_mode_html` shows of the whole graph: the
    ``max_nodes`` organisations and projects with most ties (ties by node id) and the ties among
    them, built without building the rest (H2020: 67,000 nodes). What the page says about a drawn
    node that depends on the whole graph comes along as attributes: ``degree`` (ties in the whole
    graph) and, for organisations, ``projects`` (the names of all their projects, as the page
    would list them from the whole graph). ``nodes_total`` and ``edges_total`` are the whole
    graph's counts. When a project name would not survive being passed that way (blank, or
    padded with spaces) the whole graph is built instead.
    """
    import networkx as nx

    from ..graph.multimode import two_mode_graph, two_mode_ties
    from .attributes import SortKeys, display_name, split_list

    organisations, projects = package.organisations, package.projects
    org_ids, project_ids = _cells(organisations["id"]), _cells(projects["id"])
    keys = [f"org:{v}" for v in org_ids] + [f"project:{v}" for v in project_ids]  # graph.multimode.node_key
    n_orgs = len(org_ids)
    if len(keys) <= max_nodes or len(set(keys)) != len(keys):
        return two_mode_graph(package, start=start, end=end)
    ties = two_mode_ties(package, start=start, end=end)
    u = pd.Index(org_ids, dtype=object).get_indexer(ties["organisation"].to_numpy(dtype=object))
    v = pd.Index(project_ids, dtype=object).get_indexer(ties["project"].to_numpy(dtype=object))
    if (u < 0).any() or (v < 0).any():  # a tie to an organisation or project not in the tables
        return two_mode_graph(package, start=start, end=end)
    v = v + n_orgs
    degree = np.bincount(np.concatenate([u, v]), minlength=len(keys))
    # the view's backbone: highest degree first, then id as text (views.backbone.select_backbone)
    threshold = np.sort(degree)[::-1][max_nodes - 1]
    candidates = np.flatnonzero(degree >= threshold).tolist()
    kept = sorted(sorted(candidates, key=lambda n: (-degree[n], keys[n]))[:max_nodes])
    inside = np.zeros(len(keys), dtype=bool)
    inside[kept] = True

    attributes = {}
    org_columns = [_cells(organisations[c]) for c in ("name", "type", "municipality", "region")]
    project_columns = [_cells(projects[c]) for c in ("name", "region")]
    for n in kept:
        if n < n_orgs:
            name, kind, municipality, region = (c[n] for c in org_columns)
            attributes[n] = {"kind": "organisation", "name": name, "type": kind, "municipality": municipality, "region": region}
        else:
            name, region = (c[n - n_orgs] for c in project_columns)
            attributes[n] = {"kind": "project", "name": name, "type": "project", "region": region}
        attributes[n]["degree"] = int(degree[n])
    # an organisation's projects, named as the page names them from the whole graph: a drawn
    # project by its shown name, any other by its name as given (views.network._view_data)
    drawn = set(kept)
    listed: dict = {n: set() for n in kept if n < n_orgs}
    named: dict = {}
    rows = np.flatnonzero(inside[u])
    for a, b in zip(u[rows].tolist(), v[rows].tolist()):
        name = named.get(b)
        if name is None:
            name = named[b] = (display_name(keys[b], attributes[b]) if b in drawn else None) or str(project_columns[0][b - n_orgs] or keys[b])
        listed[a].add(name)
    sort_keys = SortKeys()  # (project names: text)
    for n, names in listed.items():
        names = sorted(names, key=sort_keys.__getitem__)
        if split_list(names) != names:
            return two_mode_graph(package, start=start, end=end)
        attributes[n]["projects"] = names
    B = nx.Graph()
    B.add_nodes_from((keys[n], attributes[n]) for n in kept)
    both = np.flatnonzero(inside[u] & inside[v])
    roles = _cells(ties["role"])
    B.add_edges_from((keys[a], keys[b], {"role": roles[k]}) for k, a, b in zip(both.tolist(), u[both].tolist(), v[both].tolist()))
    B.graph["nodes_total"] = len(keys)
    B.graph["edges_total"] = len(ties)
    return B
