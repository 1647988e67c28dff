"""What if some organisations left? The package without them, and the network before → after.

:func:`without_organisations` returns a copy of a validated package in which the named
organisations never took part: their rows in ``organisations``, their participations, their ties
(either end), their contacts and their efforts are gone; a unit whose ``parent`` left keeps its
place with an empty ``parent``, and a participation of another organisation that named one of
their contacts keeps its row with an empty ``contact``. Nothing else changes, so the result is
as valid as the input and :func:`samverkan.analysis.analyse` runs on it unchanged.

:func:`whatif_facts` compares the two networks on the figures a regional developer asks about
first: how many parts the network falls into, how large the largest part is, how dense it is,
how far apart organisations are, and which projects are left without an owner or a steering
group.

Definitions
-----------
The network is the organisation collaboration graph of
:func:`samverkan.graph.projection.project_organisations` (shared projects, benchmarking excluded,
and direct ties; undirected, binary). ``components`` counts isolates; ``largest_component`` is the
number of organisations in the largest one; ``density`` = 2m / (n(n − 1)); ``mean_distance`` is the
mean number of steps between pairs that can reach each other (Wasserman & Faust 1994, §4.2; pairs
in different components are left out), exact up to ``exact_limit`` organisations and above that
estimated from ``sources`` seeded random starting organisations. ``projects_without_owner`` and
``projects_without_steering`` are projects with a ``no-owner`` / ``no-steering-group`` finding of
:func:`samverkan.metrics.ownership.ownership_findings` after but not before (the day that decides
which projects are active is the same for both: the one of the package before).
"""

from __future__ import annotations

import math
from dataclasses import replace as _replace_dataclass

import numpy as np
import pandas as pd

from .errors import UsageError
from .graph.projection import project_organisations
from .io.validate import closest

__all__ = ["WHATIF_FIGURES", "network_facts", "resolve_organisations", "whatif_facts", "without_organisations"]

WHATIF_FIGURES = ("organisations", "ties", "components", "largest_component", "density", "mean_distance")


def resolve_organisations(package, organisations) -> list[str]:
    """The organisation ids meant by ``organisations`` (ids, or exact names when unambiguous).

    Raises
    ------
    UsageError
        Naming every value that matches no organisation, with the closest ids and names.
    """
    frame = package.organisations
    ids = frame["id"].astype(str).tolist()
    names = frame["name"].astype(str).tolist() if "name" in frame else ids
    known = set(ids)
    by_name: dict[str, list[str]] = {}
    for i, name in zip(ids, names):
        by_name.setdefault(name.strip().casefold(), []).append(i)
    found, problems = [], []
    for value in organisations:
        text = str(value).strip()
        if text in known:
            found.append(text)
            continue
        matches = by_name.get(text.casefold(), [])
        if len(matches) == 1:
            found.append(matches[0])
            continue
        if len(matches) > 1:
            problems.append(f"'{text}' is the name of {len(matches)} organisations ({', '.join(matches[:5])}); give the id")
            continue
        near = closest(text, ids, n=3, cutoff=0.6)
        near += [f"{by_name[n.casefold()][0]} ({n})" for n in closest(text, names, n=3, cutoff=0.6) if by_name.get(n.casefold())]
        near = list(dict.fromkeys(near))[:5]
        hint = f"; did you mean {' or '.join(repr(n) for n in near)}?" if near else "; see the id column of the organisations table"
        problems.append(f"no organisation has the id '{text}'{hint}")
    if problems:
        raise UsageError("; ".join(problems))
    return list(dict.fromkeys(found))


def _keep(package, table: str, mask: np.ndarray) -> tuple[pd.DataFrame, list[int] | None]:
    frame = package.tables[table]
    rows = package.rows.get(table)
    kept = frame[mask].reset_index(drop=True)
    if rows is not None and len(rows) == len(frame):
        rows = [r for r, k in zip(rows, mask) if k]
    return kept, rows


def without_organisations(package, organisations):
    """The package as if ``organisations`` (ids or unambiguous names) had never taken part.

    Parameters
    ----------
    package : Package
        A validated package (:func:`samverkan.io.package.read_package`); it is not changed.
    organisations : iterable of str

    Returns
    -------
    Package
        A copy without the organisations, their participations, ties, contacts and efforts
        (see the module docstring); ``name`` gains no suffix and warnings are kept.

    Raises
    ------
    UsageError
        When a value matches no organisation (the message lists close ids and names).

    Examples
    --------
    >>> from samverkan.io.package import empty_package
    >>> pkg = empty_package()
    >>> pkg.tables["organisations"] = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "parent": ["", ""]})
    >>> pkg.tables["ties"] = pd.DataFrame({"source": ["a"], "target": ["b"]})
    >>> after = without_organisations(pkg, ["b"])
    >>> after.organisations["id"].tolist(), len(after.ties)
    (['a'], 0)
    """
    gone = set(resolve_organisations(package, organisations))
    tables = dict(package.tables)
    rows = dict(package.rows)

    def text(frame, column):
        return frame[column].astype(str) if column in frame else pd.Series("", index=frame.index)

    def drop(table, mask):
        tables[table], kept_rows = _keep(package, table, np.asarray(mask, dtype=bool))
        if kept_rows is not None:
            rows[table] = kept_rows

    orgs = tables["organisations"]
    drop("organisations", ~text(orgs, "id").isin(gone).to_numpy())
    if "parent" in tables["organisations"]:
        parent = tables["organisations"]["parent"]
        tables["organisations"] = tables["organisations"].assign(parent=parent.where(~parent.astype(str).isin(gone), ""))
    contacts = tables.get("contacts")
    gone_contacts: set = set()
    if contacts is not None and len(contacts):
        leaving = text(contacts, "organisation").isin(gone).to_numpy()
        gone_contacts = set(text(contacts, "id")[leaving])
        drop("contacts", ~leaving)
    parts = tables["participations"]
    drop("participations", ~text(parts, "organisation").isin(gone).to_numpy())
    if gone_contacts and "contact" in tables["participations"]:
        contact = tables["participations"]["contact"]
        tables["participations"] = tables["participations"].assign(contact=contact.where(~contact.astype(str).isin(gone_contacts), ""))
    ties = tables.get("ties")
    if ties is not None and len(ties):
        drop("ties", ~(text(ties, "source").isin(gone) | text(ties, "target").isin(gone)).to_numpy())
    efforts = tables.get("efforts")
    if efforts is not None and len(efforts):
        drop("efforts", ~text(efforts, "organisation").isin(gone).to_numpy())
    return _replace_dataclass(package, tables=tables, rows=rows)


