"""Interactive network pages: one self-contained HTML file per view, usable offline.

The page renders through the page kit (:mod:`samverkan.views.kit`): it inlines the vendored,
pinned vis-network and our own template, script and style; it loads nothing from the network. Positions are computed here with a
fixed seed and physics is off, so the page is usable as soon as it is drawn. Graphs larger than
``max_nodes`` are shown as a backbone of their most central nodes, with a banner saying so.
"""

from __future__ import annotations

import html
import math

import networkx as nx

from samverkan.errors import UsageError
from samverkan.geo.names import county_name, municipality_name
from samverkan.model import ROLE_LABELS
from samverkan.views.attributes import SortKeys, display_name, flag_value, number_value, split_list, text_value
from samverkan.views.backbone import metric_values, select_backbone
from samverkan.views.embed import plain
from samverkan.views.whatif_control import whatif_control_html, whatif_scripts, whatif_style
from samverkan.views.kit import Markup, Page, asset, render_page, vis_network
from samverkan.views.layout import compute_layout, remove_overlaps
from samverkan.views.styles import (
    MAX_NODE_PX,
    ROLE_COLOURS,
    TYPE_COLOURS,
    TYPE_ORDER,
    categorise,
    darker,
    edge_width,
    main_role,
    node_type,
    role_key,
    scale_sizes,
)
from samverkan.text.views import (
    TEXTS,
    check_lang,
    format_int,
    format_number,
    metric_label,
    sort_key,
    text,
    type_label,
)


class ViewFacts(dict):
    """What a view tells its caller: the counts (a dict, as before) and the rendered :class:`Page`."""

    def __init__(self, facts: dict, *, page: Page):
        super().__init__(facts)
        self.page = page


__all__ = ["ViewFacts", "write_network_html", "write_two_mode_html", "write_ego_html", "LABEL_TOP", "TOOLTIP_METRICS"]

LABEL_TOP = 30
"""How many nodes (by the size metric) carry a visible label; bridging actors get one as well."""

TOOLTIP_METRICS = (
    "degree",
    "weighted_degree",
    "betweenness",
    "betweenness_weighted",
    "closeness",
    "eigenvector",
    "constraint",
    "effective_size",
    "participation_coefficient",
)
"""Metrics shown in a node's tooltip when present (the size metric first)."""

EDGE_LABELS_MAX = 30
"""Up to this many two-mode edges carry their role as a label; in larger views the roles of the
selected node's edges are shown."""
NODE_GAP_PX = 20.0
FONT_FACE = '"Segoe UI", system-ui, -apple-system, Arial, "Liberation Sans", "DejaVu Sans", sans-serif'
_SEQUENTIAL = ("#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c")


def write_network_html(G, path, *, title, lang="sv", size_by="degree", color_by="type", max_nodes=1500, seed=42, subtitle=None, note=None) -> dict:
    """Write the collaboration network of organisations as one interactive, offline HTML page.

    Parameters
    ----------
    G : networkx.Graph
        Organisation graph; node keys are organisation ids. Node attributes used when present:
        ``name``, ``type``, ``municipality``, ``region``, ``community``, metrics such as
        ``degree`` or ``betweenness``, ``bridging``, ``articulation_point``, ``roles`` and
        ``projects`` (``|``-separated). Edge attributes: ``shared_projects``, ``shared_roles``,
        ``tie_type``. Other attributes (``email`` above all) are never written to the page.
    path : str or os.PathLike
        The HTML file to write (UTF-8; written to a temporary file and moved into place).
    title : str
        Page heading and window title.
    lang : {"sv", "en"}, optional
        Language of the page.
    size_by : str, optional
        Node metric that sets node area and picks the labelled and backbone nodes.
    color_by : str, optional
        Node attribute that sets the colour; ``"type"`` uses the fixed organisation-type colours.
    max_nodes : int, optional
        Larger graphs are shown as a backbone: the `max_nodes` nodes with the highest `size_by`
        (ties by id) and the edges among them. A caller may pass only that backbone of a very
        large graph, with the whole graph's counts in ``G.graph["nodes_total"]`` and
        ``G.graph["edges_total"]`` and its metrics as node attributes.
    seed : int, optional
        Layout seed; the same graph and options give a byte-identical file.
    subtitle, note : str, optional
        A line under the heading, and a note in the side panel.

    Returns
    -------
    dict
        ``nodes_shown``, ``nodes_total``, ``edges_shown``, ``edges_total`` (int) and
        ``backbone`` (bool).

    Raises
    ------
    UsageError
        For an unknown `lang` or a `max_nodes` below 1.

    Notes
    -----
    The page exposes ``window.network`` (the vis ``Network``) and ``window.samverkanView``
    (``{nodes, edges}``, the vis DataSets) and sets ``data-ready="1"`` on ``<body>`` once drawn.

    Examples
    --------
    >>> import tempfile, pathlib, networkx as nx
    >>> G = nx.Graph([("k1", "k2", {"shared_projects": 2})])
    >>> G.nodes["k1"].update(name="Södertälje kommun", type="municipality")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     write_network_html(G, pathlib.Path(tmp) / "n.html", title="Exempel")
    {'nodes_shown': 2, 'nodes_total': 2, 'edges_shown': 1, 'edges_total': 1, 'backbone': False}
    """
    return _write_view(G, path, mode="network", center=None, title=title, lang=lang, size_by=size_by, color_by=color_by, max_nodes=max_nodes, seed=seed, subtitle=subtitle, note=note)


