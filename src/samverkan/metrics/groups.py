"""Collaboration within and between groups of organisations: block densities and the E-I index.

Groups are any attribute of the organisations (``type``, ``level``, ``municipality``, ``region``,
or a community partition). Both measures come from one sparse product ``Hᵀ A H`` with ``H`` the
organisations × groups indicator matrix, so they cost one pass over the ties.

Empty group values
------------------
Organisations whose value is empty (``""``, None or NaN) form one group of their own, with the
code :data:`UNKNOWN_GROUP` (``""``); it is listed last. They are never dropped, so every
organisation and every tie is in the tables. The outputs label it ``(okänd)`` / ``(unknown)``
through :func:`samverkan.text.catalogue.label_groups`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..text.format import sort_key

__all__ = ["UNKNOWN_GROUP", "group_labels", "group_order", "block_density", "ei_index"]

UNKNOWN_GROUP = ""  # the group of organisations whose attribute is empty


def group_labels(G, groups) -> pd.Series:
    """The group of every organisation, by position; empty values are :data:`UNKNOWN_GROUP`.

    Parameters
    ----------
    G : CollaborationGraph
    groups : str or pandas.Series or sequence
        A column name of ``G.nodes`` (``"type"``, ``"municipality"`` ...); or one value per
        organisation by position; or a Series indexed by organisation id.
    Returns
    -------
    pandas.Series
        Labels (str), index ``0 … n−1``.

    Raises
    ------
    ValueError
        When `groups` has the wrong length or misses organisations.
    """
    n = G.n
    if isinstance(groups, str):
        if groups not in G.nodes.columns:
            raise ValueError(f"cannot group by '{groups}': organisations have no such column; use one of {', '.join(map(str, G.nodes.columns))}")
        values = G.nodes[groups].reset_index(drop=True)
    elif isinstance(groups, pd.Series):
        ids = pd.Index(G.nodes["id"]) if "id" in G.nodes.columns else None
        positional = isinstance(groups.index, pd.RangeIndex) and groups.index.equals(pd.RangeIndex(n))
        if not positional and ids is not None and len(groups) and ids.isin(groups.index).all() and groups.index.is_unique:
            values = groups.reindex(ids).reset_index(drop=True)
        elif len(groups) == n:
            values = groups.reset_index(drop=True)
        else:
            raise ValueError(f"groups has {len(groups)} values for {n} organisations; give one group per organisation (by position or by organisation id)")
    else:
        values = pd.Series(list(groups), dtype=object)
        if len(values) != n:
            raise ValueError(f"groups has {len(values)} values for {n} organisations; give one group per organisation")
    cells = values.to_numpy(dtype=object)
    if all(type(v) is str for v in cells):  # the usual case, read from a package: strip each text
        labels = np.array([v.strip() for v in cells], dtype=object) if len(cells) else cells
    else:  # numbers, missing values, other objects: as pandas writes them as text
        labels = values.astype("string").str.strip().fillna("").astype(object).to_numpy(dtype=object)
    return pd.Series(labels, index=pd.RangeIndex(n), name="group")


def group_order(labels) -> list[str]:
    """Distinct labels in Swedish alphabetical order, the unknown label last."""
    distinct = pd.unique(pd.Series(labels, dtype=object))
    return sorted((str(v) for v in distinct), key=lambda v: (v == UNKNOWN_GROUP, sort_key(v), v))


def _indicator(labels: pd.Series, order: Sequence[str]) -> tuple[sp.csr_matrix, np.ndarray]:
    codes = pd.Index(order).get_indexer(labels.to_numpy(dtype=object))
    n, k = len(labels), len(order)
    H = sp.csr_matrix((np.ones(n), (np.arange(n), codes)), shape=(n, k))
    sizes = np.bincount(codes, minlength=k).astype(float)
    return H, sizes


def _mixing(G, labels: pd.Series, weight: str | None) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """``Hᵀ A H`` (k × k, dense: k is the number of groups) and the group sizes."""
    order = group_order(labels)
    if weight is not None:
        H, sizes = _indicator(labels, order)
        A = G.adjacency(weight)
        M = (H.T @ A @ H).toarray()
        return M, sizes, order
    # binary ties: the product counts, for each tie, its two ordered pairs of groups; counted directly
    codes = pd.Index(order).get_indexer(labels.to_numpy(dtype=object)).astype(np.int64)
    k = len(order)
    sizes = np.bincount(codes, minlength=k).astype(float)
    i = G.edges["i"].to_numpy(dtype=np.int64)
    j = G.edges["j"].to_numpy(dtype=np.int64)
    counts = np.bincount(codes[i] * k + codes[j], minlength=k * k).reshape(k, k)
    M = (counts + counts.T).astype(float)
    return M, sizes, order


def block_density(G, groups, *, weight: str | None = None) -> pd.DataFrame:
    """Density of ties within and between groups of organisations (the density table of a blockmodel).

    Parameters
    ----------
    G : CollaborationGraph
        The organisation collaboration graph.
    groups : str or Series or sequence
        The group of every organisation: a node column name or values (see :func:`group_labels`).
    weight : str, optional
        An edge column (``shared_projects``, ``newman_weight``, ``weight``). None counts ties;
        with a weight each cell is the summed strength divided by the same number of pairs (the
        mean strength per possible pair, untied pairs counting 0; not bounded by 1).

    Returns
    -------
    pandas.DataFrame
        Square, indexed by group in both directions (Swedish alphabetical order, unknown last):
        within g, ``ties / (n_g (n_g − 1) / 2)``; between g and h, ``ties / (n_g n_h)``.
        NaN on the diagonal where a group has a single member (no pair exists).

    Examples
    --------
    >>> from samverkan.graph.projection import CollaborationGraph
    >>> import pandas as pd, scipy.sparse as sp
    >>> nodes = pd.DataFrame({"id": list("abcd"), "type": ["kommun", "kommun", "kommun", "företag"]})
    >>> edges = pd.DataFrame({"i": [0, 0, 2], "j": [1, 3, 3], "weight": [1.0, 1.0, 1.0]})
    >>> G = CollaborationGraph(nodes, edges, pd.DataFrame(), sp.csr_matrix((4, 0)), pd.DataFrame())
    >>> block_density(G, "type").round(3)  # kommun: 1/(3·2/2); kommun–företag: 2/(3·1)
             företag  kommun
    företag      NaN   0.667
    kommun     0.667   0.333

    References
    ----------
    Wasserman, S. & Faust, K. (1994). Social Network Analysis: Methods and Applications. Cambridge
    University Press, ch. 10 (blockmodels: density tables, eq. 10.1).
    """
    labels = group_labels(G, groups)
    M, sizes, order = _mixing(G, labels, weight)
    possible = np.outer(sizes, sizes)
    np.fill_diagonal(possible, sizes * (sizes - 1))  # ordered pairs: M's diagonal counts each tie twice
    with np.errstate(divide="ignore", invalid="ignore"):
        table = np.where(possible > 0, M / np.where(possible > 0, possible, 1), np.nan)
    return pd.DataFrame(table, index=pd.Index(order, dtype=object), columns=pd.Index(order, dtype=object))


def _ei(external, internal):
    external = np.asarray(external, dtype=float)
    internal = np.asarray(internal, dtype=float)
    total = external + internal
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, (external - internal) / np.where(total > 0, total, 1), np.nan)


def ei_index(G, groups, *, weight: str | None = None, group_internal: str = "both") -> dict:
    """Krackhardt and Stern's E-I index: do organisations collaborate outside their own group?

    ``E-I = (E − I) / (E + I)`` with E the ties to other groups and I the ties within the group:
    −1 when every tie is internal, +1 when every tie is external.

    Parameters
    ----------
    G : CollaborationGraph
    groups : str or Series or sequence
        The group of every organisation (see :func:`group_labels`).
    weight : str, optional
        An edge column: sums of tie strengths instead of tie counts. UCINET ignores edge values;
        the weighted index is an extension.
    group_internal : {"both", "once"}
        How a group's internal ties count at group level. ``"both"`` (default): from the member
        side, each internal tie counted once for each of its two members, so the group's E and I
        are the sums of its members' E and I (I_g = 2 × internal ties). ``"once"``: each internal
        tie counted once (I_g = internal ties). The two conventions exist in the wild and give
        different numbers; E_g (ties from members to non-members) is the same in both.

    Returns
    -------
    dict
        ``network`` (float): E and I over all ties, each tie counted once. NaN without ties.
        ``network_expected`` (float): the index if the m ties fell at random on the n(n−1)/2 pairs,
        ``(P_E − P_I) / (P_E + P_I)`` with P_E and P_I the numbers of between- and within-group pairs;
        compare the observed value with it, since group sizes alone restrict the range.
        ``external``, ``internal`` (float): E and I at network level.
        ``groups`` (Series): the index per group, ordered as :func:`block_density`.
        ``group_counts`` (DataFrame): per group ``organisations``, ``external``, ``internal``, ``ei_index``.
        ``organisations`` (Series): per organisation by position, E-I of its own ties; NaN for isolates.
        ``group_internal``: the convention used.

    Examples
    --------
    Two groups {a, b} and {c}; ties a–b (internal) and a–c, b–c (external):

    >>> from samverkan.graph.projection import CollaborationGraph
    >>> import pandas as pd, scipy.sparse as sp
    >>> nodes = pd.DataFrame({"id": list("abc"), "type": ["kommun", "kommun", "företag"]})
    >>> edges = pd.DataFrame({"i": [0, 0, 1], "j": [1, 2, 2], "weight": [1.0, 1.0, 1.0]})
    >>> G = CollaborationGraph(nodes, edges, pd.DataFrame(), sp.csr_matrix((3, 0)), pd.DataFrame())
    >>> r = ei_index(G, "type")
    >>> round(r["network"], 3)  # (2 − 1) / 3
    0.333
    >>> r["groups"].round(3).to_dict()  # kommun: (2 − 2·1)/(2 + 2); företag: (2 − 0)/2
    {'företag': 1.0, 'kommun': 0.0}

    References
    ----------
    Krackhardt, D. & Stern, R. N. (1988). Informal networks and organizational crises: an
    experimental simulation. Social Psychology Quarterly 51(2), 123–140.
    Everett, M. G. & Borgatti, S. P. (2012). Categorical attribute based centrality: E-I and G-F
    centrality. Social Networks 34(4), 562–569 (the index for each actor).
    """
    if group_internal not in ("both", "once"):
        raise ValueError(f"group_internal must be 'both' or 'once', not {group_internal!r}")
    labels = group_labels(G, groups)
    M, sizes, order = _mixing(G, labels, weight)
    diagonal = np.diag(M)  # twice the internal ties of each group
    internal_total = diagonal.sum() / 2
    external_total = (M.sum() - diagonal.sum()) / 2
    group_external = M.sum(axis=1) - diagonal
    group_internal_counts = diagonal if group_internal == "both" else diagonal / 2
    group_values = _ei(group_external, group_internal_counts)
    n = float(sizes.sum())
    within_pairs = float((sizes * (sizes - 1) / 2).sum())
    between_pairs = n * (n - 1) / 2 - within_pairs
    expected = float(_ei(between_pairs, within_pairs)) if n >= 2 else math.nan

    # Per organisation: its ties to its own group (I) and to others (E).
    codes = pd.Index(order).get_indexer(labels.to_numpy(dtype=object))
    i = G.edges["i"].to_numpy(dtype=np.int64)
    j = G.edges["j"].to_numpy(dtype=np.int64)
    w = np.ones(len(i)) if weight is None else G.edges[weight].to_numpy(dtype=float)
    same = codes[i] == codes[j]
    internal_node = np.bincount(i, weights=w * same, minlength=G.n) + np.bincount(j, weights=w * same, minlength=G.n)
    external_node = np.bincount(i, weights=w * ~same, minlength=G.n) + np.bincount(j, weights=w * ~same, minlength=G.n)

    index = pd.Index(order, dtype=object)
    return {
        "network": float(_ei(external_total, internal_total)),
        "network_expected": expected,
        "external": float(external_total),
        "internal": float(internal_total),
        "groups": pd.Series(group_values, index=index, name="ei_index"),
        "group_counts": pd.DataFrame(
            {"organisations": sizes.astype(np.int64), "external": group_external, "internal": group_internal_counts, "ei_index": group_values},
            index=index,
        ),
        "organisations": pd.Series(_ei(external_node, internal_node), index=G.nodes.index, name="ei_index"),
        "group_internal": group_internal,
    }