def _mean_distance(graph, *, exact_limit: int, sources: int, seed: int) -> tuple[float, bool]:
    """Mean steps over pairs that reach each other; (value, exact)."""
    from .graph.igraph_module import igraph_module

    ig = igraph_module()

    n = graph.n
    if n < 2 or graph.m == 0:
        return math.nan, True
    g = ig.Graph(n=n, directed=False)
    g.add_edges(np.column_stack([graph.edges["i"].to_numpy(dtype=np.int64), graph.edges["j"].to_numpy(dtype=np.int64)]))
    if n <= exact_limit:
        return float(g.average_path_length(directed=False, unconn=True)), True
    rng = np.random.default_rng(seed)
    starts = np.sort(rng.choice(n, size=min(sources, n), replace=False))
    total, pairs = 0.0, 0
    for chunk in np.array_split(starts, max(1, len(starts) // 50)):
        d = np.asarray(g.distances(source=chunk.tolist()), dtype=float)
        ok = np.isfinite(d) & (d > 0)
        total += d[ok].sum()
        pairs += int(ok.sum())
    return (total / pairs if pairs else math.nan), False


def network_facts(package, *, graph=None, exact_limit: int = 5_000, sources: int = 500, seed: int = 42) -> dict:
    """``organisations``, ``ties``, ``components``, ``largest_component``, ``density``, ``mean_distance`` and ``mean_distance_exact`` of a package's network."""
    from scipy.sparse.csgraph import connected_components

    graph = graph if graph is not None else project_organisations(package)
    n, m = graph.n, graph.m
    if n:
        count, labels = connected_components(graph.adjacency(), directed=False)
        largest = int(np.bincount(labels).max())
    else:
        count, largest = 0, 0
    distance, exact = _mean_distance(graph, exact_limit=exact_limit, sources=sources, seed=seed)
    return {
        "organisations": int(n),
        "ties": int(m),
        "components": int(count),
        "largest_component": largest,
        "density": 2.0 * m / (n * (n - 1)) if n > 1 else math.nan,
        "mean_distance": distance,
        "mean_distance_exact": exact,
    }


def whatif_facts(before, after, *, removed=(), as_of=None, seed: int = 42, exact_limit: int = 5_000, sources: int = 500) -> dict:
    """Before → after figures for the report (definitions in the module docstring).

    Parameters
    ----------
    before, after : Package
        The package and :func:`without_organisations` of it.
    removed : sequence of str
        The ids that left (as returned by :func:`resolve_organisations`), echoed in the result.
    as_of : date-like, optional
        The day that decides which projects are active; default the latest date of ``before``.

    Returns
    -------
    dict
        ``removed`` (ids), ``removed_names``, ``before`` and ``after`` (dicts of
        :data:`WHATIF_FIGURES` plus ``mean_distance_exact``), ``projects_without_owner`` and
        ``projects_without_steering`` (ids newly without), ``projects_without_organisations``
        (ids of projects nobody takes part in any more, benchmarking aside).
    """
    from .metrics.ownership import resolve_as_of, ownership_findings

    as_of = resolve_as_of(before, as_of)
    facts = {
        "removed": list(removed),
        "removed_names": [str(n) for n in before.organisations.set_index("id").reindex(list(removed))["name"].fillna("").tolist()] if len(removed) else [],
        "before": network_facts(before, seed=seed, exact_limit=exact_limit, sources=sources),
        "after": network_facts(after, seed=seed, exact_limit=exact_limit, sources=sources),
    }
    rules = {"no-owner": "projects_without_owner", "no-steering-group": "projects_without_steering"}
    found = []
    for package in (before, after):
        findings = ownership_findings(package, as_of=as_of)
        found.append({rule: set(findings.loc[findings["rule"] == rule, "project"]) if len(findings) else set() for rule in rules})
    order = before.projects["id"].astype(str).tolist()
    for rule, key in rules.items():
        new = found[1][rule] - found[0][rule]
        facts[key] = [p for p in order if p in new]

    def taking_part(package):
        parts = package.participations
        return set(parts.loc[parts["role"].astype(str) != "benchmark", "project"].astype(str))

    had, has = taking_part(before), taking_part(after)
    facts["projects_without_organisations"] = [p for p in order if p in had and p not in has]
    return facts