def write_two_mode_html(B, path, *, title, lang="sv", size_by="degree", color_by="type", max_nodes=1500, seed=42, subtitle=None, note=None) -> dict:
    """Write the two-mode graph (organisations and projects) as one interactive, offline page.

    Organisations are circles coloured by `color_by`, projects are squares; an edge's colour (and,
    in small graphs, its label) shows the organisation's role in the project.

    Parameters
    ----------
    B : networkx.Graph
        Bipartite graph with node ids prefixed ``"org:"`` and ``"project:"`` (or project nodes
        with ``type="project"``); edges may carry ``role`` (canonical code or a Swedish spelling,
        several separated by ``|``). `B` may be only the backbone of a larger graph (see
        :func:`write_network_html`), its nodes then carrying what depends on the whole graph:
        ``degree`` (ties, for a project its participants) and, for organisations, ``projects``.
    path, title, lang, size_by, color_by, max_nodes, seed, subtitle, note
        As in :func:`write_network_html`.

    Returns
    -------
    dict
        As in :func:`write_network_html`; counts include project nodes.
    """
    return _write_view(B, path, mode="two_mode", center=None, title=title, lang=lang, size_by=size_by, color_by=color_by, max_nodes=max_nodes, seed=seed, subtitle=subtitle, note=note)


def write_ego_html(G, center, path, *, radius=1, title=None, lang="sv", size_by="degree", color_by="type", max_nodes=1500, seed=42, subtitle=None, note=None) -> dict:
    """Write the network around one organisation (its ego graph), with that organisation marked.

    Parameters
    ----------
    G : networkx.Graph
        Organisation graph, as for :func:`write_network_html`.
    center : str
        Id of the organisation at the centre; drawn as a star, labelled and selected on load.
    path : str or os.PathLike
        The HTML file to write.
    radius : int, optional
        Include organisations up to this many steps away.
    title : str, optional
        Heading; by default "Nätverket runt <name>" / "The network around <name>".
    lang, size_by, color_by, max_nodes, seed, subtitle, note
        As in :func:`write_network_html`. Metrics are those of the whole graph.

    Returns
    -------
    dict
        As in :func:`write_network_html`, counted on the ego graph.

    Raises
    ------
    UsageError
        When `center` is not a node of `G`.
    """
    if center not in G:
        examples = ", ".join(repr(n) for n in sorted(G.nodes, key=str)[:3])
        raise UsageError(f"{center!r} is not an organisation in the graph; use an id such as {examples}.")
    ego = nx.ego_graph(G, center, radius=radius)
    if title is None:
        title = text(check_lang(lang), "ego_title", name=display_name(center, G.nodes[center]))
    return _write_view(ego, path, mode="ego", center=center, title=title, lang=lang, size_by=size_by, color_by=color_by, max_nodes=max_nodes, seed=seed, subtitle=subtitle, note=note, source=G)


# --------------------------------------------------------------------------------------------
# Building the page


