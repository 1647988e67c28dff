"""Gould & Fernandez brokerage roles: who mediates between whom, by group.

An organisation ``b`` *brokers* the ordered pair ``(a, c)`` when ``a → b → c``, ``a ≠ c`` and
there is no tie ``a → c``: the only short way from a to c runs through b. By the groups (e.g.
organisation types) of a, b and c the brokerage is one of five roles:

=============== ===================== ====================================================
role            groups of (a, b, c)   b...
=============== ===================== ====================================================
coordinator     A A A                 mediates inside its own group
itinerant       A B A                 mediates between two members of another group
representative  A A B                 carries its own group's contact out to another group
gatekeeper      A B B                 lets an outsider into its own group
liaison         A B C                 links two other groups, belonging to neither
=============== ===================== ====================================================

Counts are computed from in- and out-neighbours by group (all two-step paths by the groups of
their ends) minus the closed ones, which are found by listing triangles once
(:mod:`samverkan.metrics.triangles`: numpy batches, or a compiled pass on large graphs); no
per-node loop, so Horizon 2020 takes well under a second.

References
----------
Gould, R. V. & Fernandez, R. M. (1989). Structures of mediation: a formal approach to brokerage
in transaction networks. Sociological Methodology 19, 89–126.
Butts, C. T. (2008). Social network analysis with sna. Journal of Statistical Software 24(6)
(R ``sna::brokerage``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .structural_holes import _Triangles

__all__ = ["brokerage", "BROKERAGE_COLUMNS", "arc_directions"]

BROKERAGE_COLUMNS = [
    "brokerage_coordinator",
    "brokerage_itinerant",
    "brokerage_gatekeeper",
    "brokerage_representative",
    "brokerage_liaison",
    "brokerage_total",
]

# Up to this many node × group cells, the in- and out-neighbours by group are counted in dense
# arrays (one bincount each); beyond, in sparse matrices (many groups, e.g. grouping by city).
_DENSE_GROUP_CELLS = 20_000_000

# category codes used internally
_COORDINATOR, _ITINERANT, _REPRESENTATIVE, _GATEKEEPER, _LIAISON = range(5)


def arc_directions(G) -> tuple[np.ndarray, np.ndarray]:
    """For every edge row ``e``, whether the arc ``i → j`` and the arc ``j → i`` exist.

    A tie is one-way only when it is a directed direct tie and the pair shares no project
    (``directed`` and ``shared_projects == 0``); its directions come from ``G.arcs`` (two
    opposite directed ties make it mutual). Every other tie, including collaboration in a
    shared project, runs both ways. A one-way row missing from ``G.arcs`` is taken as mutual.

    Returns
    -------
    forward, backward : numpy.ndarray of bool
        Indexed by edge row.
    """
    m = G.m
    forward = np.ones(m, dtype=bool)
    backward = np.ones(m, dtype=bool)
    if m == 0 or "directed" not in G.edges.columns:
        return forward, backward
    one_way = G.edges["directed"].to_numpy(dtype=bool).copy()
    if "shared_projects" in G.edges.columns:
        one_way &= G.edges["shared_projects"].to_numpy() == 0
    if not one_way.any():
        return forward, backward
    i = G.edges["i"].to_numpy(dtype=np.int64)
    j = G.edges["j"].to_numpy(dtype=np.int64)
    n = max(G.n, 1)
    keys = i * n + j
    arcs = G.arcs if G.arcs is not None else pd.DataFrame({"i": [], "j": []})
    a = arcs["i"].to_numpy(dtype=np.int64)
    b = arcs["j"].to_numpy(dtype=np.int64)
    has_fwd = np.isin(keys, a * n + b)
    has_bwd = np.isin(keys, b * n + a)
    listed = has_fwd | has_bwd
    rows = one_way & listed
    forward[rows] = has_fwd[rows]
    backward[rows] = has_bwd[rows]
    return forward, backward


def _group_codes(G, groups) -> np.ndarray:
    if isinstance(groups, str):
        if groups not in G.nodes.columns:
            raise ValueError(f"cannot group by '{groups}': organisations have no such column")
        labels = G.nodes[groups]
    else:
        labels = pd.Series(groups)
    if len(labels) != G.n:
        raise ValueError(f"groups has {len(labels)} labels for {G.n} organisations; give one label per node position")
    codes, _ = pd.factorize(pd.Series(labels).reset_index(drop=True), use_na_sentinel=False)
    return codes.astype(np.int64)


class _BrokerageAccumulator:
    """Open two-paths by role from degree-by-group counts; closed ones subtracted per triangle batch."""

    def __init__(self, G, groups):
        n = G.n
        self.n = n
        self.g = _group_codes(G, groups)
        self.i = G.edges["i"].to_numpy(dtype=np.int64)
        self.j = G.edges["j"].to_numpy(dtype=np.int64)
        self.forward, self.backward = arc_directions(G)
        self.all_mutual = bool(self.forward.all() and self.backward.all())
        self.closed = np.zeros(5 * n, dtype=np.int64)

    def _arc(self, edge: np.ndarray, a: np.ndarray) -> np.ndarray:
        """Whether the arc from ``a`` to the other end of ``edge`` exists."""
        return np.where(self.i[edge] == a, self.forward[edge], self.backward[edge])

    def add(self, t: _Triangles) -> None:
        g, n = self.g, self.n
        x, y, z = t.x, t.y, t.z
        same = {"xy": g[x] == g[y], "xz": g[x] == g[z], "yz": g[y] == g[z]}
        corner = {"x": x, "y": y, "z": z}
        edge = {"xy": t.exy, "xz": t.exz, "yz": t.eyz}

        def pair(u: str, v: str) -> str:
            return u + v if u < v else v + u

        # the six ways to read a triangle as source s → broker b → target c
        for s_, b_, c_ in (("x", "y", "z"), ("z", "y", "x"), ("y", "x", "z"), ("z", "x", "y"), ("x", "z", "y"), ("y", "z", "x")):
            sb, bc, sc = pair(s_, b_), pair(b_, c_), pair(s_, c_)
            category = _ROLE_TABLE[4 * same[sb] + 2 * same[bc] + same[sc]]
            broker = corner[b_]
            if not self.all_mutual:
                keep = self._arc(edge[sb], corner[s_]) & self._arc(edge[bc], broker) & self._arc(edge[sc], corner[s_])
                broker, category = broker[keep], category[keep]
            self.closed += np.bincount(5 * broker + category, minlength=5 * n)

    def _arc_counts(self, groups: int):
        """Per node: in-, out-arcs (all, own group), mutual partners (all, own group) and Σ_x In_b(x) Out_b(x)."""
        n, g, i, j = self.n, self.g, self.i, self.j
        # arcs a → b as (tail, head)
        tail = np.concatenate([i[self.forward], j[self.backward]])
        head = np.concatenate([j[self.forward], i[self.backward]])
        same = g[tail] == g[head]
        in_total = np.bincount(head, minlength=n)
        out_total = np.bincount(tail, minlength=n)
        in_own = np.bincount(head[same], minlength=n)
        out_own = np.bincount(tail[same], minlength=n)
        mutual = self.forward & self.backward
        mutual_total = np.bincount(i[mutual], minlength=n) + np.bincount(j[mutual], minlength=n)
        mutual_same = mutual & (g[i] == g[j])
        mutual_own = np.bincount(i[mutual_same], minlength=n) + np.bincount(j[mutual_same], minlength=n)
        # Σ_x In_b(x) Out_b(x): in- and out-neighbours of b in the same group x, any x
        if n * groups <= _DENSE_GROUP_CELLS:
            # dense node × group counts (exact integers)
            incoming = np.bincount(head * groups + g[tail], minlength=n * groups).reshape(n, groups)
            outgoing = np.bincount(tail * groups + g[head], minlength=n * groups).reshape(n, groups)
            matched = (incoming * outgoing).sum(axis=1)
        else:
            incoming = sp.coo_matrix((np.ones(len(head)), (head, g[tail])), shape=(n, groups)).tocsr()
            outgoing = sp.coo_matrix((np.ones(len(tail)), (tail, g[head])), shape=(n, groups)).tocsr()
            matched = np.rint(np.asarray(incoming.multiply(outgoing).sum(axis=1)).ravel()).astype(np.int64)
        return in_total, out_total, in_own, out_own, mutual_total, mutual_own, matched

    def result(self) -> pd.DataFrame:
        n, g, i, j = self.n, self.g, self.i, self.j
        groups = int(g.max()) + 1 if n else 0
        if self.all_mutual and n * groups <= _DENSE_GROUP_CELLS:
            # every tie runs both ways: in-, out- and mutual partners are the same partners
            by_group = (np.bincount(i * groups + g[j], minlength=n * groups) + np.bincount(j * groups + g[i], minlength=n * groups)).reshape(n, groups)
            in_total = out_total = mutual_total = by_group.sum(axis=1)
            in_own = out_own = mutual_own = by_group[np.arange(n), g]
            matched = (by_group * by_group).sum(axis=1)
        else:
            in_total, out_total, in_own, out_own, mutual_total, mutual_own, matched = self._arc_counts(groups)
        # every two-path a → b → c with a ≠ c, by role (mutual partners give a = c: removed)
        open_paths = np.zeros((n, 5), dtype=np.int64)
        open_paths[:, _COORDINATOR] = in_own * out_own - mutual_own
        open_paths[:, _ITINERANT] = (matched - in_own * out_own) - (mutual_total - mutual_own)
        open_paths[:, _REPRESENTATIVE] = in_own * (out_total - out_own)
        open_paths[:, _GATEKEEPER] = (in_total - in_own) * out_own
        open_paths[:, _LIAISON] = (in_total - in_own) * (out_total - out_own) - (matched - in_own * out_own)
        counts = open_paths - self.closed.reshape(n, 5)
        frame = pd.DataFrame(
            {
                "brokerage_coordinator": counts[:, _COORDINATOR],
                "brokerage_itinerant": counts[:, _ITINERANT],
                "brokerage_gatekeeper": counts[:, _GATEKEEPER],
                "brokerage_representative": counts[:, _REPRESENTATIVE],
                "brokerage_liaison": counts[:, _LIAISON],
            },
            index=pd.RangeIndex(n),
        )
        frame["brokerage_total"] = counts.sum(axis=1)
        return frame


# Role of broker b for the path s → b → c, indexed by 4·[g(s) = g(b)] + 2·[g(b) = g(c)] + [g(s) = g(c)]
# (combinations that cannot happen, such as two equalities without the third, are never looked up).
_ROLE_TABLE = np.array([_LIAISON, _ITINERANT, _GATEKEEPER, _LIAISON, _REPRESENTATIVE, _LIAISON, _LIAISON, _COORDINATOR], dtype=np.int64)


def brokerage(G, groups="type") -> pd.DataFrame:
    """Gould & Fernandez brokerage counts of every organisation with respect to a grouping.

    Parameters
    ----------
    G : CollaborationGraph
        The organisation collaboration graph.
    groups : str or sequence, default ``"type"``
        A column of ``G.nodes`` or one label per node position (e.g. organisation type). Every
        distinct label is a group, the empty string and missing values included.

    Returns
    -------
    pandas.DataFrame
        Indexed by node position, integer columns ``brokerage_coordinator``,
        ``brokerage_itinerant``, ``brokerage_gatekeeper``, ``brokerage_representative``,
        ``brokerage_liaison`` and ``brokerage_total`` (their sum).

    Notes
    -----
    Definition: b brokers the ordered pair (a, c) when a → b, b → c, a ≠ c and not a → c;
    roles by groups of (a, b, c): coordinator A A A, itinerant A B A, representative A A B,
    gatekeeper A B B, liaison A B C.

    Convention: ties are arcs. A tie from a shared project (and any undirected direct tie)
    counts as two arcs, as in R ``sna::brokerage`` and UCINET, so on undirected data every
    brokered pair is counted in both directions and representative equals gatekeeper for every
    organisation. A one-way direct tie (``directed`` and no shared project) is a single arc in
    the direction given in ``G.arcs`` (see :func:`arc_directions`). Raw counts are reported,
    not sna's z-scores. In sna's column names: ``w_I`` coordinator, ``w_O`` itinerant,
    ``b_IO`` representative, ``b_OI`` gatekeeper, ``b_O`` liaison, ``t`` total.

    References
    ----------
    Gould, R. V. & Fernandez, R. M. (1989). Structures of mediation: a formal approach to
    brokerage in transaction networks. Sociological Methodology 19, 89–126.
    Butts, C. T. (2008). Social network analysis with sna. Journal of Statistical Software 24(6).

    Examples
    --------
    A path a – b – c of three organisations of types x, y, z: b brokers (a, c) and (c, a),
    both as liaison.

    >>> import pandas as pd, scipy.sparse as sp
    >>> from samverkan.graph.projection import CollaborationGraph
    >>> nodes = pd.DataFrame({"id": ["a", "b", "c"], "type": ["x", "y", "z"]})
    >>> edges = pd.DataFrame({"i": [0, 1], "j": [1, 2]})
    >>> G = CollaborationGraph(nodes, edges, pd.DataFrame({"i": [], "j": []}), sp.csr_matrix((3, 0)), pd.DataFrame())
    >>> brokerage(G, "type").loc[1, ["brokerage_liaison", "brokerage_total"]].tolist()
    [2, 2]
    """
    from . import triangles  # the triangle pass (numpy or compiled); it imports this module

    accumulator = _BrokerageAccumulator(G, groups)
    triangles.triangle_pass(G.n, accumulator.i, accumulator.j, broker=accumulator)
    return accumulator.result()