def _write_view(G, path, *, mode, center, title, lang, size_by, color_by, max_nodes, seed, subtitle, note, source=None):
    """Write the page for `G`; metrics missing as attributes are taken from `source` (default `G`)."""
    check_lang(lang)
    source = G if source is None else source
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
        raise UsageError(f"max_nodes must be a whole number of at least 1, not {max_nodes!r}.")
    # a caller that passed only the backbone of a very large graph says how large the whole was
    nodes_total = int(G.graph.get("nodes_total", G.number_of_nodes()))
    edges_total = int(G.graph.get("edges_total", G.number_of_edges()))
    values = metric_values(source, size_by)
    backbone = nodes_total > max_nodes
    if backbone:
        keep = select_backbone(G, max_nodes, values=values)
        if center is not None and center not in keep:
            keep = [center, *keep[:-1]]
        # (a caller's backbone is kept whole: the graph itself, not a filtered view of it)
        H = G if len(keep) == G.number_of_nodes() else G.subgraph(keep)
    else:
        H = G
    view = _view_data(H, source, mode=mode, center=center, lang=lang, size_by=size_by, color_by=color_by, values=values, seed=seed)
    facts = {
        "nodes_shown": H.number_of_nodes(),
        "nodes_total": nodes_total,
        "edges_shown": H.number_of_edges(),
        "edges_total": edges_total,
        "backbone": backbone,
    }
    page = _render_page(view, facts, mode=mode, title=title, lang=lang, size_by=size_by, subtitle=subtitle, note=note)
    page.write(path)
    return ViewFacts(facts, page=page)


def _short(name: str, limit: int = 32) -> str:
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "\u2026"


def _is_project(node, attrs, mode) -> bool:
    if node_type(attrs) == "project":
        return True
    return mode == "two_mode" and str(node).startswith("project:")


def _colours(H, kinds, *, color_by, lang):
    """Node colours and the colour legend for `color_by`."""
    T = TEXTS[lang]
    if color_by == "type":
        values = {n: ("project" if kinds[n] == "project" else node_type(a)) for n, a in H.nodes(data=True)}
        return categorise(values, colours=TYPE_COLOURS, order=TYPE_ORDER, labels=lambda v: type_label(lang, v), other_label=T["other_values"], missing_label=T["missing_value"])
    raw = {}
    for n, a in H.nodes(data=True):
        v = plain(a.get(color_by))
        raw[n] = None if v is None or (isinstance(v, str) and not v.strip()) else v
    present = [v for v in raw.values() if v is not None]
    numeric = present and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present)
    if numeric and any(isinstance(v, float) and not float(v).is_integer() for v in present):
        ordered = sorted(set(present))
        k = min(len(_SEQUENTIAL), len(ordered))
        cuts = [ordered[min(len(ordered) - 1, round(i * len(ordered) / k))] for i in range(1, k)]
        bins = {}
        for n, v in raw.items():
            bins[n] = None if v is None else sum(v >= c for c in cuts)
        bounds = {}
        for n, b in bins.items():
            if b is not None:
                lo, hi = bounds.get(b, (raw[n], raw[n]))
                bounds[b] = (min(lo, raw[n]), max(hi, raw[n]))
        colours = {b: _SEQUENTIAL[round(b * (len(_SEQUENTIAL) - 1) / max(1, k - 1))] for b in range(k)}
        return categorise(
            bins,
            colours=colours,
            order=range(k),
            labels=lambda b: " – ".join(dict.fromkeys(format_number(v, lang) for v in bounds[b])),
            other_label=T["other_values"],
            missing_label=T["missing_value"],
        )
    if numeric:
        order = sorted(set(present))
    else:
        order = None
        raw = {n: None if v is None else str(v) for n, v in raw.items()}
    labels = (lambda v: text(lang, "community_value", value=v)) if color_by == "community" else str
    return categorise(raw, order=order if color_by != "community" else None, labels=labels, other_label=T["other_values"], missing_label=T["missing_value"])


def _node_title(name, attrs, *, lang, type_key, size_by, size_value, flags, degree, projects_of, kind):
    T = TEXTS[lang]
    lines = [name, f"{T['type']}: {type_label(lang, type_key)}"]
    for key in ("municipality", "region"):
        value = _place_label(key, attrs.get(key))
        if value:
            lines.append(f"{T[key]}: {value}")
    community = plain(attrs.get("community"))
    if community is not None and text_value(community):
        lines.append(f"{T['community']}: {community}")
    if kind == "project":
        lines.append(f"{T['participants']}: {format_int(degree, lang)}")
    shown = 0
    for metric in (size_by, *(m for m in TOOLTIP_METRICS if m != size_by)):
        value = size_value if metric == size_by else number_value(attrs.get(metric))
        if metric == "degree" and value is None and kind != "project":
            value = degree
        if value is None or shown >= 6 or (kind == "project" and metric == "degree"):
            continue
        label = metric_label(lang, metric)
        lines.append(f"{label[:1].upper()}{label[1:]}: {format_number(value, lang)}")
        shown += 1
    lines.extend(flags)
    roles = split_list(attrs.get("roles"))
    if roles:
        lines.append(f"{T['roles']}:")
        lines.extend(f"  • {_role_line(lang, r)}" for r in roles[:8])
        if len(roles) > 8:
            lines.append("  " + text(lang, "more", n=len(roles) - 8))
    elif projects_of and kind != "project":
        listed = ", ".join(projects_of[:8])
        if len(projects_of) > 8:
            listed += ", " + text(lang, "more", n=len(projects_of) - 8)
        lines.append(f"{T['projects']}: {listed}")
    return "\n".join(lines)


def _place_label(key, value) -> str | None:
    """A municipality or county as a person names it: the name for a known code, else the value as given."""
    value = text_value(value)
    if value and value.strip().isdigit():
        named = municipality_name(value) if key == "municipality" else county_name(value)
        return named or value
    return value


def _role_line(lang, line: str) -> str:
    """``"lead: Project"`` with the role code as the catalogue labels it in `lang` (``"projektledning: Project"``)."""
    code, sep, rest = str(line).partition(": ")
    key = role_key(code) if sep else "other"
    if key == "other" or key not in ROLE_LABELS[lang]:
        return str(line)
    return f"{ROLE_LABELS[lang][key]}: {rest}"


def _project_keys(n, attrs, kind, mode, names, G, H, sort_keys=None) -> list:
    """(id, name) of each project of node `n`: ids from ``project_ids`` (parallel to ``projects``),
    from the neighbours of a two-mode graph, else the names stand in as ids."""
    if kind == "project":
        return [(names[n], names[n])]
    ids, id_names = split_list(attrs.get("project_ids")), split_list(attrs.get("project_names"))
    if ids and len(ids) == len(id_names):
        keys = SortKeys() if sort_keys is None else sort_keys
        # by name's sort key, then id, then position (a stable sort): tuples compared in C, no key call per project
        ordered = sorted(zip(map(keys.__getitem__, id_names), ids, range(len(ids))))
        return [(ids[k], id_names[k]) for _, _, k in ordered]
    listed = split_list(attrs.get("projects"))  # (only when there are no ids: long on a large package)
    if not listed and mode == "two_mode":
        # by name, as the backbone of a larger two-mode graph lists them (the same page either way)
        listed = sorted({names.get(m) or str(G.nodes[m].get("name") or m) for m in G.neighbors(n) if _is_project(m, G.nodes[m], mode)}, key=sort_key)
    return [(p, p) for p in listed]


def _view_data(H, G, *, mode, center, lang, size_by, color_by, values, seed):
    """Nodes, edges, legend and filter facts for the page; everything sorted for determinism."""
    T = TEXTS[lang]
    order = sorted(H.nodes, key=str)
    kinds = {n: ("project" if _is_project(n, H.nodes[n], mode) else "org") for n in order}
    names = {n: display_name(n, H.nodes[n]) for n in order}
    node_colour, colour_legend = _colours(H, kinds, color_by=color_by, lang=lang)
    sizes = scale_sizes({n: values[n] for n in order})
    unit = compute_layout(H, seed=seed)
    radius_px = max(600.0, 50.0 * math.sqrt(len(order)))
    # the disc that holds each shape: squares reach out to their corners
    radii = {n: (MAX_NODE_PX + 6) * 1.1 if n == center else sizes[n] * (1.42 if kinds[n] == "project" else 1.0) for n in order}
    pos = remove_overlaps({n: (unit[n][0] * radius_px, -unit[n][1] * radius_px) for n in order}, radii, padding=NODE_GAP_PX)

    ranked = sorted(order, key=lambda n: (-values[n], str(n)))
    rank = {n: i for i, n in enumerate(ranked)}
    if center is not None:
        rank[center] = -1
    bridging = {n for n in order if flag_value(H.nodes[n].get("bridging"))}
    articulation = {n for n in order if flag_value(H.nodes[n].get("articulation_point"))}
    labelled = set(ranked[:LABEL_TOP])
    labelled.update([n for n in ranked if n in bridging][:LABEL_TOP])
    if center is not None:
        labelled.add(center)

    # the two-mode backbone of a larger graph: a node's ties in the whole graph come with it
    cut = mode == "two_mode" and "nodes_total" in G.graph

    def degree(n):
        given = G.nodes[n].get("degree") if cut else None
        return given if isinstance(given, int) and not isinstance(given, bool) else G.degree(n)

    sort_keys = SortKeys()
    project_keys = {n: _project_keys(n, H.nodes[n], kinds[n], mode, names, G, H, sort_keys) for n in order}
    projects_of = {n: [name for _, name in project_keys[n]] for n in order}

    nodes = []
    for n in order:
        attrs = H.nodes[n]
        kind = kinds[n]
        type_key = "project" if kind == "project" else node_type(attrs)
        colour = node_colour[n]
        flags = []
        if n in bridging:
            flags.append(T["bridging_short"])
        if n in articulation:
            flags.append(T["articulation_short"])
        if n == center:
            flags.insert(0, T["ego"])
        x, y = pos[n]
        item = {
            "id": n,
            "x": round(x, 1),
            "y": round(y, 1),
            "size": sizes[n],
            "color": {
                "background": colour,
                "border": darker(colour),
                "highlight": {"background": colour, "border": "#111111"},
                "hover": {"background": colour, "border": "#111111"},
            },
            "title": _node_title(names[n], attrs, lang=lang, type_key=type_key, size_by=size_by, size_value=values[n], flags=flags, degree=degree(n), projects_of=projects_of[n], kind=kind),
            "name": names[n],
            "kind": kind,
            "typeKey": type_key,
            "typeLabel": type_label(lang, type_key),
        }
        if n in labelled:
            item["lab"] = _short(names[n])  # drawn by the page over the network, not by vis
            item["rank"] = rank[n]
        if kind == "project":
            item["shape"] = "square"
        elif n in articulation:
            item["shape"] = "diamond"
        if n in bridging:
            item["borderWidth"] = round(max(2.0, min(4.0, sizes[n] / 5)), 1)
            item["color"]["border"] = "#111111"
        if n == center:
            item.update(shape="star", size=MAX_NODE_PX + 6, borderWidth=3)
            item["color"]["border"] = "#8a6d00"
        for key, field in (("municipality", "mu"), ("region", "re")):
            value = text_value(attrs.get(key))
            if value:
                item[field] = value
                label = _place_label(key, value)
                if label != value:
                    item[field + "Label"] = label
        community = plain(attrs.get("community"))
        if community is not None and text_value(community):
            item["co"] = community
        if projects_of[n]:
            item["pr"] = projects_of[n]
        if project_keys[n]:
            # the project filter identifies projects by id: two projects sharing a name stay two
            item["pi"] = [key for key, _ in project_keys[n]]
        nodes.append(item)

    # vis draws nodes in data order: the labelled ones go last, the most important at the very end.
    nodes.sort(key=lambda item: (1, -item["rank"]) if "lab" in item else (0, 0))
    index = {n: i for i, n in enumerate(order)}
    raw_edges = []
    for u, v, d in H.edges(data=True):
        a, b = (u, v) if index[u] <= index[v] or H.is_directed() else (v, u)
        raw_edges.append((index[a], index[b], a, b, d))
    if len({(e[0], e[1]) for e in raw_edges}) == len(raw_edges):
        raw_edges.sort(key=lambda e: (e[0], e[1]))  # the same order: the attributes only part equal pairs
    else:
        raw_edges.sort(key=lambda e: (e[0], e[1], str(sorted(plain(e[4]).items()))))
    edges = []
    role_counts: dict[str, int] = {}
    label_edges = mode == "two_mode" and len(raw_edges) <= EDGE_LABELS_MAX
    # what an edge's shared projects and roles give, worked out once per distinct value (text and
    # whole numbers: an edge of a large view shares its values with thousands of others)
    by_count: dict = {}
    by_role: dict = {}
    for i, (_, _, a, b, d) in enumerate(raw_edges):
        # The tooltip is put together in the page from these fields (saves a third of the file).
        raw = d.get("shared_projects")
        counted = by_count.get(raw) if type(raw) is int else None
        if counted is None:
            sp = number_value(raw)
            counted = (edge_width(sp), None if sp is None else int(sp) if float(sp).is_integer() else sp)
            if type(raw) is int:
                by_count[raw] = counted
        width, shared = counted
        item = {"id": f"e{i}", "from": a, "to": b}
        if width != 1.0:
            item["width"] = width
        if shared is not None:
            item["sp"] = shared
        if mode == "two_mode":
            raw = d.get("role")
            role = by_role.get(raw) if type(raw) is str else None
            if role is None:
                roles = split_list(raw)
                key = main_role(roles)
                role = (
                    key,
                    ROLE_COLOURS.get(key, ROLE_COLOURS["other"]),
                    ", ".join(_role_label(lang, r) for r in roles) if roles else T["missing_value"],
                    ROLE_LABELS[lang].get(key, roles[0]) if roles else None,
                )
                if type(raw) is str:
                    by_role[raw] = role
            key, colour, role_text, label = role
            role_counts[key] = role_counts.get(key, 0) + 1
            item["color"] = {"color": colour, "highlight": colour, "hover": colour}
            item["width"] = 2.0
            item["rl"] = role_text
            if label_edges and label is not None:
                item["label"] = label
        else:
            shared_roles = text_value(d.get("shared_roles"))
            if shared_roles:
                item["sr"] = shared_roles
            tie_type = text_value(d.get("tie_type"))
            if tie_type:
                item["tt"] = tie_type
        edges.append(item)

    return {
        "order": order,
        "nodes": nodes,
        "edges": edges,
        "kinds": kinds,
        "colour_legend": colour_legend,
        "color_by": color_by,
        "has_bridging": bool(bridging),
        "has_articulation": bool(articulation - ({center} if center is not None else set())),
        "has_projects": any(k == "project" for k in kinds.values()),
        "role_counts": role_counts,
        "center": center,
        "directed": H.is_directed(),
        "any_shared": any(e.get("sp", 1) > 1 for e in edges),
    }


def _role_label(lang: str, role: str) -> str:
    key = role_key(role)
    return ROLE_LABELS[lang].get(key, role) if key != "other" else role


def _options(view):
    big = len(view["edges"]) > 2000 or len(view["nodes"]) > 1000
    edges = {
        "smooth": False,
        "color": {"color": "#8a96a3", "highlight": "#1f5f99", "hover": "#1f5f99", "inherit": False, "opacity": 0.35 if big else 0.6},
        "selectionWidth": 1.5,
        "hoverWidth": 0.5,
        "font": {"face": FONT_FACE, "size": 11, "color": "#444444", "strokeWidth": 3, "strokeColor": "#ffffff", "align": "middle"},
    }
    if view["directed"]:
        edges["arrows"] = {"to": {"enabled": True, "scaleFactor": 0.5}}
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big, "keyboard": False, "multiselect": False, "zoomSpeed": 0.7},
        "nodes": {
            "shape": "dot",
            "borderWidth": 1,
            "borderWidthSelected": 3,
        },
        "edges": edges,
    }


def _filters_html(view, lang) -> str:
    T = TEXTS[lang]
    nodes = view["nodes"]
    parts = [f"<h2>{html.escape(T['filters'])}</h2>"] if nodes else []
    sort_keys = SortKeys()  # (labels and names are text)
    counted: dict = {}  # format_int of each count, once

    def count_text(count):
        text_ = counted.get(count)
        if text_ is None:
            text_ = counted[count] = format_int(count, lang)
        return text_

    def select(key, label, options):
        if not options:
            return
        out = [f'<label class="field" for="filter-{key}">{html.escape(label)}</label>', f'<select id="filter-{key}" data-filter="{key}">', f'<option value="">{html.escape(T["all"])}</option>']
        values = _escaped_all([str(value) for value, _, _ in options], quote=True)
        shown = _escaped_all([str(label) for _, label, _ in options], quote=True)  # (html.escape quotes by default)
        out += [f'<option value="{escaped}">{name} ({count_text(count)})</option>' for escaped, name, (_, _, count) in zip(values, shown, options)]
        out.append("</select>")
        parts.append("\n".join(out))

    def labelled(field):
        labels = {}
        for n in nodes:
            if n.get(field) is not None:
                labels.setdefault(n[field], n.get(field + "Label", n[field]))
        return labels

    def count(field):
        counts: dict = {}
        for n in nodes:
            values = n.get(field)
            for v in values if isinstance(values, list) else [values]:
                if v is not None:
                    counts[v] = counts.get(v, 0) + 1
        return counts

    types = count("typeKey")
    select("type", T["type"], [(t, type_label(lang, t), types[t]) for t in TYPE_ORDER if t in types])
    for key, field in (("municipality", "mu"), ("region", "re")):
        c, shown = count(field), labelled(field)
        select(key, T[key], [(v, shown[v], c[v]) for v in sorted(c, key=lambda v: (sort_keys[shown[v]], str(v)))])
    c = count("co")

    def numeric_first(v):
        is_number = isinstance(v, (int, float)) and not isinstance(v, bool)
        return (not is_number, v if is_number else 0, str(v))

    select("community", T["community"], [(v, text(lang, "community_value", value=v), c[v]) for v in sorted(c, key=numeric_first)])
    c = count("pi")
    project_name = {}
    for n in nodes:
        keys = n.get("pi") or []
        names = (n.get("pr") or []) if n.get("kind") != "project" else [n["name"]]
        if len(names or []) == len(keys):
            for key, name in zip(keys, names):
                project_name.setdefault(key, name)
    uses = {}
    for key in c:
        uses[project_name.get(key, key)] = uses.get(project_name.get(key, key), 0) + 1

    def project_label(key):
        name = project_name.get(key, key)
        return f"{name} [{key}]" if uses[name] > 1 and name != key else name

    select("project", T["project"], [(v, project_label(v), c[v]) for v in sorted(c, key=lambda v: (sort_keys[project_name.get(v, v)], str(v)))])
    return "\n".join(parts)


def _escaped_all(texts: list[str], *, quote: bool) -> list[str]:
    """``[html.escape(t, quote=quote) for t in texts]`` with one call: escaping replaces single
    characters, so the texts can be joined, escaped together and split again (a project filter of
    a large package has tens of thousands of options)."""
    joined = "\x00".join(texts)
    if joined.count("\x00") != max(0, len(texts) - 1):  # a text holds the separator: one at a time
        return [html.escape(t, quote=quote) for t in texts]
    return html.escape(joined, quote=quote).split("\x00") if texts else []


def _legend_item(swatch_class: str, label: str, *, colour: str | None = None, count: int | None = None, lang: str = "sv", symbol: str = "") -> str:
    """One legend row; `label` is escaped, `colour` comes from our palettes."""
    style = f' style="background:{html.escape(colour)}"' if colour else ""
    counted = f'<span class="legend-count">{format_int(count, lang)}</span>' if count is not None else ""
    return f'<li><span class="{swatch_class}"{style}>{symbol}</span><span class="legend-label">{html.escape(label)}</span>{counted}</li>'


def _legend_html(view, lang, size_by) -> str:
    T = TEXTS[lang]
    esc = html.escape
    color_by = view["color_by"]
    named = ("type", "municipality", "region", "community", "level")
    colour_title = T[color_by] if color_by in named else metric_label(lang, color_by)
    if lang == "sv":
        colour_title = colour_title.lower()
    out = [f"<h3>{esc(T['colour'])}: {esc(colour_title)}</h3>", '<ul class="legend-list" id="legend-colours">']
    out += [_legend_item("swatch", c.label, colour=c.colour, count=c.count, lang=lang) for c in view["colour_legend"]]
    out.append("</ul>")
    out.append(f"<h3>{esc(T['size'])}</h3>")
    size_text = text(lang, "size_explained", metric=metric_label(lang, size_by))
    out.append(f'<ul class="legend-list"><li><span class="swatch size-small"></span><span class="swatch size-large"></span><span class="legend-label">{esc(size_text)}</span></li></ul>')
    marks = []
    if view["center"] is not None:
        marks.append(_legend_item("swatch star", T["ego"], symbol="\u2605"))
    if view["has_projects"]:
        marks.append(_legend_item("swatch square", type_label(lang, "project")))
    if view["has_bridging"]:
        marks.append(_legend_item("swatch bridging", T["bridging"]))
    if view["has_articulation"]:
        marks.append(_legend_item("swatch diamond", T["articulation"]))
    if marks:
        out.append('<ul class="legend-list">' + "".join(marks) + "</ul>")
    if view["role_counts"]:
        out.append(f"<h3>{esc(T['roles_legend'])}</h3>")
        out.append('<ul class="legend-list">')
        role_order = list(ROLE_COLOURS)
        for key in sorted(view["role_counts"], key=lambda k: role_order.index(k) if k in role_order else 99):
            out.append(_legend_item("swatch line", ROLE_LABELS[lang].get(key, T["missing_value"]), colour=ROLE_COLOURS.get(key, ROLE_COLOURS["other"]), count=view["role_counts"][key], lang=lang))
        out.append("</ul>")
    elif view["any_shared"]:
        out.append(f'<p class="small">{esc(T["edge_width"])}</p>')
    out.append(f'<p class="small">{esc(T["labels_note"])}</p>')
    return "\n".join(out)


def _render_page(view, facts, *, mode, title, lang, size_by, subtitle, note) -> Page:
    T = TEXTS[lang]
    esc = html.escape
    vis_js, vis_css = vis_network()
    page_js = asset("network.js")
    data = {
        "lang": lang,
        "mode": mode,
        "ego": view["center"],
        "texts": {
            k: T[k]
            for k in ("counter", "counter_one", "counter_two_mode", "search_none", "search_hidden", "search_hidden_one", "more", "shared_projects", "shared_project_one", "roles", "role", "tie_type")
        },
        "options": _options(view),
        "labels": {"face": FONT_FACE, "px": 13, "minPx": 11, "maxPx": 18},
        "nodes": view["nodes"],
        "edges": view["edges"],
    }
    banner = ""
    if facts["backbone"]:
        key = "backbone_two_mode" if mode == "two_mode" else "backbone"
        message = text(
            lang,
            key,
            shown=format_int(facts["nodes_shown"], lang),
            total=format_int(facts["nodes_total"], lang),
            metric=metric_label(lang, size_by),
            hidden=format_int(facts["nodes_total"] - facts["nodes_shown"], lang),
            hidden_edges=format_int(facts["edges_total"] - facts["edges_shown"], lang),
        )
        banner = f'<p class="banner" id="banner" role="status">{esc(message)}</p>'
    shown = facts["nodes_shown"]
    if mode == "two_mode":
        projects = sum(1 for k in view["kinds"].values() if k == "project")
        counter = text(lang, "counter_two_mode", orgs=format_int(shown - projects, lang), projects=format_int(projects, lang), total=format_int(shown, lang))
    else:
        counter = text(lang, "counter", shown=format_int(shown, lang), total=format_int(shown, lang))
    note_html = ""
    if text_value(note):
        note_html = f'<section class="note-section"><p class="note">{esc(str(note).strip())}</p></section>'
    values = {
        "kicker": esc(T["view_label"]),
        "subtitle": f'<p class="subtitle">{esc(str(subtitle))}</p>' if text_value(subtitle) else "",
        "fit_label": esc(T["fit"]),
        "banner": banner,
        "search_label": esc(T["search"]),
        "search_placeholder": esc(T["search_placeholder"], quote=True),
        "filters": _filters_html(view, lang),
        "reset_label": esc(T["reset"]),
        "counter": esc(counter),
        "details_label": esc(T["details"]),
        "details_none": esc(T["details_none"]),
        "neighbours_label": esc(T["neighbours"]),
        "close_label": esc(T["close"], quote=True),
        "legend_label": esc(T["legend"]),
        "legend": _legend_html(view, lang, size_by),
        "note": note_html,
        "footer": esc(T["generated"]),
        "no_js": esc(T["no_js"]),
        "whatif": whatif_control_html(view, lang, mode=mode),  # issue 15: "Tänk om … lämnar"
    }
    return render_page(
        "network.html",
        lang=lang,
        title=str(title),
        scripts=[vis_js, page_js, *(whatif_scripts() if values["whatif"] else [])],
        styles=[vis_css, asset("page.css") + asset("network.css") + whatif_style()],
        data={"samverkan-data": data},
        body_attributes={"data-view": mode},
        **{k: Markup(v) for k, v in values.items()},
    )
